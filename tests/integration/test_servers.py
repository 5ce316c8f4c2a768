"""The test servers themselves: if these fail, every other integration test is suspect."""

from __future__ import annotations

import email
import imaplib
import smtplib
import socket
import ssl
import time
import unicodedata
from email import policy
from email.message import EmailMessage

import imapclient
import pytest
from imapclient.imapclient import ARCHIVE, DRAFTS, JUNK, SEEN, SENT, TRASH

from tests.servers.dovecot import DovecotServer
from tests.servers.smtp_relay import SmtpRelay

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

LONG_SUBJECT = unicodedata.normalize(
    "NFC",
    "V/v triển khai thực hiện Kế hoạch chuyển đổi số năm 2024 của Sở Thông tin và "
    "Truyền thông tỉnh Cà Mau; báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 15/10",
)


def _message(sender: str, to: str, subject: str = LONG_SUBJECT, body: str = "Kính gửi: Văn thư.") -> bytes:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = email.utils.make_msgid(domain="test.camau.gov.vn")
    msg.set_content(body)
    # Unfolded headers: CPython 3.11 folding can drop a space between encoded words (gh-144156).
    return msg.as_bytes(policy=policy.SMTP.clone(max_line_length=None))


def _inbox_subjects(server: DovecotServer, user: str) -> list[str]:
    with server.imap(user) as c:
        c.select_folder("INBOX", readonly=True)
        uids = c.search("ALL")
        data = c.fetch(uids, ["BODY.PEEK[HEADER]"])
        c.logout()
    return [str(email.message_from_bytes(data[u][b"BODY[HEADER]"], policy=policy.default)["Subject"]) for u in uids]


def test_R2_1_imaps_login_verifies_certificate_against_test_ca(imap_server: DovecotServer) -> None:
    u = imap_server.users["vanthu"]
    ctx = ssl.create_default_context(cafile=str(imap_server.ca_file))
    for host in ("127.0.0.1", "localhost"):
        c = imapclient.IMAPClient(host, imap_server.imaps_port, ssl=True, ssl_context=ctx, timeout=10)
        assert c.login(u.login, u.password)
        c.logout()
    # Without the test CA the certificate must be rejected (the client really verifies).
    with pytest.raises(ssl.SSLCertVerificationError):
        imapclient.IMAPClient(
            "127.0.0.1", imap_server.imaps_port, ssl=True, ssl_context=ssl.create_default_context(), timeout=10
        )


def test_R2_1_starttls_login_and_short_name(imap_server: DovecotServer) -> None:
    u = imap_server.users["giamdoc"]
    c = imapclient.IMAPClient("127.0.0.1", imap_server.starttls_port, ssl=False, timeout=10)
    assert b"STARTTLS" in c.capabilities()
    c.starttls(imap_server.ssl_context())
    assert c.login("giamdoc", u.password)  # short name works too (auth_default_realm)
    caps = set(c.capabilities())
    assert {b"CONDSTORE", b"QRESYNC", b"IDLE", b"UIDPLUS", b"MOVE", b"MULTIAPPEND", b"SPECIAL-USE"} <= caps
    c.logout()


def test_plain_login_allowed_for_local_security_none_tests(imap_server: DovecotServer) -> None:
    c = imap_server.imap("donvi1", tls=False)
    assert c.select_folder("INBOX")[b"UIDVALIDITY"] > 0
    c.logout()


def test_special_use_folders_exist_and_are_subscribed(fresh_mailbox: DovecotServer) -> None:
    with fresh_mailbox.imap("vanthu2") as c:
        for flag, name in ((SENT, "Sent"), (DRAFTS, "Drafts"), (JUNK, "Junk"), (TRASH, "Trash"), (ARCHIVE, "Archive")):
            assert c.find_special_folder(flag) == name
        subscribed = {name for _f, _d, name in c.list_sub_folders()}
        assert {"Sent", "Drafts", "Junk", "Trash", "Archive"} <= subscribed
        c.logout()


def test_folder_names_with_dots_and_vietnamese(fresh_mailbox: DovecotServer) -> None:
    with fresh_mailbox.imap("vanthu") as c:
        c.create_folder("CV 2024.10")
        c.create_folder("Công văn đến/Tháng 10")
        names = {name for _f, _d, name in c.list_folders()}
        c.logout()
    assert {"CV 2024.10", "Công văn đến/Tháng 10"} <= names


def test_R2_1_smtp_starttls_auth_delivers_long_vietnamese_subject(
    smtp: SmtpRelay, fresh_mailbox: DovecotServer
) -> None:
    gd, vt = fresh_mailbox.users["giamdoc"], fresh_mailbox.users["vanthu"]
    with smtplib.SMTP(smtp.host, smtp.submission_port, timeout=10) as s:
        s.starttls(context=smtp.ssl_context())
        s.login(gd.login, gd.password)
        s.sendmail(gd.address, [vt.address], _message(gd.address, vt.address))
    # 250 came after LMTP stored it: no polling needed.
    assert _inbox_subjects(fresh_mailbox, "vanthu") == [LONG_SUBJECT]
    (rec,) = smtp.relayed
    assert rec.rcpt_tos == (vt.address,) and rec.auth_login == gd.login and rec.tls


