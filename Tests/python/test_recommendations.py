"""Recommendations through the C ABI against the real sandbox: statuses, reasons, the host's
context, the service and the library agreeing, offline from the store's copy, the time zone.
docs/recommendations.md is the specification these tests hold the library to."""

import pytest

import carnet
from carnet import C
from conftest import IDENTITY_SECRET, open_client

CIS_SYSTEM = "https://smt.esante.gouv.fr/terminologie-bdpm"
STATUS_SYSTEMS = {"http://terminology.hl7.org/CodeSystem/immunization-recommendation-status",
                  "urn:carnet:fhir:CodeSystem:forecast-status"}
RULE_SYSTEM = "urn:carnet:fhir:CodeSystem:recommendation-rule"
REFERENCE_EXTENSION = "urn:carnet:fhir:StructureDefinition:calendar-reference"
ORIGIN = "urn:carnet:fhir:CodeSystem:origin"
# A port nothing listens on: the service is unreachable (connection refused at once).
UNREACHABLE = "https://127.0.0.1:9/fhir"

PENTACOQ, TETRACOQ, DT_POLIO, REVAXIS, REPEVAX, PREVENAR20 = \
    "60906295", "62224329", "60737692", "60917345", "67619892", "62189757"


def patient(email, birth, gender="female"):
    return {"resourceType": "Patient", "name": [{"family": "Durand", "given": ["Anne"]}], "birthDate": birth,
            "gender": gender, "telecom": [{"system": "email", "value": email}]}


def dose(host_id, cis, date):
    return {"resourceType": "Immunization", "identifier": [{"value": host_id}], "status": "completed",
            "vaccineCode": {"coding": [{"system": CIS_SYSTEM, "code": cis}]}, "occurrenceDateTime": date}


def by_group(resource):
    """description (the group's label) -> (status code, rule id, reason text, dates, dose number)."""
    out = {}
    for r in resource["recommendation"]:
        coding = r["forecastStatus"]["coding"][0]
        assert coding["system"] in STATUS_SYSTEMS
        reason = r["forecastReason"][0]
        assert reason["coding"][0]["system"] == RULE_SYSTEM
        dates = {c["code"]["coding"][0]["code"]: c["value"] for c in r.get("dateCriterion", [])}
        out[r["description"]] = (coding["code"], reason["coding"][0]["code"], reason["text"], dates,
                                 r.get("doseNumberPositiveInt"))
    return out


def validate(resource):
    from fhir.resources.R4B.immunizationrecommendation import ImmunizationRecommendation
    ImmunizationRecommendation.model_validate(resource)
    for r in resource["recommendation"]:
        assert r["forecastReason"][0]["text"], r
        assert [e for e in r["extension"] if e["url"] == REFERENCE_EXTENSION][0]["valueString"].startswith(
            "Calendrier des vaccinations 2025")
    return resource


def tags(resource):
    return {t["code"] for t in resource.get("meta", {}).get("tag", []) if t["system"] == ORIGIN}


def test_the_healthy_forty_year_old_is_not_told_not_yet_due_decades_ahead(enrolled):
    enrolled.record_create("p40", patient("p40@example.org", "1985-06-15"))
    for i, (cis, date) in enumerate([(REPEVAX, "2010-06-15")]):
        enrolled.vaccination_add("p40", dose(f"p40-{i}", cis, date))
    enrolled.sync("p40")
    reco = validate(enrolled.recommendations_get_with_context("p40", {"assessment_date": "2025-06-16"}))
    assert reco["date"] == "2025-06-16"
    groups = by_group(reco)
    for label in ("Zona", "Pneumocoque (adulte)", "Grippe saisonnière", "Covid-19", "Virus respiratoire syncytial (VRS)"):
        status, rule, text, dates, _ = groups[label]
        assert status == "notrecommended", (label, groups[label])
        assert rule.endswith(":not-yet-applicable") and dates == {}, groups[label]
        assert "ne concerne pas encore" in text
    assert "computed-locally" not in tags(reco), "the service answered"


