"""What runs while the window is open: IDLE watchers, the mirror watcher, the outbox flush (issues 3, 7, 8).

Why a separate object: the window's sync (``start_sync``) already archives and
raises the urgent notification; the watchers only decide *when* to call it.
Core watchers are plain threads (the core never imports Qt), so everything
they report crosses to the GUI thread through a signal with a
QueuedConnection.  Several IDLE wake-ups within a few seconds (one EXISTS per
message of a burst) make one sync, not ten.  The keyring is read in the
watcher's own thread: a locked keyring may hang, and must never hang the GUI.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ui.qt import QCoreApplication, QFrame, QHBoxLayout, QLabel, QObject, QPushButton, Qt, QTimer, Signal

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

IDLE_DEBOUNCE_MS = 3000
FLUSH_INTERVAL_MS = 3 * 60 * 1000


def default_idle_factory(account: Any, on_new: Callable[[], None], stop_event: threading.Event) -> Any:
    """A real IdleWatcher whose password is read from the keyring in the watcher's thread."""
    from camau_desk.mail.idle import IdleWatcher

    def connect(acct: Any, _password: str | None) -> Any:
        from camau_desk.accounts import password_for
        from camau_desk.mail.connect import imap_connect

        return imap_connect(acct, password_for(acct))

    return IdleWatcher(account, on_new, stop_event, connect=connect)


def default_mirror_factory(db_path: Path, root: Path, on_change: Callable[[dict], None]) -> Any:
    from camau_desk.archive.watcher import MirrorWatcher

    return MirrorWatcher(db_path, root, on_change=on_change)


def default_flusher(db: Any, blobs: Any, data_dir: Path) -> list[dict]:
    """Send what waits in the outbox (retry times respected), on the db executor."""
    from camau_desk.mail import outbox
    from ui.leader import _imap_factory

    return outbox.flush_outbox(db, blobs, imap_factory=_imap_factory(data_dir))


def outbox_counts(db: Any) -> tuple[int, int]:
    """(messages still to send: queued or interrupted while sending, messages the server refused)."""
    try:
        row = db.execute("SELECT COUNT(*) FILTER (WHERE status IN ('queued','sending')),"
                         " COUNT(*) FILTER (WHERE status = 'refused') FROM outbox").fetchone()
    except Exception:  # noqa: BLE001 - a profile without the outbox table has nothing waiting
        return 0, 0
    return int(row[0] or 0), int(row[1] or 0)


class _Bridge(QObject):
    """Lives on the GUI thread; core threads emit, Qt queues the call to the GUI thread."""

    new_mail = Signal(str)
    mirror_event = Signal(dict)


