"""The outbox tells a refusal from a delay; "Đã trình" only once the forward is sent (R2.1, R7.1a-2).

A scripted SMTP fake raises exactly what smtplib raises for each server reply,
so the classification is tested on the real exception types.
"""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from test_delegation import ACCOUNT, FakeImap, make_desk

from camau_desk import audit
from camau_desk.errors import InvalidInput, MailError
from camau_desk.mail import compose, outbox
from camau_desk.register import service as svc
from camau_desk.routing import forward as fw
from camau_desk.routing import tracking as tr

pytestmark = pytest.mark.unit

LEADER = "giamdoc@sotttt.camau.gov.vn"
UNKNOWN = "khongco@sotttt.camau.gov.vn"
T0 = dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC)


class ScriptedSmtp:
    """Each ``sendmail`` plays the next outcome: an exception to raise or the refused dict to return."""

    def __init__(self, *outcomes: object) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[tuple[str, list[str], bytes]] = []

    def connect(self, *_a) -> ScriptedSmtp:
        return self

    def sendmail(self, frm, to, raw):
        outcome = self.outcomes.pop(0) if self.outcomes else {}
        if isinstance(outcome, BaseException):
            raise outcome
        self.sent.append((frm, list(to), raw))
        return outcome

    def quit(self):
        pass


@pytest.fixture()
def env(tmp_path):
    db, blobs = make_desk(tmp_path)
    return db, blobs, FakeImap()


def _msg(to=(LEADER,)):
    return compose.new_message(from_addr=ACCOUNT.email, to=list(to), subject="Giấy mời họp", body="Kính mời.")


def _send(env, smtp, msg=None):
    db, blobs, imap = env
    return outbox.send_or_queue(db, blobs, ACCOUNT, msg or _msg(), smtp_factory=smtp.connect,
                                imap_factory=imap.client, now=T0)


def _flush(env, smtp, now=T0 + dt.timedelta(hours=2)):
    db, blobs, imap = env
    return outbox.flush_outbox(db, blobs, smtp_factory=smtp.connect, imap_factory=imap.client, now=now, force=True)


def _actions(db, oid):
    return [a["action"] for a in audit.history(db, "outbox", oid)]


PERMANENT = {
    "550 to RCPT TO": (smtplib.SMTPRecipientsRefused({LEADER: (550, b"5.1.1 User unknown")}),
                       f"Máy chủ thư từ chối ({LEADER}: 550 5.1.1 User unknown): "
                       "địa chỉ người nhận không tồn tại hoặc bị từ chối."),
    "553 to MAIL FROM": (smtplib.SMTPSenderRefused(553, b"5.7.1 Relay access denied", ACCOUNT.email),
                         "Máy chủ thư từ chối (553 5.7.1 Relay access denied): không nhận thư từ địa chỉ gửi "
                         f"{ACCOUNT.email}"),
    "552 to DATA": (smtplib.SMTPDataError(552, b"5.3.4 Message size exceeds fixed limit"),
                    "Máy chủ thư từ chối (552 5.3.4 Message size exceeds fixed limit): nội dung thư bị từ chối"),
}


@pytest.mark.parametrize("name", list(PERMANENT))
def test_R2_1_permanent_5xx_refusal_ends_the_row_refused_and_is_never_retried(env, name):
    db = env[0]
    exc, reason = PERMANENT[name]
    smtp = ScriptedSmtp(exc)
    row = _send(env, smtp)
    assert row["status"] == "refused" and row["status_label"] == "Bị từ chối"
    assert row["last_error"].startswith(reason) and row["next_attempt_at"] is None
    assert _actions(db, row["id"]) == ["outbox.queue", "outbox.refused"]
    assert _flush(env, smtp, now=T0 + dt.timedelta(days=3)) == []  # forced and long after: still not retried
    assert smtp.sent == [] and outbox.get_item(db, row["id"])["attempts"] == 1


