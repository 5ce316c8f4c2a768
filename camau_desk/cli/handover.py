"""`handover export ACCOUNT DIR` / `handover import DIR --account NAME --password-stdin` (R4.2).

The new password is read from stdin only (never argv, R4.3) and stored in the
keyring.  Export prints the manifest's SHA-256 to write on the handover
minutes (biên bản bàn giao); import refuses a package whose files do not match.
"""

from __future__ import annotations

import argparse

from camau_desk.cli._common import open_store, print_json, profile, read_password_stdin
from camau_desk.errors import InvalidInput


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("handover", help="bàn giao hộp thư và toàn bộ dữ liệu cho người quản lý mới (Quy chế Đ4.2)")
    s = p.add_subparsers(dest="handover_command", metavar="COMMAND", required=True)
    e = s.add_parser("export", help="tạo gói bàn giao (có mã SHA-256 của từng tệp) vào thư mục DIR")
    e.add_argument("account", metavar="ACCOUNT")
    e.add_argument("dir", metavar="DIR")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_export)
    i = s.add_parser("import", help="kiểm tra rồi nhận gói bàn giao vào hồ sơ này")
    i.add_argument("dir", metavar="DIR")
    i.add_argument("--account", required=True, metavar="NAME", help="tên hộp thư trong hồ sơ mới")
    i.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu mới từ một dòng stdin (bắt buộc)")
    i.add_argument("--new-manager", metavar="NAME", help="họ tên người nhận bàn giao (ghi trong thư thông báo)")
    i.add_argument("--no-notice", action="store_true", help="không gửi thư thông báo cho các đơn vị")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=cmd_import)


def cmd_export(args: argparse.Namespace) -> int:
    from camau_desk import handover

    m = handover.export_package(open_store(args), profile(args), args.account, args.dir)
    if args.json:
        print_json({**m.as_dict(), "manifest_sha256": m.sha256, "files": len(m.files)})
        return 0
    print(f"Đã tạo gói bàn giao hộp thư {m.account} ({m.email}) tại {args.dir}:")
    print(f"  {m.counts.get('messages', 0)} thư, {m.counts.get('register_entries', 0)} văn bản đến đã vào sổ, "
          f"{m.counts.get('mirror', 0)} tệp lưu trữ, {len(m.files)} tệp tất cả.")
    print(f"  Mã SHA-256 của manifest.json (ghi vào biên bản bàn giao): {m.sha256}")
    if m.missing_mirror_files:
        print(f"  Lưu ý: {len(m.missing_mirror_files)} tệp lưu trữ không còn trên máy (đã ghi trong manifest).")
    print("Mật khẩu KHÔNG có trong gói: người nhận nhập mật khẩu mới khi nhận bàn giao.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from camau_desk import handover

    if not args.password_stdin:
        raise InvalidInput("Cần --password-stdin: mật khẩu mới được đọc từ stdin, không ghi trên dòng lệnh.")
    password = read_password_stdin()
    db = open_store(args)
    try:
        r = handover.import_package(args.dir, profile(args), args.account, password, db=db,
                                    new_manager=args.new_manager, notify=not args.no_notice)
    finally:
        db.conn.close()
    if args.json:
        print_json(r.as_dict())
        return 0
    print(f"Đã nhận bàn giao hộp thư '{r.from_account}' thành '{r.account}': "
          f"{r.counts.get('messages', 0)} thư, {r.counts.get('register_entries', 0)} văn bản đến, "
          f"{r.counts.get('mirror_files', 0)} tệp lưu trữ (mọi mã SHA-256 đều khớp).")
    if r.notified:
        print(f"Thư thông báo tới {len(r.notified)} đơn vị/người: {r.notice_status}.")
    elif r.notice_status:
        print(f"Không gửi thư thông báo: {r.notice_status}.")
    return 0
