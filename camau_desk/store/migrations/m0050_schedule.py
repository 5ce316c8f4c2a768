"""The check log of the four daily checks (R5): one run per check, one row per mailbox.

Why two tables: the regulation asks "was the mailbox checked at 07:00, 09:00,
13:00 and 15:00 on every working day?", so a run is keyed by its slot and
carries who/where/when/how (on time, late, manual, missed); the per-mailbox
rows say what each mailbox brought (new documents, urgent ones, the error).
Rows are only ever added: the log is evidence for the monthly report.
"""

from __future__ import annotations

import sqlite_utils

VERSION = 50


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE check_runs (
            id INTEGER PRIMARY KEY,
            slot TEXT NULL,               -- 'YYYY-MM-DDTHH:MM' Vietnam time; NULL for a manual check
            kind TEXT NOT NULL CHECK (kind IN ('on_time','late','manual','missed')),
            started TEXT NOT NULL,        -- ISO 8601 with offset
            finished TEXT NULL,
            user TEXT NOT NULL,
            workstation TEXT NOT NULL,
            new_documents INTEGER NOT NULL DEFAULT 0,
            urgent_count INTEGER NOT NULL DEFAULT 0,
            result TEXT NOT NULL DEFAULT 'running' CHECK (result IN ('running','ok','error','missed')),
            error TEXT NULL
        )"""
    )
    db.execute("CREATE INDEX check_runs_slot ON check_runs(slot)")
    db.execute("CREATE INDEX check_runs_started ON check_runs(started)")
    db.execute(
        """CREATE TABLE check_mailboxes (
            id INTEGER PRIMARY KEY,
            run INTEGER NOT NULL REFERENCES check_runs(id),
            mailbox TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT NOT NULL,
            new_documents INTEGER NOT NULL DEFAULT 0,
            urgent_count INTEGER NOT NULL DEFAULT 0,
            result TEXT NOT NULL CHECK (result IN ('ok','error')),
            error TEXT NULL
        )"""
    )
    db.execute("CREATE INDEX check_mailboxes_run ON check_mailboxes(run)")
