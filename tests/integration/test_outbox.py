"""The outbox on the real relay and Dovecot: queue, retry, refusal, cancel, Sent copy, demo (R2.1, R4.3)."""

from __future__ import annotations

import pytest
from test_forward import Desk, inbox

from camau_desk import settings
from camau_desk.mail import compose, outbox
from camau_desk.mail.parse import parse_message

pytestmark = pytest.mark.integration
UNKNOWN = "khongco@sotttt.camau.gov.vn"  # the relay answers RCPT TO with 550 5.1.1 User unknown


@pytest.fixture()
def desk(fresh_mailbox, smtp, tmp_path):
    return Desk(fresh_mailbox, smtp, tmp_path / "pc1")


def _msg(desk, subject, to=("giamdoc@sotttt.camau.gov.vn",)):
    return compose.new_message(from_addr=("Văn thư", desk.account.email), to=list(to), subject=subject,
                               body="Nội dung thư.")


def _flush(desk):
    return outbox.flush_outbox(desk.db, desk.blobs, smtp_factory=desk.smtp, imap_factory=desk.imap, force=True)


def _send(desk, msg, **kw):
    return outbox.send_or_queue(desk.db, desk.blobs, desk.account, msg, smtp_factory=desk.smtp,
                                imap_factory=desk.imap, **kw)


def test_sent_copy_lands_in_the_special_use_sent_folder(fresh_mailbox, smtp, desk):
    row = _send(desk, _msg(desk, "Giấy mời họp giao ban tuần"))
    assert row["status"] == "sent" and row["sent_copy"] == "imap"
    (copy,) = inbox(fresh_mailbox, "vanthu", "Sent")
    assert parse_message(copy).message_id == row["message_id"]
    loc = desk.db.execute("SELECT f.name, f.role, l.uid FROM locations l JOIN folders f ON f.id = l.folder"
                          " WHERE l.message = ?", [row["local_message"]]).fetchone()
    assert loc[0] == "Sent" and loc[1] == "sent" and loc[2] is not None


def test_cancelled_while_waiting_is_never_sent(fresh_mailbox, smtp, desk):
    smtp.stop()
    keep = _send(desk, _msg(desk, "Thư 1"))
    drop = _send(desk, _msg(desk, "Thư 2"))
    assert keep["status"] == drop["status"] == "queued"
    outbox.cancel(desk.db, drop["id"])
    smtp.start()
    outbox.flush_outbox(desk.db, desk.blobs, smtp_factory=desk.smtp, imap_factory=desk.imap, force=True)
    subjects = [parse_message(m).subject for m in inbox(fresh_mailbox, "giamdoc")]
    assert subjects == ["Thư 1"]


def test_server_refusal_keeps_the_message_queued_with_the_reason(fresh_mailbox, smtp, desk):
    smtp.refuse()
    row = _send(desk, _msg(desk, "Thư bị từ chối tạm thời"))
    assert row["status"] == "queued" and "451" in row["last_error"]
    smtp.accept()
    (done,) = outbox.flush_outbox(desk.db, desk.blobs, smtp_factory=desk.smtp, imap_factory=desk.imap, force=True)
    assert done["status"] == "sent" and done["attempts"] == 2


def test_R2_1_unknown_recipient_550_is_refused_and_never_retried(fresh_mailbox, smtp, desk):
    row = _send(desk, _msg(desk, "Thư tới địa chỉ sai", to=(UNKNOWN,)))
    assert row["status"] == "refused" and row["status_label"] == "Bị từ chối"
    assert row["last_error"] == (f"Máy chủ thư từ chối ({UNKNOWN}: 550 5.1.1 User unknown): "
                                 "địa chỉ người nhận không tồn tại hoặc bị từ chối.")
    assert _flush(desk) == [] and smtp.relayed == []
    assert outbox.get_item(desk.db, row["id"])["attempts"] == 1


def test_R2_1_partial_refusal_is_sent_to_the_others_and_names_the_refused(fresh_mailbox, smtp, desk):
    row = _send(desk, _msg(desk, "Thư mời họp", to=("giamdoc@sotttt.camau.gov.vn", UNKNOWN)))
    assert row["status"] == "sent" and f"{UNKNOWN}: 550 5.1.1 User unknown" in row["last_error"]
    assert [parse_message(m).subject for m in inbox(fresh_mailbox, "giamdoc")] == ["Thư mời họp"]
    assert smtp.relayed[0].rcpt_tos == ("giamdoc@sotttt.camau.gov.vn",)


def test_R2_1_relay_denied_at_mail_from_waits_for_the_clerk_to_requeue(fresh_mailbox, smtp, desk):
    smtp.refuse("554 5.7.1 Relay access denied")
    row = _send(desk, _msg(desk, "Thư bị chặn"))
    assert row["status"] == "refused" and "554 5.7.1 Relay access denied" in row["last_error"]
    smtp.accept()  # the administrator fixed the relay: still nothing goes out on its own
    assert _flush(desk) == [] and smtp.relayed == []
    assert outbox.requeue(desk.db, row["id"])["status"] == "queued"
    (done,) = _flush(desk)
    assert done["status"] == "sent" and done["attempts"] == 2
    assert [parse_message(m).subject for m in inbox(fresh_mailbox, "giamdoc")] == ["Thư bị chặn"]


def test_R4_3_many_recipients_need_confirmation(fresh_mailbox, smtp, desk):
    settings.set(desk.db, "max_recipients_without_confirm", 2)
    to = ("giamdoc@sotttt.camau.gov.vn", "phogiamdoc1@sotttt.camau.gov.vn", "phogiamdoc2@sotttt.camau.gov.vn")
    with pytest.raises(outbox.ConfirmationNeeded):
        _send(desk, _msg(desk, "Thông báo chung", to))
    assert _send(desk, _msg(desk, "Thông báo chung", to), confirm_many=True)["status"] == "sent"
    assert len(smtp.relayed) == 1 and len(smtp.relayed[0].rcpt_tos) == 3


def test_demo_mode_sends_nothing_to_the_servers(fresh_mailbox, smtp, desk):
    settings.set(desk.db, "demo", True)
    row = _send(desk, _msg(desk, "Thư thử nghiệm"))
    assert row["status"] == "sent" and row["sent_copy"] == "demo"
    assert smtp.relayed == [] and inbox(fresh_mailbox, "vanthu", "Sent") == []
