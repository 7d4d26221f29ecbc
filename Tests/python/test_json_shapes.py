"""Carnet's own JSON shapes (docs/schemas/): every output of the library that is not a FHIR
resource validates against its JSON Schema, produced for real against the sandbox, with every
optional member shown at least once (pending, offline, refused, proposals of each kind, each
background event). One key casing: snake_case, everywhere Carnet names a key itself."""
import datetime
import glob
import json
import os
import re
import threading
import time

import jsonschema
import pytest
import referencing

import carnet
from carnet import C
from conftest import open_client
from fault_support import P12_PASSWORD
from test_faults_conflicts import change_remotely, colleague_with_access
from test_flows import AGRIPPAL_CIS, immunization, p12_from_identity, patient_document

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMAS = os.path.join(REPO, "docs", "schemas")
OFFLINE_URL = "https://127.0.0.1:9/fhir"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def _load_schemas():
    schemas = {}
    for path in sorted(glob.glob(os.path.join(SCHEMAS, "*.schema.json"))):
        with open(path, encoding="utf-8") as f:
            schemas[os.path.basename(path)[:-len(".schema.json")]] = json.load(f)
    return schemas


SCHEMA = _load_schemas()
REGISTRY = referencing.Registry().with_resources(
    (schema["$id"], referencing.Resource.from_contents(schema)) for schema in SCHEMA.values())
EVENT_SCHEMA = {C["CARNET_EVENT_PUSHED"]: "event-pushed", C["CARNET_EVENT_CHANGES"]: "event-changes",
                C["CARNET_EVENT_FAILURE"]: "event-failure", C["CARNET_EVENT_ACCESS_REVOKED"]: "event-access-revoked",
                C["CARNET_EVENT_CERTIFICATE_EXPIRING"]: "event-certificate-expiring"}


def valid(name, document):
    """Validates `document` against docs/schemas/<name>.schema.json (every error listed)."""
    validator = jsonschema.Draft202012Validator(SCHEMA[name], registry=REGISTRY)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors)
    return document


