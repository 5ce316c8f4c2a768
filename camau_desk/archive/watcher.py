"""Follow what people do to the mirror in Explorer (R6.2, R3.3).

Clerks rename, move, delete and add files in the mirror folder; the index
(``mirror_files``) must follow, or ``verify`` would cry wolf and search would
open paths that no longer exist.  Rules:

* a moved or renamed file keeps its row (and so its message) - by the move
  event, or, when the event was missed, by its SHA-256 during a rescan;
* a deleted file keeps its row, marked ``deleted_at`` (the blob store still
  holds the original; ``verify`` lists it under "deleted", not "missing");
* a new file is read only once it has stopped changing (size and mtime
  stable for ``stable_seconds``), then indexed as 'unknown' - or, if its hash
  belongs to a file that went missing, as that file moved;
* a file dropped into "Hộp gửi đi" under the root is recorded in
  ``outbox_offers`` and reported through ``on_change`` (type 'offered');
  it stays offered until the clerk sends or dismisses it (``mark_offer``);
  a rescan that finds its file gone ends it as 'gone' (event 'gone'), and
  offers it again if the same file comes back;
* the app's own writes (``mirror.own_writes``) and temp files are ignored;
* a full ``rescan`` at start and every ``rescan_interval`` seconds is the
  safety net for missed events (network drives, the program being closed).

Plain threads, no Qt: the UI passes ``on_change`` and marshals it itself.
The watcher opens its own database connection (WAL; one short transaction
per change).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk import audit
from camau_desk.archive.mirror import OUTBOX_DIR, is_ignored_name, is_own_write, rel_path, walk_files
from camau_desk.errors import InvalidInput
from camau_desk.fsutil import sha256_file
from camau_desk.store.db import connect, transaction
from camau_desk.vn.text import nfc

__all__ = ["MirrorWatcher", "RescanReport", "mark_offer", "offers", "pending_offers", "rescan"]

log = logging.getLogger(__name__)
ChangeCallback = Callable[[dict[str, Any]], None]
#: What a waiting offer can become: sent from the compose window, dismissed by the clerk, file gone.
OFFER_ENDS = ("sent", "cancelled", "gone")


@dataclass
class RescanReport:
    moved: list[tuple[str, str]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    offered: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # offers whose file left the outbox folder

    def as_dict(self) -> dict[str, Any]:
        return {"moved": self.moved, "deleted": self.deleted, "added": self.added,
                "changed": self.changed, "offered": self.offered, "gone": self.gone}


def _now() -> str:
    return audit.now_iso()


def _is_outbox(rel: str) -> bool:
    return rel.split("/", 1)[0] == OUTBOX_DIR


def _stable(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime >= seconds
    except OSError:
        return False


# ------------------------------------------------------------------ single-file steps (shared)


def _at(root: Path, rel: str) -> Path:
    """The file of an index path (always "/"-separated) on this OS."""
    return root.joinpath(*rel.split("/"))


def _offer(db: sqlite_utils.Database, root: Path, path: Path) -> bool:
    """Record a file in the outbox folder as offered for sending.

    Once per content: a file already sent or dismissed is not offered again,
    but one that went away ('gone') and came back is.
    """
    rel = rel_path(root, path)
    sha = sha256_file(path)
    cur = db.execute(
        "INSERT INTO outbox_offers (path, sha256, size, offered_at) VALUES (?,?,?,?)"
        " ON CONFLICT(path, sha256) DO UPDATE SET status = 'offered', offered_at = excluded.offered_at"
        " WHERE status = 'gone'",
        [rel, sha, path.stat().st_size, _now()],
    )
    return cur.rowcount > 0


def _end_offer(db: sqlite_utils.Database, offer: dict[str, Any], status: str) -> None:
    """One waiting offer ends (inside the caller's transaction); the audit says who and why."""
    db.execute("UPDATE outbox_offers SET status = ? WHERE id = ?", [status, offer["id"]])
    audit.record(db, f"outbox_offer.{status}", "outbox_offer", offer["id"], {"status": "offered"},
                 {"status": status, "path": offer["path"]})


def _row_at(db: sqlite_utils.Database, rel: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM mirror_files WHERE path = ?", [rel]))
    return dict(rows[0]) if rows else None


def _set_path(db: sqlite_utils.Database, row_id: int, rel: str, path: Path) -> None:
    st = path.stat()
    db.execute("DELETE FROM mirror_files WHERE path = ? AND id != ?", [rel, row_id])
    db.execute("UPDATE mirror_files SET path = ?, size = ?, mtime = ?, deleted_at = NULL, updated_at = ?"
               " WHERE id = ?", [rel, st.st_size, st.st_mtime, _now(), row_id])


def _reconcile_file(db: sqlite_utils.Database, root: Path, path: Path) -> dict[str, Any] | None:
    """Bring the row of one present file up to date; returns the change event or None."""
    rel = rel_path(root, path)
    if _is_outbox(rel):
        return {"type": "offered", "path": rel} if _offer(db, root, path) else None
    sha = sha256_file(path)
    st = path.stat()
    row = _row_at(db, rel)
    if row is not None:
        if row["deleted_at"]:
            db.execute("UPDATE mirror_files SET deleted_at = NULL, updated_at = ? WHERE id = ?", [_now(), row["id"]])
        if row["sha256"] == sha:
            return None
        if row["kind"] == "unknown":  # a person's own file: follow its content
            db.execute("UPDATE mirror_files SET sha256 = ?, size = ?, mtime = ?, updated_at = ? WHERE id = ?",
                       [sha, st.st_size, st.st_mtime, _now(), row["id"]])
            return None
        return {"type": "changed", "path": rel}  # our file edited: keep the original hash, verify reports it
    # a new path: is it a file of ours that went missing (moved without us seeing the event)?
    for cand in db.query(
        "SELECT id, path, deleted_at FROM mirror_files WHERE sha256 = ? ORDER BY deleted_at IS NULL DESC, id",
        [sha],
    ):
        if cand["deleted_at"] or not _at(root, cand["path"]).exists():
            _set_path(db, cand["id"], rel, path)
            return {"type": "moved", "from": cand["path"], "path": rel}
    now = _now()
    db.execute(
        "INSERT INTO mirror_files (path, sha256, kind, size, mtime, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?)", [rel, sha, "unknown", st.st_size, st.st_mtime, now, now])
    return {"type": "added", "path": rel}


def _mark_deleted(db: sqlite_utils.Database, rel: str, *, prefix: bool = False) -> list[str]:
    if prefix:
        rows = db.execute("SELECT path FROM mirror_files WHERE substr(path, 1, ?) = ? AND deleted_at IS NULL",
                          [len(rel) + 1, rel + "/"]).fetchall()
    else:
        rows = db.execute("SELECT path FROM mirror_files WHERE path = ? AND deleted_at IS NULL", [rel]).fetchall()
    paths = [r[0] for r in rows]
    for p in paths:
        db.execute("UPDATE mirror_files SET deleted_at = ?, updated_at = ? WHERE path = ?", [_now(), _now(), p])
    return paths


def _move_prefix(db: sqlite_utils.Database, src: str, dst: str) -> int:
    """A folder was renamed: every row under it follows (and the message folders)."""
    n = len(src) + 1
    cur = db.execute(
        "UPDATE mirror_files SET path = ? || substr(path, ?), updated_at = ? WHERE substr(path, 1, ?) = ?",
        [dst + "/", n + 1, _now(), n, src + "/"],
    )
    db.execute("UPDATE mirror_messages SET dir = ? WHERE dir = ?", [dst, src])
    db.execute("UPDATE mirror_messages SET dir = ? || substr(dir, ?) WHERE substr(dir, 1, ?) = ?",
               [dst + "/", n + 1, n, src + "/"])
    return cur.rowcount


# ------------------------------------------------------------------ rescan


def rescan(db: sqlite_utils.Database, root: Path, *, stable_seconds: float = 1.0) -> RescanReport:
    """Reconcile ``mirror_files`` with the disk in one pass (also used alone, e.g. at start-up).

    Files modified less than ``stable_seconds`` ago are left for the next pass.
    """
    root = Path(root)
    report = RescanReport()
    if not root.is_dir():
        return report
    on_disk = {rel_path(root, p): p for p in walk_files(root)}
    with transaction(db):
        rows = {r[0]: r[1] for r in db.execute("SELECT path, deleted_at FROM mirror_files").fetchall()}
        # first the files that are new to the index (they may be moves of missing ones)
        for rel, p in sorted(on_disk.items()):
            if rel in rows and not rows[rel]:
                continue
            if not _stable(p, stable_seconds):
                continue
            ev = _reconcile_file(db, root, p)
            if ev and ev["type"] == "moved":
                report.moved.append((ev["from"], ev["path"]))
            elif ev and ev["type"] == "added":
                report.added.append(rel)
        # then what is gone
        for (rel,) in db.execute("SELECT path FROM mirror_files WHERE deleted_at IS NULL").fetchall():
            if rel not in on_disk and not _at(root, rel).exists():
                report.deleted += _mark_deleted(db, rel)
        # the outbox: new files are offered, offers whose file left end as 'gone'
        out = root / OUTBOX_DIR
        if out.is_dir():
            for entry in sorted(out.rglob("*")):
                if entry.is_file() and not is_ignored_name(entry.name) and _stable(entry, stable_seconds):
                    if _offer(db, root, entry):
                        report.offered.append(rel_path(root, entry))
        for offer in offers(db):
            if not _at(root, offer["path"]).is_file():
                _end_offer(db, offer, "gone")
                report.gone.append(offer["path"])
    return report


def offers(db: sqlite_utils.Database, status: str | None = "offered") -> list[dict[str, Any]]:
    """Files dropped into the outbox folder, newest first."""
    sql = "SELECT * FROM outbox_offers"
    params: list[Any] = []
    if status:
        sql += " WHERE status = ?"
        params.append(status)
    return [dict(r) for r in db.query(sql + " ORDER BY id DESC", params)]


def pending_offers(db: sqlite_utils.Database, root: Path) -> list[Path]:
    """Files still offered whose file is still there, newest first: what the window shows when it opens.

    Reads the disk (a network drive may be slow): call it off the GUI thread.
    """
    files = (_at(Path(root), o["path"]) for o in offers(db))
    return list(dict.fromkeys(f for f in files if f.is_file()))


def mark_offer(db: sqlite_utils.Database, offer: int | str, status: str) -> int:
    """End the waiting offer ``offer`` (its id, or its path relative to the mirror root) as ``status``.

    Every waiting offer of that path ends (the file was replaced before it was
    sent: it is the file there now that went out).  Returns how many ended;
    0 when none was waiting, so sending or dismissing twice is harmless.
    """
    if status not in OFFER_ENDS:
        raise InvalidInput(f"Trạng thái '{status}' không dùng được cho tệp chờ gửi; "
                           f"chỉ dùng: {', '.join(OFFER_ENDS)}.")
    column, key = ("id", offer) if isinstance(offer, int) else ("path", nfc(offer))
    sql = f"SELECT id, path FROM outbox_offers WHERE status = 'offered' AND {column} = ?"  # noqa: S608 - a fixed name
    with transaction(db):
        rows = [dict(r) for r in db.query(sql, [key])]
        for row in rows:
            _end_offer(db, row, status)
    return len(rows)


# ------------------------------------------------------------------ the watcher


class MirrorWatcher:
    """Watch ``root`` with watchdog and keep the index in step; ``start()`` / ``stop()``.

    ``polling=True`` uses watchdog's PollingObserver, for network drives where
    change notifications are unreliable.
    """

    def __init__(
        self, db_path: Path | str, root: Path | str, on_change: ChangeCallback | None = None,
        polling: bool = False, *, stable_seconds: float = 1.0, rescan_interval: float = 300.0,
        poll_interval: float = 1.0,
    ) -> None:
        self.db_path = db_path
        self.root = Path(root).absolute()
        self.on_change = on_change
        self.polling = polling
        self.stable_seconds = stable_seconds
        self.rescan_interval = rescan_interval
        self.poll_interval = poll_interval
        self._events: queue.Queue[tuple[str, str, str | None, bool]] = queue.Queue()
        self._pending: dict[str, tuple[int, float, float]] = {}  # path -> (size, mtime, stable since)
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._observer: Any = None

    # -- lifecycle
    def start(self) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / OUTBOX_DIR).mkdir(exist_ok=True)
        outer = self

        class _Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:  # noqa: ANN001 - watchdog's type
                if event.event_type in ("opened", "closed", "closed_no_write"):
                    if event.event_type != "closed":
                        return
                    kind = "modified"
                else:
                    kind = event.event_type
                src = os.fsdecode(event.src_path)
                dest = os.fsdecode(getattr(event, "dest_path", "") or "") or None
                outer._events.put((kind, src, dest, bool(event.is_directory)))

        observer = PollingObserver(timeout=self.poll_interval) if self.polling else Observer()
        observer.schedule(_Handler(), str(self.root), recursive=True)
        self._thread = threading.Thread(target=self._run, name="mirror-watcher", daemon=True)
        self._thread.start()
        self._ready.wait(30)
        observer.start()
        self._observer = observer

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(5)
            self._observer = None
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> MirrorWatcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- worker
    def _emit(self, event: dict[str, Any] | None) -> None:
        if event and self.on_change:
            try:
                self.on_change(event)
            except Exception:  # noqa: BLE001 - a UI callback must not kill the watcher
                log.exception("on_change failed")

    def _run(self) -> None:
        db = connect(self.db_path)
        try:
            self._full_rescan(db)
            self._ready.set()
            next_rescan = time.monotonic() + self.rescan_interval
            while not self._stop.is_set():
                try:
                    item = self._events.get(timeout=0.2)
                except queue.Empty:
                    item = None
                try:
                    if item is not None:
                        self._handle(db, *item)
                        while True:  # drain what arrived meanwhile
                            try:
                                self._handle(db, *self._events.get_nowait())
                            except queue.Empty:
                                break
                    self._check_pending(db)
                    if time.monotonic() >= next_rescan:
                        self._full_rescan(db)
                        next_rescan = time.monotonic() + self.rescan_interval
                except Exception:  # noqa: BLE001 - keep watching; the next rescan repairs
                    log.exception("mirror watcher step failed")
        finally:
            self._ready.set()
            db.conn.close()

    def _full_rescan(self, db: sqlite_utils.Database) -> None:
        try:
            rep = rescan(db, self.root, stable_seconds=self.stable_seconds)
        except Exception:  # noqa: BLE001
            log.exception("mirror rescan failed")
            return
        for a, b in rep.moved:
            self._emit({"type": "moved", "from": a, "path": b})
        for p in rep.deleted:
            self._emit({"type": "deleted", "path": p})
        for p in rep.added:
            self._emit({"type": "added", "path": p})
        for p in rep.offered:
            self._emit({"type": "offered", "path": p})
        for p in rep.gone:
            self._emit({"type": "gone", "path": p})

    def _ignored(self, path: str) -> bool:
        p = Path(path)
        return is_ignored_name(p.name) or is_own_write(p) or not _inside(self.root, p)

    def _handle(self, db: sqlite_utils.Database, kind: str, src: str, dest: str | None, is_dir: bool) -> None:
        if kind == "moved" and dest:
            if self._ignored(src) and self._ignored(dest):
                return
            self._pending.pop(nfc(src), None)
            s_rel, d_rel = rel_path(self.root, src), rel_path(self.root, dest)
            if is_dir:
                with transaction(db):
                    n = _move_prefix(db, s_rel, d_rel)
                if n:
                    self._emit({"type": "moved", "from": s_rel, "path": d_rel, "directory": True})
                return
            with transaction(db):
                row = _row_at(db, s_rel) if not _is_outbox(d_rel) else None
                if row is not None:
                    _set_path(db, row["id"], d_rel, Path(dest))
            if row is not None:
                self._emit({"type": "moved", "from": s_rel, "path": d_rel})
            else:  # moved in from elsewhere, or a temp file renamed by an editor: read it when stable
                self._watch(dest)
            return
        if kind == "deleted":  # the app never deletes, so a deletion is always a person's
            if is_ignored_name(Path(src).name):
                return
            self._pending.pop(nfc(src), None)
            rel = rel_path(self.root, src)
            with transaction(db):
                gone = _mark_deleted(db, rel) or _mark_deleted(db, rel, prefix=True)
            for p in gone:
                self._emit({"type": "deleted", "path": p})
        elif kind in ("created", "modified") and not is_dir and not self._ignored(src):
            self._watch(src)

    def _watch(self, path: str) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        self._pending[nfc(path)] = (st.st_size, st.st_mtime, time.monotonic())

    def _check_pending(self, db: sqlite_utils.Database) -> None:
        now = time.monotonic()
        for path, (size, mtime, since) in list(self._pending.items()):
            try:
                st = os.stat(path)
            except OSError:
                self._pending.pop(path, None)
                continue
            if (st.st_size, st.st_mtime) != (size, mtime):
                self._pending[path] = (st.st_size, st.st_mtime, now)
                continue
            if now - since < self.stable_seconds:
                continue
            self._pending.pop(path, None)
            if not os.path.isfile(path) or self._ignored(path):
                continue
            with transaction(db):
                ev = _reconcile_file(db, self.root, Path(path))
            self._emit(ev)


def _inside(root: Path, p: Path) -> bool:
    try:
        return Path(os.path.abspath(p)).is_relative_to(root)
    except ValueError:
        return False
