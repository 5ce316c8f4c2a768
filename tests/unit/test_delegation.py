"""Delegation (R7.1a-N): one deputy at a time, replayed from the shared log, resolved at sending time."""

from __future__ import annotations

import datetime as dt

import pytest

from camau_desk import audit
from camau_desk.accounts import Account
from camau_desk.errors import InvalidInput, MailError
from camau_desk.mail.blobs import BlobStore
from camau_desk.register import log as rlog
from camau_desk.routing import delegation as dl
from camau_desk.routing import org
from camau_desk.store import open_db
from camau_desk.store.db import transaction

ACCOUNT = Account(name="vanthu", role="agency", email="vanthu@sotttt.camau.gov.vn", imap_host="x", imap_port=993,
                  smtp_host="x", smtp_port=465, security="ssl")

ORG_CSV = """kind,code,name,title,email,unit
agency,STTTT,Sở Thông tin và Truyền thông,,vanthu@sotttt.camau.gov.vn,
department,KHTC,Phòng Kế hoạch - Tài chính,,khtc@sotttt.camau.gov.vn,STTTT
head,,Nguyễn Văn An,Giám đốc,giamdoc@sotttt.camau.gov.vn,STTTT
deputy,,Trần Thị Bình,Phó Giám đốc,phogiamdoc1@sotttt.camau.gov.vn,STTTT
deputy,,Lê Văn Cường,Phó Giám đốc,phogiamdoc2@sotttt.camau.gov.vn,STTTT
leader,,Phạm Đức Dũng,Trưởng phòng,truongphong@sotttt.camau.gov.vn,KHTC
"""


class FakeImap:
    """Folders with APPENDUID, UID search/fetch, special-use Sent."""

    def __init__(self) -> None:
        self.folders: dict[str, dict] = {"INBOX": {"v": 7, "next": 1, "msgs": {}}, "Sent": {"v": 8, "next": 1,
                                                                                        "msgs": {}}}
        self.up = True
        self.selected: str | None = None

    def client(self, *_a) -> FakeImap:
        if not self.up:
            raise MailError("Không kết nối được tới máy chủ IMAP (giả).")
        return self

    def folder_exists(self, name):
        return name in self.folders

    def create_folder(self, name):
        self.folders[name] = {"v": 1000 + len(self.folders), "next": 1, "msgs": {}}

    def subscribe_folder(self, name):
        pass

    def find_special_folder(self, what):
        return "Sent"

    def append(self, folder, raw, flags=()):
        f = self.folders[folder]
        uid = f["next"]
        f["next"] += 1
        f["msgs"][uid] = raw
        return f"[APPENDUID {f['v']} {uid}] Append completed.".encode()

    def select_folder(self, folder, readonly=False):
        self.selected = folder
        f = self.folders[folder]
        return {b"UIDVALIDITY": f["v"], b"EXISTS": len(f["msgs"])}

    def search(self, criteria):
        f = self.folders[self.selected]
        lo = int(criteria[1].split(":")[0])
        return [u for u in f["msgs"] if u >= lo] or ([max(f["msgs"])] if f["msgs"] else [])

    def fetch(self, uids, what):
        f = self.folders[self.selected]
        return {u: {b"BODY[]": f["msgs"][u]} for u in uids}

    def add_flags(self, uids, flags):
        pass

    def logout(self):
        pass


class FakeSmtp:
    def __init__(self) -> None:
        self.up = True
        self.sent: list[tuple[str, list[str], bytes]] = []

    def connect(self, *_a) -> FakeSmtp:
        if not self.up:
            raise MailError("Không kết nối được tới SMTP (giả).")
        return self

    def sendmail(self, frm, to, raw):
        self.sent.append((frm, list(to), raw))
        return {}

    def quit(self):
        pass


def make_desk(path, name="pc1", with_org=True):
    db = open_db(path / name / "db.sqlite3")
    with transaction(db):
        db["accounts"].insert({"name": "vanthu", "role": "agency", "email": ACCOUNT.email, "security": "ssl",
                               "imap_host": "x", "imap_port": 993, "smtp_host": "x", "smtp_port": 465,
                               "created_at": audit.now_iso()})
    if with_org:
        org.import_csv(db, text=ORG_CSV)
    return db, BlobStore(path / name / "blobs")

