"""The browsable offline mirror of all mail (R6.2, R3.2, R3.3, invariant 5).

Layout (documented in docs/search.md): the ``mirror_template`` setting names a
*folder per message* under the mirror root, by default
``{year}/{month:02}/{kind}/{day:02} {huong} - {nguoi_gui} - {trich_yeu}``.
Inside it are the original message as ``Thư gốc.eml`` and every non-inline
attachment under its safe name.  A folder per message keeps a mail and its
files together when a clerk copies them, and two mails with the same
attachment name never collide.  Two messages that render the same folder get
"(2)", "(3)" ...

The database is the truth: ``mirror_files`` records every file with its
SHA-256, so ``verify`` proves nothing is missing or altered, the watcher can
follow files a person moves in Explorer (identity = hash), and ``rebuild``
re-renders the tree after a template change without losing anything.
Secret-marked mail (Mật, Tối mật, Tuyệt mật) is never written here (R3.2), and
neither is spam (it is not a document; it comes back if the clerk unmarks it).
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk import audit, settings
from camau_desk.archive.naming import (
    MirrorPathError,
    TemplateError,
    mirror_path,
    render_template,
    unique_path,
)
from camau_desk.errors import NotFound, StorageError
from camau_desk.fsutil import atomic_write_bytes, sha256_file
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.parse import parse_message
from camau_desk.store.db import transaction
from camau_desk.vn.clock import VN_TZ, to_vn
from camau_desk.vn.text import nfc

__all__ = [
    "DEFAULT_MIRROR_TEMPLATE",
    "EML_NAME",
    "OUTBOX_DIR",
    "MirrorResult",
    "RebuildReport",
    "Report",
    "is_ignored_name",
    "is_own_write",
    "message_fields",
    "mirror_all",
    "mirror_message",
    "mirror_root",
    "own_writes",
    "pending_messages",
    "rebuild",
    "record_file",
    "rel_path",
    "storage_error",
    "verify",
]

DEFAULT_MIRROR_TEMPLATE = "{year}/{month:02}/{kind}/{day:02} {huong} - {nguoi_gui} - {trich_yeu}"
EML_NAME = "Thư gốc.eml"
#: Files a clerk drops here are offered for sending (watcher); never "unknown".
OUTBOX_DIR = "Hộp gửi đi"
_IGNORED = {"desktop.ini", "thumbs.db", ".ds_store", "~$"}


# ------------------------------------------------------------------ own writes


class _OwnWrites:
    """Paths this process is writing; the watcher ignores their events for a short while.

    Why a grace period: inotify/ReadDirectoryChangesW events arrive after the
    write returned, so removing the path at once would let the echo through.
    """

    def __init__(self, grace: float = 3.0) -> None:
        self.grace = grace
        self._lock = threading.Lock()
        self._paths: dict[str, float] = {}

    def add(self, paths: Iterable[Path | str]) -> None:
        with self._lock:
            for p in paths:
                self._paths[_key(p)] = float("inf")

    def release(self, paths: Iterable[Path | str]) -> None:
        until = time.monotonic() + self.grace
        with self._lock:
            for p in paths:
                self._paths[_key(p)] = until

    def contains(self, path: Path | str) -> bool:
        now = time.monotonic()
        with self._lock:
            for k in [k for k, t in self._paths.items() if t < now]:
                del self._paths[k]
            return _key(path) in self._paths


def _key(p: Path | str) -> str:
    return nfc(os.path.abspath(os.fspath(p)))


_OWN = _OwnWrites()


@contextmanager
def own_writes(*paths: Path | str) -> Iterator[None]:
    """``with own_writes(a, b):`` mark paths the app is about to write or move."""
    _OWN.add(paths)
    try:
        yield
    finally:
        _OWN.release(paths)


def is_own_write(path: Path | str) -> bool:
    return _OWN.contains(path)


# ------------------------------------------------------------------ helpers


def storage_error(exc: OSError, path: Path | str) -> StorageError:
    """A Vietnamese sentence for a failed disk operation (full disk first: it is the common one)."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        msg = f"Ổ đĩa đã đầy, không ghi được {path}. Hãy giải phóng dung lượng rồi thử lại."
    elif isinstance(exc, PermissionError):
        msg = f"Không có quyền ghi {path}. Kiểm tra quyền của thư mục lưu trữ hoặc đóng tệp đang mở."
    else:
        msg = f"Không ghi được {path}: {exc.strerror or exc}. Kiểm tra ổ đĩa và quyền ghi."
    return StorageError(msg, detail=repr(exc))


