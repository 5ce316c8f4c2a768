"""Register service against a fake IMAP log folder (R7.1a-1, ND30 Đ20-22, DOMAIN.md §2, §3.3)."""

from __future__ import annotations

import base64
import json
import re

import pytest

from camau_desk import audit
from camau_desk.accounts import Account
from camau_desk.errors import MailError
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import ensure_folder, store_message
from camau_desk.register import log as rlog
from camau_desk.register import service as svc
from camau_desk.register.replay import RegisterIntegrityError
from camau_desk.store import open_db
from camau_desk.store.db import transaction

pytestmark = pytest.mark.unit

ACCOUNT = Account(name="vanthu", role="agency", email="vanthu@sotttt.camau.gov.vn", imap_host="x", imap_port=993,
                  smtp_host="x", smtp_port=465, security="ssl")


class FakeServer:
    """The part of an IMAP server the register uses: folders, APPENDUID, UID FETCH n:*, keywords."""

    def __init__(self) -> None:
        self.folders: dict[str, dict] = {"INBOX": {"v": 77, "next": 1, "msgs": {}, "flags": {}}}
        self.up = True

    def client(self) -> FakeClient:
        if not self.up:
            raise MailError("Không kết nối được tới máy chủ (giả).")
        return FakeClient(self)


class FakeClient:
    def __init__(self, server: FakeServer) -> None:
        self.s = server
        self.selected: str | None = None

    def folder_exists(self, name):
        return name in self.s.folders

    def create_folder(self, name):
        self.s.folders[name] = {"v": 1000 + len(self.s.folders), "next": 1, "msgs": {}, "flags": {}}

    def subscribe_folder(self, name):
        pass

    def append(self, folder, raw, flags=()):
        f = self.s.folders[folder]
        uid = f["next"]
        f["next"] += 1
        f["msgs"][uid] = raw
        return f"[APPENDUID {f['v']} {uid}] Append completed.".encode()

    def select_folder(self, folder, readonly=False):
        self.selected = folder
        f = self.s.folders[folder]
        return {b"UIDVALIDITY": f["v"], b"EXISTS": len(f["msgs"])}

    def search(self, criteria):
        f = self.s.folders[self.selected]
        lo = int(criteria[1].split(":")[0])
        return [u for u in f["msgs"] if u >= lo] or ([max(f["msgs"])] if f["msgs"] else [])  # "n:*" quirk

    def fetch(self, uids, what):
        f = self.s.folders[self.selected]
        return {u: {b"BODY[]": f["msgs"][u]} for u in uids}

    def add_flags(self, uids, flags):
        f = self.s.folders[self.selected]
        for u in uids:
            f["flags"].setdefault(u, set()).update(x.decode() for x in flags)

    def logout(self):
        pass


def _desk(tmp_path, name: str):
    db = open_db(tmp_path / name / "db.sqlite3")
    with transaction(db):
        db["accounts"].insert({"name": "vanthu", "role": "agency", "email": ACCOUNT.email, "security": "ssl",
                               "imap_host": "x", "imap_port": 993, "smtp_host": "x", "smtp_port": 465,
                               "created_at": audit.now_iso()})
    return db, BlobStore(tmp_path / name / "blobs")


