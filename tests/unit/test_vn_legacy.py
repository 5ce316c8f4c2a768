"""R6.3: text in legacy encodings (TCVN3/ABC, VNI) is detected and converted to Unicode."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camau_desk.errors import InvalidInput
from camau_desk.vn import legacy
from camau_desk.vn.legacy import (
    convert_docx,
    convert_file,
    decode_legacy_bytes,
    detect_encoding,
    font_encoding,
    is_capitals_font,
    is_vietnamese_syllable,
    repair_text,
    tcvn3_to_unicode,
    vni_to_unicode,
)

pytestmark = pytest.mark.unit

SAMPLES = Path(__file__).parent / "samples" / "legacy"
ENCODINGS = legacy.resources_dir() / "encodings"


def _rows(name: str) -> list[tuple[bytes, str]]:
    rows = []
    for line in (ENCODINGS / name).read_text(encoding="utf-8").splitlines()[1:]:
        h, c = line.split("\t")
        rows.append((bytes(int(x, 16) for x in h.split()), c))
    return rows


def _encoder(name: str):
    """Unicode -> legacy bytes by reverse lookup, to build round-trip inputs."""
    table = {c: b for b, c in _rows(name)}
    return lambda s: b"".join(table.get(ch) or ch.encode("ascii") for ch in s).decode("latin-1")


# --- tables and sanity decodes (DOMAIN.md §4.2) ---------------------------------------


def test_R6_3_tables_have_documented_sizes() -> None:
    tc, vn = _rows("tcvn3.tsv"), _rows("vni.tsv")
    assert len(tc) == 74 and all(len(b) == 1 and 0xA1 <= b[0] <= 0xFE for b, _ in tc)
    assert len(vn) == 134
    assert sum(len(b) == 1 for b, _ in vn) == 18 and sum(len(b) == 2 for b, _ in vn) == 116


def test_R6_3_resources_dir_follows_pyinstaller(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert (legacy.resources_dir() / "encodings" / "tcvn3.tsv").is_file()
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert legacy.resources_dir() == tmp_path / "resources"


def test_R6_3_domain_sanity_decodes() -> None:
    assert vni_to_unicode("Xin chaøo caùc baïn") == "Xin chào các bạn"
    assert vni_to_unicode("UÛY BAN NHAÂN DAÂN TÆNH CAØ MAU") == "ỦY BAN NHÂN DÂN TỈNH CÀ MAU"
    assert tcvn3_to_unicode("Uû ban nh©n d©n tØnh Cµ Mau") == "Uỷ ban nhân dân tỉnh Cà Mau"


@pytest.mark.parametrize(
    ("legacy_text", "expected"),
    [
        ("QuyÕt ®Þnh vÒ viÖc", "Quyết định về việc"),
        ("Tê tr×nh", "Tờ trình"),
        ("ng\xadêi", "người"),
        ("ViÖt Nam", "Việt Nam"),
        ("Kh\xad\xacng", "Khương"),  # 0xAD soft hyphen is "ư": must never be dropped
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("Sè: 15/Q§-UBND", "Số: 15/QĐ-UBND"),
    ],
)
def test_R6_3_tcvn3_words(legacy_text: str, expected: str) -> None:
    assert tcvn3_to_unicode(legacy_text) == expected


def test_R6_3_tcvn3_capital_font_run() -> None:
    assert tcvn3_to_unicode("uû ban nh©n d©n tØnh cµ mau", capitals=True) == "UỶ BAN NHÂN DÂN TỈNH CÀ MAU"


@pytest.mark.parametrize(
    ("legacy_text", "expected"),
    [
        ("Vieät Nam", "Việt Nam"),
        ("ngöôøi", "người"),
        ("Quyeát ñònh", "Quyết định"),
        ("Tôø trình", "Tờ trình"),
        ("Khöông", "Khương"),
        ("Ñoàng Thaùp", "Đồng Tháp"),
        ("Aùnh", "Ánh"),  # Word "Title Case" leaves a lower-case modifier after a capital
    ],
)
def test_R6_3_vni_words(legacy_text: str, expected: str) -> None:
    assert vni_to_unicode(legacy_text) == expected


def test_R6_3_tcvn3_sample_letter_exact() -> None:
    data = (SAMPLES / "qd_tcvn3.txt").read_bytes()
    expected = (SAMPLES / "qd_tcvn3.expected.txt").read_bytes().decode("utf-8")
    assert b"\xad" in data  # the soft-hyphen trap is in the sample (người, Khương, thư)
    assert decode_legacy_bytes(data) == expected
    assert decode_legacy_bytes(data, hint="tcvn3") == expected


def test_R6_3_vni_sample_letter_exact() -> None:
    data = (SAMPLES / "totrinh_vni.txt").read_bytes()
    expected = (SAMPLES / "totrinh_vni.expected.txt").read_text(encoding="utf-8")
    assert decode_legacy_bytes(data) == expected
    assert decode_legacy_bytes(data, hint="vni") == expected
    assert expected.splitlines()[0] == "ỦY BAN NHÂN DÂN TỈNH CÀ MAU"


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
def test_R6_3_tcvn3_decoder_matches_iconv_for_all_74_bytes() -> None:
    codes = bytes(b for b, _ in _rows("tcvn3.tsv") for b in b)
    assert len(codes) == 74
    data = b" ".join(bytes([c]) for c in codes)
    proc = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True, check=True)
    theirs = unicodedata.normalize("NFC", proc.stdout.decode("utf-8")).split(" ")
    ours = tcvn3_to_unicode(data.decode("latin-1")).split(" ")
    assert ours == theirs


_VN_LETTERS = "".join(c for _, c in _rows("vni.tsv")) + "abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY .,-/0123456789"


@settings(max_examples=200)
@given(st.text(alphabet=_VN_LETTERS, max_size=60))
def test_R6_3_vni_round_trip(s: str) -> None:
    """Greedy two-char decoding restores every encodable Unicode string."""
    assert vni_to_unicode(_encoder("vni.tsv")(s)) == s


_TCVN3_LETTERS = "".join(c for _, c in _rows("tcvn3.tsv")) + "abcdeghiklmnopqrstuvxyBCDGHKLMNQTV .,-/0123"


@settings(max_examples=200)
@given(st.text(alphabet=_TCVN3_LETTERS, max_size=60))
def test_R6_3_tcvn3_round_trip(s: str) -> None:
    assert tcvn3_to_unicode(_encoder("tcvn3.tsv")(s)) == s


# --- detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ủy ban nhân dân tỉnh Cà Mau", "unicode"),
        ("Uû ban nh©n d©n tØnh Cµ Mau", "tcvn3"),
        ("QuyÕt ®Þnh vÒ viÖc giao nhiÖm vô", "tcvn3"),
        ("UÛY BAN NHAÂN DAÂN TÆNH CAØ MAU", "vni"),
        ("Quyeát ñònh veà vieäc giao nhieäm vuï", "vni"),
        # Unicode Vietnamese that happens to use only Latin-1 letters stays Unicode
        ("Tôi là Tú, Cà Mau", "unicode"),
        ("Tây Ninh, Mã số, quá", "unicode"),
    ],
)
def test_R6_3_detect_encoding(text: str, expected: str) -> None:
    assert detect_encoding(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hello world, please find the attached report.",
        "Meeting at 9:00 - room 2/3 (budget review).",
        "Le café est très bon à Paris, déjà vu.",
        "Grüße aus München, naïve résumé, año nuevo.",
        "",
    ],
)
def test_R6_3_detect_never_converts_english_or_western_text(text: str) -> None:
    enc = detect_encoding(text)
    assert enc in ("unicode", "unknown")
    assert repair_text(text) == (text, enc)


def test_R6_3_detect_font_names_first() -> None:
    assert detect_encoding("Cong van so 12", [".VnTime"]) == "tcvn3"
    assert detect_encoding("Cong van so 12", ["VNI-Times"]) == "vni"
    assert detect_encoding("Kh\xad\xacng", ["Times New Roman", ".VnArial"]) == "tcvn3"
    # real Unicode letters beat a stale legacy font name
    assert detect_encoding("Công văn số 12", [".VnTime"]) == "unicode"


def test_R6_3_font_helpers() -> None:
    assert font_encoding(".VnTime") == "tcvn3" and font_encoding(".VNTIMEH") == "tcvn3"
    assert font_encoding("VNI-Helve") == "vni" and font_encoding("Arial") is None and font_encoding(None) is None
    assert is_capitals_font(".VnTimeH") and not is_capitals_font(".VnTime") and not is_capitals_font("VNI-TimesH")


def test_R6_3_repair_text_converts_and_reports() -> None:
    assert repair_text("QuyÕt ®Þnh") == ("Quyết định", "tcvn3")
    assert repair_text("Quyeát ñònh") == ("Quyết định", "vni")
    assert repair_text("uû ban nh©n d©n", [".VnTimeH"]) == ("UỶ BAN NHÂN DÂN", "tcvn3")
    nfd = unicodedata.normalize("NFD", "Quyết định")
    assert repair_text(nfd) == ("Quyết định", "unicode")


def test_R6_3_symbol_font_storage_is_unshifted() -> None:
    """Some converters store 8-bit font text as U+F0xx; map it back before decoding."""
    shifted = "".join(chr(ord(c) + 0xF000) if ord(c) > 0x7F else c for c in "nh©n d©n")
    assert repair_text(shifted, [".VnTime"]) == ("nhân dân", "tcvn3")


@pytest.mark.parametrize(
    "word", ["người", "Khương", "quyết", "định", "nghiêng", "giếng", "ủy", "hoạch", "tỉnh", "khuya"]
)
def test_R6_3_syllable_validator_accepts(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["café", "nh©n", "Vieọt", "hoàc", "tròc", "Khơng", "xyz", "ảá"])
def test_R6_3_syllable_validator_rejects(word: str) -> None:
    assert not is_vietnamese_syllable(word)


# --- bytes and files ------------------------------------------------------------------


def test_R6_3_decode_bytes_utf8_passthrough_and_mojibake() -> None:
    assert decode_legacy_bytes("Ủy ban nhân dân".encode()) == "Ủy ban nhân dân"
    assert decode_legacy_bytes(b"\xef\xbb\xbfC\xc3\xa0 Mau") == "Cà Mau"
    # legacy text that was once re-saved as UTF-8 is still repaired
    assert decode_legacy_bytes("nh©n d©n tØnh".encode()) == "nhân dân tỉnh"
    assert decode_legacy_bytes(b"Hello world") == "Hello world"
    assert decode_legacy_bytes("Kh\xad\xacng".encode("latin-1"), hint="tcvn3") == "Khương"


def test_R6_3_convert_file_txt_default_name(tmp_path: Path) -> None:
    src = tmp_path / "Quyet dinh.txt"
    shutil.copy(SAMPLES / "qd_tcvn3.txt", src)
    out = convert_file(src)
    assert out == tmp_path / "Quyet dinh (Unicode).txt"
    assert out.read_bytes() == (SAMPLES / "qd_tcvn3.expected.txt").read_bytes()  # UTF-8, no BOM, CRLF kept
    assert src.read_bytes() == (SAMPLES / "qd_tcvn3.txt").read_bytes()  # original untouched


def test_R6_3_convert_file_rejects_unsupported(tmp_path: Path) -> None:
    for name in ("a.doc", "a.pdf"):
        (tmp_path / name).write_bytes(b"x")
        with pytest.raises(InvalidInput):
            convert_file(tmp_path / name)
    (tmp_path / "b.txt").write_bytes(b"x")
    with pytest.raises(InvalidInput):
        convert_file(tmp_path / "b.txt", tmp_path / "b.txt")


# --- DOCX -----------------------------------------------------------------------------


def _docx_with_runs(path: Path, runs: list[tuple[str, str | None]]) -> None:
    import docx

    document = docx.Document()
    for text, font in runs:
        p = document.add_paragraph()
        r = p.add_run(text)
        if font:
            r.font.name = font
    document.save(str(path))


def _docx_texts(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_R6_3_convert_docx_by_font(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.docx", tmp_path / "out.docx"
    _docx_with_runs(
        src,
        [
            ("uû ban nh©n d©n tØnh cµ mau", ".VnTimeH"),
            ("QuyÕt ®Þnh vÒ viÖc giao nhiÖm vô", ".VnTime"),
            ("Quyeát ñònh veà vieäc", "VNI-Times"),
            ("Ủy ban nhân dân tỉnh Cà Mau", "Times New Roman"),
            ("Hello world, café", "Arial"),
        ],
    )
    assert convert_docx(src, dst) == "tcvn3"
    assert _docx_texts(dst) == [
        "UỶ BAN NHÂN DÂN TỈNH CÀ MAU",
        "Quyết định về việc giao nhiệm vụ",
        "Quyết định về việc",
        "Ủy ban nhân dân tỉnh Cà Mau",
        "Hello world, café",
    ]
    import docx

    fonts = {r.font.name for p in docx.Document(str(dst)).paragraphs for r in p.runs}
    assert fonts == {"Times New Roman", "Arial"}


def test_R6_3_convert_docx_soft_hyphen_element(tmp_path: Path) -> None:
    """Word saves 0xAD as <w:softHyphen/>, which python-docx's run.text drops."""
    import docx
    from docx.oxml import OxmlElement

    src, dst = tmp_path / "in.docx", tmp_path / "out.docx"
    document = docx.Document()
    r = document.add_paragraph().add_run("Kh")
    r.font.name = ".VnTime"
    r._r.append(OxmlElement("w:softHyphen"))
    t = OxmlElement("w:t")
    t.text = "\xacng"
    r._r.append(t)
    document.save(str(src))
    assert convert_docx(src, dst) == "tcvn3"
    assert _docx_texts(dst) == ["Khương"]