def test_the_context_reaches_the_service_and_changes_the_forecast(enrolled):
    enrolled.record_create("pctx", patient("pctx@example.org", "1995-03-10"))
    plain = by_group(validate(enrolled.recommendations_get_with_context("pctx", {"assessment_date": "2025-11-01"})))
    assert "Coqueluche (grossesse)" not in plain and "Méningocoques ACWY (asplénie, déficit en complément)" not in plain
    context = {"assessment_date": "2025-11-01", "pregnancy": {"weeks_of_amenorrhoea": 24},
               "conditions": ["asplenia"], "exposures": ["health-worker"], "immunities": ["varicella"]}
    reco = validate(enrolled.recommendations_get_with_context("pctx", context))
    assert "computed-locally" not in tags(reco)
    groups = by_group(reco)
    assert groups["Coqueluche (grossesse)"][:2] == ("due", "pertussis-pregnancy:pregnancy")
    assert groups["Rougeole, oreillons, rubéole (ROR)"][:2] == ("contraindicated", "mmr:contraindicated")
    assert "grossesse" in groups["Rougeole, oreillons, rubéole (ROR)"][2]
    assert groups["Méningocoques ACWY (asplénie, déficit en complément)"][0] == "overdue"
    assert groups["Hépatite B (personnes exposées)"][0] == "overdue"
    assert groups["Grippe saisonnière"][:2] == ("due", "influenza:seasonal")
    assert groups["Pneumocoque (adulte)"][:2] == ("overdue", "pneumococcal-adult:series-1")


CASES = [
    ("1985-06-15", [(REPEVAX, "2010-06-15")], {"assessment_date": "2025-06-16"}),
    ("1995-03-10", [], {"assessment_date": "2025-11-01", "pregnancy": {"weeks_of_amenorrhoea": 30}}),
    ("1960-05-05", [(PREVENAR20, "2025-06-01")], {"assessment_date": "2025-12-01", "conditions": ["chronic-heart"]}),
    ("1990-01-01", [], {"assessment_date": "2026-01-31", "conditions": ["immunosuppression", "asplenia"],
                        "immunities": ["measles", "mumps", "rubella"]}),
    ("1975-01-10", [(PENTACOQ, "1975-03-10"), (PENTACOQ, "1975-04-10"), (PENTACOQ, "1976-05-10"),
                    (DT_POLIO, "1981-01-10"), (DT_POLIO, "1986-01-10"), (REVAXIS, "2000-01-10")],
     {"assessment_date": "2025-06-01", "exposures": ["health-worker"]}),
]


def test_library_and_service_give_the_same_answer_and_the_library_answers_offline(lib, sandbox, tmp_path):
    professional = sandbox.create_professional()
    store = str(tmp_path / "store")
    online = {}
    with open_client(lib, sandbox, store, professional) as client:
        client.certificate_enroll(professional.withdrawal_code)
        for n, (birth, doses, context) in enumerate(CASES):
            client.record_create(f"same-{n}", patient(f"same-{n}@example.org", birth))
            for i, (cis, date) in enumerate(doses):
                client.vaccination_add(f"same-{n}", dose(f"same-{n}-{i}", cis, date))
        client.sync()
        for n, (_, _, context) in enumerate(CASES):
            reco = validate(client.recommendations_get_with_context(f"same-{n}", context))
            assert "computed-locally" not in tags(reco)
            online[n] = reco
    # The same store, the service unreachable: the library's own engine on its copy.
    with carnet.Client(lib, store, service_url=UNREACHABLE, ca_bundle_path=sandbox.ca_cert,
                       identity_secret=IDENTITY_SECRET) as offline_client:
        for n, (_, doses, context) in enumerate(CASES):
            reco = validate(offline_client.recommendations_get_with_context(f"same-{n}", context))
            assert tags(reco) == {"computed-locally", "offline"}, reco.get("meta")
            assert reco["date"] == online[n]["date"] == context["assessment_date"]
            assert by_group(reco) == by_group(online[n]), n
            counted = sum(len(r.get("supportingImmunization", [])) for r in online[n]["recommendation"])
            assert counted > 0 or not doses


