"""Accounts, settings and the audit trail: what every later area builds on."""

from __future__ import annotations

import sqlite_utils

VERSION = 1


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE accounts (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('agency','unit','personal','archive')),
            email TEXT NOT NULL,
            display_name TEXT NOT NULL DEFAULT '',
            imap_host TEXT, imap_port INTEGER,
            smtp_host TEXT, smtp_port INTEGER,
            security TEXT CHECK (security IN ('ssl','starttls','plain') OR security IS NULL),
            login TEXT,
            ca_file TEXT,
            is_local INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            workstation TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT,
            old_value TEXT,
            new_value TEXT
        )"""
    )
    db.execute("CREATE INDEX audit_entity ON audit(entity, entity_id)")
