"""The sync conflicts of docs/sync.md, each decided and tested against a real carnet-sandbox:
a vaccination the host pushed is deleted or changed remotely; the host removes one another
professional changed; the patient revokes this professional's access; the carnet is deleted."""
import sqlite3

import pytest

import carnet
from carnet import C
from conftest import open_client
from fault_proxy import FaultProxy
from fault_support import (P12_PASSWORD, assert_converged, immunization, patient_document, professional_with_p12,
                           service_host_ids, status_name)


@pytest.fixture(scope="module")
def pro(sandbox, tmp_path_factory):
    return professional_with_p12(sandbox, str(tmp_path_factory.mktemp("pro")))


@pytest.fixture
def client(lib, sandbox, pro, tmp_path):
    c = open_client(lib, sandbox, str(tmp_path / "store"), pro.professional)
    c.certificate_import_p12(pro.p12, P12_PASSWORD)
    c.store_dir = str(tmp_path / "store")
    c.email = f"conflict-{tmp_path.name}@example.org"
    c.carnet_id = c.record_create("patient", patient_document(email=c.email))["id"]
    yield c
    c.close()


def colleague_with_access(sandbox, client):
    """Another professional who claims the patient's carnet with the emailed share code."""
    colleague, identity = sandbox.professional_identity(name="Dr Paul Henri")
    code = sandbox.latest_share_code(client.email)
    (pseudonym,) = sandbox.lookup_share_code(identity, code).keys()
    sandbox.claim_carnet(identity, code, pseudonym, "1950-04-02")
    return colleague, identity


def remote_id(client, host_id):
    status, state = client.vaccination_add("patient", immunization(host_id))
    assert status == C["CARNET_OK"], state
    return state["immunization_id"]


def local_row(client, host_id):
    db = sqlite3.connect(f"file:{client.store_dir}/carnet.sqlite?mode=ro", uri=True)
    try:
        return db.execute("SELECT state, remote_version FROM vaccination WHERE host_id = ?", (host_id,)).fetchone()
    finally:
        db.close()


# ---------------------------------------------------------------- deleted remotely

def test_pushed_then_deleted_remotely_is_proposed_until_the_host_confirms(client, sandbox, pro):
    rid = remote_id(client, "v1")
    remote_id(client, "v2")
    sandbox.delete_vaccination(rid)  # the citizen deletes it on the web
    for _ in range(2):  # proposed at every sync until handled, never re-pushed
        report = client.sync()
        assert [(r["host_vaccination_id"], r["immunization_id"]) for r in report["removed"]] == [("v1", rid)]
        assert report["pushed"] == 0
    assert service_host_ids(sandbox, pro.identity, client.carnet_id) == ["v2"]
    assert local_row(client, "v1")[0] == "removed-remotely"
    assert client.vaccination_remove("patient", "v1") == C["CARNET_OK"]  # the host confirms
    assert client.sync()["removed"] == []
    assert_converged(client, sandbox, pro.identity, client.carnet_id, {"v2"})


def test_pushed_deleted_remotely_then_added_again_by_the_host_is_created_anew(client, sandbox, pro):
    rid = remote_id(client, "v1")
    sandbox.delete_vaccination(rid)
    client.sync()
    status, state = client.vaccination_add("patient", immunization("v1"))  # the doctor insists
    assert status == C["CARNET_OK"] and state["immunization_id"] != rid, state
    assert client.sync()["removed"] == []
    assert_converged(client, sandbox, pro.identity, client.carnet_id, {"v1"})


# ---------------------------------------------------------------- changed remotely

def change_remotely(sandbox, identity, rid, lot):
    current = sandbox.request("GET", f"Immunization/{rid}", identity=identity)
    assert current.status == 200
    resource = current.json()
    resource["lotNumber"] = lot
    answer = sandbox.request("PUT", f"Immunization/{rid}", resource, identity=identity,
                             headers={"If-Match": current.header("etag")})
    assert answer.status == 200, answer.body[:300]
    return answer.json()


def test_pushed_then_changed_by_another_professional_the_service_version_wins(client, sandbox, pro):
    rid = remote_id(client, "v1")
    _, colleague_identity = colleague_with_access(sandbox, client)
    changed = change_remotely(sandbox, colleague_identity, rid, "LOT-CORRIGE")
    assert changed["meta"]["versionId"] == "2"
    report = client.sync()
    # Decision: the service's version is the truth; the store remembers the new version, nothing
    # is pushed back over the change, and the host is told so it can refresh its copy.
    assert report["added"] == [] and report["removed"] == [] and report["pushed"] == 0
    assert local_row(client, "v1") == ("synced", 2)
    assert [(c["host_vaccination_id"], c["immunization"]["lotNumber"]) for c in report["changed"]] \
        == [("v1", "LOT-CORRIGE")]
    assert client.sync()["changed"] == report["changed"], "proposed until the host acknowledges it"
    # The host takes the new version (accept with its own id acknowledges the change).
    client.vaccinations_accept("patient", {"imported": [{"immunization_id": rid, "host_vaccination_id": "v1"}]})
    assert client.sync()["changed"] == []
    listed = client.vaccinations_list("patient")["entry"]
    assert [e["resource"].get("lotNumber") for e in listed] == ["LOT-CORRIGE"]
    assert listed[0]["extension"][0]["valueString"] == "v1", "still the host's vaccination"
    assert_converged(client, sandbox, pro.identity, client.carnet_id, {"v1"})


