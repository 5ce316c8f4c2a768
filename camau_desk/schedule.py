"""The four daily checks (R5): when a check is due, pure and with an injected clock.

Decisions (see docs/checks-and-handover.md):

* **Time zone.** Check times are Vietnam office hours, so they are read in
  Asia/Ho_Chi_Minh (UTC+7, no daylight saving: a fixed offset, no tz database
  needed on Windows), whatever the PC's own time zone says.  A naive ``now``
  is taken to be Vietnam time already.
* **Working days.** ``working_days`` (0 = Monday ... 6 = Sunday, default
  Monday-Friday) minus the agency's ``holidays`` (``dd/mm/yyyy`` or ISO dates).
* **On time.** A scheduled check that starts within ``GRACE`` (10 minutes) of
  its slot is on time; later it is *late*.
* **Missed slots.** If the PC was off or asleep, only the latest slot of the
  current day that has passed without a check runs (as soon as the app starts
  or wakes up, marked late); earlier passed slots of that day are recorded as
  *missed* without running (one check brings everything anyway).  Slots of
  earlier days are not caught up: the monthly report shows them as missed
  because no run names them.
* A slot counts as done when any run (on time, late or missed) names it; a
  manual check names no slot and never satisfies one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from camau_desk.vn.clock import VN_TZ, to_vn

GRACE = timedelta(minutes=10)
DEFAULT_TIMES = ("07:00", "09:00", "13:00", "15:00")
DEFAULT_WORKING_DAYS = (0, 1, 2, 3, 4)

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_hhmm(value: str) -> time:
    """'07:00' -> time(7, 0); anything else is a ValueError with the value named."""
    m = _HHMM.match(str(value).strip())
    if not m:
        raise ValueError(f"giờ kiểm tra '{value}' không đúng dạng HH:MM (ví dụ 07:00)")
    return time(int(m.group(1)), int(m.group(2)))


def parse_holiday(value: str) -> date:
    """A holiday as the agency writes it: 'dd/mm/yyyy' (Vietnamese order) or ISO 'yyyy-mm-dd'."""
    text = str(value).strip()
    m = _DMY.match(text)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"ngày nghỉ '{value}' không hợp lệ: dùng dd/mm/yyyy hoặc yyyy-mm-dd") from None


@dataclass(frozen=True)
class Schedule:
    """The agency's check rules, built from settings (R8: data, not code)."""

    times: tuple[time, ...] = tuple(parse_hhmm(t) for t in DEFAULT_TIMES)
    working_days: frozenset[int] = frozenset(DEFAULT_WORKING_DAYS)
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> Schedule:
        times = values.get("check_times") or DEFAULT_TIMES
        days = values.get("working_days")
        return cls(
            times=tuple(sorted({parse_hhmm(t) for t in times})),
            working_days=frozenset(int(d) for d in (DEFAULT_WORKING_DAYS if days is None else days)),
            holidays=frozenset(parse_holiday(h) for h in values.get("holidays") or ()),
        )

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays

    def slots_on(self, day: date) -> list[Slot]:
        if not self.is_working_day(day):
            return []
        return [Slot(datetime.combine(day, t, tzinfo=VN_TZ)) for t in self.times]


@dataclass(frozen=True, order=True)
class Slot:
    """One scheduled check: a working day and a time, in Vietnam time."""

    at: datetime

    @property
    def key(self) -> str:
        """'YYYY-MM-DDTHH:MM', what the check log stores."""
        return self.at.strftime("%Y-%m-%dT%H:%M")

    @property
    def day(self) -> date:
        return self.at.date()

    @property
    def hhmm(self) -> str:
        return self.at.strftime("%H:%M")

    @classmethod
    def from_key(cls, key: str) -> Slot:
        return cls(datetime.strptime(key, "%Y-%m-%dT%H:%M").replace(tzinfo=VN_TZ))


@dataclass(frozen=True)
class DueSlot:
    """A slot that needs action now: ``kind`` is 'on_time', 'late' (run it) or 'missed' (log only)."""

    slot: Slot
    kind: str

    @property
    def runs(self) -> bool:
        return self.kind != "missed"


def _done_keys(last_run_log: Iterable[Any]) -> set[str]:
    """Accept slot keys, Slots or log rows (dicts with a 'slot' key)."""
    keys: set[str] = set()
    for item in last_run_log:
        if isinstance(item, Slot):
            keys.add(item.key)
        elif isinstance(item, Mapping):
            if item.get("slot"):
                keys.add(str(item["slot"]))
        elif item:
            keys.add(str(item))
    return keys


def kind_for(slot: Slot, started: datetime) -> str:
    """'on_time' within GRACE of the slot, else 'late'."""
    return "on_time" if to_vn(started) - slot.at <= GRACE else "late"


def due_checks(now: datetime, last_run_log: Iterable[Any], schedule: Schedule | None = None) -> list[DueSlot]:
    """What to do at ``now`` given the slots already logged today.

    Returns the passed, unlogged slots of today in time order: all but the
    latest are 'missed' (record only), the latest is 'on_time' or 'late' (run).
    Empty on a weekend, a holiday, or when everything passed is logged.
    """
    schedule = schedule or Schedule()
    now = to_vn(now)
    done = _done_keys(last_run_log)
    passed = [s for s in schedule.slots_on(now.date()) if s.at <= now and s.key not in done]
    if not passed:
        return []
    *missed, latest = passed
    return [DueSlot(s, "missed") for s in missed] + [DueSlot(latest, kind_for(latest, now))]


def next_check(now: datetime, schedule: Schedule | None = None, *, horizon_days: int = 400) -> datetime | None:
    """The next slot strictly after ``now`` (Vietnam time), or None if no working day is configured."""
    schedule = schedule or Schedule()
    now = to_vn(now)
    for offset in range(horizon_days):
        for slot in schedule.slots_on(now.date() + timedelta(days=offset)):
            if slot.at > now:
                return slot.at
    return None


def working_slots(first: date, last: date, schedule: Schedule | None = None) -> list[Slot]:
    """Every slot of every working day from ``first`` to ``last`` inclusive (the report's grid)."""
    schedule = schedule or Schedule()
    out: list[Slot] = []
    day = first
    while day <= last:
        out.extend(schedule.slots_on(day))
        day += timedelta(days=1)
    return out
