"""Mailbox handover between two profiles with the real Dovecot and SMTP relay (R4.2, R4.3, R3.3)."""

from __future__ import annotations

import base64
import hashlib
import json
from email.header import Header
from email.utils import make_msgid
from pathlib import Path

import pytest

from camau_desk import accounts, handover
from camau_desk.accounts import Account
from camau_desk.archive import mirror
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.connect import imap_connect
from camau_desk.mail.sync import sync_account
from camau_desk.paths import Profile
from camau_desk.store import open_db

pytestmark = pytest.mark.integration

USER = "vanthu"
ORG_CSV = """Loại,Mã,Tên,Chức vụ,Thư điện tử,Thuộc đơn vị
agency,STTTT,Sở Thông tin và Truyền thông,,vanthu@{d},
department,CNTT,Phòng Công nghệ thông tin,,donvi1@{d},STTTT
department,BCVT,Phòng Bưu chính viễn thông,,donvi2@{d},STTTT
head,,Nguyễn Văn Giám Đốc,Giám đốc,giamdoc@{d},STTTT
leader,,Phạm Thị Trưởng Phòng,Trưởng phòng,truongphong@{d},CNTT
"""


def mail(i: int, subject: str, *, attachment: bytes | None = None) -> bytes:
    head = (f"From: {Header('Văn phòng UBND tỉnh', 'utf-8').encode()} <vp@camau.gov.vn>\r\n"
            f"To: vanthu@sotttt.camau.gov.vn\r\nSubject: {Header(subject, 'utf-8').encode()}\r\n"
            f"Date: Mon, 3 Mar 2025 08:{i:02d}:00 +0700\r\nMessage-ID: {make_msgid(domain='camau.gov.vn')}\r\n"
            "MIME-Version: 1.0\r\n")
    body = f"Kính gửi Sở Thông tin và Truyền thông.\r\nVăn bản số {i}.\r\n"
    if attachment is None:
        return (head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + body).encode()
    b64 = base64.encodebytes(attachment).decode().replace("\n", "\r\n")
    return (head + 'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
            + '--B\r\nContent-Type: application/pdf; name="cong-van.pdf"\r\n'
            'Content-Disposition: attachment; filename="cong-van.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            + b64 + "--B--\r\n").encode()


def account_for(server, smtp) -> Account:
    u = server.users[USER]
    return Account(name=USER, role="agency", email=u.address, display_name="Văn thư Sở",
                   imap_host="127.0.0.1", imap_port=server.imaps_port, smtp_host="127.0.0.1",
                   smtp_port=smtp.smtps_port, security="ssl", login=u.login, ca_file=str(server.ca_file))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def old_desk(fresh_mailbox, smtp, memory_keyring, tmp_path):
    """The old head's profile: synced mail, two register entries with files, the mirror, the directory."""
    from camau_desk.register import service as svc
    from camau_desk.routing import org

    server = fresh_mailbox
    server.append(USER, "INBOX", [
        mail(1, "Công văn số 12/UBND-VP về việc báo cáo quý", attachment=b"%PDF-1.4 cong van 12\n"),
        mail(2, "HỎA TỐC: Phòng chống bão số 3"),
        mail(3, "Giấy mời họp giao ban tháng 3", attachment=b"%PDF-1.4 giay moi\n"),
    ])
    server.append(USER, "Archive", [mail(4, "Báo cáo năm 2024")])
    profile = Profile.at(tmp_path / "old").ensure()
    db = open_db(profile.db_path)
    blobs = BlobStore(profile.blobs_dir)
    acct = account_for(server, smtp)
    password = server.users[USER].password
    accounts.add_account(db, acct, password)
    org.import_csv(db, text=ORG_CSV.format(d=server.users[USER].address.split("@")[1]))
    res = sync_account(db, blobs, acct)
    assert res.ok and res.new == 4
    root = mirror.mirror_root(db, profile.default_mirror_dir)
    atts = db.execute("SELECT message, MIN(idx) FROM attachments GROUP BY message ORDER BY message").fetchall()
    assert len(atts) == 2
    for mid, idx in atts:
        svc.register(db, blobs, acct, mid, attachment_idx=idx, client_factory=lambda: imap_connect(acct, password),
                     mirror_root=root, allow_duplicate=True)
    mirror.mirror_all(db, blobs, root)
    yield profile, db, blobs, acct
    db.conn.close()


def test_R4_2_handover_round_trip_between_profiles(old_desk, fresh_mailbox, smtp, memory_keyring, tmp_path):
    """Every message, register entry and file arrives with matching hashes; the password goes only to the
    keyring; the handover is audited; every unit and person of the directory gets the notice."""
    profile, db, blobs, acct = old_desk
    assert db.execute("SELECT COUNT(*) FROM register_entries WHERE so_den IS NOT NULL").fetchone()[0] == 2
    pkg = tmp_path / "goi-ban-giao"
    manifest = handover.export_package(db, profile, USER, pkg)
    assert manifest.counts["messages"] == 4 and manifest.counts["blobs"] == 4
    assert manifest.counts["register_entries"] == 2 and manifest.counts["mirror"] >= 4
    secret = fresh_mailbox.users[USER].password.encode()
    assert not any(secret in p.read_bytes() for p in pkg.rglob("*") if p.is_file())  # R4.3: never in the package

    new = Profile.at(tmp_path / "new")
    new_password = fresh_mailbox.users[USER].password  # in real life the agency resets it for the new head
    report = handover.import_package(pkg, new, "hopthu-co-quan", new_password,
                                     new_manager="Phạm Thị Trưởng Phòng")
    assert memory_keyring.store[("camau-desk", "account:hopthu-co-quan")] == new_password

    ndb = open_db(new.db_path)
    nblobs = BlobStore(new.blobs_dir)
    old_msgs = {r[0]: r[1] for r in db.execute("SELECT sha256, subject FROM messages")}
    new_msgs = {r[0]: r[1] for r in ndb.execute("SELECT sha256, subject FROM messages WHERE account = ?",
                                                ["hopthu-co-quan"])}
    notice = {k for k, v in new_msgs.items() if v.startswith("Thông báo bàn giao")}
    assert len(notice) == 1  # the Sent copy of the notice
    new_msgs = {k: v for k, v in new_msgs.items() if k not in notice}
    assert new_msgs == old_msgs
    assert all(nblobs.verify(s) for s in new_msgs)
    q_loc = ("SELECT m.sha256, f.name, l.uid, l.uidvalidity, l.flags FROM locations l"
             " JOIN messages m ON m.id = l.message JOIN folders f ON f.id = l.folder")
    q_loc += " WHERE m.subject NOT LIKE 'Thông báo bàn giao%'"
    assert sorted(ndb.execute(q_loc).fetchall()) == sorted(db.execute(q_loc).fetchall())
    q_att = "SELECT m.sha256, a.idx, a.filename, a.sha256 FROM attachments a JOIN messages m ON m.id = a.message"
    assert sorted(ndb.execute(q_att).fetchall()) == sorted(db.execute(q_att).fetchall())
    q_reg = ("SELECT r.year, r.so_den, r.event_id, r.trich_yeu, r.attachment_sha256, m.sha256 FROM register_entries r"
             " LEFT JOIN messages m ON m.id = r.message ORDER BY r.so_den")
    assert ndb.execute(q_reg).fetchall() == db.execute(q_reg).fetchall()
    assert ndb.execute("SELECT COUNT(*) FROM register_events WHERE account = 'hopthu-co-quan'").fetchone()[0] == \
        db.execute("SELECT COUNT(*) FROM register_events").fetchone()[0]

    old_root = mirror.mirror_root(db, profile.default_mirror_dir)
    new_root = mirror.mirror_root(ndb, new.default_mirror_dir)
    files = list(db.query("SELECT path, sha256 FROM mirror_files WHERE deleted_at IS NULL"))
    assert files
    for f in files:
        assert sha(new_root / f["path"]) == sha(old_root / f["path"]) == f["sha256"]
    assert {r["path"] for r in ndb.query("SELECT path FROM mirror_files")} == {f["path"] for f in files}
    for f in db.query("SELECT path, sha256 FROM register_files"):
        assert sha(new_root / f["path"]) == f["sha256"]
    assert mirror.verify(ndb, new_root).ok

    audit_rows = [r["action"] for r in ndb.query("SELECT action FROM audit WHERE entity_id = 'hopthu-co-quan'")]
    assert "handover.import" in audit_rows and "handover.notice" in audit_rows
    row = json.loads(ndb.execute("SELECT new_value FROM audit WHERE action = 'handover.import'").fetchone()[0])
    assert row["manifest_sha256"] == manifest.sha256 and row["from_account"] == USER

    expected = {"donvi1", "donvi2", "giamdoc", "truongphong"}
    assert {a.split("@")[0] for a in report.notified} == expected  # the mailbox itself is not told
    assert report.notice_status == "sent"
    for user in expected:
        c = fresh_mailbox.imap(user)
        c.select_folder("INBOX", readonly=True)
        found = c.search(["SUBJECT", "bàn giao"], charset="UTF-8")
        assert found, f"{user} did not get the handover notice"
        body = c.fetch(found, ["BODY.PEEK[]"])[found[0]][b"BODY[]"].decode("utf-8", "replace")
        assert "Phạm Thị Trưởng Phòng" in body or "Ph=E1=BA=A1m" in body or "UGjhuqFt" in body
        c.logout()
    ndb.conn.close()


def test_R4_2_tampered_package_is_refused_naming_the_file(old_desk, tmp_path, memory_keyring):
    profile, db, _blobs, _acct = old_desk
    pkg = tmp_path / "pkg"
    handover.export_package(db, profile, USER, pkg)
    victim = next((pkg / "blobs").iterdir())
    victim.write_bytes(victim.read_bytes().replace(b"Kinh", b"Kinh").replace(b"\r\n\r\n", b"\r\n\r\nX", 1))
    new = Profile.at(tmp_path / "new")
    with pytest.raises(handover.PackageRefused) as err:
        handover.import_package(pkg, new, "moi", "pw")
    rel = f"blobs/{victim.name}"
    assert err.value.file == rel and rel in str(err.value)
    assert not new.db_path.exists()  # nothing imported, not even an empty profile database
    assert ("camau-desk", "account:moi") not in memory_keyring.store

    # a file removed from the package is refused too
    victim.unlink()
    with pytest.raises(handover.PackageRefused) as err:
        handover.import_package(pkg, new, "moi", "pw")
    assert err.value.file == rel and "thiếu" in str(err.value)

    # and so is a file slipped into a package
    pkg2 = tmp_path / "pkg2"
    handover.export_package(db, profile, USER, pkg2)
    (pkg2 / "mirror" / "them-vao.pdf").write_bytes(b"%PDF fake")
    with pytest.raises(handover.PackageRefused) as err:
        handover.import_package(pkg2, new, "moi", "pw")
    assert err.value.file == "mirror/them-vao.pdf"


def test_R4_2_cli_handover_export_import(old_desk, tmp_path, memory_keyring, monkeypatch, capsys):
    """`handover export` prints the manifest hash; `handover import --password-stdin` reads it from stdin only."""
    import io

    from camau_desk.cli import main

    profile, db, _blobs, _acct = old_desk
    pkg = tmp_path / "cli-pkg"
    assert main(["handover", "export", USER, str(pkg), "--data-dir", str(profile.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "SHA-256" in out and "4 thư" in out
    new_dir = str(tmp_path / "cli-new")
    assert main(["handover", "import", str(pkg), "--account", "moi", "--data-dir", new_dir]) == 1
    assert "--password-stdin" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("MatKhau#Moi\n"))
    assert main(["handover", "import", str(pkg), "--account", "moi", "--password-stdin", "--no-notice",
                 "--data-dir", new_dir]) == 0
    assert "4 thư, 2 văn bản đến" in capsys.readouterr().out
    assert memory_keyring.store[("camau-desk", "account:moi")] == "MatKhau#Moi"
