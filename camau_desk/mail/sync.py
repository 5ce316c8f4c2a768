"""Mirror an IMAP account into the local store: incremental, resumable, read-only.

Why it is built this way (see docs/sync-ledger.md for the full state machine):

* The ledger is the ``locations`` table itself: a server message is known when a
  row (folder, UIDVALIDITY, UID) exists.  "What is missing" is always the set
  difference server UIDs - local UIDs, so a sync killed at any instant resumes
  by recomputing the difference; there is no separate progress file to get out
  of step (mbsync keeps a state file + journal; paperless-ngx a processed-mail
  table without UIDVALIDITY; we keep the state in the same SQLite transaction
  as the data it describes).
* Every chunk of fetched messages is one ``transaction(db)``: blobs are written
  and fsynced by ``store_message`` before the rows that point at them, so a
  crash leaves whole chunks or nothing (orphan blobs are harmless, content
  addressed and re-used).
* The folder's UIDNEXT/HIGHESTMODSEQ are written only after a complete pass;
  they drive the "nothing changed" shortcut, so a partial pass never hides work.
* The server is never told anything: folders are EXAMINEd (read-only) and
  bodies fetched with ``BODY.PEEK[]``, so \\Seen on the shared agency inbox is
  the clerks' business, not ours (invariant 2).
* A UIDVALIDITY change re-downloads the folder; each message is matched to its
  old location by content hash (same sha256 = same row, UNIQUE(account,
  sha256)) and the old location is re-mapped in place to the new UID; old
  locations that do not re-appear are marked ``removed_on_server`` (R3.3:
  nothing local is ever deleted because the server deleted it).

One IMAPClient per call: imapclient is not thread-safe.  The only other thread
is an optional prefetcher that owns the connection while chunks are fetched,
so network reads overlap parsing/storing (the connection is never used by two
threads at once).
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
import queue
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from camau_desk.accounts import Account, password_for
from camau_desk.errors import CamauError, MailError
from camau_desk.mail.connect import imap_connect, quiet_imaplib
from camau_desk.store.db import transaction
from camau_desk.vn.text import nfc

# Measured against the local Dovecot (bench/sync): chunks of ~250 messages or
# ~4 MB keep a round trip's latency small against the time spent storing,
# while each transaction stays short enough that the UI's readers are not
# starved; see bench/sync/README.md for the figures.
log = logging.getLogger(__name__)

DEFAULT_CHUNK_COUNT = 250
DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024

ROLE_BY_FLAG: dict[bytes, str] = {
    b"\\sent": "sent",
    b"\\junk": "junk",
    b"\\trash": "trash",
    b"\\drafts": "drafts",
    b"\\archive": "archive",
}
# Servers without SPECIAL-USE: recognise the usual names (English and Vietnamese).
ROLE_BY_NAME: dict[str, str] = {
    "inbox": "inbox",
    "sent": "sent", "sent items": "sent", "sent messages": "sent", "thư đã gửi": "sent", "đã gửi": "sent",
    "junk": "junk", "spam": "junk", "junk e-mail": "junk", "bulk mail": "junk", "thư rác": "junk",
    "trash": "trash", "deleted items": "trash", "deleted messages": "trash", "thùng rác": "trash",
    "drafts": "drafts", "thư nháp": "drafts",
    "archive": "archive", "lưu trữ": "archive",
}
ROLE_ORDER = {"inbox": 0, None: 1, "sent": 2, "archive": 3, "drafts": 4, "junk": 5, "trash": 6}
JUNK_FLAGS = frozenset({"\\junk", "$junk", "junk"})


# --------------------------------------------------------------------- results
@dataclass(frozen=True)
class SyncProgress:
    """What the window shows while a sync runs (totals are estimates that only grow)."""

    account: str
    folder: str
    done: int
    total: int
    bytes_done: int
    bytes_total: int
    phase: str = "fetch"  # "list" | "fetch" | "flags" | "index" | "done"


@dataclass
class SyncResult:
    account: str = ""
    new: int = 0  # message rows created (distinct new content)
    changed: int = 0  # locations whose flags changed on the server
    removed: int = 0  # locations newly marked removed_on_server
    spam: int = 0  # new messages that are spam + known ones that became spam by a flag change
    errors: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)  # folders fully synced this run
    remapped: int = 0  # locations re-mapped after a UIDVALIDITY change
    bytes: int = 0
    cancelled: bool = False
    indexed: int = 0  # messages fully parsed (body, attachments) by the index phase

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "account": self.account, "new": self.new, "changed": self.changed, "removed": self.removed,
            "spam": self.spam, "errors": list(self.errors), "folders": list(self.folders),
            "remapped": self.remapped, "bytes": self.bytes, "cancelled": self.cancelled,
            "indexed": self.indexed,
        }


# ---------------------------------------------------------------- pure helpers
def uid_set_string(uids: Iterable[int]) -> str:
    """Compact IMAP sequence set ("1:5,9,12:14"): keeps commands short for 10,000 UIDs.

    Dovecot limits a command line to 64 KB; a comma list of 10,000 UIDs is close.
    """
    ordered = sorted(set(int(u) for u in uids))
    if not ordered:
        return ""
    parts: list[str] = []
    start = prev = ordered[0]
    for u in ordered[1:]:
        if u == prev + 1:
            prev = u
            continue
        parts.append(f"{start}:{prev}" if prev != start else str(start))
        start = prev = u
    parts.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(parts)


@dataclass(frozen=True)
class UidDiff:
    """What to do for one folder, from the server's and the ledger's UID sets."""

    missing: list[int]  # on the server, not yet stored: fetch (newest first)
    gone: list[int]  # stored and not yet marked removed, no longer on the server
    returned: list[int]  # marked removed earlier but present again (a transient miss)


def diff_uids(server: Iterable[int], local_present: Iterable[int], local_removed: Iterable[int] = ()) -> UidDiff:
    s = set(server)
    present = set(local_present)
    removed = set(local_removed)
    missing = sorted(s - present - removed, reverse=True)
    gone = sorted(present - s)
    returned = sorted(removed & s)
    return UidDiff(missing, gone, returned)


def plan_chunks(
    sizes: Sequence[tuple[int, int]], *, max_count: int = DEFAULT_CHUNK_COUNT, max_bytes: int = DEFAULT_CHUNK_BYTES,
) -> list[list[int]]:
    """Split (uid, size) pairs, in the given order, into chunks bounded by count and bytes.

    A message larger than ``max_bytes`` travels alone; no chunk is empty.
    """
    if max_count < 1 or max_bytes < 1:
        raise ValueError("chunk limits must be positive")
    chunks: list[list[int]] = []
    current: list[int] = []
    current_bytes = 0
    for uid, size in sizes:
        size = max(0, int(size or 0))
        if current and (len(current) >= max_count or current_bytes + size > max_bytes):
            chunks.append(current)
            current, current_bytes = [], 0
        current.append(int(uid))
        current_bytes += size
    if current:
        chunks.append(current)
    return chunks


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter for a broken connection (slow/broken links, R2.1)."""

    attempts: int = 5  # tries per folder, the first included
    base: float = 1.0
    factor: float = 2.0
    cap: float = 30.0
    jitter: float = 0.2  # +- fraction

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before try number ``attempt + 1`` (attempt counts from 1)."""
        raw = min(self.cap, self.base * self.factor ** max(0, attempt - 1))
        if self.jitter and rng is not None:
            raw *= 1 + rng.uniform(-self.jitter, self.jitter)
        return max(0.0, raw)

    def delays(self) -> list[float]:
        return [self.delay(i) for i in range(1, self.attempts)]


def is_retryable(exc: BaseException) -> bool:
    """Connection trouble is retried; a server's NO/BAD or a refused login is not."""
    if isinstance(exc, imaplib.IMAP4.abort):
        return True
    if isinstance(exc, MailError):
        detail = exc.detail or ""
        return not detail.startswith(("LoginError", "SSLCertVerificationError"))
    if isinstance(exc, imaplib.IMAP4.error):
        return False
    return isinstance(exc, (OSError, EOFError, socket.timeout, TimeoutError))