pytestmark = pytest.mark.unit

D = dt.date


@pytest.fixture()
def server():
    return FakeImap()


def test_parse_date_accepts_vietnamese_and_iso():
    assert dl.parse_date("05/03/2026") == D(2026, 3, 5) == dl.parse_date("2026-03-05") == dl.parse_date("5-3-2026")
    with pytest.raises(InvalidInput, match="dd/mm/yyyy"):
        dl.parse_date("31/02/2026")


def test_R7_1a_N_recipient_follows_the_delegation_dates(tmp_path, server):
    db, _ = make_desk(tmp_path)
    assert dl.recipient_for(db, D(2026, 3, 10))[0]["email"] == "giamdoc@sotttt.camau.gov.vn"
    d = dl.add_delegation(db, ACCOUNT, deputy="phogiamdoc1@sotttt.camau.gov.vn", start="09/03/2026",
                          end="13/03/2026", reason="Giám đốc đi công tác Hà Nội", client_factory=server.client)
    assert d["state"] == "valid"
    for day, who, under in [(D(2026, 3, 8), "giamdoc", False), (D(2026, 3, 9), "phogiamdoc1", True),
                            (D(2026, 3, 13), "phogiamdoc1", True), (D(2026, 3, 14), "giamdoc", False)]:
        person, u, deleg = dl.recipient_for(db, day)
        assert (person["email"].split("@")[0], u) == (who, under)
        assert (deleg is not None) == under
    assert dl.active_banner(db, D(2026, 3, 10)) == "Đang ủy quyền cho Phó Giám đốc Trần Thị Bình đến 13/03/2026"
    assert dl.active_banner(db, D(2026, 3, 14)) is None
    note = dl.delegation_note(d)
    assert note.startswith("Văn bản trình Phó Giám đốc Trần Thị Bình theo ủy quyền của Giám đốc Nguyễn Văn An")
    assert "từ 09/03/2026 đến 13/03/2026" in note


def test_R7_1a_N_overlap_refused_naming_the_conflict(tmp_path, server):
    db, _ = make_desk(tmp_path)
    dl.add_delegation(db, ACCOUNT, deputy="phogiamdoc1@sotttt.camau.gov.vn", start="09/03/2026",
                      end="13/03/2026", reason="Công tác", client_factory=server.client)
    with pytest.raises(InvalidInput) as ei:
        dl.add_delegation(db, ACCOUNT, deputy="phogiamdoc2@sotttt.camau.gov.vn", start="13/03/2026",
                          end="20/03/2026", reason="Nghỉ phép", client_factory=server.client)
    assert "trùng thời gian với ủy quyền cho Phó Giám đốc Trần Thị Bình từ 09/03/2026 đến 13/03/2026" in str(ei.value)
    # adjacent is fine
    dl.add_delegation(db, ACCOUNT, deputy="phogiamdoc2@sotttt.camau.gov.vn", start="14/03/2026",
                      end="20/03/2026", reason="Nghỉ phép", client_factory=server.client)
    assert len(dl.list_delegations(db)) == 2


def test_only_deputies_and_valid_ranges(tmp_path, server):
    db, _ = make_desk(tmp_path)
    with pytest.raises(InvalidInput, match="không phải cấp phó"):
        dl.add_delegation(db, ACCOUNT, deputy="truongphong@sotttt.camau.gov.vn", start="01/03/2026",
                          end="02/03/2026", reason="x", client_factory=server.client)
    with pytest.raises(InvalidInput, match="trước ngày bắt đầu"):
        dl.add_delegation(db, ACCOUNT, deputy="phogiamdoc1@sotttt.camau.gov.vn", start="05/03/2026",
                          end="02/03/2026", reason="x", client_factory=server.client)


