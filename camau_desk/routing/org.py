"""The agency's organisation and directory (R2.2, R8): who is the head, the deputies, the units.

Why a CSV: the agency keeps its organisation chart in a spreadsheet; the
clerk imports it (and exports it to edit).  One row per unit or person:

====================  ===========================================  ================================
column (English)      accepted Vietnamese headers                   meaning
====================  ===========================================  ================================
``kind``              Loại                                          agency | department | unit |
                                                                    head | deputy | leader | staff | clerk
``code``              Mã, Mã đơn vị                                 unit code (units only; required)
``name``              Tên, Họ tên, Họ và tên, Tên đơn vị            name of the unit or person
``title``             Chức vụ                                       e.g. "Giám đốc", "Trưởng phòng"
``email``             Email, Thư điện tử, Địa chỉ thư               mailbox (required for people)
``unit``              Đơn vị, Thuộc, Thuộc đơn vị, Đơn vị cha       code of the unit it belongs to
====================  ===========================================  ================================

Kinds may be written in Vietnamese too (Cơ quan, Phòng, Đơn vị, Thủ trưởng /
Giám đốc / Chủ tịch, Phó, Trưởng phòng, Chuyên viên, Văn thư).  An import is
all or nothing: every invalid row is reported with its line number and reason
and nothing is changed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk import audit
from camau_desk.errors import InvalidInput, NotFound
from camau_desk.store.db import transaction
from camau_desk.vn.text import fold, nfc

__all__ = [
    "COLUMNS",
    "OrgRow",
    "parse_csv",
    "import_csv",
    "export_csv",
    "list_org",
    "resolve_head",
    "deputies",
    "person",
    "directory_search",
]

COLUMNS: tuple[str, ...] = ("kind", "code", "name", "title", "email", "unit")
UNIT_KINDS = ("agency", "department", "unit")
PERSON_KINDS = ("head", "deputy", "leader", "staff", "clerk")

_HEADER_ALIASES: dict[str, str] = {
    "kind": "kind", "loai": "kind", "loai dong": "kind",
    "code": "code", "ma": "code", "ma don vi": "code",
    "name": "name", "ten": "name", "ho ten": "name", "ho va ten": "name", "ten don vi": "name",
    "title": "title", "chuc vu": "title",
    "email": "email", "e-mail": "email", "thu dien tu": "email", "dia chi thu": "email", "hop thu": "email",
    "unit": "unit", "don vi": "unit", "thuoc": "unit", "thuoc don vi": "unit", "don vi cha": "unit",
    "parent": "unit",
}
_KIND_ALIASES: dict[str, str] = {
    "agency": "agency", "co quan": "agency",
    "department": "department", "phong": "department", "phong ban": "department",
    "unit": "unit", "don vi": "unit", "don vi truc thuoc": "unit",
    "head": "head", "thu truong": "head", "giam doc": "head", "chu tich": "head", "truong": "head",
    "deputy": "deputy", "pho": "deputy", "pho giam doc": "deputy", "pho chu tich": "deputy",
    "cap pho": "deputy",
    "leader": "leader", "truong phong": "leader", "lanh dao phong": "leader", "lanh dao don vi": "leader",
    "staff": "staff", "chuyen vien": "staff", "nhan vien": "staff", "can bo": "staff",
    "clerk": "clerk", "van thu": "clerk",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class OrgRow:
    kind: str
    code: str | None
    name: str
    title: str | None
    email: str | None
    unit: str | None
    line: int = 0


def _clean(value: Any) -> str | None:
    text = nfc(str(value or "")).strip()
    return text or None


def _header_map(header: list[str]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i, h in enumerate(header):
        key = _HEADER_ALIASES.get(fold(h.lstrip("\ufeff")).strip(" :*"))
        if key:
            out[i] = key
    if "kind" not in out.values() or "name" not in out.values():
        raise InvalidInput(
            "Tệp CSV tổ chức cần dòng tiêu đề có ít nhất cột 'Loại' (kind) và 'Tên' (name); "
            f"các cột: {', '.join(COLUMNS)}."
        )
    return out


def parse_csv(text: str) -> list[OrgRow]:
    """Rows of an organisation CSV; raises with every bad line listed (nothing is applied)."""
    text = text.lstrip("\ufeff")
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        pass
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("Tệp CSV tổ chức trống.") from None
    cols = _header_map(header)
    rows: list[OrgRow] = []
    errors: list[str] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        rec = {key: _clean(values[i]) if i < len(values) else None for i, key in cols.items()}
        kind = _KIND_ALIASES.get(fold(rec.get("kind") or ""))
        email = (rec.get("email") or "").lower() or None
        problem = None
        if kind is None:
            problem = f"loại '{rec.get('kind') or ''}' không hợp lệ (dùng: {', '.join(UNIT_KINDS + PERSON_KINDS)})"
        elif not rec.get("name"):
            problem = "thiếu tên"
        elif email and not _EMAIL.match(email):
            problem = f"địa chỉ thư '{email}' không hợp lệ"
        elif kind in PERSON_KINDS and not email:
            problem = "người phải có địa chỉ thư"
        elif kind in UNIT_KINDS and not rec.get("code"):
            problem = "đơn vị phải có mã"
        if problem:
            errors.append(f"dòng {line}: {problem}")
            continue
        assert kind is not None
        rows.append(OrgRow(kind, rec.get("code"), rec["name"] or "", rec.get("title"), email, rec.get("unit"), line))
    errors.extend(_cross_check(rows))
    if errors:
        raise InvalidInput("Không nhập tệp tổ chức (chưa thay đổi gì): " + "; ".join(errors) + ".")
    return rows


def _cross_check(rows: list[OrgRow]) -> list[str]:
    """Duplicates, unknown parent units, more than one head."""
    errors: list[str] = []
    codes: dict[str, int] = {}
    emails: dict[str, int] = {}
    for r in rows:
        if r.kind in UNIT_KINDS and r.code:
            if r.code in codes:
                errors.append(f"dòng {r.line}: mã đơn vị '{r.code}' trùng với dòng {codes[r.code]}")
            codes.setdefault(r.code, r.line)
        elif r.email:
            if r.email in emails:
                errors.append(f"dòng {r.line}: địa chỉ '{r.email}' trùng với dòng {emails[r.email]}")
            emails.setdefault(r.email, r.line)
    for r in rows:
        if r.unit and r.unit not in codes:
            errors.append(f"dòng {r.line}: không có đơn vị mã '{r.unit}' trong tệp")
    heads = [r for r in rows if r.kind == "head"]
    if len(heads) > 1:
        errors.append(f"dòng {heads[1].line}: chỉ được có một thủ trưởng (đã có ở dòng {heads[0].line})")
    return errors


def import_csv(db: sqlite_utils.Database, path: Path | str | None = None, *, text: str | None = None) -> dict:
    """Replace the directory with the CSV's content, in one transaction (audited)."""
    if text is None:
        if path is None:
            raise InvalidInput("Cần tệp CSV tổ chức.")
        raw = Path(path).read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(f"Tệp {path} không phải UTF-8; hãy lưu lại dạng 'CSV UTF-8'.") from None
    rows = parse_csv(text)
    now = audit.now_iso()
    with transaction(db):
        old = {"units": db.execute("SELECT COUNT(*) FROM org_units").fetchone()[0],
               "people": db.execute("SELECT COUNT(*) FROM org_people").fetchone()[0]}
        db.execute("DELETE FROM org_units")
        db.execute("DELETE FROM org_people")
        for i, r in enumerate(rows):
            if r.kind in UNIT_KINDS:
                db.execute("INSERT INTO org_units (code, name, kind, parent, email, updated_at) VALUES (?,?,?,?,?,?)",
                           [r.code, r.name, r.kind, r.unit, r.email, now])
            else:
                db.execute("INSERT INTO org_people (email, name, title, role, unit, sort, updated_at)"
                           " VALUES (?,?,?,?,?,?,?)", [r.email, r.name, r.title, r.kind, r.unit, i, now])
        new = {"units": sum(r.kind in UNIT_KINDS for r in rows), "people": sum(r.kind in PERSON_KINDS for r in rows)}
        audit.record(db, "org.import", "org", None, old, new)
    return new


