"""Delegation (ủy quyền, R7.1a-N): while the head is away one deputy receives the documents.

Why in the register log: a delegation decides where every workstation sends
documents, so it must be the same everywhere.  It is written as an event of
type ``delegation`` (and ``delegation_end``) in the agency's register log
folder (docs/register-log.md); the register replay keeps event types it does
not number in ``register_events``, and this module folds them, in UID order,
into the ``routing_delegations`` cache.  The fold is deterministic: when two
workstations record overlapping delegations at the same moment, the one the
server placed first wins and the other is marked rejected on every desk.

At most one deputy holds authority on a given day; ranges are inclusive dates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import sqlite_utils

from camau_desk import audit
from camau_desk.accounts import Account
from camau_desk.errors import InvalidInput, MailError, NotFound
from camau_desk.mail.blobs import BlobStore
from camau_desk.register import log as rlog
from camau_desk.register import service as svc
from camau_desk.routing import org
from camau_desk.store.db import transaction
from camau_desk.vn.clock import VN_TZ
from camau_desk.vn.text import nfc

__all__ = [
    "DELEGATION_HEADER",
    "parse_date",
    "fmt_date",
    "fold_delegations",
    "find_overlap",
    "submit_event",
    "sync_log",
    "refresh",
    "list_delegations",
    "add_delegation",
    "end_delegation",
    "active_delegation",
    "recipient_for",
    "active_banner",
    "delegation_note",
    "index_delegated",
    "list_delegated",
]

DELEGATION_HEADER = "X-Camau-Delegation"
EVENT_TYPES = ("delegation", "delegation_end")


def parse_date(value: str | dt.date | None, *, what: str = "ngày") -> dt.date:
    """dd/mm/yyyy (the way clerks write dates) or ISO yyyy-mm-dd."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(f"{what.capitalize()} '{text}' không hợp lệ: viết dạng dd/mm/yyyy, ví dụ 05/03/2026.") \
            from None


def fmt_date(value: str | dt.date | None) -> str:
    if not value:
        return ""
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return d.strftime("%d/%m/%Y")


def _today() -> dt.date:
    return dt.datetime.now(VN_TZ).date()


def _effective_end(d: dict) -> dt.date:
    end = dt.date.fromisoformat(d["end_date"])
    if d.get("ended_on"):
        end = min(end, dt.date.fromisoformat(d["ended_on"]) - dt.timedelta(days=1))
    return end


def _label(d: dict) -> str:
    who = " ".join(x for x in (d.get("deputy_title"), d.get("deputy_name")) if x) or d["deputy"]
    return f"ủy quyền cho {who} từ {fmt_date(d['start_date'])} đến {fmt_date(d['end_date'])}"


def find_overlap(delegations: Iterable[dict], start: dt.date, end: dt.date) -> dict | None:
    """The first valid delegation whose effective range meets [start, end]."""
    for d in delegations:
        if d["state"] != "valid":
            continue
        s, e = dt.date.fromisoformat(d["start_date"]), _effective_end(d)
        if s <= e and s <= end and start <= e:
            return d
    return None


def fold_delegations(events: Iterable[tuple[int | None, dict]]) -> list[dict]:
    """Delegations from log events in UID order (pure): overlaps and bad ranges are rejected."""
    out: dict[str, dict] = {}
    for uid, ev in events:
        e = ev.get("entry") or {}
        if ev.get("type") == "delegation":
            d = {
                "id": ev["event_id"], "uid": uid, "deputy": (e.get("deputy") or "").lower(),
                "deputy_name": e.get("deputy_name"), "deputy_title": e.get("deputy_title"),
                "head": e.get("head"), "head_name": e.get("head_name"), "head_title": e.get("head_title"),
                "start_date": e.get("start"), "end_date": e.get("end"), "ended_on": None,
                "reason": e.get("reason"), "recorded_by": e.get("recorded_by") or ev.get("user"),
                "workstation": ev.get("workstation"), "recorded_at": ev.get("at"),
                "state": "valid", "rejected_because": None,
            }
            try:
                s, en = dt.date.fromisoformat(d["start_date"]), dt.date.fromisoformat(d["end_date"])
            except (TypeError, ValueError):
                d["state"], d["rejected_because"] = "rejected", "ngày không hợp lệ"
                out[d["id"]] = d
                continue
            clash = find_overlap(out.values(), s, en) if s <= en else None
            if s > en:
                d["state"], d["rejected_because"] = "rejected", "ngày kết thúc trước ngày bắt đầu"
            elif clash is not None:
                d["state"], d["rejected_because"] = "rejected", f"trùng thời gian với {_label(clash)}"
            out[d["id"]] = d
        elif ev.get("type") == "delegation_end":
            target = out.get(ev.get("target") or "")
            if target is None or target["state"] != "valid":
                continue
            on = e.get("on")
            if on and (target["ended_on"] is None or on < target["ended_on"]):
                target["ended_on"] = on
    return list(out.values())


