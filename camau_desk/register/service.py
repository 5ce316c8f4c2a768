"""Registering incoming documents: propose, check, number through the log, save (R7.1a-1, ND30 Đ20-22).

Order of every registration (docs/register-log.md):

1. the clerk's request is committed locally as an entry "chờ cấp số" plus a
   row in the local queue ``register_pending`` (a crash after this loses nothing);
2. the event is APPENDed to the log folder; the server's UID fixes its place;
3. the log is replayed up to that UID: the position is the số đến; the
   number, the event and the audit rows are committed locally in one transaction;
4. only then is the original message told (keyword ``$CamauSoDen``, invariant 2)
   and the files written under the mirror root, named by the số đến.

Without a server, step 2 fails and the entry stays "chờ cấp số";
:func:`flush_pending` later appends the queue in local order.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import imapclient
import imapclient.exceptions
import sqlite_utils

from camau_desk import audit, settings
from camau_desk.accounts import Account, list_accounts
from camau_desk.errors import CamauError, InvalidInput, MailError, NotFound
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.parse import iter_attachments
from camau_desk.mail.store import get_message, raw_bytes
from camau_desk.register import log as rlog
from camau_desk.register.extract import propose_fields
from camau_desk.register.replay import (
    NUMBERED_TYPES,
    Cancel,
    Change,
    NewEntry,
    RegisterIntegrityError,
    ReplayState,
    check_complete,
    replay,
)
from camau_desk.register.symbols import parse_symbol
from camau_desk.store.db import transaction
from camau_desk.vn.clock import VN_TZ, to_vn
from camau_desk.vn.text import fold, nfc

__all__ = [
    "ENTRY_FIELDS",
    "FIELD_ALIASES",
    "STATUSES",
    "KEYWORD",
    "Proposal",
    "RegisterWarning",
    "DuplicateWarning",
    "SecretDocument",
    "SyncReport",
    "agency_account",
    "log_folder",
    "reuse_client",
    "normalize_fields",
    "propose",
    "check_warnings",
    "register",
    "register_paper",
    "correct",
    "cancel",
    "sync_register",
    "flush_pending",
    "queue_event",
    "list_entries",
    "get_entry",
]

#: Editable columns of an entry (Phụ lục IV + Phụ lục VI); the event carries them.
ENTRY_FIELDS: tuple[str, ...] = (
    "ngay_den", "tac_gia", "so_ky_hieu", "ngay_van_ban", "ngay_van_ban_raw", "loai", "trich_yeu",
    "don_vi_nhan", "ngay_chuyen", "ky_nhan", "ghi_chu", "muc_do_khan", "do_mat", "han_giai_quyet",
    "so_trang", "nguoi_ky", "status",
)
#: Links from an entry to the e-mail it came from (not editable).
LINK_FIELDS: tuple[str, ...] = ("message_id_header", "message_sha256", "attachment_idx", "attachment_sha256")
#: English/short names accepted by ``--set`` and the API.
FIELD_ALIASES: dict[str, str] = {
    "kind": "loai", "issuer": "tac_gia", "symbol": "so_ky_hieu", "doc_date": "ngay_van_ban",
    "received": "ngay_den", "summary": "trich_yeu", "recipient": "don_vi_nhan", "urgency": "muc_do_khan",
    "secrecy": "do_mat", "deadline": "han_giai_quyet", "pages": "so_trang", "signer": "nguoi_ky",
    "note": "ghi_chu",
}
STATUSES = ("pending", "registered", "presented", "assigned", "processing", "done", "cancelled")
STATUS_LABELS = {"pending": "Chờ cấp số", "registered": "Đã vào sổ", "presented": "Đã trình",
                 "assigned": "Đã phân công", "processing": "Đang xử lý", "done": "Hoàn thành", "cancelled": "Đã hủy"}
#: One keyword only: Dovecot's Maildir keeps at most 26 keywords per mailbox, so a
#: per-number keyword ($CamauSoDen-2026-15) would stop working after 26 registrations.
KEYWORD = "$CamauSoDen"

SECRECY_REFUSAL = (
    "Văn bản có dấu độ mật “{mark}”: không được vào Sổ đăng ký văn bản đến thông thường và không được lưu "
    "ra thư mục lưu trữ. Văn bản mật phải đăng ký vào sổ riêng theo Luật Bảo vệ bí mật nhà nước (NĐ30 Điều 22.4) "
    "và không được gửi, nhận qua thư điện tử (R3.2). Hãy báo lãnh đạo và người phụ trách văn bản mật."
)


class SecretDocument(InvalidInput):
    """A secret-marked document was offered to the ordinary register."""


@dataclass(frozen=True)
class RegisterWarning:
    """A reason to look twice before registering (ND30 Phụ lục VI: warn on duplicates)."""

    code: str  # same-message | same-attachment | same-symbol
    message: str
    year: int | None = None
    so_den: int | None = None
    entry_id: int | None = None


class DuplicateWarning(CamauError):
    """Registration stopped because it looks like a duplicate; repeat with ``allow_duplicate``."""

    def __init__(self, warnings: list[RegisterWarning]) -> None:
        text = " ".join(w.message for w in warnings)
        super().__init__(f"{text} Nếu vẫn muốn vào sổ, hãy xác nhận (--yes).")
        self.warnings = warnings


@dataclass
class Proposal:
    """Fields proposed for the register form; the clerk confirms or edits them."""

    fields: dict[str, Any]
    message_id: int | None
    attachment_idx: int | None
    secret: str | None = None
    warnings: list[RegisterWarning] = field(default_factory=list)


@dataclass
class SyncReport:
    new_events: int = 0
    numbered: list[tuple[int, int]] = field(default_factory=list)  # (year, so_den) given by this sync
    uidvalidity_changed: bool = False
    full: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------ small helpers


def _user() -> str:
    return audit.current_user()


def agency_account(db: sqlite_utils.Database) -> Account:
    """The one mailbox whose IMAP folder holds the register log."""
    for acc in list_accounts(db):
        if acc.role == "agency":
            return acc
    raise NotFound("Chưa khai báo hộp thư cơ quan (vai trò 'agency'): sổ văn bản đến được lưu trên hộp thư đó.")


def log_folder(db: sqlite_utils.Database) -> str:
    return settings.get(db, "register_folder") or rlog.DEFAULT_FOLDER


class _NoLogout:
    """Wraps a client so that the service's ``logout()`` leaves it open (reuse between calls)."""

    def __init__(self, client: imapclient.IMAPClient) -> None:
        self._client = client

    def logout(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def reuse_client(client: imapclient.IMAPClient) -> Callable[[], Any]:
    """A ``client_factory`` that hands out one open connection (benchmarks, long sessions)."""
    return lambda: _NoLogout(client)


@contextmanager
def _session(client_factory: Callable[[], Any]) -> Iterator[Any]:
    client = client_factory()
    try:
        yield client
    finally:
        try:
            client.logout()
        except Exception:  # noqa: S110 - the connection may already be gone; nothing to save
            pass


def _vn_now() -> dt.datetime:
    return dt.datetime.now(VN_TZ)


def _year_of(iso: str | None) -> int:
    """The register book of a moment: the calendar year in Vietnam time."""
    if iso:
        try:
            t = dt.datetime.fromisoformat(iso)
            return to_vn(t).year
        except ValueError:
            pass
    return _vn_now().year


def normalize_fields(fields: dict[str, Any] | None) -> dict[str, Any]:
    """Aliases to column names, text to NFC, ``so_trang`` to int; unknown names are refused."""
    out: dict[str, Any] = {}
    for key, value in (fields or {}).items():
        col = FIELD_ALIASES.get(key, key)
        if col not in ENTRY_FIELDS:
            raise InvalidInput(f"Trường '{key}' không có trong sổ văn bản đến. Các trường: {', '.join(ENTRY_FIELDS)}.")
        if isinstance(value, str):
            value = nfc(value).strip() or None
        if col == "so_trang" and value is not None:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise InvalidInput(f"Số trang '{value}' phải là một số.") from None
        if col == "status" and value not in STATUSES[1:6]:
            raise InvalidInput(f"Trạng thái '{value}' không hợp lệ; chọn: {', '.join(STATUSES[1:6])}.")
        out[col] = value
    return out


def _symbol_json(so_ky_hieu: str | None) -> str | None:
    sym = parse_symbol(so_ky_hieu) if so_ky_hieu else None
    if sym is None:
        return None
    d = asdict(sym)
    d["units"] = list(d["units"])
    d["normalized"] = sym.normalized
    return json.dumps(d, ensure_ascii=False)


def _symbol_key(so_ky_hieu: str | None) -> str | None:
    if not so_ky_hieu:
        return None
    sym = parse_symbol(so_ky_hieu)
    return fold(sym.normalized if sym else so_ky_hieu).replace(" ", "")


# ------------------------------------------------------------------ proposal and warnings


def _attachment_text(payload: bytes, mime: str, name: str) -> str:
    """Best-effort text of the first pages (PDF, DOCX, plain text); never raises."""
    mime, low = (mime or "").lower(), (name or "").lower()
    try:
        if mime == "application/pdf" or low.endswith(".pdf"):
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(payload))
            return "\n".join((p.extract_text() or "") for p in reader.pages[:2])
        if low.endswith(".docx"):
            import docx

            return "\n".join(p.text for p in docx.Document(io.BytesIO(payload)).paragraphs[:80])
        if mime.startswith("text/plain"):
            return payload[:20000].decode("utf-8", "replace")
    except Exception:
        return ""
    return ""


