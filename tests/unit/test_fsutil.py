"""Invariant 5: mirror and blob files are written atomically; errors leave no debris."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from camau_desk import fsutil
from camau_desk.fsutil import BLOCK_SIZE, _long_path_windows, atomic_write_bytes, long_path, sha256_file

pytestmark = pytest.mark.unit


def listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_inv5_atomic_write_creates_parents_and_returns_sha256(tmp_path: Path) -> None:
    target = tmp_path / "2024" / "05" / "Công văn" / "0001 - x.pdf"
    digest = atomic_write_bytes(target, b"%PDF-1.7 hello")
    assert target.read_bytes() == b"%PDF-1.7 hello"
    assert digest == hashlib.sha256(b"%PDF-1.7 hello").hexdigest()
    assert listing(target.parent) == ["0001 - x.pdf"]


def test_inv5_atomic_write_streams_chunks_and_old_content_stays_visible_until_replace(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")

    def chunks() -> Iterator[bytes]:
        for i in range(5):
            assert target.read_bytes() == b"old"  # readers never see a half-written file
            yield bytes([i]) * 1000

    digest = atomic_write_bytes(target, chunks(), fsync=False)
    expected = b"".join(bytes([i]) * 1000 for i in range(5))
    assert target.read_bytes() == expected
    assert digest == hashlib.sha256(expected).hexdigest()
    assert listing(tmp_path) == ["a.bin"]


def _full_disk_fdopen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the temp file's write fail half-way with ENOSPC, as a full disk does."""
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fh):  # type: ignore[no-untyped-def]
            self._fh = fh

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self._fh.close()

        def write(self, data: bytes) -> int:
            self._fh.write(data[:3])
            self._fh.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self) -> None:
            self._fh.flush()

        def fileno(self) -> int:
            return self._fh.fileno()

    monkeypatch.setattr(fsutil.os, "fdopen", lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k)))


def test_inv5_full_disk_leaves_old_file_intact_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "0001 - x.pdf"
    target.write_bytes(b"old content")
    _full_disk_fdopen(monkeypatch)
    with pytest.raises(OSError) as info:
        atomic_write_bytes(target, b"new content that does not fit")
    assert info.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old content"
    assert listing(tmp_path) == ["0001 - x.pdf"]


def test_inv5_full_disk_on_new_file_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _full_disk_fdopen(monkeypatch)
    with pytest.raises(OSError):
        atomic_write_bytes(tmp_path / "d" / "new.pdf", b"data")
    assert listing(tmp_path / "d") == []


def test_inv5_failing_fsync_or_replace_cleans_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")

    def broken(*_a: object, **_k: object) -> None:
        raise OSError(errno.EIO, "I/O error")

    with monkeypatch.context() as m:
        m.setattr(fsutil.os, "fsync", broken)
        with pytest.raises(OSError):
            atomic_write_bytes(target, b"new")
    assert listing(tmp_path) == ["x.pdf"] and target.read_bytes() == b"old"

    with monkeypatch.context() as m:
        m.setattr(fsutil.os, "replace", broken)
        with pytest.raises(OSError):
            atomic_write_bytes(target, b"new")
    assert listing(tmp_path) == ["x.pdf"] and target.read_bytes() == b"old"


def test_inv5_exception_from_data_iterator_propagates_and_cleans(tmp_path: Path) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"part"
        raise ValueError("mail connection dropped")

    with pytest.raises(ValueError):
        atomic_write_bytes(tmp_path / "x.eml", chunks())
    assert listing(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_inv5_overwrite_keeps_existing_mode(tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_sha256_file_streams_large_and_empty_files(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    data = os.urandom(BLOCK_SIZE * 2 + 12345)
    big.write_bytes(data)
    assert sha256_file(big) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert sha256_file(empty) == hashlib.sha256(b"").hexdigest()
    assert atomic_write_bytes(tmp_path / "copy", data) == sha256_file(big)


@pytest.mark.skipif(sys.platform == "win32", reason="identity only off Windows")
def test_long_path_is_identity_off_windows(tmp_path: Path) -> None:
    assert long_path(tmp_path / "a") == str(tmp_path / "a")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C:\\Users\\vt\\Documents\\Cà Mau Desk", "\\\\?\\C:\\Users\\vt\\Documents\\Cà Mau Desk"),
        ("C:/Users/vt/../x/./y.pdf", "\\\\?\\C:\\Users\\x\\y.pdf"),
        ("\\\\server\\share\\Lưu trữ\\a.pdf", "\\\\?\\UNC\\server\\share\\Lưu trữ\\a.pdf"),
        ("\\\\?\\C:\\already", "\\\\?\\C:\\already"),
    ],
)
def test_inv5_long_path_windows_form(raw: str, expected: str) -> None:
    assert _long_path_windows(raw) == expected
