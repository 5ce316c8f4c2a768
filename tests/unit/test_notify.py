"""Tray notification text: urgent documents first, then per-mailbox counts (R5, DOMAIN 3.2)."""

from __future__ import annotations

import pytest

from camau_desk import notify

pytestmark = pytest.mark.unit


def _result(urgent, boxes, kind="on_time", slot="2025-03-03T07:00"):
    return {"urgent": urgent, "mailboxes": boxes, "kind": kind, "slot": slot}


def test_R5_urgent_document_comes_first_in_the_summary():
    urgent = [
        {"id": 2, "account": "coquan", "subject": "Về việc họp", "from_name": "UBND tỉnh", "urgency": "Khẩn"},
        {"id": 3, "account": "coquan", "subject": "Phòng chống bão số 3", "from_name": "Ban CHPCTT",
         "urgency": "Hỏa tốc"},
    ]
    title, body = notify.check_summary(_result(urgent, [
        {"account": "coquan", "new": 5, "errors": []},
        {"account": "donvi1", "new": 0, "errors": []},
    ]))
    assert title == "Có 2 văn bản khẩn cần chuyển ngay"
    lines = body.splitlines()
    assert lines[0] == "HỎA TỐC: Phòng chống bão số 3 (Ban CHPCTT, coquan)"
    assert lines[1].startswith("KHẨN: Về việc họp")
    assert lines[2:] == ["coquan: 5 thư mới", "donvi1: không có thư mới"]


def test_R5_summary_without_urgent_counts_per_mailbox_and_errors():
    title, body = notify.check_summary(_result([], [{"account": "a", "new": 3, "errors": []}], kind="late"))
    assert title == "Kiểm tra hộp thư lúc 07:00 (trễ giờ): 3 thư mới"
    title, body = notify.check_summary(_result([], [{"account": "a", "new": 0, "errors": ["Mất kết nối"]}]))
    assert "1 hộp thư bị lỗi" in title and body == "a: lỗi - Mất kết nối"


def test_urgent_text_ranks_and_caps():
    rows = [{"id": i, "subject": f"VB {i}", "urgency": "Thượng khẩn"} for i in range(8)]
    rows.append({"id": 99, "subject": "x", "urgency": None})
    title, body = notify.urgent_text(rows)
    assert title.startswith("Có 8 văn bản khẩn")
    assert body.splitlines()[-1] == "... và 3 văn bản khẩn khác"
    assert notify.urgent_text([{"id": 1, "urgency": None}]) is None
    assert notify.urgency_rank("HỎA TỐC") == 0 and not notify.is_urgent("khẩn trương")
