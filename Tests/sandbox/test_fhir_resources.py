"""Patient (carnet) and Immunization: create/read/update/delete, conditional create, ETags,
search paging, and FHIR error semantics (every error an OperationOutcome with the right status)."""

import datetime
import urllib.parse
import json
import uuid

from fhir_checks import outcome, validate
from sandbox_process import CIS_SYSTEM, immunization_resource, patient_resource

AGRIPPAL = "61921204"


def test_patient_create_assigns_a_uuid_and_emails_the_share_code(sandbox, pro_a):
    _, identity = pro_a
    address = f"louise-{uuid.uuid4().hex[:6]}@example.org"
    patient = patient_resource(email=address, ins="248000000000012", pseudonym="Louise")
    response = sandbox.request("POST", "Patient", patient, identity=identity)
    assert response.status == 201, response.body
    created = validate(response.json())
    assert str(uuid.UUID(created["id"])) == created["id"]
    assert created["meta"]["versionId"] == "1"
    assert response.header("etag") == 'W/"1"'
    assert response.header("location").endswith(f"/fhir/Patient/{created['id']}/_history/1")
    assert created["name"] == patient["name"] and created["birthDate"] == patient["birthDate"]
    assert created["identifier"][0]["value"] == "248000000000012"
    code = sandbox.latest_share_code(address)
    assert len(code.replace("-", "")) == 11
    read = sandbox.request("GET", f"Patient/{created['id']}", identity=identity)
    assert read.status == 200 and validate(read.json()) == created


def test_patient_missing_elements_are_422_naming_the_element(sandbox, pro_a):
    _, identity = pro_a
    for field, expression in (("birthDate", "Patient.birthDate"), ("gender", "Patient.gender"),
                              ("telecom", "Patient.telecom.where(system='email')"), ("name", "Patient.name")):
        patient = patient_resource()
        del patient[field]
        body = outcome(sandbox.request("POST", "Patient", patient, identity=identity), 422, "required", "missing-element")
        assert body["issue"][0]["expression"] == [expression]
    patient = patient_resource()
    patient["name"][0]["given"] = []
    outcome(sandbox.request("POST", "Patient", patient, identity=identity), 422, "required")
    bad_date = patient_resource(birth_date="2019-02-30")
    outcome(sandbox.request("POST", "Patient", bad_date, identity=identity), 422, "value")
    future = patient_resource(birth_date="2999-01-01")
    outcome(sandbox.request("POST", "Patient", future, identity=identity), 422, "business-rule")
    outcome(sandbox.request("POST", "Patient", {"resourceType": "Immunization"}, identity=identity), 400, "invalid")


def test_immunization_lifecycle_with_etags(sandbox, pro_a, carnet_a):
    _, identity = pro_a
    carnet_id, _ = carnet_a
    resource = immunization_resource(carnet_id, cis=AGRIPPAL, lot="AB123")
    created = sandbox.request("POST", "Immunization", resource, identity=identity)
    assert created.status == 201, created.body
    imm = validate(created.json())
    assert created.header("etag") == 'W/"1"' and imm["meta"]["versionId"] == "1"
    import email.utils

    assert email.utils.parsedate_to_datetime(created.header("last-modified")).tzinfo is not None
    read = sandbox.request("GET", f"Immunization/{imm['id']}", identity=identity)
    assert read.status == 200 and read.header("etag") == 'W/"1"' and read.json() == imm

    update = dict(imm, lotNumber="CD456")
    stale = sandbox.request("PUT", f"Immunization/{imm['id']}", update, identity=identity, headers={"If-Match": 'W/"7"'})
    outcome(stale, 412, "conflict", "version-conflict")
    ok = sandbox.request("PUT", f"Immunization/{imm['id']}", update, identity=identity, headers={"If-Match": 'W/"1"'})
    assert ok.status == 200 and ok.header("etag") == 'W/"2"'
    assert validate(ok.json())["lotNumber"] == "CD456"
    again = sandbox.request("PUT", f"Immunization/{imm['id']}", update, identity=identity, headers={"If-Match": 'W/"1"'})
    outcome(again, 412, "conflict")

    delete_stale = sandbox.request("DELETE", f"Immunization/{imm['id']}", identity=identity, headers={"If-Match": 'W/"1"'})
    outcome(delete_stale, 412, "conflict")
    deleted = sandbox.request("DELETE", f"Immunization/{imm['id']}", identity=identity)
    assert deleted.status == 204 and deleted.header("etag") == 'W/"3"'
    outcome(sandbox.request("GET", f"Immunization/{imm['id']}", identity=identity), 410, "deleted")
    assert sandbox.request("DELETE", f"Immunization/{imm['id']}", identity=identity).status == 204  # idempotent
    outcome(sandbox.request("PUT", f"Immunization/{imm['id']}", update, identity=identity), 410, "deleted")
    v1 = sandbox.request("GET", f"Immunization/{imm['id']}/_history/1", identity=identity)
    assert v1.status == 200 and v1.json()["lotNumber"] == "AB123"


