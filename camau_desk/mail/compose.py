"""Building outgoing messages: new, reply, forward, and the forward to the leader (R7.1a-2).

Why a fixed generator policy: CPython 3.11.7 (gh-144156, ENVIRONMENT.md)
drops the space between two encoded words when it folds a long Vietnamese
Subject with the default policy ("báo cáo" arrives as "báocáo").  Messages
are built with ``policy.SMTP`` and serialised by :func:`to_bytes` with
``policy.SMTP.clone(max_line_length=None)``, which does not fold and
round-trips (tests/unit/test_compose.py checks 1,000 generated subjects).

Attachments keep their bytes exactly (base64); the original message of a
forward is attached as ``message/rfc822`` with its headers as received.
"""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path
from typing import Any

from camau_desk.errors import InvalidInput
from camau_desk.mail.parse import iter_attachments, parse_message
from camau_desk.vn.text import nfc

__all__ = [
    "BUILD_POLICY",
    "WIRE_POLICY",
    "Attachment",
    "attachment_from_path",
    "attachments_from_message",
    "to_bytes",
    "new_message",
    "reply",
    "forward",
    "register_body",
    "forward_to_leader",
    "REGISTER_COLUMNS",
]

BUILD_POLICY = policy.SMTP
#: Serialisation without folding: see the module docstring (gh-144156).
WIRE_POLICY = policy.SMTP.clone(max_line_length=None)
MSGID_DOMAIN = "camau-desk.local"


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime_type: str = "application/octet-stream"


def attachment_from_path(path: Path | str) -> Attachment:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Không đọc được tệp đính kèm {p}: {exc.strerror or exc}.") from None
    mime = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
    return Attachment(nfc(p.name), data, mime)


def attachments_from_message(raw: bytes, *, include_inline: bool = False) -> list[Attachment]:
    """The attachments of a stored message, byte for byte."""
    return [Attachment(a.filename, a.payload, a.mime_type or "application/octet-stream")
            for a in iter_attachments(raw) if include_inline or not a.is_inline]


def to_bytes(msg: EmailMessage) -> bytes:
    """The message on the wire: CRLF, not folded (see module docstring)."""
    buf = io.BytesIO()
    BytesGenerator(buf, policy=WIRE_POLICY).flatten(msg)
    return buf.getvalue()


def _addr(value: str | tuple[str, str]) -> str:
    if isinstance(value, tuple):
        name, email = value
        return str(Address(display_name=nfc(name or ""), addr_spec=email))
    return value


def _domain(addr: str) -> str:
    return addr.rpartition("@")[2].strip(">") or MSGID_DOMAIN


def _add_attachments(msg: EmailMessage, attachments: Iterable[Attachment]) -> None:
    for a in attachments:
        maintype, _, subtype = (a.mime_type or "application/octet-stream").partition("/")
        if maintype in ("message", "multipart"):  # bytes of those are attached as opaque files
            maintype, subtype = "application", "octet-stream"
        msg.add_attachment(a.data, maintype=maintype, subtype=subtype or "octet-stream",
                           filename=nfc(a.filename), cte="base64")


def new_message(*, from_addr: str | tuple[str, str], to: Sequence[str | tuple[str, str]], subject: str,
                body: str, cc: Sequence[str | tuple[str, str]] = (), attachments: Iterable[Attachment] = (),
                sender: str | None = None, headers: dict[str, str] | None = None,
                in_reply_to: str | None = None, references: str | None = None,
                date: Any = None, message_id: str | None = None) -> EmailMessage:
    """A plain-text message (UTF-8) with attachments; headers in NFC."""
    if not to:
        raise InvalidInput("Cần ít nhất một người nhận.")
    msg = EmailMessage(policy=BUILD_POLICY)
    msg["From"] = _addr(from_addr)
    if sender:
        msg["Sender"] = sender
    msg["To"] = ", ".join(_addr(t) for t in to)
    if cc:
        msg["Cc"] = ", ".join(_addr(c) for c in cc)
    msg["Subject"] = nfc(subject or "")
    import datetime as dt

    msg["Date"] = format_datetime(date or dt.datetime.now().astimezone())
    from_email = from_addr[1] if isinstance(from_addr, tuple) else getaddresses([from_addr])[0][1]
    msg["Message-ID"] = message_id or make_msgid(domain=_domain(from_email))
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for k, v in (headers or {}).items():
        msg[k] = v
    msg.set_content(nfc(body or ""), charset="utf-8")
    _add_attachments(msg, attachments)
    return msg


def _orig(raw: bytes) -> EmailMessage:
    return BytesParser(policy=BUILD_POLICY).parsebytes(raw)


def _refs(orig_id: str | None, orig_refs: str | None) -> str | None:
    parts = [p for p in ((orig_refs or "").split() + ([orig_id] if orig_id else [])) if p]
    return " ".join(dict.fromkeys(parts)) or None


def reply(original: bytes, *, from_addr: str | tuple[str, str], body: str, reply_all: bool = False,
          attachments: Iterable[Attachment] = (), sender: str | None = None) -> EmailMessage:
    """A reply threaded under the original (In-Reply-To, References, "Re:")."""
    pm = parse_message(original)
    subject = pm.subject or ""
    if not subject.lower().startswith(("re:", "tl:")):
        subject = f"Re: {subject}"
    o = _orig(original)
    to = [o.get("Reply-To") or pm.from_addr or ""]
    cc: list[str] = []
    if reply_all:
        mine = (from_addr[1] if isinstance(from_addr, tuple) else from_addr).lower()
        for _, a in getaddresses([str(o.get("To") or ""), str(o.get("Cc") or "")]):
            if a and a.lower() != mine and a not in to:
                cc.append(a)
    return new_message(from_addr=from_addr, to=[t for t in to if t], cc=cc, subject=subject, body=body,
                       attachments=attachments, sender=sender, in_reply_to=pm.message_id,
                       references=_refs(pm.message_id, pm.references_))


