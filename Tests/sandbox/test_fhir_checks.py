"""The validator the other tests rely on does reject what it must (so a pass means something)."""

import pytest

from fhir_checks import validate

GOOD_PATIENT = {"resourceType": "Patient", "id": "a", "meta": {"versionId": "1"}, "gender": "female",
                "birthDate": "2019-04-02"}


def test_accepts_a_valid_patient():
    assert validate(dict(GOOD_PATIENT)) == GOOD_PATIENT


@pytest.mark.parametrize("resource", [
    dict(GOOD_PATIENT, gender="feminine"),                                   # code value (our check)
    dict(GOOD_PATIENT, birthDate="02/04/2019"),                              # type (R4B model)
    dict(GOOD_PATIENT, unknownElement=1),                                    # structure (R4B model)
    {"resourceType": "OperationOutcome", "issue": [{"severity": "bad", "code": "invalid"}]},
    {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": dict(GOOD_PATIENT, gender="x")}]},
    {"resourceType": "Immunization", "id": "i", "meta": {"versionId": "1"}, "status": "completed",
     "vaccineCode": {"coding": [{"system": "http://example.org", "code": "1"}]},
     "patient": {"reference": "Patient/a"}, "occurrenceDateTime": "2024-01-01"},   # no CIS coding
])
def test_rejects_invalid_resources(resource):
    with pytest.raises(Exception):
        validate(resource)
