"""Register outputs from the command line (ND30 Đ22.3.b, Phụ lục IV; Điều 5).

    register-export --year Y (--xlsx FILE | --pdf FILE) [--from DATE --to DATE]
    phieu NUMBER [--year Y] --pdf FILE
    verify-signature MESSAGE_ID [--attachment N] [--json]

Separate top-level commands because ``register``'s first positional is read by
its own module; these could become ``register export`` / ``register phieu``
there later.
"""

from __future__ import annotations

import argparse
import datetime as dt

from camau_desk.cli._common import open_store, print_json, profile


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("register-export", help="in sổ đăng ký văn bản đến ra tệp Excel (.xlsx) hoặc PDF",
                       description="Xuất Sổ đăng ký văn bản đến (mẫu Phụ lục IV, Nghị định 30/2020/NĐ-CP).")
    p.add_argument("--year", type=int, help="năm của sổ (mặc định: năm nay)")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--xlsx", metavar="FILE", help="ghi ra tệp Excel")
    out.add_argument("--pdf", metavar="FILE", help="ghi ra tệp PDF (A4 ngang)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="từ ngày đến (dd/mm/yyyy)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="đến ngày (dd/mm/yyyy)")
    p.set_defaults(func=cmd_register_export)

    p = sub.add_parser("phieu", help="in Phiếu giải quyết văn bản đến của một số đến ra PDF")
    p.add_argument("number", type=int, metavar="NUMBER", help="số đến")
    p.add_argument("--year", type=int, help="năm của sổ (mặc định: năm nay)")
    p.add_argument("--pdf", metavar="FILE", required=True, help="tệp PDF cần ghi")
    p.set_defaults(func=cmd_phieu)

    p = sub.add_parser("verify-signature", help="kiểm tra chữ ký số của các tệp PDF đính kèm một thư")
    p.add_argument("message", type=int, metavar="MESSAGE_ID")
    p.add_argument("--attachment", type=int, metavar="N", help="chỉ kiểm tra tệp đính kèm số N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify_signature)


def _year(args: argparse.Namespace) -> int:
    return args.year or dt.date.today().year


def cmd_register_export(args: argparse.Namespace) -> int:
    from camau_desk.register import export as ex

    db = open_store(args)
    path, fmt = (args.xlsx, "xlsx") if args.xlsx else (args.pdf, "pdf")
    book = ex.export_register(db, _year(args), path, fmt=fmt, date_from=ex.parse_date(args.date_from),
                              date_to=ex.parse_date(args.date_to))
    c = book.cover
    span = f"số {c.number_from} đến số {c.number_to}" if book.rows else "chưa có văn bản nào"
    print(f"Đã ghi sổ năm {c.year} ({len(book.rows)} dòng, {span}) vào {path}.")
    return 0


def cmd_phieu(args: argparse.Namespace) -> int:
    from camau_desk.register import export as ex

    db = open_store(args)
    ex.export_phieu(db, args.number, _year(args), args.pdf)
    print(f"Đã ghi Phiếu giải quyết văn bản đến số {args.number}/{_year(args)} vào {args.pdf}.")
    return 0


def cmd_verify_signature(args: argparse.Namespace) -> int:
    from camau_desk.mail.blobs import BlobStore
    from camau_desk.mail.store import get_message
    from camau_desk.register import signatures as sg

    db = open_store(args)
    blobs = BlobStore(profile(args).ensure().blobs_dir)
    names = {a["idx"]: a["filename"] for a in get_message(db, args.message).get("attachments", [])}
    results = sg.verify_message_attachments(db, blobs, args.message, attachment=args.attachment)
    if args.json:
        print_json([{"attachment": idx, "filename": names.get(idx), "overall": sg.overall(vs).value,
                     "signatures": [v.as_dict() for v in vs]} for idx, vs in sorted(results.items())])
        return 0
    if not results:
        print(f"Thư {args.message} không có tệp PDF đính kèm: không có chữ ký số để kiểm tra.")
    for idx, verdicts in sorted(results.items()):
        for v in verdicts:
            print(f"Tệp {idx} ({names.get(idx, '?')}): {v.summary}")
    return 0
