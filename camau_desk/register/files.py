"""Saving a registered document under the mirror root, named by its số đến (R7.1a-1, invariant 5).

Decree step 1 (R7.1a-1) is "save every document to the computer, named by its
số đến": so the file names come from the register template (setting
``register_template``), e.g. ``2026/03/Công văn/0015 - 470_TTr-STTTT - Về việc ....pdf``.
Names are made Windows-safe by archive.naming, files are written atomically
by fsutil, and the SHA-256 of what was written is recorded in
``register_files``.  Secret-marked documents are never written (the service
refuses them earlier; this is the second lock).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from camau_desk import audit, settings
from camau_desk.archive.naming import DEFAULT_TEMPLATE, mirror_path, render_template, unique_path
from camau_desk.errors import InvalidInput, StorageError
from camau_desk.fsutil import atomic_write_bytes
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.parse import iter_attachments
from camau_desk.mail.store import raw_bytes
from camau_desk.store.db import transaction

__all__ = ["template_fields", "plan_files", "save_entry_files", "OTHER_KIND"]

OTHER_KIND = "Văn bản khác"


def _ext(name: str, fallback: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem and 0 < len(ext) <= 10 and ext.isalnum() else fallback


def template_fields(entry: dict, *, ext: str, ten_tep: str = "") -> dict[str, object]:
    """The values a register template may use for one entry."""
    try:
        t = dt.datetime.fromisoformat(entry["ngay_den"])
    except (TypeError, ValueError):
        t = dt.datetime(entry["year"], 1, 1)
    return {
        "year": entry["year"], "month": t.month, "day": t.day, "kind": entry.get("loai") or OTHER_KIND,
        "huong": "Đến", "so_den": entry["so_den"], "so_ky_hieu": entry.get("so_ky_hieu") or "",
        "trich_yeu": entry.get("trich_yeu") or "", "co_quan": entry.get("tac_gia") or "",
        "nguoi_gui": "", "ten_tep": ten_tep, "ext": ext, "so_di": "",
    }


def plan_files(db: sqlite_utils.Database, blobs: BlobStore, entry: dict) -> list[tuple[str, list[str], bytes]]:
    """(role, path components, bytes) of every file to write for an e-mailed entry.

    The chosen attachment, or every attachment, or the .eml itself when the
    mail has none; the original .eml always goes beside the documents.
    """
    if entry.get("do_mat"):
        raise InvalidInput("Văn bản mật không được lưu ra thư mục lưu trữ.")
    if not entry.get("message") or entry.get("so_den") is None:
        return []
    template = settings.get(db, "register_template") or DEFAULT_TEMPLATE
    raw = raw_bytes(db, blobs, entry["message"])
    atts = [a for a in iter_attachments(raw) if not a.is_inline]
    if entry.get("attachment_idx") is not None:
        atts = [a for a in atts if a.idx == entry["attachment_idx"]]
    out: list[tuple[str, list[str], bytes]] = []
    for a in atts:
        comps = render_template(template, template_fields(entry, ext=_ext(a.safe_name or a.filename, "bin"),
                                                          ten_tep=a.filename))
        out.append(("document", comps, a.payload))
    out.append(("original-eml" if atts else "document",
                render_template(template, template_fields(entry, ext="eml")), raw))
    return out


def save_entry_files(db: sqlite_utils.Database, blobs: BlobStore, root: Path, entry_id: int) -> list[dict]:
    """Write the entry's files (once: an entry that already has files is left alone)."""
    rows = list(db.query("SELECT * FROM register_entries WHERE id = ?", [entry_id]))
    if not rows:
        return []
    entry = dict(rows[0])
    if db.execute("SELECT 1 FROM register_files WHERE entry = ?", [entry_id]).fetchone():
        return [dict(r) for r in db.query("SELECT * FROM register_files WHERE entry = ?", [entry_id])]
    root = Path(root)
    written: list[dict] = []
    try:
        for role, comps, data in plan_files(db, blobs, entry):
            path = unique_path(mirror_path(root, comps))
            sha = atomic_write_bytes(path, data)
            written.append({"entry": entry_id, "path": path.relative_to(root.absolute()).as_posix(),
                            "sha256": sha, "role": role, "created_at": audit.now_iso()})
    except OSError as exc:
        raise StorageError(f"Không lưu được tệp của số đến {entry['so_den']}/{entry['year']} vào {root}: "
                           f"{exc.strerror or exc}. Kiểm tra ổ đĩa còn trống và quyền ghi.") from None
    from camau_desk.archive.mirror import record_file

    with transaction(db):
        for w in written:
            db["register_files"].insert(w)
            # the mirror index covers the register's numbered files too, so `archive verify` knows them
            record_file(db, root, root.absolute() / w["path"], "register", message=entry.get("message"))
        if written:
            audit.record(db, "register.files", "register_entry", f"{entry['year']}/{entry['so_den']}", None,
                         [w["path"] for w in written])
    return written
