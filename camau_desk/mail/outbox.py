"""The outbox: every outgoing message goes through a durable queue (R2.1, R3.2, R4.3, R6.1).

Why a queue: a forward to the leader must not be lost because the SMTP
server was down at the moment the clerk pressed "Trình".  The message is
committed to SQLite (raw bytes in the row) *before* any network I/O; then it
is sent; on a delay (4xx reply, timeout, no connection) it stays "chờ gửi"
with the Vietnamese reason and is retried with backoff by :func:`flush_outbox`.

A refusal is not a delay: a 5xx reply to MAIL FROM, RCPT TO or DATA is
permanent (RFC 5321 §4.2.1), so retrying would only hide it from the clerk.
The row ends "bị từ chối" ('refused') with the server's reply in the reason
and is never retried automatically; the clerk fixes the cause and calls
:func:`requeue`.  When only some recipients are refused the message is sent
to the others: the row is 'sent' and the refused addresses are in the reason.

A forward to the leader (kind 'forward' with its register entry) makes the
entry "Đã trình" only once it is sent, whether now or by a later flush
(:func:`camau_desk.routing.forward.mark_presented`).

Exactly once: the row is marked 'sending' (committed) before DATA and 'sent'
(committed) right after the server's 250.  The only window left is a crash
between the 250 and that commit: the row is still 'sending' and the next
flush sends it again.  The copy carries the same Message-ID, so the
recipient's client (and Dovecot's duplicate suppression, if enabled) can
drop it; the window is one local SQLite commit wide.

After sending, a copy is APPENDed to the account's Sent folder (SPECIAL-USE
\\Sent) and stored locally (direction 'out').  In demo mode (setting "demo"
true, or a local account) nothing goes to a server: the message is stored
in the local Sent folder with the keyword ``$CamauDemo``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import smtplib
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import getaddresses
from typing import Any

import sqlite_utils

from camau_desk import audit, settings
from camau_desk.accounts import Account, get_account
from camau_desk.errors import CamauError, InvalidInput, NotFound
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.compose import to_bytes
from camau_desk.mail.parse import detect_marks, parse_message
from camau_desk.mail.store import ensure_folder, store_message
from camau_desk.store.db import transaction

__all__ = [
    "SECRECY_REFUSAL",
    "SecretRefused",
    "ConfirmationNeeded",
    "recipients_of",
    "guard",
    "enqueue",
    "send_or_queue",
    "flush_outbox",
    "cancel",
    "requeue",
    "list_outbox",
    "get_item",
    "DEMO_KEYWORD",
]

DEMO_KEYWORD = "$CamauDemo"
STATUS_LABELS = {"queued": "Chờ gửi", "sending": "Đang gửi", "sent": "Đã gửi", "refused": "Bị từ chối",
                 "cancelled": "Đã hủy"}
SECRECY_REFUSAL = (
    "Văn bản có dấu độ mật “{mark}”: không được gửi qua thư điện tử (R3.2, Luật Bảo vệ bí mật nhà nước). "
    "Hãy chuyển bản giấy theo quy trình văn bản mật."
)
_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]", re.I)

SmtpFactory = Callable[[Account], Any]
ImapFactory = Callable[[Account], Any]


class SecretRefused(InvalidInput):
    """A secret-marked document may not be sent by e-mail."""


class ConfirmationNeeded(InvalidInput):
    """Too many recipients without an explicit confirmation (R4.3)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def recipients_of(msg: EmailMessage) -> list[str]:
    """Envelope recipients: To, Cc and Bcc, each address once, in order."""
    pairs = getaddresses([str(v) for k in ("To", "Cc", "Bcc") for v in msg.get_all(k, [])])
    return list(dict.fromkeys(a.strip().lower() for _, a in pairs if a and "@" in a))


def _sender(msg: EmailMessage) -> str:
    pairs = getaddresses([str(msg.get("From") or "")])
    if not pairs or not pairs[0][1]:
        raise InvalidInput("Thư gửi đi thiếu địa chỉ người gửi (From).")
    return pairs[0][1]


