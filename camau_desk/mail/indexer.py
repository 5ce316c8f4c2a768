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
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

import sqlite_utils

from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.parse import ParsedMessage, parse_message
from camau_desk.store.db import transaction

__all__ = ["count_pending", "parse_blob", "parse_pending"]

log = logging.getLogger(__name__)

#: Below this many pending messages a pool's start-up (~0.3 s per spawned
#: worker) costs more than it saves; measured in bench/sync/README.md.
POOL_THRESHOLD = 400


def count_pending(db: sqlite_utils.Database) -> int:
    """Messages stored by the sync whose body and attachments are not parsed yet."""
    return int(db.execute("SELECT COUNT(*) FROM messages WHERE parsed = 0").fetchone()[0])


def parse_blob(root: str, sha: str) -> ParsedMessage | None:
    """Full parse of one stored blob, without the bulky parts the database does not keep.

    Runs in a worker process: reads the blob itself (no raw bytes through the
    pipe) and drops attachment payloads and the HTML source before the result
    is pickled back.  None if the blob is missing.
    """
    try:
        raw = BlobStore(Path(root)).get(sha)
    except Exception:  # noqa: BLE001 - missing/unreadable: the caller leaves the row pending
        return None
    pm = parse_message(raw)
    for a in pm.attachments:
        a.payload = b""
    pm.html = None
    pm.text = ""
    return pm


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _make_pool(workers: int) -> Executor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _batches(db: sqlite_utils.Database, batch: int) -> Iterator[list[tuple[int, str]]]:
    last = 0
    while True:
        rows = [(int(r[0]), str(r[1])) for r in db.execute(
            "SELECT id, sha256 FROM messages WHERE parsed = 0 AND id > ? ORDER BY id LIMIT ?", [last, batch],
        ).fetchall()]
        if not rows:
            return
        last = rows[-1][0]
        yield rows


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
    from camau_desk.mail.store import apply_parsed

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
                results = list(pool.map(parse_blob, [root] * len(rows), [sha for _, sha in rows],
                                        chunksize=max(1, len(rows) // (workers * 4))))
            else:
                results = [parse_blob(root, sha) for _, sha in rows]
            with transaction(db):
                for (mid, sha), pm in zip(rows, results, strict=True):
                    if pm is None:
                        log.warning("index: blob %s of message %d is missing; left pending", sha[:12], mid)
                        continue
                    apply_parsed(db, mid, pm)
                    done += 1
            if progress is not None:
                try:
                    progress(done, total)
                except Exception:  # noqa: BLE001, S110 - a broken progress sink must not stop indexing
                    pass
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return done
