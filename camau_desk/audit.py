"""The audit trail: who changed what, when, from which workstation.

The register is a legal record, so every change of it (and of accounts,
settings and delegations) leaves a row here; rows are only ever added.
"""

from __future__ import annotations

import getpass
import json
import socket
from datetime import UTC, datetime
from typing import Any

import sqlite_utils


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service contexts
        return "unknown"


def workstation() -> str:
    return socket.gethostname() or "unknown"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def record(
    db: sqlite_utils.Database,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    old: Any = None,
    new: Any = None,
    *,
    user: str | None = None,
) -> None:
    """Append one audit row (inside the caller's transaction if there is one)."""
    db.execute(
        "INSERT INTO audit (at, user, workstation, action, entity, entity_id, old_value, new_value)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [now_iso(), user or current_user(), workstation(), action, entity,
         None if entity_id is None else str(entity_id), _dump(old), _dump(new)],
    )


def history(db: sqlite_utils.Database, entity: str, entity_id: str | int | None = None) -> list[dict]:
    sql = "SELECT * FROM audit WHERE entity = ?"
    params: list[Any] = [entity]
    if entity_id is not None:
        sql += " AND entity_id = ?"
        params.append(str(entity_id))
    return [dict(r) for r in db.query(sql + " ORDER BY id", params)]
