"""'Thêm hộp thư': declare an account, prove the login works, then save it.

Why test before saving: a clerk who saves a wrong password learns it at 07:00
the next morning.  The IMAP and SMTP logins run in a worker with the typed
password (never logged, never stored anywhere but the keyring, R4.3); only
when both succeed is the account written (keyring first, by accounts.add_account).
"""

from __future__ import annotations

from collections.abc import Callable

from camau_desk.accounts import Account
from camau_desk.errors import CamauError
from ui.qt import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)

Checker = Callable[[Account, str], dict[str, str]]


def check_login(account: Account, password: str) -> dict[str, str]:
    """IMAP then SMTP login with the typed password: {'imap': 'ok'|error, 'smtp': ...}."""
    from camau_desk.mail.connect import imap_connect, smtp_connect

    result: dict[str, str] = {}
    for name, connect in (("imap", imap_connect), ("smtp", smtp_connect)):
        try:
            conn = connect(account, password)
        except CamauError as err:
            result[name] = err.message
            continue
        try:
            conn.logout() if name == "imap" else conn.quit()
        except Exception:  # noqa: BLE001,S110 - the login already proved the point
            pass
        result[name] = "ok"
    return result


DEFAULT_PORTS = {"ssl": (993, 465), "starttls": (143, 587), "plain": (143, 25)}


class AccountDialog(QDialog):
    """Fields of camau_desk.accounts.Account + password; emits ``saved`` with the Account."""

    saved = Signal(object)

    def __init__(self, run_io, run_db, checker: Checker = check_login, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_io, self.run_db, self.checker = run_io, run_db, checker
        self.setWindowTitle(self.tr("Add mailbox"))
        self.setMinimumWidth(480)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Agency mailbox"))
        self.role = QComboBox()
        for key, label in (("agency", self.tr("Agency mailbox")), ("unit", self.tr("Unit mailbox")),
                           ("personal", self.tr("Personal mailbox"))):
            self.role.addItem(label, key)
        self.email = QLineEdit()
        self.email.setPlaceholderText("vanthu@camau.gov.vn")
        self.display_name = QLineEdit()
        self.imap_host = QLineEdit()
        self.imap_host.setPlaceholderText("mail.camau.gov.vn")
        self.imap_port = QSpinBox()
        self.imap_port.setRange(1, 65535)
        self.smtp_host = QLineEdit()
        self.smtp_host.setPlaceholderText("mail.camau.gov.vn")
        self.smtp_port = QSpinBox()
        self.smtp_port.setRange(1, 65535)
        self.security = QComboBox()
        for key, label in (("ssl", self.tr("SSL/TLS")), ("starttls", self.tr("STARTTLS")),
                           ("plain", self.tr("None (test servers only)"))):
            self.security.addItem(label, key)
        self.security.currentIndexChanged.connect(self._default_ports)
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("same as the e-mail address"))
        self.ca_file = QLineEdit()
        self.ca_button = QPushButton(self.tr("Browse..."))
        self.ca_button.clicked.connect(self._browse_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_button)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        rows = [
            (self.tr("Mailbox name:"), self.name), (self.tr("Role:"), self.role),
            (self.tr("E-mail address:"), self.email),
            (self.tr("Display name:"), self.display_name), (self.tr("IMAP server:"), self.imap_host),
            (self.tr("IMAP port:"), self.imap_port), (self.tr("SMTP server:"), self.smtp_host),
            (self.tr("SMTP port:"), self.smtp_port), (self.tr("Security:"), self.security),
            (self.tr("Login name:"), self.login), (self.tr("Agency CA certificate:"), ca_row),
            (self.tr("Password:"), self.password),
        ]
        for label, widget in rows:
            form.addRow(label, widget)
            if isinstance(widget, QWidget):
                widget.setAccessibleName(label.rstrip(":"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Connection test result"))
        self.save_button = QPushButton(self.tr("Test and save"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.save_button.clicked.connect(self.test_and_save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._default_ports()

    def _default_ports(self) -> None:
        imap, smtp = DEFAULT_PORTS.get(self.security.currentData(), (993, 465))
        self.imap_port.setValue(imap)
        self.smtp_port.setValue(smtp)

    def _browse_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Agency CA certificate"), "",
                                              self.tr("Certificates (*.pem *.crt *.cer)"))
        if path:
            self.ca_file.setText(path)

    def account(self) -> Account:
        return Account(
            name=self.name.text().strip(), role=self.role.currentData(), email=self.email.text().strip(),
            display_name=self.display_name.text().strip(), imap_host=self.imap_host.text().strip() or None,
            imap_port=self.imap_port.value(), smtp_host=self.smtp_host.text().strip() or None,
            smtp_port=self.smtp_port.value(), security=self.security.currentData(),
            login=self.login.text().strip() or None, ca_file=self.ca_file.text().strip() or None,
        )

    def _busy(self, busy: bool, text: str = "") -> None:
        self.save_button.setEnabled(not busy)
        self.status.setStyleSheet("")
        self.status.setText(text)

    def _fail(self, text: str) -> None:
        self._busy(False)
        self.status.setStyleSheet("color: #b3261e")
        self.status.setText(text)

    def test_and_save(self) -> None:
        from camau_desk.accounts import validate
        from camau_desk.vn.text import nfc

        account = self.account()
        account = Account(**{**account.__dict__, "name": nfc(account.name), "display_name": nfc(account.display_name)})
        try:
            validate(account)
        except CamauError as err:
            self._fail(err.message)
            return
        password = self.password.text()
        if not password:
            self._fail(self.tr("Enter the mailbox password."))
            return
        self._busy(True, self.tr("Checking IMAP and SMTP login..."))
        self.run_io(lambda _ctx, a, p: self.checker(a, p), account, password,
                    on_result=lambda r: self._checked(account, password, r),
                    on_error=lambda e: self._fail(str(e)))

    def _checked(self, account: Account, password: str, result: dict[str, str]) -> None:
        problems = [f"{k.upper()}: {v}" for k, v in result.items() if v != "ok"]
        if problems:
            self._fail("\n".join(problems))
            return
        self._busy(True, self.tr("Login succeeded. Saving..."))
        from camau_desk.accounts import add_account

        self.run_db(lambda _ctx, db, a, p: add_account(db, a, p), account, password,
                    on_result=self._saved, on_error=lambda e: self._fail(str(e)))

    def _saved(self, account: Account) -> None:
        self.saved.emit(account)
        self.accept()
