"""Việt Nam time (UTC+07, no daylight saving) for every date a clerk reads or the register records.

Why one zone and not the machine's: the agency and its register are in Cà Mau.
A document received at 06:52 on 09/11 must be dated 09/11 on every desk, in the
register and in the archive's folder names, also on a laptop whose clock is set
to another zone, and a mail a sender dated in California must not land in last
month's folder.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

__all__ = ["VN_TZ", "to_vn"]

VN_TZ = timezone(timedelta(hours=7), "ICT")


def to_vn(value: datetime) -> datetime:
    """The moment in Việt Nam time; a naive datetime is taken as Việt Nam time already."""
    return value.astimezone(VN_TZ) if value.tzinfo else value.replace(tzinfo=VN_TZ)
