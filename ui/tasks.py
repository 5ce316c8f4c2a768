"""Running core calls off the GUI thread (architecture invariant 6).

Three executors, because they have different rules:

* ``db``: ONE thread, owning the write connection. Every database write of the
  process goes through it, one at a time (DEVELOPING.md).
* ``read``: ONE thread with its own read connection (WAL lets it read while the
  writer writes): message bodies, attachments, blobs.
* ``net``: a small pool for IMAP/SMTP/keyring work that must not queue behind
  the database.

A task is ``fn(ctx, ...)``; ``ctx.progress(done, total, text)`` reports and
``ctx.cancelled`` asks whether the clerk pressed "Hủy".  Results, progress and
errors come back as Qt signals, delivered on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from ui.qt import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised by ``ctx.check()`` when the task was cancelled."""


class TaskSignals(QObject):
    """Signals live on a QObject created in the GUI thread (queued delivery)."""

    result = Signal(object)
    error = Signal(object)
    progress = Signal(int, int, str)
    finished = Signal()


class TaskContext:
    """What a running task sees: progress reporting and the cancel flag."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def progress(self, done: int, total: int = 0, text: str = "") -> None:
        self._signals.progress.emit(int(done), int(total), text)


class Task(QRunnable):
    """One queued call; keep the object to ``cancel()`` it."""

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps the reference (see TaskRunner._live)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = TaskSignals()
        self.ctx = TaskContext(self.signals)
        self.done = threading.Event()

    def cancel(self) -> None:
        self.ctx._cancel.set()

    def run(self) -> None:  # worker thread
        try:
            if self.ctx.cancelled:
                raise Cancelled()
            value = self.fn(self.ctx, *self.args, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
            if not isinstance(exc, Cancelled):
                try:
                    exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
                except AttributeError:  # an exception type with __slots__
                    pass
                log.debug("task %s failed", getattr(self.fn, "__name__", self.fn), exc_info=True)
            self.signals.error.emit(exc)
        else:
            self.signals.result.emit(value)
        finally:
            self.done.set()
            self.signals.finished.emit()


class TaskRunner(QObject):
    """The three executors of one open profile."""

    def __init__(self, parent: QObject | None = None, net_threads: int = 4) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        for name, n in (("db", 1), ("read", 1), ("net", net_threads)):
            pool = QThreadPool(self)
            pool.setMaxThreadCount(n)
            pool.setExpiryTimeout(-1)  # keep the db thread: it owns the write connection
            self._pools[name] = pool
        self._live: set[Task] = set()

    def submit(
        self,
        executor: str,
        fn: Callable[..., Any],
        *args: Any,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> Task:
        task = Task(fn, args, kwargs)
        if on_result:
            task.signals.result.connect(on_result)
        if on_error:
            task.signals.error.connect(on_error)
        if on_progress:
            task.signals.progress.connect(on_progress)
        if on_finished:
            task.signals.finished.connect(on_finished)
        task.signals.finished.connect(lambda t=task: self._live.discard(t))
        self._live.add(task)
        self._pools[executor].start(task)
        return task

    def db(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Task:
        return self.submit("db", fn, *args, **kw)

    def read(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Task:
        return self.submit("read", fn, *args, **kw)

    def net(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Task:
        return self.submit("net", fn, *args, **kw)

    def cancel_all(self) -> None:
        for task in list(self._live):
            task.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every executor is idle (shutdown and tests only)."""
        ok = True
        for pool in self._pools.values():
            ok = pool.waitForDone(msecs) and ok
        return ok
