"""Many at once and batches (docs/sync.md, "Batches"): carnet_vaccinations_add records a patient's
vaccinations in one call and the outbox travels as FHIR batch Bundles; faults inside a batch
(one entry refused among good ones, the whole answer lost, a reset mid-answer, 429, a service
that does not take batches), each ending with the invariant: service set == host set, nothing
duplicated, outbox empty after recovery. Real carnet-sandbox over mutual TLS, through the fault
proxy. (SIGKILL during a batched push: test_faults_crash.py's backlog test pushes in batches.)"""
import ctypes
import json
import time

import pytest

import carnet
from carnet import C
from conftest import open_client
from fault_proxy import FaultProxy
from fault_support import (P12_PASSWORD, assert_converged, immunization, patient_document, professional_with_p12,
                           service_host_ids, status_name)

BATCH = r"^/fhir$"
SINGLE_CREATE = r"^/fhir/Immunization$"
TIMEOUT_MS = 8000  # a Bundle of 100 on a loaded CI machine; no test here waits for a timeout


@pytest.fixture(scope="module")
def sandbox():
    from sandbox_process import Sandbox
    with Sandbox(rate_limit=1_000_000) as running:
        yield running


@pytest.fixture(scope="module")
def pro(sandbox, tmp_path_factory):
    return professional_with_p12(sandbox, str(tmp_path_factory.mktemp("pro")))


@pytest.fixture
def proxy(sandbox, pro, tmp_path):
    with FaultProxy(sandbox.fhir_port, sandbox.ca_cert, pro.identity.cert_path, pro.identity.key_path,
                    str(tmp_path / "proxy")) as running:
        yield running


@pytest.fixture
def client(lib, sandbox, pro, proxy, tmp_path):
    c = open_client(lib, sandbox, str(tmp_path / "store"), pro.professional, service_url=proxy.base_url,
                    ca_bundle_path=proxy.ca_bundle, request_timeout_ms=TIMEOUT_MS, connect_timeout_ms=TIMEOUT_MS)
    c.certificate_import_p12(pro.p12, P12_PASSWORD)
    c.carnet_id = c.record_create("patient", patient_document())["id"]
    yield c
    c.close()


def add_many(client, documents):
    """carnet_vaccinations_add: (status, results document or None, carnet_error)."""
    out = ctypes.c_void_p()
    error = carnet.Error()
    status = client.lib.carnet_vaccinations_add(client.handle, b"patient", json.dumps(documents).encode(),
                                                ctypes.byref(out), ctypes.byref(error))
    text = carnet.take_string(client.lib, out)
    return status, (json.loads(text) if text is not None else None), error


def history(count, prefix="h"):
    return [immunization(f"{prefix}{i}", date=f"20{10 + i % 15:02d}-0{1 + i % 9}-1{i % 10}") for i in range(count)]


def converged(client, sandbox, pro, expected):
    for _ in range(5):
        if client.sync()["pending"] == []:
            break
    assert_converged(client, sandbox, pro.identity, client.carnet_id, expected)


def test_a_whole_history_is_recorded_in_one_call_and_pushed_in_one_batch(client, sandbox, pro, proxy):
    documents = history(30)
    status, report, error = add_many(client, documents)
    assert status_name(status) == "CARNET_OK", error.text
    assert report["delivered"] == 30 and report["pending"] == 0 and report["refused"] == 0
    assert [r["index"] for r in report["results"]] == list(range(30))
    assert all(r["result"] == "CARNET_OK" and r["state"] == "synced" and r["immunization_id"]
               for r in report["results"])
    assert proxy.count("POST", BATCH) == 1, "thirty vaccinations, one request"
    assert proxy.count("POST", SINGLE_CREATE) == 0
    converged(client, sandbox, pro, {f"h{i}" for i in range(30)})


def test_recording_the_same_history_again_creates_nothing(client, sandbox, pro):
    documents = history(12)
    assert add_many(client, documents)[0] == C["CARNET_OK"]
    status, report, _ = add_many(client, documents)
    assert status == C["CARNET_OK"]
    assert report["delivered"] == 12
    converged(client, sandbox, pro, {f"h{i}" for i in range(12)})


def test_one_entry_refused_among_good_ones_is_that_items_own_result(client, sandbox, pro):
    documents = history(8)
    documents[3] = immunization("h3", date="1940-01-01")  # the service refuses a date before the birth (1950)
    status, report, error = add_many(client, documents)
    assert status_name(status) == "CARNET_E_REJECTED", error.text
    assert error.field.decode() == "occurrenceDateTime"
    assert report["delivered"] == 7 and report["refused"] == 1
    refused = report["results"][3]
    assert refused["result"] == "CARNET_E_REJECTED" and refused["host_vaccination_id"] == "h3"
    assert "précède la date de naissance" in refused["message"]
    assert all(r["result"] == "CARNET_OK" for i, r in enumerate(report["results"]) if i != 3)
    assert set(service_host_ids(sandbox, pro.identity, client.carnet_id)) == {f"h{i}" for i in range(8)} - {"h3"}
    blocked = [item for item in client.outbox_status()["pending"] if item["blocked"]]
    assert [item["host_vaccination_id"] for item in blocked] == ["h3"]


