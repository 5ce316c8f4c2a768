"""Văn bản › "Ủy quyền...": list, add, refuse an overlap, end (issue 6, R7.1a-N).

On the demo profile: its agency account is local, so the shared log is the
local log (camau_desk.register.local_log), through the same core calls.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.gui.test_leader_ui import _with_org

pytestmark = pytest.mark.gui




def test_R7_1a_N_delegation_dialog_adds_refuses_overlap_and_ends(open_window, demo_profile, qtbot):
    from ui.qt import QDate

    window = open_window(_with_org(demo_profile), demo=True)
    assert window.act_delegation.text() == "Ủy quyền..." and window.act_delegation.isEnabled()
    assert not window.leader_ui.banner.isVisible()
    dialog = window.show_delegations()
    qtbot.waitUntil(lambda: dialog.deputy.count() == 1, timeout=10000)
    assert dialog.table.rowCount() == 0 and dialog.start.displayFormat() == "dd/MM/yyyy"
    assert dialog.deputy.currentText() == "Phó Giám đốc Trần Thị Bình <phogiamdoc1@sotttt.camau.gov.vn>"
    today = QDate.currentDate()
    dialog.start.setDate(today)
    dialog.end.setDate(today.addDays(3))
    dialog.reason.setText("Giám đốc đi công tác")
    with qtbot.waitSignal(dialog.loaded, timeout=15000):
        dialog.add_button.click()
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(6)]
    assert cells[0] == "Phó Giám đốc Trần Thị Bình"
    assert cells[1] == today.toString("dd/MM/yyyy") and cells[2] == today.addDays(3).toString("dd/MM/yyyy")
    assert cells[3] == "Giám đốc đi công tác" and cells[4] and cells[5] == "Đang hiệu lực"
    end = (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert window.leader_ui.banner.isVisible() and end in window.leader_ui.banner.text()

    dialog.start.setDate(today.addDays(1))  # overlaps the one just recorded
    dialog.end.setDate(today.addDays(5))
    dialog.reason.setText("Nghỉ phép")
    with qtbot.waitSignal(dialog.failed, timeout=15000) as refused:
        dialog.add_button.click()
    assert refused.args[0].startswith("Không thể ủy quyền: trùng thời gian với ủy quyền cho Phó Giám đốc Trần Thị Bình")
    assert dialog.error.isVisible()

    dialog.table.selectRow(0)
    assert dialog.end_button.isEnabled()
    with qtbot.waitSignal(dialog.loaded, timeout=15000):
        dialog.end_button.click()
    assert dialog.table.item(0, 5).text() == "Đã kết thúc"
    assert not window.leader_ui.banner.isVisible()


def test_delegation_without_directory_explains(open_window, demo_profile, qtbot):
    window = open_window(demo_profile, demo=True)
    dialog = window.show_delegations()
    qtbot.waitUntil(lambda: bool(dialog.add_button.toolTip()), timeout=10000)
    assert not dialog.add_button.isEnabled() and "danh bạ" in dialog.add_button.toolTip()
