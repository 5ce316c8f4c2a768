"""Runs the four daily checks while the app is open (R5): a QTimer calling the core.

Why a 30-second tick and not one timer set for the next slot: a PC that
sleeps through 09:00 wakes with its timers late or lost; a tick that asks
``checks.run_due`` "is anything due now?" (the log says what already ran)
catches up right after waking or starting, marks the check late, and never
runs a slot twice.  The check itself runs on the session's database worker
(never on the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ui.qt import QObject, QTimer, Signal

TICK_MS = 30_000


class CheckScheduler(QObject):
    """``session`` needs ``run_db(fn, *args, on_result=, on_error=)`` and ``blobs`` (ui.session.Session)."""

    started = Signal(str)  # 'scheduled' | 'manual'
    finished = Signal(object)  # camau_desk.checks.CheckResult
    failed = Signal(object)  # exception

    def __init__(self, session: Any, parent: QObject | None = None, *, clock: Callable[[], datetime] | None = None,
                 sync: Callable[..., Any] | None = None, tick_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        from camau_desk.checks import vn_now

        self.session = session
        self.clock = clock or vn_now
        if sync is None:  # what a check brings goes into the mirror and the search index too (R6.2)
            from camau_desk.archive.keeper import sync_then_archive

            sync = sync_then_archive(session.profile.default_mirror_dir)
        self.sync = sync
        self.busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        """Start ticking, and tick at once: a check missed while the PC was off runs now (late)."""
        self.timer.start()
        QTimer.singleShot(0, self.tick)

    def stop(self) -> None:
        self.timer.stop()

    def tick(self) -> None:
        if self.busy or getattr(self.session, "write_db", True) is None:
            return
        from camau_desk import checks

        self.busy = True
        blobs = self.session.blobs
        self.session.run_db(lambda _ctx, db: checks.run_due(db, blobs, sync=self.sync, clock=self.clock),
                            on_result=self._done, on_error=self._failed)

    def check_now(self) -> None:
        """The tray's / toolbar's "Kiểm tra ngay": a manual check, logged like a scheduled one."""
        if self.busy:
            return
        from camau_desk import checks

        self.busy = True
        self.started.emit("manual")
        blobs = self.session.blobs
        self.session.run_db(lambda _ctx, db: checks.run_check(db, blobs, kind="manual", sync=self.sync,
                                                              clock=self.clock),
                            on_result=self._done, on_error=self._failed)

    def _done(self, result: Any) -> None:
        self.busy = False
        if result is not None:
            self.finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.failed.emit(exc)
