"""Every screen of the user guide through libcarnet, end to end, against a
real carnet-sandbox over mutual TLS (certificates made by the sandbox's CA,
keys made by the library)."""
import datetime
import json
import os
import stat

import pytest

import carnet
from carnet import C
from conftest import open_client

AGRIPPAL_CIS = "61921204"
CIS_SYSTEM = "https://smt.esante.gouv.fr/terminologie-bdpm"


def patient_document(email="jeanne.martin@example.org", **overrides):
    doc = {
        "resourceType": "Patient",
        "name": [{"family": "Martin", "given": ["Jeanne"]}],
        "birthDate": "1950-04-02",
        "gender": "female",
        "telecom": [{"system": "email", "value": email}],
    }
    doc.update(overrides)
    return doc


def immunization(host_id, cis=AGRIPPAL_CIS, date="2025-10-15", display="AGRIPPAL"):
    return {
        "resourceType": "Immunization",
        "identifier": [{"value": host_id}],
        "vaccineCode": {"coding": [{"system": CIS_SYSTEM, "code": cis, "display": display}]},
        "occurrenceDateTime": date,
        "lotNumber": "LOT-42",
    }


def status_of(excinfo):
    return carnet.STATUS_NAMES.get(excinfo.value.status)


# ---------------------------------------------------------------- certificate

def test_enroll_makes_the_key_here_and_stores_it_sealed(enrolled, tmp_path):
    info = enrolled.certificate_info()
    assert info["expired"] is False and 360 <= info["days_left"] <= 366
    assert info["not_after"].endswith("Z") and len(info["sha256"]) == 64
    db = tmp_path / "store" / "carnet.sqlite"
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    raw = db.read_bytes() + b"".join(p.read_bytes() for p in (tmp_path / "store").iterdir() if p != db)
    assert b"PRIVATE KEY" not in raw
    assert enrolled.professional.withdrawal_code.encode() not in raw


def test_a_used_withdrawal_code_has_its_own_status(lib, sandbox, tmp_path, enrolled):
    with open_client(lib, sandbox, str(tmp_path / "other"), enrolled.professional) as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_enroll(enrolled.professional.withdrawal_code)
    assert status_of(failure) == "CARNET_E_WITHDRAWAL_CODE"
    assert "déjà été utilisé" in failure.value.message


def test_a_wrong_withdrawal_code_has_its_own_status(lib, sandbox, tmp_path):
    professional = sandbox.create_professional()
    with open_client(lib, sandbox, str(tmp_path / "s"), professional) as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_enroll("ZZZZ-ZZZZ-ZZZZ")
    assert status_of(failure) == "CARNET_E_WITHDRAWAL_CODE"
    assert "invalide" in failure.value.message
    assert "ZZZZ" not in failure.value.message


def test_calls_without_a_certificate_say_so(lib, sandbox, tmp_path):
    with open_client(lib, sandbox, str(tmp_path / "s")) as client:
        client.link_set("p1", "11111111-2222-3333-4444-555555555555")
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.vaccinations_list("p1")
        assert status_of(failure) == "CARNET_E_NO_CERTIFICATE"
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_info()
        assert status_of(failure) == "CARNET_E_NO_CERTIFICATE"


def test_a_wrong_identity_secret_cannot_unlock_the_key(lib, sandbox, enrolled, tmp_path):
    enrolled.close()
    with open_client(lib, sandbox, str(tmp_path / "store"), enrolled.professional,
                     identity_secret="not the secret") as client:
        assert client.certificate_info()["expired"] is False  # readable without the key
        client.link_set("p1", "11111111-2222-3333-4444-555555555555")
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.vaccinations_list("p1")
        assert status_of(failure) == "CARNET_E_IDENTITY_SECRET"


def test_pkcs12_import_and_wrong_password(lib, sandbox, tmp_path):
    professional = sandbox.create_professional()
    p12 = str(tmp_path / "pro.p12")
    sandbox.export_p12(professional.email, "Mot-de-passe-P12", p12)
    with open_client(lib, sandbox, str(tmp_path / "s"), professional) as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_import_p12(p12, "mauvais")
        assert status_of(failure) == "CARNET_E_PKCS12_PASSWORD"
        assert "mot de passe" in failure.value.message
        info = client.certificate_import_p12(p12, "Mot-de-passe-P12")
        assert info["expired"] is False
        # The imported identity works over mutual TLS.
        result = client.vaccines_search("grippe")
        assert result["resourceType"] == "ValueSet"
        created = client.record_create("p-import", patient_document(email="p12@example.org"))
        assert created["resourceType"] == "Patient"


