"""What runs while the window is open: IDLE -> sync, the watched outbox folder, the outbox flush (issues 3, 7, 8).

The IDLE watcher and the flush are replaced by fakes (the real ones are
tested in tests/integration); the mirror watcher is the real one on the demo
profile's mirror.
"""

from __future__ import annotations

import threading

import pytest

from tests.gui.test_window_tray import agency_profile  # noqa: F401 - fixture

pytestmark = [pytest.mark.gui, pytest.mark.timeout(90)]


class FakeWatcher:
    """Stands in for IdleWatcher: records its arguments, calls nothing until the test does."""

    made: list[FakeWatcher] = []

    def __init__(self, account, on_new, stop_event) -> None:
        self.account, self.on_new, self.stop_event = account, on_new, stop_event
        self.started = False
        FakeWatcher.made.append(self)

    def start(self) -> None:
        self.started = True

    def is_alive(self) -> bool:
        return False


@pytest.fixture
def fake_watchers():
    FakeWatcher.made = []
    return FakeWatcher.made


def _idle_setup(window) -> None:
    window.live.idle_enabled = True
    window.live.idle_factory = FakeWatcher
    window.live.debounce.setInterval(300)
    window.live.flush_enabled = False


def test_R4_1_idle_notifications_from_the_watcher_thread_make_one_sync(open_window, agency_profile, qtbot,  # noqa: F811
                                                                      fake_watchers, monkeypatch):
    """Issue 3/8: a burst of IDLE wake-ups (from the watcher's thread) is one start_sync on the GUI thread."""
    window = open_window(agency_profile, setup=_idle_setup)
    assert [w.account.name for w in fake_watchers] == ["coquan"] and fake_watchers[0].started
    calls: list[bool] = []
    on_gui = threading.main_thread
    monkeypatch.setattr(window, "start_sync", lambda: calls.append(threading.current_thread() is on_gui()))

    def burst() -> None:
        for _ in range(3):
            fake_watchers[0].on_new()

    t = threading.Thread(target=burst)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)
    qtbot.wait(600)  # longer than the debounce: no second sync
    assert calls == [True]
    stop = fake_watchers[0].stop_event
    window.close()
    assert stop.is_set()  # the watcher is told to stop when the window closes


def test_idle_not_started_for_the_demo(open_window, demo_profile, fake_watchers):
    open_window(demo_profile, demo=True, setup=_idle_setup)
    assert fake_watchers == []


def test_idle_watchers_stop_when_another_profile_opens(open_window, agency_profile, demo_profile, qtbot,  # noqa: F811
                                                      fake_watchers):
    window = open_window(agency_profile, setup=_idle_setup)
    stop = fake_watchers[0].stop_event
    with qtbot.waitSignal(window.session_ready, timeout=20000):
        window.open_profile(demo_profile, demo=True)
    assert stop.is_set() and len(fake_watchers) == 1


def test_R6_2_file_dropped_in_outbox_folder_offers_to_send_it(open_window, demo_profile, qtbot, tmp_path):
    """Issue 7: a file dropped into "Hộp gửi đi" of the mirror -> banner; "Gửi đi" opens compose with it attached."""

    def setup(window) -> None:
        window.live.mirror_enabled = True

    window = open_window(demo_profile, demo=True, setup=setup)
    qtbot.waitUntil(lambda: window.live.mirror_watcher is not None and window.live.mirror_watcher._ready.is_set(),
                    timeout=20000)
    from camau_desk.archive.mirror import OUTBOX_DIR

    out = window.live.mirror_root / OUTBOX_DIR
    out.mkdir(parents=True, exist_ok=True)
    staged = tmp_path / "Báo cáo tháng 3.pdf"
    staged.write_bytes(b"%PDF-1.4 test\n")
    staged.replace(out / staged.name)  # like Explorer: the file appears whole
    qtbot.waitUntil(lambda: window.offer_banner.isVisible(), timeout=20000)
    assert window.offer_banner.label.text() == "Có tệp mới trong Hộp gửi đi: Báo cáo tháng 3.pdf. Gửi đi?"
    window.offer_banner.send_button.click()
    dialog = window.leader_ui.compose
    assert dialog is not None and dialog.attachment_paths() == [str(out / staged.name)]
    assert not window.offer_banner.isVisible()
    dialog.reject()
    window.close()
    assert window.live.mirror_watcher is None


def test_outbox_flush_after_sync_and_waiting_count_in_status_bar(open_window, agency_profile, qtbot):  # noqa: F811
    """Issue 8: waiting messages are counted in the status bar; a flush runs on the db executor after a sync."""
    from camau_desk.accounts import get_account
    from camau_desk.mail import compose, outbox
    from camau_desk.store.db import open_db

    db = open_db(agency_profile.db_path)
    msg = compose.new_message(from_addr="vt@camau.gov.vn", to=["a@camau.gov.vn"], subject="Thử", body="x")
    outbox.enqueue(db, get_account(db, "coquan"), msg)
    db.conn.close()
    flushed: list[str] = []

    def flusher(wdb, _blobs, _data_dir):
        flushed.append(threading.current_thread().name)
        wdb.execute("UPDATE outbox SET status = 'sent'")
        return []

    def setup(window) -> None:
        window.live.flusher = flusher

    window = open_window(agency_profile, setup=setup)
    assert window.outbox_label.isVisible() and window.outbox_label.text() == "1 thư chờ gửi"
    assert window.live.flush_timer.isActive()
    with qtbot.waitSignal(window.live.flushed, timeout=10000) as blocker:
        window.live.after_sync()
    assert blocker.args == [0] and len(flushed) == 1 and flushed[0] != threading.main_thread().name
    assert not window.outbox_label.isVisible()
    window.live.after_sync()  # nothing waits: no flush at all
    qtbot.wait(200)
    assert len(flushed) == 1


def test_R2_1_refused_messages_are_counted_in_the_status_bar_after_a_restart(open_window, agency_profile, qtbot):  # noqa: F811
    """A forward refused while the window was closed must not go unnoticed at the next start."""
    from camau_desk.accounts import get_account
    from camau_desk.mail import compose, outbox
    from camau_desk.store.db import open_db

    db = open_db(agency_profile.db_path)
    account = get_account(db, "coquan")
    for subject in ("Một", "Hai"):
        msg = compose.new_message(from_addr="vt@camau.gov.vn", to=["a@camau.gov.vn"], subject=subject, body="x")
        outbox.enqueue(db, account, msg)
    db.execute("UPDATE outbox SET status = 'refused', last_error = '550 5.1.1 User unknown' WHERE subject = 'Hai'")
    db.conn.close()

    def setup(window) -> None:
        window.live.flusher = lambda *_a: []

    window = open_window(agency_profile, setup=setup)
    assert window.outbox_label.isVisible()
    assert window.outbox_label.text() == "1 thư chờ gửi · 1 thư bị máy chủ thư từ chối"