def _write(path: Path, data: bytes) -> str:
    try:
        with own_writes(path):
            return atomic_write_bytes(path, data)
    except OSError as exc:
        raise storage_error(exc, path) from exc


def rel_path(root: Path, path: Path | str) -> str:
    """The index key of a file: relative to the root, '/' separated, NFC."""
    rel = os.path.relpath(os.path.abspath(os.fspath(path)), os.path.abspath(os.fspath(root)))
    return nfc(rel.replace(os.sep, "/"))


def _abs(root: Path, rel: str) -> Path:
    return Path(root).joinpath(*rel.split("/"))


def is_ignored_name(name: str) -> bool:
    """Our temporary files and the shell's own litter are never part of the archive."""
    low = name.lower()
    return (low.startswith(".camau-") and low.endswith(".tmp")) or low in _IGNORED or low.startswith("~$")


def mirror_root(db: sqlite_utils.Database, default: Path) -> Path:
    """The configured mirror root (setting ``mirror_root``), else ``default`` (the profile's)."""
    value = settings.get(db, "mirror_root")
    return Path(value) if value else Path(default)


def _now() -> str:
    return audit.now_iso()


def _parse_date(value: str | None) -> datetime:
    """The message's date in Việt Nam time: its year/month/day name the folders."""
    if value:
        try:
            return to_vn(datetime.fromisoformat(value))
        except ValueError:
            pass
    return datetime.now(VN_TZ)


def _is_secret(secrecy: str | None) -> bool:
    """Any secrecy mark (Mật, Tối mật, Tuyệt mật) keeps the mail out of the mirror (R3.2)."""
    return bool(secrecy and secrecy.strip())


# ------------------------------------------------------------------ fields


def message_fields(db: sqlite_utils.Database, m: dict[str, Any], attachment_names: list[str]) -> dict[str, Any]:
    """Template fields of one message (see naming.FIELD_HELP).

    Kind and số ký hiệu come from the register if the message was registered,
    else from register.extract's proposal, else "Thư đến"/"Thư đi".
    """
    from camau_desk.register.extract import clean_subject, propose_fields, trich_yeu_from_subject

    when = _parse_date(m.get("date") or m.get("received_at"))
    outgoing = m.get("direction") == "out"
    subject = m.get("subject") or ""
    sender = m.get("from_name") or m.get("from_addr") or ""
    try:
        p = propose_fields(subject, (m.get("body_text") or "")[:5000], attachment_names, [], sender)
    except Exception:  # noqa: BLE001 - a proposal must never stop the mirror
        p = None
    reg = _register_for_message(db, int(m["id"]))
    kind = (reg or {}).get("kind") or (p.kind if p else None) or ("Thư đi" if outgoing else "Thư đến")
    trich_yeu = (reg or {}).get("trich_yeu") or trich_yeu_from_subject(subject) or clean_subject(subject)
    return {
        "year": when.year,
        "month": when.month,
        "day": when.day,
        "kind": kind,
        "huong": "Đi" if outgoing else "Đến",
        "so_den": (reg or {}).get("so_den"),
        "so_di": (reg or {}).get("so_di"),
        "so_ky_hieu": (reg or {}).get("so_ky_hieu") or (p.so_ky_hieu if p else None),
        "trich_yeu": trich_yeu or "(Không có tiêu đề)",
        "co_quan": (reg or {}).get("tac_gia") or (p.issuer if p else None),
        "nguoi_gui": sender,
        "ten_tep": "",
        "ext": "eml",
    }


