"""MIME parsing of real-world and malformed mail (R1, R3.3, R6.3)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import camau_desk.mail.parse as parse_module
from camau_desk.mail.parse import attachment_bytes, decode_bytes, iter_attachments, parse_date, parse_message

pytestmark = pytest.mark.unit
SAMPLES = Path(__file__).parent / "samples" / "mail"
BODY = "Kính gửi: Sở Thông tin và Truyền thông tỉnh Cà Mau. Đề nghị báo cáo tình hình ứng dụng CNTT."


def sample(name: str):
    return parse_message((SAMPLES / name).read_bytes())


def to_cp1258(s: str) -> bytes:
    """cp1258 stores base letters (â, ơ, ư ...) precomposed and tones as combining marks."""
    out = []
    for c in unicodedata.normalize("NFC", s):
        d = unicodedata.normalize("NFD", c)
        tones = "".join(x for x in d if x in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", "".join(x for x in d if x not in tones)) + tones)
    return "".join(out).encode("cp1258")


def is_nfc(s: str) -> bool:
    return unicodedata.is_normalized("NFC", s)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.eml")), ids=lambda p: p.name)
def test_R3_3_every_sample_parses_without_raising_and_is_nfc(path):
    pm = parse_message(path.read_bytes())
    assert pm.sha256 and pm.size == path.stat().st_size
    for text in (pm.subject, pm.body_text, pm.from_name or "", pm.to_addrs, *(a.filename for a in pm.attachments)):
        assert is_nfc(text)
        assert not any("\udc80" <= c <= "\udcff" for c in text)


def test_R6_3_bad_charset_name_falls_back_to_utf8():
    pm = sample("bad_charset_name.eml")
    assert pm.body_text.strip() == BODY


@pytest.mark.parametrize("name", ["undeclared_cp1258.eml", "undeclared_utf8.eml"])
def test_R6_3_undeclared_8bit_vietnamese_body(name):
    assert sample(name).body_text.strip() == BODY


def test_R6_3_raw_8bit_utf8_headers():
    pm = sample("raw_8bit_headers.eml")
    assert pm.from_name == "Nguyễn Văn Bình"
    assert pm.from_addr == "binh@camau.gov.vn"
    assert pm.subject == "Hỏa tốc: Công văn số 470/STTTT-VP"
    assert pm.to_addrs == "Văn thư <vanthu@x.vn>"
    assert pm.urgency == "Hỏa tốc"


def test_R6_3_raw_8bit_cp1258_headers():
    pm = sample("raw_8bit_headers_cp1258.eml")
    assert pm.from_name == "Trần Thị Hà"
    assert pm.subject == "Về việc họp giao ban"
    assert pm.body_text.strip() == "Nội dung họp."


def test_missing_headers_give_none_not_errors():
    pm = sample("missing_headers.eml")
    assert pm.from_addr is None and pm.date is None and pm.message_id is None
    assert pm.subject == ""
    assert "No From" in pm.body_text


def test_invalid_date_is_none_and_dates_keep_offset():
    assert sample("invalid_date.eml").date is None
    assert parse_date("Tue, 4 Jun 2024 09:15:00 +0700") == "2024-06-04T09:15:00+07:00"
    assert parse_date("Tue, 4 Jun 2024 09:15:00 -0000") == "2024-06-04T09:15:00+00:00"
    assert parse_date("32 Foo 99999") is None
    assert parse_date(None) is None


def test_broken_boundary_keeps_the_text_and_records_the_defect():
    pm = sample("broken_boundary.eml")
    assert "Văn bản bị hỏng ranh giới." in pm.body_text or "Văn bản bị hỏng ranh giới." in pm.text
    assert pm.parse_error


def test_truncated_multipart_does_not_crash():
    pm = sample("truncated_multipart.eml")
    assert pm.body_text.strip() == "hello"
    assert [a.filename for a in pm.attachments] == ["a.pdf"]


def test_nested_rfc822_is_one_eml_plus_its_files():
    pm = sample("nested_rfc822.eml")
    assert pm.body_text.strip() == "Chuyển anh xem."
    names = [a.filename for a in pm.attachments]
    assert names == ["Quyết định 12.eml", "12-QD.pdf"]
    assert pm.attachments[0].mime_type == "message/rfc822"
    assert b"Gi\xe1\xbb\xadi k\xc3\xa8m" in pm.attachments[0].payload or b"base64" in pm.attachments[0].payload
    assert pm.attachments[1].payload.startswith(b"%PDF")
    assert pm.has_attachments


def test_rfc2231_rfc2047_and_hostile_filenames():
    pm = sample("vietnamese_filenames.eml")
    atts = pm.attachments
    assert atts[0].filename == "Quyết định điều động.pdf"
    assert atts[1].filename == "Tờ trình.docx"
    assert atts[2].filename == "..\\..\\x.exe" and atts[2].safe_name == "x.exe"
    assert atts[3].filename == "CON.pdf" and atts[3].safe_name != "CON.pdf"
    assert atts[3].safe_name.lower().startswith("con_")
    assert len(atts[4].filename) == 304
    assert len(atts[4].safe_name.encode("utf-16-le")) // 2 <= 255 and atts[4].safe_name.endswith(".pdf")
    assert atts[5].is_inline and atts[5].content_id == "logo@x"
    assert [a.idx for a in atts] == [1, 2, 3, 4, 5, 6]
    for a in atts:
        assert "/" not in a.safe_name and "\\" not in a.safe_name
    assert attachment_bytes((SAMPLES / "vietnamese_filenames.eml").read_bytes(), 1).startswith(b"%PDF")
    assert len(iter_attachments((SAMPLES / "vietnamese_filenames.eml").read_bytes())) == 6


def test_R6_3_html_only_tcvn3_body_is_repaired_to_unicode():
    pm = sample("html_only_tcvn3.eml")
    assert pm.body_is_html
    assert pm.legacy_encoding == "tcvn3"
    assert pm.body_text.startswith("Kính gửi Sở Thông tin và Truyền thông tỉnh Cà Mau")
    assert "p{}" not in pm.body_text
    assert pm.html is not None


def test_plain_preferred_over_html_and_html_kept():
    raw = (
        b"From: a@x.vn\r\nSubject: alt\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=A\r\n\r\n"
        b"--A\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain\r\n"
        b"--A\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html</p>\r\n--A--\r\n"
    )
    pm = parse_message(raw)
    assert pm.body_text.strip() == "plain" and not pm.body_is_html
    assert "<p>html</p>" in (pm.html or "")
    assert pm.attachments == []


def test_every_python_charset_declared_is_decoded():
    cases = [("windows-1258", "Việt Nam"), ("koi8-r", "Привет"), ("iso-8859-2", "Łódź"), ("shift_jis", "日本")]
    for charset, text in cases:
        data = to_cp1258(text) if charset == "windows-1258" else text.encode(charset)
        assert decode_bytes(data, charset) == text
    assert decode_bytes(b"\xff\xfe garbage", "no-such-charset")  # never raises


def test_nfd_subject_becomes_nfc():
    raw = ("Subject: " + unicodedata.normalize("NFD", "Quyết định") + "\r\n\r\nx").encode()
    assert parse_message(raw).subject == "Quyết định"


def test_garbage_bytes_never_raise():
    for raw in (b"", b"\x00\xff\xfe", b"Content-Type: multipart/mixed\r\n\r\n--",
                b"From: <<<@@@>>>\r\nTo: ,,,;;;\r\n\r\n"):
        pm = parse_message(raw)
        assert pm.sha256


@pytest.mark.parametrize(
    ("subject", "body", "urgency", "secrecy"),
    [
        ("HỎA TỐC - Công văn 12", "", "Hỏa tốc", None),
        ("[THƯỢNG KHẨN] Công văn 12", "", "Thượng khẩn", None),
        ("Công văn 12/UBND-VP - KHẨN", "", "Khẩn", None),
        ("V/v khẩn trương triển khai", "", None, None),
        ("Tài liệu", "Độ mật: Tối mật", None, "Tối mật"),
        ("Đổi mật khẩu", "Mật khẩu mới: ...", None, None),
        ("[MẬT] Báo cáo", "", None, "Mật"),
    ],
)
def test_urgency_and_secrecy_marks(subject, body, urgency, secrecy):
    raw = f"Subject: {subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n".encode()
    pm = parse_message(raw)
    assert (pm.urgency, pm.secrecy) == (urgency, secrecy)


def test_spam_headers_detected():
    assert parse_message(b"X-Spam-Flag: YES\r\n\r\nx").spam_header
    assert parse_message(b"X-Spam-Status: Yes, score=9.1\r\n\r\nx").spam_header
    assert not parse_message(b"X-Spam-Status: No, score=0.1\r\n\r\nx").spam_header


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SEEDS = [p.read_bytes() for p in sorted(SAMPLES.glob("*.eml"))]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_SEEDS), st.integers(min_value=0), st.binary(max_size=40),
       st.integers(min_value=0, max_value=60))
def test_R3_3_mutated_samples_never_raise(seed, pos, junk, cut):
    """Splice random bytes into real samples and truncate them: parsing must not raise."""
    i = pos % (len(seed) + 1)
    raw = seed[:i] + junk + seed[i + cut:]
    pm = parse_message(raw)
    assert pm.size == len(raw)
    assert unicodedata.is_normalized("NFC", pm.subject) and unicodedata.is_normalized("NFC", pm.body_text)


def test_R6_3_utf8_body_with_one_stray_byte_stays_utf8_not_mojibake():
    raw = ("Subject: x\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           "Kính gửi: Sở Thông tin và Truyền thông tỉnh Cà Mau.").encode() + b"\xec\r\n"
    text = parse_message(raw).body_text
    assert "Sở Thông tin và Truyền thông tỉnh Cà Mau." in text and "\ufffd" in text


def test_folded_headers_are_unfolded():
    raw = (b"Subject: =?utf-8?q?C=C3=B4ng?=\r\n =?utf-8?q?_v=C4=83n?= 12\r\n"
           b"From: \"Nguy\xe1\xbb\x85n\r\n V\xc4\x83n A\" <A@B.vn>\r\n"
           b"References: <a@x>\r\n <b@y>\r\nIn-Reply-To: <b@y>\r\n\r\nx")
    pm = parse_message(raw)
    assert pm.subject == "Công văn 12"
    assert (pm.from_name, pm.from_addr) == ("Nguyễn Văn A", "a@b.vn")
    assert pm.references_ == "<a@x> <b@y>" and pm.in_reply_to == "<b@y>"


# --- legacy-encoded headers, header-only parse (issue: raw first, index later) -------------

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


def demo(prefix: str) -> bytes:
    (path,) = DEMO.glob(f"{prefix}_*.eml")
    return path.read_bytes()


def test_R6_3_tcvn3_subject_of_outlook_express_mail_is_repaired():
    """22_*.eml: a .VnTime subject declared Windows-1252 used to show "B¸o c¸o øng dông..." in the list."""
    from camau_desk.mail.parse import parse_headers

    for pm in (parse_message(demo("22")), parse_headers(demo("22"))):
        assert pm.subject == "Báo cáo ứng dụng CNTT tháng 10 năm 2026"
    assert parse_message(demo("22")).legacy_encoding == "tcvn3"


def test_R6_3_vni_body_without_charset_is_repaired_and_ascii_subject_untouched():
    """23_*.eml: undeclared 8-bit VNI body; cp1258 used to turn it into plausible-looking mojibake."""
    pm = parse_message(demo("23"))
    assert pm.subject == "Bao cao so lieu ha tang vien thong thang 10/2026 - phuong Bac Lieu"
    assert pm.legacy_encoding == "vni"
    assert "UBND phường Bạc Liêu báo cáo số liệu hạ tầng viễn thông" in pm.body_text
    assert "Người lập: Nguyễn Thị Kiều Oanh" in pm.body_text


def test_R6_3_tcvn3_display_name_is_repaired():
    from camau_desk.mail.parse import parse_headers

    name = "V¨n th\xad UBND x· Tr\xc7n V¨n Thêi"  # "Văn thư UBND xã Trần Văn Thời" typed in .VnTime
    raw = (b"From: =?windows-1252?Q?" + "".join(f"={b:02X}" for b in name.encode("cp1252")).encode()
           + b"?= <ubnd@camau.gov.vn>\r\nSubject: x\r\n\r\nbody\r\n")
    for pm in (parse_message(raw), parse_headers(raw)):
        assert pm.from_name == "Văn thư UBND xã Trần Văn Thời"
        assert pm.from_addr == "ubnd@camau.gov.vn"


@pytest.mark.parametrize("text", ["Café Müller", "Señor García", "Björn Ångström", "Ông Bà", "Giấy mời họp",
                                  "Nguyễn Văn A", "Report Q3", "naïve résumé", "Zürich Öl"])
def test_R6_3_header_repair_never_touches_unicode_or_western_text(text):
    from camau_desk.mail.parse import repair_header_text

    assert repair_header_text(text) == text


def test_header_only_parse_agrees_with_the_full_parse_on_the_demo_corpus():
    """The sync stores parse_headers' row first; the indexer must not change what the list showed."""
    from camau_desk.mail.parse import parse_headers

    keys = ("subject", "from_name", "from_addr", "to_addrs", "cc_addrs", "date", "message_id", "in_reply_to",
            "references_", "spam_header", "sha256", "size")
    for path in sorted(DEMO.glob("*.eml")):
        raw = path.read_bytes()
        full, head = parse_message(raw), parse_headers(raw)
        assert {k: getattr(head, k) for k in keys} == {k: getattr(full, k) for k in keys}, path.name
        assert head.body_text == "" and head.attachments == [] and head.parse_error is None


