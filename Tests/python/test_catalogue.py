"""Every French vaccine, the box's DataMatrix and documents from other systems, through the C ABI
(docs/catalogue.md): the NUVA catalogue built into the library, updated from a release directory
(all or nothing, persisted), searched the way a doctor types, a scanned box cross-checked against
an independent GS1 parser (PyPI `biip`), and Immunizations written by other systems understood or
refused at once."""
import json
import os
import pathlib
import random
import shutil

import pytest
from biip import parse as biip_parse
from biip.gs1_messages import GS1Message

import carnet
from carnet import C, CarnetFailure
from conftest import open_client

SNAPSHOT = pathlib.Path(__file__).resolve().parents[2] / "Sources/CarnetCatalogue/Snapshot/NUVASnapshotData.swift"
NUVA_DIR = os.environ.get("CARNET_NUVA_DIR", "")
CIS_SYSTEM = "https://smt.esante.gouv.fr/terminologie-bdpm"


def snapshot_products():
    """(name, [cis], [cip13]) of each product line of the committed snapshot."""
    products = []
    for line in SNAPSHOT.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) > 7 and parts[0] == "P":
            products.append((parts[3], [c for c in parts[6].split(" ") if c], [c for c in parts[7].split(" ") if c]))
    return products


@pytest.fixture
def local(lib, tmp_path):
    client = carnet.Client(lib, str(tmp_path / "store"))
    yield client
    client.close()


def first_display(client, query):
    contains = client.vaccines_search(query)["expansion"].get("contains", [])
    return contains[0]["display"] if contains else None


def test_the_whole_nuva_catalogue_is_inside_with_its_attribution(local):
    info = local.catalogue_info()
    assert info["product_count"] == len(snapshot_products()) >= 1400
    assert info["origin"] == "built-in"
    assert "NUVA" in info["attribution"] and "CC-BY" in info["attribution"]


@pytest.mark.parametrize("query, expected", [
    ("PENTAXIM", "PENTAXIM"), ("act-hib", "ACT-HIB"), ("BOOSTRIX", "BOOSTRIX"), ("stamaril", "STAMARIL"),
    ("typhim vi", "TYPHIM VI"), ("VERORAB", "VERORAB"), ("ixiaro", "IXIARO"), ("gardasil", "GARDASIL"),
    ("AGRIPPAL SER 0,5ML", "AGRIPPAL"), ("fièvre jaune", "STAMARIL"), ("encephalite japonaise", "IXIARO"),
    ("PENTAXMI", "PENTAXIM"),
])
def test_search_finds_what_a_doctor_types(local, query, expected):
    assert first_display(local, query) == expected


@pytest.mark.parametrize("disease", ["rage", "typhoïde", "encéphalite à tiques", "choléra", "dengue", "mpox",
                                     "fièvre jaune", "encéphalite japonaise"])
def test_travel_diseases_give_products(local, disease):
    assert local.vaccines_search(disease)["expansion"].get("contains"), disease


def test_every_product_with_a_cis_is_found_by_its_cis_and_its_name(local):
    missing = []
    for name, cis_codes, _ in snapshot_products():
        if not cis_codes:
            continue
        for cis in cis_codes:
            found = local.vaccines_search(cis)["expansion"].get("contains", [])
            if name not in [e["display"] for e in found]:
                missing.append(("cis", cis))
        by_name = [e["display"] for e in local.vaccines_search(name[:200])["expansion"].get("contains", [])]
        if name not in by_name:
            missing.append(("name", name))
    assert missing == []


