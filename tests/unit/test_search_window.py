"""Search at scale: tiers (exact spelling first), the bm25 window and paging (R6.2, R6.3, issue 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_search import Corpus

from camau_desk.archive import search as search_mod
from camau_desk.archive.search import search
from camau_desk.errors import InvalidInput

pytestmark = pytest.mark.unit


@pytest.fixture
def many(tmp_path: Path) -> Corpus:
    c = Corpus(tmp_path)
    c.ascii_head = c.add("Quyet dinh nghi phep nam 2024", "Van ban khong dau.")
    c.exact_body = c.add("Thông báo", "Ban hành quyết định về lịch trực.")
    c.plans = [c.add(f"Kế hoạch số {i}", "Triển khai kế hoạch." + " kế hoạch" * (i % 3)) for i in range(9)]
    c.index()
    return c


def test_R6_2_exact_spelling_strictly_first(many: Corpus) -> None:
    """A body-only exact match outranks a header match written without diacritics."""
    ids = many.ids("quyết định")
    assert ids == [many.exact_body, many.ascii_head]
    assert set(many.ids("quyet dinh")) == {many.exact_body, many.ascii_head}


def test_window_pages_cover_every_match_once(many: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_mod, "RANK_WINDOW", 4)
    pages = [[h.id for h in search(many.db, "ke hoach", limit=3, offset=o)] for o in range(0, 12, 3)]
    flat = [i for p in pages for i in p]
    assert sorted(flat) == sorted(many.plans) and len(flat) == len(set(flat))
    # the 4 newest matches are ranked by bm25, the older ones follow newest-first
    assert set(flat[:4]) == set(many.plans[-4:])
    assert flat[4:] == sorted(many.plans[:-4], reverse=True)
    whole = [h.id for h in search(many.db, "ke hoach", limit=50)]
    assert whole == flat


def test_window_keeps_exact_tier_first(many: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_mod, "RANK_WINDOW", 1)
    newer = many.add("Quyet dinh khen thuong", "Khong dau.")
    many.index()
    ids = many.ids("quyết định")
    assert ids[0] == many.exact_body and set(ids[1:]) == {many.ascii_head, newer}


def test_window_with_filters(many: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_mod, "RANK_WINDOW", 2)
    assert sorted(many.ids("ke hoach nam:2024")) == sorted(many.plans)
    assert many.ids("ke hoach nam:2023") == []


def test_one_letter_prefix_is_refused_with_a_hint(many: Corpus) -> None:
    with pytest.raises(InvalidInput) as err:
        search(many.db, "k*")
    assert "ít nhất 2" in str(err.value) and "k*" in str(err.value)
    assert set(many.ids("ke*")) == set(many.plans)
