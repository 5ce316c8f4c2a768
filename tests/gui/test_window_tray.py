"""The tray and the check scheduler wired into the main window (R5).

Offscreen Qt has no system tray: QSystemTrayIcon.showMessage is captured.
"""

from __future__ import annotations

import base64
from datetime import datetime

import pytest

from camau_desk.schedule import VN_TZ

pytestmark = [pytest.mark.gui, pytest.mark.timeout(90)]

URGENT_SUBJECT = "HỎA TỐC: Phòng chống bão số 3"


@pytest.fixture
def shown(monkeypatch):
    from ui.qt import QSystemTrayIcon

    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage",
                        lambda self, title, body, icon=None, ms=10000: messages.append((title, body)))
    return messages


@pytest.fixture
def agency_profile(tmp_path, memory_keyring):
    from camau_desk import accounts
    from camau_desk.accounts import Account
    from camau_desk.paths import Profile
    from camau_desk.store import open_db

    profile = Profile.at(tmp_path / "p").ensure()
    db = open_db(profile.db_path)
    accounts.add_account(db, Account(name="coquan", role="agency", email="vt@camau.gov.vn", imap_host="127.0.0.1",
                                     imap_port=993, smtp_host="127.0.0.1", smtp_port=465, security="ssl"), "pw")
    db.conn.close()
    return profile


def fake_sync(db, blobs, account, **_kw):
    """Stores one HỎA TỐC message, as a sync from the server would."""
    from camau_desk.mail.store import ensure_folder, store_message
    from camau_desk.mail.sync import SyncResult
    from camau_desk.store.db import transaction

    subject = base64.b64encode(URGENT_SUBJECT.encode()).decode()
    raw = (f"From: pctt@camau.gov.vn\r\nSubject: =?utf-8?b?{subject}?=\r\nMessage-ID: <b3@camau.gov.vn>\r\n"
           "\r\nx\r\n")
    with transaction(db):
        fid = ensure_folder(db, account.name, "INBOX", "inbox")
        store_message(db, blobs, account.name, fid, raw.encode())
    return SyncResult(account=account.name, new=1)


def _window(qtbot, tmp_path, profile, scheduler: bool):
    from ui.main_window import MainWindow
    from ui.qt import QSettings
    from ui.scheduler import CheckScheduler

    window = MainWindow(settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    window.start_scheduler = scheduler
    window.live.idle_enabled = window.live.mirror_enabled = False  # no IDLE to 127.0.0.1:993 (test_live.py)
    window.scheduler_factory = lambda session: CheckScheduler(
        session, window, clock=lambda: datetime(2025, 3, 3, 13, 40, tzinfo=VN_TZ), sync=fake_sync)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.session_ready, timeout=20000):
        window.open_profile(profile)
    return window


def test_R5_window_runs_the_scheduler_and_the_tray_shows_the_check(vi_app, qtbot, tmp_path, agency_profile, shown):
    window = _window(qtbot, tmp_path, agency_profile, scheduler=True)
    assert window.tray is not None and window.scheduler is not None and window.scheduler.timer.isActive()
    assert [a.text() for a in window.tray.menu.actions() if a.text()] == ["Kiểm tra ngay", "Mở cửa sổ", "Thoát"]
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)  # the missed 07:00/09:00/13:00 checks run late at start
    assert shown[-1][0] == "Có 1 văn bản khẩn cần chuyển ngay"
    qtbot.waitUntil(lambda: not window.scheduler.busy, timeout=10000)
    n = len(shown)
    with qtbot.waitSignal(window.scheduler.finished, timeout=20000):
        window.tray.act_check.trigger()  # "Kiểm tra ngay": a manual check through the same worker
    qtbot.waitUntil(lambda: len(shown) > n, timeout=5000)
    window.quitting = True
    window.close()
    assert not window.scheduler.timer.isActive()


def test_R5_urgent_notification_after_f5_sync(vi_app, qtbot, tmp_path, agency_profile, shown, monkeypatch):
    from camau_desk.mail import sync

    monkeypatch.setattr(sync, "sync_account", fake_sync)
    window = _window(qtbot, tmp_path, agency_profile, scheduler=False)
    assert window.scheduler is None and window.act_sync.isEnabled()
    with qtbot.waitSignal(window.urgent_arrived, timeout=20000) as blocker:
        window.start_sync()
    assert [r["subject"] for r in blocker.args[0]] == [URGENT_SUBJECT]
    assert shown and shown[-1][1].startswith("HỎA TỐC")


def test_R5_close_minimises_to_tray_when_the_setting_is_on(vi_app, qtbot, tmp_path, agency_profile, shown,
                                                           monkeypatch):
    from ui.tray import Tray

    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))
    window = _window(qtbot, tmp_path, agency_profile, scheduler=False)
    assert window.minimize_to_tray_enabled()  # default on
    window.close()
    assert not window.isVisible() and window.session is not None and window.session.ui_db is not None
    assert shown[-1][0] == "Cà Mau Desk vẫn đang chạy"
    window.tray.open_window.emit()
    assert window.isVisible()
    window.quitting = True  # the tray's "Thoát"
    window.close()
    assert not window.isVisible() and window.session.ui_db is None
