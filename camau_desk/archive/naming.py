"""Windows-safe names for the mirror (R6.2, R7.1a-1, invariant 5).

The mirror is opened in Windows Explorer by clerks, copied to USB sticks and
zipped for other agencies, so every name we write must be valid on NTFS/FAT
even when the program runs on Linux, and must stay readable in Vietnamese.
The rules follow the well-known ones (also used by MusicBrainz Picard):

* characters Windows forbids (``< > : " / \\ | ? *``) and control characters
  become ``_``.  We chose ``_`` over look-alike Unicode (``∕``, ``：``) on
  purpose: a clerk searching for "470_TTr-STTTT" can type it, while a
  fraction slash looks identical to "/" but never matches a search;
* TAB/CR/LF and other white space (NBSP included) become one ordinary space,
  so a folded mail subject stays one line;
* bidirectional controls (U+202E "RIGHT-TO-LEFT OVERRIDE" and friends) and
  zero-width/BOM characters are removed: they are used to disguise
  ``exe.pdf`` as ``fdp.exe``;
* trailing dots and spaces are removed (Windows silently drops them, so two
  different names would collide), and so are leading spaces;
* device names (CON, PRN, AUX, NUL, COM0-9, LPT0-9, COM¹²³, LPT¹²³, CONIN$,
  CONOUT$), in any case and also with an extension (``nul.tar.gz``), get a
  ``_`` after the device part: ``CON_.pdf``;
* lengths are counted in UTF-16 code units, as Windows does: a name is at most
  255 units and a whole path at most 259 (MAX_PATH without the NUL), a
  directory at most 247 (room for an 8.3 name).  Cuts never split a base
  letter from its combining mark (Vietnamese typed in NFD) or an emoji
  sequence, keep the extension and show "…" where text was removed.

All output is NFC.  Nothing here touches the disk except ``unique_path``,
which lists the target directory, and ``mirror_path``, which resolves the
path to prove it stays inside the mirror root (symlinks included).
"""

from __future__ import annotations

import mimetypes
import os
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from camau_desk.errors import InvalidInput
from camau_desk.vn.text import nfc as _nfc

__all__ = [
    "DEFAULT_TEMPLATE",
    "FIELD_HELP",
    "KNOWN_FIELDS",
    "MAX_COMPONENT_UNITS",
    "MAX_PATH_UNITS",
    "ELLIPSIS",
    "MirrorPathError",
    "TemplateError",
    "attachment_name",
    "is_windows_safe",
    "mirror_path",
    "render_template",
    "safe_component",
    "unique_path",
    "utf16_units",
    "validate_template",
]

#: The register's default layout: year / month / kind / "số đến - số ký hiệu - trích yếu".
DEFAULT_TEMPLATE = "{year}/{month:02}/{kind}/{so_den:04} - {so_ky_hieu} - {trich_yeu}.{ext}"

#: Fields a template may use, with the label the settings screen shows.
FIELD_HELP: dict[str, str] = {
    "year": "Năm (của ngày đến hoặc ngày gửi)",
    "month": "Tháng",
    "day": "Ngày",
    "kind": "Loại văn bản (Công văn, Quyết định, ...)",
    "huong": "Chiều: Đến hoặc Đi",
    "so_den": "Số đến",
    "so_di": "Số đi",
    "so_ky_hieu": "Số, ký hiệu văn bản",
    "trich_yeu": "Trích yếu nội dung",
    "co_quan": "Cơ quan ban hành",
    "nguoi_gui": "Người gửi thư",
    "ten_tep": "Tên tệp gốc",
    "ext": "Phần mở rộng của tệp (pdf, docx, ...)",
}
KNOWN_FIELDS: frozenset[str] = frozenset(FIELD_HELP)