def test_conditional_create_on_identifier(sandbox, pro_a, carnet_a):
    _, identity = pro_a
    carnet_id, _ = carnet_a
    host_id = "vacc-" + uuid.uuid4().hex
    resource = immunization_resource(carnet_id, cis=AGRIPPAL, identifier=host_id)
    condition = {"If-None-Exist": f"identifier=urn:carnet:host:test-ehr:vaccination|{host_id}"}
    first = sandbox.request("POST", "Immunization", resource, identity=identity, headers=condition)
    assert first.status == 201
    second = sandbox.request("POST", "Immunization", dict(resource, lotNumber="other"), identity=identity, headers=condition)
    assert second.status == 200
    assert second.json() == first.json()  # the existing resource, unchanged
    # the same condition percent-encoded (as libcarnet sends it) finds the same resource
    encoded = {"If-None-Exist": "identifier=" + urllib.parse.quote(f"urn:carnet:host:test-ehr:vaccination|{host_id}",
                                                                   safe="")}
    again = sandbox.request("POST", "Immunization", resource, identity=identity, headers=encoded)
    assert again.status == 200 and again.json()["id"] == first.json()["id"]
    # and so does a mix: encoded system, raw bar (other clients send it so)
    mixed = {"If-None-Exist": "identifier=" + urllib.parse.quote("urn:carnet:host:test-ehr:vaccination", safe="")
             + "|" + host_id}
    again = sandbox.request("POST", "Immunization", resource, identity=identity, headers=mixed)
    assert again.status == 200 and again.json()["id"] == first.json()["id"]
    # without the condition, a duplicate identifier is a conflict (unique index)
    outcome(sandbox.request("POST", "Immunization", resource, identity=identity), 409, "duplicate")
    search = sandbox.request("GET", f"Immunization?patient={carnet_id}", identity=identity).json()
    assert [e["resource"]["id"] for e in search.get("entry", [])].count(first.json()["id"]) == 1
    outcome(sandbox.request("POST", "Immunization", resource, identity=identity,
                            headers={"If-None-Exist": "code=123"}), 400, "invalid")
    # after a delete, the same host id may be created again
    sandbox.request("DELETE", f"Immunization/{first.json()['id']}", identity=identity)
    third = sandbox.request("POST", "Immunization", resource, identity=identity, headers=condition)
    assert third.status == 201 and third.json()["id"] != first.json()["id"]