def _attach_original(msg: EmailMessage, original: bytes) -> None:
    inner = _orig(original)
    msg.add_attachment(inner)
    part = msg.get_payload()[-1]
    name = f"{(parse_message(original).subject or 'thu-goc')[:60]}.eml"
    part.set_param("filename", nfc(name), header="Content-Disposition")


def forward(original: bytes, *, from_addr: str | tuple[str, str], to: Sequence[str | tuple[str, str]],
            body: str = "", subject: str | None = None, cc: Sequence[str] = (), sender: str | None = None,
            include_attachments: bool = True, attach_original: bool = True,
            headers: dict[str, str] | None = None) -> EmailMessage:
    """Forward: the original's attachments (byte-identical) and the original as message/rfc822."""
    pm = parse_message(original)
    subj = subject if subject is not None else f"Fwd: {pm.subject or ''}"
    msg = new_message(from_addr=from_addr, to=to, cc=cc, subject=subj, body=body, sender=sender,
                      attachments=attachments_from_message(original) if include_attachments else (),
                      in_reply_to=pm.message_id, references=_refs(pm.message_id, pm.references_),
                      headers=headers)
    if attach_original:
        _attach_original(msg, original)
    return msg


#: The 10 columns of the "Sổ đăng ký văn bản đến" (ND30 Phụ lục IV) and the entry field for each.
REGISTER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Ngày đến", "ngay_den"),
    ("Số đến", "so_den"),
    ("Tác giả", "tac_gia"),
    ("Số, ký hiệu văn bản", "so_ky_hieu"),
    ("Ngày tháng văn bản", "ngay_van_ban"),
    ("Tên loại và trích yếu nội dung văn bản", "loai_trich_yeu"),
    ("Đơn vị hoặc người nhận", "don_vi_nhan"),
    ("Ngày chuyển", "ngay_chuyen"),
    ("Ký nhận", "ky_nhan"),
    ("Ghi chú", "ghi_chu"),
)


def _date_vn(value: Any) -> str:
    text = str(value or "")
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}" + (f" {text[11:16]}" if len(text) >= 16 else "")
    return text


def register_body(entry: dict, *, intro: str = "", note: str | None = None) -> str:
    """The register data of an entry, one "column: value" line per filled column."""
    lines = [intro] if intro else []
    if note:
        lines += [note, ""]
    lines.append("Thông tin sổ đăng ký văn bản đến:")
    for label, key in REGISTER_COLUMNS:
        if key == "so_den":
            value = f"{entry.get('so_den')}/{entry.get('year')}" if entry.get("so_den") else ""
        elif key == "loai_trich_yeu":
            value = " ".join(x for x in (entry.get("loai"), entry.get("trich_yeu")) if x)
        elif key in ("ngay_den", "ngay_van_ban", "ngay_chuyen"):
            value = _date_vn(entry.get(key))
        else:
            value = str(entry.get(key) or "")
        if value:
            lines.append(f"- {label}: {value}")
    extra = [("Mức độ khẩn", entry.get("muc_do_khan")), ("Hạn giải quyết", _date_vn(entry.get("han_giai_quyet")))]
    lines += [f"- {k}: {v}" for k, v in extra if v]
    return "\n".join(lines) + "\n"


def forward_subject(entry: dict) -> str:
    return f"[Số đến {entry['so_den']}/{entry['year']}] {nfc(entry.get('trich_yeu') or '').strip()}".rstrip()


def forward_to_leader(entry: dict, original: bytes | None, *, agency: str | tuple[str, str],
                      to: str | tuple[str, str], sender: str | None = None,
                      delegation_note: str | None = None, delegation_id: str | None = None,
                      extra_attachments: Iterable[Attachment] = ()) -> EmailMessage:
    """The forward of a registered document to the head (or the deputy holding authority).

    Subject ``[Số đến 123/2026] <trích yếu>``, body = the filled register
    columns, the original attachments byte-identical, the original message as
    message/rfc822, From the agency mailbox (Sender = the clerk if given),
    threaded under the original, ``X-Camau-So-Den: 123/2026``.
    """
    if not entry.get("so_den"):
        raise InvalidInput("Văn bản chưa có số đến (đang chờ cấp số): chưa trình được.")
    headers = {"X-Camau-So-Den": f"{entry['so_den']}/{entry['year']}"}
    if delegation_id:
        headers["X-Camau-Delegation"] = delegation_id
    intro = "Kính trình lãnh đạo văn bản đến sau đây."
    body = register_body(entry, intro=intro, note=delegation_note)
    if original is not None:
        msg = forward(original, from_addr=agency, to=[to], body=body, subject=forward_subject(entry),
                      sender=sender, headers=headers)
        _add_attachments(msg, extra_attachments)
        return msg
    return new_message(from_addr=agency, to=[to], subject=forward_subject(entry), body=body, sender=sender,
                       headers=headers, attachments=extra_attachments)
