"""No patient data and no secret in any log line or error message
(docs/security.md, "Logs and messages"): every flow runs with the library's
log at DEBUG, in French and in English, against a sandbox logging at debug;
then every library log line, every error message the host received and the
sandbox's whole log are scanned for each patient value and each secret.
"""
import re

import pytest

import carnet
from sandbox_process import Sandbox
from security_support import run_every_flow


def forms(name, value):
    """The spellings a value could take in a log line."""
    out = {value, value.lower(), value.upper()}
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        y, m, d = value.split("-")
        out |= {f"{d}/{m}/{y}", f"{y}{m}{d}", f"{d}{m}{y}"}
    if "code" in name:
        out.add(value.replace("-", ""))
    return {v for v in out if len(v) >= 6}


def leaks(texts, values):
    found = []
    for name, value in values.items():
        for needle in forms(name, value):
            for text in texts:
                if needle.lower() in text.lower():
                    found.append((name, needle, text[:200]))
    return found


@pytest.fixture(scope="module", params=[0, 1], ids=["fr", "en"])
def flows(request, lib, tmp_path_factory):
    directory = tmp_path_factory.mktemp("logs")
    with Sandbox(log_level="debug") as sandbox:
        run = run_every_flow(lib, sandbox, str(directory / "store"), directory, locale=request.param)
        sandbox.stop()
        run.sandbox_log = sandbox.read_log()
        yield run


def test_the_scan_finds_a_planted_value(flows):
    values = dict(flows.patient_values, **flows.secrets)
    assert leaks(["... " + flows.patient_values["family name"].upper() + " ..."], values)
    assert leaks(["né le 23/11/1947"], {"birth date": "1947-11-23"})
    assert leaks(["code " + flows.patient_values["share code"].replace("-", "")], values)


def test_the_run_logged_and_failed_enough_to_mean_something(flows):
    assert len(flows.log_lines) >= 30, flows.log_lines
    assert any("HTTP 201" in line for line in flows.log_lines)
    assert len([m for m in flows.messages if m]) >= 10, flows.messages
    assert flows.sandbox_log.count("\n") >= 30


def test_no_patient_value_or_secret_in_library_log_lines(flows):
    assert leaks(flows.log_lines, dict(flows.patient_values, **flows.secrets)) == []


def test_no_patient_value_or_secret_in_error_messages(flows):
    assert leaks(flows.messages, dict(flows.patient_values, **flows.secrets)) == []


def test_no_patient_value_or_secret_in_the_sandbox_log(flows):
    values = dict(flows.patient_values, **flows.secrets)
    values.pop("host patient id")  # never sent to the service at all
    assert leaks(flows.sandbox_log.splitlines(), values) == []


def test_library_log_lines_carry_no_ids_of_carnets_or_queries(flows):
    uuid_re = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    assert [line for line in flows.log_lines if uuid_re.search(line) or "?" in line] == []


@pytest.mark.parametrize("field, value", [
    ("birthDate", "1947-13-45"),
    ("telecom", "hortense-sans-arobase.example.org"),
])
def test_validation_messages_name_the_field_not_the_value(lib, tmp_path, field, value):
    patient = {"resourceType": "Patient", "name": [{"family": "Vauquelin", "given": ["Hortense"]}],
               "birthDate": "1947-11-23", "gender": "female",
               "telecom": [{"system": "email", "value": "hortense@example.org"}]}
    if field == "birthDate":
        patient["birthDate"] = value
    else:
        patient["telecom"][0]["value"] = value
    lines = []
    callback = carnet.carnet_log_callback(lambda p, level, message: lines.append(message.decode()))
    with carnet.Client(lib, str(tmp_path / "s"), service_url="https://127.0.0.1:9/fhir",
                       log_callback=callback, log_level=carnet.C["CARNET_LOG_DEBUG"]) as client:
        try:
            client.record_create("dossier-42", patient)
        except carnet.CarnetFailure as failure:
            message = failure.message
        else:
            pytest.fail("accepted an invalid patient")
    for text in [message] + lines:
        assert value not in text and "Vauquelin" not in text and "dossier-42" not in text, text
