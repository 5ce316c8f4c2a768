"""Handing a mailbox over to a new head (R4.2): a complete, verifiable package of its local data.

Đ4.2: when the head of a unit changes, the old head hands over the mailbox,
its password and *all its data* to the new head, and every unit is told.
The password never goes into the package (R4.3): the new head types it (the
agency resets it) and it goes straight to the keyring.

Package layout (a plain folder, so it can be checked by hand and copied to a
USB stick)::

    manifest.json           format, account, counts, SHA-256 + size of every other file
    account.json            the account's settings (servers, address; no password)
    tables/<table>.json     rows: folders, messages, locations, attachments, register_*,
                            mirror_files, mirror_messages, org_units, org_people
    settings.json           the agency settings
    blobs/<sha256>          every raw message (the legal original, R3.3)
    mirror/<path>           the files of the offline archive belonging to these messages

Import verifies *every* hash (and refuses files the manifest does not list)
before touching anything: a tampered package is refused naming the file.
Then the blobs and mirror files are written (content-addressed / checked, so
harmless if the import stops), and all rows go in one transaction with the
ids re-mapped, so the database gets the whole mailbox or nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk import accounts as accounts_mod
from camau_desk import audit, secrets, settings
from camau_desk.errors import CamauError, InvalidInput, StorageError
from camau_desk.paths import Profile
from camau_desk.store.db import transaction

log = logging.getLogger(__name__)

FORMAT = "camau-desk-handover"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: Settings that describe the old machine, not the agency: never carried over.
LOCAL_SETTINGS = frozenset({"mirror_root"})


class PackageRefused(InvalidInput):
    """The package failed verification; ``file`` names the culprit."""

    def __init__(self, message: str, file: str | None = None) -> None:
        super().__init__(message)
        self.file = file


@dataclass
class Manifest:
    account: str
    email: str
    created_at: str
    created_by: str
    workstation: str
    counts: dict[str, int]
    files: dict[str, dict[str, Any]]
    missing_mirror_files: list[str] = field(default_factory=list)
    format: str = FORMAT
    version: int = FORMAT_VERSION
    sha256: str = ""  # of manifest.json itself: write it on the handover minutes (biên bản)
    path: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("sha256")
        d.pop("path")
        return d


@dataclass
class ImportReport:
    account: str
    from_account: str
    counts: dict[str, int]
    manifest_sha256: str
    notified: list[str] = field(default_factory=list)
    notice_status: str = ""  # sent | queued | skipped | error: ...
    skipped_existing: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------- helpers
def _sha_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write(path: Path, data: bytes) -> None:
    from camau_desk.fsutil import atomic_write_bytes

    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise StorageError(f"Không ghi được {path}: {exc.strerror or exc}. Kiểm tra ổ đĩa còn trống.") from exc


def _has_table(db: sqlite_utils.Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None


def _rows(db: sqlite_utils.Database, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query(sql, params or {})]


def _mirror_root(db: sqlite_utils.Database, profile: Profile) -> Path:
    from camau_desk.archive.mirror import mirror_root

    return mirror_root(db, profile.default_mirror_dir)


def _safe_rel(rel: str) -> Path:
    """A package-relative path that cannot climb out of its folder."""
    p = Path(rel)
    if p.is_absolute() or ".." in p.parts or not rel or "\\" in rel:
        raise PackageRefused(f"Gói bàn giao có đường dẫn không hợp lệ: {rel}. Gói bị từ chối.", rel)
    return p


# -------------------------------------------------------------------- export
def collect(db: sqlite_utils.Database, account: str) -> dict[str, list[dict[str, Any]]]:
    """Every row that belongs to the mailbox, table by table (ids as in this profile).

    Sub-queries, not id lists: an agency mailbox holds 100,000 messages, more
    than SQLite accepts as parameters.
    """
    msgs = "(SELECT id FROM messages WHERE account = :a)"
    t: dict[str, list[dict[str, Any]]] = {}
    t["folders"] = _rows(db, "SELECT * FROM folders WHERE account = :a ORDER BY id", {"a": account})
    t["messages"] = _rows(db, "SELECT * FROM messages WHERE account = :a ORDER BY id", {"a": account})
    t["locations"] = _rows(db, f"SELECT * FROM locations WHERE message IN {msgs}"  # noqa: S608
                               " OR folder IN (SELECT id FROM folders WHERE account = :a) ORDER BY id", {"a": account})
    t["attachments"] = _rows(db, f"SELECT * FROM attachments WHERE message IN {msgs} ORDER BY id", {"a": account})  # noqa: S608
    if _has_table(db, "register_events"):
        entries = ("(SELECT id FROM register_entries WHERE event_id IN"  # noqa: S608
                   f" (SELECT event_id FROM register_events WHERE account = :a) OR message IN {msgs})")
        t["register_events"] = _rows(db, "SELECT * FROM register_events WHERE account = :a ORDER BY rowid",
                                     {"a": account})
        t["register_entries"] = _rows(db, f"SELECT * FROM register_entries WHERE id IN {entries} ORDER BY id",  # noqa: S608
                                      {"a": account})
        t["register_files"] = _rows(db, f"SELECT * FROM register_files WHERE entry IN {entries} ORDER BY id",  # noqa: S608
                                    {"a": account})
        t["register_log_state"] = _rows(db, "SELECT * FROM register_log_state WHERE account = :a", {"a": account})
        t["register_pending"] = _rows(db, "SELECT * FROM register_pending ORDER BY seq")
        if _has_table(db, "mirror_files"):
            t["mirror_files"] = _rows(
                db, f"SELECT * FROM mirror_files WHERE message IN {msgs} OR path IN"  # noqa: S608
                    f" (SELECT path FROM register_files WHERE entry IN {entries}) ORDER BY id", {"a": account})
    elif _has_table(db, "mirror_files"):
        t["mirror_files"] = _rows(db, f"SELECT * FROM mirror_files WHERE message IN {msgs} ORDER BY id",  # noqa: S608
                                  {"a": account})
    if _has_table(db, "mirror_messages"):
        t["mirror_messages"] = _rows(db, f"SELECT * FROM mirror_messages WHERE message IN {msgs}", {"a": account})  # noqa: S608
    for org in ("org_units", "org_people"):
        if _has_table(db, org):
            t[org] = _rows(db, f"SELECT * FROM {org}")  # noqa: S608
    return t


def export_package(db: sqlite_utils.Database, profile: Profile, account: str, dest_dir: Path | str,
                   *, blobs: Any = None) -> Manifest:
    """Write the handover package of ``account`` into ``dest_dir`` (which must be empty or new)."""
    from camau_desk.mail.blobs import BlobStore

    acct = accounts_mod.get_account(db, account)
    dest = Path(dest_dir)
    if dest.exists() and any(dest.iterdir()):
        raise InvalidInput(f"Thư mục {dest} không trống: hãy chọn một thư mục mới cho gói bàn giao.")
    blobs = blobs or BlobStore(profile.blobs_dir)
    tables = collect(db, account)
    files: dict[str, dict[str, Any]] = {}

    def put(rel: str, data: bytes) -> None:
        _write(dest / rel, data)
        files[rel] = {"sha256": _sha_bytes(data), "size": len(data)}

    def put_json(rel: str, value: Any) -> None:
        put(rel, (json.dumps(value, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8"))

    account_row = acct.public_dict()
    put_json("account.json", account_row)
    for name, rows in tables.items():
        put_json(f"tables/{name}.json", rows)
    put_json("settings.json", settings.all_settings(db))
    for m in tables["messages"]:
        data = blobs.get(m["sha256"])
        if _sha_bytes(data) != m["sha256"]:
            raise StorageError(f"Bản gốc của thư {m['id']} đã bị hỏng trên máy này (mã băm không khớp); "
                               "hãy chạy 'archive verify' trước khi bàn giao.")
        put(f"blobs/{m['sha256']}", data)
    root = _mirror_root(db, profile)
    missing: list[str] = []
    wanted = [f["path"] for f in tables.get("mirror_files", []) if not f.get("deleted_at")]
    wanted += [f["path"] for f in tables.get("register_files", [])]  # the files named by số đến (R7.1a-1)
    for rel in dict.fromkeys(wanted):
        try:
            data = (root / rel).read_bytes()
        except FileNotFoundError:
            missing.append(rel)
            continue
        put(f"mirror/{rel}", data)
    counts = {name: len(rows) for name, rows in tables.items()}
    counts["blobs"] = sum(1 for k in files if k.startswith("blobs/"))
    counts["mirror"] = sum(1 for k in files if k.startswith("mirror/"))
    manifest = Manifest(account=acct.name, email=acct.email, created_at=audit.now_iso(),
                        created_by=audit.current_user(), workstation=audit.workstation(),
                        counts=counts, files=files, missing_mirror_files=missing)
    raw = (json.dumps(manifest.as_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    _write(dest / MANIFEST, raw)
    manifest.sha256 = _sha_bytes(raw)
    manifest.path = str(dest / MANIFEST)
    with transaction(db):
        audit.record(db, "handover.export", "account", account, None,
                     {"dir": str(dest), "manifest_sha256": manifest.sha256, "counts": counts})
    return manifest


# -------------------------------------------------------------------- verify
def read_manifest(src: Path) -> tuple[dict[str, Any], str]:
    path = src / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PackageRefused(f"Không tìm thấy {MANIFEST} trong {src}: đây không phải gói bàn giao.", MANIFEST) from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PackageRefused(f"Tệp {MANIFEST} bị hỏng hoặc đã bị sửa: gói bàn giao bị từ chối.", MANIFEST) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("files"), dict):
        raise PackageRefused(f"Tệp {MANIFEST} không phải của gói bàn giao Cà Mau Desk.", MANIFEST)
    if int(doc.get("version", 0)) > FORMAT_VERSION:
        raise PackageRefused("Gói bàn giao do phiên bản mới hơn tạo ra: hãy cập nhật Cà Mau Desk.", MANIFEST)
    return doc, _sha_bytes(raw)


def verify_package(src_dir: Path | str) -> tuple[dict[str, Any], str]:
    """Check every file against the manifest (hash, size, nothing extra); raise PackageRefused naming the file."""
    src = Path(src_dir)
    doc, manifest_sha = read_manifest(src)
    listed = doc["files"]
    for rel, meta in sorted(listed.items()):
        path = src / _safe_rel(rel)
        if not path.is_file():
            raise PackageRefused(f"Gói bàn giao thiếu tệp {rel}: gói bị từ chối, chưa nhập gì.", rel)
        if path.stat().st_size != meta.get("size") or _sha_file(path) != meta.get("sha256"):
            raise PackageRefused(
                f"Tệp {rel} trong gói bàn giao đã bị thay đổi (mã SHA-256 không khớp): gói bị từ chối, chưa nhập gì.",
                rel)
        if rel.startswith("blobs/") and Path(rel).name != meta.get("sha256"):
            raise PackageRefused(f"Tệp {rel} không khớp tên (mã băm) của nó: gói bị từ chối.", rel)
    for path in sorted(src.rglob("*")):
        if path.is_file():
            rel = path.relative_to(src).as_posix()
            if rel != MANIFEST and rel not in listed:
                raise PackageRefused(f"Gói bàn giao có tệp lạ {rel} không ghi trong {MANIFEST}: gói bị từ chối.", rel)
    return doc, manifest_sha


# -------------------------------------------------------------------- import
def _load(src: Path, rel: str) -> Any:
    path = src / rel
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _insert(db: sqlite_utils.Database, table: str, row: dict[str, Any], *, ignore: bool = False,
            columns: set[str] | None = None) -> int | None:
    """Plain INSERT (inside the caller's transaction); returns lastrowid or None when ignored."""
    if columns is not None:
        row = {k: v for k, v in row.items() if k in columns}
    cols = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" * len(row))
    cur = db.execute(f"INSERT {'OR IGNORE ' if ignore else ''}INTO {table} ({cols}) VALUES ({marks})",  # noqa: S608
                     list(row.values()))
    return int(cur.lastrowid) if cur.rowcount else None


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def import_package(
    src_dir: Path | str,
    profile: Profile,
    account_name: str,
    password: str,
    *,
    db: sqlite_utils.Database | None = None,
    blobs: Any = None,
    new_manager: str | None = None,
    notify: bool = True,
    send: Callable[..., Any] | None = None,
) -> ImportReport:
    """Verify, then import the package into ``profile`` as mailbox ``account_name`` of the new head.

    The password goes to the keyring (before anything else is written; on a
    failure afterwards it is removed again).  Afterwards a notice is sent to
    every unit and person of the directory through the outbox (queued if
    offline).  ``send`` replaces the outbox for tests.
    """
    from camau_desk.mail.blobs import BlobStore
    from camau_desk.store import open_db

    src = Path(src_dir)
    doc, manifest_sha = verify_package(src)  # nothing is touched before this passes
    if not password:
        raise InvalidInput("Cần mật khẩu mới của hộp thư (nhập qua --password-stdin).")
    own_db = db is None
    profile.ensure()
    db = db or open_db(profile.db_path)
    blobs = blobs or BlobStore(profile.blobs_dir)
    try:
        return _import(db, blobs, profile, src, doc, manifest_sha, account_name, password,
                       new_manager=new_manager, notify=notify, send=send)
    finally:
        if own_db:
            db.conn.close()


def _import(db, blobs, profile, src, doc, manifest_sha, account_name, password, *, new_manager, notify, send):
    old = _load(src, "account.json")
    if not isinstance(old, dict) or not old.get("email"):
        raise PackageRefused("Gói bàn giao thiếu thông tin hộp thư (account.json).", "account.json")
    if db.execute("SELECT 1 FROM accounts WHERE name = ?", [account_name]).fetchone():
        raise InvalidInput(f"Hồ sơ này đã có hộp thư tên '{account_name}': hãy chọn tên khác.")
    acct = accounts_mod.Account(**{**{k: old.get(k) for k in accounts_mod.Account.__dataclass_fields__},
                                   "name": account_name, "created_at": audit.now_iso(),
                                   "is_local": bool(old.get("is_local"))})
    accounts_mod.validate(acct)
    tables = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((src / "tables").glob("*.json"))}

    # 1. content first (idempotent, verified): raw messages, then archive files
    for rel in doc["files"]:
        if rel.startswith("blobs/"):
            sha = blobs.put((src / rel).read_bytes())
            if sha != Path(rel).name:  # pragma: no cover - verify_package already proved it
                raise PackageRefused(f"Tệp {rel} không khớp mã băm.", rel)
    root = _mirror_root(db, profile)
    for rel in doc["files"]:
        if rel.startswith("mirror/"):
            target = root / _safe_rel(rel[len("mirror/"):])
            data = (src / rel).read_bytes()
            if target.exists():
                if _sha_file(target) == _sha_bytes(data):
                    continue
                raise InvalidInput(f"Thư mục lưu trữ đã có tệp khác tên {target}: chưa nhập gì vào cơ sở dữ liệu. "
                                   "Hãy đổi tên tệp đó rồi nhập lại.")
            _write(target, data)

    # 2. the password: keyring before any row (R4.3)
    if not acct.is_local:
        secrets.set_password(account_name, password)
    try:
        report = _import_rows(db, tables, acct, old, manifest_sha, doc, _load(src, "settings.json"))
    except BaseException:
        if not acct.is_local:
            secrets.delete_password(account_name)
        raise
    _index_quietly(db, blobs)
    if notify:
        _send_notice(db, blobs, acct, old, new_manager, report, send)
        with transaction(db):
            audit.record(db, "handover.notice", "account", account_name, None,
                         {"to": report.notified, "status": report.notice_status})
    return report


