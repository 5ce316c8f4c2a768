"""The non-blocking error banner at the top of the window (issue 4, point 4).

Why not a modal box: a sync failure at 07:00 must not stop the clerk reading
what is already here; the banner says what happened in plain Vietnamese and
"Chi tiết" shows the technical detail for the IT staff.
"""

from __future__ import annotations

from ui.qt import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, Qt, QVBoxLayout


class ErrorBanner(QFrame):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setStyleSheet(
            "#errorBanner { background: #fdecea; border: 1px solid #f5c2c0; border-radius: 4px; }"
            "#errorBanner QLabel { color: #611a15; }"
        )
        self.setAccessibleName(self.tr("Error message"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        row = QHBoxLayout()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QPushButton(self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName(self.tr("Show error details"))
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close error message"))
        row.addWidget(self.label, 1)
        row.addWidget(self.details_button)
        row.addWidget(self.close_button)
        outer.addLayout(row)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(120)
        self.detail.setAccessibleName(self.tr("Error details"))
        self.detail.hide()
        outer.addWidget(self.detail)
        self.details_button.toggled.connect(self.detail.setVisible)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def show_error(self, message: str, detail: str | None = None) -> None:
        self.label.setText(message)
        self.detail.setPlainText(detail or "")
        self.details_button.setVisible(bool(detail))
        self.details_button.setChecked(False)
        self.show()

    def show_exception(self, exc: BaseException) -> None:
        """A CamauError carries its sentence; anything else is unexpected."""
        from camau_desk.errors import CamauError

        if isinstance(exc, CamauError):
            self.show_error(exc.message, exc.detail)
        else:
            detail = getattr(exc, "__traceback_text__", None) or f"{type(exc).__name__}: {exc}"
            self.show_error(self.tr("An unexpected error occurred. Press Details and send it to IT support."), detail)
