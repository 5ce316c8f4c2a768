"""The register's event log: one small message per event in an IMAP folder of the agency mailbox.

Why IMAP: every clerk desk already reaches the agency mailbox, and the server
gives each APPENDed message a UID strictly greater than every earlier one in
the folder.  That order is all the numbering needs (register.replay).  See
docs/register-log.md.

Events are plain RFC 5322 messages so any mail client (or an auditor) can
read them: ``Subject: [CamauDesk] register 2026 ...``, ``X-Camau-Event: 1``,
body = one JSON object in ASCII (``ensure_ascii``) so no transfer encoding
or charset can alter it.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from email.utils import format_datetime
from typing import Any

import imapclient
import imapclient.exceptions

from camau_desk.errors import MailError
from camau_desk.register.replay import RegisterIntegrityError
from camau_desk.vn.clock import VN_TZ

__all__ = [
    "DEFAULT_FOLDER",
    "new_event",
    "encode_event",
    "decode_event",
    "ensure_log_folder",
    "append_event",
    "read_log",
    "fetch_events",
]

DEFAULT_FOLDER = "CamauDesk/SoVanBanDen"
EVENT_HEADER = "X-Camau-Event"
_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]", re.I)


def now_vn() -> str:
    return datetime.now(VN_TZ).isoformat(timespec="seconds")


def new_event(etype: str, year: int, entry: dict[str, Any], *, claim: int | None = None,
              target: str | None = None, user: str, workstation: str, at: str | None = None) -> dict:
    """A version-1 event with a fresh uuid4; ``at`` is Vietnam time (+07:00)."""
    return {"v": 1, "type": etype, "event_id": str(uuid.uuid4()), "year": int(year), "claim": claim,
            "at": at or now_vn(), "user": user, "workstation": workstation, "entry": entry, "target": target}


def encode_event(event: dict) -> bytes:
    """The RFC 5322 message for one event (CRLF line ends, ASCII only)."""
    body = json.dumps(event, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    subject = f"[CamauDesk] {event['type']} {event['year']}"
    if event.get("claim"):
        subject += f" #{event['claim']}"
    subject += f" {event['event_id']}"
    try:
        date = format_datetime(datetime.fromisoformat(event["at"]))
    except (KeyError, TypeError, ValueError):
        date = format_datetime(datetime.now(VN_TZ))
    headers = [
        "From: =?utf-8?b?Q8OgIE1hdSBEZXNr?= <so-van-ban-den@camau-desk.invalid>",
        "To: so-van-ban-den@camau-desk.invalid",
        f"Subject: {subject}",
        f"Date: {date}",
        f"Message-ID: <{event['event_id']}@camau-desk.invalid>",
        f"{EVENT_HEADER}: 1",
        "MIME-Version: 1.0",
        "Content-Type: application/json; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
    ]
    # lines of the body stay short enough for any server (RFC 5322: 998 octets)
    lines = [body[i:i + 900] for i in range(0, len(body), 900)] or [""]
    return ("\r\n".join(headers) + "\r\n\r\n" + "\r\n".join(lines) + "\r\n").encode("ascii")


def decode_event(raw: bytes) -> dict | None:
    """The event in a log message; None for a message that is not an event.

    A message that says it is an event but cannot be read is an integrity
    error: skipping it could silently shift every later number.
    """
    head, _, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    if not re.search(rb"^x-camau-event:\s*1\s*$", head, re.I | re.M):
        return None
    try:
        return json.loads(body.replace(b"\n", b"").decode("ascii"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegisterIntegrityError(
            "Thư mục sổ văn bản đến có một sự kiện bị hỏng, không đọc được. "
            "Chương trình không đánh lại số; hãy báo quản trị hệ thống.",
            detail=f"{type(exc).__name__}: {raw[:300]!r}",
        ) from None


def _mail_error(exc: BaseException, what: str) -> MailError:
    return MailError(f"Không {what} được trên thư mục sổ văn bản đến: {exc}.", detail=repr(exc))


def ensure_log_folder(client: imapclient.IMAPClient, folder: str) -> None:
    """Create the folder if missing; another desk creating it at the same moment is fine."""
    if client.folder_exists(folder):
        return
    try:
        client.create_folder(folder)
    except imapclient.exceptions.IMAPClientError:
        if not client.folder_exists(folder):
            raise
    try:
        client.subscribe_folder(folder)
    except imapclient.exceptions.IMAPClientError:
        pass  # subscription only helps people look at the log in another client


def append_event(client: imapclient.IMAPClient, folder: str, event: dict) -> tuple[int | None, int]:
    """APPEND one event and return (uidvalidity, uid) from APPENDUID (UIDPLUS, RFC 4315).

    Without UIDPLUS the uid is found by searching the event's Message-ID.
    """
    raw = encode_event(event)
    try:
        ensure_log_folder(client, folder)
        resp = client.append(folder, raw, flags=(b"\\Seen",))
    except imapclient.exceptions.IMAPClientError as exc:
        raise _mail_error(exc, "ghi") from None
    m = _APPENDUID.search(resp if isinstance(resp, bytes) else str(resp).encode())
    if m:
        return int(m.group(1)), int(m.group(2))
    info = client.select_folder(folder, readonly=True)
    uids = client.search(["HEADER", "Message-ID", f"<{event['event_id']}@camau-desk.invalid>"])
    if not uids:
        raise MailError("Máy chủ không xác nhận đã ghi sự kiện vào sổ văn bản đến.")
    return int(info.get(b"UIDVALIDITY", 0)) or None, min(uids)


def read_log(client: imapclient.IMAPClient, folder: str, since_uid: int = 0) -> tuple[int, list[tuple[int, dict]]]:
    """(uidvalidity, [(uid, event)]) for every event with UID > ``since_uid``, in UID order."""
    try:
        ensure_log_folder(client, folder)
        info = client.select_folder(folder, readonly=True)
        uidvalidity = int(info[b"UIDVALIDITY"])
        if int(info.get(b"EXISTS", 0)) == 0:
            return uidvalidity, []
        uids = [u for u in client.search(["UID", f"{since_uid + 1}:*"]) if u > since_uid]
        data = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
    except imapclient.exceptions.IMAPClientError as exc:
        raise _mail_error(exc, "đọc") from None
    out: list[tuple[int, dict]] = []
    for uid in sorted(data):
        if uid <= since_uid:  # "n:*" always includes the last message
            continue
        raw = data[uid].get(b"BODY[]") or b""
        event = decode_event(raw)
        if event is not None:
            out.append((int(uid), event))
    return uidvalidity, out


def fetch_events(client: imapclient.IMAPClient, folder: str, since_uid: int = 0) -> list[tuple[int, dict]]:
    """Events with UID > ``since_uid``; use :func:`read_log` when the UIDVALIDITY matters."""
    return read_log(client, folder, since_uid)[1]
