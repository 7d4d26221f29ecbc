"""Validation of what the sandbox returns: fhir.resources R4B models (structure, types,
cardinality) plus our own checks of required code values, which those models do not check."""

from fhir.resources.R4B import get_fhir_model_class

ISSUE_SEVERITY = {"fatal", "error", "warning", "information"}
ISSUE_TYPE = {
    "invalid", "structure", "required", "value", "invariant", "security", "login", "unknown", "expired",
    "forbidden", "suppressed", "processing", "not-supported", "duplicate", "multiple-matches", "not-found",
    "deleted", "too-long", "code-invalid", "extension", "too-costly", "business-rule", "conflict",
    "transient", "lock-error", "no-store", "exception", "timeout", "incomplete", "throttled", "informational",
}
GENDER = {"male", "female", "other", "unknown"}
IMMUNIZATION_STATUS = {"completed", "entered-in-error", "not-done"}
BUNDLE_TYPE = {"document", "message", "transaction", "transaction-response", "batch", "batch-response",
               "history", "searchset", "collection"}
HTTP_VERB = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"}
SEARCH_MODE = {"match", "include", "outcome"}
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
FORECAST_STATUS_SYSTEMS = {"http://terminology.hl7.org/CodeSystem/immunization-recommendation-status",
                           "urn:carnet:fhir:CodeSystem:forecast-status"}
CIS = "https://smt.esante.gouv.fr/terminologie-bdpm"


def validate(resource):
    """Validates ``resource`` (a dict) with the R4B model of its type and our code checks; returns it."""
    assert isinstance(resource, dict) and "resourceType" in resource, resource
    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate(resource)
    check_codes(resource)
    return resource


def check_codes(resource):
    kind = resource["resourceType"]
    if kind == "OperationOutcome":
        assert resource["issue"], "an OperationOutcome has at least one issue"
        for issue in resource["issue"]:
            assert issue["severity"] in ISSUE_SEVERITY, issue
            assert issue["code"] in ISSUE_TYPE, issue
    elif kind == "Patient":
        assert resource.get("id"), "server-assigned id"
        assert resource["meta"]["versionId"]
        assert resource["gender"] in GENDER
        assert resource["birthDate"]
    elif kind == "Immunization":
        assert resource.get("id")
        assert resource["meta"]["versionId"]
        assert resource["status"] in IMMUNIZATION_STATUS
        assert any(c.get("system") == CIS and c.get("code") for c in resource["vaccineCode"]["coding"]), \
            "FR Core: a CIS coding is required"
        assert resource["patient"]["reference"].startswith("Patient/")
    elif kind == "Bundle":
        assert resource["type"] in BUNDLE_TYPE
        for entry in resource.get("entry", []):
            if "request" in entry:
                assert entry["request"]["method"] in HTTP_VERB
            if "search" in entry:
                assert entry["search"]["mode"] in SEARCH_MODE
            if "resource" in entry:
                check_codes(entry["resource"])
    elif kind == "CapabilityStatement":
        assert resource["status"] in PUBLICATION_STATUS
        assert resource["kind"] in {"instance", "capability", "requirements"}
        assert resource["fhirVersion"] == "4.0.1"
        assert "application/fhir+json" in resource["format"]
        for rest in resource["rest"]:
            assert rest["mode"] in {"client", "server"}
    elif kind == "ValueSet":
        assert resource["status"] in PUBLICATION_STATUS
    elif kind == "ImmunizationRecommendation":
        for recommendation in resource["recommendation"]:
            codings = recommendation["forecastStatus"]["coding"]
            assert any(c["system"] in FORECAST_STATUS_SYSTEMS and c.get("code") for c in codings)
    elif kind == "Parameters":
        for parameter in resource.get("parameter", []):
            if "resource" in parameter:
                check_codes(parameter["resource"])
    else:
        raise AssertionError(f"unexpected resource type {kind}")


def outcome(response, status, code=None, detail=None):
    """Asserts ``response`` is an OperationOutcome with ``status`` (and issue code / detail); returns it."""
    assert response.status == status, (response.status, response.body[:500])
    assert response.header("content-type").startswith("application/fhir+json"), response.headers
    body = validate(response.json())
    assert body["resourceType"] == "OperationOutcome"
    issue = body["issue"][0]
    assert issue["severity"] == "error"
    if code:
        assert issue["code"] == code, issue
    if detail:
        assert issue["details"]["coding"][0]["code"] == detail, issue
    return body
