"""Schema migrations: from empty and from every earlier version (issue 2)."""

from __future__ import annotations

import pytest

from camau_desk.store.db import LATEST_VERSION, all_migrations, connect, migrate, schema_version

pytestmark = pytest.mark.unit


def _schema(db) -> dict[str, str]:
    return {r["name"]: r["sql"] for r in db.query("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")}


def test_empty_database_migrates_to_latest(tmp_path):
    db = connect(tmp_path / "a.sqlite3")
    assert migrate(db) == LATEST_VERSION
    assert schema_version(db) == LATEST_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.mark.parametrize("start", [m.version for m in all_migrations()])
def test_every_earlier_version_migrates_to_the_same_schema(tmp_path, start):
    fresh = connect(tmp_path / "fresh.sqlite3")
    migrate(fresh)
    old = connect(tmp_path / "old.sqlite3")
    migrate(old, target=start)
    assert schema_version(old) == start
    migrate(old)
    assert schema_version(old) == LATEST_VERSION
    assert _schema(old) == _schema(fresh)


def test_migrating_twice_changes_nothing(tmp_path):
    db = connect(tmp_path / "b.sqlite3")
    migrate(db)
    before = _schema(db)
    migrate(db)
    assert _schema(db) == before


def test_versions_are_unique_and_ordered():
    versions = [m.version for m in all_migrations()]
    assert versions == sorted(set(versions))


#: Every migration number in use, in the order they were added.  A new one goes at the end and
#: must be above all of these: the runner applies only versions above ``PRAGMA user_version``.
NUMBERS_IN_USE = [1, 10, 11, 20, 21, 30, 40, 50, 51]


def test_new_migrations_are_numbered_above_every_existing_one():
    assert NUMBERS_IN_USE == sorted(set(NUMBERS_IN_USE)), (
        "a migration numbered below an existing one would be skipped on every existing profile")
    assert sorted(m.version for m in all_migrations()) == NUMBERS_IN_USE, (
        "add the new migration's number at the end of NUMBERS_IN_USE (it must be the highest)")