def _log_events(db: sqlite_utils.Database, types: Iterable[str]) -> list[tuple[int | None, dict]]:
    types = tuple(types)
    marks = ",".join("?" * len(types))
    rows = db.execute(
        f"SELECT uid, json FROM register_events WHERE type IN ({marks})"  # noqa: S608 - placeholders only
        " ORDER BY uid IS NULL, uid, applied_at", list(types))
    return [(uid, json.loads(text)) for uid, text in rows]


def refresh(db: sqlite_utils.Database) -> list[dict]:
    """Rebuild the ``routing_delegations`` cache from the log events this desk holds."""
    dels = fold_delegations(_log_events(db, EVENT_TYPES))
    with transaction(db):
        db.execute("DELETE FROM routing_delegations")
        for d in dels:
            db["routing_delegations"].insert(d)
    return dels


def submit_event(db: sqlite_utils.Database, account: Account, event: dict, *,
                 client_factory: Callable[[], Any]) -> None:
    """APPEND a delegation event to the register log and read the log back (the server fixes its order).

    Delegations need the server: a delegation only known to one desk would
    send documents to different people from different desks.  Assignments and
    status changes do not: they wait in the register's queue (tracking).
    """
    folder = svc.log_folder(db)
    try:
        client = client_factory()
    except MailError as err:
        raise MailError(f"Cần kết nối tới máy chủ thư để ghi vào sổ chung: {err.message}") from None
    try:
        rlog.append_event(client, folder, event)
        svc.sync_register(db, account, client, folder=folder)
    finally:
        try:
            client.logout()
        except Exception:  # noqa: S110 - the connection may be gone already
            pass


def sync_log(db: sqlite_utils.Database, account: Account, *, client_factory: Callable[[], Any]) -> None:
    """Read new log events (other desks' delegations, assignments) and rebuild the caches."""
    client = client_factory()
    try:
        svc.sync_register(db, account, client)
    finally:
        try:
            client.logout()
        except Exception:  # noqa: S110
            pass
    refresh(db)
    from camau_desk.routing import tracking

    tracking.refresh(db)


def list_delegations(db: sqlite_utils.Database, *, include_rejected: bool = False) -> list[dict]:
    sql = "SELECT * FROM routing_delegations"
    if not include_rejected:
        sql += " WHERE state = 'valid'"
    out = []
    for r in db.query(sql + " ORDER BY start_date, uid"):
        d = dict(r)
        d["effective_end"] = _effective_end(d).isoformat()
        out.append(d)
    return out


def add_delegation(db: sqlite_utils.Database, account: Account, *, deputy: str, start: str | dt.date,
                   end: str | dt.date, reason: str, recorded_by: str | None = None,
                   client_factory: Callable[[], Any]) -> dict:
    """Record that ``deputy`` holds the head's authority from ``start`` to ``end`` (inclusive).

    Refused (Vietnamese sentence naming the conflicting delegation) when it
    overlaps another; checked against the latest log before and after writing.
    """
    s, e = parse_date(start, what="ngày bắt đầu"), parse_date(end, what="ngày kết thúc")
    if e < s:
        raise InvalidInput(f"Ngày kết thúc {fmt_date(e)} trước ngày bắt đầu {fmt_date(s)}.")
    reason = nfc(reason or "").strip()
    if not reason:
        raise InvalidInput("Cần ghi lý do ủy quyền (ví dụ: Giám đốc đi công tác).")
    dep = org.person(db, deputy)
    if dep is None:
        raise NotFound(f"Không có '{deputy}' trong danh bạ tổ chức; hãy nhập danh bạ trước (lệnh 'org import').")
    if dep["role"] != "deputy":
        raise InvalidInput(f"{dep['name']} không phải cấp phó trong danh bạ tổ chức; chỉ ủy quyền cho cấp phó.")
    head = org.resolve_head(db)
    sync_log(db, account, client_factory=client_factory)
    clash = find_overlap(list_delegations(db), s, e)
    if clash is not None:
        raise InvalidInput(f"Không thể ủy quyền: trùng thời gian với {_label(clash)} "
                           f"(lý do: {clash.get('reason') or '-'}). Mỗi lúc chỉ một cấp phó được ủy quyền; "
                           "hãy kết thúc ủy quyền đó trước hoặc chọn ngày khác.")
    entry = {"deputy": dep["email"], "deputy_name": dep["name"], "deputy_title": dep["title"],
             "head": head["email"], "head_name": head["name"], "head_title": head["title"],
             "start": s.isoformat(), "end": e.isoformat(), "reason": reason,
             "recorded_by": recorded_by or audit.current_user()}
    event = rlog.new_event("delegation", s.year, entry, user=audit.current_user(), workstation=audit.workstation())
    submit_event(db, account, event, client_factory=client_factory)
    dels = refresh(db)
    mine = next((d for d in dels if d["id"] == event["event_id"]), None)
    with transaction(db):
        audit.record(db, "delegation.add", "delegation", event["event_id"], None,
                     {**entry, "state": mine["state"] if mine else "missing"})
    if mine is None or mine["state"] != "valid":
        why = mine["rejected_because"] if mine else "máy chủ không ghi nhận"
        raise InvalidInput(f"Không thể ủy quyền: {why}. Một máy khác vừa ghi ủy quyền trước.")
    return {**mine, "effective_end": _effective_end(mine).isoformat()}


