"""Time Cà Mau Desk's IMAP sync against mbsync (isync) on the same Dovecot, same corpus.

    .venv/bin/python bench/sync/bench_sync.py --n 10000          # full run
    .venv/bin/python bench/sync/bench_sync.py --n 1000 --chunks 50,250,1000

Steps: start a private Dovecot (tests/servers/dovecot.py) under --dir, load the
seeded corpus (gen_corpus.py) with MULTIAPPEND (skipped when the same n/seed is
already loaded), read the server's mail files once (warm page cache for both
clients), then for each client: initial sync into an empty target, then a
no-change sync; mbsync once more at the end, to see the machine drift.  mbsync
pulls into a Maildir (FSync yes, its default); ours into a fresh profile
(SQLite + fsynced blobs).  Targets (issue 3): initial >= 0.5x mbsync's
messages/s; no-change <= half of mbsync's time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_corpus import generate  # noqa: E402

from camau_desk.accounts import Account  # noqa: E402
from camau_desk.mail.blobs import BlobStore  # noqa: E402
from camau_desk.mail.indexer import parse_pending  # noqa: E402
from camau_desk.mail.sync import sync_account  # noqa: E402
from camau_desk.store import open_db  # noqa: E402
from tests.servers.dovecot import DovecotServer  # noqa: E402

USER = "vanthu"


def load(server: DovecotServer, n: int, seed: int) -> tuple[int, int]:
    marker = server.dir / f"corpus-{n}-{seed}.json"
    if marker.exists():
        return tuple(json.loads(marker.read_text()))  # type: ignore[return-value]
    server.reset_user(USER)
    total = 0
    t = time.perf_counter()

    def counted():
        nonlocal total
        for raw in generate(n, seed):
            total += len(raw)
            yield raw

    server.append(USER, "INBOX", counted())
    print(f"loaded {n} messages, {total / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s", flush=True)
    for old in server.dir.glob("corpus-*.json"):
        old.unlink()
    marker.write_text(json.dumps([n, total]))
    return n, total


def warm(server: DovecotServer) -> float:
    """Read the server's mail files once, so that neither client pays a cold page cache (whoever ran
    first did: mbsync measured 21.5 s warm and 33.5 s cold on the same corpus).  Returns seconds."""
    t = time.perf_counter()
    buf = bytearray(1 << 20)
    for path in (server.dir / "mail").rglob("*"):
        if path.is_file():
            with path.open("rb", buffering=0) as fh:
                while fh.readinto(buf):
                    pass
    return time.perf_counter() - t


def mbsync_config(server: DovecotServer, work: Path) -> Path:
    u = server.users[USER]
    maildir = work / "maildir"
    conf = work / "mbsyncrc"
    conf.write_text(f"""IMAPAccount bench
Host localhost
Port {server.imaps_port}
User {u.login}
Pass {u.password}
SSLType IMAPS
CertificateFile {server.ca_file}

IMAPStore far
Account bench

MaildirStore near
Path {maildir}/
Inbox {maildir}/INBOX
SubFolders Verbatim

Channel bench
Far :far:
Near :near:
Patterns *
Create Near
Sync Pull
SyncState *
""")
    conf.chmod(0o600)
    return conf


def run_mbsync(server: DovecotServer, work: Path) -> tuple[float, float]:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    conf = mbsync_config(server, work)
    (work / "maildir").mkdir()
    times = []
    for _ in range(2):
        t = time.perf_counter()
        subprocess.run(["mbsync", "-q", "-c", str(conf), "-a"], check=True)
        times.append(time.perf_counter() - t)
    return times[0], times[1]


def _cpu() -> tuple[float, float]:
    """(this process's CPU s, finished children's CPU s): the pool's workers are children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _fresh(server: DovecotServer, work: Path):
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    u = server.users[USER]
    account = Account(name=USER, role="agency", email=u.address, imap_host="localhost", imap_port=server.imaps_port,
                      smtp_host="localhost", smtp_port=25, security="ssl", login=u.login, ca_file=str(server.ca_file))
    return open_db(work / "camau_desk.sqlite3"), BlobStore(work / "blobs"), account, u.password