def test_header_only_parse_never_raises_on_odd_input():
    from camau_desk.mail.parse import header_block, parse_headers

    assert header_block(b"\r\nbody only") == b""
    assert header_block(b"Subject: a\r\n\r\nbody") == b"Subject: a\r\n\r\n"
    for raw in (b"", b"\r\nbody only\r\n", b"Subject: no blank line", b"\xff\xfe\x00garbage",
                b"Subject: =?x-unknown?q?B=E1o?=\r\nFrom: <<<\r\n\r\n"):
        pm = parse_headers(raw)
        assert pm.size == len(raw)


# --- the fast MIME tree (fast_mail_parser) against the stdlib tree --------------------------

def _comparable(pm):
    import dataclasses

    d = dataclasses.asdict(pm)
    d.pop("parse_error")  # the stdlib path also lists its parser's defects
    for att in d["attachments"]:
        if att["mime_type"] == "message/rfc822":  # as received vs re-generated: see the next tests
            del att["size"], att["sha256"], att["payload"]
    return d


_REAL_MAIL = sorted(SAMPLES.glob("*.eml")) + sorted(DEMO.glob("*.eml"))


@pytest.mark.parametrize("path", _REAL_MAIL, ids=lambda p: p.name)
def test_R3_3_fast_tree_reads_every_sample_and_demo_mail_as_the_stdlib_does(path, monkeypatch):
    raw = path.read_bytes()
    fast = parse_message(raw)
    monkeypatch.setattr(parse_module, "_load_tree", lambda raw: None)
    assert _comparable(fast) == _comparable(parse_message(raw))


