"""One open profile as the window sees it: executors and connections.

Why three connections: the write connection is created and used only on the
``db`` executor's thread (all writes serialised); the ``read`` executor has its
own for bodies and blobs; the GUI thread keeps a read-only one for the small
indexed, LIMITed queries of the folder tree and list pages (bench/ui shows
they stay far below a frame at 100,000 messages).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk.paths import Profile
from ui.qt import QObject, Signal
from ui.tasks import Task, TaskRunner


def open_readonly(path: Path) -> sqlite_utils.Database:
    """A connection that cannot write, whatever code it is handed to."""
    uri = Path(path).absolute().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA query_only = ON")
    return sqlite_utils.Database(conn)


def _open_write(_ctx, profile: Profile) -> sqlite_utils.Database:
    from camau_desk.store.db import open_db

    profile.ensure()
    return open_db(profile.db_path)


class Session(QObject):
    """Executors + connections of one profile; ``ready`` once migrated."""

    ready = Signal()
    failed = Signal(object)

    def __init__(self, profile: Profile, demo: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.demo = demo
        self.runner = TaskRunner(self)
        self.write_db: sqlite_utils.Database | None = None
        self.read_db: sqlite_utils.Database | None = None
        self.ui_db: sqlite_utils.Database | None = None
        self._blobs = None

    @property
    def blobs(self):
        if self._blobs is None:
            from camau_desk.mail.blobs import BlobStore

            self._blobs = BlobStore(self.profile.blobs_dir)
        return self._blobs

    def open(self) -> None:
        self.runner.db(_open_write, self.profile, on_result=self._opened, on_error=self.failed.emit)

    def _opened(self, db: sqlite_utils.Database) -> None:
        self.write_db = db
        self.read_db = open_readonly(self.profile.db_path)
        self.ui_db = open_readonly(self.profile.db_path)
        self.ready.emit()

    # fn(ctx, db, *args) on the writer thread
    def run_db(self, fn, *args: Any, **callbacks: Any) -> Task:
        return self.runner.db(lambda ctx, *a: fn(ctx, self.write_db, *a), *args, **callbacks)

    # fn(ctx, db, blobs, *args) on the reader thread
    def run_read(self, fn, *args: Any, **callbacks: Any) -> Task:
        return self.runner.read(lambda ctx, *a: fn(ctx, self.read_db, self.blobs, *a), *args, **callbacks)

    # fn(ctx, *args) on the network / file pool
    def run_io(self, fn, *args: Any, **callbacks: Any) -> Task:
        return self.runner.net(fn, *args, **callbacks)

    def close(self) -> None:
        self.runner.cancel_all()
        self.runner.wait(10000)
        for db in (self.ui_db, self.read_db, self.write_db):
            if db is not None:
                try:
                    db.conn.close()
                except Exception:  # noqa: BLE001,S110 - closing is best effort at shutdown
                    pass
        self.ui_db = self.read_db = self.write_db = None