def test_R6_3_convert_docx_by_style_and_by_detection(tmp_path: Path) -> None:
    import docx

    # font inherited from the Normal style
    src, dst = tmp_path / "style.docx", tmp_path / "style (Unicode).docx"
    document = docx.Document()
    document.styles["Normal"].font.name = ".VnTime"
    document.add_paragraph("Tê tr×nh vÒ viÖc")
    document.save(str(src))
    assert convert_file(src) == dst
    assert _docx_texts(dst) == ["Tờ trình về việc"]

    # no legacy font name at all: the whole text is detected
    src2, dst2 = tmp_path / "plain.docx", tmp_path / "plain2.docx"
    _docx_with_runs(src2, [("Vieät Nam", None), ("ngöôøi Caø Mau", None)])
    assert convert_docx(src2, dst2) == "vni"
    assert _docx_texts(dst2) == ["Việt Nam", "người Cà Mau"]

    # a Unicode document is left as it was
    src3, dst3 = tmp_path / "u.docx", tmp_path / "u2.docx"
    _docx_with_runs(src3, [("Ủy ban nhân dân", None), ("Hello world", None)])
    assert convert_docx(src3, dst3) == "unicode"
    assert _docx_texts(dst3) == ["Ủy ban nhân dân", "Hello world"]

    # mixed: a Unicode letter with one pasted TCVN3 paragraph and no legacy font name
    src4, dst4 = tmp_path / "mixed.docx", tmp_path / "mixed2.docx"
    _docx_with_runs(src4, [("Ủy ban nhân dân tỉnh Cà Mau", None), ("QuyÕt ®Þnh vÒ viÖc", None), ("Cà Mau", None)])
    assert convert_docx(src4, dst4) == "tcvn3"
    assert _docx_texts(dst4) == ["Ủy ban nhân dân tỉnh Cà Mau", "Quyết định về việc", "Cà Mau"]