def test_smtp_smtps_and_plain_ports(smtp: SmtpRelay, fresh_mailbox: DovecotServer) -> None:
    gd = fresh_mailbox.users["giamdoc"]
    with smtplib.SMTP_SSL(smtp.host, smtp.smtps_port, context=smtp.ssl_context(), timeout=10) as s:
        s.login(gd.login, gd.password)
        s.sendmail(gd.address, ["donvi1"], _message(gd.address, "donvi1", "qua SMTPS"))
    with smtplib.SMTP(smtp.host, smtp.plain_port, timeout=10) as s:
        s.login(gd.login, gd.password)
        s.sendmail(gd.address, ["donvi1"], _message(gd.address, "donvi1", "không mã hóa"))
    assert sorted(_inbox_subjects(fresh_mailbox, "donvi1")) == ["không mã hóa", "qua SMTPS"]
    assert [(r.port_kind, r.tls) for r in smtp.relayed] == [("smtps", True), ("plain", False)]


def test_smtp_requires_tls_before_auth_and_auth_before_mail(smtp: SmtpRelay, imap_server: DovecotServer) -> None:
    gd = imap_server.users["giamdoc"]
    with smtplib.SMTP(smtp.host, smtp.submission_port, timeout=10) as s:
        with pytest.raises(smtplib.SMTPNotSupportedError):
            s.login(gd.login, gd.password)
    with smtplib.SMTP(smtp.host, smtp.plain_port, timeout=10) as s:
        with pytest.raises(smtplib.SMTPSenderRefused):
            s.sendmail(gd.address, ["vanthu"], b"Subject: x\r\n\r\nx\r\n")
    with smtplib.SMTP(smtp.host, smtp.plain_port, timeout=10) as s:
        s.login(gd.login, gd.password)
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            s.sendmail(gd.address, ["khongco@sotttt.camau.gov.vn"], b"Subject: x\r\n\r\nx\r\n")


def test_smtp_down_and_refusing_modes_for_outbox_retry(smtp: SmtpRelay, fresh_mailbox: DovecotServer) -> None:
    gd = fresh_mailbox.users["giamdoc"]
    port = smtp.plain_port
    smtp.stop()
    with pytest.raises(ConnectionRefusedError):
        smtplib.SMTP(smtp.host, port, timeout=5)
    smtp.start()
    assert smtp.plain_port == port  # same ports after a restart: the client config stays valid
    smtp.refuse()
    with smtplib.SMTP(smtp.host, port, timeout=10) as s:
        s.login(gd.login, gd.password)
        with pytest.raises(smtplib.SMTPSenderRefused) as exc:
            s.sendmail(gd.address, ["vanthu"], _message(gd.address, "vanthu"))
        assert 400 <= exc.value.smtp_code < 500  # temporary: the outbox must retry
    smtp.accept()
    with smtplib.SMTP(smtp.host, port, timeout=10) as s:
        s.login(gd.login, gd.password)
        s.sendmail(gd.address, ["vanthu"], _message(gd.address, "vanthu"))
    assert len(smtp.relayed) == 1
    assert fresh_mailbox.status("vanthu")["messages"] == 1


def test_failed_login_does_not_slow_the_next_login(smtp: SmtpRelay, imap_server: DovecotServer) -> None:
    u = imap_server.users["phogiamdoc1"]
    c = imapclient.IMAPClient("127.0.0.1", imap_server.imaps_port, ssl_context=imap_server.ssl_context(), timeout=10)
    with pytest.raises(imapclient.exceptions.LoginError):
        c.login(u.login, "sai-mat-khau")
    t0 = time.monotonic()
    c2 = imap_server.imap("phogiamdoc1")
    c2.logout()
    assert time.monotonic() - t0 < 2.0
    with smtplib.SMTP(smtp.host, smtp.plain_port, timeout=10) as s:
        with pytest.raises(smtplib.SMTPAuthenticationError):
            s.login(u.login, "sai-mat-khau")
    t0 = time.monotonic()
    with smtplib.SMTP(smtp.host, smtp.plain_port, timeout=10) as s:
        s.login(u.login, u.password)
    assert time.monotonic() - t0 < 2.0


