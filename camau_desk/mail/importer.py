"""Importing old mail (.eml, mbox, Maildir) into the offline store (R3.3, R6.2).

Why: agencies switch from Thunderbird/Outlook or receive archives on USB sticks;
everything must end up searchable next to the synced mail, without a server.
Imported mail goes into a local account (default "Lưu trữ", role 'archive',
no server), one folder per source (mbox file name, Maildir folder name,
"Đã nhập" for loose .eml files).  The same bytes imported twice are stored
once (the store de-duplicates by account + SHA-256 and by location).
Work is committed in chunks so that a cancelled or crashed import keeps what
it finished, and one bad message never stops the rest.  A file that is not
mail at all (a PDF, a photo, an empty file renamed .eml) is reported, never
stored as an empty message (``is_rfc5322``).
"""

from __future__ import annotations

import calendar
import mailbox
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path

import sqlite_utils

from camau_desk import accounts
from camau_desk.mail import store
from camau_desk.mail.blobs import BlobStore
from camau_desk.vn.text import nfc

__all__ = ["DEFAULT_ACCOUNT", "LOOSE_FOLDER", "NOT_MAIL", "ImportResult", "Source", "find_sources", "import_paths",
           "is_rfc5322"]

DEFAULT_ACCOUNT = "Lưu trữ"
LOOSE_FOLDER = "Đã nhập"
CHUNK = 200
_EML_SUFFIXES = {".eml", ".msg822", ".mht"}
_MBOX_SUFFIXES = {".mbox", ".mbx", ".mbs"}
_MAILDIR_FLAGS = {"S": "\\Seen", "R": "\\Answered", "F": "\\Flagged", "T": "\\Deleted", "D": "\\Draft"}
_MBOX_FLAGS = {"R": "\\Seen", "A": "\\Answered", "F": "\\Flagged", "D": "\\Deleted"}
#: The reason given, per file, for something that is not a message.
NOT_MAIL = "Tệp không phải là thư điện tử (.eml)"
#: Headers every real message has at least one of (a header-looking text file has none of them).
_MAIL_HEADERS = frozenset({"from", "date", "subject", "message-id", "received"})
#: Only the start is examined: a header block is never this long, a renamed video may be.
_HEADER_LIMIT = 256 * 1024
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


@dataclass
class ImportResult:
    new: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    cancelled: bool = False


@dataclass(frozen=True)
class Source:
    """One thing to import: kind is 'eml', 'mbox' or 'maildir'; folder is the target folder name."""

    kind: str
    path: Path
    folder: str
    maildir_sub: str | None = None


@dataclass
class _Item:
    raw: bytes | None
    flags: tuple[str, ...]
    received: datetime | None
    label: str
    error: str | None = None


# --- discovering sources ----------------------------------------------------------------

def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def _looks_like_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"From "
    except OSError:
        return False


UTF8_BOM = b"\xef\xbb\xbf"


def is_rfc5322(raw: bytes) -> bool:
    """Is this an RFC 5322 message: does it start with header fields, one of them From/Date/Subject/...?

    The header block (up to the first blank line) must be text (no NUL) and
    the lines the stdlib header parser accepts as fields, from the first line
    on, must include one of ``_MAIL_HEADERS``.  A PDF, a JPEG, an empty file
    or random bytes fail; a message with a malformed header further down still
    passes (the parser stops there, as a mail reader would).
    """
    head = raw.removeprefix(UTF8_BOM)[:_HEADER_LIMIT]
    end = _BLANK_LINE.search(head)
    if end is not None:
        head = head[: end.start()]
    if b"\0" in head:
        return False
    headers = BytesHeaderParser(policy=compat32).parsebytes(head)
    return any(name.lower() in _MAIL_HEADERS for name in headers.keys())


def _looks_like_eml(path: Path) -> bool:
    """A message saved without the .eml suffix."""
    try:
        with path.open("rb") as fh:
            return is_rfc5322(fh.read(_HEADER_LIMIT))
    except OSError:
        return False


def _mbox_folder(path: Path) -> str:
    name = path.name
    for suffix in _MBOX_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return nfc(name or path.name)


def _maildir_sources(path: Path) -> list[Source]:
    out = [Source("maildir", path, nfc(path.name))]
    try:
        md = mailbox.Maildir(path, factory=None, create=False)
        subs = md.list_folders()
    except OSError:
        subs = []
    for sub in sorted(subs):
        out.append(Source("maildir", path, nfc(sub.strip(".").replace(".", "/") or sub), maildir_sub=sub))
    return out


def _classify_file(path: Path) -> Source | None:
    suffix = path.suffix.lower()
    if suffix in _EML_SUFFIXES:
        return Source("eml", path, LOOSE_FOLDER)
    if suffix in _MBOX_SUFFIXES or _looks_like_mbox(path):
        return Source("mbox", path, _mbox_folder(path))
    if not suffix and _looks_like_eml(path):
        return Source("eml", path, LOOSE_FOLDER)
    return None


def find_sources(paths: Sequence[Path], errors: list[str] | None = None) -> list[Source]:
    """Everything importable under ``paths`` (directories scanned recursively)."""
    errors = errors if errors is not None else []
    found: list[Source] = []

    def visit(p: Path, explicit: bool) -> None:
        if p.is_dir():
            if _is_maildir(p):
                found.extend(_maildir_sources(p))
                return
            try:
                children = sorted(p.iterdir())
            except OSError as exc:
                errors.append(f"Không đọc được thư mục {p}: {exc.strerror or exc}.")
                return
            for child in children:
                if child.name.startswith(".") and not child.is_dir():
                    continue
                if child.name in ("cur", "new", "tmp") and _is_maildir(p):
                    continue
                visit(child, False)
        elif p.is_file():
            src = _classify_file(p)
            if src:
                found.append(src)
            elif explicit:
                errors.append(f"Tệp {p} không phải thư điện tử (.eml), mbox hay Maildir.")
        elif explicit:
            errors.append(f"Không tìm thấy '{p}'.")

    for path in paths:
        visit(Path(path), True)
    return found


