"""One clerk desk registering N paper documents as fast as it can (used by the concurrency test and bench).

    python bench/register/worker.py CONFIG_JSON

CONFIG_JSON: {"data_dir", "account": {Account fields}, "password", "count", "label", "start_at"(epoch, optional)}.
Prints one JSON line: {"label", "latencies": [s...], "elapsed": s, "numbers": [...]} .
The password comes in the config file (test servers only), never in argv.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from camau_desk import audit  # noqa: E402
from camau_desk.accounts import Account  # noqa: E402
from camau_desk.mail.connect import imap_connect  # noqa: E402
from camau_desk.paths import Profile  # noqa: E402
from camau_desk.register import service as svc  # noqa: E402
from camau_desk.store import open_db  # noqa: E402
from camau_desk.store.db import transaction  # noqa: E402


def desk(data_dir: str, account: Account):
    """Open (or create) a profile whose agency account is ``account`` (row only: no keyring needed)."""
    db = open_db(Profile.at(data_dir).ensure().db_path)
    if not db.execute("SELECT 1 FROM accounts WHERE name = ?", [account.name]).fetchone():
        row = {k: v for k, v in account.__dict__.items()}
        row["is_local"] = int(row["is_local"])
        row["created_at"] = row["created_at"] or audit.now_iso()
        with transaction(db):
            db["accounts"].insert(row)
    return db


def main(config_path: str) -> None:
    cfg = json.loads(Path(config_path).read_text())
    account = Account(**cfg["account"])
    db = desk(cfg["data_dir"], account)
    client = imap_connect(account, cfg["password"])
    factory = svc.reuse_client(client)
    if cfg.get("start_at"):
        time.sleep(max(0.0, cfg["start_at"] - time.time()))
    lat, numbers = [], []
    t0 = time.perf_counter()
    for i in range(int(cfg["count"])):
        t = time.perf_counter()
        e = svc.register_paper(db, account, {"trich_yeu": f"{cfg['label']} văn bản giấy {i + 1}",
                                             "tac_gia": f"Bàn {cfg['label']}"},
                               client_factory=factory)
        lat.append(time.perf_counter() - t)
        numbers.append(e["so_den"])
    elapsed = time.perf_counter() - t0
    client.logout()
    print(json.dumps({"label": cfg["label"], "latencies": lat, "elapsed": elapsed, "numbers": numbers}))


if __name__ == "__main__":
    main(sys.argv[1])
