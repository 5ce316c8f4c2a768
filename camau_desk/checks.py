"""Running a check of every mailbox, the check log and the monthly compliance report (R5).

Why a log of its own: Đ5 asks for four checks a working day, and the Office
must be able to show that they happened.  A run row is written (and committed)
*before* the mailboxes are synced, so a crash mid-check still leaves evidence
that it started; each mailbox then gets its row with what it brought.  The
sync function is injected so tests (and the UI's worker) choose how mail is
fetched; the core never waits on the UI.

"New documents" are new, non-spam messages the sync stored (message rows with
a higher id than before the sync); "urgent" are those marked Hỏa tốc, Thượng
khẩn or Khẩn (``messages.urgency``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk import accounts as accounts_mod
from camau_desk import audit, notify, settings
from camau_desk.errors import CamauError, InvalidInput, StorageError
from camau_desk.paths import resources_dir
from camau_desk.schedule import DueSlot, Schedule, Slot, due_checks, kind_for, working_slots
from camau_desk.store.db import transaction
from camau_desk.vn.clock import VN_TZ, to_vn

Clock = Callable[[], datetime]
SyncFn = Callable[..., Any]

KIND_VI = {"on_time": "Đúng giờ", "late": "Trễ giờ", "missed": "Bỏ lỡ", "manual": "Kiểm tra ngay"}
RESULT_VI = {"ok": "Thành công", "error": "Có lỗi", "missed": "Không kiểm tra", "running": "Đang chạy"}
WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def vn_now() -> datetime:
    return datetime.now(VN_TZ)


def _iso(t: datetime) -> str:
    return to_vn(t).isoformat(timespec="seconds")


def _default_sync() -> SyncFn:
    from camau_desk.mail.sync import sync_account

    return sync_account


# --------------------------------------------------------------------- results
@dataclass
class MailboxCheck:
    account: str
    new: int = 0
    urgent: int = 0
    errors: list[str] = field(default_factory=list)
    started: str = ""
    finished: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"account": self.account, "new": self.new, "urgent": self.urgent, "errors": list(self.errors),
                "started": self.started, "finished": self.finished}


@dataclass
class CheckResult:
    """One check of every server mailbox: what the tray and `check --json` show."""

    run_id: int
    kind: str  # on_time | late | manual
    slot: str | None
    started: str
    finished: str = ""
    user: str = ""
    workstation: str = ""
    mailboxes: list[MailboxCheck] = field(default_factory=list)
    urgent: list[dict[str, Any]] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # slots recorded as missed before this run

    @property
    def new(self) -> int:
        return sum(b.new for b in self.mailboxes)

    @property
    def urgent_count(self) -> int:
        return len(self.urgent)

    @property
    def ok(self) -> bool:
        return not any(b.errors for b in self.mailboxes)

    @property
    def errors(self) -> list[str]:
        return [f"{b.account}: {e}" for b in self.mailboxes for e in b.errors]

    def summary(self) -> tuple[str, str]:
        return notify.check_summary(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "kind": self.kind, "slot": self.slot, "started": self.started,
            "finished": self.finished, "user": self.user, "workstation": self.workstation,
            "new": self.new, "urgent_count": self.urgent_count, "ok": self.ok,
            "mailboxes": [b.as_dict() for b in self.mailboxes], "urgent": list(self.urgent),
            "missed": list(self.missed),
        }


# --------------------------------------------------------------------- queries
def current_schedule(db: sqlite_utils.Database) -> Schedule:
    return Schedule.from_settings(settings.all_settings(db))


def server_accounts(db: sqlite_utils.Database) -> list[accounts_mod.Account]:
    """Every mailbox that has a server (local and archive accounts have nothing to check)."""
    return [a for a in accounts_mod.list_accounts(db) if not a.is_local and a.imap_host]


def logged_slots(db: sqlite_utils.Database, day: date) -> list[str]:
    """Slot keys of ``day`` that already have a run (any kind)."""
    prefix = day.isoformat() + "T"
    return [r[0] for r in db.execute("SELECT DISTINCT slot FROM check_runs WHERE slot LIKE ?", [prefix + "%"])]


def max_message_id(db: sqlite_utils.Database) -> int:
    """Remember this before a sync; ``new_message_ids`` after it gives what the sync stored."""
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM messages").fetchone()[0])


def new_message_ids(db: sqlite_utils.Database, after_id: int, account: str | None = None,
                    *, include_spam: bool = False) -> list[int]:
    sql = "SELECT id FROM messages WHERE id > ?"
    params: list[Any] = [after_id]
    if account is not None:
        sql += " AND account = ?"
        params.append(account)
    if not include_spam:
        sql += " AND COALESCE(spam_override, is_spam) = 0"
    return [r[0] for r in db.execute(sql + " ORDER BY id", params)]


def urgent_messages(db: sqlite_utils.Database, ids: Iterable[int]) -> list[dict[str, Any]]:
    """Of the given (newly stored) message ids, the urgent ones, most urgent first.

    Spam is never urgent.  The tray shows ``notify.urgent_text(rows)`` for them,
    whatever the schedule (a sync from IDLE counts as much as a check).
    """
    ids = list(ids)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        marks = ",".join("?" * len(part))
        rows += [dict(r) for r in db.query(
            "SELECT id, account, subject, from_addr, from_name, urgency, received_at FROM messages"  # noqa: S608
            f" WHERE id IN ({marks}) AND urgency IS NOT NULL AND COALESCE(spam_override, is_spam) = 0", part)]
    return [dict(r) for r in notify.sort_urgent(rows)]


def urgent_since(db: sqlite_utils.Database, after_id: int) -> tuple[list[dict[str, Any]], tuple[str, str] | None]:
    """Urgent documents stored after ``after_id`` and the notification text (None if none)."""
    rows = urgent_messages(db, new_message_ids(db, after_id))
    return rows, notify.urgent_text(rows)


# ----------------------------------------------------------------- running it
def _start_run(db: sqlite_utils.Database, slot: str | None, kind: str, started: str, user: str, ws: str) -> int:
    with transaction(db):
        cur = db.execute(
            "INSERT INTO check_runs (slot, kind, started, user, workstation, result) VALUES (?, ?, ?, ?, ?, 'running')",
            [slot, kind, started, user, ws])
        return int(cur.lastrowid)


def record_missed(db: sqlite_utils.Database, slot: Slot | str, *, clock: Clock = vn_now,
                  user: str | None = None) -> int:
    """Log a slot that passed while the PC was off, without checking (see schedule.py)."""
    key = slot.key if isinstance(slot, Slot) else slot
    now = _iso(clock())
    with transaction(db):
        cur = db.execute(
            "INSERT INTO check_runs (slot, kind, started, finished, user, workstation, result, error)"
            " VALUES (?, 'missed', ?, ?, ?, ?, 'missed', ?)",
            [key, now, now, user or audit.current_user(), audit.workstation(),
             "Máy tính tắt hoặc ngủ vào giờ kiểm tra."])
        return int(cur.lastrowid)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, CamauError):
        return exc.message
    return f"Lỗi không mong đợi khi kiểm tra hộp thư ({type(exc).__name__})."


def run_check(
    db: sqlite_utils.Database,
    blobs: Any,
    *,
    slot: Slot | str | None = None,
    kind: str = "manual",
    sync: SyncFn | None = None,
    clock: Clock = vn_now,
    accounts: Sequence[accounts_mod.Account] | None = None,
    user: str | None = None,
    sync_kwargs: dict[str, Any] | None = None,
) -> CheckResult:
    """Sync every server mailbox once and log it; never raises for a mailbox's trouble.

    ``kind``: 'manual' (Kiểm tra ngay, `check`), 'scheduled' (logged as on time,
    or late when started after the grace period) or 'late'.  Must not be called
    inside a transaction: the sync commits chunk by chunk.
    """
    if kind not in ("manual", "scheduled", "late", "on_time"):
        raise InvalidInput(f"Kiểu kiểm tra '{kind}' không hợp lệ.")
    sync = sync or _default_sync()
    slot_obj = Slot.from_key(slot) if isinstance(slot, str) else slot
    started_at = clock()
    if slot_obj is None:
        stored_kind = "manual"
    elif kind == "late":
        stored_kind = "late"
    else:
        stored_kind = kind_for(slot_obj, started_at)
    user = user or audit.current_user()
    ws = audit.workstation()
    result = CheckResult(run_id=0, kind=stored_kind, slot=slot_obj.key if slot_obj else None,
                         started=_iso(started_at), user=user, workstation=ws)
    result.run_id = _start_run(db, result.slot, stored_kind, result.started, user, ws)
    targets = list(accounts) if accounts is not None else server_accounts(db)
    for account in targets:
        box = MailboxCheck(account=account.name, started=_iso(clock()))
        before = max_message_id(db)
        try:
            sres = sync(db, blobs, account, **(sync_kwargs or {}))
            box.errors.extend(getattr(sres, "errors", None) or [])
        except Exception as exc:  # noqa: BLE001 - one broken mailbox must not stop the others
            box.errors.append(_error_text(exc))
        new_ids = new_message_ids(db, before, account.name)
        urgent = urgent_messages(db, new_ids)
        box.new, box.urgent = len(new_ids), len(urgent)
        box.finished = _iso(clock())
        result.urgent.extend(urgent)
        result.mailboxes.append(box)
        with transaction(db):
            db.execute(
                "INSERT INTO check_mailboxes (run, mailbox, started, finished, new_documents, urgent_count,"
                " result, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [result.run_id, box.account, box.started, box.finished, box.new, box.urgent,
                 "error" if box.errors else "ok", "\n".join(box.errors) or None])
    result.urgent = [dict(r) for r in notify.sort_urgent(result.urgent)]
    result.finished = _iso(clock())
    with transaction(db):
        db.execute(
            "UPDATE check_runs SET finished = ?, new_documents = ?, urgent_count = ?, result = ?, error = ?"
            " WHERE id = ?",
            [result.finished, result.new, result.urgent_count, "ok" if result.ok else "error",
             "\n".join(result.errors) or None, result.run_id])
    return result


def plan(db: sqlite_utils.Database, now: datetime) -> list[DueSlot]:
    """``due_checks`` for ``now`` with this profile's settings and log."""
    return due_checks(now, logged_slots(db, to_vn(now).date()), current_schedule(db))


