"""The register in the window (issue 5): Vào sổ, Vào sổ văn bản giấy, Sổ văn bản đến.

All on the demo profile: its "Demo" agency account is local, so numbers come
from the local log (camau_desk.register.local_log) through the same service
as on a real server.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.gui.conftest import find_row, wait_message

pytestmark = pytest.mark.gui

VN = dt.timezone(dt.timedelta(hours=7))
YEAR = dt.datetime.now(VN).year
SO_DEN_COLUMN = 5


def _row(window, subject: str) -> int:
    """The row whose subject starts with ``subject`` (else contains it)."""
    for r in range(window.model.rowCount()):
        if (window.model.row_dict(r).get("subject") or "").startswith(subject):
            return r
    return find_row(window, subject)


def _open_register(qtbot, window, subject: str):
    wait_message(qtbot, window, _row(window, subject))
    assert window.act_register.isEnabled()
    window.act_register.trigger()
    dialog = window.register_ui.dialog
    assert dialog is not None and not dialog.paper
    qtbot.waitUntil(lambda: dialog.proposal is not None, timeout=15000)
    return dialog


def _confirm(qtbot, dialog) -> dict:
    assert dialog.confirm_button.isEnabled()
    with qtbot.waitSignal(dialog.registered, timeout=15000) as blocker:
        dialog.confirm_button.click()
    return blocker.args[0]


def _so_den_cell(window, subject: str) -> str:
    row = _row(window, subject)
    return window.model.data(window.model.index(row, SO_DEN_COLUMN))


def test_R7_1a_1_register_from_window_proposes_fields_and_numbers_1_then_2(open_window, demo_profile, qtbot):
    """Vào sổ on a demo công văn: proposed symbol/kind/trích yếu; số đến 1 in the list and the book; next gets 2."""
    window = open_window(demo_profile, demo=True)
    assert not window.act_register.isEnabled()  # nothing selected yet
    assert window.act_book.isEnabled() and window.act_register_paper.isEnabled()
    dialog = _open_register(qtbot, window, "Công văn số 4295/UBND-TH")
    form = dialog.form
    assert form.so_ky_hieu.text() == "4295/UBND-TH"
    assert form.loai.currentText() == "Công văn"
    assert "Quy chế sử dụng hệ thống thư điện tử công vụ" in form.trich_yeu.toPlainText()
    assert dialog.refusal.isHidden() and dialog.warnings.isHidden()
    assert dialog.attachment.isVisible() and dialog.attachment.count() == 2  # whole message, or its PDF
    qtbot.waitUntil(dialog.signatures.isVisible, timeout=15000)  # R3.3: PAdES verdict of the PDF
    assert ".pdf: Chưa ký số" in dialog.signatures.text()
    form.don_vi_nhan.setText("Phòng Công nghệ thông tin")
    entry = _confirm(qtbot, dialog)
    assert (entry["so_den"], entry["year"], entry["status"]) == (1, YEAR, "registered")
    assert entry["don_vi_nhan"] == "Phòng Công nghệ thông tin"
    assert entry["so_ky_hieu"] == "4295/UBND-TH"
    assert dialog.result.isVisible() and f"1/{YEAR}" in dialog.result.text()
    assert dialog.result.text().startswith("Số đến")
    assert _so_den_cell(window, "Công văn số 4295/UBND-TH") == f"1/{YEAR}"
    dialog.close_button.click()

    dialog2 = _open_register(qtbot, window, "Quyết định số 15/QĐ-UBND")
    assert dialog2.form.loai.currentText() == "Quyết định"
    entry2 = _confirm(qtbot, dialog2)
    assert entry2["so_den"] == 2
    assert _so_den_cell(window, "Quyết định số 15/QĐ-UBND") == f"2/{YEAR}"

    view = window.register_ui.show_register()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=15000)
    m = view.model
    assert [m.data(m.index(r, 1)) for r in range(2)] == ["1", "2"]
    assert m.data(m.index(0, 3)) == "4295/UBND-TH"
    assert m.data(m.index(0, 6)) == "Phòng Công nghệ thông tin"
    from ui.qt import Qt

    assert m.headerData(1, Qt.Orientation.Horizontal) == "(2) Số đến"
    # the saved file is opened by the OS
    opened = []
    import ui.register_view as rv

    view.select_number(YEAR, 1)
    assert view.open_button.isEnabled()
    orig = rv.open_url
    rv.open_url = lambda url: opened.append(url.toLocalFile()) or True
    try:
        assert view.open_selected()
    finally:
        rv.open_url = orig
    assert opened and opened[0].endswith(".pdf") and "0001 - 4295_UBND-TH" in opened[0]


def test_R3_2_secret_demo_message_is_refused_with_the_explanation(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    dialog = _open_register(qtbot, window, "MẬT - Báo cáo số 128")
    assert dialog.refusal.isVisible()
    assert "Mật" in dialog.refusal.text() and "Bảo vệ bí mật nhà nước" in dialog.refusal.text()
    assert not dialog.confirm_button.isEnabled()
    # even if the clerk clears the mark, the message's own mark stops it in the service
    dialog.form.do_mat.setCurrentIndex(0)
    assert dialog.refusal.isHidden() and dialog.confirm_button.isEnabled()
    with qtbot.waitSignal(dialog.failed, timeout=15000):
        dialog.confirm_button.click()
    assert dialog.refusal.isVisible() and "không được vào Sổ đăng ký văn bản đến" in dialog.refusal.text()
    assert dialog.entry is None
    assert _so_den_cell(window, "MẬT - Báo cáo số 128") == ""


def test_R7_1a_1_duplicate_demo_message_warns_and_needs_confirmation(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    first = _open_register(qtbot, window, "Giấy mời họp nghe báo cáo tiến độ")
    _confirm(qtbot, first)
    first.close_button.click()
    dialog = _open_register(qtbot, window, "Gửi lại: Giấy mời họp")
    assert dialog.warnings.isVisible()
    assert "125/GM-UBND" in dialog.warnings_text.text() and f"số đến 1/{YEAR}" in dialog.warnings_text.text()
    assert not dialog.confirm_button.isEnabled()
    dialog.warnings_confirm.setChecked(True)
    entry = _confirm(qtbot, dialog)
    assert entry["so_den"] == 2


def test_register_one_attachment_of_a_message(open_window, demo_profile, qtbot, output_dir):
    window = open_window(demo_profile, demo=True)
    dialog = _open_register(qtbot, window, "Công văn số 4295/UBND-TH")
    with qtbot.waitSignal(dialog.proposal_ready, timeout=15000):
        dialog.attachment.setCurrentIndex(1)
    assert dialog.attachment_idx is not None
    assert dialog.form.so_ky_hieu.text() == "4295/UBND-TH"
    assert dialog.grab().save(str(output_dir / "register_dialog.png"))
    entry = _confirm(qtbot, dialog)
    assert entry["so_den"] == 1 and entry["attachment_idx"] == dialog.attachment_idx


def test_urgent_document_is_flagged_to_present_at_once(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    dialog = _open_register(qtbot, window, "HỎA TỐC - Công văn 4410")
    assert dialog.form.muc_do_khan.currentData() == "Hỏa tốc"
    assert dialog.urgent.isVisible() and "Hỏa tốc" in dialog.urgent.text()
    entry = _confirm(qtbot, dialog)
    assert entry["muc_do_khan"] == "Hỏa tốc"
    assert "trình lãnh đạo" in dialog.result.text().lower()


def test_R7_1a_1_paper_registration_shares_the_sequence(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    _confirm(qtbot, _open_register(qtbot, window, "Công văn số 4295/UBND-TH"))
    window.act_register_paper.trigger()
    dialog = window.register_ui.dialog
    assert dialog.paper and dialog.attachment.isHidden()
    assert dialog.form.so_ky_hieu.text() == "" and dialog.form.so_den.text()
    dialog.form.so_ky_hieu.setText("77/GM-UBND")
    dialog.form.tac_gia.setText("UBND xã Đất Mũi")
    dialog.form.loai.setCurrentText("Giấy mời")
    dialog.form.trich_yeu.setPlainText("Mời dự lễ khánh thành nhà văn hóa ấp")
    dialog.form.so_trang.setValue(2)
    entry = _confirm(qtbot, dialog)
    assert (entry["so_den"], entry["is_paper"], entry["so_trang"]) == (2, 1, 2)
    assert entry["tac_gia"] == "UBND xã Đất Mũi"


def test_register_view_filters_by_year_and_kind(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    for subject in ("Công văn số 4295/UBND-TH", "Quyết định số 15/QĐ-UBND", "Kế hoạch số 210/KH-UBND"):
        d = _open_register(qtbot, window, subject)
        _confirm(qtbot, d)
        d.close_button.click()
    view = window.register_ui.show_register()
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=15000)
    assert view.year.currentData() == YEAR
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.year.setCurrentIndex(view.year.findData(YEAR - 1))
    assert view.model.rowCount() == 0
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.year.setCurrentIndex(view.year.findData(YEAR))
    assert view.model.rowCount() == 3
    view.kind.setCurrentIndex(view.kind.findData("Quyết định"))
    assert view.model.rowCount() == 1 and view.model.data(view.model.index(0, 3)) == "15/QĐ-UBND"
    view.kind.setCurrentIndex(view.kind.findData(""))
    assert view.model.rowCount() == 3
    view.use_dates.setChecked(True)
    from ui.qt import QDate

    view.date_from.setDate(QDate(YEAR + 1, 1, 1))
    view.date_to.setDate(QDate(YEAR + 1, 12, 31))
    assert view.model.rowCount() == 0
    view.use_dates.setChecked(False)
    assert view.model.rowCount() == 3
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.status.setCurrentIndex(view.status.findData("cancelled"))
    assert view.model.rowCount() == 0


def test_R7_1a_1_correct_entry_shows_audit_history_old_and_new_then_cancel(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    _confirm(qtbot, _open_register(qtbot, window, "Công văn số 4295/UBND-TH"))
    view = window.register_ui.show_register()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=15000)
    assert view.select_number(YEAR, 1)
    old = view.selected_entry()["trich_yeu"]
    dialog = view.correct_selected()
    assert dialog.form.so_den.text() == f"1/{YEAR}"
    dialog.form.trich_yeu.setPlainText("Triển khai Quy chế thư điện tử công vụ (đã sửa)")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("presented"))
    assert set(dialog.changes()) == {"trich_yeu", "status"}
    with qtbot.waitSignal(view.loaded, timeout=15000):
        dialog.save_button.click()
    view.select_number(YEAR, 1)
    e = view.selected_entry()
    assert e["trich_yeu"].endswith("(đã sửa)") and e["status"] == "presented" and e["so_den"] == 1
    h = view.history
    actions = [h.item(r, 3).text() for r in range(h.rowCount())]
    assert "Đã sửa" in actions, actions
    r = actions.index("Đã sửa")
    assert old in h.item(r, 4).text() and "Trích yếu" in h.item(r, 4).text()
    assert "(đã sửa)" in h.item(r, 5).text() and "Đã trình" in h.item(r, 5).text()
    assert h.item(r, 1).text() and h.item(r, 2).text()  # who and which workstation
    assert h.item(r, 0).text().count("/") == 2  # dd/MM/yyyy HH:mm

    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.cancel_entry(e, "Vào sổ nhầm")
    view.select_number(YEAR, 1)
    e = view.selected_entry()
    assert e["status"] == "cancelled" and e["so_den"] == 1
    assert "Vào sổ nhầm" in view.model.data(view.model.index(0, 9))
    assert not view.correct_button.isEnabled() and not view.cancel_button.isEnabled()
    assert _so_den_cell(window, "Công văn số 4295/UBND-TH") == ""  # a cancelled entry frees the message


def test_register_view_exports_xlsx_pdf_and_phieu(open_window, demo_profile, qtbot, tmp_path):
    window = open_window(demo_profile, demo=True)
    _confirm(qtbot, _open_register(qtbot, window, "Công văn số 4295/UBND-TH"))
    view = window.register_ui.show_register()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=15000)
    view.select_number(YEAR, 1)
    assert view.xlsx_button.isEnabled() and view.pdf_button.isEnabled() and view.phieu_button.isEnabled()
    for kind, name in (("xlsx", "so.xlsx"), ("pdf", "so.pdf"), ("phieu", "phieu.pdf")):
        with qtbot.waitSignal(view.exported, timeout=30000) as blocker:
            view.export_to(kind, tmp_path / name)
        assert blocker.args[0].endswith(name) and (tmp_path / name).stat().st_size > 500


def test_R7_1a_1_offline_registration_shows_cho_cap_so_then_gets_its_number(open_window, demo_profile, qtbot,
                                                                           monkeypatch):
    """No server: the entry is shown plainly as "chờ cấp số"; once back, the queue gets số đến 1."""
    from camau_desk.errors import MailError
    from camau_desk.register import local_log

    real = local_log.client_factory_for

    def offline(_account, _data_dir):
        def connect():
            raise MailError("Không kết nối được tới máy chủ (giả).")
        return connect

    monkeypatch.setattr(local_log, "client_factory_for", offline)
    window = open_window(demo_profile, demo=True)
    dialog = _open_register(qtbot, window, "Công văn số 4295/UBND-TH")
    entry = _confirm(qtbot, dialog)
    assert entry["so_den"] is None and entry["status"] == "pending"
    assert dialog.result.text().startswith("Chờ cấp số: chưa kết nối được máy chủ")
    assert dialog.form.so_den.text() == "chờ cấp số"
    assert _so_den_cell(window, "Công văn số 4295/UBND-TH") == "chờ cấp số"
    view = window.register_ui.show_register()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=15000)
    assert view.model.data(view.model.index(0, 1)) == "chờ cấp số"
    assert view.flush_button.isEnabled()
    monkeypatch.setattr(local_log, "client_factory_for", real)
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.flush_button.click()
    assert view.model.data(view.model.index(0, 1)) == "1"
    assert not view.flush_button.isEnabled()
    assert _so_den_cell(window, "Công văn số 4295/UBND-TH") == f"1/{YEAR}"


STATUS_COLUMN = 6


def test_R7_1a_1_list_columns_status_filter_unregistered_and_sort_by_so_den(open_window, demo_profile, qtbot):
    """The list's Số đến / Trạng thái come from the register (views rows); "Chưa vào sổ" hides registered mail."""
    from tests.gui.conftest import reloaded

    window = open_window(demo_profile, demo=True)
    total = window.model.total
    _confirm(qtbot, _open_register(qtbot, window, "Công văn số 4295/UBND-TH"))
    _confirm(qtbot, _open_register(qtbot, window, "Quyết định số 15/QĐ-UBND"))
    row = _row(window, "Công văn số 4295/UBND-TH")
    assert _so_den_cell(window, "Công văn số 4295/UBND-TH") == f"1/{YEAR}"
    assert window.model.data(window.model.index(row, STATUS_COLUMN)) == "Đã vào sổ"
    from ui.qt import Qt

    assert window.model.headerData(STATUS_COLUMN, Qt.Orientation.Horizontal) == "Trạng thái"
    with reloaded(qtbot, window):
        window.filter_unregistered.setChecked(True)
    assert window.model.total == total - 2
    subjects = [window.model.row_dict(r)["subject"] for r in range(window.model.rowCount())]
    assert not any(s.startswith(("Công văn số 4295/UBND-TH", "Quyết định số 15/QĐ-UBND")) for s in subjects)
    assert all(not window.model.row_dict(r)["is_spam"] for r in range(window.model.rowCount()))
    with reloaded(qtbot, window):
        window.filter_unregistered.setChecked(False)
    assert window.model.total == total
    with reloaded(qtbot, window):
        window.table.sortByColumn(SO_DEN_COLUMN, Qt.SortOrder.DescendingOrder)
    first_two = [window.model.data(window.model.index(r, SO_DEN_COLUMN)) for r in range(2)]
    assert first_two == [f"2/{YEAR}", f"1/{YEAR}"]


