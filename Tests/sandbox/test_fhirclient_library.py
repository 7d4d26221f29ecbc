"""The sandbox through ``fhirclient`` (SMART on FHIR's Python client), over mutual TLS.

Every answer is parsed by fhirclient's strict R4 models (an invalid element raises), so reading the
CapabilityStatement, the Patients and Immunizations, every search page and every ``$changes`` page
with them shows the sandbox serves valid R4. Searches it does not support come back as errors.
"""

import pytest
import requests
from fhirclient._utils import iter_pages
from fhirclient.models.bundle import Bundle
from fhirclient.models.capabilitystatement import CapabilityStatement
from fhirclient.models.immunization import Immunization
from fhirclient.models.patient import Patient
from fhirclient.models.valueset import ValueSet
from fhirclient.server import FHIRNotFoundException

from fhir_clients import INS_SYSTEM, new_ins, outcome_of, smart_client
from sandbox_process import immunization_resource, patient_resource

VACCINES = "https://carnet-sandbox.invalid/fhir/ValueSet/vaccines"


@pytest.fixture(scope="module")
def practice(sandbox):
    """A professional of its own (its searches see only what this module creates) and five carnets."""
    _, identity = sandbox.professional_identity(name="Dr Camille Fhirclient", rpps="10000000041")
    smart = smart_client(sandbox, identity)
    people = [("Lefèvre", "Jeanne", "2012-03-04"), ("Lefebvre", "Paul", "2015-06-07"),
              ("Martin", "Lucie", "2001-01-20"), ("Le Gall", "Yann", "1999-12-31"), ("Nguyen", "An", "2020-02-29")]
    created = []
    for family, given, birth in people:
        resource = patient_resource(given=given, family=family, birth_date=birth, ins=new_ins())
        answer = Patient(resource).create(smart.server)   # POST through fhirclient's model
        created.append(Patient(answer))                    # the answer parses strictly
    return smart, identity, created


def test_the_capability_statement_parses_and_declares_what_the_server_does(practice):
    smart, _, _ = practice
    smart.server.get_capability(force=True)
    statement = smart.server.capabilityStatement
    assert isinstance(statement, CapabilityStatement)
    assert statement.fhirVersion == "4.0.1" and statement.kind == "instance"
    rest = statement.rest[0]
    resources = {r.type: r for r in rest.resource}
    assert set(resources) == {"Patient", "Immunization", "ValueSet"}
    assert {p.name for p in resources["Patient"].searchParam} == {"_id", "identifier", "family", "birthdate"}
    assert {p.name for p in resources["Immunization"].searchParam} == {"patient", "identifier"}
    assert "batch" in {i.code for i in rest.interaction}
    assert "$expand" not in {o.name for o in resources["ValueSet"].operation}  # names carry no "$"
    assert "expand" in {o.name for o in resources["ValueSet"].operation}
    assert "application/fhir+json" in statement.format


def test_created_patients_read_back_with_their_version(practice):
    smart, _, created = practice
    for patient in created:
        read = Patient.read(patient.id, smart.server)
        assert read.meta.versionId == "1"
        assert read.name[0].family == patient.name[0].family
        assert read.identifier[0].system == INS_SYSTEM


def search(smart, **criteria):
    """Every resource of every page (each page a strictly parsed Bundle), and the pages' totals."""
    resources, totals = [], set()
    for page in Patient.where(struct=criteria).perform_iter(smart.server):
        assert isinstance(page, Bundle) and page.type == "searchset"
        totals.add(page.total)
        resources += [entry.resource for entry in page.entry or []]
    return resources, totals