def run_due(db: sqlite_utils.Database, blobs: Any, *, sync: SyncFn | None = None, clock: Clock = vn_now,
            **kw: Any) -> CheckResult | None:
    """What the scheduler calls every tick: log missed slots, run the due one (or nothing).

    Safe to call often (at start, after sleep, every 30 s): a slot already in
    the log is never run twice.
    """
    due = plan(db, clock())
    missed = [d.slot.key for d in due if not d.runs]
    for key in missed:
        record_missed(db, key, clock=clock)
    to_run = [d for d in due if d.runs]
    if not to_run:
        return None
    d = to_run[-1]
    result = run_check(db, blobs, slot=d.slot, kind="late" if d.kind == "late" else "scheduled",
                       sync=sync, clock=clock, **kw)
    result.missed = missed
    return result


# ------------------------------------------------------------------------- log
def check_log(db: sqlite_utils.Database, *, limit: int | None = 100, month: str | None = None) -> list[dict[str, Any]]:
    """Newest runs first, each with its mailboxes."""
    sql = "SELECT * FROM check_runs"
    params: list[Any] = []
    if month:
        first, last = month_bounds(month)
        sql += " WHERE COALESCE(slot, substr(started, 1, 10)) BETWEEN ? AND ?"
        params += [first.isoformat(), last.isoformat() + "T99"]
    sql += " ORDER BY started DESC, id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    runs = [dict(r) for r in db.query(sql, params)]
    for run in runs:
        run["mailboxes"] = [dict(m) for m in db.query(
            "SELECT mailbox, started, finished, new_documents, urgent_count, result, error FROM check_mailboxes"
            " WHERE run = ? ORDER BY id", [run["id"]])]
    return runs