def test_pkcs12_errors_for_a_non_pkcs12_file(lib, sandbox, tmp_path, enrolled):
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"not a pkcs12 file at all")
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.certificate_import_p12(str(junk), "x")
    assert status_of(failure) == "CARNET_E_INVALID_ARGUMENT"
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.certificate_import_p12(str(tmp_path / "missing.p12"), "x")
    assert status_of(failure) == "CARNET_E_INVALID_ARGUMENT"


# ---------------------------------------------------------------- create

def test_create_links_and_emails_the_patient(enrolled, sandbox):
    created = enrolled.record_create("patient-1", patient_document(email="creation@example.org"))
    assert created["resourceType"] == "Patient" and created["id"]
    assert enrolled.link_get("patient-1") == created["id"]
    assert sandbox.emails_to("creation@example.org"), "the service emails the patient"
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.record_create("patient-1", patient_document(email="creation@example.org"))
    assert status_of(failure) == "CARNET_E_CONFLICT"


@pytest.mark.parametrize("field, mutate", [
    ("name.family", lambda d: d["name"][0].pop("family")),
    ("name.given", lambda d: d["name"][0].pop("given")),
    ("birthDate", lambda d: d.pop("birthDate")),
    ("gender", lambda d: d.pop("gender")),
    ("telecom(email)", lambda d: d.pop("telecom")),
])
def test_create_names_the_missing_field(enrolled, field, mutate):
    doc = patient_document()
    mutate(doc)
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.record_create("patient-x", doc)
    assert status_of(failure) == "CARNET_E_INVALID_ARGUMENT"
    assert f"« {field} »" in failure.value.message
    assert failure.value.field == field, "carnet_error.field names the element for the host's form"
    with pytest.raises(carnet.CarnetFailure):
        enrolled.link_get("patient-x")


# ---------------------------------------------------------------- share code

def test_share_code_opens_the_ten_carnets_of_the_guide(enrolled, sandbox):
    family = sandbox.create_ten_carnet_citizen()
    found = enrolled.share_code_lookup(family.share_code)
    pseudonyms = [next(p["valueString"] for p in c["part"] if p["name"] == "pseudonym") for c in found["parameter"]]
    assert sorted(pseudonyms) == sorted(["Test Testsss", "Test Test Test", "Cervarix", "voyage", "Ambroise",
                                         "Alwin-10062005", "010106", "10 ans", "15/12/2006", "09 10 2007"])
    text = json.dumps(found)
    assert "Durand" not in text and "2012-01-09" not in text, "lookup reveals pseudonyms only"


def candidate_id(found, pseudonym):
    for c in found["parameter"]:
        parts = {p["name"]: p["valueString"] for p in c["part"]}
        if parts["pseudonym"] == pseudonym:
            return parts["id"]
    raise AssertionError(pseudonym)


def test_claim_with_the_right_birth_date_links_the_carnet(enrolled, sandbox):
    family = sandbox.create_ten_carnet_citizen()
    found = enrolled.share_code_lookup(family.share_code)
    patient = enrolled.record_claim("ambroise", family.share_code, candidate_id(found, "Ambroise"), "2012-01-09")
    assert patient["resourceType"] == "Patient"
    assert enrolled.link_get("ambroise") == patient["id"] == family.carnet("Ambroise")["id"]


def test_claim_with_a_wrong_date_is_denied_then_locked(enrolled, sandbox):
    family = sandbox.create_ten_carnet_citizen()
    found = enrolled.share_code_lookup(family.share_code)
    cid = candidate_id(found, "10 ans")
    statuses = []
    for _ in range(6):
        with pytest.raises(carnet.CarnetFailure) as failure:
            enrolled.record_claim("jules", family.share_code, cid, "2015-09-29")
        statuses.append(status_of(failure))
        if statuses[-1] == "CARNET_E_ACCESS_DENIED":
            assert "date de naissance" in failure.value.message
            assert "2015" not in failure.value.message
    assert statuses[0] == "CARNET_E_ACCESS_DENIED"
    assert statuses[-1] == "CARNET_E_LOCKED"
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.record_claim("jules", family.share_code, cid, "2015-09-30")
    assert status_of(failure) == "CARNET_E_LOCKED", "even the right date waits for the lock"
    with pytest.raises(carnet.CarnetFailure):
        enrolled.link_get("jules")


