"""Vietnamese full-text search over all local mail, attachments and the register (R6.2, R6.3, R3.3).

How it works (docs/search.md has the long version):

* one ``search_docs`` row per searchable thing (a message, an attachment, a
  register entry) with its filter fields (year, kind, sender, số đến ...);
* ``search_fts`` (FTS5, unicode61 *without* diacritic removal) holds each
  text twice: as written (NFC) in ``e_head``/``e_body`` and folded by
  ``vn.text.fold`` (no diacritics, đ -> d) in ``f_head``/``f_body``.  A
  query matches the folded columns ("quyet dinh" finds "Quyết định") and,
  when typed with diacritics, also the exact ones; bm25 weights the exact
  columns higher, so "Quyết định" ranks exact spellings first;
* ``search_sym`` (FTS5 trigram) holds the normalised số ký hiệu tokens of
  each document, so a fragment like "TTr-STTTT" or "4295/UBND" is a
  substring search, independent of how the word tokenizer split it;
* snippets are cut from the stored original text in Python, highlighting
  both folded and exact matches (FTS5 ``snippet()`` would show the folded
  column's text without diacritics when only the folded column matched).

Everything reads the local database only: search works offline and for
mailboxes whose account was removed (messages are not tied to accounts).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk.archive.query import (
    MIN_PREFIX,
    Query,
    Term,
    exact_expression,
    folded_expression,
    is_symbol_like,
    normalise_symbol,
    parse_query,
    short_prefixes,
)
from camau_desk.mail.blobs import BlobStore
from camau_desk.store.db import transaction
from camau_desk.vn.text import fold, nfc, strip_diacritics

__all__ = [
    "Hit",
    "index_pending",
    "make_snippet",
    "rebuild_index",
    "register_rows",
    "search",
]

MAX_INDEX_CHARS = 300_000  # of one body or attachment; the blob keeps the rest
_SPAM_PYTHON_MAX = 2000  # up to this many spam messages are filtered after ranking
SNIPPET_SCAN_CHARS = 50_000  # snippets look for matches in this much of a text
#: bm25 weights of (e_head, e_body, f_head, f_body): exact beats folded, headers beat bodies.
WEIGHTS = (12.0, 4.0, 5.0, 1.0)
FOLDED_WEIGHTS = (0.0, 0.0, 5.0, 1.0)  # the folded-only tier (see _tiers)
#: each tier ranks this many of its newest matches by bm25; older ones follow newest-first
RANK_WINDOW = 1000
READ_CACHE_KIB = 32_768  # page cache of a searching connection
_SYMBOL_TOKEN = re.compile(r"[\w.&]+(?:\s?[/\-\u2013]\s?[\w.&]+)+")


# ------------------------------------------------------------------ register adapter

_REG_COLUMNS = {
    "id": ("id", "entry_id", "rowid"),
    "message": ("message", "message_id"),
    "year": ("year", "nam"),
    "so_den": ("so_den",),
    "so_di": ("so_di",),
    "so_ky_hieu": ("so_ky_hieu",),
    "trich_yeu": ("trich_yeu",),
    "tac_gia": ("tac_gia", "co_quan", "issuer", "co_quan_ban_hanh"),
    "kind": ("kind", "loai", "loai_van_ban"),
    "status": ("status", "trang_thai"),
    "date": ("ngay_den", "received_at", "date", "registered_at", "ngay_van_ban"),
}


def _register_source(db: sqlite_utils.Database) -> tuple[str, dict[str, str]] | None:
    """The register table or view to index and its column mapping, or None if there is no register.

    Contract with the register area: a view or table ``register_search`` (current state of
    each entry, one row each) is used if present; otherwise the first table/view whose name
    starts with "register" and that has so_den, so_ky_hieu and trich_yeu columns.
    """
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name LIKE 'register%'"
        " ORDER BY name = 'register_search' DESC, type = 'view' DESC, name"
    ).fetchall()]
    for name in names:
        cols = {r[1] for r in db.execute(f'PRAGMA table_info("{name}")').fetchall()}
        if not {"so_den", "so_ky_hieu", "trich_yeu"} <= cols:
            continue
        mapping = {}
        for key, options in _REG_COLUMNS.items():
            found = next((c for c in options if c in cols), None)
            if found:
                mapping[key] = found
        mapping.setdefault("id", "rowid")
        return name, mapping
    return None


def register_rows(db: sqlite_utils.Database, *, message: int | None = None) -> list[dict[str, Any]]:
    """Register entries as dicts with our keys (id, message, year, so_den, so_ky_hieu, trich_yeu, ...)."""
    src = _register_source(db)
    if src is None:
        return []
    name, mapping = src
    select = ", ".join(f'"{col}" AS {key}' if col != "rowid" else f"rowid AS {key}" for key, col in mapping.items())
    sql = f'SELECT {select} FROM "{name}"'  # noqa: S608 - names come from sqlite_master
    params: list[Any] = []
    if message is not None:
        if "message" not in mapping:
            return []
        sql += f' WHERE "{mapping["message"]}" = ?'
        params.append(message)
    try:
        return [dict(r) for r in db.query(sql, params)]
    except sqlite3.Error:
        return []


# ------------------------------------------------------------------ building documents


def _symbols_in(*texts: str) -> list[str]:
    out: list[str] = []
    for t in texts:
        for m in _SYMBOL_TOKEN.finditer(t or ""):
            tok = m.group()
            if is_symbol_like(tok.replace(" ", "")):
                out.append(normalise_symbol(tok))
    return list(dict.fromkeys(out))


def _year(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def _fts_row(head: str, body: str) -> tuple[str, str, str, str]:
    head, body = nfc(head), nfc(body[:MAX_INDEX_CHARS])
    return head, body, fold(head), fold(body)


def _insert_doc(db: sqlite_utils.Database, doc: dict[str, Any], head: str, body: str, symbols: list[str]) -> int:
    old = db.execute("SELECT id FROM search_docs WHERE doc_kind = ? AND ref_id = ?",
                     [doc["doc_kind"], doc["ref_id"]]).fetchone()
    if old:
        _delete_doc(db, int(old[0]))
    cols = list(doc)
    cur = db.execute(f"INSERT INTO search_docs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",  # noqa: S608
                     [doc[c] for c in cols])
    rowid = int(cur.lastrowid)
    db.execute("INSERT INTO search_fts (rowid, e_head, e_body, f_head, f_body) VALUES (?,?,?,?,?)",
               [rowid, *_fts_row(head, body)])
    if symbols:
        db.execute("INSERT INTO search_sym (rowid, sym) VALUES (?, ?)", [rowid, " ".join(symbols)])
    return rowid


def _delete_doc(db: sqlite_utils.Database, rowid: int) -> None:
    db.execute("DELETE FROM search_fts WHERE rowid = ?", [rowid])
    db.execute("DELETE FROM search_sym WHERE rowid = ?", [rowid])
    db.execute("DELETE FROM search_docs WHERE id = ?", [rowid])


def _message_kind(subject: str, direction: str) -> str:
    from camau_desk.register.doctypes import kind_from_text
    from camau_desk.register.extract import clean_subject

    try:
        kind = kind_from_text(clean_subject(subject))
    except Exception:  # noqa: BLE001
        kind = None
    return kind or ("Thư đi" if direction == "out" else "Thư đến")


def _index_message(db: sqlite_utils.Database, m: dict[str, Any], att_names: list[str]) -> None:
    date = m["date"] or m["received_at"]
    kind = _message_kind(m["subject"] or "", m["direction"])
    sender = " ".join(x for x in (m["from_name"], m["from_addr"]) if x)
    head = "\n".join(x for x in (m["subject"], sender, m["to_addrs"], m["cc_addrs"], " ".join(att_names)) if x)
    body = m["body_text"] or ""
    symbols = _symbols_in(m["subject"] or "", body[:5000], *att_names)
    doc = {
        "doc_kind": "message", "ref_id": m["id"], "message": m["id"], "title": m["subject"] or "(Không có tiêu đề)",
        "date": date, "year": _year(date), "kind": kind, "kind_fold": fold(kind), "from_fold": fold(sender),
        "so_ky_hieu": symbols[0] if symbols else None, "so_den": None, "status": None,
        "has_attachment": int(bool(m["has_attachments"])),
    }
    _insert_doc(db, doc, head, body, symbols)


def _index_messages(db: sqlite_utils.Database, batch: int, cancel: Callable[[], bool] | None,
                    progress: Callable[[int, int], None] | None) -> int:
    total = int(db.execute(
        "SELECT COUNT(*) FROM messages m WHERE m.parsed = 1 AND NOT EXISTS"
        " (SELECT 1 FROM search_docs d WHERE d.doc_kind = 'message' AND d.ref_id = m.id)").fetchone()[0])
    done = 0
    last = 0
    while done < total:
        if cancel and cancel():
            break
        rows = [dict(r) for r in db.query(
            "SELECT id, subject, from_name, from_addr, to_addrs, cc_addrs, date, received_at, direction,"
            " body_text, has_attachments FROM messages m WHERE m.id > ? AND m.parsed = 1 AND NOT EXISTS"
            " (SELECT 1 FROM search_docs d WHERE d.doc_kind = 'message' AND d.ref_id = m.id)"
            " ORDER BY m.id LIMIT ?", [last, batch])]
        if not rows:
            break
        ids = [r["id"] for r in rows]
        names: dict[int, list[str]] = {}
        for mid, fname in db.execute(
            "SELECT message, filename FROM attachments WHERE is_inline = 0"  # noqa: S608 - placeholders only
            f" AND message IN ({','.join('?' * len(ids))})",
            ids,
        ).fetchall():
            names.setdefault(mid, []).append(fname)
        with transaction(db):
            for r in rows:
                _index_message(db, r, names.get(r["id"], []))
        done += len(rows)
        last = ids[-1]
        if progress:
            progress(done, total)
    return done


def _index_attachments(db: sqlite_utils.Database, blobs: BlobStore, cancel: Callable[[], bool] | None,
                       progress: Callable[[int, int], None] | None, timeout: float | None) -> int:
    from camau_desk.archive.textract import extract, extract_with_timeout
    from camau_desk.mail.parse import parse_message

    rows = [dict(r) for r in db.query(
        "SELECT a.id, a.message, a.idx, a.filename, a.mime_type, m.sha256 AS raw_sha, m.subject, m.from_name,"
        " m.from_addr, m.date, m.received_at, m.direction FROM attachments a JOIN messages m ON m.id = a.message"
        " WHERE a.is_inline = 0 AND NOT EXISTS"
        " (SELECT 1 FROM search_docs d WHERE d.doc_kind = 'attachment' AND d.ref_id = a.id)"
        " ORDER BY a.message, a.idx")]
    by_msg: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_msg.setdefault(r["message"], []).append(r)
    done = 0
    for mid, atts in by_msg.items():
        if cancel and cancel():
            break
        try:
            payloads = {a.idx: a.payload for a in parse_message(blobs.get(atts[0]["raw_sha"])).attachments}
        except Exception:  # noqa: BLE001 - missing blob: index names only
            payloads = {}
        docs = []
        for a in atts:
            data = payloads.get(a["idx"])
            if data is None:
                ex_text, status = "", "error"
            else:
                ex = (extract_with_timeout(data, a["filename"], a["mime_type"], timeout) if timeout
                      else extract(data, a["filename"], a["mime_type"]))
                ex_text, status = ex.text, ex.status
            docs.append((a, ex_text, status))
        with transaction(db):
            for a, text, status in docs:
                date = a["date"] or a["received_at"]
                sender = " ".join(x for x in (a["from_name"], a["from_addr"]) if x)
                symbols = _symbols_in(a["filename"], text[:20000])
                kind = _message_kind(a["subject"] or "", a["direction"])
                doc = {
                    "doc_kind": "attachment", "ref_id": a["id"], "message": mid, "title": a["filename"],
                    "date": date, "year": _year(date), "kind": kind, "kind_fold": fold(kind),
                    "from_fold": fold(sender), "so_ky_hieu": symbols[0] if symbols else None,
                    "so_den": None, "status": None, "has_attachment": 1, "extract_status": status,
                }
                _insert_doc(db, doc, f"{a['filename']}\n{a['subject'] or ''}\n{sender}", text, symbols)
        done += len(atts)
        if progress:
            progress(done, len(rows))
    return done


def _index_register(db: sqlite_utils.Database) -> int:
    """(Re)index register entries whose fields changed since last time (corrections are events)."""
    rows = register_rows(db)
    if not rows:
        return 0
    known = dict(db.execute("SELECT ref_id, src_hash FROM search_docs WHERE doc_kind = 'register'").fetchall())
    n = 0
    with transaction(db):
        for r in rows:
            h = hashlib.sha256(json.dumps(r, sort_keys=True, default=str).encode()).hexdigest()
            if known.get(r["id"]) == h:
                continue
            so_den = None if r.get("so_den") is None else str(r["so_den"])
            kind = r.get("kind") or ""
            date = None if r.get("date") is None else str(r["date"])
            year = r.get("year") or _year(date)
            head = "\n".join(str(x) for x in (r.get("so_ky_hieu"), r.get("tac_gia"), kind,
                                              f"Số đến {so_den}" if so_den else None) if x)
            doc = {
                "doc_kind": "register", "ref_id": r["id"], "message": r.get("message"),
                "title": r.get("trich_yeu") or r.get("so_ky_hieu") or f"Số đến {so_den}",
                "date": date, "year": year, "kind": kind or None, "kind_fold": fold(kind),
                "from_fold": fold(str(r.get("tac_gia") or "")), "so_ky_hieu": r.get("so_ky_hieu"),
                "so_den": so_den, "status": r.get("status"), "has_attachment": 0, "src_hash": h,
            }
            _insert_doc(db, doc, head, str(r.get("trich_yeu") or ""), _symbols_in(str(r.get("so_ky_hieu") or "")))
            n += 1
    return n


def index_pending(
    db: sqlite_utils.Database, blobs: BlobStore,
    progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
    *, batch: int = 500, attachments: bool = True, extract_timeout: float | None = 30.0,
) -> dict[str, int]:
    """Index what is not indexed yet, in batches of one transaction each; safe to stop any time.

    Messages first (fast: headers and body are in the database), then register
    entries, then attachments (slow: text extraction, each file in a helper
    process limited to ``extract_timeout`` seconds; None = in-process).
    """
    t0 = time.perf_counter()
    counts = {"messages": _index_messages(db, batch, cancel, progress)}
    counts["register"] = _index_register(db)
    if attachments:
        counts["attachments"] = _index_attachments(db, blobs, cancel, progress, extract_timeout)
    counts["ms"] = int((time.perf_counter() - t0) * 1000)
    return counts


def rebuild_index(
    db: sqlite_utils.Database, blobs: BlobStore,
    progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
    **kwargs: Any,
) -> dict[str, int]:
    """Drop the whole index and build it again (after an upgrade of the folding rules)."""
    with transaction(db):
        db.execute("DELETE FROM search_fts")
        db.execute("DELETE FROM search_sym")
        db.execute("DELETE FROM search_docs")
    return index_pending(db, blobs, progress, cancel, **kwargs)


# ------------------------------------------------------------------ searching


@dataclass
class Hit:
    id: int  # message id / attachment id / register entry id, by ``kind``
    kind: str  # 'message' | 'attachment' | 'register'
    message: int | None
    title: str
    date: str | None
    path: str | None  # the file in the mirror to open in place (absolute if a root was given)
    snippet: str
    loai: str | None = None
    so_ky_hieu: str | None = None
    so_den: str | None = None
    extract_status: str | None = None
    score: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _trigram_match(fragment: str) -> tuple[str, str]:
    """(SQL condition on search_sym, parameter) for a symbol fragment; trigram needs 3+ characters."""
    if len(fragment) >= 3:
        return "search_sym MATCH ?", '"' + fragment.replace('"', '""') + '"'
    return "sym LIKE ?", f"%{fragment}%"


def _filters(q: Query, spam_sql: bool = True) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for frag in q.symbols:  # free-text symbol: in a document's symbols or as words in its text
        cond, p = _trigram_match(frag)
        words = tuple(re.findall(r"\w+", fold(frag)))
        where.append(f"(d.id IN (SELECT rowid FROM search_sym WHERE {cond})"  # noqa: S608 - constant SQL
                     " OR d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?))")
        params += [p, '"' + " ".join(words) + '"']  # folded phrase: no column filter needed (see query.py)
    for value in q.filters.get("so", []):
        cond, p = _trigram_match(normalise_symbol(value))
        where.append(f"d.id IN (SELECT rowid FROM search_sym WHERE {cond})")  # noqa: S608 - constant SQL
        params.append(p)
    for value in q.filters.get("from", []):
        where.append("d.from_fold LIKE ?")
        params.append(f"%{fold(value)}%")
    for value in q.filters.get("loai", []):
        where.append("d.kind_fold LIKE ?")
        params.append(f"{fold(value)}%")
    for value in q.filters.get("nam", []):
        years = re.findall(r"\d{4}", value)
        if "-" in value and len(years) == 2:
            where.append("d.year BETWEEN ? AND ?")
            params += [int(years[0]), int(years[1])]
        else:
            where.append("d.year = ?")
            params.append(int(years[0]) if years else -1)
    for value in q.filters.get("den", []):
        where.append("(d.so_den = ? OR ltrim(d.so_den, '0') = ltrim(?, '0'))")
        params += [value, value]
    for value in q.filters.get("has", []):
        if fold(value) in ("attachment", "attachments", "tep", "dinh kem", "file"):
            where.append("d.has_attachment = 1")
    statuses = [fold(v) for v in q.filters.get("status", [])]
    spam = "COALESCE((SELECT COALESCE(mm.spam_override, mm.is_spam) FROM messages mm WHERE mm.id = d.message), 0)"
    if "spam" in statuses:
        where.append(f"{spam} = 1")
        statuses.remove("spam")
    elif spam_sql:
        where.append(f"{spam} = 0")  # spam stays out of results unless asked for
    for s in statuses:  # register status ("đã chuyển", "chờ xử lý" ...), compared folded
        where.append("camau_fold(d.status) = ?")
        params.append(s)
    return where, params


def _tune_for_reads(db: sqlite_utils.Database) -> None:
    """A bigger page cache and in-memory temp tables: the index is hundreds of MB at 100,000 messages.

    Per connection and cheap to repeat; the writer connection may share it (the cache is RAM only).
    """
    db.execute(f"PRAGMA cache_size = {-READ_CACHE_KIB}")
    db.execute("PRAGMA temp_store = MEMORY")


def _tiers(q: Query) -> list[tuple[str, tuple[float, ...]]]:
    """(MATCH string, bm25 weights) in rank order: spelled as typed first, then the other folded matches.

    The folded tier gives the exact columns no weight: there they only hold words written
    without diacritics, and an ASCII query should not favour text written without diacritics.
    """
    folded = folded_expression(q)
    if folded is None:
        return []
    exact = exact_expression(q)
    if exact is None:
        return [(folded, FOLDED_WEIGHTS)]
    return [(exact, WEIGHTS), (f"({folded}) NOT ({exact})", FOLDED_WEIGHTS)]


def _ranked_ids(db: sqlite_utils.Database, tiers: list[tuple[str, tuple[float, ...]]], where: list[str],
                params: list[Any], need: int) -> list[tuple[int, float]]:
    """(doc id, bm25) for the first ``need`` hits in rank order.

    Why a window: bm25 of every match costs ~1 µs per document (column sizes and hit
    counts of each), so "hop*" over 100,000 messages took 90-150 ms.  FTS5 can walk matches
    newest-first (descending rowid) and stop, so each tier ranks only its ``RANK_WINDOW``
    newest matches by bm25; older matches of the tier follow newest-first.  A tier with
    fewer matches than the window is ranked by bm25 over all of them.  Tiers keep "exact
    Vietnamese spelling first" strict: the folded-only tier starts after the exact one.
    """
    join = " CROSS JOIN search_docs d ON d.id = search_fts.rowid" if where else ""
    cond = "".join(f" AND {w}" for w in where)
    out: list[tuple[int, float]] = []
    for expr, weights in tiers:
        score = f"bm25(search_fts, {', '.join(map(str, weights))})"
        window_sql = (f"SELECT search_fts.rowid, {score} FROM search_fts{join}"  # noqa: S608 - constant SQL
                      f" WHERE search_fts MATCH ?{cond} ORDER BY search_fts.rowid DESC LIMIT ?")
        older_sql = (f"SELECT search_fts.rowid, {score} FROM search_fts{join}"  # noqa: S608 - constant SQL
                     f" WHERE search_fts MATCH ? AND search_fts.rowid < ?{cond}"
                     " ORDER BY search_fts.rowid DESC LIMIT ?")
        rows = [(int(r[0]), float(r[1])) for r in db.execute(window_sql, [expr, *params, RANK_WINDOW])]
        cut = rows[-1][0] if rows else 0
        rows.sort(key=lambda r: (r[1], -r[0]))
        out += rows
        if len(rows) == RANK_WINDOW and len(out) < need:
            out += [(int(r[0]), float(r[1])) for r in db.execute(older_sql, [expr, cut, *params, need - len(out)])]
        if len(out) >= need:
            break
    return out[:need]


def search(
    db: sqlite_utils.Database, text: str, *, limit: int = 20, offset: int = 0, root: Path | None = None,
    mark: tuple[str, str] = ("[", "]"),
) -> list[Hit]:
    """Ranked hits for what the clerk typed (see camau_desk.archive.query for the syntax)."""
    from camau_desk.errors import InvalidInput

    q = parse_query(text)
    if q.empty:
        return []
    if short := short_prefixes(q):
        raise InvalidInput(f"Tìm theo tiền tố cần ít nhất {MIN_PREFIX} chữ trước dấu * "
                           f"(ví dụ: “hop*”, không phải “{short[0]}”).")
    _tune_for_reads(db)
    # Spam is hidden unless asked for.  Usually only a few messages are spam: then it is
    # cheaper to drop them from the ranked rows in Python than to test every match in SQL.
    spam_ids = {r[0] for r in db.execute(
        "SELECT id FROM messages WHERE COALESCE(spam_override, is_spam) = 1 LIMIT ?", [_SPAM_PYTHON_MAX + 1])}
    spam_sql = len(spam_ids) > _SPAM_PYTHON_MAX
    where, params = _filters(q, spam_sql=spam_sql)
    if spam_sql or "spam" in {fold(v) for v in q.filters.get("status", [])}:
        spam_ids = set()
    want = limit + offset + len(spam_ids)
    db.conn.create_function("camau_fold", 1, lambda s: fold(s) if s else s, deterministic=True)
    cols = "d.id AS doc_id, d.doc_kind, d.ref_id, d.message, d.title, d.date, d.kind, d.so_ky_hieu, d.so_den," \
           " d.extract_status"
    tiers = _tiers(q)
    try:
        if tiers:
            ranked = _ranked_ids(db, tiers, where, params, want)
            ids = [i for i, _ in ranked]
            docs = {r["doc_id"]: dict(r) for r in db.query(
                f"SELECT {cols} FROM search_docs d WHERE d.id IN ({','.join('?' * len(ids))})", ids)}  # noqa: S608
            rows = [docs[i] | {"score": s} for i, s in ranked if i in docs]
        else:
            cond = (" AND " + " AND ".join(where)) if where else ""
            rows = [dict(r) for r in db.query(
                f"SELECT {cols}, 0.0 AS score FROM search_docs d WHERE 1{cond}"  # noqa: S608
                " ORDER BY d.date DESC, d.id DESC LIMIT ?", [*params, want])]
    except sqlite3.OperationalError as exc:
        raise InvalidInput(f"Không hiểu được câu tìm kiếm: {text}", detail=str(exc)) from exc
    rows = [r for r in rows if r["message"] not in spam_ids][offset:offset + limit]
    terms = [t for t in q.terms if not t.negated]
    symbols = q.symbols + [normalise_symbol(v) for v in q.filters.get("so", [])]
    patterns = _patterns(terms, symbols)
    hits = []
    for r in rows:  # snippets and paths for the returned page only
        stored = db.execute("SELECT e_head, substr(e_body, 1, ?) FROM search_fts WHERE rowid = ?",
                            [SNIPPET_SCAN_CHARS, r["doc_id"]]).fetchone()
        body = stored[1] if stored and stored[1] else (stored[0] if stored else "")
        snippet = make_snippet(body, terms, symbols, mark=mark, patterns=patterns)
        if mark[0] not in snippet and stored and stored[0]:
            head_snip = make_snippet(stored[0], terms, symbols, mark=mark, patterns=patterns)
            if mark[0] in head_snip:
                snippet = head_snip
        hits.append(Hit(
            id=r["ref_id"], kind=r["doc_kind"], message=r["message"], title=r["title"] or "", date=r["date"],
            path=_path_of(db, r, root), snippet=snippet, loai=r["kind"], so_ky_hieu=r["so_ky_hieu"],
            so_den=r["so_den"], extract_status=r["extract_status"], score=float(r["score"] or 0.0),
        ))
    return hits


def _path_of(db: sqlite_utils.Database, r: dict[str, Any], root: Path | None) -> str | None:
    if r["doc_kind"] == "attachment":
        row = db.execute("SELECT path FROM mirror_files WHERE attachment = ? AND deleted_at IS NULL LIMIT 1",
                         [r["ref_id"]]).fetchone()
    elif r["message"] is not None:
        kinds = ("register", "eml") if r["doc_kind"] == "register" else ("eml",)
        row = None
        for k in kinds:
            row = db.execute("SELECT path FROM mirror_files WHERE message = ? AND kind = ? AND deleted_at IS NULL"
                             " LIMIT 1", [r["message"], k]).fetchone()
            if row:
                break
    else:
        row = None
    if not row:
        return None
    return str(Path(root).joinpath(*row[0].split("/"))) if root else row[0]


# ------------------------------------------------------------------ snippets

_FOLD_CACHE: dict[str, str] = {}


def _fold_same_length(text: str) -> str:
    """Lower-case, diacritic-free copy of ``text`` with the same length (so offsets map back)."""
    f = strip_diacritics(text).lower()
    if len(f) == len(text):
        return f
    out = []
    for ch in text:
        c = _FOLD_CACHE.get(ch)
        if c is None:
            c = strip_diacritics(ch).lower()
            if len(c) != 1:
                c = ch.lower() if len(ch.lower()) == 1 else "\x00"
            _FOLD_CACHE[ch] = c
        out.append(c)
    return "".join(out)


def _patterns(terms: list[Term], symbols: list[str]) -> list[re.Pattern[str]]:
    pats = []
    for t in terms:
        body = r"\W+".join(re.escape(w) for w in t.folded)
        pats.append(re.compile(r"(?<!\w)" + body + (r"\w*" if t.prefix else r"(?!\w)")))
    for s in symbols:
        pieces = [re.escape(p) for p in re.split(r"([/\-])", s.lower()) if p]
        pats.append(re.compile(r"\s?".join(pieces).replace(r"\-", r"[\-\u2013]")))
    return pats


def make_snippet(
    text: str, terms: list[Term], symbols: list[str] | None = None, *, width: int = 180,
    mark: tuple[str, str] = ("[", "]"), patterns: list[re.Pattern[str]] | None = None,
) -> str:
    """A window of ``text`` around the densest cluster of matches, matches wrapped in ``mark``.

    Matching is folded (case, diacritics, đ) so an ASCII query highlights
    Vietnamese text; the output is the original text.
    """
    text = (text or "")[:SNIPPET_SCAN_CHARS]
    if not text:
        return ""
    folded = _fold_same_length(text)
    spans: list[tuple[int, int]] = []
    for rx in patterns if patterns is not None else _patterns(terms, symbols or []):
        spans += [m.span() for m in rx.finditer(folded) if m.end() > m.start()]
    spans = _merge(sorted(spans), text)
    if not spans:
        return _squash(text[:width]) + ("…" if len(text) > width else "")
    best, best_n = spans[0][0], 0
    for i, (s, _) in enumerate(spans):
        n = sum(1 for s2, _ in spans[i:] if s2 < s + width)
        if n > best_n:
            best, best_n = s, n
    start = max(0, best - width // 4)
    while start > 0 and text[start - 1].isalnum() and best - start < width // 2:
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and text[end].isalnum() and end - start < width + 30:
        end += 1
    out, pos = [], start
    for s, e in spans:
        if s < pos or s >= end:
            continue
        e = min(e, end)
        out += [text[pos:s], mark[0], text[s:e], mark[1]]
        pos = e
    out.append(text[pos:end])
    return ("…" if start > 0 else "") + _squash("".join(out)) + ("…" if end < len(text) else "")


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join overlapping matches and matches separated only by spaces ("[Quyết định]")."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and (s <= out[-1][1] or not text[out[-1][1]:s].strip()):
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()
