"""Parse what a clerk types in the search box (pure; no database).

Grammar (Vietnamese labels and their English aliases):
  words                 all must match, diacritics and case ignored ("quyet dinh" finds "Quyết định")
  "exact phrase"        words in this order
  word*                 prefix ("quyet*" finds "quyết", "quyết định")
  -word                 must not match
  470/TTr-STTTT, TTr-STTTT, 4295/UBND
                        số ký hiệu fragments (a token with "/" or an upper-case "-" group):
                        substring search in document symbols, and as a phrase in the text
  from: / tu:           sender (name or address, part of it)
  so: / symbol:         số ký hiệu fragment, symbols only
  loai: / kind:         kind (Công văn, Quyết định, Thư đến ...; prefix, diacritics ignored)
  nam: / year:          year (2024)
  den: / soden:         số đến (register)
  has:attachment / co:tep
                        only hits with attachments
  status: / tt:         status (register status, or "spam")
A filter value may be quoted: loai:"Quyết định".
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from camau_desk.vn.text import fold, nfc, strip_diacritics

__all__ = [
    "Query", "Term", "FILTER_ALIASES", "MIN_PREFIX", "exact_expression", "folded_expression", "fts_expression",
    "is_symbol_like", "normalise_symbol", "parse_query", "short_prefixes",
]

#: a prefix query needs this many letters: "h*" would merge the doclists of every word starting with h
MIN_PREFIX = 2

FILTER_ALIASES: dict[str, str] = {
    "from": "from", "tu": "from", "từ": "from",
    "so": "so", "số": "so", "symbol": "so", "skh": "so",
    "loai": "loai", "loại": "loai", "kind": "loai", "type": "loai",
    "nam": "nam", "năm": "nam", "year": "nam",
    "den": "den", "đến": "den", "soden": "den", "số_đến": "den",
    "has": "has", "co": "has", "có": "has",
    "status": "status", "tt": "status", "trangthai": "status",
}

_SYMBOL_RE = re.compile(r"^[\w.&]+(?:[/\-\u2013][\w.&]+)+$")
_DASHES = str.maketrans(
    {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"} | {"\u2215": "/", "\uff0f": "/"}
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """One word or phrase of the query; ``words`` are exact (NFC, lower-case) tokens."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(fold(w) for w in self.words)

    @property
    def has_diacritics(self) -> bool:
        return any(fold(w) != w for w in self.words)


@dataclass
class Query:
    terms: list[Term] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)  # fragments from the free text (normalised)
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.terms and not self.symbols and not self.filters


def normalise_symbol(text: str) -> str:
    """Comparable form of a số ký hiệu: NFC, no spaces, one kind of dash and slash, no diacritics.

    "470 / TTr – STTTT" -> "470/TTr-STTTT"; "QĐ-UBND" -> "QD-UBND" (đ folded, like the index).
    """
    s = nfc(text).translate(_DASHES)
    s = re.sub(r"\s+", "", s)
    return strip_diacritics(s)


def is_symbol_like(token: str) -> bool:
    """True for "4295/UBND", "TTr-STTTT", "QĐ-UBND"; false for "e-mail" or "Cà-Mau"."""
    t = nfc(token).translate(_DASHES)
    if not _SYMBOL_RE.match(t):
        return False
    if "/" in t:
        return True
    # every dash-separated group looks like a code: a digit or two capitals ("TTr", "QĐ", "UBND")
    return all(any(c.isdigit() for c in p) or sum(c.isupper() for c in p) >= 2 for p in t.split("-"))


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(nfc(text)))


def _split(text: str) -> list[str]:
    """shlex-like split that keeps quotes (for phrases) and never fails on a stray quote."""
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:  # unbalanced quote: treat it as a plain character
        return text.replace('"', " ").split()


