"""Tệp › "Nhập thư lưu trữ...": .eml and .mbox into the "Lưu trữ" account, browsable offline (issue 3)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

EML = ("From: vp@ubnd.camau.gov.vn\r\nTo: vanthu@sotttt.camau.gov.vn\r\nSubject: =?utf-8?b?{}?=\r\n"
       "Message-ID: <{}@camau.gov.vn>\r\nDate: Mon, 02 Dec 2019 08:00:00 +0700\r\n\r\nNoi dung\r\n")


def _eml(subject: str, mid: str) -> str:
    import base64

    return EML.format(base64.b64encode(subject.encode()).decode(), mid)


def _top_names(window) -> list[str]:
    return [window.tree.topLevelItem(i).text(0) for i in range(window.tree.topLevelItemCount())]


def test_R6_import_eml_and_mbox_then_again_counts_duplicates(open_window, demo_profile, qtbot, tmp_path):
    eml = tmp_path / "cong-van-cu.eml"
    eml.write_bytes(_eml("Công văn cũ 2019", "old1").encode())
    mbox = tmp_path / "Thu cu.mbox"
    mbox.write_bytes(("From - Mon Dec 02 08:00:00 2019\n" + _eml("Thư một", "m1").replace("\r\n", "\n") + "\n"
                      "From - Tue Dec 03 08:00:00 2019\n" + _eml("Thư hai", "m2").replace("\r\n", "\n") + "\n")
                     .encode())
    window = open_window(demo_profile, demo=True)
    assert window.act_import.isEnabled() and window.act_import.text() == "Nhập thư lưu trữ..."
    assert "Lưu trữ" not in _top_names(window)
    with qtbot.waitSignal(window.import_ui.finished, timeout=30000) as done:
        window.import_ui.start([str(eml), str(mbox)])
        assert window.import_ui.cancel_button.isVisible()
    result = done.args[0]
    assert (result.new, result.duplicates, result.errors) == (3, 0, [])
    assert "Lưu trữ" in _top_names(window)
    assert window.import_ui.summary.text() == "3 thư mới, 0 thư đã có, 0 lỗi."
    assert not window.import_ui.cancel_button.isVisible()
    window.import_ui.summary.close()
    with qtbot.waitSignal(window.import_ui.finished, timeout=30000) as again:
        window.import_ui.start([str(eml), str(mbox)])
    assert (again.args[0].new, again.args[0].duplicates) == (0, 3)
    assert window.select_folder("Lưu trữ", "Thu cu")
    qtbot.waitUntil(lambda: window.model.total == 2, timeout=10000)


def test_import_reports_missing_files_in_the_summary(open_window, demo_profile, qtbot, tmp_path):
    window = open_window(demo_profile, demo=True)
    with qtbot.waitSignal(window.import_ui.finished, timeout=30000) as done:
        window.import_ui.start([str(tmp_path / "khong-co.mbox")])
    assert done.args[0].new == 0 and done.args[0].errors[0].startswith("Không tìm thấy")
    assert window.import_ui.summary.text() == "0 thư mới, 0 thư đã có, 1 lỗi."
    assert "khong-co.mbox" in window.import_ui.summary.detailedText()
