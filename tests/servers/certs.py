"""Test CA and server certificate for the local Dovecot and SMTP relay.

Why: the app must verify TLS certificates (no "accept any certificate" in
production code), so tests need a real chain: a CA the client trusts via
``cafile`` and a server certificate whose subjectAltName covers both
``localhost`` and ``127.0.0.1`` (clients verify the IP SAN when they connect
by address; some tools such as isync only check DNS names).

Uses the ``cryptography`` package (already a dependency of pyhanko), so no
``openssl`` process is spawned.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = "ca.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server.key"


@dataclass(frozen=True)
class CertPaths:
    """Where the PEM files were written."""

    ca: Path
    cert: Path
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ca Mau Desk tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _build(days: int) -> tuple[bytes, bytes, bytes]:
    """Return (ca_pem, server_cert_pem, server_key_pem)."""
    now = _dt.datetime.now(_dt.UTC) - _dt.timedelta(minutes=5)
    until = now + _dt.timedelta(days=days)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Ca Mau Desk Test CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return ca_cert.public_bytes(pem), cert.public_bytes(pem), _pem_key(key)


def _still_valid(paths: CertPaths, min_days: int = 2) -> bool:
    """Reuse existing files (a bench dir restarted many times) while they stay valid."""
    if not all(p.is_file() for p in (paths.ca, paths.cert, paths.key)):
        return False
    try:
        cert = x509.load_pem_x509_certificate(paths.cert.read_bytes())
    except ValueError:
        return False
    left = cert.not_valid_after_utc - _dt.datetime.now(_dt.UTC)
    return left > _dt.timedelta(days=min_days)


def make_certs(directory: str | os.PathLike[str], days: int = 30) -> CertPaths:
    """Write ``ca.pem``, ``server.pem`` and ``server.key`` into *directory*.

    Existing, still-valid files are kept so a restarted server keeps the same
    chain (clients configured with the old ``ca.pem`` keep working).
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = CertPaths(ca=d / CA_FILE, cert=d / CERT_FILE, key=d / KEY_FILE)
    if _still_valid(paths):
        return paths
    ca_pem, cert_pem, key_pem = _build(days)
    paths.ca.write_bytes(ca_pem)
    paths.cert.write_bytes(cert_pem)
    # The key is readable by root only; Dovecot reads it as root before dropping privileges.
    fd = os.open(paths.key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_pem)
    return paths