def test_patient_search_by_identifier_id_family_and_birthdate(practice):
    smart, _, created = practice
    jeanne, paul, lucie, yann, an = created
    ins = jeanne.identifier[0].value
    found, totals = search(smart, identifier=f"{INS_SYSTEM}|{ins}")
    assert [p.id for p in found] == [jeanne.id] and totals == {1}
    found, _ = search(smart, identifier=ins)   # value alone: any system
    assert [p.id for p in found] == [jeanne.id]
    found, _ = search(smart, _id=f"{lucie.id},{an.id}")
    assert {p.id for p in found} == {lucie.id, an.id}
    found, _ = search(smart, family="lefe")     # start of the name, accents and case ignored
    assert {p.id for p in found} == {jeanne.id, paul.id}
    found, _ = search(smart, family="le gall")  # a space, sent as "+" by fhirclient
    assert [p.id for p in found] == [yann.id]
    found, _ = search(smart, birthdate="ge2012")
    assert {p.id for p in found} == {jeanne.id, paul.id, an.id}
    found, _ = search(smart, birthdate="2020-02")
    assert [p.id for p in found] == [an.id]
    found, totals = search(smart, family="nobody")
    assert found == [] and totals == {0}


def test_patient_pages_parse_and_cover_every_carnet_once(practice):
    smart, _, created = practice
    pages = list(Patient.where(struct={"_count": "2"}).perform_iter(smart.server))
    assert len(pages) == 3
    ids = [entry.resource.id for page in pages for entry in page.entry or []]
    assert sorted(ids) == sorted(p.id for p in created)
    assert {page.total for page in pages} == {5}


def test_summary_count_and_count_zero_answer_the_total_only(practice):
    smart, _, _ = practice
    for query in ("Patient?_summary=count", "Patient?_count=0", "Patient?_count=0&_total=accurate"):
        bundle = Bundle(smart.server.request_json(query))
        assert bundle.total == 5 and not bundle.entry, query
    bundle = Bundle(smart.server.request_json("Patient?_total=none"))
    assert bundle.total is None and len(bundle.entry) == 5


def test_post_search_works_like_get(practice, sandbox):
    smart, _, created = practice
    url = sandbox.base_url + "/Patient/_search"
    response = smart.server.session.post(url, data={"family": "lefe", "_count": "1"})
    assert response.status_code == 200, response.text
    page = Bundle(response.json())
    assert page.total == 2 and len(page.entry) == 1
    following = [entry.resource.id for p in iter_pages(page, smart.server) for entry in p.entry or []]
    assert sorted(following) == sorted(p.id for p in created[:2])
    refused = smart.server.session.post(url, data={"name": "Lefèvre"})
    assert refused.status_code == 400 and outcome_of(refused) == ("unsupported-parameter", "name")
    wrong_type = smart.server.session.post(url, json={"family": "x"})
    assert wrong_type.status_code == 415


@pytest.mark.parametrize("criteria,name", [
    ({"name": "Martin"}, "name"), ({"given": "Lucie"}, "given"), ({"family:missing": "true"}, "family:missing"),
    ({"_sort": "family"}, "_sort"), ({"gender": "female"}, "gender")])
def test_unsupported_patient_parameters_are_errors_never_ignored(practice, criteria, name):
    smart, _, _ = practice
    with pytest.raises(requests.HTTPError) as raised:
        list(Patient.where(struct=criteria).perform_resources_iter(smart.server))
    assert raised.value.response.status_code == 400
    assert outcome_of(raised.value.response) == ("unsupported-parameter", name)


