"""Attachment text for the search index: formats, legacy encodings, limits (R6.2, R6.3)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from camau_desk.archive import textract
from camau_desk.archive.textract import extract, extract_with_timeout, kind_of
from tests.fixtures.mail import pdf_bytes

pytestmark = pytest.mark.unit

SAMPLES = Path(__file__).parent / "samples" / "legacy"


def _docx(paragraphs: list[tuple[str, str | None]]) -> bytes:
    import docx

    d = docx.Document()
    for text, font in paragraphs:
        run = d.add_paragraph().add_run(text)
        if font:
            run.font.name = font
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Ô bảng", "Giá trị"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_kind_by_extension_first() -> None:
    assert kind_of("a.PDF", "application/octet-stream") == "pdf"
    assert kind_of("noext", "application/pdf") == "pdf"
    assert kind_of("scan.tif", "image/tiff") is None


def test_pdf_text() -> None:
    ex = extract(pdf_bytes("Quyết định phê duyệt Đề án xâm nhập mặn"), "qd.pdf")
    assert ex.status == "ok" and "xâm nhập mặn" in ex.text


def test_R6_3_docx_unicode_and_legacy_font_runs() -> None:
    data = _docx([("Kế hoạch chuyển đổi số", None), ("Uû ban nh©n d©n tØnh", ".VnTime")])
    ex = extract(data, "kh.docx")
    assert ex.status == "ok"
    assert "Kế hoạch chuyển đổi số" in ex.text
    assert "nhân dân tỉnh" in ex.text
    assert "Ô bảng\tGiá trị" in ex.text


def test_xlsx_text() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Số liệu"
    wb.active.append(["Huyện", "Diện tích rừng đước"])
    wb.active.append(["Ngọc Hiển", 1200])
    buf = io.BytesIO()
    wb.save(buf)
    ex = extract(buf.getvalue(), "sl.xlsx")
    assert ex.status == "ok" and "Diện tích rừng đước" in ex.text and "1200" in ex.text and "Số liệu" in ex.text


def test_R6_3_txt_in_tcvn3_is_converted() -> None:
    raw = (SAMPLES / "qd_tcvn3.txt").read_bytes()
    expected = (SAMPLES / "qd_tcvn3.expected.txt").read_text(encoding="utf-8")
    ex = extract(raw, "qd.txt")
    assert ex.status == "ok"
    assert ex.text.split() == expected.split()


def test_html_text_without_script() -> None:
    html = ("<html><head><title>x</title><script>var a='bí mật';</script></head>"
            "<body><p>Thông báo <b>họp</b></p></body></html>")
    ex = extract(html.encode(), "tb.html")
    assert "Thông báo" in ex.text and "họp" in ex.text and "bí mật" not in ex.text


def test_unknown_and_broken_files_are_listed_not_raised() -> None:
    assert extract(b"\x89PNG....", "anh.png").status == "unsupported"
    assert extract(b"\x89PNG....", "anh.png").label == "không đọc được"
    assert extract(b"%PDF-1.4 garbage", "x.pdf").status in ("error", "empty")
    assert extract(b"not a zip", "x.docx").status == "error"
    assert extract(b"", "x.txt").status == "empty"


def test_size_limits(monkeypatch) -> None:
    monkeypatch.setattr(textract, "MAX_BYTES", 100)
    assert extract(b"a" * 101, "big.txt").status == "too_large"
    # a zip bomb disguised as .docx: refused from its directory, never unpacked
    monkeypatch.setattr(textract, "MAX_BYTES", 10**9)
    monkeypatch.setattr(textract, "MAX_UNZIPPED", 1_000_000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"0" * 5_000_000)
    assert extract(buf.getvalue(), "bomb.docx").status == "too_large"


def test_output_is_capped(monkeypatch) -> None:
    monkeypatch.setattr(textract, "MAX_CHARS", 50)
    assert len(extract(("chữ " * 100).encode(), "a.txt").text) == 50


def test_timeout_kills_the_helper_and_recovers() -> None:
    data = pdf_bytes("Báo cáo tuần")
    textract.shutdown()  # a cold helper: spawning it alone takes far longer than 1 ms
    try:
        slow = extract_with_timeout(data, "a.pdf", timeout=0.001)  # the helper cannot even start this fast
        assert slow.status == "timeout" and slow.label == "đọc quá lâu, đã bỏ qua"
        ok = extract_with_timeout(data, "a.pdf", timeout=60)
        assert ok.status == "ok" and "Báo cáo tuần" in ok.text
    finally:
        textract.shutdown()