# ---------------------------------------------------------------------- report
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(month: str) -> tuple[date, date]:
    m = _MONTH.match(month or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InvalidInput(f"Tháng '{month}' không hợp lệ: dùng dạng YYYY-MM, ví dụ 2025-03.")
    y, mo = int(m.group(1)), int(m.group(2))
    return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])


def monthly_report(db: sqlite_utils.Database, month: str, *, now: datetime | None = None,
                   schedule: Schedule | None = None) -> list[dict[str, Any]]:
    """One row per working day and slot of ``month`` that has passed: on time, late or missed.

    A passed slot with no run in the log is missed.  The grid uses the current
    settings (times, working days, holidays).
    """
    first, last = month_bounds(month)
    now = to_vn(now or vn_now())
    schedule = schedule or current_schedule(db)
    runs: dict[str, dict[str, Any]] = {}
    for r in db.query("SELECT * FROM check_runs WHERE slot BETWEEN ? AND ? ORDER BY id",
                      [first.isoformat(), last.isoformat() + "T99"]):
        prev = runs.get(r["slot"])
        if prev is None or (prev["kind"] == "missed" and r["kind"] != "missed"):
            runs[r["slot"]] = dict(r)
    rows: list[dict[str, Any]] = []
    for slot in working_slots(first, last, schedule):
        if slot.at > now:
            break
        run = runs.get(slot.key)
        status = run["kind"] if run else "missed"
        rows.append({
            "date": slot.day.strftime("%d/%m/%Y"),
            "weekday": WEEKDAY_VI[slot.day.weekday()],
            "slot": slot.hhmm,
            "status": status,
            "status_vi": KIND_VI[status],
            "started": (run or {}).get("started") if status != "missed" else None,
            "user": (run or {}).get("user") if status != "missed" else None,
            "workstation": (run or {}).get("workstation") if status != "missed" else None,
            "new_documents": (run or {}).get("new_documents", 0) if status != "missed" else 0,
            "urgent_count": (run or {}).get("urgent_count", 0) if status != "missed" else 0,
            "result": RESULT_VI.get((run or {}).get("result", "missed"), ""),
            "error": (run or {}).get("error") if run else None,
        })
    return rows


