"""Files waiting in "Hộp gửi đi" are offered when the window opens, until sent or dismissed (R6.2, issue 7).

The offers are recorded before the window opens (a rescan, as when the
program was closed while the clerk dropped the files); the mirror watcher
stays off so that only the start-up read can show them.
"""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.timeout(90)]


def _drop(profile, *files: tuple[str, bytes]):
    """Put files into the outbox folder and record them with a rescan, as the watcher did before."""
    from camau_desk.archive.mirror import OUTBOX_DIR, mirror_root
    from camau_desk.archive.watcher import rescan
    from camau_desk.store.db import open_db

    db = open_db(profile.db_path)
    try:
        out = mirror_root(db, profile.default_mirror_dir) / OUTBOX_DIR
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files:
            (out / name).write_bytes(data)
            rescan(db, out.parent, stable_seconds=0)
    finally:
        db.conn.close()
    return out


def _statuses(profile) -> dict[str, str]:
    from camau_desk.store.db import open_db

    db = open_db(profile.db_path)
    try:
        return {r[0].split("/", 1)[1]: r[1] for r in db.execute("SELECT path, status FROM outbox_offers")}
    finally:
        db.conn.close()


def test_R6_2_offer_recorded_before_the_window_opened_is_shown_and_sending_marks_it_sent(open_window, demo_profile,
                                                                                           qtbot):
    out = _drop(demo_profile, ("Báo cáo tháng 3.pdf", b"%PDF-1.4 bao cao\n"))
    window = open_window(demo_profile, demo=True)
    assert window.live.mirror_watcher is None
    qtbot.waitUntil(lambda: window.offer_banner.isVisible(), timeout=10000)
    assert window.offer_banner.label.text() == "Có tệp mới trong Hộp gửi đi: Báo cáo tháng 3.pdf. Gửi đi?"
    window.offer_banner.send_button.click()
    dialog = window.leader_ui.compose
    assert dialog.attachment_paths() == [str(out / "Báo cáo tháng 3.pdf")]
    dialog.to.setText("giamdoc@camau.gov.vn")
    dialog.subject.setText("Báo cáo tháng 3")
    with qtbot.waitSignal(dialog.sent, timeout=15000):
        dialog.send_button.click()
    qtbot.waitUntil(lambda: _statuses(demo_profile) == {"Báo cáo tháng 3.pdf": "sent"}, timeout=10000)
    qtbot.wait(300)  # the refresh after marking found nothing more to offer
    assert not window.offer_banner.isVisible()


def test_R6_2_dismissed_offer_is_cancelled_and_the_next_one_follows_a_vanished_file_is_not_offered(
        open_window, demo_profile, qtbot):
    out = _drop(demo_profile, ("Tờ trình.docx", b"PK docx"), ("Đã xóa.pdf", b"%PDF gone"),
                ("Kế hoạch.pdf", b"%PDF ke hoach"))
    os.remove(out / "Đã xóa.pdf")  # deleted while the program was closed
    window = open_window(demo_profile, demo=True)
    qtbot.waitUntil(lambda: window.offer_banner.isVisible(), timeout=10000)
    assert window.offer_banner.path == str(out / "Kế hoạch.pdf")  # the newest first
    window.offer_banner.dismiss_button.click()
    qtbot.waitUntil(lambda: window.offer_banner.path == str(out / "Tờ trình.docx")
                    and window.offer_banner.isVisible(), timeout=10000)
    assert _statuses(demo_profile) == {"Tờ trình.docx": "offered", "Đã xóa.pdf": "offered",
                                       "Kế hoạch.pdf": "cancelled"}
    # "Gửi đi", then the compose window closed without sending: the file is offered again
    window.offer_banner.send_button.click()
    assert not window.offer_banner.isVisible()
    window.leader_ui.compose.reject()
    qtbot.waitUntil(lambda: window.offer_banner.isVisible(), timeout=10000)
    assert window.offer_banner.path == str(out / "Tờ trình.docx")
    assert _statuses(demo_profile)["Tờ trình.docx"] == "offered"


def test_R6_2_offered_file_removed_while_shown_leaves_the_banner(open_window, demo_profile, qtbot):
    out = _drop(demo_profile, ("Tờ trình.docx", b"PK docx"))
    window = open_window(demo_profile, demo=True)
    qtbot.waitUntil(lambda: window.offer_banner.isVisible(), timeout=10000)
    (out / "Tờ trình.docx").unlink()
    window.live.mirror_root = out.parent  # as when the mirror watcher runs (it is off in these tests)
    window.live._mirror_event({"type": "gone", "path": "Hộp gửi đi/Tờ trình.docx"})  # what the watcher reports
    qtbot.waitUntil(lambda: window.offer_banner.isHidden(), timeout=5000)
    qtbot.wait(300)  # the refresh after it found nothing more to offer
    assert window.offer_banner.isHidden()
