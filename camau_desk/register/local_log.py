"""A register log without a server, for local accounts (the demo, training PCs).

Why: the register service numbers documents by replaying an event log read
through an IMAP-like client (register.log: APPEND with APPENDUID, SELECT,
UID SEARCH n:*, FETCH BODY.PEEK[]).  A local account has no server, so this
module offers the same small client surface over a JSON file in the profile.
The numbering rules, audit and integrity checks stay exactly the service's;
only the place where the events are kept changes.  One desk only: the file
is not shared, so there is nothing to agree with another workstation.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from camau_desk.fsutil import atomic_write_bytes

__all__ = ["LOG_FILE", "LocalLogClient", "local_log_path", "client_factory_for"]

LOG_FILE = "register-log.json"
_LOCK = threading.Lock()  # one process may hold several clients on the same file


def local_log_path(data_dir: Path) -> Path:
    """Where a profile keeps its local register log."""
    return Path(data_dir) / LOG_FILE


class LocalLogClient:
    """The part of ``imapclient.IMAPClient`` the register log uses, backed by a JSON file.

    Folders are created on demand with a UIDVALIDITY fixed at creation; UIDs
    only grow.  Folders the log does not own (INBOX...) do not exist here:
    selecting one answers an empty folder, so keyword marking is skipped.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.selected: str | None = None

    # -- storage ---------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {"folders": {}}
        return data if isinstance(data, dict) and "folders" in data else {"folders": {}}

    def _save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.path, json.dumps(data, ensure_ascii=True, indent=1).encode("ascii"))

    @staticmethod
    def _new_folder(data: dict[str, Any]) -> dict[str, Any]:
        validity = max([int(time.time())] + [f["uidvalidity"] + 1 for f in data["folders"].values()])
        return {"uidvalidity": validity, "next_uid": 1, "messages": {}}

    # -- the client surface ------------------------------------------------
    def folder_exists(self, name: str) -> bool:
        with _LOCK:
            return name in self._load()["folders"]

    def create_folder(self, name: str) -> None:
        with _LOCK:
            data = self._load()
            if name not in data["folders"]:
                data["folders"][name] = self._new_folder(data)
                self._save(data)

    def subscribe_folder(self, name: str) -> None:
        """Nothing to subscribe to locally."""

    def append(self, folder: str, raw: bytes, flags: Iterable[Any] = ()) -> bytes:
        with _LOCK:
            data = self._load()
            f = data["folders"].setdefault(folder, self._new_folder(data))
            uid = int(f["next_uid"])
            f["next_uid"] = uid + 1
            f["messages"][str(uid)] = base64.b64encode(bytes(raw)).decode("ascii")
            self._save(data)
            return f"[APPENDUID {f['uidvalidity']} {uid}] Append completed.".encode("ascii")

    def select_folder(self, folder: str, readonly: bool = False) -> dict[bytes, int]:
        self.selected = folder
        with _LOCK:
            f = self._load()["folders"].get(folder)
        if f is None:
            return {b"UIDVALIDITY": 0, b"EXISTS": 0, b"UIDNEXT": 1}
        return {b"UIDVALIDITY": int(f["uidvalidity"]), b"EXISTS": len(f["messages"]),
                b"UIDNEXT": int(f["next_uid"])}

    def _messages(self) -> dict[int, bytes]:
        with _LOCK:
            f = self._load()["folders"].get(self.selected or "")
        if f is None:
            return {}
        return {int(u): base64.b64decode(v) for u, v in f["messages"].items()}

    def search(self, criteria: list[Any]) -> list[int]:
        """``["UID", "n:*"]`` and ``["HEADER", "Message-ID", value]`` (what register.log sends)."""
        msgs = self._messages()
        crit = [c.decode() if isinstance(c, bytes) else str(c) for c in criteria]
        if len(crit) >= 2 and crit[0].upper() == "UID":
            lo = int(crit[1].split(":")[0])
            return sorted(u for u in msgs if u >= lo)
        if len(crit) >= 3 and crit[0].upper() == "HEADER":
            name, value = crit[1], crit[2]
            pattern = re.compile(rb"^" + re.escape(name.encode()) + rb":\s*" + re.escape(value.encode()) + rb"\s*$",
                                 re.I | re.M)
            return sorted(u for u, raw in msgs.items() if pattern.search(raw.split(b"\r\n\r\n", 1)[0]))
        return sorted(msgs)

    def fetch(self, uids: Iterable[int], what: Any) -> dict[int, dict[bytes, bytes]]:
        msgs = self._messages()
        return {int(u): {b"BODY[]": msgs[int(u)]} for u in uids if int(u) in msgs}

    def add_flags(self, uids: Iterable[int], flags: Iterable[Any]) -> None:
        """Keywords live on server messages; a local account has none to mark."""

    def logout(self) -> None:
        self.selected = None


def client_factory_for(account: Any, data_dir: Path) -> Callable[[], Any]:
    """The register log client of an account: a local file for local accounts, else IMAP."""
    if getattr(account, "is_local", False) or not getattr(account, "imap_host", None):
        path = local_log_path(data_dir)
        return lambda: LocalLogClient(path)
    from camau_desk.errors import CamauError, MailError
    from camau_desk.mail.connect import imap_connect

    def connect() -> Any:
        # a missing or locked password stops the log like a lost network does: the
        # request is already committed locally and must wait "chờ cấp số", not fail
        try:
            return imap_connect(account)
        except MailError:
            raise
        except CamauError as err:
            raise MailError(err.message, detail=err.detail) from None

    return connect
