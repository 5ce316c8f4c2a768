"""Tracking (R7.1a-3/4, ND30 Đ23-24): the leader's direction, statuses, deadlines, overdue list, recall.

Why statuses go through the register service: the status of an entry is a
register column shared by every desk, so a change is a ``correct`` event of
the register log (audited by the register).  The direction itself (lead,
co-ordinating units, deadline, opinion) is an ``assignment`` event of the
same log, folded here into ``routing_assignments``.

Statuses: Đã vào sổ → Đã trình → Đã phân công → Đang xử lý → Hoàn thành.

Why offline works (R6.2): assignments, status changes and recalls are
committed to the register's own queue (``register_pending``) and sent by the
next ``flush_pending``, in queue order, so an event about an entry still "chờ
cấp số" reaches the server after that entry's number request.  Until then the
register row still says what the shared log says; :func:`status_of` and
:func:`tracking_rows` lay this desk's queued events over it and mark them
"chờ đồng bộ".  Between desks the server's order decides: the last assignment
and the last correction in UID order are in force.

A leader's reply to the forward is read when it is simple, one item per line
before the quoted text (labels are matched without accents, case ignored)::

    Chủ trì: Phòng Kế hoạch - Tài chính      (or: Giao / Đơn vị chủ trì / an address)
    Phối hợp: Phòng Hành chính; Văn phòng    (separated by ; or ,)
    Hạn: 20/03/2026                          (or: Thời hạn / Hạn xử lý; dd/mm/yyyy)
    Ý kiến: Đề nghị tham mưu trả lời        (optional, free text)

Without a "Chủ trì"/"Giao" line the reply is not a direction (None).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk import audit, settings
from camau_desk.accounts import Account
from camau_desk.errors import InvalidInput, MailError, NotFound
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.parse import parse_message
from camau_desk.mail.store import raw_bytes
from camau_desk.register import log as rlog
from camau_desk.register import service as svc
from camau_desk.register.replay import NUMBERED_TYPES
from camau_desk.routing import delegation, org
from camau_desk.routing.forward import find_entry
from camau_desk.store.db import transaction
from camau_desk.vn.clock import VN_TZ
from camau_desk.vn.text import fold, nfc

__all__ = [
    "STATUS_FLOW",
    "STATUS_LABELS",
    "TRACKING_COLUMNS",
    "parse_direction",
    "refresh",
    "default_deadline",
    "assign",
    "assign_from_reply",
    "set_status",
    "recall",
    "status_of",
    "overlay",
    "tracking_rows",
    "overdue",
    "export_xlsx",
    "export_pdf",
]

STATUS_FLOW = ("registered", "presented", "assigned", "processing", "done")
STATUS_LABELS = {"pending": "Chờ cấp số", "registered": "Đã vào sổ", "presented": "Đã trình",
                 "assigned": "Đã phân công", "processing": "Đang xử lý", "done": "Hoàn thành",
                 "cancelled": "Đã hủy"}
PENDING_NOTE = "Chờ đồng bộ. Đã ghi trên máy này, sẽ gửi lên sổ chung khi có mạng."
TRACKING_COLUMNS = ("Số đến", "Tên loại, số, ký hiệu, ngày tháng và cơ quan ban hành", "Đơn vị hoặc người nhận",
                    "Thời hạn giải quyết", "Tiến độ giải quyết", "Số, ký hiệu văn bản trả lời", "Ghi chú")

_LABELS = {
    "lead": ("chu tri", "don vi chu tri", "giao", "giao cho", "nguoi chu tri", "lead"),
    "coordinate": ("phoi hop", "don vi phoi hop", "coordinate"),
    "deadline": ("han", "thoi han", "han xu ly", "han giai quyet", "deadline"),
    "direction": ("y kien", "chi dao", "y kien chi dao", "note"),
}
_QUOTE_START = re.compile(r"^(>|-{2,}\s*(original|forwarded)|on .* wrote:|vào .* đã viết:|.* đã viết:$)", re.I)


def _today() -> dt.date:
    return dt.datetime.now(VN_TZ).date()


def parse_direction(text: str) -> dict | None:
    """The direction in a leader's short reply (format in the module docstring), or None."""
    found: dict[str, Any] = {}
    for line in nfc(text or "").splitlines():
        s = line.strip()
        if _QUOTE_START.match(s):
            break
        label, sep, value = s.partition(":")
        if not sep or not value.strip():
            continue
        key = fold(label).strip(" -*•")
        for name, aliases in _LABELS.items():
            if key in aliases and name not in found:
                found[name] = value.strip()
    if not found.get("lead"):
        return None
    coordinate = [c.strip() for c in re.split(r"[;,]", found.get("coordinate", "")) if c.strip()]
    out: dict[str, Any] = {"lead": found["lead"], "coordinate": coordinate, "deadline": None,
                           "direction": found.get("direction")}
    if found.get("deadline"):
        m = re.search(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}", found["deadline"])
        if m:
            out["deadline"] = delegation.parse_date(m.group(0)).isoformat()
    return out