def test_second_desk_routes_the_same_after_syncing_the_log(tmp_path, server):
    db1, _ = make_desk(tmp_path, "pc1")
    db2, _ = make_desk(tmp_path, "pc2")
    d = dl.add_delegation(db1, ACCOUNT, deputy="phogiamdoc1@sotttt.camau.gov.vn", start="09/03/2026",
                          end="13/03/2026", reason="Công tác", client_factory=server.client)
    assert dl.recipient_for(db2, D(2026, 3, 10))[1] is False  # not synced yet
    dl.sync_log(db2, ACCOUNT, client_factory=server.client)
    p, under, d2 = dl.recipient_for(db2, D(2026, 3, 10))
    assert under and p["email"] == "phogiamdoc1@sotttt.camau.gov.vn" and d2["id"] == d["id"]
    dl.end_delegation(db2, ACCOUNT, d["id"][:8], on="11/03/2026", reason="Về sớm", client_factory=server.client)
    dl.sync_log(db1, ACCOUNT, client_factory=server.client)
    for db in (db1, db2):
        assert dl.recipient_for(db, D(2026, 3, 10))[1] is True
        assert dl.recipient_for(db, D(2026, 3, 11))[1] is False


def test_concurrent_overlaps_resolved_by_log_order():
    """Two desks wrote overlapping delegations at once: the one the server placed first wins everywhere."""
    a = rlog.new_event("delegation", 2026, {"deputy": "p1@x", "start": "2026-03-09", "end": "2026-03-13"},
                       user="u", workstation="w1")
    b = rlog.new_event("delegation", 2026, {"deputy": "p2@x", "start": "2026-03-12", "end": "2026-03-20"},
                       user="u", workstation="w2")
    got = {d["id"]: d["state"] for d in dl.fold_delegations([(5, a), (6, b)])}
    assert got == {a["event_id"]: "valid", b["event_id"]: "rejected"}
    got = {d["id"]: d["state"] for d in dl.fold_delegations([(5, b), (6, a)])}
    assert got == {a["event_id"]: "rejected", b["event_id"]: "valid"}


def test_delegation_needs_the_server(tmp_path, server):
    db, _ = make_desk(tmp_path)
    server.up = False
    with pytest.raises(MailError):
        dl.add_delegation(db, ACCOUNT, deputy="phogiamdoc1@sotttt.camau.gov.vn", start="09/03/2026",
                          end="13/03/2026", reason="Công tác", client_factory=server.client)
    assert dl.list_delegations(db) == []


def test_R7_1a_N_cli_deputy_lists_documents_received_under_delegation(tmp_path, capsys):
    import json

    from camau_desk import audit
    from camau_desk.cli import main
    from camau_desk.mail.blobs import BlobStore
    from camau_desk.mail.store import ensure_folder, store_message
    from camau_desk.paths import Profile
    from camau_desk.store import open_db
    from camau_desk.store.db import transaction

    prof = Profile.at(tmp_path / "deputy").ensure()
    db = open_db(prof.db_path)
    blobs = BlobStore(prof.blobs_dir)
    with transaction(db):
        db["accounts"].insert({"name": "pgd", "role": "personal", "email": "phogiamdoc1@sotttt.camau.gov.vn",
                               "is_local": 1, "created_at": audit.now_iso()})
        fid = ensure_folder(db, "pgd", "INBOX", "inbox")
        head = ("From: vanthu@sotttt.camau.gov.vn\r\nTo: phogiamdoc1@sotttt.camau.gov.vn\r\n"
                "Subject: [Số đến 12/2026] Báo cáo\r\nX-Camau-Delegation: d-1\r\nX-Camau-So-Den: 12/2026\r\n")
        store_message(db, blobs, "pgd", fid, (head + "\r\nNội dung\r\n").encode())
        store_message(db, blobs, "pgd", fid, b"From: a@b.vn\r\nSubject: other\r\n\r\nx\r\n")
    db.conn.close()
    assert main(["delegate", "received", "pgd", "--json", "--data-dir", str(prof.data_dir)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["delegation"], r["so_den"]) for r in rows] == [("d-1", "12/2026")]
