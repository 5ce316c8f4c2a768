"""Checks of every mailbox, the check log and the monthly report (R5), with an injected clock and sync,
and once against the real Dovecot."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.header import Header
from email.utils import make_msgid

import pytest

from camau_desk import checks
from camau_desk.accounts import Account
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import ensure_folder, store_message
from camau_desk.schedule import VN_TZ
from camau_desk.store.db import transaction

pytestmark = pytest.mark.integration


def raw(subject: str) -> bytes:
    return (f"From: vp@camau.gov.vn\r\nTo: vanthu@sotttt.camau.gov.vn\r\nSubject: {Header(subject, 'utf-8').encode()}"
            f"\r\nMessage-ID: {make_msgid(domain='camau.gov.vn')}\r\nDate: Mon, 3 Mar 2025 08:00:00 +0700\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNội dung.\r\n").encode()


def acct(name: str) -> Account:
    return Account(name=name, role="unit", email=f"{name}@camau.gov.vn", imap_host="127.0.0.1", imap_port=993,
                   smtp_host="127.0.0.1", smtp_port=465, security="ssl")


class FakeSync:
    """Stores the given subjects for each account, or fails like a broken server."""

    def __init__(self, mail: dict[str, list[str]], failing: set[str] = frozenset()) -> None:
        self.mail, self.failing, self.calls = mail, failing, []

    def __call__(self, db, blobs, account, **_kw):
        from camau_desk.mail.sync import SyncResult

        self.calls.append(account.name)
        res = SyncResult(account=account.name)
        if account.name in self.failing:
            res.errors.append("Không kết nối được tới IMAP 127.0.0.1:993: máy chủ từ chối kết nối.")
            return res
        with transaction(db):
            fid = ensure_folder(db, account.name, "INBOX", "inbox")
            for s in self.mail.pop(account.name, []):
                res.new += store_message(db, blobs, account.name, fid, raw(s))[1]
        return res


class Clock:
    def __init__(self, t: datetime) -> None:
        self.t = t

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t


def at(d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2025, 3, d, hh, mm, tzinfo=VN_TZ)


@pytest.fixture
def blobs(profile):
    return BlobStore(profile.blobs_dir)


def test_R5_check_logs_every_mailbox_and_finds_urgent_documents(db, blobs):
    sync = FakeSync({"coquan": ["Công văn về việc báo cáo", "HỎA TỐC: Phòng chống bão số 3"],
                     "donvi1": ["Giấy mời"]}, failing={"donvi2"})
    result = checks.run_check(db, blobs, kind="manual", sync=sync, clock=Clock(at(3, 10)),
                              accounts=[acct("coquan"), acct("donvi1"), acct("donvi2")])
    assert sync.calls == ["coquan", "donvi1", "donvi2"]  # a broken mailbox does not stop the others
    assert result.kind == "manual" and result.slot is None and not result.ok
    assert result.new == 3 and [u["urgency"] for u in result.urgent] == ["Hỏa tốc"]
    title, body = result.summary()
    assert title == "Có 1 văn bản khẩn cần chuyển ngay"
    assert body.splitlines()[0].startswith("HỎA TỐC: HỎA TỐC: Phòng chống bão số 3")
    assert "donvi2: lỗi - Không kết nối" in body
    log = checks.check_log(db)
    assert len(log) == 1 and log[0]["result"] == "error" and log[0]["urgent_count"] == 1
    assert log[0]["user"] and log[0]["workstation"] and log[0]["finished"]
    assert [(m["mailbox"], m["new_documents"], m["result"]) for m in log[0]["mailboxes"]] == [
        ("coquan", 2, "ok"), ("donvi1", 1, "ok"), ("donvi2", 0, "error")]


def test_R5_missed_checks_run_at_start_late_and_are_logged(db, blobs):
    sync = FakeSync({})
    kw = {"sync": sync, "accounts": [acct("coquan")]}
    # PC switched on at 13:40 on Monday: 07:00 and 09:00 missed, 13:00 runs now as late
    r = checks.run_due(db, blobs, clock=Clock(at(3, 13, 40)), **kw)
    assert r is not None and r.kind == "late" and r.slot == "2025-03-03T13:00"
    assert r.missed == ["2025-03-03T07:00", "2025-03-03T09:00"]
    assert checks.run_due(db, blobs, clock=Clock(at(3, 13, 50)), **kw) is None  # never twice
    r = checks.run_due(db, blobs, clock=Clock(at(3, 15, 0)), **kw)
    assert r.kind == "on_time" and r.slot == "2025-03-03T15:00"
    assert checks.run_due(db, blobs, clock=Clock(at(8, 9, 0)), **kw) is None  # Saturday
    kinds = {x["slot"]: x["kind"] for x in checks.check_log(db)}
    assert kinds == {"2025-03-03T07:00": "missed", "2025-03-03T09:00": "missed",
                     "2025-03-03T13:00": "late", "2025-03-03T15:00": "on_time"}


def test_R5_monthly_report_counts_on_time_late_missed_and_exports(db, blobs, tmp_path):
    from camau_desk import settings

    settings.set(db, "holidays", ["05/03/2025"])
    kw = {"sync": FakeSync({}), "accounts": [acct("coquan")]}
    for hh in (7, 9, 13, 15):
        checks.run_check(db, blobs, slot=f"2025-03-04T{hh:02}:00", kind="scheduled", clock=Clock(at(4, hh, 1)), **kw)
    checks.run_due(db, blobs, clock=Clock(at(6, 9, 30)), **kw)  # 07:00 missed, 09:00 late
    rows = checks.monthly_report(db, "2025-03", now=at(6, 12))
    by = {(r["date"], r["slot"]): r["status"] for r in rows}
    assert by[("04/03/2025", "07:00")] == "on_time" and by[("06/03/2025", "09:00")] == "late"
    assert by[("06/03/2025", "07:00")] == "missed" and by[("03/03/2025", "15:00")] == "missed"
    assert not any(d == "05/03/2025" for d, _ in by)  # holiday
    assert ("06/03/2025", "13:00") not in by  # not yet due
    assert checks.report_totals(rows) == {"slots": 10, "on_time": 4, "late": 1, "missed": 5}

    import openpyxl
    import pypdf

    x = checks.export_xlsx(rows, tmp_path / "bc.xlsx", "2025-03", db)
    ws = openpyxl.load_workbook(x).active
    assert ws["A4"].value == "Ngày" and ws.max_row == 4 + len(rows)
    p = checks.export_pdf(rows, tmp_path / "bc.pdf", "2025-03", db)
    text = "".join(pg.extract_text() for pg in pypdf.PdfReader(p).pages)
    assert "Báo cáo kiểm tra hộp thư tháng 03/2025" in text and "Đúng giờ" in text and "Bỏ lỡ" in text


def test_R5_cli_check_and_report(tmp_path, capsys):
    from camau_desk.cli import main

    d = str(tmp_path / "p")
    assert main(["check", "--json", "--data-dir", d]) == 0
    assert '"kind": "manual"' in capsys.readouterr().out
    assert main(["checks", "log", "--json", "--data-dir", d]) == 0
    assert main(["checks", "report", "--month", "2025-13", "--json", "--data-dir", d]) == 1
    assert "YYYY-MM" in capsys.readouterr().err
    assert main(["checks", "report", "--month", "2025-03", "--xlsx", str(tmp_path / "r.xlsx"), "--data-dir", d]) == 0
    assert (tmp_path / "r.xlsx").exists()


def test_R5_check_against_real_dovecot(fresh_mailbox, memory_keyring, db, blobs):
    from camau_desk import accounts

    server = fresh_mailbox
    u = server.users["vanthu"]
    a = Account(name="vanthu", role="agency", email=u.address, imap_host="127.0.0.1", imap_port=server.imaps_port,
                smtp_host="127.0.0.1", smtp_port=465, security="ssl", login=u.login, ca_file=str(server.ca_file))
    accounts.add_account(db, a, u.password)
    server.append("vanthu", "INBOX", [raw("Về việc triển khai"), raw("THƯỢNG KHẨN: Báo cáo tình hình lũ")])
    r = checks.run_check(db, blobs, kind="manual")
    assert r.ok and r.new == 2 and [x["urgency"] for x in r.urgent] == ["Thượng khẩn"]
    server.append("vanthu", "INBOX", [raw("Khẩn: Giấy mời họp")])
    before = checks.max_message_id(db)
    r2 = checks.run_check(db, blobs, kind="manual")
    assert r2.new == 1
    rows, text = checks.urgent_since(db, before)
    assert [x["urgency"] for x in rows] == ["Khẩn"] and text[1].startswith("KHẨN: Khẩn: Giấy mời họp")