def _queued(db: sqlite_utils.Database) -> list[dict]:
    """This desk's events not yet on the server, in the order the next flush appends them."""
    return [json.loads(text) for (text,) in db.execute("SELECT json FROM register_pending ORDER BY seq")]


def refresh(db: sqlite_utils.Database) -> int:
    """Rebuild ``routing_assignments``: the log's ``assignment`` events in UID order, then the queued ones.

    Rows are inserted in fold order (queued events will land after everything
    the server holds now), so an entry's last row is the direction in force.
    """
    events = [json.loads(text) for (text,) in db.execute(
        "SELECT json FROM register_events WHERE type = 'assignment' ORDER BY uid IS NULL, uid, applied_at")]
    logged = {ev["event_id"] for ev in events}
    events += [ev for ev in _queued(db) if ev.get("type") == "assignment" and ev["event_id"] not in logged]
    with transaction(db):
        db.execute("DELETE FROM routing_assignments")
        for ev in events:
            e = ev.get("entry") or {}
            db.execute(
                "INSERT OR REPLACE INTO routing_assignments (id, entry_event, lead, coordinate, deadline, direction,"
                " source, recorded_by, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
                [ev["event_id"], ev.get("target"), e.get("lead") or "", json.dumps(e.get("coordinate") or [],
                 ensure_ascii=False), e.get("deadline"), e.get("direction"), e.get("source"),
                 e.get("recorded_by") or ev.get("user"), ev.get("at")])
    return len(events)


def default_deadline(db: sqlite_utils.Database, start: dt.date | None = None) -> dt.date:
    """Start + ``default_deadline_days`` calendar days (the agency's working rules may set it)."""
    return (start or _today()) + dt.timedelta(days=int(settings.get(db, "default_deadline_days") or 10))


def _label_of(db: sqlite_utils.Database, who: str) -> str:
    """A directory address becomes "title name"; anything else is kept as written (a unit's name)."""
    if "@" in who:
        p = org.person(db, who)
        if p:
            return " ".join(x for x in (p.get("title"), p.get("name")) if x)
        u = db.execute("SELECT name FROM org_units WHERE email = ?", [who.lower()]).fetchone()
        if u:
            return u[0]
    return nfc(who).strip()


def _client(account: Account, client_factory: Callable[[], Any] | None) -> Callable[[], Any]:
    if client_factory is not None:
        return client_factory
    from camau_desk.mail.connect import imap_connect

    return lambda: imap_connect(account)


def _entry(db: sqlite_utils.Database, number: int | None, year: int | None, entry_id: int | None) -> dict:
    """The entry by số đến, or by row id while it is still "chờ cấp số" (no number yet)."""
    return svc.get_entry(db, entry_id) if entry_id is not None else find_entry(db, number, year)


def _name(entry: dict) -> str:
    """How a sentence names the entry, numbered or still "chờ cấp số"."""
    return f"Số đến {entry['so_den']}/{entry['year']}" if entry["so_den"] else f"Văn bản chờ cấp số (mục {entry['id']})"


def _audit_id(entry: dict) -> str:
    """year/số đến like the register's audit rows; the event id before the number exists."""
    return f"{entry['year']}/{entry['so_den']}" if entry["so_den"] else entry["event_id"]


def _event(etype: str, entry: dict, data: dict) -> dict:
    return rlog.new_event(etype, entry["year"], data, target=entry["event_id"], user=audit.current_user(),
                          workstation=audit.workstation())


