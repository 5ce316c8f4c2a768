"""Register numbering by log position (R7.1a-1, ND30 Đ22: số đến liên tiếp, từ 01 mỗi năm)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camau_desk.register.replay import (
    Cancel,
    Change,
    NewEntry,
    RegisterIntegrityError,
    ReplayState,
    check_complete,
    fold_entries,
    replay,
)

pytestmark = pytest.mark.unit


def ev(etype: str = "register", year: int = 2026, claim: int | None = None, target: str | None = None,
       entry: dict | None = None, at: str = "2026-03-04T08:00:00+07:00", eid: str | None = None) -> dict:
    return {"v": 1, "type": etype, "event_id": eid or str(uuid.uuid4()), "year": year, "claim": claim,
            "at": at, "user": "vanthu", "workstation": "pc1", "entry": entry or {}, "target": target}


def numbered(effects) -> list[tuple[str, int, int]]:
    return [(e.event_id, e.year, e.number) for e in effects if isinstance(e, NewEntry)]


def test_R7_1a_1_numbers_follow_uid_order_per_year_gap_free():
    events = [(uid, ev(claim=1)) for uid in (5, 2, 9, 3)]
    state, effects = replay(events)
    assert [n for _, _, n in numbered(effects)] == [1, 2, 3, 4]
    # sorted by UID: uid 2 -> 1, 3 -> 2, 5 -> 3, 9 -> 4
    by_uid = {e.uid: e.number for e in effects}
    assert by_uid == {2: 1, 3: 2, 5: 3, 9: 4}
    assert state.counters == {2026: 4}


def test_R7_1a_1_lost_race_claims_lower_and_needs_no_retry():
    """Two desks both claim 3 knowing 2 entries; both events stand, numbers 3 and 4."""
    base = [(1, ev(claim=1)), (2, ev(claim=2))]
    a, b = ev(claim=3), ev(claim=3)
    _, effects = replay(base + [(3, a), (4, b)])
    nums = {e.event_id: e.number for e in effects}
    assert nums[a["event_id"]] == 3 and nums[b["event_id"]] == 4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from([2025, 2026])), min_size=1, max_size=40),
       st.randoms(use_true_random=False))
def test_R7_1a_1_any_interleaving_of_writers_gives_unique_consecutive_numbers(writes, rnd):
    """Whatever order desks' APPENDs land in, each year is numbered 1..n exactly once."""
    uids = rnd.sample(range(1, 10_000), len(writes))
    events = [(uid, ev(year=year, claim=1)) for uid, (_, year) in zip(uids, writes)]
    _, effects = replay(events)
    for year in (2025, 2026):
        nums = sorted(e.number for e in effects if isinstance(e, NewEntry) and e.year == year)
        assert nums == list(range(1, len(nums) + 1))
    # the same log replayed in another order of arrival gives the same numbers
    _, again = replay(list(reversed(events)))
    assert numbered(again) == numbered(effects)


def test_R7_1a_1_year_boundary_late_event_of_old_year_takes_old_book_next_number():
    """31/12 23:59 registered on one desk, appended after 01/01 00:00 from another."""
    events = [
        (1, ev(year=2025, claim=1, at="2025-12-31T10:00:00+07:00")),
        (2, ev(year=2026, claim=1, at="2026-01-01T00:00:05+07:00")),
        (3, ev(year=2025, claim=2, at="2025-12-31T23:59:59+07:00")),
        (4, ev(year=2026, claim=2, at="2026-01-01T07:30:00+07:00")),
    ]
    _, effects = replay(events)
    assert [(y, n) for _, y, n in numbered(effects)] == [(2025, 1), (2026, 1), (2025, 2), (2026, 2)]


