"""Concurrent clients and concurrent writers in other processes: no 5xx, and conditional create
stays exactly-once under races (the unique index decides)."""

import concurrent.futures
import threading

from sandbox_process import immunization_resource, patient_resource

AGRIPPAL = "61921204"


def test_racing_conditional_creates_make_one_resource_each(sandbox):
    _, identity = sandbox.professional_identity()
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=identity).json()["id"]
    identifiers = [f"race-{i}" for i in range(6)]
    stop = threading.Event()

    def other_process_writes():
        count = 0
        while not stop.is_set() and count < 8:
            sandbox.add_vaccination(carnet, cis=AGRIPPAL, date="2024-01-02")
            count += 1
        return count

    def push(identifier):
        resource = immunization_resource(carnet, cis=AGRIPPAL, identifier=identifier)
        condition = {"If-None-Exist": f"identifier=urn:carnet:host:test-ehr:vaccination|{identifier}"}
        response = sandbox.request("POST", "Immunization", resource, identity=identity, headers=condition)
        return response.status, response.json().get("id")

    with concurrent.futures.ThreadPoolExecutor(max_workers=9) as pool:
        writer = pool.submit(other_process_writes)
        results = list(pool.map(push, identifiers * 5))
        stop.set()
        cli_writes = writer.result()
    statuses = [status for status, _ in results]
    assert all(status in (200, 201) for status in statuses), statuses
    by_identifier = {}
    for identifier, (status, rid) in zip(identifiers * 5, results):
        by_identifier.setdefault(identifier, set()).add(rid)
    assert all(len(ids) == 1 for ids in by_identifier.values()), by_identifier
    assert statuses.count(201) == len(identifiers)
    search = sandbox.request("GET", f"Immunization?patient={carnet}&_count=100", identity=identity).json()
    assert search["total"] == len(identifiers) + cli_writes
