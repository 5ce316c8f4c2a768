"""The offline mirror: layout, secrets, verify, rebuild (R6.2, R3.2, R3.3, invariant 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from camau_desk import settings
from camau_desk.archive import mirror
from camau_desk.archive.naming import is_windows_safe
from camau_desk.errors import StorageError
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import ensure_folder, store_message
from camau_desk.store.db import open_db, transaction
from tests.fixtures.mail import make_mail

pytestmark = pytest.mark.unit


class Box:
    def __init__(self, tmp: Path) -> None:
        self.db = open_db(tmp / "db.sqlite3")
        self.blobs = BlobStore(tmp / "blobs")
        self.root = tmp / "mirror"
        with transaction(self.db):
            self.inbox = ensure_folder(self.db, "coquan", "INBOX", "inbox")
            self.sent = ensure_folder(self.db, "coquan", "Sent", "sent")
        self.n = 0

    def add(self, subject: str, *, folder: int | None = None, **kw) -> int:
        self.n += 1
        with transaction(self.db):
            mid, _ = store_message(self.db, self.blobs, "coquan", folder or self.inbox, make_mail(subject, **kw),
                                   uidvalidity=1, uid=self.n)
        return mid

    def files(self) -> list[str]:
        return sorted(mirror.rel_path(self.root, p) for p in mirror.walk_files(self.root))


@pytest.fixture
def box(tmp_path: Path) -> Box:
    return Box(tmp_path)


def test_R6_2_message_folder_with_eml_and_attachments(box: Box) -> None:
    mid = box.add("Quyết định 123/QĐ-UBND về việc phê duyệt", attachments=[
        ("QĐ 123.pdf", b"%PDF-1.4 fake", "application/pdf"),
        ("bảng:kê?.xlsx", b"PK fake", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ])
    res = mirror.mirror_message(box.db, box.blobs, box.root, mid)
    assert res.status == "ok"
    assert res.dir.startswith("2024/03/Quyết định/04 Đến - Văn phòng UBND - ")
    names = sorted(Path(f).name for f in box.files())
    assert names == sorted([mirror.EML_NAME, "QĐ 123.pdf", "bảng_kê_.xlsx"])
    for f in box.files():
        assert all(is_windows_safe(part) for part in f.split("/"))
    eml = box.root / res.dir / mirror.EML_NAME
    sha = box.db.execute("SELECT sha256 FROM messages WHERE id=?", [mid]).fetchone()[0]
    assert eml.read_bytes() == box.blobs.get(sha)
    kinds = sorted(r[0] for r in box.db.execute("SELECT kind FROM mirror_files"))
    assert kinds == ["attachment", "attachment", "eml"]
    assert mirror.verify(box.db, box.root).ok


def test_R6_2_sent_mail_and_fallback_kind(box: Box) -> None:
    box.db.execute("INSERT INTO accounts (name, role, email, created_at) VALUES ('coquan','agency','me@x.vn','now')")
    out = box.add("Trả lời anh Ba", folder=box.sent, sender="Tôi <me@x.vn>")
    inn = box.add("Hỏi thăm sức khỏe")
    counts = mirror.mirror_all(box.db, box.blobs, box.root)
    assert counts == {"ok": 2}
    dirs = dict(box.db.execute("SELECT message, dir FROM mirror_messages").fetchall())
    assert dirs[out].startswith("2024/03/Thư đi/04 Đi - Tôi - ")
    assert dirs[inn].startswith("2024/03/Thư đến/04 Đến - ")
    assert mirror.pending_messages(box.db) == []


def test_R3_2_secret_mail_is_not_mirrored(box: Box) -> None:
    mid = box.add("[MẬT] Báo cáo tình hình an ninh", body="MẬT\nNội dung.")
    secrecy = box.db.execute("SELECT secrecy FROM messages WHERE id=?", [mid]).fetchone()[0]
    assert secrecy
    res = mirror.mirror_message(box.db, box.blobs, box.root, mid)
    assert res.status == "secret"
    assert box.files() == []
    assert mirror.pending_messages(box.db) == []


def test_same_folder_name_gets_numbered(box: Box) -> None:
    a = box.add("Giấy mời họp")
    b = box.add("Giấy mời họp", body="Khác nội dung")
    mirror.mirror_all(box.db, box.blobs, box.root)
    dirs = dict(box.db.execute("SELECT message, dir FROM mirror_messages").fetchall())
    assert dirs[a] != dirs[b] and dirs[b].endswith("(2)")


def test_R3_3_verify_reports_missing_changed_unknown(box: Box) -> None:
    mid = box.add("Công văn số 1", attachments=[("a.pdf", b"%PDF a", "application/pdf"),
                                                ("b.pdf", b"%PDF b", "application/pdf")])
    res = mirror.mirror_message(box.db, box.blobs, box.root, mid)
    d = box.root / res.dir
    (d / "a.pdf").unlink()
    (d / "b.pdf").write_bytes(b"%PDF edited")
    (d / "ghi chú.txt").write_text("của tôi", encoding="utf-8")
    (d / ".camau-x.tmp").write_bytes(b"temp")  # our own temp files never count
    rep = mirror.verify(box.db, box.root)
    assert not rep.ok
    assert rep.missing == [f"{res.dir}/a.pdf"]
    assert rep.changed == [f"{res.dir}/b.pdf"]
    assert rep.unknown == [f"{res.dir}/ghi chú.txt"]


def test_R6_2_rebuild_after_template_change(box: Box) -> None:
    a = box.add("Quyết định 5/QĐ-UBND về việc khen thưởng", attachments=[("qd.pdf", b"%PDF q", "application/pdf")])
    b = box.add("Hỏi việc", date="Fri, 10 Nov 2023 10:00:00 +0700")
    mirror.mirror_all(box.db, box.blobs, box.root)
    old_a = box.db.execute("SELECT dir FROM mirror_messages WHERE message=?", [a]).fetchone()[0]
    # a person's own file, one missing file, one edited file
    (box.root / old_a / "của tôi.txt").write_text("x", encoding="utf-8")
    (box.root / old_a / "qd.pdf").unlink()
    old_b = box.db.execute("SELECT dir FROM mirror_messages WHERE message=?", [b]).fetchone()[0]
    (box.root / old_b / mirror.EML_NAME).write_bytes(b"edited")
    rep = mirror.rebuild(box.db, box.blobs, box.root, "{kind}/{year}-{month:02} - {trich_yeu}")
    assert settings.get(box.db, "mirror_template") == "{kind}/{year}-{month:02} - {trich_yeu}"
    dirs = dict(box.db.execute("SELECT message, dir FROM mirror_messages").fetchall())
    assert dirs[a] == "Quyết định/2024-03 - Khen thưởng"
    assert dirs[b].startswith("Thư đến/2023-11 - ")
    assert rep.moved == 1 and rep.recreated == 2 and rep.kept_changed == [f"{old_b}/{mirror.EML_NAME}"]
    assert (box.root / dirs[a] / "qd.pdf").read_bytes() == b"%PDF q"
    assert (box.root / old_a / "của tôi.txt").exists()  # unknown files are left alone
    v = mirror.verify(box.db, box.root)
    assert v.ok, v.as_dict()
    assert v.unknown == [f"{old_a}/của tôi.txt"]  # still not ours
    # the edited copy is kept, indexed as the person's own file
    kinds = dict(box.db.execute("SELECT path, kind FROM mirror_files").fetchall())
    assert kinds[f"{old_b}/{mirror.EML_NAME}"] == "unknown"


def test_crash_between_files_and_rows_is_adopted(box: Box) -> None:
    mid = box.add("Thông báo lịch trực")
    res = mirror.mirror_message(box.db, box.blobs, box.root, mid)
    # simulate a crash after the files were written, before the rows committed
    box.db.execute("DELETE FROM mirror_files")
    box.db.execute("DELETE FROM mirror_messages")
    again = mirror.mirror_message(box.db, box.blobs, box.root, mid)
    assert again.dir == res.dir
    assert mirror.verify(box.db, box.root).unknown == []


def test_full_disk_becomes_vietnamese_storage_error(box: Box, monkeypatch) -> None:
    import errno

    mid = box.add("Thư bất kỳ")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mirror, "atomic_write_bytes", full)
    with pytest.raises(StorageError) as err:
        mirror.mirror_message(box.db, box.blobs, box.root, mid)
    assert "Ổ đĩa đã đầy" in str(err.value)


def test_register_files_recorded_are_not_unknown(box: Box) -> None:
    p = box.root / "2024" / "03" / "Công văn" / "0001 - 5_UBND - x.pdf"
    p.parent.mkdir(parents=True)
    p.write_bytes(b"%PDF reg")
    assert mirror.verify(box.db, box.root).unknown == ["2024/03/Công văn/0001 - 5_UBND - x.pdf"]
    mirror.record_file(box.db, box.root, p, "register")
    rep = mirror.verify(box.db, box.root)
    assert rep.ok and rep.unknown == []


def test_R6_2_folder_date_is_the_day_in_viet_nam_not_the_senders(box: Box) -> None:
    """A mail a sender dated 31/03 20:30 in California arrived on 01/04 in Cà Mau: April's folder."""
    mid = box.add("Công văn 5/UBND về việc báo cáo", date="Sun, 31 Mar 2024 20:30:00 -0700")
    res = mirror.mirror_message(box.db, box.blobs, box.root, mid)
    assert res.dir.startswith("2024/04/Công văn/01 Đến - ")