def test_host_removes_one_another_professional_changed_removal_wins(client, sandbox, pro):
    rid = remote_id(client, "v1")
    _, colleague_identity = colleague_with_access(sandbox, client)
    change_remotely(sandbox, colleague_identity, rid, "LOT-CORRIGE")
    # The host removes without having synced the change: the DELETE carries no If-Match, so the
    # removal wins over the colleague's edit (the doctor withdrew their own record).
    assert client.vaccination_remove("patient", "v1") == C["CARNET_OK"]
    assert sandbox.request("GET", f"Immunization/{rid}", identity=pro.identity).status == 410
    report = client.sync()
    assert report["removed"] == [] and report["added"] == []
    assert_converged(client, sandbox, pro.identity, client.carnet_id, set())


# ---------------------------------------------------------------- access revoked

def test_access_revoked_freezes_the_carnet_items_stay_visible_as_blocked(client, sandbox, pro):
    remote_id(client, "before")
    sandbox.revoke_access(client.carnet_id, pro.professional.email)
    with pytest.raises(carnet.CarnetFailure) as failure:
        client.vaccination_add("patient", immunization("after"))
    assert status_name(failure.value.status) == "CARNET_E_ACCESS_DENIED"
    assert "retiré" in failure.value.message or "accès" in failure.value.message, failure.value.message
    with pytest.raises(carnet.CarnetFailure) as failure:
        client.vaccination_remove("patient", "before")
    assert status_name(failure.value.status) == "CARNET_E_ACCESS_DENIED"
    pending = {p["host_vaccination_id"]: p for p in client.outbox_status()["pending"]}
    assert set(pending) == {"after", "before"}
    assert all(p["blocked"] and p["status"] == "CARNET_E_ACCESS_DENIED" and p["attempts"] == 1
               for p in pending.values()), pending
    # Blocked items are not retried by sync (the service is not hammered), and sync still works.
    report = client.sync()
    assert report["pushed"] == 0 and report.get("offline") is None
    assert {p["host_vaccination_id"] for p in report["pending"]} == {"after", "before"}
    assert all(p["attempts"] == 1 for p in client.outbox_status()["pending"])
    # The service is unchanged: the frozen carnet, still readable, holds what was pushed before.
    assert service_host_ids(sandbox, pro.identity, client.carnet_id) == ["before"]
    # The host clears what can never be delivered: "after" never existed there, it cancels.
    assert client.vaccination_remove("patient", "after") == C["CARNET_OK"]
    assert "after" not in {p["host_vaccination_id"] for p in client.outbox_status()["pending"]}


# ---------------------------------------------------------------- carnet deleted

def test_carnet_deleted_items_block_and_removes_succeed(lib, sandbox, pro, tmp_path):
    # carnet-sandbox has no carnet deletion: the proxy answers for a deleted carnet as a FHIR
    # service does (410 Gone, OperationOutcome "deleted") on every request about it.
    with FaultProxy(sandbox.fhir_port, sandbox.ca_cert, pro.identity.cert_path, pro.identity.key_path,
                    str(tmp_path / "proxy")) as proxy:
        c = open_client(lib, sandbox, str(tmp_path / "s"), pro.professional, service_url=proxy.base_url,
                        ca_bundle_path=proxy.ca_bundle)
        try:
            c.certificate_import_p12(pro.p12, P12_PASSWORD)
            c.record_create("patient", patient_document())
            status, state = c.vaccination_add("patient", immunization("kept"))
            assert status == C["CARNET_OK"]
            proxy.inject("status", None, r"^/fhir/Immunization", times=1000, code=410)
            with pytest.raises(carnet.CarnetFailure) as failure:
                c.vaccination_add("patient", immunization("late"))
            assert status_name(failure.value.status) == "CARNET_E_NOT_FOUND"
            pending = c.outbox_status()["pending"]
            assert [(p["host_vaccination_id"], p["blocked"]) for p in pending] == [("late", True)]
            # Removing from a deleted carnet: already gone, which is what the host wanted.
            assert c.vaccination_remove("patient", "kept") == C["CARNET_OK"]
            assert c.vaccination_remove("patient", "late") == C["CARNET_OK"]
            assert c.outbox_status()["pending"] == []
        finally:
            c.close()
