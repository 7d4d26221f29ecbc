"""Shared helpers of the fault tests (test_faults*.py) and the benchmarks: a professional whose
certificate exists both as a PKCS#12 (imported into the library) and as PEM files (for the fault
proxy and for reading the service directly), the invariant check, documents."""
from __future__ import annotations

import dataclasses
import os
import re
import sqlite3
import uuid

from sandbox_process import Identity

import carnet

P12_PASSWORD = "Mot-de-passe-P12"
AGRIPPAL_CIS = "61921204"
CIS_SYSTEM = "https://smt.esante.gouv.fr/terminologie-bdpm"
HOST_SYSTEM_PREFIX = "urn:carnet:host-vaccination:"


@dataclasses.dataclass
class Pro:
    professional: object
    p12: str
    identity: Identity  # PEM cert (with chain) + key of the same certificate


def professional_with_p12(sandbox, directory) -> Pro:
    from fault_proxy import identity_from_p12

    os.makedirs(directory, exist_ok=True)
    professional = sandbox.create_professional()
    p12 = os.path.join(directory, "pro.p12")
    sandbox.export_p12(professional.email, P12_PASSWORD, p12)
    cert, key = identity_from_p12(p12, P12_PASSWORD, directory)
    return Pro(professional, p12, Identity(cert, key))


def patient_document(email=None):
    return {
        "resourceType": "Patient",
        "name": [{"family": "Martin", "given": ["Jeanne"]}],
        "birthDate": "1950-04-02",
        "gender": "female",
        "telecom": [{"system": "email", "value": email or f"p-{uuid.uuid4().hex[:10]}@example.org"}],
    }


def immunization(host_id, date="2025-10-15"):
    return {
        "resourceType": "Immunization",
        "identifier": [{"value": host_id}],
        "vaccineCode": {"coding": [{"system": CIS_SYSTEM, "code": AGRIPPAL_CIS, "display": "AGRIPPAL"}]},
        "occurrenceDateTime": date,
    }


def service_host_ids(sandbox, identity, carnet_id):
    """The host ids of the carnet's live vaccinations on the service (read directly, all pages),
    with repetitions kept so that a duplicate shows."""
    values = []
    path = f"Immunization?patient={carnet_id}&_count=100"
    for _ in range(1000):
        response = sandbox.request("GET", path, identity=identity)
        assert response.status == 200, (response.status, response.body[:300])
        bundle = response.json()
        for entry in bundle.get("entry", []):
            for ident in entry["resource"].get("identifier", []):
                if ident.get("system", "").startswith(HOST_SYSTEM_PREFIX):
                    values.append(ident["value"])
        nxt = [link["url"] for link in bundle.get("link", []) if link["relation"] == "next"]
        if not nxt:
            break
        after = re.search(r"_after=([^&]+)", nxt[0]).group(1)
        path = f"Immunization?patient={carnet_id}&_count=100&_after={after}"
    return values


def assert_converged(client, sandbox, identity, carnet_id, expected):
    """The invariant: service set == host set, no duplicate, outbox empty."""
    on_service = service_host_ids(sandbox, identity, carnet_id)
    duplicates = sorted({v for v in on_service if on_service.count(v) > 1})
    assert not duplicates, f"duplicated on the service: {duplicates}"
    assert set(on_service) == set(expected), (
        f"missing on the service: {sorted(set(expected) - set(on_service))}; "
        f"unexpected: {sorted(set(on_service) - set(expected))}")
    assert client.outbox_status()["pending"] == []


def integrity(store_directory):
    """PRAGMA integrity_check of the library's store (read-only)."""
    path = os.path.join(store_directory, "carnet.sqlite")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def status_name(status):
    return carnet.STATUS_NAMES.get(status, str(status))