def _mail(subject: str, body: str = "Kính gửi Sở.", msgid: str = "<a1@camau.gov.vn>",
          pdf: bytes | None = None) -> bytes:
    head = (f"From: Văn phòng UBND <vp@camau.gov.vn>\r\nTo: vanthu@sotttt.camau.gov.vn\r\n"
            f"Subject: {subject}\r\nDate: Mon, 4 Mar 2024 08:00:00 +0700\r\n"
            f"Message-ID: {msgid}\r\nMIME-Version: 1.0\r\n")
    if pdf is None:
        return (head + f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()
    return (head + 'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
            "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{body}\r\n--B\r\nContent-Type: application/pdf; name=\"470.pdf\"\r\n"
            "Content-Disposition: attachment; "
            f"filename=\"470.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{base64.b64encode(pdf).decode()}\r\n--B--\r\n").encode()


def _store(db, blobs, server: FakeServer, raw: bytes) -> int:
    inbox = server.folders["INBOX"]
    uid = inbox["next"]
    inbox["next"] += 1
    inbox["msgs"][uid] = raw
    with transaction(db):
        fid = ensure_folder(db, "vanthu", "INBOX", "inbox")
        mid, _ = store_message(db, blobs, "vanthu", fid, raw, uidvalidity=77, uid=uid)
    return mid


@pytest.fixture
def server():
    return FakeServer()


def test_R7_1a_1_register_message_numbers_marks_and_saves_named_by_so_den(tmp_path, server):
    db, blobs = _desk(tmp_path, "pc1")
    mid = _store(db, blobs, server, _mail("Tờ trình số 470/TTr-STTTT về việc mua sắm thiết bị", pdf=b"%PDF-1.4 fake"))
    prop = svc.propose(db, blobs, mid)
    assert prop.fields["so_ky_hieu"] == "470/TTr-STTTT" and prop.fields["ngay_den"]
    root = tmp_path / "mirror"
    e = svc.register(db, blobs, ACCOUNT, mid, {"don_vi_nhan": "Phòng Kế hoạch"}, client_factory=server.client,
                     mirror_root=root)
    assert (e["so_den"], e["status"]) == (1, "registered")
    assert server.folders["INBOX"]["flags"][1] == {svc.KEYWORD}
    files = svc.list_entries(db)[0]["files"]
    assert [f["role"] for f in files] == ["document", "original-eml"]
    assert files[0]["path"].split("/")[-1].startswith("0001 - 470_TTr-STTTT - ")
    assert (root / files[0]["path"]).read_bytes() == b"%PDF-1.4 fake"
    acts = [a["action"] for a in audit.history(db, "register_entry")]
    assert acts[:2] == ["register.request", "register.number"] and "register.files" in acts


def test_R7_1a_1_two_desks_share_one_sequence_and_see_the_same_register(tmp_path, server):
    a, _ = _desk(tmp_path, "pc1")
    b, _ = _desk(tmp_path, "pc2")
    for i in range(3):
        svc.register_paper(a, ACCOUNT, {"trich_yeu": f"Giấy A{i}"}, client_factory=server.client)
        svc.register_paper(b, ACCOUNT, {"trich_yeu": f"Giấy B{i}"}, client_factory=server.client)
    for db in (a, b):
        svc.sync_register(db, ACCOUNT, server.client())
    la = [(e["so_den"], e["trich_yeu"]) for e in svc.list_entries(a)]
    lb = [(e["so_den"], e["trich_yeu"]) for e in svc.list_entries(b)]
    assert la == lb and [n for n, _ in la] == [1, 2, 3, 4, 5, 6]
    assert [t for _, t in la] == ["Giấy A0", "Giấy B0", "Giấy A1", "Giấy B1", "Giấy A2", "Giấy B2"]


def test_R7_1a_1_lost_race_event_claims_taken_number_and_reads_back_the_next(tmp_path, server, monkeypatch):
    a, _ = _desk(tmp_path, "pc1")
    b, _ = _desk(tmp_path, "pc2")
    real_append = rlog.append_event
    raced = []

    def append_after_rival(client, folder, event):
        if not raced:  # desk a registers between b's read of the log and b's APPEND
            raced.append(1)
            svc.register_paper(a, ACCOUNT, {"trich_yeu": "A"}, client_factory=server.client)
        return real_append(client, folder, event)

    monkeypatch.setattr(svc.rlog, "append_event", append_after_rival)
    eb = svc.register_paper(b, ACCOUNT, {"trich_yeu": "B"}, client_factory=server.client)
    assert eb["so_den"] == 2
    claims = [json.loads(r[0])["claim"] for r in b.execute("SELECT json FROM register_events ORDER BY uid")]
    assert claims == [1, 1]  # b claimed 1, lost the race, kept its event: number 2 without retry
    assert len(server.folders[rlog.DEFAULT_FOLDER]["msgs"]) == 2


def test_R7_1a_1_offline_registrations_wait_then_get_consecutive_numbers_in_order(tmp_path, server):
    db, _ = _desk(tmp_path, "pc1")
    svc.register_paper(db, ACCOUNT, {"trich_yeu": "trước"}, client_factory=server.client)
    server.up = False
    pend = [svc.register_paper(db, ACCOUNT, {"trich_yeu": f"mất mạng {i}"}, client_factory=server.client)
            for i in range(3)]
    assert [(p["status"], p["so_den"]) for p in pend] == [("pending", None)] * 3
    assert [e["status_label"] for e in svc.list_entries(db)][1:] == ["Chờ cấp số"] * 3
    assert db.execute("SELECT attempts FROM register_pending").fetchall()[0][0] >= 1
    server.up = True
    done = svc.flush_pending(db, ACCOUNT, client_factory=server.client)
    assert [(d["so_den"], d["trich_yeu"]) for d in done] == [(2, "mất mạng 0"), (3, "mất mạng 1"), (4, "mất mạng 2")]
    assert svc.pending_count(db) == 0


def test_crash_after_append_before_local_commit_does_not_register_twice(tmp_path, server, monkeypatch):
    db, _ = _desk(tmp_path, "pc1")
    real = svc.sync_register
    calls = {"n": 0}

    def crash_after_append(*args, **kw):
        calls["n"] += 1
        if calls["n"] == 2:  # the sync right after APPEND
            raise MailError("mất kết nối")
        return real(*args, **kw)

    monkeypatch.setattr(svc, "sync_register", crash_after_append)
    e = svc.register_paper(db, ACCOUNT, {"trich_yeu": "một lần"}, client_factory=server.client)
    assert e["status"] == "pending"
    monkeypatch.setattr(svc, "sync_register", real)
    svc.flush_pending(db, ACCOUNT, client_factory=server.client)
    log = server.folders[rlog.DEFAULT_FOLDER]["msgs"]
    assert len(log) == 1
    assert [(x["so_den"], x["status"]) for x in svc.list_entries(db)] == [(1, "registered")]


def test_R3_2_secret_marked_document_is_refused_and_nothing_written(tmp_path, server):
    db, blobs = _desk(tmp_path, "pc1")
    mid = _store(db, blobs, server, _mail("MẬT - Công văn số 12/UBND-NC về việc bảo vệ", body="MẬT\r\nNội dung"))
    with pytest.raises(svc.SecretDocument, match="sổ riêng"):
        svc.register(db, blobs, ACCOUNT, mid, {}, client_factory=server.client, mirror_root=tmp_path / "m")
    with pytest.raises(svc.SecretDocument):
        svc.register_paper(db, ACCOUNT, {"trich_yeu": "x", "do_mat": "Tối mật"}, client_factory=server.client)
    assert svc.list_entries(db) == [] and not (tmp_path / "m").exists()
    assert rlog.DEFAULT_FOLDER not in server.folders


def test_R7_1a_1_duplicates_are_warned_same_message_and_same_symbol_issuer(tmp_path, server):
    db, blobs = _desk(tmp_path, "pc1")
    mid = _store(db, blobs, server, _mail("Công văn số 15/UBND-KT về việc báo cáo"))
    svc.register(db, blobs, ACCOUNT, mid, {}, client_factory=server.client)
    with pytest.raises(svc.DuplicateWarning) as info:
        svc.register(db, blobs, ACCOUNT, mid, {}, client_factory=server.client)
    assert info.value.warnings[0].code == "same-message" and "số đến 1/" in str(info.value)
    w = svc.check_warnings(db, {"so_ky_hieu": "15/UBND-KT", "tac_gia": "Ủy ban nhân dân tỉnh Cà Mau"})
    assert [x.code for x in w] == ["same-symbol"]
    assert svc.check_warnings(db, {"so_ky_hieu": "15/UBND-KT", "tac_gia": "Sở Tài chính"}) == []
    e = svc.register(db, blobs, ACCOUNT, mid, {}, client_factory=server.client, allow_duplicate=True)
    assert e["so_den"] == 2


def test_R7_1a_1_correct_and_cancel_keep_number_and_are_audited_on_both_desks(tmp_path, server):
    a, _ = _desk(tmp_path, "pc1")
    b, _ = _desk(tmp_path, "pc2")
    svc.register_paper(a, ACCOUNT, {"trich_yeu": "cũ", "so_ky_hieu": "5/QĐ-UBND"}, client_factory=server.client)
    svc.register_paper(a, ACCOUNT, {"trich_yeu": "nhầm"}, client_factory=server.client)
    svc.correct(a, ACCOUNT, 1, None, {"summary": "mới", "status": "presented"}, client_factory=server.client)
    svc.cancel(a, ACCOUNT, 2, None, "vào sổ hai lần", client_factory=server.client)
    svc.sync_register(b, ACCOUNT, server.client())
    for db in (a, b):
        rows = svc.list_entries(db)
        assert [(r["so_den"], r["trich_yeu"], r["status"]) for r in rows] == [(1, "mới", "presented"),
                                                                               (2, "nhầm", "cancelled")]
        hist = audit.history(db, "register_entry", f"{rows[0]['year']}/1")
        correct = [h for h in hist if h["action"] == "register.correct"][0]
        assert json.loads(correct["old_value"]) == {"trich_yeu": "cũ", "status": "registered"}
    with pytest.raises(Exception, match="đã bị hủy"):
        svc.correct(a, ACCOUNT, 2, None, {"trich_yeu": "x"}, client_factory=server.client)


def test_tamper_deleting_an_event_on_the_server_raises_and_renumbers_nothing(tmp_path, server):
    a, _ = _desk(tmp_path, "pc1")
    for i in range(3):
        svc.register_paper(a, ACCOUNT, {"trich_yeu": f"T{i}"}, client_factory=server.client)
    log = server.folders[rlog.DEFAULT_FOLDER]
    del log["msgs"][2]
    log["v"] += 1  # the server also rebuilt the folder
    before = [(e["so_den"], e["trich_yeu"]) for e in svc.list_entries(a)]
    with pytest.raises(RegisterIntegrityError, match="không đánh lại số"):
        svc.sync_register(a, ACCOUNT, server.client())
    assert [(e["so_den"], e["trich_yeu"]) for e in svc.list_entries(a)] == before
    assert audit.history(a, "register")[-1]["action"] == "register.integrity_error"
    # a new desk replaying the damaged folder is caught by the claim of event 3
    b, _ = _desk(tmp_path, "pc2")
    with pytest.raises(RegisterIntegrityError, match="mất 1"):
        svc.sync_register(b, ACCOUNT, server.client())


def test_uidvalidity_change_with_same_events_is_verified_and_accepted(tmp_path, server):
    a, _ = _desk(tmp_path, "pc1")
    for i in range(3):
        svc.register_paper(a, ACCOUNT, {"trich_yeu": f"T{i}"}, client_factory=server.client)
    log = server.folders[rlog.DEFAULT_FOLDER]
    log["msgs"] = {uid + 10: raw for uid, raw in log["msgs"].items()}
    log["v"] += 5
    log["next"] = 14
    rep = svc.sync_register(a, ACCOUNT, server.client())
    assert rep.uidvalidity_changed and rep.numbered == []
    e = svc.register_paper(a, ACCOUNT, {"trich_yeu": "sau"}, client_factory=server.client)
    assert e["so_den"] == 4


def test_event_message_roundtrip_is_ascii_and_marked():
    ev = rlog.new_event("paper", 2026, {"trich_yeu": "Về việc tổ chức Hội nghị " * 60}, claim=7, user="u",
                        workstation="pc")
    raw = rlog.encode_event(ev)
    assert raw.isascii() and b"X-Camau-Event: 1" in raw
    assert max(len(line) for line in raw.split(b"\r\n")) < 998
    assert rlog.decode_event(raw) == ev
    assert rlog.decode_event(b"Subject: hello\r\n\r\nnot an event") is None
    with pytest.raises(RegisterIntegrityError):
        rlog.decode_event(re.sub(rb"\{", b"<", raw, count=1))


def test_unknown_field_is_refused_and_aliases_work():
    assert svc.normalize_fields({"kind": "Công văn", "pages": "3"}) == {"loai": "Công văn", "so_trang": 3}
    with pytest.raises(svc.InvalidInput):
        svc.normalize_fields({"so_den": 5})


def test_cli_register_list_usage_and_missing_agency(tmp_path, capsys):
    from camau_desk.cli import main

    d = str(tmp_path / "cli")
    assert main(["register", "list", "--json", "--data-dir", d]) == 0
    assert json.loads(capsys.readouterr().out) == []
    with pytest.raises(SystemExit) as info:
        main(["register", "bogus", "--data-dir", d])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main(["register", "cancel", "3", "--data-dir", d])  # no --reason
    assert main(["register", "paper", "--set", "trich_yeu=x", "--data-dir", d]) == 1
    assert "agency" in capsys.readouterr().err


def test_cli_register_message_paper_list_cancel_sync_with_fake_server(tmp_path, capsys, monkeypatch, server):
    """The CLI end to end: warnings need --yes, numbers printed, list/cancel/sync (R7.1a-1)."""
    from camau_desk.cli import main
    from camau_desk.cli import register as cli_reg
    from camau_desk.paths import Profile

    d = tmp_path / "cli"
    prof = Profile.at(d).ensure()
    db = open_db(prof.db_path)
    with transaction(db):
        db["accounts"].insert({"name": "vanthu", "role": "agency", "email": ACCOUNT.email, "security": "ssl",
                               "imap_host": "x", "imap_port": 993, "smtp_host": "x", "smtp_port": 465,
                               "created_at": audit.now_iso()})
    mid = _store(db, BlobStore(prof.blobs_dir), server, _mail("Công văn số 15/UBND-KT về việc báo cáo"))
    monkeypatch.setattr(cli_reg, "_factory", lambda account: server.client)
    base = ["--data-dir", str(d)]
    assert main(["register", str(mid), "--set", "recipient=Phòng KH", "--json", *base]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["so_den"] == 1 and out["don_vi_nhan"] == "Phòng KH" and out["files"]
    assert (d / "mirror" / out["files"][0]["path"]).is_file()
    assert main(["register", str(mid), *base]) == 1
    assert "Cảnh báo" in capsys.readouterr().err
    assert main(["register", str(mid), "--yes", *base]) == 0
    assert "Số đến 2/" in capsys.readouterr().out
    assert main(["register", "paper", "--set", "trich_yeu=Giấy mời họp", *base]) == 0
    assert main(["register", "cancel", "2", "--reason", "trùng", *base]) == 0
    server.up = False
    assert main(["register", "paper", "--set", "trich_yeu=khi mất mạng", *base]) == 0
    assert "Chờ cấp số" in capsys.readouterr().out
    server.up = True
    assert main(["register", "sync", "--json", *base]) == 0
    assert json.loads(capsys.readouterr().out)["flushed"] == [[out["year"], 4]]
    assert main(["register", "list", "--json", *base]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["so_den"], r["status"]) for r in rows] == [(1, "registered"), (2, "cancelled"),
                                                          (3, "registered"), (4, "registered")]


def test_Đ21_2_registration_records_signature_verdicts_and_queues_receipt_when_enabled(tmp_path, server):
    from camau_desk import settings

    db, blobs = _desk(tmp_path, "pc1")
    settings.set(db, "receipt_notice", True)
    mid = _store(db, blobs, server, _mail("Tờ trình số 470/TTr-STTTT về việc mua sắm", pdf=b"%PDF-1.4 fake"))
    e = svc.register(db, blobs, ACCOUNT, mid, {}, client_factory=server.client, mirror_root=tmp_path / "m")
    queued = list(db.query("SELECT kind, entry, status FROM outbox"))
    assert queued and queued[0]["kind"] == "receipt" and queued[0]["entry"] == e["id"]
    verdicts = list(db.query("SELECT * FROM signature_checks"))
    assert verdicts and all(v["message"] == mid for v in verdicts)


def test_R6_2_register_files_are_known_to_archive_verify(tmp_path, server):
    from camau_desk.archive import mirror

    db, blobs = _desk(tmp_path, "pc1")
    mid = _store(db, blobs, server, _mail("Tờ trình số 470/TTr-STTTT về việc mua sắm", pdf=b"%PDF-1.4 fake"))
    root = tmp_path / "mirror"
    svc.register(db, blobs, ACCOUNT, mid, {}, client_factory=server.client, mirror_root=root)
    report = mirror.verify(db, root)
    assert report.ok and not report.unknown and not report.missing


def test_R7_1a_1_entry_numbered_by_a_flush_without_blobs_gets_its_files_at_the_next_flush(tmp_path, server):
    """A correction made online numbers this desk's waiting entries but has no blob store to write their files."""
    db, blobs = _desk(tmp_path, "pc1")
    root = tmp_path / "mirror"
    first = svc.register_paper(db, ACCOUNT, {"trich_yeu": "giấy"}, client_factory=server.client)
    mid = _store(db, blobs, server, _mail("Tờ trình số 470/TTr-STTTT về việc mua sắm", pdf=b"%PDF-1.4 fake"))
    server.up = False
    waiting = svc.register(db, blobs, ACCOUNT, mid, {}, client_factory=server.client, mirror_root=root)
    assert waiting["status"] == "pending"
    server.up = True
    svc.correct(db, ACCOUNT, first["so_den"], first["year"], {"trich_yeu": "giấy (sửa)"},
                client_factory=server.client)
    numbered = svc.list_entries(db)[1]
    assert numbered["so_den"] == 2 and numbered["files"] == []  # numbered, but nothing could be written here

    svc.flush_pending(db, ACCOUNT, client_factory=server.client, blobs=blobs, mirror_root=root)
    files = svc.list_entries(db)[1]["files"]
    assert [f["role"] for f in files] == ["document", "original-eml"]
    assert files[0]["path"].split("/")[-1].startswith("0002 - 470_TTr-STTTT - ")
    assert server.folders["INBOX"]["flags"][1] == {svc.KEYWORD}
    svc.flush_pending(db, ACCOUNT, client_factory=server.client, blobs=blobs, mirror_root=root)
    assert len(svc.list_entries(db)[1]["files"]) == 2  # written once
