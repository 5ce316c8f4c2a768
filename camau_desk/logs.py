"""Logging and crash reports that never contain a secret (R4.3).

Crash reports keep the traceback and the command name, never argv values or
local variables; a redaction pass removes anything that looks like a password
assignment as a last line of defence.
"""

from __future__ import annotations

import argparse
import logging
import re
from datetime import datetime
from pathlib import Path

from camau_desk.paths import Profile

_SECRET_RE = re.compile(r"(?i)(pass(word)?|mat_khau|secret|token)(\s*[=:]\s*)(\S+)")


def redact(text: str) -> str:
    return _SECRET_RE.sub(lambda m: f"{m.group(1)}{m.group(3)}***", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup(profile: Profile, level: int = logging.INFO) -> None:
    profile.logs_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(profile.logs_dir / "camau_desk.log", encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("camau_desk")
    root.setLevel(level)
    if not any(isinstance(h, logging.FileHandler) for h in root.handlers):
        root.addHandler(handler)


def write_crash_report(args: argparse.Namespace | None, trace: str) -> Path:
    data_dir = getattr(args, "data_dir", None) if args else None
    logs = Profile.at(data_dir).logs_dir
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"crash-{datetime.now():%Y%m%d-%H%M%S}.txt"
    command = getattr(args, "command", None) if args else None
    path.write_text(redact(f"command: {command}\n\n{trace}"), encoding="utf-8")
    return path
