"""`messages`, `show`, `import`, `spam` through camau_desk.cli.main (R3.3, R6.2, R7.1a-1)."""

from __future__ import annotations

import json
import mailbox

import pytest

from camau_desk.cli import main

pytestmark = pytest.mark.unit

RAW = (
    "From: Sở Tài chính <stc@camau.gov.vn>\r\nTo: vanthu@sotttt.camau.gov.vn\r\n"
    "Subject: [KHẨN] Công văn 12/STC-NS\r\nDate: Tue, 4 Jun 2024 09:15:00 +0700\r\nMessage-ID: <12@stc>\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nKính gửi Sở TT&TT.\r\n--B\r\nContent-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename*=utf-8''C%C3%B4ng%20v%C4%83n.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--B--\r\n"
).encode()
SPAM = b"From: ads@spam.example\r\nSubject: Khuyen mai\r\nX-Spam-Flag: YES\r\n\r\nmua ngay\r\n"


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.eml").write_bytes(RAW)
    (src / "b.eml").write_bytes(SPAM)
    return d, src


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_R6_2_import_then_list_json(capsys, data):
    d, src = data
    code, out, err = run(capsys, "import", str(src), "--json", "--data-dir", str(d))
    assert code == 0 and json.loads(out) == {"new": 2, "duplicates": 0, "errors": []}
    code, out, _ = run(capsys, "import", str(src / "a.eml"), "--data-dir", str(d))
    assert code == 0 and "0 thư mới" in out and "1 thư đã có" in out

    code, out, _ = run(capsys, "messages", "--json", "--data-dir", str(d))
    items = json.loads(out)
    assert code == 0 and len(items) == 1  # spam hidden by default
    it = items[0]
    assert set(it) == {"id", "account", "folder", "uid", "date", "from", "subject", "flags", "spam", "attachments"}
    assert it["account"] == "Lưu trữ" and it["folder"] == "Đã nhập" and it["uid"] is None
    assert it["from"] == "Sở Tài chính <stc@camau.gov.vn>" and it["subject"] == "[KHẨN] Công văn 12/STC-NS"
    assert it["attachments"] == 1 and it["spam"] is False and it["date"] == "2024-06-04T09:15:00+07:00"

    _, out, _ = run(capsys, "messages", "--json", "--spam", "show", "--data-dir", str(d))
    assert len(json.loads(out)) == 2
    _, out, _ = run(capsys, "messages", "--json", "--spam", "only", "--data-dir", str(d))
    assert [m["spam"] for m in json.loads(out)] == [True]
    _, out, _ = run(capsys, "messages", "--json", "--folder", "Đã nhập", "--account", "Lưu trữ",
                    "--limit", "1", "--spam", "show", "--data-dir", str(d))
    assert len(json.loads(out)) == 1
    _, out, _ = run(capsys, "messages", "--data-dir", str(d))
    assert "Công văn 12/STC-NS" in out


def _id_of(capsys, d, spam="hide"):
    _, out, _ = run(capsys, "messages", "--json", "--spam", spam, "--data-dir", str(d))
    return json.loads(out)[0]["id"]


def test_R3_3_show_and_show_raw_is_byte_identical(capsysbinary, data):
    d, src = data
    main(["import", str(src / "a.eml"), "--data-dir", str(d)])
    main(["messages", "--json", "--data-dir", str(d)])
    mid = json.loads(capsysbinary.readouterr()[0].decode().split("\n", 1)[1])[0]["id"]
    assert main(["show", str(mid), "--data-dir", str(d)]) == 0
    out = capsysbinary.readouterr()[0].decode()
    assert "Tiêu đề:   [KHẨN] Công văn 12/STC-NS" in out and "Kính gửi Sở TT&TT." in out
    assert "1. Công văn.pdf (application/pdf" in out and "Khẩn" in out
    assert main(["show", str(mid), "--raw", "--data-dir", str(d)]) == 0
    assert capsysbinary.readouterr()[0] == RAW
    assert main(["show", str(mid), "--json", "--data-dir", str(d)]) == 0
    assert json.loads(capsysbinary.readouterr()[0])["attachments"][0]["filename"] == "Công văn.pdf"


def test_unknown_id_is_one_vietnamese_sentence(capsys, data):
    d, _ = data
    for argv in (["show", "999"], ["show", "999", "--raw"], ["spam", "999", "--on"]):
        code, out, err = run(capsys, *argv, "--data-dir", str(d))
        assert code == 1 and out == ""
        assert err.strip() == "Không có thư số 999." and err.count("\n") == 1


def test_import_missing_path_and_usage_errors(capsys, data):
    d, _ = data
    code, _, err = run(capsys, "import", str(d / "nope.mbox"), "--data-dir", str(d))
    assert code == 1 and err.startswith("Không tìm thấy") and "Traceback" not in err
    with pytest.raises(SystemExit) as exc:
        main(["spam", "1", "--data-dir", str(d)])
    assert exc.value.code == 2
    capsys.readouterr()


def test_R7_1a_1_spam_on_off_auto(capsys, data):
    d, src = data
    main(["import", str(src), "--data-dir", str(d)])
    capsys.readouterr()
    good = _id_of(capsys, d)
    code, out, _ = run(capsys, "spam", str(good), "--on", "--data-dir", str(d))
    assert code == 0 and "là thư rác" in out
    _, out, _ = run(capsys, "messages", "--json", "--data-dir", str(d))
    assert json.loads(out) == []
    bad = [m["id"] for m in json.loads(run(capsys, "messages", "--json", "--spam", "only", "--data-dir", str(d))[1])
           if m["id"] != good][0]
    run(capsys, "spam", str(bad), "--off", "--data-dir", str(d))
    run(capsys, "spam", str(good), "--auto", "--data-dir", str(d))
    _, out, _ = run(capsys, "messages", "--json", "--data-dir", str(d))
    assert sorted(m["id"] for m in json.loads(out)) == sorted([good, bad])


def test_import_mbox_into_named_account(capsys, tmp_path):
    box = mailbox.mbox(tmp_path / "Cũ.mbox")
    box.add(RAW)
    box.flush()
    box.close()
    d = tmp_path / "data"
    code, out, _ = run(capsys, "import", str(tmp_path / "Cũ.mbox"), "--account", "Kho 2020", "--json",
                       "--data-dir", str(d))
    assert code == 0 and json.loads(out)["new"] == 1
    _, out, _ = run(capsys, "messages", "--json", "--account", "Kho 2020", "--folder", "Cũ", "--data-dir", str(d))
    assert len(json.loads(out)) == 1
    code, _, err = run(capsys, "messages", "--account", "Không có", "--data-dir", str(d))
    assert code == 1 and err.strip() == "Không có hộp thư tên 'Không có'."
