"""The main window driven on real profiles (issue 4, issue 2 window side)."""

from __future__ import annotations

import pytest

from tests.gui.conftest import find_row, reloaded, wait_message
from tests.gui.sample_mail import PDF_BYTES

pytestmark = pytest.mark.gui


def _demo_visible_count(profile) -> int:
    from camau_desk.mail import store
    from camau_desk.store.db import open_db

    db = open_db(profile.db_path)
    try:
        inbox = next(f["id"] for f in store.folder_list(db) if f["role"] == "inbox")
        return store.count_messages(db, folder=inbox, include_spam=False)
    finally:
        db.conn.close()


def test_R1_demo_window_screenshot_title_and_count(open_window, demo_profile, output_dir):
    """--demo: the window shows the demo inbox (spam hidden), with the Vietnamese demo title."""
    window = open_window(demo_profile, demo=True)
    assert window.windowTitle() == "Cà Mau Desk – Dữ liệu mẫu"
    assert window.stack.currentWidget() is window.main_split
    expected = _demo_visible_count(demo_profile)
    assert expected >= 20
    assert window.model.total == expected
    assert window.count_label.text() == f"{expected} thư"
    window.resize(1280, 800)
    image = window.grab()
    path = output_dir / "main_window_demo.png"
    assert image.save(str(path))
    assert path.stat().st_size > 10_000


def test_R6_2_choose_folder_read_body_and_save_attachment(open_window, sample_profile, qtbot, tmp_path):
    """Select mailbox + folder, read a message, save its attachment byte-identical."""
    window = open_window(sample_profile)
    with reloaded(qtbot, window):
        assert window.select_folder("Văn thư Sở", "sent")
    assert window.model.total == 1
    with reloaded(qtbot, window):
        assert window.select_folder("Văn thư Sở", "inbox")
    row = find_row(window, "Công văn số 123/UBND-VP")
    wait_message(qtbot, window, row)
    pane = window.reading
    assert pane.subject.text() == "Công văn số 123/UBND-VP về việc báo cáo quý IV"
    assert "Đề nghị báo cáo trước ngày 30/11." in pane.body.toPlainText()
    assert "UBND tỉnh Cà Mau" in pane.headers.text()
    assert pane.attachments.count() == 1
    assert pane.attachments.item(0).text().startswith("Công văn 123-UBND-VP.pdf")
    assert pane.attachments_title.text() == "Đính kèm (1)"
    target = tmp_path / "saved.pdf"
    with qtbot.waitSignal(pane.saved, timeout=10000):
        pane.save_attachment(0, target)
    assert target.read_bytes() == PDF_BYTES
    out = tmp_path / "all"
    with qtbot.waitSignal(pane.saved, timeout=10000):
        pane.save_all_to(out)
    assert [p.read_bytes() for p in out.iterdir()] == [PDF_BYTES]


def test_attachment_drag_out_gives_file_urls(open_window, sample_profile, qtbot):
    window = open_window(sample_profile)
    wait_message(qtbot, window, find_row(window, "Công văn số 123"))
    lst = window.reading.attachments
    data = lst.mimeData([lst.item(0)])
    urls = data.urls()
    assert len(urls) == 1 and urls[0].isLocalFile()
    from pathlib import Path

    assert Path(urls[0].toLocalFile()).read_bytes() == PDF_BYTES


def test_risky_attachment_warns_and_is_not_opened_when_refused(open_window, sample_profile, qtbot, monkeypatch):
    import ui.reading as reading

    asked, opened = [], []
    monkeypatch.setattr(reading.ReadingPane, "confirm_risky", lambda self, name: asked.append(name) or False)
    monkeypatch.setattr(reading.QDesktopServices, "openUrl", lambda url: opened.append(url))
    window = open_window(sample_profile)
    wait_message(qtbot, window, find_row(window, "Tệp đáng ngờ"))
    window.reading.open_attachment(0)
    assert asked == ["hoa_don.exe"]
    qtbot.wait(200)
    assert opened == []
    # a PDF opens without a question, through the OS (after a copy to a temp folder)
    wait_message(qtbot, window, find_row(window, "Công văn số 123"))
    window.reading.open_attachment(0)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert asked == ["hoa_don.exe"]
    from pathlib import Path

    assert Path(opened[0].toLocalFile()).read_bytes() == PDF_BYTES