def folder_role(name: str, flags: Iterable[bytes | str]) -> str | None:
    if name.upper() == "INBOX":
        return "inbox"
    for f in flags:
        fb = f.encode() if isinstance(f, str) else f
        role = ROLE_BY_FLAG.get(fb.lower())
        if role:
            return role
    leaf = name.replace("\\", "/").split("/")[-1].split(".")[-1].strip().lower()
    return ROLE_BY_NAME.get(leaf)


def normalise_flags(flags: Iterable[bytes | str]) -> str:
    """Space-separated, de-duplicated, sorted: equal sets compare equal as text."""
    out = set()
    for f in flags:
        s = f.decode("utf-8", "replace") if isinstance(f, bytes) else str(f)
        if s and s != "\\Recent":
            out.add(s)
    return " ".join(sorted(out))


def has_junk_flag(flags: str) -> bool:
    return any(f.lower() in JUNK_FLAGS for f in flags.split())


#: Top-level IMAP folder of the app's own data (the register event log lives under it).
APP_FOLDER_ROOT = "CamauDesk"


def is_app_folder(name: str, register_folder: str | None = None, delimiter: str | None = "/") -> bool:
    """True for the register event log folder and anything under "CamauDesk/": not mail.

    Why: the register keeps its log as messages in an IMAP folder (setting
    ``register_folder``); synced as mail they would fill the inbox views, the
    search index and the mirror with JSON events.  Compared with the server's
    hierarchy delimiter turned into "/", case-insensitively for the root.
    """
    norm = nfc(name)
    if delimiter and delimiter != "/":
        norm = norm.replace(delimiter, "/")
    if register_folder and norm.strip("/") == nfc(register_folder).strip("/"):
        return True
    return norm.split("/", 1)[0].casefold() == APP_FOLDER_ROOT.casefold()