MAX_PATH_UNITS = 259  # MAX_PATH (260) minus the terminating NUL
MAX_COMPONENT_UNITS = 255  # NTFS limit for one name
_DIR_RESERVE = 12  # CreateDirectoryW wants room for an 8.3 name: dirs <= 247
_MIN_NAME_UNITS = 32  # directories are shortened only if a file name would get less
_MIN_DIR_UNITS = 6  # a shortened directory keeps at least this much (with "…")
ELLIPSIS = "…"

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]')
_INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
_EXT = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_NUMBER_PREFIX = re.compile(r"^\d+ - ")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"]
)
_ZWJ = "\u200d"


class TemplateError(InvalidInput, ValueError):
    """A folder-layout template the clerk typed cannot be used (message in Vietnamese)."""


class MirrorPathError(InvalidInput, ValueError):
    """No safe path can be made under the mirror root (too deep, or escaping it)."""


# ---------------------------------------------------------------- measuring


def utf16_units(text: str) -> int:
    """Length as Windows counts it: astral characters (emoji) take two units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _is_boundary(text: str, i: int) -> bool:
    """True if cutting ``text`` before index ``i`` keeps every character whole.

    A rough grapheme rule without extra dependencies: never cut before a
    combining mark or variation selector (Mn/Mc/Me), an emoji skin-tone
    modifier, or around a zero-width joiner.
    """
    if i <= 0 or i >= len(text):
        return True
    ch, prev = text[i], text[i - 1]
    if ch == _ZWJ or prev == _ZWJ:
        return False
    if unicodedata.category(ch) in ("Mn", "Mc", "Me"):
        return False
    return not 0x1F3FB <= ord(ch) <= 0x1F3FF


def _cut(text: str, budget: int) -> str:
    """Longest prefix of ``text`` within ``budget`` UTF-16 units, cut between characters."""
    if budget <= 0:
        return ""
    used, end = 0, 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > budget:
            break
        end = i + 1
    while end > 0 and not _is_boundary(text, end):
        end -= 1
    return text[:end]


def _split_ext(name: str) -> tuple[str, str]:
    """Split off a short ASCII extension (``.pdf``), not a sentence after a full stop."""
    m = _EXT.search(name)
    if not m:
        return name, ""
    return name[: m.start()], m.group()


def _truncate(name: str, max_units: int, *, keep_ext: bool = True) -> str:
    """Shorten to ``max_units``, keeping the extension and marking the cut with "…"."""
    if utf16_units(name) <= max_units:
        return name
    stem, ext = _split_ext(name) if keep_ext else (name, "")
    budget = max_units - utf16_units(ext) - len(ELLIPSIS)
    if budget < 1:  # extension alone would not fit: cut the whole thing
        stem, ext = name, ""
        budget = max_units - len(ELLIPSIS)
    return _cut(stem, budget).rstrip(" ") + ELLIPSIS + ext


# ---------------------------------------------------------------- components


def _clean_text(value: str) -> str:
    """Make free text safe to embed in a name: no separator, control or bidi trick.

    Unlike :func:`safe_component` this may return ``""`` and does not check
    device names, because the text is only a part of a name.
    """
    text = _nfc(value)
    text = _INVISIBLE.sub("", text)
    text = _FORBIDDEN.sub("_", text)
    text = _SPACES.sub(" ", text)
    return _nfc(text).strip(" ")


def _is_reserved(name: str) -> bool:
    device = name.split(".", 1)[0].rstrip(" ")
    return device.upper() in _RESERVED


def _fix_reserved(name: str) -> str:
    if not _is_reserved(name):
        return name
    device, dot, rest = name.partition(".")
    return device.rstrip(" ") + "_" + dot + rest


def safe_component(name: str, max_units: int = 120) -> str:
    """One file or folder name that Windows accepts, in NFC, never empty, never "." or "..".

    ``max_units`` counts UTF-16 code units (the Windows measure); it must be at
    least 8 so a device name can always take its "_".
    """
    if max_units < 8:
        raise ValueError("max_units must be at least 8")
    text = _clean_text(str(name)).rstrip(". ")
    text = _truncate(text, max_units).rstrip(". ")
    text = _fix_reserved(text or "_")
    if utf16_units(text) > max_units:  # the "_" of a device name pushed it over
        text = _truncate(text, max_units)
    return _nfc(text)


def is_windows_safe(name: str, max_units: int = MAX_COMPONENT_UNITS) -> bool:
    """True if ``name`` can be created as-is on Windows (used by tests and the mirror check)."""
    return (
        bool(name)
        and name not in (".", "..")
        and not _FORBIDDEN.search(name)
        and not re.search(r"[\x09-\x0d]", name)
        and not name.endswith((".", " "))
        and not _is_reserved(name)
        and utf16_units(name) <= max_units
        and unicodedata.is_normalized("NFC", name)
    )


# ---------------------------------------------------------------- templates

_FORMATTER = string.Formatter()
_SEPARATORS = re.compile(r"[/\\]")


def _parse(template: str) -> list[list[tuple[str, str | None, str, str | None]]]:
    """Split a template into components, each a list of (literal, field, spec, conv)."""
    components: list[list[tuple[str, str | None, str, str | None]]] = [[]]
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:
        raise TemplateError("Mẫu đặt tên không hợp lệ: dấu ngoặc nhọn { } không khớp.", detail=str(exc)) from exc
    for literal, field, spec, conv in parsed:
        pieces = _SEPARATORS.split(literal)
        components[-1].append((pieces[0], None, "", None))
        for piece in pieces[1:]:
            components.append([(piece, None, "", None)])
        if field is not None:
            components[-1].append(("", field, spec or "", conv))
    return components


def validate_template(template: str, known: Iterable[str] = KNOWN_FIELDS) -> None:
    """Refuse a layout the mirror cannot follow safely; the message tells the clerk why."""
    known = frozenset(known)
    if not isinstance(template, str) or not template.strip():
        raise TemplateError("Mẫu đặt tên đang để trống.")
    if _SEPARATORS.match(template) or re.match(r"^[A-Za-z]:", template):
        raise TemplateError(
            "Mẫu đặt tên phải là đường dẫn tương đối bên trong thư mục lưu trữ, "
            "không được bắt đầu bằng / \\ hay ổ đĩa (C:)."
        )
    for parts in _parse(template):
        literal_only = "".join(lit for lit, field, _, _ in parts if field is None)
        has_field = any(field is not None for _, field, _, _ in parts)
        if not has_field and not literal_only.strip():
            raise TemplateError("Mẫu đặt tên có một thư mục rỗng (hai dấu / liền nhau hoặc / ở cuối).")
        if not has_field and literal_only.strip() in (".", ".."):
            raise TemplateError("Mẫu đặt tên không được chứa thư mục '.' hoặc '..'.")
        for _, field, spec, conv in parts:
            if field is None:
                continue
            if field == "" or field.isdigit():
                raise TemplateError("Mẫu đặt tên phải ghi tên trường trong ngoặc, ví dụ {so_den}.")
            if not field.isidentifier():
                raise TemplateError(f"Trường {{{field}}} trong mẫu đặt tên không hợp lệ.")
            if field not in known:
                names = ", ".join("{" + k + "}" for k in sorted(known))
                raise TemplateError(f"Mẫu đặt tên có trường không biết: {{{field}}}. Các trường dùng được: {names}.")
            if conv is not None:
                raise TemplateError(f"Trường {{{field}}} không được dùng dấu '!'.")
            if "{" in spec or _SEPARATORS.search(spec):
                raise TemplateError(f"Định dạng của trường {{{field}}} không hợp lệ.")


def _format_value(value: object, spec: str) -> str:
    """Format one field; a missing value is empty, a numeric string still pads ("7" -> "0007")."""
    if value is None:
        return ""
    if isinstance(value, str) and spec and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    try:
        return format(value, spec)
    except (ValueError, TypeError):
        return str(value)


def _tidy(component: str) -> str:
    """Remove the separators a missing field leaves behind: "0001 -  - x" -> "0001 - x"."""
    text = _SPACES.sub(" ", component)
    text = re.sub(r" -(?: -)+ ", " - ", text)
    text = re.sub(r"(?:\s+-)?[\s.]*(?=\.[A-Za-z0-9]{1,10}$)", "", text)
    text = re.sub(r"^\s*-\s+", "", text)
    text = re.sub(r"\s+-\s*$", "", text)
    return text.strip(" ")


def render_template(template: str, fields: Mapping[str, object]) -> list[str]:
    """Fill the mirror layout and return safe path components (no root, no separators).

    Values are cleaned *before* substitution, so a "/" or "..\\" in a
    subject line can never open a directory; only the template's own "/"
    separate folders.  Missing fields become empty.
    """
    validate_template(template, KNOWN_FIELDS | set(fields))
    result: list[str] = []
    for parts in _parse(template):
        text = ""
        for literal, field, spec, _ in parts:
            if field is None:
                text += literal
            else:
                text += _clean_text(_format_value(fields.get(field), spec))
        result.append(safe_component(_tidy(text)))
    return result


# ---------------------------------------------------------------- full paths


def _joined_units(root: str, components: list[str]) -> int:
    seps = len(components) - (1 if root.endswith(("/", "\\")) else 0)
    return utf16_units(root) + sum(utf16_units(c) for c in components) + max(seps, 0)


def _shorten_name(name: str, budget: int) -> str:
    """Fit a file name into ``budget`` units keeping its "0123 - " number and extension."""
    if utf16_units(name) <= budget:
        return name
    stem, ext = _split_ext(name)
    m = _NUMBER_PREFIX.match(stem)
    prefix = m.group() if m else ""
    body_budget = budget - utf16_units(prefix) - utf16_units(ext) - len(ELLIPSIS)
    if body_budget < 0:
        raise MirrorPathError(
            "Thư mục lưu trữ nằm quá sâu, không còn chỗ cho tên tệp. "
            "Hãy chọn thư mục lưu trữ ngắn hơn (ví dụ D:\\LuuTru).",
            detail=f"name={name!r} budget={budget}",
        )
    body = _cut(stem[len(prefix) :], body_budget).rstrip(" ")
    return prefix + body + ELLIPSIS + ext


def _shorten_dirs(root: str, dirs: list[str], budget: int) -> list[str]:
    """Shorten the longest folders until the folder part fits; depends on folders only."""
    dirs = list(dirs)
    while (excess := _joined_units(root, dirs) - budget) > 0:
        longest = max(range(len(dirs)), key=lambda i: utf16_units(dirs[i]), default=None)
        if longest is None or utf16_units(dirs[longest]) <= _MIN_DIR_UNITS:
            raise MirrorPathError(
                "Đường dẫn thư mục lưu trữ quá dài. Hãy chọn thư mục lưu trữ ngắn hơn hoặc mẫu đặt tên ít cấp hơn.",
                detail=f"root={root!r}",
            )
        target = max(_MIN_DIR_UNITS, utf16_units(dirs[longest]) - excess)
        dirs[longest] = _truncate(dirs[longest], target, keep_ext=False)
    return dirs


def _check_inside(root: Path, path: Path) -> None:
    real_root = root.resolve()
    real = path.resolve()
    if real != real_root and not real.is_relative_to(real_root):
        raise MirrorPathError(
            "Đường dẫn lưu trữ trỏ ra ngoài thư mục lưu trữ nên đã bị từ chối.",
            detail=f"{path} -> {real}",
        )


def mirror_path(root: Path, components: list[str], limit: int = MAX_PATH_UNITS) -> Path:
    """The absolute path of a mirror file: inside ``root``, Windows-valid, within ``limit`` units.

    The file name is shortened first (keeping "0123 - " and the extension).
    Folders are shortened only when they would leave a file name fewer than
    32 units or exceed the 247-unit folder limit; that rule looks at folders
    only, so all files of one month still land in the same (shortened) folder.
    """
    if not components:
        raise MirrorPathError("Chưa có tên tệp để lưu vào thư mục lưu trữ.")
    root = Path(root).absolute()
    root_str = str(root)
    comps = [safe_component(c, MAX_COMPONENT_UNITS) for c in components]
    dirs, name = comps[:-1], comps[-1]
    dir_budget = min(limit - _DIR_RESERVE, limit - 1 - _MIN_NAME_UNITS)
    if _joined_units(root_str, dirs) > dir_budget:
        dirs = _shorten_dirs(root_str, dirs, dir_budget)
    name_budget = limit - _joined_units(root_str, dirs) - 1
    name = _shorten_name(name, name_budget)
    path = root.joinpath(*dirs, name)
    _check_inside(root, path)
    return path


def _sibling_names(directory: Path) -> set[str]:
    try:
        with os.scandir(directory) as it:
            return {_nfc(entry.name).casefold() for entry in it}
    except OSError:
        return set()


def unique_path(
    path: Path,
    exists: Callable[[Path], bool] = Path.exists,
    *,
    taken: Iterable[str] | None = None,
    limit: int = MAX_PATH_UNITS,
) -> Path:
    """A free name: "x.pdf", then "x (2).pdf", "x (3).pdf", ... .

    Windows is case-insensitive, so "Báo cáo.pdf" is taken by "BÁO CÁO.PDF":
    names are compared casefolded (and NFC) against ``taken`` or, if not
    given, the names already in the directory.  The result stays within
    ``limit`` UTF-16 units by shortening the stem, never the number.
    """
    path = Path(path)
    names = {_nfc(n).casefold() for n in taken} if taken is not None else _sibling_names(path.parent)

    def is_taken(p: Path) -> bool:
        return _nfc(p.name).casefold() in names or exists(p)

    if not is_taken(path):
        return path
    stem, ext = _split_ext(path.name)
    parent_units = utf16_units(str(path.parent.absolute())) + 1
    for n in range(2, 100_000):
        suffix = f" ({n})"
        budget = limit - parent_units - utf16_units(suffix + ext)
        short = stem if utf16_units(stem) <= budget else _shorten_name(stem, budget)
        candidate = path.parent / (short + suffix + ext)
        if not is_taken(candidate):
            return candidate
    raise MirrorPathError("Có quá nhiều tệp trùng tên trong cùng một thư mục.", detail=str(path))


# ---------------------------------------------------------------- attachments

_PREFERRED_EXT = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/zip": ".zip",
    "application/x-zip-compressed": ".zip",
    "application/vnd.rar": ".rar",
    "application/x-rar-compressed": ".rar",
    "application/x-7z-compressed": ".7z",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/plain": ".txt",
    "text/html": ".html",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "message/rfc822": ".eml",
    "application/pkcs7-signature": ".p7s",
    "application/octet-stream": ".bin",
}


def _guess_ext(mime_type: str) -> str:
    """Same answer on every machine for common types; Windows' registry varies."""
    mime = (mime_type or "").split(";", 1)[0].strip().lower()
    ext = _PREFERRED_EXT.get(mime) or mimetypes.guess_extension(mime) or ""
    return ext if _EXT.fullmatch(ext) else ""


def attachment_name(raw: str | None, mime_type: str, index: int) -> str:
    """A safe file name for the ``index``-th attachment of a mail, whatever the sender wrote.

    Only the last path element survives ("..\\..\\x.dll" -> "x.dll"); a name
    without a usable stem becomes "Tệp đính kèm <index>"; a missing
    extension is guessed from the MIME type.
    """
    text = _INVISIBLE.sub("", _nfc(raw or ""))
    parts = [p for p in _SEPARATORS.split(text) if p.strip(" .")]
    base = _clean_text(parts[-1]).rstrip(". ") if parts else ""
    stem, ext = _split_ext(base)
    if not ext:
        ext = _guess_ext(mime_type)
        stem = base
    if not stem.strip(" ._"):
        stem = f"Tệp đính kèm {index}"
    return safe_component(stem + ext)