def test_an_invalid_document_is_not_recorded_and_the_others_are(client, sandbox, pro):
    documents = history(5)
    del documents[2]["occurrenceDateTime"]
    documents.append(dict(documents[0], lotNumber="OTHER"))  # the same host id twice in one call
    status, report, error = add_many(client, documents)
    assert status_name(status) == "CARNET_E_INVALID_ARGUMENT", error.text
    assert report["results"][2]["state"] == "not_recorded"
    assert report["results"][2]["field"] == "occurrenceDateTime"
    assert report["results"][5]["state"] == "not_recorded"
    assert report["results"][5]["result"] == "CARNET_E_CONFLICT"
    assert report["delivered"] == 4 and report["refused"] == 2
    converged(client, sandbox, pro, {"h0", "h1", "h3", "h4"})


@pytest.mark.parametrize("fault", ["drop_after", "reset_mid", "truncate"])
def test_the_answer_of_a_whole_bundle_lost_creates_nothing_twice(client, sandbox, pro, proxy, fault):
    # libcurl itself resends once on a new connection when a kept-alive one dies before any
    # byte of the answer: the fault hits twice to reach the library's own retry.
    proxy.inject(fault, "POST", BATCH, times=2)
    status, report, _ = add_many(client, history(20))
    assert status_name(status) == "CARNET_PENDING"
    assert report["pending"] == 20
    assert proxy.count("POST", BATCH, fault=fault) >= 1
    converged(client, sandbox, pro, {f"h{i}" for i in range(20)})


def test_429_on_a_bundle_holds_everything_until_retry_after(client, sandbox, pro, proxy):
    proxy.inject("status", "POST", BATCH, code=429, retry_after=2)
    status, report, error = add_many(client, history(10))
    assert status_name(status) == "CARNET_PENDING"
    assert all(r["status"] == "CARNET_E_LOCKED" for r in report["results"]), report
    sent = proxy.count("POST", BATCH)
    assert client.sync()["pending"] != []
    assert proxy.count("POST", BATCH) == sent, "nothing is sent before Retry-After"
    time.sleep(3.1)
    converged(client, sandbox, pro, {f"h{i}" for i in range(10)})
    assert proxy.count("POST", BATCH) == sent + 1, "the held items leave together"


def test_a_service_that_refuses_batches_gets_single_requests(client, sandbox, pro, proxy):
    proxy.inject("status", "POST", BATCH, code=404)
    status, report, error = add_many(client, history(6))
    assert status_name(status) == "CARNET_OK", error.text
    assert proxy.count("POST", SINGLE_CREATE) == 6
    converged(client, sandbox, pro, {f"h{i}" for i in range(6)})


def test_a_backlog_recorded_offline_leaves_in_batches_of_at_most_100(lib, client, sandbox, pro, proxy, tmp_path):
    client.close()
    store = str(tmp_path / "store")
    with open_client(lib, sandbox, store, pro.professional, service_url="https://127.0.0.1:9/fhir",
                     connect_timeout_ms=300) as offline:
        status, report, _ = add_many(offline, history(250, prefix="b"))
        assert status_name(status) == "CARNET_PENDING" and report["pending"] == 250
    with open_client(lib, sandbox, store, pro.professional, service_url=proxy.base_url,
                     ca_bundle_path=proxy.ca_bundle) as online:
        online.carnet_id = client.carnet_id
        report = online.sync()
        assert report["pushed"] == 250 and report["pending"] == []
        assert proxy.count("POST", BATCH) == 3, "100 + 100 + 50"
        assert_converged(online, sandbox, pro.identity, online.carnet_id, {f"b{i}" for i in range(250)})


def test_corrections_and_removals_travel_in_batches_too(client, sandbox, pro, proxy):
    assert add_many(client, history(6))[0] == C["CARNET_OK"]
    before = proxy.count("POST", BATCH)
    # The first correction waits (503); the next push carries it with the second, in one batch.
    proxy.inject("status", "PUT", r"^/fhir/Immunization/", code=503, times=1)
    for i in range(3):
        client.vaccination_update("patient", dict(history(6)[i], lotNumber=f"LOT-{i}"))
    client.vaccination_remove("patient", "h5")
    report = client.sync()
    assert report["pending"] == []
    assert proxy.count("POST", BATCH) > before
    response = sandbox.request("GET", f"Immunization?patient={client.carnet_id}&_count=100", identity=pro.identity)
    lots = {e["resource"]["identifier"][0]["value"]: e["resource"].get("lotNumber")
            for e in response.json()["entry"]}
    assert lots == {"h0": "LOT-0", "h1": "LOT-1", "h2": "LOT-2", "h3": None, "h4": None}