def list_org(db: sqlite_utils.Database) -> dict[str, list[dict]]:
    units = [dict(r) for r in db.query("SELECT code, name, kind, parent, email FROM org_units ORDER BY kind, code")]
    people = [dict(r) for r in db.query("SELECT email, name, title, role, unit FROM org_people ORDER BY sort, email")]
    return {"units": units, "people": people}


def export_csv(db: sqlite_utils.Database, path: Path | str | None = None) -> str:
    """The directory as CSV (UTF-8 with BOM so Excel shows the accents); written to ``path`` if given."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Loại", "Mã", "Tên", "Chức vụ", "Thư điện tử", "Thuộc đơn vị"])
    org = list_org(db)
    order = {"agency": 0, "department": 1, "unit": 2}
    for u in sorted(org["units"], key=lambda u: (order[u["kind"]], u["code"])):
        w.writerow([u["kind"], u["code"], u["name"], "", u["email"] or "", u["parent"] or ""])
    for p in org["people"]:
        w.writerow([p["role"], "", p["name"], p["title"] or "", p["email"], p["unit"] or ""])
    text = buf.getvalue()
    if path is not None:
        Path(path).write_text("\ufeff" + text, encoding="utf-8", newline="")
    return text


def person(db: sqlite_utils.Database, email: str) -> dict | None:
    row = db.execute("SELECT email, name, title, role, unit FROM org_people WHERE email = ?",
                     [email.strip().lower()]).fetchone()
    return dict(zip(("email", "name", "title", "role", "unit"), row, strict=False)) if row else None


def resolve_head(db: sqlite_utils.Database) -> dict:
    """The head of the agency (Chủ tịch / Giám đốc / Trưởng): the person documents are presented to."""
    p = list(db.query("SELECT email, name, title, role, unit FROM org_people WHERE role = 'head' LIMIT 1"))
    if not p:
        raise NotFound("Chưa khai báo thủ trưởng cơ quan trong danh bạ tổ chức (lệnh 'org import').")
    return dict(p[0])


def deputies(db: sqlite_utils.Database) -> list[dict]:
    return [dict(r) for r in db.query(
        "SELECT email, name, title, role, unit FROM org_people WHERE role = 'deputy' ORDER BY sort")]


def directory_search(db: sqlite_utils.Database, prefix: str, limit: int = 20) -> list[dict]:
    """Address autocompletion: people and units whose name, any word of it, or address starts with ``prefix``.

    Matching is folded ("ng" finds "Nguyễn", "pho giam" finds "Phó Giám đốc").
    """
    key = fold(prefix)
    if not key:
        return []
    entries = [{"email": r["email"], "name": r["name"], "title": r["title"], "kind": r["role"]}
               for r in db.query("SELECT * FROM org_people ORDER BY sort")]
    entries += [{"email": r["email"], "name": r["name"], "title": None, "kind": r["kind"]}
                for r in db.query("SELECT * FROM org_units WHERE email IS NOT NULL ORDER BY code")]
    out = []
    for e in entries:
        hay = [fold(e["name"]), fold(e["title"] or ""), e["email"].lower(), fold(f"{e['title'] or ''} {e['name']}")]
        words = [w for h in hay[:2] for w in h.split()]
        name_words = fold(e["name"]).split()
        suffixes = [" ".join(name_words[i:]) for i in range(len(name_words))]
        if any(h.startswith(key) for h in hay) or any(s.startswith(key) for s in suffixes) \
                or any(w.startswith(key) for w in words):
            out.append(e)
        if len(out) >= limit:
            break
    return out
