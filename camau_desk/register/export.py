"""Printing the register: "Sổ đăng ký văn bản đến" and "Phiếu giải quyết văn bản đến".

Why: ND30 Đ22.3.b asks a body that registers in software to print the register
on paper, sign and bind it; the layout is ND30 Phụ lục IV (DOMAIN.md §2.3): a
cover, then the 10-column table.  Cancelled numbers are printed, marked
"Đã hủy", never dropped: the paper book must show that numbering has no gap.
Entries still waiting for a number ("chờ cấp số") are not in the book yet.

The row/cover builders are pure (unit tested); the XLSX/PDF writers are thin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk import settings
from camau_desk.errors import InvalidInput, NotFound, StorageError
from camau_desk.vn.clock import to_vn

COLUMNS: tuple[str, ...] = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
PHIEU_TITLE = "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN"
CANCELLED = "ĐÃ HỦY"
#: PDF column widths in mm (A4 landscape, 10 mm margins: 277 mm).
PDF_WIDTHS = (20, 13, 36, 28, 20, 70, 30, 20, 18, 22)
DOTS = "." * 60


# ------------------------------------------------------------------ pure builders


def fmt_date(value: Any) -> str:
    """ISO date/datetime -> dd/mm/yyyy (Vietnam time); empty -> ''; anything else as written."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        d = to_vn(value)
        return d.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value).strip()
    try:
        return fmt_date(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return fmt_date(dt.date.fromisoformat(text[:10]))
    except ValueError:
        return text


def parse_date(text: str | None) -> dt.date | None:
    """Accepts 2026-03-04 or 04/03/2026 (how clerks write it)."""
    if not text:
        return None
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"Ngày '{text}' không đúng dạng (dd/mm/yyyy hoặc yyyy-mm-dd).")


def arrival_date(entry: dict) -> dt.date | None:
    """The day (Vietnam time) an entry arrived, from its ISO ``ngay_den``."""
    value = entry.get("ngay_den")
    if not value:
        return None
    try:
        d = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return to_vn(d).date()


def loai_trich_yeu(entry: dict) -> str:
    """Column (6): the type name followed by the summary, without repeating the type."""
    loai = (entry.get("loai") or "").strip()
    ty = (entry.get("trich_yeu") or "").strip()
    if not loai:
        return ty
    if not ty:
        return loai
    if ty.casefold().startswith(loai.casefold()):
        return ty
    return f"{loai} {ty}" if ty[:1].islower() or ty[:3].casefold() == "v/v" else f"{loai}: {ty}"


def note(entry: dict) -> str:
    """Column (10): cancellation first (it must be seen), then urgency, then the clerk's note."""
    parts: list[str] = []
    if entry.get("status") == "cancelled":
        reason = (entry.get("cancel_reason") or "").strip()
        parts.append(f"{CANCELLED}: {reason}" if reason else CANCELLED)
    if entry.get("muc_do_khan"):
        parts.append(str(entry["muc_do_khan"]))
    if entry.get("is_paper"):
        parts.append("Văn bản giấy")
    if entry.get("ghi_chu"):
        parts.append(str(entry["ghi_chu"]))
    return "; ".join(parts)


@dataclass(frozen=True)
class RegisterRow:
    """One line of the book: the 10 cells as printed, plus what the writers style."""

    year: int
    so_den: int
    cells: tuple[str, ...]
    cancelled: bool


def register_row(entry: dict) -> RegisterRow:
    so_den = int(entry["so_den"])
    cells = (
        fmt_date(entry.get("ngay_den")),
        str(so_den),
        entry.get("tac_gia") or "",
        entry.get("so_ky_hieu") or "",
        fmt_date(entry.get("ngay_van_ban")) or (entry.get("ngay_van_ban_raw") or ""),
        loai_trich_yeu(entry),
        entry.get("don_vi_nhan") or "",
        fmt_date(entry.get("ngay_chuyen")),
        entry.get("ky_nhan") or "",
        note(entry),
    )
    return RegisterRow(int(entry["year"]), so_den, tuple(str(c) for c in cells), entry.get("status") == "cancelled")


