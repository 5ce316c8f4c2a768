"""The bundled demo mailbox (resources/demo/*.eml) has the shapes the app must handle.

Other tests and the demo mode load these files, so a broken or incomplete corpus would
silently weaken them.  This test checks what the corpus promises: parseable mail,
decodable Vietnamese subjects, every document kind of R3.1, urgent / secret / spam
cases, legacy encodings (R6.3), real PDF and DOCX attachments, and a size budget.
"""

from __future__ import annotations

import email
import importlib.util
import io
import sys
import unicodedata
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "resources" / "demo"
AGENCY = "vanthu@sotttt.camau.gov.vn"
MAX_TOTAL = 3 * 1024 * 1024


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_demo", REPO / "tools" / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules.setdefault("make_demo", module)  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()
TCVN3 = GEN.load_table("tcvn3.tsv")
VNI = GEN.load_table("vni.tsv")
#: every Vietnamese letter with a diacritic, both cases (the VNI table lists all 134)
VN_LETTERS = set(VNI) | {c.upper() for c in TCVN3} | set(TCVN3)
ALLOWED_PUNCT = set("“”–…")


def _decode_legacy(raw: bytes, table: dict[str, bytes]) -> str:
    """Greedy decode (two-byte VNI sequences first), enough to check the demo text."""
    reverse = {v: k for k, v in table.items()}
    out, i = [], 0
    while i < len(raw):
        if raw[i : i + 2] in reverse:
            out.append(reverse[raw[i : i + 2]])
            i += 2
        elif raw[i : i + 1] in reverse:
            out.append(reverse[raw[i : i + 1]])
            i += 1
        else:
            out.append(chr(raw[i]))
            i += 1
    return "".join(out)


def _is_vietnamese(text: str) -> bool:
    return all(c.isascii() or c in VN_LETTERS or c in ALLOWED_PUNCT for c in text)


def _files() -> list[Path]:
    return sorted(DEMO.glob("*.eml"))


def _parse(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def _by_prefix(prefix: str) -> Path:
    (match,) = [p for p in _files() if p.name.startswith(prefix)]
    return match


def _attachments(msg: EmailMessage) -> list[tuple[str, bytes]]:
    return [(p.get_filename(), p.get_payload(decode=True)) for p in msg.walk() if p.get_filename()]


def test_corpus_has_at_least_30_messages_under_3_mb() -> None:
    files = _files()
    assert len(files) >= 30
    assert sum(p.stat().st_size for p in files) < MAX_TOTAL


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name[:2])
def test_each_message_parses_with_identity_headers(path: Path) -> None:
    raw = path.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b""), "CRLF line endings only"
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    msg = _parse(path)
    assert not msg.defects
    assert all(not part.defects for part in msg.walk())
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith(">")
    date = msg["Date"].datetime
    assert (date.year, date.month) in {(2026, 10), (2026, 11)}
    assert AGENCY in str(msg["To"])
    assert msg["From"].addresses


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name[:2])
def test_R6_3_subject_decodes_to_valid_vietnamese_nfc(path: Path) -> None:
    """UTF-8 subjects are NFC already; legacy ones become Vietnamese after conversion."""
    subject = str(_parse(path)["Subject"])
    assert subject and subject == subject.strip()
    if path.name.startswith("22_"):  # TCVN3 bytes declared as windows-1252
        assert not _is_vietnamese(subject)  # mojibake as the mail client shows it
        converted = _decode_legacy(subject.encode("cp1252"), TCVN3)
        assert converted == "Báo cáo ứng dụng CNTT tháng 10 năm 2026"
    elif path.name.startswith("31_"):  # windows-1258: base letter + combining tone
        assert not unicodedata.is_normalized("NFC", subject)
        assert unicodedata.normalize("NFC", subject) == "Đăng ký tham gia lớp bồi dưỡng kỹ năng số"
    else:
        assert unicodedata.is_normalized("NFC", subject)
        assert _is_vietnamese(subject), subject


def test_long_vietnamese_subjects_keep_their_spaces() -> None:
    """Regression for the CPython folding bug gh-144156 (spaces lost between encoded words)."""
    msg = _parse(_by_prefix("35_"))
    subject = str(msg["Subject"])
    assert len(subject) > 150
    assert "hộp thư điện tử công vụ của Sở Thông tin và Truyền thông" in subject
    assert "  " not in subject
    assert "báo cáo tiến độ triển khai" in str(_parse(_by_prefix("01_"))["Subject"])


def test_R3_1_document_kinds_are_present() -> None:
    subjects = " | ".join(str(_parse(p)["Subject"]) for p in _files())
    for needle in ("Giấy mời", "Công văn", "Báo cáo tuần", "Báo cáo tháng", "Báo cáo quý", "Tờ trình",
                   "Quyết định số 15/QĐ-UBND", "12/2026/QĐ-UBND", "Thông báo", "Kế hoạch", "Xin ý kiến dự thảo",
                   "Bản sao y", "15-HD/TU", "Lịch công tác tuần", "4295/UBND-TH", "470/TTr-STTTT"):
        assert needle in subjects, needle
    assert subjects.count("Giấy mời") >= 3


def test_urgent_messages_are_marked_in_subject_and_body() -> None:
    for prefix, mark in (("18_", "HỎA TỐC"), ("19_", "THƯỢNG KHẨN"), ("05_", "KHẨN")):
        msg = _parse(_by_prefix(prefix))
        assert str(msg["Subject"]).startswith(mark)
        assert mark in msg.get_body(("plain",)).get_content()


def test_R3_2_secret_message_is_marked_mat() -> None:
    msg = _parse(_by_prefix("20_"))
    assert str(msg["Subject"]).startswith("MẬT")
    assert msg.get_body(("plain",)).get_content().startswith("MẬT")
    (name, data), = _attachments(msg)
    assert "MẬT" in _pdf_text(data)


