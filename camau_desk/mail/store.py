"""The offline mail store: one row per distinct message, one location per server copy.

Why this shape (ARCHITECTURE invariant 1, R3.3, R6.2): a message is kept exactly
once per account however many folders hold it, recognised by the SHA-256 of
its raw bytes; its raw bytes are made durable in the blob store *before* the
row that points at them; and nothing here deletes mail because a server did.

All functions take the one writer ``sqlite_utils.Database``; ``store_message``
runs inside the caller's ``with transaction(db):`` so a sync chunk or an
import chunk is one atomic unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import sqlite_utils

from camau_desk import audit
from camau_desk.errors import InvalidInput, NotFound
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.parse import ParsedMessage, parse_headers, parse_message
from camau_desk.vn.text import nfc

__all__ = [
    "FOLDER_ROLES",
    "apply_parsed",
    "count_messages",
    "ensure_folder",
    "folder_list",
    "get_message",
    "is_junk_flag",
    "list_messages",
    "raw_bytes",
    "refresh_spam",
    "set_flags",
    "set_spam",
    "store_message",
]

FOLDER_ROLES = ("inbox", "sent", "junk", "trash", "drafts", "archive")
#: IMAP flags/keywords that mean "the server or another client filed it as spam".
_JUNK_FLAGS = {"\\junk", "$junk", "junk"}
_ORDER_COLUMNS = {
    "id": "m.id", "received_at": "m.received_at", "date": "m.date", "subject": "m.subject",
    "from_addr": "m.from_addr", "size": "m.size", "uid": "l.uid",
}


def _now() -> str:
    return audit.now_iso()


def ensure_folder(db: sqlite_utils.Database, account: str, name: str, role: str | None = None) -> int:
    """Id of (account, name), created if missing; a known role fills an empty one."""
    if role is not None and role not in FOLDER_ROLES:
        raise InvalidInput(f"Vai trò thư mục '{role}' không hợp lệ.")
    name = nfc(name)
    row = db.execute("SELECT id, role FROM folders WHERE account = ? AND name = ?", [account, name]).fetchone()
    if row:
        if role and not row[1]:
            db.execute("UPDATE folders SET role = ? WHERE id = ?", [role, row[0]])
        return int(row[0])
    cur = db.execute("INSERT INTO folders (account, name, role) VALUES (?, ?, ?)", [account, name, role])
    return int(cur.lastrowid)


def is_junk_flag(flag: str) -> bool:
    return flag.strip().lower() in _JUNK_FLAGS


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.isoformat()


def _direction(db: sqlite_utils.Database, account: str, folder_role: str | None, from_addr: str | None) -> str:
    """'out' for what the account itself sent (its Sent folder, or From is its address)."""
    if folder_role == "sent":
        return "out"
    row = db.execute("SELECT email FROM accounts WHERE name = ?", [account]).fetchone()
    if row and from_addr and row[0] and from_addr.lower() == str(row[0]).lower():
        return "out"
    return "in"


def _insert_message(
    db: sqlite_utils.Database, account: str, raw: bytes, sha: str, folder_role: str | None,
    received_at: str | None, parse: str,
) -> int:
    full = parse == "full"
    pm = parse_message(raw) if full else parse_headers(raw, sha256=sha)
    cur = db.execute(
        """INSERT INTO messages (account, sha256, size, message_id, in_reply_to, references_, subject,
               from_addr, from_name, to_addrs, cc_addrs, date, received_at, has_attachments, body_text,
               body_is_html, is_spam, spam_header, urgency, secrecy, direction, legacy_encoding,
               parse_error, created_at, parsed)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        [account, sha, pm.size, pm.message_id, pm.in_reply_to, pm.references_, pm.subject,
         pm.from_addr, pm.from_name, pm.to_addrs, pm.cc_addrs, pm.date,
         received_at or pm.date or _now(), int(pm.has_attachments), pm.body_text,
         int(pm.body_is_html), int(pm.spam_header), int(pm.spam_header), pm.urgency, pm.secrecy,
         _direction(db, account, folder_role, pm.from_addr), pm.legacy_encoding, pm.parse_error, _now(),
         int(full)],
    )
    mid = int(cur.lastrowid)
    _insert_attachments(db, mid, pm)
    return mid


