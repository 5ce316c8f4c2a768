"""Two clerk desks register at the same time on one agency mailbox (R7.1a-1, ND30 Đ22.2: one gap-free sequence).

Two processes, two profiles (separate --data-dir), both logged in as the
same Dovecot user ``vanthu``, each registering 200 paper documents as fast as
they can.  Numbers 1..400 must each be given exactly once, each desk must have
been told the number the other desk also sees, and after ``register sync``
both desks list the identical register.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from camau_desk.mail.connect import imap_connect
from camau_desk.register import service as svc

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "bench" / "register" / "worker.py"
PER_DESK = 200


def _account(server) -> dict:
    u = server.users["vanthu"]
    return {"name": "vanthu", "role": "agency", "email": u.address, "imap_host": "127.0.0.1",
            "imap_port": server.imaps_port, "smtp_host": "127.0.0.1", "smtp_port": 25, "security": "ssl",
            "login": u.login, "ca_file": str(server.ca_file)}


def _cli_list(data_dir: Path) -> list[dict]:
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "register", "list", "--json", "--data-dir",
                          str(data_dir)], capture_output=True, text=True, timeout=60, cwd=ROOT, check=True)
    return json.loads(out.stdout)


def test_R7_1a_1_two_desks_200_each_numbers_1_to_400_once_and_identical_after_sync(fresh_mailbox, tmp_path):
    server = fresh_mailbox
    procs = []
    start_at = time.time() + 1.5  # both desks connected first, then start together
    for label in ("A", "B"):
        cfg = {"data_dir": str(tmp_path / label), "account": _account(server),
               "password": server.users["vanthu"].password, "count": PER_DESK, "label": label,
               "start_at": start_at}
        path = tmp_path / f"{label}.json"
        path.write_text(json.dumps(cfg))
        os.chmod(path, 0o600)
        procs.append(subprocess.Popen([sys.executable, str(WORKER), str(path)], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, cwd=ROOT))
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    told = sorted(n for r in results for n in r["numbers"])
    assert told == list(range(1, 2 * PER_DESK + 1))  # every number told to a clerk exactly once
    for r in results:
        assert r["numbers"] == sorted(r["numbers"])  # a desk's own registrations keep their order

    from camau_desk.store import open_db
    from tests.integration.test_register_log import Account

    lists = []
    for label in ("A", "B"):
        db = open_db(tmp_path / label / "camau_desk.sqlite3")
        account = Account(**_account(server))
        with svc._session(lambda: imap_connect(account, server.users["vanthu"].password)) as c:
            svc.sync_register(db, account, c)
        db.conn.close()
        lists.append([(e["year"], e["so_den"], e["event_id"], e["trich_yeu"], e["status"])
                      for e in _cli_list(tmp_path / label)])
    assert lists[0] == lists[1]
    assert [n for _, n, *_ in lists[0]] == list(range(1, 2 * PER_DESK + 1))
    # both desks interleaved: neither got one contiguous block (the race really happened)
    a_numbers = results[0]["numbers"] if results[0]["label"] == "A" else results[1]["numbers"]
    print(f"desk A elapsed {results[0]['elapsed']:.2f}s, B {results[1]['elapsed']:.2f}s; "
          f"A's first 10 numbers {a_numbers[:10]}")
