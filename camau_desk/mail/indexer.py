"""Second phase of "raw first, index later": the full MIME parse of stored messages.

Why a separate phase: the stdlib ``email`` feedparser walks every base64 line
of every attachment (~16 MB/s) and made the initial sync parse-bound (0.19x
of mbsync).  The sync now stores the blob and a header-only row
(``messages.parsed = 0``), so the list fills at network speed, and this
module fills body text, attachments, legacy-encoding repair and body marks.

``parse_message`` is pure (bytes -> ParsedMessage), so batches can be parsed
in a process pool while this process does the database writes; each batch is
one transaction, so a killed or cancelled run leaves whole batches and the
rest is found again by ``parsed = 0``.  The pool uses the "spawn" start
method: the app runs Qt threads, and forking a threaded process is unsafe
(Windows only has spawn anyway).

Rows whose header parse succeeded are completed body-only
(``parse_message(raw, subject=...)``): their header columns are already
stored, so the workers do not read them again.  ``BackgroundIndexer`` runs
the same parse while the sync is still fetching (docs/sync-ledger.md).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path

import sqlite_utils

from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.parse import ParsedMessage, parse_message
from camau_desk.store.db import transaction

__all__ = ["BackgroundIndexer", "count_pending", "parse_blob", "parse_many", "parse_pending"]

log = logging.getLogger(__name__)

#: Below this many pending messages ``parse_pending`` parses in this process: a
#: pool's spawn start-up (~0.3 s a worker) costs more than it saves now that a
#: message takes ~1 ms (bench/sync/bench_index.py, 2 cores: 1,000 messages
#: 0.83 s here vs 1.00 s with 2 workers; 4,000: 2.30 s vs 2.22 s).
POOL_THRESHOLD = 5000

#: A sync expecting at least this many new messages starts the pool at once:
#: its start-up hides behind the network and its work runs beside the fetch.
OVERLAP_THRESHOLD = 400

#: (message id, blob sha256, stored subject or None): None asks for a full parse
#: (the header parse of that row failed, so its header columns are rewritten).
Task = tuple[int, str, "str | None"]


def count_pending(db: sqlite_utils.Database) -> int:
    """Messages stored by the sync whose body and attachments are not parsed yet."""
    return int(db.execute("SELECT COUNT(*) FROM messages WHERE parsed = 0").fetchone()[0])


def parse_blob(root: str, sha: str, subject: str | None = None) -> ParsedMessage | None:
    """Full parse of one stored blob, without the bulky parts the database does not keep.

    Runs in a worker process: reads the blob itself (no raw bytes through the
    pipe) and drops attachment payloads and the HTML source before the result
    is pickled back.  ``subject`` given: body-only (see ``parse_message``).
    None if the blob is missing.
    """
    try:
        raw = BlobStore(Path(root)).get(sha)
    except Exception:  # noqa: BLE001 - missing/unreadable: the caller leaves the row pending
        return None
    pm = parse_message(raw, sha256=sha, subject=subject)
    for a in pm.attachments:
        a.payload = b""
    pm.html = None
    pm.text = ""
    return pm


def parse_many(root: str, tasks: Sequence[Task]) -> list[ParsedMessage | None]:
    """``parse_blob`` for a batch: one pickled round trip per batch, not per message."""
    return [parse_blob(root, sha, subject) for _, sha, subject in tasks]


def _noop() -> None:
    """Submitted once per worker so spawn start-up happens while the sync still fetches."""


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _exit_with_parent() -> None:
    """Pool initializer: a worker ends when the process that started it dies.

    Why: a SIGKILLed sync (or app) leaves its spawned workers blocked on the
    task queue forever, because each worker holds that queue's write end too.
    ``parent_process().sentinel`` becomes ready when the parent is gone, on
    POSIX and Windows alike.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _make_pool(workers: int) -> Executor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_exit_with_parent)


_PENDING_SQL = ("SELECT id, sha256, CASE WHEN parse_error IS NULL THEN subject END FROM messages "
                "WHERE parsed = 0 AND id > ? ORDER BY id LIMIT ?")


def _pending_after(db: sqlite_utils.Database, last: int, limit: int) -> list[Task]:
    return [(int(r[0]), str(r[1]), None if r[2] is None else str(r[2]))
            for r in db.execute(_PENDING_SQL, [last, limit]).fetchall()]


def _batches(db: sqlite_utils.Database, batch: int) -> Iterator[list[Task]]:
    last = 0
    while True:
        rows = _pending_after(db, last, batch)
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def apply_results(db: sqlite_utils.Database, tasks: Sequence[Task], results: Sequence[ParsedMessage | None]) -> int:
    """Write one batch of parse results in one transaction; returns how many rows became parsed."""
    from camau_desk.mail.store import apply_parsed

    done = 0
    with transaction(db):
        for (mid, sha, subject), pm in zip(tasks, results, strict=True):
            if pm is None:
                log.warning("index: blob %s of message %d is missing; left pending", sha[:12], mid)
                continue
            apply_parsed(db, mid, pm, headers=subject is None)
            done += 1
    return done


