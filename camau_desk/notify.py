"""The words of the tray notification after a check (R5) or an urgent arrival (DOMAIN 3.2).

Pure text building, no Qt and no database, so it is tested directly.  Urgent
documents (Hỏa tốc, Thượng khẩn, Khẩn) come first because the clerk must pass
them on at once; then one line per mailbox with its count of new documents.
A tray balloon shows a few lines only, so the urgent list is capped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: Most urgent first (ND30 Phụ lục I III.2.b).
URGENCY_ORDER: tuple[str, ...] = ("Hỏa tốc", "Thượng khẩn", "Khẩn")
MAX_URGENT_LINES = 5
MAX_SUBJECT = 80


def urgency_rank(urgency: str | None) -> int | None:
    """0 for Hỏa tốc, 1 Thượng khẩn, 2 Khẩn, None when not urgent (case-insensitive)."""
    if not urgency:
        return None
    low = urgency.strip().casefold()
    for i, label in enumerate(URGENCY_ORDER):
        if low == label.casefold():
            return i
    return None


def is_urgent(urgency: str | None) -> bool:
    return urgency_rank(urgency) is not None


def sort_urgent(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Only the urgent rows, most urgent first, then oldest id first."""
    urgent = [r for r in rows if is_urgent(r.get("urgency"))]
    return sorted(urgent, key=lambda r: (urgency_rank(r.get("urgency")), r.get("id") or 0))


def _short(text: str | None, limit: int = MAX_SUBJECT) -> str:
    text = " ".join((text or "").split()) or "(không có tiêu đề)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def urgent_line(row: Mapping[str, Any]) -> str:
    """'HỎA TỐC: <subject> (<sender>, <mailbox>)'."""
    sender = row.get("from_name") or row.get("from_addr") or ""
    where = ", ".join(x for x in (sender, row.get("account") or "") if x)
    label = str(row.get("urgency") or "").upper()
    return f"{label}: {_short(row.get('subject'))}" + (f" ({where})" if where else "")


def urgent_text(rows: Iterable[Mapping[str, Any]]) -> tuple[str, str] | None:
    """(title, body) for newly arrived urgent documents, or None when there are none."""
    urgent = sort_urgent(rows)
    if not urgent:
        return None
    title = f"Có {len(urgent)} văn bản khẩn cần chuyển ngay"
    lines = [urgent_line(r) for r in urgent[:MAX_URGENT_LINES]]
    if len(urgent) > MAX_URGENT_LINES:
        lines.append(f"... và {len(urgent) - MAX_URGENT_LINES} văn bản khẩn khác")
    return title, "\n".join(lines)


def mailbox_line(name: str, new: int, errors: Sequence[str] = ()) -> str:
    if errors:
        return f"{name}: lỗi - {errors[0]}"
    return f"{name}: {new} thư mới" if new else f"{name}: không có thư mới"


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, Mapping) else getattr(obj, name, default)


def check_summary(result: Any) -> tuple[str, str]:
    """(title, body) of the tray message for a finished check.

    ``result`` is a ``checks.CheckResult`` or its ``as_dict()``: it has
    ``urgent`` (message rows), ``mailboxes`` (each with account/new/errors),
    ``kind`` and ``slot``.
    """
    urgent = sort_urgent(_get(result, "urgent", []) or [])
    boxes = _get(result, "mailboxes", []) or []
    total = sum(int(_get(b, "new", 0) or 0) for b in boxes)
    failed = [b for b in boxes if _get(b, "errors")]
    slot = _get(result, "slot")
    when = f" lúc {str(slot)[-5:]}" if slot else ""
    kind = _get(result, "kind")
    late = " (trễ giờ)" if kind == "late" else ""
    if urgent:
        title = f"Có {len(urgent)} văn bản khẩn cần chuyển ngay"
    elif failed:
        title = f"Kiểm tra hộp thư{when}{late}: {len(failed)} hộp thư bị lỗi"
    else:
        title = f"Kiểm tra hộp thư{when}{late}: {total} thư mới"
    lines = [urgent_line(r) for r in urgent[:MAX_URGENT_LINES]]
    if len(urgent) > MAX_URGENT_LINES:
        lines.append(f"... và {len(urgent) - MAX_URGENT_LINES} văn bản khẩn khác")
    lines += [mailbox_line(_get(b, "account", "?"), int(_get(b, "new", 0) or 0), _get(b, "errors") or ())
              for b in boxes]
    if not boxes:
        lines.append("Chưa có hộp thư nào có máy chủ để kiểm tra.")
    return title, "\n".join(lines)
