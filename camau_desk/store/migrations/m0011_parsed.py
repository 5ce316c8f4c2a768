"""``messages.parsed``: raw first, index later (initial sync speed, R1/R6.2).

Why: the full MIME parse (bodies, attachments) made the initial sync 5x
slower than mbsync.  The sync now stores the blob and a header-only row
(``parsed = 0``); ``camau_desk.mail.indexer.parse_pending`` fills the body,
attachments and body marks and sets ``parsed = 1``.  Rows that existed before
this migration were fully parsed, hence the default 1.  The partial index
keeps "what is left to parse" instant on a 100,000-message store.
"""

from __future__ import annotations

import sqlite_utils

VERSION = 11


def up(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE messages ADD COLUMN parsed INTEGER NOT NULL DEFAULT 1")
    db.execute("CREATE INDEX messages_unparsed ON messages(id) WHERE parsed = 0")