def guard(db: sqlite_utils.Database, msg: EmailMessage, *, official: bool = False, so_ky_hieu: str | None = None,
          approved_by: str | None = None, confirm_many: bool = False, secrecy: str | None = None) -> None:
    """Refuse what must not leave: secret documents (R3.2), an official document without
    its số ký hiệu or approving leader (R6.1), too many recipients unconfirmed (R4.3)."""
    raw = to_bytes(msg)
    pm = parse_message(raw)
    marks = [secrecy, pm.secrecy, detect_marks(pm.subject or "", pm.text or "")[1]]
    mark = next((m for m in marks if m), None)
    if mark:
        raise SecretRefused(SECRECY_REFUSAL.format(mark=mark))
    if official:
        if not (so_ky_hieu or "").strip():
            raise InvalidInput("Văn bản đi phải có số, ký hiệu trước khi gửi (R6.1).")
        if not (approved_by or "").strip():
            raise InvalidInput(f"Văn bản đi {so_ky_hieu} chưa ghi người duyệt ký: chưa được gửi (R6.1).")
    limit = int(settings.get(db, "max_recipients_without_confirm") or 10)
    n = len(recipients_of(msg))
    if n == 0:
        raise InvalidInput("Cần ít nhất một người nhận.")
    if n > limit and not confirm_many:
        raise ConfirmationNeeded(f"Thư có {n} người nhận (nhiều hơn {limit}): hãy xác nhận để gửi (--yes).")


def enqueue(db: sqlite_utils.Database, account: Account, msg: EmailMessage, *, kind: str = "new",
            entry: int | None = None, record: Callable[[int], None] | None = None) -> int:
    """Commit the message to the outbox ("chờ gửi") before any network I/O; returns its id.

    ``record(id)`` runs inside the same transaction, so the caller's own row
    about the message (a forward's routing record) exists before any send.
    """
    raw = to_bytes(msg)
    rcpts = recipients_of(msg)
    if "Bcc" in msg:  # envelope only: the header itself must not travel
        del msg["Bcc"]
        raw = to_bytes(msg)
    with transaction(db):
        db.execute(
            "INSERT INTO outbox (account, kind, message_id, subject, mail_from, rcpt_to, raw, sha256, entry,"
            " status, created_at, created_by, next_attempt_at, demo) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [account.name, kind, str(msg.get("Message-ID") or ""), str(msg.get("Subject") or ""), _sender(msg),
             json.dumps(rcpts), raw, hashlib.sha256(raw).hexdigest(), entry, "queued", _iso(_now()),
             audit.current_user(), _iso(_now()), int(_is_demo(db, account))])
        oid = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
        audit.record(db, "outbox.queue", "outbox", oid, None,
                     {"kind": kind, "to": rcpts, "subject": str(msg.get("Subject") or ""), "entry": entry})
        if record is not None:
            record(oid)
    return oid


def _is_demo(db: sqlite_utils.Database, account: Account) -> bool:
    return bool(settings.get(db, "demo")) or account.is_local


def send_or_queue(db: sqlite_utils.Database, blobs: BlobStore, account: Account, msg: EmailMessage, *,
                  kind: str = "new", entry: int | None = None, smtp_factory: SmtpFactory | None = None,
                  imap_factory: ImapFactory | None = None, official: bool = False, so_ky_hieu: str | None = None,
                  approved_by: str | None = None, confirm_many: bool = False, secrecy: str | None = None,
                  now: dt.datetime | None = None, record: Callable[[int], None] | None = None) -> dict:
    """Check the guards, queue durably, try to send now; return the outbox row (sent, queued or refused)."""
    guard(db, msg, official=official, so_ky_hieu=so_ky_hieu, approved_by=approved_by,
          confirm_many=confirm_many, secrecy=secrecy)
    oid = enqueue(db, account, msg, kind=kind, entry=entry, record=record)
    _attempt(db, blobs, account, oid, smtp_factory, imap_factory, now or _now())
    return get_item(db, oid)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _reply(code: int, text: bytes | str) -> str:
    """An SMTP reply as the server wrote it ("550 5.1.1 User unknown"), for the clerk and the admin."""
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}".strip()