def test_resend_share_code_emails_again_then_is_rate_limited(enrolled, sandbox):
    enrolled.record_create("p-resend", patient_document(email="resend@example.org"))
    before = len(sandbox.emails_to("resend@example.org"))
    enrolled.share_code_resend("p-resend")
    assert len(sandbox.emails_to("resend@example.org")) == before + 1
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.share_code_resend("p-resend")
    assert status_of(failure) == "CARNET_E_LOCKED"


# ---------------------------------------------------------------- vaccinations

def test_add_agrippal_reaches_the_carnet_once(enrolled, sandbox):
    enrolled.record_create("p-add", patient_document(email="add@example.org"))
    status, state = enrolled.vaccination_add("p-add", immunization("ehr-vacc-1"))
    assert status == C["CARNET_OK"] and state["state"] == "synced" and state["immunization_id"]
    status, again = enrolled.vaccination_add("p-add", immunization("ehr-vacc-1"))
    assert status == C["CARNET_OK"] and again["immunization_id"] == state["immunization_id"]
    listed = enrolled.vaccinations_list("p-add")
    assert listed["resourceType"] == "Bundle" and len(listed["entry"]) == 1
    entry = listed["entry"][0]
    assert entry["resource"]["vaccineCode"]["coding"][0]["code"] == AGRIPPAL_CIS
    assert entry["extension"][0]["valueString"] == "ehr-vacc-1"


def test_remove_deletes_on_the_service(enrolled):
    enrolled.record_create("p-rm", patient_document(email="rm@example.org"))
    enrolled.vaccination_add("p-rm", immunization("v-rm"))
    assert enrolled.vaccination_remove("p-rm", "v-rm") == C["CARNET_OK"]
    assert enrolled.vaccinations_list("p-rm").get("entry", []) == []
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.vaccination_remove("p-rm", "v-rm")
    assert status_of(failure) == "CARNET_E_NOT_FOUND"


def test_a_vaccination_in_the_future_is_refused_at_once_and_nothing_is_queued(enrolled):
    enrolled.record_create("p-future", patient_document(email="future@example.org"))
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.vaccination_add("p-future", immunization("v-future", date="2099-01-01"))
    assert status_of(failure) == "CARNET_E_INVALID_ARGUMENT"
    assert "postérieure à aujourd'hui" in failure.value.message
    assert failure.value.field == "occurrenceDateTime"
    assert enrolled.outbox_status("p-future")["pending"] == []


def test_today_is_the_configured_zones_day_in_the_library_and_the_service(lib, sandbox, enrolled, tmp_path):
    # UTC+14 is always at least a day ahead of UTC-12: the same date is today for one workstation
    # and the future for the other, and the service takes the workstation's day (X-Carnet-Time-Zone).
    enrolled.close()
    kiribati_today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=14)).date().isoformat()
    store = str(tmp_path / "store")
    with open_client(lib, sandbox, store, enrolled.professional, time_zone="-12:00") as behind:
        behind.record_create("p-zone", patient_document(email="zone@example.org"))
        with pytest.raises(carnet.CarnetFailure) as failure:
            behind.vaccination_add("p-zone", immunization("v-zone", date=kiribati_today))
        assert status_of(failure) == "CARNET_E_INVALID_ARGUMENT" and failure.value.field == "occurrenceDateTime"
        with pytest.raises(carnet.CarnetFailure) as failure:
            behind.record_create("p-zone-2", patient_document(email="zone2@example.org", birthDate=kiribati_today))
        assert status_of(failure) == "CARNET_E_INVALID_ARGUMENT" and failure.value.field == "birthDate"
    with open_client(lib, sandbox, store, enrolled.professional, time_zone="+14:00") as ahead:
        status, result = ahead.vaccination_add("p-zone", immunization("v-zone", date=kiribati_today))
        assert status == C["CARNET_OK"] and result["state"] == "synced"  # the service took that day too
        assert ahead.outbox_status("p-zone")["pending"] == []


