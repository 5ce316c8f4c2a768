"""Parse and find "Số, ký hiệu" of Vietnamese official documents (DOMAIN.md §1.3-1.4, R7.1a-1).

Why: the register records the number and symbol exactly as printed, and the duplicate
check, the issuer guess and the kind guess all read it.  The five shapes of §1.4 are
accepted; print/OCR noise (spaces around "/" and "-", en-dash, non-breaking hyphen,
minus sign, NFD text) is tolerated; the raw string is never repaired, only NFC'd.
``Symbol.normalized`` gives the canonical printed form for comparison and display.

Shapes (G = one abbreviation group such as UBND, QyĐ, BGDĐT, QH13):
1. qppl     NUMBER/YEAR/TYPE[-G...]    26/2009/QĐ-UBND, 80/2015/QH13
2. party    NUMBER-TYPE/G[-G...]       36-HD/VPTW
3. admin    NUMBER/TYPE-ISSUER[-UNIT]  470/TTr-STTTT (TYPE in Phụ lục III)
4. congvan  NUMBER/ISSUER-UNIT[-UNIT]  4295/UBND-TH
5. blank    Số: /G[-G...]              Số: /HC-TH (not yet numbered)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from camau_desk.register.doctypes import (
    ADMIN_TYPE_CODES,
    CONG_VAN,
    canonical_type_code,
    kind_from_code,
)
from camau_desk.vn.text import nfc

__all__ = ["Symbol", "SymbolMatch", "Style", "parse_symbol", "find_symbols", "find_symbol_matches"]

Style = Literal["qppl", "party", "admin", "congvan", "blank"]

# --- building blocks ---------------------------------------------------------------------
_SP = r"[ \t\u00a0\u202f]*"
_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
_DASH = f"[{_DASH_CHARS}]"
_SLASH = r"[/\u2215\uff0f]"
# One group: starts upper-case/Đ/digit; letters (any case), Đ/đ, digits, "&"; "." only
# when followed by another upper-case letter or digit ("UBND.VP" yes, ".pdf" no).
_G = r"[A-ZĐ0-9][A-Za-zĐđ0-9&]*(?:\.[A-ZĐ0-9&][A-Za-zĐđ0-9&]*)*"
_GROUPS = rf"{_G}(?:{_SP}{_DASH}{_SP}{_G})*"
_NUM = r"\d{1,6}"
_YEAR = r"(?:19|20)\d{2}"
_PREFIX = r"(?:S[ốỐoO]|s[ốo]|SỐ|SO)(?:[ \t]+(?:hiệu|HIỆU|hieu|HIEU))?"
_PREFIX_COLON = rf"{_PREFIX}{_SP}:?{_SP}"
# Left edge: not inside a word, a number, a path or a decimal.
_LEFT = r"(?<![^\W_])(?<![/\\.@&])"
# Right edge: the last group really ends here.
_RIGHT = rf"(?![\w/\\@&])(?!{_DASH}[A-ZĐ0-9])"

_QPPL = rf"(?P<num>{_NUM}){_SP}{_SLASH}{_SP}(?P<year>{_YEAR}){_SP}{_SLASH}{_SP}(?P<groups>{_GROUPS})"
_PARTY = rf"(?P<num>{_NUM}){_SP}{_DASH}{_SP}(?P<ptype>{_G}){_SP}{_SLASH}{_SP}(?P<groups>{_GROUPS})"
_SLASHED = rf"(?P<num>{_NUM}){_SP}{_SLASH}{_SP}(?P<groups>{_GROUPS})"
_BLANK = (
    rf"{_PREFIX}{_SP}:?[ \t\u00a0.…_]*{_SLASH}{_SP}"
    rf"(?:(?P<year>{_YEAR}){_SP}{_SLASH}{_SP})?(?P<groups>{_GROUPS})"
)

_FULL = {
    "qppl": re.compile(rf"^\s*(?:{_PREFIX_COLON})?{_QPPL}\s*$"),
    "party": re.compile(rf"^\s*(?:{_PREFIX_COLON})?{_PARTY}\s*$"),
    "slashed": re.compile(rf"^\s*(?:{_PREFIX_COLON})?{_SLASHED}\s*$"),
    "blank": re.compile(rf"^\s*{_BLANK}\s*$"),
}
_SEARCH = [
    ("qppl", re.compile(rf"{_LEFT}{_QPPL}{_RIGHT}")),
    ("party", re.compile(rf"{_LEFT}{_PARTY}{_RIGHT}")),
    ("slashed", re.compile(rf"{_LEFT}{_SLASHED}{_RIGHT}")),
    ("blank", re.compile(rf"(?<!\w){_BLANK}{_RIGHT}")),
]
# File-name forms: "/" became "_" (or "-"), e.g. 470_TTr-STTTT.pdf, 470-TTr-STTTT.pdf,
# 26_2009_QD-UBND.pdf, 36-HD_VPTW.pdf.  Groups may be joined by "_" too.
_FN_G = r"[A-ZĐ0-9][A-Za-zĐđ0-9&]*"
_FILENAME = re.compile(
    rf"(?<![^\W_])(?P<num>{_NUM})(?P<sep>[_\-])(?:(?P<year>{_YEAR})[_\-])?"
    rf"(?P<groups>{_FN_G}(?:[_\-]{_FN_G})*)(?![A-Za-zĐđ0-9&/])"
)
_SPLIT_RE = re.compile(rf"{_SP}{_DASH}{_SP}")
_HAS_LETTER = re.compile(r"[A-Za-zĐđ]")
_QH_RE = re.compile(r"^(?:UBTV)?QH\d{0,2}$")
_PREFIX_BEFORE_RE = re.compile(
    r"(?:(?:s[ốo])(?:\s+hi[ệe]u)?|k[ýy]\s+hi[ệe]u|v[ăa]n\s+b[ảa]n|c[ôo]ng\s+v[ăa]n|cv)\s*[:.]?\s*$",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"(?:https?://|ftp://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", re.IGNORECASE)
_EXT_RE = re.compile(
    r"\.(?:pdf|docx?|xlsx?|odt|ods|rtf|txt|zip|rar|7z|jpe?g|png|tiff?|signed|p7s)(?=$|[\s\"'(),;\]])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Symbol:
    """A parsed số ký hiệu.  ``raw`` is the (NFC) text as printed; the rest is derived."""

    raw: str
    number: str | None
    year: int | None
    type_code: str | None
    issuer: str | None
    units: tuple[str, ...]
    style: Style
    kind: str | None

    @property
    def ky_hieu(self) -> str:
        """The ký hiệu part (everything after the number), canonical: "TTr-STTTT", "2009/QĐ-UBND"."""
        groups = [g for g in (self.type_code, self.issuer, *self.units) if g]
        if self.style == "qppl":
            if self.type_code and self.type_code == self.issuer:
                groups = [self.issuer, *self.units]
            return f"{self.year}/" + "-".join(groups)
        if self.style == "party":
            rest = "-".join(g for g in (self.issuer, *self.units) if g)
            return f"{self.type_code}/{rest}"
        if self.style == "blank" and self.year is not None:
            if self.type_code and self.type_code == self.issuer:
                groups = [self.issuer, *self.units]
            return f"{self.year}/" + "-".join(groups)
        return "-".join(groups)

    @property
    def normalized(self) -> str:
        """Canonical printed form: "470/TTr-STTTT", "36-HD/VPTW", "/HC-TH" for a blank number."""
        if self.style == "party":
            return f"{self.number}-{self.ky_hieu}"
        return f"{self.number or ''}/{self.ky_hieu}"


@dataclass(frozen=True)
class SymbolMatch:
    """A symbol found in free text: where, how sure, and whether "Số:" was printed before it."""

    symbol: Symbol
    start: int
    end: int
    score: float
    prefixed: bool
    filename_form: bool


def _groups(text: str) -> list[str]:
    return [g for g in _SPLIT_RE.split(text.strip()) if g]


def _valid_groups(groups: list[str]) -> bool:
    """Every group must hold a letter: "09/12-2009" or "1/2" are not symbols."""
    return bool(groups) and all(_HAS_LETTER.search(g) for g in groups)


def _build(raw: str, kind_name: str, m: re.Match[str], groups: list[str]) -> Symbol | None:
    """Symbol from a regex match of one shape, or None when the groups do not fit it."""
    if not _valid_groups(groups):
        return None
    num = m.group("num") if "num" in m.re.groupindex else None
    year_s = m.groupdict().get("year")
    year = int(year_s) if year_s else None
    if kind_name == "qppl":
        tcode = groups[0]
        canon = canonical_type_code(tcode, "qppl") or tcode
        if _QH_RE.match(tcode) and len(groups) == 1:
            return Symbol(raw, num, year, tcode, tcode, (), "qppl", kind_from_code(tcode, "qppl"))
        issuer = groups[1] if len(groups) > 1 else None
        return Symbol(raw, num, year, canon, issuer, tuple(groups[2:]), "qppl", kind_from_code(canon, "qppl"))
    if kind_name == "party":
        ptype = _groups(m.group("ptype"))
        if len(ptype) != 1 or not _valid_groups(ptype):
            return None
        canon = canonical_type_code(ptype[0], "party") or ptype[0]
        return Symbol(raw, num, None, canon, groups[0], tuple(groups[1:]), "party", kind_from_code(canon, "party"))
    first = canonical_type_code(groups[0], "admin")
    if kind_name == "blank":
        if year is not None:  # draft of a QPPL text: "Số:    /2024/NĐ-CP"
            tcode = canonical_type_code(groups[0], "qppl") or groups[0]
            issuer = groups[1] if len(groups) > 1 else (tcode if _QH_RE.match(tcode) else None)
            return Symbol(raw, None, year, tcode, issuer, tuple(groups[2:]), "blank", kind_from_code(tcode, "qppl"))
        if first is not None and first in ADMIN_TYPE_CODES:
            issuer = groups[1] if len(groups) > 1 else None
            return Symbol(raw, None, year, first, issuer, tuple(groups[2:]), "blank", kind_from_code(first, "admin"))
        kind = CONG_VAN if len(groups) > 1 and year is None else None
        return Symbol(raw, None, year, None, groups[0], tuple(groups[1:]), "blank", kind)
    # "slashed": pattern 3 if the first group is a Phụ lục III code, else pattern 4.
    if first is not None and len(groups) >= 2:
        return Symbol(raw, num, None, first, groups[1], tuple(groups[2:]), "admin", kind_from_code(first, "admin"))
    if len(groups) >= 2 and not groups[0][0].isdigit():
        return Symbol(raw, num, None, None, groups[0], tuple(groups[1:]), "congvan", CONG_VAN)
    return None


def parse_symbol(s: str | None) -> Symbol | None:
    """Parse a whole string as one số ký hiệu (optionally after "Số:"), or None.

    ``raw`` is ``s`` in NFC with nothing else changed.
    """
    if not s:
        return None
    raw = nfc(s)
    for name in ("qppl", "party", "slashed", "blank"):
        m = _FULL[name].match(raw)
        if m:
            sym = _build(raw, name, m, _groups(m.group("groups")))
            if sym is not None:
                return sym
    return None


def _mask(text: str) -> str:
    """Blank out URLs, e-mail addresses and file extensions, keeping offsets."""
    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    return _EXT_RE.sub(blank, _URL_RE.sub(blank, text))


_BASE_SCORE: dict[str, float] = {"qppl": 0.9, "party": 0.85, "admin": 0.9, "congvan": 0.7, "blank": 0.6}


def _score(sym: Symbol, prefixed: bool, filename_form: bool, spaced: bool) -> float:
    score = _BASE_SCORE[sym.style]
    if prefixed:
        score += 0.1
    if filename_form:
        score -= 0.2
    if spaced:
        score -= 0.1
    return round(max(0.0, min(1.0, score)), 3)


def _prose_follows(text: str, end: int) -> bool:
    """True when ordinary words follow (" tỉnh Cà Mau"), i.e. a spaced "- UBND" was prose."""
    m = re.match(r"[ \t]+(\S+)", text[end:])
    return bool(m) and not m.group(1)[0].isupper() and m.group(1)[0].isalpha()


def _strict_candidates(text: str, masked: str) -> list[tuple[Symbol, int, int, bool]]:
    out: list[tuple[Symbol, int, int, bool]] = []
    for name, rx in _SEARCH:
        for m in rx.finditer(masked):
            start, end = m.span()
            groups_text = m.group("groups")
            gstart = m.start("groups")
            sym = _build(text[start:end], name, m, _groups(groups_text))
            # A spaced dash followed by prose ("4295/UBND-TH - UBND tỉnh ...") ends the symbol
            # at the spaced dash when the shorter form is still a symbol.
            spaced = [d for d in _SPLIT_RE.finditer(groups_text) if d.group(0).strip() != d.group(0)]
            if spaced and _prose_follows(text, end):
                cut = gstart + spaced[-1].start()
                short = rx.fullmatch(masked, start, cut) if cut > start else None
                if short:
                    short_sym = _build(text[start:cut], name, short, _groups(short.group("groups")))
                    if short_sym is not None:
                        sym, end = short_sym, cut
            if sym is not None:
                out.append((sym, start, end, False))
    return out


def _filename_candidates(text: str, masked: str) -> list[tuple[Symbol, int, int, bool]]:
    out: list[tuple[Symbol, int, int, bool]] = []
    for m in _FILENAME.finditer(masked):
        start, end = m.span()
        num, sep, year_s = m.group("num"), m.group("sep"), m.group("year")
        body = m.group("groups")
        groups = re.split(r"[_\-]", body)
        if not _valid_groups(groups):
            continue
        raw = text[start:end]
        year = int(year_s) if year_s else None
        if year is not None:
            tcode = canonical_type_code(groups[0], "qppl") or groups[0]
            issuer = groups[1] if len(groups) > 1 else (groups[0] if _QH_RE.match(groups[0]) else None)
            sym = Symbol(raw, num, year, tcode, issuer, tuple(groups[2:]), "qppl", kind_from_code(tcode, "qppl"))
            out.append((sym, start, end, True))
            continue
        first = canonical_type_code(groups[0], "admin")
        if sep == "-" and len(groups) >= 2 and body[len(groups[0])] == "_":
            ptype = canonical_type_code(groups[0], "party")
            if ptype is None:
                continue
            sym = Symbol(raw, num, None, ptype, groups[1], tuple(groups[2:]), "party", kind_from_code(ptype, "party"))
        elif first is not None and len(groups) >= 2:
            sym = Symbol(raw, num, None, first, groups[1], tuple(groups[2:]), "admin", kind_from_code(first, "admin"))
        elif sep == "_" and len(groups) >= 2 and not groups[0][0].isdigit():
            sym = Symbol(raw, num, None, None, groups[0], tuple(groups[1:]), "congvan", CONG_VAN)
        else:
            continue
        out.append((sym, start, end, True))
    return out


def find_symbol_matches(text: str | None) -> list[SymbolMatch]:
    """All candidate symbols in free text with position and score, best first.

    Covers subjects, bodies and file names ("470_TTr-STTTT.pdf").  URLs and e-mail
    addresses are masked first; dates ("09/12/2009"), fractions ("1/2") and phone
    numbers never match because every group must contain a letter.  Overlapping
    candidates keep the best; the same symbol found twice keeps its best occurrence.
    """
    if not text:
        return []
    text = nfc(text)
    masked = _mask(text)
    cands = _strict_candidates(text, masked) + _filename_candidates(text, masked)
    scored: list[SymbolMatch] = []
    for sym, start, end, fn in cands:
        prefixed = sym.style == "blank" or bool(_PREFIX_BEFORE_RE.search(text[max(0, start - 16):start]))
        spaced = any(ch in " \t\u00a0\u202f" for ch in sym.raw.strip()) and sym.style != "blank"
        scored.append(SymbolMatch(sym, start, end, _score(sym, prefixed, fn, spaced), prefixed, fn))
    scored.sort(key=lambda m: (-m.score, -(m.end - m.start), m.start))
    kept: list[SymbolMatch] = []
    seen: set[str] = set()
    for cand in scored:
        if any(cand.start < k.end and k.start < cand.end for k in kept):
            continue
        key = cand.symbol.normalized
        if key in seen:
            continue
        seen.add(key)
        kept.append(cand)
    kept.sort(key=lambda m: (-m.score, m.start))
    return kept


def find_symbols(text: str | None) -> list[Symbol]:
    """Candidate symbols inside free text, most confident first (see ``find_symbol_matches``)."""
    return [m.symbol for m in find_symbol_matches(text)]
