"""The mirror watcher follows Explorer-style changes; rescan catches them when it was off (R6.2, R3.3)."""

from __future__ import annotations

import os
import time
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from camau_desk.archive import mirror
from camau_desk.archive.watcher import MirrorWatcher, offers, rescan
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import ensure_folder, store_message
from camau_desk.store.db import open_db, transaction

pytestmark = pytest.mark.integration


def _mail(subject: str, attachment: bytes) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = "Văn phòng <vp@camau.gov.vn>"
    msg["To"] = "vt@camau.gov.vn"
    msg["Date"] = "Mon, 04 Mar 2024 08:00:00 +0700"
    msg.set_content("Kính gửi.")
    msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="tep.pdf")
    return msg.as_bytes(policy=SMTP.clone(max_line_length=None))


@pytest.fixture
def mirrored(tmp_path: Path):
    db_path = tmp_path / "db.sqlite3"
    db = open_db(db_path)
    blobs = BlobStore(tmp_path / "blobs")
    root = tmp_path / "mirror"
    with transaction(db):
        f = ensure_folder(db, "a", "INBOX", "inbox")
        for i in range(2):
            store_message(db, blobs, "a", f, _mail(f"Công văn số {i}", f"%PDF {i}".encode()), uidvalidity=1, uid=i)
    mirror.mirror_all(db, blobs, root)
    dirs = [r[0] for r in db.execute("SELECT dir FROM mirror_messages ORDER BY message")]
    return db, db_path, root, dirs


def _wait(cond, timeout: float = 8.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def _path_of(db, file_id: int) -> tuple[str, str | None]:
    return tuple(db.execute("SELECT path, deleted_at FROM mirror_files WHERE id = ?", [file_id]).fetchone())


@pytest.mark.parametrize("polling", [False, True])
def test_R6_2_watcher_follows_rename_move_delete_and_outbox(mirrored, polling: bool) -> None:
    db, db_path, root, dirs = mirrored
    pdf_id = db.execute("SELECT id FROM mirror_files WHERE path = ?", [f"{dirs[0]}/tep.pdf"]).fetchone()[0]
    eml_id = db.execute("SELECT id FROM mirror_files WHERE path = ?", [f"{dirs[1]}/{mirror.EML_NAME}"]).fetchone()[0]
    events: list[dict] = []
    with MirrorWatcher(db_path, root, on_change=events.append, polling=polling, stable_seconds=0.5,
                       poll_interval=0.3):
        # rename a file in place
        os.rename(root / dirs[0] / "tep.pdf", root / dirs[0] / "Tờ trình đã đổi tên.pdf")
        assert _wait(lambda: _path_of(db, pdf_id)[0] == f"{dirs[0]}/Tờ trình đã đổi tên.pdf")
        # move it to another folder made by the clerk
        (root / "Việc cần làm").mkdir()
        os.rename(root / dirs[0] / "Tờ trình đã đổi tên.pdf", root / "Việc cần làm" / "x.pdf")
        assert _wait(lambda: _path_of(db, pdf_id)[0] == "Việc cần làm/x.pdf")
        # delete another file
        os.remove(root / dirs[1] / mirror.EML_NAME)
        assert _wait(lambda: _path_of(db, eml_id)[1] is not None)
        # drop a file into the outbox, written in two steps: offered once, after it stopped changing
        out = root / mirror.OUTBOX_DIR / "Công văn gửi Sở.pdf"
        with open(out, "wb") as fh:
            fh.write(b"%PDF part one ")
            fh.flush()
            time.sleep(0.2)
            fh.write(b"part two")
        assert _wait(lambda: len(offers(db)) == 1)
        offer = offers(db)[0]
        assert offer["path"] == f"{mirror.OUTBOX_DIR}/Công văn gửi Sở.pdf"
        assert offer["size"] == len(b"%PDF part one part two")
        # the app's own writes are not reported as added
        events_before = len([e for e in events if e["type"] == "added"])
        mirror._write(root / "2024" / "riêng.bin", b"own")
        time.sleep(1.5)
        assert len([e for e in events if e["type"] == "added"]) == events_before
    v = mirror.verify(db, root)
    assert v.missing == [] and f"{dirs[1]}/{mirror.EML_NAME}" in v.deleted
    assert any(e["type"] == "offered" for e in events)
    assert any(e["type"] == "moved" for e in events)


def test_R3_3_rescan_catches_changes_made_while_stopped(mirrored) -> None:
    db, _, root, dirs = mirrored
    pdf_id = db.execute("SELECT id FROM mirror_files WHERE path = ?", [f"{dirs[0]}/tep.pdf"]).fetchone()[0]
    eml_id = db.execute("SELECT id FROM mirror_files WHERE path = ?", [f"{dirs[1]}/{mirror.EML_NAME}"]).fetchone()[0]
    os.rename(root / dirs[0] / "tep.pdf", root / "đã chuyển.pdf")
    os.remove(root / dirs[1] / mirror.EML_NAME)
    (root / "ghi chú.txt").write_text("của tôi", encoding="utf-8")
    (root / mirror.OUTBOX_DIR).mkdir()
    (root / mirror.OUTBOX_DIR / "gửi.pdf").write_bytes(b"%PDF out")
    rep = rescan(db, root, stable_seconds=0)
    assert rep.moved == [(f"{dirs[0]}/tep.pdf", "đã chuyển.pdf")]
    assert rep.deleted == [f"{dirs[1]}/{mirror.EML_NAME}"]
    assert rep.added == ["ghi chú.txt"]
    assert rep.offered == [f"{mirror.OUTBOX_DIR}/gửi.pdf"]
    assert _path_of(db, pdf_id) == ("đã chuyển.pdf", None)
    assert _path_of(db, eml_id)[1] is not None
    v = mirror.verify(db, root)
    assert v.ok and v.unknown == []
    # a second pass changes nothing
    again = rescan(db, root, stable_seconds=0)
    assert again.as_dict() == {"moved": [], "deleted": [], "added": [], "changed": [], "offered": [], "gone": []}


def test_R6_2_watcher_start_ends_the_offer_of_a_file_deleted_while_it_was_off(mirrored) -> None:
    """The start-up rescan: a waiting offer whose file is gone ends ('gone', reported); a sent one stays sent."""
    from camau_desk.archive.watcher import mark_offer

    db, db_path, root, _ = mirrored
    out = root / mirror.OUTBOX_DIR
    out.mkdir()
    (out / "Đã gửi.pdf").write_bytes(b"%PDF sent")
    (out / "Bị xóa.pdf").write_bytes(b"%PDF deleted")
    rescan(db, root, stable_seconds=0)
    assert mark_offer(db, f"{mirror.OUTBOX_DIR}/Đã gửi.pdf", "sent") == 1
    os.remove(out / "Bị xóa.pdf")
    os.remove(out / "Đã gửi.pdf")
    events: list[dict] = []
    with MirrorWatcher(db_path, root, on_change=events.append, stable_seconds=0):
        pass
    assert [e for e in events if e["type"] == "gone"] == [{"type": "gone", "path": f"{mirror.OUTBOX_DIR}/Bị xóa.pdf"}]
    assert {o["path"].split("/", 1)[1]: o["status"] for o in offers(db, None)} == {"Đã gửi.pdf": "sent",
                                                                                  "Bị xóa.pdf": "gone"}
