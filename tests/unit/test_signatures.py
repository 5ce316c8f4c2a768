"""Digital signatures on received PDFs (ND30 Điều 5, Đ21.2; R3.3; DOMAIN.md §2.5).

The PDFs are made (fpdf2) and signed (pyHanko) by the test with a CA made in
the test (tests/fixtures/pki.py).  No network: validation never fetches.
"""

from __future__ import annotations

import base64

import pytest

from camau_desk import audit, settings
from camau_desk.errors import InvalidInput
from camau_desk.mail.blobs import BlobStore
from camau_desk.mail.store import ensure_folder, store_message
from camau_desk.register import signatures as sg
from camau_desk.register.signatures import Verdict
from camau_desk.store import open_db
from camau_desk.store.db import transaction
from tests.fixtures import pki

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def material():
    p = pki.make_pki()
    plain = pki.make_pdf()
    signed = pki.sign_pdf(plain, p)
    return {"pki": p, "plain": plain, "signed": signed, "modified": pki.modify_after_signing(signed)}


def _one(verdicts):
    assert len(verdicts) == 1
    return verdicts[0]


def test_R3_3_signed_pdf_with_trusted_ca_is_valid(material):
    v = _one(sg.verify_pdf(material["signed"], [material["pki"].ca_der]))
    assert v.verdict is Verdict.VALID and v.trusted
    assert v.signer == "Nguyễn Văn An" and "Sở Thông tin và Truyền thông" in v.signer_subject
    assert v.signing_time and v.coverage == "ENTIRE_FILE" and v.modification_level == "NONE"
    assert v.summary.startswith("Chữ ký số hợp lệ: Nguyễn Văn An")


def test_R3_3_no_trust_root_means_untrusted_chain(material):
    v = _one(sg.verify_pdf(material["signed"], None))
    assert v.verdict is Verdict.VALID_UNTRUSTED_CHAIN and v.trusted is False
    assert "không xác minh được chuỗi chứng thư" in v.summary and "chưa cấu hình" in v.summary
    other = pki.make_pki(ca_cn="CA khác")  # a configured bundle that is not the signer's CA
    v2 = _one(sg.verify_pdf(material["signed"], [other.ca_der]))
    assert v2.verdict is Verdict.VALID_UNTRUSTED_CHAIN and "không do CA tin cậy cấp" in v2.summary


def test_R3_3_content_added_after_signing_is_detected(material):
    for roots in ([material["pki"].ca_der], None):
        v = _one(sg.verify_pdf(material["modified"], roots))
        assert v.verdict is Verdict.MODIFIED_AFTER_SIGNING
        assert v.coverage == "ENTIRE_REVISION" and v.modification_level == "OTHER"
        assert "bị thay đổi sau khi Nguyễn Văn An ký số" in v.summary


def test_R3_3_bytes_changed_inside_the_signed_range_are_invalid(material):
    data = bytearray(material["signed"])
    pos = data.index(b"stream\n") + 20
    data[pos] ^= 0x01
    v = _one(sg.verify_pdf(bytes(data), [material["pki"].ca_der]))
    assert v.verdict in (Verdict.INVALID, Verdict.ERROR)
    assert v.verdict is Verdict.INVALID and "không hợp lệ" in v.summary


def test_unsigned_pdf_is_for_reference_only(material):
    v = _one(sg.verify_pdf(material["plain"], [material["pki"].ca_der]))
    assert v.verdict is Verdict.UNSIGNED and v.summary == "Chưa ký số: chỉ có giá trị tham khảo."


@pytest.mark.parametrize("junk", [b"", b"garbage bytes", b"%PDF-1.7\n%%EOF", b"%PDF-1.4\n" + bytes(range(256)) * 4])
def test_garbage_gives_error_never_a_crash(junk):
    v = _one(sg.verify_pdf(junk, None))
    assert v.verdict in (Verdict.ERROR, Verdict.UNSIGNED)
    if not junk.startswith(b"%PDF"):
        assert v.verdict is Verdict.ERROR and v.summary.startswith("Không kiểm tra được chữ ký số")


def test_overall_takes_the_worst():
    ok = sg.SignatureVerdict(Verdict.VALID, "x")
    bad = sg.SignatureVerdict(Verdict.MODIFIED_AFTER_SIGNING, "y")
    assert sg.overall([ok, bad]) is Verdict.MODIFIED_AFTER_SIGNING and sg.overall([]) is Verdict.UNSIGNED