def parse_query(text: str) -> Query:
    """Turn the search box text into a ``Query``."""
    q = Query()
    text = nfc(text or "")
    # Remember which tokens were quoted: shlex drops the quotes.
    quoted = {m.group(1) for m in re.finditer(r'"([^"]*)"', text)}
    for raw in _split(text):
        if not raw.strip():
            continue
        key, sep, value = raw.partition(":")
        alias = FILTER_ALIASES.get(key.lower()) if sep and key and raw not in quoted else None
        if alias and value.strip():
            q.filters.setdefault(alias, []).append(value.strip())
            continue
        negated = raw.startswith("-") and len(raw) > 1 and raw not in quoted
        body = raw[1:] if negated else raw
        if raw in quoted:
            words = _words(body)
            if words:
                q.terms.append(Term(words, negated=negated))
            continue
        if not negated and is_symbol_like(body):
            q.symbols.append(normalise_symbol(body))
            continue
        prefix = body.endswith("*")
        words = _words(body.rstrip("*"))
        if not words:
            continue
        # "e-mail", "v/v" give several words: they stay together as a phrase
        q.terms.append(Term(words, prefix=prefix, negated=negated))
    return q


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _term_expr(t: Term) -> str:
    """Folded words on the folded columns, OR exact words on the exact columns (ranks exact first)."""
    folded = _fts_phrase(t.folded, t.prefix)
    expr = f"{{f_head f_body}} : {folded}"
    if t.has_diacritics and not t.negated:
        expr = f"({expr} OR {{e_head e_body}} : {_fts_phrase(t.words, t.prefix)})"
    return expr


def _fts_phrase(words: tuple[str, ...], prefix: bool) -> str:
    phrase = _quote(" ".join(words))
    return phrase + ("*" if prefix else "")


def fts_expression(q: Query, *, extra_phrases: list[tuple[str, ...]] | None = None) -> str | None:
    """The FTS5 MATCH string for the word terms of ``q`` (None if there are none to match)."""
    positive = [t for t in q.terms if not t.negated]
    negative = [t for t in q.terms if t.negated]
    parts = [_term_expr(t) for t in positive]
    parts += [f"{{f_head f_body}} : {_fts_phrase(p, False)}" for p in extra_phrases or []]
    if not parts:
        return None
    expr = " AND ".join(parts)
    for t in negative:
        expr = f"({expr}) NOT {{f_head f_body}} : {_fts_phrase(t.folded, t.prefix)}"
    return expr


def _folded_term(t: Term) -> str:
    return _fts_phrase(t.folded, t.prefix)


def _with_negatives(expr: str, q: Query) -> str:
    for t in q.terms:
        if t.negated:
            expr = f"({expr}) NOT {_folded_term(t)}"
    return expr


# Why no column filters below: a folded token (no diacritics) occurs in the exact columns only
# where the text itself was written without diacritics, and then the folded columns hold it
# too; a token with diacritics never occurs in the folded columns.  So ``{f_head f_body} :``
# and ``{e_head e_body} :`` never change which documents match, while they make FTS5 decode
# every position list (bm25 of "bao cao" over 100,000 messages: 20 ms with them, 12 without).
# Ranking keeps the distinction through the bm25 column weights.


def folded_expression(q: Query) -> str | None:
    """MATCH string for every document the query finds, spelled any way (folded tokens)."""
    positive = [_folded_term(t) for t in q.terms if not t.negated]
    if not positive:
        return None
    return _with_negatives(" AND ".join(positive), q)


def exact_expression(q: Query) -> str | None:
    """MATCH string for documents spelled as typed: terms with diacritics as written (exact columns).

    None when no positive term carries diacritics (then nothing is "more exact" than folded).
    Terms typed without diacritics stay folded, so the result is a subset of ``folded_expression``.
    """
    positive = [t for t in q.terms if not t.negated]
    if not any(t.has_diacritics for t in positive):
        return None
    parts = [_fts_phrase(t.words, t.prefix) if t.has_diacritics else _folded_term(t) for t in positive]
    return _with_negatives(" AND ".join(parts), q)


def short_prefixes(q: Query) -> list[str]:
    """Prefix terms shorter than ``MIN_PREFIX`` letters (the search refuses them with a hint)."""
    return [" ".join(t.words) + "*" for t in q.terms if t.prefix and len(t.folded[-1]) < MIN_PREFIX]
