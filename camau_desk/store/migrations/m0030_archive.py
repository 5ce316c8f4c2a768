"""Offline archive: mirror index, outbox offers and the full-text search index (R6.2, R6.3, R3.3).

Why these tables: the mirror folder is something clerks browse and edit in
Explorer, so the database (not the folder) is the truth about which file is
which: ``mirror_files`` records every file we wrote (or found) with its hash,
so a moved file keeps its identity and ``verify`` can prove nothing was lost.
The search index is two FTS5 tables: ``search_fts`` (word search, a folded
and an exact column pair with different bm25 weights) and ``search_sym``
(trigram, substring search inside số ký hiệu such as "TTr-STTTT").
"""

from __future__ import annotations

import sqlite_utils

VERSION = 30


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE mirror_files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,          -- relative to the mirror root, '/' separated, NFC
            sha256 TEXT,                        -- hash of what we wrote (or first saw)
            message INTEGER NULL,               -- messages.id (no FK: the mirror outlives rows)
            attachment INTEGER NULL,            -- attachments.id for kind 'attachment'
            kind TEXT NOT NULL CHECK (kind IN ('eml','attachment','register','unknown')),
            size INTEGER,
            mtime REAL,
            deleted_at TEXT NULL,               -- a person deleted it (watcher/rescan saw it go)
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX mirror_files_sha ON mirror_files(sha256)")
    db.execute("CREATE INDEX mirror_files_message ON mirror_files(message)")
    db.execute(
        """CREATE TABLE mirror_messages (
            message INTEGER PRIMARY KEY,        -- messages.id
            dir TEXT NULL,                      -- the message folder, relative to the root
            status TEXT NOT NULL CHECK (status IN ('ok','secret','spam','error')),
            error TEXT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE outbox_offers (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,                 -- relative to the mirror root
            sha256 TEXT NOT NULL,
            size INTEGER,
            status TEXT NOT NULL DEFAULT 'offered' CHECK (status IN ('offered','sent','cancelled','gone')),
            offered_at TEXT NOT NULL,
            UNIQUE(path, sha256)
        )"""
    )
    db.execute(
        """CREATE TABLE search_docs (
            id INTEGER PRIMARY KEY,             -- = search_fts.rowid = search_sym.rowid
            doc_kind TEXT NOT NULL CHECK (doc_kind IN ('message','attachment','register')),
            ref_id INTEGER NOT NULL,            -- messages.id / attachments.id / register row id
            message INTEGER NULL,
            title TEXT,
            date TEXT,
            year INTEGER,
            kind TEXT,                          -- loại văn bản (or Thư đến / Thư đi)
            kind_fold TEXT,
            from_fold TEXT,
            so_ky_hieu TEXT,
            so_den TEXT,
            status TEXT,
            has_attachment INTEGER NOT NULL DEFAULT 0,
            extract_status TEXT,                -- attachments: ok / empty / unsupported / too_large / error / timeout
            src_hash TEXT,                      -- register rows: re-index when the fields change
            UNIQUE(doc_kind, ref_id)
        )"""
    )
    db.execute("CREATE INDEX search_docs_message ON search_docs(message)")
    # search hides spam: a partial index makes "which messages are spam" a lookup, not a
    # scan of every message body (90 ms at 100,000 messages)
    db.execute("CREATE INDEX messages_spam ON messages(id) WHERE COALESCE(spam_override, is_spam) = 1")
    db.execute("CREATE INDEX search_docs_year ON search_docs(year)")
    db.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "e_head, e_body, f_head, f_body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')"
    )
    db.execute("CREATE VIRTUAL TABLE search_sym USING fts5(sym, tokenize = 'trigram')")
