"""Vaccine search through ValueSet $expand, and recommendations ($immds-forecast)."""

from fhir_checks import validate
from sandbox_process import immunization_resource, patient_resource

CIS = "https://smt.esante.gouv.fr/terminologie-bdpm"


def expand(sandbox, identity, query):
    response = sandbox.request("GET", f"ValueSet/$expand?filter={query}&count=10", identity=identity)
    assert response.status == 200, response.body
    return validate(response.json())["expansion"]


def test_vaccine_search_by_name_disease_and_code(sandbox, pro_a):
    _, identity = pro_a
    agrippal = expand(sandbox, identity, "agrippal")
    assert agrippal["contains"][0]["code"] == "61921204" and agrippal["contains"][0]["system"] == CIS
    assert "AGRIPPAL" in agrippal["contains"][0]["display"].upper()
    grippe = expand(sandbox, identity, "grippe")
    assert grippe["total"] >= 1
    assert any(d["use"]["code"] == "target-disease" and d["value"].startswith("Grippe") for item in grippe["contains"] for d in item.get("designation", []))
    menb = expand(sandbox, identity, "m%C3%A9ningocoque%20b")
    assert menb["total"] >= 1
    by_code = expand(sandbox, identity, "61921204")
    assert by_code["contains"][0]["code"] == "61921204"
    nothing = expand(sandbox, identity, "zzzzzz")
    assert nothing["total"] == 0 and "contains" not in nothing


def test_recommendations_for_a_carnet(sandbox, pro_a):
    _, identity = pro_a
    carnet = sandbox.request("POST", "Patient", patient_resource(birth_date="2024-01-15"), identity=identity).json()["id"]
    given = sandbox.request("POST", "Immunization", immunization_resource(carnet, cis="61921204", date="2025-10-01"),
                            identity=identity).json()
    response = sandbox.request("GET", f"Patient/{carnet}/$immds-forecast", identity=identity)
    assert response.status == 200, response.body
    result = validate(response.json())
    assert result["resourceType"] == "Parameters"
    by_name = {}
    for parameter in result["parameter"]:
        by_name.setdefault(parameter["name"], []).append(parameter["resource"])
    assert [r["id"] for r in by_name["evaluatedHistory"]] == [given["id"]]
    recommendation = validate(by_name["recommendation"][0])
    assert recommendation["resourceType"] == "ImmunizationRecommendation"
    assert recommendation["patient"]["reference"] == f"Patient/{carnet}"
    assert len(recommendation["recommendation"]) >= 3
    for item in recommendation["recommendation"]:
        assert item["forecastStatus"]["coding"][0]["code"]
