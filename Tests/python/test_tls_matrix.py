"""The library's TLS client policy, case by case, against loopback servers
whose certificates and TLS settings each test makes (docs/security.md,
"The network").

Every case runs the real flow a doctor would: a professional identity
imported from a modern PKCS#12 file, a linked carnet, "list vaccinations".
A refused server never receives an HTTP request (nothing of the session is
sent); an accepted one receives it with the professional's client
certificate. Servers that offer something weak are first probed with a
permissive Python client, so that a refusal is proven to be the library's.
"""
import datetime
import ssl
import subprocess
import time
import uuid

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

import carnet
from security_support import (CARNET_ID, IDENTITY_SECRET, P12_PASSWORD, Authority, ClientPKI, LoopbackServer,
                              cert_pem, json_answer, modern_p12, now, probe, self_signed, sha1_signed, server_context, spki_pin, write)

TLS = ssl.TLSVersion


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")

    class PKI:
        pass

    p = PKI()
    p.dir = directory
    p.root = Authority("Carnet test server root")
    p.root_path = write(directory / "root.pem", cert_pem(p.root.cert))
    p.client = ClientPKI(str(directory))
    return p


def serve(pki, cert, key, *, chain=(), host="127.0.0.1", **context_options):
    pem = cert_pem(cert) + b"".join(cert_pem(c) for c in chain)
    context = server_context(pem, key, client_ca=pki.client.ca_path, **context_options)
    return LoopbackServer(context, host=host)


def list_vaccinations(lib, tmp_path, url, ca, **options):
    """The doctor's "list vaccinations" through the library; returns the Bundle or raises CarnetFailure."""
    store = str(tmp_path / ("store-" + uuid.uuid4().hex[:8]))
    with carnet.Client(lib, store, service_url=url, ca_bundle_path=ca, identity_secret=IDENTITY_SECRET,
                       connect_timeout_ms=5000, request_timeout_ms=10000, **options) as client:
        client.certificate_import_p12(CLIENT_P12[0], P12_PASSWORD)
        client.link_set("p1", CARNET_ID)
        return client.vaccinations_list("p1")


CLIENT_P12 = [None]


@pytest.fixture(autouse=True)
def _client_p12(pki):
    CLIENT_P12[0] = pki.client.p12_path


def refused(lib, tmp_path, server, url=None, ca=None, **options):
    with pytest.raises(carnet.CarnetFailure) as failure:
        list_vaccinations(lib, tmp_path, url or server.url(), ca, **options)
    # Nothing of the session reached the refused server: no HTTP request at all.
    assert all(e.request_line is None for e in server.exchanges), [e.request_line for e in server.exchanges]
    assert server.connections >= 1, "the library never tried: the refusal proves nothing"
    return failure.value


def accepted(lib, tmp_path, server, url=None, ca=None, **options):
    bundle = list_vaccinations(lib, tmp_path, url or server.url(), ca, **options)
    assert bundle["resourceType"] == "Bundle"
    served = [e for e in server.exchanges if e.request_line]
    assert served and served[0].request_line.startswith("GET /fhir/Immunization?")
    assert served[0].client_cert, "the professional's certificate was not presented"
    return served[0]


def plain_curl_accepts(server, ca, url=None):
    """Debian's curl with its defaults (libcurl 7.88, OpenSSL 3, security level 2): proves the
    case is one libcurl accepts unless Carnet's policy refuses it. The server's record of this
    request is then cleared."""
    done = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                           "--cacert", ca, url or server.url() + "/metadata"], capture_output=True, text=True)
    server.exchanges.clear()
    server.connections = 0
    return done.returncode == 0 and done.stdout == "200"


def assert_tls_failure(failure, fragment, code=None):
    assert carnet.STATUS_NAMES[failure.status] == "CARNET_E_TLS", failure
    assert failure.domain == carnet.C["CARNET_DOMAIN_TLS"]
    assert failure.message.startswith("Connexion sécurisée refusée"), failure.message
    assert fragment in failure.message, failure.message
    if code is not None:
        assert failure.code == code, (failure.code, failure.message)
    return failure.message


MESSAGES = {}


def record(case, message):
    MESSAGES[case] = message


# ----------------------------------------------------------------------------- refusals: the certificate

