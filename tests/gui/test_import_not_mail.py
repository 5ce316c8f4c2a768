"""The import summary lists, per file, what was not mail (R6.2): a PDF and an empty file renamed .eml."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

EML = (b"From: vp@ubnd.camau.gov.vn\r\nSubject: Cong van 2019\r\nMessage-ID: <nm1@camau.gov.vn>\r\n"
       b"Date: Mon, 02 Dec 2019 08:00:00 +0700\r\n\r\nNoi dung\r\n")


def test_R6_2_import_summary_shows_each_non_mail_file_with_its_reason(open_window, demo_profile, qtbot, tmp_path):
    src = tmp_path / "usb"
    src.mkdir()
    (src / "that.eml").write_bytes(EML)
    (src / "scan.eml").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (src / "rong.eml").write_bytes(b"")
    window = open_window(demo_profile, demo=True)
    with qtbot.waitSignal(window.import_ui.finished, timeout=30000) as done:
        window.import_ui.start([str(src)])
    assert (done.args[0].new, len(done.args[0].errors)) == (1, 2)
    summary = window.import_ui.summary
    assert summary.text() == "1 thư mới, 0 thư đã có, 2 lỗi."
    assert sorted(summary.detailedText().splitlines()) == [
        f"{src / 'rong.eml'}: Tệp không phải là thư điện tử (.eml).",
        f"{src / 'scan.eml'}: Tệp không phải là thư điện tử (.eml).",
    ]