def test_a_vaccination_the_service_refuses_is_kept_for_the_host(enrolled):
    # Born 1950: the library does not know the birth date of every carnet, the service refuses.
    enrolled.record_create("p-before", patient_document(email="before@example.org"))
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.vaccination_add("p-before", immunization("v-before", date="1940-01-01"))
    assert status_of(failure) == "CARNET_E_REJECTED"
    assert "précède la date de naissance" in failure.value.message
    assert failure.value.field == "occurrenceDateTime"
    pending = enrolled.outbox_status("p-before")["pending"]
    assert len(pending) == 1 and pending[0]["blocked"] is True and pending[0]["status"] == "CARNET_E_REJECTED"
    # The host removes it: nothing was ever on the service, nothing is sent.
    assert enrolled.vaccination_remove("p-before", "v-before") == C["CARNET_OK"]
    assert enrolled.outbox_status("p-before")["pending"] == []


def test_service_unreachable_means_pending_then_delivered_once(lib, sandbox, enrolled, tmp_path):
    enrolled.record_create("p-off", patient_document(email="off@example.org"))
    enrolled.close()
    store = str(tmp_path / "store")
    # A service address where nothing listens: the add is recorded, not lost.
    with open_client(lib, sandbox, store, enrolled.professional, service_url="https://127.0.0.1:9/fhir",
                     connect_timeout_ms=2000) as offline:
        status, state = offline.vaccination_add("p-off", immunization("v-off"))
        assert status == C["CARNET_PENDING"]
        assert state["state"] == "pending" and state["status"] == "CARNET_E_NETWORK"
        assert "injoignable" in offline.last_error.text
        report = offline.sync()
        assert report["offline"] is True and len(report["pending"]) == 1
    with open_client(lib, sandbox, store, enrolled.professional) as online:
        report = online.sync()
        assert report["pushed"] == 1 and report["pending"] == []
        assert len(online.vaccinations_list("p-off")["entry"]) == 1
        assert online.sync()["pushed"] == 0


def test_removing_a_vaccination_never_sent_sends_nothing(lib, sandbox, enrolled, tmp_path):
    enrolled.record_create("p-cancel", patient_document(email="cancel@example.org"))
    enrolled.close()
    store = str(tmp_path / "store")
    with open_client(lib, sandbox, store, enrolled.professional, service_url="https://127.0.0.1:9/fhir") as offline:
        # The first push attempt fails; a second add is never attempted while the first waits.
        offline.vaccination_add("p-cancel", immunization("v-a"))
        assert offline.vaccination_remove("p-cancel", "v-a") == C["CARNET_PENDING"]
    with open_client(lib, sandbox, store, enrolled.professional) as online:
        online.sync()
        assert online.vaccinations_list("p-cancel").get("entry", []) == []
        assert online.outbox_status()["pending"] == []


def test_sync_proposes_what_another_professional_added_then_accept(enrolled, sandbox):
    family = sandbox.create_ten_carnet_citizen()
    found = enrolled.share_code_lookup(family.share_code)
    patient = enrolled.record_claim("hugo", family.share_code, candidate_id(found, "09 10 2007"), "2007-10-09")
    # The citizen records a vaccination on the web (another source than this EHR).
    added = sandbox.add_vaccination(patient["id"], cis=AGRIPPAL_CIS, date="2024-10-15")
    report = enrolled.sync()
    proposals = [a for a in report["added"] if a["patient_id"] == "hugo"]
    assert len(proposals) == 1
    remote_id = proposals[0]["immunization"]["id"]
    assert remote_id == added.get("id", remote_id)
    enrolled.vaccinations_accept("hugo", {"imported": [{"immunization_id": remote_id,
                                                        "host_vaccination_id": "ehr-imported-1"}]})
    assert [a for a in enrolled.sync()["added"] if a["patient_id"] == "hugo"] == []
    listed = enrolled.vaccinations_list("hugo")
    assert listed["entry"][0]["extension"][0]["valueString"] == "ehr-imported-1"
    # Deleted elsewhere: proposed for confirmation, confirmed by remove.
    sandbox.delete_vaccination(remote_id)
    removed = [r for r in enrolled.sync()["removed"] if r["patient_id"] == "hugo"]
    assert removed and removed[0]["host_vaccination_id"] == "ehr-imported-1"
    assert enrolled.vaccination_remove("hugo", "ehr-imported-1") == C["CARNET_OK"]
    assert [r for r in enrolled.sync()["removed"] if r["patient_id"] == "hugo"] == []


# ---------------------------------------------------------------- recommendations and search

