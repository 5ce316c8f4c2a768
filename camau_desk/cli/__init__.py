"""The headless face of the core: ``python main.py COMMAND ...``.

Each ``camau_desk/cli/<topic>.py`` module defines ``add_commands(subparsers)``
and is discovered here, so areas add commands without editing this file.
Contract: every command accepts ``--data-dir``; expected failures print one
Vietnamese sentence on stderr and exit 1 (usage errors exit 2); listing
commands take ``--json`` and print one JSON document.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback
from collections.abc import Sequence

from camau_desk import __version__
from camau_desk.errors import CamauError


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR", help="thư mục dữ liệu (mặc định: thư mục người dùng)")


# The order a clerk's day runs in (help lists commands this way); others follow alphabetically.
_HELP_ORDER = ["accounts", "sync", "messages", "register", "register_export", "routing", "archive", "checks",
               "handover", "settings_cmd"]


def _module_names() -> list[str]:
    found = {i.name for i in pkgutil.iter_modules(__path__) if not i.name.startswith("_")}
    return [n for n in _HELP_ORDER if n in found] + sorted(found.difference(_HELP_ORDER))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="camau-desk",
        description="Cà Mau Desk: hộp thư cơ quan, sổ văn bản đến, lưu trữ ngoại tuyến.",
    )
    parser.add_argument("--version", action="version", version=f"Cà Mau Desk {__version__}")
    parser.add_argument("--demo", action="store_true", help="mở cửa sổ với dữ liệu mẫu (không cần máy chủ)")
    parser.add_argument("--lang", choices=["vi", "en"], help="ngôn ngữ giao diện")
    _add_common(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _module_names():
        importlib.import_module(f"{__name__}.{name}").add_commands(sub)
    # every subcommand (and sub-subcommand) accepts --data-dir too
    _propagate_common(sub)
    return parser


def _propagate_common(sub: argparse._SubParsersAction) -> None:
    for child in set(sub.choices.values()):
        if not any("--data-dir" in a.option_strings for a in child._actions):
            child.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS)
        for action in child._actions:
            if isinstance(action, argparse._SubParsersAction):
                _propagate_common(action)


def run(args: argparse.Namespace) -> int:
    """Run a parsed command, turning expected failures into one sentence."""
    from camau_desk import logs

    try:
        return int(args.func(args) or 0)
    except CamauError as err:
        print(err.message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except Exception:
        report = logs.write_crash_report(args, traceback.format_exc())
        print(f"Lỗi không mong đợi; chi tiết đã ghi vào {report}.", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None or not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return 2
    return run(args)