def test_R7_1a_1_spam_is_flagged_and_only_once() -> None:
    flagged = [p.name for p in _files() if _parse(p).get("X-Spam-Flag", "").upper() == "YES"]
    assert flagged == [_by_prefix("21_").name]


def test_R6_3_tcvn3_body_declared_windows_1252() -> None:
    msg = _parse(_by_prefix("22_"))
    body = msg.get_body(("plain",))
    assert body.get_content_charset() == "windows-1252"
    text = _decode_legacy(body.get_payload(decode=True), TCVN3)
    assert "Uỷ ban nhân dân xã Trần Văn Thời" in text
    assert "Sở Thông tin và Truyền thông tỉnh Cà Mau" in text


def test_R6_3_vni_body_without_charset() -> None:
    msg = _parse(_by_prefix("23_"))
    assert msg.get_param("charset") is None
    assert msg["Content-Transfer-Encoding"] == "8bit"
    raw = msg.get_payload(decode=True)
    assert any(b >= 0x80 for b in raw)
    text = _decode_legacy(raw, VNI)
    assert "UBND phường Bạc Liêu báo cáo số liệu hạ tầng viễn thông" in text
    assert "Người lập: Nguyễn Thị Kiều Oanh" in text


def test_R6_3_windows_1258_body_normalises_to_vietnamese() -> None:
    msg = _parse(_by_prefix("31_"))
    body = msg.get_body(("plain",))
    assert body.get_content_charset() == "windows-1258"
    text = unicodedata.normalize("NFC", body.get_content())
    assert "Huỳnh Thị Yến Nhi" in text and "Trung tâm Phục vụ hành chính công" in text


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for cell in table._cells:
            parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def test_pdf_attachments_are_real_vietnamese_documents() -> None:
    pdfs = [(n, d) for p in _files() for n, d in _attachments(_parse(p)) if n.endswith(".pdf")]
    assert len(pdfs) >= 20
    for name, data in pdfs:
        assert data.startswith(b"%PDF-"), name
        text = _pdf_text(data)
        assert "Độc lập - Tự do - Hạnh phúc" in text or "ĐẢNG CỘNG SẢN VIỆT NAM" in text, name
        assert "Cà Mau, ngày" in text, name
    text = _pdf_text(dict(pdfs)["470_TTr-STTTT.pdf"])
    for needle in ("ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 470/TTr-STTTT",
                   "TỜ TRÌNH", "GIÁM ĐỐC", "Lê Hoàng Phúc"):
        assert needle in text


def test_docx_attachments_open_with_python_docx() -> None:
    docs = [(n, d) for p in _files() for n, d in _attachments(_parse(p)) if n.endswith(".docx")]
    assert len(docs) >= 5
    names = {n for n, _ in docs}
    assert "Dự thảo Kế hoạch.docx" in names
    for name, data in docs:
        text = _docx_text(data)
        if "VnTime" in name:  # TCVN3 bytes stored as Latin-1 characters in a .VnTime font
            assert "Uû ban nh©n d©n" in text
        else:
            assert "Độc lập - Tự do - Hạnh phúc" in text, name


def test_attachment_names_use_both_rfc2231_and_rfc2047() -> None:
    raw_2231 = _by_prefix("01_").read_bytes()
    assert b"filename*=utf-8''Gi%E1%BA%A5y%20m%E1%BB%9Di%20h%E1%BB%8Dp.pdf" in raw_2231
    raw_2047 = _by_prefix("02_").read_bytes()
    assert b'filename="=?utf-8?b?' in raw_2047
    assert _attachments(_parse(_by_prefix("02_")))[0][0] == "Giấy mời hội thảo 48-GM-SKHCN.pdf"


def test_replies_and_forwards() -> None:
    subjects = {p.name[:2]: str(_parse(p)["Subject"]) for p in _files()}
    prefixes = {s.split(":")[0] for s in subjects.values() if ":" in s}
    assert {"Tr", "TL", "Re", "Fwd", "TR"} <= prefixes
    reply = _parse(_by_prefix("25_"))
    assert reply["In-Reply-To"] and reply["In-Reply-To"] in reply["References"]
    forwarded = _parse(_by_prefix("27_"))
    inner = [p for p in forwarded.walk() if p.get_content_type() == "message/rfc822"]
    assert len(inner) == 1


def test_html_message_has_remote_images_and_inline_cid() -> None:
    msg = _parse(_by_prefix("30_"))
    html = msg.get_body(("html",)).get_content()
    assert 'src="http://example.invalid/' in html
    assert 'width="1" height="1"' in html  # tracking pixel
    assert 'src="cid:logo-skhcn@camau.gov.vn"' in html
    cids = [p["Content-ID"] for p in msg.walk() if p.get_content_maintype() == "image"]
    assert cids == ["<logo-skhcn@camau.gov.vn>"]


def test_plain_message_without_attachment_and_personal_message() -> None:
    plain = _parse(_by_prefix("32_"))
    assert plain.get_content_type() == "text/plain" and not _attachments(plain)
    personal = _parse(_by_prefix("29_"))
    assert "gmail.com" in personal["From"]


def test_readme_lists_every_message() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    for path in _files():
        assert f"`{path.name}`" in readme


def test_generator_is_deterministic_and_matches_disk() -> None:
    """Re-running tools/make_demo.py must give byte-identical files (review diffs stay clean)."""
    files = GEN.render_all()
    on_disk = {p.name: p.read_bytes() for p in DEMO.iterdir() if p.is_file()}
    assert set(files) == set(on_disk)
    for name, data in files.items():
        assert data == on_disk[name], name
