"""Verified TLS connections to the account's IMAP and SMTP servers (R2.1).

Certificates are always verified (system store, or the agency CA file the
account names).  "plain" exists only for a local test server and must be
chosen explicitly.  Error texts are rewritten in Vietnamese and never include
the password.
"""

from __future__ import annotations

import smtplib
import socket
import ssl

import imapclient
import imapclient.exceptions

from camau_desk.accounts import Account, password_for
from camau_desk.errors import MailError

TIMEOUT_S = 30.0


def tls_context(account: Account) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=account.ca_file or None)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def _explain(exc: BaseException, server: str, host: str, port: int | None) -> MailError:
    where = f"{server} {host}:{port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        msg = f"Chứng chỉ của máy chủ {where} không hợp lệ hoặc không đáng tin cậy ({exc.verify_message})."
    elif isinstance(exc, (imapclient.exceptions.LoginError, smtplib.SMTPAuthenticationError)):
        msg = f"Máy chủ {where} từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu."
    elif isinstance(exc, (socket.timeout, TimeoutError)):
        msg = f"Máy chủ {where} không trả lời (hết thời gian chờ). Kiểm tra kết nối mạng."
    elif isinstance(exc, ConnectionRefusedError):
        msg = f"Không kết nối được tới {where}: máy chủ từ chối kết nối."
    elif isinstance(exc, socket.gaierror):
        msg = f"Không tìm thấy máy chủ {host}. Kiểm tra tên máy chủ và kết nối mạng."
    elif isinstance(exc, OSError):
        msg = f"Mất kết nối tới {where}: {exc.strerror or type(exc).__name__}."
    else:
        msg = f"Lỗi khi làm việc với {where}: {type(exc).__name__}."
    return MailError(msg, detail=f"{type(exc).__name__}: {exc}")


def quiet_imaplib(client: imapclient.IMAPClient) -> None:
    """Turn off imaplib's wire debug that imapclient switches on for every connection.

    Why: imapclient sets ``imaplib.IMAP4.debug = 5`` and routes ``_mesg`` to a
    logger, so imaplib formats ``%r`` of every FETCH literal (each message's
    bytes, ~4x their size as text) twice, and the logger then drops it.  That
    was about half of the fetch thread's CPU (bench/sync/README.md).
    imapclient's own "imapclient" logger is untouched.
    """
    imap = getattr(client, "_imap", None)
    if imap is not None and hasattr(imap, "debug"):
        imap.debug = 0


def imap_connect(account: Account, password: str | None = None) -> imapclient.IMAPClient:
    """A logged-in IMAPClient (one per thread: imapclient is not thread-safe)."""
    password = password if password is not None else password_for(account)
    host, port = account.imap_host or "", account.imap_port
    try:
        if account.security == "ssl":
            client = imapclient.IMAPClient(host, port=port, ssl=True, ssl_context=tls_context(account),
                                           timeout=TIMEOUT_S)
        else:
            client = imapclient.IMAPClient(host, port=port, ssl=False, timeout=TIMEOUT_S)
            if account.security == "starttls":
                client.starttls(tls_context(account))
        quiet_imaplib(client)
        client.login(account.login_name, password)
        return client
    except Exception as exc:  # mapped to a sentence the clerk can act on
        raise _explain(exc, "IMAP", host, port) from None


def smtp_connect(account: Account, password: str | None = None) -> smtplib.SMTP:
    password = password if password is not None else password_for(account)
    host, port = account.smtp_host or "", account.smtp_port or 0
    try:
        if account.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_S, context=tls_context(account))
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_S)
            if account.security == "starttls":
                smtp.starttls(context=tls_context(account))
        smtp.login(account.login_name, password)
        return smtp
    except Exception as exc:
        raise _explain(exc, "SMTP", host, port) from None


def check_login(account: Account) -> dict[str, str]:
    """Log in to IMAP and SMTP; report each as 'ok' or the Vietnamese error."""
    password = password_for(account)
    result: dict[str, str] = {}
    for name, connect in (("imap", imap_connect), ("smtp", smtp_connect)):
        try:
            conn = connect(account, password)
        except MailError as err:
            result[name] = err.message
            continue
        try:
            conn.logout() if name == "imap" else conn.quit()
        except Exception:  # noqa: S110 - logging out is courtesy; the login already proved the point
            pass
        result[name] = "ok"
    return result
