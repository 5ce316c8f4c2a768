"""'Thêm hộp thư': test login in a worker, then save through the keyring (R2.1, R4.3)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

PASSWORD = "Mật-khẩu-bí-mật-42"


def _fill(dialog) -> None:
    # setText, never qtbot.keyClicks: Vietnamese key clicks abort the process (ENVIRONMENT.md)
    dialog.name.setText("Hộp thư Sở")
    dialog.email.setText("vanthu@sotttt.camau.gov.vn")
    dialog.display_name.setText("Văn thư Sở TT&TT")
    dialog.imap_host.setText("mail.camau.gov.vn")
    dialog.smtp_host.setText("mail.camau.gov.vn")
    dialog.password.setText(PASSWORD)


def _dialog(window, checker):
    from ui.account_dialog import AccountDialog

    return AccountDialog(window.session.run_io, window.session.run_db, checker=checker, parent=window)


def test_R4_3_login_checked_then_saved_with_password_in_keyring_only(open_window, sample_profile, qtbot,
                                                                      memory_keyring, caplog):
    calls = []

    def checker(account, password):
        calls.append((account, password))
        return {"imap": "ok", "smtp": "ok"}

    window = open_window(sample_profile)
    window.login_checker = checker
    window.act_add_account.trigger()
    dialog = window.account_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Thêm hộp thư"
    _fill(dialog)
    assert dialog.imap_port.value() == 993 and dialog.smtp_port.value() == 465
    with qtbot.waitSignal(dialog.saved, timeout=10000) as blocker:
        dialog.save_button.click()
    account = blocker.args[0]
    assert account.name == "Hộp thư Sở" and account.role == "agency" and account.security == "ssl"
    assert calls and calls[0][1] == PASSWORD
    assert memory_keyring.store  # the password went to the keyring
    assert PASSWORD in memory_keyring.store.values()
    window.session.runner.wait()
    raw = sample_profile.db_path.read_bytes() + b"".join(
        p.read_bytes() for p in sample_profile.data_dir.glob("*.sqlite3-wal"))
    assert PASSWORD.encode() not in raw
    assert PASSWORD not in caplog.text
    qtbot.waitUntil(lambda: window.tree.topLevelItemCount() == 2, timeout=5000)


def test_failed_login_is_shown_and_nothing_saved(open_window, sample_profile, qtbot, memory_keyring):
    def checker(account, password):
        return {"imap": "Máy chủ IMAP mail.camau.gov.vn:993 từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu.",
                "smtp": "ok"}

    window = open_window(sample_profile)
    dialog = _dialog(window, checker)
    _fill(dialog)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "từ chối đăng nhập" in dialog.status.text(), timeout=10000)
    assert dialog.save_button.isEnabled()
    assert memory_keyring.store == {}
    from camau_desk.accounts import list_accounts

    assert [a.name for a in list_accounts(window.session.ui_db)] == ["Văn thư Sở"]


def test_invalid_input_is_refused_before_any_login(open_window, sample_profile, qtbot):
    calls = []
    window = open_window(sample_profile)
    dialog = _dialog(window, lambda a, p: calls.append(a) or {"imap": "ok", "smtp": "ok"})
    _fill(dialog)
    dialog.email.setText("khong-hop-le")
    dialog.save_button.click()
    assert "không hợp lệ" in dialog.status.text()
    dialog.email.setText("vanthu@sotttt.camau.gov.vn")
    dialog.password.setText("")
    dialog.save_button.click()
    assert dialog.status.text() == "Hãy nhập mật khẩu hộp thư."
    qtbot.wait(100)
    assert calls == []


def test_security_choice_sets_default_ports(open_window, sample_profile):
    window = open_window(sample_profile)
    dialog = _dialog(window, lambda a, p: {})
    dialog.security.setCurrentIndex(dialog.security.findData("starttls"))
    assert (dialog.imap_port.value(), dialog.smtp_port.value()) == (143, 587)
