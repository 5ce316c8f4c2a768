"""Receipt notice to the sender (ND30 Đ21.2; Phụ lục VI Phần I.III "tự động thông báo đã nhận")."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest

from camau_desk import audit, settings
from camau_desk.errors import InvalidInput
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import ensure_folder, store_message
from camau_desk.register import receipt as rc
from camau_desk.store import open_db
from camau_desk.store.db import transaction

pytestmark = pytest.mark.unit

LONG = ("Công văn số 4295/UBND-TH ngày 04/3/2026 của Ủy ban nhân dân tỉnh Cà Mau về việc triển khai thực hiện "
        "kế hoạch chuyển đổi số, phát triển chính quyền số, kinh tế số và xã hội số trên địa bàn tỉnh năm 2026 "
        "và định hướng đến năm 2030 (lần 2, có sửa đổi bổ sung)")


def _original(subject: str = LONG, *, reply_to: str | None = "Phòng Tổng hợp <tonghop@camau.gov.vn>",
              extra: str = "") -> bytes:
    msg = email.message.EmailMessage(policy=rc.POLICY)  # see test_stdlib_folding_loses_spaces
    msg["From"] = "Văn phòng UBND tỉnh <vpubnd@camau.gov.vn>"
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["To"] = "vanthu@sotttt.camau.gov.vn"
    msg["Subject"] = subject
    msg["Message-ID"] = "<orig-1@camau.gov.vn>"
    msg["References"] = "<older@camau.gov.vn>"
    for line in filter(None, extra.split("\n")):
        k, v = line.split(": ", 1)
        msg[k] = v
    msg.set_content("Kính gửi Sở.", cte="8bit")
    return msg.as_bytes()


ENTRY = {"so_den": 15, "year": 2026, "ngay_den": "2026-03-04T16:40:00+00:00", "so_ky_hieu": "4295/UBND-TH",
         "trich_yeu": "về việc triển khai chuyển đổi số", "status": "registered", "is_paper": 0}


def _reparse(msg) -> email.message.EmailMessage:
    return email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)


def test_Đ21_2_receipt_answers_reply_to_and_threads():
    msg = rc.build_receipt(ENTRY, _original(), agency="Sở Thông tin và Truyền thông tỉnh Cà Mau",
                           from_addr="vanthu@sotttt.camau.gov.vn",
                           now=dt.datetime(2026, 3, 4, 17, 0, tzinfo=rc.VN_TZ))
    back = _reparse(msg)
    assert back["To"].addresses[0].addr_spec == "tonghop@camau.gov.vn"
    assert back["In-Reply-To"] == "<orig-1@camau.gov.vn>"
    assert back["References"] == "<older@camau.gov.vn> <orig-1@camau.gov.vn>"
    assert back["Subject"] == "Đã nhận văn bản: " + LONG  # long Vietnamese subject intact
    assert back["Auto-Submitted"] == "auto-replied"
    assert back["From"].addresses[0].display_name == "Sở Thông tin và Truyền thông tỉnh Cà Mau"
    assert back["Message-ID"].endswith("@sotttt.camau.gov.vn>")
    body = back.get_content()
    assert "ngày 04/03/2026" in body  # 16:40 UTC is 23:40 the same day in Vietnam
    assert "số đến 15/2026" in body and "4295/UBND-TH" in body
    assert "Sở Thông tin và Truyền thông tỉnh Cà Mau đã nhận được" in body
    assert "Kính gửi: Phòng Tổng hợp," in body
    assert msg.policy.max_line_length is None
    assert max(len(line) for line in msg.as_bytes().split(b"\r\n")) < 998  # RFC 5322 hard limit


def test_stdlib_folding_loses_spaces_which_is_why_the_policy_has_no_line_limit():
    """Python 3.11's folder drops spaces between encoded words of long Vietnamese subjects."""
    def roundtrip(policy) -> str:
        m = email.message.EmailMessage(policy=policy)
        m["Subject"] = LONG
        return str(email.message_from_bytes(m.as_bytes(), policy=email.policy.default)["Subject"])

    assert roundtrip(rc.POLICY) == LONG
    if roundtrip(email.policy.SMTP) == LONG:  # a fixed stdlib: nothing to prove any more
        pytest.skip("this Python folds long non-ASCII subjects correctly")


