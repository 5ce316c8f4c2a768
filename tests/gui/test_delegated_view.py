"""Văn bản › "Văn bản nhận theo ủy quyền": the deputy's own list (issue 6, R7.1a-N)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def _deputy_profile(root):
    from camau_desk import audit
    from camau_desk.mail.blobs import BlobStore
    from camau_desk.mail.store import ensure_folder, store_message
    from camau_desk.paths import Profile
    from camau_desk.store import open_db
    from camau_desk.store.db import transaction

    prof = Profile.at(root).ensure()
    db = open_db(prof.db_path)
    blobs = BlobStore(prof.blobs_dir)
    with transaction(db):
        db["accounts"].insert({"name": "pgd", "role": "personal", "email": "phogiamdoc1@sotttt.camau.gov.vn",
                               "is_local": 1, "created_at": audit.now_iso()})
        fid = ensure_folder(db, "pgd", "INBOX", "inbox")
        head = ("From: vanthu@sotttt.camau.gov.vn\r\nTo: phogiamdoc1@sotttt.camau.gov.vn\r\n"
                "Date: Tue, 10 Mar 2026 08:00:00 +0700\r\nMessage-ID: <d1@camau.gov.vn>\r\n"
                "Subject: =?utf-8?b?W1Phu5EgxJHhur9uIDEyLzIwMjZdIELDoW8gY8Ohbw==?=\r\n"
                "X-Camau-Delegation: d-1\r\nX-Camau-So-Den: 12/2026\r\n")
        store_message(db, blobs, "pgd", fid, (head + "\r\nNội dung\r\n").encode())
        store_message(db, blobs, "pgd", fid, b"From: a@b.vn\r\nSubject: other\r\n\r\nx\r\n")
    db.conn.close()
    return prof


def test_R7_1a_N_deputy_sees_documents_received_under_delegation(open_window, tmp_path, qtbot):
    window = open_window(_deputy_profile(tmp_path / "deputy"))
    assert window.act_delegated.text() == "Văn bản nhận theo ủy quyền..." and window.act_delegated.isEnabled()
    dialog = window.show_delegated()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
    assert dialog.table.item(0, 1).text() == "12/2026"
    assert dialog.table.item(0, 3).text() == "[Số đến 12/2026] Báo cáo"
    with qtbot.waitSignal(window.message_shown, timeout=10000):
        dialog.table.itemDoubleClicked.emit(dialog.table.item(0, 3))
