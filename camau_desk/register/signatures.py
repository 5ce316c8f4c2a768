"""Digital signatures on received PDF documents (ND30 Điều 5, Đ21.2; R3.3; DOMAIN.md §2.5).

Why: an e-mailed document signed by the competent person and the body has the
legal value of the paper original; an unsigned scan is only for reference.  The
clerk must see which case applies before registering, in one Vietnamese line.

How: pyHanko validates each embedded PAdES/CMS signature: cryptographic
integrity, what the signature covers and whether the file was changed after it
(difference analysis of incremental updates), and the certificate chain against
the agency's CA bundle (setting ``trusted_ca_file``; none by default, then the
chain is reported as "không xác minh được chuỗi chứng thư").

Offline by design: ``allow_fetching=False`` means no OCSP/CRL/AIA request ever
leaves the workstation, and the revocation policy is pyHanko's 'soft-fail'
(revocation information that is absent does not fail the chain; information
that is present and says "revoked" does).  So a 'valid' verdict means "intact,
unmodified, chains to a configured CA, not known to be revoked", not a full
long-term validation; a revoked certificate is only caught when the PDF embeds
the revocation data (PAdES-LT).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import sqlite_utils

from camau_desk import audit, settings
from camau_desk.errors import InvalidInput
from camau_desk.vn.clock import to_vn

log = logging.getLogger(__name__)

SETTING = "trusted_ca_file"


class Verdict(StrEnum):
    VALID = "valid"
    VALID_UNTRUSTED_CHAIN = "valid_untrusted_chain"
    MODIFIED_AFTER_SIGNING = "modified_after_signing"
    INVALID = "invalid"
    UNSIGNED = "unsigned"
    ERROR = "error"


UNSIGNED_SUMMARY = "Chưa ký số: chỉ có giá trị tham khảo."
ERROR_SUMMARY = "Không kiểm tra được chữ ký số: tệp PDF bị hỏng hoặc không đọc được."


@dataclass(frozen=True)
class SignatureVerdict:
    """The outcome for one signature (or for the whole file when unsigned/unreadable)."""

    verdict: Verdict
    summary: str
    sig_index: int = 0
    field_name: str | None = None
    signer: str | None = None
    signer_subject: str | None = None
    signing_time: str | None = None
    coverage: str | None = None
    modification_level: str | None = None
    trusted: bool | None = None
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["verdict"] = self.verdict.value
        return d


# ------------------------------------------------------------------ trust roots


def load_trust_roots(path: str | Path) -> list[bytes]:
    """DER bytes of every certificate in a PEM or DER bundle file."""
    from pyhanko.keys import load_certs_from_pemder_data

    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Không đọc được tệp chứng thư CA tin cậy {p}: {exc.strerror or exc}.") from exc
    try:
        certs = [c.dump() for c in load_certs_from_pemder_data(data)]
    except Exception as exc:  # asn1crypto raises ValueError/TypeError on junk
        raise InvalidInput(f"Tệp {p} không phải danh sách chứng thư số (PEM hoặc DER).") from exc
    if not certs:
        raise InvalidInput(f"Tệp {p} không chứa chứng thư số nào.")
    return certs


def set_trusted_ca_file(db: sqlite_utils.Database, path: str | Path | None) -> None:
    """Configure the agency's CA bundle (checked first), or None to remove it."""
    if path is None:
        settings.set(db, SETTING, None)
        return
    load_trust_roots(path)
    settings.set(db, SETTING, str(Path(path).absolute()))


def configured_trust_roots(db: sqlite_utils.Database) -> list[bytes] | None:
    path = settings.get(db, SETTING)
    return load_trust_roots(path) if path else None


def _roots_digest(trust_roots: Sequence[bytes] | None) -> str | None:
    if not trust_roots:
        return None
    h = hashlib.sha256()
    for der in sorted(trust_roots):
        h.update(hashlib.sha256(der).digest())
    return h.hexdigest()


# ------------------------------------------------------------------ verification


