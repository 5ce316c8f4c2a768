"""Settings as a file the agency edits (R8): export, validate, import in one transaction.

Why JSON (not TOML): the standard library reads *and* writes it, every value
type we store (lists of times, null for "default") maps one to one, and
``json.JSONDecodeError.lineno`` gives the line of a syntax error.  The
exported file carries a ``schema`` section describing every key (type, allowed
values, meaning) so the Office can edit it without the manual; on import the
schema section is ignored and the code's own schema is authoritative.

A file is refused as a whole, naming the line and the reason, and nothing is
applied unless every key is valid (one transaction: never half-applied).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk import settings
from camau_desk.errors import InvalidInput, StorageError
from camau_desk.schedule import parse_hhmm, parse_holiday
from camau_desk.store.db import transaction

FORMAT = "camau-desk-settings"
FORMAT_VERSION = 1


class SettingsFileError(InvalidInput):
    """A settings file that cannot be applied; ``line`` is 1-based (None if unknown)."""

    def __init__(self, reason: str, line: int | None = None, path: str | None = None) -> None:
        where = f"dòng {line}" if line else "tệp"
        prefix = f"Tệp cài đặt {path}, {where}" if path else f"Tệp cài đặt, {where}"
        super().__init__(f"{prefix}: {reason}")
        self.reason = reason
        self.line = line


# ---------------------------------------------------------------- validators
def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError("cần true hoặc false")
    return v


def _pos_int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        raise ValueError("cần một số nguyên dương")
    return v


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError("cần một chuỗi không rỗng")
    return v


def _opt_path(v: Any) -> str | None:
    if v is None:
        return None
    return _text(v)


def _enum(*allowed: str) -> Callable[[Any], str]:
    def check(v: Any) -> str:
        if v not in allowed:
            raise ValueError("chỉ nhận " + ", ".join(f'"{a}"' for a in allowed))
        return v
    return check


def _list_of(item: Callable[[Any], Any], *, non_empty: bool, unique: bool = True) -> Callable[[Any], list]:
    def check(v: Any) -> list:
        if not isinstance(v, list):
            raise ValueError("cần một danh sách [ ... ]")
        if non_empty and not v:
            raise ValueError("danh sách không được rỗng")
        for x in v:
            try:
                item(x)
            except ValueError as exc:
                raise ItemError(x, str(exc)) from None
        if unique and len({json.dumps(x) for x in v}) != len(v):
            raise ValueError("danh sách có giá trị trùng nhau")
        return list(v)
    return check


class ItemError(ValueError):
    """A bad element of a list: its line is found from the element itself."""

    def __init__(self, item: Any, reason: str) -> None:
        super().__init__(reason)
        self.item = item


def _hhmm(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f"giờ {json.dumps(v)} phải là chuỗi dạng \"HH:MM\"")
    parse_hhmm(v)
    return v


def _weekday(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 6:
        raise ValueError(f"ngày làm việc {json.dumps(v)} phải là số từ 0 (Thứ Hai) đến 6 (Chủ nhật)")
    return v


def _holiday(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f"ngày nghỉ {json.dumps(v)} phải là chuỗi dd/mm/yyyy hoặc yyyy-mm-dd")
    parse_holiday(v)
    return v


def _template(v: Any) -> str:
    from camau_desk.archive.naming import TemplateError, validate_template

    if not isinstance(v, str):
        raise ValueError("mẫu đặt tên phải là một chuỗi")
    try:
        validate_template(v)
    except TemplateError as exc:
        raise ValueError(str(exc)) from None
    return v


@dataclass(frozen=True)
class KeySpec:
    type: str
    description: str
    check: Callable[[Any], Any]
    allowed: str | None = None

    def schema(self) -> dict[str, Any]:
        out = {"type": self.type, "description": self.description}
        if self.allowed:
            out["allowed"] = self.allowed
        return out


SCHEMA: dict[str, KeySpec] = {
    "language": KeySpec("string", "Ngôn ngữ giao diện", _enum("vi", "en"), '"vi" hoặc "en"'),
    "check_times": KeySpec("list[string]", "Giờ kiểm tra hộp thư mỗi ngày làm việc (Quy chế Đ5), giờ Việt Nam",
                           _list_of(_hhmm, non_empty=True), '"HH:MM", ví dụ ["07:00", "09:00", "13:00", "15:00"]'),
    "working_days": KeySpec("list[integer]", "Ngày làm việc trong tuần", _list_of(_weekday, non_empty=True),
                            "0 = Thứ Hai ... 6 = Chủ nhật"),
    "holidays": KeySpec("list[string]", "Ngày nghỉ lễ của cơ quan (không kiểm tra theo lịch)",
                        _list_of(_holiday, non_empty=False), '"dd/mm/yyyy" hoặc "yyyy-mm-dd"'),
    "mirror_root": KeySpec("string|null", "Thư mục lưu trữ ngoại tuyến (null: mặc định của hồ sơ)", _opt_path),
    "mirror_template": KeySpec("template", "Mẫu thư mục cho mỗi thư trong kho lưu trữ", _template,
                               "các trường {year} {month} {day} {kind} {huong} {nguoi_gui} {trich_yeu} ..."),
    "register_template": KeySpec("template", "Mẫu tên tệp văn bản đến (theo số đến)", _template,
                                 "các trường {year} {month} {kind} {so_den} {so_ky_hieu} {trich_yeu} {ext} ..."),
    "register_folder": KeySpec("string", "Thư mục IMAP chứa nhật ký sổ văn bản đến", _text),
    "agency_name": KeySpec("string", "Tên cơ quan", _text),
    "parent_agency_name": KeySpec("string", "Tên cơ quan cấp trên", _text),
    "default_deadline_days": KeySpec("integer", "Hạn giải quyết mặc định (ngày)", _pos_int, "số nguyên > 0"),
    "receipt_notice": KeySpec("boolean", "Gửi thông báo đã nhận văn bản", _bool, "true hoặc false"),
    "max_recipients_without_confirm": KeySpec("integer", "Số người nhận tối đa trước khi hỏi xác nhận",
                                              _pos_int, "số nguyên > 0"),
    "minimize_to_tray": KeySpec("boolean", "Đóng cửa sổ thì thu nhỏ xuống khay hệ thống", _bool, "true hoặc false"),
}


def _generic_spec(key: str, default: Any) -> KeySpec:
    """Keys other areas add to ``settings.DEFAULTS`` (organisation, delegation...): same JSON type as the default."""
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list", dict: "object"}
    kind = type(default)

    def check(v: Any) -> Any:
        if default is None or v is None:
            return v
        ok = isinstance(v, kind) and not (kind is int and isinstance(v, bool))
        if kind is float and isinstance(v, int) and not isinstance(v, bool):
            ok = True
        if not ok:
            raise ValueError(f"cần kiểu {names.get(kind, kind.__name__)}")
        return v
    return KeySpec(names.get(kind, "any") if default is not None else "any", f"Cài đặt {key}", check)


def spec_for(key: str) -> KeySpec:
    if key in SCHEMA:
        return SCHEMA[key]
    if key in settings.DEFAULTS:
        return _generic_spec(key, settings.DEFAULTS[key])
    raise InvalidInput(f"Không có cài đặt tên '{key}'. Các cài đặt: {', '.join(sorted(known_keys()))}.")


def known_keys() -> set[str]:
    return set(SCHEMA) | set(settings.DEFAULTS)


def validate_value(key: str, value: Any) -> Any:
    """The value as stored, or InvalidInput naming the key and the reason."""
    spec = spec_for(key)
    try:
        return spec.check(value)
    except ValueError as exc:
        raise InvalidInput(f"Cài đặt '{key}' không hợp lệ: {exc}.") from None


def schema_document() -> dict[str, Any]:
    return {k: spec_for(k).schema() for k in sorted(known_keys())}


# ---------------------------------------------------------------- file I/O
def export_settings(db: sqlite_utils.Database, path: Path | str) -> Path:
    """Every setting (defaults included) plus the schema, as UTF-8 JSON."""
    path = Path(path)
    doc = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "settings": settings.all_settings(db),
        "schema": schema_document(),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from exc
    return path


def _line_of(text: str, needle_rx: str, start: int = 0) -> tuple[int | None, int]:
    m = re.compile(needle_rx).search(text, start)
    if not m:
        return None, start
    return text.count("\n", 0, m.start()) + 1, m.start()


def _key_line(text: str, key: str) -> tuple[int | None, int]:
    """Line of ``"key":`` inside the "settings" object (after its opening)."""
    _, begin = _line_of(text, r'"settings"\s*:')
    return _line_of(text, re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", begin)


def parse_settings(text: str, *, path: str | None = None) -> dict[str, Any]:
    """Validated settings from the file's text, or SettingsFileError with line and reason."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsFileError(f"lỗi cú pháp JSON ({exc.msg}, cột {exc.colno}).", exc.lineno, path) from None
    if not isinstance(doc, dict):
        raise SettingsFileError("tệp phải là một đối tượng JSON { ... }.", 1, path)
    if doc.get("format", FORMAT) != FORMAT:
        line, _ = _line_of(text, r'"format"\s*:')
        raise SettingsFileError(f'"format" phải là "{FORMAT}".', line, path)
    version = doc.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        line, _ = _line_of(text, r'"version"\s*:')
        raise SettingsFileError(f"phiên bản tệp {version!r} mới hơn chương trình (hỗ trợ {FORMAT_VERSION}).",
                                line, path)
    values = doc.get("settings")
    if not isinstance(values, dict):
        line, _ = _line_of(text, r'"settings"\s*:')
        raise SettingsFileError('thiếu mục "settings": { ... } chứa các cài đặt.', line, path)
    out: dict[str, Any] = {}
    for key, value in values.items():
        line, pos = _key_line(text, key)
        if key not in known_keys():
            raise SettingsFileError(f"cài đặt '{key}' không có trong chương trình.", line, path)
        try:
            out[key] = spec_for(key).check(value)
        except ItemError as exc:
            item_line, _ = _line_of(text, re.escape(json.dumps(exc.item, ensure_ascii=False)), pos)
            raise SettingsFileError(f"cài đặt '{key}': {exc}.", item_line or line, path) from None
        except ValueError as exc:
            raise SettingsFileError(f"cài đặt '{key}': {exc}.", line, path) from None
    return out


def apply_settings(db: sqlite_utils.Database, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Write validated values in one transaction; returns {key: (old, new)} of what changed (audited)."""
    before = settings.all_settings(db)
    with transaction(db):
        for key, value in values.items():
            settings.set(db, key, value)
    return {k: (before.get(k), v) for k, v in values.items() if before.get(k) != v}


def import_settings(db: sqlite_utils.Database, path: Path | str) -> dict[str, tuple[Any, Any]]:
    """Validate the whole file, then apply it at once; nothing changes if any key is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"Không tìm thấy tệp cài đặt {path}.") from None
    except UnicodeDecodeError:
        raise SettingsFileError("tệp không phải văn bản UTF-8.", None, str(path)) from None
    except OSError as exc:
        raise StorageError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from exc
    return apply_settings(db, parse_settings(text, path=str(path)))


def parse_cli_value(text: str) -> Any:
    """`settings set KEY VALUE`: VALUE is JSON when it parses (["07:00"], true, 10), else a plain string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def set_value(db: sqlite_utils.Database, key: str, value: Any) -> Any:
    value = validate_value(key, value)
    with transaction(db):
        settings.set(db, key, value)
    return value
