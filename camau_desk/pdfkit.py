"""Small shared helper: an fpdf2 document that can print Vietnamese.

Why: fpdf2's built-in fonts are Latin-1 only, so every diacritic of "Sổ đăng
ký văn bản đến" would fail.  We embed a Unicode TrueType font, preferring the
one bundled in ``resources/fonts`` (same output on every workstation), then
common system fonts on Linux and Windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from camau_desk.errors import CamauError
from camau_desk.paths import resources_dir

FAMILY = "vn"

#: (regular, bold, italic) file names tried in order; bold/italic fall back to regular.
_SYSTEM_CANDIDATES: tuple[tuple[str, str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Italic.ttf"),
    ("C:\\Windows\\Fonts\\times.ttf", "C:\\Windows\\Fonts\\timesbd.ttf", "C:\\Windows\\Fonts\\timesi.ttf"),
    ("C:\\Windows\\Fonts\\arial.ttf", "C:\\Windows\\Fonts\\arialbd.ttf", "C:\\Windows\\Fonts\\ariali.ttf"),
)

NO_FONT = ("Không tìm thấy phông chữ tiếng Việt (TrueType) để tạo tệp PDF. Hãy cài lại chương trình "
           "hoặc cài phông DejaVu Sans / Noto Sans / Times New Roman.")


@dataclass(frozen=True)
class FontSet:
    regular: Path
    bold: Path
    italic: Path


def _bundled() -> list[tuple[Path, Path, Path]]:
    fonts = resources_dir() / "fonts"
    if not fonts.is_dir():
        return []
    out: list[tuple[Path, Path, Path]] = []
    regular = sorted(p for p in fonts.glob("*.ttf") if "-Regular" in p.name or "-" not in p.stem)
    others = sorted(fonts.glob("*.ttf"))
    for reg in regular or others[:1]:
        stem = reg.stem.replace("-Regular", "")
        out.append((reg, fonts / f"{stem}-Bold.ttf", fonts / f"{stem}-Italic.ttf"))
    return out


def find_fonts() -> FontSet:
    """The first usable Unicode font set; raises a Vietnamese CamauError when there is none."""
    candidates = _bundled() + [tuple(Path(p) for p in c) for c in _SYSTEM_CANDIDATES]
    for reg, bold, italic in candidates:
        if reg.is_file():
            return FontSet(reg, bold if bold.is_file() else reg, italic if italic.is_file() else reg)
    raise CamauError(NO_FONT)


def new_pdf(orientation: str = "P", *, title: str = "") -> FPDF:
    """An A4 FPDF with the Unicode family ``FAMILY`` ('', 'B', 'I') selected at 10 pt."""
    fonts = find_fonts()
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(fonts.regular))
    pdf.add_font(FAMILY, "B", str(fonts.bold))
    pdf.add_font(FAMILY, "I", str(fonts.italic))
    pdf.set_font(FAMILY, size=10)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creator("Cà Mau Desk")
    if title:
        pdf.set_title(title)
    return pdf