def _fmt_time(t: dt.datetime | None) -> str:
    if t is None:
        return "không rõ thời điểm"
    t = to_vn(t)
    return t.strftime("%H:%M ngày %d/%m/%Y")


def _is_clean(status: Any) -> bool:
    """True when nothing but signature-preserving updates (timestamps, allowed form/annotation) followed."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        return False
    level = status.modification_level
    if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        return True
    if level in (ModificationLevel.FORM_FILLING, ModificationLevel.ANNOTATIONS):
        return status.docmdp_ok is not False
    return False


def classify(status: Any, *, have_roots: bool) -> tuple[Verdict, str]:
    """A pyHanko PdfSignatureStatus -> our verdict and the clerk's sentence."""
    cert = status.signing_cert
    signer = _common_name(cert) or "người ký không rõ tên"
    when = _fmt_time(status.signer_reported_dt)
    if not (status.intact and status.valid):
        return Verdict.INVALID, (f"Chữ ký số của {signer} không hợp lệ: nội dung không khớp với chữ ký. "
                                 "Không dùng bản này làm bản gốc.")
    if not _is_clean(status):
        return Verdict.MODIFIED_AFTER_SIGNING, (f"Văn bản đã bị thay đổi sau khi {signer} ký số ({when}): "
                                                "không dùng bản này làm bản gốc.")
    if status.revoked:
        return Verdict.INVALID, f"Chứng thư số của {signer} đã bị thu hồi: chữ ký không còn giá trị."
    if status.trusted:
        return Verdict.VALID, (f"Chữ ký số hợp lệ: {signer}, ký lúc {when}; văn bản không bị sửa sau khi ký; "
                               "chứng thư số do CA tin cậy cấp.")
    why = ("chưa cấu hình danh sách CA tin cậy" if not have_roots
           else "chứng thư không do CA tin cậy cấp, đã hết hạn hoặc không dùng để ký")
    return Verdict.VALID_UNTRUSTED_CHAIN, (f"Chữ ký số của {signer} ({when}) đúng và văn bản không bị sửa sau khi ký, "
                                           f"nhưng không xác minh được chuỗi chứng thư ({why}).")


def _common_name(cert: Any) -> str | None:
    try:
        return cert.subject.native.get("common_name")
    except Exception:  # pragma: no cover - malformed subject
        return None


def _subject(cert: Any) -> str | None:
    try:
        return cert.subject.human_friendly
    except Exception:  # pragma: no cover
        return None


