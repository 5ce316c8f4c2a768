"""Trình lãnh đạo (R7.1a-2): forward a registered document to the head, or to the deputy holding authority.

Why the recipient is resolved at sending time from the shared log: the same
document forwarded from any desk on any day goes to the same person
(delegation.recipient_for).  The message goes through the durable outbox, so
a forward made while the SMTP server is down is sent later, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlite_utils

from camau_desk import audit, settings
from camau_desk.accounts import Account
from camau_desk.errors import InvalidInput, MailError, NotFound
from camau_desk.mail import compose, outbox
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import get_message, raw_bytes
from camau_desk.register import service as svc
from camau_desk.routing import delegation
from camau_desk.store.db import transaction

__all__ = ["find_entry", "forward_entry", "forwards_of", "preview_recipient"]


def find_entry(db: sqlite_utils.Database, number: int, year: int | None = None) -> dict:
    year = year or dt.datetime.now(delegation.rlog.VN_TZ).year
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
                  sync: bool = True, mark_presented: bool = True) -> dict:
    """Present entry ``number``/``year`` to the leader; returns what happened.

    Result keys: recipient (dict), under_delegation, delegation (id or None),
    outbox (row: status 'sent' or 'queued' with the reason), message_id.
    Refuses secret-marked, cancelled, recalled and not-yet-numbered entries.
    """
    def client() -> Any:
        from camau_desk.mail.connect import imap_connect

        return (imap_factory or imap_connect)(account)

    if sync:
        try:
            delegation.sync_log(db, account, client_factory=client)
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
    today = delegation.parse_date(on) if on is not None else dt.datetime.now(delegation.rlog.VN_TZ).date()
    agency_name = settings.get(db, "agency_name") or account.display_name or ""
    sender = clerk or settings.get(db, "clerk_address")
    msg = compose.forward_to_leader(
        entry, original, agency=(agency_name, account.email), to=(person.get("name") or "", person["email"]),
        sender=sender if sender and sender.lower() != account.email.lower() else None,
        delegation_note=delegation.delegation_note(d) if d else None, delegation_id=d["id"] if d else None)
    row = outbox.send_or_queue(db, blobs, account, msg, kind="forward", entry=entry["id"], secrecy=mark,
                               smtp_factory=smtp_factory, imap_factory=imap_factory)
    with transaction(db):
        db.execute(
            "INSERT INTO routing_forwards (entry, year, so_den, outbox, recipient, recipient_name, under_delegation,"
            " delegation, message_id, forwarded_at, forwarded_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [entry["id"], entry["year"], entry["so_den"], row["id"], person["email"], person.get("name"),
             int(under), d["id"] if d else None, row["message_id"], audit.now_iso(), audit.current_user()])
        audit.record(db, "routing.forward", "register_entry", f"{entry['year']}/{entry['so_den']}", None,
                     {"to": person["email"], "under_delegation": under, "delegation": d["id"] if d else None,
                      "outbox": row["id"], "status": row["status"]})
    if mark_presented and entry["status"] in ("registered", "presented"):
        who = " ".join(x for x in (person.get("title"), person.get("name")) if x) or person["email"]
        try:
            svc.correct(db, account, entry["so_den"], entry["year"],
                        {"status": "presented", "ngay_chuyen": today.isoformat(), "don_vi_nhan": who},
                        client_factory=client)
        except MailError:
            pass  # the register service queues the change while offline
    return {"recipient": person, "under_delegation": under, "delegation": d["id"] if d else None,
            "delegation_note": delegation.delegation_note(d) if d else None,
            "outbox": row, "message_id": row["message_id"], "so_den": entry["so_den"], "year": entry["year"]}


def forwards_of(db: sqlite_utils.Database, entry_id: int) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM routing_forwards WHERE entry = ? ORDER BY id", [entry_id])]
