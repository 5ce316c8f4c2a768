"""IMAP sync against a real Dovecot: incremental, read-only, never losing or duplicating (issue 3).

R1 (receive documents), R2.1 (standard IMAP over verified TLS), R3.3 (what was
received is kept intact, also after the server deletes it).
"""

from __future__ import annotations

import hashlib
import os
from email.utils import make_msgid

import pytest

from camau_desk.accounts import Account
from camau_desk.errors import StorageError
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import count_messages, get_message, list_messages, raw_bytes
from camau_desk.mail.sync import RetryPolicy, SyncProgress, sync_account, uid_fetch
from camau_desk.store.db import transaction

pytestmark = pytest.mark.integration

USER = "vanthu"


def account_for(server, user: str = USER) -> Account:
    u = server.users[user]
    return Account(
        name=user, role="agency", email=u.address, imap_host="127.0.0.1", imap_port=server.imaps_port,
        smtp_host="127.0.0.1", smtp_port=25, security="ssl", login=u.login, ca_file=str(server.ca_file),
    )


def password(server, user: str = USER) -> str:
    return server.users[user].password


def plain(i: int, subject: str | None = None, body: str = "Kính gửi Sở.\r\n") -> bytes:
    subject = subject or f"Công văn số {i}/STTTT-VP"
    from email.header import Header

    return (
        f"From: {Header('Văn phòng UBND', 'utf-8').encode()} <vp@camau.gov.vn>\r\n"
        f"To: vanthu@sotttt.camau.gov.vn\r\n"
        f"Subject: {Header(subject, 'utf-8').encode()}\r\n"
        f"Date: Mon, 4 Mar 2024 08:{i % 60:02d}:00 +0700\r\n"
        f"Message-ID: {make_msgid(domain='camau.gov.vn')}\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{body}Số thứ tự {i}.\r\n"
    ).encode()


def malformed() -> list[bytes]:
    """The mail a province inbox really gets: wrong charsets, missing headers, raw 8-bit, broken MIME."""
    big = os.urandom(5 * 1024 * 1024)
    import base64

    b64 = base64.encodebytes(big).replace(b"\n", b"\r\n")
    return [
        # unknown charset with 8-bit bytes
        b"From: a@b.vn\r\nSubject: =?x-unknown?q?B=E1o_c=E1o?=\r\nMessage-ID: <bad-charset@x>\r\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\r\n\r\nB\xe1o c\xe1o qu\xfd 1\r\n",
        # no headers at all
        b"\r\nchi co noi dung, khong co tieu de\r\n",
        # only a body line, no blank line
        b"Noi dung khong co dong trong\r\n",
        # raw UTF-8 and Latin-1 in headers
        "From: Nguyễn Văn A <a@camau.gov.vn>\r\nSubject: Giấy mời họp\r\nMessage-ID: <8bit@x>\r\n\r\nNội dung\r\n"
        .encode(),
        b"From: \xe9t\xe9 <x@y.fr>\r\nSubject: caf\xe9\r\n\r\nlatin-1\r\n",
        # broken multipart: boundary never closed, a part with a bogus encoding
        b"From: a@b.vn\r\nSubject: broken multipart\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
        b"--XYZ\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"!!!not base64!!!\r\n",
        # multipart without a boundary parameter
        b"From: a@b.vn\r\nSubject: no boundary\r\nContent-Type: multipart/mixed\r\n\r\nxx\r\n",
        # a 5 MB attachment
        b"From: vp@camau.gov.vn\r\nSubject: =?utf-8?b?" + base64.b64encode("Hồ sơ 5 MB".encode()) + b"?=\r\n"
        b"Message-ID: <big@camau.gov.vn>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Xem t\xe1\xbb\x87p \xc4\x91\xc3\xadnh k\xc3\xa8m.\r\n"
        b"--B\r\nContent-Type: application/pdf; name=\"hoso.pdf\"\r\n"
        b"Content-Disposition: attachment; filename=\"hoso.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + b64 + b"--B--\r\n",
    ]


@pytest.fixture()
def mailbox(fresh_mailbox):
    return fresh_mailbox


@pytest.fixture()
def blobs(profile):
    return BlobStore(profile.blobs_dir)


def sync(db, blobs, server, **kw):
    kw.setdefault("retry", RetryPolicy(attempts=3, base=0.05, jitter=0))
    return sync_account(db, blobs, account_for(server), password=password(server), **kw)


