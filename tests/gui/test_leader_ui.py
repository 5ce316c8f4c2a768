"""Trình lãnh đạo, delegation banner, compose and the outbox in the window (issue 6, R7.1a-2, R7.1a-N).

On the demo profile: its agency account is local, so the log is the local log
and the outbox stores sent mail in the local Sent folder (nothing reaches a server).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.gui.conftest import wait_message
from tests.gui.test_register_ui import YEAR, _confirm, _open_register, _row

pytestmark = pytest.mark.gui

ORG_CSV = """kind,code,name,title,email,unit
agency,STTTT,Sở Thông tin và Truyền thông,,vanthu@sotttt.camau.gov.vn,
head,,Nguyễn Văn An,Giám đốc,giamdoc@sotttt.camau.gov.vn,STTTT
deputy,,Trần Thị Bình,Phó Giám đốc,phogiamdoc1@sotttt.camau.gov.vn,STTTT
"""
STATUS_COLUMN = 6


def _with_org(profile, delegate: bool = False):
    from camau_desk.register import service as svc
    from camau_desk.register.local_log import client_factory_for
    from camau_desk.routing import delegation, org
    from camau_desk.store.db import open_db

    db = open_db(profile.db_path)
    try:
        org.import_csv(db, text=ORG_CSV)
        if delegate:
            account = svc.agency_account(db)
            today = dt.date.today()
            delegation.add_delegation(db, account, deputy="phogiamdoc1@sotttt.camau.gov.vn", start=today,
                                      end=today + dt.timedelta(days=3), reason="Giám đốc đi công tác",
                                      client_factory=client_factory_for(account, profile.data_dir))
    finally:
        db.conn.close()
    return profile


def _outbox(profile) -> list[dict]:
    from camau_desk.mail import outbox
    from camau_desk.store.db import open_db

    db = open_db(profile.db_path)
    try:
        return outbox.list_outbox(db)
    finally:
        db.conn.close()


def _present(qtbot, window, subject: str):
    row = _row(window, subject)
    if window.table.currentIndex().row() != row:
        wait_message(qtbot, window, row)
    assert window.act_leader.isEnabled()
    with qtbot.waitSignal(window.leader_ui.confirm_shown, timeout=15000) as shown:
        window.act_leader.trigger()
    box = shown.args[0]
    text = box.text()
    with qtbot.waitSignal(window.leader_ui.forwarded, timeout=30000) as done:
        window.leader_ui.confirm_yes.click()
    return text, done.args[0]


def test_R7_1a_2_present_to_leader_confirms_recipient_and_shows_da_trinh(open_window, demo_profile, qtbot):
    window = open_window(_with_org(demo_profile), demo=True)
    assert not window.leader_ui.banner.isVisible()
    wait_message(qtbot, window, _row(window, "Quyết định số 15/QĐ-UBND"))
    assert not window.act_leader.isEnabled()  # not registered
    _confirm(qtbot, _open_register(qtbot, window, "Công văn số 4295/UBND-TH"))
    text, result = _present(qtbot, window, "Công văn số 4295/UBND-TH")
    assert f"1/{YEAR}" in text and "Giám đốc Nguyễn Văn An <giamdoc@sotttt.camau.gov.vn>" in text
    assert result["recipient"]["email"] == "giamdoc@sotttt.camau.gov.vn" and not result["under_delegation"]
    assert result["outbox"]["status"] == "sent"  # demo: stored locally, nothing sent to a server
    row = _row(window, "Công văn số 4295/UBND-TH")
    assert window.model.data(window.model.index(row, STATUS_COLUMN)) == "Đã trình"
    view = window.leader_ui.show_outbox()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    assert view.table.item(0, 3).text() == "Đã gửi"
    assert view.table.item(0, 2).text().startswith(f"[Số đến 1/{YEAR}]")


def test_R7_1a_N_delegation_banner_and_forward_to_the_deputy_with_note(open_window, demo_profile, qtbot):
    window = open_window(_with_org(demo_profile, delegate=True), demo=True)
    banner = window.leader_ui.banner
    end = (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert banner.isVisible() and banner.text() == f"Đang ủy quyền cho Phó Giám đốc Trần Thị Bình đến {end}"
    _confirm(qtbot, _open_register(qtbot, window, "Công văn số 4295/UBND-TH"))
    text, result = _present(qtbot, window, "Công văn số 4295/UBND-TH")
    assert "Phó Giám đốc Trần Thị Bình <phogiamdoc1@sotttt.camau.gov.vn>" in text
    assert "theo ủy quyền của Giám đốc Nguyễn Văn An" in text
    assert result["under_delegation"] and result["recipient"]["email"] == "phogiamdoc1@sotttt.camau.gov.vn"


def test_compose_completes_from_directory_and_sends_through_the_outbox(open_window, demo_profile, qtbot):
    window = open_window(_with_org(demo_profile), demo=True)
    dialog = window.leader_ui.compose_new()
    assert any("Trần Thị Bình" in s for s in dialog.suggestions("binh"))
    assert dialog.suggestions("pho giam") == ["Phó Giám đốc Trần Thị Bình <phogiamdoc1@sotttt.camau.gov.vn>"]
    dialog.to.setText("giamdoc@sotttt.camau.gov.vn, Phó Giám đốc Trần Thị Bình <phogiamdoc1@sotttt.camau.gov.vn>")
    dialog.subject.setText("Lịch họp giao ban tuần")
    dialog.body.setPlainText("Kính gửi lãnh đạo.")
    assert dialog.recipients() == ["giamdoc@sotttt.camau.gov.vn", "phogiamdoc1@sotttt.camau.gov.vn"]
    with qtbot.waitSignal(dialog.sent, timeout=15000) as sent:
        dialog.send_button.click()
    assert sent.args[0]["status"] == "sent"
    rows = _outbox(demo_profile)
    assert [r["subject"] for r in rows] == ["Lịch họp giao ban tuần"]


def test_compose_refuses_a_secret_document_with_the_reason(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    dialog = window.leader_ui.compose_new()
    dialog.to.setText("a@camau.gov.vn")
    dialog.subject.setText("MẬT - Báo cáo tình hình")
    with qtbot.waitSignal(dialog.failed, timeout=15000) as failed:
        dialog.send_button.click()
    assert "Mật" in failed.args[0] or "mật" in failed.args[0]
    assert _outbox(demo_profile) == []


def test_outbox_view_cancel_a_waiting_message(open_window, demo_profile, qtbot):
    from camau_desk.mail import compose, outbox
    from camau_desk.register import service as svc
    from camau_desk.store.db import open_db

    db = open_db(demo_profile.db_path)
    try:
        account = svc.agency_account(db)
        msg = compose.new_message(from_addr=account.email, to=["x@camau.gov.vn"], subject="Chờ gửi", body="b")
        oid = outbox.enqueue(db, account, msg)
    finally:
        db.conn.close()
    window = open_window(demo_profile, demo=True)
    view = window.leader_ui.show_outbox()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    assert view.table.item(0, 3).text() == "Chờ gửi" and view.retry_button.isEnabled()
    view.table.selectRow(0)
    assert view.cancel_button.isEnabled()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.cancel_button.click()
    qtbot.waitUntil(lambda: view.table.item(0, 3).text() == "Đã hủy", timeout=10000)
    assert _outbox(demo_profile)[0]["id"] == oid and _outbox(demo_profile)[0]["status"] == "cancelled"


def test_R7_1a_2_present_to_leader_from_the_register_book(open_window, demo_profile, qtbot):
    """The register view's "Trình lãnh đạo..." uses the same confirm-then-forward path as the list."""
    window = open_window(_with_org(demo_profile), demo=True)
    _confirm(qtbot, _open_register(qtbot, window, "Công văn số 4295/UBND-TH"))
    view = window.register_ui.show_register()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)
    assert view.present_button.text() == "Trình lãnh đạo..." and not view.present_button.isEnabled()
    assert view.select_number(YEAR, 1) and view.present_button.isEnabled()
    with qtbot.waitSignal(window.leader_ui.confirm_shown, timeout=15000) as shown:
        view.present_button.click()
    assert f"1/{YEAR}" in shown.args[0].text() and "giamdoc@sotttt.camau.gov.vn" in shown.args[0].text()
    with qtbot.waitSignals([window.leader_ui.forwarded, view.loaded], timeout=30000):
        window.leader_ui.confirm_yes.click()
    assert view.select_number(YEAR, 1) and view.selected_entry()["status"] == "presented"  # reloaded: Đã trình
    assert _outbox(demo_profile)[0]["subject"].startswith(f"[Số đến 1/{YEAR}]")
