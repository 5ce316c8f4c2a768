"""Forward, outbox, assignment, statuses, deadlines and the tracking book, with fake servers (R7.1a-2..4)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from test_delegation import ACCOUNT, FakeImap, FakeSmtp, make_desk

from camau_desk import audit, settings
from camau_desk.errors import InvalidInput, MailError, NotFound
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


# ------------------------------------------------------------------ offline: the register's queue (R6.2)


def _offline():
    raise MailError("Không kết nối được tới máy chủ IMAP (giả).")


def _queue_types(db):
    return [json.loads(t)["type"] for (t,) in db.execute("SELECT json FROM register_pending ORDER BY seq")]


def _shared_view(st):
    """What every desk must agree on once the log is the same (forwards are local to the desk that sent)."""
    a = st["assignment"]
    return (st["status"], st["don_vi_nhan"], st["han_giai_quyet"], st["pending"],
            (a["id"], a["lead"], a["coordinate"], a["deadline"], a["direction"]) if a else None)


def test_R6_2_R7_1a_3_assign_and_status_offline_are_queued_shown_then_flushed_like_online(env, tmp_path):
    db, blobs, imap, smtp = env
    e = _paper(db, imap)
    y = e["year"]
    _fwd(db, blobs, imap, smtp, e["so_den"])
    imap.up = False
    st = tr.assign(db, ACCOUNT, e["so_den"], y, lead="truongphong@sotttt.camau.gov.vn", coordinate=["Văn phòng"],
                   deadline="15/03/2026", direction="Tham mưu", client_factory=imap.client)
    assert (st["status"], st["status_label"], st["han_giai_quyet"]) == ("assigned", "Đã phân công", "2026-03-15")
    assert st["pending"] and "Đã ghi trên máy này, sẽ gửi lên sổ chung khi có mạng" in st["pending_note"]
    assert st["don_vi_nhan"] == "Trưởng phòng Phạm Đức Dũng (phối hợp: Văn phòng)"
    assert st["assignment"]["lead"] == "Trưởng phòng Phạm Đức Dũng" and st["assignment"]["pending"]
    assert fw.find_entry(db, e["so_den"], y)["status"] == "presented"  # the register row is the server's word
    assert _queue_types(db) == ["assignment", "correct"]
    (row,) = tr.tracking_rows(db, "20/03/2026")
    assert row["pending"] and row["tien_do"] == "Đã phân công (chờ đồng bộ) - quá hạn 5 ngày"
    assert row["don_vi_nhan"] == st["don_vi_nhan"]
    st = tr.set_status(db, ACCOUNT, e["so_den"], y, "processing", note="Đang lấy ý kiến", client_factory=imap.client)
    assert (st["status_label"], st["pending"]) == ("Đang xử lý", True)
    assert _queue_types(db) == ["assignment", "correct", "correct"]
    tr.refresh(db)  # a sync of the caches meanwhile keeps the queued assignment
    assert tr.status_of(db, e["so_den"], y)["assignment"]["pending"]

    imap.up = True
    svc.flush_pending(db, ACCOUNT, client_factory=imap.client)
    tr.refresh(db)
    st = tr.status_of(db, e["so_den"], y)
    assert svc.pending_count(db) == 0 and not st["pending"] and st["pending_note"] is None
    assert not st["assignment"]["pending"] and st["assignment"]["in_force"]
    assert fw.find_entry(db, e["so_den"], y)["status"] == "processing"
    assert "(chờ đồng bộ)" not in tr.tracking_rows(db, "20/03/2026")[0]["tien_do"]
    db2, _ = make_desk(tmp_path, "pc2")  # the other desk reads the same as this one
    dl.sync_log(db2, ACCOUNT, client_factory=imap.client)
    assert _shared_view(tr.status_of(db2, e["so_den"], y)) == _shared_view(st)
    assert _shared_view(st)[:3] == ("processing", "Trưởng phòng Phạm Đức Dũng (phối hợp: Văn phòng)", "2026-03-15")


def test_R6_2_assignment_of_an_entry_still_waiting_for_its_number_is_sent_after_the_number(env, tmp_path):
    db, _blobs, imap, _smtp = env
    imap.up = False
    e = _paper(db, imap)
    assert e["so_den"] is None and e["status"] == "pending"
    st = tr.assign(db, ACCOUNT, None, entry_id=e["id"], lead="Phòng Kế hoạch - Tài chính", deadline="20/03/2026",
                   client_factory=imap.client)
    assert (st["so_den"], st["status"], st["pending"]) == (None, "assigned", True)
    assert _queue_types(db) == ["paper", "assignment", "correct"]
    with pytest.raises(NotFound):
        tr.status_of(db, 1, e["year"])  # no number yet: only reachable by its row
    imap.up = True  # still only queued: the register's own flush numbers it (and saves its files)
    st = tr.set_status(db, ACCOUNT, None, None, "processing", entry_id=e["id"], client_factory=imap.client)
    assert (st["status"], st["pending"]) == ("processing", True)
    assert _queue_types(db) == ["paper", "assignment", "correct", "correct"]
    (numbered,) = svc.flush_pending(db, ACCOUNT, client_factory=imap.client)
    tr.refresh(db)
    st = tr.status_of(db, numbered["so_den"], e["year"])
    assert (st["status"], st["don_vi_nhan"], st["pending"]) == ("processing", "Phòng Kế hoạch - Tài chính", False)
    log = [json.loads(raw.split(b"\r\n\r\n", 1)[1].replace(b"\r\n", b""))["type"]
           for _, raw in sorted(imap.folders[svc.log_folder(db)]["msgs"].items())]
    assert log == ["paper", "assignment", "correct", "correct"]  # the number request first, on the server too
    db2, _ = make_desk(tmp_path, "pc2")
    dl.sync_log(db2, ACCOUNT, client_factory=imap.client)
    assert _shared_view(tr.status_of(db2, numbered["so_den"], e["year"])) == _shared_view(st)


def test_R7_1a_3_conflicting_assignments_the_servers_order_decides_and_both_desks_see_the_winner(env, tmp_path):
    db, _blobs, imap, _smtp = env
    e = _paper(db, imap)
    y = e["year"]
    db2, _ = make_desk(tmp_path, "pc2")
    dl.sync_log(db2, ACCOUNT, client_factory=imap.client)
    mine = tr.assign(db, ACCOUNT, e["so_den"], y, lead="Văn phòng", deadline="18/03/2026", client_factory=_offline)
    assert mine["pending"] and mine["don_vi_nhan"] == "Văn phòng"
    other = tr.assign(db2, ACCOUNT, e["so_den"], y, lead="Phòng Kế hoạch - Tài chính", deadline="25/03/2026",
                      client_factory=imap.client)
    assert not other["pending"] and other["don_vi_nhan"] == "Phòng Kế hoạch - Tài chính"
    svc.flush_pending(db, ACCOUNT, client_factory=imap.client)  # reads pc2's first, then appends this desk's
    tr.refresh(db)
    dl.sync_log(db2, ACCOUNT, client_factory=imap.client)
    for d in (db, db2):
        st = tr.status_of(d, e["so_den"], y)
        assert [(a["lead"], a["in_force"], a["pending"]) for a in st["assignments"]] == \
            [("Phòng Kế hoạch - Tài chính", False, False), ("Văn phòng", True, False)]
        assert (st["don_vi_nhan"], st["han_giai_quyet"]) == ("Văn phòng", "2026-03-18")
    assert _shared_view(tr.status_of(db, e["so_den"], y)) == _shared_view(tr.status_of(db2, e["so_den"], y))


def test_R6_2_recall_offline_takes_the_entry_out_at_once_and_cancels_it_on_flush(env, tmp_path):
    db, blobs, imap, smtp = env
    e = _paper(db, imap)
    _fwd(db, blobs, imap, smtp, e["so_den"])
    got = tr.recall(db, ACCOUNT, e["so_den"], e["year"], issuer="UBND tỉnh", reason="Ban hành nhầm",
                    client_factory=_offline)
    assert got["status"] == "cancelled" and got["pending"] and "Thu hồi theo yêu cầu của UBND tỉnh" in \
        got["cancel_reason"]
    assert tr.tracking_rows(db) == [] and fw.find_entry(db, e["so_den"], e["year"])["status"] == "presented"
    with pytest.raises(InvalidInput, match="đã bị hủy"):
        tr.set_status(db, ACCOUNT, e["so_den"], e["year"], "processing", client_factory=_offline)
    with pytest.raises(InvalidInput, match="đã hủy"):
        tr.assign(db, ACCOUNT, e["so_den"], e["year"], lead="Văn phòng", client_factory=_offline)
    svc.flush_pending(db, ACCOUNT, client_factory=imap.client)
    assert fw.find_entry(db, e["so_den"], e["year"])["status"] == "cancelled"
    db2, _ = make_desk(tmp_path, "pc2")
    dl.sync_log(db2, ACCOUNT, client_factory=imap.client)
    assert fw.find_entry(db2, e["so_den"], e["year"])["cancel_reason"].startswith("Thu hồi theo yêu cầu của UBND")


def test_R6_2_cli_says_the_assignment_was_queued_and_which_one_applies(capsys):
    from camau_desk.cli.routing import _say_status

    a = {"lead": "Văn phòng", "deadline": "2026-03-18", "recorded_by": "vanthu", "recorded_at": "2026-03-10T08:00"}
    st = {"so_den": 3, "year": 2026, "status_label": "Đã phân công", "trich_yeu": "V/v", "don_vi_nhan": "Văn phòng",
          "han_giai_quyet": "2026-03-18", "forwards": [], "recalled": False, "pending": True,
          "pending_note": tr.PENDING_NOTE,
          "assignments": [{**a, "lead": "Thanh tra", "in_force": False}, {**a, "in_force": True}]}
    assert _say_status(st, False) == 0
    out = capsys.readouterr().out
    assert "Phân công đã được thay: Thanh tra" in out and "Phân công đang áp dụng: Văn phòng, hạn 18/03/2026" in out
    assert "Chờ đồng bộ. Đã ghi trên máy này, sẽ gửi lên sổ chung khi có mạng." in out
