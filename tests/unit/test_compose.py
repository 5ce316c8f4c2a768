"""Building outgoing messages (R7.1a-2): Vietnamese headers survive, attachments byte-identical."""

from __future__ import annotations

import hashlib
import random
from email import policy
from email.parser import BytesParser

import pytest

from camau_desk.errors import InvalidInput
from camau_desk.mail import compose
from camau_desk.mail.parse import iter_attachments, parse_message

pytestmark = pytest.mark.unit

WORDS = ("báo cáo tình hình triển khai chuyển đổi số năm 2026 của Ủy ban nhân dân tỉnh Cà Mau về việc kế hoạch "
         "thực hiện Nghị quyết Hội đồng Sở Thông tin và Truyền thông đề nghị góp ý dự thảo Quyết định ban hành "
         "Quy chế phối hợp quản lý nhà nước khẩn hỏa tốc giấy mời họp").split()


def _subject(i: int) -> str:
    r = random.Random(i)
    return " ".join(r.choice(WORDS) for _ in range(r.randint(3, 60)))


def test_gh_144156_regression_1000_long_vietnamese_subjects_round_trip_exactly():
    """CPython 3.11.7 drops the space between encoded words when folding; our wire policy does not fold."""
    bad = []
    for i in range(1000):
        s = _subject(i)
        msg = compose.new_message(from_addr=("Văn thư Sở", "vanthu@x.vn"), to=["giamdoc@x.vn"], subject=s, body="x")
        raw = compose.to_bytes(msg)
        assert max(len(line) for line in raw.split(b"\r\n")) < 998
        got = BytesParser(policy=policy.default).parsebytes(raw)["Subject"]
        if str(got) != s or parse_message(raw).subject != s:
            bad.append(s)
    assert bad == []


ORIG_ATTS = [compose.Attachment("Công văn số 470.pdf", bytes(range(256)) * 40, "application/pdf"),
             compose.Attachment("Phụ lục kèm theo.docx", b"PK\x03\x04" + bytes(5000), "application/octet-stream"),
             compose.Attachment("ghi chú.txt", "dòng một\nline two\r\nno newline".encode(), "text/plain")]


def _original() -> bytes:
    return compose.to_bytes(compose.new_message(
        from_addr=("Văn phòng UBND tỉnh", "vp@camau.gov.vn"), to=["vanthu@sotttt.camau.gov.vn"],
        subject="V/v báo cáo tình hình chuyển đổi số", body="Kính gửi Sở.", attachments=ORIG_ATTS))


ENTRY = {"so_den": 123, "year": 2026, "ngay_den": "2026-03-05T08:15:00+07:00", "tac_gia": "UBND tỉnh Cà Mau",
         "so_ky_hieu": "470/UBND-VP", "ngay_van_ban": "2026-03-04", "loai": "Công văn",
         "trich_yeu": "V/v báo cáo tình hình chuyển đổi số", "don_vi_nhan": None, "ghi_chu": "Bản điện tử",
         "muc_do_khan": "Khẩn", "han_giai_quyet": None}


def test_R7_1a_2_forward_to_leader_subject_body_headers_attachments():
    orig = _original()
    msg = compose.forward_to_leader(ENTRY, orig, agency=("Sở TT&TT", "vanthu@sotttt.camau.gov.vn"),
                                    to=("Nguyễn Văn An", "giamdoc@sotttt.camau.gov.vn"), sender="clerk@x.vn",
                                    delegation_note="Văn bản trình Phó Giám đốc B theo ủy quyền.", delegation_id="d1")
    raw = compose.to_bytes(msg)
    pm, po = parse_message(raw), parse_message(orig)
    assert pm.subject == "[Số đến 123/2026] V/v báo cáo tình hình chuyển đổi số"
    assert pm.from_addr == "vanthu@sotttt.camau.gov.vn"
    m = BytesParser(policy=policy.default).parsebytes(raw)
    assert m["Sender"] == "clerk@x.vn" and m["X-Camau-So-Den"] == "123/2026" and m["X-Camau-Delegation"] == "d1"
    assert m["In-Reply-To"] == po.message_id and po.message_id in m["References"]
    for line in ("- Số đến: 123/2026", "- Ngày đến: 05/03/2026 08:15", "- Tác giả: UBND tỉnh Cà Mau",
                 "- Số, ký hiệu văn bản: 470/UBND-VP", "- Ngày tháng văn bản: 04/03/2026",
                 "- Tên loại và trích yếu nội dung văn bản: Công văn V/v báo cáo", "- Ghi chú: Bản điện tử",
                 "Văn bản trình Phó Giám đốc B theo ủy quyền."):
        assert line in pm.text
    assert "Đơn vị hoặc người nhận" not in pm.text  # empty columns are left out
    atts = iter_attachments(raw)
    top = [a for a in atts if a.mime_type != "message/rfc822"][:3]
    assert [a.filename for a in top] == [a.filename for a in ORIG_ATTS]
    assert [hashlib.sha256(a.payload).hexdigest() for a in top] == \
        [hashlib.sha256(a.data).hexdigest() for a in ORIG_ATTS]
    eml = next(a for a in atts if a.mime_type == "message/rfc822")
    assert parse_message(eml.payload).message_id == po.message_id


def test_forward_needs_a_number():
    with pytest.raises(InvalidInput, match="chưa có số đến"):
        compose.forward_to_leader({**ENTRY, "so_den": None}, None, agency="a@x.vn", to="b@x.vn")


def test_reply_threads_and_prefixes():
    orig = _original()
    r = compose.reply(orig, from_addr="vanthu@sotttt.camau.gov.vn", body="Đã nhận.", reply_all=True)
    m = BytesParser(policy=policy.default).parsebytes(compose.to_bytes(r))
    po = parse_message(orig)
    assert m["Subject"] == "Re: V/v báo cáo tình hình chuyển đổi số"
    assert m["In-Reply-To"] == po.message_id and m["To"] == "vp@camau.gov.vn" or "vp@camau.gov.vn" in m["To"]
    assert "Cc" not in m  # the only other address was our own


def test_attachment_from_disk_keeps_bytes_and_nfc_name(tmp_path):
    p = tmp_path / "Tờ trình.pdf"
    p.write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    a = compose.attachment_from_path(p)
    assert a.mime_type == "application/pdf"
    msg = compose.new_message(from_addr="a@x.vn", to=["b@x.vn"], subject="s", body="b", attachments=[a])
    (got,) = iter_attachments(compose.to_bytes(msg))
    assert got.payload == p.read_bytes() and got.filename == "Tờ trình.pdf"
    with pytest.raises(InvalidInput, match="Không đọc được"):
        compose.attachment_from_path(tmp_path / "missing.pdf")