def test_a_damaged_release_is_refused_naming_the_file_and_the_catalogue_is_untouched(local, tmp_path):
    if not os.path.isdir(NUVA_DIR):
        pytest.fail(f"CARNET_NUVA_DIR is not a NUVA release: {NUVA_DIR!r}")
    damaged = tmp_path / "nuva-damaged"
    shutil.copytree(NUVA_DIR, damaged)
    broken = damaged / "Units" / "Vaccines" / "VAC0001.yml"
    broken.write_text("abstract: false\nlabel: [unclosed\nvalences: {\n", encoding="utf-8")
    before = local.catalogue_info()
    with pytest.raises(CarnetFailure) as refused:
        local.catalogue_import(str(damaged))
    assert refused.value.status == C["CARNET_E_INVALID_ARGUMENT"]
    assert local.last_error.field_name == "directory"
    assert "VAC0001.yml" in refused.value.message
    assert local.catalogue_info() == before
    assert first_display(local, "PENTAXIM") == "PENTAXIM"


def test_an_imported_release_is_in_use_and_survives_a_restart(lib, tmp_path):
    if not os.path.isdir(NUVA_DIR):
        pytest.fail(f"CARNET_NUVA_DIR is not a NUVA release: {NUVA_DIR!r}")
    store = str(tmp_path / "store")
    with carnet.Client(lib, store) as client:
        info = client.catalogue_import(NUVA_DIR)
        assert info["origin"] == "imported" and info["product_count"] >= 1400
    with carnet.Client(lib, store) as reopened:
        again = reopened.catalogue_info()
        assert again["origin"] == "stored"
        assert again["version"] == info["version"] and again["product_count"] == info["product_count"]
        assert first_display(reopened, "PENTAXIM") == "PENTAXIM"


# ---------------------------------------------------------------- the box's DataMatrix

GS = "\x1d"


def box_strings(gtin, expiry, lot, serial):
    yield "]d2" + "01" + gtin + "17" + expiry + "10" + lot + GS + "21" + serial
    yield "01" + gtin + "21" + serial + GS + "17" + expiry + "10" + lot
    yield f"(01){gtin}(17){expiry}(10){lot}(21){serial}"
    yield f"https://id.gs1.org/01/{gtin}/10/{lot}/21/{serial}?17={expiry}"


def test_scanned_boxes_agree_with_an_independent_gs1_parser(local):
    rng = random.Random(12)
    products = [p for p in snapshot_products() if p[2]]
    checked = 0
    for name, cis, cips in rng.sample(products, min(40, len(products))):
        cip13 = rng.choice(cips)
        gtin = "0" + cip13
        expiry = f"{rng.randint(27, 35):02d}{rng.randint(1, 12):02d}{rng.choice(['00', '15', '28'])}"
        lot = "".join(rng.choice("ABCDEFGHJK0123456789") for _ in range(rng.randint(1, 12)))
        serial = "".join(rng.choice("0123456789XYZ") for _ in range(rng.randint(1, 12)))
        for scanned in box_strings(gtin, expiry, lot, serial):
            ours = local.vaccine_scan(scanned)
            oracle = biip_parse(scanned)
            if scanned.startswith("https://"):
                message = oracle.gs1_digital_link_uri.as_gs1_message() if oracle.gs1_digital_link_uri else None
            elif scanned.startswith("("):
                message = GS1Message.parse_hri(scanned)
            else:
                message = oracle.gs1_message
            assert message is not None, scanned
            values = {e.ai.ai: e for e in message.element_strings}
            assert ours["gtin"] == values["01"].value == gtin
            assert ours["cip13"] == cip13
            assert ours["lot"] == values["10"].value == lot
            assert ours["serial"] == values["21"].value == serial
            assert ours["expiry"] == values["17"].date.isoformat(), (scanned, ours["expiry"])
            assert ours["product"]["name"] == name
            codings = ours["immunization"]["vaccineCode"]["coding"]
            assert any(c["code"] == cip13 for c in codings)
            assert any(c["system"] == CIS_SYSTEM for c in codings) == bool(cis)
            assert ours["immunization"]["lotNumber"] == lot
            checked += 1
    assert checked >= 100


