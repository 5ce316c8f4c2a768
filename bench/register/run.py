"""Register throughput and latency with one and two desks on a private Dovecot (never run by CI).

    .venv/bin/python bench/register/run.py [--count 200]

Each desk is a separate process with its own profile, both logged in as the
same agency user; one registration = local commit + APPEND + read back + commit.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.servers.dovecot import DovecotServer  # noqa: E402

WORKER = Path(__file__).with_name("worker.py")


def _run(server: DovecotServer, tmp: Path, desks: int, count: int) -> dict:
    server.reset_all()
    u = server.users["vanthu"]
    account = {"name": "vanthu", "role": "agency", "email": u.address, "imap_host": "127.0.0.1",
               "imap_port": server.imaps_port, "smtp_host": "127.0.0.1", "smtp_port": 25, "security": "ssl",
               "login": u.login, "ca_file": str(server.ca_file)}
    start_at = time.time() + 1.5
    procs = []
    for i in range(desks):
        d = tmp / f"run{desks}-{i}"
        shutil.rmtree(d, ignore_errors=True)
        cfg = d.with_suffix(".json")
        cfg.write_text(json.dumps({"data_dir": str(d), "account": account, "password": u.password,
                                   "count": count, "label": f"D{i}", "start_at": start_at}))
        procs.append(subprocess.Popen([sys.executable, str(WORKER), str(cfg)], stdout=subprocess.PIPE, text=True))
    results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    lat = sorted(x for r in results for x in r["latencies"])
    wall = max(r["elapsed"] for r in results)
    numbers = sorted(n for r in results for n in r["numbers"])
    assert numbers == list(range(1, desks * count + 1)), "numbering broken"
    return {
        "desks": desks, "registrations": len(lat), "wall_s": round(wall, 2),
        "per_second_total": round(len(lat) / wall, 1),
        "latency_ms_p50": round(statistics.median(lat) * 1000, 1),
        "latency_ms_p95": round(lat[int(len(lat) * 0.95) - 1] * 1000, 1),
        "latency_ms_max": round(lat[-1] * 1000, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=200, help="registrations per desk")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="camau-bench-register-"))
    tmp.chmod(0o755)  # the mail user must traverse it
    server = DovecotServer(tmp / "dovecot")
    server.start()
    try:
        for desks in (1, 2):
            print(json.dumps(_run(server, tmp, desks, args.count), ensure_ascii=False))
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
