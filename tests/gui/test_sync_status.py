"""Đồng bộ from the window: worker, status-bar progress, cancel, errors in the banner (R5)."""

from __future__ import annotations

import threading

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def remote_profile(sample_profile, memory_keyring):
    from camau_desk.accounts import Account, add_account
    from camau_desk.store.db import open_db

    db = open_db(sample_profile.db_path)
    add_account(db, Account(name="Hộp thư Sở", role="agency", email="vanthu@sotttt.camau.gov.vn",
                            imap_host="127.0.0.1", imap_port=993, smtp_host="127.0.0.1", smtp_port=465,
                            security="ssl"), "mat-khau")
    db.conn.close()
    return sample_profile


def _fake_sync(monkeypatch, *, errors=(), gate: threading.Event | None = None):
    import camau_desk.mail.sync as sync

    calls = []

    def fake(db, blobs, account, *, progress=None, cancel=None, **kw):
        calls.append((account.name, threading.current_thread().name))
        for i in range(3):
            progress(sync.SyncProgress(account.name, "INBOX", i, 3, 0, 0))
        while gate is not None and not gate.wait(0.02):
            if cancel():
                return sync.SyncResult(account=account.name, cancelled=True)
        return sync.SyncResult(account=account.name, new=2, errors=list(errors))

    monkeypatch.setattr(sync, "sync_account", fake)
    return calls


def test_R5_sync_runs_in_worker_with_progress_and_reports_online(open_window, remote_profile, qtbot, monkeypatch):
    gate = threading.Event()
    calls = _fake_sync(monkeypatch, gate=gate)
    window = open_window(remote_profile)
    assert window.act_sync.isEnabled()
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)
    assert window.state_label.text() == "Đang đồng bộ…"
    assert not window.progress.isHidden() and not window.cancel_button.isHidden()
    assert not window.act_sync.isEnabled()  # one sync at a time
    qtbot.waitUntil(lambda: window.progress.maximum() == 3, timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: window.state_label.text() == "Trực tuyến", timeout=5000)
    assert window.progress.isHidden() and window.cancel_button.isHidden()
    assert calls[0][0] == "Hộp thư Sở"
    assert calls[0][1] != threading.current_thread().name


def test_sync_can_be_cancelled(open_window, remote_profile, qtbot, monkeypatch):
    gate = threading.Event()
    calls = _fake_sync(monkeypatch, gate=gate)
    window = open_window(remote_profile)
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)
    window.cancel_button.click()
    qtbot.waitUntil(lambda: window.sync_task is None, timeout=5000)
    assert window.state_label.text() == "Ngoại tuyến"
    assert window.act_sync.isEnabled()


def test_sync_error_goes_to_the_banner(open_window, remote_profile, qtbot, monkeypatch):
    _fake_sync(monkeypatch, errors=["Máy chủ IMAP 127.0.0.1:993 không trả lời (hết thời gian chờ)."])
    window = open_window(remote_profile)
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
    assert "không trả lời" in window.banner.label.text()
    assert window.state_label.text() == "Ngoại tuyến"