def _import_rows(db, tables, acct, old, manifest_sha, doc, pkg_settings) -> ImportReport:
    name = acct.name
    skipped: dict[str, int] = {}
    counts: dict[str, int] = {}
    cols = {t: _columns(db, t) for t in tables if _has_table(db, t)}

    def bump(d: dict[str, int], key: str) -> None:
        d[key] = d.get(key, 0) + 1

    with transaction(db):
        row = asdict(acct)
        row["is_local"] = int(acct.is_local)
        _insert(db, "accounts", row)
        folder_map: dict[int, int] = {}
        for f in tables.get("folders", []):
            new = {**f, "account": name}
            new.pop("id")
            _insert(db, "folders", new, ignore=True, columns=cols["folders"])
            folder_map[f["id"]] = db.execute("SELECT id FROM folders WHERE account = ? AND name = ?",
                                             [name, f["name"]]).fetchone()[0]
            bump(counts, "folders")
        msg_map: dict[int, int] = {}
        for m in tables.get("messages", []):
            new = {**m, "account": name}
            new.pop("id")
            if _insert(db, "messages", new, ignore=True, columns=cols["messages"]) is None:
                bump(skipped, "messages")
            msg_map[m["id"]] = db.execute("SELECT id FROM messages WHERE account = ? AND sha256 = ?",
                                          [name, m["sha256"]]).fetchone()[0]
            bump(counts, "messages")
        for loc in tables.get("locations", []):
            if loc["message"] not in msg_map or loc["folder"] not in folder_map:
                continue
            new = {**loc, "message": msg_map[loc["message"]], "folder": folder_map[loc["folder"]]}
            new.pop("id")
            if _insert(db, "locations", new, ignore=True, columns=cols["locations"]) is None:
                bump(skipped, "locations")
            bump(counts, "locations")
        att_map: dict[int, int] = {}
        for a in tables.get("attachments", []):
            new = {**a, "message": msg_map[a["message"]]}
            new.pop("id")
            _insert(db, "attachments", new, ignore=True, columns=cols["attachments"])
            att_map[a["id"]] = db.execute("SELECT id FROM attachments WHERE message = ? AND idx = ?",
                                          [new["message"], a["idx"]]).fetchone()[0]
            bump(counts, "attachments")
        if "register_events" in cols:
            for e in tables.get("register_events", []):
                if _insert(db, "register_events", {**e, "account": name}, ignore=True,
                           columns=cols["register_events"]) is None:
                    bump(skipped, "register_events")
                bump(counts, "register_events")
            for s in tables.get("register_log_state", []):
                _insert(db, "register_log_state", {**s, "account": name}, ignore=True,
                        columns=cols["register_log_state"])
            entry_map: dict[int, int] = {}
            for r in tables.get("register_entries", []):
                existing = db.execute("SELECT id FROM register_entries WHERE event_id = ?", [r["event_id"]]).fetchone()
                if existing:
                    entry_map[r["id"]] = existing[0]
                    bump(skipped, "register_entries")
                else:
                    new = {**r, "message": msg_map.get(r["message"]) if r.get("message") else None}
                    new.pop("id")
                    entry_map[r["id"]] = _insert(db, "register_entries", new, columns=cols["register_entries"])
                bump(counts, "register_entries")
            for f in tables.get("register_files", []):
                new = {**f, "entry": entry_map[f["entry"]]}
                new.pop("id")
                _insert(db, "register_files", new, ignore=True, columns=cols["register_files"])
                bump(counts, "register_files")
            for p in tables.get("register_pending", []):
                new = dict(p)
                new.pop("seq", None)
                _insert(db, "register_pending", new, ignore=True, columns=cols["register_pending"])
        if "mirror_files" in cols:
            for f in tables.get("mirror_files", []):
                new = {**f, "message": msg_map.get(f["message"]) if f.get("message") else None,
                       "attachment": att_map.get(f["attachment"]) if f.get("attachment") else None}
                new.pop("id")
                if _insert(db, "mirror_files", new, ignore=True, columns=cols["mirror_files"]) is None:
                    bump(skipped, "mirror_files")
                bump(counts, "mirror_files")
            for mm in tables.get("mirror_messages", []):
                if mm["message"] in msg_map:
                    _insert(db, "mirror_messages", {**mm, "message": msg_map[mm["message"]]}, ignore=True,
                            columns=cols["mirror_messages"])
        for org in ("org_units", "org_people"):
            if org in cols:
                for r in tables.get(org, []):
                    _insert(db, org, r, ignore=True, columns=cols[org])
                    bump(counts, org)
        _apply_settings(db, pkg_settings)
        report = ImportReport(account=name, from_account=str(old.get("name")), counts=counts,
                              manifest_sha256=manifest_sha, skipped_existing=skipped)
        audit.record(db, "account.add", "account", name, None, {"via": "handover", "email": acct.email})
        audit.record(db, "handover.import", "account", name, None,
                     {"from_account": old.get("name"), "email": acct.email, "manifest_sha256": manifest_sha,
                      "package_created_by": doc.get("created_by"), "package_workstation": doc.get("workstation"),
                      "package_created_at": doc.get("created_at"), "counts": counts})
    return report


