"""`check`, `checks log`, `checks report`: the four daily checks from the command line (R5).

`check` is a manual check of every server mailbox, logged like a scheduled one
(kind 'manual'); a Windows Task Scheduler entry can run it at 07:00/09:00/
13:00/15:00 when the window is not open.  Exit 1 if any mailbox failed.
"""

from __future__ import annotations

import argparse
import sys

from camau_desk.cli._common import open_store, print_json, profile
from camau_desk.errors import InvalidInput


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="kiểm tra ngay mọi hộp thư có máy chủ (ghi vào nhật ký kiểm tra)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    c = sub.add_parser("checks", help="nhật ký và báo cáo kiểm tra hộp thư (Quy chế Đ5)")
    csub = c.add_subparsers(dest="checks_command", metavar="COMMAND", required=True)
    log = csub.add_parser("log", help="các lần kiểm tra gần đây")
    log.add_argument("--json", action="store_true")
    log.add_argument("--limit", type=int, default=50)
    log.add_argument("--month", metavar="YYYY-MM")
    log.set_defaults(func=cmd_log)
    rep = csub.add_parser("report", help="báo cáo tháng: đúng giờ, trễ, bỏ lỡ theo ngày làm việc và giờ")
    rep.add_argument("--month", required=True, metavar="YYYY-MM")
    out = rep.add_mutually_exclusive_group()
    out.add_argument("--xlsx", metavar="FILE")
    out.add_argument("--pdf", metavar="FILE")
    rep.add_argument("--json", action="store_true")
    rep.set_defaults(func=cmd_report)


def cmd_check(args: argparse.Namespace) -> int:
    from camau_desk import checks
    from camau_desk.mail.blobs import BlobStore

    db = open_store(args)
    blobs = BlobStore(profile(args).ensure().blobs_dir)
    from camau_desk.archive.keeper import sync_then_archive

    result = checks.run_check(db, blobs, kind="manual", sync=sync_then_archive(profile(args).default_mirror_dir))
    if args.json:
        print_json(result.as_dict())
    else:
        title, body = result.summary()
        print(title)
        print(body)
    for err in result.errors:
        print(err, file=sys.stderr)
    return 0 if result.ok else 1


def cmd_log(args: argparse.Namespace) -> int:
    from camau_desk import checks

    db = open_store(args)
    runs = checks.check_log(db, limit=args.limit, month=args.month)
    if args.json:
        print_json(runs)
        return 0
    if not runs:
        print("Chưa có lần kiểm tra nào.")
    for r in runs:
        slot = (r["slot"] or "").replace("T", " ") or "-"
        kind = checks.KIND_VI.get(r["kind"], r["kind"])
        print(f"{r['started']}  {slot:16}  {kind:13}  {r['new_documents']} mới, {r['urgent_count']} khẩn  "
              f"{checks.RESULT_VI.get(r['result'], r['result'])}  {r['user']}@{r['workstation']}")
        for m in r["mailboxes"]:
            extra = f"  {m['error']}" if m["error"] else ""
            print(f"    {m['mailbox']}: {m['new_documents']} mới, {m['urgent_count']} khẩn{extra}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from camau_desk import checks

    db = open_store(args)
    rows = checks.monthly_report(db, args.month)
    if args.xlsx:
        path = checks.export_xlsx(rows, args.xlsx, args.month, db)
    elif args.pdf:
        path = checks.export_pdf(rows, args.pdf, args.month, db)
    elif args.json:
        print_json({"month": args.month, "totals": checks.report_totals(rows), "rows": rows})
        return 0
    else:
        raise InvalidInput("Cần chọn --xlsx TỆP, --pdf TỆP hoặc --json.")
    t = checks.report_totals(rows)
    print(f"Đã ghi {path}: {t['slots']} lượt theo lịch, {t['on_time']} đúng giờ, {t['late']} trễ, {t['missed']} bỏ lỡ.")
    return 0
