"""Tray notifications and the check scheduler in the window's process (R5).

Offscreen Qt has no system tray, so QSystemTrayIcon.showMessage is captured.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from camau_desk.schedule import VN_TZ

pytestmark = [pytest.mark.gui, pytest.mark.timeout(60)]

URGENT = {"id": 7, "account": "coquan", "subject": "Phòng chống bão số 3", "from_name": "Ban Chỉ huy PCTT",
          "urgency": "Hỏa tốc"}


@pytest.fixture
def shown(monkeypatch):
    from ui.qt import QSystemTrayIcon

    messages: list[tuple[str, str, object]] = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage",
                        lambda self, title, body, icon=None, ms=10000: messages.append((title, body, icon)))
    return messages


def test_R5_tray_menu_and_urgent_notification_content(qapp, shown):
    from ui.qt import QSystemTrayIcon
    from ui.tray import Tray

    tray = Tray()
    assert [a.text() for a in tray.menu.actions() if a.text()] == ["Kiểm tra ngay", "Mở cửa sổ", "Thoát"]
    tray.show_check_summary({"urgent": [URGENT], "kind": "on_time", "slot": "2025-03-03T07:00",
                             "mailboxes": [{"account": "coquan", "new": 4, "errors": []}]})
    title, body, icon = shown[-1]
    assert title == "Có 1 văn bản khẩn cần chuyển ngay"
    assert body.splitlines() == ["HỎA TỐC: Phòng chống bão số 3 (Ban Chỉ huy PCTT, coquan)", "coquan: 4 thư mới"]
    assert icon == QSystemTrayIcon.MessageIcon.Warning
    assert tray.show_urgent([{**URGENT, "urgency": None}]) is False
    assert tray.show_urgent([URGENT]) is True and shown[-1][1].startswith("HỎA TỐC")

    fired = []
    tray.check_now.connect(lambda: fired.append("check"))
    tray.act_check.trigger()
    assert fired == ["check"]


def test_R5_scheduler_runs_missed_check_late_and_tray_shows_it(qtbot, qapp, shown, tmp_path, memory_keyring):
    from camau_desk import accounts
    from camau_desk.accounts import Account
    from camau_desk.paths import Profile
    from camau_desk.store import open_db
    from ui.scheduler import CheckScheduler
    from ui.session import Session
    from ui.tray import Tray

    profile = Profile.at(tmp_path / "p").ensure()
    db = open_db(profile.db_path)
    accounts.add_account(db, Account(name="coquan", role="agency", email="vt@camau.gov.vn", imap_host="127.0.0.1",
                                     imap_port=993, smtp_host="127.0.0.1", smtp_port=465, security="ssl"), "pw")
    db.conn.close()

    def fake_sync(db, blobs, account, **_kw):
        from camau_desk.mail.store import ensure_folder, store_message
        from camau_desk.mail.sync import SyncResult
        from camau_desk.store.db import transaction

        raw = ("From: pctt@camau.gov.vn\r\nSubject: =?utf-8?b?" + __import__("base64").b64encode(
            "HỎA TỐC: Phòng chống bão số 3".encode()).decode() + "?=\r\nMessage-ID: <b3@camau.gov.vn>\r\n\r\nx\r\n")
        with transaction(db):
            fid = ensure_folder(db, account.name, "INBOX", "inbox")
            store_message(db, blobs, account.name, fid, raw.encode())
        return SyncResult(account=account.name, new=1)

    session = Session(profile)
    with qtbot.waitSignal(session.ready, timeout=10000):
        session.open()
    tray = Tray()
    sched = CheckScheduler(session, clock=lambda: datetime(2025, 3, 3, 13, 40, tzinfo=VN_TZ), sync=fake_sync)
    sched.finished.connect(tray.show_check_summary)
    with qtbot.waitSignal(sched.finished, timeout=10000) as blocker:
        sched.start()
    result = blocker.args[0]
    assert result.kind == "late" and result.slot == "2025-03-03T13:00"
    assert result.missed == ["2025-03-03T07:00", "2025-03-03T09:00"]
    assert shown[-1][0] == "Có 1 văn bản khẩn cần chuyển ngay"
    assert shown[-1][1].splitlines()[-1] == "coquan: 1 thư mới"
    sched.tick()  # nothing due any more: no second run
    qtbot.waitUntil(lambda: not sched.busy, timeout=5000)
    check = open_db(profile.db_path)
    assert check.execute("SELECT COUNT(*) FROM check_runs").fetchone()[0] == 3  # 2 missed + 1 late
    check.conn.close()
    sched.stop()
    session.close()