def _insert_attachments(db: sqlite_utils.Database, mid: int, pm: ParsedMessage) -> None:
    for a in pm.attachments:
        db.execute(
            """INSERT OR IGNORE INTO attachments (message, idx, filename, safe_name, mime_type, size, sha256,
                   content_id, is_inline) VALUES (?,?,?,?,?,?,?,?,?)""",
            [mid, a.idx, a.filename, a.safe_name, a.mime_type, a.size, a.sha256, a.content_id, int(a.is_inline)],
        )


def apply_parsed(db: sqlite_utils.Database, message_id: int, pm: ParsedMessage, *, headers: bool = True) -> None:
    """Fill a header-only row (``parsed = 0``) from the full parse and mark it parsed.

    Called by ``mail.indexer`` inside its batch transaction.  ``headers=True``:
    the header columns are rewritten too (a row whose header parse failed).
    ``headers=False``: ``pm`` came from ``parse_message(..., subject=...)``,
    which did not read them; the stored ones stay and a header-phase
    ``parse_error`` is kept next to the body's.  Urgency/secrecy now also see
    the body; the spam verdict is recomputed.  Attachment rows are only added,
    never replaced: a row that somehow exists already keeps its id (search
    documents point at it).
    """
    if headers:
        db.execute(
            """UPDATE messages SET message_id = ?, in_reply_to = ?, references_ = ?, subject = ?, from_addr = ?,
                   from_name = ?, to_addrs = ?, cc_addrs = ?, date = ?, has_attachments = ?, body_text = ?,
                   body_is_html = ?, spam_header = ?, urgency = ?, secrecy = ?, legacy_encoding = ?,
                   parse_error = ?, parsed = 1 WHERE id = ?""",
            [pm.message_id, pm.in_reply_to, pm.references_, pm.subject, pm.from_addr, pm.from_name, pm.to_addrs,
             pm.cc_addrs, pm.date, int(pm.has_attachments), pm.body_text, int(pm.body_is_html),
             int(pm.spam_header), pm.urgency, pm.secrecy, pm.legacy_encoding, pm.parse_error, message_id],
        )
    else:
        db.execute(
            """UPDATE messages SET has_attachments = :att, body_text = :body, body_is_html = :html,
                   urgency = :urgency, secrecy = :secrecy, legacy_encoding = :legacy, parsed = 1,
                   parse_error = CASE WHEN :err IS NULL THEN parse_error WHEN parse_error IS NULL THEN :err
                                      ELSE parse_error || '; ' || :err END
               WHERE id = :id""",
            {"att": int(pm.has_attachments), "body": pm.body_text, "html": int(pm.body_is_html),
             "urgency": pm.urgency, "secrecy": pm.secrecy, "legacy": pm.legacy_encoding, "err": pm.parse_error,
             "id": message_id},
        )
    _insert_attachments(db, message_id, pm)
    refresh_spam(db, message_id)


def _upsert_location(
    db: sqlite_utils.Database, mid: int, folder_id: int, uidvalidity: int | None, uid: int | None,
    flags: str, modseq: int | None,
) -> None:
    """One location per (folder, uidvalidity, uid); local copies (uid NULL): one per folder."""
    if uid is None:
        row = db.execute(
            "SELECT id FROM locations WHERE message = ? AND folder = ? AND uid IS NULL", [mid, folder_id]
        ).fetchone()
    else:
        row = db.execute(
            "SELECT id FROM locations WHERE folder = ? AND uidvalidity IS ? AND uid = ?",
            [folder_id, uidvalidity, uid],
        ).fetchone()
    if row:
        db.execute(
            "UPDATE locations SET message = ?, flags = ?, modseq = COALESCE(?, modseq), removed_on_server = 0"
            " WHERE id = ?",
            [mid, flags, modseq, row[0]],
        )
    else:
        db.execute(
            "INSERT INTO locations (message, folder, uidvalidity, uid, flags, modseq) VALUES (?,?,?,?,?,?)",
            [mid, folder_id, uidvalidity, uid, flags, modseq],
        )


