"""`account add|list|test|remove`."""

from __future__ import annotations

import argparse
import sys

from camau_desk import accounts, secrets
from camau_desk.cli._common import open_store, print_json, read_password_stdin
from camau_desk.errors import InvalidInput


def add_commands(sub: argparse._SubParsersAction) -> None:
    acc = sub.add_parser("account", help="quản lý hộp thư")
    acc_sub = acc.add_subparsers(dest="account_command", metavar="ACTION", required=True)

    add = acc_sub.add_parser("add", help="thêm hộp thư (mật khẩu đọc từ stdin)")
    add.add_argument("name")
    add.add_argument("--role", choices=["agency", "unit", "personal"], required=True)
    add.add_argument("--email", required=True)
    add.add_argument("--display-name", default="")
    add.add_argument("--imap", required=True, metavar="HOST:PORT")
    add.add_argument("--smtp", required=True, metavar="HOST:PORT")
    add.add_argument("--security", choices=["ssl", "starttls", "plain"], required=True)
    add.add_argument("--user", metavar="LOGIN")
    add.add_argument("--ca-file", metavar="PEM")
    add.add_argument("--password-stdin", action="store_true", required=True,
                     help="đọc mật khẩu từ đầu vào chuẩn (không bao giờ qua tham số dòng lệnh)")
    add.set_defaults(func=cmd_add)

    ls = acc_sub.add_parser("list", help="liệt kê hộp thư")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)

    test = acc_sub.add_parser("test", help="thử đăng nhập IMAP và SMTP")
    test.add_argument("name")
    test.add_argument("--json", action="store_true")
    test.set_defaults(func=cmd_test)

    rm = acc_sub.add_parser("remove", help="xóa hộp thư (thư đã lưu vẫn giữ)")
    rm.add_argument("name")
    rm.set_defaults(func=cmd_remove)


def cmd_add(args: argparse.Namespace) -> int:
    # Check the keyring before touching the disk: no backend -> nothing written.
    secrets.check_available()
    imap_host, imap_port = accounts.parse_host_port(args.imap, what="IMAP")
    smtp_host, smtp_port = accounts.parse_host_port(args.smtp, what="SMTP")
    if args.ca_file:
        from pathlib import Path

        if not Path(args.ca_file).is_file():
            raise InvalidInput(f"Không tìm thấy tệp chứng chỉ CA '{args.ca_file}'.")
    password = read_password_stdin()
    if not password:
        raise InvalidInput("Không nhận được mật khẩu trên đầu vào chuẩn (--password-stdin).")
    account = accounts.Account(
        name=args.name, role=args.role, email=args.email, display_name=args.display_name,
        imap_host=imap_host, imap_port=imap_port, smtp_host=smtp_host, smtp_port=smtp_port,
        security=args.security, login=args.user, ca_file=args.ca_file,
    )
    accounts.validate(account)
    db = open_store(args)
    accounts.add_account(db, account, password)
    print(f"Đã thêm hộp thư '{account.name}' ({account.email}); mật khẩu nằm trong kho mật khẩu của hệ điều hành.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    items = accounts.list_accounts(open_store(args))
    if args.json:
        print_json([a.public_dict() for a in items])
    else:
        for a in items:
            server = "cục bộ" if a.is_local else f"{a.imap_host}:{a.imap_port}"
            print(f"{a.name}\t{a.role}\t{a.email}\t{server}")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from camau_desk.mail.connect import check_login

    account = accounts.get_account(open_store(args), args.name)
    result = check_login(account)
    if args.json:
        print_json(result)
    else:
        for server, outcome in result.items():
            print(f"{server.upper()}: {'đăng nhập thành công' if outcome == 'ok' else outcome}")
    failed = [s for s, o in result.items() if o != "ok"]
    if failed:
        print(f"Đăng nhập thất bại: {', '.join(s.upper() for s in failed)}.", file=sys.stderr)
        return 1
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    accounts.remove_account(open_store(args), args.name)
    print(f"Đã xóa hộp thư '{args.name}'. Thư đã lưu vẫn đọc được trong Lưu trữ.")
    return 0
