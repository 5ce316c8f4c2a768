"""Where one user's profile lives on disk.

One profile = one SQLite database + content-addressed blobs + the mirror tree.
``--data-dir`` overrides the platform default everywhere, so tests and
several workstations on one machine never share state by accident.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from camau_desk import APP_ID


def default_data_dir() -> Path:
    """%LOCALAPPDATA%\\camau-desk on Windows, ~/.local/share/camau-desk on Linux."""
    env = os.environ.get("CAMAU_DESK_DATA_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False, roaming=False))


def default_mirror_dir() -> Path:
    """The browsable archive goes where people look for documents: Documents."""
    return Path(platformdirs.user_documents_dir()) / "Cà Mau Desk"


def resources_dir() -> Path:
    """The bundled resources, also when frozen by PyInstaller."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class Profile:
    """Paths of one profile; creating the object touches nothing on disk."""

    data_dir: Path
    explicit: bool = False

    @classmethod
    def at(cls, data_dir: str | os.PathLike[str] | None = None) -> Profile:
        if data_dir:
            return cls(Path(data_dir).absolute(), explicit=True)
        return cls(default_data_dir())

    @property
    def default_mirror_dir(self) -> Path:
        """An explicit --data-dir keeps everything, mirror included, inside it."""
        return self.data_dir / "mirror" if self.explicit else default_mirror_dir()

    @property
    def db_path(self) -> Path:
        return self.data_dir / "camau_desk.sqlite3"

    @property
    def blobs_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    def ensure(self) -> Profile:
        for d in (self.data_dir, self.blobs_dir, self.logs_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self
