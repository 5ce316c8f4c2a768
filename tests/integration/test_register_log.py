"""The register log on a real Dovecot: APPENDUID, numbering read back, keyword, offline queue (R7.1a-1, R3.2)."""

from __future__ import annotations

from email.utils import make_msgid

import pytest

from camau_desk import audit
from camau_desk.accounts import Account
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.connect import imap_connect
from camau_desk.mail.sync import sync_account
from camau_desk.register import log as rlog
from camau_desk.register import service as svc
from camau_desk.store import open_db
from camau_desk.store.db import transaction

pytestmark = pytest.mark.integration

USER = "vanthu"


def account_for(server) -> Account:
    u = server.users[USER]
    return Account(name=USER, role="agency", email=u.address, imap_host="127.0.0.1", imap_port=server.imaps_port,
                   smtp_host="127.0.0.1", smtp_port=25, security="ssl", login=u.login, ca_file=str(server.ca_file))


class Desk:
    """One clerk workstation: its own profile database, blobs and mirror."""

    def __init__(self, server, root) -> None:
        self.server = server
        self.account = account_for(server)
        self.password = server.users[USER].password
        self.db = open_db(root / "db.sqlite3")
        self.blobs = BlobStore(root / "blobs")
        self.mirror = root / "mirror"
        row = dict(self.account.__dict__, is_local=0, created_at=audit.now_iso())
        with transaction(self.db):
            self.db["accounts"].insert(row)

    def factory(self):
        return imap_connect(self.account, self.password)

    def sync_mail(self):
        return sync_account(self.db, self.blobs, self.account, password=self.password)


def mail(subject: str, body: str = "Kính gửi Sở Thông tin và Truyền thông.") -> bytes:
    from email.header import Header

    return (f"From: vp@camau.gov.vn\r\nTo: vanthu@sotttt.camau.gov.vn\r\n"
            f"Subject: {Header(subject, 'utf-8').encode()}\r\n"
            f"Date: Mon, 4 Mar 2024 08:00:00 +0700\r\nMessage-ID: {make_msgid(domain='camau.gov.vn')}\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"{body}\r\n").encode()


@pytest.fixture()
def desk(fresh_mailbox, tmp_path):
    return Desk(fresh_mailbox, tmp_path / "pc1")


def test_append_event_returns_increasing_uids_and_fetch_reads_them_back(fresh_mailbox):
    c = fresh_mailbox.imap(USER)
    folder = rlog.DEFAULT_FOLDER
    evs = [rlog.new_event("paper", 2026, {"trich_yeu": f"Giấy mời {i}"}, claim=i + 1, user="u", workstation="w")
           for i in range(3)]
    got = [rlog.append_event(c, folder, e) for e in evs]
    validity = got[0][0]
    assert all(v == validity for v, _ in got) and [u for _, u in got] == sorted({u for _, u in got})
    uv, events = rlog.read_log(c, folder, 0)
    assert uv == validity and [e for _, e in events] == evs
    assert rlog.fetch_events(c, folder, got[1][1]) == [(got[2][1], evs[2])]
    assert rlog.fetch_events(c, folder, got[2][1]) == []
    c.logout()


def test_R7_1a_1_register_message_via_log_number_keyword_and_files(desk):
    desk.server.deliver(USER, mail("Công văn số 15/UBND-KT về việc báo cáo quý I"))
    desk.sync_mail()
    mid = desk.db.execute("SELECT id FROM messages").fetchone()[0]
    e = svc.register(desk.db, desk.blobs, desk.account, mid, {}, client_factory=desk.factory,
                     mirror_root=desk.mirror)
    assert (e["so_den"], e["so_ky_hieu"], e["status"]) == (1, "15/UBND-KT", "registered")
    c = desk.server.imap(USER)
    c.select_folder("INBOX", readonly=True)
    flags = next(iter(c.fetch(c.search(["ALL"]), ["FLAGS"]).values()))[b"FLAGS"]
    assert svc.KEYWORD.encode() in flags
    events = rlog.fetch_events(c, rlog.DEFAULT_FOLDER, 0)
    assert [ev["type"] for _, ev in events] == ["register"] and events[0][1]["claim"] == 1
    c.logout()
    files = svc.list_entries(desk.db)[0]["files"]
    assert files and files[0]["path"].split("/")[-1].startswith("0001 - 15_UBND-KT - ")
    assert (desk.mirror / files[0]["path"]).is_file()
    # duplicate warned (same Message-ID), secret refused
    with pytest.raises(svc.DuplicateWarning):
        svc.register(desk.db, desk.blobs, desk.account, mid, {}, client_factory=desk.factory)
    desk.server.deliver(USER, mail("MẬT - Công văn số 3/CAT-PV", body="MẬT\r\nNội dung mật"))
    desk.sync_mail()
    # (the mail sync also copies the log folder's event messages: pick the mail by subject)
    secret = desk.db.execute("SELECT id FROM messages WHERE subject LIKE 'MẬT%'").fetchone()[0]
    with pytest.raises(svc.SecretDocument):
        svc.register(desk.db, desk.blobs, desk.account, secret, {}, client_factory=desk.factory,
                     mirror_root=desk.mirror)
    assert len(svc.list_entries(desk.db)) == 1


def test_R7_1a_1_offline_registrations_pending_then_consecutive_after_restart(desk):
    svc.register_paper(desk.db, desk.account, {"trich_yeu": "trước khi mất mạng"}, client_factory=desk.factory)
    desk.server.stop()
    try:
        pend = [svc.register_paper(desk.db, desk.account, {"trich_yeu": f"khi mất mạng {i}"},
                                   client_factory=desk.factory) for i in range(3)]
        assert [p["status"] for p in pend] == ["pending"] * 3
    finally:
        desk.server.start()
    done = svc.flush_pending(desk.db, desk.account, client_factory=desk.factory)
    assert [(d["so_den"], d["trich_yeu"]) for d in done] == [(2, "khi mất mạng 0"), (3, "khi mất mạng 1"),
                                                             (4, "khi mất mạng 2")]
    assert svc.pending_count(desk.db) == 0


def test_uidvalidity_change_of_log_folder_is_verified_without_renumbering(desk, tmp_path):
    for i in range(3):
        svc.register_paper(desk.db, desk.account, {"trich_yeu": f"giấy {i}"}, client_factory=desk.factory)
    desk.server.change_uidvalidity(USER, rlog.DEFAULT_FOLDER)
    with svc._session(desk.factory) as c:
        rep = svc.sync_register(desk.db, desk.account, c)
    assert rep.uidvalidity_changed and rep.numbered == []
    e = svc.register_paper(desk.db, desk.account, {"trich_yeu": "sau"}, client_factory=desk.factory)
    assert e["so_den"] == 4
    other = Desk(desk.server, tmp_path / "pc2")
    with svc._session(other.factory) as c:
        svc.sync_register(other.db, other.account, c)
    assert [(r["so_den"], r["trich_yeu"]) for r in svc.list_entries(other.db)] == \
        [(r["so_den"], r["trich_yeu"]) for r in svc.list_entries(desk.db)]