def test_R7_1a_1_successful_sync_flushes_the_cho_cap_so_queue(open_window, demo_profile, qtbot, monkeypatch):
    """After a sync that reached the server, the window sends the queue: the waiting document gets số đến 1."""
    from camau_desk.errors import MailError
    from camau_desk.register import local_log

    real = local_log.client_factory_for

    def offline(_account, _data_dir):
        def connect():
            raise MailError("Không kết nối được tới máy chủ (giả).")
        return connect

    monkeypatch.setattr(local_log, "client_factory_for", offline)
    window = open_window(demo_profile, demo=True)
    _confirm(qtbot, _open_register(qtbot, window, "Công văn số 4295/UBND-TH"))
    assert _so_den_cell(window, "Công văn số 4295/UBND-TH") == "chờ cấp số"
    assert window.register_ui.has_pending()
    monkeypatch.setattr(local_log, "client_factory_for", real)
    with qtbot.waitSignal(window.register_ui.flushed, timeout=15000) as blocker:
        window._sync_done([])  # what a successful sync (no errors, not cancelled) calls
    assert [e["so_den"] for e in blocker.args[0]] == [1]
    assert _so_den_cell(window, "Công văn số 4295/UBND-TH") == f"1/{YEAR}"
    assert not window.register_ui.has_pending()
    assert window.register_ui.flush_after_sync() is None  # nothing waits: no task
