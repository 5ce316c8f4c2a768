"""Trình lãnh đạo in the window when the mail server is down or refuses (R2.1, R7.1a-2), on the real servers.

The window's profile is a clerk desk on the test Dovecot (register log,
delegations) and the test SMTP relay (fixtures of tests/integration): the
forward, the outbox view's "Gửi lại" / "Gửi ngay" and the background flush
all go through the real connections.  The entry must say "Đã trình" only
once the leader's server has the message.
"""

from __future__ import annotations

from email.utils import make_msgid

import pytest

from tests.gui.test_leader_ui import ORG_CSV, STATUS_COLUMN
from tests.gui.test_register_ui import _row
from tests.integration.test_forward import forwards_for
from tests.servers.smtp_relay import AIOSMTPD_WARNING_FILTERS

pytestmark = [pytest.mark.gui, pytest.mark.integration, pytest.mark.timeout(180),
              *(pytest.mark.filterwarnings(f) for f in AIOSMTPD_WARNING_FILTERS)]

SUBJECT = "V/v báo cáo tình hình chuyển đổi số quý I năm 2026"
RELAY_DENIED = "554 5.7.1 Relay access denied"


@pytest.fixture
def desk_profile(fresh_mailbox, smtp, memory_keyring, tmp_path):  # noqa: F811
    """(profile, entry): the agency mailbox with its password in the keyring, one incoming document registered."""
    from camau_desk import accounts
    from camau_desk.accounts import Account
    from camau_desk.mail import compose
    from camau_desk.mail.blobs import BlobStore
    from camau_desk.mail.connect import imap_connect
    from camau_desk.mail.parse import parse_message
    from camau_desk.mail.sync import sync_account
    from camau_desk.paths import Profile
    from camau_desk.register import service as svc
    from camau_desk.routing import org
    from camau_desk.store import open_db

    u = fresh_mailbox.users["vanthu"]
    profile = Profile.at(tmp_path / "desk").ensure()
    account = Account(name="vanthu", role="agency", email=u.address, imap_host="127.0.0.1",
                      imap_port=fresh_mailbox.imaps_port, smtp_host="127.0.0.1", smtp_port=smtp.smtps_port,
                      security="ssl", login=u.login, ca_file=str(fresh_mailbox.ca_file))
    raw = compose.to_bytes(compose.new_message(
        from_addr=("Văn phòng UBND tỉnh", "vp@camau.gov.vn"), to=[u.address], subject=SUBJECT,
        body="Kính gửi Sở Thông tin và Truyền thông.", message_id=make_msgid(domain="camau.gov.vn")))
    fresh_mailbox.deliver("vanthu", raw)
    db = open_db(profile.db_path)
    try:
        accounts.add_account(db, account, u.password)
        org.import_csv(db, text=ORG_CSV)
        blobs = BlobStore(profile.blobs_dir)
        sync_account(db, blobs, account, password=u.password)
        mid = db.execute("SELECT id FROM messages WHERE message_id = ?",
                         [parse_message(raw).message_id]).fetchone()[0]
        entry = svc.register(db, blobs, account, mid, {"tac_gia": "UBND tỉnh Cà Mau", "so_ky_hieu": "470/UBND-VP",
                                                       "loai": "Công văn", "trich_yeu": SUBJECT},
                             client_factory=lambda *_a: imap_connect(account, u.password), allow_duplicate=True)
    finally:
        db.conn.close()
    return profile, entry


def _outbox(profile) -> list[dict]:
    from camau_desk.mail import outbox
    from camau_desk.store.db import open_db

    db = open_db(profile.db_path)
    try:
        return outbox.list_outbox(db)
    finally:
        db.conn.close()


def _flush_now(db, blobs, data_dir):
    """The window's real flush, without the first retry's 30 s wait."""
    from camau_desk.mail import outbox
    from ui.leader import _imap_factory

    return outbox.flush_outbox(db, blobs, force=True, imap_factory=_imap_factory(data_dir))


def _present_from_book(qtbot, window, entry: dict):
    """"Trình lãnh đạo..." in the register book, confirmed; returns (book, forward result)."""
    book = window.register_ui.show_register()
    qtbot.waitUntil(lambda: book.model.rowCount() == 1, timeout=10000)
    assert book.select_number(entry["year"], entry["so_den"]) and book.present_button.isEnabled()
    with qtbot.waitSignal(window.leader_ui.confirm_shown, timeout=30000):
        book.present_button.click()
    with qtbot.waitSignal(book.loaded, timeout=60000), \
            qtbot.waitSignal(window.leader_ui.forwarded, timeout=60000) as done:
        window.leader_ui.confirm_yes.click()
    return book, done.args[0]


def _book_status(book, entry: dict) -> str:
    assert book.select_number(entry["year"], entry["so_den"])
    return book.selected_entry()["status_label"]


