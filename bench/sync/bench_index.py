"""Index phase alone: store N corpus messages header-only, then time ``parse_pending`` (1 vs 2 workers).

    .venv/bin/python bench/sync/bench_index.py 1000

No server needed; answers "does the process pool help on this machine?".
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gen_corpus import generate  # noqa: E402

from camau_desk.mail.blobs import BlobStore  # noqa: E402
from camau_desk.mail.indexer import parse_pending  # noqa: E402
from camau_desk.mail.store import ensure_folder, store_message  # noqa: E402
from camau_desk.store import open_db  # noqa: E402
from camau_desk.store.db import transaction  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    msgs = list(generate(n, 2024))
    mb = sum(map(len, msgs)) / 1e6
    for workers in (1, 2):
        d = Path(f"/tmp/camau-bench-index-{workers}")
        shutil.rmtree(d, ignore_errors=True)
        db = open_db(d / "db.sqlite3")
        blobs = BlobStore(d / "blobs")
        t = time.perf_counter()
        with transaction(db):
            fid = ensure_folder(db, "a", "INBOX", "inbox")
            shas = blobs.put_many(msgs)
            for i, (raw, sha) in enumerate(zip(msgs, shas, strict=True)):
                store_message(db, blobs, "a", fid, raw, uidvalidity=1, uid=i + 1, parse="headers", sha256=sha)
        ts = time.perf_counter() - t
        t = time.perf_counter()
        done = parse_pending(db, blobs, workers=workers)
        ti = time.perf_counter() - t
        print(f"n={n} {mb:.0f} MB  store(headers) {ts:.2f} s ({n / ts:.0f}/s)  "
              f"index workers={workers}: {done} in {ti:.2f} s ({n / ti:.0f}/s)", flush=True)
        db.conn.close()
        shutil.rmtree(d)


if __name__ == "__main__":  # required: the spawn pool re-imports this module
    main()
