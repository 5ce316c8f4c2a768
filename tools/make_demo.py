#!/usr/bin/env python3
"""Write the demo mailbox ``resources/demo/*.eml`` (and its README) deterministically.

Why a generator and not hand-made files: the demo corpus must contain real PDF and
DOCX attachments, legacy-encoded bodies (TCVN3, VNI, windows-1258) and exact MIME
shapes; writing those by hand is error prone.  Everything is fixed (dates, Message-IDs,
MIME boundaries, PDF creation dates, ZIP timestamps, a seeded RNG), so running

    python tools/make_demo.py            # writes resources/demo/
    python tools/make_demo.py --check    # exit 1 if the files on disk differ

gives byte-identical files on every run with the same fpdf2 / python-docx versions.

The mails are built with the stdlib ``email`` package using the *compat32* API and
``email.header.Header`` for non-ASCII headers: that folds long Vietnamese subjects into
proper <= 75 character encoded words and avoids the CPython 3.11 folding bug of the
default policy (gh-144156, see docs ENVIRONMENT.md).  Legacy-charset headers are written
as explicit encoded words by :func:`encoded_words`.

All content is invented for this project.  Names, numbers and phone numbers are made
up; remote URLs use the reserved ``.invalid`` / ``.example`` domains.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import quopri
import random
import sys
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from email import charset as email_charset
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "resources" / "demo"
AGENCY_ADDR = "vanthu@sotttt.camau.gov.vn"
AGENCY_NAME = "Văn thư Sở Thông tin và Truyền thông"
TZ = dt.timezone(dt.timedelta(hours=7))
SEED = 20261001
FIXED_DOC_TIME = dt.datetime(2026, 10, 1, 8, 0, 0, tzinfo=TZ)

#: where the TCVN3 / VNI tables may live (repo copy first, then the shared research data)
TABLE_DIRS = [REPO / "resources" / "encodings", Path("/work/shared/data")]

#: the policy used to serialise every message: CRLF as on the wire, fold at 78
WIRE = compat32.clone(linesep="\r\n", max_line_length=78)

MIME_PDF = ("application", "pdf")
MIME_DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")

UTF8_B = email_charset.Charset("utf-8")  # header B, body base64
UTF8_Q = email_charset.Charset("utf-8")
UTF8_Q.header_encoding = email_charset.QP
UTF8_Q.body_encoding = email_charset.QP
UTF8_8BIT = email_charset.Charset("utf-8")
UTF8_8BIT.body_encoding = None  # 8bit body, as Thunderbird sends it


def nfc(text: str) -> str:
    """NFC-normalise (the source file is NFC already; this makes it explicit)."""
    return unicodedata.normalize("NFC", text)


def when(month: int, day: int, hour: int, minute: int, second: int = 0) -> dt.datetime:
    """A local (+07:00) time in 2026."""
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=TZ)


def vn_date(d: dt.datetime, place: str = "Cà Mau") -> str:
    """'Cà Mau, ngày 09 tháng 10 năm 2026' (day and month < 10 get a leading zero)."""
    return f"{place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


# --------------------------------------------------------------------------- legacy encodings


def _find_table(name: str) -> Path:
    for folder in TABLE_DIRS:
        path = folder / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"{name} not found in {TABLE_DIRS}")


def load_table(name: str) -> dict[str, bytes]:
    """Read a ``legacy_hex<TAB>unicode`` table into {character: legacy bytes}."""
    table: dict[str, bytes] = {}
    lines = _find_table(name).read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if not line.strip():
            continue
        hexes, char = line.split("\t")
        table[nfc(char)] = bytes(int(h, 16) for h in hexes.split())
    return table


def encode_legacy(text: str, table: dict[str, bytes]) -> bytes:
    """Encode Unicode text the way a TCVN3 / VNI keyboard driver stored it.

    TCVN3 has one byte per toned vowel for both cases (the capital comes from the
    .VnTimeH font), so a toned capital falls back to its lower-case byte.
    """
    out = bytearray()
    for ch in nfc(text):
        if ch in table:
            out += table[ch]
        elif ord(ch) < 128:
            out += ch.encode("ascii")
        elif ch.lower() in table:
            out += table[ch.lower()]
        else:
            raise ValueError(f"cannot encode {ch!r} in legacy table")
    return bytes(out)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Encode like Windows does for code page 1258: base letter + combining tone mark.

    Python's cp1258 codec only accepts characters present in the code page, so a
    precomposed 'ệ' must be split into 'ê' (0xEA) + combining dot below (0xF2).
    """
    out = bytearray()
    for ch in nfc(text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in _TONES)
        base = nfc("".join(c for c in decomposed if c not in _TONES))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def encoded_words(raw: bytes, charset: str, max_word: int = 66) -> str:
    """RFC 2047 Q encoded words for already-encoded bytes, folded with CRLF SP.

    66 characters leave room for "Subject: " so the serialiser never refolds the first line.
    """
    prefix, suffix = f"=?{charset}?Q?", "?="
    words: list[str] = []
    current = ""
    for byte in raw:
        char = bytes([byte])
        if char == b" ":
            piece = "_"
        elif char.isalnum() and byte < 128:
            piece = char.decode("ascii")
        else:
            piece = f"={byte:02X}"
        if len(prefix) + len(current) + len(piece) + len(suffix) > max_word:
            words.append(prefix + current + suffix)
            current = ""
        current += piece
    if current:
        words.append(prefix + current + suffix)
    return "\r\n ".join(words)


# --------------------------------------------------------------------------- documents


@dataclass
class Doc:
    """One official document page (ND 30/2020 layout), rendered to PDF or DOCX."""

    parent: str  # "ỦY BAN NHÂN DÂN TỈNH CÀ MAU" (may be "")
    org: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    number: str  # "Số: 470/TTr-STTTT"
    date: dt.datetime
    summary: str  # trích yếu; for a công văn the "V/v ..." line
    body: list[str]
    signer: list[str]  # ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    signer_name: str
    title: str = ""  # "TỜ TRÌNH"; empty for a công văn (V/v goes under the number)
    recipient: str = ""  # "Kính gửi: ..."
    noi_nhan: list[str] = field(default_factory=list)
    stamps: list[str] = field(default_factory=list)  # "HỎA TỐC", "MẬT", ...
    party: bool = False  # Party header (ĐẢNG CỘNG SẢN VIỆT NAM) instead of the national motto
    copy_block: Doc | None = None  # a "SAO Y" certification appended on its own page

    @property
    def is_cong_van(self) -> bool:
        return not self.title


def _font_paths() -> dict[str, Path]:
    """DejaVu Serif (Times-like) with Vietnamese glyphs; DejaVu Sans as fallback."""
    base = Path("/usr/share/fonts/truetype/dejavu")
    serif = {
        "": base / "DejaVuSerif.ttf",
        "B": base / "DejaVuSerif-Bold.ttf",
        "I": base / "DejaVuSerif-Italic.ttf",
        "BI": base / "DejaVuSerif-BoldItalic.ttf",
    }
    if all(p.is_file() for p in serif.values()):
        return serif
    sans = {
        "": base / "DejaVuSans.ttf",
        "B": base / "DejaVuSans-Bold.ttf",
        "I": base / "DejaVuSans-Oblique.ttf",
        "BI": base / "DejaVuSans-BoldOblique.ttf",
    }
    if all(p.is_file() for p in sans.values()):
        return sans
    raise FileNotFoundError("no DejaVu TTF font with Vietnamese glyphs found (apt install fonts-dejavu-core)")


