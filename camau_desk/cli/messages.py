"""`messages`, `show`, `import`, `spam`: the offline mail store from the command line.

Same services as the window (camau_desk.mail.store / importer), so scripts and
tests can read, import and mark mail without a display.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from camau_desk.cli._common import open_store, print_json, profile
from camau_desk.errors import NotFound
from camau_desk.mail import importer, store
from camau_desk.mail.blobs import BlobStore


def add_commands(sub: argparse._SubParsersAction) -> None:
    ls = sub.add_parser("messages", help="liệt kê thư đã lưu trên máy")
    ls.add_argument("--account", metavar="TÊN", help="chỉ hộp thư này")
    ls.add_argument("--folder", metavar="THƯ_MỤC", help="chỉ thư mục này (ví dụ INBOX)")
    ls.add_argument("--limit", type=int, metavar="N", help="tối đa N thư (mới nhất trước)")
    ls.add_argument("--spam", choices=["hide", "show", "only"], default="hide",
                    help="thư rác: ẩn (mặc định), hiện cùng thư khác, hoặc chỉ thư rác")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_messages)

    show = sub.add_parser("show", help="xem một thư: tiêu đề, nội dung, tệp đính kèm")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--raw", action="store_true", help="in nguyên văn bản gốc (đúng từng byte)")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)

    imp = sub.add_parser("import", help="nhập thư từ tệp .eml, mbox hoặc thư mục Maildir")
    imp.add_argument("paths", nargs="+", metavar="ĐƯỜNG_DẪN")
    imp.add_argument("--account", default=importer.DEFAULT_ACCOUNT, metavar="TÊN",
                     help=f"hộp thư cục bộ nhận thư nhập (mặc định: {importer.DEFAULT_ACCOUNT})")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=cmd_import)

    spam = sub.add_parser("spam", help="đánh dấu hoặc bỏ đánh dấu thư rác")
    spam.add_argument("id", type=int, metavar="ID")
    mark = spam.add_mutually_exclusive_group(required=True)
    mark.add_argument("--on", dest="spam", action="store_const", const=True, help="là thư rác")
    mark.add_argument("--off", dest="spam", action="store_const", const=False, help="không phải thư rác")
    mark.add_argument("--auto", dest="spam", action="store_const", const=None,
                      help="bỏ đánh dấu tay, theo quy tắc tự động")
    spam.set_defaults(func=cmd_spam)


def _blobs(args: argparse.Namespace) -> BlobStore:
    return BlobStore(profile(args).ensure().blobs_dir)


def _summary(r: dict) -> dict:
    """The public JSON shape of one listed message."""
    sender = f"{r['from_name']} <{r['from_addr']}>" if r["from_name"] else (r["from_addr"] or "")
    return {
        "id": r["id"], "account": r["account"], "folder": r["folder"], "uid": r["uid"],
        "date": r["date"] or r["received_at"], "from": sender, "subject": r["subject"] or "",
        "flags": r["flags"], "spam": r["is_spam"], "attachments": r["attachment_count"],
    }


def cmd_messages(args: argparse.Namespace) -> int:
    db = open_store(args)
    if args.account and not db.execute("SELECT 1 FROM folders WHERE account = ?", [args.account]).fetchone():
        if not db.execute("SELECT 1 FROM accounts WHERE name = ?", [args.account]).fetchone():
            raise NotFound(f"Không có hộp thư tên '{args.account}'.")
    rows = store.list_messages(
        db, account=args.account, folder=args.folder, limit=args.limit,
        include_spam=args.spam != "hide", spam_only=args.spam == "only",
    )
    items = [_summary(r) for r in rows]
    if args.json:
        print_json(items)
        return 0
    for it in items:
        marks = ("R" if it["spam"] else "-") + ("@" if it["attachments"] else "-") + (
            "-" if "\\Seen" in it["flags"] else "N")
        print(f"{it['id']}\t{marks}\t{(it['date'] or '')[:16]}\t{it['from']}\t{it['subject']}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    db = open_store(args)
    if args.raw:
        data = store.raw_bytes(db, _blobs(args), args.id)
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a captured text stream in tests without a buffer
            sys.stdout.write(data.decode("utf-8", "surrogateescape"))
        else:
            sys.stdout.flush()
            out.write(data)
            out.flush()
        return 0
    m = store.get_message(db, args.id)
    if args.json:
        print_json({k: v for k, v in m.items()})
        return 0
    lines = [
        f"Thư số:    {m['id']} ({m['account']} / {m['folder'] or '-'})",
        f"Từ:        {(m['from_name'] + ' ') if m['from_name'] else ''}<{m['from_addr'] or ''}>",
        f"Đến:       {m['to_addrs'] or ''}",
    ]
    if m["cc_addrs"]:
        lines.append(f"Đồng gửi:  {m['cc_addrs']}")
    lines += [
        f"Ngày:      {m['date'] or '-'}",
        f"Nhận lúc:  {m['received_at'] or '-'}",
        f"Tiêu đề:   {m['subject'] or ''}",
    ]
    if m["urgency"] or m["secrecy"]:
        lines.append(f"Độ khẩn/mật: {', '.join(x for x in (m['urgency'], m['secrecy']) if x)}")
    if m["is_spam"]:
        lines.append("Thư rác:   có")
    if m["legacy_encoding"]:
        lines.append(f"Đã chuyển mã từ {m['legacy_encoding'].upper()} sang Unicode.")
    lines += ["", m["body_text"] or ""]
    if m["attachments"]:
        lines += ["", "Tệp đính kèm:"]
        for a in m["attachments"]:
            lines.append(f"  {a['idx']}. {a['filename']} ({a['mime_type']}, {a['size']} byte)")
    print("\n".join(lines))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise NotFound(f"Không tìm thấy '{missing[0]}'.")
    db = open_store(args)
    result = importer.import_paths(db, _blobs(args), paths, account=args.account)
    if args.json:
        print_json({"new": result.new, "duplicates": result.duplicates, "errors": result.errors})
    else:
        print(f"Đã nhập {result.new} thư mới vào '{args.account}'; {result.duplicates} thư đã có từ trước.")
    for err in result.errors if not args.json else []:
        print(err, file=sys.stderr)
    return 1 if result.errors and not (result.new or result.duplicates) else 0


def cmd_spam(args: argparse.Namespace) -> int:
    db = open_store(args)
    store.set_spam(db, args.id, args.spam)
    state = {True: "là thư rác", False: "không phải thư rác", None: "theo quy tắc tự động"}[args.spam]
    print(f"Đã đánh dấu thư số {args.id} {state}.")
    return 0