# --- reading items ----------------------------------------------------------------------

def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except OSError:
        return None


def _mbox_from_date(msg: mailbox.mboxMessage) -> datetime | None:
    """The delivery time on the mbox "From sender Tue Jun  4 09:15:00 2024" line (UTC by convention)."""
    parts = (msg.get_from() or "").split()
    if len(parts) < 6:
        return None
    try:
        return datetime.fromtimestamp(
            calendar.timegm(time.strptime(" ".join(parts[-5:]), "%a %b %d %H:%M:%S %Y")), tz=UTC
        )
    except (ValueError, OverflowError):
        return None


def _count(src: Source) -> int:
    try:
        if src.kind == "eml":
            return 1
        if src.kind == "mbox":
            box = mailbox.mbox(src.path, create=False)
            try:
                return len(box)
            finally:
                box.close()
        md = mailbox.Maildir(src.path, factory=None, create=False)
        if src.maildir_sub:
            md = md.get_folder(src.maildir_sub)
        return len(md)
    except Exception:  # noqa: BLE001 - counted as one item that will report its error
        return 1


def _items(src: Source) -> Iterator[_Item]:
    label = str(src.path)
    if src.kind == "eml":
        try:
            # Notepad saves .eml with a UTF-8 byte-order mark; the message starts after it.
            yield _Item(src.path.read_bytes().removeprefix(UTF8_BOM), (), _mtime(src.path), label)
        except OSError as exc:
            yield _Item(None, (), None, label, f"Không đọc được {label}: {exc.strerror or exc}.")
        return
    try:
        if src.kind == "mbox":
            box: mailbox.Mailbox = mailbox.mbox(src.path, create=False)
        else:
            box = mailbox.Maildir(src.path, factory=None, create=False)
            if src.maildir_sub:
                box = box.get_folder(src.maildir_sub)  # type: ignore[attr-defined]
            label = f"{src.path} ({src.folder})"
        keys = list(box.keys())
    except Exception as exc:  # noqa: BLE001
        yield _Item(None, (), None, label, f"Không đọc được {label}: {exc}.")
        return
    fallback = _mtime(src.path)
    try:
        for n, key in enumerate(keys, start=1):
            where = f"{label} #{n}"
            try:
                raw = box.get_bytes(key)
                if src.kind == "mbox":
                    info = box.get_message(key)
                    flags = tuple(_MBOX_FLAGS[c] for c in info.get_flags() if c in _MBOX_FLAGS)  # type: ignore[attr-defined]
                    received = _mbox_from_date(info) or fallback  # type: ignore[arg-type]
                else:
                    info = box.get_message(key)
                    flags = tuple(_MAILDIR_FLAGS[c] for c in info.get_flags() if c in _MAILDIR_FLAGS)  # type: ignore[attr-defined]
                    received = datetime.fromtimestamp(info.get_date(), tz=UTC)  # type: ignore[attr-defined]
                yield _Item(raw, tuple(sorted(set(flags))), received, where)
            except Exception as exc:  # noqa: BLE001 - one unreadable message is reported, not fatal
                yield _Item(None, (), None, where, f"Không đọc được thư {where}: {exc}.")
    finally:
        close = getattr(box, "close", None)
        if close:
            close()


# --- importing --------------------------------------------------------------------------

def _ensure_account(db: sqlite_utils.Database, name: str) -> None:
    if db.execute("SELECT 1 FROM accounts WHERE name = ?", [name]).fetchone():
        return
    accounts.add_account(
        db,
        accounts.Account(name=name, role="archive", email="luutru@localhost",
                         display_name=name, is_local=True),
        None,
    )


def import_paths(
    db: sqlite_utils.Database,
    blobs: BlobStore,
    paths: Sequence[Path],
    account: str = DEFAULT_ACCOUNT,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportResult:
    """Import every message under ``paths`` into ``account``; returns counts and error sentences."""
    result = ImportResult()
    account = nfc(account)
    sources = find_sources([Path(p) for p in paths], result.errors)
    total = sum(_count(s) for s in sources)
    _ensure_account(db, account)
    done = 0
    in_tx = 0
    if progress:
        progress(0, total)
    db.execute("BEGIN IMMEDIATE")
    try:
        for src in sources:
            folder_id = store.ensure_folder(db, account, src.folder)
            for item in _items(src):
                if cancel and cancel():
                    result.cancelled = True
                    break
                done += 1
                if item.error or item.raw is None:
                    result.errors.append(item.error or f"Không đọc được {item.label}.")
                elif not is_rfc5322(item.raw):
                    result.errors.append(f"{item.label}: {NOT_MAIL}.")
                else:
                    db.execute("SAVEPOINT one_message")
                    try:
                        _, new = store.store_message(
                            db, blobs, account, folder_id, item.raw, flags=item.flags, internaldate=item.received
                        )
                        db.execute("RELEASE one_message")
                        if new:
                            result.new += 1
                        else:
                            result.duplicates += 1
                    except Exception as exc:  # noqa: BLE001 - keep going, report in one sentence
                        db.execute("ROLLBACK TO one_message")
                        db.execute("RELEASE one_message")
                        result.errors.append(f"Không lưu được thư {item.label}: {exc}.")
                in_tx += 1
                if in_tx >= CHUNK:
                    db.execute("COMMIT")
                    db.execute("BEGIN IMMEDIATE")
                    in_tx = 0
                if progress:
                    progress(done, total)
            if result.cancelled:
                break
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return result

