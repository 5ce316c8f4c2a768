"""Turning raw RFC 5322 bytes into the columns of the mail store (R1, R3.3, R6.3).

Why so defensive: agency mail comes from every kind of client (old Outlook
Express with undeclared Windows-1258, webmail that sends raw 8-bit UTF-8
headers, scanners that break MIME boundaries).  A clerk must still see the
message, so ``parse_message`` never raises: whatever cannot be understood is
recorded in ``parse_error`` and the raw bytes stay in the blob store untouched.

Headers are read by the stdlib ``email`` package with ``policy.default`` header
classes; we only add charset fallbacks (declared -> UTF-8 -> cp1258/cp1252 with
replacement), repair of raw 8-bit headers, TCVN3/VNI repair of bodies and NFC
everywhere.  The MIME tree (which part is the body, which are files, their
decoded bytes) comes from ``fast_mail_parser`` (Rust) when it can be trusted and
from the stdlib feedparser otherwise: see ``_load_tree`` and docs/mime-parsing.md.
"""

from __future__ import annotations

import email
import email.feedparser
import email.header
import email.parser
import email.policy
import email.utils
import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message

import fast_mail_parser

from camau_desk.archive.naming import attachment_name
from camau_desk.register.extract import find_secrecy, find_urgency
from camau_desk.vn.legacy import repair_text
from camau_desk.vn.text import nfc

__all__ = [
    "ParsedAttachment",
    "ParsedMessage",
    "attachment_bytes",
    "decode_bytes",
    "detect_marks",
    "html_to_text",
    "iter_attachments",
    "parse_headers",
    "parse_message",
    "repair_header_text",
]

#: Longest body text kept for search; the whole message stays in the blob.
MAX_BODY_CHARS = 1_000_000
_SURROGATES = re.compile("[\udc80-\udcff]")


@dataclass
class ParsedAttachment:
    idx: int
    filename: str
    safe_name: str
    mime_type: str
    size: int
    sha256: str
    content_id: str | None = None
    is_inline: bool = False
    payload: bytes = field(default=b"", repr=False)


@dataclass
class ParsedMessage:
    """The ``messages`` columns we can derive from the bytes alone."""

    sha256: str
    size: int
    message_id: str | None = None
    in_reply_to: str | None = None
    references_: str | None = None
    subject: str = ""
    from_addr: str | None = None
    from_name: str | None = None
    to_addrs: str = ""
    cc_addrs: str = ""
    date: str | None = None
    has_attachments: bool = False
    body_text: str = ""
    body_is_html: bool = False
    spam_header: bool = False
    urgency: str | None = None
    secrecy: str | None = None
    legacy_encoding: str | None = None
    parse_error: str | None = None
    attachments: list[ParsedAttachment] = field(default_factory=list)
    html: str | None = None
    text: str = ""


# --- text decoding ------------------------------------------------------------------

def _codec_ok(name: str | None) -> str | None:
    if not name:
        return None
    import codecs

    try:
        return codecs.lookup(name.strip().strip('"')).name
    except (LookupError, ValueError):
        return None


def _legacy_8bit(data: bytes) -> tuple[str, str] | None:
    """Undeclared 8-bit bytes that are TCVN3/VNI -> (Unicode text, encoding), else None.

    Why before cp1258: cp1258 maps several VNI bytes to combining marks and
    ơ/ư, so the mojibake it yields looks like real Unicode and detection can
    no longer see the legacy text.  Detection runs on the bytes read as
    Windows-1252 (undefined bytes kept as Latin-1), as vn.legacy expects.
    """
    if not any(b >= 0x80 for b in data):
        return None
    text = data.decode("latin-1").translate(_cp1252_high())
    try:
        fixed, enc = repair_text(text)
    except Exception:  # noqa: BLE001 - a converter bug must not hide the mail
        return None
    return (nfc(fixed), enc) if enc in ("tcvn3", "vni") else None


_CP1252_HIGH: dict[int, str] = {}


def _cp1252_high() -> dict[int, str]:
    if not _CP1252_HIGH:
        for b in range(0x80, 0xA0):
            try:
                _CP1252_HIGH[b] = bytes([b]).decode("cp1252")
            except UnicodeDecodeError:
                continue
    return _CP1252_HIGH


