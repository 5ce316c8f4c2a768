"""A broken link mid-download (rural agencies, R2.1): the sync reconnects and completes.

The connection to Dovecot goes through tests/servers/tcp_proxy.py, which cuts
the TLS stream after a chosen number of bytes, in the middle of a FETCH.
"""

from __future__ import annotations

import os

import pytest

from camau_desk.accounts import Account
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import count_messages
from camau_desk.mail.sync import RetryPolicy, sync_account

pytestmark = pytest.mark.integration

USER = "vanthu2"


def _msg(i: int, size: int) -> bytes:
    import base64

    payload = base64.encodebytes(os.urandom(size)).replace(b"\n", b"\r\n")
    return (
        f"From: vp@camau.gov.vn\r\nSubject: proxy {i}\r\nMessage-ID: <proxy-{i}@camau.gov.vn>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"p\"\r\n\r\n--p\r\n"
        "Content-Type: text/plain\r\n\r\nxem tep\r\n--p\r\nContent-Type: application/octet-stream\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + payload + b"--p--\r\n"


def _account(server, port: int) -> Account:
    u = server.users[USER]
    return Account(name=USER, role="agency", email=u.address, imap_host="127.0.0.1", imap_port=port,
                   smtp_host="127.0.0.1", smtp_port=25, security="ssl", login=u.login, ca_file=str(server.ca_file))


@pytest.fixture()
def loaded(fresh_mailbox):
    fresh_mailbox.append(USER, "INBOX", [_msg(i, 60_000 + 1000 * i) for i in range(40)])  # ~3.5 MB
    return fresh_mailbox


def test_R2_1_connection_cut_mid_fetch_completes_on_retry(loaded, tcp_proxy, db, profile):
    proxy = tcp_proxy(loaded.imaps_port)
    proxy.cut_after_bytes(1_500_000)  # well inside the body FETCHes
    blobs = BlobStore(profile.blobs_dir)
    r = sync_account(db, blobs, _account(loaded, proxy.port), password=loaded.users[USER].password,
                     chunk_size=8, retry=RetryPolicy(attempts=4, base=0.05, jitter=0))
    assert proxy.cuts == 1 and proxy.connections >= 2
    assert r.errors == [] and r.new == 40
    assert count_messages(db, account=USER) == 40
    assert db.execute("SELECT COUNT(*) FROM locations").fetchone()[0] == 40


@pytest.mark.parametrize("prefetch", [True, False])
def test_R2_1_server_unreachable_keeps_committed_chunks_and_reports_in_vietnamese(loaded, tcp_proxy, db, profile,
                                                                                  prefetch):
    proxy = tcp_proxy(loaded.imaps_port)
    blobs = BlobStore(profile.blobs_dir)

    def progress(ev) -> None:
        if ev.phase == "fetch" and ev.done >= 8 and not proxy._refuse:
            proxy.refuse_new(True)  # the link goes down for good
            proxy.drop_all()

    r = sync_account(db, blobs, _account(loaded, proxy.port), password=loaded.users[USER].password,
                     chunk_size=4, progress=progress, prefetch=prefetch,
                     retry=RetryPolicy(attempts=3, base=0.02, jitter=0))
    assert r.errors and "kết nối" in r.errors[0]
    kept = count_messages(db, account=USER)
    assert 8 <= kept < 40  # committed chunks stay (prefetch runs at most a few chunks ahead)
    proxy.refuse_new(False)
    r2 = sync_account(db, blobs, _account(loaded, proxy.port), password=loaded.users[USER].password)
    assert r2.errors == [] and r2.new == 40 - kept
    assert count_messages(db, account=USER) == 40
