"""Receipt notice to the sender of a registered e-mail document (ND30 Đ21.2, Phụ lục VI Phần I.III).

Why: the receiving body must tell the sender, the same day, that an electronic
document arrived.  The agency decides whether Cà Mau Desk does it
automatically (setting ``receipt_notice``, off by default: many bodies still
confirm by phone or through the QLVB system and do not want a second notice).

The reply follows RFC 3834 (``Auto-Submitted: auto-replied``; never answer an
automatic message, a mailing list or a bounce address) so two desks can never
ping-pong notices.  It is built with ``policy.SMTP.clone(max_line_length=None)``
so the stdlib never re-folds its headers (its folding of long non-ASCII
headers has had bugs), and a long Vietnamese subject reaches the sender intact.

Sending: :func:`queue_receipt` commits the notice to the durable outbox
(``camau_desk.mail.outbox.enqueue``, kind 'receipt') from the agency mailbox;
``flush_outbox`` sends it.  :func:`prepare_receipt` only builds it.
"""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.policy
import email.utils
from email.message import EmailMessage, Message

import sqlite_utils

from camau_desk import settings
from camau_desk.errors import InvalidInput
from camau_desk.vn.clock import VN_TZ, to_vn

POLICY = email.policy.SMTP.clone(max_line_length=None)
SUBJECT_PREFIX = "Đã nhận văn bản: "
_NO_REPLY_LOCALPARTS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply")


def should_send_receipt(db: sqlite_utils.Database) -> bool:
    """The agency's choice (setting ``receipt_notice``, default off)."""
    return bool(settings.get(db, "receipt_notice"))


def _as_message(original: Message | bytes) -> Message:
    if isinstance(original, (bytes, bytearray)):
        return email.message_from_bytes(bytes(original), policy=email.policy.default)
    return original


def _header(msg: Message, name: str) -> str:
    """Decoded, unfolded header text, whatever policy ``msg`` was parsed with."""
    value = msg.get(name)
    if value is None:
        return ""
    try:
        text = str(email.header.make_header(email.header.decode_header(str(value))))
    except (ValueError, LookupError, UnicodeError):
        text = str(value)
    return " ".join(text.split())


def reply_address(original: Message) -> tuple[str, str] | None:
    """(display name, address) to answer: Reply-To first, then From (RFC 5322 §3.6.2)."""
    for name in ("Reply-To", "From"):
        pairs = email.utils.getaddresses([_header(original, name)]) if original.get(name) else []
        for disp, addr in pairs:
            if addr and "@" in addr:
                return disp, addr
    return None


def should_reply_to(original: Message | bytes) -> bool:
    """RFC 3834 §2: no notice to automatic messages, lists, bounces or no-reply senders."""
    msg = _as_message(original)
    auto = _header(msg, "Auto-Submitted").lower()
    if auto and auto != "no":
        return False
    if _header(msg, "Precedence").lower() in ("bulk", "list", "junk") or msg.get("List-Id"):
        return False
    who = reply_address(msg)
    if who is None:
        return False
    local = who[1].split("@", 1)[0].lower()
    return not any(local.startswith(x) for x in _NO_REPLY_LOCALPARTS)


def _day(value: str | None) -> str:
    if not value:
        return dt.datetime.now(VN_TZ).strftime("%d/%m/%Y")
    try:
        d = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return to_vn(d).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)[:10]


def receipt_subject(original_subject: str) -> str:
    subject = " ".join((original_subject or "").split())
    if subject.startswith(SUBJECT_PREFIX):
        return subject
    return SUBJECT_PREFIX + (subject or "(không có tiêu đề)")


