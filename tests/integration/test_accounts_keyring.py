"""Accounts against the real Secret Service and the real Dovecot/SMTP (issue 2, R2.1, R4.3).

The suite runs inside ``dbus-run-session`` with an unlocked gnome-keyring (see
dev.py); CAMAU_TEST_SECRET_SERVICE=1 says it is there.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration


def _require_secret_service() -> None:
    if os.environ.get("CAMAU_TEST_SECRET_SERVICE") == "1":
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail("no Secret Service: run the suite through `python3 dev.py test`", pytrace=False)
    pytest.skip("no Secret Service (run through `python3 dev.py test`)")


def _cli(args: list[str], *, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=full_env, timeout=120)


def _add_args(name: str, dovecot, smtp, data_dir, user: str = "vanthu") -> list[str]:
    login, _password, address = dovecot.users[user]
    return ["account", "add", name, "--role", "agency", "--email", address,
            "--imap", f"127.0.0.1:{dovecot.imaps_port}", "--smtp", f"127.0.0.1:{smtp.smtps_port}",
            "--security", "ssl", "--ca-file", str(dovecot.ca_file), "--user", login,
            "--password-stdin", "--data-dir", str(data_dir)]


def _users():
    from tests.servers.dovecot import USERS

    return USERS


def _files_containing(root, needle: bytes) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and needle in path.read_bytes():
            hits.append(str(path))
    return hits


def test_R4_3_secret_service_round_trip():
    _require_secret_service()
    import keyring

    from camau_desk import secrets

    backend = type(keyring.get_keyring())
    assert "SecretService" in backend.__name__ or "chainer" in backend.__module__
    secrets.set_password("it-roundtrip", "Mật-khẩu-thử-1")
    assert secrets.get_password("it-roundtrip") == "Mật-khẩu-thử-1"
    secrets.delete_password("it-roundtrip")
    assert secrets.get_password("it-roundtrip") is None


def test_R2_1_R4_3_account_add_and_test_against_real_servers(dovecot, smtp_server, tmp_path):
    _require_secret_service()
    data_dir = tmp_path / "ws1"
    password = _users()["vanthu"].password
    args = _add_args("vanthu", dovecot, smtp_server, data_dir)
    assert password not in " ".join(args)  # the password never travels in argv
    added = _cli(args, stdin=password + "\n")
    assert added.returncode == 0, added.stderr
    tested = _cli(["account", "test", "vanthu", "--json", "--data-dir", str(data_dir)])
    assert tested.returncode == 0, tested.stderr + tested.stdout
    assert '"imap": "ok"' in tested.stdout and '"smtp": "ok"' in tested.stdout
    # afterwards the password is in no file under the data dir, logs included
    assert _files_containing(data_dir, password.encode()) == []
    assert password not in added.stdout + added.stderr + tested.stdout + tested.stderr
    removed = _cli(["account", "remove", "vanthu", "--data-dir", str(data_dir)])
    assert removed.returncode == 0, removed.stderr


def test_R2_1_wrong_password_is_reported_plainly(dovecot, smtp_server, tmp_path):
    _require_secret_service()
    data_dir = tmp_path / "ws2"
    assert _cli(_add_args("sai", dovecot, smtp_server, data_dir), stdin="khong-dung\n").returncode == 0
    tested = _cli(["account", "test", "sai", "--data-dir", str(data_dir)])
    assert tested.returncode == 1
    assert "sai tên đăng nhập hoặc mật khẩu" in tested.stdout
    assert "Traceback" not in tested.stderr and "khong-dung" not in tested.stdout + tested.stderr
    _cli(["account", "remove", "sai", "--data-dir", str(data_dir)])


def test_R2_1_untrusted_certificate_is_refused(dovecot, smtp_server, tmp_path):
    """Without the test CA, the server's certificate must not be accepted."""
    _require_secret_service()
    data_dir = tmp_path / "ws3"
    args = _add_args("noca", dovecot, smtp_server, data_dir)
    i = args.index("--ca-file")
    del args[i:i + 2]
    assert _cli(args, stdin=_users()["vanthu"].password + "\n").returncode == 0
    tested = _cli(["account", "test", "noca", "--data-dir", str(data_dir)])
    assert tested.returncode == 1
    assert "Chứng chỉ" in tested.stdout
    _cli(["account", "remove", "noca", "--data-dir", str(data_dir)])


def test_R4_3_no_keyring_backend_clear_error_nothing_written(tmp_path):
    data_dir = tmp_path / "nokeyring"
    result = _cli(
        ["account", "add", "x", "--role", "agency", "--email", "x@camau.gov.vn", "--imap", "127.0.0.1:993",
         "--smtp", "127.0.0.1:465", "--security", "ssl", "--password-stdin", "--data-dir", str(data_dir)],
        stdin="bi-mat-123\n", env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert result.returncode == 1
    assert "kho mật khẩu" in result.stderr
    assert "Traceback" not in result.stderr
    assert not data_dir.exists()


def test_password_option_does_not_exist():
    result = _cli(["account", "add", "x", "--password", "abc"])
    assert result.returncode == 2