def end_delegation(db: sqlite_utils.Database, account: Account, delegation_id: str, *,
                   on: str | dt.date | None = None, reason: str | None = None,
                   client_factory: Callable[[], Any]) -> dict:
    """End a delegation early: from ``on`` (default today) documents go to the head again."""
    sync_log(db, account, client_factory=client_factory)
    rows = [d for d in list_delegations(db) if d["id"] == delegation_id or d["id"].startswith(delegation_id)]
    if len(rows) != 1:
        raise NotFound(f"Không có ủy quyền mã '{delegation_id}'.")
    d = rows[0]
    day = parse_date(on) if on else _today()
    event = rlog.new_event("delegation_end", day.year, {"on": day.isoformat(), "reason": nfc(reason or "")},
                           target=d["id"], user=audit.current_user(), workstation=audit.workstation())
    submit_event(db, account, event, client_factory=client_factory)
    refresh(db)
    with transaction(db):
        audit.record(db, "delegation.end", "delegation", d["id"], {"end_date": d["end_date"]},
                     {"ended_on": day.isoformat(), "reason": reason})
    return next(x for x in list_delegations(db) if x["id"] == d["id"])


def active_delegation(db: sqlite_utils.Database, on: dt.date | str | None = None) -> dict | None:
    day = parse_date(on) if on is not None else _today()
    for d in list_delegations(db):
        if dt.date.fromisoformat(d["start_date"]) <= day <= _effective_end(d):
            return d
    return None


def recipient_for(db: sqlite_utils.Database, on: dt.date | str | None = None) -> tuple[dict, bool, dict | None]:
    """(person, under_delegation, delegation) to present a document to on ``on`` (resolved when sending)."""
    head = org.resolve_head(db)
    d = active_delegation(db, on)
    if d is None:
        return head, False, None
    dep = org.person(db, d["deputy"]) or {"email": d["deputy"], "name": d["deputy_name"],
                                          "title": d["deputy_title"], "role": "deputy", "unit": None}
    return dep, True, d


def active_banner(db: sqlite_utils.Database, on: dt.date | str | None = None) -> str | None:
    """"Đang ủy quyền cho Phó Giám đốc Nguyễn Văn B đến 20/03/2026" while a delegation applies."""
    d = active_delegation(db, on)
    if d is None:
        return None
    who = " ".join(x for x in (d.get("deputy_title"), d.get("deputy_name")) if x) or d["deputy"]
    return f"Đang ủy quyền cho {who} đến {fmt_date(_effective_end(d))}"


def delegation_note(d: dict) -> str:
    """The sentence put in a forward sent under delegation."""
    who = " ".join(x for x in (d.get("deputy_title"), d.get("deputy_name")) if x) or d["deputy"]
    head = " ".join(x for x in (d.get("head_title"), d.get("head_name")) if x) or (d.get("head") or "thủ trưởng")
    return (f"Văn bản trình {who} theo ủy quyền của {head} "
            f"từ {fmt_date(d['start_date'])} đến {fmt_date(_effective_end(d))}.")


# ------------------------------------------------------------------ the deputy's own client

_HDR = re.compile(rb"^x-camau-delegation:[ \t]*([^\r\n]*)", re.I | re.M)
_SODEN = re.compile(rb"^x-camau-so-den:[ \t]*([^\r\n]*)", re.I | re.M)


def index_delegated(db: sqlite_utils.Database, blobs: BlobStore, account: str) -> int:
    """Look at the headers of the account's messages not seen yet; remember those sent under delegation."""
    rows = list(db.execute(
        "SELECT m.id, m.sha256 FROM messages m LEFT JOIN routing_delegated_seen s ON s.message = m.id"
        " WHERE m.account = ? AND s.message IS NULL", [account]))
    found = 0
    with transaction(db):
        for mid, sha in rows:
            try:
                head = blobs.get(sha)[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
            except (OSError, KeyError, ValueError):
                continue
            m, so = _HDR.search(head), _SODEN.search(head)
            did = m.group(1).decode("ascii", "replace").strip() if m else None
            found += bool(did)
            db.execute("INSERT OR REPLACE INTO routing_delegated_seen (message, delegation, so_den) VALUES (?,?,?)",
                       [mid, did, so.group(1).decode("ascii", "replace").strip() if so else None])
    return found


def list_delegated(db: sqlite_utils.Database, account: str) -> list[dict]:
    """Documents this deputy received because of a delegation (their own list in the deputy's client)."""
    return [dict(r) for r in db.query(
        "SELECT m.id, m.subject, m.from_addr, m.date, m.received_at, s.delegation, s.so_den"
        " FROM routing_delegated_seen s JOIN messages m ON m.id = s.message"
        " WHERE m.account = ? AND s.delegation IS NOT NULL ORDER BY m.received_at DESC, m.id DESC", [account])]