def test_R7_1a_1_cancelled_entry_keeps_its_number():
    a, b = ev(claim=1), ev(claim=2)
    cancel = ev("cancel", target=a["event_id"], entry={"reason": "vào sổ nhầm"})
    c = ev(claim=3)
    _, effects = replay([(1, a), (2, b), (3, cancel), (4, c)])
    entries = fold_entries(effects)
    assert entries[a["event_id"]]["status"] == "cancelled"
    assert entries[a["event_id"]]["so_den"] == 1
    assert entries[a["event_id"]]["cancel_reason"] == "vào sổ nhầm"
    assert entries[c["event_id"]]["so_den"] == 3
    assert any(isinstance(e, Cancel) for e in effects)


def test_R7_1a_1_correction_shows_latest_values_and_keeps_history_but_not_number():
    a = ev(claim=1, entry={"trich_yeu": "Về việc cũ", "tac_gia": "Sở Tài chính"})
    fix1 = ev("correct", target=a["event_id"], entry={"trich_yeu": "Về việc mới", "so_den": 99, "year": 1999})
    fix2 = ev("correct", target=a["event_id"], entry={"tac_gia": "Sở Nội vụ"})
    _, effects = replay([(1, a), (2, fix1), (3, fix2)])
    e = fold_entries(effects)[a["event_id"]]
    assert e["fields"]["trich_yeu"] == "Về việc mới" and e["fields"]["tac_gia"] == "Sở Nội vụ"
    assert (e["year"], e["so_den"]) == (2026, 1)
    assert [h["old"] for h in e["history"]] == [{"trich_yeu": "Về việc cũ"}, {"tac_gia": "Sở Tài chính"}]
    assert all(isinstance(x, Change) for x in effects[1:])


def test_duplicate_copy_of_an_event_takes_no_number():
    """An APPEND retried after its answer was lost leaves two copies: only the first counts."""
    a = ev(claim=1)
    b = ev(claim=2)
    _, effects = replay([(1, a), (2, dict(a)), (3, b)])
    assert [n for _, _, n in numbered(effects)] == [1, 2]


def test_tamper_deleted_event_is_detected_by_claim():
    events = [(1, ev(claim=1)), (2, ev(claim=2)), (3, ev(claim=3))]
    with pytest.raises(RegisterIntegrityError, match="mất 1 sự kiện"):
        replay([events[0], events[2]])


def test_tamper_local_number_disagreeing_is_never_renumbered():
    a, b = ev(claim=None), ev(claim=None)
    known = {a["event_id"]: (2026, 1), b["event_id"]: (2026, 2)}
    state, _ = replay([(1, a), (2, b)], known=known)
    check_complete(state, known)
    # someone reordered the folder (re-appended a after b): a would become 2
    with pytest.raises(RegisterIntegrityError, match="1/2026"):
        replay([(1, b), (2, a)], known=known)


def test_tamper_missing_known_event_after_full_reread():
    a, b = ev(), ev()
    known = {a["event_id"]: (2026, 1), b["event_id"]: (2026, 2)}
    state, _ = replay([(1, a)], known=known)
    with pytest.raises(RegisterIntegrityError, match="không còn trong thư mục"):
        check_complete(state, known)


def test_malformed_event_and_orphan_correction_are_integrity_errors():
    with pytest.raises(RegisterIntegrityError):
        replay([(1, {"v": 1, "type": "register"})])
    with pytest.raises(RegisterIntegrityError):
        replay([(1, ev("correct", target="nope", entry={"x": 1}))])


def test_unknown_future_event_types_are_skipped():
    _, effects = replay([(1, ev("delegation")), (2, ev(claim=1))])
    assert [n for _, _, n in numbered(effects)] == [1]


def test_incremental_replay_equals_full_replay():
    events = [(uid, ev(year=2025 + uid % 2)) for uid in range(1, 30)]
    full_state, full = replay(events)
    state = ReplayState()
    inc = []
    for chunk in (events[:7], events[7:8], events[8:]):
        state, eff = replay(chunk, state=state)
        inc += eff
    assert numbered(inc) == numbered(full) and state.counters == full_state.counters
    with pytest.raises(RegisterIntegrityError):  # UIDs must keep increasing
        replay([(3, ev())], state=state)
