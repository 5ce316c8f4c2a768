"""Organisation directory and its CSV (R2.2, R8)."""

from __future__ import annotations

import pytest

from camau_desk import audit
from camau_desk.errors import InvalidInput, NotFound
from camau_desk.routing import org
from camau_desk.store import open_db

pytestmark = pytest.mark.unit

CSV_VI = """Loại;Mã;Họ và tên;Chức vụ;Thư điện tử;Thuộc đơn vị
Cơ quan;STTTT;Sở Thông tin và Truyền thông;;vanthu@sotttt.camau.gov.vn;
Phòng;KHTC;Phòng Kế hoạch - Tài chính;;khtc@sotttt.camau.gov.vn;STTTT
Giám đốc;;Nguyễn Văn An;Giám đốc;giamdoc@sotttt.camau.gov.vn;STTTT
Phó;;Trần Thị Bình;Phó Giám đốc;phogiamdoc1@sotttt.camau.gov.vn;STTTT
Phó;;Lê Văn Cường;Phó Giám đốc;phogiamdoc2@sotttt.camau.gov.vn;STTTT
Trưởng phòng;;Phạm Đức Dũng;Trưởng phòng;truongphong@sotttt.camau.gov.vn;KHTC
Văn thư;;Võ Thị Em;Văn thư;vanthu2@sotttt.camau.gov.vn;STTTT
"""


@pytest.fixture()
def db(tmp_path):
    return open_db(tmp_path / "db.sqlite3")


def test_R2_2_import_vietnamese_headers_and_resolve_head(db):
    assert org.import_csv(db, text=CSV_VI) == {"units": 2, "people": 5}
    head = org.resolve_head(db)
    assert head["email"] == "giamdoc@sotttt.camau.gov.vn" and head["name"] == "Nguyễn Văn An"
    assert [d["email"] for d in org.deputies(db)] == ["phogiamdoc1@sotttt.camau.gov.vn",
                                                      "phogiamdoc2@sotttt.camau.gov.vn"]
    assert any(a["action"] == "org.import" for a in audit.history(db, "org"))


def test_R8_invalid_rows_refused_with_line_numbers_and_nothing_applied(db):
    org.import_csv(db, text=CSV_VI)
    bad = CSV_VI + "Phó;;Không Thư;Phó Giám đốc;;STTTT\nChuyên gia;;X;;x@y.vn;\nPhó;;Y;;y@y.vn;ZZZ\n"
    with pytest.raises(InvalidInput) as ei:
        org.import_csv(db, text=bad)
    msg = str(ei.value)
    assert "dòng 9: người phải có địa chỉ thư" in msg
    assert "dòng 10: loại 'Chuyên gia' không hợp lệ" in msg
    assert "dòng 11: không có đơn vị mã 'ZZZ'" in msg
    assert "chưa thay đổi gì" in msg
    assert len(org.list_org(db)["people"]) == 5  # the earlier import is intact


def test_two_heads_and_duplicate_addresses_refused(db):
    text = CSV_VI + "Chủ tịch;;Ai Khác;Chủ tịch;giamdoc@sotttt.camau.gov.vn;\n"
    with pytest.raises(InvalidInput) as ei:
        org.import_csv(db, text=text)
    assert "trùng với dòng 4" in str(ei.value) and "chỉ được có một thủ trưởng" in str(ei.value)


def test_export_then_import_round_trips(db, tmp_path):
    org.import_csv(db, text=CSV_VI)
    before = org.list_org(db)
    path = tmp_path / "org.csv"
    org.export_csv(db, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the accents
    db2 = open_db(tmp_path / "db2.sqlite3")
    org.import_csv(db2, path)
    assert org.list_org(db2) == before


def test_resolve_head_without_directory_explains(db):
    with pytest.raises(NotFound, match="thủ trưởng"):
        org.resolve_head(db)


def test_directory_search_folded_prefix(db):
    org.import_csv(db, text=CSV_VI)
    emails = lambda p: [e["email"] for e in org.directory_search(db, p)]  # noqa: E731
    assert emails("binh") == ["phogiamdoc1@sotttt.camau.gov.vn"]  # word of the name, no accents
    assert set(emails("pho giam")) == {"phogiamdoc1@sotttt.camau.gov.vn", "phogiamdoc2@sotttt.camau.gov.vn"}
    assert emails("Nguyễn") == ["giamdoc@sotttt.camau.gov.vn"]
    assert emails("truongp") == ["truongphong@sotttt.camau.gov.vn"]
    assert "khtc@sotttt.camau.gov.vn" in emails("phong ke")
    assert emails("") == []


def test_cli_org_import_list_export_and_refusal(tmp_path, capsys):
    from camau_desk.cli import main

    src = tmp_path / "org.csv"
    src.write_text(CSV_VI, encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "p")]
    assert main(["org", "import", str(src), *data]) == 0
    assert "Đã nhập 2 đơn vị và 5 người." in capsys.readouterr().out
    assert main(["org", "list", "--json", *data]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert [p["role"] for p in listed["people"]][:2] == ["head", "deputy"]
    assert main(["org", "export", str(tmp_path / "out.csv"), *data]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("Loại,Tên\nSai,X\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["org", "import", str(bad), *data]) == 1
    assert "dòng 2: loại 'Sai' không hợp lệ" in capsys.readouterr().err
    assert main(["tracking", "--date", "20/03/2026", "--json", *data]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["outbox", "list", "--json", *data]) == 0
    assert json.loads(capsys.readouterr().out) == []