@pytest.mark.parametrize("scanned, words", [
    ("(01)03400930280714(17)280531(10)X", "clé de contrôle"),
    ("hello", ""),
    ("(17)280531(10)X", "GTIN"),
    ("(01)03400930280713(17)281399(10)X", ""),
    ("(01)00000000000000(10)X", ""),
])
def test_a_bad_scan_is_a_clear_error_naming_the_scan(local, scanned, words):
    with pytest.raises(CarnetFailure) as refused:
        local.vaccine_scan(scanned)
    assert refused.value.status == C["CARNET_E_INVALID_ARGUMENT"]
    assert local.last_error.field_name == "scanned"
    assert words in refused.value.message


def test_an_expired_box_is_flagged(local):
    result = local.vaccine_scan("(01)03400930280713(17)200131(10)OLD1")
    assert result["expired"] is True and result["expiry"] == "2020-01-31"


# ---------------------------------------------------------------- documents from other systems

def hl7_style(host_id, coding):
    """Shaped like the HL7 R4 Immunization examples: CVX coding only, a contained Practitioner."""
    return {
        "resourceType": "Immunization",
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": host_id}],
        "status": "completed",
        "vaccineCode": {"coding": [coding], "text": "Fluvax (Influenza)"},
        "occurrenceDateTime": "2025-10-15",
        "contained": [{"resourceType": "Patient", "id": "p1", "name": [{"family": "Autre", "given": ["Personne"]}],
                       "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009"}]}],
        "performer": [{"actor": {"reference": "#p1"}}, {"actor": {"display": "Dr Externe"}}],
        "lotNumber": "AAJN11K",
    }


def test_a_document_with_a_unique_nuva_coding_gets_its_cis_and_no_other_persons_data(enrolled, sandbox):
    carnet_id = enrolled.record_create("patient", {
        "resourceType": "Patient", "name": [{"family": "Martin", "given": ["Jeanne"]}],
        "birthDate": "1950-04-02", "gender": "female",
        "telecom": [{"system": "email", "value": "jeanne.other-systems@example.org"}]})["id"]
    document = hl7_style("ext-1", {"system": "http://smt.esante.gouv.fr/terminologie-nuva", "code": "VAC0488"})
    status, state = enrolled.vaccination_add("patient", document)
    assert status == C["CARNET_OK"], state
    listed = enrolled.vaccinations_list("patient")["entry"][0]["resource"]
    codings = listed["vaccineCode"]["coding"]
    assert {"system": CIS_SYSTEM, "code": "68511072", "display": "PENTAXIM"} in codings
    assert any(c.get("code") == "VAC0488" for c in codings), "the original coding is kept"
    text = json.dumps(listed)
    assert "contained" not in listed and "9000000009" not in text and "Autre" not in text
    assert listed["patient"]["reference"] == f"Patient/{carnet_id}"
    assert [p["actor"] for p in listed.get("performer", [])] == [{"display": "Dr Externe"}]


def test_a_document_whose_vaccine_names_no_single_product_is_refused_at_once(enrolled):
    enrolled.record_create("patient", {
        "resourceType": "Patient", "name": [{"family": "Martin", "given": ["Jeanne"]}],
        "birthDate": "1950-04-02", "gender": "female",
        "telecom": [{"system": "email", "value": "jeanne.snomed@example.org"}]})
    # NHS England style: SNOMED CT only, which the French catalogue does not map.
    document = hl7_style("ext-2", {"system": "http://snomed.info/sct", "code": "39114911000001105",
                                   "display": "COVID-19 Vaccine Vaxzevria"})
    with pytest.raises(CarnetFailure) as refused:
        enrolled.vaccination_add("patient", document)
    assert refused.value.status == C["CARNET_E_INVALID_ARGUMENT"]
    assert enrolled.last_error.field_name == "vaccineCode.coding"
    assert "CIS" in refused.value.message
    # Never queued to be refused by the service later.
    assert enrolled.outbox_status()["pending"] == []
