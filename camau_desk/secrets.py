"""Passwords live only in the OS credential store (R4.3).

Windows Credential Manager, macOS Keychain or the Secret Service on Linux,
through ``keyring``.  There is deliberately no plaintext fallback: with no
usable backend, or a locked one, the user gets a Vietnamese explanation of
what to do.  Every call has a timeout because a locked gnome-keyring under a
headless session opens an invisible prompt and would hang forever.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.backend
import keyring.errors

from camau_desk.errors import KeyringLocked, KeyringUnavailable

SERVICE = "camau-desk"
TIMEOUT_S = 15.0
T = TypeVar("T")

NO_BACKEND = (
    "Không tìm thấy kho mật khẩu của hệ điều hành (Windows Credential Manager, "
    "Keychain hoặc Secret Service). Cà Mau Desk không lưu mật khẩu ra tệp: hãy cài "
    "hoặc bật kho mật khẩu rồi thử lại."
)
LOCKED = (
    "Kho mật khẩu của hệ điều hành đang bị khóa. Hãy mở khóa (đăng nhập lại "
    "phiên làm việc hoặc mở khóa 'Login keyring') rồi thử lại."
)
TIMED_OUT = (
    "Kho mật khẩu không trả lời sau {s:.0f} giây (có thể đang chờ mở khóa). "
    "Hãy mở khóa kho mật khẩu rồi thử lại."
)


def _usable_backend() -> keyring.backend.KeyringBackend:
    backend = keyring.get_keyring()
    # The fail and null backends exist only to say "nothing usable here".
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        raise KeyringUnavailable(NO_BACKEND)
    return backend


def _call(fn: Callable[[], T]) -> T:
    """Run a keyring call with a timeout, mapping its errors to ours.

    The worker thread is a daemon so a hung Secret Service cannot keep the
    process alive; messages never include the secret or the backend's text
    (which could echo it).
    """
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyring")
    future = pool.submit(fn)
    pool.shutdown(wait=False)
    try:
        return future.result(timeout=TIMEOUT_S)
    except concurrent.futures.TimeoutError:
        raise KeyringLocked(TIMED_OUT.format(s=TIMEOUT_S)) from None
    except keyring.errors.KeyringLocked:
        raise KeyringLocked(LOCKED) from None
    except (keyring.errors.NoKeyringError, keyring.errors.InitError):
        raise KeyringUnavailable(NO_BACKEND) from None
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(f"{NO_BACKEND} ({type(exc).__name__})") from None


def check_available() -> None:
    """Raise KeyringUnavailable/KeyringLocked unless a store is ready to use."""
    _call(lambda: _usable_backend() and None)


def _username(account: str) -> str:
    return f"account:{account}"


def set_password(account: str, password: str) -> None:
    _call(lambda: _usable_backend().set_password(SERVICE, _username(account), password))


def get_password(account: str) -> str | None:
    return _call(lambda: _usable_backend().get_password(SERVICE, _username(account)))


def delete_password(account: str) -> None:
    def delete() -> None:
        try:
            _usable_backend().delete_password(SERVICE, _username(account))
        except keyring.errors.PasswordDeleteError:
            pass  # already gone: removing an account must still succeed

    _call(delete)