def server_flags(server, folder: str = "INBOX") -> dict[int, tuple]:
    with server.imap(USER) as c:
        c.select_folder(folder, readonly=True)
        return {uid: d[b"FLAGS"] for uid, d in uid_fetch(c, "1:*", ["FLAGS"]).items()}


def test_R1_R3_3_initial_sync_stores_every_message_once_and_resync_adds_nothing(mailbox, db, blobs):
    msgs = [plain(i) for i in range(40)] + malformed()
    mailbox.append(USER, "INBOX", msgs)
    events: list[SyncProgress] = []

    r = sync(db, blobs, mailbox, progress=events.append, chunk_size=7)

    assert r.errors == []
    assert r.new == len(msgs)
    assert "INBOX" in r.folders
    rows = list_messages(db, account=USER, folder="INBOX")
    assert len(rows) == len(msgs) == len({row["id"] for row in rows})
    # every original is kept byte for byte (R3.3)
    stored = {hashlib.sha256(raw_bytes(db, blobs, row["id"])).hexdigest() for row in rows}
    assert stored == {hashlib.sha256(m).hexdigest() for m in msgs}
    assert db.execute("SELECT COUNT(*) FROM locations").fetchone()[0] == len(msgs)
    # progress: monotone, ends at the total, with bytes
    fetch = [e for e in events if e.phase == "fetch"]
    assert fetch and fetch[-1].done == len(msgs) and fetch[-1].bytes_done >= 5 * 1024 * 1024
    assert all(a.done <= b.done for a, b in zip(fetch, fetch[1:], strict=False))

    again = sync(db, blobs, mailbox)
    assert (again.new, again.changed, again.removed, again.errors) == (0, 0, 0, [])
    assert count_messages(db, account=USER) == len(msgs)
    assert db.execute("SELECT COUNT(*) FROM locations").fetchone()[0] == len(msgs)


def test_R2_1_sync_is_read_only_and_never_sets_seen(mailbox, db, blobs):
    """The shared agency inbox: reading it on one desk must not mark it read for the others."""
    mailbox.append(USER, "INBOX", [plain(i) for i in range(5)])
    sync(db, blobs, mailbox)
    assert all(b"\\Seen" not in f for f in server_flags(mailbox).values())


@pytest.mark.parametrize("condstore", [True, False], ids=["condstore", "full-flags-diff"])
def test_flag_set_by_another_client_shows_up(mailbox, db, blobs, condstore):
    uids = mailbox.append(USER, "INBOX", [plain(i) for i in range(6)])
    connect = None
    if not condstore:
        from camau_desk.mail.connect import imap_connect

        def connect(account, pw):
            c = imap_connect(account, pw)
            caps = tuple(x for x in c.capabilities() if x.upper() not in (b"CONDSTORE", b"QRESYNC"))
            c.capabilities = lambda: caps
            return c

    sync(db, blobs, mailbox, connect=connect)
    with mailbox.imap(USER) as c:
        c.select_folder("INBOX")
        c.add_flags([uids[2]], [b"\\Seen", b"\\Flagged"])
        c.add_flags([uids[4]], [b"$Junk"])
    r = sync(db, blobs, mailbox, connect=connect)
    assert r.errors == [] and r.changed == 2 and r.new == 0
    assert r.spam == 1  # re-classified by another client's $Junk counts too
    by_uid = {row["uid"]: row for row in list_messages(db, account=USER, folder="INBOX")}
    assert set(by_uid[uids[2]]["flags"]) == {"\\Seen", "\\Flagged"}
    assert by_uid[uids[4]]["is_spam"] is True  # R7.1a-1: another client filed it as junk
    assert not by_uid[uids[1]]["flags"]


def test_R3_3_expunged_on_server_stays_readable_marked_removed(mailbox, db, blobs):
    msgs = [plain(i) for i in range(4)]
    uids = mailbox.append(USER, "INBOX", msgs)
    sync(db, blobs, mailbox)
    with mailbox.imap(USER) as c:
        c.select_folder("INBOX")
        c.delete_messages([uids[1]])
        c.expunge()
    r = sync(db, blobs, mailbox)
    assert r.removed == 1 and r.new == 0 and r.errors == []
    rows = {row["uid"]: row for row in list_messages(db, account=USER, folder="INBOX")}
    assert len(rows) == 4
    assert rows[uids[1]]["removed_on_server"] is True
    assert raw_bytes(db, blobs, rows[uids[1]]["id"]) == msgs[1]
    assert sync(db, blobs, mailbox).removed == 0  # counted once