def _mail(*files: tuple[str, bytes]) -> bytes:
    parts = "".join(
        f"--B\r\nContent-Type: application/pdf; name=\"{n}\"\r\nContent-Disposition: attachment; filename=\"{n}\"\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{base64.b64encode(d).decode()}\r\n" for n, d in files)
    return ("From: Văn phòng UBND <vp@camau.gov.vn>\r\nTo: vanthu@sotttt.camau.gov.vn\r\n"
            "Subject: =?utf-8?b?" + base64.b64encode("Công văn 470/UBND-VP".encode()).decode() + "?=\r\n"
            "Date: Mon, 4 Mar 2024 08:00:00 +0700\r\nMessage-ID: <s1@camau.gov.vn>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
            "Kính gửi.\r\n" + parts + "--B--\r\n").encode()


def _stored(db, blobs, material) -> int:
    raw = _mail(("ky-so.pdf", material["signed"]), ("scan.pdf", material["plain"]), ("sua.pdf", material["modified"]))
    with transaction(db):
        fid = ensure_folder(db, "vanthu", "INBOX", "inbox")
        mid, _ = store_message(db, blobs, "vanthu", fid, raw, uidvalidity=1, uid=1)
    return mid


def test_R3_3_message_attachments_verified_and_stored(tmp_path, material):
    db = open_db(tmp_path / "db.sqlite3")
    blobs = BlobStore(tmp_path / "blobs")
    mid = _stored(db, blobs, material)
    res = sg.verify_message_attachments(db, blobs, mid)
    assert {i: [v.verdict for v in vs] for i, vs in res.items()} == {
        1: [Verdict.VALID_UNTRUSTED_CHAIN], 2: [Verdict.UNSIGNED], 3: [Verdict.MODIFIED_AFTER_SIGNING]}

    # the agency configures its CA bundle (through settings.set, audited); re-checking replaces the rows
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(material["pki"].ca_pem)
    sg.set_trusted_ca_file(db, bundle)
    assert settings.get(db, "trusted_ca_file") == str(bundle)
    assert any(a["entity_id"] == "trusted_ca_file" for a in audit.history(db, "settings"))
    res = sg.verify_message_attachments(db, blobs, mid, attachment=1)
    assert [v.verdict for v in res[1]] == [Verdict.VALID]
    stored = sg.stored_verdicts(db, mid)
    assert [r["verdict"] for r in stored[1]] == ["valid"] and stored[1][0]["trust_roots_sha256"]
    assert stored[1][0]["signer"] == "Nguyễn Văn An" and stored[1][0]["attachment_sha256"]
    assert [r["verdict"] for r in stored[2]] == ["unsigned"]
    assert db.execute("SELECT COUNT(*) FROM signature_checks").fetchone()[0] == 3
    with pytest.raises(InvalidInput):
        sg.verify_message_attachments(db, blobs, mid, attachment=9)


def test_bad_ca_bundle_is_refused_in_vietnamese(tmp_path):
    db = open_db(tmp_path / "db.sqlite3")
    junk = tmp_path / "ca.pem"
    junk.write_text("không phải chứng thư")
    with pytest.raises(InvalidInput, match="chứng thư"):
        sg.set_trusted_ca_file(db, junk)
    with pytest.raises(InvalidInput, match="Không đọc được"):
        sg.set_trusted_ca_file(db, tmp_path / "missing.pem")
    assert settings.get(db, "trusted_ca_file") is None


def test_validation_never_touches_the_network(material, monkeypatch):
    """allow_fetching=False: no OCSP/CRL/AIA request, even with a root configured."""
    import socket

    def refuse(*a, **k):
        raise AssertionError("network access during signature validation")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert _one(sg.verify_pdf(material["signed"], [material["pki"].ca_pem])).verdict is Verdict.VALID


def test_cli_verify_signature(tmp_path, material, capsys):
    import json

    from camau_desk.cli import main
    from camau_desk.paths import Profile

    prof = Profile.at(tmp_path / "profile").ensure()
    mid = _stored(open_db(prof.db_path), BlobStore(prof.blobs_dir), material)
    d = ["--data-dir", str(prof.data_dir)]
    assert main(["verify-signature", str(mid), *d]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Tệp 1 (ky-so.pdf): Chữ ký số của Nguyễn Văn An")
    assert out[1] == "Tệp 2 (scan.pdf): Chưa ký số: chỉ có giá trị tham khảo."
    assert "bị thay đổi sau khi" in out[2]
    assert main(["verify-signature", str(mid), "--attachment", "3", "--json", *d]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["overall"] == "modified_after_signing" and doc[0]["filename"] == "sua.pdf"
    assert main(["verify-signature", "999", *d]) == 1
    assert capsys.readouterr().err.strip()
