"""The offline store: blobs before rows, one row per content, spam rule (R3.3, R6.2, R7.1a-1)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pytest

from camau_desk import audit
from camau_desk.errors import NotFound
from camau_desk.mail import store
from camau_desk.mail.blobs import BlobStore
from camau_desk.store.db import transaction

pytestmark = pytest.mark.unit

RAW = (
    "From: Văn phòng UBND <vp@camau.gov.vn>\r\nTo: vanthu@sotttt.camau.gov.vn\r\n"
    "Subject: Công văn 12/UBND-VP\r\nDate: Tue, 4 Jun 2024 09:15:00 +0700\r\nMessage-ID: <12@camau.gov.vn>\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nKính gửi Sở.\r\n--B\r\nContent-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename=\"12-UBND.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    "JVBERi0xLjQK\r\n--B--\r\n"
).encode()


@pytest.fixture
def blobs(profile):
    return BlobStore(profile.blobs_dir)


def put(db, blobs, raw=RAW, folder="INBOX", role="inbox", account="A", **kw):
    with transaction(db):
        fid = store.ensure_folder(db, account, folder, role)
        return store.store_message(db, blobs, account, fid, raw, **kw)


def test_blob_store_roundtrip(tmp_path):
    b = BlobStore(tmp_path / "blobs")
    sha = b.put(b"abc")
    assert sha == hashlib.sha256(b"abc").hexdigest()
    assert b.path(sha) == tmp_path / "blobs" / sha[:2] / sha[2:4] / sha
    assert b.put(b"abc") == sha and b.has(sha) and b.get(sha) == b"abc" and b.verify(sha)
    b.path(sha).write_bytes(b"abd")
    assert not b.verify(sha)
    with pytest.raises(NotFound):
        b.get("0" * 64)


def test_R3_3_message_row_and_attachments(db, blobs):
    mid, new = put(db, blobs, uidvalidity=7, uid=1, flags=["\\Seen"],
                   internaldate=datetime(2024, 6, 4, 2, 20, tzinfo=UTC))
    assert new
    m = store.get_message(db, mid)
    assert m["subject"] == "Công văn 12/UBND-VP" and m["from_name"] == "Văn phòng UBND"
    assert m["received_at"] == "2024-06-04T02:20:00+00:00" and m["date"] == "2024-06-04T09:15:00+07:00"
    assert m["folder"] == "INBOX" and m["flags"] == ["\\Seen"] and not m["is_spam"]
    assert [a["filename"] for a in m["attachments"]] == ["12-UBND.pdf"]
    assert store.raw_bytes(db, blobs, mid) == RAW


def test_R3_3_same_raw_twice_in_one_folder_is_one_row_one_location(db, blobs):
    a = put(db, blobs)
    b = put(db, blobs)
    assert a[0] == b[0] and a[1] and not b[1]
    assert db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM locations").fetchone()[0] == 1
    put(db, blobs, uidvalidity=1, uid=5)
    put(db, blobs, uidvalidity=1, uid=5, flags=["\\Seen"])
    assert db.execute("SELECT COUNT(*) FROM locations").fetchone()[0] == 2
    assert db.execute("SELECT flags FROM locations WHERE uid = 5").fetchone()[0] == "\\Seen"


def test_R3_3_same_raw_in_two_folders_is_one_message_two_locations(db, blobs):
    m1, _ = put(db, blobs, folder="INBOX", uidvalidity=1, uid=1)
    m2, new = put(db, blobs, folder="Công văn", role=None, uidvalidity=3, uid=9)
    assert m1 == m2 and not new
    assert len(store.get_message(db, m1)["locations"]) == 2
    assert len(store.list_messages(db, account="A")) == 1
    assert len(store.list_messages(db, account="A", folder="Công văn")) == 1
    assert store.list_messages(db, account="A", folder="Công văn")[0]["uid"] == 9
    # another account keeps its own copy
    _, new_b = put(db, blobs, account="B")
    assert new_b and db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 2


def test_R3_3_blob_is_durable_before_the_row(db, blobs, monkeypatch):
    """A failure after put() leaves the blob and no row; running again is fine."""
    sha = hashlib.sha256(RAW).hexdigest()

    def boom(*a, **k):
        assert blobs.has(sha), "blob must exist before any row is written"
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_insert_message", boom)
    with pytest.raises(RuntimeError):
        put(db, blobs)
    assert blobs.has(sha)
    assert db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM locations").fetchone()[0] == 0
    monkeypatch.undo()
    mid, new = put(db, blobs)
    assert new and store.raw_bytes(db, blobs, mid) == RAW


def test_list_count_folder_list_and_order(db, blobs):
    ids = []
    for i in range(3):
        raw = RAW.replace(b"Subject: ", f"Subject: {i} ".encode())
        ids.append(put(db, blobs, raw=raw, uidvalidity=1, uid=i + 1, flags=["\\Seen"] if i else [],
                       internaldate=datetime(2024, 1, i + 1, tzinfo=UTC))[0])
    rows = store.list_messages(db, account="A", folder="INBOX")
    assert [r["id"] for r in rows] == ids[::-1]
    assert store.list_messages(db, order="received_at ASC", limit=1)[0]["id"] == ids[0]
    assert store.list_messages(db, limit=1, offset=1)[0]["id"] == ids[1]
    r = rows[0]
    assert set(r) >= {"id", "account", "folder", "uid", "date", "received_at", "from_addr", "from_name", "subject",
                      "flags", "is_spam", "has_attachments", "attachment_count", "urgency", "secrecy",
                      "removed_on_server"}
    assert r["attachment_count"] == 1 and r["has_attachments"] is True
    assert store.count_messages(db, account="A") == 3
    assert store.folder_list(db, "A") == [
        {"id": 1, "account": "A", "name": "INBOX", "role": "inbox", "total": 3, "unread": 1}
    ]
    with pytest.raises(Exception):
        store.list_messages(db, order="id; DROP TABLE messages")


# --- spam rule (R7.1a-1) ---------------------------------------------------------------

def spam_of(db, mid):
    return store.get_message(db, mid)["is_spam"]


def test_R7_1a_1_clean_message_is_not_spam(db, blobs):
    assert not spam_of(db, put(db, blobs)[0])


@pytest.mark.parametrize("flag", ["\\Junk", "$Junk", "\\junk"])
def test_R7_1a_1_junk_flag_means_spam(db, blobs, flag):
    assert spam_of(db, put(db, blobs, flags=[flag], uidvalidity=1, uid=1)[0])


@pytest.mark.parametrize("header", [b"X-Spam-Flag: YES\r\n", b"X-Spam-Status: Yes, score=8.2 required=5.0\r\n"])
def test_R7_1a_1_spam_headers_mean_spam(db, blobs, header):
    assert spam_of(db, put(db, blobs, raw=header + RAW)[0])


def test_R7_1a_1_not_spam_headers(db, blobs):
    assert not spam_of(db, put(db, blobs, raw=b"X-Spam-Flag: NO\r\nX-Spam-Status: No, score=0.3\r\n" + RAW)[0])


def test_R7_1a_1_junk_folder_means_spam_and_hidden(db, blobs):
    mid, _ = put(db, blobs, folder="Junk", role="junk", uidvalidity=1, uid=1)
    assert spam_of(db, mid)
    assert store.list_messages(db, include_spam=False) == []
    assert [r["id"] for r in store.list_messages(db, spam_only=True)] == [mid]
    assert store.count_messages(db, include_spam=False) == 0


def test_R7_1a_1_moved_out_of_junk_is_no_longer_spam(db, blobs):
    mid, _ = put(db, blobs, folder="Junk", role="junk", uidvalidity=1, uid=1)
    with transaction(db):
        db.execute("UPDATE locations SET removed_on_server = 1")
        fid = store.ensure_folder(db, "A", "INBOX", "inbox")
        store.store_message(db, blobs, "A", fid, RAW, uidvalidity=1, uid=2)
    assert not spam_of(db, mid)


def test_R7_1a_1_clerk_override_wins_and_is_audited(db, blobs):
    mid, _ = put(db, blobs, flags=["$Junk"], uidvalidity=1, uid=1)
    store.set_spam(db, mid, False)
    assert not spam_of(db, mid)
    assert store.list_messages(db, include_spam=False)[0]["id"] == mid
    store.set_spam(db, mid, None)
    assert spam_of(db, mid)
    clean, _ = put(db, blobs, raw=RAW + b"x", uidvalidity=1, uid=2)
    store.set_spam(db, clean, True)
    assert spam_of(db, clean)
    assert [h["new_value"] for h in audit.history(db, "message", mid)] == ["0", None]
    with pytest.raises(NotFound):
        store.set_spam(db, 999, True)


def test_set_flags_updates_spam(db, blobs):
    mid, _ = put(db, blobs, uidvalidity=1, uid=1)
    loc = store.get_message(db, mid)["locations"][0]["id"]
    store.set_flags(db, loc, ["\\Seen", "$Junk"])
    assert spam_of(db, mid)
    store.set_flags(db, loc, ["\\Seen"])
    assert not spam_of(db, mid)


def test_sent_folder_means_direction_out(db, blobs):
    mid, _ = put(db, blobs, folder="Sent", role="sent")
    assert store.get_message(db, mid)["direction"] == "out"


def test_get_message_unknown_id(db, blobs):
    with pytest.raises(NotFound):
        store.get_message(db, 42)
    with pytest.raises(NotFound):
        store.raw_bytes(db, blobs, 42)


# --- raw first, index later ------------------------------------------------------------------

URGENT_IN_BODY = (
    "From: vp@camau.gov.vn\r\nSubject: =?utf-8?b?" + base64.b64encode("Công văn 99/UBND".encode()).decode()
    + "?=\r\nMessage-ID: <99@camau.gov.vn>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n\r\nHỎA TỐC\r\nKính gửi Sở.\r\n"
).encode()


def _parsed(db, mid):
    return db.execute("SELECT parsed FROM messages WHERE id = ?", [mid]).fetchone()[0]


def test_store_message_full_parse_by_default_keeps_importers_correct(db, blobs):
    mid, _ = put(db, blobs)
    assert _parsed(db, mid) == 1
    assert store.get_message(db, mid)["body_text"].startswith("Kính gửi Sở.")


def test_R6_2_headers_only_row_then_parse_pending_fills_body_and_attachments(db, blobs):
    from camau_desk.mail.indexer import count_pending, parse_pending

    mid, new = put(db, blobs, uidvalidity=1, uid=1, parse="headers")
    m = store.get_message(db, mid)
    assert new and _parsed(db, mid) == 0 and count_pending(db) == 1
    assert m["subject"] == "Công văn 12/UBND-VP" and m["from_addr"] == "vp@camau.gov.vn"
    assert m["date"] == "2024-06-04T09:15:00+07:00" and m["attachments"] == [] and not m["body_text"]
    seen: list[tuple[int, int]] = []
    assert parse_pending(db, blobs, progress=lambda d, t: seen.append((d, t)), workers=1) == 1
    m = store.get_message(db, mid)
    assert _parsed(db, mid) == 1 and count_pending(db) == 0 and seen == [(1, 1)]
    assert m["body_text"].startswith("Kính gửi Sở.") and m["has_attachments"]
    assert [a["filename"] for a in m["attachments"]] == ["12-UBND.pdf"]
    assert store.list_messages(db)[0]["attachment_count"] == 1
    assert parse_pending(db, blobs) == 0  # nothing left: a no-op


def test_R3_1_urgency_in_the_body_is_found_by_the_index_phase(db, blobs):
    from camau_desk.mail.indexer import parse_pending

    mid, _ = put(db, blobs, URGENT_IN_BODY, parse="headers")
    assert store.get_message(db, mid)["urgency"] is None  # only the subject was read
    parse_pending(db, blobs, workers=1)
    assert store.get_message(db, mid)["urgency"] == "Hỏa tốc"


def test_parse_pending_with_a_process_pool_gives_the_same_rows(db, blobs):
    from camau_desk.mail.indexer import parse_pending

    raws = [RAW.replace(b"12/UBND-VP", f"{i}/UBND-VP".encode()) for i in range(6)] + [URGENT_IN_BODY]
    ids = [put(db, blobs, raw, uid=i + 1, uidvalidity=1, parse="headers")[0] for i, raw in enumerate(raws)]
    assert parse_pending(db, blobs, batch=3, workers=2) == len(raws)
    for mid, raw in zip(ids, raws, strict=True):
        pm = store.parse_message(raw)
        m = store.get_message(db, mid)
        assert (m["body_text"], m["urgency"], len(m["attachments"])) == (pm.body_text, pm.urgency,
                                                                         len(pm.attachments))


def test_parse_pending_cancel_keeps_committed_batches_and_resumes(db, blobs):
    from camau_desk.mail.indexer import count_pending, parse_pending

    for i in range(5):
        put(db, blobs, RAW.replace(b"12/UBND-VP", f"{i}/UBND-VP".encode()), uid=i + 1, uidvalidity=1,
            parse="headers")
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 1  # let the first batch through

    assert parse_pending(db, blobs, batch=2, cancel=cancel, workers=1) == 2
    assert count_pending(db) == 3
    assert parse_pending(db, blobs, batch=2, workers=1) == 3 and count_pending(db) == 0


def test_parse_pending_leaves_a_message_with_a_missing_blob_pending(db, blobs):
    from camau_desk.mail.indexer import count_pending, parse_pending

    mid, _ = put(db, blobs, parse="headers")
    sha = db.execute("SELECT sha256 FROM messages WHERE id = ?", [mid]).fetchone()[0]
    blobs.path(sha).unlink()
    assert parse_pending(db, blobs, workers=1) == 0 and count_pending(db) == 1


def _row(db, mid):
    return dict(next(db.query("SELECT * FROM messages WHERE id = ?", [mid])))


def test_R6_2_index_phase_is_body_only_and_agrees_with_a_full_parse(db, blobs):
    """The header columns of a parse_headers row are kept, not parsed again; the rest equals a full parse."""
    from camau_desk.mail.indexer import parse_pending

    raws = [RAW, URGENT_IN_BODY]
    full = [put(db, blobs, raw, folder="Full", uid=i + 1, uidvalidity=1, account="F")[0] for i, raw in enumerate(raws)]
    lazy = [put(db, blobs, raw, uid=i + 1, uidvalidity=1, parse="headers")[0] for i, raw in enumerate(raws)]
    db.execute("UPDATE messages SET from_name = 'kept' WHERE id = ?", [lazy[0]])  # proves it is not rewritten
    assert parse_pending(db, blobs, workers=1) == 2
    skip = {"id", "account", "created_at", "received_at", "from_name"}
    for f, z in zip(full, lazy, strict=True):
        a, b = _row(db, f), _row(db, z)
        assert {k: v for k, v in a.items() if k not in skip} == {k: v for k, v in b.items() if k not in skip}
    assert _row(db, lazy[0])["from_name"] == "kept"


def test_index_phase_keeps_the_header_error_and_reparses_such_a_row_in_full(db, blobs):
    from camau_desk.mail.indexer import parse_pending

    mid, _ = put(db, blobs, parse="headers")
    db.execute("UPDATE messages SET parse_error = 'headers: boom', subject = '' WHERE id = ?", [mid])
    parse_pending(db, blobs, workers=1)
    row = _row(db, mid)
    assert row["parsed"] == 1 and row["subject"] == "Công văn 12/UBND-VP"  # full parse rewrote the headers


def test_apply_parsed_body_only_appends_the_body_error_to_a_stored_one(db, blobs):
    mid, _ = put(db, blobs, parse="headers")
    db.execute("UPDATE messages SET parse_error = 'headers: x' WHERE id = ?", [mid])
    pm = store.parse_message(RAW, subject="Công văn 12/UBND-VP")
    pm.parse_error = "body: y"
    with transaction(db):
        store.apply_parsed(db, mid, pm, headers=False)
    assert _row(db, mid)["parse_error"] == "headers: x; body: y"


def test_R1_background_indexer_parses_committed_chunks_while_more_arrive(db, blobs):
    """The overlap of issue 3: rows handed over as their chunk commits, applied per batch, drained at the end."""
    import time

    from camau_desk.mail.indexer import BackgroundIndexer, count_pending

    raws = [RAW.replace(b"12/UBND-VP", f"{i}/UBND-VP".encode()) for i in range(9)] + [URGENT_IN_BODY]
    bg = BackgroundIndexer(db, blobs, workers=2, batch=2)
    try:
        bg.start()
        first = [put(db, blobs, raw, uid=i + 1, uidvalidity=1, parse="headers")[0] for i, raw in enumerate(raws[:6])]
        bg.pump()  # "chunk 1 committed"
        deadline = time.monotonic() + 30
        while bg.applied == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
            bg.pump()
        assert bg.applied > 0  # parsed while the "fetch" goes on
        rest = [put(db, blobs, raw, uid=i + 7, uidvalidity=1, parse="headers")[0] for i, raw in enumerate(raws[6:])]
        bg.pump()
        bg.finish()
    finally:
        bg.close()
    assert bg.applied == len(raws) and count_pending(db) == 0
    for mid, raw in zip(first + rest, raws, strict=True):
        pm = store.parse_message(raw)
        m = store.get_message(db, mid)
        assert (m["body_text"], m["urgency"], len(m["attachments"])) == (pm.body_text, pm.urgency,
                                                                         len(pm.attachments))


def test_background_indexer_close_leaves_unapplied_rows_pending(db, blobs):
    from camau_desk.mail.indexer import BackgroundIndexer, count_pending, parse_pending

    for i in range(4):
        put(db, blobs, RAW.replace(b"12/UBND-VP", f"{i}/UBND-VP".encode()), uid=i + 1, uidvalidity=1,
            parse="headers")
    bg = BackgroundIndexer(db, blobs, workers=2, batch=1)
    bg.start()
    bg.pump()
    bg.close()  # cancelled sync: nothing applied after this
    left = count_pending(db)
    assert left == 4 - bg.applied
    assert parse_pending(db, blobs, workers=1) == left and count_pending(db) == 0


def test_store_message_rejects_an_unknown_parse_mode(db, blobs):
    from camau_desk.errors import InvalidInput

    with pytest.raises(InvalidInput):
        put(db, blobs, parse="bodies")


def test_R3_3_put_many_is_put_for_each(tmp_path):
    b = BlobStore(tmp_path / "blobs")
    raws = [f"thư {i}".encode() for i in range(20)] + [b"same", b"same"]
    shas = b.put_many(raws)
    assert shas == [hashlib.sha256(r).hexdigest() for r in raws]
    assert all(b.get(s) == r and b.verify(s) for s, r in zip(shas, raws, strict=True))
    assert not list((tmp_path / "blobs").rglob(".camau-*"))  # no temp files left behind
