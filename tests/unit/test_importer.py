"""Importing .eml, mbox and Maildir into the offline store (R3.3, R6.2)."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest

from camau_desk import accounts
from camau_desk.mail import importer, store
from camau_desk.mail.blobs import BlobStore

pytestmark = pytest.mark.unit


def msg(n: int, subject: str = "Công văn") -> bytes:
    return (
        f"From: Sở Tài chính <stc@camau.gov.vn>\nTo: vanthu@sotttt.camau.gov.vn\n"
        f"Subject: {subject} số {n}\nDate: Tue, 4 Jun 2024 09:{n % 60:02d}:00 +0700\n"
        f"Message-ID: <{n}@stc.camau.gov.vn>\nContent-Type: text/plain; charset=utf-8\n\nNội dung {n}.\n"
    ).encode()


@pytest.fixture
def blobs(profile):
    return BlobStore(profile.blobs_dir)


def make_mbox(path: Path, raws: list[bytes], status: str = "") -> Path:
    box = mailbox.mbox(path)
    for raw in raws:
        m = mailbox.mboxMessage(raw)
        m.set_from("stc@camau.gov.vn Tue Jun  4 02:15:00 2024")
        if status:
            m.set_flags(status)
        box.add(m)
    box.flush()
    box.close()
    return path


def make_maildir(path: Path, raws: list[bytes], sub: dict[str, list[bytes]] | None = None) -> Path:
    md = mailbox.Maildir(path, create=True)
    for raw in raws:
        m = mailbox.MaildirMessage(raw)
        m.set_flags("S")
        m.set_subdir("cur")
        md.add(m)
    for name, items in (sub or {}).items():
        f = md.add_folder(name)
        for raw in items:
            f.add(raw)
    return path


def folder_names(db):
    return sorted(r["name"] for r in store.folder_list(db, importer.DEFAULT_ACCOUNT))


def test_R6_2_import_eml_files_into_local_archive_account(db, blobs, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.eml").write_bytes(msg(1))
    (d / "sub").mkdir()
    (d / "sub" / "b.EML").write_bytes(msg(2))
    (d / "notes.txt").write_text("không phải thư")
    seen = []
    res = importer.import_paths(db, blobs, [d], progress=lambda a, b: seen.append((a, b)))
    assert (res.new, res.duplicates, res.errors) == (2, 0, [])
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    acc = accounts.get_account(db, "Lưu trữ")
    assert acc.role == "archive" and acc.is_local
    assert folder_names(db) == ["Đã nhập"]
    rows = store.list_messages(db, account="Lưu trữ")
    assert {r["subject"] for r in rows} == {"Công văn số 1", "Công văn số 2"}
    assert all(r["uid"] is None for r in rows)
    # the file's bytes are kept exactly
    assert store.raw_bytes(db, blobs, rows[0]["id"]) in (msg(1), msg(2))


def test_R3_3_importing_twice_makes_no_duplicates(db, blobs, tmp_path):
    f = tmp_path / "a.eml"
    f.write_bytes(msg(1))
    assert importer.import_paths(db, blobs, [f]).new == 1
    res = importer.import_paths(db, blobs, [f])
    assert (res.new, res.duplicates) == (0, 1)
    assert db.execute("SELECT COUNT(*) FROM locations").fetchone()[0] == 1


def test_import_mbox_with_flags_and_delivery_date(db, blobs, tmp_path):
    box = make_mbox(tmp_path / "Hộp thư đến.mbox", [msg(1), msg(2), msg(3)], status="RO")
    res = importer.import_paths(db, blobs, [box])
    assert (res.new, res.duplicates, res.errors) == (3, 0, [])
    assert folder_names(db) == ["Hộp thư đến"]
    rows = store.list_messages(db, folder="Hộp thư đến")
    assert len(rows) == 3 and all(r["flags"] == ["\\Seen"] for r in rows)
    assert rows[0]["received_at"] == "2024-06-04T02:15:00+00:00"


def test_import_maildir_with_subfolders(db, blobs, tmp_path):
    md = make_maildir(tmp_path / "Maildir", [msg(1), msg(2)], {"Sent": [msg(10)], "Công văn": [msg(11)]})
    res = importer.import_paths(db, blobs, [tmp_path])
    assert (res.new, res.duplicates, res.errors) == (4, 0, [])
    assert folder_names(db) == ["Công văn", "Maildir", "Sent"]
    assert all(r["flags"] == ["\\Seen"] for r in store.list_messages(db, folder="Maildir"))
    assert md.exists()


def test_R3_3_duplicates_across_formats_are_one_message_per_folder(db, blobs, tmp_path):
    (tmp_path / "x.eml").write_bytes(msg(1))
    make_mbox(tmp_path / "Lưu.mbox", [msg(1), msg(2)])
    make_maildir(tmp_path / "md", [msg(2), msg(3)])
    res = importer.import_paths(db, blobs, [tmp_path], account="Kho cũ")
    assert res.errors == []
    assert (res.new, res.duplicates) == (3, 2)
    assert db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 3
    assert db.execute("SELECT COUNT(*) FROM locations").fetchone()[0] == 5
    assert accounts.get_account(db, "Kho cũ").role == "archive"


def test_missing_and_unknown_paths_are_reported_not_fatal(db, blobs, tmp_path):
    junk = tmp_path / "a.bin"
    junk.write_bytes(b"\x00\x01\x02")
    good = tmp_path / "g.eml"
    good.write_bytes(msg(1))
    res = importer.import_paths(db, blobs, [tmp_path / "nope", junk, good])
    assert res.new == 1 and len(res.errors) == 2
    assert all(e.endswith(".") for e in res.errors)


def test_cancel_keeps_what_was_done(db, blobs, tmp_path):
    box = make_mbox(tmp_path / "big.mbox", [msg(i) for i in range(10)])
    calls = {"n": 0}

    def cancel():
        calls["n"] += 1
        return calls["n"] > 4

    res = importer.import_paths(db, blobs, [box], cancel=cancel)
    assert res.cancelled and res.new == 4
    assert store.count_messages(db) == 4


def test_commits_in_chunks(db, blobs, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 3)
    box = make_mbox(tmp_path / "c.mbox", [msg(i) for i in range(7)])
    res = importer.import_paths(db, blobs, [box])
    assert res.new == 7 and store.count_messages(db) == 7


def test_one_bad_message_does_not_stop_the_rest(db, blobs, tmp_path, monkeypatch):
    real = store.store_message

    def flaky(db_, blobs_, account, folder_id, raw, **kw):
        if b"<3@" in raw:
            raise ValueError("hỏng")
        return real(db_, blobs_, account, folder_id, raw, **kw)

    monkeypatch.setattr(store, "store_message", flaky)
    box = make_mbox(tmp_path / "d.mbox", [msg(i) for i in range(5)])
    res = importer.import_paths(db, blobs, [box])
    assert res.new == 4 and len(res.errors) == 1 and "hỏng" in res.errors[0]
    assert store.count_messages(db) == 4


# --- demo profile (lives here: it is an import of the bundled samples) ------------------

def test_demo_profile_has_local_account_inbox_sent_and_demo_setting(tmp_path, monkeypatch):
    from camau_desk import demo, settings
    from camau_desk.store import open_db

    res = tmp_path / "res" / "demo"
    res.mkdir(parents=True)
    (res / "01.eml").write_bytes(msg(1))
    (res / "02.eml").write_bytes(msg(2, "HỎA TỐC - Công văn"))
    monkeypatch.setattr(demo, "resources_dir", lambda: tmp_path / "res")
    prof = demo.create_demo_profile(tmp_path / "demo")
    demo.create_demo_profile(tmp_path / "demo")  # again: nothing doubles
    db = open_db(prof.db_path)
    try:
        acc = accounts.get_account(db, "Demo")
        assert (acc.role, acc.is_local, acc.email, acc.display_name) == (
            "agency", True, "vanthu@sotttt.camau.gov.vn", "Văn thư Sở TT&TT (dữ liệu mẫu)")
        folders = {f["name"]: f for f in store.folder_list(db, "Demo")}
        assert folders["INBOX"]["role"] == "inbox" and folders["INBOX"]["total"] == 2
        assert folders["Sent"]["role"] == "sent" and folders["Sent"]["total"] == 0
        assert settings.get(db, "demo") is True
        rows = store.list_messages(db, account="Demo")
        assert rows[0]["received_at"].startswith("2024-06-04T09:02:00")
    finally:
        db.conn.close()


def test_demo_profile_with_bundled_resources_in_temp_dir():
    from camau_desk import demo
    from camau_desk.store import open_db

    prof = demo.create_demo_profile()
    db = open_db(prof.db_path)
    try:
        assert store.count_messages(db, account="Demo") == len(demo.demo_messages())
    finally:
        db.conn.close()
        import shutil

        shutil.rmtree(prof.data_dir, ignore_errors=True)


# --- files that are not mail (R6.2: garbage is reported, never stored as a message) -----

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00"
RANDOM = bytes((i * 7919 + 13) % 256 for i in range(4096))  # fixed "random" bytes, NULs included


@pytest.mark.parametrize("raw", [
    msg(1),
    msg(2).replace(b"\n", b"\r\n"),
    "From stc@camau.gov.vn Tue Jun  4 02:15:00 2024\nSubject: x\n\nthân thư".encode(),  # a one-message mbox named .eml
    b"Received: from mx.camau.gov.vn\n by mail; Tue, 4 Jun 2024 09:00:00 +0700\nMessage-ID: <a@b>",  # no body
    b"X-Mailer: Outlook\nSubject: =?utf-8?b?Q8O0bmcgdsSDbg==?=\n\n\x00 binary body is fine\n",
    b"\xef\xbb\xbfFrom: a@b\r\nSubject: x\r\n\r\nbody",  # saved by Notepad with a UTF-8 BOM
])
def test_R6_2_is_rfc5322_accepts_messages(raw):
    assert importer.is_rfc5322(raw)


@pytest.mark.parametrize("raw", [
    PDF, JPEG, RANDOM, b"", b"\r\n\r\nFrom: a@b\r\n",
    "Ghi chú: họp lúc 8 giờ\nnhớ mang hồ sơ\n".encode(),  # looks like a header line, but no mail header
    b"Chao anh,\nSubject: x\n\n",  # the first line is not a header field
    b"From: a@b\nSubject: x\x00y\n\nbody",  # NUL in the header block
], ids=["pdf", "jpeg", "random", "empty", "blank-first", "note", "text-first", "nul-header"])
def test_R6_2_is_rfc5322_rejects_what_is_not_mail(raw):
    assert not importer.is_rfc5322(raw)


def test_R6_2_import_reports_non_mail_files_per_file_and_imports_the_rest(db, blobs, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "1.eml").write_bytes(msg(1))
    (d / "báo cáo.eml").write_bytes(PDF)  # a PDF renamed .eml
    (d / "ảnh.eml").write_bytes(JPEG)
    (d / "rỗng.eml").write_bytes(b"")
    (d / "rác.eml").write_bytes(RANDOM)
    (d / "2.eml").write_bytes(msg(2))
    seen = []
    res = importer.import_paths(db, blobs, [d], progress=lambda a, b: seen.append((a, b)))
    assert (res.new, res.duplicates) == (2, 0)
    assert sorted(res.errors) == sorted(f"{d / name}: Tệp không phải là thư điện tử (.eml)."
                                        for name in ("báo cáo.eml", "ảnh.eml", "rỗng.eml", "rác.eml"))
    assert seen[-1] == (6, 6)  # counted as done: the progress bar reaches the end
    assert store.count_messages(db) == 2
    assert {r["subject"] for r in store.list_messages(db, account="Lưu trữ")} == {"Công văn số 1", "Công văn số 2"}


def test_R6_2_a_pdf_given_by_name_is_reported_not_imported(db, blobs, tmp_path):
    pdf = tmp_path / "Công văn.pdf"
    pdf.write_bytes(PDF)
    res = importer.import_paths(db, blobs, [pdf])
    assert res.new == 0 and len(res.errors) == 1 and str(pdf) in res.errors[0]
    assert store.count_messages(db) == 0


def test_R6_2_mbox_and_maildir_entries_that_are_not_mail_are_reported(db, blobs, tmp_path):
    box = make_mbox(tmp_path / "Cũ.mbox", [msg(1), b"%PDF-1.4 not a message\n", msg(2)])
    md = make_maildir(tmp_path / "md", [msg(3)])
    (md / "new" / "1700000000.garbage.host").write_bytes(RANDOM)
    res = importer.import_paths(db, blobs, [box, md])
    assert res.new == 3 and len(res.errors) == 2
    assert all(e.endswith(": Tệp không phải là thư điện tử (.eml).") for e in res.errors)
    assert any(e.startswith(f"{box} #2:") for e in res.errors)
    assert store.count_messages(db) == 3


def test_R6_2_extensionless_files_are_imported_only_when_they_are_mail(db, blobs, tmp_path):
    (tmp_path / "thu").write_bytes(msg(1))
    (tmp_path / "ghichu").write_bytes("Ghi chú: không phải thư\n".encode())
    res = importer.import_paths(db, blobs, [tmp_path])
    assert (res.new, res.errors) == (1, [])  # found in a folder scan: a stray note is skipped silently


def test_R6_2_cli_import_json_lists_the_non_mail_files(capsys, tmp_path):
    import json

    from camau_desk.cli import main

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.eml").write_bytes(msg(1))
    (src / "b.eml").write_bytes(PDF)
    code = main(["import", str(src), "--json", "--data-dir", str(tmp_path / "data")])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out == {"new": 1, "duplicates": 0, "errors": [f"{src / 'b.eml'}: Tệp không phải là thư điện tử (.eml)."]}


def test_R6_2_eml_saved_with_a_byte_order_mark_is_imported_without_it(db, profile, tmp_path):
    body = "From: Văn thư <vt@camau.gov.vn>\r\nSubject: Công văn 12\r\nMessage-ID: <bom@x>\r\n\r\nNội dung\r\n"
    (tmp_path / "notepad.eml").write_bytes(b"\xef\xbb\xbf" + body.encode())
    rep = importer.import_paths(db, BlobStore(profile.blobs_dir), [tmp_path / "notepad.eml"])
    assert rep.errors == [] and rep.new == 1
    [row] = db.execute("SELECT subject, from_addr, sha256 FROM messages").fetchall()
    assert row[0] == "Công văn 12" and row[1] == "vt@camau.gov.vn"
    assert BlobStore(profile.blobs_dir).get(row[2]) == body.encode()
