"""The four daily checks with an injected clock (R5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from camau_desk.schedule import (
    VN_TZ,
    Schedule,
    Slot,
    due_checks,
    next_check,
    parse_hhmm,
    parse_holiday,
    working_slots,
)

pytestmark = pytest.mark.unit

MON = date(2025, 3, 3)  # a Monday


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=VN_TZ)


def test_R5_checks_fire_at_the_four_times_on_a_working_day():
    fired = []
    log: list[str] = []
    t = at(MON, 6, 0)
    while t < at(MON, 18, 0):
        for d in due_checks(t, log):
            assert d.kind == "on_time"
            fired.append(d.slot.hhmm)
            log.append(d.slot.key)
        t += timedelta(minutes=1)
    assert fired == ["07:00", "09:00", "13:00", "15:00"]


def test_R5_nothing_due_before_the_first_slot_or_when_logged():
    assert due_checks(at(MON, 6, 59), []) == []
    assert [d.slot.key for d in due_checks(at(MON, 7, 0), [])] == ["2025-03-03T07:00"]
    assert due_checks(at(MON, 7, 5), ["2025-03-03T07:00"]) == []
    assert due_checks(at(MON, 8), [{"slot": "2025-03-03T07:00"}]) == []


@pytest.mark.parametrize("offset", [5, 6])  # Saturday, Sunday
def test_R5_weekend_is_skipped(offset):
    day = MON + timedelta(days=offset)
    assert due_checks(at(day, 16), []) == []
    assert next_check(at(MON + timedelta(days=4), 15, 30)) == at(MON + timedelta(days=7), 7)


def test_R5_holidays_are_skipped_in_both_notations():
    sched = Schedule.from_settings({"holidays": ["04/03/2025", "2025-03-05"]})
    assert due_checks(at(MON + timedelta(days=1), 10), [], sched) == []
    assert due_checks(at(MON + timedelta(days=2), 10), [], sched) == []
    assert next_check(at(MON, 16), sched) == at(MON + timedelta(days=3), 7)


def test_R5_missed_check_runs_at_start_marked_late_and_earlier_ones_missed():
    # PC off from 06:00 to 13:40: 07:00 and 09:00 are missed, 13:00 runs now, late.
    due = due_checks(at(MON, 13, 40), [])
    assert [(d.slot.hhmm, d.kind, d.runs) for d in due] == [
        ("07:00", "missed", False), ("09:00", "missed", False), ("13:00", "late", True)]


def test_R5_start_within_grace_is_on_time():
    assert [d.kind for d in due_checks(at(MON, 9, 9), ["2025-03-03T07:00"])] == ["on_time"]
    assert [d.kind for d in due_checks(at(MON, 9, 11), ["2025-03-03T07:00"])] == ["late"]


def test_R5_machine_time_zone_does_not_matter():
    utc_now = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)  # 07:00 in Cà Mau
    assert [d.slot.key for d in due_checks(utc_now, [])] == ["2025-03-03T07:00"]


def test_R5_next_check_sequence():
    assert next_check(at(MON, 7, 0)) == at(MON, 9)
    assert next_check(at(MON, 15, 0)) == at(MON + timedelta(days=1), 7)
    assert next_check(at(MON, 6)) == at(MON, 7)
    assert next_check(at(MON, 6), Schedule(working_days=frozenset())) is None


def test_R8_custom_times_and_days_from_settings():
    sched = Schedule.from_settings({"check_times": ["14:30", "08:00"], "working_days": [5]})
    assert [s.hhmm for s in sched.slots_on(MON + timedelta(days=5))] == ["08:00", "14:30"]
    assert sched.slots_on(MON) == []
    assert len(working_slots(MON, MON + timedelta(days=6))) == 20  # default: 5 days x 4


def test_parsers_refuse_bad_values():
    with pytest.raises(ValueError):
        parse_hhmm("7h")
    with pytest.raises(ValueError):
        parse_hhmm("24:00")
    with pytest.raises(ValueError):
        parse_holiday("31/02/2025")
    assert parse_holiday("2/9/2025") == date(2025, 9, 2)
    assert Slot.from_key("2025-03-03T07:00").at == at(MON, 7)