def register_rows(entries: Iterable[dict]) -> list[RegisterRow]:
    """Numbered entries in book order (year, số đến); pending ones are not in the book yet."""
    numbered = [e for e in entries if e.get("so_den") is not None]
    numbered.sort(key=lambda e: (int(e["year"]), int(e["so_den"])))
    return [register_row(e) for e in numbered]


def filter_by_date(entries: Iterable[dict], date_from: dt.date | None, date_to: dt.date | None) -> list[dict]:
    out = []
    for e in entries:
        d = arrival_date(e)
        if d is None:
            continue
        if date_from and d < date_from:
            continue
        if date_to and d > date_to:
            continue
        out.append(e)
    return out


@dataclass(frozen=True)
class Cover:
    """The first page of the book (Phụ lục IV)."""

    parent_agency: str
    agency: str
    year: int
    date_from: str
    date_to: str
    number_from: str
    number_to: str

    def lines(self) -> list[str]:
        return [
            self.parent_agency.upper(),
            self.agency.upper(),
            TITLE,
            f"Năm: {self.year}",
            f"Từ ngày {self.date_from or '....../....../......'} đến ngày {self.date_to or '....../....../......'}",
            f"Từ số {self.number_from or '......'} đến số {self.number_to or '......'}",
            "Quyển số: ......",
        ]


def build_cover(rows: Sequence[RegisterRow], entries: Sequence[dict], *, year: int, agency: str,
                parent_agency: str, date_from: dt.date | None = None, date_to: dt.date | None = None) -> Cover:
    """The range the book covers: the requested dates if given, else those of its first and last entry."""
    days = [d for d in (arrival_date(e) for e in entries if e.get("so_den") is not None) if d]
    first = date_from or (min(days) if days else None)
    last = date_to or (max(days) if days else None)
    return Cover(
        parent_agency=parent_agency or "",
        agency=agency or "",
        year=year,
        date_from=fmt_date(first),
        date_to=fmt_date(last),
        number_from=str(rows[0].so_den) if rows else "",
        number_to=str(rows[-1].so_den) if rows else "",
    )


@dataclass
class RegisterBook:
    cover: Cover
    rows: list[RegisterRow] = field(default_factory=list)


def build_book(entries: Sequence[dict], *, year: int, agency: str, parent_agency: str,
               date_from: dt.date | None = None, date_to: dt.date | None = None) -> RegisterBook:
    """Pure: entries (dicts of register_entries) -> cover + rows of one year, optionally a date range."""
    if date_from and date_to and date_from > date_to:
        raise InvalidInput("Ngày bắt đầu phải trước ngày kết thúc.")
    chosen = [e for e in entries if int(e.get("year") or 0) == year]
    chosen = filter_by_date(chosen, date_from, date_to) if (date_from or date_to) else chosen
    rows = register_rows(chosen)
    cover = build_cover(rows, chosen, year=year, agency=agency, parent_agency=parent_agency,
                        date_from=date_from, date_to=date_to)
    return RegisterBook(cover, rows)


def book_from_db(db: sqlite_utils.Database, year: int, *, date_from: dt.date | None = None,
                 date_to: dt.date | None = None) -> RegisterBook:
    from camau_desk.register import service

    entries = service.list_entries(db, year=year, include_pending=False)
    return build_book(entries, year=year, agency=settings.get(db, "agency_name") or "",
                      parent_agency=settings.get(db, "parent_agency_name") or "",
                      date_from=date_from, date_to=date_to)


# ------------------------------------------------------------------ writers


