"""Mutual TLS, the two listeners, EST-style enrollment with a withdrawal code, re-enrollment."""

import datetime
import http.client
import sqlite3
import ssl
import subprocess

import pytest

from fhir_checks import outcome, validate
from sandbox_process import Identity

REFUSED = (ssl.SSLError, ConnectionError, http.client.RemoteDisconnected, OSError)


def x509_text(path, *args):
    return subprocess.run(["openssl", "x509", "-in", path, "-noout", *args], check=True,
                          capture_output=True, text=True).stdout


def foreign_identity(tmp_path):
    """A client certificate from a CA the sandbox does not know (clientAuth, valid dates)."""
    ca_key, ca_cert = tmp_path / "foreign-ca.key", tmp_path / "foreign-ca.pem"
    key, csr, cert = tmp_path / "foreign.key", tmp_path / "foreign.csr", tmp_path / "foreign.pem"
    ext = tmp_path / "ext.cnf"
    ext.write_text("extendedKeyUsage=clientAuth\n")
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)  # noqa: E731
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", str(ca_key), "-out", str(ca_cert), "-days", "30", "-subj", "/CN=Foreign CA")
    run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", str(key), "-out", str(csr), "-subj", "/CN=Dr Mallory")
    run("openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key),
        "-CAcreateserial", "-out", str(cert), "-days", "30", "-extfile", str(ext))
    return Identity(str(cert), str(key))


def test_fhir_listener_accepts_an_enrolled_certificate(sandbox, pro_a):
    _, identity = pro_a
    response = sandbox.request("GET", "metadata", identity=identity)
    assert response.status == 200
    statement = validate(response.json())
    assert statement["resourceType"] == "CapabilityStatement"
    names = {op["name"] for op in statement["rest"][0]["operation"]}
    assert {"changes", "share-code-lookup", "record-claim"} <= names


def test_fhir_listener_refuses_a_client_without_certificate(sandbox):
    with pytest.raises(REFUSED):
        sandbox.request("GET", "metadata", identity=None)


def test_fhir_listener_refuses_a_foreign_ca_certificate(sandbox, tmp_path):
    with pytest.raises(REFUSED):
        sandbox.request("GET", "metadata", identity=foreign_identity(tmp_path))


def test_fhir_listener_refuses_expired_and_not_yet_valid_certificates(sandbox):
    now = datetime.datetime.now(datetime.timezone.utc)
    expired = sandbox.forge_client_certificate(not_before=now - datetime.timedelta(days=400),
                                               not_after=now - datetime.timedelta(days=1))
    early = sandbox.forge_client_certificate(not_before=now + datetime.timedelta(days=2),
                                             not_after=now + datetime.timedelta(days=30))
    for identity in (expired, early):
        with pytest.raises(REFUSED):
            sandbox.request("GET", "metadata", identity=identity)
    # the same CA, valid dates, but never issued to an account: past TLS, refused by the service
    unknown = sandbox.forge_client_certificate()
    outcome(sandbox.request("GET", "metadata", identity=unknown), 401, "security", "certificate-unknown")


def test_enrollment_listener_serves_only_enrollment_and_ca(sandbox):
    cacerts = sandbox.raw_request("GET", "/.well-known/est/cacerts", enrollment=True)
    assert cacerts.status == 200
    with open(sandbox.ca_cert, "rb") as f:
        assert cacerts.body.strip() == f.read().strip()
    crl = sandbox.raw_request("GET", "/crl", enrollment=True)
    assert crl.status == 200 and crl.header("content-type") == "application/pkix-crl"
    for path in ("/fhir/metadata", "/fhir/Patient", "/oauth/token"):
        response = sandbox.raw_request("GET", path, enrollment=True)
        outcome(response, 404, "not-found")