def render_pdf(doc: Doc) -> bytes:
    """A one-or-two page A4 PDF that looks like a signed administrative document."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(doc.date.replace(hour=7, minute=30))
    pdf.set_title(doc.summary)
    pdf.set_author(doc.org.title())
    pdf.set_creator("Cà Mau Desk demo generator (tools/make_demo.py)")
    pdf.set_lang("vi")
    for style, path in _font_paths().items():
        pdf.add_font("VN", style, str(path))
    pdf.set_margins(25, 18, 15)
    pdf.set_auto_page_break(True, 18)
    _pdf_page(pdf, doc)
    if doc.copy_block is not None:
        _pdf_copy_block(pdf, doc.copy_block)
    return bytes(pdf.output())


def _pdf_header(pdf, doc: Doc) -> float:
    left_x, left_w, right_x, right_w = 20.0, 78.0, 100.0, 100.0
    top = 16.0
    pdf.set_xy(left_x, top)
    if doc.parent:
        pdf.set_font("VN", "", 11)
        pdf.multi_cell(left_w, 5.2, doc.parent, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("VN", "B", 11)
    pdf.multi_cell(left_w, 5.2, doc.org, align="C", new_x="LEFT", new_y="NEXT")
    y = pdf.get_y() + 0.6
    if doc.party:
        pdf.cell(left_w, 5, "*", align="C", new_x="LEFT", new_y="NEXT")
    else:
        pdf.line(left_x + left_w / 2 - 13, y, left_x + left_w / 2 + 13, y)
        pdf.set_y(y + 1.5)
    pdf.set_x(left_x)
    pdf.set_font("VN", "", 12)
    pdf.cell(left_w, 6, doc.number, align="C", new_x="LEFT", new_y="NEXT")
    if doc.is_cong_van:
        pdf.set_font("VN", "", 11)
        pdf.multi_cell(left_w, 5, doc.summary, align="C", new_x="LEFT", new_y="NEXT")
    for stamp in doc.stamps:
        pdf.ln(2)
        pdf.set_font("VN", "B", 13)
        pdf.set_text_color(220, 0, 0)
        pdf.set_draw_color(220, 0, 0)
        width = pdf.get_string_width(stamp) + 8
        pdf.set_x(left_x + (left_w - width) / 2)
        pdf.cell(width, 8, stamp, border=1, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(0, 0, 0)
    left_bottom = pdf.get_y()

    pdf.set_xy(right_x, top)
    if doc.party:
        pdf.set_font("VN", "B", 13)
        pdf.cell(right_w, 6, "ĐẢNG CỘNG SẢN VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT")
        y = pdf.get_y() + 0.4
        pdf.line(right_x + 18, y, right_x + right_w - 18, y)
        pdf.set_y(y + 3)
    else:
        pdf.set_font("VN", "B", 11)
        pdf.cell(right_w, 5.2, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font("VN", "B", 12)
        pdf.cell(right_w, 5.6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LEFT", new_y="NEXT")
        y = pdf.get_y() + 0.4
        pdf.line(right_x + 26, y, right_x + right_w - 26, y)
        pdf.set_y(y + 3)
    pdf.set_x(right_x)
    pdf.set_font("VN", "I", 12)
    pdf.cell(right_w, 6, vn_date(doc.date), align="C", new_x="LEFT", new_y="NEXT")
    return max(left_bottom, pdf.get_y())


def _pdf_page(pdf, doc: Doc) -> None:
    pdf.add_page()
    y = _pdf_header(pdf, doc) + 8
    pdf.set_xy(25, y)
    if doc.title:
        pdf.set_font("VN", "B", 14)
        pdf.cell(0, 7, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("VN", "B", 13)
        pdf.multi_cell(0, 6.2, doc.summary, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    if doc.recipient:
        pdf.set_font("VN", "", 13)
        pdf.multi_cell(0, 6.5, doc.recipient, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font("VN", "", 12.5)
    for para in doc.body:
        pdf.multi_cell(0, 6.3, "       " + para, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.2)
    _pdf_signature(pdf, doc)


def _pdf_signature(pdf, doc: Doc) -> None:
    needed = 8 + 6 * len(doc.signer) + 30
    if pdf.get_y() + needed > pdf.h - 18:
        pdf.add_page()
    y = pdf.get_y() + 5
    pdf.set_xy(25, y)
    if doc.noi_nhan:
        pdf.set_font("VN", "BI", 11)
        pdf.cell(80, 5.5, "Nơi nhận:", new_x="LEFT", new_y="NEXT")
        pdf.set_font("VN", "", 10)
        for item in doc.noi_nhan:
            pdf.multi_cell(80, 4.6, f"- {item}", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(108, y)
    pdf.set_font("VN", "B", 12.5)
    for line in doc.signer:
        pdf.cell(90, 6, line, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("VN", "I", 12)
    pdf.cell(90, 8, "(Đã ký)", align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(10)
    pdf.set_x(108)
    pdf.set_font("VN", "B", 12.5)
    pdf.cell(90, 6, doc.signer_name, align="C", new_x="LEFT", new_y="NEXT")


def _pdf_copy_block(pdf, copy: Doc) -> None:
    """The 'SAO Y' certification that a copying body adds under the original."""
    pdf.add_page()
    y = _pdf_header(pdf, copy) + 10
    pdf.set_xy(25, y)
    pdf.set_font("VN", "B", 14)
    pdf.cell(0, 8, copy.title or "SAO Y", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("VN", "", 12.5)
    for para in copy.body:
        pdf.multi_cell(0, 6.3, "       " + para, align="J", new_x="LMARGIN", new_y="NEXT")
    _pdf_signature(pdf, copy)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps so DOCX bytes are reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            item = zipfile.ZipInfo(info.filename, date_time=(2026, 10, 1, 8, 0, 0))
            item.compress_type = zipfile.ZIP_DEFLATED
            item.external_attr = 0o644 << 16
            dst.writestr(item, src.read(info.filename))
    return out.getvalue()


def render_docx(doc: Doc, *, legacy_font: str | None = None, legacy_table: dict[str, bytes] | None = None) -> bytes:
    """A DOCX with the same layout as :func:`render_pdf`.

    With ``legacy_font`` (e.g. ".VnTime") and ``legacy_table`` the text is stored as
    TCVN3 bytes shown as Latin-1 characters, the way old Word files typed with a
    TCVN3 keyboard look inside.
    """
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    def tx(text: str) -> str:
        if legacy_table is None:
            return text
        return encode_legacy(text, legacy_table).decode("latin-1")

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = legacy_font or "Times New Roman"
    normal.font.size = Pt(13)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)

    def para(cell_or_doc, text: str, *, bold: bool = False, italic: bool = False, size: float = 13,
             align=WD_ALIGN_PARAGRAPH.CENTER, first_line: float | None = None):
        p = cell_or_doc.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_after = Pt(2)
        if first_line is not None:
            p.paragraph_format.first_line_indent = Cm(first_line)
        run = p.add_run(tx(text))
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)
        return p

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.text = ""
    right.text = ""
    if doc.parent:
        para(left, doc.parent, size=12)
    para(left, doc.org, bold=True, size=12)
    para(left, "*" if doc.party else "__________", size=10)
    para(left, doc.number, size=13)
    if doc.is_cong_van:
        para(left, doc.summary, size=12)
    for stamp in doc.stamps:
        para(left, stamp, bold=True, size=13)
    if doc.party:
        para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=13)
    else:
        para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
        para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    para(right, "__________________", size=10)
    para(right, vn_date(doc.date), italic=True, size=13)

    if doc.title:
        para(document, doc.title, bold=True, size=14)
        para(document, doc.summary, bold=True, size=13)
    if doc.recipient:
        para(document, doc.recipient, size=13)
    for text in doc.body:
        para(document, text, size=13, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=1.0)

    footer = document.add_table(rows=1, cols=2)
    left, right = footer.rows[0].cells
    left.text = ""
    right.text = ""
    if doc.noi_nhan:
        para(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
        for item in doc.noi_nhan:
            para(left, f"- {item}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in doc.signer:
        para(right, line, bold=True, size=13)
    para(right, "(Đã ký)", italic=True, size=13)
    para(right, "", size=13)
    para(right, doc.signer_name, bold=True, size=13)

    props = document.core_properties
    props.author = doc.org.title()
    props.last_modified_by = doc.signer_name
    props.title = doc.summary
    props.created = doc.date.replace(tzinfo=None, hour=7, minute=30)
    props.modified = doc.date.replace(tzinfo=None, hour=7, minute=45)
    props.last_printed = doc.date.replace(tzinfo=None, hour=7, minute=45)
    props.revision = 1
    props.language = "vi-VN"
    buf = io.BytesIO()
    document.save(buf)
    return _normalise_zip(buf.getvalue())


def render_png(rgb: tuple[int, int, int], size: int = 48) -> bytes:
    """A small logo-like PNG for the inline cid: image (Pillow output is reproducible)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.ellipse((3, 3, size - 4, size - 4), fill=rgb, outline=(200, 0, 0), width=3)
    draw.rectangle((size // 3, size // 3, 2 * size // 3, 2 * size // 3), fill=(255, 215, 0))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


# --------------------------------------------------------------------------- MIME building

RNG = random.Random(SEED)


def _hex(n: int) -> str:
    return "".join(RNG.choice("0123456789abcdef") for _ in range(n))


def _alnum(n: int) -> str:
    return "".join(RNG.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


@dataclass(frozen=True)
class Client:
    """What the sending mail program leaves behind: ids, boundaries, headers, filename style."""

    name: str  # zimbra | outlook | thunderbird | gmail | oe6 | roundcube
    domain: str
    mailer: tuple[str, str] | None  # (header, value)
    filename_style: str  # "2231" or "2047"
    text_charset: email_charset.Charset


CLIENTS = {
    "zimbra": ("X-Mailer", "Zimbra 8.8.15_GA_4484 (ZimbraWebClient - GC120 (Win)/8.8.15_GA_4481)", "2047", UTF8_Q),
    "outlook": ("X-Mailer", "Microsoft Outlook 16.0", "2047", UTF8_Q),
    "thunderbird": ("User-Agent", "Mozilla Thunderbird", "2231", UTF8_8BIT),
    "gmail": (None, None, "2047", UTF8_Q),
    "oe6": ("X-Mailer", "Microsoft Outlook Express 6.00.2900.5931", "2047", UTF8_Q),
    "roundcube": ("User-Agent", "Roundcube Webmail/1.6.9", "2231", UTF8_Q),
}


def client(name: str, domain: str) -> Client:
    header, value, style, cs = CLIENTS[name]
    return Client(name, domain, (header, value) if header else None, style, cs)


def message_id(c: Client, date: dt.datetime) -> str:
    """A Message-ID in the shape the given client really produces."""
    epoch_ms = int(date.timestamp() * 1000)
    if c.name == "zimbra":
        # one provincial Zimbra server hosts every @...camau.gov.vn mailbox and names itself in the id
        first, second = RNG.randint(10**8, 10**9 - 1), RNG.randint(10**5, 10**6 - 1)
        return f"<{first}.{second}.{epoch_ms}.JavaMail.zimbra@camau.gov.vn>"
    if c.name == "outlook":
        return f"<00{_hex(4)}01db{_hex(4)}${_hex(8)}${_hex(8)}$@{c.domain}>"
    if c.name == "oe6":
        return f"<00{_hex(4)}01c{_hex(5)}${_hex(8)}$0{_hex(1)}00a8c0@{c.domain.split('.')[0]}>"
    if c.name == "gmail":
        return f"<CA{_alnum(2)}{_alnum(40)}@mail.gmail.com>"
    if c.name == "roundcube":
        return f"<{_hex(32)}@{c.domain}>"
    return f"<{uuid.UUID(int=RNG.getrandbits(128), version=4)}@{c.domain}>"


def boundary(c: Client) -> str:
    """A fixed (seeded) MIME boundary in the client's style."""
    if c.name in ("outlook", "oe6"):
        return f"----=_NextPart_000_{_hex(4).upper()}_01DB{_hex(4).upper()}.{_hex(8).upper()}"
    if c.name == "gmail":
        return f"000000000000{_hex(12)}"
    if c.name == "zimbra":
        first = RNG.randint(100000, 999999)
        second = RNG.randint(10**8, 10**9 - 1)
        third = RNG.randint(10**12, 10**13 - 1)
        return f"----=_Part_{first}_{second}.{third}"
    if c.name == "roundcube":
        return f"=_{_hex(32)}"
    return f"------------{_alnum(24)}"


def h_utf8(text: str, name: str, cs: email_charset.Charset = UTF8_B) -> Header | str:
    """An RFC 2047 header for Vietnamese text (plain string if it is ASCII)."""
    text = nfc(text)
    if text.isascii():
        return text
    return Header(text, cs, header_name=name)


def addr(name: str, address: str, cs: email_charset.Charset = UTF8_B) -> str:
    """'=?utf-8?b?...?= <a@b>' with the display name encoded when needed."""
    return formataddr((nfc(name), address), charset=cs)


def attachment(data: bytes, mime: tuple[str, str], filename: str, style: str) -> MIMEBase:
    """An attachment part whose Vietnamese file name is encoded per RFC 2231 or RFC 2047."""
    part = MIMEApplication(data, mime[1]) if mime[0] == "application" else MIMEImage(data, mime[1])
    del part["MIME-Version"]
    filename = nfc(filename)
    if filename.isascii():
        part.set_param("name", filename)
        part.add_header("Content-Disposition", "attachment", filename=filename)
    elif style == "2231":
        part.set_param("name", ("utf-8", "", filename))
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
    else:
        encoded = Header(filename, "utf-8").encode(maxlinelen=10_000)
        part.set_param("name", encoded)
        part.add_header("Content-Disposition", "attachment", filename=encoded)
    return part


@dataclass
class Mail:
    """One demo message: file name, purpose for the README, and its bytes."""

    filename: str
    purpose: str
    data: bytes = b""


def reorder_headers(msg: Message, headers: list[tuple[str, object]]) -> None:
    """Put envelope/identity headers first, then the MIME headers the constructor made."""
    mime = [(k, v) for k, v in msg.items()]
    for key in list(msg.keys()):
        del msg[key]
    for key, value in headers:
        msg[key] = value
    for key, value in mime:
        msg[key] = value


def received(sender_host: str, ip: str, date: dt.datetime, queue_id: str) -> str:
    stamp = format_datetime(date - dt.timedelta(seconds=RNG.randint(2, 40)))
    return (
        f"from {sender_host} ({sender_host} [{ip}])\r\n\tby mx01.camau.gov.vn (Postfix) with ESMTPS id {queue_id}\r\n"
        f"\tfor <{AGENCY_ADDR}>; {stamp}"
    )


def finish(
    msg: Message,
    *,
    c: Client,
    sender: tuple[str, str],
    subject: str | Header,
    date: dt.datetime,
    msgid: str | None = None,
    to: list[tuple[str, str]] | None = None,
    cc: list[tuple[str, str]] | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    extra: list[tuple[str, str]] | None = None,
    sender_ip: str = "203.0.113.25",
) -> bytes:
    """Add the top-level headers in a realistic order and serialise with CRLF."""
    msgid = msgid or message_id(c, date)
    to = to or [(AGENCY_NAME, AGENCY_ADDR)]
    host = "mail.camau.gov.vn" if c.domain.endswith("camau.gov.vn") else f"mail.{c.domain}"
    hdrs: list[tuple[str, object]] = [
        ("Return-Path", f"<{sender[1]}>"),
        ("Received", received(host, sender_ip, date, _hex(10).upper())),
        ("Message-ID", msgid),
        ("Date", format_datetime(date)),
        ("From", addr(*sender)),
        ("To", ", ".join(addr(n, a) for n, a in to)),
    ]
    if cc:
        hdrs.append(("Cc", ", ".join(addr(n, a) for n, a in cc)))
    subject_cs = UTF8_B if c.text_charset is UTF8_8BIT else c.text_charset
    hdrs.append(("Subject", h_utf8(subject, "Subject", subject_cs) if isinstance(subject, str) else subject))
    if in_reply_to:
        hdrs.append(("In-Reply-To", in_reply_to))
    if references:
        hdrs.append(("References", " ".join(references)))
    if c.mailer:
        hdrs.append(c.mailer)
    for item in extra or []:
        hdrs.append(item)
    _strip_nested_mime_version(msg)
    if "MIME-Version" not in msg:
        msg["MIME-Version"] = "1.0"
    reorder_headers(msg, hdrs)
    return msg.as_bytes(policy=WIRE)


def _strip_nested_mime_version(part: Message, top: bool = True) -> None:
    """compat32 puts MIME-Version on every part; real clients only on the top (and on attached messages)."""
    if not top:
        del part["MIME-Version"]
    if part.get_content_type() == "message/rfc822":
        return
    if part.is_multipart():
        for sub in part.get_payload():
            _strip_nested_mime_version(sub, top=False)


def text_part(text: str, c: Client, subtype: str = "plain") -> MIMEText:
    part = MIMEText(nfc(text), subtype, c.text_charset)
    del part["MIME-Version"]  # compat32 adds it to every part; real clients put it on top only
    return part


def with_attachments(c: Client, body: str, files: list[tuple[bytes, tuple[str, str], str]],
                     style: str | None = None) -> Message:
    """multipart/mixed with a text body and attachments (or a single text part)."""
    if not files:
        return text_part(body, c)
    msg = MIMEMultipart("mixed", boundary=boundary(c))
    msg.attach(text_part(body, c))
    for data, mime, name in files:
        msg.attach(attachment(data, mime, name, style or c.filename_style))
    return msg


def simple(
    filename: str,
    purpose: str,
    *,
    c: Client,
    sender: tuple[str, str],
    subject: str,
    date: dt.datetime,
    body: str,
    files: list[tuple[bytes, tuple[str, str], str]] | None = None,
    style: str | None = None,
    **kw,
) -> Mail:
    """The common case: text body plus attachments."""
    msg = with_attachments(c, body, files or [], style)
    return Mail(filename, purpose, finish(msg, c=c, sender=sender, subject=subject, date=date, **kw))


def pdf(doc: Doc, name: str) -> tuple[bytes, tuple[str, str], str]:
    return render_pdf(doc), MIME_PDF, name


def docx(doc: Doc, name: str) -> tuple[bytes, tuple[str, str], str]:
    return render_docx(doc), MIME_DOCX, name


def sign(office: str, who: str = "Văn thư") -> str:
    """A mail signature with a made-up Cà Mau (0290) phone number."""
    phone = f"0290.3 8{RNG.randint(10, 99)} {RNG.randint(100, 999)}"
    return f"\n--\n{who}\n{office}\nĐiện thoại: {phone}\n"


# --------------------------------------------------------------------------- the senders

UBND = ("UBND tỉnh Cà Mau", "ubnd@camau.gov.vn")
VPUB = ("Văn phòng UBND tỉnh Cà Mau", "vanthu@vpubnd.camau.gov.vn")
SKHCN = ("Sở Khoa học và Công nghệ tỉnh Cà Mau", "vanthu@skhcn.camau.gov.vn")
SNV = ("Sở Nội vụ tỉnh Cà Mau", "vanthu@snv.camau.gov.vn")
STC = ("Sở Tài chính tỉnh Cà Mau", "vanthu@stc.camau.gov.vn")
TINHUY = ("Văn phòng Tỉnh ủy Cà Mau", "vanphong@tinhuy.camau.gov.vn")
CAT = ("Phòng An ninh mạng - Công an tỉnh", "pa05@congan.camau.gov.vn")
BKHCN = ("Bộ Khoa học và Công nghệ", "vanthu@mst.gov.vn")
BNV = ("Bộ Nội vụ - Văn phòng Bộ", "vanthu@moha.gov.vn")
AN_XUYEN = ("UBND phường An Xuyên", "ubnd.anxuyen@camau.gov.vn")
NAM_CAN = ("UBND xã Năm Căn", "ubnd.namcan@camau.gov.vn")
DAM_DOI = ("UBND xã Đầm Dơi", "ubnd.damdoi@camau.gov.vn")
TAN_THANH = ("UBND phường Tân Thành", "ubnd.tanthanh@camau.gov.vn")
BAC_LIEU = ("UBND phường Bạc Liêu", "ubnd.baclieu@camau.gov.vn")
THOI_BINH = ("Văn thư UBND xã Thới Bình", "thoibinh.ubnd@camau.gov.vn")
HA = ("Phạm Thị Thu Hà", "hapt@sotttt.camau.gov.vn")
KHANG = ("Tô Minh Khang", "khangtm@sotttt.camau.gov.vn")
GIAM_DOC = ("Lê Hoàng Phúc", "phuclh@sotttt.camau.gov.vn")

P_UBND = "ỦY BAN NHÂN DÂN TỈNH CÀ MAU"
SIGN_UBND = (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Huỳnh Văn Nghĩa")
SIGN_VP = (["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"], "Đặng Thị Mỹ Linh")
SIGN_KHCN = (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Nguyễn Văn An")
SIGN_SNV = (["GIÁM ĐỐC"], "Trương Quốc Bảo")
SIGN_STC = (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Lâm Văn Hiếu")
SIGN_STTTT = (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Võ Thanh Sơn")
SIGN_XA = (["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "Trần Văn Bé")
NOI_NHAN_SO = ["Như trên;", "Lưu: VT, VP."]
KG_SO = "Kính gửi: Sở Thông tin và Truyền thông tỉnh Cà Mau"


def doc(org: str, number: str, date: dt.datetime, summary: str, body: list[str], signer, **kw) -> Doc:
    """Shorthand for a Doc under the provincial People's Committee letterhead."""
    kw.setdefault("parent", P_UBND)
    kw.setdefault("noi_nhan", NOI_NHAN_SO)
    return Doc(org=org, number=number, date=date, summary=summary, body=body,
               signer=signer[0], signer_name=signer[1], **kw)


OUTGOING_IDS = {  # messages the agency itself sent earlier (not in the demo inbox)
    "danh_ba": "<1843210077.219884.1790839800000.JavaMail.zimbra@camau.gov.vn>",
    "to_trinh": "<1843211932.220117.1791183600000.JavaMail.zimbra@camau.gov.vn>",
    "hoi_hop": "<1843215540.220531.1791788400000.JavaMail.zimbra@camau.gov.vn>",
}


# --------------------------------------------------------------------------- the mails


def build_all() -> list[Mail]:
    """Every demo message, in a fixed order (the RNG is consumed in this order)."""
    RNG.seed(SEED)
    mails: list[Mail] = []
    add = mails.append
    gov = "camau.gov.vn"

    # 01 giấy mời, RFC 2231 file name (Thunderbird) -------------------------------------------
    c = client("thunderbird", "vpubnd.camau.gov.vn")
    d = when(10, 5, 8, 12, 31)
    gm125 = Doc(
        parent="", org="ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU", number="Số: 125/GM-UBND", date=when(10, 5, 7, 30),
        title="GIẤY MỜI", summary="Họp nghe báo cáo tiến độ triển khai Đề án 06 trên địa bàn tỉnh",
        body=[
            "Ủy ban nhân dân tỉnh Cà Mau trân trọng kính mời Giám đốc Sở Thông tin và Truyền thông "
            "(hoặc Phó Giám đốc được ủy quyền) dự cuộc họp nghe báo cáo tiến độ triển khai Đề án phát triển "
            "ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia (Đề án 06).",
            "Chủ trì: đồng chí Huỳnh Văn Nghĩa, Phó Chủ tịch UBND tỉnh.",
            "Thời gian: 14 giờ 00, thứ Năm, ngày 08 tháng 10 năm 2026.",
            "Địa điểm: Phòng họp số 2, trụ sở UBND tỉnh, số 02 Hùng Vương, phường An Xuyên, tỉnh Cà Mau.",
            "Đề nghị Sở Thông tin và Truyền thông chuẩn bị báo cáo tình hình kết nối, chia sẻ dữ liệu "
            "và gửi về Văn phòng UBND tỉnh trước 16 giờ 00 ngày 07/10/2026 để tổng hợp./.",
        ],
        signer=["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"], signer_name="Đặng Thị Mỹ Linh",
        noi_nhan=["Như thành phần mời;", "Chủ tịch, các PCT UBND tỉnh;", "Lưu: VT, KGVX."],
    )
    gm125_pdf = render_pdf(gm125)
    add(simple(
        "01_giay_moi_hop_de_an_06.eml",
        "Giấy mời 125/GM-UBND (PDF); tên tệp đính kèm mã hóa RFC 2231 (Thunderbird)",
        c=c, sender=VPUB, date=d,
        subject="Giấy mời họp nghe báo cáo tiến độ triển khai Đề án 06 trên địa bàn tỉnh (125/GM-UBND)",
        body=(
            "Kính gửi: Sở Thông tin và Truyền thông tỉnh Cà Mau\n\n"
            "Văn phòng UBND tỉnh gửi kèm Giấy mời số 125/GM-UBND ngày 05/10/2026 của UBND tỉnh "
            "về việc họp nghe báo cáo tiến độ triển khai Đề án 06 trên địa bàn tỉnh.\n\n"
            "Đề nghị Quý cơ quan bố trí thành phần dự họp đúng thời gian quy định.\n\n"
            "Trân trọng./." + sign("Văn phòng UBND tỉnh Cà Mau")
        ),
        files=[(gm125_pdf, MIME_PDF, "Giấy mời họp.pdf")],
    ))
    msgid_01 = mails[-1].data.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0].decode()

    # 02 giấy mời hội thảo, RFC 2047 file name (Outlook) ----------------------------------------
    c = client("outlook", "skhcn.camau.gov.vn")
    d = when(10, 6, 9, 47, 5)
    gm48 = doc(
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 48/GM-SKHCN", when(10, 6, 8, 0),
        "Dự Hội thảo “Chuyển đổi số cấp xã, phường năm 2026”",
        [
            "Thực hiện Kế hoạch chuyển đổi số năm 2026 của UBND tỉnh, Sở Khoa học và Công nghệ tổ chức "
            "Hội thảo “Chuyển đổi số cấp xã, phường năm 2026: kết quả và bài học kinh nghiệm”.",
            "Sở Khoa học và Công nghệ trân trọng kính mời đại diện lãnh đạo Sở Thông tin và Truyền thông "
            "và 01 chuyên viên phụ trách công nghệ thông tin tham dự.",
            "Thời gian: 07 giờ 30, thứ Ba, ngày 20 tháng 10 năm 2026 (cả ngày).",
            "Địa điểm: Hội trường Trung tâm Hội nghị tỉnh, đường Trần Hưng Đạo, phường Tân Thành.",
            "Danh sách đại biểu đăng ký xin gửi về địa chỉ thư điện tử vanthu@skhcn.camau.gov.vn "
            "trước ngày 15/10/2026./.",
        ],
        SIGN_KHCN, title="GIẤY MỜI", noi_nhan=["Như thành phần mời;", "Giám đốc Sở (b/c);", "Lưu: VT, CĐS."],
    )
    add(simple(
        "02_giay_moi_hoi_thao_chuyen_doi_so.eml",
        "Giấy mời 48/GM-SKHCN (PDF); tên tệp mã hóa RFC 2047 trong tham số (kiểu Outlook)",
        c=c, sender=SKHCN, date=d, style="2047",
        subject="Giấy mời dự Hội thảo “Chuyển đổi số cấp xã, phường năm 2026”",
        body=(
            "Kính gửi: Sở Thông tin và Truyền thông\n\n"
            "Sở Khoa học và Công nghệ trân trọng gửi Giấy mời số 48/GM-SKHCN ngày 06/10/2026 "
            "dự Hội thảo “Chuyển đổi số cấp xã, phường năm 2026” (đính kèm).\n\n"
            "Trân trọng." + sign("Sở Khoa học và Công nghệ tỉnh Cà Mau", "Văn thư - Văn phòng Sở")
        ),
        files=[pdf(gm48, "Giấy mời hội thảo 48-GM-SKHCN.pdf")],
        extra=[("Thread-Index", "AdtGk" + _alnum(20) + "=="), ("Content-Language", "vi-VN")],
    ))

    # 03 giấy mời tập huấn + tài liệu họp (PDF + DOCX) -------------------------------------------
    c = client("zimbra", "snv.camau.gov.vn")
    d = when(10, 7, 15, 2, 44)
    gm32 = doc(
        "SỞ NỘI VỤ", "Số: 32/GM-SNV", when(10, 7, 8, 0),
        "Tham dự lớp tập huấn nghiệp vụ văn thư, lưu trữ điện tử năm 2026",
        [
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư; "
            "thực hiện Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2026, Sở Nội vụ tổ chức lớp tập huấn "
            "nghiệp vụ văn thư, lưu trữ điện tử.",
            "Sở Nội vụ kính mời Sở Thông tin và Truyền thông cử 01 công chức làm công tác văn thư tham dự.",
            "Thời gian: 02 ngày, từ ngày 27 đến ngày 28 tháng 10 năm 2026; khai mạc lúc 07 giờ 30.",
            "Địa điểm: Hội trường Sở Nội vụ, số 89 Phan Ngọc Hiển, phường An Xuyên.",
            "Chương trình tập huấn gửi kèm theo Giấy mời này./.",
        ],
        SIGN_SNV, title="GIẤY MỜI",
    )
    chuong_trinh = doc(
        "SỞ NỘI VỤ", "", when(10, 7, 8, 0), "Chương trình lớp tập huấn nghiệp vụ văn thư, lưu trữ điện tử",
        [
            "Ngày thứ nhất (27/10/2026), buổi sáng: Khai mạc; Chuyên đề 1: Quy định về văn bản điện tử, "
            "chữ ký số và giá trị pháp lý của văn bản điện tử.",
            "Buổi chiều: Chuyên đề 2: Tiếp nhận, đăng ký văn bản đến; trình, chuyển giao văn bản đến qua "
            "hệ thống quản lý văn bản và điều hành.",
            "Ngày thứ hai (28/10/2026), buổi sáng: Chuyên đề 3: Lập hồ sơ điện tử, nộp lưu hồ sơ vào Lưu trữ cơ quan.",
            "Buổi chiều: Thực hành trên phần mềm; trao đổi, thảo luận; bế mạc.",
        ],
        SIGN_SNV, title="CHƯƠNG TRÌNH", noi_nhan=[],
    )
    add(simple(
        "03_giay_moi_tap_huan_van_thu.eml",
        "Giấy mời 32/GM-SNV (PDF) kèm tài liệu họp dạng DOCX (hai tệp đính kèm)",
        c=c, sender=SNV, date=d,
        subject="Giấy mời tham dự lớp tập huấn nghiệp vụ văn thư, lưu trữ điện tử năm 2026",
        body=(
            "Kính gửi: Các sở, ban, ngành tỉnh; UBND các xã, phường\n\n"
            "Sở Nội vụ gửi Giấy mời số 32/GM-SNV và Chương trình tập huấn (đính kèm).\n"
            "Đề nghị các cơ quan, đơn vị đăng ký danh sách học viên trước ngày 20/10/2026.\n\n"
            "Trân trọng!" + sign("Sở Nội vụ tỉnh Cà Mau")
        ),
        files=[pdf(gm32, "Giấy mời tập huấn.pdf"), docx(chuong_trinh, "Chương trình tập huấn.docx")],
        to=[("Các sở, ban, ngành tỉnh", "sobannganh@lists.camau.gov.vn"), (AGENCY_NAME, AGENCY_ADDR)],
    ))

    # 04 công văn 4295/UBND-TH -------------------------------------------------------------------
    c = client("zimbra", gov)
    d = when(10, 8, 10, 21, 9)
    cv4295 = Doc(
        parent="", org="ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU", number="Số: 4295/UBND-TH", date=when(10, 8, 8, 0),
        summary="V/v triển khai thực hiện Quy chế sử dụng hệ thống thư điện tử công vụ",
        recipient="Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- UBND các xã, phường.",
        body=[
            "Thực hiện Chỉ thị số 34/2008/CT-TTg ngày 03/12/2008 của Thủ tướng Chính phủ về tăng cường sử dụng "
            "hệ thống thư điện tử trong hoạt động của cơ quan nhà nước, Chủ tịch UBND tỉnh có ý kiến như sau:",
            "1. Thủ trưởng các cơ quan, đơn vị chỉ đạo bộ phận văn thư kiểm tra hộp thư điện tử của cơ quan "
            "tối thiểu 04 lần trong ngày làm việc (vào lúc 07 giờ 00, 09 giờ 00, 13 giờ 00 và 15 giờ 00).",
            "2. Không sử dụng hộp thư điện tử công vụ để gửi, nhận văn bản có nội dung bí mật nhà nước; "
            "không sử dụng hộp thư cá nhân (Gmail, Yahoo...) để trao đổi văn bản công vụ.",
            "3. Giao Sở Khoa học và Công nghệ hướng dẫn, kiểm tra việc thực hiện; tổng hợp, báo cáo "
            "UBND tỉnh trước ngày 15/12/2026./.",
        ],
        signer=SIGN_UBND[0], signer_name=SIGN_UBND[1],
        noi_nhan=["Như trên;", "CT, các PCT UBND tỉnh;", "Cổng TTĐT tỉnh;", "Lưu: VT, TH."],
    )
    add(simple(
        "04_cong_van_4295_UBND-TH.eml",
        "Công văn 4295/UBND-TH (không có mã loại văn bản), PDF",
        c=c, sender=UBND, date=d,
        subject="Công văn số 4295/UBND-TH V/v triển khai thực hiện Quy chế sử dụng hệ thống thư điện tử công vụ",
        body=(
            "Kính gửi: Các sở, ban, ngành tỉnh; UBND các xã, phường.\n\n"
            "UBND tỉnh gửi Công văn số 4295/UBND-TH ngày 08/10/2026 (đính kèm) để các cơ quan, "
            "đơn vị biết, thực hiện.\n" + sign("Văn phòng UBND tỉnh Cà Mau", "Bộ phận Văn thư")
        ),
        files=[pdf(cv4295, "4295_UBND-TH.pdf")],
    ))

    # 05 công văn KHẨN, Sở Tài chính ---------------------------------------------------------------
    c = client("outlook", "stc.camau.gov.vn")
    d = when(10, 9, 16, 40, 12)
    cv2210 = doc(
        "SỞ TÀI CHÍNH", "Số: 2210/STC-QLNS", when(10, 9, 8, 0),
        "V/v xây dựng dự toán ngân sách nhà nước năm 2027",
        [
            "Căn cứ Thông tư hướng dẫn xây dựng dự toán ngân sách nhà nước năm 2027 của Bộ Tài chính, "
            "Sở Tài chính đề nghị các cơ quan, đơn vị lập dự toán thu, chi ngân sách năm 2027 theo biểu mẫu đính kèm.",
            "Dự toán gửi về Sở Tài chính (Phòng Quản lý ngân sách) bằng văn bản giấy và qua thư điện tử "
            "vanthu@stc.camau.gov.vn chậm nhất ngày 16/10/2026.",
            "Quá thời hạn trên, Sở Tài chính sẽ tổng hợp dự toán theo số liệu hiện có và báo cáo UBND tỉnh./.",
        ],
        SIGN_STC, stamps=["KHẨN"], recipient="Kính gửi: Các cơ quan, đơn vị dự toán cấp tỉnh",
    )
    add(simple(
        "05_cong_van_khan_du_toan_2027.eml",
        "Công văn KHẨN 2210/STC-QLNS (PDF có dấu KHẨN), X-Priority 2",
        c=c, sender=STC, date=d,
        subject="KHẨN: Xây dựng dự toán ngân sách nhà nước năm 2027 (CV 2210/STC-QLNS)",
        body=(
            "KHẨN\n\nKính gửi: Sở Thông tin và Truyền thông\n\n"
            "Sở Tài chính gửi Công văn số 2210/STC-QLNS ngày 09/10/2026 về việc xây dựng dự toán "
            "ngân sách nhà nước năm 2027. Đề nghị Quý Sở gửi dự toán trước ngày 16/10/2026.\n\n"
            "Trân trọng." + sign("Sở Tài chính tỉnh Cà Mau", "Phòng Quản lý ngân sách")
        ),
        files=[pdf(cv2210, "CV 2210-STC-QLNS du toan 2027.pdf")],
        extra=[("X-Priority", "2"), ("Importance", "high"), ("Content-Language", "vi-VN")],
    ))

    # 06 công văn của Bộ -------------------------------------------------------------------------
    c = client("roundcube", "mst.gov.vn")
    d = when(10, 12, 9, 5, 51)
    cv_bo = Doc(
        parent="", org="BỘ KHOA HỌC VÀ CÔNG NGHỆ", number="Số: 3456/BKHCN-CĐSQG", date=when(10, 9, 8, 0),
        summary="V/v báo cáo kết quả triển khai chuyển đổi số năm 2026",
        recipient="Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        body=[
            "Để tổng hợp, báo cáo Thủ tướng Chính phủ kết quả triển khai chuyển đổi số năm 2026, "
            "Bộ Khoa học và Công nghệ đề nghị Ủy ban nhân dân các tỉnh, thành phố chỉ đạo cơ quan chuyên môn "
            "báo cáo theo đề cương và biểu mẫu gửi kèm.",
            "Báo cáo gửi về Bộ Khoa học và Công nghệ trước ngày 30/11/2026, đồng thời gửi bản điện tử "
            "qua Trục liên thông văn bản quốc gia./.",
        ],
        signer=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], signer_name="Nguyễn Minh Hải",
        noi_nhan=["Như trên;", "Bộ trưởng (để b/c);", "Lưu: VT, CĐSQG."],
    )
    add(simple(
        "06_cong_van_bo_khcn_bao_cao_cds.eml",
        "Công văn của Bộ KH&CN 3456/BKHCN-CĐSQG (ký hiệu có chữ Đ), RFC 2231, Roundcube",
        c=c, sender=BKHCN, date=d,
        subject="Bộ KH&CN: Báo cáo kết quả triển khai chuyển đổi số năm 2026",
        body=(
            "Kính gửi: UBND tỉnh Cà Mau; Sở Khoa học và Công nghệ; Sở Thông tin và Truyền thông.\n\n"
            "Văn phòng Bộ Khoa học và Công nghệ gửi Công văn số 3456/BKHCN-CĐSQG ngày 09/10/2026 "
            "để Quý cơ quan triển khai thực hiện.\n\n"
            "Văn bản điện tử đã được ký số, có giá trị như bản gốc." + sign("Văn phòng Bộ Khoa học và Công nghệ")
        ),
        files=[pdf(cv_bo, "3456_BKHCN-CĐSQG.pdf")],
    ))

    # 07 báo cáo tuần (nội bộ, DOCX) ---------------------------------------------------------------
    c = client("zimbra", "sotttt.camau.gov.vn")
    d = when(10, 16, 16, 55, 3)
    bc_tuan = doc(
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG\nPHÒNG CÔNG NGHỆ THÔNG TIN", "Số: 41/BC-CNTT", when(10, 16, 8, 0),
        "Kết quả công tác tuần 42 (từ ngày 12/10 đến ngày 16/10/2026) và nhiệm vụ tuần 43",
        [
            "I. Kết quả thực hiện: Duy trì vận hành ổn định hệ thống thư điện tử công vụ, Trung tâm dữ liệu tỉnh; "
            "xử lý 17 yêu cầu hỗ trợ kỹ thuật của các xã, phường; hoàn thành cấp mới 46 hộp thư điện tử công vụ.",
            "II. Tồn tại, hạn chế: Một số xã ở vùng sâu kết nối mạng chưa ổn định, việc kiểm tra hộp thư "
            "04 lần/ngày chưa được thực hiện đầy đủ.",
            "III. Nhiệm vụ tuần 43: Rà soát danh bạ thư điện tử công vụ; chuẩn bị nội dung Hội thảo chuyển đổi số "
            "cấp xã ngày 20/10/2026.",
        ],
        (["TRƯỞNG PHÒNG"], "Phạm Thị Thu Hà"), parent="", title="BÁO CÁO", noi_nhan=["Ban Giám đốc Sở;", "Lưu: CNTT."],
    )
    add(simple(
        "07_bao_cao_tuan_42.eml",
        "Báo cáo tuần của phòng chuyên môn (DOCX), thư nội bộ",
        c=c, sender=HA, date=d,
        subject="Báo cáo tuần 42 - Phòng Công nghệ thông tin",
        body=(
            "Chào văn thư,\n\nPhòng CNTT gửi báo cáo kết quả công tác tuần 42 và nhiệm vụ tuần 43, "
            "nhờ bạn vào sổ và trình Giám đốc.\n\nCảm ơn!\nThu Hà"
        ),
        files=[docx(bc_tuan, "Báo cáo tuần 42.docx")],
    ))

    # 08 báo cáo tháng (UBND phường) ---------------------------------------------------------------
    c = client("gmail", "gmail.com")
    d = when(11, 2, 14, 18, 40)
    bc_thang = doc(
        "ỦY BAN NHÂN DÂN\nPHƯỜNG AN XUYÊN", "Số: 215/BC-UBND", when(11, 2, 8, 0),
        "Tình hình ứng dụng công nghệ thông tin, chuyển đổi số tháng 10 năm 2026",
        [
            "1. Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến toàn trình đạt 78,4%; "
            "100% văn bản đi (trừ văn bản mật) được ký số và gửi qua hệ thống quản lý văn bản và điều hành.",
            "2. Hộp thư điện tử công vụ của UBND phường được kiểm tra đủ 04 lần/ngày; "
            "đã tiếp nhận 312 văn bản đến qua thư điện tử.",
            "3. Kiến nghị: Sở Thông tin và Truyền thông hỗ trợ nâng cấp đường truyền số liệu chuyên dùng "
            "cho bộ phận Một cửa của phường./.",
        ],
        SIGN_XA, parent="", title="BÁO CÁO",
    )
    add(simple(
        "08_bao_cao_thang_10_phuong_an_xuyen.eml",
        "Báo cáo tháng 215/BC-UBND của UBND phường (PDF), gửi từ Gmail",
        c=c, sender=("UBND Phường An Xuyên", "ubndanxuyen.camau@gmail.com"), date=d,
        subject="Báo cáo tháng 10/2026 về ứng dụng CNTT, chuyển đổi số - UBND phường An Xuyên",
        body=(
            "Kính gửi Sở Thông tin và Truyền thông,\n\n"
            "UBND phường An Xuyên gửi Báo cáo số 215/BC-UBND ngày 02/11/2026 về tình hình ứng dụng CNTT, "
            "chuyển đổi số tháng 10/2026.\n\n"
            "(Do hộp thư công vụ của phường đang bị lỗi đăng nhập nên tạm gửi từ hộp thư này.)\n\n"
            "Trân trọng,\nVăn thư UBND phường An Xuyên"
        ),
        files=[pdf(bc_thang, "215-BC-UBND bao cao thang 10.pdf")],
    ))

    # 09 báo cáo quý (xã, DOCX + PDF) ---------------------------------------------------------------
    c = client("outlook", "camau.gov.vn")
    d = when(10, 13, 8, 31, 17)
    bc_quy = doc(
        "ỦY BAN NHÂN DÂN\nXÃ NĂM CĂN", "Số: 98/BC-UBND", when(10, 12, 8, 0),
        "Kết quả thực hiện nhiệm vụ chuyển đổi số quý III năm 2026",
        [
            "Trong quý III năm 2026, UBND xã Năm Căn tập trung triển khai các nhiệm vụ chuyển đổi số theo "
            "Kế hoạch của UBND tỉnh; hoàn thành số hóa 2.145 hồ sơ hộ tịch; 100% cán bộ, công chức xã "
            "được cấp và sử dụng hộp thư điện tử công vụ.",
            "Khó khăn: hạ tầng mạng tại các ấp ven biển chưa ổn định; thiếu nhân lực chuyên trách CNTT.",
            "Phương hướng quý IV: đẩy mạnh thanh toán không dùng tiền mặt; tuyên truyền người dân sử dụng "
            "dịch vụ công trực tuyến./.",
        ],
        SIGN_XA, parent="", title="BÁO CÁO",
    )
    add(simple(
        "09_bao_cao_quy_III_xa_nam_can.eml",
        "Báo cáo quý 98/BC-UBND: bản PDF ký số và bản DOCX",
        c=c, sender=NAM_CAN, date=d,
        subject="Báo cáo quý III/2026 kết quả thực hiện nhiệm vụ chuyển đổi số - UBND xã Năm Căn",
        body=(
            "Kính gửi: Sở Thông tin và Truyền thông tỉnh Cà Mau\n\n"
            "UBND xã Năm Căn gửi Báo cáo số 98/BC-UBND ngày 12/10/2026 (bản PDF đã ký số và bản Word "
            "để tổng hợp).\n\nTrân trọng!" + sign("UBND xã Năm Căn")
        ),
        files=[pdf(bc_quy, "98-BC-UBND.pdf"), docx(bc_quy, "Báo cáo quý III-2026.docx")],
    ))

    # 10 Tr: tờ trình 470/TTr-STTTT chuyển lại --------------------------------------------------------
    c = client("outlook", "vpubnd.camau.gov.vn")
    d = when(10, 14, 10, 3, 26)
    ttr470 = doc(
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: 470/TTr-STTTT", when(10, 9, 8, 0),
        "Đề nghị phê duyệt Kế hoạch nâng cấp hệ thống thư điện tử công vụ tỉnh Cà Mau giai đoạn 2027 - 2030",
        [
            "Căn cứ Quyết định số 26/2009/QĐ-UBND của UBND tỉnh ban hành Quy định về sử dụng hệ thống thư điện tử "
            "trong hoạt động của cơ quan nhà nước trên địa bàn tỉnh; Sở Thông tin và Truyền thông kính trình "
            "UBND tỉnh xem xét, phê duyệt Kế hoạch nâng cấp hệ thống thư điện tử công vụ giai đoạn 2027 - 2030.",
            "Tổng kinh phí dự kiến: 4.850.000.000 đồng (Bốn tỷ tám trăm năm mươi triệu đồng) từ nguồn ngân sách tỉnh.",
            "Sở Thông tin và Truyền thông kính trình UBND tỉnh xem xét, quyết định./.",
        ],
        (["GIÁM ĐỐC"], "Lê Hoàng Phúc"), title="TỜ TRÌNH", recipient="Kính gửi: Ủy ban nhân dân tỉnh Cà Mau",
        noi_nhan=["Như trên;", "Sở Tài chính;", "Lưu: VT, CNTT."],
    )
    add(simple(
        "10_Tr_to_trinh_470_TTr-STTTT.eml",
        "“Tr:” chuyển tiếp (Outlook tiếng Việt) Tờ trình 470/TTr-STTTT kèm ý kiến; In-Reply-To thư đi",
        c=c, sender=VPUB, date=d, style="2231",
        subject="Tr: Tờ trình số 470/TTr-STTTT đề nghị phê duyệt Kế hoạch nâng cấp hệ thống thư điện tử công vụ",
        body=(
            "Kính gửi: Sở Thông tin và Truyền thông\n\n"
            "Văn phòng UBND tỉnh chuyển lại Tờ trình số 470/TTr-STTTT ngày 09/10/2026. Phó Chủ tịch UBND tỉnh "
            "Huỳnh Văn Nghĩa có ý kiến: đề nghị Sở phối hợp Sở Tài chính thẩm định lại kinh phí, bổ sung "
            "ý kiến của Sở Tài chính trước khi trình lại.\n\nTrân trọng.\n\n"
            "-----Thư gốc-----\n"
            "Từ: Văn thư Sở Thông tin và Truyền thông <vanthu@sotttt.camau.gov.vn>\n"
            "Đã gửi: Thứ Sáu, 09 tháng 10 năm 2026 15:20\n"
            "Đến: Văn phòng UBND tỉnh Cà Mau <vanthu@vpubnd.camau.gov.vn>\n"
            "Chủ đề: Tờ trình số 470/TTr-STTTT\n\n"
            "Sở Thông tin và Truyền thông kính gửi Tờ trình số 470/TTr-STTTT (đính kèm).\n"
        ),
        files=[pdf(ttr470, "470_TTr-STTTT.pdf")],
        in_reply_to=OUTGOING_IDS["to_trinh"], references=[OUTGOING_IDS["to_trinh"]],
        extra=[("Thread-Topic", h_utf8("Tờ trình số 470/TTr-STTTT", "Thread-Topic", UTF8_Q))],
    ))

    # 11 tờ trình của UBND xã ---------------------------------------------------------------------
    c = client("zimbra", gov)
    d = when(10, 15, 14, 26, 8)
    ttr56 = doc(
        "ỦY BAN NHÂN DÂN\nXÃ THỚI BÌNH", "Số: 56/TTr-UBND", when(10, 14, 8, 0),
        "Đề nghị hỗ trợ trang thiết bị công nghệ thông tin cho Bộ phận Một cửa xã Thới Bình",
        [
            "Hiện nay, Bộ phận Một cửa xã Thới Bình được bố trí 04 máy tính đã qua sử dụng trên 08 năm, "
            "thường xuyên hư hỏng, ảnh hưởng đến việc tiếp nhận hồ sơ trực tuyến và ký số văn bản.",
            "UBND xã Thới Bình kính đề nghị Sở Thông tin và Truyền thông xem xét, hỗ trợ 04 máy tính, "
            "01 máy quét tài liệu và 01 bộ phát wifi cho Bộ phận Một cửa xã.",
            "Kính trình Sở Thông tin và Truyền thông xem xét, giải quyết./.",
        ],
        SIGN_XA, parent="", title="TỜ TRÌNH", recipient=KG_SO,
    )
    add(simple(
        "11_to_trinh_56_TTr-UBND_xa_thoi_binh.eml",
        "Tờ trình 56/TTr-UBND của UBND xã (PDF)",
        c=c, sender=THOI_BINH, date=d,
        subject="Tờ trình đề nghị hỗ trợ trang thiết bị CNTT cho Bộ phận Một cửa xã Thới Bình",
        body="Kính gửi Sở Thông tin và Truyền thông,\n\nUBND xã Thới Bình gửi Tờ trình số 56/TTr-UBND "
             "ngày 14/10/2026 (đính kèm).\n\nTrân trọng." + sign("UBND xã Thới Bình"),
        files=[pdf(ttr56, "56_TTr-UBND.pdf")],
        extra=[("X-Spam-Flag", "NO"), ("X-Spam-Status", "No, score=-1.2 required=5.0")],
    ))

    # 12 quyết định cá biệt 15/QĐ-UBND ---------------------------------------------------------------
    c = client("thunderbird", "camau.gov.vn")
    d = when(10, 19, 9, 14, 37)
    qd15 = doc(
        "ỦY BAN NHÂN DÂN\nPHƯỜNG BẠC LIÊU", "Số: 15/QĐ-UBND", when(10, 16, 8, 0),
        "Về việc thành lập Tổ công nghệ số cộng đồng phường Bạc Liêu",
        [
            "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BẠC LIÊU",
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025; căn cứ Kế hoạch chuyển đổi số "
            "năm 2026 của UBND tỉnh Cà Mau; xét đề nghị của Trưởng phòng Văn hóa - Xã hội phường,",
            "QUYẾT ĐỊNH:",
            "Điều 1. Thành lập Tổ công nghệ số cộng đồng phường Bạc Liêu gồm 12 thành viên (danh sách kèm theo).",
            "Điều 2. Tổ có nhiệm vụ hướng dẫn người dân sử dụng dịch vụ công trực tuyến, thanh toán điện tử "
            "và kỹ năng số cơ bản.",
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng HĐND và UBND phường, các cá nhân "
            "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
        ],
        (["CHỦ TỊCH"], "Quách Minh Trí"), parent="", title="QUYẾT ĐỊNH",
        noi_nhan=["Như Điều 3;", "Sở Thông tin và Truyền thông (b/c);", "Lưu: VT."],
    )
    add(simple(
        "12_quyet_dinh_15_QD-UBND.eml",
        "Quyết định cá biệt 15/QĐ-UBND (PDF), gửi để báo cáo",
        c=c, sender=BAC_LIEU, date=d,
        subject="Quyết định số 15/QĐ-UBND thành lập Tổ công nghệ số cộng đồng phường Bạc Liêu",
        body="Kính gửi: Sở Thông tin và Truyền thông\n\nUBND phường Bạc Liêu gửi Quyết định số 15/QĐ-UBND "
             "ngày 16/10/2026 để báo cáo.\n" + sign("UBND phường Bạc Liêu"),
        files=[pdf(qd15, "Quyết định 15-QĐ-UBND.pdf")],
    ))

    # 13 quyết định QPPL 12/2026/QĐ-UBND ----------------------------------------------------------------
    c = client("zimbra", gov)
    d = when(10, 20, 15, 48, 2)
    qd_qppl = Doc(
        parent="", org="ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU", number="Số: 12/2026/QĐ-UBND", date=when(10, 20, 8, 0),
        title="QUYẾT ĐỊNH",
        summary="Ban hành Quy chế sử dụng hệ thống thư điện tử công vụ trong hoạt động của cơ quan nhà nước "
                "trên địa bàn tỉnh Cà Mau",
        body=[
            "ỦY BAN NHÂN DÂN TỈNH CÀ MAU",
            "Căn cứ Luật Ban hành văn bản quy phạm pháp luật; căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 "
            "năm 2020 của Chính phủ về công tác văn thư; theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.",
            "QUYẾT ĐỊNH:",
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế sử dụng hệ thống thư điện tử công vụ trong hoạt động "
            "của cơ quan nhà nước trên địa bàn tỉnh Cà Mau.",
            "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày 01 tháng 12 năm 2026 và thay thế Quyết định "
            "số 26/2009/QĐ-UBND của Ủy ban nhân dân tỉnh Cà Mau ban hành Quy định về sử dụng hệ thống thư điện tử.",
            "Điều 3. Chánh Văn phòng UBND tỉnh, Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các xã, phường "
            "chịu trách nhiệm thi hành Quyết định này./.",
        ],
        signer=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], signer_name="Lý Văn Thành",
        noi_nhan=["Như Điều 3;", "Bộ Tư pháp (Cục KTVB);", "TT Tỉnh ủy, TT HĐND tỉnh;", "Công báo tỉnh;",
                  "Lưu: VT, KGVX."],
    )
    add(simple(
        "13_quyet_dinh_QPPL_12_2026_QD-UBND.eml",
        "Quyết định QPPL 12/2026/QĐ-UBND (kiểu 26/2009/QĐ-UBND), PDF",
        c=c, sender=UBND, date=d,
        subject="Quyết định số 12/2026/QĐ-UBND ban hành Quy chế sử dụng hệ thống thư điện tử công vụ",
        body="Kính gửi: Các sở, ban, ngành tỉnh; UBND các xã, phường.\n\nUBND tỉnh gửi Quyết định số "
             "12/2026/QĐ-UBND ngày 20/10/2026 (văn bản quy phạm pháp luật). Bản giấy không gửi.\n"
             + sign("Văn phòng UBND tỉnh Cà Mau", "Bộ phận Văn thư"),
        files=[pdf(qd_qppl, "12_2026_QĐ-UBND.pdf")],
    ))

    # 14 thông báo kết luận ---------------------------------------------------------------------------
    c = client("thunderbird", "vpubnd.camau.gov.vn")
    d = when(10, 13, 16, 5, 44)
    tb145 = doc(
        "VĂN PHÒNG", "Số: 145/TB-VPUBND", when(10, 13, 8, 0),
        "Kết luận của Phó Chủ tịch UBND tỉnh Huỳnh Văn Nghĩa tại cuộc họp nghe báo cáo tiến độ triển khai Đề án 06",
        [
            "Ngày 08/10/2026, Phó Chủ tịch UBND tỉnh Huỳnh Văn Nghĩa chủ trì cuộc họp nghe báo cáo tiến độ "
            "triển khai Đề án 06. Sau khi nghe báo cáo và ý kiến của các đại biểu, Phó Chủ tịch kết luận như sau:",
            "1. Sở Thông tin và Truyền thông chủ trì, phối hợp Công an tỉnh hoàn thành kết nối hệ thống giải quyết "
            "thủ tục hành chính với Cơ sở dữ liệu quốc gia về dân cư trước ngày 30/11/2026.",
            "2. UBND các xã, phường rà soát, làm sạch dữ liệu hộ tịch; báo cáo kết quả về Sở Tư pháp "
            "định kỳ hằng tháng.",
            "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.",
        ],
        SIGN_VP, title="THÔNG BÁO",
    )
    add(simple(
        "14_thong_bao_ket_luan_145_TB-VPUBND.eml",
        "Thông báo kết luận 145/TB-VPUBND (PDF); References trỏ về giấy mời 01",
        c=c, sender=VPUB, date=d,
        subject="Thông báo kết luận cuộc họp nghe báo cáo tiến độ Đề án 06 (145/TB-VPUBND)",
        body="Kính gửi các cơ quan, đơn vị,\n\nVăn phòng UBND tỉnh gửi Thông báo số 145/TB-VPUBND ngày "
             "13/10/2026.\n" + sign("Văn phòng UBND tỉnh Cà Mau"),
        files=[pdf(tb145, "Thông báo 145-TB-VPUBND.pdf")],
        references=[msgid_01],
    ))

    # 15 kế hoạch ----------------------------------------------------------------------------------------
    c = client("zimbra", gov)
    d = when(11, 4, 10, 12, 55)
    kh210 = Doc(
        parent="", org="ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU", number="Số: 210/KH-UBND", date=when(11, 3, 8, 0),
        title="KẾ HOẠCH", summary="Chuyển đổi số tỉnh Cà Mau năm 2027",
        body=[
            "I. MỤC ĐÍCH, YÊU CẦU: Tiếp tục phát triển chính quyền số, kinh tế số, xã hội số; bảo đảm 100% "
            "văn bản trao đổi giữa các cơ quan nhà nước (trừ văn bản mật) dưới dạng điện tử.",
            "II. NHIỆM VỤ TRỌNG TÂM: 1. Hoàn thiện hạ tầng số cấp xã, phường; 2. Nâng cấp hệ thống thư điện tử "
            "công vụ và hệ thống quản lý văn bản và điều hành; 3. Bồi dưỡng kỹ năng số cho cán bộ, công chức.",
            "III. KINH PHÍ: Từ nguồn ngân sách nhà nước theo phân cấp và các nguồn hợp pháp khác.",
            "IV. TỔ CHỨC THỰC HIỆN: Sở Khoa học và Công nghệ chủ trì, theo dõi, đôn đốc; định kỳ hằng quý "
            "báo cáo UBND tỉnh./.",
        ],
        signer=SIGN_UBND[0], signer_name=SIGN_UBND[1],
        noi_nhan=["Các sở, ban, ngành tỉnh;", "UBND các xã, phường;", "Lưu: VT, KGVX."],
    )
    add(simple(
        "15_ke_hoach_210_KH-UBND.eml",
        "Kế hoạch 210/KH-UBND (PDF)",
        c=c, sender=UBND, date=d,
        subject="Kế hoạch số 210/KH-UBND về chuyển đổi số tỉnh Cà Mau năm 2027",
        body="UBND tỉnh gửi Kế hoạch số 210/KH-UBND ngày 03/11/2026 để các cơ quan, đơn vị triển khai thực hiện."
             + sign("Văn phòng UBND tỉnh Cà Mau", "Bộ phận Văn thư"),
        files=[pdf(kh210, "Kế hoạch 210-KH-UBND.pdf")],
    ))

    # 16 xin ý kiến dự thảo --------------------------------------------------------------------------
    c = client("outlook", "snv.camau.gov.vn")
    d = when(11, 5, 8, 45, 19)
    cv1876 = doc(
        "SỞ NỘI VỤ", "Số: 1876/SNV-CCVC", when(11, 4, 8, 0),
        "V/v xin ý kiến dự thảo Kế hoạch tuyển dụng công chức năm 2027",
        [
            "Thực hiện chỉ đạo của UBND tỉnh, Sở Nội vụ đã xây dựng dự thảo Kế hoạch tuyển dụng công chức "
            "năm 2027 (gửi kèm).",
            "Để hoàn thiện dự thảo trước khi trình UBND tỉnh, Sở Nội vụ đề nghị Quý cơ quan nghiên cứu, "
            "góp ý bằng văn bản và gửi về Sở Nội vụ trước ngày 13/11/2026. Quá thời hạn trên, "
            "nếu không có ý kiến xem như thống nhất với dự thảo./.",
        ],
        SIGN_SNV, recipient="Kính gửi: Các sở, ban, ngành tỉnh",
    )
    du_thao = Doc(
        parent="", org="ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU", number="Số:        /KH-UBND", date=when(11, 4, 8, 0),
        title="KẾ HOẠCH", summary="Tuyển dụng công chức năm 2027", stamps=["DỰ THẢO"],
        body=[
            "I. MỤC ĐÍCH, YÊU CẦU: Tuyển dụng đủ số lượng công chức theo vị trí việc làm được phê duyệt; "
            "bảo đảm công khai, minh bạch, cạnh tranh.",
            "II. CHỈ TIÊU TUYỂN DỤNG: 64 chỉ tiêu (chi tiết tại Phụ lục kèm theo).",
            "III. HÌNH THỨC TUYỂN DỤNG: Thi tuyển trên máy vi tính, gồm 02 vòng.",
            "IV. TỔ CHỨC THỰC HIỆN: Sở Nội vụ là cơ quan thường trực Hội đồng tuyển dụng./.",
        ],
        signer=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], signer_name="",
    )
    add(simple(
        "16_xin_y_kien_du_thao_ke_hoach.eml",
        "Công văn 1876/SNV-CCVC xin ý kiến dự thảo (PDF) + “Dự thảo Kế hoạch.docx” (số để trống)",
        c=c, sender=SNV, date=d,
        subject="Xin ý kiến dự thảo Kế hoạch tuyển dụng công chức năm 2027",
        body="Kính gửi: Các sở, ban, ngành tỉnh\n\nSở Nội vụ gửi Công văn số 1876/SNV-CCVC xin ý kiến dự thảo "
             "Kế hoạch tuyển dụng công chức năm 2027. Ý kiến góp ý xin gửi trước ngày 13/11/2026 "
             "(bản Word dự thảo đính kèm để tiện góp ý).\n\nTrân trọng!"
             + sign("Sở Nội vụ tỉnh Cà Mau", "Phòng Công chức, viên chức"),
        files=[pdf(cv1876, "1876_SNV-CCVC.pdf"), docx(du_thao, "Dự thảo Kế hoạch.docx")],
    ))

    # 17 bản sao y -------------------------------------------------------------------------------------
    c = client("zimbra", "vpubnd.camau.gov.vn")
    d = when(10, 22, 14, 2, 10)
    qd_bo = Doc(
        parent="", org="BỘ KHOA HỌC VÀ CÔNG NGHỆ", number="Số: 2468/QĐ-BKHCN", date=when(10, 15, 8, 0),
        title="QUYẾT ĐỊNH", summary="Về việc công bố danh mục dịch vụ công trực tuyến toàn trình năm 2026",
        body=[
            "BỘ TRƯỞNG BỘ KHOA HỌC VÀ CÔNG NGHỆ",
            "QUYẾT ĐỊNH:",
            "Điều 1. Công bố kèm theo Quyết định này danh mục 42 dịch vụ công trực tuyến toàn trình "
            "thuộc phạm vi quản lý của Bộ Khoa học và Công nghệ.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
        ],
        signer=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], signer_name="Nguyễn Minh Hải",
        noi_nhan=["UBND các tỉnh, thành phố;", "Lưu: VT, VP."],
        copy_block=Doc(
            parent=P_UBND, org="VĂN PHÒNG", number="Số: 05/SY-VPUBND", date=when(10, 22, 8, 0), title="SAO Y",
            summary="Sao y bản chính",
            body=["Sao y từ bản điện tử có chữ ký số của Bộ Khoa học và Công nghệ."],
            signer=["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"], signer_name="Đặng Thị Mỹ Linh",
            noi_nhan=["Sở KH&CN, Sở TT&TT;", "UBND các xã, phường;", "Lưu: VT."],
        ),
    )
    add(simple(
        "17_ban_sao_y_05_SY-VPUBND.eml",
        "Bản sao y 05/SY-VPUBND của Quyết định 2468/QĐ-BKHCN (PDF hai trang)",
        c=c, sender=VPUB, date=d,
        subject="Bản sao y Quyết định số 2468/QĐ-BKHCN công bố danh mục dịch vụ công trực tuyến",
        body="Kính gửi: Sở Thông tin và Truyền thông\n\nVăn phòng UBND tỉnh sao y (số 05/SY-VPUBND) Quyết định "
             "số 2468/QĐ-BKHCN ngày 15/10/2026 của Bộ Khoa học và Công nghệ, gửi Quý cơ quan để biết.\n"
             + sign("Văn phòng UBND tỉnh Cà Mau"),
        files=[pdf(qd_bo, "05_SY-VPUBND.pdf")],
    ))

    # 18 HỎA TỐC ---------------------------------------------------------------------------------------
    c = client("zimbra", gov)
    d = when(11, 9, 6, 52, 13)
    hoa_toc = Doc(
        parent="", org="ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU", number="Số: 4410/UBND-KT", date=when(11, 9, 6, 0),
        summary="V/v chủ động ứng phó với triều cường, sạt lở bờ biển Tây",
        recipient="Kính gửi:\n- Các sở, ban, ngành tỉnh;\n- UBND các xã, phường ven biển.",
        stamps=["HỎA TỐC"],
        body=[
            "Theo bản tin của Đài Khí tượng Thủy văn tỉnh, từ ngày 09 đến ngày 12/11/2026 triều cường dâng cao "
            "kết hợp gió mùa Đông Bắc mạnh có nguy cơ gây sạt lở nghiêm trọng tuyến đê biển Tây.",
            "Chủ tịch UBND tỉnh yêu cầu: 1. Chủ tịch UBND các xã, phường ven biển trực 24/24 giờ, sẵn sàng "
            "sơ tán người dân ra khỏi khu vực nguy hiểm; 2. Sở Thông tin và Truyền thông bảo đảm thông tin liên lạc "
            "thông suốt, phối hợp đài phát thanh cơ sở thông tin kịp thời cho người dân.",
            "Báo cáo tình hình về Văn phòng UBND tỉnh trước 16 giờ 00 hằng ngày./.",
        ],
        signer=["CHỦ TỊCH"], signer_name="Lý Văn Thành",
        noi_nhan=["Như trên;", "Ban Chỉ huy PCTT và TKCN tỉnh;", "Lưu: VT, KT."],
    )
    add(simple(
        "18_HOA_TOC_4410_UBND-KT.eml",
        "HỎA TỐC trong tiêu đề và nội dung; PDF có dấu HỎA TỐC; X-Priority 1",
        c=c, sender=UBND, date=d,
        subject="HỎA TỐC - Công văn 4410/UBND-KT về việc chủ động ứng phó với triều cường, sạt lở bờ biển Tây",
        body="HỎA TỐC\n\nKính gửi: Các sở, ban, ngành tỉnh; UBND các xã, phường ven biển.\n\n"
             "UBND tỉnh gửi Công văn HỎA TỐC số 4410/UBND-KT ngày 09/11/2026. Đề nghị văn thư các cơ quan "
             "trình ngay lãnh đạo để triển khai.\n" + sign("Văn phòng UBND tỉnh Cà Mau", "Bộ phận Văn thư"),
        files=[pdf(hoa_toc, "4410_UBND-KT_HOA_TOC.pdf")],
        extra=[("X-Priority", "1 (Highest)"), ("Importance", "High"), ("Priority", "urgent")],
    ))

    # 19 THƯỢNG KHẨN --------------------------------------------------------------------------------
    c = client("outlook", "snv.camau.gov.vn")
    d = when(10, 28, 15, 31, 40)
    thuong_khan = doc(
        "SỞ NỘI VỤ", "Số: 2012/SNV-TCBC", when(10, 28, 8, 0),
        "V/v báo cáo số lượng cán bộ, công chức, viên chức nghỉ việc theo chính sách năm 2026",
        [
            "Để kịp thời tổng hợp, báo cáo Bộ Nội vụ, Sở Nội vụ đề nghị Thủ trưởng các cơ quan, đơn vị "
            "báo cáo số lượng cán bộ, công chức, viên chức đã nghỉ việc theo chính sách tinh giản biên chế "
            "từ ngày 01/01/2026 đến ngày 31/10/2026 (theo biểu mẫu đính kèm).",
            "Báo cáo gửi về Sở Nội vụ trước 10 giờ 00 ngày 29/10/2026 (bản điện tử qua thư điện tử)./.",
        ],
        SIGN_SNV, stamps=["THƯỢNG KHẨN"], recipient="Kính gửi: Các sở, ban, ngành tỉnh",
    )
    add(simple(
        "19_THUONG_KHAN_2012_SNV-TCBC.eml",
        "THƯỢNG KHẨN: công văn 2012/SNV-TCBC (PDF có dấu), hạn báo cáo sáng hôm sau",
        c=c, sender=SNV, date=d,
        subject="THƯỢNG KHẨN: Báo cáo số lượng CB, CC, VC nghỉ việc theo chính sách năm 2026",
        body="THƯỢNG KHẨN\n\nKính gửi: Thủ trưởng các sở, ban, ngành tỉnh\n\nSở Nội vụ gửi Công văn số "
             "2012/SNV-TCBC. Đề nghị báo cáo trước 10 giờ 00 ngày 29/10/2026.\n\nTrân trọng."
             + sign("Sở Nội vụ tỉnh Cà Mau", "Phòng Tổ chức, biên chế"),
        files=[pdf(thuong_khan, "2012_SNV-TCBC.pdf")],
        extra=[("X-Priority", "1"), ("Importance", "high")],
    ))

    # 20 MẬT (must be refused) ----------------------------------------------------------------------
    c = client("thunderbird", "congan.camau.gov.vn")
    d = when(10, 21, 10, 17, 22)
    mat = Doc(
        parent="CÔNG AN TỈNH CÀ MAU", org="PHÒNG AN NINH MẠNG VÀ\nPHÒNG CHỐNG TỘI PHẠM SỬ DỤNG CÔNG NGHỆ CAO",
        number="Số: 128/BC-PA05", date=when(10, 20, 8, 0), title="BÁO CÁO",
        summary="Tình hình an ninh mạng đối với hệ thống thông tin của cơ quan nhà nước quý III năm 2026",
        stamps=["MẬT"],
        body=[
            "(Nội dung tài liệu mật được lược bỏ trong dữ liệu mẫu.)",
            "Thư này chỉ dùng để kiểm tra: phần mềm phải từ chối vào sổ đến thông thường, không lưu bản sao "
            "vào thư mục mạng và cảnh báo văn thư.",
        ],
        signer=["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"], signer_name="Thượng tá Huỳnh Minh Tâm",
        noi_nhan=["Sở TT&TT (để phối hợp);", "Lưu: HS, PA05."],
    )
    add(simple(
        "20_MAT_bao_cao_an_ninh_mang.eml",
        "Văn bản MẬT (tiêu đề, nội dung, dấu MẬT trong PDF): ứng dụng phải từ chối vào sổ (R3.2)",
        c=c, sender=CAT, date=d,
        subject="MẬT - Báo cáo số 128/BC-PA05 tình hình an ninh mạng quý III/2026",
        body="MẬT\n\nKính gửi: Sở Thông tin và Truyền thông\n\nPhòng PA05 gửi Báo cáo số 128/BC-PA05 (tài liệu MẬT).\n"
             "Đề nghị quản lý theo quy định về bảo vệ bí mật nhà nước.\n" + sign("Công an tỉnh Cà Mau", "Phòng PA05"),
        files=[pdf(mat, "128_BC-PA05_MAT.pdf")],
    ))

    # 21 spam / quảng cáo ------------------------------------------------------------------------------
    c = client("gmail", "dienmaygiare.example")
    d = when(10, 23, 22, 41, 7)
    spam = MIMEMultipart("alternative", boundary=boundary(c))
    spam.attach(text_part(
        "SIÊU ƯU ĐÃI CUỐI NĂM!\nVay tín chấp đến 500 triệu, giải ngân trong 24h, không cần thế chấp.\n"
        "Đăng ký ngay: http://example.invalid/vay-nhanh?ref=camau\n\nHủy đăng ký: http://example.invalid/unsub", c))
    spam.attach(text_part(
        "<html><body><h1 style=\"color:red\">SIÊU ƯU ĐÃI CUỐI NĂM!</h1>"
        "\n<p>Vay tín chấp đến <b>500 triệu</b>, giải ngân trong 24h.</p>"
        "\n<p><a href=\"http://example.invalid/vay-nhanh?ref=camau\">ĐĂNG KÝ NGAY</a></p>"
        "\n<img src=\"http://example.invalid/banner-sale.jpg\" width=\"600\" height=\"300\">"
        "\n</body></html>", c, "html"))
    add(Mail("21_spam_quang_cao.eml", "Thư quảng cáo (X-Spam-Flag: YES): không vào sổ (R7.1a-1)", finish(
        spam, c=c, sender=("Tài Chính Nhanh 24h", "uudai@taichinhnhanh.example"), date=d,
        subject="Ưu đãi cuối năm: vay tín chấp 500 triệu, giải ngân trong 24h", sender_ip="198.51.100.77",
        extra=[
            ("X-Spam-Flag", "YES"),
            ("X-Spam-Score", "9.8"),
            ("X-Spam-Level", "*********"),
            ("X-Spam-Status", "Yes, score=9.8 required=5.0 tests=HTML_IMAGE_ONLY_16,\r\n\tMISSING_MID_DOMAIN,"
                              "RDNS_NONE,URIBL_BLOCKED autolearn=no version=3.4.6"),
            ("List-Unsubscribe", "<http://example.invalid/unsub>"),
        ],
    )))

    # 22 TCVN3 body declared as windows-1252 (Outlook Express) + .VnTime DOCX --------------------------
    tcvn3 = load_table("tcvn3.tsv")
    c = client("oe6", "tranvanthoi.camau.gov.vn")
    d = when(11, 10, 9, 3, 58)
    body_tcvn3 = (
        "Kính gửi: Sở Thông tin và Truyền thông tỉnh Cà Mau\r\n\r\n"
        "Uỷ ban nhân dân xã Trần Văn Thời gửi báo cáo kết quả ứng dụng công nghệ thông tin tháng 10 năm 2026 "
        "(file đính kèm soạn bằng phông .VnTime).\r\n"
        "Đề nghị Sở hỗ trợ cài đặt phần mềm chữ ký số cho văn thư xã.\r\n\r\n"
        "Trân trọng./.\r\nVăn thư UBND xã Trần Văn Thời\r\n"
    )
    legacy = MIMEMultipart("mixed", boundary=boundary(c))
    part = Message()
    part["Content-Type"] = 'text/plain;\r\n\tcharset="Windows-1252"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(quopri.encodestring(encode_legacy(body_tcvn3, tcvn3)).decode("ascii"))
    legacy.attach(part)
    bc_vntime = doc(
        "ỦY BAN NHÂN DÂN\nXÃ TRẦN VĂN THỜI", "Số: 87/BC-UBND", when(11, 9, 8, 0),
        "Kết quả ứng dụng công nghệ thông tin tháng 10 năm 2026",
        ["Trong tháng 10 năm 2026, Uỷ ban nhân dân xã đã tiếp nhận 268 văn bản đến qua thư điện tử, "
         "ban hành 141 văn bản đi; 100% văn bản đi được ký số."],
        SIGN_XA, parent="", title="BÁO CÁO",
    )
    legacy.attach(attachment(render_docx(bc_vntime, legacy_font=".VnTime", legacy_table=tcvn3), MIME_DOCX,
                             "BC thang 10 - VnTime.docx", "2047"))
    add(Mail("22_TCVN3_bao_cao_xa_tran_van_thoi.eml",
             "Nội dung và tiêu đề mã TCVN3 khai báo Windows-1252 (Outlook Express); DOCX phông .VnTime (R6.3)",
             finish(legacy, c=c, sender=("Van thu UBND xa Tran Van Thoi", "ubnd.tranvanthoi@camau.gov.vn"), date=d,
                    subject=encoded_words(encode_legacy("Báo cáo ứng dụng CNTT tháng 10 năm 2026", tcvn3),
                                          "Windows-1252"),
                    extra=[("X-Priority", "3"), ("X-MSMail-Priority", "Normal"),
                           ("X-MimeOLE", "Produced By Microsoft MimeOLE V6.00.2900.6157")])))

    # 23 VNI body, charset undeclared, 8bit ----------------------------------------------------------
    vni = load_table("vni.tsv")
    c = client("oe6", "baclieu.camau.gov.vn")
    d = when(11, 11, 14, 37, 21)
    body_vni = (
        "Kính gửi: Sở Thông tin và Truyền thông\r\n\r\n"
        "UBND phường Bạc Liêu báo cáo số liệu hạ tầng viễn thông tháng 10/2026 như sau:\r\n"
        "- Số trạm phát sóng di động (BTS) trên địa bàn: 46 trạm, trong đó 38 trạm đã phát sóng 5G.\r\n"
        "- Tỷ lệ hộ gia đình có đường truyền Internet cáp quang: 91,5%.\r\n"
        "- Đề nghị Sở hướng dẫn thủ tục cấp phép xây dựng trạm BTS ngụy trang.\r\n\r\n"
        "Người lập: Nguyễn Thị Kiều Oanh - Công chức Văn hóa - Xã hội\r\n"
    )
    raw = Message()
    raw["Content-Type"] = "text/plain"
    raw["Content-Transfer-Encoding"] = "8bit"
    raw.set_payload(encode_legacy(body_vni, vni).decode("ascii", "surrogateescape"))
    add(Mail("23_VNI_so_lieu_vien_thong_phuong_bac_lieu.eml",
             "Nội dung mã VNI-Windows, không khai báo charset, 8bit; tiêu đề không dấu (R6.3)",
             finish(raw, c=c, sender=("UBND phuong Bac Lieu", "ubnd.baclieu@camau.gov.vn"), date=d,
                    subject="Bao cao so lieu ha tang vien thong thang 10/2026 - phuong Bac Lieu",
                    extra=[("X-Priority", "3"), ("X-MSMail-Priority", "Normal")])))

    # 24 văn bản Đảng ------------------------------------------------------------------------------------
    c = client("zimbra", "tinhuy.camau.gov.vn")
    d = when(10, 26, 9, 48, 36)
    hd15 = Doc(
        parent="", org="TỈNH ỦY CÀ MAU", number="Số 15-HD/TU", date=when(10, 23, 8, 0), party=True,
        title="HƯỚNG DẪN",
        summary="Thể thức và kỹ thuật trình bày văn bản điện tử trong các cơ quan của Đảng bộ tỉnh",
        body=[
            "Căn cứ Hướng dẫn số 36-HD/VPTW ngày 03/4/2018 của Văn phòng Trung ương Đảng về thể thức "
            "và kỹ thuật trình bày văn bản của Đảng, Ban Thường vụ Tỉnh ủy hướng dẫn như sau:",
            "1. Văn bản điện tử của các cơ quan đảng được ký số và gửi qua hệ thống thông tin điều hành tác nghiệp; "
            "trường hợp gửi qua thư điện tử công vụ phải kèm tệp PDF đã ký số.",
            "2. Số và ký hiệu văn bản đảng ghi theo mẫu: Số 15-HD/TU; không dùng dấu hai chấm sau chữ “Số”.",
            "3. Văn bản có nội dung bí mật tuyệt đối không gửi qua thư điện tử./.",
        ],
        signer=["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"], signer_name="Dương Hồng Nhung",
        noi_nhan=["Các huyện ủy, đảng ủy trực thuộc;", "Các cơ quan tham mưu của Tỉnh ủy;", "Lưu Văn phòng Tỉnh ủy."],
    )
    add(simple(
        "24_van_ban_dang_15-HD_TU.eml",
        "Văn bản của Đảng (Hướng dẫn 15-HD/TU, kiểu 36-HD/VPTW) từ Văn phòng Tỉnh ủy (PDF)",
        c=c, sender=TINHUY, date=d,
        subject="Hướng dẫn số 15-HD/TU về thể thức và kỹ thuật trình bày văn bản điện tử",
        body="Kính gửi: Đảng ủy các cơ quan tỉnh; Sở Thông tin và Truyền thông (để phối hợp)\n\n"
             "Văn phòng Tỉnh ủy gửi Hướng dẫn số 15-HD/TU ngày 23/10/2026 của Ban Thường vụ Tỉnh ủy.\n"
             + sign("Văn phòng Tỉnh ủy Cà Mau", "Phòng Hành chính - Lưu trữ"),
        files=[pdf(hd15, "15-HD_TU.pdf")],
    ))

    # 25 TL: trả lời thư của Sở, kèm DOCX --------------------------------------------------------------
    c = client("outlook", "damdoi.camau.gov.vn")
    d = when(10, 19, 10, 55, 2)
    danh_ba = doc(
        "ỦY BAN NHÂN DÂN\nXÃ ĐẦM DƠI", "", when(10, 19, 8, 0), "Danh bạ thư điện tử công vụ UBND xã Đầm Dơi",
        [
            "1. Hộp thư cơ quan: ubnd.damdoi@camau.gov.vn - Văn thư: Lê Thị Bích Tuyền.",
            "2. Chủ tịch UBND xã: Trần Văn Bé - bantv@camau.gov.vn.",
            "3. Phó Chủ tịch UBND xã: Nguyễn Hoàng Nam - namnh.damdoi@camau.gov.vn.",
            "4. Văn phòng HĐND và UBND xã: vanphong.damdoi@camau.gov.vn.",
            "5. Phòng Kinh tế: kinhte.damdoi@camau.gov.vn; Phòng Văn hóa - Xã hội: vhxh.damdoi@camau.gov.vn.",
        ],
        SIGN_XA, parent="", title="DANH BẠ", noi_nhan=[],
    )
    add(simple(
        "25_TL_cap_nhat_danh_ba_xa_dam_doi.eml",
        "“TL:” trả lời thư đi của Sở (In-Reply-To/References), kèm DOCX danh bạ (R2.2)",
        c=c, sender=DAM_DOI, date=d,
        subject="TL: Đề nghị cập nhật danh bạ thư điện tử công vụ",
        body="Kính gửi Sở Thông tin và Truyền thông,\n\nUBND xã Đầm Dơi gửi danh bạ thư điện tử công vụ đã cập "
             "nhật (tệp đính kèm).\n\nTrân trọng.\n\n"
             "-----Thư gốc-----\nTừ: Văn thư Sở Thông tin và Truyền thông <vanthu@sotttt.camau.gov.vn>\n"
             "Đã gửi: Thứ Hai, 12 tháng 10 năm 2026 08:30\nĐến: UBND các xã, phường\n"
             "Chủ đề: Đề nghị cập nhật danh bạ thư điện tử công vụ\n\n"
             "Đề nghị UBND các xã, phường cập nhật danh bạ thư điện tử công vụ của đơn vị, gửi về Sở "
             "trước ngày 23/10/2026.\n",
        files=[docx(danh_ba, "Danh bạ email UBND xã Đầm Dơi.docx")],
        in_reply_to=OUTGOING_IDS["danh_ba"], references=[OUTGOING_IDS["danh_ba"]],
        extra=[("Thread-Topic", h_utf8("Đề nghị cập nhật danh bạ thư điện tử công vụ", "Thread-Topic", UTF8_Q))],
    ))

    # 26 Re: trả lời, văn bản thuần, chuỗi References -----------------------------------------------------
    c = client("zimbra", "vpubnd.camau.gov.vn")
    d = when(10, 7, 9, 20, 48)
    add(simple(
        "26_Re_thanh_phan_du_hop.eml",
        "“Re:” trả lời câu hỏi của Sở, không đính kèm; References gồm giấy mời 01 và thư đi",
        c=c, sender=("Đặng Thị Mỹ Linh", "linhdtm@vpubnd.camau.gov.vn"), date=d,
        subject="Re: Hỏi thành phần dự họp ngày 08/10/2026 (Giấy mời 125/GM-UBND)",
        body="Chào chị,\n\nThành phần dự họp gồm lãnh đạo Sở và 01 chuyên viên phụ trách kết nối dữ liệu dân cư. "
             "Báo cáo xin gửi trước 16 giờ chiều nay theo giấy mời.\n\nThân ái,\nMỹ Linh - VP UBND tỉnh\n\n"
             "----- Tin nhắn gốc -----\nTừ: \"Văn thư Sở TT&TT\" <vanthu@sotttt.camau.gov.vn>\n"
             "Gửi: Thứ Tư, 07 Tháng Mười 2026 8:40:00\n"
             "Chủ đề: Hỏi thành phần dự họp ngày 08/10/2026 (Giấy mời 125/GM-UBND)\n\n"
             "> Kính gửi VP UBND tỉnh,\n> Sở xin hỏi ngoài lãnh đạo Sở có cần cử thêm chuyên viên dự họp không ạ?\n",
        in_reply_to=OUTGOING_IDS["hoi_hop"], references=[msgid_01, OUTGOING_IDS["hoi_hop"]],
    ))

    # 27 TR: chuyển tiếp dạng message/rfc822 -------------------------------------------------------------
    c_inner = client("roundcube", "moha.gov.vn")
    cv_bnv = Doc(
        parent="", org="BỘ NỘI VỤ", number="Số: 7781/BNV-CCVC", date=when(10, 27, 8, 0),
        summary="V/v hướng dẫn đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2026",
        recipient="Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        body=[
            "Để việc đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2026 được thực hiện thống nhất, "
            "Bộ Nội vụ hướng dẫn một số nội dung sau: đánh giá gắn với kết quả thực hiện nhiệm vụ được giao, "
            "có sản phẩm cụ thể; hoàn thành trước ngày 15/12/2026./.",
        ],
        signer=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], signer_name="Vũ Đăng Khoa",
        noi_nhan=["Như trên;", "Lưu: VT, CCVC."],
    )
    inner = finish(
        with_attachments(c_inner, "Kính gửi UBND các tỉnh, thành phố,\n\nVăn phòng Bộ Nội vụ gửi Công văn số "
                         "7781/BNV-CCVC (đính kèm).\n" + sign("Văn phòng Bộ Nội vụ"),
                         [pdf(cv_bnv, "7781_BNV-CCVC.pdf")]),
        c=c_inner, sender=BNV, date=when(10, 27, 17, 2, 11),
        subject="Công văn 7781/BNV-CCVC hướng dẫn đánh giá, xếp loại chất lượng CB, CC, VC năm 2026",
        to=[("UBND tỉnh Cà Mau", "ubnd@camau.gov.vn")],
    )
    c = client("outlook", "sotttt.camau.gov.vn")
    d = when(10, 28, 7, 41, 9)
    from email import message_from_bytes

    fwd = MIMEMultipart("mixed", boundary=boundary(c))
    fwd.attach(text_part("Văn thư vào sổ giúp anh công văn của Bộ Nội vụ (UBND tỉnh chuyển qua hộp thư cá nhân "
                         "của anh), trình Giám đốc cho ý kiến.\n\nKhang", c))
    rfc822 = MIMEMessage(message_from_bytes(inner, policy=compat32))
    del rfc822["MIME-Version"]
    rfc822.add_header("Content-Disposition", "attachment",
                      filename=Header("Công văn 7781-BNV-CCVC.eml", "utf-8").encode(maxlinelen=10_000))
    fwd.attach(rfc822)
    add(Mail("27_TR_chuyen_tiep_cong_van_bo_noi_vu.eml",
             "“TR:” chuyển tiếp kèm nguyên thư gốc (message/rfc822) có PDF lồng bên trong",
             finish(fwd, c=c, sender=KHANG, date=d,
                    subject="TR: Công văn 7781/BNV-CCVC hướng dẫn đánh giá, xếp loại chất lượng CB, CC, VC năm 2026",
                    extra=[("Content-Language", "vi-VN")])))

    # 28 Fwd: chuyển tiếp nội dòng kiểu Gmail ------------------------------------------------------------
    c = client("gmail", "gmail.com")
    d = when(11, 16, 13, 12, 50)
    tb_tcd = doc(
        "BAN TIẾP CÔNG DÂN TỈNH", "Số: 21/TB-BTCD", when(11, 13, 8, 0),
        "Lịch tiếp công dân định kỳ tháng 12 năm 2026 của Chủ tịch UBND tỉnh",
        ["Chủ tịch UBND tỉnh tiếp công dân định kỳ vào ngày 15/12/2026 tại Trụ sở Tiếp công dân tỉnh. "
         "Đề nghị các sở, ngành có liên quan cử lãnh đạo tham dự, chuẩn bị hồ sơ vụ việc./."],
        (["TRƯỞNG BAN"], "Châu Thị Kim Phượng"), title="THÔNG BÁO",
    )
    add(simple(
        "28_Fwd_lich_tiep_cong_dan.eml",
        "“Fwd:” chuyển tiếp nội dòng kiểu Gmail từ hộp thư cá nhân của lãnh đạo (PDF)",
        c=c, sender=("Lê Hoàng Phúc", "lehoangphuc.cm@gmail.com"), date=d,
        subject="Fwd: Thông báo lịch tiếp công dân định kỳ tháng 12/2026",
        body="Văn thư vào sổ và gửi Phòng Thanh tra chuẩn bị nội dung.\n\n"
             "---------- Forwarded message ---------\n"
             "From: Ban Tiếp công dân tỉnh <btcd@camau.gov.vn>\nDate: Fri, 13 Nov 2026 at 15:02\n"
             "Subject: Thông báo lịch tiếp công dân định kỳ tháng 12/2026\n"
             "To: <phuclh@sotttt.camau.gov.vn>\n\n"
             "Ban Tiếp công dân tỉnh gửi Thông báo số 21/TB-BTCD (đính kèm).\n",
        files=[pdf(tb_tcd, "21-TB-BTCD lịch tiếp công dân.pdf")],
        references=["<20261113080211.4F2A1C0B77@btcd.camau.gov.vn>"],
    ))

    # 29 thư cá nhân -----------------------------------------------------------------------------------------
    c = client("gmail", "gmail.com")
    d = when(11, 7, 20, 14, 3)
    personal = MIMEMultipart("alternative", boundary=boundary(c))
    text = ("Chị Thu Hà ơi,\n\nLớp mình họp lớp vào tối Chủ nhật 15/11 lúc 18 giờ ở quán Đất Mũi gần chợ Phường 2 nha. "
            "Chị nhắn lại cho em số người đi cùng để em đặt bàn.\n\nEm Diễm")
    personal.attach(text_part(text, c))
    personal.attach(text_part("<div dir=\"ltr\">" + text.replace("\n", "<br>") + "</div>", c, "html"))
    add(Mail("29_thu_ca_nhan.eml", "Thư cá nhân gửi nhầm vào hộp thư cơ quan: không phải văn bản (R7.1b)",
             finish(personal, c=c, sender=("Nguyễn Thị Ngọc Diễm", "ngocdiem.nguyen86@gmail.com"), date=d,
                    subject="Họp lớp cuối tuần nha chị", sender_ip="209.85.128.45")))

    # 30 HTML: ảnh từ xa, pixel theo dõi, ảnh cid: ------------------------------------------------------------
    c = client("thunderbird", "skhcn.camau.gov.vn")
    d = when(11, 18, 8, 5, 0)
    alt = MIMEMultipart("alternative", boundary=boundary(c))
    alt.attach(text_part(
        "BẢN TIN CHUYỂN ĐỔI SỐ CÀ MAU - SỐ 11/2026\n\n"
        "1. Toàn tỉnh có 64/64 xã, phường sử dụng hệ thống quản lý văn bản và điều hành.\n"
        "2. Hội thảo chuyển đổi số cấp xã, phường năm 2026 thành công tốt đẹp.\n\n"
        "Xem bản đầy đủ: http://example.invalid/bantin/2026-11", c))
    related = MIMEMultipart("related", boundary=boundary(c))
    html = (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n"
        "<p><img src=\"cid:logo-skhcn@camau.gov.vn\" alt=\"Logo Sở KH&amp;CN\" width=\"48\" height=\"48\"></p>"
        "\n<h2>BẢN TIN CHUYỂN ĐỔI SỐ CÀ MAU - SỐ 11/2026</h2>"
        "\n<p><img src=\"http://example.invalid/bantin/2026-11/banner.jpg\" alt=\"Ảnh bìa bản tin\" width=\"600\"></p>"
        "\n<ol><li>Toàn tỉnh có <b>64/64</b> xã, phường sử dụng hệ thống quản lý văn bản và điều hành.</li>"
        "\n<li>Hội thảo chuyển đổi số cấp xã, phường năm 2026 thành công tốt đẹp.</li></ol>"
        "\n<p><a href=\"http://example.invalid/bantin/2026-11\">Xem bản đầy đủ</a></p>"
        "\n<img src=\"http://example.invalid/t/open.gif?m=bt1126&amp;u=vanthu-sotttt\" width=\"1\" height=\"1\" "
        "style=\"display:none\" alt=\"\">"
        "\n</body></html>"
    )
    related.attach(text_part(html, c, "html"))
    logo = MIMEImage(render_png((0, 102, 204)), "png")
    del logo["MIME-Version"]
    logo.add_header("Content-ID", "<logo-skhcn@camau.gov.vn>")
    logo.add_header("Content-Disposition", "inline", filename="logo.png")
    related.attach(logo)
    alt.attach(related)
    add(Mail("30_HTML_ban_tin_anh_tu_xa.eml",
             "HTML có ảnh từ xa, pixel theo dõi (example.invalid) và ảnh nhúng cid: (phải chặn tải ảnh từ xa)",
             finish(alt, c=c, sender=("Trung tâm Chuyển đổi số - Sở KH&CN", "bantin.cds@skhcn.camau.gov.vn"),
                    date=d, subject="Bản tin Chuyển đổi số Cà Mau số 11/2026")))

    # 31 windows-1258 --------------------------------------------------------------------------------------
    c = client("outlook", "tanthanh.camau.gov.vn")
    d = when(11, 19, 10, 26, 31)
    body_1258 = (
        "Kính gửi: Sở Thông tin và Truyền thông\r\n\r\n"
        "UBND phường Tân Thành đăng ký 05 cán bộ, công chức tham gia lớp bồi dưỡng kỹ năng số "
        "tổ chức ngày 25/11/2026:\r\n"
        "1. Nguyễn Thị Mỹ Hạnh - Văn phòng HĐND và UBND phường\r\n"
        "2. Trần Quốc Việt - Phòng Kinh tế, Hạ tầng và Đô thị\r\n"
        "3. Lý Thị Huyền Trân - Phòng Văn hóa - Xã hội\r\n"
        "4. Phạm Minh Đức - Trung tâm Phục vụ hành chính công phường\r\n"
        "5. Huỳnh Thị Yến Nhi - Văn thư\r\n\r\n"
        "Trân trọng./.\r\n"
    )
    cp = Message()
    cp["Content-Type"] = 'text/plain;\r\n\tcharset="windows-1258"'
    cp["Content-Transfer-Encoding"] = "quoted-printable"
    cp.set_payload(quopri.encodestring(encode_cp1258(body_1258)).decode("ascii"))
    sender_1258 = encoded_words(encode_cp1258("UBND phường Tân Thành"), "windows-1258") + "\r\n <" + TAN_THANH[1] + ">"
    cp_msg = finish(cp, c=c, sender=("", ""), date=d,
                    subject=encoded_words(encode_cp1258("Đăng ký tham gia lớp bồi dưỡng kỹ năng số"), "windows-1258"),
                    extra=[("X-Priority", "3")])
    cp_msg = cp_msg.replace(b"Return-Path: <>", b"Return-Path: <" + TAN_THANH[1].encode() + b">")
    cp_msg = cp_msg.replace(b"\r\nFrom: \r\n", b"\r\nFrom: " + sender_1258.encode("ascii") + b"\r\n")
    add(Mail("31_windows-1258_dang_ky_boi_duong.eml",
             "Mã windows-1258 (chữ cái + dấu thanh tổ hợp, không NFC) ở tiêu đề, người gửi và nội dung (R6.3)",
             cp_msg))

    # 32 văn bản thuần, không đính kèm: lịch công tác tuần -------------------------------------------------
    c = client("zimbra", "vpubnd.camau.gov.vn")
    d = when(11, 6, 16, 30, 15)
    add(simple(
        "32_lich_cong_tac_tuan_46.eml",
        "Lịch công tác tuần: thư văn bản thuần, không có tệp đính kèm",
        c=c, sender=VPUB, date=d,
        subject="Lịch công tác tuần 46 (từ 09/11 đến 13/11/2026) của Thường trực UBND tỉnh",
        body=(
            "LỊCH CÔNG TÁC TUẦN 46 CỦA THƯỜNG TRỰC UBND TỈNH\n(Từ ngày 09/11 đến ngày 13/11/2026)\n\n"
            "Thứ Hai (09/11):\n- 07h30: Chủ tịch UBND tỉnh chủ trì giao ban Thường trực UBND tỉnh.\n"
            "- 14h00: PCT Huỳnh Văn Nghĩa làm việc với Sở Khoa học và Công nghệ.\n\n"
            "Thứ Ba (10/11):\n- 08h00: Chủ tịch UBND tỉnh dự kỳ họp chuyên đề HĐND tỉnh.\n\n"
            "Thứ Tư (11/11):\n- 08h00: PCT Huỳnh Văn Nghĩa kiểm tra công trình kè chống sạt lở bờ biển Tây.\n\n"
            "Thứ Năm (12/11):\n- 14h00: Họp Ban Chỉ đạo chuyển đổi số tỉnh (Phòng họp số 1).\n\n"
            "Thứ Sáu (13/11):\n- Cả ngày: Thường trực UBND tỉnh làm việc tại trụ sở.\n\n"
            "Lịch có thể thay đổi; các cơ quan theo dõi trên Cổng thông tin điện tử tỉnh."
            + sign("Văn phòng UBND tỉnh Cà Mau", "Phòng Hành chính - Tổ chức")
        ),
    ))

    # 33 gửi trùng giấy mời 125 -------------------------------------------------------------------------
    c = client("thunderbird", "vpubnd.camau.gov.vn")
    d = when(10, 5, 8, 40, 2)
    add(simple(
        "33_gui_lai_giay_moi_125.eml",
        "Gửi lại giấy mời 125/GM-UBND (cùng tệp PDF với thư 01): kiểm tra cảnh báo trùng",
        c=c, sender=VPUB, date=d,
        subject="Gửi lại: Giấy mời họp nghe báo cáo tiến độ triển khai Đề án 06 (125/GM-UBND)",
        body="Kính gửi: Sở Thông tin và Truyền thông\n\nVăn phòng UBND tỉnh gửi lại Giấy mời số 125/GM-UBND do thư "
             "trước có thể bị lỗi đường truyền. Nếu đã nhận, xin bỏ qua thư này.\n"
             + sign("Văn phòng UBND tỉnh Cà Mau"),
        files=[(gm125_pdf, MIME_PDF, "Giấy mời họp.pdf")],
    ))

    # 34 doanh nghiệp gửi đơn (DOCX) --------------------------------------------------------------------
    c = client("roundcube", "datmui-media.example")
    d = when(11, 20, 9, 12, 44)
    don = Doc(
        parent="", org="CÔNG TY TNHH\nTRUYỀN THÔNG ĐẤT MŨI", number="Số: 18/2026/CV-ĐM", date=when(11, 19, 8, 0),
        title="ĐƠN ĐỀ NGHỊ", summary="Cấp giấy phép xuất bản bản tin “Đất Mũi Xanh”", recipient=KG_SO,
        body=[
            "Công ty TNHH Truyền thông Đất Mũi, mã số doanh nghiệp 2001xxxxxx (dữ liệu mẫu), địa chỉ: "
            "đường Lý Thường Kiệt, phường Tân Thành, tỉnh Cà Mau.",
            "Đề nghị Sở Thông tin và Truyền thông cấp giấy phép xuất bản bản tin “Đất Mũi Xanh”, kỳ hạn "
            "xuất bản 01 tháng/kỳ, số lượng 500 bản/kỳ, khuôn khổ 19 x 27 cm.",
            "Công ty cam kết thực hiện đúng quy định của pháp luật về báo chí./.",
        ],
        signer=["GIÁM ĐỐC"], signer_name="Tăng Quốc Huy", noi_nhan=[],
    )
    add(simple(
        "34_doanh_nghiep_de_nghi_cap_phep_ban_tin.eml",
        "Doanh nghiệp gửi đơn đề nghị (DOCX, RFC 2231) - văn bản đến từ ngoài khu vực nhà nước (R1)",
        c=c, sender=("Công ty TNHH Truyền thông Đất Mũi", "lienhe@datmui-media.example"), date=d,
        subject="Đề nghị cấp giấy phép xuất bản bản tin “Đất Mũi Xanh”",
        body="Kính gửi Sở Thông tin và Truyền thông tỉnh Cà Mau,\n\nCông ty TNHH Truyền thông Đất Mũi xin gửi đơn đề "
             "nghị cấp giấy phép xuất bản bản tin (tệp đính kèm). Bản gốc sẽ nộp tại Trung tâm Phục vụ "
             "hành chính công.\n\n"
             "Trân trọng,\nTăng Quốc Huy\nGiám đốc", sender_ip="192.0.2.14",
        files=[docx(don, "Đơn đề nghị cấp giấy phép xuất bản bản tin.docx")],
    ))

    # 35 công văn, tiêu đề rất dài (thử gập dòng), bàn giao hộp thư -------------------------------------
    c = client("zimbra", "skhcn.camau.gov.vn")
    d = when(11, 25, 14, 55, 38)
    cv1520 = doc(
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 1520/SKHCN-VP", when(11, 25, 8, 0),
        "V/v tiếp nhận, bàn giao hồ sơ, tài liệu và hộp thư điện tử công vụ của Sở Thông tin và Truyền thông",
        [
            "Thực hiện chủ trương sắp xếp tổ chức bộ máy, chức năng, nhiệm vụ về thông tin và truyền thông "
            "đã được giao cho Sở Khoa học và Công nghệ. Để bảo đảm hoạt động thông suốt, Sở Khoa học và Công nghệ "
            "đề nghị:",
            "1. Văn thư Sở Thông tin và Truyền thông tiếp tục theo dõi hộp thư vanthu@sotttt.camau.gov.vn đến hết "
            "ngày 31/12/2026; chuyển toàn bộ văn bản đến cho Văn phòng Sở Khoa học và Công nghệ xử lý.",
            "2. Bàn giao mật khẩu và toàn bộ dữ liệu hộp thư cho người được giao quản lý mới, lập biên bản bàn giao "
            "và thông báo cho các cơ quan, đơn vị biết./.",
        ],
        SIGN_KHCN, recipient="Kính gửi: Văn phòng Sở Thông tin và Truyền thông (trước đây)",
    )
    add(simple(
        "35_cong_van_tieu_de_dai_ban_giao_hop_thu.eml",
        "Công văn 1520/SKHCN-VP, tiêu đề rất dài (kiểm tra gập dòng tiêu đề mã hóa) (R4.2)",
        c=c, sender=SKHCN, date=d,
        subject="Công văn số 1520/SKHCN-VP ngày 25/11/2026 của Sở Khoa học và Công nghệ về việc tiếp nhận, bàn giao "
                "hồ sơ, tài liệu và hộp thư điện tử công vụ của Sở Thông tin và Truyền thông sau khi sắp xếp "
                "tổ chức bộ máy",
        body="Kính gửi: Sở Thông tin và Truyền thông\n\nSở Khoa học và Công nghệ gửi Công văn số 1520/SKHCN-VP "
             "ngày 25/11/2026 (đính kèm).\n" + sign("Sở Khoa học và Công nghệ tỉnh Cà Mau", "Văn phòng Sở"),
        files=[pdf(cv1520, "1520_SKHCN-VP.pdf")],
    ))
    return mails


# --------------------------------------------------------------------------- output


def readme(mails: list[Mail]) -> str:
    """The README that lists every demo file and what it exercises."""
    lines = [
        "# Demo mailbox (`resources/demo/`)",
        "",
        f"Invented e-mails as they would arrive in the agency mailbox `{AGENCY_ADDR}`",
        "(Sở Thông tin và Truyền thông tỉnh Cà Mau), October–November 2026. Names, numbers,",
        "phone numbers and addresses are made up; remote URLs use `.invalid` / `.example`.",
        "",
        "**Do not edit these files by hand.** They are written by `tools/make_demo.py`",
        "(deterministic: re-running gives byte-identical files; `--check` verifies).",
        "The test `tests/unit/test_demo_corpus.py` checks the corpus.",
        "",
        "| File | Purpose |",
        "|---|---|",
    ]
    for mail in mails:
        lines.append(f"| `{mail.filename}` | {mail.purpose} |")
    total = sum(len(m.data) for m in mails)
    lines += ["", f"{len(mails)} messages, {total:,} bytes in total.", ""]
    return "\n".join(lines)


def render_all() -> dict[str, bytes]:
    """Every output file name (relative to the demo folder) and its bytes."""
    mails = build_all()
    files = {m.filename: m.data for m in mails}
    files["README.md"] = readme(mails).encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the demo .eml corpus deterministically.")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: resources/demo)")
    parser.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    args = parser.parse_args(argv)
    files = render_all()
    if args.check:
        stale = [n for n, data in files.items() if not (args.out / n).is_file() or (args.out / n).read_bytes() != data]
        for name in stale:
            print(f"differs: {name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.eml"):
        if old.name not in files:
            old.unlink()
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    print(f"wrote {len(files) - 1} messages to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
