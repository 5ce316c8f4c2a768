"""Printing the register (ND30 Đ22.3.b, Phụ lục IV; DOMAIN.md §2.3): XLSX, PDF, Phiếu giải quyết."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from camau_desk import audit, settings
from camau_desk.errors import InvalidInput, NotFound
from camau_desk.register import export as ex
from camau_desk.store import open_db
from camau_desk.store.db import transaction

pytestmark = pytest.mark.unit


def _entry(n: int, **kw) -> dict:
    base = {
        "id": n, "year": 2026, "so_den": n, "ngay_den": f"2026-03-{n:02d}T08:15:00+07:00",
        "tac_gia": "UBND tỉnh Cà Mau", "so_ky_hieu": f"{400 + n}/UBND-VP", "ngay_van_ban": "2026-03-01",
        "loai": "Công văn", "trich_yeu": f"về việc triển khai chuyển đổi số đợt {n}",
        "don_vi_nhan": "Phòng Kế hoạch", "ngay_chuyen": None, "ky_nhan": None, "ghi_chu": None,
        "status": "registered", "cancel_reason": None, "muc_do_khan": None, "is_paper": 0,
    }
    base.update(kw)
    return base


ENTRIES = [
    _entry(1),
    _entry(2, status="cancelled", cancel_reason="vào sổ nhầm"),
    _entry(3, loai="Tờ trình", trich_yeu="Tờ trình mua sắm thiết bị", muc_do_khan="Khẩn",
           ngay_chuyen="2026-03-04T10:00:00+07:00"),
    _entry(4, ngay_den="2026-03-10T00:30:00+00:00"),  # UTC instant: still 10/03 in Vietnam
    _entry(99, so_den=None, status="pending"),           # chờ cấp số: not in the book yet
    _entry(5, year=2025, ngay_den="2025-12-30T09:00:00+07:00"),
]


def test_fmt_date_formats_dd_mm_yyyy_in_vietnam_time():
    assert ex.fmt_date("2026-03-04T08:00:00+07:00") == "04/03/2026"
    assert ex.fmt_date("2026-03-04T20:00:00+00:00") == "05/03/2026"
    assert ex.fmt_date("2026-03-04") == "04/03/2026"
    assert ex.fmt_date(None) == "" and ex.fmt_date("khoảng tháng 3") == "khoảng tháng 3"
    assert ex.parse_date("04/03/2026") == dt.date(2026, 3, 4) == ex.parse_date("2026-03-04")
    with pytest.raises(InvalidInput):
        ex.parse_date("4 tháng 3")


def test_R7_1a_1_rows_keep_cancelled_numbers_and_skip_pending():
    book = ex.build_book(ENTRIES, year=2026, agency="Sở TT&TT", parent_agency="UBND tỉnh Cà Mau")
    assert [r.so_den for r in book.rows] == [1, 2, 3, 4]  # gap-free: the cancelled 2 is printed
    cancelled = book.rows[1]
    assert cancelled.cancelled and cancelled.cells[9] == "ĐÃ HỦY: vào sổ nhầm"
    r1 = book.rows[0]
    assert r1.cells == ("01/03/2026", "1", "UBND tỉnh Cà Mau", "401/UBND-VP", "01/03/2026",
                        "Công văn về việc triển khai chuyển đổi số đợt 1", "Phòng Kế hoạch", "", "", "")
    r3 = book.rows[2]
    assert r3.cells[5] == "Tờ trình mua sắm thiết bị" and r3.cells[7] == "04/03/2026" and r3.cells[9] == "Khẩn"
    assert book.rows[3].cells[0] == "10/03/2026"
    c = book.cover
    assert (c.year, c.date_from, c.date_to, c.number_from, c.number_to) == (2026, "01/03/2026", "10/03/2026", "1", "4")
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in c.lines() and "UBND TỈNH CÀ MAU" in c.lines()


def test_date_range_selects_entries_and_sets_cover():
    book = ex.build_book(ENTRIES, year=2026, agency="A", parent_agency="B",
                         date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 3))
    assert [r.so_den for r in book.rows] == [2, 3]
    assert (book.cover.date_from, book.cover.date_to, book.cover.number_from, book.cover.number_to) == (
        "02/03/2026", "03/03/2026", "2", "3")
    with pytest.raises(InvalidInput):
        ex.build_book(ENTRIES, year=2026, agency="A", parent_agency="B",
                      date_from=dt.date(2026, 3, 5), date_to=dt.date(2026, 3, 1))


def test_R7_1a_1_xlsx_opens_with_ten_columns_and_rows():
    book = ex.build_book(ENTRIES, year=2026, agency="Sở Thông tin và Truyền thông", parent_agency="UBND tỉnh")
    wb = load_workbook(io.BytesIO(ex.xlsx_bytes(book)))
    assert wb.sheetnames == ["Bìa", "Sổ đến"]
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in [c.value for c in wb["Bìa"]["A"]]
    ws = wb["Sổ đến"]
    assert tuple(c.value for c in ws[1]) == ex.COLUMNS and len(ex.COLUMNS) == 10
    assert [c.value for c in ws[2]][:2] == ["(1)", "(2)"]
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [r[1] for r in data] == [1, 2, 3, 4]
    assert data[1][9] == "ĐÃ HỦY: vào sổ nhầm" and ws.cell(row=4, column=3).font.strike
    assert data[0][3] == "401/UBND-VP" and data[0][0] == "01/03/2026"
    assert ws.print_title_rows == "$1:$2"  # repeated on each printed page


def _pdf_text(data: bytes) -> tuple[str, int]:
    """Text of the PDF with line breaks folded to spaces (wrapped cells split lines)."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def test_R7_1a_1_pdf_renders_vietnamese_headings_on_every_page():
    many = [_entry(n, ngay_den=f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}T08:00:00+07:00",
                   trich_yeu="về việc " + "báo cáo tình hình thực hiện nhiệm vụ " * 3) for n in range(1, 61)]
    many[6]["status"], many[6]["cancel_reason"] = "cancelled", "trùng văn bản"
    book = ex.build_book(many, year=2026, agency="Sở Thông tin và Truyền thông tỉnh Cà Mau",
                         parent_agency="Ủy ban nhân dân tỉnh Cà Mau")
    text, pages = _pdf_text(ex.pdf_bytes(book))
    assert pages >= 4  # cover + table over several pages
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH CÀ MAU" in text and "ỦY BAN NHÂN DÂN TỈNH CÀ MAU" in text
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text and "Năm: 2026" in text
    assert "Từ số 1 đến số 60" in text
    assert text.count("Tên loại và trích yếu") == pages - 1  # heading repeated on each table page
    assert "ĐÃ HỦY: trùng văn bản" in text and "407/UBND-VP" in text and "Ký nhận" in text


