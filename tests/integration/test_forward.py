"""Trình lãnh đạo on the real servers: SMTP relay delivering into Dovecot (R7.1a-2..4, R7.1a-N, R3.2, R1)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from email.utils import make_msgid

import pytest

from camau_desk import audit
from camau_desk.accounts import Account
from camau_desk.errors import InvalidInput
from camau_desk.mail import compose, outbox
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.connect import imap_connect, smtp_connect
from camau_desk.mail.parse import iter_attachments, parse_message
from camau_desk.mail.sync import sync_account
from camau_desk.register import service as svc
from camau_desk.routing import delegation as dl
from camau_desk.routing import forward as fw
from camau_desk.routing import org
from camau_desk.routing import tracking as tr
from camau_desk.store import open_db
from camau_desk.store.db import transaction

pytestmark = pytest.mark.integration

D = dt.date
ORG = """kind,code,name,title,email,unit
agency,STTTT,Sở Thông tin và Truyền thông,,vanthu@sotttt.camau.gov.vn,
department,KHTC,Phòng Kế hoạch - Tài chính,,donvi1@sotttt.camau.gov.vn,STTTT
head,,Nguyễn Văn An,Giám đốc,giamdoc@sotttt.camau.gov.vn,STTTT
deputy,,Trần Thị Bình,Phó Giám đốc,phogiamdoc1@sotttt.camau.gov.vn,STTTT
deputy,,Lê Văn Cường,Phó Giám đốc,phogiamdoc2@sotttt.camau.gov.vn,STTTT
leader,,Phạm Đức Dũng,Trưởng phòng,truongphong@sotttt.camau.gov.vn,KHTC
"""
ATTS = [compose.Attachment("Công văn 470-UBND-VP.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 64, "application/pdf"),
        compose.Attachment("Phụ lục số liệu.xlsx", b"PK\x03\x04" + bytes(range(7, 250)) * 30,
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        compose.Attachment("Ghi chú.txt", "Dòng một\r\nDòng hai không xuống dòng".encode(), "text/plain")]


class Desk:
    """One clerk workstation logged in to the shared agency mailbox, with its own profile."""

    def __init__(self, server, relay, root, user="vanthu") -> None:
        u = server.users[user]
        self.password = u.password
        self.account = Account(name=user, role="agency", email=u.address, imap_host="127.0.0.1",
                               imap_port=server.imaps_port, smtp_host="127.0.0.1", smtp_port=relay.smtps_port,
                               security="ssl", login=u.login, ca_file=str(server.ca_file))
        self.db = open_db(root / "db.sqlite3")
        self.blobs = BlobStore(root / "blobs")
        with transaction(self.db):
            self.db["accounts"].insert(dict(self.account.__dict__, is_local=0, created_at=audit.now_iso()))
        org.import_csv(self.db, text=ORG)

    def imap(self, *_a):
        return imap_connect(self.account, self.password)

    def smtp(self, *_a):
        return smtp_connect(self.account, self.password)

    def forward(self, number, year, on=None):
        return fw.forward_entry(self.db, self.blobs, self.account, number, year, on=on, imap_factory=self.imap,
                                smtp_factory=self.smtp)

    def register_incoming(self, server, subject="V/v báo cáo tình hình chuyển đổi số quý I năm 2026",
                          body="Kính gửi Sở Thông tin và Truyền thông.") -> dict:
        raw = compose.to_bytes(compose.new_message(
            from_addr=("Văn phòng UBND tỉnh", "vp@camau.gov.vn"), to=[self.account.email], subject=subject,
            body=body, attachments=ATTS, message_id=make_msgid(domain="camau.gov.vn")))
        server.deliver("vanthu", raw)
        sync_account(self.db, self.blobs, self.account, password=self.password)
        mid = self.db.execute("SELECT id FROM messages WHERE message_id = ?",
                              [parse_message(raw).message_id]).fetchone()[0]
        return svc.register(self.db, self.blobs, self.account, mid,
                            {"tac_gia": "UBND tỉnh Cà Mau", "so_ky_hieu": "470/UBND-VP", "loai": "Công văn",
                             "trich_yeu": subject}, client_factory=self.imap, allow_duplicate=True)


def inbox(server, user, folder="INBOX") -> list[bytes]:
    c = server.imap(user)
    try:
        c.select_folder(folder, readonly=True)
        uids = c.search(["ALL"])
        return [d[b"BODY[]"] for _, d in sorted(c.fetch(uids, ["BODY.PEEK[]"]).items())] if uids else []
    finally:
        c.logout()


def forwards_for(server, user, number, year) -> list[bytes]:
    tag = f"X-Camau-So-Den: {number}/{year}".encode()
    return [m for m in inbox(server, user) if tag in m]


@pytest.fixture()
def desk(fresh_mailbox, smtp, tmp_path):
    return Desk(fresh_mailbox, smtp, tmp_path / "pc1")


def test_R7_1a_2_forward_arrives_with_identical_attachments_and_register_data(fresh_mailbox, smtp, desk):
    e = desk.register_incoming(fresh_mailbox)
    r = desk.forward(e["so_den"], e["year"], on=D(2026, 3, 10))
    assert r["outbox"]["status"] == "sent" and not r["under_delegation"]
    (got,) = forwards_for(fresh_mailbox, "giamdoc", e["so_den"], e["year"])
    pm = parse_message(got)
    assert pm.subject == f"[Số đến {e['so_den']}/{e['year']}] V/v báo cáo tình hình chuyển đổi số quý I năm 2026"
    for line in (f"- Số đến: {e['so_den']}/{e['year']}", "- Tác giả: UBND tỉnh Cà Mau",
                 "- Số, ký hiệu văn bản: 470/UBND-VP", "- Tên loại và trích yếu nội dung văn bản: Công văn V/v"):
        assert line in pm.text
    atts = [a for a in iter_attachments(got) if a.mime_type != "message/rfc822"][:len(ATTS)]
    assert [(a.filename, a.sha256) for a in atts] == [(a.filename, hashlib.sha256(a.data).hexdigest()) for a in ATTS]
    assert any(a.mime_type == "message/rfc822" for a in iter_attachments(got))
    sent = [m for m in inbox(fresh_mailbox, "vanthu", "Sent") if f"{e['so_den']}/{e['year']}".encode() in m]
    assert len(sent) == 1 and parse_message(sent[0]).message_id == r["message_id"]
    local = desk.db.execute("SELECT direction FROM messages WHERE message_id = ?", [r["message_id"]]).fetchone()
    assert local[0] == "out"
    assert fw.find_entry(desk.db, e["so_den"], e["year"])["status"] == "presented"


def test_R7_1a_N_delegation_routes_to_deputy_then_back_and_second_desk_agrees(fresh_mailbox, smtp, desk, tmp_path):
    e = desk.register_incoming(fresh_mailbox)
    d = dl.add_delegation(desk.db, desk.account, deputy="phogiamdoc1@sotttt.camau.gov.vn", start="09/03/2026",
                          end="13/03/2026", reason="Giám đốc đi công tác", client_factory=desk.imap)
    with pytest.raises(InvalidInput, match="trùng thời gian với ủy quyền cho Phó Giám đốc Trần Thị Bình"):
        dl.add_delegation(desk.db, desk.account, deputy="phogiamdoc2@sotttt.camau.gov.vn", start="12/03/2026",
                          end="15/03/2026", reason="Nghỉ phép", client_factory=desk.imap)
    r = desk.forward(e["so_den"], e["year"], on=D(2026, 3, 10))
    assert r["under_delegation"] and r["delegation"] == d["id"]
    (got,) = forwards_for(fresh_mailbox, "phogiamdoc1", e["so_den"], e["year"])
    assert "theo ủy quyền của Giám đốc Nguyễn Văn An từ 09/03/2026 đến 13/03/2026" in parse_message(got).text
    assert forwards_for(fresh_mailbox, "giamdoc", e["so_den"], e["year"]) == []
    desk.forward(e["so_den"], e["year"], on=D(2026, 3, 14))  # after the end date: the head again
    assert len(forwards_for(fresh_mailbox, "giamdoc", e["so_den"], e["year"])) == 1
    # a second workstation on the same agency mailbox routes the same way after syncing the log
    desk2 = Desk(fresh_mailbox, smtp, tmp_path / "pc2")
    dl.sync_log(desk2.db, desk2.account, client_factory=desk2.imap)
    for day in (D(2026, 3, 9), D(2026, 3, 13), D(2026, 3, 14)):
        p1, u1, _ = dl.recipient_for(desk.db, day)
        p2, u2, _ = dl.recipient_for(desk2.db, day)
        assert (p1["email"], u1) == (p2["email"], u2)
    assert dl.active_banner(desk2.db, D(2026, 3, 10)) == "Đang ủy quyền cho Phó Giám đốc Trần Thị Bình đến 13/03/2026"
    # the deputy's own client lists what came under delegation
    pdesk = Desk(fresh_mailbox, smtp, tmp_path / "deputy", user="phogiamdoc1")
    sync_account(pdesk.db, pdesk.blobs, pdesk.account, password=pdesk.password)
    assert dl.index_delegated(pdesk.db, pdesk.blobs, "phogiamdoc1") == 1
    (row,) = dl.list_delegated(pdesk.db, "phogiamdoc1")
    assert row["delegation"] == d["id"] and row["so_den"] == f"{e['so_den']}/{e['year']}"


def test_R3_2_secret_document_is_refused_and_nothing_is_sent(fresh_mailbox, smtp, desk):
    raw = compose.to_bytes(compose.new_message(from_addr="vp@camau.gov.vn", to=[desk.account.email],
                                               subject="MẬT - Kế hoạch bảo vệ", body="Nội dung mật"))
    fresh_mailbox.deliver("vanthu", raw)
    sync_account(desk.db, desk.blobs, desk.account, password=desk.password)
    mid = desk.db.execute("SELECT id FROM messages WHERE message_id = ?", [parse_message(raw).message_id]).fetchone()[0]
    with pytest.raises(svc.SecretDocument):
        svc.register(desk.db, desk.blobs, desk.account, mid, client_factory=desk.imap)
    fwd = compose.forward(raw, from_addr=desk.account.email, to=["giamdoc@sotttt.camau.gov.vn"],
                          subject="Fwd: MẬT - Kế hoạch bảo vệ")
    with pytest.raises(outbox.SecretRefused, match="không được gửi qua thư điện tử"):
        outbox.send_or_queue(desk.db, desk.blobs, desk.account, fwd, smtp_factory=desk.smtp, imap_factory=desk.imap)
    assert smtp.relayed == [] and inbox(fresh_mailbox, "giamdoc") == []


def test_R2_1_R7_1a_2_smtp_down_forward_waits_then_goes_out_exactly_once_and_only_then_is_presented(
        fresh_mailbox, smtp, desk, tmp_path):
    e = desk.register_incoming(fresh_mailbox)
    smtp.stop()
    r = desk.forward(e["so_den"], e["year"])
    assert r["outbox"]["status"] == "queued" and r["outbox"]["status_label"] == "Chờ gửi"
    assert "SMTP" in r["outbox"]["last_error"] or "kết nối" in r["outbox"]["last_error"]
    assert fw.find_entry(desk.db, e["so_den"], e["year"])["status"] == "registered"  # not "Đã trình" yet
    assert outbox.flush_outbox(desk.db, desk.blobs, smtp_factory=desk.smtp, imap_factory=desk.imap,
                               force=True)[0]["status"] == "queued"  # still down
    assert fw.find_entry(desk.db, e["so_den"], e["year"])["status"] == "registered"
    smtp.start()
    done = outbox.flush_outbox(desk.db, desk.blobs, smtp_factory=desk.smtp, imap_factory=desk.imap, force=True)
    assert [x["status"] for x in done] == ["sent"]
    entry = fw.find_entry(desk.db, e["so_den"], e["year"])
    sent_day = dt.datetime.fromisoformat(done[0]["sent_at"]).astimezone(dl.rlog.VN_TZ).date()
    assert (entry["status"], entry["ngay_chuyen"], entry["don_vi_nhan"]) == \
        ("presented", sent_day.isoformat(), "Giám đốc Nguyễn Văn An")
    desk2 = Desk(fresh_mailbox, smtp, tmp_path / "pc2")  # the shared register log says so too
    c = desk2.imap()
    try:
        svc.sync_register(desk2.db, desk2.account, c)
    finally:
        c.logout()
    assert fw.find_entry(desk2.db, e["so_den"], e["year"])["status"] == "presented"
    assert outbox.flush_outbox(desk.db, desk.blobs, smtp_factory=desk.smtp, imap_factory=desk.imap, force=True) == []
    assert len(forwards_for(fresh_mailbox, "giamdoc", e["so_den"], e["year"])) == 1
    assert len(smtp.relayed) == 1


def test_R7_1a_2_forward_refused_by_the_server_leaves_the_entry_registered_with_the_reason(
        fresh_mailbox, smtp, desk):
    e = desk.register_incoming(fresh_mailbox)
    smtp.refuse("550 5.7.1 Sender address rejected: not permitted")
    r = desk.forward(e["so_den"], e["year"])
    assert r["outbox"]["status"] == "refused"
    assert "550 5.7.1 Sender address rejected" in r["outbox"]["last_error"]
    assert fw.find_entry(desk.db, e["so_den"], e["year"])["status"] == "registered"
    (f,) = tr.status_of(desk.db, e["so_den"], e["year"])["forwards"]
    assert f["outbox_status"] == "refused" and f["last_error"] == r["outbox"]["last_error"]
    smtp.accept()
    assert outbox.flush_outbox(desk.db, desk.blobs, smtp_factory=desk.smtp, imap_factory=desk.imap,
                               force=True) == []
    assert forwards_for(fresh_mailbox, "giamdoc", e["so_den"], e["year"]) == []
    assert fw.find_entry(desk.db, e["so_den"], e["year"])["status"] == "registered"


def test_R7_1a_4_tracking_lists_overdue_documents_for_a_date(fresh_mailbox, smtp, desk):
    e1 = desk.register_incoming(fresh_mailbox, subject="V/v góp ý dự thảo quy chế")
    e2 = desk.register_incoming(fresh_mailbox, subject="V/v mời họp giao ban")
    for e in (e1, e2):
        desk.forward(e["so_den"], e["year"])
    tr.assign(desk.db, desk.account, e1["so_den"], e1["year"], lead="truongphong@sotttt.camau.gov.vn",
              deadline="15/03/2026", client_factory=desk.imap)
    tr.assign(desk.db, desk.account, e2["so_den"], e2["year"], lead="Phòng Kế hoạch - Tài chính",
              deadline="25/03/2026", client_factory=desk.imap)
    assert [r["so_den"] for r in tr.overdue(desk.db, "20/03/2026")] == [e1["so_den"]]
    assert [r["so_den"] for r in tr.overdue(desk.db, "26/03/2026")] == [e1["so_den"], e2["so_den"]]
    tr.set_status(desk.db, desk.account, e1["so_den"], e1["year"], "done", reply_symbol="45/STTTT-KHTC",
                  client_factory=desk.imap)
    assert [r["so_den"] for r in tr.overdue(desk.db, "26/03/2026")] == [e2["so_den"]]


def test_long_vietnamese_subject_arrives_intact(fresh_mailbox, smtp, desk):
    subject = ("Về việc báo cáo tình hình triển khai thực hiện Nghị quyết của Hội đồng nhân dân tỉnh Cà Mau về "
               "chuyển đổi số, phát triển chính quyền số, kinh tế số và xã hội số giai đoạn 2026 - 2030, tầm nhìn "
               "đến năm 2045 của các sở, ban, ngành và Ủy ban nhân dân các xã, phường")
    msg = compose.new_message(from_addr=("Văn thư Sở Thông tin và Truyền thông", desk.account.email),
                              to=[("Nguyễn Văn An", "giamdoc@sotttt.camau.gov.vn")], subject=subject,
                              body="Kính trình.")
    row = outbox.send_or_queue(desk.db, desk.blobs, desk.account, msg, smtp_factory=desk.smtp,
                               imap_factory=desk.imap)
    assert row["status"] == "sent"
    (got,) = inbox(fresh_mailbox, "giamdoc")
    assert parse_message(got).subject == subject


def test_R6_2_R7_1a_3_assignments_recorded_while_the_server_is_unreachable_reach_a_second_desk(
        fresh_mailbox, smtp, desk, tmp_path, tcp_proxy):
    e1 = desk.register_incoming(fresh_mailbox)
    desk.forward(e1["so_den"], e1["year"])
    proxy = tcp_proxy(fresh_mailbox.imaps_port)  # this desk's only way to the IMAP server
    via_proxy = dataclasses.replace(desk.account, imap_port=proxy.port)

    def imap():
        return imap_connect(via_proxy, desk.password)

    proxy.refuse_new(True)
    st1 = tr.assign(desk.db, via_proxy, e1["so_den"], e1["year"], lead="truongphong@sotttt.camau.gov.vn",
                    coordinate=["Văn phòng"], deadline="20/03/2026", direction="Tham mưu trả lời", client_factory=imap)
    assert st1["pending"] and st1["status_label"] == "Đã phân công"
    assert "Đã ghi trên máy này, sẽ gửi lên sổ chung khi có mạng" in st1["pending_note"]
    e2 = svc.register_paper(desk.db, via_proxy, {"trich_yeu": "Giấy mời họp giao ban", "tac_gia": "UBND tỉnh"},
                            client_factory=imap)
    assert e2["so_den"] is None  # chờ cấp số: the assignment must wait for the number
    st2 = tr.assign(desk.db, via_proxy, None, entry_id=e2["id"], lead="Phòng Kế hoạch - Tài chính",
                    deadline="25/03/2026", client_factory=imap)
    assert st2["pending"] and st2["status"] == "assigned"
    desk2 = Desk(fresh_mailbox, smtp, tmp_path / "pc2")
    dl.sync_log(desk2.db, desk2.account, client_factory=desk2.imap)
    assert tr.status_of(desk2.db, e1["so_den"], e1["year"])["assignment"] is None  # nothing reached the server

    proxy.refuse_new(False)
    (numbered,) = svc.flush_pending(desk.db, via_proxy, client_factory=imap)
    tr.refresh(desk.db)
    dl.sync_log(desk2.db, desk2.account, client_factory=desk2.imap)
    for number, year in ((e1["so_den"], e1["year"]), (numbered["so_den"], numbered["year"])):
        mine, theirs = tr.status_of(desk.db, number, year), tr.status_of(desk2.db, number, year)
        assert not mine["pending"] and not theirs["pending"]
        for key in ("status", "don_vi_nhan", "han_giai_quyet"):
            assert mine[key] == theirs[key]
        assert {k: mine["assignment"][k] for k in ("id", "lead", "coordinate", "deadline", "direction")} == \
            {k: theirs["assignment"][k] for k in ("id", "lead", "coordinate", "deadline", "direction")}
    st1 = tr.status_of(desk2.db, e1["so_den"], e1["year"])
    assert (st1["status"], st1["don_vi_nhan"], st1["han_giai_quyet"]) == \
        ("assigned", "Trưởng phòng Phạm Đức Dũng (phối hợp: Văn phòng)", "2026-03-20")
    st2 = tr.status_of(desk2.db, numbered["so_den"], numbered["year"])
    assert (st2["status"], st2["assignment"]["lead"]) == ("assigned", "Phòng Kế hoạch - Tài chính")