def test_R7_1a_1_spam_hidden_by_default_shown_on_request(open_window, sample_profile, qtbot):
    """Spam (X-Spam-Flag) is hidden in the inbox unless 'Hiện thư rác'; the spam folder shows its own."""
    window = open_window(sample_profile)
    subjects = lambda: [window.model.row_dict(r)["subject"] for r in range(window.model.rowCount())]  # noqa: E731
    assert not window.filter_spam.isChecked()
    assert window.model.total == 9
    assert "Khuyến mãi lớn cuối năm" not in subjects()
    with reloaded(qtbot, window):
        window.filter_spam.setChecked(True)
    assert window.model.total == 10
    assert "Khuyến mãi lớn cuối năm" in subjects()
    with reloaded(qtbot, window):
        window.filter_spam.setChecked(False)
    with reloaded(qtbot, window):
        assert window.select_folder("Văn thư Sở", "junk")
    assert subjects() == ["Trúng thưởng"]


def test_sort_by_columns_uses_the_query(open_window, sample_profile, qtbot):
    from ui.qt import Qt

    window = open_window(sample_profile)
    model = window.model
    with reloaded(qtbot, window):
        window.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # subject
    subj = [model.row_dict(r)["subject"] for r in range(model.rowCount())]
    assert subj == sorted(subj, key=str.casefold) or subj[0].startswith("Bản tin")
    with reloaded(qtbot, window):
        window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    dates = [model.row_dict(r)["received_at"] for r in range(model.rowCount())]
    assert dates == sorted(dates)
    with reloaded(qtbot, window):
        window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [model.row_dict(r)["received_at"] for r in range(model.rowCount())] == sorted(dates, reverse=True)
    with reloaded(qtbot, window):
        window.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    senders = [model.row_dict(r)["from_name"] for r in range(model.rowCount())]
    assert senders[0] == "Văn phòng UBND tỉnh"
    # not sortable yet: nothing changes, nothing breaks
    before = [model.row_dict(r)["id"] for r in range(model.rowCount())]
    model.sort(5, Qt.SortOrder.AscendingOrder)
    assert [model.row_dict(r)["id"] for r in range(model.rowCount())] == before


def test_date_range_filter(open_window, sample_profile, qtbot):
    from ui.qt import QDate

    window = open_window(sample_profile)
    index = window.filter_range.findData("custom")
    with reloaded(qtbot, window):
        window.filter_range.setCurrentIndex(index)
    assert window.date_from.isVisible()
    with reloaded(qtbot, window):
        window.date_from.setDate(QDate(2026, 11, 20))
    with reloaded(qtbot, window):
        window.date_to.setDate(QDate(2026, 11, 20))
    assert window.model.total == 9  # all sample inbox mail arrived on 20/11/2026 (internaldate)
    with reloaded(qtbot, window):
        window.date_from.setDate(QDate(2026, 11, 21))
    with reloaded(qtbot, window):
        window.date_to.setDate(QDate(2026, 11, 30))
    assert window.model.total == 0
    with reloaded(qtbot, window):
        window.filter_range.setCurrentIndex(window.filter_range.findData("all"))
    assert window.model.total == 9


def test_unread_bold_and_urgent_highlighted(open_window, sample_profile):
    from ui.models import URGENT_BACKGROUND
    from ui.qt import Qt

    window = open_window(sample_profile)
    model = window.model
    urgent = find_row(window, "HỎA TỐC")
    bg = model.data(model.index(urgent, 0), Qt.ItemDataRole.BackgroundRole)
    assert bg is not None and bg.color() == URGENT_BACKGROUND
    assert model.data(model.index(urgent, 4)) == "Hỏa tốc"
    for r in range(model.rowCount()):
        font = model.data(model.index(r, 2), Qt.ItemDataRole.FontRole)
        seen = "\\Seen" in model.row_dict(r)["flags"]
        assert (font is not None and font.bold()) == (not seen)
    assert model.data(model.index(0, 0)).count("/") == 2  # dd/MM/yyyy HH:mm
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Ngày nhận"


def test_folder_tree_roles_icons_and_unread(open_window, sample_profile):
    window = open_window(sample_profile)
    top = window.tree.topLevelItem(0)
    assert top.text(0) == "Văn thư Sở"
    labels = [top.child(i).text(0) for i in range(top.childCount())]
    assert labels[0] == "Hộp thư đến (6)"
    assert "Thư rác (1)" in labels and "Đã gửi" in labels
    assert all(not top.child(i).icon(0).isNull() for i in range(top.childCount()))
    assert not top.icon(0).isNull()
    assert "Kiểm tra lần cuối" in window.last_check.text()