def test_receipt_goes_to_from_without_reply_to_and_prefix_not_doubled():
    msg = rc.build_receipt(ENTRY, _original("Đã nhận văn bản: x", reply_to=None), agency="Sở")
    back = _reparse(msg)
    assert back["To"].addresses[0].addr_spec == "vpubnd@camau.gov.vn"
    assert back["Subject"] == "Đã nhận văn bản: x" and back["From"] is None


def test_receipt_needs_a_number_and_a_sender():
    with pytest.raises(InvalidInput, match="chưa được cấp số"):
        rc.build_receipt({**ENTRY, "so_den": None}, _original(), agency="Sở")
    no_from = b"To: a@b.vn\r\nSubject: x\r\n\r\nbody\r\n"
    with pytest.raises(InvalidInput, match="người gửi"):
        rc.build_receipt(ENTRY, no_from, agency="Sở")


@pytest.mark.parametrize("extra,ok", [
    ("", True),
    ("Auto-Submitted: auto-replied", False),
    ("Auto-Submitted: no", True),
    ("Precedence: bulk", False),
    ("List-Id: <tin.camau.gov.vn>", False),
])
def test_rfc3834_no_notice_to_automatic_mail(extra, ok):
    assert rc.should_reply_to(_original(extra=extra)) is ok


def test_no_notice_to_noreply_senders():
    assert not rc.should_reply_to(_original(reply_to="noreply@dichvucong.gov.vn"))


def _desk(tmp_path):
    """A profile with the agency account and the original message stored: (db, blobs, message id)."""
    db = open_db(tmp_path / "db.sqlite3")
    blobs = BlobStore(tmp_path / "blobs")
    with transaction(db):
        fid = ensure_folder(db, "vanthu", "INBOX", "inbox")
        mid, _ = store_message(db, blobs, "vanthu", fid, _original(), uidvalidity=1, uid=1)
        db["accounts"].insert({"name": "vanthu", "role": "agency", "email": "vanthu@sotttt.camau.gov.vn",
                               "security": "ssl", "imap_host": "x", "imap_port": 993, "smtp_host": "x",
                               "smtp_port": 465, "created_at": audit.now_iso()})
    return db, blobs, mid


def test_Đ21_2_setting_is_off_by_default_and_prepare_respects_it(tmp_path):
    db, blobs, mid = _desk(tmp_path)
    entry = {**ENTRY, "message": mid}
    assert rc.should_send_receipt(db) is False
    assert rc.prepare_receipt(db, blobs, entry) is None
    settings.set(db, "receipt_notice", True)
    msg = rc.prepare_receipt(db, blobs, entry)
    assert msg is not None and _reparse(msg)["In-Reply-To"] == "<orig-1@camau.gov.vn>"
    assert "vanthu@sotttt.camau.gov.vn" in msg["From"]
    assert "Sở Thông tin và Truyền thông tỉnh Cà Mau" in msg.get_content()  # agency_name default
    assert rc.prepare_receipt(db, blobs, {**entry, "is_paper": 1, "message": None}) is None
    assert rc.prepare_receipt(db, blobs, {**entry, "status": "cancelled"}) is None


def test_Đ21_2_queue_receipt_puts_it_in_the_outbox_once(tmp_path):
    db, blobs, mid = _desk(tmp_path)
    entry = {**ENTRY, "id": 3, "message": mid}
    assert rc.queue_receipt(db, blobs, entry) is None  # off by default
    settings.set(db, "receipt_notice", True)
    oid = rc.queue_receipt(db, blobs, entry)
    assert oid is not None and rc.queue_receipt(db, blobs, entry) == oid
    row = dict(next(db.query("SELECT * FROM outbox WHERE id = ?", [oid])))
    assert (row["kind"], row["entry"], row["status"]) == ("receipt", 3, "queued")
    assert row["rcpt_to"] == '["tonghop@camau.gov.vn"]'
    sent = email.message_from_bytes(row["raw"], policy=email.policy.default)
    assert sent["Subject"] == "Đã nhận văn bản: " + LONG