def _send(db: sqlite_utils.Database, account: Account, client_factory: Callable[[], Any]) -> None:
    """Try the queue now; offline the events stay queued for the next flush (window, scheduler, CLI).

    A queue that holds number requests is left to the register's own flush:
    this one has no blob store, so it would number those entries without
    saving their files (R7.1a-1) or their receipt notices.
    """
    if any(ev.get("type") in NUMBERED_TYPES for ev in _queued(db)):
        return
    try:
        svc.flush_pending(db, account, client_factory=client_factory)
    except MailError:
        pass


def overlay(entry: dict, queued: Iterable[dict]) -> dict:
    """The entry as it will read once this desk's queued events are on the server (pure).

    Applies queued ``correct``/``cancel`` events of the entry like the replay
    does; ``pending`` is True while any event about it (or the entry's own
    number request) still waits, with :data:`PENDING_NOTE` for the clerk.
    """
    out = dict(entry)
    waiting = False
    for ev in queued:
        if entry["event_id"] not in (ev.get("target"), ev.get("event_id")):
            continue
        waiting = True
        data = ev.get("entry") or {}
        if ev.get("type") == "cancel" and out["status"] != "cancelled":
            out["status"], out["cancel_reason"] = "cancelled", data.get("reason")
        elif ev.get("type") == "correct":
            changes = {k: v for k, v in data.items() if k in svc.ENTRY_FIELDS}
            if out["status"] == "cancelled":
                changes.pop("status", None)
            out.update(changes)
    out["pending"] = waiting
    out["pending_note"] = PENDING_NOTE if waiting else None
    return out


def _current(db: sqlite_utils.Database, entry: dict) -> dict:
    return overlay(entry, _queued(db))


def _correction(entry: dict, changes: dict[str, Any]) -> dict | None:
    """A ``correct`` event for the fields that differ from what the clerk sees, or None."""
    changes = {k: v for k, v in svc.normalize_fields(changes).items() if entry.get(k) != v}
    return _event("correct", entry, changes) if changes else None


def assign(db: sqlite_utils.Database, account: Account, number: int | None, year: int | None = None, *,
           lead: str, coordinate: Sequence[str] = (), deadline: str | dt.date | None = None,
           direction: str | None = None, source: str = "clerk", client_factory: Callable[[], Any] | None = None,
           entry_id: int | None = None) -> dict:
    """Record the leader's direction (ND30 Đ23): lead unit/person, co-ordinating units, deadline.

    The assignment and its correction (Đã phân công, recipient, deadline) are
    committed to the local queue first, then sent; offline they wait for the
    next flush and the result says ``pending`` (see the module docstring).
    ``entry_id`` names an entry still "chờ cấp số": its events follow its number request.
    """
    entry = _current(db, _entry(db, number, year, entry_id))
    if entry["status"] == "cancelled":
        raise InvalidInput(f"{_name(entry)} đã hủy: không phân công được.")
    if not (lead or "").strip():
        raise InvalidInput("Cần ghi đơn vị hoặc người chủ trì xử lý.")
    due = delegation.parse_date(deadline, what="hạn giải quyết") if deadline else default_deadline(db)
    lead_label = _label_of(db, lead)
    coord = [_label_of(db, c) for c in coordinate if c.strip()]
    data = {"lead": lead_label, "lead_address": lead if "@" in lead else None, "coordinate": coord,
            "deadline": due.isoformat(), "direction": nfc(direction or "") or None, "source": source,
            "recorded_by": audit.current_user()}
    receivers = lead_label + (f" (phối hợp: {', '.join(coord)})" if coord else "")
    events = [_event("assignment", entry, data), _correction(
        entry, {"status": "assigned", "don_vi_nhan": receivers, "han_giai_quyet": due.isoformat()})]
    with transaction(db):
        for ev in events:
            if ev is not None:
                svc.queue_event(db, ev)
        audit.record(db, "routing.assign", "register_entry", _audit_id(entry), None, data)
    _send(db, account, _client(account, client_factory))
    refresh(db)
    return status_of(db, entry_id=entry["id"])


