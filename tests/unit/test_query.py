"""The search-box parser (pure): words, phrases, prefixes, symbols and field filters (R6.2, R6.3)."""

from __future__ import annotations

import pytest

from camau_desk.archive.query import fts_expression, is_symbol_like, normalise_symbol, parse_query

pytestmark = pytest.mark.unit


def test_words_are_kept_exact_and_folded() -> None:
    q = parse_query("Quyết  Định")
    assert [t.words for t in q.terms] == [("quyết",), ("định",)]
    assert [t.folded for t in q.terms] == [("quyet",), ("dinh",)]
    assert all(t.has_diacritics for t in q.terms)


def test_R6_3_fts_expression_matches_folded_or_exact() -> None:
    expr = fts_expression(parse_query("đồng tháp"))
    assert '{f_head f_body} : "dong"' in expr and '{e_head e_body} : "đồng"' in expr
    # an ASCII query only needs the folded columns
    assert fts_expression(parse_query("dong")) == '{f_head f_body} : "dong"'


def test_phrase_prefix_and_negation() -> None:
    q = parse_query('"kế hoạch" quye* -nháp')
    assert q.terms[0].words == ("kế", "hoạch") and not q.terms[0].prefix
    assert q.terms[1].prefix and q.terms[1].words == ("quye",)
    assert q.terms[2].negated
    expr = fts_expression(q)
    assert '"quye"*' in expr and expr.endswith('NOT {f_head f_body} : "nhap"')


@pytest.mark.parametrize("token", ["4295/UBND", "TTr-STTTT", "470/TTr-STTTT", "QĐ-UBND", "12/2024/NĐ-CP", "GM-UBND"])
def test_symbol_like(token: str) -> None:
    assert is_symbol_like(token)


@pytest.mark.parametrize("token", ["e-mail", "Cà-Mau", "quyết", "v-v", "a/"])
def test_not_symbol_like(token: str) -> None:
    assert not is_symbol_like(token)


def test_normalise_symbol() -> None:
    assert normalise_symbol("470 / TTr \u2013 STTTT") == "470/TTr-STTTT"
    assert normalise_symbol("123/QĐ-UBND") == "123/QD-UBND"


def test_filters_and_aliases() -> None:
    q = parse_query('from:stttt so:TTr-STTTT loại:"Quyết định" nam:2024 đến:17 has:attachment status:spam báo cáo')
    assert q.filters == {"from": ["stttt"], "so": ["TTr-STTTT"], "loai": ["Quyết định"], "nam": ["2024"],
                         "den": ["17"], "has": ["attachment"], "status": ["spam"]}
    assert [t.words for t in q.terms] == [("báo",), ("cáo",)]


def test_free_symbol_goes_to_symbols_not_words() -> None:
    q = parse_query("tờ trình 470/TTr-STTTT")
    assert q.symbols == ["470/TTr-STTTT"]
    assert len(q.terms) == 2


def test_odd_input_never_raises() -> None:
    for text in ['"unbalanced', "::", "-", "*", "from:", '""', "a:b:c", "'", "\\"]:
        q = parse_query(text)
        fts_expression(q)
    assert parse_query("").empty
    assert parse_query("url:x").terms  # unknown key: plain words


def test_tier_expressions_folded_and_exact() -> None:
    from camau_desk.archive.query import exact_expression, folded_expression, short_prefixes

    q = parse_query("quyết dinh hop* -nháp")
    assert folded_expression(q) == '("quyet" AND "dinh" AND "hop"*) NOT "nhap"'
    assert exact_expression(q) == '("quyết" AND "dinh" AND "hop"*) NOT "nhap"'
    assert exact_expression(parse_query("quyet dinh")) is None
    assert folded_expression(parse_query("-x")) is None
    assert short_prefixes(parse_query("h* ho* Đ*")) == ["h*", "đ*"]