def test_today_is_the_day_of_the_time_zone_the_client_declares(sandbox, pro_a, carnet_a):
    # UTC+14 and UTC-12 are 26 hours apart: today at +14:00 is always after today at -12:00.
    _, identity = pro_a
    carnet_id, _ = carnet_a
    now = datetime.datetime.now(datetime.timezone.utc)
    kiribati_today = (now + datetime.timedelta(hours=14)).date().isoformat()
    late_day = immunization_resource(carnet_id, cis=AGRIPPAL, date=kiribati_today)
    behind = sandbox.request("POST", "Immunization", late_day, identity=identity,
                             headers={"X-Carnet-Time-Zone": "-12:00"})
    outcome(behind, 422, "business-rule", "date-in-future")
    ahead = sandbox.request("POST", "Immunization", late_day, identity=identity,
                            headers={"X-Carnet-Time-Zone": "+14:00"})
    assert ahead.status == 201, ahead.body
    # A zone the service does not know is refused, not replaced by the service's own.
    outcome(sandbox.request("POST", "Immunization", late_day, identity=identity,
                            headers={"X-Carnet-Time-Zone": "Mars/Olympus_Mons"}), 400, "invalid")


def test_immunization_business_rules(sandbox, pro_a, carnet_a):
    _, identity = pro_a
    carnet_id, patient = carnet_a
    future = immunization_resource(carnet_id, cis=AGRIPPAL, date="2999-01-01")
    outcome(sandbox.request("POST", "Immunization", future, identity=identity), 422, "business-rule", "date-in-future")
    before_birth = immunization_resource(carnet_id, cis=AGRIPPAL, date="2010-01-01")
    assert patient["birthDate"] > "2010-01-01"
    outcome(sandbox.request("POST", "Immunization", before_birth, identity=identity), 422, "business-rule", "date-before-birth")
    unknown = immunization_resource(carnet_id, cis="99999999")
    outcome(sandbox.request("POST", "Immunization", unknown, identity=identity), 422, "business-rule", "unknown-vaccine-code")
    no_cis = immunization_resource(carnet_id)
    no_cis["vaccineCode"]["coding"][0]["system"] = "http://example.org/other"
    outcome(sandbox.request("POST", "Immunization", no_cis, identity=identity), 422, "required", "missing-element")
    for field in ("status", "occurrenceDateTime", "patient", "vaccineCode"):
        missing = immunization_resource(carnet_id, cis=AGRIPPAL)
        del missing[field]
        outcome(sandbox.request("POST", "Immunization", missing, identity=identity), 422, "required")
    bad_status = dict(immunization_resource(carnet_id, cis=AGRIPPAL), status="done")
    outcome(sandbox.request("POST", "Immunization", bad_status, identity=identity), 422, "value")
    with_time = immunization_resource(carnet_id, cis=AGRIPPAL, date="2024-10-15T10:30:00+02:00")
    assert sandbox.request("POST", "Immunization", with_time, identity=identity).status == 201


def test_search_by_patient_pages_with_next_links(sandbox, pro_a):
    _, identity = pro_a
    carnet_id = sandbox.request("POST", "Patient", patient_resource(), identity=identity).json()["id"]
    ids = set()
    for day in range(1, 8):
        created = sandbox.request("POST", "Immunization",
                                  immunization_resource(carnet_id, cis=AGRIPPAL, date=f"2024-10-{day:02d}"), identity=identity)
        ids.add(created.json()["id"])
    seen = []
    path = f"Immunization?patient=Patient/{carnet_id}&_count=3"
    pages = 0
    while path:
        bundle = validate(sandbox.request("GET", path, identity=identity).json())
        assert bundle["type"] == "searchset" and bundle["total"] == 7
        seen += [e["resource"]["id"] for e in bundle.get("entry", [])]
        assert len(bundle.get("entry", [])) <= 3
        nxt = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        path = nxt[0].split("://", 1)[1].split("/", 1)[1] if nxt else None
        path = "/" + path if path else None
        pages += 1
    assert pages == 3 and len(seen) == 7 and set(seen) == ids
    outcome(sandbox.request("GET", "Immunization", identity=identity), 400, "invalid")
    outcome(sandbox.request("GET", f"Immunization?patient={carnet_id}&_count=zero", identity=identity), 400)
    outcome(sandbox.request("GET", f"Immunization?patient={carnet_id}&vaccine-code=x", identity=identity), 400, "not-supported")