def assign_from_reply(db: sqlite_utils.Database, blobs: BlobStore, account: Account, message_id: int, *,
                      client_factory: Callable[[], Any] | None = None) -> dict | None:
    """If a stored message is the leader's simple reply to a forward, record its direction."""
    pm = parse_message(raw_bytes(db, blobs, message_id))
    refs = " ".join(x for x in (pm.in_reply_to, pm.references_) if x).split()
    row = None
    for ref in refs:
        row = db.execute("SELECT year, so_den FROM routing_forwards WHERE message_id = ? ORDER BY id DESC LIMIT 1",
                         [ref]).fetchone()
        if row:
            break
    if row is None:
        return None
    d = parse_direction(pm.text or "")
    if d is None:
        return None
    return assign(db, account, row[1], row[0], lead=d["lead"], coordinate=d["coordinate"], deadline=d["deadline"],
                  direction=d["direction"], source="reply", client_factory=client_factory)


def set_status(db: sqlite_utils.Database, account: Account, number: int | None, year: int | None, status: str, *,
               reply_symbol: str | None = None, note: str | None = None,
               client_factory: Callable[[], Any] | None = None, entry_id: int | None = None) -> dict:
    """Move an entry along the flow (Đang xử lý, Hoàn thành...) through a register correction (queued first)."""
    if status not in STATUS_FLOW:
        raise InvalidInput(f"Trạng thái '{status}' không hợp lệ; chọn: {', '.join(STATUS_FLOW)}.")
    entry = _current(db, _entry(db, number, year, entry_id))
    if entry["status"] == "cancelled":
        raise InvalidInput(f"{_name(entry)} đã bị hủy, không sửa được.")
    event = _correction(entry, {"status": status})
    with transaction(db):
        if event is not None:
            svc.queue_event(db, event)
        if reply_symbol is not None or note is not None:
            db.execute(
                "INSERT INTO routing_tracking (entry_event, reply_symbol, progress_note, updated_at) VALUES (?,?,?,?)"
                " ON CONFLICT(entry_event) DO UPDATE SET reply_symbol = COALESCE(excluded.reply_symbol, reply_symbol),"
                " progress_note = COALESCE(excluded.progress_note, progress_note), updated_at = excluded.updated_at",
                [entry["event_id"], nfc(reply_symbol) if reply_symbol else None, nfc(note) if note else None,
                 audit.now_iso()])
            audit.record(db, "routing.progress", "register_entry", _audit_id(entry), None,
                         {"reply_symbol": reply_symbol, "note": note})
    if event is not None:
        _send(db, account, _client(account, client_factory))
    return status_of(db, entry_id=entry["id"])


def recall(db: sqlite_utils.Database, account: Account, number: int | None, year: int | None, *, issuer: str,
           reason: str, reference: str | None = None, client_factory: Callable[[], Any] | None = None,
           entry_id: int | None = None) -> dict:
    """The issuer recalled the document (Phụ lục VI): record it and take the entry out of circulation.

    The entry keeps its number; the register marks it cancelled with the
    recall as reason (a queued ``cancel`` event), so no desk forwards or
    tracks it any more (audited).  Returns the entry as the clerk sees it.
    """
    reason = nfc(reason or "").strip()
    if not reason:
        raise InvalidInput("Cần ghi lý do thu hồi (theo văn bản thu hồi của cơ quan ban hành).")
    entry = _current(db, _entry(db, number, year, entry_id))
    text = f"Thu hồi theo yêu cầu của {nfc(issuer)}" + (f" ({reference})" if reference else "") + f": {reason}"
    event = _event("cancel", entry, {"reason": text}) if entry["status"] != "cancelled" else None
    with transaction(db):
        db.execute("INSERT OR IGNORE INTO routing_recalls (entry_event, issuer, reference, reason, recorded_by,"
                   " recorded_at) VALUES (?,?,?,?,?,?)",
                   [entry["event_id"], nfc(issuer), reference, reason, audit.current_user(), audit.now_iso()])
        audit.record(db, "routing.recall", "register_entry", _audit_id(entry),
                     {"status": entry["status"]}, {"issuer": issuer, "reference": reference, "reason": reason})
        if event is not None:
            svc.queue_event(db, event)
    if event is not None:
        _send(db, account, _client(account, client_factory))
    return _current(db, svc.get_entry(db, entry["id"]))


