"""``outbox.status`` may be 'refused': a permanent 5xx refusal ends a message instead of retrying it (R2.1).

Why a rebuild: SQLite cannot alter a CHECK constraint, so the table is
recreated with the same columns, rows, ids and index (the SQLite "other kinds
of table schema changes" procedure).  Migrations run inside one transaction
with foreign keys on, where dropping a parent that ``routing_forwards.outbox``
points at would fail (a deferred violation is never cleared by the rename), so
those links are set aside in a temp table and put back after the rename.

Why 51 and not a number of the mail or routing area: ``migrate`` applies only
versions above ``PRAGMA user_version``, and existing profiles are at 50, so a
lower number would never run on them; and the table is created by m0040.
"""

from __future__ import annotations

import sqlite_utils

VERSION = 51

_COLUMNS = ("id, account, kind, message_id, subject, mail_from, rcpt_to, raw, sha256, entry, status, attempts,"
            " last_error, next_attempt_at, created_at, created_by, sent_at, sent_copy, local_message, cancelled_at,"
            " cancelled_by, demo")


def up(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TEMP TABLE m0051_links AS SELECT id, outbox FROM routing_forwards WHERE outbox IS NOT NULL")
    db.execute("UPDATE routing_forwards SET outbox = NULL WHERE outbox IS NOT NULL")
    db.execute(
        """CREATE TABLE outbox_new (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            kind TEXT NOT NULL,               -- forward | new | reply | official | receipt
            message_id TEXT NOT NULL,
            subject TEXT,
            mail_from TEXT NOT NULL,
            rcpt_to TEXT NOT NULL,            -- JSON list
            raw BLOB NOT NULL,
            sha256 TEXT NOT NULL,
            entry INTEGER,                    -- register_entries.id for forwards
            status TEXT NOT NULL CHECK (status IN ('queued','sending','sent','refused','cancelled')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_attempt_at TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            sent_at TEXT,
            sent_copy TEXT,                   -- NULL | 'imap' | 'local' | 'demo'
            local_message INTEGER,            -- messages.id of the stored Sent copy
            cancelled_at TEXT,
            cancelled_by TEXT,
            demo INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(f"INSERT INTO outbox_new ({_COLUMNS}) SELECT {_COLUMNS} FROM outbox")  # noqa: S608 - fixed names
    db.execute("DROP TABLE outbox")
    db.execute("ALTER TABLE outbox_new RENAME TO outbox")
    db.execute("CREATE INDEX outbox_status ON outbox(status, next_attempt_at)")
    db.execute("UPDATE routing_forwards SET outbox = (SELECT l.outbox FROM temp.m0051_links l"
               " WHERE l.id = routing_forwards.id) WHERE id IN (SELECT id FROM temp.m0051_links)")
    db.execute("DROP TABLE temp.m0051_links")
