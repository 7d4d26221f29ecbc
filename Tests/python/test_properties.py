"""Property tests of the C functions' input handling, through ctypes
(hypothesis). Each property holds for every generated input; the service is
unreachable (127.0.0.1:9), so validation, the local store and the failure
paths run. Complements test_arguments.py (fixed hostile values) and the
libFuzzer target Tests/fuzz/fuzz_arguments.c (same invariants, C harness).
"""
import ctypes
import json
import re
import uuid

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import carnet
from carnet import C

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KNOWN = set(carnet.STATUS_NAMES)
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Argument bytes: anything but NUL (which ends a C string), often valid UTF-8, sometimes not.
raw_bytes = st.binary(min_size=0, max_size=400).map(lambda b: b.replace(b"\0", b""))
text_bytes = st.text(min_size=0, max_size=300).map(lambda s: s.replace("\0", "").encode("utf-8"))
argument = st.one_of(raw_bytes, text_bytes, st.none())
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10 ** 30), max_value=10 ** 30) | st.floats(allow_nan=False,
                                                                                                 allow_infinity=False)
    | st.text(max_size=40),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=5),
    max_leaves=30)


@pytest.fixture(scope="module")
def client(lib, tmp_path_factory):
    store = str(tmp_path_factory.mktemp("props") / "store")
    with carnet.Client(lib, store, service_url="https://127.0.0.1:9/fhir", identity_secret="propriétés",
                       connect_timeout_ms=300, request_timeout_ms=600) as c:
        yield c


def call(client, name, *args, out=False):
    """Calls a C function with raw arguments; returns (status name, message, out string)."""
    error = carnet.Error()
    # Every byte poisoned but struct_size (a garbage size would, rightly, leave the struct unwritten).
    size_at = carnet.Error.status.offset
    ctypes.memset(ctypes.addressof(error) + size_at, 0x5A, ctypes.sizeof(error) - size_at)
    pointer = ctypes.c_void_p(0xDEAD) if out else None
    extra = (ctypes.byref(pointer),) if out else ()
    status = getattr(client.lib, name)(client.handle, *args, *extra, ctypes.byref(error))
    assert status in KNOWN, status
    assert error.status == status
    raw = bytes(error.message)
    assert b"\0" in raw or len(raw) < C["CARNET_ERROR_MESSAGE_SIZE"]
    message = raw.split(b"\0", 1)[0].decode("utf-8")  # raises if not UTF-8
    # The raw bytes: ctypes would stop at the first NUL and hide a missing one.
    field = ctypes.string_at(ctypes.addressof(error) + carnet.Error.field.offset, C["CARNET_ERROR_FIELD_SIZE"])
    assert b"\0" in field
    field = field.split(b"\0", 1)[0]
    assert all(0x20 < byte < 0x7F for byte in field), field
    if status == C["CARNET_E_INVALID_ARGUMENT"]:
        assert field, "an invalid argument always names its input"
    if status == C["CARNET_OK"]:
        assert message == "" and field == b""
    else:
        assert message, "a failure always explains itself"
    text = None
    if out:
        if status not in (C["CARNET_OK"], C["CARNET_PENDING"]):
            assert not pointer.value, "out_* must be NULL on failure"
        elif pointer.value:
            text = carnet.take_string(client.lib, pointer.value)
    return carnet.STATUS_NAMES[status], message, text


@SETTINGS
@given(patient=argument, carnet_id=argument)
def test_link_set_accepts_exactly_valid_ids_and_reads_back_lowercase(client, patient, carnet_id):
    status, message, _ = call(client, "carnet_link_set", patient, carnet_id)
    valid_patient = patient is not None and 0 < len(patient) <= 256 and _utf8(patient) and not _controls(patient)
    valid_uuid = carnet_id is not None and _utf8(carnet_id) and _is_uuid(carnet_id.decode())
    if valid_patient and valid_uuid:
        assert status == "CARNET_OK", message
        got, _, linked = call(client, "carnet_link_get", patient, out=True)
        assert got == "CARNET_OK" and linked == carnet_id.decode().lower()
    else:
        assert status == "CARNET_E_INVALID_ARGUMENT", (status, patient, carnet_id)


