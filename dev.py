#!/usr/bin/env python3
"""One-command set-up for people and CI (works with the system Python, no deps).

    python3 dev.py demo     set up .venv and open the window on the bundled demo data
    python3 dev.py test     set up everything (apt packages when root on Debian) and run the whole suite
    python3 dev.py setup    only create/refresh .venv with the app and test dependencies

Why a Python script rather than a Makefile: the first command must also work on a
clerk's Windows PC (``py dev.py demo``), where there is no make or bash.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
IS_WINDOWS = os.name == "nt"
VENV_PY = VENV / ("Scripts/python.exe" if IS_WINDOWS else "bin/python")

# What Qt, the test mail servers and the real keyring need on a fresh Debian/Ubuntu.
QT_LIBS = [
    "libegl1", "libgl1", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xinerama0",
    "libxcb-xkb1", "libfontconfig1", "libdbus-1-3", "libglib2.0-0", "fonts-noto-core", "fonts-dejavu-core",
]
TEST_PACKAGES = [
    "python3-venv", "dovecot-imapd", "dovecot-lmtpd", "openssl", "xvfb", "xauth",
    "gnome-keyring", "dbus", "dbus-x11", *QT_LIBS,
]


def log(msg: str) -> None:
    print(f"[dev.py] {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:
    log(" ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def is_root_debian() -> bool:
    return not IS_WINDOWS and hasattr(os, "geteuid") and os.geteuid() == 0 and Path("/etc/debian_version").exists()


def apt_install(packages: list[str]) -> None:
    """Install what is missing (as root on Debian); otherwise say what to install."""
    missing = [p for p in packages if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True
    ).stdout.strip() != "install ok installed"]
    if not missing:
        return
    if not is_root_debian():
        log("missing system packages (install them as root): " + " ".join(missing))
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def setup(extras: str = "test") -> None:
    if not VENV_PY.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    run([VENV_PY, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([VENV_PY, "-m", "pip", "install", "-q", "-e", f".[{extras}]" if extras else "."], cwd=ROOT)


def demo() -> int:
    if sys.platform.startswith("linux"):
        apt_install(["python3-venv", *QT_LIBS])
    setup(extras="")
    return subprocess.call([str(VENV_PY), str(ROOT / "main.py"), "--demo"], cwd=ROOT)


def test(pytest_args: list[str]) -> int:
    if sys.platform.startswith("linux"):
        apt_install(TEST_PACKAGES)
    setup()
    if IS_WINDOWS or not shutil.which("dbus-run-session"):
        log("no dbus-run-session: keyring integration tests will be skipped")
        return subprocess.call([str(VENV_PY), "-m", "pytest", *pytest_args], cwd=ROOT)
    # A private D-Bus session with an unlocked gnome-keyring: the real Secret Service.
    return subprocess.call(
        ["dbus-run-session", "--", str(VENV_PY), str(ROOT / "dev.py"), "_inner-test", *pytest_args], cwd=ROOT
    )


def _inner_test(pytest_args: list[str]) -> int:
    """Runs inside dbus-run-session: unlock a fresh keyring, then pytest under Xvfb."""
    env = dict(os.environ)
    keyring_home = ROOT / ".test-home"
    shutil.rmtree(keyring_home, ignore_errors=True)
    (keyring_home / ".local/share/keyrings").mkdir(parents=True)
    env["HOME"] = str(keyring_home)
    env["XDG_DATA_HOME"] = str(keyring_home / ".local/share")
    if shutil.which("gnome-keyring-daemon"):
        out = subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
            # a throwaway keyring: its unlock secret is random and never needed again
            input=secrets.token_urlsafe(18) + "\n", capture_output=True, text=True, env=env, timeout=30,
        )
        for line in out.stdout.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                env[key] = value
        env["CAMAU_TEST_SECRET_SERVICE"] = "1"  # noqa: S105 - a switch, not a secret
    cmd = [str(VENV_PY), "-m", "pytest", *pytest_args]
    if shutil.which("xvfb-run") and not env.get("DISPLAY"):
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *cmd]
    log(" ".join(cmd))
    return subprocess.call(cmd, cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "demo":
        return demo()
    if command == "setup":
        setup()
        return 0
    if command == "test":
        return test(rest)
    if command == "_inner-test":
        return _inner_test(rest)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
