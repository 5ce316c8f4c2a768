"""Cà Mau Desk entry point: no command opens the window, a command runs the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from camau_desk import cli

    argv = sys.argv[1:] if argv is None else argv
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from ui.app import run  # Qt is imported only when a window is wanted

        return run(args)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