def test_immunizations_create_read_search_and_page(practice, sandbox):
    smart, _, created = practice
    carnet = created[2].id
    made = []
    for index, date in enumerate(["2002-03-01", "2002-05-01", "2003-01-15"]):
        resource = immunization_resource(carnet, cis="60645557", date=date, identifier=f"fc-{index}")
        made.append(Immunization(Immunization(resource).create(smart.server)))
    read = Immunization.read(made[0].id, smart.server)
    assert read.as_json()["occurrenceDateTime"] == "2002-03-01" and read.meta.versionId == "1"
    assert read.extension[0].valueReference.display   # recorded-by, set by the service
    pages = list(Immunization.where(struct={"patient": carnet, "_count": "1"}).perform_iter(smart.server))
    assert [e.resource.id for p in pages for e in p.entry or []] == sorted(m.id for m in made)
    assert {p.total for p in pages} == {3}
    found = list(Immunization.where(struct={"patient": f"Patient/{carnet}",
                                       "identifier": "urn:carnet:host:test-ehr:vaccination|fc-1"}) \
        .perform_resources_iter(smart.server))
    assert [i.id for i in found] == [made[1].id]
    read.lotNumber = "LOT-2"
    Immunization(read.update(smart.server))
    assert Immunization.read(read.id, smart.server).meta.versionId == "2"
    with pytest.raises(requests.HTTPError) as raised:
        list(Immunization.where(struct={"patient": carnet, "vaccine-code": "60645557"})
             .perform_resources_iter(smart.server))
    assert outcome_of(raised.value.response) == ("unsupported-parameter", "vaccine-code")


def test_every_changes_page_parses_strictly(practice):
    smart, _, _ = practice
    cursor, pages, entries = "0", 0, 0
    while True:
        bundle = Bundle(smart.server.request_json(f"$changes?_cursor={cursor}&_count=3"))
        pages += 1
        entries += len(bundle.entry or [])
        following = [link.url for link in bundle.link if link.relation == "next"]
        if not following:
            break
        cursor = following[0].split("_cursor=")[1].split("&")[0]
    assert entries >= 5 + 3 + 1 and pages >= 3   # five carnets, three vaccinations, one update


@pytest.mark.parametrize("extra,expression", [
    ({"reported": True}, "Immunization.reported"),
    ({"vaccineCode": {"coding": [{"system": "https://smt.esante.gouv.fr/terminologie-bdpm", "code": "60645557",
                                  "label": "HEXYON"}]}}, "Immunization.vaccineCode.coding[0].label"),
    ({"performer": [{"actor": {"display": "Dr X"}, "role": "nurse"}]}, "Immunization.performer[0].role"),
    ({"_vaccine": {"extension": [{"url": "urn:x", "valueString": "y"}]}}, "Immunization._vaccine"),
])
def test_an_element_that_is_not_r4_is_refused_and_nothing_is_stored(practice, sandbox, extra, expression):
    smart, _, created = practice
    resource = dict(immunization_resource(created[3].id, cis="60645557", date="2010-01-01"), **extra)
    response = smart.server.session.post(sandbox.base_url + "/Immunization", json=resource,
                                         headers={"Content-Type": "application/fhir+json"})
    assert response.status_code == 400, response.text
    assert outcome_of(response) == ("unknown-element", expression)
    bundle = Bundle(smart.server.request_json(f"Immunization?patient={created[3].id}&_summary=count"))
    assert bundle.total == 0


def test_expand_pages_with_offset_and_counts_every_match(practice):
    smart, _, _ = practice
    first = ValueSet(smart.server.request_json("ValueSet/$expand?filter=grippe&count=4"))
    second = ValueSet(smart.server.request_json(f"ValueSet/$expand?url={VACCINES}&filter=grippe&count=2&offset=2"))
    assert first.expansion.total == second.expansion.total >= 4
    assert [c.code for c in second.expansion.contains] == [c.code for c in first.expansion.contains[2:4]]
    assert second.expansion.offset == 2
    everything = ValueSet(smart.server.request_json("ValueSet/$expand?count=1"))
    assert everything.expansion.total > first.expansion.total and len(everything.expansion.contains) == 1
    assert all(p.name != "filter" for p in everything.expansion.parameter)
    with pytest.raises(FHIRNotFoundException) as raised:
        smart.server.request_json("ValueSet/$expand?url=http%3A%2F%2Fhl7.org%2Ffhir%2FValueSet%2Fother")
    assert raised.value.response.status_code == 404
