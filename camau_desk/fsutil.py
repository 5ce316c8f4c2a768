"""Small file-system helpers the store and the mirror share (invariant 5).

A clerk's PC loses power, fills its disk and runs antivirus that holds files
open; a half-written PDF in the mirror is worse than none.  So every file is
written to a temporary name in the same directory, flushed to disk and then
renamed over the target in one step (``os.replace``).
"""

from __future__ import annotations

import hashlib
import ntpath
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

__all__ = ["atomic_write_bytes", "long_path", "sha256_file", "BLOCK_SIZE"]

BLOCK_SIZE = 1024 * 1024  # 1 MiB: large enough for speed, small enough for big attachments
_IS_WINDOWS = sys.platform == "win32"
_REPLACE_RETRIES = 5  # Windows: antivirus or the indexer may hold the target for a moment


def _long_path_windows(path: str) -> str:
    r"""``C:\a`` -> ``\\?\C:\a`` and ``\\srv\share\a`` -> ``\\?\UNC\srv\share\a``.

    The prefix switches off Win32 path parsing, so the path is made absolute
    and normalised ("..", "/") first.  Pure string work: testable on Linux.
    """
    if path.startswith("\\\\?\\"):
        return path
    full = ntpath.normpath(ntpath.abspath(path))
    if full.startswith("\\\\?\\"):
        return full
    if full.startswith("\\\\"):
        return "\\\\?\\UNC\\" + full[2:]
    return "\\\\?\\" + full


def long_path(p: Path | str) -> str:
    """A path string the OS accepts beyond 260 characters (Windows); identity elsewhere."""
    if _IS_WINDOWS:
        return _long_path_windows(str(Path(p).absolute()))
    return os.fspath(p)


def _chunks(data: bytes | Iterable[bytes]) -> Iterable[bytes]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return (bytes(data),)
    return data


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX only; Windows has no directory handles for this)."""
    if _IS_WINDOWS:
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(src: str, dst: str) -> None:
    for attempt in range(_REPLACE_RETRIES):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if not _IS_WINDOWS or attempt == _REPLACE_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def atomic_write_bytes(path: Path, data: bytes | Iterable[bytes], fsync: bool = True) -> str:
    """Write ``data`` to ``path`` all-or-nothing and return its SHA-256 (hex).

    Parent directories are created.  On any failure (full disk, permission,
    an exception from the ``data`` iterator) the temporary file is removed,
    the previous content of ``path`` is untouched and the error propagates.
    A new file gets the private mode of ``mkstemp`` (0600 on POSIX); an
    existing file keeps its mode.
    """
    path = Path(path)
    parent = path.parent
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".camau-", suffix=".tmp", dir=long_path(parent))
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in _chunks(data):
                fh.write(chunk)
                digest.update(chunk)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        try:
            os.chmod(tmp, os.stat(long_path(path)).st_mode & 0o7777)
        except FileNotFoundError:
            pass
        _replace(tmp, long_path(path))
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if fsync:
        _fsync_dir(parent)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file read in 1 MiB blocks, so a 2 GB attachment never sits in memory."""
    digest = hashlib.sha256()
    buf = bytearray(BLOCK_SIZE)
    view = memoryview(buf)
    with open(long_path(path), "rb") as fh:
        while n := fh.readinto(buf):
            digest.update(view[:n])
    return digest.hexdigest()
