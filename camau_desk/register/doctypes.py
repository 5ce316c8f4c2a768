"""Document types ("tên loại văn bản") and their abbreviations (DOMAIN.md §1.2, R3.1).

Why: the register, the folder names of the mirror and the forwarding rules all need a
*kind* for each incoming document.  The kind comes first from the type code printed in
the số ký hiệu ("470/TTr-STTTT" -> Tờ trình), otherwise from the wording of the subject
("Giấy mời họp ..." -> Giấy mời).  Kind names are the Vietnamese names of the decree,
usable as folder names as they are (no "/" or ":" in any of them).
"""

from __future__ import annotations

import re

from camau_desk.vn.text import fold, nfc

__all__ = [
    "ND30_TYPES",
    "COPY_TYPES",
    "OLD_TYPES",
    "EXTRA_ADMIN_TYPES",
    "QPPL_TYPES",
    "PARTY_TYPES",
    "ADMIN_TYPE_CODES",
    "CONG_VAN",
    "R3_1_KINDS",
    "kind_from_code",
    "canonical_type_code",
    "kind_from_text",
]

CONG_VAN = "Công văn"
"""Kind of a document whose số ký hiệu has no type code (Điều 7: công văn has no abbreviation)."""

# Nghị định 30/2020/NĐ-CP, Phụ lục III, Mục I (complete, in the decree's order).
ND30_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
}

# Copy types (Phụ lục III; one common copy number series).
COPY_TYPES: dict[str, str] = {
    "SY": "Bản sao y",
    "TrS": "Bản trích sao",
    "SL": "Bản sao lục",
}

# Codes of Thông tư 01/2011/TT-BNV replaced in 2020; older documents still carry them.
OLD_TYPES: dict[str, str] = {
    "GN": "Bản ghi nhớ",
    "TTh": "Bản thỏa thuận",
    "UQ": "Giấy ủy quyền",
    "NP": "Giấy nghỉ phép",
}

# Not in Phụ lục III but printed in administrative numbers in practice
# (inspection conclusions "KL", pre-2011 "CV" for công văn).
EXTRA_ADMIN_TYPES: dict[str, str] = {
    "KL": "Kết luận",
    "CV": CONG_VAN,
}

# Legal-normative (QPPL) type codes seen in "số/năm/LOẠI-CƠQUAN".
QPPL_TYPES: dict[str, str] = {
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQ": "Nghị quyết",
    "NQLT": "Nghị quyết liên tịch",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "PL": "Pháp lệnh",
    "L": "Lệnh",
    "Luật": "Luật",
}

# Party documents (Hướng dẫn 36-HD/VPTW): "36-HD/VPTW".  In Party usage "QĐ" also
# covers quy định, and "TT" is thông tri.
PARTY_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "HD": "Hướng dẫn",
    "TT": "Thông tri",
    "TB": "Thông báo",
    "TC": "Thông cáo",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "TTr": "Tờ trình",
    "BB": "Biên bản",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "CV": CONG_VAN,
}

QUOC_HOI_KIND = "Văn bản Quốc hội"
"""Kind of "80/2015/QH13": a law or a resolution of the National Assembly, not told apart by the number."""

_QH_RE = re.compile(r"^(?:UBTV)?QH\d{0,2}$")

# Codes that decide "administrative with type" (pattern 3) versus "công văn" (pattern 4).
ADMIN_TYPES: dict[str, str] = {**ND30_TYPES, **COPY_TYPES, **OLD_TYPES, **EXTRA_ADMIN_TYPES}
ADMIN_TYPE_CODES: frozenset[str] = frozenset(ADMIN_TYPES)

_ALL_TYPES: dict[str, str] = {**QPPL_TYPES, **PARTY_TYPES, **ADMIN_TYPES}


def _table(style: str | None) -> dict[str, str]:
    if style == "qppl":
        return {**ADMIN_TYPES, **QPPL_TYPES}
    if style == "party":
        return {**ADMIN_TYPES, **PARTY_TYPES}
    if style in ("admin", "blank", "congvan"):
        return ADMIN_TYPES
    return _ALL_TYPES


def canonical_type_code(code: str, style: str | None = None) -> str | None:
    """The table spelling of ``code`` ("TTR" -> "TTr", "QD" -> "QĐ"), or None if unknown.

    Exact match first; then a unique case-insensitive match (all-caps printing);
    then a unique diacritic-free match (file names and ASCII e-mail subjects write
    "QD" for "QĐ").  "HD"/"HĐ" and "DA"/"ĐA" are both real codes, so an exact
    spelling always wins over folding.
    """
    code = nfc(code.strip())
    if not code:
        return None
    table = _table(style)
    if code in table:
        return code
    lower = [c for c in table if c.casefold() == code.casefold()]
    if len(lower) == 1:
        return lower[0]
    folded = [c for c in table if fold(c) == fold(code)]
    if len(folded) == 1:
        return folded[0]
    return None