def _write_bytes(path: Path, data: bytes) -> None:
    """Write via a temporary file so a half-written export never replaces a good one."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from exc


def xlsx_bytes(book: RegisterBook) -> bytes:
    """Two sheets: "Bìa" (cover) and "Sổ đến" (table, header rows repeated when printed)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    cover = wb.active
    cover.title = "Bìa"
    cover.column_dimensions["A"].width = 90
    for i, line in enumerate(book.cover.lines(), start=1):
        cell = cover.cell(row=i * 2, column=1, value=line)
        cell.alignment = Alignment(horizontal="center")
        cell.font = Font(bold=i in (2, 3), size=18 if line == TITLE else 12)

    ws = wb.create_sheet("Sổ đến")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, name in enumerate(COLUMNS, start=1):
        for row, value in ((1, name), (2, f"({col})")):
            c = ws.cell(row=row, column=col, value=value)
            c.font = Font(bold=True)
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            c.border = border
    for col, width in enumerate(PDF_WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width * 0.55 + 2
    for r, row in enumerate(book.rows, start=3):
        font = Font(strike=True, color="808080") if row.cancelled else Font()
        for col, value in enumerate(row.cells, start=1):
            c = ws.cell(row=r, column=col, value=row.so_den if col == 2 else value)
            c.alignment = wrap
            c.border = border
            c.font = Font(bold=True, color="C00000") if (col == 10 and row.cancelled) else font
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_bytes(book: RegisterBook) -> bytes:
    """A4 landscape: cover page, then the table with its headings repeated on every page."""
    from fpdf.fonts import FontFace

    from camau_desk import pdfkit

    pdf = pdfkit.new_pdf("L", title=f"{TITLE} năm {book.cover.year}")
    pdf.set_margins(10, 10, 10)
    pdf.alias_nb_pages()

    def footer() -> None:
        pdf.set_y(-10)
        pdf.set_font(pdfkit.FAMILY, "I", 8)
        pdf.cell(0, 5, f"{TITLE} năm {book.cover.year} - Trang {pdf.page_no()}/{{nb}}", align="C")

    pdf.footer = footer  # type: ignore[method-assign]
    pdf.add_page()
    lines = book.cover.lines()
    pdf.set_y(30)
    for i, line in enumerate(lines):
        size, style = (13, "") if i == 0 else (13, "B") if i == 1 else (26, "B") if line == TITLE else (13, "")
        if line == TITLE:
            pdf.ln(25)
        pdf.set_font(pdfkit.FAMILY, style, size)
        pdf.multi_cell(0, size * 0.6, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6 if line != TITLE else 14)

    pdf.add_page()
    pdf.set_font(pdfkit.FAMILY, "", 8.5)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    cancelled = FontFace(emphasis="ITALICS", color=(110, 110, 110))
    with pdf.table(col_widths=PDF_WIDTHS, width=sum(PDF_WIDTHS), line_height=4.2, text_align="LEFT",
                   v_align="TOP", num_heading_rows=2, headings_style=heading, repeat_headings=1,
                   padding=1) as table:
        for cells in (COLUMNS, tuple(f"({i})" for i in range(1, len(COLUMNS) + 1))):
            row = table.row()
            for c in cells:
                row.cell(c, align="CENTER")
        for reg in book.rows:
            row = table.row()
            for i, c in enumerate(reg.cells):
                row.cell(c, style=cancelled if reg.cancelled and i != 9 else None,
                         align="CENTER" if i in (0, 1, 4, 7) else None)
    if not book.rows:
        pdf.ln(4)
        pdf.cell(0, 6, "Sổ chưa có văn bản nào trong khoảng thời gian này.")
    return bytes(pdf.output())


def export_register(db: sqlite_utils.Database, year: int, path: Path | str, *, fmt: str | None = None,
                    date_from: dt.date | None = None, date_to: dt.date | None = None) -> RegisterBook:
    """Write the book of ``year`` to ``path`` (fmt 'xlsx' or 'pdf', default from the suffix)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("xlsx", "pdf"):
        raise InvalidInput("Chỉ xuất được sổ ra tệp .xlsx hoặc .pdf.")
    book = book_from_db(db, year, date_from=date_from, date_to=date_to)
    _write_bytes(path, xlsx_bytes(book) if fmt == "xlsx" else pdf_bytes(book))
    return book


# ------------------------------------------------------------------ Phiếu giải quyết


@dataclass(frozen=True)
class Phieu:
    """Content of a "Phiếu giải quyết văn bản đến" (Phụ lục IV): header lines + three blocks."""

    parent_agency: str
    agency: str
    reference: list[tuple[str, str]]
    blocks: list[tuple[str, list[tuple[str, str]]]]


def phieu_content(entry: dict, *, agency: str, parent_agency: str) -> Phieu:
    """Pure: what the form says for one entry; unknown values are left as dotted lines to fill by hand."""
    def val(v: Any) -> str:
        return str(v).strip() if v not in (None, "") else ""

    so_den = f"{entry['so_den']}/{entry['year']}" if entry.get("so_den") else "chờ cấp số"
    reference = [
        ("Số đến", so_den),
        ("Ngày đến", fmt_date(entry.get("ngay_den"))),
        ("Tên loại văn bản", val(entry.get("loai"))),
        ("Số, ký hiệu", val(entry.get("so_ky_hieu"))),
        ("Ngày tháng văn bản", fmt_date(entry.get("ngay_van_ban")) or val(entry.get("ngay_van_ban_raw"))),
        ("Cơ quan, tổ chức ban hành", val(entry.get("tac_gia"))),
        ("Trích yếu nội dung", val(entry.get("trich_yeu"))),
    ]
    if entry.get("muc_do_khan"):
        reference.append(("Mức độ khẩn", val(entry["muc_do_khan"])))
    if entry.get("status") == "cancelled":
        reference.append(("Ghi chú", f"{CANCELLED}: {val(entry.get('cancel_reason'))}".rstrip(": ")))
    date_line = "Ngày ...... tháng ...... năm ......"
    blocks = [
        ("1. Ý kiến của người đứng đầu cơ quan, tổ chức", [
            ("Giao đơn vị, cá nhân chủ trì", val(entry.get("don_vi_nhan"))),
            ("Đơn vị, cá nhân phối hợp (nếu có)", ""),
            ("Thời hạn giải quyết đối với mỗi đơn vị, cá nhân (nếu có)", fmt_date(entry.get("han_giai_quyet"))),
            ("", date_line),
        ]),
        ("2. Ý kiến của người đứng đầu đơn vị", [
            ("Giao cho cá nhân", ""),
            ("Thời hạn giải quyết", ""),
            ("", date_line),
        ]),
        ("3. Ý kiến đề xuất của người giải quyết", [
            ("", ""),
            ("", ""),
            ("", date_line),
        ]),
    ]
    return Phieu(parent_agency or "", agency or "", reference, blocks)


def phieu_pdf_bytes(phieu: Phieu) -> bytes:
    from camau_desk import pdfkit

    pdf = pdfkit.new_pdf("P", title=PHIEU_TITLE)
    pdf.set_margins(20, 15, 15)
    pdf.add_page()
    half = (pdf.w - 35) / 2
    pdf.set_font(pdfkit.FAMILY, "", 11)
    pdf.multi_cell(half, 5, phieu.parent_agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdfkit.FAMILY, "B", 11)
    pdf.multi_cell(half, 5, phieu.agency.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(half, 4, "-------", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(pdfkit.FAMILY, "B", 15)
    pdf.cell(0, 8, PHIEU_TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for label, value in phieu.reference:
        pdf.set_font(pdfkit.FAMILY, "B", 11)
        pdf.write(6, f"{label}: ")
        pdf.set_font(pdfkit.FAMILY, "", 11)
        pdf.multi_cell(0, 6, value or DOTS, new_x="LMARGIN", new_y="NEXT")
    for title, lines in phieu.blocks:
        pdf.ln(4)
        pdf.set_font(pdfkit.FAMILY, "B", 12)
        pdf.multi_cell(0, 7, title + ":", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdfkit.FAMILY, "", 11)
        for label, value in lines:
            if label:
                pdf.multi_cell(0, 6, f"- {label}: {value or DOTS}", new_x="LMARGIN", new_y="NEXT")
            elif value:
                pdf.multi_cell(0, 6, value, align="R", new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.multi_cell(0, 6, "." * 110, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def entry_by_number(db: sqlite_utils.Database, number: int, year: int) -> dict:
    rows = list(db.query("SELECT * FROM register_entries WHERE year = ? AND so_den = ?", [year, number]))
    if not rows:
        raise NotFound(f"Sổ văn bản đến năm {year} không có số {number}.")
    return dict(rows[0])


def export_phieu(db: sqlite_utils.Database, number: int, year: int, path: Path | str) -> Phieu:
    entry = entry_by_number(db, number, year)
    phieu = phieu_content(entry, agency=settings.get(db, "agency_name") or "",
                          parent_agency=settings.get(db, "parent_agency_name") or "")
    _write_bytes(Path(path), phieu_pdf_bytes(phieu))
    return phieu
