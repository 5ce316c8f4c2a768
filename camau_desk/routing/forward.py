"""Trình lãnh đạo (R7.1a-2): forward a registered document to the head, or to the deputy holding authority.

Why the recipient is resolved at sending time from the shared log: the same
document forwarded from any desk on any day goes to the same person
(delegation.recipient_for).  The message goes through the durable outbox, so
a forward made while the SMTP server is down is sent later, once.

Why "Đã trình" waits for the send: the register is a legal record, so it
must not say a document reached the leader while the forward sits in the
queue or was refused.  The outbox calls :func:`mark_presented` when a forward
becomes 'sent' (right away or by a later flush); ngày chuyển is that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlite_utils

from camau_desk import audit, settings
from camau_desk.accounts import Account
from camau_desk.errors import CamauError, InvalidInput, MailError, NotFound
from camau_desk.mail import compose, outbox
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import get_message, raw_bytes
from camau_desk.register import service as svc
from camau_desk.routing import delegation, org
from camau_desk.store.db import transaction
from camau_desk.vn.clock import VN_TZ

__all__ = ["find_entry", "forward_entry", "forwards_of", "mark_presented", "preview_recipient"]


def find_entry(db: sqlite_utils.Database, number: int, year: int | None = None) -> dict:
    year = year or dt.datetime.now(VN_TZ).year
    rows = list(db.query("SELECT * FROM register_entries WHERE year = ? AND so_den = ?", [year, int(number)]))
    if not rows:
        raise NotFound(f"Sổ văn bản đến năm {year} không có số {number}.")
    return dict(rows[0])


def _is_recalled(db: sqlite_utils.Database, entry: dict) -> bool:
    return db.execute("SELECT 1 FROM routing_recalls WHERE entry_event = ?", [entry["event_id"]]).fetchone() \
        is not None


def preview_recipient(db: sqlite_utils.Database, on: dt.date | str | None = None) -> dict:
    """Who a forward made on ``on`` would go to (for the form, before sending)."""
    person, under, d = delegation.recipient_for(db, on)
    return {"recipient": person, "under_delegation": under, "delegation": d,
            "banner": delegation.active_banner(db, on)}


def forward_entry(db: sqlite_utils.Database, blobs: BlobStore, account: Account, number: int,
                  year: int | None = None, *, on: dt.date | str | None = None,
                  imap_factory: Callable[[Account], Any] | None = None,
                  smtp_factory: Callable[[Account], Any] | None = None, clerk: str | None = None,
                  sync: bool = True) -> dict:
    """Present entry ``number``/``year`` to the leader; returns what happened.

    Result keys: recipient (dict), under_delegation, delegation (id or None),
    outbox (row: status 'sent', 'queued' or 'refused' with the reason), message_id.
    The entry becomes "Đã trình" only if the outbox row is 'sent' (see the module docstring).
    Refuses secret-marked, cancelled, recalled and not-yet-numbered entries.
    """
    if sync:
        try:
            delegation.sync_log(db, account, client_factory=lambda: _imap(account, imap_factory))
        except MailError:
            pass  # offline: route with the delegations this desk already knows
    entry = find_entry(db, number, year)
    if entry["status"] == "cancelled":
        raise InvalidInput(f"Số đến {number}/{entry['year']} đã hủy ({entry.get('cancel_reason') or ''}): "
                           "không trình được.")
    if _is_recalled(db, entry):
        raise InvalidInput(f"Số đến {number}/{entry['year']} đã bị cơ quan ban hành thu hồi: không trình được.")
    msg_secrecy = None
    original = None
    if entry.get("message"):
        msg_secrecy = get_message(db, entry["message"]).get("secrecy")
        original = raw_bytes(db, blobs, entry["message"])
    mark = entry.get("do_mat") or msg_secrecy
    if mark:
        raise outbox.SecretRefused(outbox.SECRECY_REFUSAL.format(mark=mark))
    person, under, d = delegation.recipient_for(db, on)
    agency_name = settings.get(db, "agency_name") or account.display_name or ""
    sender = clerk or settings.get(db, "clerk_address")
    msg = compose.forward_to_leader(
        entry, original, agency=(agency_name, account.email), to=(person.get("name") or "", person["email"]),
        sender=sender if sender and sender.lower() != account.email.lower() else None,
        delegation_note=delegation.delegation_note(d) if d else None, delegation_id=d["id"] if d else None)

    def record(oid: int) -> None:  # in the queueing transaction: a later flush knows whom it was for
        db.execute(
            "INSERT INTO routing_forwards (entry, year, so_den, outbox, recipient, recipient_name, under_delegation,"
            " delegation, message_id, forwarded_at, forwarded_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [entry["id"], entry["year"], entry["so_den"], oid, person["email"], person.get("name"),
             int(under), d["id"] if d else None, str(msg.get("Message-ID") or ""), audit.now_iso(),
             audit.current_user()])
        audit.record(db, "routing.forward", "register_entry", f"{entry['year']}/{entry['so_den']}", None,
                     {"to": person["email"], "under_delegation": under, "delegation": d["id"] if d else None,
                      "outbox": oid})

    row = outbox.send_or_queue(db, blobs, account, msg, kind="forward", entry=entry["id"], secrecy=mark,
                               smtp_factory=smtp_factory, imap_factory=imap_factory, record=record)
    return {"recipient": person, "under_delegation": under, "delegation": d["id"] if d else None,
            "delegation_note": delegation.delegation_note(d) if d else None,
            "outbox": row, "message_id": row["message_id"], "so_den": entry["so_den"], "year": entry["year"]}


def _imap(account: Account, imap_factory: Callable[[Account], Any] | None) -> Any:
    from camau_desk.mail.connect import imap_connect

    return (imap_factory or imap_connect)(account)


def _who(db: sqlite_utils.Database, email: str, name: str | None, delegation_id: str | None) -> str:
    """"Giám đốc Nguyễn Văn An": the recipient as recipient_for resolved it (directory, else the delegation)."""
    person = org.person(db, email)
    if person is None and delegation_id:
        title = db.execute("SELECT deputy_title FROM routing_delegations WHERE id = ?", [delegation_id]).fetchone()
        person = {"name": name, "title": title[0] if title else None}
    person = person or {"name": name}
    return " ".join(x for x in (person.get("title"), person.get("name")) if x) or email


def mark_presented(db: sqlite_utils.Database, account: Account, oid: int, *,
                   imap_factory: Callable[[Account], Any] | None = None) -> None:
    """The forward in outbox row ``oid`` was sent: its entry becomes "Đã trình", ngày chuyển the day it was sent.

    Called by the outbox for every sent 'forward' row.  An entry that moved on
    meanwhile (assigned, cancelled...) is left as it is.
    """
    fwd = db.execute(
        "SELECT f.recipient, f.recipient_name, f.delegation, o.sent_at, e.so_den, e.year, e.status"
        " FROM routing_forwards f JOIN outbox o ON o.id = f.outbox JOIN register_entries e ON e.id = f.entry"
        " WHERE f.outbox = ? AND o.status = 'sent'", [oid]).fetchone()
    if fwd is None:
        return
    email, name, delegation_id, sent_at, so_den, year, status = fwd
    if status not in ("registered", "presented"):
        return
    day = dt.datetime.fromisoformat(sent_at).astimezone(VN_TZ).date()
    try:
        svc.correct(db, account, so_den, year, {"status": "presented", "ngay_chuyen": day.isoformat(),
                                                "don_vi_nhan": _who(db, email, name, delegation_id)},
                    client_factory=lambda: _imap(account, imap_factory))
    except CamauError as err:  # the message is sent: a register problem must not stop the flush of the others
        with transaction(db):
            audit.record(db, "routing.present_failed", "register_entry", f"{year}/{so_den}", None,
                         {"outbox": oid, "error": err.message})


def forwards_of(db: sqlite_utils.Database, entry_id: int) -> list[dict]:
    """Every forward of the entry with its outbox state: a queued or refused one did not reach the leader."""
    return [dict(r) for r in db.query(
        "SELECT f.*, o.status AS outbox_status, o.sent_at, o.last_error FROM routing_forwards f"
        " LEFT JOIN outbox o ON o.id = f.outbox WHERE f.entry = ? ORDER BY f.id", [entry_id])]
