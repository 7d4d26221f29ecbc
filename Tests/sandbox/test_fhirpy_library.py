"""The sandbox through ``fhirpy`` (Beda Software's client), over mutual TLS.

fhirpy writes searches its own way (``family:exact``, ``birthdate=ge…``, ``count()`` as ``_count=0``
with ``_totalMethod``), saves resources with create/PUT and follows ``next`` links; the answers are
also validated by the R4B models of ``fhir.resources`` (``fhir_checks.validate``).
"""

import pytest
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from fhir_checks import validate
from fhir_clients import INS_SYSTEM, fhirpy_client, new_ins
from sandbox_process import CIS_SYSTEM, patient_resource


@pytest.fixture(scope="module")
def clinic(sandbox):
    _, identity = sandbox.professional_identity(name="Dr Dominique Fhirpy", rpps="10000000042")
    client = fhirpy_client(sandbox, identity)
    patients = []
    for family, given, birth in [("Durand", "Ambroise", "2012-01-09"), ("Duranton", "Léa", "2016-08-01"),
                                 ("Petit", "Inès", "1987-05-05")]:
        patient = client.resource("Patient", **patient_resource(given=given, family=family, birth_date=birth,
                                                                ins=new_ins()))
        patient.save()
        patients.append(patient)
    return client, patients


def outcome_code(error):
    return error.value.resource["issue"][0]["details"]["coding"][0]["code"]


def test_metadata_declares_search_parameters_and_operations(clinic):
    client, _ = clinic
    statement = validate(client.execute("metadata", method="get"))
    patient = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Patient")
    assert {"read", "vread", "create", "search-type", "history-instance"} <= {i["code"] for i in patient["interaction"]}


def test_saved_patients_have_ids_and_read_back(clinic):
    client, patients = clinic
    for patient in patients:
        assert patient.id and patient["meta"]["versionId"] == "1"
        read = client.reference("Patient", patient.id).to_resource()
        assert validate(read.serialize())["birthDate"] == patient["birthDate"]


def test_searches_narrow_to_the_matching_carnets(clinic):
    client, (ambroise, lea, ines) = clinic
    patients = client.resources("Patient")
    assert patients.count() == 3                      # _count=0&_totalMethod=count
    assert [p.id for p in patients.search(identifier=f"{INS_SYSTEM}|{ines['identifier'][0]['value']}")
            .fetch()] == [ines.id]
    assert {p.id for p in patients.search(family="duran").fetch()} == {ambroise.id, lea.id}
    assert [p.id for p in patients.search(family__exact="Durand").fetch()] == [ambroise.id]
    assert {p.id for p in patients.search(birthdate__ge="2010", birthdate__lt="2016").fetch()} == {ambroise.id}
    assert [p.id for p in patients.search(_id=lea.id).fetch()] == [lea.id]
    assert patients.search(family="duran").count() == 2
    assert patients.search(_id=lea.id).get().id == lea.id


def test_fetch_all_follows_every_next_link(clinic):
    client, patients = clinic
    everything = client.resources("Patient").limit(1).fetch_all()
    assert sorted(p.id for p in everything) == sorted(p.id for p in patients)
    raw = client.resources("Patient").limit(2).fetch_raw()
    validate(raw.serialize() if hasattr(raw, "serialize") else raw)
    assert raw["total"] == 3 and [link["relation"] for link in raw["link"]] == ["self", "next"]


def test_unsupported_parameters_raise(clinic):
    client, _ = clinic
    for criteria in ({"name": "Durand"}, {"address-city": "Lyon"}, {"_has:Immunization:patient:status": "completed"}):
        with pytest.raises(OperationOutcome) as raised:
            client.resources("Patient").search(**criteria).fetch()
        assert outcome_code(raised) == "unsupported-parameter"
    with pytest.raises(OperationOutcome) as raised:
        client.resources("Patient").search(birthdate="sa2010").fetch()
    assert outcome_code(raised) == "unsupported-parameter"


def test_immunizations_save_update_search_delete(clinic):
    client, (ambroise, _, _) = clinic
    vaccination = client.resource(
        "Immunization", status="completed", patient=ambroise.to_reference(), occurrenceDateTime="2013-03-01",
        vaccineCode={"coding": [{"system": CIS_SYSTEM, "code": "60645557", "display": "HEXYON"}]},
        identifier=[{"system": "urn:test:fhirpy", "value": "v1"}],
        protocolApplied=[{"doseNumberPositiveInt": 1, "targetDisease": [{"text": "Diphtérie"}]}])
    vaccination.save()
    assert vaccination.id and vaccination["meta"]["versionId"] == "1"
    vaccination["lotNumber"] = "L-42"
    vaccination.save()                                           # PUT with the whole resource
    assert vaccination["meta"]["versionId"] == "2"
    found = client.resources("Immunization").search(patient=ambroise.id, identifier="urn:test:fhirpy|v1").fetch()
    assert [i["lotNumber"] for i in found] == ["L-42"]
    assert client.resources("Immunization").search(patient=ambroise.id).count() == 1
    vaccination.delete()
    with pytest.raises(ResourceNotFound):                        # 410 Gone
        client.reference("Immunization", vaccination.id).to_resource()
    assert client.resources("Immunization").search(patient=ambroise.id).count() == 0


def test_an_unknown_element_is_refused_with_its_path(clinic):
    client, (ambroise, _, _) = clinic
    vaccination = client.resource(
        "Immunization", status="completed", patient=ambroise.to_reference(), occurrenceDateTime="2013-03-01",
        vaccineCode={"coding": [{"system": CIS_SYSTEM, "code": "60645557"}]}, doseNumber=1)  # R4 has no doseNumber
    with pytest.raises(OperationOutcome) as raised:
        vaccination.save()
    issue = raised.value.resource["issue"][0]
    assert outcome_code(raised) == "unknown-element" and issue["expression"] == ["Immunization.doseNumber"]


def test_expand_with_offset(clinic):
    client, _ = clinic
    page = client.execute("ValueSet/$expand", method="get", params={"filter": "grippe", "count": 2, "offset": 1})
    whole = client.execute("ValueSet/$expand", method="get", params={"filter": "grippe", "count": 3})
    validate(page)
    assert page["expansion"]["total"] == whole["expansion"]["total"]
    assert [c["code"] for c in page["expansion"]["contains"]] == [c["code"] for c in whole["expansion"]["contains"][1:]]