class LiveUi(QObject):
    """Owns the watchers of one session; ``start()`` when the session is ready, ``stop()`` on close."""

    offered = Signal(str)  # absolute path of a file dropped into "Hộp gửi đi"
    offer_gone = Signal(str)  # absolute path of an offered file that was removed before it was sent
    sync_requested = Signal()  # the debounced IDLE wake-up (before start_sync runs)
    flushed = Signal(int)  # messages still waiting after a flush

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.idle_factory: Callable[..., Any] = default_idle_factory
        self.mirror_factory: Callable[..., Any] = default_mirror_factory
        self.flusher: Callable[..., Any] = default_flusher
        self.idle_enabled = True
        self.mirror_enabled = True
        self.flush_enabled = True
        self.watchers: list[Any] = []
        self._stop_event: threading.Event | None = None
        self.mirror_watcher: Any = None
        self.mirror_root: Path | None = None
        self._flushing = False
        self._bridge = _Bridge(self)
        self._bridge.new_mail.connect(self._new_mail, Qt.ConnectionType.QueuedConnection)
        self._bridge.mirror_event.connect(self._mirror_event, Qt.ConnectionType.QueuedConnection)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(IDLE_DEBOUNCE_MS)
        self.debounce.timeout.connect(self._sync_now)
        self.flush_timer = QTimer(self)
        self.flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self.flush_timer.timeout.connect(self.flush)

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> None:
        """Called when a session is ready: watchers for this profile (IDLE and flush not for the demo)."""
        self.stop()
        s = self.window.session
        if s is None or s.ui_db is None:
            return
        if not s.demo and self.idle_enabled:
            self._start_idle(self.window._remote_accounts())
        if self.mirror_enabled:
            self._start_mirror(s)
        if not s.demo and self.flush_enabled:
            self.flush_timer.start()
        self.show_waiting()

    def stop(self) -> None:
        """Stop every watcher of the current session (window closed, or another profile opened)."""
        self.debounce.stop()
        self.flush_timer.stop()
        if self._stop_event is not None:
            self._stop_event.set()
        deadline = time.monotonic() + 3
        for w in self.watchers:  # each notices the event within its check interval (1 s) and logs out
            join = getattr(w, "join", None)
            if join is not None and getattr(w, "is_alive", lambda: False)():
                join(max(0.0, deadline - time.monotonic()))
        self.watchers = []
        self._stop_event = None
        mw, self.mirror_watcher = self.mirror_watcher, None
        if mw is not None:
            try:
                mw.stop()
            except Exception:  # noqa: BLE001 - stopping is best effort at shutdown
                log.exception("mirror watcher stop failed")

    # ---------------------------------------------------------------- IDLE
    def _start_idle(self, accounts: list) -> None:
        self._stop_event = stop = threading.Event()
        for account in accounts:
            name = account.name

            def on_new(name: str = name) -> None:  # watcher thread: only post the event
                self._bridge.new_mail.emit(name)

            try:
                watcher = self.idle_factory(account, on_new, stop)
                watcher.start()
            except Exception:  # noqa: BLE001 - no watcher means F5 and the scheduler still work
                log.exception("idle watcher for %s did not start", name)
                continue
            self.watchers.append(watcher)

    def _new_mail(self, _account: str) -> None:
        """GUI thread: (re)start the debounce; a burst of notifications becomes one sync."""
        if self._stop_event is None:
            return
        self.debounce.start()

    def _sync_now(self) -> None:
        w = self.window
        if w.session is None:
            return
        if w.sync_task is not None:  # a sync is running: look again once it is done
            self.debounce.start()
            return
        self.sync_requested.emit()
        w.start_sync()

    # ---------------------------------------------------------------- mirror
    def _start_mirror(self, session) -> None:
        from camau_desk.archive.mirror import mirror_root

        try:
            root = mirror_root(session.ui_db, session.profile.default_mirror_dir)
        except Exception:  # noqa: BLE001 - an unreadable setting: no watcher, nothing else breaks
            log.exception("mirror root unknown")
            return
        self.mirror_root = Path(root)
        watcher = self.mirror_factory(session.profile.db_path, self.mirror_root, self._bridge.mirror_event.emit)
        self.mirror_watcher = watcher

        def start(_ctx) -> None:  # the first full rescan may take a while: off the GUI thread
            watcher.start()
            if self.mirror_watcher is not watcher:  # stopped (window closed) while it was starting
                watcher.stop()

        def failed(exc: BaseException) -> None:
            if self.mirror_watcher is watcher:
                self.mirror_watcher = None
            self.window.banner.show_exception(exc)

        session.run_io(start, on_error=failed)

    def _mirror_event(self, event: dict) -> None:
        if event.get("type") not in ("offered", "gone") or self.mirror_root is None:
            return
        path = str(self.mirror_root / event["path"])
        (self.offered if event["type"] == "offered" else self.offer_gone).emit(path)

    # ---------------------------------------------------------------- outbox
    def after_sync(self) -> None:
        """The server answered: a good moment to send what waits."""
        s = self.window.session
        if s is not None and not s.demo and self.flush_enabled:
            self.flush()

    def flush(self) -> None:
        s = self.window.session
        if s is None or s.write_db is None or self._flushing:
            return
        if outbox_counts(s.ui_db)[0] == 0:
            self.show_waiting()
            return
        self._flushing = True
        flusher, blobs, data_dir = self.flusher, s.blobs, s.profile.data_dir
        s.run_db(lambda _ctx, db: flusher(db, blobs, data_dir), on_result=self._flushed, on_error=self._flush_failed)

    def _flushed(self, rows: list[dict]) -> None:
        """Forwards it sent are "Đã trình" now: the window reads the entries again (ui.leader.after_flush)."""
        self._flushing = False
        self.window.leader_ui.after_flush(rows)
        self.flushed.emit(self.show_waiting())

    def _flush_failed(self, exc: BaseException) -> None:
        self._flushing = False
        self.show_waiting()
        from ui.tasks import Cancelled

        if not isinstance(exc, Cancelled):
            self.window.banner.show_exception(exc)

    def show_waiting(self) -> int:
        """"N thư chờ gửi" and "M thư bị từ chối" in the status bar; returns N.

        Refused messages stay there until the clerk sends them again or cancels
        them, also after a restart: a refusal must not go unnoticed.
        """
        s = self.window.session
        n, refused = outbox_counts(s.ui_db) if s is not None and s.ui_db is not None else (0, 0)
        parts = [translate("LiveUi", "%n message(s) waiting to be sent", "", n)] if n else []
        if refused:
            parts.append(translate("LiveUi", "%n message(s) refused by the mail server", "", refused))
        label = self.window.outbox_label
        label.setText(" · ".join(parts))
        label.setVisible(bool(parts))
        return n


class OfferBanner(QFrame):
    """"Có tệp mới trong Hộp gửi đi: <tên>. Gửi đi?": non-blocking, like the error banner."""

    send_requested = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("offerBanner")
        self.setStyleSheet("#offerBanner { background: #e8f1fb; border: 1px solid #9cc3ea; border-radius: 4px; }"
                           "#offerBanner QLabel { color: #0b3a66; }")
        self.setAccessibleName(self.tr("New file in the outbox folder"))
        self.path: str | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.send_button = QPushButton(self.tr("Send..."))
        self.send_button.setAccessibleName(self.tr("Send the new file"))
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        row.addWidget(self.label, 1)
        row.addWidget(self.send_button)
        row.addWidget(self.dismiss_button)
        self.send_button.clicked.connect(self._send)
        self.dismiss_button.clicked.connect(self.hide)
        self.hide()

    def offer(self, path: str) -> None:
        self.path = path
        self.label.setText(self.tr("New file in the outbox folder: %1. Send it?").replace("%1", Path(path).name))
        self.setToolTip(path)
        self.show()

    def _send(self) -> None:
        if self.path:
            self.hide()
            self.send_requested.emit(self.path)
