"""Icons by role, loaded once from resources/icons (SVG)."""

from __future__ import annotations

from functools import cache

from camau_desk.paths import resources_dir
from ui.qt import QIcon

ACCOUNT_ROLE_ICONS = {"agency": "agency", "unit": "unit", "personal": "personal", "archive": "archive"}
FOLDER_ROLE_ICONS = {
    "inbox": "inbox", "sent": "sent", "junk": "junk", "trash": "trash", "drafts": "drafts",
    "archive": "folder_archive",
}


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def account_icon(role: str | None) -> QIcon:
    return icon(ACCOUNT_ROLE_ICONS.get(role or "", "personal"))


def folder_icon(role: str | None) -> QIcon:
    return icon(FOLDER_ROLE_ICONS.get(role or "", "folder"))
