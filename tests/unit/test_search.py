"""Vietnamese full-text search over a small built corpus (R6.2, R6.3, R3.3)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from camau_desk.archive.query import parse_query
from camau_desk.archive.search import index_pending, make_snippet, rebuild_index, search
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import ensure_folder, set_spam, store_message
from camau_desk.store.db import open_db, transaction
from tests.fixtures.mail import make_mail, pdf_bytes

pytestmark = pytest.mark.unit

PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx_bytes(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class Corpus:
    def __init__(self, tmp: Path) -> None:
        self.db = open_db(tmp / "db.sqlite3")
        self.blobs = BlobStore(tmp / "blobs")
        with transaction(self.db):
            self.folder = ensure_folder(self.db, "coquan", "INBOX", "inbox")
        self.n = 0

    def add(self, subject: str, body: str = "Kính gửi.", **kw) -> int:
        self.n += 1
        raw = make_mail(subject, body, **kw)
        with transaction(self.db):
            mid, _ = store_message(self.db, self.blobs, "coquan", self.folder, raw, uidvalidity=1, uid=self.n)
        return mid

    def index(self) -> dict:
        return index_pending(self.db, self.blobs, extract_timeout=None)

    def ids(self, q: str, kind: str | None = "message") -> list[int]:
        """Ids of hits of one kind (ids are per kind: message 2 and attachment 2 differ)."""
        return [h.id for h in search(self.db, q, limit=50) if kind is None or h.kind == kind]


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    c = Corpus(tmp_path)
    c.qd = c.add("Quyết định 123/QĐ-UBND về việc phê duyệt kế hoạch",
                 "Ủy ban nhân dân tỉnh ban hành quyết định phê duyệt kế hoạch chuyển đổi số.")
    c.dt = c.add("Giấy mời họp tại Đồng Tháp", "Mời đồng chí dự họp tại tỉnh Đồng Tháp ngày 5/3.",
                 sender="Sở Nội vụ Đồng Tháp <snv@dongthap.gov.vn>", date="Tue, 05 Mar 2023 09:00:00 +0700")
    c.ascii = c.add("Quyet dinh ve viec nghi phep", "Van ban go khong dau: quyet dinh nghi phep.")
    c.ttr = c.add("Tờ trình 470/TTr-STTTT xin chủ trương", "Sở Thông tin và Truyền thông trình UBND tỉnh.",
                  sender="Sở TTTT <stttt@camau.gov.vn>")
    c.cv = c.add("Công văn 4295/UBND-TH triển khai", "Triển khai nhiệm vụ năm 2024.")
    c.att = c.add("Gửi tài liệu", "Xem tệp đính kèm.", attachments=[
        ("bao-cao.pdf", pdf_bytes("Báo cáo tình hình xâm nhập mặn ở Cà Mau"), PDF_MIME),
        ("ke-hoach.docx", docx_bytes("Kế hoạch phòng chống sạt lở bờ biển Tây"), DOCX_MIME),
        ("so-lieu.xlsx", xlsx_bytes([["Huyện", "Diện tích rừng đước"], ["Ngọc Hiển", "1200"]]), XLSX_MIME),
        ("anh.bin", b"\x00\x01\x02", "application/octet-stream"),
    ])
    c.index()
    return c


def test_R6_3_folded_query_finds_vietnamese(corpus: Corpus) -> None:
    assert corpus.qd in corpus.ids("quyet dinh")
    assert corpus.dt in corpus.ids("dong thap")  # đ -> d
    assert corpus.dt in corpus.ids("ĐỒNG THÁP")  # case
    assert corpus.dt in corpus.ids("Dong Thap")


def test_R6_3_decomposed_query_matches_precomposed(corpus: Corpus) -> None:
    import unicodedata

    assert corpus.qd in corpus.ids(unicodedata.normalize("NFD", "Quyết định"))


def test_R6_2_exact_vietnamese_ranks_exact_first(corpus: Corpus) -> None:
    ids = corpus.ids("quyết định", kind="message")
    assert corpus.qd in ids and corpus.ascii in ids
    assert ids.index(corpus.qd) < ids.index(corpus.ascii)


def test_prefix_search(corpus: Corpus) -> None:
    assert corpus.qd in corpus.ids("quye*")
    assert corpus.dt in corpus.ids("Đồn*")
    assert corpus.ids("quye") == []


def test_symbol_fragments(corpus: Corpus) -> None:
    assert corpus.ids("TTr-STTTT", kind="message") == [corpus.ttr]
    assert corpus.ids("4295/UBND", kind="message") == [corpus.cv]
    assert corpus.ids("470/TTr", kind="message") == [corpus.ttr]
    assert corpus.ids("so:STTTT", kind="message") == [corpus.ttr]
    assert corpus.qd in corpus.ids("QĐ-UBND")
    assert corpus.qd in corpus.ids("qd-ubnd") or corpus.qd in corpus.ids("QD-UBND")


def test_field_filters(corpus: Corpus) -> None:
    assert corpus.ids("from:dongthap") == [corpus.dt]
    assert corpus.ids("from:\"sở nội vụ\"") == [corpus.dt]
    assert corpus.ids("nam:2023") == [corpus.dt]
    assert corpus.dt not in corpus.ids("nam:2024")
    assert corpus.ids("loai:\"Giấy mời\"") == [corpus.dt]
    assert corpus.qd in corpus.ids("loai:quyet")
    assert corpus.ttr in corpus.ids("loai:\"tờ trình\"")
    has = corpus.ids("has:attachment", kind="message")
    assert has == [corpus.att]
    assert corpus.ids("dự họp nam:2024") == []


def test_attachment_text_pdf_docx_xlsx(corpus: Corpus) -> None:
    pdf = search(corpus.db, "xam nhap man")
    assert pdf and pdf[0].kind == "attachment" and pdf[0].title == "bao-cao.pdf" and pdf[0].message == corpus.att
    docx = search(corpus.db, "sạt lở")
    assert docx and docx[0].title == "ke-hoach.docx"
    xlsx = search(corpus.db, "rung duoc")
    assert xlsx and xlsx[0].title == "so-lieu.xlsx"
    statuses = dict(corpus.db.execute(
        "SELECT title, extract_status FROM search_docs WHERE doc_kind = 'attachment'").fetchall())
    assert statuses["anh.bin"] == "unsupported"
    assert statuses["bao-cao.pdf"] == "ok"


def test_snippet_highlights_original_text(corpus: Corpus) -> None:
    hit = search(corpus.db, "dong thap")[0]
    assert "[Đồng Tháp]" in hit.snippet or "[Đồng] [Tháp]" in hit.snippet
    assert hit.title == "Giấy mời họp tại Đồng Tháp"


def test_make_snippet_pure() -> None:
    q = parse_query("quyet dinh")
    s = make_snippet("Đây là văn bản. " * 30 + "Ban hành Quyết định số 5." + " khác" * 50, q.terms)
    assert "[Quyết định]" in s and s.startswith("…") and s.endswith("…")
    assert make_snippet("Không có gì", parse_query("xyz").terms) == "Không có gì"


def test_spam_hidden_unless_asked(corpus: Corpus) -> None:
    with transaction(corpus.db):
        set_spam(corpus.db, corpus.dt, True)
    assert corpus.dt not in corpus.ids("dong thap")
    assert corpus.ids("dong thap status:spam") == [corpus.dt]
    assert corpus.ids("nam:2023") == []


def test_negation_and_phrase(corpus: Corpus) -> None:
    assert corpus.ids("\"kế hoạch chuyển đổi\"", kind="message") == [corpus.qd]
    assert corpus.qd not in corpus.ids("quyet dinh -phe", kind="message")


def test_R3_3_search_survives_account_removal(corpus: Corpus) -> None:
    corpus.db.execute("DELETE FROM accounts")
    assert corpus.ids("dong thap") == [corpus.dt]


def test_index_pending_is_incremental_and_rebuild(corpus: Corpus) -> None:
    assert corpus.index()["messages"] == 0
    new = corpus.add("Thông báo kết luận giao ban")
    assert corpus.index()["messages"] == 1
    assert corpus.ids("giao ban") == [new]
    counts = rebuild_index(corpus.db, corpus.blobs, extract_timeout=None)
    assert counts["messages"] == corpus.n
    assert corpus.ids("giao ban") == [new]


def test_register_rows_indexed_when_table_exists(corpus: Corpus) -> None:
    corpus.db.execute(
        "CREATE TABLE register_search (id INTEGER PRIMARY KEY, message INTEGER, year INTEGER, so_den INTEGER,"
        " so_ky_hieu TEXT, trich_yeu TEXT, tac_gia TEXT, kind TEXT, status TEXT, ngay_den TEXT)")
    corpus.db.execute("INSERT INTO register_search VALUES (1, ?, 2024, 17, '470/TTr-STTTT',"
                      " 'Xin chủ trương đầu tư hạ tầng số', 'Sở Thông tin và Truyền thông', 'Tờ trình',"
                      " 'Đã chuyển', '2024-03-06')", [corpus.ttr])
    corpus.index()
    hits = search(corpus.db, "den:17")
    assert [(h.kind, h.id) for h in hits] == [("register", 1)]
    assert search(corpus.db, "ha tang so")[0].kind == "register"
    assert [h.id for h in search(corpus.db, "status:\"da chuyen\"")] == [1]
    assert any(h.kind == "register" for h in search(corpus.db, "TTr-STTTT"))