def test_offline_counts_what_was_recorded_elsewhere_and_says_as_of_when(enrolled, lib, sandbox, tmp_path):
    enrolled.record_create("pelse", patient("pelse@example.org", "1950-04-02"))
    carnet_id = enrolled.link_get("pelse")
    before = by_group(enrolled.recommendations_get_with_context("pelse", {"assessment_date": "2025-11-20"}))
    assert before["Grippe saisonnière"][0] == "due"
    sandbox.add_vaccination(carnet_id, cis="61921204", date="2025-11-02")  # the citizen, elsewhere
    assert enrolled.sync("pelse")["added"], "sync brings the vaccination recorded elsewhere"
    store = enrolled.options.store_directory.decode()
    enrolled.close()
    with carnet.Client(lib, store, service_url=UNREACHABLE, ca_bundle_path=sandbox.ca_cert,
                       identity_secret=IDENTITY_SECRET) as offline_client:
        reco = validate(offline_client.recommendations_get_with_context("pelse", {"assessment_date": "2025-11-20"}))
        assert "offline" in tags(reco)
        assert by_group(reco)["Grippe saisonnière"][0] == "complete", "the dose recorded elsewhere counts"
        as_of = [e for e in reco["extension"] if e["url"] == "urn:carnet:fhir:StructureDefinition:local-copy-as-of"]
        assert as_of and as_of[0]["valueDateTime"].endswith("Z")
        # Without a context, offline too (today, general population).
        plain = validate(offline_client.recommendations_get("pelse"))
        assert "offline" in tags(plain)


def test_the_list_answers_offline_from_the_store_copy(enrolled, lib, sandbox):
    enrolled.record_create("plist", patient("plist@example.org", "1950-04-02"))
    carnet_id = enrolled.link_get("plist")
    enrolled.vaccination_add("plist", dose("own-1", "61921204", "2024-10-20"))
    enrolled.vaccination_add("plist", dose("own-2", REVAXIS, "2020-03-01"))
    enrolled.vaccination_remove("plist", "own-2")
    sandbox.add_vaccination(carnet_id, cis=PREVENAR20, date="2025-09-01")  # recorded elsewhere
    assert enrolled.sync("plist")["added"]
    online = enrolled.vaccinations_list("plist")
    assert "meta" not in online or not online["meta"].get("tag")
    store = enrolled.options.store_directory.decode()
    enrolled.close()
    with carnet.Client(lib, store, service_url=UNREACHABLE, ca_bundle_path=sandbox.ca_cert,
                       identity_secret=IDENTITY_SECRET) as offline_client:
        listing = offline_client.vaccinations_list("plist")
        from fhir.resources.R4B.bundle import Bundle
        Bundle.model_validate(listing)
        assert listing["type"] == "searchset" and "offline" in tags(listing)
        as_of = [e for e in listing["meta"]["extension"]
                 if e["url"] == "urn:carnet:fhir:StructureDefinition:local-copy-as-of"]
        assert as_of and as_of[0]["valueDateTime"].endswith("Z")
        def summary(bundle):
            out = set()
            for entry in bundle["entry"]:
                host = [e["valueString"] for e in entry.get("extension", [])]
                codes = [c["code"] for c in entry["resource"]["vaccineCode"]["coding"] if c["system"] == CIS_SYSTEM]
                names = [c.get("display") for c in entry["resource"]["vaccineCode"]["coding"]]
                assert any(names), entry  # a name for every product, offline too
                out.add((entry["resource"]["id"], tuple(host), tuple(codes),
                         entry["resource"]["occurrenceDateTime"][:10]))
            return out
        # The same vaccinations, ids and host ids as the service listed (the removed one in neither).
        assert summary(listing) == summary(online)
        assert len(listing["entry"]) == 2


