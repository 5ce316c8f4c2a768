"""Compose: "Đính kèm tệp..." (file picker, list with remove); files read on the db executor when sending."""

from __future__ import annotations

import email
from email import policy

import pytest

pytestmark = pytest.mark.gui


def _raw_of_outbox(profile) -> bytes:
    from camau_desk.store.db import open_db

    db = open_db(profile.db_path)
    try:
        return db.execute("SELECT raw FROM outbox ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        db.conn.close()


def test_compose_attaches_files_chosen_in_the_picker_and_removes_one(open_window, demo_profile, qtbot, tmp_path,
                                                                     monkeypatch):
    from ui.qt import QFileDialog

    keep = tmp_path / "Kế hoạch 2025.docx"
    keep.write_bytes(b"PK\x03\x04 docx bytes")
    drop = tmp_path / "nhầm.txt"
    drop.write_text("không gửi", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(keep), str(drop), str(keep)], "")))
    window = open_window(demo_profile, demo=True)
    dialog = window.leader_ui.compose_new()
    assert dialog.attach_button.text() == "Đính kèm tệp..." and not dialog.remove_button.isEnabled()
    dialog.attach_button.click()
    assert dialog.attachment_paths() == [str(keep), str(drop)]  # the same file once
    dialog.attachment_list.setCurrentRow(1)
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    assert dialog.attachment_paths() == [str(keep)]
    dialog.to.setText("a@camau.gov.vn")
    dialog.subject.setText("Gửi kế hoạch")
    with qtbot.waitSignal(dialog.sent, timeout=15000):
        dialog.send_button.click()
    msg = email.message_from_bytes(_raw_of_outbox(demo_profile), policy=policy.default)
    atts = list(msg.iter_attachments())
    assert [a.get_filename() for a in atts] == ["Kế hoạch 2025.docx"]
    assert atts[0].get_content() == keep.read_bytes()


def test_compose_unreadable_attachment_is_explained(open_window, demo_profile, qtbot, tmp_path):
    window = open_window(demo_profile, demo=True)
    dialog = window.leader_ui.compose_new(attachments=[str(tmp_path / "đã xóa.pdf")])
    dialog.to.setText("a@camau.gov.vn")
    dialog.subject.setText("Thử")
    with qtbot.waitSignal(dialog.failed, timeout=15000) as failed:
        dialog.send_button.click()
    assert failed.args[0].startswith("Không đọc được tệp đính kèm")