class Events:
    """The background sync's events, each validated against its kind's schema as it arrives."""

    def __init__(self):
        self.items, self.problems, self.lock = [], [], threading.Lock()

    def __call__(self, kind, detail):
        try:
            valid(EVENT_SCHEMA[kind], detail)
        except (AssertionError, KeyError) as problem:
            with self.lock:
                self.problems.append(f"kind {kind}: {problem}")
        with self.lock:
            self.items.append((kind, detail))

    def wait_for(self, kind, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                assert not self.problems, self.problems
                found = [d for k, d in self.items if k == kind]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no event {kind} within {timeout}s; got {self.items}")


# ---------------------------------------------------------------- the schemas themselves

def test_every_schema_is_valid_and_every_key_carnet_names_is_snake_case():
    assert set(SCHEMA) >= {"certificate", "vaccination-state", "sync-report", "outbox-status", "catalogue-info",
                           "vaccine-scan", "accept-mapping", "batch-results", *EVENT_SCHEMA.values()}

    def keys(node, path):
        if isinstance(node, dict) and "x-fhir-resource" not in node:  # FHIR resources keep FHIR casing
            for name, sub in node.get("properties", {}).items():
                yield path + [name], name
                yield from keys(sub, path + [name])
            for word in ("items", "$defs"):
                if isinstance(node.get(word), dict):
                    subs = node[word].values() if word == "$defs" else [node[word]]
                    for sub in subs:
                        yield from keys(sub, path)
    for name, schema in SCHEMA.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith(f"/{name}.schema.json")
        bad = [".".join(path) for path, key in keys(schema, []) if not SNAKE.match(key)]
        assert not bad, f"{name}: keys not in snake_case: {bad}"


def test_a_schema_refuses_the_old_casing_and_unknown_keys():
    """The schemas can fail: the 0.2.0 camelCase certificate keys are refused."""
    old = {"subject": "/CN=x", "commonName": "x", "issuer": "/CN=ca", "serialNumber": "0A", "notBefore":
           "2026-01-01T00:00:00Z", "notAfter": "2027-01-01T00:00:00Z", "daysLeft": 3, "expired": False,
           "sha256": "0" * 64}
    errors = list(jsonschema.Draft202012Validator(SCHEMA["certificate"]).iter_errors(old))
    assert errors and any("common_name" in e.message for e in errors)


# ---------------------------------------------------------------- certificate

def test_certificate_documents(lib, sandbox, tmp_path):
    professional = sandbox.create_professional()
    with open_client(lib, sandbox, str(tmp_path / "a"), professional) as client:
        enrolled = valid("certificate", client.certificate_enroll(professional.withdrawal_code))
        assert valid("certificate", client.certificate_info()) == enrolled
        assert enrolled["expired"] is False and enrolled["days_left"] > 300
    p12 = str(tmp_path / "pro.p12")
    sandbox.export_p12(professional.email, P12_PASSWORD, p12)
    with open_client(lib, sandbox, str(tmp_path / "b"), professional) as client:
        valid("certificate", client.certificate_import_p12(p12, P12_PASSWORD))


# ---------------------------------------------------------------- add / update / remove, sync, outbox

def test_vaccination_states_sync_report_and_outbox(lib, sandbox, enrolled, tmp_path):
    email = "formes@example.org"
    carnet_id = enrolled.record_create("p", patient_document(email=email))["id"]
    status, synced = enrolled.vaccination_add("p", immunization("v-synced"))
    assert status == C["CARNET_OK"] and valid("vaccination-state", synced)["state"] == "synced"
    status, updated = enrolled.vaccination_update("p", dict(immunization("v-synced"), lotNumber="LOT-43"))
    assert status == C["CARNET_OK"] and valid("vaccination-state", updated)["version"] == 2
    _, gone = enrolled.vaccination_add("p", immunization("v-deleted-elsewhere"))
    _, edited = enrolled.vaccination_add("p", immunization("v-edited-elsewhere", date="2025-09-01"))

    # Made elsewhere: an addition by the citizen, a deletion, a colleague's correction.
    sandbox.add_vaccination(carnet_id, cis=AGRIPPAL_CIS, date="2024-10-15")
    sandbox.delete_vaccination(gone["immunization_id"])
    enrolled.email = email
    _, colleague = colleague_with_access(sandbox, enrolled)
    change_remotely(sandbox, colleague, edited["immunization_id"], "LOT-COLLEGUE")

    # Recorded while the service is unreachable: pending, with the reason.
    enrolled.close()
    store = str(tmp_path / "store")
    with open_client(lib, sandbox, store, enrolled.professional, service_url=OFFLINE_URL) as offline:
        status, pending = offline.vaccination_add("p", immunization("v-pending"))
        assert status == C["CARNET_PENDING"]
        assert valid("vaccination-state", pending)["status"] == "CARNET_E_NETWORK"
        assert offline.vaccination_remove("p", "v-synced") == C["CARNET_PENDING"]
        outbox = valid("outbox-status", offline.outbox_status())
        assert {(p["host_vaccination_id"], p["operation"]) for p in outbox["pending"]} \
            == {("v-pending", "add"), ("v-synced", "remove")}
        reasons = {p["host_vaccination_id"]: p.get("status") for p in outbox["pending"]}
        assert reasons["v-pending"] == "CARNET_E_NETWORK", outbox  # tried: the reason is shown
        report = valid("sync-report", offline.sync())
        assert report["offline"] is True and report["status"] == "CARNET_E_NETWORK"
        valid("outbox-status", offline.outbox_status("p"))

    with open_client(lib, sandbox, store, enrolled.professional) as online:
        report = valid("sync-report", online.sync("p"))
        assert report["pushed"] == 2 and "offline" not in report
        assert len(report["added"]) == 1 and report["added"][0]["carnet_id"] == carnet_id
        assert [r["host_vaccination_id"] for r in report["removed"]] == ["v-deleted-elsewhere"]
        assert [c["host_vaccination_id"] for c in report["changed"]] == ["v-edited-elsewhere"]
        assert valid("outbox-status", online.outbox_status())["pending"] == []
        mapping = valid("accept-mapping", {"imported": [{"immunization_id": report["added"][0]["immunization"]["id"],
                                                         "host_vaccination_id": "v-imported"}], "ignored": []})
        online.vaccinations_accept("p", mapping)
        assert valid("sync-report", online.sync())["added"] == []


def test_renewed_certificate_and_batch_results(lib, sandbox, enrolled, tmp_path):
    valid("certificate", enrolled.certificate_renew())
    enrolled.record_create("p-batch", patient_document(email="lots@example.org"))
    incomplete = {"resourceType": "Immunization", "identifier": [{"value": "b-incomplete"}],
                  "vaccineCode": immunization("x")["vaccineCode"]}  # no occurrenceDateTime
    status, results = enrolled.vaccinations_add("p-batch", [immunization("b-1"), immunization("b-2", date="2025-09-01"),
                                                            incomplete])
    valid("batch-results", results)
    assert status == C["CARNET_E_INVALID_ARGUMENT"], results
    assert [r["state"] for r in results["results"]] == ["synced", "synced", "not_recorded"]
    assert results["results"][2]["field"] == "occurrenceDateTime" and results["refused"] == 1
    enrolled.close()
    with open_client(lib, sandbox, str(tmp_path / "store"), enrolled.professional, service_url=OFFLINE_URL) as offline:
        status, results = offline.vaccinations_add("p-batch", [immunization("b-3")])
        assert status == C["CARNET_PENDING"]
        assert valid("batch-results", results)["results"][0]["status"] == "CARNET_E_NETWORK"


# ---------------------------------------------------------------- background sync events

def test_every_background_event_matches_its_schema(lib, sandbox, enrolled, tmp_path):
    carnet_id = enrolled.record_create("p-bg", patient_document(email="evenements@example.org"))["id"]
    enrolled.close()
    store = str(tmp_path / "store")
    with open_client(lib, sandbox, store, enrolled.professional, service_url=OFFLINE_URL) as offline:
        assert offline.vaccination_add("p-bg", immunization("v-bg"))[0] == C["CARNET_PENDING"]
        events = Events()
        with offline.background_sync(100, events):
            assert events.wait_for(C["CARNET_EVENT_FAILURE"])["status"] == "CARNET_E_NETWORK"
    events = Events()
    with open_client(lib, sandbox, store, enrolled.professional) as online:
        with online.background_sync(200, events):
            assert events.wait_for(C["CARNET_EVENT_PUSHED"])["pushed"] == 1
            sandbox.add_vaccination(carnet_id, cis=AGRIPPAL_CIS, date="2024-10-15")
            assert events.wait_for(C["CARNET_EVENT_CHANGES"])["added"] == 1


def test_access_revoked_event(lib, sandbox, enrolled, tmp_path):
    carnet_id = enrolled.record_create("p-rev", patient_document(email="retrait@example.org"))["id"]
    enrolled.close()
    store = str(tmp_path / "store")
    with open_client(lib, sandbox, store, enrolled.professional, service_url=OFFLINE_URL) as offline:
        assert offline.vaccination_add("p-rev", immunization("v-rev"))[0] == C["CARNET_PENDING"]
    sandbox.revoke_access(carnet_id, enrolled.professional.email)
    events = Events()
    with open_client(lib, sandbox, store, enrolled.professional) as online:
        with online.background_sync(200, events):
            revoked = events.wait_for(C["CARNET_EVENT_ACCESS_REVOKED"])
    assert revoked["host_vaccination_id"] == "v-rev" and revoked["status"] == "CARNET_E_ACCESS_DENIED"


def test_certificate_expiring_event(lib, sandbox, tmp_path):
    now = datetime.datetime.now(datetime.timezone.utc)
    soon = sandbox.forge_client_certificate(not_after=now + datetime.timedelta(days=10))
    p12 = str(tmp_path / "soon.p12")
    p12_from_identity(soon, p12, "pw")
    events = Events()
    with open_client(lib, sandbox, str(tmp_path / "store")) as client:
        valid("certificate", client.certificate_import_p12(p12, "pw"))
        client.link_set("p", "11111111-2222-3333-4444-555555555555")
        with client.background_sync(100, events):
            expiring = events.wait_for(C["CARNET_EVENT_CERTIFICATE_EXPIRING"])
    assert 9 <= expiring["days_left"] <= 10 and expiring["action"] == "carnet_certificate_renew"


# ---------------------------------------------------------------- catalogue

def test_catalogue_info_and_box_scan(lib, tmp_path):
    with carnet.Client(lib, str(tmp_path / "store")) as client:
        assert valid("catalogue-info", client.catalogue_info())["origin"] == "built-in"
        scan = valid("vaccine-scan", client.vaccine_scan("(01)03400930280713(17)200131(10)OLD1"))
        assert scan["expired"] is True and scan["lot"] == "OLD1"
        if os.path.isdir(os.environ.get("CARNET_NUVA_DIR", "")):
            assert valid("catalogue-info", client.catalogue_import(os.environ["CARNET_NUVA_DIR"]))["origin"] \
                == "imported"
        else:
            pytest.fail("CARNET_NUVA_DIR is not a NUVA release")