TEMPORARY = {
    "452 to RCPT TO": smtplib.SMTPRecipientsRefused({LEADER: (452, b"4.5.3 Too many recipients")}),
    # RFC 5321 §4.5.3.1.10: old servers say "too many recipients" with 552; it means 452
    "552 to RCPT TO": smtplib.SMTPRecipientsRefused({LEADER: (552, b"5.5.3 Too many recipients")}),
    "452 and 550 to RCPT TO": smtplib.SMTPRecipientsRefused({LEADER: (452, b"4.2.2 Mailbox full"),
                                                             UNKNOWN: (550, b"5.1.1 User unknown")}),
    "421 to MAIL FROM": smtplib.SMTPSenderRefused(421, b"4.7.0 Try again later", ACCOUNT.email),
    "451 to DATA": smtplib.SMTPDataError(451, b"4.3.0 Local error in processing"),
    "554 to EHLO": smtplib.SMTPHeloError(554, b"5.7.1 Not now"),
    "timeout": TimeoutError("timed out"),
    "disconnect": smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    "no connection": MailError("Không kết nối được tới máy chủ gửi thư (SMTP)."),
}


@pytest.mark.parametrize("name", list(TEMPORARY))
def test_R2_1_delays_stay_queued_with_backoff_and_are_sent_later(env, name):
    db = env[0]
    smtp = ScriptedSmtp(TEMPORARY[name])
    row = _send(env, smtp)
    assert row["status"] == "queued" and row["status_label"] == "Chờ gửi"
    assert "chờ gửi" in row["last_error"].lower() or "SMTP" in row["last_error"]
    assert row["next_attempt_at"] == (T0 + dt.timedelta(seconds=30)).isoformat()
    assert _actions(db, row["id"]) == ["outbox.queue", "outbox.failed"]
    (done,) = _flush(env, smtp)
    assert done["status"] == "sent" and done["attempts"] == 2 and len(smtp.sent) == 1


def test_R2_1_reply_codes_are_in_the_delay_reason(env):
    row = _send(env, ScriptedSmtp(TEMPORARY["452 and 550 to RCPT TO"]))
    assert f"{LEADER}: 452 4.2.2 Mailbox full; {UNKNOWN}: 550 5.1.1 User unknown" in row["last_error"]


def test_R2_1_partial_refusal_is_sent_with_the_refused_recipients_in_the_reason_and_audit(env):
    db = env[0]
    smtp = ScriptedSmtp({UNKNOWN: (550, b"5.1.1 User unknown")})
    row = _send(env, smtp, _msg((LEADER, UNKNOWN)))
    assert row["status"] == "sent" and smtp.sent[0][1] == [LEADER, UNKNOWN]
    assert f"{UNKNOWN}: 550 5.1.1 User unknown" in row["last_error"]
    (sent,) = [a for a in audit.history(db, "outbox", row["id"]) if a["action"] == "outbox.sent"]
    assert UNKNOWN in sent["new_value"] and "550 5.1.1 User unknown" in sent["new_value"]


def test_R2_1_clerk_requeues_a_refused_message_explicitly_audited(env):
    db = env[0]
    smtp = ScriptedSmtp(PERMANENT["553 to MAIL FROM"][0])
    row = _send(env, smtp)
    sent = _send(env, ScriptedSmtp())
    with pytest.raises(InvalidInput, match="“Đã gửi”: chỉ thư bị máy chủ từ chối"):
        outbox.requeue(db, sent["id"])
    again = outbox.requeue(db, row["id"], "nguyenthi.vanthu")
    assert again["status"] == "queued" and again["last_error"].startswith("Máy chủ thư từ chối (553")
    (rq,) = [a for a in audit.history(db, "outbox", row["id"]) if a["action"] == "outbox.requeue"]
    assert rq["user"] == "nguyenthi.vanthu" and '"refused"' in rq["old_value"] and '"queued"' in rq["new_value"]
    (done,) = _flush(env, smtp)
    assert done["status"] == "sent" and done["last_error"] is None and len(smtp.sent) == 1


