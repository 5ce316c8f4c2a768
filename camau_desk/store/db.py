"""Opening the profile database and bringing its schema up to date.

Why migrations and ``PRAGMA user_version``: a clerk's database holds the legal
register, so it is never recreated; each release only adds ordered steps.
Migrations live in ``camau_desk/store/migrations/mNNNN_name.py`` with
``VERSION = NNNN`` and ``up(db)``; they are discovered, sorted and applied one
transaction each.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import sqlite_utils

from camau_desk.errors import StorageError
from camau_desk.store import migrations as _migrations_pkg


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    up: Callable[[sqlite_utils.Database], None]


def _load(module: ModuleType) -> Migration:
    return Migration(int(module.VERSION), module.__name__.rsplit(".", 1)[-1], module.up)


def all_migrations() -> list[Migration]:
    """Every migration module, in version order; duplicates are a programming error."""
    found = []
    for info in pkgutil.iter_modules(_migrations_pkg.__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            found.append(_load(importlib.import_module(f"{_migrations_pkg.__name__}.{info.name}")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration versions: {versions}")
    return found


LATEST_VERSION = all_migrations()[-1].version


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def connect(path: Path | str) -> sqlite_utils.Database:
    """A connection with the pragmas every connection of the app uses."""
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 30000")
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    return db


def migrate(db: sqlite_utils.Database, target: int | None = None) -> int:
    """Apply every migration above the current version (up to ``target``)."""
    current = schema_version(db)
    for m in all_migrations():
        if m.version <= current or (target is not None and m.version > target):
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            m.up(db)
            db.execute(f"PRAGMA user_version = {int(m.version)}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        current = m.version
    return current


def open_db(path: Path | str, *, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the profile database."""
    try:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = connect(path)
        if migrate_schema:
            migrate(db)
        return db
    except sqlite3.OperationalError as exc:
        raise StorageError(
            f"Không mở được cơ sở dữ liệu {path}: {exc}. Kiểm tra ổ đĩa còn trống và quyền ghi.",
        ) from exc


class transaction:
    """``with transaction(db):`` one atomic unit (BEGIN IMMEDIATE ... COMMIT).

    The connection is in autocommit mode, so atomicity is explicit: a killed
    process leaves either the whole unit or nothing.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def __enter__(self) -> sqlite_utils.Database:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
