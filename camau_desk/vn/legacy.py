"""TCVN3 (ABC) and VNI-Windows text: detection and conversion to Unicode (R6.3).

Documents from older offices still arrive typed in .VnTime (TCVN3) or VNI-Times (VNI)
fonts: the bytes are legacy codes that only look Vietnamese with the right font.
We convert them to NFC Unicode (TCVN 6909:2001).  Tables come from
``resources/encodings/*.tsv`` (UniKey data, verified against glibc iconv; DOMAIN.md §4.2);
detection follows DOMAIN.md §4.3: font names, then signature characters, then
round-trip scoring with a Vietnamese syllable validator.

Legacy text is handled as ``str`` whose code points are the legacy bytes
(what cp1252/latin-1 decoding or Word's own storage gives us).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from camau_desk.errors import InvalidInput
from camau_desk.vn.text import nfc

__all__ = [
    "Encoding",
    "resources_dir",
    "tcvn3_to_unicode",
    "vni_to_unicode",
    "font_encoding",
    "is_capitals_font",
    "is_vietnamese_syllable",
    "detect_encoding",
    "repair_text",
    "decode_legacy_bytes",
    "convert_txt",
    "convert_docx",
    "convert_file",
    "default_output_path",
]

Encoding = Literal["unicode", "tcvn3", "vni", "unknown"]

# Font that replaces a legacy font after conversion: ND 30/2020 Phụ lục I asks for
# Times New Roman, Unicode TCVN 6909:2001.
UNICODE_FONT = "Times New Roman"


# --- tables ---------------------------------------------------------------------------


def resources_dir() -> Path:
    """The ``resources`` folder, also inside a PyInstaller bundle (``sys._MEIPASS``)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def _read_tsv(name: str) -> list[tuple[bytes, str]]:
    """Rows (legacy bytes, unicode char) of ``resources/encodings/<name>``."""
    path = resources_dir() / "encodings" / name
    rows: list[tuple[bytes, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip():
            continue
        hexes, char = line.split("\t")
        rows.append((bytes(int(h, 16) for h in hexes.split()), unicodedata.normalize("NFC", char)))
    return rows


@lru_cache(maxsize=1)
def _tcvn3_table() -> dict[int, str]:
    """str.translate table: legacy code point -> Unicode letter (lower case for toned vowels)."""
    return {data[0]: char for data, char in _read_tsv("tcvn3.tsv")}


@lru_cache(maxsize=1)
def _vni_tables() -> tuple[dict[str, str], re.Pattern[str]]:
    """VNI sequence map and a regex that matches two-char sequences before single chars.

    Besides the 134 table entries we accept a base letter with a modifier of the other
    case ("Aùnh" from Word's Title Case) and decode it in the base letter's case.
    """
    seq: dict[str, str] = {}
    for data, char in _read_tsv("vni.tsv"):
        seq[data.decode("latin-1")] = char
    extra: dict[str, str] = {}
    for key, char in seq.items():
        if len(key) != 2:
            continue
        base, mod = key
        other = mod.lower() if mod.isupper() else mod.upper()
        alt = base + other
        if alt not in seq and other != mod:
            extra[alt] = char
    seq.update(extra)
    keys = sorted(seq, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(k) for k in keys))
    return seq, pattern


def tcvn3_to_unicode(text: str, capitals: bool = False) -> str:
    """Decode TCVN3 text (legacy bytes as code points) to NFC Unicode.

    TCVN3 has one code for both cases of a toned vowel; the capital fonts (.VnTimeH)
    draw everything upper case, so ``capitals=True`` upper-cases the whole run.
    Bytes that are not letters (ASCII, 0x80-0xA0) pass through unchanged.
    """
    out = text.translate(_tcvn3_table())
    if capitals:
        out = out.upper()
    return nfc(out)


def vni_to_unicode(text: str) -> str:
    """Decode VNI-Windows text to NFC Unicode, trying two-char sequences first."""
    seq, pattern = _vni_tables()
    return nfc(pattern.sub(lambda m: seq[m.group(0)], text))


# --- fonts ----------------------------------------------------------------------------


def font_encoding(name: str | None) -> Literal["tcvn3", "vni"] | None:
    """Legacy encoding implied by a font name (".VnTime" -> tcvn3, "VNI-Times" -> vni)."""
    if not name:
        return None
    n = name.strip().lower()
    if n.startswith(".vn"):
        return "tcvn3"
    if n.startswith("vni"):
        return "vni"
    return None


def is_capitals_font(name: str | None) -> bool:
    """True for TCVN3 capital fonts (.VnTimeH, .VnArialH): they draw all letters upper case."""
    return font_encoding(name) == "tcvn3" and name is not None and name.strip().endswith("H")


# --- syllable validator ---------------------------------------------------------------

_ONSETS = "ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x".split()
_RHYMES = """
a ai ao au ay ac ach am an ang anh ap at
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e eo ec ech em en eng ep et
ê êu êch êm ên ênh êp êt
i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
y ya yêm yên yêng yêt yêu
o oi oc om on ong op ot ooc oong
ô ôi ôc ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua ui uc um un ung up ut uôi uôc uôm uôn uông uôt
ư ưa ưi ưu ưc ưm ưn ưng ưt ươi ươu ươc ươm ươn ương ươp ươt
oa oai oay oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt
oe oeo oen oet oem
uâ uân uâng uât uây uê uêch uênh uên uơ
uy uya uyu uych uynh uyt uyn uyên uyêt uyp
""".split()


def _alt(items: Iterable[str]) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


_SYLLABLE_RE = re.compile(rf"(?:{_alt(_ONSETS)})?(?P<rhyme>{_alt(_RHYMES)})")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_STOP_CODAS = ("c", "ch", "p", "t")


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Rough check that ``word`` is one well-formed Vietnamese syllable.

    onset + rhyme from the known inventory, at most one tone mark, and the
    stop-final rule (rhymes ending in c/ch/p/t take only sắc or nặng).  Used only
    to score candidate decodings, so "good enough" beats a full phonology.
    """
    d = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in d if c in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
    m = _SYLLABLE_RE.fullmatch(base)
    if not m:
        return False
    if tones and tones[0] not in ("\u0301", "\u0323") and m.group("rhyme").endswith(_STOP_CODAS):
        return False
    return True


# --- detection ------------------------------------------------------------------------

# Characters > U+00FF that cp1252 decoding can produce; anything else above U+00FF
# (ă, ơ, ư, đ, ạ ... or CJK) means the text is real Unicode.
_CP1252_HIGH = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Chars that are TCVN3 letters and rare in Western text: ¡-® (ă â ê ô ơ ư đ, capitals),
# µ¶·¸¹ (à ả ã á ạ), the soft hyphen 0xAD (ư) among them.
_TCVN3_SIGNATURE = frozenset(chr(c) for c in [*range(0xA1, 0xAF), *range(0xB5, 0xBA)])
_VNI_SIGNATURE_RE = re.compile("[aeouyAEOUYôöÔÖ][ùøûõïâêáàåãäéèúüëÙØÛÕÏÂÊÁÀÅÃÄÉÈÚÜË]|[ñÑ]")


def _has_real_unicode(text: str) -> bool:
    """True if ``text`` has a code point that no 8-bit legacy decoding could give."""
    return any(ord(c) > 0xFF and c not in _CP1252_HIGH and not 0xF000 <= ord(c) <= 0xF0FF for c in text)


def _unshift_symbol_font(text: str) -> str:
    """Map U+F0xx (symbol-font storage of 8-bit fonts) back to U+00xx."""
    if not any(0xF000 <= ord(c) <= 0xF0FF for c in text):
        return text
    return "".join(chr(ord(c) - 0xF000) if 0xF000 <= ord(c) <= 0xF0FF else c for c in text)


def _token_valid(token: str) -> bool:
    runs = _LETTER_RUN.findall(token)
    return bool(runs) and all(is_vietnamese_syllable(r) for r in runs)


def _score(tokens: list[str], decode: Callable[[str], str]) -> float:
    """Share of ``tokens`` that decode to valid Vietnamese syllables."""
    if not tokens:
        return 0.0
    return sum(_token_valid(decode(t)) for t in tokens) / len(tokens)


def _fonts_encoding(font_names: Iterable[str]) -> Literal["tcvn3", "vni"] | None:
    counts = Counter(e for e in map(font_encoding, font_names) if e)
    return counts.most_common(1)[0][0] if counts else None


def detect_encoding(text: str, font_names: Iterable[str] = ()) -> Encoding:
    """Guess whether ``text`` is Unicode, TCVN3 or VNI (DOMAIN.md §4.3).

    1. code points no legacy decoding can produce -> "unicode";
    2. a legacy font name (.Vn* / VNI-*) -> that encoding;
    3. pure ASCII -> "unicode" (nothing to convert, English stays English);
    4. signature characters, then round-trip scoring: decode every token that has a
       non-ASCII character and count valid Vietnamese syllables; a legacy candidate
       wins only if it is clearly better than reading the text as Unicode.
    "unknown" means legacy signatures are present but no decoding is convincing.
    """
    if _has_real_unicode(text):
        return "unicode"
    by_font = _fonts_encoding(font_names)
    if by_font:
        return by_font
    text = _unshift_symbol_font(text)
    if text.isascii():
        return "unicode"
    affected = [t for t in text.split() if not t.isascii()]
    tcvn3_hits = sum(c in _TCVN3_SIGNATURE for c in text)
    vni_hits = len(_VNI_SIGNATURE_RE.findall(text))
    if not tcvn3_hits and not vni_hits:
        return "unicode"
    uni = _score(affected, lambda t: t)
    scores: dict[Encoding, float] = {}
    if tcvn3_hits:
        scores["tcvn3"] = _score(affected, tcvn3_to_unicode)
    if vni_hits:
        scores["vni"] = _score(affected, vni_to_unicode)
    best = max(scores, key=lambda k: (scores[k], tcvn3_hits if k == "tcvn3" else vni_hits))
    if scores[best] >= 0.5 and scores[best] >= uni + 0.2:
        return best
    if uni >= 0.5:
        return "unicode"
    signature_share = sum(
        1 for t in affected if any(c in _TCVN3_SIGNATURE for c in t) or _VNI_SIGNATURE_RE.search(t)
    ) / max(len(affected), 1)
    return "unknown" if signature_share >= 0.5 and scores[best] > 0 else "unicode"


def repair_text(text: str, font_names: Iterable[str] = ()) -> tuple[str, Encoding]:
    """Return (NFC Unicode text, detected encoding); real Unicode is only NFC-normalised.

    TCVN3 runs from a capital font (name ending in "H") are upper-cased.
    """
    fonts = list(font_names)
    enc = detect_encoding(text, fonts)
    if enc == "tcvn3":
        caps = any(is_capitals_font(f) for f in fonts)
        return tcvn3_to_unicode(_unshift_symbol_font(text), capitals=caps), enc
    if enc == "vni":
        return vni_to_unicode(_unshift_symbol_font(text)), enc
    return nfc(text), enc


# --- bytes and files ------------------------------------------------------------------


def _decode_8bit(data: bytes) -> str:
    """Bytes -> str as Windows-1252, keeping the 5 undefined bytes as latin-1 code points."""
    return data.decode("latin-1").translate(_cp1252_c1_table())


@lru_cache(maxsize=1)
def _cp1252_c1_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for b in range(0x80, 0xA0):
        try:
            table[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            pass
    return table


def _bytes_to_text(data: bytes) -> tuple[str, bool]:
    """Decode by BOM / UTF-8 if possible; returns (text, was_unicode_encoded)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), True
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), True
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return _decode_8bit(data), False


