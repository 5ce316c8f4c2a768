"""The local SQLite store: one database per profile, schema by migrations."""

from camau_desk.store.db import LATEST_VERSION, open_db, schema_version

__all__ = ["LATEST_VERSION", "open_db", "schema_version"]