def test_R3_3_uidvalidity_change_keeps_every_message_exactly_once(mailbox, db, blobs):
    msgs = [plain(i) for i in range(12)] + malformed()[:3]
    uids = mailbox.append(USER, "INBOX", msgs)
    sync(db, blobs, mailbox)
    before = {row["id"] for row in list_messages(db, account=USER)}
    # one message disappears during the "server migration"
    with mailbox.imap(USER) as c:
        c.select_folder("INBOX")
        c.delete_messages([uids[0]])
        c.expunge()
    new_uv = mailbox.change_uidvalidity(USER, "INBOX")

    r = sync(db, blobs, mailbox)

    assert r.errors == [] and r.new == 0
    assert r.remapped == len(msgs) - 1 and r.removed == 1
    rows = list_messages(db, account=USER, folder="INBOX")
    assert {row["id"] for row in rows} == before  # same rows, nothing duplicated
    locs = db.execute("SELECT uidvalidity, removed_on_server FROM locations").fetchall()
    assert len(locs) == len(msgs)
    assert sorted(locs).count((new_uv, 0)) == len(msgs) - 1
    assert db.execute("SELECT uidvalidity FROM folders WHERE name = 'INBOX' AND account = ?", [USER]).fetchone()[0] \
        == new_uv
    # and a further sync is quiet
    again = sync(db, blobs, mailbox)
    assert (again.new, again.removed, again.remapped, again.changed) == (0, 0, 0, 0)


def test_R7_1a_1_junk_folder_message_is_spam_and_other_folders_are_synced(mailbox, db, blobs):
    mailbox.append(USER, "INBOX", [plain(1)])
    mailbox.append(USER, "Junk", [plain(2, "Quảng cáo khuyến mãi")])
    mailbox.append(USER, "Sent", [plain(3, "Báo cáo đã gửi")])
    mailbox.append(USER, "Hồ sơ/CV 2024.10", [plain(4, "Lưu hồ sơ")])
    r = sync(db, blobs, mailbox)
    assert r.errors == [] and r.new == 4 and r.spam == 1
    assert {"INBOX", "Junk", "Sent", "Hồ sơ/CV 2024.10"} <= set(r.folders)
    roles = dict(db.execute("SELECT name, role FROM folders WHERE account = ?", [USER]).fetchall())
    assert roles["INBOX"] == "inbox" and roles["Junk"] == "junk" and roles["Sent"] == "sent"
    junk = list_messages(db, account=USER, folder="Junk")
    assert len(junk) == 1 and junk[0]["is_spam"] is True
    assert all(not m["is_spam"] for m in list_messages(db, account=USER, folder="INBOX"))


def test_cancel_between_chunks_keeps_committed_chunks(mailbox, db, blobs):
    mailbox.append(USER, "INBOX", [plain(i) for i in range(30)])
    calls = {"n": 0}

    def cancel() -> bool:
        return db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] >= 10

    r = sync(db, blobs, mailbox, chunk_size=5, cancel=cancel, prefetch=calls["n"] == 0)
    assert r.cancelled
    kept = count_messages(db, account=USER)
    assert 10 <= kept < 30
    r2 = sync(db, blobs, mailbox, chunk_size=5)
    assert r2.new == 30 - kept and count_messages(db, account=USER) == 30


def test_R2_1_wrong_password_is_a_vietnamese_error_not_an_exception(mailbox, db, blobs):
    r = sync_account(db, blobs, account_for(mailbox), password="sai-mat-khau",
                     retry=RetryPolicy(attempts=3, base=0.01))
    assert r.errors and "từ chối đăng nhập" in r.errors[0]
    assert r.new == 0