def _register_for_message(db: sqlite_utils.Database, message_id: int) -> dict[str, Any] | None:
    from camau_desk.archive.search import register_rows  # search builds on the mirror: imported when needed

    rows = register_rows(db, message=message_id)
    return rows[0] if rows else None


# ------------------------------------------------------------------ mirroring


@dataclass
class MirrorResult:
    message: int
    status: str  # 'ok' | 'secret' | 'spam' | 'error'
    dir: str | None = None
    files: list[str] = field(default_factory=list)
    error: str | None = None


def _template(db: sqlite_utils.Database, template: str | None) -> str:
    return template or settings.get(db, "mirror_template") or DEFAULT_MIRROR_TEMPLATE


def _message_row(db: sqlite_utils.Database, message_id: int) -> dict[str, Any]:
    rows = list(db.query(
        "SELECT id, sha256, subject, from_name, from_addr, date, received_at, direction, body_text, secrecy,"
        " COALESCE(spam_override, is_spam) AS spam FROM messages WHERE id = ?",
        [message_id],
    ))
    if not rows:
        raise NotFound(f"Không có thư số {message_id}.")
    return dict(rows[0])


def _attachment_rows(db: sqlite_utils.Database, message_id: int) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query(
        "SELECT id, idx, safe_name, sha256 FROM attachments WHERE message = ? AND is_inline = 0 ORDER BY idx",
        [message_id],
    )]


def _dir_taken(db: sqlite_utils.Database, root: Path, message_id: int, expected: set[str]) -> Callable[[Path], bool]:
    """A folder is taken if another message's files are recorded in it, or foreign files lie in it."""

    def taken(p: Path) -> bool:
        rel = rel_path(root, p)
        other = db.execute(
            "SELECT 1 FROM mirror_files WHERE substr(path, 1, ?) = ? AND COALESCE(message, -1) != ?"
            " AND deleted_at IS NULL LIMIT 1",
            [len(rel) + 1, rel + "/", message_id],
        ).fetchone()
        if other:
            return True
        if p.is_file():
            return True
        if p.is_dir():
            for entry in os.scandir(p):
                if is_ignored_name(entry.name):
                    continue
                if not entry.is_file() or sha256_file(Path(entry.path)) not in expected:
                    return True
        return False

    return taken


def _payloads(raw: bytes, atts: list[dict[str, Any]]) -> dict[int, bytes]:
    wanted = {a["idx"] for a in atts}
    return {a.idx: a.payload for a in parse_message(raw).attachments if a.idx in wanted}


def _upsert_file(
    db: sqlite_utils.Database, rel: str, sha: str, kind: str, size: int, mtime: float,
    message: int | None, attachment: int | None,
) -> None:
    now = _now()
    db.execute(
        "INSERT INTO mirror_files (path, sha256, message, attachment, kind, size, mtime, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256,"
        " message = excluded.message, attachment = excluded.attachment, kind = excluded.kind,"
        " size = excluded.size, mtime = excluded.mtime, deleted_at = NULL, updated_at = excluded.updated_at",
        [rel, sha, message, attachment, kind, size, mtime, now, now],
    )


def record_file(
    db: sqlite_utils.Database, root: Path, path: Path, kind: str = "register", *,
    message: int | None = None, attachment: int | None = None,
) -> str:
    """Index a file another area wrote under the mirror root (the register's numbered files).

    Returns its relative path.  Without this the file shows up as "unknown" in
    ``verify``.  Call after the file is written; not inside a transaction rule.
    """
    st = os.stat(path)
    rel = rel_path(root, path)
    _upsert_file(db, rel, sha256_file(path), kind, st.st_size, st.st_mtime, message, attachment)
    return rel


