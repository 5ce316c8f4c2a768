"""m0051: the outbox accepts 'refused'; a profile at the previous version keeps every row, id and link (R2.1)."""

from __future__ import annotations

import sqlite3

import pytest

from camau_desk.store.db import connect, migrate, schema_version

pytestmark = pytest.mark.unit

PREVIOUS = 50
ROWS = [  # id, kind, status, raw, entry, attempts, last_error, sent_at, cancelled_at
    (3, "forward", "sent", b"From: a\r\n\r\n\xff\x00 raw bytes", 1, 1, None, "2026-03-10T01:00:00+00:00", None),
    (7, "new", "queued", b"Subject: x\r\n\r\nb", None, 4, "Mất kết nối tới máy chủ gửi thư (SMTP).", None, None),
    (9, "forward", "cancelled", b"c", 2, 0, None, None, "2026-03-11T02:00:00+00:00"),
]


def _old_profile(path):
    db = connect(path)
    assert migrate(db, target=PREVIOUS) == PREVIOUS
    for oid, kind, status, raw, entry, attempts, err, sent_at, cancelled_at in ROWS:
        db.execute("INSERT INTO outbox (id, account, kind, message_id, subject, mail_from, rcpt_to, raw, sha256,"
                   " entry, status, attempts, last_error, next_attempt_at, created_at, created_by, sent_at,"
                   " cancelled_at, demo) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   [oid, "vanthu", kind, f"<{oid}@x>", "Tiêu đề", "vanthu@x.vn", '["giamdoc@x.vn"]', raw,
                    "0" * 64, entry, status, attempts, err, "2026-03-10T01:00:30+00:00", "2026-03-10T01:00:00+00:00",
                    "vanthu", sent_at, cancelled_at, 0])
    for fid, oid in ((1, 3), (2, 9), (5, None)):
        db.execute("INSERT INTO routing_forwards (id, entry, year, so_den, outbox, recipient, forwarded_at,"
                   " forwarded_by) VALUES (?,?,?,?,?,?,?,?)",
                   [fid, 1, 2026, 12, oid, "giamdoc@x.vn", "2026-03-10T01:00:00+00:00", "vanthu"])
    return db


def _dump(db, table):
    return [tuple(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY id")]  # noqa: S608 - test tables


def test_R2_1_previous_profile_keeps_rows_ids_links_and_index_and_accepts_refused(tmp_path):
    db = _old_profile(tmp_path / "old.sqlite3")
    outbox_before, forwards_before = _dump(db, "outbox"), _dump(db, "routing_forwards")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute("UPDATE outbox SET status = 'refused' WHERE id = 7")
    migrate(db)
    assert schema_version(db) > PREVIOUS
    assert _dump(db, "outbox") == outbox_before and _dump(db, "routing_forwards") == forwards_before
    assert db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'").fetchall() \
        == [("outbox_status",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT name FROM sqlite_temp_master").fetchall() == []
    db.execute("UPDATE outbox SET status = 'refused' WHERE id = 7")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute("UPDATE outbox SET status = 'lost' WHERE id = 7")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):  # the link to the rebuilt table still holds
        db.execute("UPDATE routing_forwards SET outbox = 42 WHERE id = 5")
    db.execute("INSERT INTO outbox (account, kind, message_id, mail_from, rcpt_to, raw, sha256, status, created_at,"
               " created_by) VALUES ('vanthu','new','<n@x>','a@x','[]',x'00','0','queued','t','u')")
    assert db.execute("SELECT MAX(id) FROM outbox").fetchone()[0] == 10