def test_expired_server_certificate_is_refused(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"], not_before=now() - datetime.timedelta(days=60),
                               not_after=now() - datetime.timedelta(days=1))
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("expired", assert_tls_failure(failure, "a expiré", code=10))


def test_refusals_are_in_english_on_request(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"], key_kind="rsa")
    with serve(pki, cert, key, maximum=TLS.TLSv1_2, ciphers="AES256-SHA") as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path, locale=carnet.C["CARNET_LOCALE_EN"])
    assert carnet.STATUS_NAMES[failure.status] == "CARNET_E_TLS"
    assert failure.message.startswith("Secure connection refused: ") and "forward secrecy" in failure.message


def test_not_yet_valid_server_certificate_is_refused(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"], not_before=now() + datetime.timedelta(days=2),
                               not_after=now() + datetime.timedelta(days=60))
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("not-yet-valid", assert_tls_failure(failure, "pas encore valide", code=9))


def test_certificate_for_another_ip_is_refused(lib, tmp_path, pki):
    cert, key = pki.root.issue(dns=["cve.example.fr"], ips=["10.9.9.9"])
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("wrong-host", assert_tls_failure(failure, "nom", code=64))


def test_certificate_for_another_host_name_is_refused(lib, tmp_path, pki):
    cert, key = pki.root.issue(dns=["cve.example.fr"], ips=["127.0.0.1"])
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, url=server.url("localhost"), ca=pki.root_path)
    assert_tls_failure(failure, "nom", code=62)


def test_host_named_only_in_the_common_name_is_refused(lib, tmp_path, pki):
    # CN=localhost, no subjectAltName: curl and OpenSSL accept it by default.
    cert, key = pki.root.issue(common_name="localhost", san=False)
    with serve(pki, cert, key) as server:
        assert plain_curl_accepts(server, pki.root_path, server.url("localhost"))
        failure = refused(lib, tmp_path, server, url=server.url("localhost"), ca=pki.root_path)
    record("cn-only", assert_tls_failure(failure, "nom", code=62))


def test_self_signed_server_certificate_is_refused(lib, tmp_path, pki):
    cert, key = self_signed(ips=["127.0.0.1"])
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("self-signed", assert_tls_failure(failure, "auto-signé", code=18))


def test_certificate_from_an_untrusted_root_is_refused(lib, tmp_path, pki):
    foreign = Authority("Foreign root")
    cert, key = foreign.issue(ips=["127.0.0.1"])
    with serve(pki, cert, key, chain=[foreign.cert]) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("untrusted-root", assert_tls_failure(failure, "autorité de confiance", code=19))


def test_certificate_from_an_unknown_issuer_is_refused(lib, tmp_path, pki):
    foreign = Authority("Foreign root")
    cert, key = foreign.issue(ips=["127.0.0.1"])
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    assert_tls_failure(failure, "autorité", code=20)


def test_incomplete_chain_is_refused_and_the_complete_one_accepted(lib, tmp_path, pki):
    intermediate = Authority("Carnet test intermediate", parent=pki.root)
    cert, key = intermediate.issue(ips=["127.0.0.1"])
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("incomplete-chain", assert_tls_failure(failure, "chaîne", code=20))
    with serve(pki, cert, key, chain=[intermediate.cert]) as server:
        accepted(lib, tmp_path, server, ca=pki.root_path)


def test_revoked_server_certificate_is_refused_when_a_crl_is_configured(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    crl = write(tmp_path / "crl.pem", pki.root.crl([cert.serial_number]).public_bytes(Encoding.PEM))
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path, crl_path=crl)
    record("revoked", assert_tls_failure(failure, "révoqué", code=23))
    # Without a CRL the same server is accepted: the refusal above is the CRL's doing.
    with serve(pki, cert, key) as server:
        accepted(lib, tmp_path, server, ca=pki.root_path)


def test_a_crl_that_does_not_cover_the_issuer_is_a_revocation_failure(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    other = Authority("Some other CA")
    crl = write(tmp_path / "other-crl.pem", other.crl().public_bytes(Encoding.PEM))
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path, crl_path=crl)
    record("crl-missing", assert_tls_failure(failure, "révocation", code=3))


