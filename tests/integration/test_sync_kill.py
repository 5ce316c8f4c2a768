"""Kill -9 the sync at several points; the next sync still stores each message exactly once.

Invariant 1 / R3.3: raw bytes before rows, one transaction per chunk, the
ledger is the ``locations`` table itself.  A child process (``python -c``)
syncs a 2,000-message mailbox and is SIGKILLed by this process after a delay
or once N message rows are visible; a final normal sync must leave every
message once, every blob matching its hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from email.header import Header
from pathlib import Path

import pytest

from camau_desk.accounts import Account
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.sync import RetryPolicy, sync_account
from camau_desk.store import open_db

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
USER = "donvi2"  # a mailbox of its own: the corpus is loaded once for the module
N = 2000

CHILD = r"""
import json, sys
from camau_desk.accounts import Account
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.sync import sync_account
from camau_desk.store import open_db
cfg = json.loads(sys.argv[1])
db = open_db(cfg["db"])
r = sync_account(db, BlobStore(cfg["blobs"]), Account(**cfg["account"]), password=cfg["password"],
                 chunk_size=cfg["chunk"])
print(json.dumps(r.as_dict()))
"""


def _message(i: int) -> bytes:
    body = ("Kính gửi các phòng, ban.\r\n" * (1 + i % 7)) + f"Văn bản số {i}.\r\n"
    attach = b""
    if i % 10 == 0:  # some with a small attachment so chunks vary in size
        import base64

        data = base64.encodebytes(hashlib.sha256(str(i).encode()).digest() * 600).replace(b"\n", b"\r\n")
        return (
            f"From: vp@camau.gov.vn\r\nTo: {USER}@sotttt.camau.gov.vn\r\n"
            f"Subject: {Header(f'Kế hoạch số {i}/KH-UBND', 'utf-8').encode()}\r\n"
            f"Message-ID: <kill-{i}@camau.gov.vn>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        ).encode() + body.encode() + (
            b"--b\r\nContent-Type: application/pdf; name=\"kh.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ) + data + b"--b--\r\n" + attach
    return (
        f"From: vp@camau.gov.vn\r\nTo: {USER}@sotttt.camau.gov.vn\r\n"
        f"Subject: {Header(f'Công văn số {i}/UBND-VP', 'utf-8').encode()}\r\n"
        f"Message-ID: <kill-{i}@camau.gov.vn>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
    ).encode("utf-8")


@pytest.fixture(scope="module")
def corpus(dovecot):
    dovecot.reset_user(USER)
    msgs = [_message(i) for i in range(N)]
    dovecot.append(USER, "INBOX", msgs)
    return {hashlib.sha256(m).hexdigest() for m in msgs}


def _account(server) -> Account:
    u = server.users[USER]
    return Account(name=USER, role="unit", email=u.address, imap_host="localhost", imap_port=server.imaps_port,
                   smtp_host="localhost", smtp_port=25, security="ssl", login=u.login, ca_file=str(server.ca_file))


def _rows(db_path: Path, sql: str = "SELECT COUNT(*) FROM messages") -> int:
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute(sql).fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _run_and_kill(server, data: Path, *, after_s: float | None = None, after_rows: int | None = None,
                  chunk: int = 50, rows_sql: str = "SELECT COUNT(*) FROM messages") -> str:
    """Start the child sync; SIGKILL it at the chosen point. Returns what happened."""
    from dataclasses import asdict

    cfg = {"db": str(data / "db.sqlite3"), "blobs": str(data / "blobs"), "account": asdict(_account(server)),
           "password": server.users[USER].password, "chunk": chunk}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(cfg)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    start = time.monotonic()
    try:
        while proc.poll() is None:
            elapsed = time.monotonic() - start
            if (after_s is not None and elapsed >= after_s) or (
                    after_rows is not None and _rows(Path(cfg["db"]), rows_sql) >= after_rows):
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(10)
                return "killed"
            if elapsed > 60:
                raise AssertionError("child sync took more than 60 s")
            time.sleep(0.005)
        out, err = proc.communicate()
        assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
        return "finished"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _check_exactly_once(data: Path, expected: set[str]) -> None:
    db = open_db(data / "db.sqlite3")
    blobs = BlobStore(data / "blobs")
    try:
        shas = [r[0] for r in db.execute("SELECT sha256 FROM messages").fetchall()]
        assert len(shas) == len(set(shas)) == len(expected)
        assert set(shas) == expected
        # one live location per server message, none removed
        locs = db.execute("SELECT uidvalidity, uid, removed_on_server FROM locations").fetchall()
        assert len(locs) == len(expected) == len({(uv, uid) for uv, uid, _ in locs})
        assert not any(rem for _, _, rem in locs)
        # every blob is there and its bytes hash to its name (raw bytes written before rows)
        bad = [s for s in shas if not blobs.verify(s)]
        assert bad == []
        for s in shas[:50]:
            assert hashlib.sha256(blobs.get(s)).hexdigest() == s
    finally:
        db.conn.close()


def test_R3_3_sigkill_at_several_points_then_final_sync_stores_each_message_once(dovecot, corpus, tmp_path):
    data = tmp_path / "profile"
    data.mkdir()
    outcomes = [
        _run_and_kill(dovecot, data, after_s=0.25),  # during start-up / first chunk
        _run_and_kill(dovecot, data, after_rows=150),
        _run_and_kill(dovecot, data, after_rows=700, chunk=120),
        _run_and_kill(dovecot, data, after_rows=1400, chunk=7),
    ]
    assert outcomes.count("killed") >= 3, outcomes
    db = open_db(data / "db.sqlite3")
    try:
        before = db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        assert 0 < before < N  # it really was interrupted part-way
        r = sync_account(db, BlobStore(data / "blobs"), _account(dovecot), password=dovecot.users[USER].password,
                         retry=RetryPolicy(attempts=2, base=0.05))
        assert r.errors == [] and r.new == N - before
    finally:
        db.conn.close()
    _check_exactly_once(data, corpus)


def test_R3_3_sigkill_during_uidvalidity_remap_loses_and_duplicates_nothing(dovecot, corpus, tmp_path):
    data = tmp_path / "profile"
    data.mkdir()
    assert _run_and_kill(dovecot, data) == "finished"
    new_uv = dovecot.change_uidvalidity(USER, "INBOX")
    remapped = f"SELECT COUNT(*) FROM locations WHERE uidvalidity = {new_uv}"
    assert _run_and_kill(dovecot, data, after_rows=600, chunk=60, rows_sql=remapped) == "killed"
    assert 600 <= _rows(data / "db.sqlite3", remapped) < N  # killed half-way through the re-mapping
    db = open_db(data / "db.sqlite3")
    try:
        r = sync_account(db, BlobStore(data / "blobs"), _account(dovecot), password=dovecot.users[USER].password)
        assert r.errors == [] and r.new == 0
    finally:
        db.conn.close()
    _check_exactly_once(data, corpus)


def test_R3_3_sigkill_while_the_index_overlaps_the_fetch_then_next_sync_parses_the_rest(dovecot, corpus, tmp_path):
    """Issue 3 overlap: killed with some rows parsed by the pool and the fetch unfinished; nothing lost."""
    data = tmp_path / "profile"
    data.mkdir()
    parsed = "SELECT COUNT(*) FROM messages WHERE parsed = 1"
    assert _run_and_kill(dovecot, data, after_rows=100, chunk=25, rows_sql=parsed) == "killed"
    db_path = data / "db.sqlite3"
    stored, done = _rows(db_path), _rows(db_path, parsed)
    assert 100 <= done and done < N and stored < N  # the pool parsed while the fetch was still going
    db = open_db(db_path)
    try:
        r = sync_account(db, BlobStore(data / "blobs"), _account(dovecot), password=dovecot.users[USER].password)
        assert r.errors == [] and r.new == N - stored
        assert r.indexed == N - done  # the killed run's parsed=0 rows are parsed by this one
        assert db.execute("SELECT COUNT(*) FROM messages WHERE parsed = 0").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM messages WHERE body_text = ''").fetchone()[0] == 0
    finally:
        db.conn.close()
    _check_exactly_once(data, corpus)
