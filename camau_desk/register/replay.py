"""Numbers from the event log: the k-th register/paper event of year Y is số đến k.

Pure functions, no I/O (docs/register-log.md has the safety argument).  Every
workstation replays the same IMAP folder in UID order, so every workstation
computes the same numbers without talking to the others; the server's strictly
increasing UIDs are the only coordination.

Two alarms, both raised as :class:`RegisterIntegrityError` and never "fixed"
by renumbering:

* ``claim > position``: the writer had already seen ``claim - 1`` numbered
  events of that year before writing, so fewer events before it now means an
  event disappeared from the server folder;
* ``known`` disagrees: a number this workstation already recorded (and showed
  to a clerk) for an event is not what the replay gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from camau_desk.errors import CamauError

__all__ = [
    "NUMBERED_TYPES",
    "EVENT_TYPES",
    "PROTECTED_FIELDS",
    "RegisterIntegrityError",
    "NewEntry",
    "Change",
    "Cancel",
    "ReplayState",
    "validate_event",
    "apply_event",
    "replay",
    "check_complete",
    "fold_entries",
]

NUMBERED_TYPES = frozenset({"register", "paper"})
EVENT_TYPES = frozenset({"register", "paper", "correct", "cancel"})
#: Fields a correction may never change: the number and its book are the legal identity.
PROTECTED_FIELDS = frozenset({"year", "so_den", "event_id", "is_paper", "created_by", "workstation"})


class RegisterIntegrityError(CamauError):
    """The server log and the numbers already issued disagree: stop, tell a person, change nothing."""


@dataclass(frozen=True)
class NewEntry:
    event_id: str
    year: int
    number: int
    uid: int
    event: dict


@dataclass(frozen=True)
class Change:
    event_id: str
    target: str
    uid: int
    changes: dict
    event: dict


@dataclass(frozen=True)
class Cancel:
    event_id: str
    target: str
    uid: int
    reason: str
    event: dict


Effect = NewEntry | Change | Cancel


@dataclass
class ReplayState:
    """What a replay has learnt so far; continue it with more events of higher UID."""

    counters: dict[int, int] = field(default_factory=dict)  # year -> last number given
    numbers: dict[str, tuple[int, int]] = field(default_factory=dict)  # event_id -> (year, number)
    seen: set[str] = field(default_factory=set)
    cancelled: set[str] = field(default_factory=set)
    last_uid: int = 0
    known: Mapping[str, tuple[int, int]] = field(default_factory=dict)


def _fail(msg: str, detail: str) -> RegisterIntegrityError:
    return RegisterIntegrityError(
        f"Sổ văn bản đến trên máy chủ không khớp với số đã cấp: {msg} "
        "Chương trình không đánh lại số. Hãy báo quản trị hệ thống kiểm tra thư mục sổ trên máy chủ.",
        detail=detail,
    )


def validate_event(event: Any) -> dict:
    """The event if it has the shape of version 1; an integrity error otherwise."""
    if not isinstance(event, dict) or event.get("v") != 1:
        raise _fail("có một sự kiện không đọc được.", f"bad event: {event!r:.200}")
    eid, year, etype = event.get("event_id"), event.get("year"), event.get("type")
    if not isinstance(eid, str) or not eid or not isinstance(year, int) or not isinstance(etype, str):
        raise _fail("có một sự kiện thiếu mã, năm hoặc loại.", f"bad event: {event!r:.200}")
    claim = event.get("claim")
    if claim is not None and (not isinstance(claim, int) or claim < 1):
        raise _fail("có một sự kiện mang số dự kiến không hợp lệ.", f"bad claim: {event!r:.200}")
    if etype in ("correct", "cancel") and not isinstance(event.get("target"), str):
        raise _fail("có một sửa đổi không nói rõ sửa văn bản nào.", f"no target: {event!r:.200}")
    return event


def apply_event(state: ReplayState, uid: int, event: dict) -> list[Effect]:
    """Apply one event (UIDs strictly increasing) and return what it changes.

    A second copy of an event already seen (an APPEND retried after a lost
    answer) changes nothing and takes no number.  Unknown event types from a
    newer version are skipped so old workstations keep numbering correctly.
    """
    if uid <= state.last_uid:
        raise _fail("thứ tự sự kiện bị đảo.", f"uid {uid} after {state.last_uid}")
    state.last_uid = uid
    event = validate_event(event)
    eid, etype = event["event_id"], event["type"]
    if eid in state.seen:
        return []
    state.seen.add(eid)
    if etype in NUMBERED_TYPES:
        year = event["year"]
        number = state.counters.get(year, 0) + 1
        claim = event.get("claim")
        if claim is not None and claim > number:
            raise _fail(
                f"sự kiện của số dự kiến {claim}/{year} nay chỉ đứng thứ {number}: "
                f"đã mất {claim - number} sự kiện trên máy chủ.",
                f"event {eid} uid {uid} claim {claim} position {number}",
            )
        known = state.known.get(eid)
        if known is not None and tuple(known) != (year, number):
            raise _fail(
                f"văn bản đã được cấp số {known[1]}/{known[0]} nay lại ra số {number}/{year}.",
                f"event {eid} uid {uid} known {known} replay {(year, number)}",
            )
        state.counters[year] = number
        state.numbers[eid] = (year, number)
        return [NewEntry(eid, year, number, uid, event)]
    if etype in ("correct", "cancel"):
        target = event["target"]
        if target not in state.numbers:
            raise _fail("có một sửa đổi cho văn bản không có trong sổ.", f"event {eid} target {target}")
        if etype == "cancel":
            if target in state.cancelled:
                return []
            state.cancelled.add(target)
            return [Cancel(eid, target, uid, str((event.get("entry") or {}).get("reason") or ""), event)]
        changes = {k: v for k, v in (event.get("entry") or {}).items() if k not in PROTECTED_FIELDS}
        return [Change(eid, target, uid, changes, event)]
    return []


def replay(
    events: Iterable[tuple[int, dict]],
    known: Mapping[str, tuple[int, int]] | None = None,
    state: ReplayState | None = None,
) -> tuple[ReplayState, list[Effect]]:
    """Replay ``(uid, event)`` pairs (sorted here by UID) on ``state`` or from scratch."""
    if state is None:
        state = ReplayState(known=dict(known or {}))
    elif known is not None:
        state.known = dict(known)
    effects: list[Effect] = []
    for uid, event in sorted(events, key=lambda p: p[0]):
        effects.extend(apply_event(state, uid, event))
    return state, effects


def check_complete(state: ReplayState, known: Mapping[str, tuple[int, int]]) -> None:
    """After a full replay: every number issued locally must still be in the log."""
    missing = sorted((tuple(v), k) for k, v in known.items() if k not in state.numbers)
    if missing:
        (year, number), eid = missing[0]
        raise _fail(
            f"{len(missing)} văn bản đã có số (đầu tiên: {number}/{year}) không còn trong thư mục sổ.",
            f"missing events: {[m[1] for m in missing][:20]}",
        )


def fold_entries(effects: Iterable[Effect]) -> dict[str, dict]:
    """Entries keyed by event_id with their latest values and their history of changes."""
    entries: dict[str, dict] = {}
    for eff in effects:
        if isinstance(eff, NewEntry):
            entries[eff.event_id] = {
                "event_id": eff.event_id, "year": eff.year, "so_den": eff.number,
                "type": eff.event["type"], "fields": dict(eff.event.get("entry") or {}),
                "status": "registered", "cancel_reason": None, "history": [],
            }
        elif isinstance(eff, Change):
            e = entries[eff.target]
            old = {k: e["fields"].get(k) for k in eff.changes}
            e["fields"].update(eff.changes)
            if "status" in eff.changes and e["status"] != "cancelled":
                e["status"] = eff.changes["status"]
            e["history"].append({"event_id": eff.event_id, "old": old, "new": dict(eff.changes),
                                 "user": eff.event.get("user"), "at": eff.event.get("at")})
        elif isinstance(eff, Cancel):
            e = entries[eff.target]
            e["history"].append({"event_id": eff.event_id, "old": {"status": e["status"]},
                                 "new": {"status": "cancelled"}, "user": eff.event.get("user"),
                                 "at": eff.event.get("at")})
            e["status"], e["cancel_reason"] = "cancelled", eff.reason
    return entries