def test_agency_mailbox_shared_by_two_clerk_desks(fresh_mailbox: DovecotServer) -> None:
    """Both desks log in as the agency user: a flag set on one is seen by the other."""
    (uid,) = fresh_mailbox.append("vanthu", "INBOX", [_message("a@b.vn", "vanthu", "Công văn 1")])
    desk1, desk2 = fresh_mailbox.imap("vanthu"), fresh_mailbox.imap("vanthu")
    desk1.select_folder("INBOX")
    desk1.add_flags([uid], [SEEN])
    desk2.select_folder("INBOX", readonly=True)
    assert SEEN in desk2.get_flags([uid])[uid]
    desk1.logout()
    desk2.logout()


def test_append_loads_corpus_with_flags_and_returns_uids(fresh_mailbox: DovecotServer) -> None:
    msgs = [_message("a@b.vn", "vanthu", f"Thư số {i}") for i in range(200)]
    uids = fresh_mailbox.append("vanthu", "Lưu trữ/2024", msgs, flags=[SEEN])
    assert uids == list(range(1, 201))
    st = fresh_mailbox.status("vanthu", "Lưu trữ/2024")
    assert st["messages"] == 200 and st["uidnext"] == 201
    with fresh_mailbox.imap("vanthu") as c:
        c.select_folder("Lưu trữ/2024", readonly=True)
        assert c.search("UNSEEN") == []
        c.logout()


def test_change_uidvalidity_keeps_messages(fresh_mailbox: DovecotServer) -> None:
    fresh_mailbox.append("vanthu", "INBOX", [_message("a@b.vn", "vanthu", "x")])
    with fresh_mailbox.imap("vanthu") as c:
        before = c.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"]
        c.logout()
    new = fresh_mailbox.change_uidvalidity("vanthu", "INBOX")
    with fresh_mailbox.imap("vanthu") as c:
        info = c.select_folder("INBOX", readonly=True)
        c.logout()
    assert info[b"UIDVALIDITY"] == new != before
    assert info[b"EXISTS"] == 1


def test_restart_keeps_mail_and_ports(fresh_mailbox: DovecotServer) -> None:
    fresh_mailbox.deliver("truongphong", _message("a@b.vn", "truongphong", "trước khi khởi động lại"))
    port = fresh_mailbox.imaps_port
    fresh_mailbox.restart()
    assert fresh_mailbox.imaps_port == port
    assert _inbox_subjects(fresh_mailbox, "truongphong") == ["trước khi khởi động lại"]


def test_tcp_proxy_cuts_a_fetch_mid_stream_and_reconnect_works(fresh_mailbox: DovecotServer, tcp_proxy) -> None:
    big = _message("a@b.vn", "donvi2", "tệp lớn", body="Nội dung dài. " * 20_000)  # ~300 kB
    (uid,) = fresh_mailbox.append("donvi2", "INBOX", [big])
    proxy = tcp_proxy(fresh_mailbox.imaps_port)
    u = fresh_mailbox.users["donvi2"]

    def connect() -> imapclient.IMAPClient:
        c = imapclient.IMAPClient(proxy.host, proxy.port, ssl_context=fresh_mailbox.ssl_context(), timeout=10)
        c.login(u.login, u.password)
        c.select_folder("INBOX", readonly=True)
        return c

    c = connect()
    proxy.cut_after_bytes(50_000)
    with pytest.raises((imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError, ssl.SSLError)):
        c.fetch([uid], ["BODY.PEEK[]"])
    assert proxy.cuts == 1
    c = connect()  # one-shot: the next connection passes everything
    body = c.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    assert len(body) == len(big)
    proxy.drop_all()
    with pytest.raises((imaplib.IMAP4.abort, OSError, ssl.SSLError)):
        c.noop()
    proxy.refuse_new(True)
    with pytest.raises((OSError, ssl.SSLError, imaplib.IMAP4.abort)):
        connect()


def test_dovecot_starts_fast_in_a_fresh_dir(tmp_path_factory) -> None:
    import shutil
    import tempfile

    from tests.servers.dovecot import dovecot_available

    if not dovecot_available():
        pytest.skip("Dovecot is not installed")
    d = tempfile.mkdtemp(prefix="camau-dovecot-")
    try:
        t0 = time.monotonic()
        with DovecotServer(d) as srv:
            assert time.monotonic() - t0 < 2.0
            with socket.create_connection(("127.0.0.1", srv.lmtp_port), timeout=5) as s:
                assert s.recv(100).startswith(b"220")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_fresh_mailbox_reset_removes_folders_and_messages(imap_server: DovecotServer) -> None:
    imap_server.append("vanthu2", "Công văn đến/Tháng 11", [_message("a@b.vn", "vanthu2", "x")])
    imap_server.deliver("vanthu2", _message("a@b.vn", "vanthu2", "y"))
    imap_server.reset_all()
    assert sorted(imap_server.folders("vanthu2")) == sorted(["INBOX", "Sent", "Drafts", "Junk", "Trash", "Archive"])
    assert imap_server.status("vanthu2")["messages"] == 0