def test_pdf_of_empty_book_still_renders():
    text, pages = _pdf_text(ex.pdf_bytes(ex.build_book([], year=2027, agency="A", parent_agency="B")))
    assert pages == 2 and "Sổ chưa có văn bản nào" in text


def test_phieu_content_and_pdf():
    e = _entry(7, han_giai_quyet="2026-03-20", muc_do_khan="Thượng khẩn")
    p = ex.phieu_content(e, agency="Sở Thông tin và Truyền thông", parent_agency="UBND tỉnh Cà Mau")
    ref = dict(p.reference)
    assert ref["Số đến"] == "7/2026" and ref["Ngày đến"] == "07/03/2026" and ref["Số, ký hiệu"] == "407/UBND-VP"
    assert [b[0][:2] for b in p.blocks] == ["1.", "2.", "3."]
    text, _ = _pdf_text(ex.phieu_pdf_bytes(p))
    for s in ("PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Ý kiến của người đứng đầu cơ quan",
              "Ý kiến của người đứng đầu đơn vị", "Ý kiến đề xuất của người giải quyết", "407/UBND-VP",
              "Phòng Kế hoạch", "20/03/2026", "Thượng khẩn", "UBND tỉnh Cà Mau"):
        assert s in text, s


def _db(tmp_path, path=None):
    db = open_db(path or tmp_path / "db.sqlite3")
    now = audit.now_iso()
    with transaction(db):
        for e in ENTRIES:
            row = {k: v for k, v in e.items() if k != "id"}
            row.update(event_id=f"ev{e['id']}", created_by="vt", workstation="pc", created_at=now, updated_at=now)
            db["register_entries"].insert(row)
    return db


