"""`settings export|import|get|set`: the agency's settings as a JSON file (R8)."""

from __future__ import annotations

import argparse
import json

from camau_desk.cli._common import open_store, print_json


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("settings", help="xuất, nhập, xem, đặt cài đặt của cơ quan (tệp JSON)")
    s = p.add_subparsers(dest="settings_command", metavar="COMMAND", required=True)
    e = s.add_parser("export", help="ghi mọi cài đặt và mô tả của chúng ra tệp JSON")
    e.add_argument("file", metavar="FILE")
    e.set_defaults(func=cmd_export)
    i = s.add_parser("import", help="kiểm tra rồi áp dụng cả tệp cài đặt (sai một mục thì không áp dụng gì)")
    i.add_argument("file", metavar="FILE")
    i.set_defaults(func=cmd_import)
    g = s.add_parser("get", help="xem một cài đặt (hoặc tất cả nếu không ghi KEY)")
    g.add_argument("key", nargs="?", metavar="KEY")
    g.set_defaults(func=cmd_get)
    st = s.add_parser("set", help='đặt một cài đặt; VALUE là JSON, ví dụ \'["07:00","09:00"]\', true, 10')
    st.add_argument("key", metavar="KEY")
    st.add_argument("value", metavar="VALUE")
    st.set_defaults(func=cmd_set)


def cmd_export(args: argparse.Namespace) -> int:
    from camau_desk import settings_io

    path = settings_io.export_settings(open_store(args), args.file)
    print(f"Đã xuất cài đặt ra {path}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from camau_desk import settings_io

    changed = settings_io.import_settings(open_store(args), args.file)
    if not changed:
        print("Tệp cài đặt hợp lệ; không có gì thay đổi.")
    for key, (old, new) in changed.items():
        print(f"{key}: {json.dumps(old, ensure_ascii=False)} -> {json.dumps(new, ensure_ascii=False)}")
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    from camau_desk import settings, settings_io

    db = open_store(args)
    if args.key is None:
        print_json(settings.all_settings(db))
        return 0
    settings_io.spec_for(args.key)  # unknown key -> one Vietnamese sentence, exit 1
    print_json(settings.get(db, args.key))
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from camau_desk import settings_io

    value = settings_io.set_value(open_store(args), args.key, settings_io.parse_cli_value(args.value))
    print(f"{args.key} = {json.dumps(value, ensure_ascii=False)}")
    return 0
