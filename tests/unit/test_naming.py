"""R6.2 / R7.1a-1 / invariant 5: every mirror name is valid on Windows, NFC and inside the root."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from camau_desk.archive.naming import (
    DEFAULT_TEMPLATE,
    ELLIPSIS,
    MirrorPathError,
    TemplateError,
    attachment_name,
    is_windows_safe,
    mirror_path,
    render_template,
    safe_component,
    unique_path,
    utf16_units,
    validate_template,
)
from camau_desk.errors import CamauError

pytestmark = pytest.mark.unit

# ------------------------------------------------------------------ an independent oracle

WIN_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
DEVICES = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in "0123456789¹²³"}
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def units(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def assert_windows_valid(name: str, max_units: int = 255) -> None:
    """What Windows itself would refuse or silently change, written out without the module's help."""
    assert name, "empty name"
    assert name not in (".", "..")
    assert not (set(name) & WIN_FORBIDDEN), name
    assert not (set(name) & BIDI), name
    assert not name.endswith((".", " ")), name
    assert not name.startswith(" "), name
    assert name.split(".")[0].rstrip(" ").upper() not in DEVICES, name
    assert unicodedata.normalize("NFC", name) == name
    assert units(name) <= max_units


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# Text that likes to hit the edges: Vietnamese (also NFD), emoji, controls, bidi, device names, "..\".
VIETNAMESE = ["Quyết định", "Ủy ban nhân dân tỉnh Cà Mau", "Sở Thông tin và Truyền thông", "trích yếu"]
HOSTILE = ["..\\", "../", "..", ".", "CON", "nul.tar.gz", "COM¹", "lpt9", " ", "\u202e", "\x00", "\t\n", ":", "*?"]
pieces = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(VIETNAMESE).map(nfd),
    st.sampled_from(VIETNAMESE),
    st.sampled_from(HOSTILE),
    st.sampled_from(["👨‍👩‍👧", "👍🏽", "🇻🇳", "e\u0301\u0323", "\U0001f600"]),
    st.text(st.sampled_from("ạ ." + "\u0301"), min_size=100, max_size=400),
)
hostile_text = st.lists(pieces, max_size=8).map("".join)


# ------------------------------------------------------------------ safe_component


@given(hostile_text, st.integers(min_value=8, max_value=255))
@example("x" * 400, 120)
@example(nfd("Quyết định số 12 về việc ") * 20 + ".pdf", 60)
@example("CON" + "." + "a" * 200, 8)
@example("\u0301" * 50, 8)
def test_R6_2_safe_component_is_windows_valid_nfc_and_bounded(text: str, max_units: int) -> None:
    name = safe_component(text, max_units)
    assert_windows_valid(name, max_units)
    assert is_windows_safe(name, max_units)


@given(hostile_text)
def test_R6_2_safe_component_is_idempotent(text: str) -> None:
    once = safe_component(text)
    assert safe_component(once) == once


@given(hostile_text)
def test_R6_2_truncation_never_splits_a_letter_from_its_mark(text: str) -> None:
    full = safe_component(text, 100_000)
    name = safe_component(text, 20)
    if name != full and ELLIPSIS in name:
        kept = name[: name.rindex(ELLIPSIS)].rstrip(" ")
        assert full.startswith(kept)
        rest = full[len(kept) :]
        # nothing kept (text was only marks) or the first dropped character starts a new letter
        assert not kept or not rest or unicodedata.category(rest[0]) not in ("Mn", "Mc", "Me")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CON", "CON_"),
        ("con.pdf", "con_.pdf"),
        ("nul.tar.gz", "nul_.tar.gz"),
        ("Aux .txt", "Aux_.txt"),
        ("COM¹.docx", "COM¹_.docx"),
        ("lpt0", "lpt0_"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),
        ("..", "_"),
        (".", "_"),
        ("", "_"),
        ("   ", "_"),
        (" . . ", "_"),
        ("báo cáo. ", "báo cáo"),
        ("  đầu", "đầu"),
        ("470/TTr-STTTT", "470_TTr-STTTT"),
        ('a<b>c:d"e|f?g*h\\i', "a_b_c_d_e_f_g_h_i"),
        ("dòng 1\r\ndòng 2\ttab", "dòng 1 dòng 2 tab"),
        ("a\x00b\x1fc", "a_b_c"),
        ("hóa đơn\u202efdp.exe", "hóa đơnfdp.exe"),
        (nfd("Quyết định"), "Quyết định"),
    ],
)
def test_R6_2_safe_component_examples(raw: str, expected: str) -> None:
    assert safe_component(raw) == expected


