"""Watch the INBOX for new mail: IDLE when offered, a periodic check otherwise.

Why a separate watcher: the clerk must see a document as soon as it arrives
(R4.1 "report at once", R5), but the sync itself is a separate, bounded job.
The watcher only says "something changed" (``on_new``); the caller then runs
``sync_account`` on its own connection.  It never changes anything on the
server: the INBOX is EXAMINEd (read-only).

IDLE is renewed every ``renew_s`` (RFC 2177: servers may drop an IDLE after
30 minutes; NATs on rural links much sooner, so ~9 minutes).  Broken
connections are re-opened with exponential backoff.  Plain threading: the
window wraps ``on_new`` into a signal; the core never imports Qt.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from camau_desk.accounts import Account
from camau_desk.mail.sync import RetryPolicy, is_retryable

log = logging.getLogger(__name__)

DEFAULT_RENEW_S = 9 * 60
DEFAULT_POLL_S = 5 * 60


class IdleWatcher(threading.Thread):
    """``IdleWatcher(account, on_new, stop_event).start()``; set *stop_event* to end it.

    ``on_new`` is called from this thread (keep it short: post an event).
    ``status`` is "connecting" | "idle" | "polling" | "waiting" | "stopped";
    ``last_error`` the latest error sentence (Vietnamese), or None.
    """

    def __init__(
        self,
        account: Account,
        on_new: Callable[[], None],
        stop_event: threading.Event,
        *,
        password: str | None = None,
        renew_s: float = DEFAULT_RENEW_S,
        poll_s: float = DEFAULT_POLL_S,
        check_s: float = 1.0,
        backoff: RetryPolicy | None = None,
        connect: Callable[..., Any] | None = None,
        use_idle: bool = True,
    ) -> None:
        super().__init__(name=f"idle-{account.name}", daemon=True)
        self.account = account
        self.on_new = on_new
        self.stop_event = stop_event
        self.password = password
        self.renew_s = renew_s
        self.poll_s = poll_s
        self.check_s = check_s  # how often an IDLE wait looks at stop_event
        self.backoff = backoff or RetryPolicy(attempts=1_000_000, base=2.0, cap=300.0)
        self._connect = connect
        self.use_idle = use_idle
        self.status = "connecting"
        self.last_error: str | None = None
        self.renewals = 0  # IDLE commands issued (tests check the renewal)
        self.reconnects = 0
        self._last_uidnext: int | None = None  # mail that arrived while disconnected is noticed too

    # ------------------------------------------------------------------ main loop
    def run(self) -> None:
        failures = 0
        while not self.stop_event.is_set():
            client = None
            try:
                client = self._open()
                failures = 0
                self.last_error = None
                if self.use_idle and b"IDLE" in {c.upper() for c in client.capabilities()}:
                    self._note(client.select_folder("INBOX", readonly=True).get(b"UIDNEXT"))
                    self._idle_loop(client)
                else:
                    self._poll_loop(client)
            except Exception as exc:  # noqa: BLE001 - every failure ends in a reconnect or a stop
                if not is_retryable(exc) and not self._is_connection_error(exc):
                    self.last_error = getattr(exc, "message", None) or f"Lỗi theo dõi hộp thư: {type(exc).__name__}."
                else:
                    self.last_error = "Mất kết nối tới máy chủ thư; đang thử kết nối lại."
                log.info("idle %s: %s", self.account.name, type(exc).__name__)
                failures += 1
                self.status = "waiting"
                self.stop_event.wait(self.backoff.delay(failures))
                self.reconnects += 1
            finally:
                if client is not None:
                    try:
                        client.shutdown()
                    except Exception:  # noqa: BLE001, S110
                        pass
        self.status = "stopped"

    @staticmethod
    def _is_connection_error(exc: BaseException) -> bool:
        return isinstance(exc, (OSError, EOFError))

    def _open(self) -> Any:
        from camau_desk.mail.connect import imap_connect

        self.status = "connecting"
        connect = self._connect or imap_connect
        return connect(self.account, self.password)

    def _note(self, uidnext: Any) -> None:
        """Remember UIDNEXT; a higher one than last seen means new mail (e.g. after a reconnect)."""
        if uidnext is None:
            return
        uidnext = int(uidnext)
        grew = self._last_uidnext is not None and uidnext > self._last_uidnext
        self._last_uidnext = uidnext
        if grew:
            self._notify()

    def _notify(self) -> None:
        try:
            self.on_new()
        except Exception:  # noqa: BLE001 - a faulty listener must not kill the watcher
            log.exception("on_new failed")

    @staticmethod
    def _interesting(responses: Any) -> bool:
        return any(isinstance(r, tuple) and len(r) >= 2 and r[1] in (b"EXISTS", b"RECENT", b"EXPUNGE", b"FETCH")
                   for r in responses or ())

    def _idle_loop(self, client: Any) -> None:
        """IDLE on the EXAMINEd INBOX, wake on EXISTS (new mail) / EXPUNGE / FETCH; renew every renew_s."""
        while not self.stop_event.is_set():
            client.idle()
            self.renewals += 1
            self.status = "idle"
            started = time.monotonic()
            changed = False
            try:
                while not self.stop_event.is_set() and time.monotonic() - started < self.renew_s:
                    if self._interesting(client.idle_check(timeout=self.check_s)):
                        changed = True
                        break
            finally:
                _text, late = client.idle_done()  # what arrived just before DONE counts too
            if changed or self._interesting(late):
                self._notify()

    def _poll_loop(self, client: Any) -> None:
        """No IDLE: STATUS (no folder selected, so never stale) every poll_s."""
        self.status = "polling"
        last = self._snapshot(client)
        self._note(last[1])
        while not self.stop_event.wait(self.poll_s):
            now = self._snapshot(client)
            self._last_uidnext = now[1]
            if now != last:
                last = now
                self._notify()

    @staticmethod
    def _snapshot(client: Any) -> tuple[int, int]:
        st = client.folder_status("INBOX", ["MESSAGES", "UIDNEXT"])
        return int(st.get(b"MESSAGES", 0)), int(st.get(b"UIDNEXT", 0))
