"""Certificates made at test time: a CA that signs a broker's and a client's certificates, as PEM files."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = ec.EllipticCurvePrivateKey


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _new_key() -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1())  # quick to make, and both Java and OpenSSL read it


class CertificateAuthority:
    """A self-signed CA, valid for a day from an hour ago (clocks of the test machine may differ a little)."""

    def __init__(self, common_name: str) -> None:
        self.key, self.name = _new_key(), _name(common_name)
        self.certificate = self._signed(
            x509.CertificateBuilder()
            .subject_name(self.name)
            .public_key(self.key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
        )

    def _signed(self, builder: x509.CertificateBuilder) -> x509.Certificate:
        now = datetime.now(UTC)
        return (
            builder.issuer_name(self.name)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=1))
            .sign(self.key, hashes.SHA256())
        )

    def issue(self, common_name: str, *, server: bool) -> tuple[PrivateKey, x509.Certificate]:
        """A key and a certificate for it: a server's names 127.0.0.1 and localhost (clients check the host)."""
        key = _new_key()
        usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .public_key(key.public_key())
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
                ),
                critical=False,
            )
        return key, self._signed(builder)

    def write(self, path: Path) -> Path:
        path.write_bytes(pem(self.certificate))
        return path


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def pkcs8(key: PrivateKey, password: str | None = None) -> bytes:
    """The key as PKCS#8 PEM, encrypted with `password` if one is given."""
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
