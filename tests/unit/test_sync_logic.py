"""Pure logic of the IMAP sync ledger: UID set diffs, chunk planning, retry policy (issue 3)."""

from __future__ import annotations

import imaplib
import random
import ssl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from camau_desk.errors import MailError
from camau_desk.mail.sync import (
    RetryPolicy,
    diff_uids,
    folder_role,
    has_junk_flag,
    is_app_folder,
    is_retryable,
    normalise_flags,
    plan_chunks,
    uid_set_string,
)

pytestmark = pytest.mark.unit


def _expand(s: str) -> list[int]:
    out: list[int] = []
    for part in filter(None, s.split(",")):
        a, _, b = part.partition(":")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def test_uid_set_string_compacts_runs():
    assert uid_set_string([5, 1, 2, 3, 9, 10, 12]) == "1:3,5,9:10,12"
    assert uid_set_string([]) == ""
    assert uid_set_string([7]) == "7"


@given(st.sets(st.integers(min_value=1, max_value=5000), max_size=300))
def test_uid_set_string_round_trips(uids):
    assert _expand(uid_set_string(uids)) == sorted(uids)


def test_uid_set_string_stays_short_for_10000_messages():
    """Dovecot caps a command line at 64 KB; a contiguous mailbox is one range."""
    assert uid_set_string(range(1, 10_001)) == "1:10000"


def test_R3_3_diff_uids_new_gone_returned():
    d = diff_uids(server=[1, 2, 3, 5, 6], local_present=[1, 2, 4], local_removed=[6])
    assert d.missing == [5, 3]  # newest first: the clerk sees today's mail first
    assert d.gone == [4]  # marked removed_on_server, never deleted (R3.3)
    assert d.returned == [6]


@given(st.sets(st.integers(1, 300)), st.sets(st.integers(1, 300)), st.sets(st.integers(1, 300)))
def test_diff_uids_is_a_partition(server, present, removed):
    """Invariant 1: after applying a diff, the ledger equals the server set (nothing twice, nothing lost)."""
    removed = removed - present
    d = diff_uids(server, present, removed)
    assert not set(d.missing) & (present | removed)
    after_present = (present - set(d.gone)) | set(d.missing) | set(d.returned)
    assert after_present == server
    assert len(d.missing) == len(set(d.missing))


def test_plan_chunks_bounds_count_and_bytes():
    sizes = [(u, 1000) for u in range(1, 11)]
    assert plan_chunks(sizes, max_count=4, max_bytes=10**9) == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    assert plan_chunks(sizes, max_count=100, max_bytes=2500) == [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]


def test_plan_chunks_big_message_travels_alone():
    sizes = [(1, 100), (2, 5_000_000), (3, 100)]
    assert plan_chunks(sizes, max_count=10, max_bytes=1_000_000) == [[1], [2], [3]]


@given(st.lists(st.tuples(st.integers(1, 10**6), st.integers(0, 3_000_000)), max_size=200, unique_by=lambda t: t[0]),
       st.integers(1, 50), st.integers(1, 5_000_000))
def test_plan_chunks_keeps_order_and_limits(sizes, max_count, max_bytes):
    chunks = plan_chunks(sizes, max_count=max_count, max_bytes=max_bytes)
    assert [u for c in chunks for u in c] == [u for u, _ in sizes]
    size_of = dict(sizes)
    for c in chunks:
        assert 1 <= len(c) <= max_count
        assert len(c) == 1 or sum(size_of[u] for u in c) <= max_bytes


def test_plan_chunks_rejects_nonsense():
    with pytest.raises(ValueError):
        plan_chunks([(1, 1)], max_count=0)


def test_retry_policy_backs_off_exponentially_with_cap():
    p = RetryPolicy(attempts=6, base=1.0, factor=2.0, cap=10.0, jitter=0.0)
    assert p.delays() == [1.0, 2.0, 4.0, 8.0, 10.0]


def test_retry_policy_jitter_stays_in_band():
    p = RetryPolicy(base=4.0, jitter=0.25)
    rng = random.Random(1)
    for _ in range(100):
        assert 3.0 <= p.delay(1, rng) <= 5.0


def test_is_retryable_sorts_connection_trouble_from_refusals():
    assert is_retryable(ConnectionResetError())
    assert is_retryable(TimeoutError())
    assert is_retryable(imaplib.IMAP4.abort("socket error: EOF"))
    assert is_retryable(ssl.SSLEOFError())
    assert is_retryable(MailError("x", detail="ConnectionRefusedError: [Errno 111]"))
    assert not is_retryable(MailError("x", detail="LoginError: [AUTHENTICATIONFAILED]"))
    assert not is_retryable(MailError("x", detail="SSLCertVerificationError: certificate verify failed"))
    assert not is_retryable(imaplib.IMAP4.error("NO [NONEXISTENT] Mailbox doesn't exist"))
    assert not is_retryable(ValueError())


@pytest.mark.parametrize(
    ("name", "flags", "role"),
    [
        ("INBOX", (), "inbox"),
        ("Sent", (b"\\HasNoChildren", b"\\Sent"), "sent"),
        ("Thư rác", (b"\\Junk",), "junk"),
        ("Spam", (), "junk"),
        ("INBOX/Thư rác", (), "junk"),
        ("Deleted Items", (), "trash"),
        ("CV 2024.10", (b"\\HasNoChildren",), None),
    ],
)
def test_folder_role_from_special_use_then_name(name, flags, role):
    assert folder_role(name, flags) == role


def test_normalise_flags_sorted_and_without_recent():
    assert normalise_flags([b"\\Seen", b"\\Recent", b"$Junk", b"\\Seen"]) == "$Junk \\Seen"
    assert has_junk_flag("$Junk \\Seen") and has_junk_flag("\\Junk") and not has_junk_flag("\\Seen $NotJunk")


@pytest.mark.parametrize(("name", "register_folder", "delim", "skipped"), [
    ("CamauDesk/SoVanBanDen", "CamauDesk/SoVanBanDen", "/", True),
    ("CamauDesk.SoVanBanDen", "CamauDesk/SoVanBanDen", ".", True),  # Courier/Cyrus-style delimiter
    ("CamauDesk", "CamauDesk/SoVanBanDen", "/", True),
    ("CamauDesk/Khac", "CamauDesk/SoVanBanDen", "/", True),
    ("camaudesk/Nhat ky", None, "/", True),
    ("So den 2026", "So den 2026", "/", True),  # an agency-chosen register folder elsewhere
    ("INBOX", "CamauDesk/SoVanBanDen", "/", False),
    ("Hồ sơ/CamauDesk", "CamauDesk/SoVanBanDen", "/", False),
    ("CamauDesktop", "CamauDesk/SoVanBanDen", "/", False),
    ("INBOX.CamauDesk", "CamauDesk/SoVanBanDen", ".", False),
])
def test_R3_3_register_log_folder_is_not_mail(name, register_folder, delim, skipped):
    """The register event log (setting register_folder) and everything under CamauDesk/ are skipped."""
    assert is_app_folder(name, register_folder, delim) is skipped
