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