def test_R6_2_truncation_counts_utf16_keeps_extension_and_emoji_whole() -> None:
    name = safe_component("😀" * 100 + ".pdf", 30)
    assert units(name) <= 30
    assert name.endswith(ELLIPSIS + ".pdf")
    assert name.count("😀") == (30 - 5) // 2  # 12 emoji = 24 units, never half of one
    name = safe_component("Tờ trình " * 40 + ".docx", 120)
    assert units(name) <= 120
    assert name.endswith("….docx")


def test_R6_2_truncation_keeps_base_letter_with_its_nfd_marks() -> None:
    # "ệ" in NFD is e + U+0323 + U+0302; combined that cannot be precomposed into one char
    # with U+0301 on top, so NFC keeps a mark after the base: the cut must not orphan it.
    text = "a" * 9 + "ệ\u0301" + "b" * 20
    name = safe_component(text, 11)
    assert not unicodedata.combining(name[name.index(ELLIPSIS) - 1])


def test_R6_2_safe_component_rejects_tiny_budget() -> None:
    with pytest.raises(ValueError):
        safe_component("x", 3)


# ------------------------------------------------------------------ templates

REGISTER_FIELDS = {
    "year": 2024,
    "month": 5,
    "kind": "Công văn",
    "so_den": 7,
    "so_ky_hieu": "470/TTr-STTTT",
    "trich_yeu": "V/v báo cáo tình hình\r\n6 tháng đầu năm.",
    "ext": "pdf",
}


def test_R7_1a_1_default_template_names_file_by_so_den() -> None:
    assert render_template(DEFAULT_TEMPLATE, REGISTER_FIELDS) == [
        "2024",
        "05",
        "Công văn",
        "0007 - 470_TTr-STTTT - V_v báo cáo tình hình 6 tháng đầu năm.pdf",
    ]


def test_R6_2_template_values_cannot_create_directories() -> None:
    fields = dict(REGISTER_FIELDS, kind="..", so_ky_hieu="..\\..\\Windows", trich_yeu="../../etc/passwd")
    parts = render_template(DEFAULT_TEMPLATE, fields)
    assert len(parts) == 4
    assert parts[2] == "_"
    assert parts[3] == "0007 - .._.._Windows - .._.._etc_passwd.pdf"
    for p in parts:
        assert_windows_valid(p)


def test_R6_2_missing_fields_are_empty_and_separators_tidied() -> None:
    fields = {"year": 2024, "month": "3", "kind": "Quyết định", "so_den": "12", "ext": "pdf"}
    assert render_template(DEFAULT_TEMPLATE, fields) == ["2024", "03", "Quyết định", "0012.pdf"]
    fields = dict(fields, trich_yeu="Về việc họp")
    assert render_template(DEFAULT_TEMPLATE, fields)[-1] == "0012 - Về việc họp.pdf"
    fields = dict(fields, so_ky_hieu="12/QĐ-UBND", trich_yeu=None)
    assert render_template(DEFAULT_TEMPLATE, fields)[-1] == "0012 - 12_QĐ-UBND.pdf"


def test_R6_2_template_component_made_of_missing_field_is_not_empty() -> None:
    parts = render_template(DEFAULT_TEMPLATE, {"so_den": 1, "ext": "pdf"})
    assert parts == ["_", "_", "_", "0001.pdf"]


def test_R6_2_template_accepts_backslash_as_separator() -> None:
    assert render_template("{year}\\{kind}", {"year": 2025, "kind": "Tờ trình"}) == ["2025", "Tờ trình"]


def test_R6_2_template_device_names_in_values_are_fixed() -> None:
    assert render_template("{kind}/{trich_yeu}.{ext}", {"kind": "con", "trich_yeu": "PRN", "ext": "pdf"}) == [
        "con_",
        "PRN_.pdf",
    ]


@pytest.mark.parametrize(
    "template",
    [
        "",
        "   ",
        "/{year}/{so_den}",
        "\\{year}",
        "C:/{year}",
        "c:{year}",
        "{year}/../{so_den}",
        "{year}/./{so_den}",
        "../{so_den}",
        "{year}//{so_den}",
        "{year}/",
        "{khong_co}/{so_den}",
        "{}/{so_den}",
        "{0}",
        "{year.real}",
        "{year[0]}",
        "{year!r}",
        "{year:{month}}",
        "{year",
        "year}",
    ],
)
def test_R6_2_validate_template_refuses_in_vietnamese(template: str) -> None:
    with pytest.raises(ValueError) as info:
        validate_template(template)
    assert isinstance(info.value, CamauError)
    assert "Mẫu đặt tên" in str(info.value) or "Trường" in str(info.value) or "trường" in str(info.value)


