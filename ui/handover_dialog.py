"""Tệp › "Bàn giao hộp thư...": export a mailbox package, or import one (issue 8, R4.2).

Why in the window: the outgoing head's clerk hands the mailbox over on the
last day, usually without IT staff.  Both directions run through
``camau_desk.handover`` on the db executor (they write the audit log and,
on import, the keyring); the result names the manifest's SHA-256 (written
on the handover minutes) or the file that made the package be refused.
"""

from __future__ import annotations

from pathlib import Path

from ui.qt import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)


def export_task(_ctx, db, blobs, profile, account: str, dest: str):
    from camau_desk import handover

    return handover.export_package(db, profile, account, Path(dest), blobs=blobs)


def import_task(_ctx, db, blobs, profile, src: str, account: str, password: str):
    from camau_desk import handover

    return handover.import_package(Path(src), profile, account, password, db=db, blobs=blobs)


class HandoverDialog(QDialog):
    done = Signal(object)  # Manifest or ImportReport
    failed = Signal(str)

    def __init__(self, session, accounts: list[str], parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Mailbox handover"))
        self.resize(640, 300)
        tabs = QTabWidget()
        # export
        exp = QWidget()
        self.account = QComboBox()
        self.account.addItems(accounts)
        self.account.setAccessibleName(self.tr("Mailbox to hand over"))
        self.dest = QLineEdit()
        self.dest.setAccessibleName(self.tr("Destination folder"))
        browse = QPushButton(self.tr("Choose..."))
        browse.clicked.connect(lambda: self._pick(self.dest))
        row = QHBoxLayout()
        row.addWidget(self.dest, 1)
        row.addWidget(browse)
        self.export_button = QPushButton(self.tr("Export package"))
        self.export_button.clicked.connect(self.export)
        f = QFormLayout(exp)
        f.addRow(self.tr("Mailbox:"), self.account)
        f.addRow(self.tr("New empty folder:"), row)
        f.addRow("", self.export_button)
        tabs.addTab(exp, self.tr("Hand over (export)"))
        # import
        imp = QWidget()
        self.src = QLineEdit()
        self.src.setAccessibleName(self.tr("Package folder"))
        browse2 = QPushButton(self.tr("Choose..."))
        browse2.clicked.connect(lambda: self._pick(self.src))
        row2 = QHBoxLayout()
        row2.addWidget(self.src, 1)
        row2.addWidget(browse2)
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName(self.tr("Mailbox name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("New password of the mailbox"))
        self.import_button = QPushButton(self.tr("Import package"))
        self.import_button.clicked.connect(self.import_)
        g = QFormLayout(imp)
        g.addRow(self.tr("Package folder:"), row2)
        g.addRow(self.tr("Mailbox name:"), self.new_name)
        g.addRow(self.tr("New password:"), self.password)
        g.addRow("", self.import_button)
        tabs.addTab(imp, self.tr("Take over (import)"))
        self.tabs = tabs
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(tabs)
        lay.addWidget(self.progress)
        lay.addWidget(self.result, 1)
        lay.addWidget(close)

    def _pick(self, line: QLineEdit) -> None:
        d = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder"))
        if d:
            line.setText(d)

    def _busy(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.export_button.setEnabled(not on)
        self.import_button.setEnabled(not on)

    def export(self) -> None:
        if not self.account.currentText() or not self.dest.text().strip():
            self._fail_text(self.tr("Choose the mailbox and a new, empty destination folder."))
            return
        s = self.session
        self._busy(True)
        self.result.setText(self.tr("Writing the handover package..."))
        s.run_db(lambda ctx, db: export_task(ctx, db, s.blobs, s.profile, self.account.currentText(),
                                             self.dest.text().strip()), on_result=self._exported, on_error=self._failed)

    def import_(self) -> None:
        if not self.src.text().strip() or not self.new_name.text().strip() or not self.password.text():
            self._fail_text(self.tr("Choose the package folder, and enter the mailbox name and its new password."))
            return
        s = self.session
        password = self.password.text()
        self.password.clear()  # the password lives only as long as the task
        self._busy(True)
        self.result.setText(self.tr("Checking and importing the package..."))
        s.run_db(lambda ctx, db: import_task(ctx, db, s.blobs, s.profile, self.src.text().strip(),
                                             self.new_name.text().strip(), password),
                 on_result=self._imported, on_error=self._failed)

    def _exported(self, manifest) -> None:
        self._busy(False)
        text = self.tr("Package written to %1. Manifest SHA-256 (write it on the handover minutes): %2") \
            .replace("%1", str(Path(manifest.path).parent)).replace("%2", manifest.sha256)
        if manifest.missing_mirror_files:
            text += "\n" + self.tr("%1 file(s) of the offline archive were missing and are not in the package.") \
                .replace("%1", str(len(manifest.missing_mirror_files)))
        self.result.setText(text)
        self.done.emit(manifest)

    def _imported(self, report) -> None:
        self._busy(False)
        n = report.counts.get("messages", 0)
        self.result.setText(self.tr("Imported %1 message(s) into mailbox %2. Notice to the directory: %3")
                            .replace("%1", str(n)).replace("%2", report.account)
                            .replace("%3", report.notice_status or "-"))
        self.done.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        text = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        culprit = getattr(exc, "file", None)
        if culprit:
            text += "\n" + self.tr("File: %1").replace("%1", culprit)
        self._fail_text(text)

    def _fail_text(self, text: str) -> None:
        self.result.setText(text)
        self.failed.emit(text)