def _decode_with_encoding(data: bytes, hint: str | None) -> tuple[str, Encoding]:
    text, _ = _bytes_to_text(data)
    h = (hint or "").strip().lower().replace("-", "").replace("_", "")
    if h in ("tcvn3", "abc", "tcvn", "vn3") and not _has_real_unicode(text):
        return tcvn3_to_unicode(_unshift_symbol_font(text)), "tcvn3"
    if h in ("vni", "vniwin", "vniwindows") and not _has_real_unicode(text):
        return vni_to_unicode(_unshift_symbol_font(text)), "vni"
    if h in ("unicode", "utf8"):
        return nfc(text), "unicode"
    return repair_text(text)


def decode_legacy_bytes(data: bytes, hint: str | None = None) -> str:
    """Bytes of unknown origin -> NFC Unicode text.

    UTF-8/UTF-16 (with or without BOM) is decoded first and still checked, because
    legacy text is often re-saved as UTF-8 mojibake ("nh©n d©n").  ``hint`` ("tcvn3",
    "vni", "unicode") overrides detection unless the text holds real Unicode letters.
    """
    return _decode_with_encoding(data, hint)[0]


def default_output_path(src: Path) -> Path:
    """``<stem> (Unicode)<ext>`` beside ``src``."""
    return src.with_name(f"{src.stem} (Unicode){src.suffix}")


