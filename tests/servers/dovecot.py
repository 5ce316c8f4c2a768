"""A private Dovecot instance for integration tests and benchmarks.

Why a real Dovecot: CONDSTORE/QRESYNC, UIDVALIDITY changes, SPECIAL-USE,
MULTIAPPEND and modified UTF-7 folder names behave like the province mail
server only on a real IMAP server; a mock would agree with our own bugs.

Each instance lives in its own directory (config, certificates, sockets,
state, log, mail), listens on 127.0.0.1 only, on free ports:

* IMAPS (implicit TLS), IMAP with STARTTLS (plain login also allowed, for
  "security: none" local tests), LMTP for delivery (used by the SMTP relay).

Users (see ``USERS``) log in with their full address; the short name works
too (``auth_default_realm``). Both clerk workstations of an agency log in as
the same agency user ``vanthu``: that is how a shared agency mailbox works in
practice (one account, several desks). ``vanthu2`` is a separate user.

Command line (for bench scripts and manual runs)::

    python -m tests.servers.dovecot start --dir /tmp/dv   # daemon, prints server.json
    python -m tests.servers.dovecot stop --dir /tmp/dv
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from .certs import CertPaths, make_certs

DOMAIN = "sotttt.camau.gov.vn"
AGENCY_ADDRESS = f"vanthu@{DOMAIN}"
MAIL_USER = "vmail"
SPECIAL_FOLDERS: dict[str, str] = {
    "Sent": "\\Sent",
    "Drafts": "\\Drafts",
    "Junk": "\\Junk",
    "Trash": "\\Trash",
    "Archive": "\\Archive",
}


class User(NamedTuple):
    """(login, password, address); login is the full address."""

    login: str
    password: str
    address: str


def _user(short: str) -> User:
    address = f"{short}@{DOMAIN}"
    return User(address, f"{short}-MatKhau#2024", address)


#: short name -> (login, password, address)
USERS: dict[str, User] = {
    short: _user(short)
    for short in (
        "vanthu",  # clerk: the agency mailbox (both clerk desks log in as this user)
        "vanthu2",  # second clerk account (separate mailbox)
        "giamdoc",  # head of agency
        "phogiamdoc1",  # deputies
        "phogiamdoc2",
        "truongphong",  # unit head
        "donvi1",  # units
        "donvi2",
    )
}

#: Vietnamese display names, for building realistic From/To headers in tests.
DISPLAY_NAMES: dict[str, str] = {
    "vanthu": "Văn thư Sở Thông tin và Truyền thông",
    "vanthu2": "Văn thư 2",
    "giamdoc": "Nguyễn Văn Giám Đốc",
    "phogiamdoc1": "Trần Thị Phó Giám Đốc",
    "phogiamdoc2": "Lê Văn Phó Giám Đốc",
    "truongphong": "Phạm Thị Trưởng Phòng",
    "donvi1": "Phòng Công nghệ thông tin",
    "donvi2": "Phòng Bưu chính viễn thông",
}


class DovecotError(RuntimeError):
    """Dovecot is missing, failed to start or a doveadm command failed."""


def dovecot_available() -> bool:
    """True when the ``dovecot`` and ``doveadm`` binaries are installed."""
    return bool(_find("dovecot") and _find("doveadm"))


def _find(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")


def free_port() -> int:
    """A port free right now on 127.0.0.1 (a collision is still possible: callers retry)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _free_ports(n: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < n:
        ports.add(free_port())
    return sorted(ports)


def ensure_mail_user() -> tuple[int, int, str]:
    """Return (uid, gid, name) of the account that owns mail files.

    Dovecot refuses uid 0 for mail access, so as root we use a ``vmail``
    system user (created if missing); as an ordinary user, that user.
    """
    if os.geteuid() != 0:
        pw = pwd.getpwuid(os.geteuid())
        return pw.pw_uid, pw.pw_gid, pw.pw_name
    try:
        pw = pwd.getpwnam(MAIL_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                MAIL_USER,
            ],
            check=True,
            capture_output=True,
        )
        pw = pwd.getpwnam(MAIL_USER)
    return pw.pw_uid, pw.pw_gid, pw.pw_name


