"""Số ký hiệu parser and finder (R7.1a-1; DOMAIN.md §1.2-1.4)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camau_desk.register.doctypes import (
    CONG_VAN,
    QUOC_HOI_KIND,
    canonical_type_code,
    kind_from_code,
    kind_from_text,
)
from camau_desk.register.symbols import Symbol, find_symbol_matches, find_symbols, parse_symbol

pytestmark = pytest.mark.unit

# raw, style, number, year, type_code, issuer, units, kind, normalized
CASES: list[tuple[str, str, str | None, int | None, str | None, str | None, tuple[str, ...], str | None, str]] = [
    # decree examples (Phụ lục I) and DOMAIN.md §1.4
    ("470/TTr-STTTT", "admin", "470", None, "TTr", "STTTT", (), "Tờ trình", "470/TTr-STTTT"),
    ("15/QĐ-BNV", "admin", "15", None, "QĐ", "BNV", (), "Quyết định", "15/QĐ-BNV"),
    ("Số: 15/QĐ-BNV", "admin", "15", None, "QĐ", "BNV", (), "Quyết định", "15/QĐ-BNV"),
    ("05/BNV-VP", "congvan", "05", None, None, "BNV", ("VP",), CONG_VAN, "05/BNV-VP"),
    ("Số: 05/BNV-VP", "congvan", "05", None, None, "BNV", ("VP",), CONG_VAN, "05/BNV-VP"),
    ("12/UBND-VX", "congvan", "12", None, None, "UBND", ("VX",), CONG_VAN, "12/UBND-VX"),
    ("30191/TB-SNNMT-BTTĐC", "admin", "30191", None, "TB", "SNNMT", ("BTTĐC",), "Thông báo",
     "30191/TB-SNNMT-BTTĐC"),
    ("4295/UBND-TH", "congvan", "4295", None, None, "UBND", ("TH",), CONG_VAN, "4295/UBND-TH"),
    ("11796/VPCP-KSTT", "congvan", "11796", None, None, "VPCP", ("KSTT",), CONG_VAN, "11796/VPCP-KSTT"),
    ("26/2009/QĐ-UBND", "qppl", "26", 2009, "QĐ", "UBND", (), "Quyết định", "26/2009/QĐ-UBND"),
    ("30/2020/NĐ-CP", "qppl", "30", 2020, "NĐ", "CP", (), "Nghị định", "30/2020/NĐ-CP"),
    ("01/2011/TT-BNV", "qppl", "01", 2011, "TT", "BNV", (), "Thông tư", "01/2011/TT-BNV"),
    ("55/2005/TTLT-BNV-VPCP", "qppl", "55", 2005, "TTLT", "BNV", ("VPCP",), "Thông tư liên tịch",
     "55/2005/TTLT-BNV-VPCP"),
    ("80/2015/QH13", "qppl", "80", 2015, "QH13", "QH13", (), QUOC_HOI_KIND, "80/2015/QH13"),
    ("17/2008/QH12", "qppl", "17", 2008, "QH12", "QH12", (), QUOC_HOI_KIND, "17/2008/QH12"),
    ("28/2018/QĐ-TTg", "qppl", "28", 2018, "QĐ", "TTg", (), "Quyết định", "28/2018/QĐ-TTg"),
    ("24/2020/TT-BCA", "qppl", "24", 2020, "TT", "BCA", (), "Thông tư", "24/2020/TT-BCA"),
    ("34/2008/CT-TTg", "qppl", "34", 2008, "CT", "TTg", (), "Chỉ thị", "34/2008/CT-TTg"),
    ("12/2015/L-CTN", "qppl", "12", 2015, "L", "CTN", (), "Lệnh", "12/2015/L-CTN"),
    # Party documents
    ("36-HD/VPTW", "party", "36", None, "HD", "VPTW", (), "Hướng dẫn", "36-HD/VPTW"),
    ("06-CT/TU", "party", "06", None, "CT", "TU", (), "Chỉ thị", "06-CT/TU"),
    ("23-QĐ/UBKTTW", "party", "23", None, "QĐ", "UBKTTW", (), "Quyết định", "23-QĐ/UBKTTW"),
    ("12-NQ/TW", "party", "12", None, "NQ", "TW", (), "Nghị quyết", "12-NQ/TW"),
    ("150-KL/TU", "party", "150", None, "KL", "TU", (), "Kết luận", "150-KL/TU"),
    ("Số 1234-CV/TU", "party", "1234", None, "CV", "TU", (), CONG_VAN, "1234-CV/TU"),
    # blank numbers (drafts)
    ("Số: /HC-TH", "blank", None, None, None, "HC", ("TH",), CONG_VAN, "/HC-TH"),
    ("Số:      /QĐ-UBND", "blank", None, None, "QĐ", "UBND", (), "Quyết định", "/QĐ-UBND"),
    ("Số: ....../BC-UBND", "blank", None, None, "BC", "UBND", (), "Báo cáo", "/BC-UBND"),
    ("Số:    /2024/NĐ-CP", "blank", None, 2024, "NĐ", "CP", (), "Nghị định", "/2024/NĐ-CP"),
    # print / OCR variants: spaces, dashes
    ("6240 /BGDĐT-KHCNTT", "congvan", "6240", None, None, "BGDĐT", ("KHCNTT",), CONG_VAN, "6240/BGDĐT-KHCNTT"),
    ("425/VTLTNN - NVTW", "congvan", "425", None, None, "VTLTNN", ("NVTW",), CONG_VAN, "425/VTLTNN-NVTW"),
    ("470/TTr–STTTT", "admin", "470", None, "TTr", "STTTT", (), "Tờ trình", "470/TTr-STTTT"),  # en-dash
    ("470/TTr—STTTT", "admin", "470", None, "TTr", "STTTT", (), "Tờ trình", "470/TTr-STTTT"),  # em-dash
    ("470/TTr\u2011STTTT", "admin", "470", None, "TTr", "STTTT", (), "Tờ trình", "470/TTr-STTTT"),  # nb hyphen
    ("470/TTr\u2212STTTT", "admin", "470", None, "TTr", "STTTT", (), "Tờ trình", "470/TTr-STTTT"),  # minus
    ("36 – HD / VPTW", "party", "36", None, "HD", "VPTW", (), "Hướng dẫn", "36-HD/VPTW"),
    ("26 / 2009 / QĐ - UBND", "qppl", "26", 2009, "QĐ", "UBND", (), "Quyết định", "26/2009/QĐ-UBND"),
    ("So: 12/UBND-VX", "congvan", "12", None, None, "UBND", ("VX",), CONG_VAN, "12/UBND-VX"),
    ("SỐ: 12/UBND-VX", "congvan", "12", None, None, "UBND", ("VX",), CONG_VAN, "12/UBND-VX"),
    # mixed-case codes of Phụ lục III
    ("12/QyĐ-UBND", "admin", "12", None, "QyĐ", "UBND", (), "Quy định", "12/QyĐ-UBND"),
    ("08/CTr-UBND", "admin", "08", None, "CTr", "UBND", (), "Chương trình", "08/CTr-UBND"),
    ("03/TrS-VP", "admin", "03", None, "TrS", "VP", (), "Bản trích sao", "03/TrS-VP"),
    ("05/SY-UBND", "admin", "05", None, "SY", "UBND", (), "Bản sao y", "05/SY-UBND"),
    ("07/SL-VP", "admin", "07", None, "SL", "VP", (), "Bản sao lục", "07/SL-VP"),
    ("470/TTR-STTTT", "admin", "470", None, "TTr", "STTTT", (), "Tờ trình", "470/TTr-STTTT"),
    # other Phụ lục III codes
    ("25/GM-UBND", "admin", "25", None, "GM", "UBND", (), "Giấy mời", "25/GM-UBND"),
    ("112/KH-UBND", "admin", "112", None, "KH", "UBND", (), "Kế hoạch", "112/KH-UBND"),
    ("88/BC-SKHCN", "admin", "88", None, "BC", "SKHCN", (), "Báo cáo", "88/BC-SKHCN"),
    ("02/CĐ-UBND", "admin", "02", None, "CĐ", "UBND", (), "Công điện", "02/CĐ-UBND"),
    ("14/HĐ-STC", "admin", "14", None, "HĐ", "STC", (), "Hợp đồng", "14/HĐ-STC"),
    ("14/HD-SNV", "admin", "14", None, "HD", "SNV", (), "Hướng dẫn", "14/HD-SNV"),
    ("09/ĐA-UBND", "admin", "09", None, "ĐA", "UBND", (), "Đề án", "09/ĐA-UBND"),
    ("09/DA-UBND", "admin", "09", None, "DA", "UBND", (), "Dự án", "09/DA-UBND"),
    ("31/GGT-SNV", "admin", "31", None, "GGT", "SNV", (), "Giấy giới thiệu", "31/GGT-SNV"),
    ("4/BGN-UBND", "admin", "4", None, "BGN", "UBND", (), "Bản ghi nhớ", "4/BGN-UBND"),
    # pre-2020 codes (TT 01/2011/TT-BNV)
    ("12/UQ-UBND", "admin", "12", None, "UQ", "UBND", (), "Giấy ủy quyền", "12/UQ-UBND"),
    ("03/GN-UBND", "admin", "03", None, "GN", "UBND", (), "Bản ghi nhớ", "03/GN-UBND"),
    ("03/TTh-UBND", "admin", "03", None, "TTh", "UBND", (), "Bản thỏa thuận", "03/TTh-UBND"),
    ("15/NP-VP", "admin", "15", None, "NP", "VP", (), "Giấy nghỉ phép", "15/NP-VP"),
    # "&" and "." inside groups
    ("77/SKH&ĐT-TH", "congvan", "77", None, None, "SKH&ĐT", ("TH",), CONG_VAN, "77/SKH&ĐT-TH"),
    ("77/UBND.VP-TH", "congvan", "77", None, None, "UBND.VP", ("TH",), CONG_VAN, "77/UBND.VP-TH"),
]


@pytest.mark.parametrize(
    ("raw", "style", "number", "year", "type_code", "issuer", "units", "kind", "normalized"), CASES
)
def test_R7_1a_1_parse_symbol_table(raw, style, number, year, type_code, issuer, units, kind, normalized):
    sym = parse_symbol(raw)
    assert sym is not None, raw
    assert sym.raw == raw  # never repaired
    assert (sym.style, sym.number, sym.year, sym.type_code, sym.issuer, sym.units, sym.kind) == (
        style, number, year, type_code, issuer, units, kind,
    )
    assert sym.normalized == normalized


def test_table_is_large_enough():
    assert len(CASES) >= 45


def test_nfd_input_is_normalised_to_nfc():
    nfd = unicodedata.normalize("NFD", "Số: 30191/TB-SNNMT-BTTĐC")
    sym = parse_symbol(nfd)
    assert sym is not None
    assert sym.raw == unicodedata.normalize("NFC", nfd)
    assert sym.units == ("BTTĐC",)
    assert parse_symbol(unicodedata.normalize("NFD", "15/QĐ-BNV")).type_code == "QĐ"


def test_leading_zeros_kept():
    assert parse_symbol("05/BNV-VP").number == "05"
    assert parse_symbol("005/GM-UBND").number == "005"


def test_raw_string_kept_as_printed_with_spaces_and_dashes():
    raw = "425/VTLTNN – NVTW"
    sym = parse_symbol(raw)
    assert sym.raw == raw
    assert sym.normalized == "425/VTLTNN-NVTW"


@pytest.mark.parametrize(
    "text",
    [
        "09/12/2009",
        "9/12/2009",
        "1/2",
        "24/7",
        "3/4G-LTE",
        "09/12-2009",
        "0913-123-456",
        "0290.3831234",
        "https://camau.gov.vn/470/TTr-STTTT",
        "Tờ trình",
        "UBND-TH",
        "4295/UBND",  # công văn needs issuer and unit
        "V/v triển khai",
        "",
        "470/ttr-sttt",
        "12/2020",
        "Số:",
    ],
)
def test_parse_symbol_rejects_non_symbols(text):
    assert parse_symbol(text) is None


def test_symbol_is_frozen():
    sym = parse_symbol("470/TTr-STTTT")
    with pytest.raises(AttributeError):
        sym.number = "1"  # type: ignore[misc]
    assert isinstance(sym, Symbol)


# --- find_symbols ---------------------------------------------------------------------------


def test_find_in_subject():
    found = find_symbols("Fwd: V/v thực hiện Công văn số 4295/UBND-TH ngày 09/12/2009 của UBND tỉnh")
    assert [s.raw for s in found] == ["4295/UBND-TH"]


def test_find_stops_at_prose_after_spaced_dash():
    found = find_symbols("TR: 4295/UBND-TH - UBND tỉnh Cà Mau về việc họp")
    assert found[0].raw == "4295/UBND-TH"


def test_find_keeps_spaced_dash_symbol():
    found = find_symbols("Thực hiện Công văn 425/VTLTNN - NVTW ngày 5/3/2024")
    assert found[0].raw == "425/VTLTNN - NVTW"


@pytest.mark.parametrize(
    ("name", "raw", "normalized", "style"),
    [
        ("470_TTr-STTTT.pdf", "470_TTr-STTTT", "470/TTr-STTTT", "admin"),
        ("470-TTr-STTTT.pdf", "470-TTr-STTTT", "470/TTr-STTTT", "admin"),
        ("4295_UBND-TH.docx", "4295_UBND-TH", "4295/UBND-TH", "congvan"),
        ("26_2009_QĐ-UBND.doc", "26_2009_QĐ-UBND", "26/2009/QĐ-UBND", "qppl"),
        ("26_2009_QD-UBND.PDF", "26_2009_QD-UBND", "26/2009/QĐ-UBND", "qppl"),
        ("36-HD_VPTW.pdf", "36-HD_VPTW", "36-HD/VPTW", "party"),
        ("CV 470_TTr_STTTT.signed.pdf", "470_TTr_STTTT", "470/TTr-STTTT", "admin"),
    ],
)
def test_find_in_file_names(name, raw, normalized, style):
    found = find_symbols(name)
    assert found, name
    assert found[0].raw == raw  # recorded as found
    assert found[0].normalized == normalized
    assert found[0].style == style


@pytest.mark.parametrize(
    "text",
    [
        "Họp lúc 14h00 ngày 09/12/2009 tại hội trường",
        "Liên hệ 0913-123-456 hoặc 0290.3831234",
        "Xem https://camau.gov.vn/vbpq/470/TTr-STTTT/view và http://x.vn/2020/05/QD-UBND",
        "Gửi về vanthu@camau.gov.vn hoặc 470-stc@camau.gov.vn",
        "Tỷ lệ 1/2, 3/4 và 24/7, năm học 2009/2010",
        "scan_20201209_0001.pdf",
        "ngày 15/3 - UBND tỉnh họp",
        "Điều 5/khoản 2",
    ],
)
def test_find_avoids_false_positives(text):
    assert find_symbols(text) == []


def test_find_ranks_prefixed_and_typed_first():
    text = "Căn cứ 4295/UBND-TH; Số: 470/TTr-STTTT"
    matches = find_symbol_matches(text)
    assert [m.symbol.raw for m in matches] == ["470/TTr-STTTT", "4295/UBND-TH"]
    assert matches[0].prefixed
    assert matches[0].score > matches[1].score
    assert text[matches[0].start : matches[0].end] == "470/TTr-STTTT"


def test_find_deduplicates_same_symbol():
    found = find_symbols("470/TTr-STTTT và 470_TTr-STTTT.pdf, lại 470/TTr-STTTT")
    assert [s.normalized for s in found] == ["470/TTr-STTTT"]


def test_find_blank_and_trailing_period():
    assert find_symbols("Số:      /QĐ-UBND   Cà Mau, ngày   tháng   năm 2024")[0].normalized == "/QĐ-UBND"
    assert find_symbols("theo Tờ trình số 470/TTr-STTTT.")[0].raw == "470/TTr-STTTT"


def test_find_nfd_text():
    text = unicodedata.normalize("NFD", "Quyết định số 15/QĐ-BNV của Bộ")
    assert find_symbols(text)[0].raw == "15/QĐ-BNV"


def test_find_law_number():
    sym = find_symbols("Luật số: 80/2015/QH13 ban hành văn bản")[0]
    assert sym.style == "qppl" and sym.issuer == "QH13"


# --- doctypes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("TTr", "Tờ trình"), ("GM", "Giấy mời"), ("SY", "Bản sao y"), ("TrS", "Bản trích sao"),
        ("SL", "Bản sao lục"), ("GN", "Bản ghi nhớ"), ("TTh", "Bản thỏa thuận"), ("UQ", "Giấy ủy quyền"),
        ("NP", "Giấy nghỉ phép"), ("NĐ", "Nghị định"), ("TTLT", "Thông tư liên tịch"), ("Luật", "Luật"),
        ("PL", "Pháp lệnh"), ("QD", "Quyết định"), ("BGN", "Bản ghi nhớ"), ("QH14", QUOC_HOI_KIND),
        ("UBND", None), ("", None), (None, None),
    ],
)
def test_kind_from_code(code, kind):
    assert kind_from_code(code) == kind


def test_kind_from_code_depends_on_style():
    assert kind_from_code("TT", "qppl") == "Thông tư"
    assert kind_from_code("TT", "party") == "Thông tri"
    assert kind_from_code("TT", "admin") is None


def test_canonical_type_code():
    assert canonical_type_code("TTR") == "TTr"
    assert canonical_type_code("qyđ") == "QyĐ"
    assert canonical_type_code("HD") == "HD"
    assert canonical_type_code("HĐ") == "HĐ"
    assert canonical_type_code("XYZ") is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Giấy mời họp giao ban tháng 12", "Giấy mời"),
        ("GIAY MOI hop", "Giấy mời"),
        ("Báo cáo tuần 49", "Báo cáo"),
        ("Báo cáo quý IV năm 2024", "Báo cáo"),
        ("Dự thảo Quyết định ban hành Quy chế", "Dự thảo xin ý kiến"),
        ("V/v góp ý dự thảo Kế hoạch chuyển đổi số", "Dự thảo xin ý kiến"),
        ("Lịch công tác tuần 50 của Lãnh đạo UBND tỉnh", "Lịch công tác"),
        ("Thông báo kết luận của Chủ tịch UBND tỉnh", "Thông báo"),
        ("Tờ trình đề nghị phê duyệt", "Tờ trình"),
        ("Kế hoạch triển khai", "Kế hoạch"),
        ("Bản sao y Quyết định 15", "Bản sao y"),
        ("Kính mời dự họp", "Giấy mời"),
        ("Tài liệu họp Ban Chỉ đạo", "Tài liệu họp"),
        ("Quyết định về việc", "Quyết định"),
        ("Triển khai thực hiện Nghị quyết", None),
        ("", None),
    ],
)
def test_R3_1_kind_from_text(text, kind):
    assert kind_from_text(text) == kind


def test_kind_names_are_folder_safe():
    from camau_desk.register import doctypes

    names = [*doctypes.ADMIN_TYPES.values(), *doctypes.QPPL_TYPES.values(), *doctypes.PARTY_TYPES.values(),
             *doctypes.R3_1_KINDS, QUOC_HOI_KIND]
    for name in names:
        assert not set(name) & set('<>:"/\\|?*'), name


# --- properties ------------------------------------------------------------------------------


_ALPHABET = "0123456789/-–_ .:SsốốQĐđTrByUBNDVPTKHCMabcờêé@\n"


@given(st.text(alphabet=_ALPHABET, max_size=60))
@settings(max_examples=300, deadline=None)
def test_parse_and_find_never_raise(text):
    sym = parse_symbol(text)
    if sym is not None:
        assert parse_symbol(sym.normalized if sym.style != "blank" else "Số: " + sym.normalized) is not None
    for found in find_symbols(text):
        assert found.raw in unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("case", [c for c in CASES if c[1] != "blank"], ids=lambda c: c[0])
def test_normalized_form_round_trips(case):
    sym = parse_symbol(case[0])
    again = parse_symbol(sym.normalized)
    assert again.normalized == sym.normalized
    fields = ("style", "type_code", "issuer", "units")
    assert [getattr(again, f) for f in fields] == [getattr(sym, f) for f in fields]


def test_find_is_fast_on_long_text():
    import time

    chunk = ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020; gọi 0913-123-456, xem https://camau.gov.vn/a/b; "
             "Số: 470/TTr-STTTT ABC-DEF-GHI-JKL 1/2 3/4 " * 3)
    text = chunk * 60  # ~20,000 characters
    t0 = time.perf_counter()
    found = find_symbols(text)
    assert time.perf_counter() - t0 < 2.0
    assert {s.normalized for s in found} == {"30/2020/NĐ-CP", "470/TTr-STTTT"}