def test_R6_2_validate_template_accepts_default_and_custom_fields() -> None:
    validate_template(DEFAULT_TEMPLATE)
    validate_template("{huong}/{year}/{so_di:04} {co_quan}.{ext}")
    validate_template("{x}/{y}", known={"x", "y"})
    with pytest.raises(TemplateError):
        render_template("{typo}/{so_den}", {"so_den": 1})


@settings(max_examples=150)
@given(
    st.dictionaries(
        st.sampled_from(["year", "month", "kind", "so_den", "so_ky_hieu", "trich_yeu", "ext"]), hostile_text
    )
)
def test_R6_2_rendered_components_are_always_windows_valid(fields: dict[str, str]) -> None:
    parts = render_template(DEFAULT_TEMPLATE, fields)
    assert len(parts) == 4
    for p in parts:
        assert_windows_valid(p, 120)


# ------------------------------------------------------------------ mirror_path

ROOT = Path("/tmp/camau-mirror-test-root/Cà Mau Desk")


@settings(max_examples=200)
@given(st.lists(hostile_text, min_size=1, max_size=6))
@example(["2024", "05", "Công văn", "0007 - " + "ư" * 400 + ".pdf"])
@example(["x" * 255] * 6)
def test_R6_2_mirror_path_inside_root_and_within_259_units(components: list[str]) -> None:
    path = mirror_path(ROOT, components)
    assert units(str(path)) <= 259
    assert path.resolve().is_relative_to(ROOT.resolve())
    rel = path.relative_to(ROOT)
    assert len(rel.parts) == len(components)
    for part in rel.parts:
        assert_windows_valid(part)
    assert units(str(path.parent)) <= 247


def test_R6_2_mirror_path_shortens_last_stem_keeping_number_and_extension() -> None:
    name = "0123 - 470_TTr-STTTT - " + "Về việc báo cáo tình hình " * 10 + ".docx"
    path = mirror_path(ROOT, ["2024", "05", "Công văn", name], limit=120)
    assert 118 <= units(str(path)) <= 120  # a space before "…" is dropped
    assert path.parent == ROOT / "2024" / "05" / "Công văn"
    assert path.name.startswith("0123 - 470_TTr-STTTT - Về việc")
    assert path.name.endswith(ELLIPSIS + ".docx")


def test_R6_2_mirror_path_short_names_untouched() -> None:
    path = mirror_path(ROOT, ["2024", "05", "Công văn", "0001 - x.pdf"])
    assert path == ROOT / "2024" / "05" / "Công văn" / "0001 - x.pdf"


def test_R6_2_mirror_path_shortens_folders_the_same_way_for_every_file() -> None:
    long_dir = "Sở Tài nguyên và Môi trường tỉnh Cà Mau " * 5
    a = mirror_path(ROOT, ["2024", long_dir, long_dir, "0001 - a.pdf"], limit=200)
    b = mirror_path(ROOT, ["2024", long_dir, long_dir, "0002 - " + "b" * 100 + ".pdf"], limit=200)
    assert a.parent == b.parent
    assert ELLIPSIS in a.parent.name
    assert units(str(b)) <= 200


def test_R6_2_mirror_path_impossible_raises() -> None:
    deep_root = Path("/tmp/" + "r" * 250)
    with pytest.raises(MirrorPathError) as info:
        mirror_path(deep_root, ["2024", "0001 - x.pdf"])
    assert isinstance(info.value, CamauError) and "thư mục lưu trữ" in str(info.value)
    with pytest.raises(MirrorPathError):
        mirror_path(ROOT, [])


def test_R6_2_mirror_path_dot_dot_components_stay_inside() -> None:
    path = mirror_path(ROOT, ["..", "..\\..", "/etc", "passwd"])
    assert path == ROOT / "_" / ".._" / "_etc" / "passwd"


def test_R6_2_mirror_path_refuses_symlink_escaping_root(tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "2024").symlink_to(outside, target_is_directory=True)
    with pytest.raises(MirrorPathError):
        mirror_path(root, ["2024", "x.pdf"])


# ------------------------------------------------------------------ unique_path


