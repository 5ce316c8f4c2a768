"""Digital-signature verdicts of received PDF attachments (ND30 Điều 5, Đ21.2; R3.3; DOMAIN.md §2.5).

Why a table: checking a PAdES signature takes a fraction of a second per file
and its answer depends on the agency's trusted-CA bundle, so the verdict is
stored per (message, attachment, signature) with the bundle it was checked
against; re-checking after the bundle changes replaces the rows of that file.
An attachment that carries no signature gets one row with verdict 'unsigned'
(sig_index 0), a file that could not be read one row 'error'.
"""

from __future__ import annotations

import sqlite_utils

VERSION = 21


def up(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE signature_checks (
            id INTEGER PRIMARY KEY,
            message INTEGER NOT NULL REFERENCES messages(id),
            attachment_idx INTEGER NOT NULL,
            attachment_sha256 TEXT,
            sig_index INTEGER NOT NULL,           -- 0.. in file order
            field_name TEXT,
            verdict TEXT NOT NULL CHECK (verdict IN
                ('valid','valid_untrusted_chain','modified_after_signing','invalid','unsigned','error')),
            signer TEXT,                          -- subject common name of the signing certificate
            signer_subject TEXT,
            signing_time TEXT,                    -- ISO 8601, as the signer's software reported it
            coverage TEXT,
            modification_level TEXT,
            trusted INTEGER,
            summary TEXT NOT NULL,                -- one Vietnamese sentence for the clerk
            detail TEXT,                          -- technical reason (English, for support)
            trust_roots_sha256 TEXT,              -- which CA bundle was used; NULL = none configured
            checked_at TEXT NOT NULL,
            UNIQUE (message, attachment_idx, sig_index)
        )"""
    )
    db.execute("CREATE INDEX signature_checks_sha ON signature_checks(attachment_sha256)")