def run_ours(server: DovecotServer, work: Path, chunk: int, chunk_bytes: int, prefetch: bool,
             workers: int | None, sequential: bool) -> dict:
    """Initial sync timed twice into fresh targets: fetch only (``index=False``) and the whole job
    (``index=True``: the index overlaps the fetch), then a no-change sync.  ``sequential``: also time
    ``parse_pending`` after the fetch-only run (the old two-phase figure)."""
    out: dict = {}
    db, blobs, account, pw = _fresh(server, work)
    c0, t = _cpu(), time.perf_counter()
    r1 = sync_account(db, blobs, account, password=pw, chunk_size=chunk, chunk_bytes=chunk_bytes,
                      prefetch=prefetch, index=False)
    out["fetch_s"], c1 = time.perf_counter() - t, _cpu()
    out["fetch_cpu_s"] = c1[0] - c0[0]
    assert not r1.errors, r1.errors
    if sequential:
        t = time.perf_counter()
        assert parse_pending(db, blobs, workers=workers) == r1.new
        out["index_after_s"] = time.perf_counter() - t
    db.conn.close()

    db, blobs, account, pw = _fresh(server, work)
    c0, t = _cpu(), time.perf_counter()
    r2 = sync_account(db, blobs, account, password=pw, chunk_size=chunk, chunk_bytes=chunk_bytes,
                      prefetch=prefetch, index=True, index_workers=workers)
    out["total_s"], c1 = time.perf_counter() - t, _cpu()
    out["total_cpu_main_s"], out["total_cpu_workers_s"] = c1[0] - c0[0], c1[1] - c0[1]
    assert not r2.errors and r2.indexed == r2.new == r1.new, (r2.errors, r2.indexed, r2.new)
    assert db.execute("SELECT COUNT(*) FROM messages WHERE parsed = 0").fetchone()[0] == 0
    t = time.perf_counter()
    r3 = sync_account(db, blobs, account, password=pw, chunk_size=chunk, chunk_bytes=chunk_bytes)
    out["nochange_s"] = time.perf_counter() - t
    assert not r3.errors and r3.new == 0, r3.errors
    db.conn.close()
    out["new"] = r2.new
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--dir", default="/tmp/camau-bench-sync", help="server + targets (directly under /tmp)")
    ap.add_argument("--chunks", default="250", help="comma list of chunk sizes (messages) to try")
    ap.add_argument("--chunk-mb", type=float, default=4.0)
    ap.add_argument("--no-prefetch", action="store_true")
    ap.add_argument("--workers", type=int, default=None, help="index phase processes (default: auto)")
    ap.add_argument("--sequential", action="store_true",
                    help="also time parse_pending after the fetch-only run (the index not overlapped)")
    ap.add_argument("--stop", action="store_true", help="stop the server afterwards")
    args = ap.parse_args()

    base = Path(args.dir)
    server = DovecotServer(base / "server", daemon=True).start()
    try:
        n, total = load(server, args.n, args.seed)
        mb = total / 1e6
        print(f"server mail read into the page cache in {warm(server):.1f} s; load average {os.getloadavg()}",
              flush=True)
        m_init, m_none = run_mbsync(server, base / "mbsync")
        print(f"mbsync      initial {m_init:7.2f} s  {n / m_init:7.0f} msg/s  {mb / m_init:6.1f} MB/s"
              f"   no-change {m_none:6.3f} s", flush=True)
        results = {"n": n, "mb": round(mb, 1), "mbsync": {"initial_s": m_init, "nochange_s": m_none}, "ours": []}
        for chunk in [int(c) for c in args.chunks.split(",")]:
            load_before = os.getloadavg()[0]
            o = run_ours(server, base / "ours", chunk, int(args.chunk_mb * 1_048_576), not args.no_prefetch,
                         args.workers, args.sequential)
            fetch_ratio, ratio = m_init / o["fetch_s"], m_init / o["total_s"]
            seq = f"  (+ index after: {o['index_after_s']:.1f} s)" if "index_after_s" in o else ""
            print(f"camau chunk={chunk:<5} fetch only {o['fetch_s']:7.2f} s ({n / o['fetch_s']:5.0f} msg/s, "
                  f"{fetch_ratio:.2f}x mbsync){seq}\n"
                  f"      fetch+index (overlapped) {o['total_s']:7.2f} s ({n / o['total_s']:5.0f} msg/s, "
                  f"{ratio:.2f}x mbsync; target >= 0.5)  CPU: main {o['total_cpu_main_s']:.1f} s, "
                  f"workers {o['total_cpu_workers_s']:.1f} s (fetch-only main {o['fetch_cpu_s']:.1f} s)\n"
                  f"      no-change {o['nochange_s']:6.3f} s ({o['nochange_s'] / m_none:.2f}x mbsync's time; "
                  f"target <= 0.5)   load avg {load_before:.2f} -> {os.getloadavg()[0]:.2f}", flush=True)
            results["ours"].append({"chunk": chunk, "chunk_mb": args.chunk_mb, **o, "fetch_ratio": fetch_ratio,
                                    "speed_ratio": ratio, "nochange_ratio": o["nochange_s"] / m_none,
                                    "workers": args.workers, "load_before": load_before})
        m_after, _ = run_mbsync(server, base / "mbsync")
        results["mbsync"]["initial_after_s"] = m_after
        print(f"mbsync again after ours: {m_after:.2f} s ({n / m_after:.0f} msg/s; the ratios above use the first run;"
              f" against the faster of the two: fetch+index "
              f"{min(m_init, m_after) / results['ours'][-1]['total_s']:.2f}x)", flush=True)
        (base / "results.json").write_text(json.dumps(results, indent=2))
    finally:
        if args.stop:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
