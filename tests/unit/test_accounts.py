"""Accounts and the keyring layer with an in-memory backend (R4.3)."""

from __future__ import annotations

import keyring.errors
import pytest

from camau_desk import accounts, secrets
from camau_desk.cli import main as cli_main
from camau_desk.errors import InvalidInput, KeyringLocked, KeyringUnavailable, NotFound

pytestmark = pytest.mark.unit

SECRET = "Mk-rat-bi-mat-9271"


def _account(name="vanthu") -> accounts.Account:
    return accounts.Account(
        name=name, role="agency", email="vanthu@sotttt.camau.gov.vn", imap_host="mail.camau.gov.vn",
        imap_port=993, smtp_host="mail.camau.gov.vn", smtp_port=465, security="ssl",
    )


def test_R4_3_password_goes_to_keyring_not_database(db, memory_keyring, profile):
    accounts.add_account(db, _account(), SECRET)
    assert memory_keyring.store[(secrets.SERVICE, "account:vanthu")] == SECRET
    db.conn.commit()
    for path in profile.data_dir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_duplicate_and_invalid_accounts_are_refused(db, memory_keyring):
    accounts.add_account(db, _account(), SECRET)
    with pytest.raises(InvalidInput):
        accounts.add_account(db, _account(), SECRET)
    with pytest.raises(InvalidInput):
        accounts.add_account(db, accounts.Account(name="x", role="boss", email="x@y"), SECRET)


def test_remove_forgets_password_and_audits(db, memory_keyring):
    accounts.add_account(db, _account(), SECRET)
    accounts.remove_account(db, "vanthu")
    assert memory_keyring.store == {}
    with pytest.raises(NotFound):
        accounts.get_account(db, "vanthu")
    actions = [r["action"] for r in db.query("SELECT action FROM audit")]
    assert actions == ["account.add", "account.remove"]
    assert all(SECRET not in (r["new_value"] or "") for r in db.query("SELECT new_value FROM audit"))


def test_R4_3_locked_keyring_gives_vietnamese_explanation(memory_keyring, monkeypatch):
    def locked(*_a, **_k):
        raise keyring.errors.KeyringLocked("locked")

    monkeypatch.setattr(memory_keyring, "set_password", locked)
    with pytest.raises(KeyringLocked, match="khóa"):
        secrets.set_password("vanthu", SECRET)


def test_R4_3_hanging_keyring_times_out(memory_keyring, monkeypatch):
    import threading

    monkeypatch.setattr(secrets, "TIMEOUT_S", 0.2)
    release = threading.Event()
    monkeypatch.setattr(memory_keyring, "get_password", lambda *a: release.wait(5))
    with pytest.raises(KeyringLocked):
        secrets.get_password("vanthu")
    release.set()


def test_R4_3_no_backend_is_refused(monkeypatch):
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailable, match="kho mật khẩu"):
            secrets.check_available()
    finally:
        keyring.set_keyring(previous)


def test_cli_add_reads_password_from_stdin_only(tmp_path, memory_keyring, monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    rc = cli_main(["account", "add", "vanthu", "--role", "agency", "--email", "vanthu@sotttt.camau.gov.vn",
                   "--imap", "127.0.0.1:993", "--smtp", "127.0.0.1:465", "--security", "ssl",
                   "--password-stdin", "--data-dir", str(tmp_path)])
    assert rc == 0
    assert memory_keyring.store[(secrets.SERVICE, "account:vanthu")] == SECRET
    capsys.readouterr()
    assert cli_main(["account", "list", "--json", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert '"vanthu@sotttt.camau.gov.vn"' in out and SECRET not in out


def test_cli_bad_host_is_one_sentence_exit_1(tmp_path, memory_keyring, monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    rc = cli_main(["account", "add", "x", "--role", "unit", "--email", "a@b.vn", "--imap", "nohost",
                   "--smtp", "h:25", "--security", "ssl", "--password-stdin", "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 1 and "không hợp lệ" in err and "Traceback" not in err


def test_cli_unknown_account_exit_1(tmp_path, memory_keyring, capsys):
    assert cli_main(["account", "remove", "nobody", "--data-dir", str(tmp_path)]) == 1
    assert "Không có hộp thư" in capsys.readouterr().err
