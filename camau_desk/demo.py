"""A throwaway demo profile: the whole app without a mail server (``--demo``).

Why: trainers and reviewers must see a realistic inbox (công văn with
attachments, urgent and spam examples) on a machine with no network and no
account.  The demo lives in its own profile directory, never the clerk's, and
is marked with the ``demo`` setting so that sending stays local: what would be
sent goes to the demo account's "Sent" folder.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from camau_desk import accounts, settings
from camau_desk.mail import store
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.parse import parse_message
from camau_desk.paths import Profile, resources_dir
from camau_desk.store.db import open_db, transaction

__all__ = ["DEMO_ACCOUNT", "DEMO_DISPLAY_NAME", "DEMO_EMAIL", "create_demo_profile", "demo_messages"]

DEMO_ACCOUNT = "Demo"
DEMO_EMAIL = "vanthu@sotttt.camau.gov.vn"
DEMO_DISPLAY_NAME = "Văn thư Sở TT&TT (dữ liệu mẫu)"


def demo_messages() -> list[Path]:
    """The bundled sample mails (resources/demo/*.eml), in name order."""
    folder = resources_dir() / "demo"
    return sorted(folder.glob("*.eml")) if folder.is_dir() else []


def _received(raw: bytes) -> datetime | None:
    """Demo mails arrive when their Date header says, so the list looks real."""
    iso = parse_message(raw).date
    return datetime.fromisoformat(iso) if iso else None


def create_demo_profile(base: Path | None = None) -> Profile:
    """Create (or refresh) a demo profile in ``base`` or a new temp directory.

    Running it again on the same directory adds nothing twice: the store
    recognises the same bytes.
    """
    data_dir = Path(base) if base is not None else Path(tempfile.mkdtemp(prefix="camau-desk-demo-"))
    profile = Profile.at(data_dir).ensure()
    db = open_db(profile.db_path)
    try:
        if not db.execute("SELECT 1 FROM accounts WHERE name = ?", [DEMO_ACCOUNT]).fetchone():
            accounts.add_account(
                db,
                accounts.Account(name=DEMO_ACCOUNT, role="agency", email=DEMO_EMAIL,
                                 display_name=DEMO_DISPLAY_NAME, is_local=True),
                None,
            )
        blobs = BlobStore(profile.blobs_dir)
        with transaction(db):
            inbox = store.ensure_folder(db, DEMO_ACCOUNT, "INBOX", "inbox")
            store.ensure_folder(db, DEMO_ACCOUNT, "Sent", "sent")
            for path in demo_messages():
                raw = path.read_bytes()
                store.store_message(db, blobs, DEMO_ACCOUNT, inbox, raw, internaldate=_received(raw))
            settings.set(db, "demo", True)
    finally:
        db.conn.close()
    return profile