def test_recommendations_are_an_immunization_recommendation(enrolled):
    enrolled.record_create("p-reco", patient_document(email="reco@example.org", birthDate="1950-04-02"))
    enrolled.vaccination_add("p-reco", immunization("v-reco"))
    reco = enrolled.recommendations_get("p-reco")
    assert reco["resourceType"] == "ImmunizationRecommendation"
    assert reco["recommendation"], "a 76-year-old has recommendations (influenza, pneumococcus, zoster, RSV)"
    statuses = {c["code"] for r in reco["recommendation"] for c in r["forecastStatus"]["coding"]}
    assert statuses, reco


@pytest.mark.parametrize("query, expected", [
    ("agrippal", "AGRIPPAL"), ("grippe", None), ("méningocoque b", "BEXSERO"), (AGRIPPAL_CIS, "AGRIPPAL"),
])
def test_vaccine_search(enrolled, query, expected):
    found = enrolled.vaccines_search(query)
    contains = found["expansion"].get("contains", [])
    assert contains, query
    if expected:
        assert expected in contains[0]["display"].upper()
    else:
        assert all(any("rippe" in d["value"] for d in c["designation"]) for c in contains[:3])


def test_another_professional_adds_through_the_sandbox_cli_and_sync_proposes_it(lib, sandbox, enrolled, tmp_path):
    enrolled.record_create("p-shared", patient_document(email="shared@example.org", birthDate="2012-05-06"))
    carnet_id = enrolled.link_get("p-shared")
    code = sandbox.latest_share_code("shared@example.org")  # the patient reads the email
    colleague = sandbox.create_professional(name="Dr Paul Henri")
    with open_client(lib, sandbox, str(tmp_path / "colleague"), colleague) as other:
        other.certificate_enroll(colleague.withdrawal_code)
        found = other.share_code_lookup(code)
        other.record_claim("their-patient", code, found["parameter"][0]["part"][0]["valueString"], "2012-05-06")
    sandbox.add_vaccination(carnet_id, cis=AGRIPPAL_CIS, date="2025-11-02", professional_email=colleague.email)
    report = enrolled.sync("p-shared")
    assert [a["immunization"]["occurrenceDateTime"][:10] for a in report["added"]] == ["2025-11-02"]
    assert report["added"][0]["carnet_id"] == carnet_id


def test_documents_returned_are_valid_fhir_r4(enrolled, sandbox):
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.immunizationrecommendation import ImmunizationRecommendation
    from fhir.resources.R4B.parameters import Parameters
    from fhir.resources.R4B.patient import Patient
    from fhir.resources.R4B.valueset import ValueSet

    Patient.model_validate(enrolled.record_create("p-fhir", patient_document(email="fhir@example.org")))
    enrolled.vaccination_add("p-fhir", immunization("v-fhir"))
    Bundle.model_validate(enrolled.vaccinations_list("p-fhir"))
    reco = enrolled.recommendations_get("p-fhir")
    ImmunizationRecommendation.model_validate(reco)
    for r in reco["recommendation"]:
        criteria = {c["code"]["coding"][0]["code"] for c in r.get("dateCriterion", [])}
        assert criteria <= {"30981-5", "30980-7", "59777-3", "59778-1"}, criteria
    ValueSet.model_validate(enrolled.vaccines_search("grippe"))
    family = sandbox.create_ten_carnet_citizen()
    Parameters.model_validate(enrolled.share_code_lookup(family.share_code))


def p12_from_identity(identity, path, password):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    with open(identity.key_path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    with open(identity.cert_path, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    data = pkcs12.serialize_key_and_certificates(
        b"pro", key, cert, None, serialization.BestAvailableEncryption(password.encode()))
    with open(path, "wb") as f:
        f.write(data)


def test_an_expired_certificate_has_its_own_status(lib, sandbox, tmp_path):
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc)
    expired = sandbox.forge_client_certificate(not_before=now - datetime.timedelta(days=400),
                                               not_after=now - datetime.timedelta(days=1))
    p12 = str(tmp_path / "expired.p12")
    p12_from_identity(expired, p12, "pw")
    with open_client(lib, sandbox, str(tmp_path / "s")) as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_import_p12(p12, "pw")
        assert status_of(failure) == "CARNET_E_CERTIFICATE_EXPIRED"
        assert "expiré" in failure.value.message
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_info()
        assert status_of(failure) == "CARNET_E_NO_CERTIFICATE", "an expired certificate is not installed"
