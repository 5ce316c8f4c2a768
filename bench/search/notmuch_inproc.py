"""notmuch queries timed inside one long-lived process (no process start per query).

Run by bench.py with the system Python, which has the notmuch2 bindings
(Debian: ``apt-get install python3-notmuch2``); reads JSON
``{"db": ..., "config": ..., "queries": [...], "repeat": n}`` on stdin and
prints ``{query: {"ms": [...], "hits": n}}``.  Like ``notmuch search
--limit=20 --output=threads``: the 20 newest threads, their ids read.
"""

from __future__ import annotations

import itertools
import json
import sys
import time

import notmuch2


def main() -> int:
    args = json.load(sys.stdin)
    db = notmuch2.Database(args["db"], config=args["config"])
    out = {}
    for q in args["queries"]:
        def once(q: str = q) -> int:
            threads = db.threads(q, sort=notmuch2.Database.SORT.NEWEST_FIRST)
            return len([t.threadid for t in itertools.islice(threads, 20)])

        once()  # warm
        times = []
        for _ in range(args["repeat"]):
            t = time.perf_counter()
            hits = once()
            times.append((time.perf_counter() - t) * 1000)
        out[q] = {"ms": times, "hits": hits}
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
