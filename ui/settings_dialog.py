"""The "Cài đặt" dialog (R8): the agency's settings the clerk may change.

Why the checks come from camau_desk.settings_io: the same rules refuse a bad
value typed here, in ``settings set`` on the command line and in an imported
settings file, each with the same Vietnamese reason.  Every value is checked
before anything is written; the values are then saved together in one
transaction on the db executor (audited by ``settings.set``).
"""

from __future__ import annotations

import re
from typing import Any

from ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

KEYS = ("language", "mirror_root", "mirror_template", "register_template", "check_times", "working_days",
        "holidays", "receipt_notice", "max_recipients_without_confirm", "minimize_to_tray", "trusted_ca_file")


def split_list(text: str) -> list[str]:
    """'07:00, 09:00 13:00' or one per line -> ['07:00', '09:00', '13:00']."""
    return [p for p in re.split(r"[\s,;]+", text.strip()) if p]


def save_task(_ctx, db, values: dict[str, Any]) -> dict[str, Any]:
    """On the db executor: every value checked again, then all written in one transaction."""
    from camau_desk import settings
    from camau_desk.settings_io import validate_value
    from camau_desk.store.db import transaction

    checked = {k: validate_value(k, v) for k, v in values.items()}
    with transaction(db):
        for k, v in checked.items():
            settings.set(db, k, v)
    return checked


class SettingsDialog(QDialog):
    """Edit, check (Vietnamese reasons), save in the db worker."""

    saved = Signal(dict)
    failed = Signal(str)

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Settings"))
        self.resize(640, 560)
        from camau_desk import settings

        self.initial = settings.all_settings(session.ui_db)
        form = QFormLayout()
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(self.initial.get("language") or "vi")))
        self.language.setToolTip(self.tr("Applied the next time Cà Mau Desk starts"))
        form.addRow(self.tr("Language:"), self.language)

        self.mirror_root = QLineEdit(self.initial.get("mirror_root") or "")
        self.mirror_root.setPlaceholderText(str(session.profile.default_mirror_dir))
        form.addRow(self.tr("Archive folder:"), self._with_button(self.mirror_root, self.choose_mirror_root))
        self.mirror_template = QLineEdit(self.initial.get("mirror_template") or "")
        self.register_template = QLineEdit(self.initial.get("register_template") or "")
        from camau_desk.archive.naming import FIELD_HELP

        fields = "\n".join(f"{{{k}}}: {v}" for k, v in FIELD_HELP.items()) if isinstance(FIELD_HELP, dict) else ""
        for w in (self.mirror_template, self.register_template):
            w.setToolTip(fields)
        form.addRow(self.tr("Folder template for each message:"), self.mirror_template)
        form.addRow(self.tr("File name template for registered documents:"), self.register_template)

        self.check_times = QLineEdit(", ".join(self.initial.get("check_times") or []))
        self.check_times.setToolTip(self.tr("HH:MM, separated by commas, e.g. 07:00, 09:00, 13:00, 15:00"))
        form.addRow(self.tr("Mailbox check times:"), self.check_times)
        days_box = QWidget()
        days = QHBoxLayout(days_box)
        days.setContentsMargins(0, 0, 0, 0)
        names = [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"),
                 self.tr("Sun")]
        working = set(self.initial.get("working_days") or [])
        self.day_boxes = []
        for i, name in enumerate(names):
            box = QCheckBox(name)
            box.setChecked(i in working)
            days.addWidget(box)
            self.day_boxes.append(box)
        form.addRow(self.tr("Working days:"), days_box)
        self.holidays = QPlainTextEdit("\n".join(self.initial.get("holidays") or []))
        self.holidays.setMaximumHeight(80)
        self.holidays.setToolTip(self.tr("One date per line, dd/mm/yyyy"))
        form.addRow(self.tr("Holidays:"), self.holidays)

        self.receipt_notice = QCheckBox(self.tr("Send a 'document received' notice to the sender"))
        self.receipt_notice.setChecked(bool(self.initial.get("receipt_notice")))
        form.addRow("", self.receipt_notice)
        self.max_recipients = QSpinBox()
        self.max_recipients.setRange(1, 10000)
        self.max_recipients.setValue(int(self.initial.get("max_recipients_without_confirm") or 10))
        form.addRow(self.tr("Ask for confirmation above this many recipients:"), self.max_recipients)
        self.minimize_to_tray = QCheckBox(self.tr("Closing the window keeps Cà Mau Desk in the system tray"))
        self.minimize_to_tray.setChecked(bool(self.initial.get("minimize_to_tray")))
        form.addRow("", self.minimize_to_tray)
        self.trusted_ca = QLineEdit(self.initial.get("trusted_ca_file") or "")
        self.trusted_ca.setPlaceholderText(self.tr("none"))
        form.addRow(self.tr("Trusted CA file for signatures (PEM):"),
                    self._with_button(self.trusted_ca, self.choose_ca_file))

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.setAccessibleName(self.tr("Settings error"))
        self.error.hide()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _with_button(self, edit: QLineEdit, slot) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton(self.tr("Choose..."))
        button.clicked.connect(slot)
        row.addWidget(button)
        return box

    def choose_mirror_root(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Archive folder"), self.mirror_root.text()
                                                or self.mirror_root.placeholderText())
        if path:
            self.mirror_root.setText(path)

    def choose_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Trusted CA file"), self.trusted_ca.text(),
                                              self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.trusted_ca.setText(path)

    def values(self) -> dict[str, Any]:
        """What the form says, as settings values (not yet checked)."""
        return {
            "language": self.language.currentData(),
            "mirror_root": self.mirror_root.text().strip() or None,
            "mirror_template": self.mirror_template.text().strip(),
            "register_template": self.register_template.text().strip(),
            "check_times": split_list(self.check_times.text()),
            "working_days": [i for i, b in enumerate(self.day_boxes) if b.isChecked()],
            "holidays": split_list(self.holidays.toPlainText()),
            "receipt_notice": self.receipt_notice.isChecked(),
            "max_recipients_without_confirm": self.max_recipients.value(),
            "minimize_to_tray": self.minimize_to_tray.isChecked(),
            "trusted_ca_file": self.trusted_ca.text().strip() or None,
        }

    def check(self) -> str | None:
        """The Vietnamese reason the first invalid value is refused, else None (pure, on the GUI thread)."""
        from pathlib import Path

        from camau_desk.errors import CamauError
        from camau_desk.settings_io import validate_value

        values = self.values()
        for key, value in values.items():
            try:
                validate_value(key, value)
            except CamauError as exc:
                return exc.message
        ca = values["trusted_ca_file"]
        if ca and not Path(ca).is_file():
            return self.tr("The trusted CA file does not exist: %1").replace("%1", ca)
        return None

    def save(self) -> None:
        reason = self.check()
        if reason:
            self._show_error(reason)
            return
        self.error.hide()
        self.save_button.setEnabled(False)
        changed = {k: v for k, v in self.values().items() if v != self.initial.get(k)}
        self.session.run_db(save_task, changed, on_result=self._saved, on_error=self._failed)

    def _saved(self, values: dict) -> None:
        self.save_button.setEnabled(True)
        self.initial.update(values)
        self.saved.emit(values)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._show_error(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.failed.emit(text)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override: Enter in a field must not close
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.save_button.hasFocus():
            return
        super().keyPressEvent(event)