def _check_traversable(path: Path, uid: int) -> None:
    """The mail user must be able to reach its home: fail early with a clear hint."""
    if uid == os.geteuid():
        return
    for parent in [path, *path.parents]:
        st = parent.stat()
        if st.st_uid != uid and not st.st_mode & 0o001:
            raise DovecotError(
                f"{parent} is not traversable by the mail user (uid {uid}); "
                "put the server directory somewhere world-traversable, e.g. "
                "tempfile.mkdtemp() directly under /tmp"
            )


_APPENDUID = re.compile(rb"APPENDUID (\d+) ([0-9:,]+)")


def _parse_uid_set(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if ":" in part:
            a, b = (int(x) for x in part.split(":"))
            out.extend(range(min(a, b), max(a, b) + 1))
        else:
            out.append(int(part))
    return out


class DovecotServer:
    """A Dovecot instance in *directory*; see the module docstring.

    ``daemon=False`` (fixtures): ``dovecot -F`` is a child of this process.
    ``daemon=True`` (CLI): Dovecot forks and outlives this process.
    Ports are chosen at the first start and kept across ``restart()`` (and
    across processes, via ``server.json``) so clients can reconnect.
    """

    START_TIMEOUT = 10.0

    def __init__(self, directory: str | os.PathLike[str], *, daemon: bool = False) -> None:
        self.dir = Path(directory).resolve()
        self.daemon = daemon
        self.users: dict[str, User] = dict(USERS)
        self.imaps_port = 0
        self.starttls_port = 0
        self.lmtp_port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._certs: CertPaths | None = None
        self._load_state()

    # ------------------------------------------------------------------ paths
    @property
    def config_file(self) -> Path:
        return self.dir / "dovecot.conf"

    @property
    def log_file(self) -> Path:
        return self.dir / "log" / "dovecot.log"

    @property
    def mail_root(self) -> Path:
        return self.dir / "mail"

    @property
    def ca_file(self) -> Path:
        return self.dir / "certs" / "ca.pem"

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def _state_file(self) -> Path:
        return self.dir / "server.json"

    @property
    def _pid_file(self) -> Path:
        return self.dir / "run" / "master.pid"

    def maildir(self, user: str, folder: str = "INBOX") -> Path:
        """Filesystem path of a folder (LAYOUT=fs: INBOX is the Maildir root)."""
        root = self.mail_root / DOMAIN / self._short(user) / "Maildir"
        return root if folder.upper() == "INBOX" else root / folder

    # ------------------------------------------------------------- lifecycle
    def start(self) -> DovecotServer:
        """Write the config and start Dovecot; return when IMAP and LMTP accept."""
        if self.is_running():
            return self
        if not dovecot_available():
            raise DovecotError("dovecot/doveadm are not installed (apt install dovecot-imapd dovecot-lmtpd)")
        uid, gid, name = ensure_mail_user()
        self._prepare_dirs(uid, gid)
        self._certs = make_certs(self.dir / "certs")
        keep_ports = bool(self.imaps_port)
        last_err = ""
        for _attempt in range(5):
            if not keep_ports:
                self.imaps_port, self.starttls_port, self.lmtp_port = _free_ports(3)
            self._write_config(name)
            self._write_users()
            try:
                self._launch()
            except _PortCollision as exc:
                last_err = str(exc)
                keep_ports = False
                continue
            self._save_state()
            return self
        raise DovecotError(f"Dovecot could not bind free ports: {last_err}")

    def stop(self, grace: float = 1.5) -> None:
        """SIGTERM the master (as ``doveadm stop`` does), then SIGKILL its process group.

        A graceful stop takes about 1 s; right after a start Dovecot may wait
        5 s for children still starting, hence the short *grace* before the kill
        (Dovecot's maildir and index files are crash-safe).
        """
        pid = self._proc.pid if self._proc is not None else self._master_pid()
        if pid is not None and _alive(pid):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and self._still_there(pid):
                time.sleep(0.01)
            if self._still_there(pid):
                _kill_group(pid)
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self._proc = None
        if pid is not None:
            _kill_group(pid)  # stragglers (log, anvil) of a stopped master
        self._pid_file.unlink(missing_ok=True)

    def _still_there(self, pid: int) -> bool:
        if self._proc is not None and self._proc.pid == pid:
            return self._proc.poll() is None
        return _alive(pid)

    def restart(self) -> DovecotServer:
        """Stop and start again on the same ports, keeping all mail."""
        self.stop()
        return self.start()

    def is_running(self) -> bool:
        if self._proc is not None:
            return self._proc.poll() is None
        pid = self._master_pid()
        return pid is not None and _alive(pid)

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- helpers
    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts only the test CA (full verification)."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def imap(self, user: str, *, tls: bool = True):  # -> imapclient.IMAPClient
        """A logged-in IMAPClient (IMAPS by default, plain on the STARTTLS port otherwise)."""
        import imapclient

        u = self.users[self._short(user)]
        if tls:
            c = imapclient.IMAPClient(self.host, self.imaps_port, ssl=True, ssl_context=self.ssl_context(), timeout=30)
        else:
            c = imapclient.IMAPClient(self.host, self.starttls_port, ssl=False, timeout=30)
        c.login(u.login, u.password)
        return c

    def append(
        self,
        user: str,
        folder: str,
        raw_messages: Iterable[bytes],
        flags: Sequence[str | bytes] = (),
        *,
        chunk_bytes: int = 8 * 1024 * 1024,
    ) -> list[int]:
        """Load messages fast with MULTIAPPEND; creates *folder* if needed; returns new UIDs.

        Uses the plaintext port (no TLS cost) and sends chunks of about
        *chunk_bytes* per APPEND command.
        """
        uids: list[int] = []
        with self.imap(user, tls=False) as c:
            if folder.upper() != "INBOX" and not c.folder_exists(folder):
                c.create_folder(folder)
            batch: list[dict[str, object]] = []
            size = 0

            def flush() -> None:
                nonlocal size
                if not batch:
                    return
                resp = c.multiappend(folder, batch)
                m = _APPENDUID.search(resp if isinstance(resp, bytes) else str(resp).encode())
                if m:
                    uids.extend(_parse_uid_set(m.group(2).decode()))
                batch.clear()
                size = 0

            for raw in raw_messages:
                batch.append({"msg": raw, "flags": list(flags)} if flags else {"msg": raw})
                size += len(raw)
                if size >= chunk_bytes:
                    flush()
            flush()
            c.logout()
        return uids

    def deliver(self, recipients: str | Sequence[str], raw: bytes, sender: str = "") -> None:
        """Deliver one message through LMTP, as the mail system would (Sieve-free, to INBOX)."""
        import smtplib

        rcpts = [recipients] if isinstance(recipients, str) else list(recipients)
        rcpts = [r if "@" in r else self.users[r].address for r in rcpts]
        with smtplib.LMTP(self.host, self.lmtp_port, timeout=30) as lmtp:
            refused = lmtp.sendmail(sender or f"postmaster@{DOMAIN}", rcpts, raw)
        if refused:
            raise DovecotError(f"LMTP refused {refused}")

    def doveadm(self, *args: str, check: bool = True) -> str:
        """Run ``doveadm -c CONFIG args...`` and return stdout."""
        proc = subprocess.run(
            [_find("doveadm") or "doveadm", "-c", str(self.config_file), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and proc.returncode != 0:
            raise DovecotError(f"doveadm {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
        return proc.stdout

    def folders(self, user: str) -> list[str]:
        """Folder names of *user* (decoded, as doveadm prints them)."""
        out = self.doveadm("mailbox", "list", "-u", self._login(user))
        return [line for line in out.splitlines() if line]

    def status(self, user: str, folder: str = "INBOX") -> dict[str, int]:
        """messages / uidnext / uidvalidity / highestmodseq of one folder."""
        out = self.doveadm(
            "-f",
            "flow",
            "mailbox",
            "status",
            "-u",
            self._login(user),
            "messages uidnext uidvalidity highestmodseq",
            folder,
        )
        fields = dict(re.findall(r"(\w+)=(\S+)", out))
        return {k: int(v) for k, v in fields.items() if k != "mailbox" and v.isdigit()}

    def change_uidvalidity(self, user: str, folder: str = "INBOX", new_value: int | None = None) -> int:
        """Give *folder* a new UIDVALIDITY (as after a server migration); returns it.

        ``doveadm mailbox update --uid-validity`` works while Dovecot runs; the
        messages stay, so a client must discard its cached UIDs and resync.
        """
        old = self.status(user, folder)["uidvalidity"]
        value = new_value if new_value is not None else old + 1000
        if value == old:
            raise ValueError("new UIDVALIDITY equals the old one")
        self.doveadm("mailbox", "update", "-u", self._login(user), "--uid-validity", str(value), folder)
        return value

    def reset_user(self, user: str) -> None:
        """Empty a user's mailbox between tests: delete extra folders, expunge the rest.

        UIDVALIDITY is kept and UIDNEXT keeps growing, as on a real server.
        """
        login = self._login(user)
        keep = {"INBOX", *SPECIAL_FOLDERS}
        extra = [f for f in self.folders(user) if f not in keep]
        # Children first, so a parent is empty of children when deleted.
        for f in sorted(extra, key=lambda s: s.count("/"), reverse=True):
            self.doveadm("mailbox", "delete", "-s", "-u", login, f, check=False)
        self.doveadm("expunge", "-u", login, "mailbox", "*", "all")

    def reset_all(self) -> None:
        """``reset_user`` for every test user, in two or three doveadm calls (-A)."""
        keep = {"INBOX", *SPECIAL_FOLDERS}
        out = self.doveadm("-f", "tab", "mailbox", "list", "-A")
        extra: list[tuple[str, str]] = []
        for line in out.splitlines()[1:]:
            user, _, folder = line.partition("\t")
            if folder and folder not in keep:
                extra.append((user, folder))
        for user, folder in sorted(extra, key=lambda uf: uf[1].count("/"), reverse=True):
            self.doveadm("mailbox", "delete", "-s", "-u", user, folder, check=False)
        self.doveadm("expunge", "-A", "mailbox", "*", "all")

    def info(self) -> dict[str, object]:
        """What a bench script or a test client needs to connect."""
        return {
            "dir": str(self.dir),
            "host": self.host,
            "imaps_port": self.imaps_port,
            "starttls_port": self.starttls_port,
            "lmtp_port": self.lmtp_port,
            "ca_file": str(self.ca_file),
            "config_file": str(self.config_file),
            "users": {k: u._asdict() for k, u in self.users.items()},
        }

    # --------------------------------------------------------------- internals
    def _short(self, user: str) -> str:
        short = user.split("@", 1)[0]
        if short not in self.users:
            raise KeyError(f"unknown test user {user!r}")
        return short

    def _login(self, user: str) -> str:
        return self.users[self._short(user)].login

    def _prepare_dirs(self, uid: int, gid: int) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        for sub in ("run", "state", "log", "certs"):
            (self.dir / sub).mkdir(exist_ok=True)
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o711)  # the mail user traverses it to reach mail/
        self.mail_root.mkdir(exist_ok=True)
        os.chown(self.mail_root, uid, gid)
        _check_traversable(self.mail_root, uid)
        # A stale anvil-auth-penalty socket makes the first login stall about 5 s.
        (self.dir / "run" / "anvil-auth-penalty").unlink(missing_ok=True)

    def _write_users(self) -> None:
        lines = [f"{u.login}:{{PLAIN}}{u.password}::::::" for u in self.users.values()]
        (self.dir / "users").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _write_config(self, mail_user: str) -> None:
        d = self.dir
        assert self._certs is not None
        mailboxes = "\n".join(
            f"  mailbox {name} {{\n    special_use = {flag}\n    auto = subscribe\n  }}"
            for name, flag in SPECIAL_FOLDERS.items()
        )
        non_root = ""
        if os.geteuid() != 0:
            non_root = (
                f"default_internal_user = {mail_user}\n"
                f"default_login_user = {mail_user}\n"
                "service imap-login {\n  chroot =\n}\n"
            )
        conf = f"""# Generated by tests/servers/dovecot.py: a private test instance.
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/log/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self._certs.cert}
ssl_key = <{self._certs.key}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
# One failed login must not slow later logins (tests log in hundreds of times).
auth_failure_delay = 0
auth_default_realm = {DOMAIN}
mail_location = maildir:~/Maildir:LAYOUT=fs
mail_uid = {mail_user}
mail_gid = {mail_user}
mail_fsync = never
mail_max_userip_connections = 200
mailbox_idle_check_interval = 1 secs
# No stats process: it made every stop right after a start wait 5 s (handshake timeout).
stats_writer_socket_path =
{non_root}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/users
}}
userdb {{
  driver = passwd-file
  args = {d}/users
  default_fields = uid={mail_user} gid={mail_user} home={d}/mail/%d/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.starttls_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {self.lmtp_port}
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
{mailboxes}
}}
"""
        self.config_file.write_text(conf, encoding="utf-8")

    def _launch(self) -> None:
        log_start = self.log_file.stat().st_size if self.log_file.exists() else 0
        stderr_path = self.dir / "log" / "stderr.log"
        cmd = [_find("dovecot") or "dovecot", "-c", str(self.config_file)]
        with open(stderr_path, "wb") as err:
            if self.daemon:
                rc = subprocess.run(cmd, stdout=err, stderr=err).returncode
                if rc != 0:
                    self._raise_start_failure(stderr_path, log_start)
            else:
                # Own session: stop() can kill the whole process group if needed.
                self._proc = subprocess.Popen(
                    cmd[:1] + ["-F"] + cmd[1:], stdout=err, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True
                )
        deadline = time.monotonic() + self.START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                self._proc = None
                self._raise_start_failure(stderr_path, log_start)
            if self.daemon and self._master_pid() is None and _log_tail(self.log_file, log_start).count("Fatal"):
                self._raise_start_failure(stderr_path, log_start)
            if "starting up" in _log_tail(self.log_file, log_start) and all(
                _connectable(self.host, p) for p in (self.imaps_port, self.starttls_port, self.lmtp_port)
            ):
                return
            time.sleep(0.02)
        self.stop()
        raise DovecotError(f"Dovecot did not start within {self.START_TIMEOUT} s; see {self.log_file}")

    def _raise_start_failure(self, stderr_path: Path, log_start: int) -> None:
        text = stderr_path.read_text(errors="replace") + _log_tail(self.log_file, log_start)
        if "Address already in use" in text:
            raise _PortCollision(text.strip()[-500:])
        raise DovecotError(f"Dovecot failed to start: {text.strip()[-2000:]}")

    def _master_pid(self) -> int | None:
        try:
            return int(self._pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def _save_state(self) -> None:
        self._state_file.write_text(json.dumps(self.info(), indent=2, ensure_ascii=False), encoding="utf-8")

    def _load_state(self) -> None:
        try:
            data = json.loads(self._state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        self.imaps_port = int(data.get("imaps_port", 0))
        self.starttls_port = int(data.get("starttls_port", 0))
        self.lmtp_port = int(data.get("lmtp_port", 0))


class _PortCollision(DovecotError):
    pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_group(pid: int) -> None:
    """SIGKILL the process group led by *pid* (never our own group)."""
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        pgid = pid  # leader gone: its group may still hold children
    if pgid != pid or pgid == os.getpgrp():
        return
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _connectable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _log_tail(path: Path, start: int) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: start/stop/status/info a daemonised instance in --dir."""
    ap = argparse.ArgumentParser(prog="python -m tests.servers.dovecot", description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=["start", "stop", "restart", "status", "reset"])
    ap.add_argument("--dir", required=True, help="server directory (created if missing)")
    args = ap.parse_args(argv)
    srv = DovecotServer(args.dir, daemon=True)
    if args.action == "start":
        srv.start()
        print(json.dumps(srv.info(), indent=2, ensure_ascii=False))
    elif args.action == "stop":
        srv.stop()
    elif args.action == "restart":
        srv.restart()
        print(json.dumps(srv.info(), indent=2, ensure_ascii=False))
    elif args.action == "reset":
        srv.reset_all()
    else:
        running = srv.is_running()
        print(json.dumps({"running": running, **srv.info()}, indent=2, ensure_ascii=False))
        return 0 if running else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