def mirror_message(
    db: sqlite_utils.Database, blobs: BlobStore, root: Path, message_id: int, *, template: str | None = None,
) -> MirrorResult:
    """Write one message (.eml + attachments) into the mirror and index the files.

    Files first (atomic each), then one transaction for the rows: a crash in
    between leaves files that the next run adopts by hash.  Runs its own
    transaction, so do not call it inside one.
    """
    root = Path(root)
    m = _message_row(db, message_id)
    if _is_secret(m["secrecy"]) or m["spam"]:
        status = "secret" if _is_secret(m["secrecy"]) else "spam"
        with transaction(db):
            _set_state(db, message_id, None, status, None)
        return MirrorResult(message_id, status)
    existing = _current_dir(db, message_id)
    if existing is not None:
        return MirrorResult(message_id, "ok", existing)
    atts = _attachment_rows(db, message_id)
    fields = message_fields(db, m, [a["safe_name"] for a in atts])
    raw = blobs.get(m["sha256"])
    try:
        comps = render_template(_template(db, template), fields)
        eml_path = mirror_path(root, comps + [EML_NAME])
        expected = {m["sha256"]} | {a["sha256"] for a in atts if a["sha256"]}
        msg_dir = unique_path(eml_path.parent, _dir_taken(db, root, message_id, expected), taken=[])
    except (TemplateError, MirrorPathError) as exc:
        with transaction(db):
            _set_state(db, message_id, None, "error", exc.message)
        raise
    rel_dir = rel_path(root, msg_dir)
    written = _write_message_files(root, rel_dir, raw, m["sha256"], atts)
    with transaction(db):
        for rel, sha, kind, att_id in written:
            st = os.stat(_abs(root, rel))
            _upsert_file(db, rel, sha, kind, st.st_size, st.st_mtime, message_id, att_id)
        _set_state(db, message_id, rel_dir, "ok", None)
    return MirrorResult(message_id, "ok", rel_dir, [w[0] for w in written])


def _write_message_files(
    root: Path, rel_dir: str, raw: bytes, raw_sha: str, atts: list[dict[str, Any]],
) -> list[tuple[str, str, str, int | None]]:
    """Write the eml and attachments into ``rel_dir``; returns (rel, sha, kind, attachment id)."""
    dir_parts = rel_dir.split("/")
    payloads = _payloads(raw, atts) if atts else {}
    names: set[str] = set()
    out: list[tuple[str, str, str, int | None]] = []
    items: list[tuple[str, bytes, str, int | None]] = [(EML_NAME, raw, "eml", None)]
    items += [(a["safe_name"], payloads.get(a["idx"], b""), "attachment", a["id"]) for a in atts]
    for name, data, kind, att_id in items:
        path = mirror_path(root, dir_parts + [name])
        path = unique_path(path, lambda p: False, taken=names)
        names.add(nfc(path.name).casefold())
        if not (path.is_file() and path.stat().st_size == len(data) and sha256_file(path) == _sha(data)):
            _write(path, data)
        out.append((rel_path(root, path), _sha(data), kind, att_id))
    return out


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _set_state(db: sqlite_utils.Database, message_id: int, rel_dir: str | None, status: str, error: str | None) -> None:
    db.execute(
        "INSERT INTO mirror_messages (message, dir, status, error, at) VALUES (?,?,?,?,?)"
        " ON CONFLICT(message) DO UPDATE SET dir = excluded.dir, status = excluded.status,"
        " error = excluded.error, at = excluded.at",
        [message_id, rel_dir, status, error, _now()],
    )


def _current_dir(db: sqlite_utils.Database, message_id: int) -> str | None:
    row = db.execute("SELECT dir FROM mirror_messages WHERE message = ? AND status = 'ok'", [message_id]).fetchone()
    return row[0] if row else None