def test_rsa_key_under_2048_bits_is_refused(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"], key_kind="rsa", bits=1024)
    with serve(pki, cert, key, weak=True) as server:
        assert probe(server)[0].startswith("TLS")
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("weak-key", assert_tls_failure(failure, "clé trop faible", code=66))


def test_sha1_signature_is_refused(lib, tmp_path, pki):
    cert, key = sha1_signed(pki.root, tmp_path)
    assert cert.signature_hash_algorithm.name == "sha1"
    with serve(pki, cert, key, weak=True) as server:
        assert probe(server)[0].startswith("TLS")
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("sha1", assert_tls_failure(failure, "SHA-1", code=68))


def test_public_key_pin_mismatch_is_refused(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    other, _ = pki.root.issue(ips=["127.0.0.1"])
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path, pinned_public_key=spki_pin(other))
    record("pin", assert_tls_failure(failure, "épinglée"))


# ----------------------------------------------------------------------------- refusals: the protocol

@pytest.mark.parametrize("version", [TLS.TLSv1, TLS.TLSv1_1], ids=["tls1.0", "tls1.1"])
def test_tls_1_0_and_1_1_with_rsa_key_exchange_are_refused(lib, tmp_path, pki, version):
    cert, key = pki.root.issue(ips=["127.0.0.1"], key_kind="rsa")
    with serve(pki, cert, key, weak=True, minimum=version, maximum=version, ciphers="AES128-SHA") as server:
        negotiated, cipher = probe(server, minimum=version, maximum=version)
        assert negotiated in ("TLSv1", "TLSv1.1") and cipher == "AES128-SHA"
        assert plain_curl_accepts(server, pki.root_path)
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("old-protocol", assert_tls_failure(failure, "protocole obsolète"))


def test_tls_1_2_without_forward_secrecy_is_refused(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"], key_kind="rsa")
    with serve(pki, cert, key, maximum=TLS.TLSv1_2, ciphers="AES256-SHA:AES128-GCM-SHA256") as server:
        negotiated, cipher = probe(server, maximum=TLS.TLSv1_2)
        assert negotiated == "TLSv1.2" and cipher in ("AES256-SHA", "AES128-GCM-SHA256")
        assert plain_curl_accepts(server, pki.root_path)
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    record("no-forward-secrecy", assert_tls_failure(failure, "confidentialité persistante"))


def test_every_refusal_has_its_own_message():
    # Runs after the cases above (file order): the doctor can tell them apart.
    expected = {"expired", "not-yet-valid", "wrong-host", "self-signed", "untrusted-root", "incomplete-chain",
                "revoked", "crl-missing", "weak-key", "pin", "old-protocol", "no-forward-secrecy"}
    assert expected <= set(MESSAGES), sorted(expected - set(MESSAGES))
    distinct = {MESSAGES[k] for k in expected}
    assert len(distinct) == len(expected), MESSAGES
    # A CN-only certificate is, for the doctor, a certificate without this host's name.
    assert MESSAGES["cn-only"] == MESSAGES["wrong-host"] and "subjectAltName" in MESSAGES["cn-only"]
    for message in MESSAGES.values():
        assert len(message) < carnet.C["CARNET_ERROR_MESSAGE_SIZE"]


# ----------------------------------------------------------------------------- accepted

def test_tls_1_2_with_ecdhe_is_accepted(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    with serve(pki, cert, key, maximum=TLS.TLSv1_2) as server:
        exchange = accepted(lib, tmp_path, server, ca=pki.root_path)
    assert exchange.tls_version == "TLSv1.2" and exchange.cipher[0].startswith("ECDHE-")


def test_tls_1_2_ecdhe_with_an_rsa_certificate_is_accepted(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"], key_kind="rsa")
    with serve(pki, cert, key, maximum=TLS.TLSv1_2) as server:
        exchange = accepted(lib, tmp_path, server, ca=pki.root_path)
    assert exchange.tls_version == "TLSv1.2" and exchange.cipher[0].startswith("ECDHE-RSA-")


def test_tls_1_3_is_accepted(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    with serve(pki, cert, key, minimum=TLS.TLSv1_3) as server:
        exchange = accepted(lib, tmp_path, server, ca=pki.root_path)
    assert exchange.tls_version == "TLSv1.3"


def test_ipv6_literal_is_accepted(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["::1"])
    with serve(pki, cert, key, host="::1") as server:
        assert server.url().startswith("https://[::1]:")
        accepted(lib, tmp_path, server, ca=pki.root_path)


def test_ipv4_literal_is_not_matched_by_a_dns_name_of_the_same_text(lib, tmp_path, pki):
    # A dNSName "127.0.0.1" is not an iPAddress SAN: refused (RFC 6125).
    cert, key = pki.root.issue(dns=["127.0.0.1"])
    with serve(pki, cert, key) as server:
        failure = refused(lib, tmp_path, server, ca=pki.root_path)
    assert_tls_failure(failure, "nom", code=64)


def test_dns_name_in_the_san_is_accepted(lib, tmp_path, pki):
    cert, key = pki.root.issue(dns=["localhost"])
    with serve(pki, cert, key) as server:
        accepted(lib, tmp_path, server, url=server.url("localhost"), ca=pki.root_path)


def test_a_crl_that_does_not_list_the_server_is_accepted(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    someone_else, _ = pki.root.issue(ips=["127.0.0.1"])
    crl = write(tmp_path / "crl.pem", pki.root.crl([someone_else.serial_number]).public_bytes(Encoding.PEM))
    with serve(pki, cert, key) as server:
        accepted(lib, tmp_path, server, ca=pki.root_path, crl_path=crl)


def test_a_matching_pin_is_accepted(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    other, _ = pki.root.issue(ips=["127.0.0.1"])
    with serve(pki, cert, key) as server:
        accepted(lib, tmp_path, server, ca=pki.root_path, pinned_public_key=spki_pin(other) + ";" + spki_pin(cert))


# ----------------------------------------------------------------------------- the professional's certificate

def test_a_client_certificate_that_expired_is_never_presented(lib, tmp_path, pki):
    """Imported while valid, it expires during the session: the library stops
    before connecting (the server sees no new connection), in this session and
    in the next one."""
    short, short_key = pki.client.ca.issue("Dr Bientot Expire", client=True,
                                           not_before=now() - datetime.timedelta(minutes=5),
                                           not_after=now() + datetime.timedelta(seconds=3))
    p12 = modern_p12(short, short_key, str(tmp_path / "short.p12"))
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    store = str(tmp_path / "store")
    options = dict(service_url=None, ca_bundle_path=pki.root_path, identity_secret=IDENTITY_SECRET)
    with serve(pki, cert, key) as server:
        options["service_url"] = server.url()
        with carnet.Client(lib, store, **options) as client:
            client.certificate_import_p12(p12, P12_PASSWORD)
            client.link_set("p1", CARNET_ID)
            client.vaccinations_list("p1")
            assert server.connections == 1 and server.exchanges[0].client_cert
            deadline = short.not_valid_after_utc + datetime.timedelta(seconds=1.5)
            while now() < deadline:
                time.sleep(0.1)
            with pytest.raises(carnet.CarnetFailure) as failure:
                client.vaccinations_list("p1")
            assert carnet.STATUS_NAMES[failure.value.status] == "CARNET_E_CERTIFICATE_EXPIRED"
            assert "expiré" in failure.value.message
        with carnet.Client(lib, store, **options) as client:
            with pytest.raises(carnet.CarnetFailure) as failure:
                client.vaccinations_list("p1")
            assert carnet.STATUS_NAMES[failure.value.status] == "CARNET_E_CERTIFICATE_EXPIRED"
            assert client.certificate_info()["expired"] is True
        time.sleep(0.2)
        assert server.connections == 1, "an expired certificate was presented"


# ----------------------------------------------------------------------------- enrollment: the withdrawal code

def test_the_withdrawal_code_is_never_sent_to_a_server_failing_the_policy(lib, tmp_path, pki):
    """Enrollment (no client certificate, the code in an Authorization header)
    goes through the same policy: a refused server never sees the request."""
    cert, key = pki.root.issue(ips=["127.0.0.1"], not_before=now() - datetime.timedelta(days=60),
                               not_after=now() - datetime.timedelta(days=1))
    with serve(pki, cert, key) as server:
        with carnet.Client(lib, str(tmp_path / "s"), enrollment_url=server.url(path=""), ca_bundle_path=pki.root_path,
                           identity_secret=IDENTITY_SECRET, account_email="dr@example.org") as client:
            with pytest.raises(carnet.CarnetFailure) as failure:
                client.certificate_enroll("ABCD-EFGH-JKLM-NPQR")
        assert server.connections >= 1
        assert all(e.request_line is None for e in server.exchanges)
    assert_tls_failure(failure.value, "a expiré", code=10)


def test_an_enrollment_redirect_is_not_followed_with_the_code(lib, tmp_path, pki):
    cert, key = pki.root.issue(ips=["127.0.0.1"], dns=["localhost"])
    with serve(pki, cert, key) as elsewhere:
        target = elsewhere.url("localhost", path="/.well-known/est/simpleenroll")
        redirect = server_context(cert_pem(cert), key)
        with LoopbackServer(redirect, json_answer(b"", status=307, extra=[f"Location: {target}"])) as server:
            with carnet.Client(lib, str(tmp_path / "s"), enrollment_url=server.url(path=""),
                               ca_bundle_path=pki.root_path, identity_secret=IDENTITY_SECRET,
                               account_email="dr@example.org") as client:
                with pytest.raises(carnet.CarnetFailure) as failure:
                    client.certificate_enroll("ABCD-EFGH-JKLM-NPQR")
            assert server.exchanges[0].request_line.startswith("POST /.well-known/est/simpleenroll")
            assert server.exchanges[0].headers.get("authorization", "").startswith("Basic ")
        assert elsewhere.connections == 0, "the code was carried to the redirect target"
    assert carnet.STATUS_NAMES[failure.value.status] == "CARNET_E_PROTOCOL", failure.value
    assert "ABCD" not in failure.value.message


@pytest.mark.parametrize("version", [TLS.TLSv1_2, TLS.TLSv1_3], ids=["tls1.2", "tls1.3"])
def test_a_server_refusing_the_client_certificate_is_a_credentials_problem(lib, tmp_path, pki, version):
    """With TLS 1.2 the refusal is a handshake alert; with TLS 1.3 it arrives on the first read
    (curl error 56). Both are the professional's certificate, never "network unreachable"."""
    other_ca = Authority("Another client CA")
    other_path = write(tmp_path / "other-ca.pem", cert_pem(other_ca.cert))
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    context = server_context(cert_pem(cert), key, client_ca=other_path, require_client_cert=True,
                             minimum=version, maximum=version)
    with LoopbackServer(context) as server:
        with pytest.raises(carnet.CarnetFailure) as failure:
            list_vaccinations(lib, tmp_path, server.url(), pki.root_path)
        assert all(e.request_line is None for e in server.exchanges)
        assert server.connections >= 1
    assert carnet.STATUS_NAMES[failure.value.status] == "CARNET_E_CREDENTIALS", failure.value
    assert failure.value.domain == carnet.C["CARNET_DOMAIN_CREDENTIALS"]
    assert "certificat professionnel" in failure.value.message


@pytest.mark.parametrize("version", [TLS.TLSv1_2, TLS.TLSv1_3], ids=["tls1.2", "tls1.3"])
def test_enrolling_at_an_address_that_requires_a_certificate_is_not_a_cipher_problem(lib, tmp_path, pki, version):
    """A TLS 1.2 server wanting a client certificate aborts with handshake_failure, the alert a
    server without common ciphers sends too: the verified server certificate tells them apart."""
    cert, key = pki.root.issue(ips=["127.0.0.1"])
    context = server_context(cert_pem(cert), key, client_ca=pki.client.ca_path, require_client_cert=True,
                             minimum=version, maximum=version)
    with LoopbackServer(context) as server:
        with carnet.Client(lib, str(tmp_path / "s"), enrollment_url=server.url(path=""), ca_bundle_path=pki.root_path,
                           identity_secret=IDENTITY_SECRET, account_email="dr@example.org") as client:
            with pytest.raises(carnet.CarnetFailure) as failure:
                client.certificate_enroll("ABCD-EFGH-JKLM-NPQR")
        assert all(e.request_line is None for e in server.exchanges)
    assert carnet.STATUS_NAMES[failure.value.status] == "CARNET_E_CREDENTIALS", failure.value
    assert "chiffrement" not in failure.value.message
