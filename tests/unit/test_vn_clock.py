"""Việt Nam time for the dates a clerk reads (R5, R6.2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from camau_desk.vn.clock import VN_TZ, to_vn

pytestmark = pytest.mark.unit


def test_aware_times_are_converted_and_naive_ones_are_taken_as_viet_nam_time():
    utc = datetime(2026, 11, 8, 23, 52, tzinfo=UTC)
    assert to_vn(utc) == utc and (to_vn(utc).day, to_vn(utc).hour) == (9, 6)
    assert to_vn(datetime(2026, 11, 9, 6, 52)) == datetime(2026, 11, 9, 6, 52, tzinfo=VN_TZ)
    assert VN_TZ.utcoffset(None) == timedelta(hours=7)
