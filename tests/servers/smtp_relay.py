"""An SMTP submission server for tests that delivers into the test Dovecot.

Why not Postfix: Postfix queues, so tests would have to poll IMAP. This relay
answers ``250`` to DATA only after Dovecot's LMTP has stored the message, so a
test can send and immediately look in the recipient's INBOX.

It runs in background threads (aiosmtpd ``Controller``) inside the test
process and listens on three ports of 127.0.0.1:

* ``submission_port``: STARTTLS required before anything else (like port 587),
* ``smtps_port``: implicit TLS (like port 465),
* ``plain_port``: no TLS at all, AUTH allowed in clear ("security: none"
  local tests only).

Every port requires AUTH (PLAIN or LOGIN) against the test users. To test the
outbox retry logic: ``stop()``/``start()`` (connection refused, same ports
afterwards) or ``refuse()``/``accept()`` (server up, MAIL FROM answered with a
temporary 4xx error).

Command line (foreground, Ctrl-C to stop)::

    python -m tests.servers.smtp_relay --dovecot-dir /tmp/dv
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import smtplib
import ssl
import sys
import threading
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from .certs import make_certs
from .dovecot import DovecotServer, User, free_port

log = logging.getLogger(__name__)
# aiosmtpd warns that AUTH without TLS is unsafe: here that is the point of plain_port.
logging.getLogger("mail.log").setLevel(logging.ERROR)

#: Warnings aiosmtpd emits from its server thread; add them to pytest's filterwarnings.
AIOSMTPD_WARNING_FILTERS = (
    "ignore:Requiring AUTH while not requiring TLS:UserWarning",
    "ignore:Session.login_data is deprecated:DeprecationWarning",
)

TEMP_FAILURE = "451 4.3.0 Service temporarily unavailable (test relay refusing)"


@dataclass(frozen=True)
class RelayedMessage:
    """What the relay accepted and delivered (for assertions)."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    auth_login: str | None
    port_kind: str  # "submission" | "smtps" | "plain"
    tls: bool
    mail_options: tuple[str, ...] = ()
    received_at: float = field(default_factory=time.time)


class _Handler:
    """aiosmtpd handler: checks recipients and delivers through LMTP."""

    def __init__(self, relay: SmtpRelay, port_kind: str) -> None:
        self.relay = relay
        self.port_kind = port_kind

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]) -> str:
        refusal = self.relay._refusal
        if refusal:
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if self.relay.resolve_recipient(address) is None:
            return "550 5.1.1 User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data: bytes = envelope.original_content or envelope.content
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, self.relay._deliver, envelope.mail_from, list(envelope.rcpt_tos), data)
        except Exception as exc:  # delivered nothing: tell the client to retry
            log.warning("LMTP delivery failed: %s", exc)
            return f"451 4.3.0 LMTP delivery failed: {type(exc).__name__}"
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        self.relay._record(
            RelayedMessage(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos),
                data=data,
                auth_login=login,
                port_kind=self.port_kind,
                tls=self.port_kind == "smtps" or session.ssl is not None,
                mail_options=tuple(envelope.mail_options),
            )
        )
        return "250 2.0.0 OK delivered"


