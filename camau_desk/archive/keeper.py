"""After mail arrives: copy it into the mirror and the search index (R6.2, R6.3).

One function so that every path that brings mail in (the CLI `sync` and `check`,
the window's Đồng bộ, the scheduled checks) leaves the archive in the same state:
the offline copy and the search index follow the store without anyone asking.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from camau_desk.archive.mirror import mirror_all, mirror_root
from camau_desk.archive.search import index_pending
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.indexer import parse_pending
from camau_desk.mail.sync import sync_account


def archive_new_mail(
    db: sqlite_utils.Database, blobs: BlobStore, default_root: Path, *,
    progress: Callable[[str, int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
) -> dict[str, int]:
    """Mirror every message not yet mirrored, then index what is not indexed; returns counts.

    Messages a sync stored headers-first are parsed first (a no-op after a normal
    sync), so the mirror and the index never see a message without its body.
    """
    parse_pending(db, blobs, cancel=cancel)
    root = mirror_root(db, default_root)
    mirrored = mirror_all(db, blobs, root, (lambda d, t: progress("mirror", d, t)) if progress else None, cancel)
    indexed = index_pending(db, blobs, (lambda d, t: progress("index", d, t)) if progress else None, cancel)
    return {"mirrored": mirrored.get("ok", 0), "mirror_errors": mirrored.get("error", 0),
            "indexed": indexed.get("messages", 0), "indexed_attachments": indexed.get("attachments", 0)}


def sync_then_archive(default_root: Path, sync: Callable[..., object] | None = None) -> Callable[..., object]:
    """A sync function (same signature as ``sync_account``) that also archives what it brought.

    The daily checks take their sync function as a parameter; this keeps them unaware of the mirror.
    """

    sync_fn = sync or sync_account

    def run(db: sqlite_utils.Database, blobs: BlobStore, account, **kwargs):  # noqa: ANN001, ANN202
        result = sync_fn(db, blobs, account, **kwargs)
        archive_new_mail(db, blobs, default_root)
        return result

    return run
