"""Content-addressed storage of raw messages (R3.3, invariant 1).

Why content addressing: the raw bytes are the legal original, so they are
written once, never modified, and named by their SHA-256; the database only
points at them.  A blob is durable (fsynced file and directory) before any
row refers to it, so a crash can leave an orphan blob but never a row
without its bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from camau_desk.errors import NotFound, StorageError
from camau_desk.fsutil import atomic_write_bytes

__all__ = ["BlobStore"]


class BlobStore:
    """Raw message bytes under ``root/ab/cd/<sha256>``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha: str) -> Path:
        sha = sha.lower()
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise NotFound(f"Mã nội dung '{sha}' không hợp lệ.")
        return self.root / sha[:2] / sha[2:4] / sha

    def has(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def put(self, raw: bytes) -> str:
        """Store ``raw`` durably and return its sha256 hex; storing twice is a no-op."""
        sha = hashlib.sha256(raw).hexdigest()
        target = self.path(sha)
        if target.is_file() and target.stat().st_size == len(raw):
            return sha
        try:
            atomic_write_bytes(target, raw)
        except OSError as exc:
            raise StorageError(
                f"Không ghi được thư vào {self.root}: {exc.strerror or exc}. Kiểm tra ổ đĩa còn trống và quyền ghi."
            ) from exc
        return sha

    def put_many(self, raws: Sequence[bytes], *, threads: int = 8) -> list[str]:
        """``put`` each of ``raws`` (same order, same guarantees); the fsyncs overlap.

        Why threads: each blob still gets its own fsynced file and directory
        before this returns, but concurrent fsyncs share the file system's
        journal commits.  Measured on ext4 (250 blobs of 180 KB): 1.39 s one
        after the other, 0.36 s with 8 threads; writing all then fsyncing
        in one pass gained nothing.  fsync releases the GIL.
        """
        if len(raws) < 2 or threads < 2:
            return [self.put(r) for r in raws]
        with ThreadPoolExecutor(max_workers=min(threads, len(raws)), thread_name_prefix="blob-put") as pool:
            return list(pool.map(self.put, raws))

    def get(self, sha: str) -> bytes:
        try:
            return self.path(sha).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(
                f"Không tìm thấy bản gốc của thư ({sha[:12]}…) trong kho lưu trữ; hãy đồng bộ lại hộp thư."
            ) from exc

    def verify(self, sha: str) -> bool:
        """True if the blob exists and still hashes to its name (tamper/bit-rot check)."""
        p = self.path(sha)
        if not p.is_file():
            return False
        h = hashlib.sha256()
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest() == sha.lower()