def test_R2_1_R7_1a_2_forward_while_smtp_is_down_says_it_waits_and_the_flush_presents_it(
        open_window, desk_profile, smtp, fresh_mailbox, qtbot):  # noqa: F811
    profile, e = desk_profile
    number = f"{e['so_den']}/{e['year']}"
    smtp.stop()
    window = open_window(profile, setup=lambda w: setattr(w.live, "flusher", _flush_now))
    book, result = _present_from_book(qtbot, window, e)
    assert result["outbox"]["status"] == "queued"
    said = window.statusBar().currentMessage()
    assert said.startswith(f"Số đến {number} đang chờ gửi, sẽ tự gửi lại khi có mạng; "
                           "văn bản chưa được đánh dấu Đã trình. ")
    assert "SMTP" in said and "Đã trình số đến" not in said
    assert _book_status(book, e) == "Đã vào sổ"
    assert window.model.data(window.model.index(_row(window, SUBJECT), STATUS_COLUMN)) == "Đã vào sổ"
    assert window.outbox_label.text() == "1 thư chờ gửi"

    smtp.start()  # the network is back: the window's background flush sends it
    with qtbot.waitSignals([window.live.flushed, book.loaded], timeout=60000):
        window.live.flush()
    assert _book_status(book, e) == "Đã trình"
    assert book.selected_entry()["don_vi_nhan"] == "Giám đốc Nguyễn Văn An"
    assert window.model.data(window.model.index(_row(window, SUBJECT), STATUS_COLUMN)) == "Đã trình"
    assert window.statusBar().currentMessage() == "Đã gửi 1 văn bản đang chờ tới lãnh đạo"
    assert not window.outbox_label.isVisible()
    assert len(forwards_for(fresh_mailbox, "giamdoc", e["so_den"], e["year"])) == 1


def test_R2_1_R7_1a_2_refused_forward_shows_the_reason_and_resend_puts_it_back_in_the_queue(
        open_window, desk_profile, smtp, fresh_mailbox, qtbot):  # noqa: F811
    profile, e = desk_profile
    number = f"{e['so_den']}/{e['year']}"
    smtp.refuse(RELAY_DENIED)
    window = open_window(profile)
    book, result = _present_from_book(qtbot, window, e)
    assert result["outbox"]["status"] == "refused"
    reason = result["outbox"]["last_error"]
    said = window.banner.label.text()
    assert window.banner.isVisible() and said.startswith(f"Máy chủ thư từ chối số đến {number}: {reason} ")
    assert RELAY_DENIED in said and "chưa được đánh dấu Đã trình" in said and "“Gửi lại”" in said
    assert _book_status(book, e) == "Đã vào sổ"
    qtbot.waitUntil(lambda: window.outbox_label.text() == "1 thư bị máy chủ thư từ chối", timeout=5000)  # not "chờ gửi"

    view = window.leader_ui.show_outbox()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    assert view.table.item(0, 3).text() == "Bị từ chối" and view.table.item(0, 3).toolTip() == reason
    assert RELAY_DENIED in view.table.item(0, 4).text()
    assert view.requeue_button.text() == "Gửi lại" and not view.requeue_button.isEnabled()
    assert not view.retry_button.isEnabled()  # nothing waits: a refused message is not retried on its own
    view.table.selectRow(0)
    assert view.requeue_button.isEnabled() and view.cancel_button.isEnabled()

    smtp.accept()  # the administrator fixed the relay, but the network is down right now
    smtp.stop()
    with qtbot.waitSignal(view.loaded, timeout=60000):
        view.requeue_button.click()
    assert view.table.item(0, 3).text() == "Chờ gửi" and "SMTP" in view.table.item(0, 4).text()
    assert _outbox(profile)[0]["status"] == "queued" and _outbox(profile)[0]["attempts"] == 2
    assert view.retry_button.isEnabled() and not view.requeue_button.isEnabled()
    assert window.outbox_label.text() == "1 thư chờ gửi"
    assert _book_status(book, e) == "Đã vào sổ"

    smtp.start()
    with qtbot.waitSignals([view.loaded, book.loaded], timeout=60000):
        view.retry_button.click()
    assert view.table.item(0, 3).text() == "Đã gửi" and not window.outbox_label.isVisible()
    assert _book_status(book, e) == "Đã trình"
    assert len(forwards_for(fresh_mailbox, "giamdoc", e["so_den"], e["year"])) == 1


def test_R2_1_refused_message_can_be_cancelled_from_the_outbox(open_window, desk_profile, smtp, qtbot):  # noqa: F811
    profile, e = desk_profile
    smtp.refuse(RELAY_DENIED)
    window = open_window(profile)
    _book, result = _present_from_book(qtbot, window, e)
    assert result["outbox"]["status"] == "refused"
    view = window.leader_ui.show_outbox()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10000)
    view.table.selectRow(0)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.cancel_button.click()
    assert view.table.item(0, 3).text() == "Đã hủy" and _outbox(profile)[0]["status"] == "cancelled"
    assert not view.requeue_button.isEnabled()


def test_R7_1a_2_a_sent_forward_says_presented_to_whom(vi_app):
    from ui.leader import forward_outcome

    result = {"outbox": {"status": "sent", "last_error": None}, "so_den": 3, "year": 2026,
              "recipient": {"title": "Giám đốc", "name": "Nguyễn Văn An", "email": "giamdoc@sotttt.camau.gov.vn"}}
    assert forward_outcome(result) == "Đã trình số đến 3/2026 tới Giám đốc Nguyễn Văn An <giamdoc@sotttt.camau.gov.vn>"
