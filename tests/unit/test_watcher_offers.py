"""Files dropped into "Hộp gửi đi" stay offered until sent or dismissed; a vanished file's offer ends (R6.2)."""

from __future__ import annotations

import pytest

from camau_desk import audit
from camau_desk.archive.mirror import OUTBOX_DIR
from camau_desk.archive.watcher import mark_offer, offers, pending_offers, rescan
from camau_desk.errors import InvalidInput

pytestmark = pytest.mark.unit

REL = f"{OUTBOX_DIR}/Báo cáo tháng 3.pdf"


@pytest.fixture
def root(tmp_path):
    out = tmp_path / "mirror" / OUTBOX_DIR
    out.mkdir(parents=True)
    (out / "Báo cáo tháng 3.pdf").write_bytes(b"%PDF-1.4 bao cao\n")
    return tmp_path / "mirror"


def _status(db, rel: str = REL) -> list[str]:
    return [r[0] for r in db.execute("SELECT status FROM outbox_offers WHERE path = ? ORDER BY id", [rel])]


def test_R6_2_an_offer_stays_offered_until_sent_then_is_not_offered_again(db, root):
    assert rescan(db, root, stable_seconds=0).offered == [REL]
    assert rescan(db, root, stable_seconds=0).offered == []  # still waiting, not offered twice
    assert pending_offers(db, root) == [root / OUTBOX_DIR / "Báo cáo tháng 3.pdf"]
    assert mark_offer(db, REL, "sent") == 1
    assert _status(db) == ["sent"]
    assert pending_offers(db, root) == []
    assert rescan(db, root, stable_seconds=0).as_dict()["offered"] == []  # the file is still there: sent is sent
    (row,) = audit.history(db, "outbox_offer")
    assert (row["action"], row["entity_id"]) == ("outbox_offer.sent", str(offers(db, None)[0]["id"]))
    assert '"sent"' in row["new_value"] and REL in row["new_value"]


def test_R6_2_the_clerk_dismisses_an_offer_by_id_and_twice_is_harmless(db, root):
    rescan(db, root, stable_seconds=0)
    oid = offers(db)[0]["id"]
    assert mark_offer(db, oid, "cancelled") == 1
    assert mark_offer(db, oid, "cancelled") == 0
    assert mark_offer(db, REL, "sent") == 0  # an ended offer is not reopened by a late "sent"
    assert _status(db) == ["cancelled"]
    assert [r["action"] for r in audit.history(db, "outbox_offer")] == ["outbox_offer.cancelled"]


def test_R6_2_an_offer_whose_file_vanished_becomes_gone_at_rescan_and_comes_back_with_the_file(db, root):
    f = root / OUTBOX_DIR / "Báo cáo tháng 3.pdf"
    rescan(db, root, stable_seconds=0)
    data = f.read_bytes()
    f.unlink()
    assert pending_offers(db, root) == []  # the window never offers a file that is not there
    rep = rescan(db, root, stable_seconds=0)
    assert rep.gone == [REL] and rep.as_dict()["gone"] == [REL]
    assert _status(db) == ["gone"]
    assert [r["action"] for r in audit.history(db, "outbox_offer")] == ["outbox_offer.gone"]
    assert rescan(db, root, stable_seconds=0).gone == []
    f.write_bytes(data)
    assert rescan(db, root, stable_seconds=0).offered == [REL]
    assert _status(db) == ["offered"]


def test_R6_2_pending_offers_newest_first_one_per_file(db, root):
    out = root / OUTBOX_DIR
    rescan(db, root, stable_seconds=0)
    (out / "Tờ trình.docx").write_bytes(b"PK docx")
    rescan(db, root, stable_seconds=0)
    (out / "Báo cáo tháng 3.pdf").write_bytes(b"%PDF-1.4 ban sua\n")  # replaced before it was sent
    rescan(db, root, stable_seconds=0)
    assert _status(db) == ["offered", "offered"]
    assert pending_offers(db, root) == [out / "Báo cáo tháng 3.pdf", out / "Tờ trình.docx"]
    assert mark_offer(db, REL, "sent") == 2  # what went out is the file there now: both versions end
    assert pending_offers(db, root) == [out / "Tờ trình.docx"]


def test_mark_offer_accepts_only_an_ending_status(db, root):
    rescan(db, root, stable_seconds=0)
    with pytest.raises(InvalidInput) as exc:
        mark_offer(db, REL, "offered")
    assert "tệp chờ gửi" in str(exc.value)
    assert _status(db) == ["offered"]