def _per_recipient(refused: dict[str, tuple[int, bytes | str]]) -> str:
    return "; ".join(f"{addr}: {_reply(code, text)}" for addr, (code, text) in refused.items())


def _permanent(code: int) -> bool:
    return 500 <= code < 600


def _refusal(exc: BaseException) -> str | None:
    """The reason when ``exc`` is a permanent refusal of MAIL FROM, RCPT TO or DATA (RFC 5321 §4.2.1), else None.

    Only those three: a 5xx elsewhere (EHLO, AUTH) comes from the connection
    or the account settings, which the clerk fixes without touching the message.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # RFC 5321 §4.5.3.1.10: a 552 to RCPT ("too many recipients") is to be treated as a 452.
        if exc.recipients and all(_permanent(code) and code != 552 for code, _ in exc.recipients.values()):
            return (f"Máy chủ thư từ chối ({_per_recipient(exc.recipients)}): "
                    "địa chỉ người nhận không tồn tại hoặc bị từ chối.")
    elif isinstance(exc, smtplib.SMTPSenderRefused) and _permanent(exc.smtp_code):
        return (f"Máy chủ thư từ chối ({_reply(exc.smtp_code, exc.smtp_error)}): không nhận thư từ địa chỉ gửi "
                f"{exc.sender} (không được phép gửi qua máy chủ này, hoặc thư quá lớn).")
    elif isinstance(exc, smtplib.SMTPDataError) and _permanent(exc.smtp_code):
        return (f"Máy chủ thư từ chối ({_reply(exc.smtp_code, exc.smtp_error)}): "
                "nội dung thư bị từ chối (thư quá lớn hoặc bị bộ lọc chặn).")
    return None


def _smtp_error(exc: BaseException) -> str:
    """The reason of a delay: the message stays queued and is retried."""
    if isinstance(exc, CamauError):
        return exc.message
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return (f"Máy chủ thư chưa nhận người nhận nào ({_per_recipient(exc.recipients)}). "
                "Thư vẫn chờ gửi và sẽ được gửi lại.")
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"Máy chủ thư trả lời lỗi {_reply(exc.smtp_code, exc.smtp_error)}. Thư vẫn chờ gửi."
    if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError, OSError)):
        return "Mất kết nối tới máy chủ gửi thư (SMTP). Thư vẫn chờ gửi và sẽ được gửi lại."
    return f"Lỗi khi gửi thư: {type(exc).__name__}. Thư vẫn chờ gửi."


def _attempt(db: sqlite_utils.Database, blobs: BlobStore, account: Account, oid: int,
             smtp_factory: SmtpFactory | None, imap_factory: ImapFactory | None, now: dt.datetime) -> bool:
    row = get_item(db, oid)
    if row["status"] not in ("queued", "sending"):
        return row["status"] == "sent"
    raw = bytes(db.execute("SELECT raw FROM outbox WHERE id = ?", [oid]).fetchone()[0])
    if row["demo"]:
        with transaction(db):
            db.execute("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?",
                       [_iso(now), oid])
            mid = _store_local(db, blobs, account, raw, "Sent", None, None, demo=True)
            db.execute("UPDATE outbox SET sent_copy = 'demo', local_message = ? WHERE id = ?", [mid, oid])
            audit.record(db, "outbox.sent_demo", "outbox", oid, None, {"message_id": row["message_id"]})
        _after_sent(db, account, row, imap_factory)
        return True
    with transaction(db):
        db.execute("UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?", [oid])
    try:
        smtp = (smtp_factory or _default_smtp)(account)
        try:
            refused = smtp.sendmail(row["mail_from"], row["rcpt_to"], raw)
        finally:
            try:
                smtp.quit()
            except Exception:  # noqa: S110 - the 250 is what counts
                pass
    except Exception as exc:  # a refusal ends the row; anything else leaves it queued with a reason
        refusal = _refusal(exc)
        with transaction(db):
            if refusal:
                db.execute("UPDATE outbox SET status = 'refused', last_error = ?, next_attempt_at = NULL"
                           " WHERE id = ?", [refusal, oid])
                audit.record(db, "outbox.refused", "outbox", oid, {"status": "sending"},
                             {"status": "refused", "error": refusal, "detail": repr(exc)[:300]})
            else:
                msg = _smtp_error(exc)
                db.execute("UPDATE outbox SET status = 'queued', last_error = ?, next_attempt_at = ? WHERE id = ?",
                           [msg, _iso(now + _backoff(row["attempts"] + 1)), oid])
                audit.record(db, "outbox.failed", "outbox", oid, None, {"error": msg, "detail": repr(exc)[:300]})
        return False
    with transaction(db):  # right after the 250: the exactly-once point
        note = (f"Đã gửi tới những người nhận khác; máy chủ thư không nhận ({_per_recipient(refused)}): "
                "những địa chỉ này chưa nhận được thư.") if refused else None
        db.execute("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = ? WHERE id = ?",
                   [_iso(now), note, oid])
        audit.record(db, "outbox.sent", "outbox", oid, None,
                     {"message_id": row["message_id"], "to": row["rcpt_to"],
                      "refused": {a: _reply(c, t) for a, (c, t) in (refused or {}).items()}})
    _sent_copy(db, blobs, account, oid, raw, imap_factory)
    _after_sent(db, account, row, imap_factory)
    return True


def _after_sent(db: sqlite_utils.Database, account: Account, row: dict, imap_factory: ImapFactory | None) -> None:
    """A forward of a register entry makes it "Đã trình" only now that the leader's server has it (R7.1a-2)."""
    if row["kind"] == "forward" and row["entry"] is not None:
        from camau_desk.routing.forward import mark_presented  # routing builds on mail: imported when needed

        mark_presented(db, account, row["id"], imap_factory=imap_factory)


