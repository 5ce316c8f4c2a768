"""Agency settings as data (R8): check times, folder templates, language...

Values are JSON in the ``settings`` table; ``DEFAULTS`` documents every key
and its default so that the agency can edit them without touching code.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from camau_desk import audit

DEFAULTS: dict[str, Any] = {
    "language": "vi",
    "demo": False,  # a demo profile: nothing is ever sent to a server
    "clerk_address": None,  # the clerk's own address, used as Sender on agency mail
    "check_times": ["07:00", "09:00", "13:00", "15:00"],
    "working_days": [0, 1, 2, 3, 4],  # Monday..Friday
    "holidays": [],
    "mirror_root": None,  # None: the profile's default mirror folder
    "mirror_template": "{year}/{month:02}/{kind}/{day:02} {huong} - {nguoi_gui} - {trich_yeu}",  # a folder per message
    "register_template": "{year}/{month:02}/{kind}/{so_den:04} - {so_ky_hieu} - {trich_yeu}.{ext}",
    "register_folder": "CamauDesk/SoVanBanDen",  # IMAP folder holding the register event log
    "agency_name": "Sở Thông tin và Truyền thông tỉnh Cà Mau",
    "parent_agency_name": "Ủy ban nhân dân tỉnh Cà Mau",
    "default_deadline_days": 10,
    "receipt_notice": False,  # automatic "đã nhận" reply to the sender (ND30 Đ21.2)
    "trusted_ca_file": None,  # PEM bundle of CAs trusted for PDF digital signatures
    "max_recipients_without_confirm": 10,
    "minimize_to_tray": True,
}


def get(db: sqlite_utils.Database, key: str) -> Any:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row[0])


def set(db: sqlite_utils.Database, key: str, value: Any) -> None:  # noqa: A001 - mirrors get()
    old = get(db, key)
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value, ensure_ascii=False)],
    )
    if old != value:
        audit.record(db, "settings.set", "settings", key, old, value)


def all_settings(db: sqlite_utils.Database) -> dict[str, Any]:
    values = dict(DEFAULTS)
    for key, value in db.execute("SELECT key, value FROM settings"):
        values[key] = json.loads(value)
    return values