@SETTINGS
@given(patient=text_bytes.filter(lambda b: 0 < len(b) <= 256), carnet_id=st.uuids())
def test_link_round_trip_for_any_printable_patient_id(client, patient, carnet_id):
    assume(not _controls(patient))
    spelled = str(carnet_id).upper().encode()
    assert call(client, "carnet_link_set", patient, spelled)[0] == "CARNET_OK"
    assert call(client, "carnet_link_get", patient, out=True)[2] == str(carnet_id)
    assert call(client, "carnet_link_remove", patient)[0] == "CARNET_OK"
    assert call(client, "carnet_link_get", patient, out=True)[0] == "CARNET_E_NOT_FOUND"


@SETTINGS
@given(query=argument)
def test_vaccine_search_answers_a_valueset_or_names_the_argument(client, query):
    status, message, text = call(client, "carnet_vaccines_search", query, out=True)
    if query is not None and 0 < len(query) <= 256 and _utf8(query):
        assert status == "CARNET_OK", message
        document = json.loads(text)
        assert document["resourceType"] == "ValueSet"
        assert len(document["expansion"].get("contains", [])) <= 20
    else:
        assert status == "CARNET_E_INVALID_ARGUMENT" and "query" in message


@SETTINGS
@given(document=json_values)
def test_any_json_as_a_mapping_is_validated_never_a_crash(client, document):
    call(client, "carnet_link_set", b"mapped", b"0b9a7c5e-1f2d-4c3b-8a9e-7d6c5b4a3f21")
    status, message, _ = call(client, "carnet_vaccinations_accept", b"mapped", json.dumps(document).encode())
    assert status in ("CARNET_OK", "CARNET_E_INVALID_ARGUMENT", "CARNET_E_CONFLICT", "CARNET_E_NOT_FOUND"), message


@SETTINGS
@given(document=json_values, as_patient=st.booleans())
def test_any_json_as_a_patient_or_immunization_is_refused_before_the_network(client, document, as_patient):
    if as_patient and isinstance(document, dict):
        document["resourceType"] = "Patient"
    body = json.dumps(document).encode()
    patient = ("p-" + uuid.uuid4().hex).encode()
    status, message, _ = call(client, "carnet_record_create", patient, body, out=True)
    # Random JSON is never a complete Patient: it is refused by validation, naming what is wrong.
    assert status == "CARNET_E_INVALID_ARGUMENT", (status, message, body[:200])
    status, message, _ = call(client, "carnet_vaccination_add", patient, body, out=True)
    assert status in ("CARNET_E_INVALID_ARGUMENT", "CARNET_E_NOT_FOUND"), (status, message)


@SETTINGS
@given(text=raw_bytes)
def test_non_utf8_is_always_refused(client, text):
    assume(not _utf8(text))
    for name, args, out in (("carnet_link_get", (text,), True), ("carnet_vaccines_search", (text,), True),
                            ("carnet_share_code_lookup", (text,), True),
                            ("carnet_vaccination_remove", (b"p1", text), False)):
        status, message, _ = call(client, name, *args, out=out)
        assert status == "CARNET_E_INVALID_ARGUMENT", (name, status)
        assert "UTF-8" in message


@SETTINGS
@given(value=st.integers(min_value=-(2 ** 31), max_value=2 ** 31 - 1))
def test_status_string_is_total(lib, value):
    name = lib.carnet_status_string(value).decode()
    assert name.startswith("CARNET_")
    assert name == carnet.STATUS_NAMES.get(value, "CARNET_E_UNKNOWN")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=argument, pin=argument)
def test_open_validates_service_url_and_pin(lib, tmp_path, url, pin):
    options = carnet.Options()
    lib.carnet_options_init(ctypes.byref(options), C["CARNET_OPTIONS_VERSION"])
    options.store_directory = str(tmp_path / "open").encode()
    options.service_url = url
    options.pinned_public_key = pin
    handle = ctypes.c_void_p()
    error = carnet.Error()
    status = lib.carnet_client_open(ctypes.byref(options), ctypes.byref(handle), ctypes.byref(error))
    try:
        assert (status == C["CARNET_OK"]) == bool(handle.value)
        if status != C["CARNET_OK"]:
            assert carnet.STATUS_NAMES[status] == "CARNET_E_INVALID_ARGUMENT", error.text
            assert "service_url" in error.text or "pinned_public_key" in error.text
        else:
            assert url is None or url.lower().startswith(b"https://")
            assert pin is None or pin.startswith(b"sha256//")
    finally:
        lib.carnet_client_close(handle)