def test_inline_cid_image_is_served_from_the_message(open_window, sample_profile, qtbot):
    window = open_window(sample_profile)
    wait_message(qtbot, window, find_row(window, "Bản tin tuần"))
    body = window.reading.body
    assert "logo1" in body.parts
    assert "Xin chào" in body.toPlainText()
    assert not any(u.startswith("cid:") for u in body.blocked)


def test_view_source_dialog_shows_raw(open_window, sample_profile, qtbot):
    from ui.reading import SourceDialog

    window = open_window(sample_profile)
    wait_message(qtbot, window, find_row(window, "Giấy mời"))
    assert window.act_source.isEnabled()
    window.act_source.trigger()
    dialogs = [w for w in window.findChildren(SourceDialog)]
    assert dialogs and "Message-ID:" in dialogs[-1].text.toPlainText()
    assert dialogs[-1].windowTitle() == "Mã nguồn thư"
    dialogs[-1].close()


def test_coming_soon_actions_are_disabled_with_tooltip(open_window, demo_profile):
    """Every feature has landed: no action is left as a disabled "Sắp có" placeholder."""
    window = open_window(demo_profile, demo=True)
    assert [a.text() for a in window.actions() if a.property("coming")] == []
    assert not window.act_leader.isEnabled()  # nothing registered is selected
    assert window.act_leader.toolTip() != "Sắp có"
    # the demo has no server: Đồng bộ cannot do anything, so it is disabled too
    assert not window.act_sync.isEnabled()
    assert window.act_sync.shortcut().toString() == "F5"
    assert window.act_register.shortcut().toString() == "Ctrl+R"
    assert window.act_search.shortcut().toString() == "Ctrl+F"
    assert window.filter_unregistered.isEnabled()  # "Chưa vào sổ" is real (register landed)


def test_first_run_page_when_no_account(open_window, tmp_path):
    from camau_desk.paths import Profile

    window = open_window(Profile.at(tmp_path / "empty"))
    assert window.stack.currentWidget() is window.welcome_page
    assert window.welcome_add.text() == "Thêm hộp thư"
    assert window.welcome_demo.text() == "Mở dữ liệu mẫu"


def test_error_banner_shows_vietnamese_message_and_detail(open_window, sample_profile):
    from camau_desk.errors import MailError

    window = open_window(sample_profile)
    window.banner.show_exception(MailError("Máy chủ không trả lời.", detail="TimeoutError: 30 s"))
    assert window.banner.isVisible()
    assert window.banner.label.text() == "Máy chủ không trả lời."
    assert not window.banner.detail.isVisible()
    window.banner.details_button.click()
    assert window.banner.detail.isVisible()
    assert window.banner.detail.toPlainText() == "TimeoutError: 30 s"
    assert window.banner.details_button.text() == "Chi tiết"


def test_window_state_saved_in_settings(open_window, sample_profile):
    window = open_window(sample_profile)
    window.save_state()
    keys = set(window.settings.allKeys())
    assert {"geometry", "mainSplit", "listSplit", "columns"} <= keys


def test_risky_question_is_vietnamese_and_defaults_to_not_opening(open_window, sample_profile):
    from ui.qt import QApplication, QTimer

    window = open_window(sample_profile)
    seen = {}

    def answer():
        box = QApplication.activeModalWidget()
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        seen["default"] = box.defaultButton().text()
        seen["text"] = box.text()
        box.defaultButton().click()

    QTimer.singleShot(300, answer)
    assert window.reading.confirm_risky("hoa_don.exe") is False
    assert seen["buttons"] == ["Không mở", "Vẫn mở"]
    assert seen["default"] == "Không mở"
    assert "“hoa_don.exe” là chương trình hoặc tập lệnh" in seen["text"]


def test_R2_first_run_open_demo_button_switches_to_demo(open_window, tmp_path, qtbot, monkeypatch):
    import camau_desk.demo as demo
    from camau_desk.paths import Profile

    real = demo.create_demo_profile
    monkeypatch.setattr(demo, "create_demo_profile", lambda base=None: real(tmp_path / "demo-from-button"))
    window = open_window(Profile.at(tmp_path / "empty"))
    with qtbot.waitSignals([window.session_ready, window.list_ready], timeout=30000):
        window.welcome_demo.click()
    assert window.windowTitle() == "Cà Mau Desk – Dữ liệu mẫu"
    assert window.stack.currentWidget() is window.main_split
    assert window.model.total > 20