def pending_messages(db: sqlite_utils.Database) -> list[int]:
    """Messages never mirrored, failed before, or spam the clerk has since unmarked."""
    return [int(r[0]) for r in db.execute(
        "SELECT m.id FROM messages m LEFT JOIN mirror_messages mm ON mm.message = m.id"
        " WHERE mm.message IS NULL OR mm.status = 'error'"
        " OR (mm.status = 'spam' AND COALESCE(m.spam_override, m.is_spam) = 0)"
        " ORDER BY m.id"
    ).fetchall()]


def mirror_all(
    db: sqlite_utils.Database, blobs: BlobStore, root: Path,
    progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
    *, template: str | None = None,
) -> dict[str, int]:
    """Mirror every pending message; returns counts per status.  ``cancel()`` stops between messages."""
    ids = pending_messages(db)
    counts: dict[str, int] = {}
    for i, mid in enumerate(ids, 1):
        if cancel and cancel():
            break
        try:
            status = mirror_message(db, blobs, root, mid, template=template).status
        except (MirrorPathError, TemplateError, NotFound) as exc:
            status = "error"
            with transaction(db):
                _set_state(db, mid, None, "error", getattr(exc, "message", str(exc)))
        counts[status] = counts.get(status, 0) + 1
        if progress:
            progress(i, len(ids))
    return counts


# ------------------------------------------------------------------ verify


@dataclass
class Report:
    """Result of ``verify``: relative paths; ``ok`` is False when anything is missing or changed."""

    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # removed by a person, as recorded by watcher/rescan
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.missing and not self.changed

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "missing": self.missing, "changed": self.changed,
                "unknown": self.unknown, "deleted": self.deleted}


def walk_files(root: Path) -> Iterator[Path]:
    """Every archive file under ``root``: not the outbox, not temp files or Explorer litter."""
    root = Path(root)
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root:
            dirnames[:] = [d for d in dirnames if nfc(d) != OUTBOX_DIR]
        for name in filenames:
            if not is_ignored_name(name):
                yield Path(dirpath) / name


def verify(db: sqlite_utils.Database, root: Path) -> Report:
    """Check every indexed file against its recorded hash and list files nobody indexed."""
    root = Path(root)
    report = Report()
    known: set[str] = set()
    for path_, sha, size, deleted in db.execute(
        "SELECT path, sha256, size, deleted_at FROM mirror_files ORDER BY path"
    ).fetchall():
        known.add(path_)
        if deleted:
            report.deleted.append(path_)
            continue
        report.checked += 1
        p = _abs(root, path_)
        try:
            st = p.stat()
        except FileNotFoundError:
            report.missing.append(path_)
            continue
        if (size is not None and st.st_size != size) or sha256_file(p) != sha:
            report.changed.append(path_)
    for p in walk_files(root):
        rel = rel_path(root, p)
        if rel not in known:
            report.unknown.append(rel)
    report.unknown.sort()
    return report


# ------------------------------------------------------------------ rebuild


@dataclass
class RebuildReport:
    moved: int = 0
    recreated: int = 0
    unchanged: int = 0
    kept_changed: list[str] = field(default_factory=list)  # edited copies left where they were


def _blob_for(db: sqlite_utils.Database, blobs: BlobStore, row: dict[str, Any]) -> bytes:
    m = _message_row(db, row["message"])
    raw = blobs.get(m["sha256"])
    if row["kind"] == "eml":
        return raw
    idx = db.execute("SELECT idx FROM attachments WHERE id = ?", [row["attachment"]]).fetchone()
    if idx is None:
        raise NotFound("Không tìm thấy tệp đính kèm gốc để tạo lại.")
    for a in parse_message(raw).attachments:
        if a.idx == idx[0]:
            return a.payload
    raise NotFound("Không tìm thấy tệp đính kèm gốc để tạo lại.")


def _move(src: Path, dst: Path) -> None:
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        with own_writes(src, dst):
            os.replace(src, dst)
    except OSError as exc:
        raise storage_error(exc, dst) from exc