class SmtpRelay:
    """SMTP submission -> Dovecot LMTP, in background threads. See module docstring."""

    def __init__(
        self,
        lmtp_host: str,
        lmtp_port: int,
        users: Mapping[str, User],
        cert_dir: str | Path,
        *,
        max_message_size: int = 32 * 1024 * 1024,
    ) -> None:
        self.host = "127.0.0.1"
        self.lmtp_host = lmtp_host
        self.lmtp_port = lmtp_port
        self.users = dict(users)
        self.certs = make_certs(cert_dir)
        self.max_message_size = max_message_size
        self.submission_port = 0
        self.smtps_port = 0
        self.plain_port = 0
        self.relayed: list[RelayedMessage] = []
        self._lock = threading.Lock()
        self._refusal: str | None = None
        self._controllers: list[Controller] = []

    @classmethod
    def for_dovecot(cls, dovecot: DovecotServer, **kwargs: Any) -> SmtpRelay:
        """A relay delivering into *dovecot*, sharing its users and certificate."""
        return cls(dovecot.host, dovecot.lmtp_port, dovecot.users, dovecot.dir / "certs", **kwargs)

    # ------------------------------------------------------------- properties
    @property
    def starttls_port(self) -> int:
        return self.submission_port

    @property
    def ca_file(self) -> Path:
        return self.certs.ca

    def ssl_context(self) -> ssl.SSLContext:
        """A client context trusting only the test CA."""
        return ssl.create_default_context(cafile=str(self.certs.ca))

    def is_running(self) -> bool:
        return bool(self._controllers)

    # -------------------------------------------------------------- lifecycle
    def start(self) -> SmtpRelay:
        """Listen (again) on the same ports as before, or on new free ones the first time."""
        if self._controllers:
            return self
        keep = bool(self.submission_port)
        for attempt in range(5):
            if not keep or attempt:
                self.submission_port, self.smtps_port, self.plain_port = (free_port(), free_port(), free_port())
                if len({self.submission_port, self.smtps_port, self.plain_port}) < 3:
                    continue
            try:
                self._start_controllers()
                return self
            except OSError as exc:  # port taken meanwhile: pick others
                self._stop_controllers()
                last = exc
        raise RuntimeError(f"SMTP relay could not bind free ports: {last}")

    def stop(self) -> None:
        """Close all listeners: clients now get 'connection refused'."""
        self._stop_controllers()

    def restart(self) -> SmtpRelay:
        self.stop()
        return self.start()

    def __enter__(self) -> SmtpRelay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def refuse(self, reply: str = TEMP_FAILURE) -> None:
        """Stay up but answer MAIL FROM with *reply* (default a temporary 451)."""
        if not reply[:3].isdigit():
            raise ValueError("reply must start with an SMTP code")
        self._refusal = reply

    def accept(self) -> None:
        """Undo ``refuse()``."""
        self._refusal = None

    def clear(self) -> None:
        with self._lock:
            self.relayed.clear()

    def info(self) -> dict[str, object]:
        return {
            "host": self.host,
            "submission_port": self.submission_port,
            "smtps_port": self.smtps_port,
            "plain_port": self.plain_port,
            "ca_file": str(self.certs.ca),
        }

    # --------------------------------------------------------------- internals
    def resolve_recipient(self, address: str) -> User | None:
        """The test user an address (or short name) belongs to, case-insensitively."""
        a = address.strip().strip("<>").lower()
        for short, u in self.users.items():
            if a in (short, u.address.lower(), u.login.lower()):
                return u
        return None

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        user = self.resolve_recipient(login)
        ok = user is not None and user.password == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def _controller(self, port: int, kind: str) -> Controller:
        tls_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_ctx.load_cert_chain(str(self.certs.cert), str(self.certs.key))
        common: dict[str, Any] = dict(
            hostname=self.host,
            port=port,
            server_hostname="localhost",
            authenticator=self._authenticate,
            auth_required=True,
            data_size_limit=self.max_message_size,
            ready_timeout=5.0,
        )
        if kind == "submission":
            return Controller(_Handler(self, kind), tls_context=tls_ctx, require_starttls=True, **common)
        if kind == "smtps":
            # aiosmtpd only knows about STARTTLS: on an implicit-TLS socket it would
            # refuse AUTH unless auth_require_tls is off (the socket is TLS anyway).
            return Controller(_Handler(self, kind), ssl_context=tls_ctx, auth_require_tls=False, **common)
        return Controller(_Handler(self, kind), auth_require_tls=False, **common)

    def _start_controllers(self) -> None:
        for port, kind in (
            (self.submission_port, "submission"),
            (self.smtps_port, "smtps"),
            (self.plain_port, "plain"),
        ):
            c = self._controller(port, kind)
            c.start()
            self._controllers.append(c)

    def _stop_controllers(self) -> None:
        while self._controllers:
            c = self._controllers.pop()
            try:
                c.stop()
            except Exception:  # already half-dead: nothing left to close
                pass

    def _deliver(self, mail_from: str, rcpts: Sequence[str], data: bytes) -> None:
        """One LMTP transaction per recipient: smtplib.LMTP reads one DATA reply only."""
        with smtplib.LMTP(self.lmtp_host, self.lmtp_port, timeout=30) as lmtp:
            for rcpt in rcpts:
                user = self.resolve_recipient(rcpt)
                target = user.address if user else rcpt
                lmtp.sendmail(mail_from or "<>", [target], data)

    def _record(self, msg: RelayedMessage) -> None:
        with self._lock:
            self.relayed.append(msg)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a relay into an already started Dovecot dir until Ctrl-C."""
    ap = argparse.ArgumentParser(prog="python -m tests.servers.smtp_relay")
    ap.add_argument("--dovecot-dir", required=True, help="dir of a started tests.servers.dovecot")
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS", category=UserWarning)
    warnings.filterwarnings("ignore", message="Session.login_data is deprecated", category=DeprecationWarning)
    dv = DovecotServer(args.dovecot_dir, daemon=True)
    if not dv.is_running():
        print(f"Dovecot is not running in {args.dovecot_dir}", file=sys.stderr)
        return 1
    relay = SmtpRelay.for_dovecot(dv).start()
    print(json.dumps(relay.info(), indent=2), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        relay.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