def test_malformed_bodies_are_clear_400s_and_the_server_keeps_serving(sandbox, pro_a):
    _, identity = pro_a
    headers = {"Content-Type": "application/fhir+json"}
    cases = {
        "syntax": b'{"resourceType": "Patient",',
        "duplicate keys": b'{"resourceType": "Patient", "resourceType": "Immunization"}',
        "deep nesting": b"[" * 10000 + b"]" * 10000,
        "invalid UTF-8": b'{"resourceType": "Patient", "name": [{"family": "\xff\xfe"}]}',
        "not an object": b'"Patient"',
        "trailing": b'{"resourceType": "Patient"} x',
    }
    for name, body in cases.items():
        response = sandbox.raw_request("POST", "/fhir/Patient", body=body, headers=headers, identity=identity)
        assert response.status == 400, (name, response.status, response.body[:200])
        validate(response.json())
    outcome(sandbox.raw_request("POST", "/fhir/Patient", body=b"{}", headers={"Content-Type": "text/plain"},
                                identity=identity), 415, "not-supported")
    outcome(sandbox.raw_request("POST", "/fhir/Patient", body=b"", headers=headers, identity=identity), 400)
    assert sandbox.request("GET", "metadata", identity=identity).status == 200


def test_bodies_over_one_mebibyte_are_refused(sandbox, pro_a):
    _, identity = pro_a
    big = json.dumps(dict(patient_resource(), text={"status": "generated", "div": "x" * (1 << 20)})).encode()
    response = sandbox.raw_request("POST", "/fhir/Patient", body=big, identity=identity,
                                   headers={"Content-Type": "application/fhir+json"})
    outcome(response, 413, "too-costly", "body-too-large")
    assert sandbox.request("GET", "metadata", identity=identity).status == 200


def test_request_id_is_echoed_or_generated(sandbox, pro_a):
    _, identity = pro_a
    echoed = sandbox.request("GET", "metadata", identity=identity, headers={"X-Request-Id": "host-42.abc"})
    assert echoed.header("x-request-id") == "host-42.abc"
    error = sandbox.request("GET", f"Patient/{uuid.uuid4()}", identity=identity, headers={"X-Request-Id": "req-7"})
    assert error.status == 404 and error.header("x-request-id") == "req-7"
    generated = sandbox.request("GET", "metadata", identity=identity)
    assert uuid.UUID(generated.header("x-request-id"))


def test_unknown_endpoints_and_ids(sandbox, pro_a):
    _, identity = pro_a
    outcome(sandbox.request("GET", "Observation/1", identity=identity), 404, "not-found", "unknown-endpoint")
    outcome(sandbox.request("GET", f"Immunization/{uuid.uuid4()}", identity=identity), 404, "not-found", "not-found")
    outcome(sandbox.request("GET", "Patient/bad%20id", identity=identity), 400, "invalid")
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=identity).json()
    outcome(sandbox.request("PUT", f"Patient/{carnet['id']}", carnet, identity=identity), 405, "not-supported", "method-not-allowed")
    outcome(sandbox.request("DELETE", f"Patient/{carnet['id']}", identity=identity), 405, "not-supported")
    assert sandbox.request("GET", f"Patient/{carnet['id']}", identity=identity).status == 200


def test_vaccine_coding_systems_other_than_cis_are_checked(sandbox, pro_a, carnet_a):
    _, identity = pro_a
    carnet_id, _ = carnet_a
    resource = immunization_resource(carnet_id, cis=AGRIPPAL)
    resource["vaccineCode"]["coding"].append({"system": "http://www.whocc.no/atc", "code": "J07BB02"})
    assert sandbox.request("POST", "Immunization", resource, identity=identity).status == 201
    resource = immunization_resource(carnet_id, cis=AGRIPPAL)
    resource["vaccineCode"]["coding"].append({"system": "http://www.whocc.no/atc", "code": "J07ZZ99"})
    outcome(sandbox.request("POST", "Immunization", resource, identity=identity), 422, "business-rule", "unknown-vaccine-code")
    assert resource["vaccineCode"]["coding"][0]["system"] == CIS_SYSTEM