def parse_pending(
    db: sqlite_utils.Database,
    blobs: BlobStore,
    *,
    batch: int = 200,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> int:
    """Fully parse every ``parsed = 0`` message; returns how many were completed.

    ``workers``: None picks a process pool of one worker per core (at most 4)
    when enough messages are pending, 0 or 1 parses in this process.
    ``progress(done, total)`` after each batch; ``cancel()`` is checked
    between batches (a committed batch stays).  Safe to call at any time and
    repeatedly; a message whose blob is missing stays pending.
    """
    total = count_pending(db)
    if total == 0:
        return 0
    batch = max(1, int(batch))
    if workers is None:
        workers = _default_workers() if total >= POOL_THRESHOLD else 1
    pool = _make_pool(workers) if workers > 1 else None
    root = str(blobs.root)
    done = 0
    try:
        for rows in _batches(db, batch):
            if cancel is not None and cancel():
                break
            if pool is not None:
                step = max(1, len(rows) // (workers * 4))
                parts = [rows[i:i + step] for i in range(0, len(rows), step)]
                results = [pm for part in pool.map(parse_many, [root] * len(parts), parts) for pm in part]
            else:
                results = parse_many(root, rows)
            done += apply_results(db, rows, results)
            if progress is not None:
                try:
                    progress(done, total)
                except Exception:  # noqa: BLE001, S110 - a broken progress sink must not stop indexing
                    pass
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return done


class BackgroundIndexer:
    """The index phase overlapped with the fetch: parse chunk k while chunk k+1 is fetched.

    Why: fetch+index one after the other was 0.35x of mbsync; the pool's
    processes can parse what is committed while this process waits on the
    network, TLS and fsync.  The owner (the sync thread, which also owns
    ``db``) calls ``pump()`` after each committed chunk: it submits every
    ``parsed = 0`` row not yet submitted (a cursor on the message id, so rows
    left by an earlier run are picked up too) and applies the batches the
    workers have finished, each batch one transaction.  ``finish()`` drains
    the rest.  Crash safety is unchanged: a row is submitted only after its
    chunk committed, and stays ``parsed = 0`` until its batch commits, so a
    killed run leaves rows that the next ``parse_pending`` completes.
    ``pump`` and ``finish`` never raise: a broken pool is closed and logged,
    and whatever it did not parse stays pending for the caller's fallback.
    """

    def __init__(self, db: sqlite_utils.Database, blobs: BlobStore, *, workers: int | None = None,
                 batch: int = 25) -> None:
        self.db = db
        self.root = str(blobs.root)
        self.workers = max(1, int(workers if workers is not None else _default_workers()))
        self.batch = max(1, int(batch))
        self.applied = 0
        self.broken = False
        self._cursor = 0
        self._inflight: deque[tuple[list[Task], Future]] = deque()
        self._pool: Executor | None = None

    def start(self) -> None:
        """Create the pool and have its workers start now (spawn start-up ~0.3 s each)."""
        if self._pool is None and not self.broken:
            self._pool = _make_pool(self.workers)
            for _ in range(self.workers):
                self._pool.submit(_noop)

    @property
    def outstanding(self) -> int:
        """Messages submitted and not yet applied."""
        return sum(len(tasks) for tasks, _ in self._inflight)

    def _submit_new(self) -> None:
        while True:
            tasks = _pending_after(self.db, self._cursor, self.batch)
            if not tasks:
                return
            self._cursor = tasks[-1][0]
            self._inflight.append((tasks, self._pool.submit(parse_many, self.root, tasks)))  # type: ignore[union-attr]

    def _apply(self, pairs: list[tuple[list[Task], Future]]) -> int:
        tasks = [t for ts, _ in pairs for t in ts]
        results = [pm for _, fut in pairs for pm in fut.result()]
        done = apply_results(self.db, tasks, results)
        self.applied += done
        return done

    def pump(self) -> int:
        """Submit what was committed since the last call, apply what is finished; returns rows applied."""
        if self.broken:
            return 0
        try:
            self.start()
            self._submit_new()
            ready: list[tuple[list[Task], Future]] = []
            while self._inflight and self._inflight[0][1].done():
                ready.append(self._inflight.popleft())
            return self._apply(ready) if ready else 0
        except Exception:  # noqa: BLE001 - the fetch must go on; the rows stay pending
            log.exception("background index failed; the rest is parsed after the fetch")
            self._break()
            return 0

    def finish(self, cancel: Callable[[], bool] | None = None,
               progress: Callable[[int], None] | None = None) -> int:
        """Submit the rest and apply every batch as it completes; returns rows applied by this call.

        ``cancel()`` is checked between batches; ``progress(applied)`` after each.
        """
        if self.broken:
            return 0
        before = self.applied
        try:
            self.start()
            self._submit_new()
            while self._inflight:
                if cancel is not None and cancel():
                    break
                self._apply([self._inflight.popleft()])
                if progress is not None:
                    progress(self.applied)
        except Exception:  # noqa: BLE001 - see pump
            log.exception("background index failed; the rest stays pending")
            self._break()
        return self.applied - before

    def _break(self) -> None:
        self.broken = True
        self.close()

    def close(self) -> None:
        """Stop the pool; batches not applied are dropped (their rows stay ``parsed = 0``)."""
        pool, self._pool = self._pool, None
        self._inflight.clear()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
