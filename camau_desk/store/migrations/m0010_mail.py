"""The offline mail store: folders, messages, locations, attachments (R1, R3.3, R6.2).

Why this shape: one ``messages`` row per distinct content per account (sha256 of
the raw bytes, which live in the blob store), and one ``locations`` row per
place the server holds it, so the same mail in INBOX and in a label folder is
stored once.  No foreign key to ``accounts``: mail stays readable after its
account is removed (R3.3).  ``spam_header`` (an addition to the agreed API)
remembers X-Spam-Flag/X-Spam-Status so ``is_spam`` can be recomputed when
flags or folders change.
"""

from __future__ import annotations

import sqlite_utils

VERSION = 10


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE folders (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NULL,
            uidvalidity INTEGER,
            uidnext INTEGER,
            highestmodseq INTEGER,
            last_sync TEXT,
            UNIQUE(account, name)
        )"""
    )
    db.execute(
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER,
            message_id TEXT,
            in_reply_to TEXT,
            references_ TEXT,
            subject TEXT,
            from_addr TEXT,
            from_name TEXT,
            to_addrs TEXT,
            cc_addrs TEXT,
            date TEXT,
            received_at TEXT,
            has_attachments INTEGER,
            body_text TEXT,
            body_is_html INTEGER,
            is_spam INTEGER NOT NULL DEFAULT 0,
            spam_override INTEGER NULL,
            spam_header INTEGER NOT NULL DEFAULT 0,
            urgency TEXT NULL,
            secrecy TEXT NULL,
            direction TEXT NOT NULL DEFAULT 'in',
            legacy_encoding TEXT NULL,
            parse_error TEXT NULL,
            created_at TEXT NOT NULL,
            UNIQUE(account, sha256)
        )"""
    )
    db.execute("CREATE INDEX messages_message_id ON messages(message_id)")
    db.execute("CREATE INDEX messages_received ON messages(account, received_at)")
    db.execute(
        """CREATE TABLE locations (
            id INTEGER PRIMARY KEY,
            message INTEGER NOT NULL REFERENCES messages(id),
            folder INTEGER NOT NULL REFERENCES folders(id),
            uidvalidity INTEGER NULL,
            uid INTEGER NULL,
            flags TEXT NOT NULL DEFAULT '',
            modseq INTEGER NULL,
            removed_on_server INTEGER NOT NULL DEFAULT 0,
            UNIQUE(folder, uidvalidity, uid)
        )"""
    )
    db.execute("CREATE INDEX locations_message ON locations(message)")
    db.execute(
        """CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            message INTEGER NOT NULL REFERENCES messages(id),
            idx INTEGER NOT NULL,
            filename TEXT NOT NULL,
            safe_name TEXT NOT NULL,
            mime_type TEXT,
            size INTEGER,
            sha256 TEXT,
            content_id TEXT NULL,
            is_inline INTEGER NOT NULL DEFAULT 0,
            UNIQUE(message, idx)
        )"""
    )
