"""Account tokens bound to the client certificate (RFC 8705), certificate revocation and the CRL,
PKCS#12 export (the guide's import flow)."""

import subprocess
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12

from fhir_checks import outcome
from sandbox_process import Identity


def token_request(sandbox, identity, email, password, grant="password"):
    body = urllib.parse.urlencode({"grant_type": grant, "username": email, "password": password}).encode()
    return sandbox.raw_request("POST", "/oauth/token", body=body, identity=identity,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_token_is_bound_to_the_certificate(sandbox):
    professional, identity = sandbox.professional_identity()
    response = token_request(sandbox, identity, professional.email, professional.password)
    assert response.status == 200, response.body
    token = response.json()
    assert token["token_type"] == "Bearer" and 0 < token["expires_in"] <= 300
    import base64
    import hashlib

    der = subprocess.run(["openssl", "x509", "-in", identity.cert_path, "-outform", "DER"], check=True,
                         capture_output=True).stdout
    expected = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()
    assert token["cnf"]["x5t#S256"] == expected
    bearer = {"Authorization": "Bearer " + token["access_token"]}
    assert sandbox.request("GET", "Patient", identity=identity, headers=bearer).status == 200

    # same account, second certificate: the token is refused
    second = sandbox.enroll(sandbox.new_withdrawal_code(professional.email))
    outcome(sandbox.request("GET", "Patient", identity=second, headers=bearer), 401, "security", "token-binding-mismatch")
    # another account's certificate: refused too
    _, stranger = sandbox.professional_identity()
    outcome(sandbox.request("GET", "Patient", identity=stranger, headers=bearer), 401, "security")
    outcome(sandbox.request("GET", "Patient", identity=identity, headers={"Authorization": "Bearer forged"}),
            401, "login", "token-invalid")


def test_token_endpoint_refuses_wrong_credentials(sandbox):
    professional, identity = sandbox.professional_identity()
    wrong = token_request(sandbox, identity, professional.email, "not-the-password")
    assert wrong.status == 400 and wrong.json()["error"] == "invalid_grant"
    other, _ = sandbox.professional_identity()
    # right password of another account, presented with this account's certificate
    assert token_request(sandbox, identity, other.email, other.password).json()["error"] == "invalid_grant"
    assert token_request(sandbox, identity, professional.email, professional.password, grant="client_credentials") \
        .json()["error"] == "unsupported_grant_type"


def test_revoked_certificate_is_refused_and_listed_in_the_crl(sandbox):
    professional, identity = sandbox.professional_identity()
    assert sandbox.request("GET", "Patient", identity=identity).status == 200
    revoked = sandbox.revoke_certificate(email=professional.email)
    assert revoked == [identity.serial()]
    outcome(sandbox.request("GET", "Patient", identity=identity), 401, "security", "certificate-revoked")

    response = sandbox.raw_request("GET", "/crl", enrollment=True)
    crl = x509.load_der_x509_crl(response.body)
    with open(sandbox.ca_cert, "rb") as f:
        ca = x509.load_pem_x509_certificate(f.read())
    assert crl.is_signature_valid(ca.public_key())
    assert crl.issuer == ca.subject
    serial = int(identity.serial(), 16)
    assert crl.get_revoked_certificate_by_serial_number(serial) is not None
    assert crl.next_update_utc > crl.last_update_utc
    # openssl verifies the revoked certificate as revoked with this CRL
    crl_pem = subprocess.run(["openssl", "crl", "-inform", "DER"], input=response.body, check=True,
                             capture_output=True).stdout
    path = identity.cert_path + ".crl.pem"
    with open(path, "wb") as f:
        f.write(crl_pem)
    verify = subprocess.run(["openssl", "verify", "-crl_check", "-CAfile", sandbox.ca_cert, "-CRLfile", path,
                             identity.cert_path], capture_output=True, text=True)
    assert verify.returncode != 0 and "revoked" in verify.stdout + verify.stderr
    # a new certificate for the same account works again
    fresh = sandbox.enroll(sandbox.new_withdrawal_code(professional.email))
    assert sandbox.request("GET", "Patient", identity=fresh).status == 200


def test_pkcs12_export_is_modern_and_usable(sandbox, tmp_path):
    professional = sandbox.create_professional(name="Dr Export P12")
    path = str(tmp_path / "pro.p12")
    info = sandbox.export_p12(professional.email, "mot de passe p12", path)
    with open(path, "rb") as f:
        data = f.read()
    key, cert, extra = pkcs12.load_key_and_certificates(data, b"mot de passe p12")
    assert cert.serial_number == int(info["serial"], 16)
    assert "Dr Export P12" in cert.subject.rfc4514_string()
    try:
        pkcs12.load_key_and_certificates(data, b"wrong")
        raise AssertionError("a wrong password must fail")
    except ValueError:
        pass
    details = subprocess.run(["openssl", "pkcs12", "-in", path, "-info", "-noout", "-passin", "pass:mot de passe p12"],
                             capture_output=True, text=True)
    text = details.stdout + details.stderr
    assert "AES-256-CBC" in text and "PBKDF2" in text and "RC2" not in text and "3DES" not in text
    # the exported identity works over mutual TLS
    from cryptography.hazmat.primitives import serialization

    key_path, cert_path = tmp_path / "k.pem", tmp_path / "c.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    assert sandbox.request("GET", "Patient", identity=Identity(str(cert_path), str(key_path))).status == 200
