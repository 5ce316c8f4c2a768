"""CLI: search, archive mirror/verify/rebuild, index, convert-encoding (R6.2, R6.3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from camau_desk.cli import main

pytestmark = pytest.mark.unit

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_R6_2_cli_mirror_index_search_verify_rebuild(tmp_path: Path, capsys) -> None:
    d = str(tmp_path / "p")
    files = sorted(DEMO.glob("*.eml"))[:6]
    assert files
    assert _run(capsys, "import", "--data-dir", d, *map(str, files))[0] == 0
    assert _run(capsys, "archive", "mirror", "--data-dir", d)[0] == 0
    rc, out, _ = _run(capsys, "index", "--data-dir", d, "--json")
    assert rc == 0 and json.loads(out)["messages"] == len(files)
    rc, out, _ = _run(capsys, "search", "--data-dir", d, "giay moi", "--json")
    hits = json.loads(out)
    assert rc == 0 and hits and {"id", "kind", "title", "date", "path", "snippet"} <= set(hits[0])
    assert Path(hits[0]["path"]).is_file()
    rc, out, _ = _run(capsys, "archive", "verify", "--data-dir", d, "--json")
    assert rc == 0 and json.loads(out)["ok"]
    Path(hits[0]["path"]).unlink()
    rc, out, _ = _run(capsys, "archive", "verify", "--data-dir", d)
    assert rc == 1 and "Thiếu" in out
    rc, out, _ = _run(capsys, "archive", "rebuild", "--data-dir", d, "--template", "{kind}/{year}/{trich_yeu}")
    assert rc == 0 and "tạo lại 1 tệp" in out
    assert _run(capsys, "archive", "verify", "--data-dir", d)[0] == 0
    from camau_desk.archive import textract

    textract.shutdown()  # the index command started the extraction helper
    rc, _, err = _run(capsys, "archive", "rebuild", "--data-dir", d, "--template", "{khong_co}/x")
    assert rc == 1 and "không biết" in err


def test_R6_3_cli_convert_encoding(tmp_path: Path, capsys) -> None:
    src = tmp_path / "cv.txt"
    src.write_bytes("Uû ban nh©n d©n".encode("latin-1"))
    out_file = str(tmp_path / "out.txt")
    rc, out, _ = _run(capsys, "convert-encoding", str(src), "-o", out_file, "--data-dir", str(tmp_path))
    assert rc == 0
    assert "nhân dân" in (tmp_path / "out.txt").read_text(encoding="utf-8")
    rc, _, err = _run(capsys, "convert-encoding", str(tmp_path / "nope.txt"), "--data-dir", str(tmp_path))
    assert rc == 1 and "Không tìm thấy" in err