def _prune_empty_dirs(root: Path, dirs: Iterable[Path]) -> None:
    root = Path(root).resolve()
    for d in sorted({Path(x) for x in dirs}, key=lambda p: len(p.parts), reverse=True):
        cur = d
        while cur.resolve() != root and cur.resolve().is_relative_to(root):
            try:
                cur.rmdir()  # only succeeds when empty
            except OSError:
                break
            cur = cur.parent


def rebuild(db: sqlite_utils.Database, blobs: BlobStore, root: Path, new_template: str | None = None) -> RebuildReport:
    """Re-render the mirror with ``new_template`` (saved in settings) without losing a file.

    Intact files are moved; missing ones are written again from the blob
    store; a file someone edited stays where it is (indexed as 'unknown') and a
    fresh copy goes to the new place; files nobody indexed are left alone.
    """
    root = Path(root)
    template = _template(db, new_template)
    render_template(template, {"year": 2000, "month": 1, "day": 1, "kind": "x"})  # validate early
    report = RebuildReport()
    old_dirs: list[Path] = []
    for (mid,) in db.execute("SELECT message FROM mirror_messages WHERE status = 'ok' ORDER BY message").fetchall():
        m = _message_row(db, mid)
        atts = _attachment_rows(db, mid)
        fields = message_fields(db, m, [a["safe_name"] for a in atts])
        rows = [dict(r) for r in db.query(
            "SELECT * FROM mirror_files WHERE message = ? AND kind IN ('eml','attachment') AND deleted_at IS NULL",
            [mid],
        )]
        expected = {r["sha256"] for r in rows}
        comps = render_template(template, fields)
        target = mirror_path(root, comps + [EML_NAME]).parent
        old_dir = _current_dir(db, mid)
        if old_dir is not None and _abs(root, old_dir) == target:
            new_dir = target
        else:
            new_dir = unique_path(target, _dir_taken(db, root, mid, expected), taken=[])
        rel_dir = rel_path(root, new_dir)
        updates: list[tuple[dict[str, Any], str, str, str]] = []  # row, new rel, new sha, action
        for r in rows:
            src = _abs(root, r["path"])
            dst = mirror_path(root, rel_dir.split("/") + [src.name])
            state = "missing"
            if src.is_file():
                state = "ok" if sha256_file(src) == r["sha256"] else "changed"
            if state == "ok" and src == dst:
                report.unchanged += 1
                continue
            if state == "ok":
                _move(src, dst)
                old_dirs.append(src.parent)
                report.moved += 1
            else:
                data = _blob_for(db, blobs, r)
                _write(dst, data)
                report.recreated += 1
                if state == "changed":
                    report.kept_changed.append(r["path"])
            updates.append((r, rel_path(root, dst), r["sha256"], state))
        with transaction(db):
            for r, new_rel, sha, state in updates:
                st = os.stat(_abs(root, new_rel))
                if state == "changed":  # the edited copy stays, as a file of the person's own
                    kept = _abs(root, r["path"])
                    kst = kept.stat()
                    db.execute("UPDATE mirror_files SET kind = 'unknown', message = NULL, attachment = NULL,"
                               " sha256 = ?, size = ?, mtime = ?, updated_at = ? WHERE id = ?",
                               [sha256_file(kept), kst.st_size, kst.st_mtime, _now(), r["id"]])
                    _upsert_file(db, new_rel, sha, r["kind"], st.st_size, st.st_mtime, mid, r["attachment"])
                else:
                    db.execute("DELETE FROM mirror_files WHERE path = ? AND id != ?", [new_rel, r["id"]])
                    db.execute("UPDATE mirror_files SET path = ?, size = ?, mtime = ?, updated_at = ? WHERE id = ?",
                               [new_rel, st.st_size, st.st_mtime, _now(), r["id"]])
            _set_state(db, mid, rel_dir, "ok", None)
    _prune_empty_dirs(root, old_dirs)
    if new_template and new_template != settings.get(db, "mirror_template"):
        with transaction(db):
            settings.set(db, "mirror_template", new_template)
    return report