def test_R2_1_refused_message_can_be_cancelled_but_not_requeued_after(env):
    db = env[0]
    row = _send(env, ScriptedSmtp(PERMANENT["550 to RCPT TO"][0]))
    assert outbox.cancel(db, row["id"])["status"] == "cancelled"
    with pytest.raises(InvalidInput, match="Đã hủy"):
        outbox.requeue(db, row["id"])


# ---------------------------------------------------------------- forwards: Đã trình only once sent


def _entry(env):
    db, _, imap = env
    return svc.register_paper(db, ACCOUNT, {"trich_yeu": "V/v báo cáo chuyển đổi số", "so_ky_hieu": "470/UBND-VP",
                                            "tac_gia": "UBND tỉnh", "loai": "Công văn"},
                              client_factory=imap.client, allow_duplicate=True)


def _forward(env, smtp, e):
    db, blobs, imap = env
    return fw.forward_entry(db, blobs, ACCOUNT, e["so_den"], e["year"], imap_factory=imap.client,
                            smtp_factory=smtp.connect)


def test_R7_1a_2_forward_queued_while_smtp_is_down_is_presented_when_the_flush_sends_it(env):
    db = env[0]
    e = _entry(env)
    r = _forward(env, ScriptedSmtp(TimeoutError("timed out")), e)
    assert r["outbox"]["status"] == "queued"
    entry = fw.find_entry(db, e["so_den"], e["year"])
    assert entry["status"] == "registered" and entry["ngay_chuyen"] is None and entry["don_vi_nhan"] is None
    (f,) = tr.status_of(db, e["so_den"], e["year"])["forwards"]
    assert f["outbox_status"] == "queued" and f["recipient"] == LEADER
    evening = dt.datetime(2026, 3, 12, 18, 30, tzinfo=dt.UTC)  # 01:30 on 13/03 in Việt Nam
    (done,) = _flush(env, ScriptedSmtp(), now=evening)
    assert done["status"] == "sent"
    entry = fw.find_entry(db, e["so_den"], e["year"])
    assert (entry["status"], entry["ngay_chuyen"], entry["don_vi_nhan"]) == \
        ("presented", "2026-03-13", "Giám đốc Nguyễn Văn An")


def test_R7_1a_2_refused_forward_leaves_the_entry_registered_with_the_reason_visible(env):
    db = env[0]
    e = _entry(env)
    r = _forward(env, ScriptedSmtp(smtplib.SMTPRecipientsRefused({LEADER: (550, b"5.1.1 User unknown")})), e)
    assert r["outbox"]["status"] == "refused"
    assert fw.find_entry(db, e["so_den"], e["year"])["status"] == "registered"
    (f,) = tr.status_of(db, e["so_den"], e["year"])["forwards"]
    assert f["outbox_status"] == "refused" and "550 5.1.1 User unknown" in f["last_error"]
    outbox.requeue(db, r["outbox"]["id"])
    _flush(env, ScriptedSmtp())
    assert fw.find_entry(db, e["so_den"], e["year"])["status"] == "presented"


def test_R7_1a_2_forward_sent_at_once_is_presented_on_the_day_it_was_sent(env):
    db = env[0]
    e = _entry(env)
    r = _forward(env, ScriptedSmtp(), e)
    entry = fw.find_entry(db, e["so_den"], e["year"])
    sent_day = dt.datetime.fromisoformat(r["outbox"]["sent_at"]).astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert r["outbox"]["status"] == "sent" and entry["status"] == "presented"
    assert entry["ngay_chuyen"] == sent_day.date().isoformat()


def test_R7_1a_2_plain_forward_of_a_message_touches_no_register_entry(env):
    db = env[0]
    e = _entry(env)
    msg = compose.new_message(from_addr=ACCOUNT.email, to=[LEADER], subject="Fwd: thư", body="x")
    row = outbox.send_or_queue(db, env[1], ACCOUNT, msg, kind="forward", smtp_factory=ScriptedSmtp().connect,
                               imap_factory=env[2].client)
    assert row["status"] == "sent" and fw.find_entry(db, e["so_den"], e["year"])["status"] == "registered"