def test_a_service_without_batch_in_its_capability_statement_gets_single_requests(lib, tmp_path):
    from sandbox_process import Sandbox
    with Sandbox(rate_limit=1_000_000, extra_args=["--no-batch"]) as plain:
        professional = plain.create_professional()
        with open_client(lib, plain, str(tmp_path / "plain"), professional) as c:
            c.certificate_enroll(professional.withdrawal_code)
            carnet_id = c.record_create("patient", patient_document())["id"]
            status, report, error = add_many(c, history(5))
            assert status_name(status) == "CARNET_OK", error.text
            assert report["delivered"] == 5
            _, reader = plain.professional_identity()
            metadata = plain.request("GET", "metadata", identity=reader)
            assert "interaction" not in metadata.json()["rest"][0]
            assert [e["method"] for e in plain.log_events() if e.get("event") == "access"
                    and e.get("path") == "/fhir"] == [], "no Bundle was sent"


# A backlog of adds leaves page after page, the next Bundle sent as soon as the previous answer is
# in (Pusher: ExchangePipeline). Faults on a Bundle in the middle of such a backlog.

def recorded_offline(lib, client, sandbox, pro, tmp_path, count):
    """`count` adds recorded with the service unreachable, in the client's store (the patient
    linked); returns the store directory."""
    client.close()
    store = str(tmp_path / "store")
    with open_client(lib, sandbox, store, pro.professional, service_url="https://127.0.0.1:9/fhir",
                     connect_timeout_ms=300) as offline:
        status, report, _ = add_many(offline, history(count, prefix="b"))
        assert status_name(status) == "CARNET_PENDING" and report["pending"] == count
    return store


def back_online(lib, client, sandbox, pro, proxy, store):
    online = open_client(lib, sandbox, store, pro.professional, service_url=proxy.base_url,
                         ca_bundle_path=proxy.ca_bundle, request_timeout_ms=TIMEOUT_MS,
                         connect_timeout_ms=TIMEOUT_MS)
    online.carnet_id = client.carnet_id
    return online


SECOND_PAGE = rb'%7Cb150"'  # in the second Bundle only (its conditional create of b150)


@pytest.mark.parametrize("fault", ["drop_after", "reset_mid"])
def test_the_lost_answer_of_a_backlogs_second_bundle_holds_the_third_and_duplicates_nothing(
        lib, client, sandbox, pro, proxy, tmp_path, fault):
    store = recorded_offline(lib, client, sandbox, pro, tmp_path, 250)
    proxy.inject(fault, "POST", BATCH, times=2, body=SECOND_PAGE)
    with back_online(lib, client, sandbox, pro, proxy, store) as online:
        report = online.sync()
        # The first page delivered; the second pending (the service acted, the answer was lost);
        # the third, built meanwhile, never sent.
        assert report["pushed"] == 100, report
        assert len(report["pending"]) == 150
        assert proxy.count("POST", BATCH, fault="ok") == 1, "the third Bundle left"
        for _ in range(5):
            if online.sync()["pending"] == []:
                break
        assert_converged(online, sandbox, pro.identity, online.carnet_id, {f"b{i}" for i in range(250)})


def test_429_on_a_backlogs_second_bundle_holds_the_rest_until_retry_after(lib, client, sandbox, pro, proxy, tmp_path):
    store = recorded_offline(lib, client, sandbox, pro, tmp_path, 250)
    proxy.inject("status", "POST", BATCH, code=429, retry_after=2, body=SECOND_PAGE)
    with back_online(lib, client, sandbox, pro, proxy, store) as online:
        report = online.sync()
        assert report["pushed"] == 100 and len(report["pending"]) == 150, report
        assert proxy.count("POST", BATCH) == 2, "the third Bundle waits for the Retry-After"
        assert online.sync()["pushed"] == 0 and proxy.count("POST", BATCH) == 2
        time.sleep(3.1)  # the store's clock counts whole seconds
        report = online.sync()
        assert report["pushed"] == 150 and report["pending"] == []
        assert proxy.count("POST", BATCH) == 4, "100 + 429, then 100 + 50"
        assert_converged(online, sandbox, pro.identity, online.carnet_id, {f"b{i}" for i in range(250)})


def test_an_entry_refused_in_a_backlog_blocks_that_item_alone(lib, client, sandbox, pro, proxy, tmp_path):
    # b42's date is before the holder's birth: the service refuses it while the second Bundle is
    # already on its way; the other 249 are delivered, b42 is blocked for the doctor.
    client.close()
    store = str(tmp_path / "store")
    documents = history(250, prefix="b")
    documents[42] = immunization("b42", date="1940-01-01")
    with open_client(lib, sandbox, store, pro.professional, service_url="https://127.0.0.1:9/fhir",
                     connect_timeout_ms=300) as offline:
        status, report, _ = add_many(offline, documents)
        assert status_name(status) == "CARNET_PENDING" and report["pending"] == 250
    with back_online(lib, client, sandbox, pro, proxy, store) as online:
        report = online.sync()
        assert report["pushed"] == 249, report
        assert proxy.count("POST", BATCH) == 3
        blocked = [item for item in online.outbox_status()["pending"] if item["blocked"]]
        assert [item["host_vaccination_id"] for item in blocked] == ["b42"]
        on_service = service_host_ids(sandbox, pro.identity, online.carnet_id)
        assert sorted(on_service) == sorted(f"b{i}" for i in range(250) if i != 42)