def _assignments(db: sqlite_utils.Database, event_id: str, queued_ids: set[str]) -> list[dict]:
    """The entry's assignments in fold order; the last is in force (see :func:`refresh`)."""
    out = []
    for r in db.query("SELECT * FROM routing_assignments WHERE entry_event = ? ORDER BY rowid", [event_id]):
        d = dict(r)
        d["coordinate"] = json.loads(d["coordinate"] or "[]")
        d["pending"] = d["id"] in queued_ids
        d["in_force"] = False
        out.append(d)
    if out:
        out[-1]["in_force"] = True
    return out


def status_of(db: sqlite_utils.Database, number: int | None = None, year: int | None = None, *,
              entry_id: int | None = None) -> dict:
    """The tracking state of one entry: status, recipient, deadline, forwards, assignments, "chờ đồng bộ"."""
    queued = _queued(db)
    entry = overlay(_entry(db, number, year, entry_id), queued)
    from camau_desk.routing.forward import forwards_of

    assignments = _assignments(db, entry["event_id"], {ev["event_id"] for ev in queued})
    return {"so_den": entry["so_den"], "year": entry["year"], "status": entry["status"],
            "status_label": STATUS_LABELS.get(entry["status"], entry["status"]),
            "trich_yeu": entry.get("trich_yeu"), "don_vi_nhan": entry.get("don_vi_nhan"),
            "han_giai_quyet": entry.get("han_giai_quyet"),
            "assignment": assignments[-1] if assignments else None, "assignments": assignments,
            "pending": entry["pending"], "pending_note": entry["pending_note"],
            "forwards": forwards_of(db, entry["id"]),
            "recalled": db.execute("SELECT 1 FROM routing_recalls WHERE entry_event = ?",
                                   [entry["event_id"]]).fetchone() is not None}


def _doc_desc(e: dict) -> str:
    parts = [e.get("loai") or "Văn bản"]
    if e.get("so_ky_hieu"):
        parts.append(f"số {e['so_ky_hieu']}")
    if e.get("ngay_van_ban"):
        parts.append(f"ngày {delegation.fmt_date(e['ngay_van_ban'])}")
    if e.get("tac_gia"):
        parts.append(f"của {e['tac_gia']}")
    return " ".join(parts)


def tracking_rows(db: sqlite_utils.Database, on: dt.date | str | None = None, *, overdue_only: bool = False,
                  year: int | None = None) -> list[dict]:
    """Rows of the "Sổ theo dõi giải quyết văn bản đến" (7 columns) for the date ``on``.

    Entries in circulation: presented, assigned, processing, done, or any
    numbered entry with a deadline.  Cancelled and recalled ones are left out.
    This desk's queued changes are shown (``pending``, "chờ đồng bộ" in Tiến độ).
    """
    day = delegation.parse_date(on) if on is not None else _today()
    sql = ("SELECT e.* FROM register_entries e LEFT JOIN routing_recalls r ON r.entry_event = e.event_id"
           " WHERE e.so_den IS NOT NULL AND r.id IS NULL")
    params: list[Any] = []
    if year is not None:
        sql += " AND e.year = ?"
        params.append(year)
    queued = _queued(db)
    out = []
    for r in db.query(sql + " ORDER BY e.year, e.so_den", params):
        e = overlay(dict(r), queued)
        if e["status"] == "cancelled" or (e["status"] == "registered" and not e.get("han_giai_quyet")):
            continue
        due = None
        if e.get("han_giai_quyet"):
            try:
                due = delegation.parse_date(e["han_giai_quyet"])
            except InvalidInput:
                due = None
        late = due is not None and due < day and e["status"] != "done"
        if overdue_only and not late:
            continue
        tr = db.execute("SELECT reply_symbol, progress_note FROM routing_tracking WHERE entry_event = ?",
                        [e["event_id"]]).fetchone()
        progress = STATUS_LABELS.get(e["status"], e["status"])
        if e["pending"]:
            progress += " (chờ đồng bộ)"
        if late:
            progress += f" - quá hạn {(day - due).days} ngày"
        if tr and tr[1]:
            progress += f"; {tr[1]}"
        out.append({
            "so_den": e["so_den"], "year": e["year"], "van_ban": _doc_desc(e),
            "don_vi_nhan": e.get("don_vi_nhan") or "", "thoi_han": delegation.fmt_date(due) if due else "",
            "tien_do": progress, "so_ky_hieu_tra_loi": (tr[0] if tr else None) or "", "ghi_chu": e.get("ghi_chu") or "",
            "status": e["status"], "overdue": late, "days_overdue": (day - due).days if late else 0,
            "trich_yeu": e.get("trich_yeu"), "deadline": due.isoformat() if due else None,
            "pending": e["pending"], "pending_note": e["pending_note"],
        })
    return out