def test_cli_sync_prints_counts_and_json(mailbox, tmp_path, memory_keyring, capsys):
    import json

    from camau_desk import accounts
    from camau_desk.cli import main
    from camau_desk.store import open_db

    data = tmp_path / "cli-profile"
    db = open_db(data / "camau_desk.sqlite3")
    accounts.add_account(db, account_for(mailbox), password(mailbox))
    db.conn.close()
    mailbox.append(USER, "INBOX", [plain(i) for i in range(3)])
    mailbox.append(USER, "Junk", [plain(9)])

    assert main(["sync", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "vanthu: 4 thư mới, 0 thay đổi, 0 đã xóa trên máy chủ, 1 thư rác, 0 lỗi" in out

    assert main(["sync", USER, "--json", "--data-dir", str(data)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["account"] == USER and doc[0]["new"] == 0 and doc[0]["errors"] == []

    memory_keyring.set_password("camau-desk", USER, "sai")  # wrong password -> exit 1, Vietnamese sentence
    for key in list(memory_keyring.store):
        memory_keyring.store[key] = "sai"
    assert main(["sync", USER, "--data-dir", str(data)]) == 1
    assert "từ chối đăng nhập" in capsys.readouterr().err


@pytest.mark.parametrize("use_idle", [True, False], ids=["idle", "poll"])
def test_R5_idle_watcher_reports_new_mail_and_renews(mailbox, use_idle):
    import threading

    from camau_desk.mail.idle import IdleWatcher

    got = threading.Event()
    stop = threading.Event()
    w = IdleWatcher(account_for(mailbox), got.set, stop, password=password(mailbox), renew_s=0.5, poll_s=0.3,
                    check_s=0.1, use_idle=use_idle)
    w.start()
    try:
        deadline = __import__("time").monotonic() + 10
        while w.status not in ("idle", "polling") and __import__("time").monotonic() < deadline:
            __import__("time").sleep(0.05)
        __import__("time").sleep(0.8 if use_idle else 0.1)  # at least one IDLE renewal
        mailbox.deliver(USER, plain(1))
        assert got.wait(10)
        if use_idle:
            assert w.renewals >= 2
    finally:
        stop.set()
        w.join(5)
    assert not w.is_alive() and w.status == "stopped"
    with mailbox.imap(USER) as c:  # watching is read-only too
        c.select_folder("INBOX", readonly=True)
        assert all(b"\\Seen" not in d[b"FLAGS"] for d in uid_fetch(c, "1:*", ["FLAGS"]).values())


def test_R3_3_register_log_folder_is_never_synced_as_mail(mailbox, db, blobs):
    """The register keeps its event log in IMAP (setting register_folder); it is not mail."""
    from camau_desk import settings

    mailbox.append(USER, "INBOX", [plain(1)])
    mailbox.append(USER, "CamauDesk/SoVanBanDen", [plain(2, "[CamauDesk] register 2026")])
    mailbox.append(USER, "CamauDesk/Khac", [plain(3, "[CamauDesk] other")])
    mailbox.append(USER, "So den rieng", [plain(4, "[CamauDesk] register 2027")])
    with transaction(db):
        settings.set(db, "register_folder", "So den rieng")
    r = sync(db, blobs, mailbox)
    assert r.errors == [] and r.new == 1 and "INBOX" in r.folders
    names = {n for (n,) in db.execute("SELECT name FROM folders WHERE account = ?", [USER]).fetchall()}
    assert "INBOX" in names and not any(n.startswith("CamauDesk") or n == "So den rieng" for n in names)
    assert not any(n.startswith("CamauDesk") or n == "So den rieng" for n in r.folders)
    assert [m["subject"] for m in list_messages(db, account=USER)] == ["Công văn số 1/STTTT-VP"]


def attached(i: int) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "vp@camau.gov.vn", "vanthu@sotttt.camau.gov.vn", f"Công văn {i}/UBND"
    msg["Message-ID"] = make_msgid(domain="camau.gov.vn")
    msg.set_content(f"Kính gửi Sở. Văn bản số {i} đính kèm.")
    msg.add_attachment(os.urandom(50_000), maintype="application", subtype="pdf", filename=f"{i}-UBND.pdf")
    return msg.as_bytes()


def test_R1_sync_indexes_bodies_and_attachments_before_it_returns(mailbox, db, blobs):
    """Raw first, index later: after sync_account (index=True) bodies and attachments are there."""
    mailbox.append(USER, "INBOX", [attached(i) for i in range(5)])
    events: list[SyncProgress] = []
    r = sync(db, blobs, mailbox, progress=events.append, chunk_size=2)
    assert r.errors == [] and r.new == 5 and r.indexed == 5
    index = [e for e in events if e.phase == "index"]
    assert index and index[-1].done == index[-1].total == 5
    assert [e.phase for e in events].index("index") > max(i for i, e in enumerate(events) if e.phase == "fetch")
    assert db.execute("SELECT COUNT(*) FROM messages WHERE parsed = 0").fetchone()[0] == 0
    rows = list_messages(db, account=USER, folder="INBOX")
    assert all(row["attachment_count"] == 1 for row in rows)
    assert all("Kính gửi Sở." in get_message(db, row["id"])["body_text"] for row in rows)


def test_R1_sync_without_index_leaves_rows_pending_for_parse_pending(mailbox, db, blobs):
    from camau_desk.mail.indexer import count_pending, parse_pending

    mailbox.append(USER, "INBOX", [attached(i) for i in range(3)])
    r = sync(db, blobs, mailbox, index=False)
    assert r.new == 3 and r.indexed == 0 and count_pending(db) == 3
    rows = list_messages(db, account=USER, folder="INBOX")
    assert sorted(row["subject"] for row in rows) == [f"Công văn {i}/UBND" for i in range(3)]  # list is usable
    again = sync(db, blobs, mailbox)  # the next sync indexes what an earlier one left
    assert again.new == 0 and again.indexed == 3 and count_pending(db) == 0
    assert parse_pending(db, blobs) == 0


def test_R6_2_cli_sync_mirrors_and_indexes_what_arrived(mailbox, tmp_path, memory_keyring, capsys):
    """After `sync` the offline folder holds the new mail and search finds it, with no extra command."""
    import json

    from camau_desk import accounts
    from camau_desk.archive import mirror
    from camau_desk.cli import main
    from camau_desk.store import open_db

    data = tmp_path / "archive-profile"
    db = open_db(data / "camau_desk.sqlite3")
    accounts.add_account(db, account_for(mailbox), password(mailbox))
    mailbox.append(USER, "INBOX", [plain(i) for i in range(3)])
    assert main(["sync", "--json", "--data-dir", str(data)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["archive"]["mirrored"] == 3 and doc[0]["archive"]["indexed"] == 3
    report = mirror.verify(db, data / "mirror")
    assert report.ok and report.checked >= 3
    assert len(list((data / "mirror").rglob("*.eml"))) == 3
    subject = db.execute("SELECT subject FROM messages LIMIT 1").fetchone()[0]
    assert main(["search", subject.split()[0], "--json", "--data-dir", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)


def test_R6_2_archiving_parses_headers_first_rows_before_mirroring_and_indexing(mailbox, db, blobs, tmp_path):
    """A sync cut before its index phase leaves header-only rows: the archive step completes them first."""
    from camau_desk.archive.keeper import archive_new_mail
    from camau_desk.mail.indexer import count_pending

    mailbox.append(USER, "INBOX", [attached(i) for i in range(2)])
    sync(db, blobs, mailbox, index=False)
    assert count_pending(db) == 2
    counts = archive_new_mail(db, blobs, tmp_path / "mirror")
    assert count_pending(db) == 0 and counts["mirrored"] == 2 and counts["indexed"] == 2
    assert db.execute("SELECT COUNT(*) FROM search_docs WHERE doc_kind = 'message'").fetchone()[0] == 2
    assert db.execute("SELECT COUNT(*) FROM messages WHERE parsed = 1 AND has_attachments = 1").fetchone()[0] == 2


class _FillingDisk(BlobStore):
    """A blob store whose disk is full after ``room`` blobs (ENOSPC from the writer thread)."""

    def __init__(self, root, room: int) -> None:
        super().__init__(root)
        self.room = room

    def put(self, raw: bytes) -> str:
        if self.room <= 0:
            raise StorageError("Không ghi được thư: ổ đĩa đầy (No space left on device).")
        self.room -= 1
        return super().put(raw)


@pytest.mark.parametrize("prefetch", [True, False])
def test_R3_3_disk_full_mid_sync_keeps_whole_chunks_with_their_blobs_and_resumes(mailbox, db, profile, prefetch):
    msgs = [plain(i) for i in range(30)]
    mailbox.append(USER, "INBOX", msgs)
    full = _FillingDisk(profile.blobs_dir, room=12)

    r = sync(db, full, mailbox, chunk_size=5, prefetch=prefetch, retry=RetryPolicy(attempts=1, base=0, jitter=0))

    assert r.errors and "ổ đĩa đầy" in " ".join(r.errors)
    kept = count_messages(db, account=USER)
    assert kept % 5 == 0 and 5 <= kept <= 10  # whole chunks only
    for row in list_messages(db, account=USER, folder="INBOX"):
        assert raw_bytes(db, full, row["id"])  # no row without its bytes
    again = sync(db, BlobStore(profile.blobs_dir), mailbox, chunk_size=5, prefetch=prefetch)
    assert again.errors == [] and again.new == 30 - kept
    assert count_messages(db, account=USER) == 30
