"""`sync [ACCOUNT] [--json]`: mirror server mailboxes into the local store (R1, R5, R6.2).

Without ACCOUNT every account with a server is synced, one after the other.
Counts per account go to stdout; progress goes to stderr only when it is a
terminal (so scripts and the 07:00/09:00/13:00/15:00 checks log clean output).
Exit 1 if any account reported an error (the Vietnamese sentence is printed).
"""

from __future__ import annotations

import argparse
import sys

from camau_desk import accounts
from camau_desk.cli._common import open_store, print_json, profile
from camau_desk.errors import NotFound


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="đồng bộ thư từ máy chủ về máy (chỉ đọc, không thay đổi gì trên máy chủ)")
    p.add_argument("account", nargs="?", metavar="ACCOUNT", help="tên hộp thư (mặc định: mọi hộp thư có máy chủ)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-archive", action="store_true",
                   help="không chép vào thư mục lưu trữ và không cập nhật chỉ mục tìm kiếm sau khi đồng bộ")
    p.set_defaults(func=cmd_sync)


def _progress_printer(name: str):
    def show(ev) -> None:
        total = max(ev.total, ev.done)
        if ev.phase == "index":  # second phase: bodies and attachments of what was fetched
            sys.stderr.write(f"\r{name} · đọc nội dung thư: {ev.done}/{total} thư            ")
        else:
            mb = ev.bytes_done / 1_048_576
            sys.stderr.write(f"\r{name} · {ev.folder}: {ev.done}/{total} thư, {mb:.1f} MB   ")
        sys.stderr.flush()
    return show


def cmd_sync(args: argparse.Namespace) -> int:
    from camau_desk.mail.blobs import BlobStore
    from camau_desk.mail.sync import sync_account

    db = open_store(args)
    blobs = BlobStore(profile(args).ensure().blobs_dir)
    if args.account:
        targets = [accounts.get_account(db, args.account)]
        if targets[0].is_local:
            raise NotFound(f"Hộp thư '{args.account}' là hộp thư cục bộ, không có máy chủ để đồng bộ.")
    else:
        targets = [a for a in accounts.list_accounts(db) if not a.is_local and a.imap_host]
    tty = sys.stderr.isatty() and not args.json
    results = []
    for account in targets:
        result = sync_account(db, blobs, account, progress=_progress_printer(account.name) if tty else None)
        if tty:
            sys.stderr.write("\n")
        results.append(result)
    archived: dict[str, int] = {}
    if not args.no_archive:
        from camau_desk.archive.keeper import archive_new_mail

        archived = archive_new_mail(db, blobs, profile(args).default_mirror_dir)
    if args.json:
        print_json([{**r.as_dict(), "archive": archived} for r in results])
    else:
        if not results:
            print("Không có hộp thư nào có máy chủ để đồng bộ.")
        for r in results:
            print(f"{r.account}: {r.new} thư mới, {r.changed} thay đổi, {r.removed} đã xóa trên máy chủ, "
                  f"{r.spam} thư rác, {len(r.errors)} lỗi")
        if archived:
            print(f"Lưu trữ: {archived['mirrored']} thư chép vào thư mục lưu trữ, "
                  f"{archived['indexed']} thư đưa vào chỉ mục tìm kiếm.")
    failed = [r for r in results if r.errors]
    for r in failed:
        for err in r.errors:
            print(f"{r.account}: {err}", file=sys.stderr)
    return 1 if failed else 0