def kind_from_code(code: str | None, style: str | None = None) -> str | None:
    """Vietnamese kind name for a type code ("TTr" -> "Tờ trình"), None if unknown.

    ``style`` ("qppl", "party", "admin") picks the right reading where a code means
    different things (Party "TT" is thông tri, QPPL "TT" is thông tư).  "QH13"-style
    codes give ``QUOC_HOI_KIND``.
    """
    if not code:
        return None
    code = nfc(code.strip())
    if _QH_RE.match(code):
        return QUOC_HOI_KIND
    canon = canonical_type_code(code, style)
    if canon is None:
        return None
    return _table(style)[canon]


# --- kind from wording ---------------------------------------------------------------------

R3_1_KINDS: tuple[str, ...] = (
    "Giấy mời",
    "Lịch công tác",
    "Tài liệu họp",
    "Bản sao y",
    "Báo cáo",
    "Thông báo",
    "Dự thảo xin ý kiến",
    "Văn bản để biết",
)
"""Kinds the regulation says must go by e-mail (R3.1): invitations, work schedules,
meeting papers, certified copies, periodic/thematic reports, announcements, documents
for information, drafts sent for comment."""

# (folded prefix, kind).  Longest prefixes first so "thong bao ket luan" beats "thong bao".
_PREFIX_KINDS: list[tuple[str, str]] = [
    ("du thao", "Dự thảo xin ý kiến"),
    ("xin y kien du thao", "Dự thảo xin ý kiến"),
    ("lay y kien du thao", "Dự thảo xin ý kiến"),
    ("gop y du thao", "Dự thảo xin ý kiến"),
    ("lich cong tac", "Lịch công tác"),
    ("lich lam viec", "Lịch công tác"),
    ("tai lieu hop", "Tài liệu họp"),
    ("tai lieu cuoc hop", "Tài liệu họp"),
    ("tai lieu phuc vu", "Tài liệu họp"),
    ("tai lieu hoi nghi", "Tài liệu họp"),
    ("moi hop", "Giấy mời"),
    ("kinh moi", "Giấy mời"),
    ("thu moi", "Giấy mời"),
    ("ban sao y", "Bản sao y"),
    ("sao y", "Bản sao y"),
    ("cong van", CONG_VAN),
    ("thu cong", "Thư công"),
    ("luat", "Luật"),
    ("phap lenh", "Pháp lệnh"),
    ("nghi dinh", "Nghị định"),
    ("thong tu lien tich", "Thông tư liên tịch"),
    ("thong tu", "Thông tư"),
    ("ket luan", "Kết luận"),
]
for _name in {**ND30_TYPES, **COPY_TYPES}.values():
    _PREFIX_KINDS.append((fold(_name), _name))
_PREFIX_KINDS.sort(key=lambda p: len(p[0]), reverse=True)

# Phrases anywhere in the text that mark an R3.1 kind (checked after prefixes).
_CONTAINS_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:xin|lay|gop) y kien\b.*\bdu thao\b|\bdu thao\b.*\b(?:xin|lay|gop) y kien\b"),
     "Dự thảo xin ý kiến"),
    (re.compile(r"\bgop y\b.*\bdu thao\b"), "Dự thảo xin ý kiến"),
    (re.compile(r"\blich cong tac\b"), "Lịch công tác"),
    (re.compile(r"\bgiay moi\b|\bmoi (?:du |tham du )?hop\b"), "Giấy mời"),
    (re.compile(r"\bbao cao (?:tuan|thang|quy|nam|dinh ky|chuyen de|so ket|tong ket)\b"), "Báo cáo"),
]

_LABEL_RE = re.compile(r"^(?:v/v|ve viec)\s*:?\s*")


def kind_from_text(subject_or_title: str | None) -> str | None:
    """Kind named by the wording of a subject or document title, or None.

    "Giấy mời họp giao ban" -> "Giấy mời"; "Báo cáo tuần 12" -> "Báo cáo";
    "Dự thảo Quyết định ..." -> "Dự thảo xin ý kiến".  Diacritic and case tolerant
    (ASCII subjects like "GIAY MOI" work).  A leading "V/v" / "Về việc" is skipped.
    """
    if not subject_or_title:
        return None
    text = fold(subject_or_title)
    text = _LABEL_RE.sub("", text)
    text = re.sub(r"^[\W_]+", "", text)
    for prefix, kind in _PREFIX_KINDS:
        if text == prefix or text.startswith(prefix + " ") or (
            text.startswith(prefix) and not text[len(prefix)].isalnum()
        ):
            return kind
    for pattern, kind in _CONTAINS_KINDS:
        if pattern.search(text):
            return kind
    return None