def store_message(
    db: sqlite_utils.Database,
    blobs: BlobStore,
    account: str,
    folder_id: int,
    raw: bytes,
    *,
    uidvalidity: int | None = None,
    uid: int | None = None,
    flags: Sequence[str] = (),
    internaldate: datetime | None = None,
    modseq: int | None = None,
    parse: Literal["full", "headers"] = "full",
    sha256: str | None = None,
) -> tuple[int, bool]:
    """Keep ``raw`` (blob first, then the row, then the location); returns (message id, new?).

    Call inside ``with transaction(db):``.  The same bytes seen again in the
    same account reuse the message row; the same location seen again only
    updates its flags.  ``parse="full"`` (importer, outbox, demo) fills body
    and attachments now; ``parse="headers"`` (the IMAP sync) stores a
    header-only row with ``parsed = 0`` that ``mail.indexer.parse_pending``
    completes later.  ``sha256``: the caller already made the blob durable
    (``BlobStore.put_many``) and passes its name, so it is not written again.
    """
    if parse not in ("full", "headers"):
        raise InvalidInput(f"Kiểu phân tích thư '{parse}' không hợp lệ.")
    sha = sha256 if sha256 is not None and blobs.has(sha256) else blobs.put(raw)  # durable before any row
    frow = db.execute("SELECT role, account FROM folders WHERE id = ?", [folder_id]).fetchone()
    if frow is None:
        raise NotFound(f"Không có thư mục số {folder_id}.")
    row = db.execute("SELECT id FROM messages WHERE account = ? AND sha256 = ?", [account, sha]).fetchone()
    if row:
        mid, new = int(row[0]), False
    else:
        mid, new = _insert_message(db, account, raw, sha, frow[0], _iso(internaldate), parse), True
    _upsert_location(db, mid, folder_id, uidvalidity, uid, " ".join(flags), modseq)
    refresh_spam(db, mid)
    return mid, new


def refresh_spam(db: sqlite_utils.Database, message_id: int) -> bool:
    """Recompute the automatic spam verdict (R7.1a-1) from headers, flags and folders.

    Spam if X-Spam-Flag/X-Spam-Status said so, or a current location carries
    \\Junk/$Junk or lies in a folder with role 'junk'.  Locations the server
    removed only count when nothing else is left (a message moved out of Junk
    by another client is no longer spam).  The clerk's ``spam_override`` is
    applied on read and is never touched here.
    """
    head = db.execute("SELECT spam_header FROM messages WHERE id = ?", [message_id]).fetchone()
    if head is None:
        return False
    locs = list(db.execute(
        "SELECT l.flags, f.role, l.removed_on_server FROM locations l JOIN folders f ON f.id = l.folder"
        " WHERE l.message = ?",
        [message_id],
    ).fetchall())
    current = [loc for loc in locs if not loc[2]] or locs
    junk = bool(head[0]) or any(
        role == "junk" or any(is_junk_flag(f) for f in (flags or "").split()) for flags, role, _ in current
    )
    db.execute("UPDATE messages SET is_spam = ? WHERE id = ?", [int(junk), message_id])
    return junk


def set_flags(db: sqlite_utils.Database, location_id: int, flags: Sequence[str]) -> None:
    """Replace a location's flags (sync of FLAGS/CONDSTORE) and keep the spam verdict in step."""
    row = db.execute("SELECT message FROM locations WHERE id = ?", [location_id]).fetchone()
    if row is None:
        raise NotFound(f"Không có vị trí thư số {location_id}.")
    db.execute("UPDATE locations SET flags = ? WHERE id = ?", [" ".join(flags), location_id])
    refresh_spam(db, int(row[0]))