def propose(db: sqlite_utils.Database, blobs: BlobStore, message_id: int,
            attachment_idx: int | None = None) -> Proposal:
    """Register fields proposed from one message (and one of its attachments if chosen)."""
    msg = get_message(db, message_id)
    raw = raw_bytes(db, blobs, message_id)
    atts = [a for a in iter_attachments(raw) if not a.is_inline]
    if attachment_idx is not None:
        atts = [a for a in atts if a.idx == attachment_idx]
        if not atts:
            raise NotFound(f"Thư số {message_id} không có tệp đính kèm số {attachment_idx}.")
    names = [a.filename for a in atts]
    texts = [_attachment_text(a.payload, a.mime_type, a.filename) for a in atts[:3]]
    p = propose_fields(msg.get("subject") or "", msg.get("body_text") or "", names, texts,
                       f"{msg.get('from_name') or ''} <{msg.get('from_addr') or ''}>")
    fields: dict[str, Any] = {
        "ngay_den": msg.get("received_at") or msg.get("date") or _vn_now().isoformat(timespec="seconds"),
        "tac_gia": p.issuer,
        "so_ky_hieu": p.so_ky_hieu,
        "ngay_van_ban": p.doc_date.isoformat() if p.doc_date else None,
        "ngay_van_ban_raw": p.doc_date_raw,
        "loai": p.kind,
        "trich_yeu": p.trich_yeu or (msg.get("subject") or None),
        "muc_do_khan": p.urgency or msg.get("urgency"),
        "do_mat": p.secrecy or msg.get("secrecy"),
        "nguoi_ky": p.signer,
        "so_trang": p.page_count,
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    proposal = Proposal(fields, message_id, attachment_idx, secret=fields.get("do_mat"))
    proposal.warnings = check_warnings(db, {**fields, **_links(msg, atts if attachment_idx is not None else [])})
    return proposal


def _links(msg: dict, chosen: list) -> dict[str, Any]:
    return {
        "message_id_header": msg.get("message_id"),
        "message_sha256": msg.get("sha256"),
        "attachment_idx": chosen[0].idx if chosen else None,
        "attachment_sha256": chosen[0].sha256 if chosen else None,
    }


def check_warnings(db: sqlite_utils.Database, fields: dict[str, Any]) -> list[RegisterWarning]:
    """Duplicates per ND30 Phụ lục VI: same document identifier, or same (số ký hiệu, cơ quan ban hành)."""
    out: list[RegisterWarning] = []
    live = "status != 'cancelled'"

    def where(row: dict) -> str:
        return f"số đến {row['so_den']}/{row['year']}" if row["so_den"] else "một văn bản đang chờ cấp số"

    seen: set[int] = set()
    msgid = fields.get("message_id_header")
    att_sha = fields.get("attachment_sha256")
    if msgid:
        sql = f"SELECT * FROM register_entries WHERE {live} AND message_id_header = ?"  # noqa: S608 - constant
        params: list[Any] = [msgid]
        if att_sha:  # another attachment of the same mail is a different document
            sql += " AND (attachment_sha256 IS NULL OR attachment_sha256 = ?)"
            params.append(att_sha)
        for row in db.query(sql, params):
            seen.add(row["id"])
            out.append(RegisterWarning("same-message", f"Thư này (Message-ID {msgid}) đã vào sổ: {where(row)}.",
                                       row["year"], row["so_den"], row["id"]))
    if att_sha:
        sql = f"SELECT * FROM register_entries WHERE {live} AND attachment_sha256 = ?"  # noqa: S608 - constant
        for row in db.query(sql, [att_sha]):
            if row["id"] not in seen:
                seen.add(row["id"])
                out.append(RegisterWarning("same-attachment", f"Tệp đính kèm giống hệt đã vào sổ: {where(row)}.",
                                           row["year"], row["so_den"], row["id"]))
    key = _symbol_key(fields.get("so_ky_hieu"))
    issuer = fold(fields.get("tac_gia") or "")
    if key:
        sql = f"SELECT * FROM register_entries WHERE {live} AND so_ky_hieu IS NOT NULL"  # noqa: S608 - constant
        sym = parse_symbol(fields.get("so_ky_hieu"))
        params = []  # (reused name: the Message-ID query is done)
        if sym is not None and sym.number:  # cheap SQL pre-filter; the exact comparison follows
            sql += " AND instr(so_ky_hieu, ?) > 0"
            params.append(sym.number)
        for row in db.query(sql, params):
            if row["id"] in seen or _symbol_key(row["so_ky_hieu"]) != key:
                continue
            if issuer and row["tac_gia"] and fold(row["tac_gia"]) != issuer:
                continue
            seen.add(row["id"])
            out.append(RegisterWarning(
                "same-symbol",
                f"Văn bản số {fields.get('so_ky_hieu')} của {fields.get('tac_gia') or 'cùng cơ quan'} "
                f"đã vào sổ: {where(row)}.",
                row["year"], row["so_den"], row["id"]))
    return out


def _refuse_secret(*marks: str | None) -> None:
    for mark in marks:
        if mark:
            raise SecretDocument(SECRECY_REFUSAL.format(mark=mark))


# ------------------------------------------------------------------ local state of the log


def _log_state(db: sqlite_utils.Database, account: str, folder: str) -> tuple[int | None, int]:
    row = db.execute("SELECT uidvalidity, last_uid FROM register_log_state WHERE account = ? AND folder = ?",
                     [account, folder]).fetchone()
    return (row[0], row[1]) if row else (None, 0)


def _known_numbers(db: sqlite_utils.Database) -> dict[str, tuple[int, int]]:
    """Every number this workstation ever recorded: the replay must agree with each one."""
    return {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT event_id, year, so_den FROM register_entries WHERE so_den IS NOT NULL")}


def _state_from_db(db: sqlite_utils.Database, account: str, folder: str) -> ReplayState:
    _, last_uid = _log_state(db, account, folder)
    known = _known_numbers(db)
    state = ReplayState(known=known, last_uid=last_uid)
    for year, top in db.execute("SELECT year, MAX(number) FROM register_events WHERE number IS NOT NULL GROUP BY year"):
        state.counters[year] = top
    state.numbers = {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT event_id, year, number FROM register_events WHERE number IS NOT NULL")}
    state.seen = {r[0] for r in db.execute("SELECT event_id FROM register_events")}
    state.cancelled = {r[0] for r in db.execute("SELECT target FROM register_events WHERE type = 'cancel'")}
    return state


def _local_message(db: sqlite_utils.Database, account: str, sha: str | None) -> int | None:
    if not sha:
        return None
    row = db.execute("SELECT id FROM messages WHERE sha256 = ? ORDER BY account = ? DESC, id LIMIT 1",
                     [sha, account]).fetchone()
    return row[0] if row else None


def _entry_row(event: dict, number: int | None, status: str, message: int | None) -> dict[str, Any]:
    e = event.get("entry") or {}
    row = {k: e.get(k) for k in ENTRY_FIELDS if k != "status"}
    row.update({k: e.get(k) for k in LINK_FIELDS})
    now = audit.now_iso()
    row.update({
        "year": event["year"], "so_den": number, "status": status, "event_id": event["event_id"],
        "is_paper": int(event["type"] == "paper"), "message": message,
        "so_ky_hieu_parsed": _symbol_json(e.get("so_ky_hieu")),
        "created_by": event.get("user") or "unknown", "workstation": event.get("workstation") or "unknown",
        "created_at": event.get("at") or now, "updated_at": now,
    })
    row["ngay_den"] = row["ngay_den"] or event.get("at") or now
    return row


def _apply(db: sqlite_utils.Database, account: str, folder: str, uidvalidity: int,
           batch: list[tuple[int, dict]], effects: list, report: SyncReport) -> None:
    """Record the events and their effects (inside the caller's transaction)."""
    numbers = {e.event_id: e.number for e in effects if isinstance(e, NewEntry)}
    for uid, event in batch:
        db.execute(
            "INSERT INTO register_events (event_id, account, folder, uid, uidvalidity, year, type, claim, target,"
            " number, json, applied_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(event_id) DO NOTHING",
            [event["event_id"], account, folder, uid, uidvalidity, event["year"], event["type"], event.get("claim"),
             event.get("target"), numbers.get(event["event_id"]), json.dumps(event, ensure_ascii=False),
             audit.now_iso()])
    for eff in effects:
        ev = eff.event
        who = ev.get("user")
        if isinstance(eff, NewEntry):
            row = db.execute("SELECT id, status FROM register_entries WHERE event_id = ?", [eff.event_id]).fetchone()
            if row:
                db.execute("UPDATE register_entries SET so_den = ?, status = CASE WHEN status = 'pending'"
                           " THEN 'registered' ELSE status END, updated_at = ? WHERE id = ?",
                           [eff.number, audit.now_iso(), row[0]])
            else:
                db["register_entries"].insert(
                    _entry_row(ev, eff.number, "registered",
                               _local_message(db, account, (ev.get("entry") or {}).get("message_sha256"))))
            audit.record(db, "register.number", "register_entry", f"{eff.year}/{eff.number}", None,
                         {"event_id": eff.event_id, "uid": eff.uid, "claim": ev.get("claim"),
                          "workstation": ev.get("workstation"), **(ev.get("entry") or {})}, user=who)
            report.numbered.append((eff.year, eff.number))
        elif isinstance(eff, Change):
            cur = dict(next(iter(db.query("SELECT * FROM register_entries WHERE event_id = ?", [eff.target]))))
            changes = {k: v for k, v in eff.changes.items() if k in ENTRY_FIELDS}
            if "so_ky_hieu" in changes:
                changes["so_ky_hieu_parsed"] = _symbol_json(changes["so_ky_hieu"])
            if cur["status"] == "cancelled":
                changes.pop("status", None)
            old = {k: cur.get(k) for k in changes}
            if changes:
                sets = ", ".join(f"{k} = ?" for k in changes)
                # column names come from ENTRY_FIELDS only, values are parameters
                db.execute(f"UPDATE register_entries SET {sets}, updated_at = ? WHERE id = ?",  # noqa: S608
                           [*changes.values(), audit.now_iso(), cur["id"]])
            audit.record(db, "register.correct", "register_entry", f"{cur['year']}/{cur['so_den']}", old,
                         {**changes, "event_id": eff.event_id, "workstation": ev.get("workstation")}, user=who)
        elif isinstance(eff, Cancel):
            cur = dict(next(iter(db.query("SELECT * FROM register_entries WHERE event_id = ?", [eff.target]))))
            db.execute("UPDATE register_entries SET status = 'cancelled', cancel_reason = ?, updated_at = ?"
                       " WHERE id = ?", [eff.reason, audit.now_iso(), cur["id"]])
            audit.record(db, "register.cancel", "register_entry", f"{cur['year']}/{cur['so_den']}",
                         {"status": cur["status"]},
                         {"status": "cancelled", "reason": eff.reason, "event_id": eff.event_id,
                          "workstation": ev.get("workstation")}, user=who)
        db.execute("DELETE FROM register_pending WHERE event_id = ?", [eff.event_id])
    for _, event in batch:  # duplicates and unknown types leave the queue too
        db.execute("DELETE FROM register_pending WHERE event_id = ?", [event["event_id"]])


def _record_integrity(db: sqlite_utils.Database, err: RegisterIntegrityError) -> None:
    with transaction(db):
        audit.record(db, "register.integrity_error", "register", None, None,
                     {"message": err.message, "detail": err.detail})


def sync_register(db: sqlite_utils.Database, account: Account | str, client: Any, *,
                  folder: str | None = None, full: bool = False) -> SyncReport:
    """Read new log events and apply them; a changed UIDVALIDITY (or ``full``) re-verifies everything.

    Never renumbers: any disagreement raises :class:`RegisterIntegrityError`
    (also recorded in the audit trail) and changes nothing locally.
    """
    name = account if isinstance(account, str) else account.name
    folder = folder or log_folder(db)
    local_validity, last_uid = _log_state(db, name, folder)
    report = SyncReport(full=full)
    try:
        if full or local_validity is None:
            uidvalidity, batch = rlog.read_log(client, folder, 0)
        else:
            uidvalidity, batch = rlog.read_log(client, folder, last_uid)
            if uidvalidity != local_validity:
                report.uidvalidity_changed = True
                uidvalidity, batch = rlog.read_log(client, folder, 0)
        with transaction(db):
            if report.full or report.uidvalidity_changed or local_validity is None:
                known = _known_numbers(db)
                state, effects = replay(batch, known=known)
                check_complete(state, known)
                stored = {r[0] for r in db.execute("SELECT event_id FROM register_events WHERE uid IS NOT NULL")}
                for uid, event in batch:  # the same events may sit under new UIDs now
                    db.execute("UPDATE register_events SET uid = ?, uidvalidity = ? WHERE event_id = ?",
                               [uid, uidvalidity, event["event_id"]])
                new_ids = {e["event_id"] for _, e in batch} - stored
                batch = [(u, e) for u, e in batch if e["event_id"] in new_ids]
                effects = [e for e in effects if e.event_id in new_ids]
                last = state.last_uid
            else:
                state, effects = replay(batch, state=_state_from_db(db, name, folder))
                last = max(state.last_uid, last_uid)
            _apply(db, name, folder, uidvalidity, batch, effects, report)
            db.execute(
                "INSERT INTO register_log_state (account, folder, uidvalidity, last_uid, verified_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT(account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity,"
                " last_uid = excluded.last_uid, verified_at = COALESCE(excluded.verified_at, verified_at)",
                [name, folder, uidvalidity, last, audit.now_iso() if (full or report.uidvalidity_changed) else None])
            if report.uidvalidity_changed:
                audit.record(db, "register.uidvalidity", "register", folder, local_validity, uidvalidity)
        report.new_events = len(batch)
        return report
    except RegisterIntegrityError as err:
        _record_integrity(db, err)
        raise


# ------------------------------------------------------------------ writing events


def queue_event(db: sqlite_utils.Database, event: dict) -> None:
    """Put a log event behind those already waiting, inside the caller's transaction.

    Public so that routing events (assignments) share the one queue: an event
    about an entry still "chờ cấp số" then reaches the server after that
    entry's number request, and every :func:`flush_pending` sends both.
    """
    db.execute("INSERT INTO register_pending (event_id, json, created_at) VALUES (?,?,?)",
               [event["event_id"], json.dumps(event, ensure_ascii=False), audit.now_iso()])


def _queue(db: sqlite_utils.Database, event: dict, local_entry: dict | None) -> None:
    """Commit the request locally first: the entry (if any) "chờ cấp số" and the queued event."""
    with transaction(db):
        if local_entry is not None:
            db["register_entries"].insert(local_entry)
            audit.record(db, "register.request", "register_entry", event["event_id"], None,
                         {"type": event["type"], **(event.get("entry") or {})})
        queue_event(db, event)


def _next_claim(db: sqlite_utils.Database, year: int) -> int:
    row = db.execute("SELECT MAX(number) FROM register_events WHERE year = ? AND number IS NOT NULL", [year]).fetchone()
    return (row[0] or 0) + 1


def flush_pending(db: sqlite_utils.Database, account: Account, *, client_factory: Callable[[], Any],
                  blobs: BlobStore | None = None, mirror_root: Path | None = None,
                  folder: str | None = None) -> list[dict]:
    """Append every queued event in local order; return the local entries that got their number.

    Syncing first makes a retry safe: an event whose APPEND reached the server
    before a crash or a lost answer is found in the log and not written twice.
    Raises MailError when the server cannot be reached (the queue is kept).
    """
    folder = folder or log_folder(db)
    numbered: list[dict] = []
    try:
        with _session(client_factory) as client:
            sync_register(db, account, client, folder=folder)
            for seq, eid, text in list(db.execute("SELECT seq, event_id, json FROM register_pending ORDER BY seq")):
                if db.execute("SELECT 1 FROM register_events WHERE event_id = ?", [eid]).fetchone():
                    with transaction(db):
                        db.execute("DELETE FROM register_pending WHERE seq = ?", [seq])
                    continue
                event = json.loads(text)
                if event["type"] in NUMBERED_TYPES:
                    event["claim"] = _next_claim(db, event["year"])
                rlog.append_event(client, folder, event)
                sync_register(db, account, client, folder=folder)
                row = list(db.query("SELECT * FROM register_entries WHERE event_id = ? AND so_den IS NOT NULL", [eid]))
                if row:
                    numbered.append(dict(row[0]))
            root = _files_root(db, mirror_root) if blobs is not None else None
            for entry in numbered + (_numbered_without_files(db, numbered) if root is not None else []):
                _after_number(db, account, client, entry, blobs, root)
    except (MailError, OSError, imapclient.exceptions.IMAPClientError) as exc:
        err = exc if isinstance(exc, MailError) else MailError(
            f"Mất kết nối tới máy chủ khi ghi sổ văn bản đến: {type(exc).__name__}.", detail=repr(exc))
        with transaction(db):
            db.execute("UPDATE register_pending SET attempts = attempts + 1, last_error = ?", [err.message])
        raise err from None
    return numbered


def _files_root(db: sqlite_utils.Database, mirror_root: Path | None) -> Path | None:
    """Where the register's files go: the caller's mirror, else the agency's setting."""
    return mirror_root or (Path(settings.get(db, "mirror_root")) if settings.get(db, "mirror_root") else None)


def _numbered_without_files(db: sqlite_utils.Database, done: list[dict]) -> list[dict]:
    """E-mailed entries this desk numbered whose files were never written, besides ``done``.

    A flush without a blob store (a correction, a forward marked "Đã trình")
    may number this desk's waiting entries; the next flush that has one
    writes their files (``save_entry_files`` writes once) and marks the mail.
    """
    seen = {e["id"] for e in done}
    rows = db.query(
        "SELECT * FROM register_entries e WHERE so_den IS NOT NULL AND message IS NOT NULL AND is_paper = 0"
        " AND status != 'cancelled' AND workstation = ? AND NOT EXISTS"
        " (SELECT 1 FROM register_files f WHERE f.entry = e.id) ORDER BY year, so_den",
        [audit.workstation()])
    return [dict(r) for r in rows if r["id"] not in seen]


def _after_number(db: sqlite_utils.Database, account: Account, client: Any, entry: dict,
                  blobs: BlobStore | None, mirror_root: Path | None) -> None:
    """Tell the server (keyword) and write the files, both only after the number is committed."""
    if entry.get("message"):
        _mark_message(db, account, client, entry)
    if blobs is not None and not entry.get("is_paper"):
        from camau_desk.register.files import save_entry_files

        root = _files_root(db, mirror_root)
        if root is not None:
            try:
                save_entry_files(db, blobs, root, entry["id"])
            except CamauError as err:
                with transaction(db):
                    audit.record(db, "register.files_failed", "register_entry",
                                 f"{entry['year']}/{entry['so_den']}", None, err.message)
    if blobs is not None and entry.get("message"):
        _after_number_notices(db, blobs, entry)


def _after_number_notices(db: sqlite_utils.Database, blobs: BlobStore, entry: dict) -> None:
    """Record the signature verdicts (ND30 Đ21.2) and queue the receipt notice, if the agency wants one.

    Both are follow-ups of a committed number: a failure is audited, never undoes it.
    """
    from camau_desk.register import receipt, signatures

    try:
        signatures.verify_message_attachments(db, blobs, int(entry["message"]),
                                              attachment=entry.get("attachment_idx"))
        receipt.queue_receipt(db, blobs, entry)
    except CamauError as err:
        with transaction(db):
            audit.record(db, "register.followup_failed", "register_entry",
                         f"{entry['year']}/{entry['so_den']}", None, err.message)


def _mark_message(db: sqlite_utils.Database, account: Account, client: Any, entry: dict) -> bool:
    """Set ``$CamauSoDen`` on the original message where it lies on the server (best effort, audited)."""
    locs = list(db.query(
        "SELECT f.name, l.uid, l.uidvalidity FROM locations l JOIN folders f ON f.id = l.folder"
        " WHERE l.message = ? AND f.account = ? AND l.uid IS NOT NULL AND l.removed_on_server = 0",
        [entry["message"], account.name]))
    done = False
    for loc in locs:
        try:
            info = client.select_folder(loc["name"])
            if loc["uidvalidity"] and int(info.get(b"UIDVALIDITY", 0)) != loc["uidvalidity"]:
                continue
            client.add_flags([loc["uid"]], [KEYWORD.encode()])
            done = True
        except Exception as exc:  # the number is already committed; a missing keyword is only cosmetic
            with transaction(db):
                audit.record(db, "register.keyword_failed", "register_entry",
                             f"{entry['year']}/{entry['so_den']}", None, f"{type(exc).__name__}: {exc}")
    return done


def _submit(db: sqlite_utils.Database, account: Account, event: dict, local_entry: dict | None, *,
            client_factory: Callable[[], Any], blobs: BlobStore | None, mirror_root: Path | None,
            folder: str | None) -> dict | None:
    _queue(db, event, local_entry)
    try:
        flush_pending(db, account, client_factory=client_factory, blobs=blobs, mirror_root=mirror_root,
                      folder=folder)
    except MailError:
        pass  # offline: the entry stays "chờ cấp số" and the queue is flushed later
    rows = list(db.query("SELECT * FROM register_entries WHERE event_id = ?",
                         [event["target"] or event["event_id"]]))
    return dict(rows[0]) if rows else None


def register(db: sqlite_utils.Database, blobs: BlobStore, account: Account, message_id: int,
             fields: dict[str, Any] | None = None, attachment_idx: int | None = None, *,
             client_factory: Callable[[], Any], allow_duplicate: bool = False,
             mirror_root: Path | None = None, folder: str | None = None) -> dict:
    """Register one e-mailed document (or one attachment of it) and return its entry.

    Refuses secret-marked documents (:class:`SecretDocument`) and, unless
    ``allow_duplicate``, likely duplicates (:class:`DuplicateWarning`).  The
    entry's status is 'registered' with its số đến, or 'pending' when the
    server could not be reached.
    """
    msg = get_message(db, message_id)
    prop = propose(db, blobs, message_id, attachment_idx)
    given = normalize_fields(fields)
    merged = {**prop.fields, **given}
    merged.pop("status", None)
    _refuse_secret(merged.get("do_mat"), msg.get("secrecy"))
    raw = raw_bytes(db, blobs, message_id)
    chosen = [a for a in iter_attachments(raw) if a.idx == attachment_idx] if attachment_idx is not None else []
    links = _links(msg, chosen)
    if not allow_duplicate:
        warns = check_warnings(db, {**merged, **links})
        if warns:
            raise DuplicateWarning(warns)
    at = _vn_now().isoformat(timespec="seconds")
    event = rlog.new_event("register", _year_of(at), {**merged, **links}, user=_user(),
                           workstation=audit.workstation(), at=at)
    local = _entry_row(event, None, "pending", message_id)
    entry = _submit(db, account, event, local, client_factory=client_factory, blobs=blobs,
                    mirror_root=mirror_root, folder=folder)
    assert entry is not None
    return entry


def register_paper(db: sqlite_utils.Database, account: Account, fields: dict[str, Any], *,
                   client_factory: Callable[[], Any], allow_duplicate: bool = False,
                   folder: str | None = None) -> dict:
    """Register a paper document: same number sequence as e-mail (ND30 Đ22.2)."""
    merged = normalize_fields(fields)
    merged.pop("status", None)
    _refuse_secret(merged.get("do_mat"))
    if not merged.get("trich_yeu") and not merged.get("so_ky_hieu"):
        raise InvalidInput("Cần ít nhất trích yếu hoặc số, ký hiệu của văn bản giấy.")
    if not allow_duplicate:
        warns = check_warnings(db, merged)
        if warns:
            raise DuplicateWarning(warns)
    at = _vn_now().isoformat(timespec="seconds")
    merged.setdefault("ngay_den", at)
    event = rlog.new_event("paper", _year_of(at), merged, user=_user(), workstation=audit.workstation(), at=at)
    entry = _submit(db, account, event, _entry_row(event, None, "pending", None), client_factory=client_factory,
                    blobs=None, mirror_root=None, folder=folder)
    assert entry is not None
    return entry


def _numbered_entry(db: sqlite_utils.Database, number: int, year: int | None) -> dict:
    year = year or _vn_now().year
    rows = list(db.query("SELECT * FROM register_entries WHERE year = ? AND so_den = ?", [year, number]))
    if not rows:
        raise NotFound(f"Sổ văn bản đến năm {year} không có số {number}.")
    return dict(rows[0])


def correct(db: sqlite_utils.Database, account: Account, number: int, year: int | None,
            changes: dict[str, Any], *, client_factory: Callable[[], Any], folder: str | None = None) -> dict:
    """Change fields of a numbered entry through a 'correct' event (the number never changes)."""
    entry = _numbered_entry(db, number, year)
    if entry["status"] == "cancelled":
        raise InvalidInput(f"Số đến {number}/{entry['year']} đã bị hủy, không sửa được.")
    changes = normalize_fields(changes)
    _refuse_secret(changes.get("do_mat"))
    changes = {k: v for k, v in changes.items() if entry.get(k) != v}
    if not changes:
        return entry
    event = rlog.new_event("correct", entry["year"], changes, target=entry["event_id"], user=_user(),
                           workstation=audit.workstation())
    result = _submit(db, account, event, None, client_factory=client_factory, blobs=None, mirror_root=None,
                     folder=folder)
    assert result is not None
    return result


def cancel(db: sqlite_utils.Database, account: Account, number: int, year: int | None, reason: str, *,
           client_factory: Callable[[], Any], folder: str | None = None) -> dict:
    """Cancel a numbered entry: it keeps its number, marked "Đã hủy" with the reason."""
    reason = nfc(reason or "").strip()
    if not reason:
        raise InvalidInput("Cần ghi lý do hủy số đến.")
    entry = _numbered_entry(db, number, year)
    if entry["status"] == "cancelled":
        return entry
    event = rlog.new_event("cancel", entry["year"], {"reason": reason}, target=entry["event_id"], user=_user(),
                           workstation=audit.workstation())
    result = _submit(db, account, event, None, client_factory=client_factory, blobs=None, mirror_root=None,
                     folder=folder)
    assert result is not None
    return result


# ------------------------------------------------------------------ reading


def list_entries(db: sqlite_utils.Database, year: int | None = None, *, status: str | None = None,
                 include_pending: bool = True) -> list[dict]:
    """The register in book order (số đến), pending entries last in the order they were made."""
    sql = "SELECT * FROM register_entries WHERE 1"
    params: list[Any] = []
    if year is not None:
        sql += " AND year = ?"
        params.append(year)
    if status:
        sql += " AND status = ?"
        params.append(status)
    if not include_pending:
        sql += " AND so_den IS NOT NULL"
    sql += " ORDER BY year, so_den IS NULL, so_den, id"
    out = []
    for r in db.query(sql, params):
        d = dict(r)
        d["status_label"] = STATUS_LABELS.get(d["status"], d["status"])
        d["files"] = [dict(f) for f in db.query(
            "SELECT path, sha256, role FROM register_files WHERE entry = ? ORDER BY id", [d["id"]])]
        out.append(d)
    return out


def get_entry(db: sqlite_utils.Database, entry_id: int) -> dict:
    rows = list(db.query("SELECT * FROM register_entries WHERE id = ?", [entry_id]))
    if not rows:
        raise NotFound(f"Không có mục sổ số {entry_id}.")
    return dict(rows[0])


def pending_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM register_pending").fetchone()[0])

