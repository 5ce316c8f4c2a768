"""Unicode Vietnamese text helpers: NFC, search folding, tone-placement canonicalisation.

Why these exist (DOMAIN.md §4.4): the same word reaches us precomposed (NFC, keyboards),
decomposed (NFD, macOS file names, UniKey "tổ hợp") and with two tone placements
("hoà"/"hòa", "Uỷ"/"Ủy").  Stored text is NFC; comparisons use ``canonical_tone``;
search uses ``fold``/``tokens``.  Everything here is pure and table driven
(``str.translate`` tables built once at import) because indexing runs it over
100,000+ messages.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["nfc", "fold", "canonical_tone", "tokens", "strip_diacritics"]

# The five tone marks as combining characters (grave, acute, tilde, hook above, dot below).
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def nfc(s: str) -> str:
    """Return ``s`` in NFC (precomposed) form; cheap when it already is."""
    if unicodedata.is_normalized("NFC", s):
        return s
    return unicodedata.normalize("NFC", s)


def _build_strip_table() -> dict[int, str | None]:
    """Map every precomposed Latin letter to its base letter and drop combining marks.

    Built from Unicode decompositions so it also covers letters that are not
    Vietnamese (é, ñ, ç ...), which appear in foreign names inside documents.
    """
    table: dict[int, str | None] = {}
    ranges = [(0x00C0, 0x024F), (0x1E00, 0x1EFF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            base = unicodedata.normalize("NFD", ch)[0]
            if base != ch and base.isascii():
                table[cp] = base
    for cp in range(0x0300, 0x0370):  # combining diacritical marks (NFD input)
        table[cp] = None
    # đ/Đ have no decomposition (DOMAIN.md §4.4): map explicitly.
    table[0x0111] = "d"
    table[0x0110] = "D"
    return table


_STRIP_TABLE = _build_strip_table()
_WORD_RE = re.compile(r"\w+")
# Marks Vietnamese letters decompose into (tones + circumflex, breve, horn).
_VN_MARKS = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
# ASCII characters that \w does not match become spaces, so ASCII text splits like \w+.
_ASCII_NON_WORD = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}


def strip_diacritics(s: str) -> str:
    """Remove all Vietnamese diacritics (tone and vowel marks), đ→d; keeps case.

    Fast path (the common case, ~3x faster than the table): NFD + ASCII encode, used
    only when every dropped code point was a Vietnamese mark or đ/Đ; anything else
    (other scripts, other accents) goes through the full table.
    """
    if s.isascii():
        return s
    d = unicodedata.normalize("NFD", s)
    a = d.encode("ascii", "ignore")
    dd = d.count("đ") + d.count("Đ")
    if len(a) == len(d) - dd - sum(d.count(m) for m in _VN_MARKS):
        if dd:
            a = d.replace("đ", "d").replace("Đ", "D").encode("ascii", "ignore")
        return a.decode("ascii")
    return nfc(s).translate(_STRIP_TABLE)


def fold(s: str) -> str:
    """Search key: NFC, strip all diacritics, đ→d, casefold, collapse whitespace.

    "Quyết  định" -> "quyet dinh"; NFD and NFC spellings fold identically because
    combining marks are dropped either way.
    """
    return " ".join(strip_diacritics(s).casefold().split())


def tokens(s: str) -> list[str]:
    """Folded words (``\\w+`` runs) of ``s`` for the search index ("QĐ-UBND" -> ["qd", "ubnd"])."""
    f = strip_diacritics(s).casefold()
    if f.isascii():
        return f.translate(_ASCII_NON_WORD).split()
    return _WORD_RE.findall(f)


# --- tone placement -------------------------------------------------------------------
#
# Rule (documented choice): in the open rhymes "oa", "oe" and "uy" (no final consonant,
# no third vowel, "uy" not after "q") the tone mark goes on the FIRST vowel:
#   hoà -> hòa, hoè -> hòe, thuỷ -> thủy, Uỷ -> Ủy, UỶ -> ỦY.
# This is the placement used by the current official texts (Nghị định 30/2020 writes
# "ủy quyền", "thỏa thuận", "Hỏa tốc"), which the brief calls the "new style"; the other
# spelling (tone on the second vowel, common in TCVN3-era documents: "Uỷ ban") is rewritten.
# Rhymes with a final consonant ("hoàn", "khuyến") or a third vowel ("ngoài", "khuya")
# are never touched: both conventions agree there.  "quý"/"quỷ" keep their tone on "y"
# because "qu" is the onset, not a vowel pair.


def _tone_of(ch: str) -> tuple[str, str]:
    """Split a precomposed vowel into (vowel without tone, combining tone mark or "")."""
    d = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in d if c in _TONE_MARKS)
    rest = "".join(c for c in d if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", rest), tone


def _build_tone_map() -> dict[str, str]:
    """All second-vowel-toned pairs ("oà", "Uỷ", ...) -> first-vowel-toned ("òa", "Ủy")."""
    mapping: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for f in (first, first.upper()):
            for s in (second, second.upper()):
                for tone in _TONE_MARKS:
                    old = f + unicodedata.normalize("NFC", s + tone)
                    new = unicodedata.normalize("NFC", f + tone) + s
                    mapping[old] = new
    return mapping


_TONE_MAP = _build_tone_map()
_TONED_SECOND = "".join(sorted({k[1] for k in _TONE_MAP}))
# A letter before the pair may not be a vowel / "q" (uy after q); after the pair: no letter.
_VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_TONE_RE = re.compile(rf"(?<![{_VOWELS}qQ\u0300-\u036f])([oOuU][{_TONED_SECOND}])(?![^\W\d_])")


def canonical_tone(s: str) -> str:
    """NFC ``s`` with tone marks of "oa/oe/uy" open syllables on the first vowel.

    Use before comparing or deduplicating text; keep the original for display.
    """
    s = nfc(s)

    def repl(m: re.Match[str]) -> str:
        pair = m.group(1)
        # Guard "oa/oe" pairs that are really parts of a 3-vowel rhyme are excluded by
        # the lookarounds; pairs with the wrong vowel combination are not in the map.
        return _TONE_MAP.get(pair, pair)

    return _TONE_RE.sub(repl, s)
