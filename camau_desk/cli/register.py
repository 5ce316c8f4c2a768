"""`register ...`: the incoming-document register from the command line (R7.1a-1, ND30 Đ22).

    register MESSAGE_ID [--attachment N] [--set FIELD=VALUE ...] [--yes] [--json]
    register paper --set FIELD=VALUE ... [--yes] [--json]
    register list [--year Y] [--json]
    register cancel NUMBER [--year Y] --reason TEXT
    register correct NUMBER [--year Y] --set FIELD=VALUE ...
    register sync [ACCOUNT] [--full] [--json]      (also sends the "chờ cấp số" queue)

``register 42`` and ``register list`` share the first word, so the first
positional is read here rather than by an argparse sub-subparser.  The log
lives in the mailbox with role 'agency'.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from camau_desk import accounts, settings
from camau_desk.cli._common import open_store, print_json, profile
from camau_desk.errors import InvalidInput

ACTIONS = ("paper", "list", "cancel", "correct", "sync")
_LIST_COLUMNS = ("so_den", "ngay_den", "tac_gia", "so_ky_hieu", "ngay_van_ban", "loai", "trich_yeu",
                 "don_vi_nhan", "status_label")


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "register", help="sổ đăng ký văn bản đến: vào sổ thư/văn bản giấy, xem, hủy, đồng bộ",
        description="MESSAGE_ID: vào sổ một thư; hoặc một trong: " + ", ".join(ACTIONS) + ".",
    )
    p.add_argument("what", metavar="MESSAGE_ID|paper|list|cancel|correct|sync")
    p.add_argument("arg", nargs="?", metavar="NUMBER|ACCOUNT", help="số đến (cancel, correct) hoặc hộp thư (sync)")
    p.add_argument("--attachment", type=int, metavar="N", help="chỉ vào sổ tệp đính kèm số N")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help="giá trị một trường (trich_yeu, so_ky_hieu, tac_gia, loai, don_vi_nhan, ...)")
    p.add_argument("--yes", action="store_true", help="vẫn vào sổ khi có cảnh báo trùng")
    p.add_argument("--year", type=int, help="năm của sổ (mặc định: năm nay)")
    p.add_argument("--reason", help="lý do hủy")
    p.add_argument("--full", action="store_true", help="sync: đọc lại và kiểm tra toàn bộ sổ trên máy chủ")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_register, _parser=p)


def _fields(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"'{pair}' không đúng dạng TRƯỜNG=GIÁ_TRỊ.")
        out[key.strip()] = value
    return out


def _factory(account: accounts.Account):
    from camau_desk.mail.connect import imap_connect

    return lambda: imap_connect(account)


def _say_entry(e: dict, as_json: bool) -> None:
    if as_json:
        print_json(e)
    elif e.get("so_den"):
        print(f"Số đến {e['so_den']}/{e['year']} ({e.get('status')}): {e.get('so_ky_hieu') or ''} "
              f"{e.get('trich_yeu') or ''}".rstrip())
    else:
        print("Chờ cấp số: chưa kết nối được máy chủ; văn bản sẽ được cấp số khi có mạng "
              "(chạy 'register sync' hoặc mở lại chương trình).")


def cmd_register(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args._parser
    what = args.what
    if what not in ACTIONS and not what.isdigit():
        parser.error(f"'{what}' không phải số thư hay một trong: {', '.join(ACTIONS)}")
    if what in ("cancel", "correct") and not (args.arg and args.arg.isdigit()):
        parser.error(f"register {what} cần số đến (NUMBER)")
    if what == "cancel" and not args.reason:
        parser.error("register cancel cần --reason")
    if args.arg and what not in ("cancel", "correct", "sync"):
        parser.error(f"thừa tham số '{args.arg}'")

    from camau_desk.mail.blobs import BlobStore
    from camau_desk.register import service as svc

    db = open_store(args)
    prof = profile(args)
    if what == "list":
        rows = svc.list_entries(db, year=args.year)
        if args.json:
            print_json(rows)
        else:
            for r in rows:
                print(" | ".join("" if r.get(c) is None else str(r.get(c)) for c in _LIST_COLUMNS))
            if not rows:
                print("Sổ văn bản đến chưa có văn bản nào.")
        return 0

    account = accounts.get_account(db, args.arg) if what == "sync" and args.arg else svc.agency_account(db)
    factory = _factory(account)
    blobs = BlobStore(prof.ensure().blobs_dir)
    mirror_root = settings.get(db, "mirror_root") or prof.default_mirror_dir
    if what == "sync":
        with svc._session(factory) as client:
            rep = svc.sync_register(db, account, client, full=args.full)
        done = svc.flush_pending(db, account, client_factory=factory, blobs=blobs, mirror_root=mirror_root)
        if args.json:
            print_json({**rep.as_dict(), "flushed": [(d["year"], d["so_den"]) for d in done],
                        "pending": svc.pending_count(db)})
        else:
            print(f"{account.name}: {rep.new_events} sự kiện mới, {len(done)} văn bản chờ đã được cấp số, "
                  f"còn {svc.pending_count(db)} chờ.")
        return 0
    fields = _fields(args.set)
    if what == "paper":
        e = svc.register_paper(db, account, fields, client_factory=factory, allow_duplicate=args.yes)
    elif what == "cancel":
        e = svc.cancel(db, account, int(args.arg), args.year, args.reason, client_factory=factory)
    elif what == "correct":
        if not fields:
            parser.error("register correct cần ít nhất một --set")
        e = svc.correct(db, account, int(args.arg), args.year, fields, client_factory=factory)
    else:
        mid = int(what)
        prop = svc.propose(db, blobs, mid, args.attachment)
        for w in prop.warnings:
            print(f"Cảnh báo: {w.message}", file=sys.stderr)
        if prop.warnings and not args.yes:
            print("Chưa vào sổ. Thêm --yes nếu đây không phải văn bản trùng.", file=sys.stderr)
            return 1
        e = svc.register(db, blobs, account, mid, fields, args.attachment, client_factory=factory,
                         allow_duplicate=args.yes, mirror_root=mirror_root)
        e = {**e, "files": [dict(f) for f in db.query("SELECT path, sha256, role FROM register_files"
                                                      " WHERE entry = ?", [e["id"]])]}
    _say_entry(e, args.json)
    return 0

