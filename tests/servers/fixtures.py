"""Fixtures for tests against a real Dovecot and the SMTP relay (a pytest plugin, see tests/conftest.py).

Integration tests and the GUI tests that need a real server share them.

One Dovecot and one relay per test session (per xdist worker), started in a
temp dir on free ports. Tests that need empty mailboxes use ``fresh_mailbox``;
tests that break a server (stop, refuse) get it back through the function
fixtures ``imap_server`` / ``smtp``.

Without Dovecot installed the tests that need it are skipped, except in CI
(``CI=true``) where a missing Dovecot is a failure: CI must not go green by
silently skipping the mail tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator

import pytest

from tests.servers.dovecot import DovecotServer, dovecot_available
from tests.servers.smtp_relay import AIOSMTPD_WARNING_FILTERS, SmtpRelay
from tests.servers.tcp_proxy import TcpProxy


def pytest_configure(config: pytest.Config) -> None:
    for flt in AIOSMTPD_WARNING_FILTERS:
        config.addinivalue_line("filterwarnings", flt)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _require_dovecot() -> None:
    if dovecot_available():
        return
    reason = "Dovecot is not installed (apt install dovecot-imapd dovecot-lmtpd)"
    if _in_ci():
        pytest.fail(f"{reason}; CI=true, so this is an error, not a skip", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A started DovecotServer shared by the session; stopped and deleted at the end."""
    _require_dovecot()
    # Directly under /tmp: the mail user (vmail) must traverse every parent dir,
    # and pytest's own tmp dirs are mode 0700.
    d = tempfile.mkdtemp(prefix="camau-dovecot-")
    server = DovecotServer(d)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if not os.environ.get("CAMAU_KEEP_TEST_SERVERS"):
            shutil.rmtree(d, ignore_errors=True)


@pytest.fixture()
def imap_server(dovecot: DovecotServer) -> Iterator[DovecotServer]:
    """The session Dovecot, guaranteed running before and after the test (tests may stop it)."""
    dovecot.start()
    yield dovecot
    dovecot.start()


@pytest.fixture()
def fresh_mailbox(imap_server: DovecotServer) -> DovecotServer:
    """The session Dovecot with every test user's mailbox emptied (extra folders deleted)."""
    imap_server.reset_all()
    return imap_server


@pytest.fixture(scope="session")
def smtp_server(dovecot: DovecotServer) -> Iterator[SmtpRelay]:
    """SMTP relay (STARTTLS / SMTPS / plain ports, AUTH required) delivering into ``dovecot``."""
    relay = SmtpRelay.for_dovecot(dovecot).start()
    try:
        yield relay
    finally:
        relay.stop()


@pytest.fixture()
def smtp(smtp_server: SmtpRelay, imap_server: DovecotServer) -> Iterator[SmtpRelay]:
    """The session relay, accepting and with an empty record; restored after the test."""
    smtp_server.accept()
    smtp_server.start()
    smtp_server.clear()
    yield smtp_server
    smtp_server.accept()
    smtp_server.start()


@pytest.fixture()
def tcp_proxy() -> Iterator[Callable[[int], TcpProxy]]:
    """Factory: ``tcp_proxy(target_port)`` -> a started TcpProxy to 127.0.0.1, closed after the test."""
    proxies: list[TcpProxy] = []

    def make(port: int, host: str = "127.0.0.1") -> TcpProxy:
        p = TcpProxy(host, port).start()
        proxies.append(p)
        return p

    yield make
    for p in proxies:
        p.stop()