def test_fast_tree_is_used_for_ordinary_mail():
    used = [p.name for p in _REAL_MAIL if parse_module._load_tree(p.read_bytes()) is not None]
    assert len(used) >= len(_REAL_MAIL) * 2 // 3
    assert "vietnamese_filenames.eml" in used and "nested_rfc822.eml" in used


@pytest.mark.parametrize("name", ["broken_boundary.eml", "truncated_multipart.eml"])
def test_R6_3_mail_the_fast_parser_cannot_split_goes_to_the_stdlib(name):
    assert parse_module._load_tree((SAMPLES / name).read_bytes()) is None


def test_R6_3_raw_cp1258_file_name_goes_to_the_stdlib_and_is_repaired():
    """fast_mail_parser reads raw non-UTF-8 header bytes as Latin-1 ("TõÌ"); cp1258 is what they are."""
    name = "Tờ trình số 5.pdf"
    raw = (b"Subject: x\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nx\r\n--XX\r\n"
           b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="'
           + to_cp1258(name) + b'"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x\r\n--XX--\r\n')
    assert parse_module._load_tree(raw) is None
    [att] = parse_message(raw).attachments
    assert (att.filename, att.payload) == (name, b"%PDF-1")


def test_forwarded_mail_attachment_is_the_embedded_message_as_received():
    raw = (SAMPLES / "nested_rfc822.eml").read_bytes()
    eml = parse_message(raw).attachments[0]
    assert eml.mime_type == "message/rfc822"
    assert eml.payload.replace(b"\r\n", b"\n") in raw.replace(b"\r\n", b"\n")


def test_R6_3_uuencoded_part_goes_to_the_stdlib_which_decodes_it():
    raw = (b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhi\r\n--B\r\n"
           b"Content-Type: application/octet-stream; name=a.txt\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n"
           b"begin 644 a.txt\r\n#:&D*\r\n`\r\nend\r\n--B--\r\n")
    assert parse_module._load_tree(raw) is None
    assert [a.payload for a in parse_message(raw).attachments] == [b"hi\n"]