def overdue(db: sqlite_utils.Database, on: dt.date | str | None = None) -> list[dict]:
    """Documents past their deadline on ``on`` and not yet Hoàn thành."""
    return tracking_rows(db, on, overdue_only=True)


def _cells(row: dict) -> list[str]:
    return [str(row["so_den"]), row["van_ban"] + (f": {row['trich_yeu']}" if row.get("trich_yeu") else ""),
            row["don_vi_nhan"], row["thoi_han"], row["tien_do"], row["so_ky_hieu_tra_loi"], row["ghi_chu"]]


def _title(db: sqlite_utils.Database, on: dt.date) -> tuple[str, str]:
    return ("SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
            f"{settings.get(db, 'agency_name') or ''} - ngày {on.strftime('%d/%m/%Y')}")


def export_xlsx(db: sqlite_utils.Database, rows: Iterable[dict], path: Path | str,
                on: dt.date | str | None = None) -> Path:
    """The tracking book as an Excel file (openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    day = delegation.parse_date(on) if on is not None else _today()
    wb = Workbook()
    ws = wb.active
    ws.title = "Theo dõi giải quyết"
    title, sub = _title(db, day)
    ws.append([title])
    ws.append([sub])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(list(TRACKING_COLUMNS))
    ws.append([f"({i})" for i in range(1, 8)])
    for c in ws[4]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in rows:
        ws.append(_cells(row))
    for col, width in zip("ABCDEFG", (8, 50, 30, 14, 26, 22, 24), strict=False):
        ws.column_dimensions[col].width = width
    for r in ws.iter_rows(min_row=6):
        for c in r:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    p = Path(path)
    wb.save(p)
    return p


def _font_paths() -> tuple[Path, Path | None]:
    """(regular, bold or None): the bundled fonts, else DejaVu Sans."""
    from camau_desk.paths import resources_dir

    fonts = sorted((resources_dir() / "fonts").glob("*.ttf"))
    regular = [f for f in fonts if "bold" not in f.name.lower() and "italic" not in f.name.lower()]
    bold = [f for f in fonts if "bold" in f.name.lower() and "italic" not in f.name.lower()]
    if regular:
        return regular[0], (bold[0] if bold else None)
    fallback = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if fallback.exists():
        fb_bold = fallback.with_name("DejaVuSans-Bold.ttf")
        return fallback, (fb_bold if fb_bold.exists() else None)
    raise NotFound("Không tìm thấy phông chữ Unicode (.ttf) để xuất PDF tiếng Việt.")


def export_pdf(db: sqlite_utils.Database, rows: Iterable[dict], path: Path | str,
               on: dt.date | str | None = None) -> Path:
    """The tracking book as a PDF (fpdf2 with a Unicode TrueType font, landscape A4)."""
    from fpdf import FPDF

    day = delegation.parse_date(on) if on is not None else _today()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    regular, bold = _font_paths()
    pdf.add_font("vn", "", str(regular))
    if bold is not None:
        pdf.add_font("vn", "B", str(bold))
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    title, sub = _title(db, day)
    pdf.set_font("vn", size=13)
    pdf.cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("vn", size=10)
    pdf.cell(0, 6, sub, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("vn", size=8)
    widths = (14, 80, 45, 22, 40, 30, 40)
    from fpdf.fonts import FontFace

    heading = FontFace(emphasis="BOLD" if bold is not None else None)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5, headings_style=heading) as table:
        head = table.row()
        for h in TRACKING_COLUMNS:
            head.cell(h)
        for row in rows:
            r = table.row()
            for v in _cells(row):
                r.cell(v)
    p = Path(path)
    pdf.output(str(p))
    return p