def test_offline_without_a_birth_date_returns_the_network_failure(enrolled, lib, sandbox):
    # A link the host set itself: the store never saw the carnet's Patient.
    enrolled.link_set("p1", "2f1c7f6e-1b1a-4d5e-9c1a-0a0a0a0a0a0a")
    store = enrolled.options.store_directory.decode()
    enrolled.close()
    with carnet.Client(lib, store, service_url=UNREACHABLE, ca_bundle_path=sandbox.ca_cert,
                       identity_secret=IDENTITY_SECRET) as client:
        with pytest.raises(carnet.CarnetFailure) as excinfo:
            client.recommendations_get("p1")
        assert carnet.STATUS_NAMES[excinfo.value.status] == "CARNET_E_NETWORK"
        # The host's birth date is enough to answer.
        reco = validate(client.recommendations_get_with_context("p1", {"birth_date": "2025-01-15",
                                                                      "assessment_date": "2025-03-15"}))
        assert by_group(reco)["Diphtérie, tétanos, poliomyélite"][0] == "due"


def test_older_products_count_by_their_valences_through_the_service(enrolled):
    enrolled.record_create("pold", patient("pold@example.org", "1975-01-10", gender="male"))
    for i, (cis, date) in enumerate([(PENTACOQ, "1975-03-10"), (PENTACOQ, "1975-04-10"), (TETRACOQ, "1976-05-10"),
                                     (DT_POLIO, "1981-01-10"), (DT_POLIO, "1986-01-10"), (REVAXIS, "2000-01-10"),
                                     (REVAXIS, "2020-01-10")]):
        enrolled.vaccination_add("pold", dose(f"pold-{i}", cis, date))
    enrolled.sync("pold")
    groups = by_group(validate(enrolled.recommendations_get_with_context("pold", {"assessment_date": "2025-06-01"})))
    status, rule, _, dates, number = groups["Diphtérie, tétanos, poliomyélite"]
    assert (status, number, dates.get("30980-7")) == ("notdue", 8, "2040-01-10"), groups


@pytest.mark.parametrize("context, field", [
    ({"conditions": ["martian-flu"]}, "conditions"),
    ({"exposures": ["astronaut"]}, "exposures"),
    ({"immunities": ["DIS999"]}, "immunities"),
    ({"pregnancy": {"weeks_of_amenorrhoea": 60}}, "pregnancy.weeks_of_amenorrhoea"),
    ({"pregnancy": {"weeks_of_amenorrhoea": 20, "expected_delivery_date": "2026-01-01"}}, "pregnancy"),
    ({"pregnancy": {"expected_delivery_date": "2031-01-01"}}, "pregnancy.expected_delivery_date"),
    ({"assessment_date": "2025-02-30"}, "assessment_date"),
    ({"birth_date": "2025-06-01", "assessment_date": "2025-01-01"}, "assessment_date"),
    ({"condition": ["asplenia"]}, "context_json"),
])
def test_a_wrong_context_is_refused_naming_the_member(enrolled, context, field):
    enrolled.record_create("pbad", patient("pbad@example.org", "1990-01-01"))
    with pytest.raises(carnet.CarnetFailure) as excinfo:
        enrolled.recommendations_get_with_context("pbad", context)
    assert carnet.STATUS_NAMES[excinfo.value.status] == "CARNET_E_INVALID_ARGUMENT"
    assert excinfo.value.field == field
    assert "1990" not in excinfo.value.message


def test_the_time_zone_option(lib, sandbox, tmp_path, enrolled):
    with pytest.raises(carnet.CarnetFailure) as excinfo:
        carnet.Client(lib, str(tmp_path / "tz"), time_zone="Mars/Olympus_Mons")
    assert excinfo.value.field == "time_zone"
    for zone in ("Europe/Paris", "Indian/Reunion", "America/Cayenne", "+04:00", "UTC"):
        with carnet.Client(lib, str(tmp_path / ("tz-" + zone.replace("/", "-").replace(":", ""))), time_zone=zone):
            pass