def test_enrollment_issues_a_one_year_client_certificate_naming_the_account(sandbox):
    professional = sandbox.create_professional(name="Dr Chloé Lefèvre", rpps="10000000077")
    identity = sandbox.enroll(professional.withdrawal_code)
    subject = x509_text(identity.cert_path, "-subject", "-nameopt", "utf8")
    assert "Dr Chloé Lefèvre" in subject and professional.email in subject and "10000000077" in subject
    assert "TLS Web Client Authentication" in x509_text(identity.cert_path, "-ext", "extendedKeyUsage")
    issuer = x509_text(identity.cert_path, "-issuer")
    assert "Carnet sandbox CA" in issuer
    end = x509_text(identity.cert_path, "-enddate").strip().split("=", 1)[1]
    not_after = datetime.datetime.strptime(end, "%b %d %H:%M:%S %Y %Z")
    days = (not_after - datetime.datetime.utcnow()).days
    assert 363 <= days <= 366
    verify = subprocess.run(["openssl", "verify", "-CAfile", sandbox.ca_cert, "-purpose", "sslclient",
                             identity.cert_path], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_enrollment_accepts_base64_der_and_rsa_2048(sandbox):
    professional = sandbox.create_professional()
    key_path, csr_pem = sandbox.make_key_and_csr("rsa")
    der_b64 = subprocess.run(["openssl", "req", "-outform", "DER"], input=csr_pem, check=True,
                             capture_output=True).stdout
    import base64

    response = sandbox.enroll_raw(professional.withdrawal_code, base64.b64encode(der_b64))
    assert response.status == 200, response.body
    assert response.header("content-type") == "application/pem-certificate-chain"
    assert response.body.count(b"BEGIN CERTIFICATE") == 2  # client certificate, then the CA


def test_withdrawal_code_is_single_use(sandbox):
    professional = sandbox.create_professional()
    sandbox.enroll(professional.withdrawal_code)
    key, csr = sandbox.make_key_and_csr()
    outcome(sandbox.enroll_raw(professional.withdrawal_code, csr), 403, "security", "withdrawal-code-used")


def test_wrong_missing_and_expired_withdrawal_codes(fresh_sandbox):
    sb = fresh_sandbox()
    professional = sb.create_professional()
    _, csr = sb.make_key_and_csr()
    outcome(sb.enroll_raw(None, csr), 401, "login", "withdrawal-code-missing")
    outcome(sb.enroll_raw("not a code", csr), 403, "security", "withdrawal-code-invalid")
    wrong = "2222-2222-2222-2222"
    outcome(sb.enroll_raw(wrong, csr), 403, "security", "withdrawal-code-invalid")
    with sqlite3.connect(sb.data_dir + "/sandbox.sqlite") as db:
        db.execute("UPDATE withdrawal_codes SET expires_at = 0 WHERE professional_id = ?", (professional.id,))
    outcome(sb.enroll_raw(professional.withdrawal_code, csr), 403, "security", "withdrawal-code-expired")
    # a code issued afterwards works
    fresh = sb.new_withdrawal_code(professional.email)
    assert sb.enroll_raw(fresh, csr).status == 200


def test_withdrawal_code_guessing_is_locked_out(fresh_sandbox):
    sb = fresh_sandbox()
    professional = sb.create_professional()
    _, csr = sb.make_key_and_csr()
    for i in range(5):
        outcome(sb.enroll_raw(f"2222-2222-2222-{i + 2}{i + 2}{i + 2}{i + 2}", csr), 403, "security")
    response = sb.enroll_raw(professional.withdrawal_code, csr)   # even the right code, now
    outcome(response, 429, "throttled", "withdrawal-code-locked")
    assert int(response.header("retry-after")) > 0


def test_enrollment_rejects_bad_requests(sandbox):
    professional = sandbox.create_professional()
    outcome(sandbox.enroll_raw(professional.withdrawal_code, b"garbage"), 400, "invalid", "invalid-csr")
    _, weak = sandbox.make_key_and_csr("rsa1024")
    body = outcome(sandbox.enroll_raw(professional.withdrawal_code, weak), 400, "invalid", "invalid-csr")
    assert "2048" in body["issue"][0]["diagnostics"]
    # the failed attempts did not consume the code
    assert sandbox.enroll_raw(professional.withdrawal_code, sandbox.make_key_and_csr()[1]).status == 200


def test_reenrollment_with_the_current_certificate(sandbox, pro_a):
    _, identity = pro_a
    key_path, csr = sandbox.make_key_and_csr()
    response = sandbox.raw_request("POST", "/.well-known/est/simplereenroll", body=csr,
                                   headers={"Content-Type": "application/pkcs10"}, identity=identity)
    assert response.status == 200, response.body
    cert_path = key_path.replace(".key.pem", ".cert.pem")
    with open(cert_path, "wb") as f:
        f.write(response.body)
    renewed = Identity(cert_path, key_path)
    assert renewed.serial() != identity.serial()
    assert x509_text(renewed.cert_path, "-subject") == x509_text(identity.cert_path, "-subject")
    assert sandbox.request("GET", "Patient", identity=renewed).status == 200
    # re-enrollment is not reachable without a certificate (it lives on the mTLS listener only)
    outcome(sandbox.raw_request("POST", "/.well-known/est/simplereenroll", body=csr, enrollment=True,
                                headers={"Content-Type": "application/pkcs10"}), 404, "not-found")


def openssl_client(port, *args):
    return subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
                           *args], input=b"", capture_output=True, timeout=30)


def test_tls_versions_and_ciphers(sandbox):
    port = sandbox.enrollment_port
    ok13 = openssl_client(port, "-tls1_3", "-CAfile", sandbox.ca_cert)
    assert b"TLSv1.3" in ok13.stdout and b"Verify return code: 0 (ok)" in ok13.stdout
    ok12 = openssl_client(port, "-tls1_2", "-CAfile", sandbox.ca_cert)
    assert b"ECDHE-ECDSA-" in ok12.stdout, ok12.stdout[-500:]
    # TLS 1.1 offered by a client that allows it (security level 0): refused
    old = openssl_client(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")
    assert old.returncode != 0, old.stdout[-500:]
    assert b"Cipher is (NONE)" in old.stdout and b"no peer certificate available" in old.stdout
    # TLS 1.2 with only non forward-secret (static RSA) suites offered: no handshake
    static = openssl_client(port, "-tls1_2", "-cipher", "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA")
    assert static.returncode != 0 and b"Cipher is (NONE)" in static.stdout