def _asn1_roots(trust_roots: Sequence[bytes] | None) -> list[Any]:
    """DER or PEM bytes -> asn1crypto certificates (what pyhanko-certvalidator takes)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.keys import load_certs_from_pemder_data

    out: list[Any] = []
    for blob in trust_roots or []:
        if blob.lstrip().startswith(b"-----BEGIN"):
            out.extend(load_certs_from_pemder_data(blob))
        else:
            out.append(asn1_x509.Certificate.load(blob))
    return out


def verify_pdf(data: bytes, trust_roots: list[bytes] | None = None) -> list[SignatureVerdict]:
    """Every signature of a PDF with its verdict; [unsigned] or [error] as a single item. Never raises."""
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

        roots = _asn1_roots(trust_roots)
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise ValueError("not a PDF (no %PDF header)")
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as exc:
        return [SignatureVerdict(Verdict.ERROR, ERROR_SUMMARY, detail=f"{type(exc).__name__}: {exc}"[:500])]
    if not sigs:
        return [SignatureVerdict(Verdict.UNSIGNED, UNSIGNED_SUMMARY)]
    out: list[SignatureVerdict] = []
    for i, sig in enumerate(sigs):
        name = _safe(lambda s=sig: s.field_name)
        try:
            vc = ValidationContext(trust_roots=roots, allow_fetching=False,
                                   revocation_mode="soft-fail")
            status = validate_pdf_signature(sig, vc)
            verdict, summary = classify(status, have_roots=bool(trust_roots))
            t = status.signer_reported_dt
            out.append(SignatureVerdict(
                verdict, summary, sig_index=i, field_name=name,
                signer=_common_name(status.signing_cert), signer_subject=_subject(status.signing_cert),
                signing_time=t.isoformat() if t else None,
                coverage=status.coverage.name if status.coverage is not None else None,
                modification_level=(status.modification_level.name
                                    if status.modification_level is not None else None),
                trusted=bool(status.trusted),
                detail=(str(status.trust_problem_indic) if status.trust_problem_indic else None),
            ))
        except Exception as exc:
            log.info("signature %s could not be validated: %s", i, exc)
            out.append(SignatureVerdict(Verdict.ERROR, "Không kiểm tra được chữ ký số này: dữ liệu chữ ký bị hỏng.",
                                        sig_index=i, field_name=name,
                                        detail=f"{type(exc).__name__}: {exc}"[:500]))
    return out


def _safe(fn: Any) -> Any:
    try:
        return fn()
    except Exception:
        return None


def overall(verdicts: Sequence[SignatureVerdict]) -> Verdict:
    """One verdict for a file with several signatures: the worst one wins."""
    order = [Verdict.ERROR, Verdict.INVALID, Verdict.MODIFIED_AFTER_SIGNING, Verdict.UNSIGNED,
             Verdict.VALID_UNTRUSTED_CHAIN, Verdict.VALID]
    return min((v.verdict for v in verdicts), key=order.index, default=Verdict.UNSIGNED)


# ------------------------------------------------------------------ messages


def _is_pdf(att: Any) -> bool:
    name = (getattr(att, "filename", "") or "").lower()
    mime = (getattr(att, "mime_type", "") or "").lower()
    return mime == "application/pdf" or name.endswith(".pdf") or att.payload[:5] == b"%PDF-"


def verify_message_attachments(db: sqlite_utils.Database, blobs: Any, message_id: int, *,
                               attachment: int | None = None,
                               trust_roots: list[bytes] | None = None) -> dict[int, list[SignatureVerdict]]:
    """Check every PDF attachment of a stored message (or only ``attachment``) and store the verdicts.

    ``trust_roots`` defaults to the agency's configured bundle.  Non-PDF
    attachments are skipped (absent from the result).
    """
    from camau_desk.mail.parse import iter_attachments
    from camau_desk.mail.store import raw_bytes
    from camau_desk.store.db import transaction

    if trust_roots is None:
        trust_roots = configured_trust_roots(db)
    raw = raw_bytes(db, blobs, message_id)
    atts = [a for a in iter_attachments(raw) if attachment is None or a.idx == attachment]
    if attachment is not None and not atts:
        raise InvalidInput(f"Thư {message_id} không có tệp đính kèm số {attachment}.")
    results = {a.idx: verify_pdf(a.payload, trust_roots) for a in atts if _is_pdf(a)}
    if attachment is not None and not results:
        raise InvalidInput(f"Tệp đính kèm số {attachment} không phải tệp PDF: không có chữ ký số để kiểm tra.")
    digest = _roots_digest(trust_roots)
    now = audit.now_iso()
    sha = {a.idx: a.sha256 for a in atts}
    with transaction(db):
        for idx, verdicts in results.items():
            db.execute("DELETE FROM signature_checks WHERE message = ? AND attachment_idx = ?", [message_id, idx])
            for v in verdicts:
                row = v.as_dict()
                row.update(message=message_id, attachment_idx=idx, attachment_sha256=sha.get(idx),
                           trust_roots_sha256=digest, checked_at=now,
                           trusted=None if v.trusted is None else int(v.trusted))
                db["signature_checks"].insert(row)
    return results


def stored_verdicts(db: sqlite_utils.Database, message_id: int) -> dict[int, list[dict]]:
    """What was found last time, per attachment index (for the message view and the register)."""
    out: dict[int, list[dict]] = {}
    for r in db.query("SELECT * FROM signature_checks WHERE message = ? ORDER BY attachment_idx, sig_index",
                      [message_id]):
        out.setdefault(r["attachment_idx"], []).append(dict(r))
    return out