def test_R6_2_unique_path_numbers_collisions(tmp_path: Path) -> None:
    target = tmp_path / "0001 - Công văn.pdf"
    assert unique_path(target) == target
    target.write_bytes(b"1")
    assert unique_path(target) == tmp_path / "0001 - Công văn (2).pdf"
    (tmp_path / "0001 - Công văn (2).pdf").write_bytes(b"2")
    assert unique_path(target) == tmp_path / "0001 - Công văn (3).pdf"


def test_R6_2_unique_path_is_case_insensitive_like_windows(tmp_path: Path) -> None:
    (tmp_path / "BÁO CÁO.PDF").write_bytes(b"x")
    assert unique_path(tmp_path / "báo cáo.pdf") == tmp_path / "báo cáo (2).pdf"
    # and NFD spelling on disk (copied from a Mac) counts as the same name
    (tmp_path / nfd("Tờ trình.pdf")).write_bytes(b"x")
    assert unique_path(tmp_path / "tờ trình.pdf") == tmp_path / "tờ trình (2).pdf"


def test_R6_2_unique_path_with_given_names_and_exists() -> None:
    seen = {Path("/m/a.pdf")}
    p = unique_path(Path("/m/a.pdf"), exists=lambda q: q in seen, taken=["A (2).PDF"])
    assert p == Path("/m/a (3).pdf")
    assert unique_path(Path("/m/noext"), exists=lambda q: False, taken=["NOEXT"]) == Path("/m/noext (2)")


def test_R6_2_unique_path_stays_within_limit() -> None:
    parent = Path("/m")
    name = "0001 - " + "x" * 200 + ".pdf"
    path = parent / name
    limit = units(str(path))
    p = unique_path(path, exists=lambda q: False, taken=[name], limit=limit)
    assert units(str(p)) <= limit
    assert p.name.startswith("0001 - x") and p.name.endswith(ELLIPSIS + " (2).pdf")


# ------------------------------------------------------------------ attachment_name


@pytest.mark.parametrize(
    ("raw", "mime", "expected"),
    [
        ("..\\..\\windows\\system32\\x.dll", "application/octet-stream", "x.dll"),
        ("/etc/passwd", "text/plain", "passwd.txt"),
        ("CON.pdf", "application/pdf", "CON_.pdf"),
        ("", "application/pdf", "Tệp đính kèm 3.pdf"),
        (None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Tệp đính kèm 3.docx"),
        ("....", "application/pdf", "Tệp đính kèm 3.pdf"),
        ("..", "image/jpeg", "Tệp đính kèm 3.jpg"),
        ("../", "application/pdf", "Tệp đính kèm 3.pdf"),
        (".pdf", "application/pdf", "Tệp đính kèm 3.pdf"),
        ("hoa-don\u202efdp.exe", "application/pdf", "hoa-donfdp.exe"),
        ("\u2067bao\u2069cao\u200f.pdf", "application/pdf", "baocao.pdf"),
        ("a\x00b.pdf", "application/pdf", "a_b.pdf"),
        ("Công văn 470", "application/pdf", "Công văn 470.pdf"),
        ("bang ke", "x/unknown", "bang ke"),
        ("scan.PDF", "application/octet-stream", "scan.PDF"),
        ("C:thu.doc", "application/msword", "C_thu.doc"),
        ("nul", "text/plain; charset=utf-8", "nul_.txt"),
    ],
)
def test_R7_1a_1_attachment_names_from_hostile_senders(raw: str | None, mime: str, expected: str) -> None:
    name = attachment_name(raw, mime, 3)
    assert name == expected
    assert_windows_valid(name)


def test_R7_1a_1_attachment_name_300_chars_is_cut_keeping_extension() -> None:
    name = attachment_name("Báo cáo " * 40 + ".pdf", "application/pdf", 1)
    assert units(name) <= 120
    assert name.startswith("Báo cáo") and name.endswith(ELLIPSIS + ".pdf")


@given(
    st.one_of(st.none(), hostile_text),
    st.sampled_from(["application/pdf", "application/octet-stream", "", "x/y"]),
    st.integers(min_value=1, max_value=999),
)
def test_R7_1a_1_attachment_name_always_windows_valid_basename(raw: str | None, mime: str, index: int) -> None:
    name = attachment_name(raw, mime, index)
    assert_windows_valid(name, 120)
    assert "/" not in name and "\\" not in name


def test_utf16_units_counts_astral_as_two() -> None:
    assert utf16_units("a😀ệ") == 4
    assert utf16_units("\ud800") == 1  # a lone surrogate never crashes the measure
    assert re.fullmatch(r"[^/]+", safe_component("\ud800x")) is not None