# --- reading ---------------------------------------------------------------------------

def _folder_ids(db: sqlite_utils.Database, account: str | None, folder: str | int) -> list[int]:
    if isinstance(folder, int):
        return [folder]
    sql, params = "SELECT id FROM folders WHERE name = ?", [nfc(folder)]
    if account is not None:
        sql += " AND account = ?"
        params.append(account)
    return [int(r[0]) for r in db.execute(sql, params).fetchall()]


def _where(
    db: sqlite_utils.Database, account: str | None, folder: str | int | None, include_spam: bool, spam_only: bool,
) -> tuple[str, str, list[Any]]:
    """(location join condition, WHERE clause, params) shared by list and count."""
    params: list[Any] = []
    loc_filter = ""
    clauses = []
    if folder is not None:
        ids = _folder_ids(db, account, folder) or [-1]
        loc_filter = f" AND l2.folder IN ({','.join('?' * len(ids))})"
        params += ids
        clauses.append("l.id IS NOT NULL")
    if account is not None:
        clauses.append("m.account = ?")
        params.append(account)
    if spam_only:
        clauses.append("COALESCE(m.spam_override, m.is_spam) = 1")
    elif not include_spam:
        clauses.append("COALESCE(m.spam_override, m.is_spam) = 0")
    # Only "?" placeholders are interpolated; values travel in params.
    join = f"LEFT JOIN locations l ON l.id = (SELECT MIN(l2.id) FROM locations l2 WHERE l2.message = m.id{loc_filter})"  # noqa: S608
    return join, (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _order_sql(order: str) -> str:
    parts = []
    for item in order.split(","):
        words = item.split()
        if not words or words[0] not in _ORDER_COLUMNS or len(words) > 2 or (
            len(words) == 2 and words[1].upper() not in ("ASC", "DESC")
        ):
            raise InvalidInput(f"Không sắp xếp được theo '{item.strip()}'.")
        parts.append(f"{_ORDER_COLUMNS[words[0]]} {words[1].upper() if len(words) == 2 else 'ASC'}")
    return ", ".join(parts + ["m.id DESC"])


def list_messages(
    db: sqlite_utils.Database,
    *,
    account: str | None = None,
    folder: str | int | None = None,
    include_spam: bool = True,
    spam_only: bool = False,
    limit: int | None = None,
    offset: int = 0,
    order: str = "received_at DESC",
) -> list[dict]:
    """Message summaries for a list view; one row per message (its first location in ``folder``).

    ``folder`` is a folder name (within ``account`` if given) or a folder id.
    ``is_spam`` is the effective verdict: the clerk's mark wins over the rule.
    """
    join, where, params = _where(db, account, folder, include_spam, spam_only)
    # Clauses are fixed strings with "?" placeholders; ORDER BY is whitelisted by _order_sql.
    sql = (
        "SELECT m.id, m.account, f.name AS folder, l.uid, m.date, m.received_at, m.from_addr, m.from_name,"  # noqa: S608
        " m.subject, l.flags, COALESCE(m.spam_override, m.is_spam) AS is_spam, m.has_attachments,"
        " (SELECT COUNT(*) FROM attachments a WHERE a.message = m.id AND a.is_inline = 0) AS attachment_count,"
        " m.urgency, m.secrecy, COALESCE(l.removed_on_server, 0) AS removed_on_server"
        f" FROM messages m {join} LEFT JOIN folders f ON f.id = l.folder{where}"
        f" ORDER BY {_order_sql(order)}"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    elif offset:
        sql += " LIMIT -1 OFFSET ?"
        params.append(int(offset))
    out = []
    for r in db.query(sql, params):
        r = dict(r)
        r["flags"] = (r["flags"] or "").split()
        r["is_spam"] = bool(r["is_spam"])
        r["has_attachments"] = bool(r["has_attachments"])
        r["removed_on_server"] = bool(r["removed_on_server"])
        out.append(r)
    return out


def count_messages(
    db: sqlite_utils.Database,
    *,
    account: str | None = None,
    folder: str | int | None = None,
    include_spam: bool = True,
    spam_only: bool = False,
) -> int:
    join, where, params = _where(db, account, folder, include_spam, spam_only)
    return int(db.execute(f"SELECT COUNT(*) FROM messages m {join}{where}", params).fetchone()[0])  # noqa: S608


def get_message(db: sqlite_utils.Database, message_id: int) -> dict:
    """Every column of one message + effective is_spam, its locations and attachments."""
    rows = list(db.query("SELECT * FROM messages WHERE id = ?", [message_id]))
    if not rows:
        raise NotFound(f"Không có thư số {message_id}.")
    m = dict(rows[0])
    m["is_spam"] = bool(m["spam_override"] if m["spam_override"] is not None else m["is_spam"])
    m["has_attachments"] = bool(m["has_attachments"])
    m["locations"] = [
        {**dict(r), "flags": (r["flags"] or "").split(), "removed_on_server": bool(r["removed_on_server"])}
        for r in db.query(
            "SELECT l.id, l.folder AS folder_id, f.account, f.name AS folder, f.role, l.uidvalidity, l.uid,"
            " l.flags, l.modseq, l.removed_on_server FROM locations l JOIN folders f ON f.id = l.folder"
            " WHERE l.message = ? ORDER BY l.id",
            [message_id],
        )
    ]
    m["folder"] = m["locations"][0]["folder"] if m["locations"] else None
    m["flags"] = m["locations"][0]["flags"] if m["locations"] else []
    m["attachments"] = [
        {**dict(r), "is_inline": bool(r["is_inline"])}
        for r in db.query(
            "SELECT id, idx, filename, safe_name, mime_type, size, sha256, content_id, is_inline"
            " FROM attachments WHERE message = ? ORDER BY idx",
            [message_id],
        )
    ]
    return m


def raw_bytes(db: sqlite_utils.Database, blobs: BlobStore, message_id: int) -> bytes:
    """The exact bytes as received (the legal original, R3.3)."""
    row = db.execute("SELECT sha256 FROM messages WHERE id = ?", [message_id]).fetchone()
    if row is None:
        raise NotFound(f"Không có thư số {message_id}.")
    return blobs.get(row[0])


def set_spam(db: sqlite_utils.Database, message_id: int, spam: bool | None) -> None:
    """The clerk's mark: True spam, False not spam, None back to the automatic rule (audited)."""
    row = db.execute("SELECT spam_override FROM messages WHERE id = ?", [message_id]).fetchone()
    if row is None:
        raise NotFound(f"Không có thư số {message_id}.")
    new = None if spam is None else int(bool(spam))
    if row[0] == new:
        return
    db.execute("UPDATE messages SET spam_override = ? WHERE id = ?", [new, message_id])
    audit.record(db, "message.spam", "message", message_id, row[0], new)


def folder_list(db: sqlite_utils.Database, account: str | None = None) -> list[dict]:
    """Folders with their message and unread counts (unread: no \\Seen flag)."""
    sql = (
        "SELECT f.id, f.account, f.name, f.role, COUNT(l.id) AS total,"
        " COALESCE(SUM(CASE WHEN (' ' || lower(l.flags) || ' ') LIKE '% \\seen %' THEN 0"
        "     WHEN l.id IS NULL THEN 0 ELSE 1 END), 0) AS unread"
        " FROM folders f LEFT JOIN locations l ON l.folder = f.id"
    )
    params: list[Any] = []
    if account is not None:
        sql += " WHERE f.account = ?"
        params.append(account)
    sql += " GROUP BY f.id ORDER BY f.account, CASE f.role WHEN 'inbox' THEN 0 ELSE 1 END, f.name"
    return [dict(r) for r in db.query(sql, params)]
