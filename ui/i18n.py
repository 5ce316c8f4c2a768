"""Regenerate the translations: ``python -m ui.i18n`` (lupdate, then lrelease).

Why a script: the .ts must follow the code (lupdate collects every ``tr()`` /
``QCoreApplication.translate`` string from ui/*.py) and the committed .qm must
follow the .ts.  It fails (exit 1) while any entry is unfinished, so a new
English string cannot ship untranslated.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "camau_desk_vi.ts"
QM = TS.with_suffix(".qm")


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease next to this Python, else on PATH."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if found:
        return found
    import PySide6

    for candidate in Path(PySide6.__file__).parent.rglob(name.replace("pyside6-", "")):
        return str(candidate)
    raise SystemExit(f"{name} not found")


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.py") if p.name != "qt.py")


def unfinished(ts: Path = TS) -> list[str]:
    """Source texts whose translation is missing or marked unfinished."""
    out = []
    for msg in ET.parse(ts).getroot().iter("message"):  # noqa: S314 - our own file
        tr = msg.find("translation")
        empty = tr is not None and not ((tr.text or "").strip() or tr.findall("numerusform"))
        if tr is None or tr.get("type") == "unfinished" or empty:
            if tr is not None and tr.get("type") in ("obsolete", "vanished"):
                continue
            out.append(msg.findtext("source") or "")
    return out


def main() -> int:
    subprocess.run([tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none",
                    "-source-language", "en", "-target-language", "vi_VN", "-ts", str(TS)], cwd=ROOT, check=True)
    missing = unfinished()
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], cwd=ROOT, check=True)
    if missing:
        print(f"{len(missing)} unfinished translation(s):", *missing, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