def test_export_from_database_writes_files(tmp_path):
    db = _db(tmp_path)
    settings.set(db, "agency_name", "Sở Nội vụ tỉnh Cà Mau")
    book = ex.export_register(db, 2026, tmp_path / "out" / "so.xlsx")
    assert [r.so_den for r in book.rows] == [1, 2, 3, 4] and book.cover.agency == "Sở Nội vụ tỉnh Cà Mau"
    assert load_workbook(tmp_path / "out" / "so.xlsx")["Sổ đến"].max_row == 6
    ex.export_register(db, 2026, tmp_path / "so.pdf", date_from=dt.date(2026, 3, 3))
    text, _ = _pdf_text((tmp_path / "so.pdf").read_bytes())
    assert "SỞ NỘI VỤ TỈNH CÀ MAU" in text and "Từ số 3 đến số 4" in text
    with pytest.raises(InvalidInput):
        ex.export_register(db, 2026, tmp_path / "so.docx")
    ex.export_phieu(db, 3, 2026, tmp_path / "phieu.pdf")
    assert "Tờ trình mua sắm thiết bị" in _pdf_text((tmp_path / "phieu.pdf").read_bytes())[0]
    with pytest.raises(NotFound):
        ex.export_phieu(db, 42, 2026, tmp_path / "x.pdf")


def test_cli_register_export_and_phieu(tmp_path, capsys):
    from camau_desk.cli import main
    from camau_desk.paths import Profile

    data = tmp_path / "profile"
    _db(tmp_path, Profile.at(data).ensure().db_path)
    d = ["--data-dir", str(data)]
    assert main(["register-export", "--year", "2026", "--xlsx", str(tmp_path / "s.xlsx"), *d]) == 0
    assert "4 dòng, số 1 đến số 4" in capsys.readouterr().out
    assert main(["register-export", "--year", "2026", "--pdf", str(tmp_path / "s.pdf"),
                 "--from", "02/03/2026", "--to", "03/03/2026", *d]) == 0
    assert "2 dòng, số 2 đến số 3" in capsys.readouterr().out
    assert "Từ ngày 02/03/2026 đến ngày 03/03/2026" in _pdf_text((tmp_path / "s.pdf").read_bytes())[0]
    assert main(["phieu", "1", "--year", "2026", "--pdf", str(tmp_path / "p.pdf"), *d]) == 0
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    assert main(["phieu", "77", "--year", "2026", "--pdf", str(tmp_path / "p.pdf"), *d]) == 1
    assert "không có số 77" in capsys.readouterr().err
    assert main(["register-export", "--year", "2026", "--pdf", "x.pdf", "--from", "hôm qua", *d]) == 1
    assert "không đúng dạng" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:  # one output format is required
        main(["register-export", "--year", "2026", *d])
    assert exc.value.code == 2


def test_pdfkit_prefers_bundled_font_and_fails_in_vietnamese(tmp_path, monkeypatch):
    from camau_desk import pdfkit
    from camau_desk.errors import CamauError

    assert pdfkit.find_fonts().regular.name == "NotoSans-Regular.ttf"
    monkeypatch.setattr(pdfkit, "resources_dir", lambda: tmp_path)
    monkeypatch.setattr(pdfkit, "_SYSTEM_CANDIDATES", ((str(tmp_path / "none.ttf"),) * 3,))
    with pytest.raises(CamauError, match="Không tìm thấy phông chữ tiếng Việt"):
        pdfkit.new_pdf()