def _register_folder(db: sqlite_utils.Database) -> str | None:
    try:
        from camau_desk import settings

        value = settings.get(db, "register_folder")
    except Exception:  # noqa: BLE001 - no settings table yet: the default still applies below
        value = None
    return str(value) if value else None


def _vn_error(exc: BaseException, folder: str | None) -> str:
    where = f" thư mục '{folder}'" if folder else ""
    if isinstance(exc, CamauError):
        return exc.message if not folder else f"Đồng bộ{where} thất bại: {exc.message}"
    if isinstance(exc, (imaplib.IMAP4.abort, OSError, EOFError)):
        return (f"Mất kết nối tới máy chủ thư khi đồng bộ{where}; đã thử lại nhiều lần không được. "
                "Thư đã tải vẫn được giữ; hãy kiểm tra mạng và đồng bộ lại.")
    if isinstance(exc, imaplib.IMAP4.error):
        return f"Máy chủ thư từ chối thao tác khi đồng bộ{where}: {exc}."
    return f"Lỗi khi đồng bộ{where}: {type(exc).__name__}."


# --------------------------------------------------------------------- session
class _Session:
    """One connection at a time, re-opened after a failure."""

    def __init__(self, account: Account, password: str, connect: Callable[..., Any]) -> None:
        self.account = account
        self.password = password
        self._connect = connect
        self.client: Any = None
        self.caps: set[bytes] = set()

    def get(self) -> Any:
        if self.client is None:
            client = self._connect(self.account, self.password)
            client.normalise_times = False  # keep INTERNALDATE's zone (R3.3: time received)
            quiet_imaplib(client)  # an injected connect() may not have done it
            self.caps = {c.upper() for c in client.capabilities()}
            if b"CONDSTORE" in self.caps:
                try:
                    client.enable("CONDSTORE")
                except imaplib.IMAP4.error:
                    self.caps.discard(b"CONDSTORE")
            self.client = client
        return self.client

    @property
    def condstore(self) -> bool:
        return b"CONDSTORE" in self.caps

    def drop(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                client.shutdown()
            except Exception:  # noqa: BLE001, S110 - already broken; closing is best effort
                pass

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                client.logout()
            except Exception:  # noqa: BLE001
                try:
                    client.shutdown()
                except Exception:  # noqa: BLE001, S110
                    pass


class _Cancelled(Exception):
    pass


def _bodies(chunk: list[int], resp: dict) -> dict[int, bytes]:
    """uid -> raw bytes of what a FETCH returned, in chunk order (a UID expunged meanwhile has none)."""
    return {uid: bytes(resp[uid][b"BODY[]"]) for uid in chunk if resp.get(uid) and b"BODY[]" in resp[uid]}


def uid_fetch(client: Any, msgset: str, items: Sequence[str], modifiers: Sequence[str] | None = None) -> dict:
    """``UID FETCH`` of an IMAP sequence set ("1:500,7000:*").

    imapclient 3.x/4.x ``fetch`` drops every response whose UID is not an
    explicitly listed int, so it cannot take ranges; a list of 10,000 ints
    would exceed Dovecot's 64 KB command line.  This is its own code path
    minus that filter (the same private calls it makes).
    """
    from imapclient.imapclient import seq_to_parenstr_upper
    from imapclient.response_parser import parse_fetch_response

    args = ["UID", "FETCH", msgset.encode("ascii"), seq_to_parenstr_upper(list(items)),
            seq_to_parenstr_upper(list(modifiers)) if modifiers else None]
    imap = client._imap
    tag = imap._command(*args)
    typ, data = imap._command_complete("FETCH", tag)
    client._checkok("fetch", typ, data)
    typ, data = imap._untagged_response(typ, data, "FETCH")
    return parse_fetch_response(data, client.normalise_times, True)


# ------------------------------------------------------------------------ sync
def sync_account(
    db: sqlite_utils.Database,
    blobs: Any,
    account: Account,
    *,
    password: str | None = None,
    progress: Callable[[SyncProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    chunk_size: int = DEFAULT_CHUNK_COUNT,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    retry: RetryPolicy | None = None,
    folders: Sequence[str] | None = None,
    prefetch: bool = True,
    connect: Callable[..., Any] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    index: bool = True,
    index_workers: int | None = None,
) -> SyncResult:
    """Bring the local mirror of *account* up to date with its server; never raises for
    server or network trouble (the Vietnamese sentence goes into ``errors``).

    Two phases ("raw first, index later"): "fetch" stores each message's blob
    and a header-only row, then, with ``index=True``, "index" runs
    ``mail.indexer.parse_pending`` so bodies and attachments are in the
    database when this returns (callers that read them right after a sync
    keep working).  For a big job (>= ``indexer.OVERLAP_THRESHOLD`` messages)
    the index overlaps the fetch: each committed chunk goes to a process pool
    (``indexer.BackgroundIndexer``) and what it finished is stored between
    chunks; phase "index" then only drains it.  ``index=False`` leaves all
    of it to a later ``parse_pending``; ``index_workers`` 0/1 parses in this
    process after the fetch.
    The register log folder and everything under "CamauDesk/" are skipped.
    """

    result = SyncResult(account=account.name)
    if account.is_local or not account.imap_host:
        return result
    try:
        pw = password if password is not None else password_for(account)
    except CamauError as err:
        result.errors.append(err.message)
        return result
    retry = retry or RetryPolicy()
    rng = random.Random()
    session = _Session(account, pw, connect or imap_connect)
    run = _Run(db, blobs, account, session, result, progress, cancel, chunk_size, chunk_bytes, prefetch)

    def attempt(what: Callable[[], Any], folder: str | None) -> tuple[bool, Any]:
        """Run *what* with reconnect + backoff; (ok, value). Connection give-up stops the account."""
        for n in range(1, retry.attempts + 1):
            try:
                return True, what()
            except _Cancelled:
                raise
            except Exception as exc:  # noqa: BLE001 - sorted by is_retryable below
                session.drop()
                log.warning("sync %s folder %s attempt %d: %s", account.name, folder, n, type(exc).__name__,
                            exc_info=not is_retryable(exc))
                if is_retryable(exc) and n < retry.attempts:
                    sleep(retry.delay(n, rng))
                    continue
                result.errors.append(_vn_error(exc, folder))
                if is_retryable(exc) or isinstance(exc, MailError):
                    raise _GiveUp from exc
                return False, None
        return False, None  # pragma: no cover

    try:
        listed = _sync_folders(run, attempt, folders, cancel, index, index_workers)
        if listed and index and not result.cancelled:
            run.index(index_workers)
    finally:
        run.close_background()
    run.report(phase="done")
    return result


def _sync_folders(run: _Run, attempt: Callable, folders: Sequence[str] | None, cancel: Callable[[], bool] | None,
                  index: bool, index_workers: int | None) -> bool:
    """The fetch phase over every folder (the index overlaps it when ``index`` and the job is big).

    False if the folders could not even be listed (nothing else was done).
    """
    db, session, result = run.db, run.session, run.result
    try:
        ok, remote = attempt(lambda: _list_folders(session.get()), None)
        if not ok:
            return False
        if folders is not None:
            wanted = set(folders)
            remote = [r for r in remote if r[0] in wanted]
        else:
            run.mark_vanished_folders({name for name, _, _ in remote})
        register_folder = _register_folder(db)
        remote = [(name, role) for name, role, delim in remote if not is_app_folder(name, register_folder, delim)]
        remote.sort(key=lambda r: (ROLE_ORDER.get(r[1], 1), r[0]))
        ok, _ = attempt(lambda: run.estimate(remote), None)
        if index:
            run.start_background_index(index_workers)
        for name, role in remote:
            if cancel is not None and cancel():
                result.cancelled = True
                break
            ok, _ = attempt(lambda name=name, role=role: run.sync_folder(name, role), name)
            if ok:
                result.folders.append(name)
    except _Cancelled:
        result.cancelled = True
    except _GiveUp:
        pass
    finally:
        session.close()
    return True


class _GiveUp(Exception):
    pass


def _list_folders(client: Any) -> list[tuple[str, str | None, str | None]]:
    """(name, role, hierarchy delimiter) of every selectable folder."""
    out: list[tuple[str, str | None, str | None]] = []
    for flags, delim, name in client.list_folders():
        lowered = {f.lower() for f in flags}
        if b"\\noselect" in lowered or b"\\nonexistent" in lowered:
            continue
        name = name if isinstance(name, str) else name.decode("utf-8", "replace")
        if isinstance(delim, bytes):
            delim = delim.decode("ascii", "replace")
        out.append((name, folder_role(name, flags), delim or None))
    return out


class _Run:
    """State of one sync_account call (counters, progress, the DB side of each folder)."""

    def __init__(self, db, blobs, account, session, result, progress, cancel, chunk_size, chunk_bytes, prefetch):
        self.db = db
        self.blobs = blobs
        self.account = account
        self.session = session
        self.result = result
        self.progress = progress
        self.cancel = cancel
        self.chunk_size = max(1, int(chunk_size))
        self.chunk_bytes = max(1, int(chunk_bytes))
        self.prefetch = prefetch
        self.done = 0
        self.total = 0
        self.bytes_done = 0
        self.bytes_total = 0
        self.folder = ""
        self._estimates: dict[str, int] = {}
        self.background: Any = None  # indexer.BackgroundIndexer while the index overlaps the fetch

    # ---------------------------------------------------------------- progress
    def report(self, phase: str = "fetch") -> None:
        if self.progress is None:
            return
        try:
            self.progress(SyncProgress(self.account.name, self.folder, self.done, max(self.total, self.done),
                                       self.bytes_done, max(self.bytes_total, self.bytes_done), phase))
        except Exception:  # noqa: BLE001, S110 - a broken progress sink must not break the sync
            pass

    def cancelled(self) -> bool:
        return bool(self.cancel is not None and self.cancel())

    def start_background_index(self, workers: int | None) -> None:
        """Overlap the index with the fetch when the job is big enough for a process pool.

        Small syncs (the usual IDLE-triggered one) keep the sequential index
        phase: a pool's spawn start-up would cost more than it saves.
        """
        from camau_desk.mail.indexer import OVERLAP_THRESHOLD, BackgroundIndexer, count_pending

        if self.background is not None or (workers is not None and workers <= 1):
            return
        expected = max(0, self.total - self.done) + count_pending(self.db)
        if expected < OVERLAP_THRESHOLD:
            return
        try:
            self.background = BackgroundIndexer(self.db, self.blobs, workers=workers)
            self.background.start()
        except Exception:  # noqa: BLE001 - no pool (resources): the sequential phase does the work
            log.exception("could not start the background index")
            self.close_background()

    def pump_background(self) -> None:
        """Between chunks: hand the committed rows to the pool, store what it has parsed."""
        if self.background is not None:
            self.background.pump()

    def close_background(self) -> None:
        bg, self.background = self.background, None
        if bg is not None:
            self.result.indexed = max(self.result.indexed, bg.applied)
            bg.close()

    def index(self, workers: int | None) -> None:
        """Phase "index": the rest of the full parse (all of it when it did not overlap the fetch)."""
        from camau_desk.mail.indexer import count_pending, parse_pending

        bg = self.background
        early = bg.applied if bg is not None else 0
        total = count_pending(self.db)
        self.result.indexed = early
        if not total:
            return
        self.folder, self.done, self.total, self.bytes_done, self.bytes_total = "", 0, total, 0, 0
        self.report(phase="index")

        def step(done: int, total: int) -> None:
            self.done, self.total = done, total
            self.report(phase="index")

        try:
            if bg is not None and not bg.broken:
                bg.finish(cancel=self.cancel, progress=lambda applied: step(applied - early, total))
                self.result.indexed = bg.applied
            if bg is None or bg.broken:  # sequential, or what a broken pool left
                self.result.indexed += parse_pending(self.db, self.blobs, progress=step, cancel=self.cancel,
                                                     workers=workers)
        except Exception as exc:  # noqa: BLE001 - the mail is stored; the next sync parses it again
            log.exception("index phase of %s failed", self.account.name)
            self.result.errors.append(
                f"Đã tải thư nhưng chưa đọc được nội dung một số thư ({type(exc).__name__}); "
                "lần đồng bộ sau sẽ thử lại.")
        if self.cancelled():
            self.result.cancelled = True

    # ---------------------------------------------------------------- db side
    def _folder_row(self, name: str, role: str | None) -> dict:
        from camau_desk.mail.store import ensure_folder

        with transaction(self.db):
            fid = ensure_folder(self.db, self.account.name, name, role)
            self.db.execute("UPDATE folders SET role = ? WHERE id = ? AND role IS NOT ?", [role, fid, role])
        return dict(next(self.db.query("SELECT * FROM folders WHERE id = ?", [fid])))

    def _local_uids(self, fid: int, uidvalidity: int) -> tuple[dict[int, tuple[int, str]], set[int]]:
        """{uid: (location id, flags)} of present locations, and the set of removed UIDs."""
        present: dict[int, tuple[int, str]] = {}
        removed: set[int] = set()
        for lid, uid, flags, rem in self.db.execute(
            "SELECT id, uid, flags, removed_on_server FROM locations WHERE folder = ? AND uidvalidity = ? "
            "AND uid IS NOT NULL", [fid, uidvalidity],
        ).fetchall():
            if rem:
                removed.add(int(uid))
            else:
                present[int(uid)] = (int(lid), flags or "")
        return present, removed

    def mark_vanished_folders(self, names: set[str]) -> None:
        """A folder deleted on the server: its messages stay, marked removed (R3.3)."""
        names = {nfc(n) for n in names}
        rows = self.db.execute("SELECT id, name FROM folders WHERE account = ?", [self.account.name]).fetchall()
        gone = [fid for fid, name in rows if name not in names]
        if not gone:
            return
        with transaction(self.db):
            for fid in gone:
                cur = self.db.execute(
                    "UPDATE locations SET removed_on_server = 1 WHERE folder = ? AND uid IS NOT NULL "
                    "AND removed_on_server = 0", [fid])
                self.result.removed += cur.rowcount or 0

    def estimate(self, remote: list[tuple[str, str | None]]) -> None:
        """Cheap STATUS per folder: a total for the progress bar before any body moves."""
        client = self.session.get()
        items = ["MESSAGES", "UIDVALIDITY"]
        for name, _role in remote:
            try:
                st = client.folder_status(name, items)
            except imaplib.IMAP4.abort:
                raise
            except imaplib.IMAP4.error:
                continue  # only an estimate; the folder pass reports real trouble
            uv = int(st.get(b"UIDVALIDITY", 0))
            row = self.db.execute(
                "SELECT COUNT(*) FROM locations l JOIN folders f ON f.id = l.folder WHERE f.account = ? "
                "AND f.name = ? AND l.uidvalidity = ?", [self.account.name, nfc(name), uv]).fetchone()
            self._estimates[name] = max(0, int(st.get(b"MESSAGES", 0)) - int(row[0] or 0))
        self.total = self.done + sum(self._estimates.values())
        self.report(phase="list")

    # ---------------------------------------------------------------- a folder
    def sync_folder(self, name: str, role: str | None) -> None:
        """One pass over one folder; safe to repeat after any failure."""
        self.folder = name
        session = self.session
        client = session.get()
        frow = self._folder_row(name, role)
        fid = int(frow["id"])
        status_items = ["MESSAGES", "UIDNEXT", "UIDVALIDITY"] + (["HIGHESTMODSEQ"] if session.condstore else [])
        st = client.folder_status(name, status_items)
        uv = int(st[b"UIDVALIDITY"])
        uidnext = int(st.get(b"UIDNEXT", 0))
        hms = int(st[b"HIGHESTMODSEQ"]) if b"HIGHESTMODSEQ" in st else None
        messages = int(st.get(b"MESSAGES", 0))
        stale = self.db.execute(
            "SELECT COUNT(*) FROM locations WHERE folder = ? AND uid IS NOT NULL AND removed_on_server = 0 "
            "AND uidvalidity IS NOT ?", [fid, uv]).fetchone()[0]
        present_count = self.db.execute(
            "SELECT COUNT(*) FROM locations WHERE folder = ? AND uidvalidity = ? AND removed_on_server = 0",
            [fid, uv]).fetchone()[0]
        # The "nothing changed" shortcut: needs CONDSTORE (flags) and a completed earlier pass.
        if (hms is not None and frow.get("highestmodseq") == hms and frow.get("uidvalidity") == uv
                and frow.get("uidnext") == uidnext and present_count == messages and not stale):
            self._finish(fid, uv, uidnext, hms)
            return

        client.select_folder(name, readonly=True)  # EXAMINE: the server is told nothing
        server_uids = [int(u) for u in client.search(["ALL"])]
        present, removed = self._local_uids(fid, uv)
        d = diff_uids(server_uids, present, removed)
        self._apply_gone_and_returned(fid, uv, present, d)

        # Flags of what we already had (before new fetches, so these rows are the old ones).
        if len(present) > len(d.gone):  # something already known is still there
            self._sync_flags(client, fid, uv, present, frow, hms)

        if d.missing:
            self._fetch_missing(client, fid, uv, d.missing, remap=bool(stale), est=self._estimates.get(name))
        if stale:
            self._retire_stale(fid, uv)
        self._finish(fid, uv, uidnext, hms)

    def _message_of(self, location_id: int) -> int:
        return int(self.db.execute("SELECT message FROM locations WHERE id = ?", [location_id]).fetchone()[0])

    def _apply_gone_and_returned(self, fid: int, uv: int, present: dict, d: UidDiff) -> None:
        if not d.gone and not d.returned:
            return
        from camau_desk.mail.store import refresh_spam

        with transaction(self.db):
            for uid in d.gone:
                self.db.execute("UPDATE locations SET removed_on_server = 1 WHERE id = ?", [present[uid][0]])
                refresh_spam(self.db, self._message_of(present[uid][0]))
            for uid in d.returned:
                self.db.execute("UPDATE locations SET removed_on_server = 0 WHERE folder = ? AND uidvalidity = ? "
                                "AND uid = ?", [fid, uv, uid])
        self.result.removed += len(d.gone)

    def _sync_flags(self, client: Any, fid: int, uv: int, present: dict, frow: dict, hms: int | None) -> None:
        self.report(phase="flags")
        old_hms = frow.get("highestmodseq")
        if self.session.condstore and old_hms and frow.get("uidvalidity") == uv:
            resp = uid_fetch(client, "1:*", ["FLAGS"], [f"CHANGEDSINCE {int(old_hms)}"])
        else:
            resp = uid_fetch(client, "1:*", ["FLAGS"])
        updates: list[tuple[str, int | None, int]] = []
        for uid, data in resp.items():
            loc = present.get(int(uid))
            if loc is None or b"FLAGS" not in data:
                continue
            flags = normalise_flags(data[b"FLAGS"])
            if flags != normalise_flags(loc[1].split()):
                modseq = data.get(b"MODSEQ")
                modseq = int(modseq[0]) if isinstance(modseq, (tuple, list)) and modseq else None
                updates.append((flags, modseq, loc[0]))
        if not updates:
            return
        from camau_desk.mail.store import refresh_spam

        became_spam: set[int] = set()
        with transaction(self.db):
            for flags, modseq, lid in updates:
                mid = self._message_of(lid)
                before = self._effective_spam(mid)
                self.db.execute("UPDATE locations SET flags = ?, modseq = COALESCE(?, modseq) WHERE id = ?",
                                [flags, modseq, lid])
                refresh_spam(self.db, mid)  # \Junk set or cleared by another client
                if not before and self._effective_spam(mid):
                    became_spam.add(mid)
        self.result.changed += len(updates)
        self.result.spam += len(became_spam)

    def _effective_spam(self, message_id: int) -> bool:
        row = self.db.execute("SELECT COALESCE(spam_override, is_spam) FROM messages WHERE id = ?",
                              [message_id]).fetchone()
        return bool(row and row[0])

    # ------------------------------------------------------------- new mail
    def _fetch_missing(self, client: Any, fid: int, uv: int, missing: list[int], *, remap: bool,
                       est: int | None) -> None:
        sizes_resp = uid_fetch(client, uid_set_string(missing), ["RFC822.SIZE"])
        order = {u: i for i, u in enumerate(missing)}  # newest first
        sizes = sorted(((int(u), int(v.get(b"RFC822.SIZE", 0))) for u, v in sizes_resp.items()
                        if int(u) in order), key=lambda p: order[p[0]])
        if est is not None:
            self.total += max(0, len(sizes) - est)
        self.bytes_total += sum(s for _, s in sizes)
        chunks = plan_chunks(sizes, max_count=self.chunk_size, max_bytes=self.chunk_bytes)
        self.report()
        items = ["BODY.PEEK[]", "INTERNALDATE", "FLAGS", "RFC822.SIZE"] + (["MODSEQ"] if self.session.condstore else [])
        gen = self._chunks(client, chunks, items)
        try:
            for chunk, resp, raws, shas in gen:
                self._store_chunk(fid, uv, chunk, resp, raws, shas.result(), remap=remap)
                self.pump_background()
                self.report()
        finally:
            gen.close()  # stops the prefetcher now, not when the traceback is freed

    def _write_blobs(self, raws: dict[int, bytes]) -> dict[int, str]:
        """uid -> sha256 of blobs made durable (fsyncs overlap in ``BlobStore.put_many``); {} lets
        ``store_message`` write them itself (a blob store without ``put_many``)."""
        put_many = getattr(self.blobs, "put_many", None)
        return dict(zip(raws, put_many(list(raws.values())), strict=True)) if put_many and raws else {}

    def _chunks(self, client: Any, chunks: list[list[int]], items: list[str],
                ) -> Iterator[tuple[list[int], dict, dict[int, bytes], Future]]:
        """Yield (chunk, FETCH response, uid -> raw, future uid -> blob sha256).

        With prefetch, a thread fetches chunk k+1 and a writer thread makes its
        blobs durable while chunk k is stored: the rows wait only for their
        own blobs (``Future.result``), never for the network.
        """
        if not self.prefetch or len(chunks) < 2:
            for chunk in chunks:
                if self.cancelled():
                    raise _Cancelled
                resp = uid_fetch(client, uid_set_string(chunk), items)
                raws = _bodies(chunk, resp)
                done: Future = Future()
                done.set_result(self._write_blobs(raws))
                yield chunk, resp, raws, done
            return
        q: queue.Queue = queue.Queue(maxsize=2)
        stop = threading.Event()
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="blob-writer")

        def put(item: tuple) -> bool:
            while not stop.is_set():
                try:
                    q.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        def producer() -> None:
            try:
                for chunk in chunks:
                    if stop.is_set():
                        return
                    resp = uid_fetch(client, uid_set_string(chunk), items)
                    raws = _bodies(chunk, resp)
                    if not put((chunk, resp, raws, writer.submit(self._write_blobs, raws), None)):
                        return
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer
                put((None, None, None, None, exc))
                return
            put((None, None, None, None, None))

        t = threading.Thread(target=producer, name="imap-prefetch", daemon=True)
        t.start()
        try:
            while True:
                if self.cancelled():
                    raise _Cancelled
                chunk, resp, raws, shas, exc = q.get()
                if exc is not None:
                    raise exc
                if chunk is None:
                    return
                yield chunk, resp, raws, shas
        finally:
            stop.set()
            t.join(timeout=0.5)
            if t.is_alive():
                # Stopped early (cancel, error) while a FETCH is still streaming: the
                # connection is mid-response and unusable, so cut it to free the thread.
                self.session.drop()
                t.join(timeout=10)
            writer.shutdown(wait=True, cancel_futures=True)  # blobs without rows are harmless: content-addressed

    def _store_chunk(self, fid: int, uv: int, chunk: list[int], resp: dict, raws: dict[int, bytes],
                     shas: dict[int, str], *, remap: bool) -> None:
        """One transaction for the rows of ``chunk``; ``shas``: its blobs, already durable."""
        from camau_desk.mail.store import store_message

        new_ids: list[int] = []
        nbytes = 0
        with transaction(self.db):
            for uid in raws:
                data = resp[uid]
                raw = raws[uid]
                flags = normalise_flags(data.get(b"FLAGS", ()))
                idate = data.get(b"INTERNALDATE")
                if isinstance(idate, datetime) and idate.tzinfo is None:
                    idate = idate.replace(tzinfo=UTC)
                modseq = data.get(b"MODSEQ")
                modseq = int(modseq[0]) if isinstance(modseq, (tuple, list)) and modseq else None
                nbytes += len(raw)
                if remap and self._remap(fid, uv, uid, raw, flags, modseq):
                    continue
                mid, created = store_message(self.db, self.blobs, self.account.name, fid, raw, uidvalidity=uv,
                                             uid=uid, flags=flags.split(), internaldate=idate, modseq=modseq,
                                             parse="headers", sha256=shas.get(uid))
                if created:
                    new_ids.append(mid)
        self.done += len(chunk)
        self.bytes_done += nbytes
        self.result.bytes += nbytes
        self.result.new += len(new_ids)
        if new_ids:
            marks = ",".join("?" * len(new_ids))
            row = self.db.execute(
                f"SELECT COUNT(*) FROM messages WHERE id IN ({marks}) AND COALESCE(spam_override, is_spam) = 1",  # noqa: S608
                new_ids).fetchone()
            self.result.spam += int(row[0] or 0)

    def _remap(self, fid: int, uv: int, uid: int, raw: bytes, flags: str, modseq: int | None) -> bool:
        """After a UIDVALIDITY change: the same content in this folder keeps its old row."""
        sha = hashlib.sha256(raw).hexdigest()
        row = self.db.execute(
            "SELECT l.id FROM locations l JOIN messages m ON m.id = l.message WHERE l.folder = ? "
            "AND m.account = ? AND m.sha256 = ? AND l.uid IS NOT NULL AND l.uidvalidity IS NOT ? "
            "AND l.removed_on_server = 0 ORDER BY l.id LIMIT 1", [fid, self.account.name, sha, uv]).fetchone()
        if row is None:
            return False
        if not self.blobs.has(sha):  # belt and braces: the old blob should be there
            self.blobs.put(raw)
        from camau_desk.mail.store import refresh_spam

        self.db.execute("UPDATE locations SET uidvalidity = ?, uid = ?, flags = ?, modseq = ? WHERE id = ?",
                        [uv, uid, flags, modseq, row[0]])
        refresh_spam(self.db, self._message_of(row[0]))
        self.result.remapped += 1
        return True

    def _retire_stale(self, fid: int, uv: int) -> None:
        """Old-UIDVALIDITY locations that did not re-appear: gone from the server, kept here."""
        with transaction(self.db):
            cur = self.db.execute(
                "UPDATE locations SET removed_on_server = 1 WHERE folder = ? AND uid IS NOT NULL "
                "AND removed_on_server = 0 AND uidvalidity IS NOT ?", [fid, uv])
        self.result.removed += cur.rowcount or 0

    def _finish(self, fid: int, uv: int, uidnext: int, hms: int | None) -> None:
        from camau_desk.audit import now_iso

        with transaction(self.db):
            self.db.execute("UPDATE folders SET uidvalidity = ?, uidnext = ?, highestmodseq = ?, last_sync = ? "
                            "WHERE id = ?", [uv, uidnext, hms, now_iso(), fid])