def decode_detect(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Bytes -> (NFC text, "tcvn3"/"vni" if undeclared legacy bytes were converted, else None).

    Order: the declared charset, then UTF-8, then TCVN3/VNI detection, then
    cp1258 (Windows Vietnamese, the usual undeclared charset of Vietnamese
    Windows clients; for Western text it decodes like cp1252).  Undefined
    bytes become U+FFFD rather than an exception.
    """
    codec = _codec_ok(declared)
    if codec and codec not in ("ascii",):
        try:
            return nfc(data.decode(codec)), None
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return nfc(data.decode("utf-8")), None
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8, None
    legacy = _legacy_8bit(data)
    if legacy is not None:
        return legacy
    return nfc(data.decode("cp1258", errors="replace")), None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text damaged by a few stray bytes stays UTF-8 (with U+FFFD), not cp1258 mojibake.

    Real cp1258/TCVN3/VNI text almost never forms valid multi-byte UTF-8
    sequences, so many good sequences against few bad bytes means UTF-8.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return nfc(text) if good > 0 and good >= 4 * bad else None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes -> NFC text (see ``decode_detect``); never raises."""
    return decode_detect(data, declared)[0]


def repair_header_text(text: str) -> str:
    """Subject or display name typed in TCVN3/VNI -> Unicode; anything else unchanged.

    Outlook Express sent .VnTime subjects declared as Windows-1252, so they
    decode to "B¸o c¸o"; ``vn.legacy.repair_text`` detects first and never
    touches text holding real Unicode letters, and pure ASCII is left alone.
    """
    if not text or text.isascii():
        return text
    try:
        fixed, enc = repair_text(text)
    except Exception:  # noqa: BLE001 - a converter bug must not hide the mail
        return text
    return nfc(fixed) if enc in ("tcvn3", "vni") else text


def _unescape(value: str) -> str:
    """A header value holding surrogate-escaped raw 8-bit bytes -> real text."""
    if not _SURROGATES.search(value):
        return value
    return decode_bytes(value.encode("ascii", "surrogateescape"))


def _decode_words(value: str) -> str:
    """RFC 2047 encoded words with the stdlib, tolerating unknown charsets."""
    try:
        parts = email.header.decode_header(value)
    except Exception:  # noqa: BLE001 - malformed encoded words: keep the text
        return value
    out = []
    for chunk, charset in parts:
        out.append(chunk if isinstance(chunk, str) else decode_bytes(chunk, charset))
    return "".join(out)


def _raw_header(msg: Message, name: str) -> str | None:
    """The first ``name`` header unfolded, raw 8-bit bytes repaired (None if absent)."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            if isinstance(value, str):
                return re.sub(r"\r?\n(?=[ \t])", "", _unescape(value)).rstrip("\r\n")  # unfold, as the policy does
            return str(value)
    return None


@functools.lru_cache(maxsize=4096)
def _header_obj_of(name: str, raw: str):
    """The policy.default header object for one raw value (cached: correspondents repeat)."""
    try:
        return email.policy.default.header_factory(name, raw)
    except Exception:  # noqa: BLE001 - the stdlib header parser has edge-case crashes
        return _decode_words(raw)


def _header_obj(msg: Message, name: str):
    """The policy.default header object for ``name`` (raw 8-bit repaired), or None."""
    raw = _raw_header(msg, name)
    if raw is None:
        return None
    return (_header_obj_of if len(raw) <= 512 else _header_obj_of.__wrapped__)(name.lower(), raw)


def _display_text(text: str) -> str:
    if _SURROGATES.search(text) or "=?" in text:
        text = _decode_words(_unescape(text))
    return nfc(" ".join(text.split()))


def header_text(msg: Message, name: str) -> str | None:
    """Decoded, single-line, NFC value of a header (None if absent)."""
    h = _header_obj(msg, name)
    if h is None:
        return None
    try:
        text = str(h)
    except Exception:  # noqa: BLE001
        text = ""
    return _display_text(text)


def _token_text(msg: Message, name: str) -> str | None:
    """Like ``header_text`` for headers that hold no display text (ids, dates, spam verdicts).

    Their header classes would only give back the raw value (a date re-formatted),
    at ~30-60 µs each, on every message of a sync.
    """
    raw = _raw_header(msg, name)
    return None if raw is None else _display_text(raw)


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    """[(display name, addr)] of an address header; tolerant of junk."""
    h = _header_obj(msg, name)
    if h is None:
        return []
    pairs: list[tuple[str, str]] = []
    try:
        for group in h.groups:  # type: ignore[union-attr]
            for a in group.addresses:
                pairs.append((a.display_name or "", a.addr_spec or ""))
    except Exception:  # noqa: BLE001 - fall back to the lenient utils parser
        pairs = list(email.utils.getaddresses([_decode_words(str(h))]))
    out = []
    for display, addr in pairs:
        display = repair_header_text(nfc(" ".join(_decode_words(_unescape(display)).split())))
        addr = _unescape(addr).strip().strip("<>")
        if addr in ("", "<>") and not display:
            continue
        out.append((display, addr.lower()))
    return out


def _format_addresses(pairs: Iterable[tuple[str, str]]) -> str:
    """"Name <addr>, ..." (names with specials quoted) so getaddresses can read it back."""
    items = []
    for display, addr in pairs:
        if display:
            if re.search(r'[,;:<>@"()\[\]\\]', display):
                display = '"' + display.replace("\\", "\\\\").replace('"', '\\"') + '"'
            items.append(f"{display} <{addr}>")
        else:
            items.append(addr)
    return ", ".join(items)


def parse_date(value: str | None) -> str | None:
    """RFC 5322 date -> ISO 8601 with offset; "-0000"/no zone means UTC; junk -> None."""
    if not value:
        return None
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None or not 1970 <= dt.year <= 2200:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.isoformat()


# --- bodies ---------------------------------------------------------------------------

def html_to_text(html: str) -> str:
    """Readable text of an HTML body for search and preview (BeautifulSoup)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head", "title"]):
        tag.decompose()
    text = soup.get_text("\n")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _html_fonts(html: str) -> list[str]:
    """Font names in an HTML body: the hint that says .VnTime (TCVN3) or VNI-Times."""
    names = re.findall(r"""face\s*=\s*["']?([^"'>]+)""", html, re.I)
    names += re.findall(r"font-family\s*:\s*([^;\"'}]+)", html, re.I)
    out = []
    for n in names:
        out += [p.strip().strip("'\"") for p in n.split(",") if p.strip()]
    return out


def _part_text(part: Message) -> tuple[str, str | None]:
    """(decoded text of a leaf text part, legacy encoding converted while decoding or None)."""
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        data = None
    if data is None:
        payload = part.get_payload()
        return (nfc(payload) if isinstance(payload, str) else ""), None
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        charset = None
    return decode_detect(data, charset)


def _repair_legacy(text: str, fonts: Iterable[str] = ()) -> tuple[str, str | None]:
    """TCVN3/VNI body -> Unicode through vn.legacy; returns (text, encoding or None)."""
    try:
        fixed, enc = repair_text(text, tuple(fonts))
    except Exception:  # noqa: BLE001 - a converter bug must not hide the mail
        return nfc(text), None
    if enc in ("tcvn3", "vni"):
        return nfc(fixed), enc
    return nfc(text), None


# --- urgency / secrecy --------------------------------------------------------------

def detect_marks(subject: str, body: str) -> tuple[str | None, str | None]:
    """(urgency, secrecy) marks from the subject and the start of the body.

    The register area owns the rule (``register.extract.find_urgency`` /
    ``find_secrecy``: stamp-like marks only, "khẩn trương" and "mật khẩu" do
    not count).
    """
    subject, head = nfc(subject or ""), nfc((body or "")[:4000])
    u, s = find_urgency(subject, [head]), find_secrecy(subject, [head])
    return (u[0] if u else None), (s[0] if s else None)


# --- attachments ----------------------------------------------------------------------

def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - broken RFC 2231 continuation
        name = None
        try:
            name = part.get_param("filename", header="content-disposition") or part.get_param("name")
            if isinstance(name, tuple):
                name = email.utils.collapse_rfc2231_value(name)
        except Exception:  # noqa: BLE001
            name = None
    if not name:
        return None
    name = _unescape(str(name))
    if "=?" in name:
        name = _decode_words(name)
    return nfc(name.strip())


def _disposition(part: Message) -> str | None:
    try:
        return part.get_content_disposition()
    except Exception:  # noqa: BLE001
        return None


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:  # noqa: BLE001
        return "application/octet-stream"


def _message_bytes(part: Message) -> bytes:
    """Bytes of an attached message/rfc822: as received from the fast tree, else re-generated.

    The stdlib parser keeps no offsets, so its path can only re-generate them.
    """
    embedded = getattr(part, "embedded", None)
    if embedded is not None:
        return embedded
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    for candidate in (inner, part):
        if candidate is None:
            continue
        try:
            return candidate.as_bytes(policy=email.policy.compat32)
        except Exception:  # noqa: BLE001, S112 - try the next, coarser candidate
            continue
    return b""


def _walk(part: Message, body_ids: set[int], out: list[tuple[Message, bool]]) -> None:
    """Leaf parts that are attachments, in document order.

    An attached message/rfc822 is one attachment (the forwarded .eml) and its
    own file attachments follow it, because the document a clerk registers is
    often the PDF inside a forwarded mail.
    """
    ctype = _content_type(part)
    if ctype == "message/rfc822":
        out.append((part, True))
        payload = part.get_payload()
        if isinstance(payload, list):
            for inner in payload:
                for sub in _inner_leaves(inner):
                    out.append((sub, False))
        return
    if part.is_multipart():
        payload = part.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            _walk(sub, body_ids, out)
        return
    if id(part) in body_ids:
        return
    disp = _disposition(part)
    name = _filename(part)
    if disp == "attachment" or name or not ctype.startswith("text/"):
        out.append((part, False))
    elif ctype not in ("text/plain", "text/html"):
        out.append((part, False))  # text/calendar, text/csv ...: files, not bodies


def _inner_leaves(msg: Message) -> list[Message]:
    """File attachments of a forwarded message (not its body text)."""
    bodies = _body_parts(msg)
    found: list[tuple[Message, bool]] = []
    _walk(msg, {id(p) for p in bodies if p is not None}, found)
    return [p for p, _ in found]


def _body_parts(msg: Message) -> tuple[Message | None, Message | None]:
    """(text/plain part, text/html part) that make the body."""
    plain = html = None
    getter = getattr(msg, "get_body", None)
    if getter:
        try:
            plain = getter(preferencelist=("plain",))
            html = getter(preferencelist=("html",))
        except Exception:  # noqa: BLE001
            plain = html = None
    if plain is None and html is None:
        for part in msg.walk():
            if part.is_multipart() or _disposition(part) == "attachment" or _filename(part):
                continue
            ctype = _content_type(part)
            if ctype == "text/plain" and plain is None:
                plain = part
            elif ctype == "text/html" and html is None:
                html = part
    # A top-level non-text single part (a bare PDF) has no body.
    return plain, html


def _attachments(msg: Message, plain: Message | None, html: Message | None) -> list[ParsedAttachment]:
    found: list[tuple[Message, bool]] = []
    _walk(msg, {id(p) for p in (plain, html) if p is not None}, found)
    out = []
    for idx, (part, is_message) in enumerate(found, start=1):
        mime = _content_type(part)
        if is_message:
            payload = _message_bytes(part)
            inner = part.get_payload()
            subject = header_text(inner[0], "Subject") if isinstance(inner, list) and inner else None
            raw_name = _filename(part) or f"{subject or 'Thư chuyển tiếp'}.eml"
        else:
            try:
                payload = part.get_payload(decode=True) or b""
            except Exception:  # noqa: BLE001
                payload = b""
            raw_name = _filename(part)
        safe = attachment_name(raw_name, mime, idx)
        cid = part.get("Content-ID")
        cid = str(cid).strip().strip("<>") if cid else None
        disp = _disposition(part)
        out.append(ParsedAttachment(
            idx=idx,
            filename=raw_name or safe,
            safe_name=safe,
            mime_type=mime,
            size=len(payload),
            sha256=hashlib.sha256(payload).hexdigest(),
            content_id=cid,
            is_inline=bool(disp == "inline" or (cid and disp != "attachment" and mime.startswith("image/"))),
            payload=payload,
        ))
    return out


# --- the entry points -------------------------------------------------------------------

class _Part(EmailMessage):
    """``EmailMessage`` (for ``get_body``) over ``compat32`` headers.

    Why: under ``policy.default`` every ``get_content_type()`` (the feedparser
    and ``get_body`` ask ~8 times a message) builds a new header object, which
    cost ~20% of parsing a mail with a 2 MB attachment.  The header columns are
    built explicitly with ``policy.default.header_factory`` (``_header_obj``),
    so they do not depend on the parsing policy.  ``is_attachment`` of
    ``EmailMessage`` reads a header object attribute; the string form here.
    """

    #: The bytes of an attached message/rfc822 as received (fast tree only).
    embedded: bytes | None = None

    def is_attachment(self) -> bool:
        return self.get_content_disposition() == "attachment"


class _PlainHeaders(email.policy.Compat32):
    """``compat32`` whose ``msg[name]`` is the unfolded raw string, as ``policy.default`` unfolds.

    ``compat32`` would wrap a value holding raw 8-bit bytes in a ``Header``
    whose ``str()`` loses them (a Vietnamese filename sent unencoded); the
    surrogate-escaped string keeps them for ``_unescape``.
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value.replace("\r", "").replace("\n", "") if isinstance(value, str) else value


_POLICY = _PlainHeaders()


def _load(raw: bytes) -> EmailMessage:
    """The stdlib parser, fed the whole message at once (no 8 KB reads, no re-entry per chunk)."""
    parser = email.feedparser.BytesFeedParser(_factory=_Part, policy=_POLICY)
    parser.feed(raw)
    return parser.close()  # type: ignore[return-value]


class _Untrusted(Exception):
    """The fast tree may read this message differently from the stdlib: use the stdlib."""


def _load_tree(raw: bytes) -> EmailMessage | None:
    """The MIME tree from ``fast_mail_parser`` as the same ``_Part`` objects, or None.

    Why: the stdlib feedparser steps through every 76-byte base64 line in
    Python (~35 MB/s); the Rust parser splits and decodes ~1 GB/s, so indexing
    a mailbox of PDF attachments is no longer CPU-bound.  Everything after the
    split (which part is the body, charsets, legacy fonts, file names) is the
    same code for both trees.  None (use the stdlib) when the Rust parser
    rejects the message, finds no parts in a multipart (a rewritten boundary,
    which ``_recover_boundary`` repairs), meets a transfer encoding it leaves
    as it is (x-uuencode) or may have read raw 8-bit header bytes as Latin-1
    (cp1258/TCVN3 names, which ``decode_bytes`` repairs).
    """
    try:
        tree = fast_mail_parser.parse_email_tree(raw)
        return _tree_part(tree, _HeaderCheck(raw), root=True)
    except Exception:  # noqa: BLE001 - ParseError, _Untrusted, a tree too deep, any surprise: the stdlib decides
        return None


class _HeaderCheck:
    """Is a header value the fast parser decoded the one the stdlib path would read?

    ASCII values and RFC 2047/2231 words decode the same way.  Raw 8-bit bytes
    are read as UTF-8 when valid and as Latin-1 otherwise, with no warning;
    the stdlib path tries cp1258/TCVN3/VNI instead.  So a non-ASCII value is
    trusted when it occurs as UTF-8 in the message or the whole message is
    valid UTF-8 (then no byte was read as Latin-1).
    """

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._all_utf8: bool | None = None

    def trusted(self, value: str) -> bool:
        if value.isascii():
            return True
        if "\ufffd" in value:
            return False
        if value.encode("utf-8", "surrogatepass") in self.raw:
            return True
        if self._all_utf8 is None:
            try:
                self.raw.decode("utf-8")
                self._all_utf8 = True
            except UnicodeDecodeError:
                self._all_utf8 = False
        return self._all_utf8


#: Transfer encodings the Rust parser undoes; others (x-uuencode) only the stdlib decodes.
_TREE_ENCODINGS = frozenset({"", "7bit", "8bit", "binary", "base64", "quoted-printable"})


def _tree_part(node, check: _HeaderCheck, *, root: bool = False) -> _Part:
    part = _Part(policy=_POLICY)
    for name, values in node.headers.items():
        if name.lower() == "content-transfer-encoding":
            if values[-1].strip().lower() not in _TREE_ENCODINGS:
                raise _Untrusted(values[-1])
            continue  # already undone
        if root and not name.lower().startswith("content-"):
            continue  # the root's other headers are read by the stdlib (``_head``)
        for value in values:
            if not check.trusted(value):
                raise _Untrusted(name)
            part[name] = value
    if node.content_type.startswith("multipart/"):
        if not node.children:
            raise _Untrusted("multipart without parts")
        part.set_payload([_tree_part(child, check) for child in node.children])
    elif node.is_message:
        part.embedded = node.content  # the attached mail as received, even when its own tree is unreadable
        part.set_payload([_tree_part(child, check) for child in node.children[:1]])
    else:
        part._payload = node.content or b""  # decoded bytes; ``get_payload(decode=True)`` returns them as they are
    return part


def _head(raw: bytes) -> Message:
    """The top-level header block read by the stdlib alone (the header columns come from here)."""
    return email.parser.BytesHeaderParser(_class=_Part, policy=_POLICY).parsebytes(header_block(raw))


def _split_body(raw: bytes) -> bytes:
    for sep in (b"\r\n\r\n", b"\n\n"):
        head, found, body = raw.partition(sep)
        if found:
            return body
    return b""


def _recover_boundary(msg: Message, raw: bytes) -> Message | None:
    """A multipart whose declared boundary never occurs: re-read it with the one it uses.

    Some senders rewrite the boundary in the body but not in the header; the
    stdlib then sees one opaque part.  We look for the first ``--token`` line
    and parse the body again with that boundary so text and files come back.
    """
    if not _content_type(msg).startswith("multipart/") or msg.is_multipart():
        return None
    body = _split_body(raw)
    m = re.search(rb"^--([^\s]{1,200}?)\s*$", body, re.M)
    if not m:
        return None
    subtype = _content_type(msg).split("/", 1)[1]
    head = f'Content-Type: multipart/{subtype}; boundary="{m.group(1).decode("ascii", "replace")}"\r\n\r\n'
    try:
        fixed = _load(head.encode() + body)
    except Exception:  # noqa: BLE001
        return None
    return fixed if fixed.is_multipart() else None


def _msgids(value: str | None) -> str | None:
    if not value:
        return None
    ids = re.findall(r"<[^<>\s]+>", value)
    return " ".join(ids) if ids else value.strip() or None


def _spam_header(msg: Message) -> bool:
    flag = (_token_text(msg, "X-Spam-Flag") or "").strip().upper()
    status = (_token_text(msg, "X-Spam-Status") or "").strip().lower()
    return flag.startswith("YES") or status.startswith("yes")


def parse_message(raw: bytes, *, sha256: str | None = None, subject: str | None = None) -> ParsedMessage:
    """Everything the store and the UI need from one raw message; never raises.

    ``sha256``: the caller knows the hash already (a blob's name), so it is not
    computed again.  ``subject``: the header columns are already stored (the
    index phase completing a ``parse_headers`` row); they are not read again
    (~1.4 ms a message) and the urgency/secrecy marks use this subject.
    """
    pm = ParsedMessage(sha256=sha256 or hashlib.sha256(raw).hexdigest(), size=len(raw))
    errors: list[str] = []
    try:
        msg = _load_tree(raw)
        if msg is None:
            msg = _load(raw)
    except Exception as exc:  # noqa: BLE001 - the stdlib parser is lenient, but be sure
        pm.parse_error = f"unparseable: {exc!r}"
        pm.text = pm.body_text = decode_bytes(raw)[:MAX_BODY_CHARS]
        return pm

    def step(name: str, fn) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - record and carry on
            errors.append(f"{name}: {exc!r}")

    if subject is None:
        step("headers", lambda: _read_headers(pm, _head(raw)))
    else:
        pm.subject = subject
    plain = html = None
    content = msg
    try:
        recovered = _recover_boundary(msg, raw)
        if recovered is not None:
            content = recovered
            errors.append("multipart boundary not found; recovered")
    except Exception as exc:  # noqa: BLE001
        errors.append(f"boundary: {exc!r}")

    def bodies() -> None:
        nonlocal plain, html
        plain, html = _body_parts(content)
        fonts: list[str] = []
        decoded_from: str | None = None
        if html is not None:
            pm.html, decoded_from = _part_text(html)
            fonts = _html_fonts(pm.html)
        if plain is not None:
            text, decoded_from = _part_text(plain)
        elif pm.html is not None:
            text = html_to_text(pm.html)
            pm.body_is_html = True
        else:
            text = ""
        pm.text, pm.legacy_encoding = _repair_legacy(text, fonts)
        pm.legacy_encoding = pm.legacy_encoding or decoded_from
        pm.body_text = pm.text[:MAX_BODY_CHARS]

    step("body", bodies)
    step("attachments", lambda: setattr(pm, "attachments", _attachments(content, plain, html)))
    pm.has_attachments = any(not a.is_inline for a in pm.attachments)
    step("marks", lambda: _set_marks(pm))

    defects = [type(d).__name__ for part in _safe_walk(msg) for d in getattr(part, "defects", [])]
    if defects:
        errors.append("defects: " + ", ".join(sorted(set(defects))))
    pm.parse_error = "; ".join(errors) or None
    return pm


def _read_headers(pm: ParsedMessage, msg: Message) -> None:
    """The header columns; shared by the full and the header-only parse so both agree."""
    pm.subject = repair_header_text(header_text(msg, "Subject") or "")
    mid = _token_text(msg, "Message-ID")
    pm.message_id = mid.strip() if mid else None
    pm.in_reply_to = _msgids(_token_text(msg, "In-Reply-To"))
    pm.references_ = _msgids(_token_text(msg, "References"))
    sender = _addresses(msg, "From") or _addresses(msg, "Sender")
    if sender:
        pm.from_name, pm.from_addr = sender[0][0] or None, sender[0][1] or None
    pm.to_addrs = _format_addresses(_addresses(msg, "To"))
    pm.cc_addrs = _format_addresses(_addresses(msg, "Cc"))
    pm.date = parse_date(_token_text(msg, "Date"))
    pm.spam_header = _spam_header(msg)


_HEADER_END = re.compile(rb"\r?\n\r?\n")


def header_block(raw: bytes) -> bytes:
    """The bytes up to and including the blank line that ends the header (all of ``raw`` if none)."""
    if raw.startswith((b"\r\n", b"\n")):
        return b""  # no headers at all: the body starts at once
    m = _HEADER_END.search(raw)
    return raw[: m.end()] if m else raw


def parse_headers(raw: bytes, *, sha256: str | None = None) -> ParsedMessage:
    """The header columns only (subject, addresses, date, ids, spam, marks from the subject).

    Why: the full parse walks every base64 line of every attachment (~16 MB/s),
    which made the initial sync parse-bound.  The sync stores this cheap row
    first ("raw first, index later") and ``mail.indexer`` fills the body,
    attachments and body marks afterwards.  Never raises.
    """
    pm = ParsedMessage(sha256=sha256 or hashlib.sha256(raw).hexdigest(), size=len(raw))
    try:
        _read_headers(pm, _head(raw))
        pm.urgency, pm.secrecy = detect_marks(pm.subject, "")
    except Exception as exc:  # noqa: BLE001 - the full parse will record the details
        pm.parse_error = f"headers: {exc!r}"
    return pm


def _set_marks(pm: ParsedMessage) -> None:
    pm.urgency, pm.secrecy = detect_marks(pm.subject, pm.text)


def _safe_walk(msg: Message) -> list[Message]:
    try:
        return list(msg.walk())
    except Exception:  # noqa: BLE001
        return [msg]


def iter_attachments(raw: bytes) -> list[ParsedAttachment]:
    """The attachments of ``raw``, numbered as in the ``attachments`` table."""
    return parse_message(raw).attachments


def attachment_bytes(raw: bytes, idx: int) -> bytes:
    """Decoded content of attachment ``idx`` (1-based, as stored)."""
    for att in iter_attachments(raw):
        if att.idx == idx:
            return att.payload
    from camau_desk.errors import NotFound

    raise NotFound(f"Thư không có tệp đính kèm số {idx}.")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
