"""Errors the user reads.

Every failure that reaches a person carries one plain Vietnamese sentence
(``message``) saying what happened and what to do.  The CLI prints it and exits
1; the window shows it in a banner.  Messages never contain a password.
"""

from __future__ import annotations


class CamauError(Exception):
    """Base of every expected failure; ``str(err)`` is the Vietnamese message."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class NotFound(CamauError):
    """A named thing (account, message, register entry) does not exist."""


class InvalidInput(CamauError):
    """The user gave a value the program cannot accept."""


class KeyringUnavailable(CamauError):
    """No usable OS credential store: there is no plaintext fallback (R4.3)."""


class KeyringLocked(KeyringUnavailable):
    """The credential store exists but is locked."""


class MailError(CamauError):
    """The mail server refused, timed out or the connection broke."""


class StorageError(CamauError):
    """The local disk refused a write (full disk, permissions)."""