def _apply_settings(db: sqlite_utils.Database, values: Any) -> list[str]:
    """The agency's settings travel with the mailbox; keys this version does not know, that do not
    pass validation, or that name a path on the old machine are left alone.  Returns the keys applied."""
    from camau_desk import settings_io

    applied: list[str] = []
    if not isinstance(values, dict):
        return applied
    for key, value in values.items():
        if key in LOCAL_SETTINGS or key not in settings_io.known_keys():
            continue
        try:
            value = settings_io.spec_for(key).check(value)
        except ValueError:
            continue
        if settings.get(db, key) != value:
            settings.set(db, key, value)
            applied.append(key)
    return applied


def _index_quietly(db: sqlite_utils.Database, blobs: Any) -> None:
    """Make the imported mail searchable at once; the next start indexes it otherwise."""
    try:
        from camau_desk.archive.search import index_pending

        index_pending(db, blobs, attachments=False)
    except Exception:  # noqa: BLE001 - the search index is rebuilt later; the import itself succeeded
        log.warning("handover: indexing the imported mail failed; it is indexed at the next start", exc_info=True)


# -------------------------------------------------------------------- notice
def directory_addresses(db: sqlite_utils.Database, exclude: Iterable[str] = ()) -> list[str]:
    """Every unit and person address of the directory (R2.2), deduplicated, without ``exclude``."""
    skip = {e.strip().lower() for e in exclude}
    out: list[str] = []
    for table, col in (("org_units", "email"), ("org_people", "email")):
        if not _has_table(db, table):
            continue
        for (addr,) in db.execute(f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL AND {col} != ''"):  # noqa: S608
            a = addr.strip().lower()
            if a and a not in skip and a not in out:
                out.append(a)
    return out


def notice_text(old: dict[str, Any], new_manager: str | None, when: datetime | None = None) -> tuple[str, str]:
    when = when or datetime.now()
    who = new_manager or audit.current_user()
    box = f"{old.get('display_name') or old.get('name')} <{old['email']}>"
    subject = f"Thông báo bàn giao hộp thư {old['email']}"
    body = (
        "Kính gửi các đơn vị,\n\n"
        f"Thực hiện Quy chế sử dụng thư điện tử (Điều 4, khoản 2), hộp thư {box} "
        f"đã được bàn giao toàn bộ dữ liệu cho người quản lý mới: {who}, "
        f"kể từ ngày {when:%d/%m/%Y}.\n\n"
        "Các đơn vị tiếp tục gửi văn bản đến địa chỉ trên như trước.\n\n"
        "Thư này do Cà Mau Desk gửi tự động khi nhận bàn giao.\n"
    )
    return subject, body


def _send_notice(db, blobs, acct, old, new_manager, report: ImportReport, send) -> None:
    to = directory_addresses(db, exclude=[acct.email])
    report.notified = to
    if not to:
        report.notice_status = "skipped: danh bạ tổ chức chưa có đơn vị nào"
        return
    subject, body = notice_text(old, new_manager)
    try:
        from camau_desk.mail.compose import new_message

        msg = new_message(from_addr=(acct.display_name or acct.name, acct.email), to=to, subject=subject, body=body)
        if send is not None:
            send(db, blobs, acct, msg)
            report.notice_status = "sent"
            return
        from camau_desk.mail import outbox

        item = outbox.send_or_queue(db, blobs, acct, msg, kind="new", confirm_many=True)
        status = str(item.get("status"))
        report.notice_status = status if status == "sent" or not item.get("last_error") else \
            f"{status}: {item['last_error']}"
    except CamauError as err:
        report.notice_status = f"error: {err.message}"


