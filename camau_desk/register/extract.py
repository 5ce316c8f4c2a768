"""Propose register fields for an incoming e-mailed document (R7.1a-1, DOMAIN.md §1, §3).

Why: the clerk must register every document on the day it arrives; typing số ký hiệu,
issuer, date and trích yếu by hand is the slow part.  We *propose* values from the
subject, body, attachment names and attachment text; the clerk confirms or edits.
Every proposed value keeps the raw text it came from (``Proposal.raw``) so the
register can show and store what was actually printed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from functools import lru_cache

from camau_desk.register.doctypes import CONG_VAN, kind_from_text
from camau_desk.register.symbols import Symbol, SymbolMatch, find_symbol_matches
from camau_desk.vn.text import fold, nfc

__all__ = [
    "ISSUER_NAMES",
    "Proposal",
    "propose_fields",
    "issuer_name",
    "clean_subject",
    "trich_yeu_from_subject",
    "find_dates",
    "find_urgency",
    "find_secrecy",
    "find_signer",
    "letterhead",
]

# Editable: issuer abbreviation (as printed in ký hiệu) -> name for the register.
ISSUER_NAMES: dict[str, str] = {
    "UBND": "Ủy ban nhân dân tỉnh Cà Mau",
    "HĐND": "Hội đồng nhân dân tỉnh Cà Mau",
    "VP": "Văn phòng",
    "VPUBND": "Văn phòng Ủy ban nhân dân tỉnh Cà Mau",
    "STTTT": "Sở Thông tin và Truyền thông",
    "SKHCN": "Sở Khoa học và Công nghệ",
    "STC": "Sở Tài chính",
    "SNV": "Sở Nội vụ",
    "SGDĐT": "Sở Giáo dục và Đào tạo",
    "SYT": "Sở Y tế",
    "STP": "Sở Tư pháp",
    "SXD": "Sở Xây dựng",
    "SCT": "Sở Công Thương",
    "SKHĐT": "Sở Kế hoạch và Đầu tư",
    "STNMT": "Sở Tài nguyên và Môi trường",
    "SNNPTNT": "Sở Nông nghiệp và Phát triển nông thôn",
    "SNNMT": "Sở Nông nghiệp và Môi trường",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "SLĐTBXH": "Sở Lao động - Thương binh và Xã hội",
    "SGTVT": "Sở Giao thông vận tải",
    "TTr": "Thanh tra tỉnh",
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "BNV": "Bộ Nội vụ",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BTC": "Bộ Tài chính",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BYT": "Bộ Y tế",
    "BCA": "Bộ Công an",
    "BTP": "Bộ Tư pháp",
    "VTLTNN": "Cục Văn thư và Lưu trữ nhà nước",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "CTN": "Chủ tịch nước",
    "TU": "Tỉnh ủy",
    "VPTU": "Văn phòng Tỉnh ủy",
    "TW": "Ban Chấp hành Trung ương",
    "VPTW": "Văn phòng Trung ương Đảng",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",
}


@dataclass
class Proposal:
    """Proposed register fields; every value is a suggestion for the clerk to confirm."""

    so_ky_hieu: str | None = None
    symbol: Symbol | None = None
    kind: str | None = None
    issuer: str | None = None
    doc_date: dt.date | None = None
    doc_date_raw: str | None = None
    trich_yeu: str | None = None
    urgency: str | None = None
    secrecy: str | None = None
    signer: str | None = None
    page_count: int | None = None
    raw: dict[str, str] = field(default_factory=dict)


# --- issuer ----------------------------------------------------------------------------------

_QH_RE = re.compile(r"^((?:UBTV)?QH)\d{1,2}$")


def issuer_name(code: str | None) -> str | None:
    """Name of an issuer abbreviation through ``ISSUER_NAMES`` (exact, then case-insensitive; QH13 -> Quốc hội)."""
    if not code:
        return None
    code = nfc(code.strip())
    if code in ISSUER_NAMES:
        return ISSUER_NAMES[code]
    for key, name in ISSUER_NAMES.items():
        if key.casefold() == code.casefold():
            return name
    m = _QH_RE.match(code)
    if m and m.group(1) in ISSUER_NAMES:
        return ISSUER_NAMES[m.group(1)]
    return None


def _name_by_printed(printed: str) -> str | None:
    """"SỞ TÀI CHÍNH" -> "Sở Tài chính" when ``ISSUER_NAMES`` knows it (diacritic/case blind)."""
    key = fold(printed)
    for name in ISSUER_NAMES.values():
        if fold(name) == key:
            return name
    return None


_NATIONAL_RE = re.compile(
    r"^(?:cong hoa xa hoi chu nghia viet nam|doc lap\W+tu do\W+hanh phuc|dang cong san viet nam)\b"
)


def _is_upper_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def letterhead(text: str | None, max_lines: int = 12) -> list[str]:
    """Upper-case letterhead lines at the top of a document ("ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "SỞ TÀI CHÍNH").

    The national motto of the right-hand column, "Số:" lines, rules and stamps are
    skipped; reading stops at the first ordinary line.
    """
    if not text:
        return []
    out: list[str] = []
    for line in nfc(text).splitlines()[:max_lines]:
        s = line.strip()
        if not s or not re.search(r"[^\W\d_]", s):
            continue
        # two-column layouts extracted on one line: "ỦY BAN ...    CỘNG HÒA ..."
        s = re.split(r"\s{3,}|\t", s)[0].strip()
        f = fold(s)
        if _NATIONAL_RE.match(f) or re.match(r"so\s*(?::|\d)", f):
            continue
        if f in ("mat", "toi mat", "tuyet mat", "khan", "thuong khan", "hoa toc"):
            continue
        if not _is_upper_line(s):
            break
        out.append(s)
    return out


def _issuer_from_letterhead(lines: list[str]) -> tuple[str, str] | None:
    """(name, raw) from letterhead lines; the last line is the issuing body itself."""
    if not lines:
        return None
    raw = " / ".join(lines)
    last = lines[-1]
    name = _name_by_printed(last) or _name_by_printed(" ".join(lines)) or last
    return name, raw


def _issuer_from_sender(sender: str | None) -> tuple[str, str] | None:
    """Display name, else the mailbox name as an abbreviation ("stc@camau.gov.vn" -> Sở Tài chính)."""
    if not sender:
        return None
    name, addr = parseaddr(nfc(sender))
    name = name.strip().strip('"').strip()
    if name:
        return name, sender
    local = addr.split("@", 1)[0] if "@" in addr else ""
    mapped = issuer_name(local)
    if mapped:
        return mapped, sender
    return None


# --- subject / trích yếu -----------------------------------------------------------------------

_FWD_RE = re.compile(
    r"^\s*(?:(?:fwd?|fw|tr|tl|re|aw|wg|sv|vs|chuyển tiếp|chuyen tiep|trả lời|tra loi|phản hồi)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*:\s*)",
    re.IGNORECASE,
)
_URG_TAG = (
    r"(?:h(?:ỏa|oả|oa)\s+t(?:ố|o)c|th(?:ượ|uo)ng\s+kh(?:ẩ|a)n|kh(?:ẩ|a)n"
    r"|t(?:ố|o)i\s+m(?:ậ|a)t|tuy(?:ệ|e)t\s+m(?:ậ|a)t|m(?:ậ|a)t)"
)
_TAG_RE = re.compile(rf"^\s*[\[(]\s*{_URG_TAG}\s*[\])]\s*[:\-–—]?\s*", re.IGNORECASE)
_LABEL_RE = re.compile(r"^\s*(?:v/v|v\.v|về việc|ve viec|vv)\s*[:.]?\s*", re.IGNORECASE)
_LEAD_WORDS_RE = re.compile(
    r"^\s*(?:(?:công văn|cong van|cv|văn bản|van ban|vb)\s+)?(?:(?:số|so)\s*[:.]?\s*)?", re.IGNORECASE
)
_TRAIL_TAG_RE = re.compile(rf"\s*[\[(]\s*{_URG_TAG}\s*[\])]\s*$", re.IGNORECASE)
_DATE_TAIL_RE = re.compile(
    r"^\s*(?:ng[àa]y\s*)?\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}", re.IGNORECASE
)


def clean_subject(subject: str | None) -> str:
    """Subject without Fwd:/Fw:/Tr:/TL:/RE:/Chuyển tiếp: prefixes (repeatedly) or urgency/secrecy tags."""
    s = nfc(subject or "").strip()
    while True:
        new = _FWD_RE.sub("", s, count=1)
        new = _TAG_RE.sub("", new, count=1)
        if new == s:
            return s.strip()
        s = new


def _strip_label(s: str) -> str:
    m = _LABEL_RE.match(s)
    if not m:
        return s.strip()
    rest = s[m.end():].strip()
    return rest[:1].upper() + rest[1:] if rest else ""


def trich_yeu_from_subject(subject: str | None) -> str:
    """Trích yếu from an e-mail subject: prefixes, marks and a leading symbol removed; "V/v" label dropped.

    "Fwd: TR: 4295/UBND-TH - V/v triển khai ..." -> "Triển khai ...";
    "Tờ trình 470/TTr-STTTT về việc xin chủ trương" -> "Xin chủ trương".  A symbol in the
    middle of a sentence ("Gửi Kế hoạch số 112/KH-UBND của UBND tỉnh") leaves the subject whole.
    """
    s = clean_subject(subject)
    s = _strip_lead_mark(s)
    s = _TRAIL_TAG_RE.sub("", s).strip()
    m = _LEAD_WORDS_RE.match(s)
    off = m.end() if m else 0  # after "Công văn số", "CV", "Số:"
    for x in find_symbol_matches(s):
        before = s[: x.start]
        rest = s[x.end:]
        d = _DATE_TAIL_RE.match(rest)
        if d:
            rest = rest[d.end():]
        at_start = x.start >= off and not s[off : x.start].strip()
        labelled = bool(re.match(r"\s*(?:[:\-–—|]|(?:v/v|về việc|ve viec)(?!\w))", rest, re.IGNORECASE))
        short_before = len(before.split()) <= 4 and not re.search(r"\d", before)
        if at_start or (labelled and short_before):
            s = rest.lstrip(" \t:;,.-–—|")
            break
    return _strip_label(s)


def _strip_lead_mark(s: str) -> str:
    """Drop a leading stamp-like mark ("KHẨN: ...", "HỎA TỐC Giấy mời ..."), never "Khẩn trương ..."."""
    m = re.match(rf"^\s*({_URG_TAG})(?!\w)", s, re.IGNORECASE)
    if m and _lead_ok(s, m):
        return s[m.end():].lstrip(" \t:;,.!|-–—")
    return s


def _vv_line(text: str | None) -> tuple[str, str] | None:
    """(summary, raw) from the "V/v ..." / "Về việc ..." line of a document, with up to 2 wrapped lines."""
    if not text:
        return None
    lines = nfc(text).splitlines()
    for i, line in enumerate(lines[:80]):
        if not _LABEL_RE.match(line) or len(line.strip()) < 5:
            continue
        parts = [line.strip()]
        for nxt in lines[i + 1 : i + 3]:
            n = nxt.strip()
            if not n or _is_upper_line(n) or fold(n).startswith(("kinh gui", "can cu", "so:", "so ")):
                break
            if not n[0].islower():
                break
            parts.append(n)
        raw = " ".join(parts)
        return _strip_label(raw), raw
    return None


# --- dates -----------------------------------------------------------------------------------

_DATE_WORDS_RE = re.compile(
    r"(?:(?<!\w)(?P<place>[^\W\d_]+(?: [^\W\d_]+){0,4}),[ \t]*)?ng[àa]y\s+(?P<d>\d{1,2})\s+"
    r"th[áa]ng\s+(?P<m>\d{1,2})\s+n[ăa]m\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_DATE_NUM_RE = re.compile(r"(?<![\d/.\-])(?P<d>\d{1,2})([/.\-])(?P<m>\d{1,2})\2(?P<y>(?:19|20)\d{2})(?![\d/])")


@dataclass(frozen=True)
class _DateHit:
    date: dt.date
    raw: str
    start: int
    words: bool


def find_dates(text: str | None) -> list[tuple[dt.date, str, int]]:
    """Valid dates in ``text`` as (date, raw, offset): "ngày 09 tháng 12 năm 2009", "09/12/2009", "9-12-2009"."""
    return [(h.date, h.raw, h.start) for h in _date_hits(text)]


def _date_hits(text: str | None) -> list[_DateHit]:
    if not text:
        return []
    text = nfc(text)
    hits: list[_DateHit] = []
    for rx, words in ((_DATE_WORDS_RE, True), (_DATE_NUM_RE, False)):
        for m in rx.finditer(text):
            try:
                d = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
            hits.append(_DateHit(d, m.group(0).strip(), m.start(), words))
    hits.sort(key=lambda h: h.start)
    return hits


def _nearest_date(text: str, anchor: int) -> _DateHit | None:
    """The date closest to ``anchor``; the "ngày … tháng … năm" form counts as 200 characters nearer."""
    hits = _date_hits(text)
    if not hits:
        return None
    return min(hits, key=lambda h: abs(h.start - anchor) - (200 if h.words else 0))


# --- urgency and secrecy ---------------------------------------------------------------------

_URGENCY = [
    ("Hỏa tốc", r"h(?:ỏa|oả|oa)[ \t]+t(?:ố|o)c"),
    ("Thượng khẩn", r"th(?:ượ|uo)ng[ \t]+kh(?:ẩ|a)n"),
    ("Khẩn", r"kh(?:ẩ|a)n"),
]
_SECRECY = [
    ("Tuyệt mật", r"tuy(?:ệ|e)t[ \t]+m(?:ậ|a)t"),
    ("Tối mật", r"t(?:ố|o)i[ \t]+m(?:ậ|a)t"),
    ("Mật", r"m(?:ậ|a)t"),
]
# Words that turn a mark into ordinary prose: "khẩn trương", "mật khẩu", "mật mã" ...
_NOT_MARK_NEXT = {"truong", "khau", "ma", "thiet", "ong", "do", "danh", "bao"}


def _next_word_folded(text: str, pos: int) -> str:
    m = re.match(r"\s*([^\W\d_]+)", text[pos:])
    return fold(m.group(1)) if m else ""


@lru_cache(maxsize=16)
def _mark_regexes(pat: str) -> tuple[re.Pattern[str], ...]:
    """Compiled stamp-like contexts of one mark pattern (tag, lead, tail, field, line, spaced)."""
    flags = re.IGNORECASE
    return (
        re.compile(rf"[\[(]\s*({pat})\s*[\])]", flags),
        re.compile(rf"^\s*({pat})(?!\w)", flags),
        re.compile(rf"[\-–—|:]\s*({pat})\s*[.!]*\s*$", flags),
        re.compile(rf"độ\s+(?:khẩn|mật)\s*:\s*({pat})(?!\w)", flags),
        re.compile(rf"^[^\w\n]*({pat})[^\w\n]*$", flags | re.MULTILINE),
        re.compile(rf"(?:^|\s{{2,}}|\t)({pat})(?=\s{{2,}}|\t|$)", flags | re.MULTILINE),
    )


@lru_cache(maxsize=4)
def _any_mark_regex(pats: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)


def _find_mark(levels: list[tuple[str, str]], subject: str, texts: list[str]) -> tuple[str, str] | None:
    """Highest level whose mark looks like a stamp, as (level, raw snippet).

    Stamp-like: a tag "[KHẨN]" / "(Mật)" anywhere in the subject; the subject starting
    with the mark followed by ":"/"-"/"!" or written in capitals; the subject ending
    with "- KHẨN"; an e-office field "Độ khẩn: …"/"Độ mật: …"; a text line that is
    only the mark, or the capital mark set off by wide spacing on a line.  Running
    text ("mật khẩu", "bí mật nhà nước", "khẩn trương") never counts.
    """
    any_mark = _any_mark_regex(tuple(pat for _level, pat in levels))
    if not any(any_mark.search(t) for t in (subject, *texts) if t):
        return None  # every context below contains one of the patterns: most mail stops here
    found: dict[str, str] = {}
    subj = clean_subject_keep_tags(subject)
    for level, pat in levels:
        rx_tag, rx_lead, rx_tail, rx_field, rx_line, rx_spaced = _mark_regexes(pat)
        hit: str | None = None
        if m := rx_tag.search(subj):
            hit = m.group(0)
        elif (m := rx_lead.match(subj)) and _lead_ok(subj, m):
            hit = m.group(1)
        elif m := rx_tail.search(subj):
            hit = m.group(1)
        else:
            for t in [subject, *texts]:
                if not t:
                    continue
                for rx in (rx_field, rx_line):
                    if m := rx.search(t):
                        hit = m.group(0).strip()
                        break
                if hit:
                    break
                for m in rx_spaced.finditer("\n".join(t.splitlines()[:40])):
                    if m.group(1).isupper():
                        hit = m.group(1)
                        break
                if hit:
                    break
        if hit:
            found[level] = hit
    for level, _pat in levels:
        if level in found:
            return level, found[level]
    return None


def _lead_ok(subject: str, m: re.Match[str]) -> bool:
    """A leading mark counts when followed by a separator or written in capitals, and not by prose words."""
    if _next_word_folded(subject, m.end()) in _NOT_MARK_NEXT:
        return False
    after = subject[m.end():]
    if re.match(r"\s*(?:[:\-–—!|]|$)", after):
        return True
    return m.group(1).isupper()


def clean_subject_keep_tags(subject: str | None) -> str:
    """Subject without forward prefixes but with its "[KHẨN]"-style tags (mark detection needs them)."""
    s = nfc(subject or "").strip()
    while True:
        new = _FWD_RE.sub("", s, count=1)
        if new == s:
            return s
        s = new


def find_urgency(subject: str | None, texts: list[str] | None = None) -> tuple[str, str] | None:
    """("Hỏa tốc" | "Thượng khẩn" | "Khẩn", raw) from stamp-like marks, or None."""
    return _find_mark(_URGENCY, subject or "", [nfc(t) for t in texts or [] if t])


def find_secrecy(subject: str | None, texts: list[str] | None = None) -> tuple[str, str] | None:
    """("Tuyệt mật" | "Tối mật" | "Mật", raw) from stamp-like marks, or None ("mật khẩu" is not a mark)."""
    return _find_mark(_SECRECY, subject or "", [nfc(t) for t in texts or [] if t])


# --- signer ----------------------------------------------------------------------------------

_SIGN_TITLES = (
    "CHỦ TỊCH", "GIÁM ĐỐC", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CHÁNH VĂN PHÒNG", "TRƯỞNG BAN",
    "BÍ THƯ", "TRƯỞNG PHÒNG", "CHÁNH THANH TRA", "HIỆU TRƯỞNG", "CỤC TRƯỞNG", "VỤ TRƯỞNG",
    "THỦ TRƯỞNG", "CHÁNH ÁN", "VIỆN TRƯỞNG", "TỔNG GIÁM ĐỐC", "TRƯỞNG ĐOÀN", "THỦ TƯỚNG",
)
_NAME_STOP = {"như", "lưu", "nơi", "đã", "ký", "kính", "trân", "ghi", "chú", "số"}


def _is_name_line(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 6 or any(ch in line for ch in ";:,()[]/\\-–.0123456789"):
        return False
    if any(t in line for t in _SIGN_TITLES) or words[0].casefold() in _NAME_STOP:
        return False
    return all(w[0].isupper() and (w[1:].islower() or w.isupper() or len(w) == 1) for w in words)


def find_signer(text: str | None) -> tuple[str, str] | None:
    """(name, title line) from the last signature block ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / "Nguyễn Văn A")."""
    if not text:
        return None
    lines = [ln.strip() for ln in nfc(text).splitlines()]
    result: tuple[str, str] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if any(t in line for t in _SIGN_TITLES):
            # interleaved columns: "Nơi nhận:     KT. GIÁM ĐỐC" -> keep the right part
            title = re.split(r"\s{3,}|\t", line)[-1].strip()
            for j in range(i + 1, min(len(lines), i + 14)):
                cand = re.split(r"\s{3,}|\t", lines[j])[-1].strip()
                if any(t in cand for t in _SIGN_TITLES):
                    title = f"{title} / {cand}"
                    continue
                if _is_name_line(cand):
                    result = (cand, title)
                    i = j
                    break
        i += 1
    return result


# --- the proposal ----------------------------------------------------------------------------

# Source weights: the document's own "Số:" line beats a mention in the e-mail text.
_W_ATTACH_TEXT, _W_SUBJECT, _W_ATTACH_NAME, _W_BODY = 0.3, 0.25, 0.2, 0.0


def _candidates(
    subject: str, body: str, names: list[str], texts: list[str]
) -> list[tuple[float, SymbolMatch, str]]:
    """Every symbol candidate of every source as (weight, match, source text)."""
    out: list[tuple[float, SymbolMatch, str]] = []
    for t in texts:
        for m in find_symbol_matches(t[:20000]):
            w = _W_ATTACH_TEXT if m.prefixed and m.start < 3000 else _W_BODY
            # the document's own number sits at the top, with "Số:" and a colon
            if re.search(r"s[ốo]\s*:\s*$", t[max(0, m.start - 8) : m.start], re.IGNORECASE):
                w += 0.3
            out.append((w - m.start / 100000, m, t))
    for m in find_symbol_matches(subject):
        out.append((_W_SUBJECT, m, subject))
    for n in names:
        for m in find_symbol_matches(n):
            out.append((_W_ATTACH_NAME, m, n))
    for m in find_symbol_matches(body[:20000]):
        out.append((_W_BODY - m.start / 100000, m, body))
    return out


def _best_symbol(cands: list[tuple[float, SymbolMatch, str]]) -> tuple[SymbolMatch, str] | None:
    """Highest score + source weight, plus 0.1 for each other source that shows the same symbol."""
    if not cands:
        return None
    agree: dict[str, set[int]] = {}
    for _w, m, src in cands:
        agree.setdefault(m.symbol.normalized, set()).add(id(src))

    def total(c: tuple[float, SymbolMatch, str]) -> float:
        w, m, _src = c
        return m.score + w + 0.1 * (len(agree[m.symbol.normalized]) - 1)

    w, m, src = max(cands, key=total)
    return m, src


def propose_fields(
    subject: str,
    body_text: str,
    attachment_names: list[str],
    attachment_texts: list[str],
    sender: str,
) -> Proposal:
    """Proposed register fields for one incoming e-mail (R7.1a-1); ``page_count`` is left None."""
    subject = nfc(subject or "")
    body = nfc(body_text or "")
    names = [nfc(n) for n in attachment_names or [] if n]
    texts = [nfc(t) for t in attachment_texts or [] if t]
    p = Proposal()

    best = _best_symbol(_candidates(subject, body, names, texts))
    src_text = ""
    anchor = 0
    if best:
        m, src_text = best
        p.symbol = m.symbol
        p.so_ky_hieu = m.symbol.raw
        p.raw["so_ky_hieu"] = m.symbol.raw
        anchor = m.start

    # trích yếu
    ty = trich_yeu_from_subject(subject)
    if ty:
        p.trich_yeu = ty
        p.raw["trich_yeu"] = subject
    else:
        for t in [*texts, body]:
            vv = _vv_line(t)
            if vv and vv[0]:
                p.trich_yeu, p.raw["trich_yeu"] = vv
                break

    # kind: the type code first, then the wording
    kind = p.symbol.kind if p.symbol else None
    if kind is None or kind == CONG_VAN:
        worded = kind_from_text(clean_subject(subject)) or kind_from_text(p.trich_yeu)
        if worded is None:
            for t in texts:
                title = _title_line(t)
                if title and (worded := kind_from_text(title)):
                    break
        if kind is None:
            kind = worded
    p.kind = kind

    # issuer: code in the symbol, then letterhead, then sender
    issuer = None
    if p.symbol and p.symbol.issuer:
        name = issuer_name(p.symbol.issuer)
        if name:
            issuer = (name, p.symbol.issuer)
    if issuer is None:
        for t in [*texts, body]:
            issuer = _issuer_from_letterhead(letterhead(t))
            if issuer:
                break
    if issuer is None:
        issuer = _issuer_from_sender(sender)
    if issuer:
        p.issuer, p.raw["issuer"] = issuer

    # date: nearest to the symbol in its own text, else the document's top, else the body/subject
    hit: _DateHit | None = None
    if src_text:
        hit = _nearest_date(src_text, anchor)
    if hit is None:
        for t in texts:
            if hit := _nearest_date(t[:5000], 0):
                break
    if hit is None:
        hit = _nearest_date(subject, 0) or _nearest_date(body[:5000], 0)
    if hit:
        p.doc_date, p.doc_date_raw = hit.date, hit.raw
        p.raw["doc_date"] = hit.raw

    if u := find_urgency(subject, [body, *texts]):
        p.urgency, p.raw["urgency"] = u
    if s := find_secrecy(subject, [body, *texts]):
        p.secrecy, p.raw["secrecy"] = s

    for t in [*texts, body]:
        if sg := find_signer(t):
            p.signer = sg[0]
            p.raw["signer"] = sg[0]
            p.raw["signer_title"] = sg[1]
            break
    return p


def _title_line(text: str) -> str | None:
    """First upper-case line after the letterhead that names a kind ("TỜ TRÌNH", "GIẤY MỜI")."""
    for line in text.splitlines()[:40]:
        s = line.strip()
        if s and _is_upper_line(s) and kind_from_text(s) and len(s.split()) <= 4:
            return s
    return None