def report_totals(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    totals = {"slots": len(rows), "on_time": 0, "late": 0, "missed": 0}
    for r in rows:
        totals[r["status"]] = totals.get(r["status"], 0) + 1
    return totals


REPORT_COLUMNS = (
    ("date", "Ngày"), ("weekday", "Thứ"), ("slot", "Giờ"), ("status_vi", "Tình trạng"),
    ("started", "Bắt đầu"), ("user", "Người kiểm tra"), ("workstation", "Máy"),
    ("new_documents", "Văn bản mới"), ("urgent_count", "Khẩn"), ("result", "Kết quả"),
)


def _title(db: sqlite_utils.Database | None, month: str) -> str:
    agency = settings.get(db, "agency_name") if db is not None else ""
    y, m = month.split("-")
    return f"Báo cáo kiểm tra hộp thư tháng {m}/{y}" + (f" - {agency}" if agency else "")


def _totals_line(rows: Sequence[dict[str, Any]]) -> str:
    t = report_totals(rows)
    return (f"Tổng số lượt theo lịch: {t['slots']}; đúng giờ: {t['on_time']}; trễ giờ: {t['late']}; "
            f"bỏ lỡ: {t['missed']} (Quy chế Đ5: kiểm tra ít nhất bốn lần mỗi ngày làm việc).")


def export_xlsx(rows: Sequence[dict[str, Any]], path: Path | str, month: str,
                db: sqlite_utils.Database | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = f"Kiểm tra {month}"
    ws.append([_title(db, month)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_totals_line(rows)])
    ws.append([])
    ws.append([label for _, label in REPORT_COLUMNS])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([r.get(k) for k, _ in REPORT_COLUMNS])
    for col, width in zip("ABCDEFGHIJ", (12, 10, 7, 14, 26, 18, 16, 12, 7, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as exc:
        raise StorageError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from exc
    return path


def report_font() -> Path:
    """A Unicode TTF for the PDF: the bundled one, else DejaVu Sans."""
    fonts = resources_dir() / "fonts"
    bundled = sorted(fonts.glob("*Regular*.ttf")) or sorted(fonts.glob("*.ttf"))
    if bundled:
        return bundled[0]
    fallback = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if fallback.exists():
        return fallback
    raise StorageError("Không tìm thấy phông chữ Unicode để xuất PDF (resources/fonts).")


def export_pdf(rows: Sequence[dict[str, Any]], path: Path | str, month: str,
               db: sqlite_utils.Database | None = None) -> Path:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    path = Path(path)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("Report", fname=str(report_font()))
    pdf.add_page()
    pdf.set_font("Report", size=13)
    pdf.multi_cell(0, 7, _title(db, month), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Report", size=9)
    pdf.multi_cell(0, 5, _totals_line(rows), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = (22, 18, 12, 24, 42, 34, 34, 20, 12, 24)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5, first_row_as_headings=True,
                   headings_style=FontFace(emphasis="", fill_color=(225, 225, 225))) as table:
        table.row([label for _, label in REPORT_COLUMNS])
        for r in rows:
            table.row(["" if r.get(k) is None else str(r.get(k)) for k, _ in REPORT_COLUMNS])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pdf.output(str(path))
    except OSError as exc:
        raise StorageError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from exc
    return path
