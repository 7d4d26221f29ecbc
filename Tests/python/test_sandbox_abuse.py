"""The real carnet-sandbox abused through the library and through raw TLS
(docs/security.md, "Other professionals" and "The service").

The sandbox's own contract tests (Tests/sandbox) check each rule once with
well-formed clients; here the same rules are attacked the way a curious or
malicious professional would, and the library's reports are checked:
credentials problems are reported as credentials problems, never as network
errors, and another professional's carnet is indistinguishable from one that
does not exist.
"""
import datetime
import json
import socket
import ssl
import threading
import uuid

import pytest

import carnet
from conftest import open_client
from sandbox_process import Sandbox, immunization_resource, outcome_code, patient_resource
from security_support import ClientPKI, P12_PASSWORD, modern_p12

AGRIPPAL = "61921204"
UTC = datetime.timezone.utc


def status_name(failure):
    return carnet.STATUS_NAMES.get(failure.status)


def p12_of(identity, path, password=P12_PASSWORD):
    """A modern PKCS#12 file of a sandbox-made identity (cert + key PEM files)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    with open(identity.cert_path, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    with open(identity.key_path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    return modern_p12(cert, key, str(path), password)


@pytest.fixture(scope="module")
def pro_a(sandbox):
    return sandbox.professional_identity(name="Dr Alice Abus", rpps="10000000101")


@pytest.fixture(scope="module")
def pro_b(sandbox):
    return sandbox.professional_identity(name="Dr Bruno Curieux", rpps="10000000102")


@pytest.fixture(scope="module")
def carnet_of_a(sandbox, pro_a):
    _, identity = pro_a
    created = sandbox.request("POST", "Patient", patient_resource(given="Agathe", family="Secret"), identity=identity)
    assert created.status == 201, created.body
    carnet_id = created.json()["id"]
    imm = sandbox.request("POST", "Immunization", immunization_resource(carnet_id, cis=AGRIPPAL), identity=identity)
    assert imm.status == 201, imm.body
    return carnet_id, imm.json()["id"]


def library_client(lib, sandbox, tmp_path, identity, professional=None, name="lib"):
    client = open_client(lib, sandbox, str(tmp_path / name), professional)
    client.certificate_import_p12(p12_of(identity, tmp_path / (name + ".p12")), P12_PASSWORD)
    return client


# ----------------------------------------------------------------------------- the professional's certificate

def test_a_revoked_certificate_is_a_credentials_problem(lib, sandbox, tmp_path):
    professional, identity = sandbox.professional_identity()
    with library_client(lib, sandbox, tmp_path, identity, professional) as client:
        created = client.record_create("p-rev", patient_resource(given="Rita", family="Revoquee"))
        assert created["resourceType"] == "Patient"
        sandbox.revoke_certificate(serial=identity.serial())
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.vaccinations_list("p-rev")
    assert status_name(failure.value) == "CARNET_E_CREDENTIALS", failure.value
    assert failure.value.domain in (carnet.C["CARNET_DOMAIN_CREDENTIALS"], carnet.C["CARNET_DOMAIN_HTTP"])
    assert "certificat" in failure.value.message


def test_a_certificate_from_a_foreign_ca_is_a_credentials_problem(lib, sandbox, tmp_path):
    foreign = ClientPKI(str(tmp_path))
    with open_client(lib, sandbox, str(tmp_path / "s")) as client:
        client.certificate_import_p12(foreign.p12_path, P12_PASSWORD)
        client.link_set("p1", str(uuid.uuid4()))
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.vaccinations_list("p1")
    assert status_name(failure.value) == "CARNET_E_CREDENTIALS", failure.value
    assert failure.value.domain == carnet.C["CARNET_DOMAIN_CREDENTIALS"]
    assert "certificat" in failure.value.message


def test_a_certificate_the_service_never_issued_to_an_account_is_a_credentials_problem(lib, sandbox, tmp_path):
    forged = sandbox.forge_client_certificate(common_name="Dr Inconnu")
    with library_client(lib, sandbox, tmp_path, forged) as client:
        client.link_set("p1", str(uuid.uuid4()))
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.vaccinations_list("p1")
    assert status_name(failure.value) == "CARNET_E_CREDENTIALS", failure.value


def test_expired_and_not_yet_valid_certificates_are_refused_before_any_connection(lib, sandbox, tmp_path):
    now = datetime.datetime.now(UTC)
    expired = sandbox.forge_client_certificate(not_before=now - datetime.timedelta(days=400),
                                               not_after=now - datetime.timedelta(days=1))
    future = sandbox.forge_client_certificate(not_before=now + datetime.timedelta(days=2),
                                              not_after=now + datetime.timedelta(days=300))
    with open_client(lib, sandbox, str(tmp_path / "s")) as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_import_p12(p12_of(expired, tmp_path / "expired.p12"), P12_PASSWORD)
        assert status_name(failure.value) == "CARNET_E_CERTIFICATE_EXPIRED"
        assert "expiré" in failure.value.message
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_import_p12(p12_of(future, tmp_path / "future.p12"), P12_PASSWORD)
        assert status_name(failure.value) == "CARNET_E_CREDENTIALS"
        assert "pas encore valide" in failure.value.message
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_info()
        assert status_name(failure.value) == "CARNET_E_NO_CERTIFICATE", "nothing was installed"


@pytest.mark.parametrize("case", ["none", "expired", "not-yet-valid", "foreign-ca"])
def test_the_sandbox_refuses_bad_client_certificates_at_the_handshake(sandbox, tmp_path, case):
    now = datetime.datetime.now(UTC)
    context = ssl.create_default_context(cafile=sandbox.ca_cert)
    if case == "expired":
        ident = sandbox.forge_client_certificate(not_before=now - datetime.timedelta(days=10),
                                                 not_after=now - datetime.timedelta(days=1))
        context.load_cert_chain(ident.cert_path, ident.key_path)
    elif case == "not-yet-valid":
        ident = sandbox.forge_client_certificate(not_before=now + datetime.timedelta(days=1),
                                                 not_after=now + datetime.timedelta(days=10))
        context.load_cert_chain(ident.cert_path, ident.key_path)
    elif case == "foreign-ca":
        foreign = ClientPKI(str(tmp_path))
        from security_support import cert_pem, key_pem, write
        context.load_cert_chain(write(tmp_path / "f.crt", cert_pem(foreign.cert)),
                                write(tmp_path / "f.key", key_pem(foreign.key)))
    with pytest.raises((ssl.SSLError, ConnectionError)):
        response = sandbox.raw_request("GET", "/fhir/metadata", context=context, timeout=10)
        # With TLS 1.3 the refusal arrives on the first read; a response here is a failure.
        pytest.fail(f"served with a {case} client certificate: {response.status}")


# ----------------------------------------------------------------------------- other professionals

def test_through_the_library_another_professionals_carnet_is_a_carnet_that_does_not_exist(
        lib, sandbox, tmp_path, pro_a, pro_b, carnet_of_a):
    carnet_id, _ = carnet_of_a
    professional, identity = pro_b
    with library_client(lib, sandbox, tmp_path, identity, professional) as client:
        client.link_set("theirs", carnet_id)
        client.link_set("nobody", str(uuid.uuid4()))
        seen = {}
        for patient in ("theirs", "nobody"):
            for name, call in (("list", client.vaccinations_list), ("resend", client.share_code_resend)):
                try:
                    seen.setdefault(patient, []).append((name, "CARNET_OK", json.dumps(call(patient))))
                except carnet.CarnetFailure as failure:
                    seen.setdefault(patient, []).append((name, status_name(failure), failure.message, failure.code))
            try:
                status, state = client.vaccination_add(patient, {
                    "resourceType": "Immunization", "identifier": [{"value": "intrus-" + patient}],
                    "vaccineCode": {"coding": [{"system": "https://smt.esante.gouv.fr/terminologie-bdpm",
                                                "code": AGRIPPAL}]},
                    "occurrenceDateTime": "2025-10-01"})
                seen[patient].append(("add", carnet.STATUS_NAMES.get(status), state.get("state"),
                                      state.get("status")))
            except carnet.CarnetFailure as failure:
                seen[patient].append(("add", status_name(failure), failure.message, failure.code))
        assert seen["theirs"] == seen["nobody"], seen
        # The carnet's list is empty, as for an unknown id; resend is "not found".
        assert seen["theirs"][0][1] == "CARNET_OK" and '"total": 0' in seen["theirs"][0][2], seen
        assert seen["theirs"][1][1] == "CARNET_E_NOT_FOUND", seen
        assert carnet_id not in json.dumps(seen)
        # Sync as B shows nothing of A's carnet.
        assert carnet_id not in json.dumps(client.sync())
    # Nothing B sent reached A's carnet.
    _, identity_a = pro_a
    bundle = sandbox.request("GET", f"Immunization?patient={carnet_id}&_count=100", identity=identity_a).json()
    assert bundle["total"] == 1 and "intrus" not in json.dumps(bundle)


def test_a_token_is_refused_with_another_certificate(sandbox, pro_a, pro_b):
    professional, identity_a = pro_a
    _, identity_b = pro_b
    form = f"grant_type=password&username={professional.email}&password={professional.password}"
    issued = sandbox.raw_request("POST", "/oauth/token", body=form.replace("@", "%40").encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"}, identity=identity_a)
    assert issued.status == 200, issued.body
    token = issued.json()["access_token"]
    bearer = {"Authorization": "Bearer " + token}
    assert sandbox.request("GET", "Patient?_count=1", identity=identity_a, headers=bearer).status == 200
    stolen = sandbox.request("GET", "Patient?_count=1", identity=identity_b, headers=bearer)
    assert stolen.status == 401 and outcome_code(stolen.json()) == "token-binding-mismatch"
    # Even A's own second certificate does not carry A's token.
    second = sandbox.enroll(sandbox.new_withdrawal_code(professional.email))
    again = sandbox.request("GET", "Patient?_count=1", identity=second, headers=bearer)
    assert again.status == 401 and outcome_code(again.json()) == "token-binding-mismatch"
    forged = sandbox.request("GET", "Patient?_count=1", identity=identity_a,
                             headers={"Authorization": "Bearer " + token[:-2] + "xx"})
    assert forged.status == 401


# ----------------------------------------------------------------------------- guessing

def test_share_code_guessing_through_the_library_is_locked_out(lib, sandbox, tmp_path):
    """30 wrong share codes in 15 minutes lock lookups for this professional (even a right code),
    not for others; the library reports the lock as CARNET_E_LOCKED and never echoes a code."""
    professional, identity = sandbox.professional_identity()
    family = sandbox.create_ten_carnet_citizen()
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    statuses = []
    with library_client(lib, sandbox, tmp_path, identity, professional) as client:
        for attempt in range(32):
            symbols = "".join(alphabet[(attempt * 7 + i * 13) % len(alphabet)] for i in range(11))
            guess = f"{symbols[:4]}-{symbols[4:8]}-{symbols[8:]}"
            try:
                client.share_code_lookup(guess)
                statuses.append("CARNET_OK")
            except carnet.CarnetFailure as failure:
                statuses.append(status_name(failure))
                assert guess not in failure.message and symbols[:4] not in failure.message
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.share_code_lookup(family.share_code)
        assert status_name(failure.value) == "CARNET_E_LOCKED", "even a right code waits for the lock"
    assert statuses[:30] == ["CARNET_E_ACCESS_DENIED"] * 30, statuses
    assert statuses[30:] == ["CARNET_E_LOCKED"] * 2, statuses
    # Another professional is not locked by this one's guesses.
    _, other = sandbox.professional_identity()
    assert len(sandbox.lookup_share_code(other, family.share_code)) == 10


def test_withdrawal_code_guessing_is_locked_out_and_a_used_code_refused(lib, tmp_path):
    with Sandbox(withdrawal_max_failures=3) as own:
        professional = own.create_professional()
        statuses = []
        with open_client(lib, own, str(tmp_path / "s"), professional) as client:
            for guess in ("AAAA-BBBB-CCCC-DDDD", "EEEE-FFFF-GGGG-HHHH", "JJJJ-KKKK-LLLL-MMMM",
                          "NNNN-PPPP-QQQQ-RRRR", professional.withdrawal_code):
                try:
                    client.certificate_enroll(guess)
                    statuses.append("CARNET_OK")
                except carnet.CarnetFailure as failure:
                    statuses.append(status_name(failure))
                    assert guess not in failure.message
        assert statuses[:3] == ["CARNET_E_WITHDRAWAL_CODE"] * 3, statuses
        assert statuses[3:] == ["CARNET_E_LOCKED", "CARNET_E_LOCKED"], "even the right code waits for the lock"

    with Sandbox() as fresh:
        professional = fresh.create_professional()
        with open_client(lib, fresh, str(tmp_path / "a"), professional) as client:
            client.certificate_enroll(professional.withdrawal_code)
        with open_client(lib, fresh, str(tmp_path / "b"), professional) as client:
            with pytest.raises(carnet.CarnetFailure) as failure:
                client.certificate_enroll(professional.withdrawal_code)
        assert status_name(failure.value) == "CARNET_E_WITHDRAWAL_CODE"
        assert "déjà été utilisé" in failure.value.message


# ----------------------------------------------------------------------------- hostile bodies

HOSTILE_BODIES = {
    "deep nesting": b"[" * 10000 + b"]" * 10000,
    "deep objects": b'{"a":' * 10000 + b"1" + b"}" * 10000,
    "invalid UTF-8": b'{"resourceType": "Immunization", "lotNumber": "\xc3\x28\xed\xa0\x80"}',
    "duplicate keys": b'{"resourceType": "Immunization", "resourceType": "Patient"}',
    "huge number": b'{"resourceType": "Immunization", "x": 1' + b"0" * 100000 + b"}",
    "lone surrogate escape": b'{"resourceType": "Immunization", "lotNumber": "\\ud800"}',
    "NUL": b'{"resourceType": "Immunization\x00"}',
}


@pytest.mark.parametrize("endpoint", ["/fhir/Immunization", "/fhir/$share-code-lookup", "/fhir/Patient"])
def test_hostile_bodies_get_a_clear_4xx_and_the_server_keeps_serving(sandbox, pro_a, endpoint):
    _, identity = pro_a
    headers = {"Content-Type": "application/fhir+json"}
    for name, body in HOSTILE_BODIES.items():
        response = sandbox.raw_request("POST", endpoint, body=body, headers=headers, identity=identity)
        assert 400 <= response.status < 500, (name, response.status, response.body[:200])
        assert json.loads(response.body)["resourceType"] == "OperationOutcome", name
    big = b'{"resourceType": "Immunization", "note": [{"text": "' + b"x" * (3 << 20) + b'"}]}'
    try:
        response = sandbox.raw_request("POST", endpoint, body=big, headers=headers, identity=identity)
        assert response.status == 413, response.status
    except (ConnectionError, ssl.SSLError):
        pass  # closing the connection on a 3 MiB body is a refusal too
    assert sandbox.request("GET", "metadata", identity=identity).status == 200


def test_oversized_headers_and_garbage_requests_do_not_stop_the_server(sandbox, pro_a):
    _, identity = pro_a
    context = sandbox.ssl_context(identity)
    for payload in (b"GARBAGE\r\n\r\n", b"GET /fhir/metadata HTTP/1.1\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n",
                    b"\x16\x03\x01\x00\x00" * 10):
        with socket.create_connection(("127.0.0.1", sandbox.fhir_port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                try:
                    tls.sendall(payload)
                    answer = tls.recv(200)
                    assert not answer or answer.startswith(b"HTTP/1.1 4"), answer[:100]
                except (ConnectionError, ssl.SSLError, socket.timeout):
                    pass
    assert sandbox.request("GET", "metadata", identity=identity).status == 200


def test_many_concurrent_abusive_clients_do_not_stop_the_server(sandbox, pro_a):
    _, identity = pro_a
    errors = []

    def abuse():
        try:
            for body in HOSTILE_BODIES.values():
                response = sandbox.raw_request("POST", "/fhir/Immunization", body=body, identity=identity,
                                               headers={"Content-Type": "application/fhir+json"})
                if not 400 <= response.status < 500:
                    errors.append(response.status)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(error))

    threads = [threading.Thread(target=abuse) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sandbox.request("GET", "metadata", identity=identity).status == 200
