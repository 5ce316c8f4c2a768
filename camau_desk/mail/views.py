"""Read helpers for the window's message list: the order of a folder view and its pages.

Why beside ``store.list_messages``: the list needs a date range, a whitelisted
ORDER BY per column and quick filters, as indexed queries fast enough to run
for each page while the clerk scrolls (bench/ui measures them on 100,000
messages).  The order is a snapshot of ids (``message_ids``); a page is a
primary-key lookup (``messages_by_ids``).  Read-only; never writes.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

SORT_COLUMNS: dict[str, str] = {
    "received_at": "m.received_at",
    "sender": "COALESCE(NULLIF(m.from_name, ''), m.from_addr) COLLATE NOCASE",
    "subject": "m.subject COLLATE NOCASE",
    "attachments": "m.has_attachments",
    "urgency": "m.urgency",
    "so_den": "(r.year * 1000000 + r.so_den)",
}

_EFFECTIVE_SPAM = "COALESCE(m.spam_override, m.is_spam)"

# The newest register entry of each message (register_entries_message index: one probe per row).
# Why the newest: a message whose entry was cancelled and registered again shows the new entry.
_REG_JOIN = (" LEFT JOIN register_entries r ON r.id ="
             " (SELECT MAX(r2.id) FROM register_entries r2 WHERE r2.message = m.id)")
_REG_COLS = " r.so_den, r.year AS reg_year, r.status AS reg_status"
# the columns of one message-list row (shaped like store.list_messages rows)
_ROW_COLS = (
    "m.id, m.account, l.folder, l.uid, m.date, m.received_at, m.from_addr, m.from_name,"
    f" m.subject, l.flags, {_EFFECTIVE_SPAM} AS is_spam, m.has_attachments, m.urgency, m.secrecy,"
    f" l.removed_on_server,{_REG_COLS}"
)

#: "Chưa vào sổ": no live (non-cancelled) register entry.
UNREGISTERED = ("NOT EXISTS (SELECT 1 FROM register_entries re"
                " WHERE re.message = m.id AND re.status != 'cancelled')")


def _where(
    folder: int,
    include_spam: bool,
    since: str | None,
    until: str | None,
    unregistered: bool = False,
) -> tuple[str, list[Any]]:
    """The list's filters on a folder's locations (``l``) joined to messages (``m``)."""
    clauses, params = _message_filters(include_spam, since, until, unregistered)
    return " AND ".join(["l.folder = ?", *clauses]), [folder, *params]


def _message_filters(
    include_spam: bool, since: str | None, until: str | None, unregistered: bool,
) -> tuple[list[str], list[Any]]:
    """Quick filters on ``m``; ``unregistered`` ("Chưa vào sổ") also leaves spam out (never a document)."""
    clauses: list[str] = []
    params: list[Any] = []
    if not include_spam or unregistered:
        clauses.append(f"{_EFFECTIVE_SPAM} = 0")
    if unregistered:
        clauses.append(UNREGISTERED)
    if since:
        clauses.append("m.received_at >= ?")
        params.append(since)
    if until:
        clauses.append("m.received_at < ?")
        params.append(until)
    return clauses, params


def _rows(cursor: Any) -> list[dict]:
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    for row in rows:
        row["flags"] = (row["flags"] or "").split()
    return rows


def _with_attachment_counts(db: sqlite_utils.Database, rows: list[dict]) -> list[dict]:
    """Fill ``attachment_count`` (non-inline parts) with one query for the whole page."""
    counts: dict[int, int] = {}
    with_att = [r["id"] for r in rows if r["has_attachments"]]
    if with_att:
        marks = ",".join("?" * len(with_att))
        counts = dict(db.execute(
            f"SELECT message, COUNT(*) FROM attachments WHERE is_inline = 0 AND message IN ({marks})"  # noqa: S608
            " GROUP BY message", with_att).fetchall())
    for row in rows:
        row["attachment_count"] = counts.get(row["id"], 0)
    return rows


def message_ids(
    db: sqlite_utils.Database,
    *,
    folder: int,
    include_spam: bool = True,
    since: str | None = None,
    until: str | None = None,
    sort: str = "received_at",
    descending: bool = True,
    unregistered: bool = False,
) -> list[int]:
    """The whole ordered id list of a folder view (one sort, then pages are PK lookups).

    Why: OFFSET paging re-sorts the folder for every page (about 0.8 s deep in a
    100,000-message folder); a snapshot of the order costs one sort at open and
    makes every later page cost the same, wherever the clerk scrolls.
    """
    order = SORT_COLUMNS.get(sort, SORT_COLUMNS["received_at"])
    direction = "DESC" if descending else "ASC"
    where, params = _where(folder, include_spam, since, until, unregistered)
    join = _REG_JOIN if sort == "so_den" else ""  # the join costs one index probe per row: only when sorting by it
    sql = (
        f"SELECT m.id FROM locations l JOIN messages m ON m.id = l.message{join}"  # noqa: S608 - whitelisted names
        f" WHERE {where} ORDER BY {order} {direction}, m.id {direction}"
    )
    seen: set[int] = set()
    out: list[int] = []
    for (mid,) in db.execute(sql, params):
        if mid not in seen:  # a message twice in one folder (stale UIDVALIDITY) is listed once
            seen.add(mid)
            out.append(mid)
    return out


def messages_by_ids(db: sqlite_utils.Database, ids: list[int], *, folder: int | None = None) -> list[dict]:
    """Rows for ``ids`` in that order, shaped like ``store.list_messages`` rows (flags from ``folder``)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    loc = "l.folder = ?" if folder is not None else "1"
    params: list[Any] = ([folder] if folder is not None else []) + list(ids)
    sql = (
        f"SELECT {_ROW_COLS} FROM messages m LEFT JOIN locations l ON l.id ="  # noqa: S608
        f" (SELECT MIN(l2.id) FROM locations l2 WHERE l2.message = m.id AND {loc.replace('l.', 'l2.')})"
        f"{_REG_JOIN} WHERE m.id IN ({marks})"
    )
    by_id = {row["id"]: row for row in _rows(db.execute(sql, params))}
    return _with_attachment_counts(db, [by_id[i] for i in ids if i in by_id])


def first_page_ids(
    db: sqlite_utils.Database,
    *,
    folder: int,
    account: str,
    include_spam: bool = True,
    since: str | None = None,
    until: str | None = None,
    limit: int = 200,
    unregistered: bool = False,
) -> list[int]:
    """The newest ``limit`` ids of a folder, read in index order (a few ms at 100,000).

    Walks ``messages_received(account, received_at)`` backwards and stops after
    ``limit`` hits, so the list paints at once while ``message_ids`` builds the
    full order in a worker.  Same order as ``message_ids(sort='received_at')``.
    """
    filters, filter_params = _message_filters(include_spam, since, until, unregistered)
    clauses = ["m.account = ?", "EXISTS (SELECT 1 FROM locations l WHERE l.message = m.id AND l.folder = ?)",
               *filters]
    params: list[Any] = [account, folder, *filter_params]
    sql = (
        f"SELECT m.id FROM messages m WHERE {' AND '.join(clauses)}"  # noqa: S608 - fixed clauses only
        " ORDER BY m.received_at DESC, m.id DESC LIMIT ?"
    )
    return [int(r[0]) for r in db.execute(sql, [*params, int(limit)]).fetchall()]
