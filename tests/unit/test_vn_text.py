"""R6.3: Vietnamese text is NFC; search folding and tone-placement canonicalisation."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from camau_desk.vn.text import canonical_tone, fold, nfc, strip_diacritics, tokens

pytestmark = pytest.mark.unit


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def test_R6_3_nfc_composes_decomposed_text() -> None:
    assert nfc(nfd("Quyết định")) == "Quyết định"
    assert len(nfc(nfd("ệ"))) == 1
    s = "Ủy ban nhân dân"
    assert nfc(s) is s  # already NFC: returned as is (cheap path)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Quyết định", "quyet dinh"),
        ("Đồng Tháp", "dong thap"),
        ("ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "uy ban nhan dan tinh ca mau"),
        ("  Cà   Mau\t\n ", "ca mau"),
        ("đường Trần Hưng Đạo", "duong tran hung dao"),
        ("Hỏa tốc", "hoa toc"),
        ("Thượng khẩn", "thuong khan"),
        ("Ngoại ngữ ặ ẫ ỹ ỵ", "ngoai ngu a a y y"),
    ],
)
def test_R6_3_fold_rules(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_R6_3_fold_nfd_equals_nfc() -> None:
    for s in ["Quyết định", "Đồng Tháp", "Nguyễn Thị Ánh Tuyết", "Hòa", "Uỷ"]:
        assert fold(nfd(s)) == fold(s)


def test_R6_3_fold_ignores_tone_placement_and_keeps_ascii() -> None:
    assert fold("hoà") == fold("hòa") == "hoa"
    assert fold("Hello, World 2024") == "hello, world 2024"


def test_R6_3_strip_diacritics_keeps_case() -> None:
    assert strip_diacritics("Đồng Tháp") == "Dong Thap"


def test_R6_3_tokens_are_folded_words() -> None:
    assert tokens("Số: 15/QĐ-UBND ngày 05/3/2020") == ["so", "15", "qd", "ubnd", "ngay", "05", "3", "2020"]
    assert tokens("Quyết định về việc") == ["quyet", "dinh", "ve", "viec"]
    assert tokens("") == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("Hoà Bình", "Hòa Bình"),
        ("Uỷ ban", "Ủy ban"),
        ("UỶ BAN", "ỦY BAN"),
        ("thuỷ lợi", "thủy lợi"),
        ("khoẻ", "khỏe"),
        ("tuỳ", "tùy"),
        ("hoạ sĩ", "họa sĩ"),
        ("uỷ quyền", "ủy quyền"),
    ],
)
def test_R6_3_canonical_tone_moves_tone_to_first_vowel(old: str, new: str) -> None:
    assert canonical_tone(old) == new
    assert canonical_tone(new) == new  # idempotent on the canonical form


@pytest.mark.parametrize(
    "word",
    ["quý", "quỷ", "QUỲ", "hoàn", "khuyến", "ngoài", "khoảng", "thuyền", "của", "kìa", "mùa", "hoạch"],
)
def test_R6_3_canonical_tone_leaves_other_rhymes(word: str) -> None:
    assert canonical_tone(word) == word


def test_R6_3_canonical_tone_normalises_nfd_input() -> None:
    assert canonical_tone(nfd("Uỷ ban")) == "Ủy ban"
    assert canonical_tone("Uỷ ban nhân dân") == canonical_tone("Ủy ban nhân dân")


@given(st.text())
def test_R6_3_fold_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@given(st.text())
def test_R6_3_canonical_tone_is_idempotent_and_nfc(s: str) -> None:
    c = canonical_tone(s)
    assert unicodedata.is_normalized("NFC", c)
    assert canonical_tone(c) == c
    assert fold(c) == fold(s)


_VN_ALPHABET = (
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ"
    "bcdghklmnpqrstvx 0123456789.,;:-/()\t\nçüñøßЖ中"
)


@given(st.text(alphabet=_VN_ALPHABET))
def test_R6_3_fast_fold_path_equals_table_path(s: str) -> None:
    """The NFD/ASCII fast path and the full translate table agree (NFC and NFD input)."""
    import re

    from camau_desk.vn.text import _STRIP_TABLE

    by_table = nfc(s).translate(_STRIP_TABLE)
    assert strip_diacritics(s) == by_table
    assert strip_diacritics(nfd(s)) == by_table
    assert tokens(s) == re.findall(r"\w+", by_table.casefold())
    assert fold(nfd(s)) == fold(s) == " ".join(by_table.casefold().split())
