"""Routing: organisation directory, delegations, outbox, forwards, assignments, recalls (issue 6).

Why these tables:

* ``org_units`` / ``org_people``: the agency's directory (R2.2, R8), imported
  from a CSV the agency edits; it answers "who is the head", "who are the
  deputies" and address autocompletion.
* ``routing_delegations``: a *cache* of the ``delegation`` / ``delegation_end``
  events of the register log (the server log is the truth, so every
  workstation routes the same way); rebuilt from ``register_events``.
* ``outbox``: the durable send queue; the raw message is kept as a blob in the
  row so that a queued message survives a restart byte for byte.
* ``routing_forwards``: which register entry was presented to whom, when, and
  whether under a delegation.
* ``routing_assignments``: the leader's direction (cache of ``assignment``
  events of the log) and ``routing_tracking`` the progress columns of the
  "Sổ theo dõi giải quyết văn bản đến" that are not register columns.
* ``routing_recalls``: recalls ordered by the issuer (document out of circulation).
* ``routing_delegated_seen``: messages of a deputy's personal mailbox already
  checked for the ``X-Camau-Delegation`` header.
"""

from __future__ import annotations

import sqlite_utils

VERSION = 40


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE org_units (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('agency','department','unit')),
            parent TEXT,
            email TEXT,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE org_people (
            email TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            title TEXT,
            role TEXT NOT NULL CHECK (role IN ('head','deputy','leader','staff','clerk')),
            unit TEXT,
            sort INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE routing_delegations (
            id TEXT PRIMARY KEY,              -- event_id of the delegation event
            uid INTEGER,
            deputy TEXT NOT NULL,
            deputy_name TEXT,
            deputy_title TEXT,
            head TEXT,
            head_name TEXT,
            head_title TEXT,
            start_date TEXT NOT NULL,         -- ISO date, inclusive
            end_date TEXT NOT NULL,           -- ISO date, inclusive
            ended_on TEXT,                    -- ISO date from which it no longer applies
            reason TEXT,
            recorded_by TEXT,
            workstation TEXT,
            recorded_at TEXT,
            state TEXT NOT NULL CHECK (state IN ('valid','rejected')),
            rejected_because TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            kind TEXT NOT NULL,               -- forward | new | reply | official
            message_id TEXT NOT NULL,
            subject TEXT,
            mail_from TEXT NOT NULL,
            rcpt_to TEXT NOT NULL,            -- JSON list
            raw BLOB NOT NULL,
            sha256 TEXT NOT NULL,
            entry INTEGER,                    -- register_entries.id for forwards
            status TEXT NOT NULL CHECK (status IN ('queued','sending','sent','cancelled')),
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
    db.execute("CREATE INDEX outbox_status ON outbox(status, next_attempt_at)")
    db.execute(
        """CREATE TABLE routing_forwards (
            id INTEGER PRIMARY KEY,
            entry INTEGER NOT NULL,
            year INTEGER NOT NULL,
            so_den INTEGER NOT NULL,
            outbox INTEGER REFERENCES outbox(id),
            recipient TEXT NOT NULL,
            recipient_name TEXT,
            under_delegation INTEGER NOT NULL DEFAULT 0,
            delegation TEXT,
            message_id TEXT,
            forwarded_at TEXT NOT NULL,
            forwarded_by TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX routing_forwards_entry ON routing_forwards(entry)")
    db.execute(
        """CREATE TABLE routing_assignments (
            id TEXT PRIMARY KEY,              -- event_id of the assignment event
            entry_event TEXT NOT NULL,        -- register event_id of the entry
            lead TEXT NOT NULL,
            coordinate TEXT NOT NULL DEFAULT '[]',   -- JSON list
            deadline TEXT,
            direction TEXT,
            source TEXT,
            recorded_by TEXT,
            recorded_at TEXT
        )"""
    )
    db.execute("CREATE INDEX routing_assignments_entry ON routing_assignments(entry_event)")
    db.execute(
        """CREATE TABLE routing_tracking (
            entry_event TEXT PRIMARY KEY,
            reply_symbol TEXT,
            progress_note TEXT,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE routing_recalls (
            id INTEGER PRIMARY KEY,
            entry_event TEXT NOT NULL UNIQUE,
            issuer TEXT,
            reference TEXT,
            reason TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE routing_delegated_seen (
            message INTEGER PRIMARY KEY,
            delegation TEXT,
            so_den TEXT
        )"""
    )
