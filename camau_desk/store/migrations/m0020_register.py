"""The incoming-document register ("Sổ đăng ký văn bản đến", ND30 Đ20-22, R7.1a-1).

Why these tables (see docs/register-log.md):

* ``register_events``: a local copy of every event read from the agency's IMAP
  log folder (and of the ones this workstation wrote).  The server folder is
  the shared truth; this copy is what proves, later, which number was shown
  to a clerk for which event.
* ``register_entries``: one row per document in the register, the columns of
  the paper book (Phụ lục VI).  ``so_den`` is NULL while the entry waits for
  its number ("chờ cấp số", status 'pending'); once set it never changes.
* ``register_files``: the files saved under the mirror root for an entry.
* ``register_pending``: the local queue of events not yet on the server
  (offline registrations, corrections, cancellations), in local order.
* ``register_log_state``: per log folder, the UIDVALIDITY and the last UID
  already applied, so a sync reads only new events.
"""

from __future__ import annotations

import sqlite_utils

VERSION = 20


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE register_log_state (
            account TEXT NOT NULL,
            folder TEXT NOT NULL,
            uidvalidity INTEGER,
            last_uid INTEGER NOT NULL DEFAULT 0,
            verified_at TEXT,
            PRIMARY KEY (account, folder)
        )"""
    )
    db.execute(
        """CREATE TABLE register_events (
            event_id TEXT PRIMARY KEY,
            account TEXT,
            folder TEXT,
            uid INTEGER,              -- NULL until the event is on the server
            uidvalidity INTEGER,
            year INTEGER NOT NULL,
            type TEXT NOT NULL,       -- register | paper | correct | cancel
            claim INTEGER,
            target TEXT,              -- event_id of the entry a correct/cancel changes
            number INTEGER,           -- số đến the replay gave (register/paper only)
            json TEXT NOT NULL,       -- the event exactly as written to the log
            applied_at TEXT
        )"""
    )
    db.execute("CREATE INDEX register_events_uid ON register_events(account, folder, uid)")
    db.execute(
        """CREATE TABLE register_entries (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            so_den INTEGER,                 -- NULL while pending; never renumbered
            ngay_den TEXT NOT NULL,         -- ISO 8601 with offset
            tac_gia TEXT,                   -- cơ quan, tổ chức ban hành
            so_ky_hieu TEXT,                -- as printed
            so_ky_hieu_parsed TEXT,         -- JSON of register.symbols.Symbol
            ngay_van_ban TEXT,              -- ISO date
            ngay_van_ban_raw TEXT,
            loai TEXT,                      -- tên loại văn bản
            trich_yeu TEXT,
            don_vi_nhan TEXT,               -- đơn vị hoặc người nhận
            ngay_chuyen TEXT,
            ky_nhan TEXT,
            ghi_chu TEXT,
            muc_do_khan TEXT,
            do_mat TEXT,
            han_giai_quyet TEXT,
            so_trang INTEGER,
            nguoi_ky TEXT,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                ('pending','registered','presented','assigned','processing','done','cancelled')),
            cancel_reason TEXT,
            message INTEGER REFERENCES messages(id),   -- NULL for paper documents
            message_id_header TEXT,
            message_sha256 TEXT,
            attachment_idx INTEGER,
            attachment_sha256 TEXT,
            event_id TEXT NOT NULL UNIQUE,
            is_paper INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            workstation TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (year, so_den)
        )"""
    )
    db.execute("CREATE INDEX register_entries_message ON register_entries(message)")
    db.execute("CREATE INDEX register_entries_msgid ON register_entries(message_id_header)")
    db.execute("CREATE INDEX register_entries_att ON register_entries(attachment_sha256)")
    db.execute(
        """CREATE TABLE register_files (
            id INTEGER PRIMARY KEY,
            entry INTEGER NOT NULL REFERENCES register_entries(id),
            path TEXT NOT NULL,           -- relative to the mirror root, '/' separated
            sha256 TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('document','original-eml')),
            created_at TEXT NOT NULL,
            UNIQUE (entry, path)
        )"""
    )
    db.execute(
        """CREATE TABLE register_pending (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )"""
    )