def receipt_body(entry: dict, *, agency: str, sender_name: str = "") -> str:
    """The notice text: received on dd/mm/yyyy, registered as số đến N/Y by the agency."""
    if entry.get("so_den") is None:
        raise InvalidInput("Văn bản chưa được cấp số đến: chưa gửi được thông báo đã nhận.")
    number = f"{entry['so_den']}/{entry['year']}"
    doc = (entry.get("so_ky_hieu") or "").strip()
    what = f"văn bản số {doc}" if doc else "văn bản"
    if entry.get("trich_yeu"):
        what += f" ({entry['trich_yeu'].strip()})"
    agency = agency or "Cơ quan"
    lines = [
        f"Kính gửi: {sender_name}," if sender_name else "Kính gửi Quý cơ quan, đơn vị,",
        "",
        f"{agency} đã nhận được {what} gửi qua thư điện tử ngày {_day(entry.get('ngay_den'))} "
        f"và đã vào Sổ đăng ký văn bản đến với số đến {number}.",
        "",
        "Đây là thông báo tự động theo khoản 2 Điều 21 Nghị định số 30/2020/NĐ-CP; "
        "xin vui lòng không trả lời thư này.",
        "",
        f"Văn thư - {agency}",
    ]
    return "\n".join(lines) + "\n"


def build_receipt(entry: dict, original_message: Message | bytes, *, agency: str = "",
                  from_addr: str | None = None, now: dt.datetime | None = None) -> EmailMessage:
    """The automatic reply for one registered entry (not sent here)."""
    original = _as_message(original_message)
    who = reply_address(original)
    if who is None:
        raise InvalidInput("Thư gốc không có địa chỉ người gửi: không gửi được thông báo đã nhận.")
    msg = EmailMessage(policy=POLICY)
    if from_addr:
        msg["From"] = email.utils.formataddr((agency, from_addr)) if agency else from_addr
    msg["To"] = email.utils.formataddr(who) if who[0] else who[1]
    msg["Subject"] = receipt_subject(_header(original, "Subject"))
    msg["Date"] = email.utils.format_datetime(now or dt.datetime.now(VN_TZ))
    domain = from_addr.rsplit("@", 1)[-1] if from_addr and "@" in from_addr else None
    msg["Message-ID"] = email.utils.make_msgid("camau-receipt", domain=domain)
    orig_id = _header(original, "Message-ID")
    if orig_id:
        msg["In-Reply-To"] = orig_id
        refs = _header(original, "References")
        msg["References"] = f"{refs} {orig_id}".strip() if orig_id not in refs else refs
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    msg["X-Camau-Receipt"] = f"{entry.get('so_den')}/{entry.get('year')}"
    # The body is encoded under the default line limit (the stdlib's body encoders
    # cannot take max_line_length=None); only the headers need the unlimited policy.
    msg.policy = email.policy.SMTP
    msg.set_content(receipt_body(entry, agency=agency, sender_name=who[0]), charset="utf-8",
                    cte="quoted-printable")
    msg.policy = POLICY
    return msg


def prepare_receipt(db: sqlite_utils.Database, blobs: object, entry: dict) -> EmailMessage | None:
    """The notice for a freshly numbered e-mail entry, or None when none is due.

    None when the agency turned notices off, the entry is a paper document or
    still pending, or the original must not be auto-answered (RFC 3834).
    """
    if not should_send_receipt(db) or entry.get("is_paper") or not entry.get("message"):
        return None
    if entry.get("so_den") is None or entry.get("status") == "cancelled":
        return None
    from camau_desk.mail.store import raw_bytes

    original = _as_message(raw_bytes(db, blobs, int(entry["message"])))  # type: ignore[arg-type]
    if not should_reply_to(original):
        return None
    from_addr = None
    try:
        from camau_desk.register import service

        from_addr = service.agency_account(db).email
    except Exception:  # no agency mailbox configured: the sending layer sets From
        from_addr = None
    return build_receipt(entry, original, agency=settings.get(db, "agency_name") or "", from_addr=from_addr)


def queue_receipt(db: sqlite_utils.Database, blobs: object, entry: dict) -> int | None:
    """Queue the notice in the outbox (after the entry's number is committed); outbox id or None.

    Call it once per numbered e-mail entry; an existing 'receipt' row for the
    entry means it was already queued, so nothing is added twice.
    """
    msg = prepare_receipt(db, blobs, entry)
    if msg is None:
        return None
    from camau_desk.mail import outbox
    from camau_desk.register import service

    if entry.get("id") is not None:
        row = db.execute("SELECT id FROM outbox WHERE kind = 'receipt' AND entry = ? AND status != 'cancelled'",
                         [entry["id"]]).fetchone()
        if row:
            return int(row[0])
    return outbox.enqueue(db, service.agency_account(db), msg, kind="receipt", entry=entry.get("id"))
