"""List paging, executors, single instance."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def _rows(n):
    return [{"id": i, "subject": f"Thư {i:05}", "received_at": "2026-11-20T08:00:00+07:00", "flags": ["\\Seen"]}
            for i in range(n)]


def test_list_model_fetches_pages_lazily(qapp):
    from ui.models import MessageListModel
    from ui.qt import QModelIndex

    data = {r["id"]: r for r in _rows(1000)}
    calls = []

    def fetch(ids):
        calls.append(len(ids))
        return [data[i] for i in ids]

    model = MessageListModel()
    first = [data[i] for i in range(200)]
    model.show_rows(first)  # the first page paints before the order is known
    assert model.rowCount() == 200 and not model.canFetchMore(QModelIndex()) and not model.complete
    model.set_order(list(range(1000)), fetch)  # prefix matches: nothing reloaded
    assert calls == [] and model.total == 1000 and model.rowCount() == 200
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400 and calls == [200]
    for _ in range(10):
        if model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
    assert model.rowCount() == 1000 and not model.canFetchMore(QModelIndex())
    model.set_order(list(reversed(range(1000))), fetch)  # another order: reset, first page
    assert model.rowCount() == 200 and model.row_dict(0)["id"] == 999


def test_list_model_sort_asks_for_a_new_order(qapp, qtbot):
    from ui.models import MessageListModel
    from ui.qt import Qt

    model = MessageListModel()
    with qtbot.waitSignal(model.sortRequested) as sig:
        model.sort(2, Qt.SortOrder.AscendingOrder)
    assert sig.args == ["subject", False]
    with qtbot.waitSignal(model.sortRequested) as sig:
        model.sort(5, Qt.SortOrder.AscendingOrder)  # Số đến: sorted in SQL (year, number)
    assert sig.args == ["so_den", False]
    with qtbot.assertNotEmitted(model.sortRequested):
        model.sort(6, Qt.SortOrder.AscendingOrder)  # Trạng thái: not sortable


def test_list_model_register_columns(qapp):
    """Số đến "123/2026" (pending: "chờ cấp số"; cancelled: empty) and the status label."""
    from ui.models import MessageListModel, so_den_text

    assert so_den_text({"so_den": 123, "reg_year": 2026, "reg_status": "presented"}) == "123/2026"
    assert so_den_text({"so_den": 7, "reg_year": 2026, "reg_status": "cancelled"}) == ""
    assert so_den_text({}) == ""
    model = MessageListModel()
    model.show_rows([{"id": 1, "so_den": 123, "reg_year": 2026, "reg_status": "presented", "flags": []}])
    assert model.data(model.index(0, 5)) == "123/2026"
    assert model.data(model.index(0, 6)) in ("Presented", "Đã trình")


def test_list_model_view_scroll_fetches_more(qapp, qtbot):
    from ui.models import MessageListModel
    from ui.qt import QTableView

    data = _rows(2000)
    model = MessageListModel()
    model.set_order([r["id"] for r in data], lambda ids: [data[i] for i in ids])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    assert model.rowCount() == 200
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 200, timeout=3000)


def test_tasks_deliver_results_progress_errors_and_cancel(qapp, qtbot):
    import threading

    from ui.qt import QThread
    from ui.tasks import Cancelled, TaskRunner

    runner = TaskRunner()
    gui_thread = QThread.currentThread()
    seen = {}

    def work(ctx, x):
        seen["thread"] = threading.current_thread().name
        ctx.progress(1, 2, "nửa")
        return x * 2

    progress, results, errors = [], [], []
    runner.db(work, 21, on_progress=lambda *a: progress.append(a), on_result=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [42] and progress == [(1, 2, "nửa")]
    assert seen["thread"] != threading.current_thread().name
    assert QThread.currentThread() is gui_thread

    def boom(ctx):
        raise ValueError("hỏng")

    runner.net(boom, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValueError)

    gate = threading.Event()

    def slow(ctx):
        gate.wait(5)
        ctx.check()
        return "done"

    errors.clear()
    t = runner.db(slow, on_error=errors.append, on_result=results.append)
    t.cancel()
    gate.set()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Cancelled) and results == [42]
    assert runner.wait(5000)


def test_single_instance_second_launch_asks_first_to_raise(qapp, qtbot, tmp_path):
    import argparse

    from ui.app import ask_running_instance, instance_key, listen

    args = argparse.Namespace(demo=False, data_dir=str(tmp_path / "p"), lang=None)
    key = instance_key(args)
    assert key != instance_key(argparse.Namespace(demo=False, data_dir=str(tmp_path / "q"), lang=None))
    assert not ask_running_instance(key, 200)
    server = listen(key)
    got = []

    def on_conn():
        sock = server.nextPendingConnection()
        sock.readyRead.connect(lambda: got.append(bytes(sock.readAll())))

    server.newConnection.connect(on_conn)
    assert ask_running_instance(key, 1000)
    qtbot.waitUntil(lambda: bool(got), timeout=3000)
    assert got[0].startswith(b"raise")
    server.close()


def test_format_datetime_is_dd_mm_yyyy_hh_mm():
    from ui.models import format_datetime

    assert format_datetime("2026-11-20T08:05:00") == "20/11/2026 08:05"
    assert format_datetime(None) == ""


def test_R5_times_read_in_viet_nam_time_whatever_the_pc_zone():
    from ui.models import format_datetime

    assert format_datetime("2026-11-08T23:52:13+00:00") == "09/11/2026 06:52"
    assert format_datetime("2026-11-09T06:52:13+07:00") == "09/11/2026 06:52"


def test_first_page_walk_agrees_with_full_order(sample_profile):
    """views.first_page_ids (index walk) must be the prefix of views.message_ids (full sort)."""
    from camau_desk.mail import store, views
    from camau_desk.store.db import open_db

    db = open_db(sample_profile.db_path)
    try:
        inbox = next(f for f in store.folder_list(db) if f["role"] == "inbox")
        for include_spam in (True, False):
            for since, until in ((None, None), ("2026-11-20T08:02", "2026-11-20T08:06")):
                full = views.message_ids(db, folder=inbox["id"], include_spam=include_spam, since=since, until=until)
                first = views.first_page_ids(db, folder=inbox["id"], account=inbox["account"],
                                             include_spam=include_spam, since=since, until=until, limit=3)
                assert first == full[:3]
        rows = views.messages_by_ids(db, full, folder=inbox["id"])
        assert [r["id"] for r in rows] == full
        ref = {r["id"]: r for r in store.list_messages(db, folder=inbox["id"])}
        for r in rows:
            assert r["subject"] == ref[r["id"]]["subject"]
            assert r["attachment_count"] == ref[r["id"]]["attachment_count"]
            assert r["flags"] == ref[r["id"]]["flags"]
    finally:
        db.conn.close()
