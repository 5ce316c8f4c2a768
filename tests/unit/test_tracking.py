"""Forward, outbox, assignment, statuses, deadlines and the tracking book, with fake servers (R7.1a-2..4)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from test_delegation import ACCOUNT, FakeImap, FakeSmtp, make_desk

from camau_desk import audit, settings
from camau_desk.errors import InvalidInput
from camau_desk.mail import compose, outbox
from camau_desk.mail.parse import parse_message
from camau_desk.register import service as svc
from camau_desk.routing import delegation as dl
from camau_desk.routing import forward as fw
from camau_desk.routing import tracking as tr

pytestmark = pytest.mark.unit
D = dt.date


@pytest.fixture()
def env(tmp_path):
    imap, smtp = FakeImap(), FakeSmtp()
    db, blobs = make_desk(tmp_path)
    return db, blobs, imap, smtp


def _paper(db, imap, **fields):
    base = {"trich_yeu": "V/v báo cáo chuyển đổi số", "so_ky_hieu": "470/UBND-VP", "tac_gia": "UBND tỉnh",
            "loai": "Công văn", "ngay_van_ban": "2026-03-04"}
    return svc.register_paper(db, ACCOUNT, {**base, **fields}, client_factory=imap.client, allow_duplicate=True)


def _fwd(db, blobs, imap, smtp, number, on=None, **kw):
    return fw.forward_entry(db, blobs, ACCOUNT, number, on=on, year=_year(db), imap_factory=imap.client,
                            smtp_factory=smtp.connect, **kw)


def _year(db):
    return db.execute("SELECT MAX(year) FROM register_entries").fetchone()[0]


def test_R7_1a_2_forward_goes_to_head_then_deputy_under_delegation(env):
    db, blobs, imap, smtp = env
    e = _paper(db, imap)
    r = _fwd(db, blobs, imap, smtp, e["so_den"], on=D(2026, 3, 10))
    assert r["recipient"]["email"] == "giamdoc@sotttt.camau.gov.vn" and not r["under_delegation"]
    assert r["outbox"]["status"] == "sent" and smtp.sent[-1][1] == ["giamdoc@sotttt.camau.gov.vn"]
    pm = parse_message(smtp.sent[-1][2])
    assert pm.subject == f"[Số đến {e['so_den']}/{e['year']}] V/v báo cáo chuyển đổi số"
    assert imap.folders["Sent"]["msgs"]  # copy appended to \Sent
    assert fw.find_entry(db, e["so_den"], e["year"])["status"] == "presented"
    dl.add_delegation(db, ACCOUNT, deputy="phogiamdoc1@sotttt.camau.gov.vn", start="09/03/2026", end="13/03/2026",
                      reason="Công tác", client_factory=imap.client)
    r = _fwd(db, blobs, imap, smtp, e["so_den"], on=D(2026, 3, 10))
    assert r["under_delegation"] and smtp.sent[-1][1] == ["phogiamdoc1@sotttt.camau.gov.vn"]
    raw = smtp.sent[-1][2]
    assert f"X-Camau-Delegation: {r['delegation']}".encode() in raw
    assert "theo ủy quyền của Giám đốc Nguyễn Văn An" in parse_message(raw).text


def test_R3_2_secret_document_is_never_sent(env):
    db, blobs, imap, smtp = env
    e = _paper(db, imap)
    db.execute("UPDATE register_entries SET do_mat = 'Mật' WHERE id = ?", [e["id"]])  # as a correction would
    with pytest.raises(outbox.SecretRefused, match="không được gửi qua thư điện tử"):
        _fwd(db, blobs, imap, smtp, e["so_den"])
    assert smtp.sent == [] and outbox.list_outbox(db) == []


def test_R3_2_R6_1_R4_3_guards_on_new_messages(env):
    db, blobs, imap, smtp = env
    secret = compose.new_message(from_addr=ACCOUNT.email, to=["a@x.vn"], subject="TỐI MẬT - Kế hoạch", body="x")
    with pytest.raises(outbox.SecretRefused):
        outbox.send_or_queue(db, blobs, ACCOUNT, secret, smtp_factory=smtp.connect, imap_factory=imap.client)
    official = compose.new_message(from_addr=ACCOUNT.email, to=["a@x.vn"], subject="Công văn", body="x")
    with pytest.raises(InvalidInput, match="số, ký hiệu"):
        outbox.send_or_queue(db, blobs, ACCOUNT, official, official=True, smtp_factory=smtp.connect)
    with pytest.raises(InvalidInput, match="chưa ghi người duyệt ký"):
        outbox.send_or_queue(db, blobs, ACCOUNT, official, official=True, so_ky_hieu="12/STTTT-VP",
                             smtp_factory=smtp.connect)
    row = outbox.send_or_queue(db, blobs, ACCOUNT, official, official=True, so_ky_hieu="12/STTTT-VP",
                               approved_by="Nguyễn Văn An", smtp_factory=smtp.connect, imap_factory=imap.client)
    assert row["status"] == "sent"
    many = compose.new_message(from_addr=ACCOUNT.email, to=[f"u{i}@x.vn" for i in range(11)], subject="s", body="b")
    with pytest.raises(outbox.ConfirmationNeeded, match="11 người nhận"):
        outbox.send_or_queue(db, blobs, ACCOUNT, many, smtp_factory=smtp.connect)
    assert outbox.send_or_queue(db, blobs, ACCOUNT, many, confirm_many=True, smtp_factory=smtp.connect,
                                imap_factory=imap.client)["status"] == "sent"


def test_outbox_waits_retries_with_backoff_exactly_once_and_can_be_cancelled(env):
    db, blobs, imap, smtp = env
    smtp.up = False
    t0 = dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC)
    msgs = [compose.new_message(from_addr=ACCOUNT.email, to=["a@x.vn"], subject=f"Thư {i}", body="b")
            for i in range(2)]
    rows = [outbox.send_or_queue(db, blobs, ACCOUNT, m, smtp_factory=smtp.connect, imap_factory=imap.client, now=t0)
            for m in msgs]
    assert [r["status_label"] for r in rows] == ["Chờ gửi", "Chờ gửi"]
    assert "SMTP" in rows[0]["last_error"]
    outbox.cancel(db, rows[1]["id"])
    smtp.up = True
    assert outbox.flush_outbox(db, blobs, smtp_factory=smtp.connect, now=t0) == []  # backoff not yet over
    done = outbox.flush_outbox(db, blobs, smtp_factory=smtp.connect, imap_factory=imap.client,
                               now=t0 + dt.timedelta(minutes=5))
    assert [r["status"] for r in done] == ["sent"] and len(smtp.sent) == 1
    assert outbox.flush_outbox(db, blobs, smtp_factory=smtp.connect, force=True) == []
    assert len(smtp.sent) == 1
    assert [r["status"] for r in outbox.list_outbox(db)] == ["sent", "cancelled"]
    with pytest.raises(InvalidInput, match="đã gửi"):
        outbox.cancel(db, rows[0]["id"])
    local = db.execute("SELECT direction FROM messages WHERE id = ?", [done[0]["local_message"]]).fetchone()
    assert local[0] == "out"
    assert {a["action"] for a in audit.history(db, "outbox")} >= {"outbox.queue", "outbox.failed", "outbox.sent",
                                                                 "outbox.cancel"}


def test_demo_mode_sends_nothing(env):
    db, blobs, imap, smtp = env
    settings.set(db, "demo", True)
    row = outbox.send_or_queue(db, blobs, ACCOUNT, compose.new_message(
        from_addr=ACCOUNT.email, to=["a@x.vn"], subject="Demo", body="b"), smtp_factory=smtp.connect)
    assert row["status"] == "sent" and row["sent_copy"] == "demo" and smtp.sent == []
    flags = db.execute("SELECT flags FROM locations WHERE message = ?", [row["local_message"]]).fetchone()[0]
    assert outbox.DEMO_KEYWORD in flags


def test_parse_direction_simple_reply():
    text = ("Chủ trì: Phòng Kế hoạch - Tài chính\nPhối hợp: Văn phòng; Thanh tra\nHạn: 20/03/2026\n"
            "Ý kiến: Tham mưu trả lời\n\nVào 10/03/2026 Văn thư đã viết:\n> Chủ trì: khác\n")
    assert tr.parse_direction(text) == {"lead": "Phòng Kế hoạch - Tài chính", "coordinate": ["Văn phòng", "Thanh tra"],
                                        "deadline": "2026-03-20", "direction": "Tham mưu trả lời"}
    assert tr.parse_direction("Đồng ý.\n> Chủ trì: x") is None
    assert tr.parse_direction("giao: truongphong@sotttt.camau.gov.vn")["lead"] == "truongphong@sotttt.camau.gov.vn"


def test_R7_1a_3_4_assign_status_overdue_and_exports(env, tmp_path):
    db, blobs, imap, smtp = env
    e1, e2, _e3 = _paper(db, imap), _paper(db, imap, so_ky_hieu="12/STC"), _paper(db, imap, so_ky_hieu="13/STC")
    y = e1["year"]
    _fwd(db, blobs, imap, smtp, e1["so_den"])
    st = tr.assign(db, ACCOUNT, e1["so_den"], y, lead="truongphong@sotttt.camau.gov.vn",
                   coordinate=["Văn phòng"], deadline="15/03/2026", direction="Tham mưu",
                   client_factory=imap.client)
    assert st["status_label"] == "Đã phân công" and st["han_giai_quyet"] == "2026-03-15"
    assert st["assignment"]["lead"] == "Trưởng phòng Phạm Đức Dũng" and st["assignment"]["coordinate"] == ["Văn phòng"]
    assert st["don_vi_nhan"] == "Trưởng phòng Phạm Đức Dũng (phối hợp: Văn phòng)"
    st2 = tr.assign(db, ACCOUNT, e2["so_den"], y, lead="Phòng Kế hoạch - Tài chính", client_factory=imap.client)
    default_due = (dt.datetime.now(dl.rlog.VN_TZ).date() + dt.timedelta(days=10)).isoformat()
    assert st2["han_giai_quyet"] == default_due  # default_deadline_days
    tr.set_status(db, ACCOUNT, e2["so_den"], y, "done", reply_symbol="45/STTTT-KHTC", client_factory=imap.client)
    late = tr.overdue(db, "20/03/2026")
    assert [r["so_den"] for r in late] == [e1["so_den"]] and late[0]["days_overdue"] == 5
    assert tr.overdue(db, "15/03/2026") == []
    rows = tr.tracking_rows(db, "20/03/2026")
    assert [r["so_den"] for r in rows] == [e1["so_den"], e2["so_den"]]  # e3 not in circulation
    assert rows[1]["so_ky_hieu_tra_loi"] == "45/STTTT-KHTC" and rows[1]["tien_do"] == "Hoàn thành"
    assert rows[0]["van_ban"] == "Công văn số 470/UBND-VP ngày 04/03/2026 của UBND tỉnh"
    assert "quá hạn 5 ngày" in rows[0]["tien_do"]
    x = tr.export_xlsx(db, rows, tmp_path / "t.xlsx", "20/03/2026")
    ws = load_workbook(x).active
    assert ws["A1"].value == "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" and ws["B4"].value == tr.TRACKING_COLUMNS[1]
    assert ws["F7"].value == "45/STTTT-KHTC"
    p = tr.export_pdf(db, rows, tmp_path / "t.pdf", "20/03/2026")
    text = PdfReader(str(p)).pages[0].extract_text()
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in text and "Hoàn thành" in text
    # the other desk sees the same assignment after syncing the log
    db2, _ = make_desk(tmp_path, "pc2")
    dl.sync_log(db2, ACCOUNT, client_factory=imap.client)
    assert tr.status_of(db2, e1["so_den"], y)["assignment"]["coordinate"] == ["Văn phòng"]
    assert [r["so_den"] for r in tr.overdue(db2, "20/03/2026")] == [e1["so_den"]]


def test_assignment_from_the_leaders_reply(env):
    db, blobs, imap, smtp = env
    e = _paper(db, imap)
    r = _fwd(db, blobs, imap, smtp, e["so_den"])
    reply = compose.reply(smtp.sent[-1][2], from_addr="giamdoc@sotttt.camau.gov.vn",
                          body="Chủ trì: Phòng Kế hoạch - Tài chính\nHạn: 25/03/2026\n")
    from camau_desk.mail.store import ensure_folder, store_message
    from camau_desk.store.db import transaction

    with transaction(db):
        mid, _ = store_message(db, blobs, "vanthu", ensure_folder(db, "vanthu", "INBOX", "inbox"),
                               compose.to_bytes(reply))
    assert r["message_id"]
    st = tr.assign_from_reply(db, blobs, ACCOUNT, mid, client_factory=imap.client)
    assert st["status"] == "assigned" and st["han_giai_quyet"] == "2026-03-25"
    assert st["assignment"]["source"] == "reply"


def test_recall_takes_the_document_out_of_circulation(env):
    db, blobs, imap, smtp = env
    e = _paper(db, imap)
    tr.recall(db, ACCOUNT, e["so_den"], e["year"], issuer="UBND tỉnh", reference="50/UBND-VP",
              reason="Ban hành nhầm", client_factory=imap.client)
    got = fw.find_entry(db, e["so_den"], e["year"])
    assert got["status"] == "cancelled" and "Thu hồi theo yêu cầu của UBND tỉnh" in got["cancel_reason"]
    with pytest.raises(InvalidInput):
        _fwd(db, blobs, imap, smtp, e["so_den"])
    assert tr.status_of(db, e["so_den"], e["year"])["recalled"]
    assert any(a["action"] == "routing.recall" for a in audit.history(db, "register_entry"))
    assert json.loads(next(a for a in audit.history(db, "register_entry")
                           if a["action"] == "routing.recall")["new_value"])["reason"] == "Ban hành nhầm"