def _default_smtp(account: Account) -> Any:
    from camau_desk.mail.connect import smtp_connect

    return smtp_connect(account)


def _default_imap(account: Account) -> Any:
    from camau_desk.mail.connect import imap_connect

    return imap_connect(account)


def _store_local(db: sqlite_utils.Database, blobs: BlobStore, account: Account, raw: bytes, folder: str,
                 uidvalidity: int | None, uid: int | None, *, demo: bool = False) -> int:
    """Inside the caller's transaction: the Sent copy in the local store (direction 'out')."""
    fid = ensure_folder(db, account.name, folder, role="sent")
    flags = ["\\Seen"] + ([DEMO_KEYWORD] if demo else [])
    mid, _ = store_message(db, blobs, account.name, fid, raw, uidvalidity=uidvalidity, uid=uid, flags=flags,
                           internaldate=_now())
    db.execute("UPDATE messages SET direction = 'out' WHERE id = ?", [mid])
    return mid


def _sent_copy(db: sqlite_utils.Database, blobs: BlobStore, account: Account, oid: int, raw: bytes,
               imap_factory: ImapFactory | None) -> None:
    """APPEND to the \\Sent folder, then store locally; a failure only loses the server copy (audited)."""
    from imapclient.imapclient import SENT

    folder, validity, uid, how = "Sent", None, None, "local"
    try:
        client = (imap_factory or _default_imap)(account)
        try:
            folder = client.find_special_folder(SENT) or "Sent"
            if not client.folder_exists(folder):
                client.create_folder(folder)
            resp = client.append(folder, raw, flags=(b"\\Seen",))
            m = _APPENDUID.search(resp if isinstance(resp, bytes) else str(resp).encode())
            if m:
                validity, uid = int(m.group(1)), int(m.group(2))
            how = "imap"
        finally:
            try:
                client.logout()
            except Exception:  # noqa: S110
                pass
    except Exception as exc:  # the message is sent; the Sent copy is secondary
        with transaction(db):
            audit.record(db, "outbox.sent_copy_failed", "outbox", oid, None, f"{type(exc).__name__}: {exc}"[:300])
    with transaction(db):
        mid = _store_local(db, blobs, account, raw, folder, validity, uid)
        db.execute("UPDATE outbox SET sent_copy = ?, local_message = ? WHERE id = ?", [how, mid, oid])


