"""`outbox list` shows refused messages with the server's reason; `outbox requeue` puts one back (R2.1)."""

from __future__ import annotations

import smtplib

import pytest
from test_delegation import ACCOUNT
from test_outbox_refusal import ScriptedSmtp

from camau_desk.cli import main
from camau_desk.mail import compose, outbox
from camau_desk.mail.blobs import BlobStore
from camau_desk.store import open_db

pytestmark = pytest.mark.unit


def test_R2_1_outbox_list_shows_the_refusal_and_requeue_puts_it_back(tmp_path, capsys):
    d = tmp_path / "data"
    db = open_db(d / "camau_desk.sqlite3")
    refusal = smtplib.SMTPRecipientsRefused({"khongco@x.vn": (550, b"5.1.1 User unknown")})
    msg = compose.new_message(from_addr=ACCOUNT.email, to=["khongco@x.vn"], subject="Giấy mời", body="b")
    row = outbox.send_or_queue(db, BlobStore(d / "blobs"), ACCOUNT, msg, smtp_factory=ScriptedSmtp(refusal).connect)
    assert main(["outbox", "list", "--data-dir", str(d)]) == 0
    out = capsys.readouterr().out
    assert "Bị từ chối" in out and "Giấy mời" in out and "khongco@x.vn: 550 5.1.1 User unknown" in out
    assert main(["outbox", "requeue", str(row["id"]), "--data-dir", str(d)]) == 0
    assert f"Thư số {row['id']} đã vào lại hàng chờ gửi" in capsys.readouterr().out
    assert outbox.get_item(db, row["id"])["status"] == "queued"
    assert main(["outbox", "requeue", str(row["id"]), "--data-dir", str(d)]) == 1
    assert "chỉ thư bị máy chủ từ chối" in capsys.readouterr().err
