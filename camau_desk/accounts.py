"""Mail accounts: the agency, unit and personal mailboxes (R4.1-R4.3).

The database row holds everything but the password, which only the keyring
has.  Local accounts (the demo and the "Lưu trữ" archive of imported mail)
have no server and no password.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import sqlite_utils

from camau_desk import audit, secrets
from camau_desk.errors import InvalidInput, NotFound

Role = Literal["agency", "unit", "personal", "archive"]
Security = Literal["ssl", "starttls", "plain"]
ROLES: tuple[str, ...] = ("agency", "unit", "personal", "archive")
SECURITIES: tuple[str, ...] = ("ssl", "starttls", "plain")


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    email: str
    display_name: str = ""
    imap_host: str | None = None
    imap_port: int | None = None
    smtp_host: str | None = None
    smtp_port: int | None = None
    security: str | None = None
    login: str | None = None
    ca_file: str | None = None
    is_local: bool = False
    created_at: str = ""

    @property
    def login_name(self) -> str:
        return self.login or self.email

    def public_dict(self) -> dict:
        """What `account list --json` shows (there is no password to hide)."""
        return asdict(self)


def parse_host_port(value: str, *, what: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput(f"Địa chỉ máy chủ {what} '{value}' không hợp lệ: "
                           "cần dạng máy:cổng, ví dụ mail.camau.gov.vn:993.")
    return host.strip("[]"), int(port)


def validate(account: Account) -> None:
    if not account.name.strip():
        raise InvalidInput("Tên hộp thư không được để trống.")
    if account.role not in ROLES:
        raise InvalidInput(f"Vai trò '{account.role}' không hợp lệ; chọn một trong: agency, unit, personal.")
    if "@" not in account.email:
        raise InvalidInput(f"Địa chỉ thư '{account.email}' không hợp lệ.")
    if not account.is_local:
        if account.security not in SECURITIES:
            raise InvalidInput("Kiểu bảo mật phải là ssl, starttls hoặc plain.")
        if not (account.imap_host and account.imap_port and account.smtp_host and account.smtp_port):
            raise InvalidInput("Cần khai báo máy chủ IMAP và SMTP.")


def _row_to_account(row: dict) -> Account:
    row = dict(row)
    row["is_local"] = bool(row.get("is_local"))
    return Account(**row)


def list_accounts(db: sqlite_utils.Database) -> list[Account]:
    return [_row_to_account(r) for r in db.query("SELECT * FROM accounts ORDER BY name")]


def get_account(db: sqlite_utils.Database, name: str) -> Account:
    rows = list(db.query("SELECT * FROM accounts WHERE name = ?", [name]))
    if not rows:
        raise NotFound(f"Không có hộp thư tên '{name}'.")
    return _row_to_account(rows[0])


def add_account(db: sqlite_utils.Database, account: Account, password: str | None) -> Account:
    """Store the password in the keyring first, then the row (undo on failure).

    The keyring is checked before anything is written so that a machine with
    no credential store ends with nothing on disk (R4.3).
    """
    validate(account)
    if db.execute("SELECT 1 FROM accounts WHERE name = ?", [account.name]).fetchone():
        raise InvalidInput(f"Đã có hộp thư tên '{account.name}'.")
    if not account.is_local:
        if not password:
            raise InvalidInput("Cần mật khẩu cho hộp thư có máy chủ.")
        secrets.set_password(account.name, password)
    account = Account(**{**asdict(account), "created_at": account.created_at or audit.now_iso()})
    try:
        row = asdict(account)
        row["is_local"] = int(account.is_local)
        db["accounts"].insert(row)
        audit.record(db, "account.add", "account", account.name, None,
                     {k: v for k, v in row.items() if k != "created_at"})
    except Exception:
        if not account.is_local:
            secrets.delete_password(account.name)
        raise
    return account


def remove_account(db: sqlite_utils.Database, name: str) -> None:
    """Forget the account and its password; its mail stays readable (R3.3)."""
    account = get_account(db, name)
    if not account.is_local:
        secrets.delete_password(name)
    db.execute("DELETE FROM accounts WHERE name = ?", [name])
    audit.record(db, "account.remove", "account", name, account.public_dict(), None)


def password_for(account: Account) -> str:
    password = secrets.get_password(account.name)
    if not password:
        raise NotFound(
            f"Không tìm thấy mật khẩu của hộp thư '{account.name}' trong kho mật khẩu. "
            "Hãy thêm lại hộp thư hoặc nhập lại mật khẩu."
        )
    return password
