"""What standard FHIR tools rely on, at the HTTP level: `Prefer: return=`, Last-Modified on reads,
R4-only elements at every write (batch entries too), refused parameters on every endpoint that reads
parameters, `_count=0`/`_summary=count` on every search."""

import email.utils
import json
import urllib.parse

import pytest

from sandbox_process import immunization_resource as host_immunization
from sandbox_process import outcome_code, patient_resource


def immunization_resource(carnet, **kwargs):
    """A vaccination of HEXYON (in the built-in catalogue, whatever CARNET_NUVA_DIR says)."""
    return host_immunization(carnet, cis="60645557", **kwargs)


@pytest.fixture(scope="module")
def doctor(sandbox):
    _, identity = sandbox.professional_identity(name="Dr Eva Conforme", rpps="10000000043")
    created = sandbox.request("POST", "Patient", patient_resource(), identity=identity)
    assert created.status == 201
    return identity, created.json()["id"]


def test_prefer_return_minimal_answers_headers_only(sandbox, doctor):
    identity, carnet = doctor
    minimal = {"Prefer": "return=minimal"}
    created = sandbox.request("POST", "Immunization", immunization_resource(carnet), identity=identity,
                              headers=minimal)
    assert created.status == 201 and created.body == b""
    location = created.header("location")
    assert created.header("etag") == 'W/"1"' and created.header("last-modified")
    immunization_id = location.split("/Immunization/")[1].split("/")[0]
    read = sandbox.request("GET", f"Immunization/{immunization_id}", identity=identity).json()
    read["lotNumber"] = "M-1"
    updated = sandbox.request("PUT", f"Immunization/{immunization_id}", read, identity=identity, headers=minimal)
    assert updated.status == 200 and updated.body == b"" and updated.header("etag") == 'W/"2"'
    patient = sandbox.request("POST", "Patient", patient_resource(), identity=identity, headers=minimal)
    assert patient.status == 201 and patient.body == b"" and "/Patient/" in patient.header("location")


def test_a_matched_conditional_create_says_where_the_resource_is(sandbox, doctor):
    """200 to a conditional create that matched, answered minimally: no body, but
    Content-Location names the existing version, so the client needs no search."""
    identity, carnet = doctor
    resource = immunization_resource(carnet)
    value = resource["identifier"][0]
    condition = {"If-None-Exist": "identifier=" + urllib.parse.quote(value["system"] + "|" + value["value"], safe=""),
                 "Prefer": "return=minimal"}
    first = sandbox.request("POST", "Immunization", resource, identity=identity, headers=condition)
    again = sandbox.request("POST", "Immunization", resource, identity=identity, headers=condition)
    assert first.status == 201 and again.status == 200 and again.body == b""
    assert again.header("location") is None
    assert again.header("content-location") == first.header("location")
    assert again.header("etag") == 'W/"1"'


def test_prefer_return_operation_outcome(sandbox, doctor):
    identity, carnet = doctor
    created = sandbox.request("POST", "Immunization", immunization_resource(carnet), identity=identity,
                              headers={"Prefer": "return=OperationOutcome"})
    assert created.status == 201
    outcome = created.json()
    assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["severity"] == "information"
    assert created.header("location") and created.header("etag") == 'W/"1"'


def test_reads_and_version_reads_carry_last_modified_and_etag(sandbox, doctor):
    identity, carnet = doctor
    created = sandbox.request("POST", "Immunization", immunization_resource(carnet), identity=identity).json()
    for path in (f"Immunization/{created['id']}", f"Immunization/{created['id']}/_history/1",
                 f"Patient/{carnet}", f"Patient/{carnet}/_history/1"):
        response = sandbox.request("GET", path, identity=identity)
        assert response.status == 200, path
        resource = response.json()
        assert response.header("etag") == f'W/"{resource["meta"]["versionId"]}"'
        modified = email.utils.parsedate_to_datetime(response.header("last-modified"))
        updated = resource["meta"]["lastUpdated"]
        assert modified.strftime("%Y-%m-%dT%H:%M:%S") == updated[:19], (path, modified, updated)


@pytest.mark.parametrize("change,expression,code", [
    ({"nickname": "Lulu"}, "Patient.nickname", "unknown-element"),
    ({"name": [{"family": "Bernard", "given": ["Louise"], "middle": "Marie"}]}, "Patient.name[0].middle",
     "unknown-element"),
    ({"telecom": [{"system": "email", "value": "x@example.org", "preferred": True}]}, "Patient.telecom[0].preferred",
     "unknown-element"),
    ({"extension": [{"valueString": "no url"}]}, "Patient.extension[0].url", "malformed"),
    ({"name": {"family": "Bernard", "given": ["Louise"]}}, "Patient.name", "malformed"),
    ({"active": "yes"}, "Patient.active", "malformed"),
])
def test_patient_creation_refuses_what_is_not_r4(sandbox, doctor, change, expression, code):
    identity, _ = doctor
    before = sandbox.request("GET", "Patient?_summary=count", identity=identity).json()["total"]
    resource = dict(patient_resource(), **change)
    response = sandbox.request("POST", "Patient", resource, identity=identity)
    assert response.status == 400, response.body
    assert outcome_code(response.json()) == code
    assert response.json()["issue"][0]["expression"] == [expression]
    assert sandbox.request("GET", "Patient?_summary=count", identity=identity).json()["total"] == before


