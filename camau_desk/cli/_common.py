"""Helpers shared by the CLI command modules."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import sqlite_utils

from camau_desk.paths import Profile
from camau_desk.store import open_db


def profile(args: argparse.Namespace) -> Profile:
    return Profile.at(getattr(args, "data_dir", None))


def open_store(args: argparse.Namespace) -> sqlite_utils.Database:
    return open_db(profile(args).ensure().db_path)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def read_password_stdin() -> str:
    """One line from stdin: passwords never travel in argv (R4.3)."""
    line = sys.stdin.readline()
    return line.rstrip("\r\n")
