"""Settings as data the agency edits (R8): round trip, refused files name the line, never half-applied."""

from __future__ import annotations

import json

import pytest

from camau_desk import settings, settings_io
from camau_desk.errors import InvalidInput
from camau_desk.settings_io import SettingsFileError

pytestmark = pytest.mark.unit


def test_R8_settings_round_trip_between_profiles(tmp_path, db):
    from camau_desk.store import open_db

    settings_io.set_value(db, "check_times", ["07:30", "09:00", "13:30", "15:00"])
    settings_io.set_value(db, "holidays", ["02/09/2025", "2025-04-30"])
    settings_io.set_value(db, "agency_name", "UBND huyện Năm Căn")
    settings_io.set_value(db, "receipt_notice", True)
    f = settings_io.export_settings(db, tmp_path / "caidat.json")
    doc = json.loads(f.read_text(encoding="utf-8"))
    assert doc["schema"]["check_times"]["type"] == "list[string]"
    assert "allowed" in doc["schema"]["language"]

    other = open_db(tmp_path / "other.sqlite3")
    changed = settings_io.import_settings(other, f)
    assert settings.all_settings(other) == settings.all_settings(db)
    assert changed["agency_name"] == ("Sở Thông tin và Truyền thông tỉnh Cà Mau", "UBND huyện Năm Căn")
    assert any(r["action"] == "settings.set" for r in other.query("SELECT * FROM audit"))
    other.conn.close()


def _write(tmp_path, values: dict, *, raw: str | None = None):
    text = raw if raw is not None else json.dumps(
        {"format": "camau-desk-settings", "version": 1, "settings": values}, ensure_ascii=False, indent=2)
    p = tmp_path / "in.json"
    p.write_text(text, encoding="utf-8")
    return p, text


def test_R8_invalid_value_refused_with_line_and_nothing_applied(tmp_path, db):
    p, text = _write(tmp_path, {"agency_name": "Mới", "check_times": ["07:00", "9h30"], "language": "vi"})
    with pytest.raises(SettingsFileError) as err:
        settings_io.import_settings(db, p)
    expected = next(i for i, line in enumerate(text.splitlines(), 1) if '"9h30"' in line)
    assert err.value.line == expected
    assert f"dòng {expected}" in str(err.value) and "HH:MM" in str(err.value)
    assert settings.get(db, "agency_name") == settings.DEFAULTS["agency_name"]  # not half-applied


@pytest.mark.parametrize("values, needle, reason", [
    ({"language": "fr"}, '"language"', '"vi"'),
    ({"working_days": [0, 7]}, "7", "0 (Thứ Hai)"),
    ({"holidays": ["31/02/2025"]}, "31/02/2025", "ngày nghỉ"),
    ({"default_deadline_days": 0}, '"default_deadline_days"', "nguyên dương"),
    ({"receipt_notice": "yes"}, '"receipt_notice"', "true hoặc false"),
    ({"register_template": "/tuyet-doi/{so_den}"}, '"register_template"', "tương đối"),
    ({"mirror_template": "{khong_co}"}, '"mirror_template"', "không biết"),
    ({"mau_khong_co": 1}, '"mau_khong_co"', "không có trong chương trình"),
])
def test_R8_semantic_errors_name_the_key_line(tmp_path, db, values, needle, reason):
    p, text = _write(tmp_path, values)
    with pytest.raises(SettingsFileError) as err:
        settings_io.import_settings(db, p)
    lines = text.splitlines()
    assert needle in lines[err.value.line - 1]
    assert reason in str(err.value)


def test_R8_syntax_error_gives_json_line(tmp_path, db):
    raw = '{\n  "settings": {\n    "language": "vi",\n    "holidays": [\n  }\n}\n'
    p, _ = _write(tmp_path, {}, raw=raw)
    with pytest.raises(SettingsFileError) as err:
        settings_io.import_settings(db, p)
    assert err.value.line == 5 and "cú pháp" in str(err.value)


def test_set_and_get_validate(db):
    assert settings_io.set_value(db, "minimize_to_tray", settings_io.parse_cli_value("false")) is False
    assert settings.get(db, "minimize_to_tray") is False
    with pytest.raises(InvalidInput):
        settings_io.set_value(db, "check_times", settings_io.parse_cli_value("07:00"))
    with pytest.raises(InvalidInput):
        settings_io.set_value(db, "khong_co", 1)