def flush_outbox(db: sqlite_utils.Database, blobs: BlobStore, *, smtp_factory: SmtpFactory | None = None,
                 imap_factory: ImapFactory | None = None, now: dt.datetime | None = None,
                 force: bool = False, account: str | None = None) -> list[dict]:
    """Send every queued message whose retry time has come (all of them with ``force``), oldest first.

    A row left 'sending' by a crash is sent again (see the module docstring);
    a refused one is left alone until the clerk calls :func:`requeue`.
    """
    now = now or _now()
    if force:
        sql, params = "SELECT id, account FROM outbox WHERE status IN ('queued','sending')", []
    else:
        sql = ("SELECT id, account FROM outbox WHERE (status = 'sending' OR (status = 'queued'"
               " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)))")
        params = [_iso(now)]
    if account:
        sql += " AND account = ?"
        params.append(account)
    out = []
    accounts: dict[str, Account] = {}
    for oid, acc in list(db.execute(sql + " ORDER BY id", params)):
        if acc not in accounts:
            accounts[acc] = get_account(db, acc)
        _attempt(db, blobs, accounts[acc], oid, smtp_factory, imap_factory, now)
        out.append(get_item(db, oid))
    return out


def cancel(db: sqlite_utils.Database, oid: int, *, user: str | None = None) -> dict:
    """The clerk withdraws a message still waiting; a sent one cannot be recalled."""
    row = get_item(db, oid)
    if row["status"] == "sent":
        raise InvalidInput(f"Thư số {oid} đã gửi đi lúc {row['sent_at']}: không hủy được.")
    if row["status"] == "cancelled":
        return row
    with transaction(db):
        db.execute("UPDATE outbox SET status = 'cancelled', cancelled_at = ?, cancelled_by = ? WHERE id = ?"
                   " AND status IN ('queued','sending','refused')", [_iso(_now()), user or audit.current_user(), oid])
        audit.record(db, "outbox.cancel", "outbox", oid, {"status": row["status"]}, {"status": "cancelled"},
                     user=user)
    return get_item(db, oid)


def requeue(db: sqlite_utils.Database, oid: int, user: str | None = None) -> dict:
    """The clerk sends a refused message again, after fixing the cause (never done automatically)."""
    row = get_item(db, oid)
    if row["status"] != "refused":
        raise InvalidInput(f"Thư số {oid} đang ở trạng thái “{row['status_label']}”: "
                           "chỉ thư bị máy chủ từ chối mới cần đưa lại vào hàng chờ gửi.")
    with transaction(db):
        db.execute("UPDATE outbox SET status = 'queued', next_attempt_at = ? WHERE id = ? AND status = 'refused'",
                   [_iso(_now()), oid])
        audit.record(db, "outbox.requeue", "outbox", oid, {"status": "refused", "error": row["last_error"]},
                     {"status": "queued"}, user=user)
    return get_item(db, oid)


def get_item(db: sqlite_utils.Database, oid: int) -> dict:
    rows = list(db.query("SELECT * FROM outbox WHERE id = ?", [oid]))
    if not rows:
        raise NotFound(f"Không có thư số {oid} trong hộp thư đi.")
    d = dict(rows[0])
    d.pop("raw", None)
    d["rcpt_to"] = json.loads(d["rcpt_to"])
    d["status_label"] = STATUS_LABELS[d["status"]]
    return d


def list_outbox(db: sqlite_utils.Database, status: str | Sequence[str] | None = None) -> list[dict]:
    sql, params = "SELECT id FROM outbox", []
    if status:
        sts = [status] if isinstance(status, str) else list(status)
        sql += f" WHERE status IN ({','.join('?' * len(sts))})"
        params = sts
    return [get_item(db, r[0]) for r in db.execute(sql + " ORDER BY id", params)]


def parse_raw(raw: bytes) -> EmailMessage:
    return BytesParser(policy=default_policy).parsebytes(raw)  # type: ignore[return-value]
