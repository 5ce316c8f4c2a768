"""Runtime fixes for the frozen (PyInstaller) build; no-ops from source.

Why this exists: a frozen app loses things a normal interpreter has for free.

* keyring finds its backends through package entry points, which a bundle
  may not carry: the app then silently gets the "fail" backend and can store
  no password.  We choose the OS credential store by platform instead
  (Windows Credential Manager, macOS Keychain, Secret Service on Linux).
* multiprocessing "spawn" children (attachment text extraction, parallel
  indexing) re-run the executable; without ``freeze_support()`` the child
  would parse its own arguments as a command line and open a second window.
* the windowed Windows executable has ``sys.stdout``/``sys.stderr`` = None, so
  any print (argparse's ``--version``, a log handler) would crash.

``prepare()`` is called by the bundle's runtime hook (packaging/rthook_camau_desk.py)
before main.py runs, and may be called again by main.py: it is idempotent.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TextIO

__all__ = [
    "BACKENDS",
    "BACKEND_DEPENDENCIES",
    "SELFTEST_ENV",
    "backend_name",
    "configure_keyring",
    "is_frozen",
    "prepare",
    "self_test",
]

# Dotted path "module.Class" of the credential store for each sys.platform prefix.
BACKENDS: dict[str, str] = {
    "win32": "keyring.backends.Windows.WinVaultKeyring",
    "darwin": "keyring.backends.macOS.Keyring",
    "linux": "keyring.backends.SecretService.Keyring",
}
# Third-party modules each backend needs at run time (imported lazily by keyring, so
# PyInstaller cannot see them: the spec lists them as hidden imports).
BACKEND_DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "win32": ("win32ctypes.pywin32.win32cred", "win32ctypes.pywin32.pywintypes"),
    "darwin": (),
    "linux": ("secretstorage", "jeepney"),
}
SELFTEST_ENV = "CAMAU_DESK_FROZEN_SELFTEST"
_prepared = False


def is_frozen() -> bool:
    """True inside a PyInstaller (or similar) bundle."""
    return bool(getattr(sys, "frozen", False))


def backend_name(platform: str | None = None) -> str | None:
    """The keyring backend class to use on ``platform`` (default: this one), or None."""
    platform = sys.platform if platform is None else platform
    for prefix, name in BACKENDS.items():
        if platform.startswith(prefix):
            return name
    return None


def configure_keyring(*, frozen: bool | None = None, platform: str | None = None) -> str | None:
    """Set keyring's backend explicitly when frozen; return the dotted name chosen.

    Returns None (and leaves keyring's own discovery alone) from source, on an
    unknown platform, when the user forces a backend with PYTHON_KEYRING_BACKEND,
    or when the chosen module is missing from the bundle: then secrets.py reports
    "no credential store" in Vietnamese instead of the app crashing at start.
    """
    frozen = is_frozen() if frozen is None else frozen
    if not frozen or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return None
    name = backend_name(platform)
    if name is None:
        return None
    module_name, _, class_name = name.rpartition(".")
    try:
        backend_cls = getattr(importlib.import_module(module_name), class_name)
        import keyring

        # Constructing a backend opens no connection: a locked or absent store
        # is still reported at first use, with secrets.py's timeout and message.
        keyring.set_keyring(backend_cls())
    except Exception:  # noqa: BLE001 - a missing backend must not stop the app from starting
        return None
    return name


def _ensure_streams() -> None:
    """Give a windowed executable harmless stdout/stderr instead of None."""
    for attr in ("stdout", "stderr"):
        if getattr(sys, attr) is None:
            setattr(sys, attr, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def prepare() -> str | None:
    """All frozen-app fixes, in the order they matter; returns the keyring backend chosen."""
    global _prepared
    if not is_frozen():
        return None
    _ensure_streams()
    if not _prepared:
        import multiprocessing

        # In a spawned child this runs the child's work and exits: it must come first.
        multiprocessing.freeze_support()
    _prepared = True
    chosen = configure_keyring(frozen=True)
    if os.environ.get(SELFTEST_ENV):
        sys.exit(self_test(sys.stdout))
    return chosen


def _walk(package: str) -> list[str]:
    """Every module name under ``package`` (works on PyInstaller's frozen importer too)."""
    import pkgutil

    pkg = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(pkg.__path__, prefix=package + "."):
        names.append(info.name)
    return names


def self_test(out: TextIO, packages: tuple[str, ...] = ("camau_desk", "ui")) -> int:
    """Import every module of the app and check bundled resources; print a JSON report.

    Run by the build smoke test (``CAMAU_DESK_FROZEN_SELFTEST=1 CamauDesk``):
    catches a lazy import PyInstaller could not see, a missing resource or a
    missing keyring backend before a clerk does.  Exit status 0 when all is well.
    """
    import json

    from camau_desk.paths import resources_dir

    problems: list[str] = []
    imported = 0
    for package in packages:
        try:
            names = _walk(package)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"walk {package}: {type(exc).__name__}: {exc}")
            continue
        for name in names:
            try:
                importlib.import_module(name)
                imported += 1
            except Exception as exc:  # noqa: BLE001 - report them all, not just the first
                problems.append(f"import {name}: {type(exc).__name__}: {exc}")
    res = resources_dir()
    counts = {
        "demo_eml": len(list((res / "demo").glob("*.eml"))),
        "qm": len(list((res / "i18n").glob("*.qm"))),
        "encodings_tsv": len(list((res / "encodings").glob("*.tsv"))),
        "fonts_ttf": len(list((res / "fonts").glob("*.ttf"))),
        "icons_svg": len(list((res / "icons").glob("*.svg"))),
    }
    problems += [f"no {what} in {res}" for what, n in counts.items() if n == 0]
    backend = None
    try:
        import keyring

        kind = type(keyring.get_keyring())
        backend = f"{kind.__module__}.{kind.__name__}"
    except Exception as exc:  # noqa: BLE001
        problems.append(f"keyring: {type(exc).__name__}: {exc}")
    expected = backend_name()
    if is_frozen() and expected and backend != expected and not os.environ.get("PYTHON_KEYRING_BACKEND"):
        problems.append(f"keyring backend {backend}, expected {expected}")
    for prefix, modules in BACKEND_DEPENDENCIES.items():
        if sys.platform.startswith(prefix):
            for name in modules:
                try:
                    importlib.import_module(name)
                except Exception as exc:  # noqa: BLE001
                    problems.append(f"keyring dependency {name}: {type(exc).__name__}: {exc}")
    # the spec runs the bundle in UTF-8 mode so redirected Vietnamese output never hits cp1252
    if is_frozen() and not sys.flags.utf8_mode:
        problems.append("not in Python's UTF-8 mode (spec option 'X utf8=1' missing)")
    report = {
        "frozen": is_frozen(),
        "utf8_mode": bool(sys.flags.utf8_mode),
        "platform": sys.platform,
        "modules_imported": imported,
        "resources": counts,
        "keyring_backend": backend,
        "problems": problems,
    }
    out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    out.flush()
    return 1 if problems else 0