def convert_txt(src: Path, dst: Path, hint: str | None = None) -> Encoding:
    """Convert a text file to plain UTF-8 (no BOM), keeping its line endings."""
    text, enc = _decode_with_encoding(Path(src).read_bytes(), hint)
    with open(dst, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return enc


# --- DOCX -----------------------------------------------------------------------------

_DOCX_STORY = re.compile(r"^/word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _rfonts_name(rpr) -> str | None:
    """Font for non-ASCII text of an rPr: hAnsi (Word's choice for U+0080-U+00FF) or ascii."""
    if rpr is None:
        return None
    rfonts = rpr.find(_w("rFonts"))
    if rfonts is None:
        return None
    return rfonts.get(_w("hAnsi")) or rfonts.get(_w("ascii"))


class _StyleFonts:
    """Resolve the font a run inherits: run rPr -> char style -> para style -> defaults."""

    def __init__(self, styles_el) -> None:
        self.based_on: dict[str, str] = {}
        self.font: dict[str, str] = {}
        self.default_para: str | None = None
        self.doc_default: str | None = None
        if styles_el is None:
            return
        for st in styles_el.iter(_w("style")):
            sid = st.get(_w("styleId"))
            if not sid:
                continue
            b = st.find(_w("basedOn"))
            if b is not None:
                self.based_on[sid] = b.get(_w("val"))
            name = _rfonts_name(st.find(_w("rPr")))
            if name:
                self.font[sid] = name
            if st.get(_w("type")) == "paragraph" and st.get(_w("default")) in ("1", "true"):
                self.default_para = sid
        dd = styles_el.find(_w("docDefaults"))
        if dd is not None:
            rpr_default = dd.find(_w("rPrDefault"))
            if rpr_default is not None:
                self.doc_default = _rfonts_name(rpr_default.find(_w("rPr")))

    def style_font(self, sid: str | None) -> str | None:
        seen: set[str] = set()
        while sid and sid not in seen:
            seen.add(sid)
            if sid in self.font:
                return self.font[sid]
            sid = self.based_on.get(sid)
        return None

    def run_font(self, r) -> str | None:
        rpr = r.find(_w("rPr"))
        name = _rfonts_name(rpr)
        if name:
            return name
        if rpr is not None:
            rs = rpr.find(_w("rStyle"))
            if rs is not None and (name := self.style_font(rs.get(_w("val")))):
                return name
        p = next(r.iterancestors(_w("p")), None)
        psid = None
        if p is not None:
            ppr = p.find(_w("pPr"))
            ps = ppr.find(_w("pStyle")) if ppr is not None else None
            psid = ps.get(_w("val")) if ps is not None else None
        return self.style_font(psid or self.default_para) or self.doc_default


def _run_text(r) -> str:
    """Text of a run for detection, with soft hyphens kept (0xAD is TCVN3 "ư")."""
    parts = []
    for child in r:
        if child.tag == _w("t"):
            parts.append(child.text or "")
        elif child.tag == _w("softHyphen"):
            parts.append("\xad")
        elif child.tag == _w("tab"):
            parts.append("\t")
    return "".join(parts)


def _convert_run(r, enc: str, capitals: bool) -> None:
    """Convert the text of one run in place; soft-hyphen elements become "ư" in TCVN3."""
    from docx.oxml import OxmlElement

    def conv(s: str) -> str:
        return tcvn3_to_unicode(s, capitals) if enc == "tcvn3" else vni_to_unicode(s)

    for child in list(r):
        if child.tag == _w("t") and child.text:
            child.text = conv(_unshift_symbol_font(child.text))
        elif child.tag == _w("softHyphen") and enc == "tcvn3":
            t = OxmlElement("w:t")
            t.text = conv("\xad")
            r.replace(child, t)


def _rename_legacy_fonts(root) -> None:
    """Point every rFonts attribute naming a legacy font at Times New Roman."""
    for rfonts in root.iter(_w("rFonts")):
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            if font_encoding(rfonts.get(_w(attr))):
                rfonts.set(_w(attr), UNICODE_FONT)


def convert_docx(src: Path, dst: Path) -> Encoding:
    """Convert legacy-font text of a .docx to Unicode and save it as ``dst``.

    Runs whose (inherited) font is .Vn* / VNI-* are converted by that font; if the
    document names no legacy font, the whole text is detected and converted.  Legacy
    font names are replaced by Times New Roman.  Returns the dominant encoding found
    ("unicode" when nothing needed conversion).
    """
    import docx

    document = docx.Document(str(src))
    styles_el = document.styles.element
    fonts = _StyleFonts(styles_el)
    story_roots = [
        part.element
        for part in document.part.package.iter_parts()
        if _DOCX_STORY.match(str(part.partname)) and hasattr(part, "element")
    ]
    runs = [(r, fonts.run_font(r)) for root in story_roots for r in root.iter(_w("r"))]
    converted: Counter[str] = Counter()

    if any(font_encoding(f) for _, f in runs):
        for r, font in runs:
            text = _run_text(r)
            enc = detect_encoding(text, [font] if font else [])
            if enc in ("tcvn3", "vni") and font_encoding(font):
                _convert_run(r, enc, is_capitals_font(font))
                converted[enc] += 1
    else:
        # No font tells us: detect on the whole text; if that is not legacy (e.g. a
        # Unicode letter with one pasted TCVN3 paragraph), detect paragraph by paragraph.
        whole = "\n".join(_run_text(r) for r, _ in runs)
        doc_enc = detect_encoding(whole)
        paragraphs: dict[object, list] = {}
        for r, _ in runs:
            paragraphs.setdefault(next(r.iterancestors(_w("p")), None), []).append(r)
        for p_runs in paragraphs.values():
            text = "".join(_run_text(r) for r in p_runs)
            if _has_real_unicode(text) or text.isascii():
                continue
            enc = doc_enc if doc_enc in ("tcvn3", "vni") else detect_encoding(text)
            if enc in ("tcvn3", "vni"):
                for r in p_runs:
                    _convert_run(r, enc, False)
                    converted[enc] += 1

    for root in [*story_roots, styles_el]:
        _rename_legacy_fonts(root)
    document.save(str(dst))
    return converted.most_common(1)[0][0] if converted else "unicode"  # type: ignore[return-value]


_TEXT_SUFFIXES = {".txt", ".csv", ".tsv", ".md", ".text"}


def convert_file(src: Path, dst: Path | None = None) -> Path:
    """Convert a legacy-encoded .docx or text file; returns the written path.

    The original is never modified; default output is ``<stem> (Unicode)<ext>``.
    """
    src = Path(src)
    dst = Path(dst) if dst is not None else default_output_path(src)
    suffix = src.suffix.lower()
    if dst.resolve() == src.resolve():
        raise InvalidInput("Tệp kết quả phải khác tệp gốc; chọn tên tệp khác.")
    if suffix == ".docx":
        convert_docx(src, dst)
    elif suffix in _TEXT_SUFFIXES:
        convert_txt(src, dst)
    elif suffix == ".doc":
        raise InvalidInput("Chưa chuyển mã được tệp .doc; hãy mở bằng Word, lưu thành .docx rồi thử lại.")
    else:
        raise InvalidInput(f"Chưa hỗ trợ chuyển mã tệp loại {suffix or '(không đuôi)'}.")
    return dst