def test_r4_elements_the_library_and_hosts_send_are_accepted(sandbox, doctor):
    identity, carnet = doctor
    resource = dict(immunization_resource(carnet, lot="AB12"),
                    expirationDate="2026-01-01", site={"coding": [{"system": "http://snomed.info/sct", "code": "368208006"}]},
                    route={"text": "IM"}, doseQuantity={"value": 0.5, "unit": "mL"},
                    performer=[{"function": {"text": "AP"}, "actor": {"display": "Dr Eva"}}],
                    note=[{"text": "RAS", "authorString": "Dr Eva"}],
                    protocolApplied=[{"doseNumberPositiveInt": 2, "seriesDosesString": "3"}],
                    _lotNumber={"extension": [{"url": "urn:test:lot-origin", "valueCode": "scanned"}]},
                    extension=[{"url": "urn:test:complex", "extension": [{"url": "a", "valueInteger": 1}]}])
    response = sandbox.request("POST", "Immunization", resource, identity=identity)
    assert response.status == 201, response.body
    assert response.json()["doseQuantity"] == {"value": 0.5, "unit": "mL"}


def test_a_batch_entry_with_an_unknown_element_fails_alone(sandbox, doctor):
    identity, carnet = doctor
    good = immunization_resource(carnet)
    bad = dict(immunization_resource(carnet), dose="first")
    bundle = {"resourceType": "Bundle", "type": "batch", "entry": [
        {"request": {"method": "POST", "url": "Immunization"}, "resource": bad},
        {"request": {"method": "POST", "url": "Immunization"}, "resource": good}]}
    response = sandbox.request("POST", "", bundle, identity=identity)
    assert response.status == 200
    first, second = response.json()["entry"]
    assert first["response"]["status"] == "400"
    assert outcome_code(first["response"]["outcome"]) == "unknown-element"
    assert first["response"]["outcome"]["issue"][0]["expression"] == ["Immunization.dose"]
    assert second["response"]["status"] == "201 Created"


@pytest.mark.parametrize("path,name", [
    ("Patient?name=Bernard", "name"),
    ("Patient?_sort=family", "_sort"),
    ("Patient?_summary=true", "_summary"),
    ("Immunization?patient={carnet}&date=2024", "date"),
    ("Immunization/_history?_at=2024", "_at"),
    ("Patient/{carnet}/_history?_list=x", "_list"),
    ("$changes?_cursor=0&since=1", "since"),
    ("ValueSet/$expand?filter=grippe&displayLanguage=en", "displayLanguage"),
])
def test_every_endpoint_refuses_a_parameter_it_does_not_support(sandbox, doctor, path, name):
    identity, carnet = doctor
    response = sandbox.request("GET", path.format(carnet=carnet), identity=identity)
    assert response.status == 400, (path, response.body)
    assert outcome_code(response.json()) == "unsupported-parameter"
    assert response.json()["issue"][0]["expression"] == [name]


def test_count_zero_and_summary_count_on_immunization_search(sandbox, doctor):
    identity, carnet = doctor
    total = sandbox.request("GET", f"Immunization?patient={carnet}&_count=100", identity=identity).json()
    for query in ("_count=0", "_summary=count", "_count=0&_total=estimate"):
        bundle = sandbox.request("GET", f"Immunization?patient={carnet}&{query}", identity=identity).json()
        assert bundle["total"] == len(total["entry"]) > 0 and "entry" not in bundle, query
        assert all(link["relation"] != "next" for link in bundle["link"])
    bundle = sandbox.request("GET", f"Immunization?patient={carnet}&_total=none", identity=identity).json()
    assert "total" not in bundle and bundle["entry"]
    refused = sandbox.request("GET", f"Immunization?patient={carnet}&_total=exact", identity=identity)
    assert refused.status == 400


def test_post_search_on_immunization_matches_get(sandbox, doctor):
    identity, carnet = doctor
    form = urllib.parse.urlencode({"patient": f"Patient/{carnet}", "_count": "2"}).encode()
    response = sandbox.raw_request("POST", "/fhir/Immunization/_search", body=form, identity=identity,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 200, response.body
    posted = response.json()
    got = sandbox.request("GET", f"Immunization?patient={carnet}&_count=2", identity=identity).json()
    assert [e["resource"]["id"] for e in posted["entry"]] == [e["resource"]["id"] for e in got["entry"]]
    assert posted["total"] == got["total"]
    # The next link is a GET that repeats the criteria.
    following = next(link["url"] for link in posted["link"] if link["relation"] == "next")
    assert "patient=Patient%2F" + carnet in following and "_count=2" in following


def test_expand_without_filter_is_the_whole_value_set_and_valid(sandbox, doctor):
    identity, _ = doctor
    expansion = sandbox.request("GET", "ValueSet/$expand?count=5&offset=3", identity=identity).json()["expansion"]
    assert expansion["total"] > 5 and len(expansion["contains"]) == 5 and expansion["offset"] == 3
    names = {p["name"] for p in expansion["parameter"]}
    assert names == {"count", "offset"}
    assert all(p.get("valueString", "x") != "" for p in expansion["parameter"])
    assert json.dumps(expansion).count('"valueString": ""') == 0
    for bad in ("count=-1", "offset=x", "url=urn%3Aother"):
        response = sandbox.request("GET", f"ValueSet/$expand?{bad}", identity=identity)
        assert response.status in (400, 404), bad
