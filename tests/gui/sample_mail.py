"""A small mail profile for GUI tests, built through the real store API.

Used beside (and as a stand-in for) camau_desk.demo: it controls exactly which
messages exist (HTML with cid image and remote content, attachments, urgent,
spam by header and by folder) so the tests can assert on them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email import policy as _policy
from email.message import EmailMessage
from email.utils import format_datetime as rfc_date
from pathlib import Path

from camau_desk.accounts import Account, add_account
from camau_desk.mail import store
from camau_desk.mail.blobs import BlobStore
from camau_desk.paths import Profile
from camau_desk.store.db import open_db, transaction

SMTP_POLICY = _policy.SMTP.clone(max_line_length=None)  # gh-144156: folding can eat a space
TZ = timezone(timedelta(hours=7))
PDF_BYTES = b"%PDF-1.4\n% Cong van so 123/UBND-VP\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5d6c9b20000000049454e44ae426082"
)


def mail(subject: str, sender: str, when: datetime, *, body: str = "", html: str | None = None,
         attachments: tuple[tuple[str, bytes, str], ...] = (), headers: dict[str, str] | None = None,
         inline_png: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "vanthu@sotttt.camau.gov.vn"
    msg["Subject"] = subject
    msg["Date"] = rfc_date(when)
    msg["Message-ID"] = f"<{abs(hash((subject, when)))}@test.camau.gov.vn>"
    for k, v in (headers or {}).items():
        msg[k] = v
    msg.set_content(body or subject)
    if html is not None:
        msg.add_alternative(html, subtype="html")
        if inline_png:
            msg.get_payload()[1].add_related(PNG_1PX, "image", "png", cid=f"<{inline_png}>")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes(policy=SMTP_POLICY)


def build_profile(base: Path, extra: list[bytes] | None = None) -> Profile:
    """Agency account 'Văn thư Sở' with INBOX (10 + extra), Junk (1) and Sent (1)."""
    profile = Profile.at(base).ensure()
    db = open_db(profile.db_path)
    blobs = BlobStore(profile.blobs_dir)
    add_account(db, Account(name="Văn thư Sở", role="agency", email="vanthu@sotttt.camau.gov.vn", is_local=True),
                None)
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=TZ)
    inbox_msgs = [
        mail("Giấy mời họp giao ban tháng 11", "Văn phòng UBND tỉnh <vp@camau.gov.vn>", t0,
             body="Kính gửi Sở Thông tin và Truyền thông.\nTrân trọng kính mời dự họp."),
        mail("Công văn số 123/UBND-VP về việc báo cáo quý IV", "UBND tỉnh Cà Mau <ubnd@camau.gov.vn>",
             t0 + timedelta(hours=1), body="Đề nghị báo cáo trước ngày 30/11.",
             attachments=(("Công văn 123-UBND-VP.pdf", PDF_BYTES, "application/pdf"),)),
        mail("HỎA TỐC: Triển khai phòng chống bão số 9", "Ban Chỉ huy PCTT <pctt@camau.gov.vn>",
             t0 + timedelta(hours=2), body="HỎA TỐC\nĐề nghị triển khai ngay."),
        mail("Bản tin tuần", "Sở Nội vụ <snv@camau.gov.vn>", t0 + timedelta(hours=3),
             html="<p>Xin chào <b>các đồng chí</b></p><img src='cid:logo1'>", inline_png="logo1"),
        mail("Khuyến mãi lớn cuối năm", "Quảng cáo <ads@example.com>", t0 + timedelta(hours=4),
             headers={"X-Spam-Flag": "YES"}),
        mail("Tệp đáng ngờ", "Người lạ <x@example.org>", t0 + timedelta(hours=5),
             attachments=(("hoa_don.exe", b"MZ fake", "application/octet-stream"),)),
    ]
    for i in range(4):
        inbox_msgs.append(mail(f"Thông báo số {i + 1}/TB-STTTT", "Phòng Hành chính <hc@camau.gov.vn>",
                               t0 - timedelta(days=i + 1), body=f"Nội dung thông báo {i + 1}."))
    inbox_msgs += extra or []
    with transaction(db):
        inbox = store.ensure_folder(db, "Văn thư Sở", "INBOX", "inbox")
        junk = store.ensure_folder(db, "Văn thư Sở", "Junk", "junk")
        sent = store.ensure_folder(db, "Văn thư Sở", "Sent", "sent")
        for n, raw in enumerate(inbox_msgs):
            flags = ("\\Seen",) if n % 3 == 0 else ()
            store.store_message(db, blobs, "Văn thư Sở", inbox, raw, uidvalidity=1, uid=n + 1, flags=flags,
                                internaldate=t0 + timedelta(minutes=n))
        store.store_message(db, blobs, "Văn thư Sở", junk, mail("Trúng thưởng", "spam <s@spam.biz>", t0),
                            uidvalidity=1, uid=1)
        store.store_message(db, blobs, "Văn thư Sở", sent, mail("Báo cáo tuần", "Văn thư <vanthu@camau.gov.vn>", t0),
                            uidvalidity=1, uid=1, flags=("\\Seen",))
    db.conn.close()
    return profile