def _utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _controls(data):
    """Unicode general category Cc (C0, DEL and C1), which a host patient id may not hold."""
    import unicodedata
    return any(unicodedata.category(ch) == "Cc" for ch in data.decode("utf-8"))


def _is_uuid(text):
    return bool(UUID_RE.match(text.lower())) and len(text) == 36


# ----------------------------------------------------------------------------- what the service answers

fhir_scalars = (st.none() | st.booleans() | st.integers(min_value=-(2 ** 63), max_value=2 ** 64)
                | st.text(max_size=30) | st.sampled_from(["Immunization", "Patient", "Bundle", "next", "self",
                                                         "completed", "entered-in-error", "2025-10-15",
                                                         "Immunization?_after=abc", "0b9a7c5e-1f2d-4c3b-8a9e-7d6c5b4a3f21"]))
fhir_keys = st.sampled_from(["resourceType", "id", "entry", "resource", "link", "relation", "url", "fullUrl",
                             "meta", "versionId", "identifier", "value", "system", "status", "request", "method",
                             "response", "total", "type", "patient", "reference", "deleted", "cursor", "next"])
fhir_like = st.recursive(fhir_scalars, lambda children: st.lists(children, max_size=4)
                         | st.dictionaries(fhir_keys, children, max_size=6), max_leaves=25)
answers = st.one_of(
    fhir_like.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(fhir_keys, fhir_like, max_size=6).map(
        lambda d: json.dumps(dict(d, resourceType="Bundle")).encode()),
    st.binary(max_size=200))


@pytest.fixture(scope="module")
def service(lib, tmp_path_factory):
    """A loopback FHIR service answering whatever the current example says, and a client trusting it."""
    from security_support import CARNET_ID, IDENTITY_SECRET, P12_PASSWORD, Authority, ClientPKI, LoopbackServer, \
        cert_pem, server_context, write
    directory = tmp_path_factory.mktemp("answers")
    root = Authority("Property root")
    cert, key = root.issue(ips=["127.0.0.1"])
    pki = ClientPKI(str(directory))
    current = {"body": b"{}", "status": 200}

    def handler(exchange, connection):
        body = current["body"]
        connection.sendall((f"HTTP/1.1 {current['status']} X\r\nContent-Type: application/fhir+json\r\n"
                            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body)

    with LoopbackServer(server_context(cert_pem(cert), key), handler) as server:
        with carnet.Client(lib, str(directory / "store"), service_url=server.url(),
                           ca_bundle_path=write(directory / "root.pem", cert_pem(root.cert)),
                           identity_secret=IDENTITY_SECRET, request_timeout_ms=3000) as client:
            client.certificate_import_p12(pki.p12_path, P12_PASSWORD)
            client.link_set("p1", CARNET_ID)
            yield client, current


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=answers, status=st.sampled_from([200, 200, 200, 201, 400, 404, 409, 410, 422, 429, 500, 503]))
def test_any_answer_of_the_service_is_decoded_or_refused(service, body, status):
    client, current = service
    current.update(body=body, status=status)
    for name in ("carnet_vaccinations_list", "carnet_sync"):
        args = (b"p1",)
        result, message, text = call(client, name, *args, out=True)
        assert result in ("CARNET_OK", "CARNET_E_PROTOCOL", "CARNET_E_HTTP", "CARNET_E_NOT_FOUND",
                          "CARNET_E_CONFLICT", "CARNET_E_LOCKED", "CARNET_E_REJECTED", "CARNET_E_CREDENTIALS",
                          "CARNET_E_ACCESS_DENIED"), (name, result, message, body[:200])
        if result == "CARNET_OK":
            json.loads(text)
