"""Never lose a vaccination: network and service faults injected between libcarnet and a real
carnet-sandbox (fault_proxy.py), each test ending with the invariant "service set == host set,
no duplicate, outbox empty after recovery" (fault_support.assert_converged)."""
import random
import threading
import time

import pytest

import carnet
from carnet import C
from conftest import open_client
from fault_proxy import FaultProxy, TCPFaultProxy
from fault_support import (P12_PASSWORD, assert_converged, immunization, patient_document, professional_with_p12,
                           service_host_ids, status_name)

POST_IMM = r"^/fhir/Immunization$"
POST_ANY = r"^/fhir(/Immunization)?$"  # a single create, or a batch Bundle
DELETE_IMM = r"^/fhir/Immunization/"
TIMEOUT_MS = 3000  # the first request of a run (handshake, debug sandbox) under make test load took > 1.5 s


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
    """A library client that reaches the sandbox only through the fault proxy, with one linked carnet."""
    c = open_client(lib, sandbox, str(tmp_path / "store"), pro.professional, service_url=proxy.base_url,
                    ca_bundle_path=proxy.ca_bundle, request_timeout_ms=TIMEOUT_MS, connect_timeout_ms=TIMEOUT_MS)
    c.certificate_import_p12(pro.p12, P12_PASSWORD)
    c.carnet_id = c.record_create("patient", patient_document())["id"]
    yield c
    c.close()


def converged(client, sandbox, pro, expected):
    assert_converged(client, sandbox, pro.identity, client.carnet_id, expected)


def add_pending(client, host_id, expected_status):
    status, state = client.vaccination_add("patient", immunization(host_id))
    assert status_name(status) == "CARNET_PENDING", state
    assert state["state"] == "pending" and state["status"] == expected_status, state
    return state


# ---------------------------------------------------------------- faults on the add (POST, conditional create)

# libcurl itself re-sends a request once, on a new connection, when a kept-alive connection dies
# before any byte of the answer: so a fault must hit twice to reach the library's own retry.

def test_curl_resending_on_a_dead_kept_alive_connection_creates_nothing_twice(client, sandbox, pro, proxy):
    proxy.inject("drop_after", "POST", POST_IMM, times=1)
    status, state = client.vaccination_add("patient", immunization("v1"))
    assert status == C["CARNET_OK"] and state["state"] == "synced", state
    assert proxy.count("POST", POST_IMM) == 2, "the service got the create twice"
    converged(client, sandbox, pro, {"v1"})


def test_connection_dropped_before_the_request_reached_the_service(client, sandbox, pro, proxy):
    proxy.inject("drop_before", "POST", POST_IMM, times=2)
    add_pending(client, "v1", "CARNET_E_NETWORK")
    assert service_host_ids(sandbox, pro.identity, client.carnet_id) == [], "the service never saw it"
    assert client.sync()["pushed"] == 1
    converged(client, sandbox, pro, {"v1"})


def test_connection_dropped_after_the_service_created_it(client, sandbox, pro, proxy):
    proxy.inject("drop_after", "POST", POST_IMM, times=2)
    add_pending(client, "v1", "CARNET_E_NETWORK")
    assert service_host_ids(sandbox, pro.identity, client.carnet_id) == ["v1"], "created, answer lost"
    report = client.sync()
    assert report["pushed"] == 1 and report["pending"] == []
    converged(client, sandbox, pro, {"v1"})
    assert proxy.count("POST", POST_IMM) == 3, "re-sent by sync, the conditional create matched the first"


def test_reset_in_the_middle_of_the_response(client, sandbox, pro, proxy):
    proxy.inject("reset_mid", "POST", POST_IMM)
    add_pending(client, "v1", "CARNET_E_NETWORK")
    assert client.sync()["pushed"] == 1
    converged(client, sandbox, pro, {"v1"})


def test_answer_delayed_past_the_request_timeout(client, sandbox, pro, proxy):
    proxy.inject("delay", "POST", POST_IMM, seconds=TIMEOUT_MS / 1000 + 1.5)
    started = time.monotonic()
    add_pending(client, "v1", "CARNET_E_TIMEOUT")
    elapsed = time.monotonic() - started
    assert TIMEOUT_MS / 1000 - 0.2 <= elapsed < TIMEOUT_MS / 1000 + 1.0, elapsed
    assert client.sync()["pushed"] == 1
    converged(client, sandbox, pro, {"v1"})


@pytest.mark.parametrize("code, forward", [(500, False), (502, False), (502, True), (503, False), (503, True)])
def test_server_errors_are_retried(client, sandbox, pro, proxy, code, forward):
    proxy.inject("status", "POST", POST_IMM, code=code, forward=forward)
    add_pending(client, "v1", "CARNET_E_HTTP")
    assert len(service_host_ids(sandbox, pro.identity, client.carnet_id)) == (1 if forward else 0)
    pending = client.outbox_status()["pending"]
    assert [(p["attempts"], p["blocked"]) for p in pending] == [(1, False)]
    assert client.sync()["pushed"] == 1
    converged(client, sandbox, pro, {"v1"})


def test_truncated_body_is_a_network_failure_and_retried(client, sandbox, pro, proxy):
    proxy.inject("truncate", "POST", POST_IMM)
    add_pending(client, "v1", "CARNET_E_NETWORK")
    assert client.sync()["pushed"] == 1
    converged(client, sandbox, pro, {"v1"})


def test_a_cut_json_answer_is_retried_not_blocked(client, sandbox, pro, proxy):
    # A complete HTTP answer whose JSON is cut (a broken gateway): not the record's fault, and the
    # create is idempotent, so it is retried (it used to block the item for good).
    proxy.inject("garble", "POST", POST_IMM)
    status, state = client.vaccination_add("patient", immunization("v1"))
    assert status_name(status) == "CARNET_PENDING" and state["status"] == "CARNET_E_PROTOCOL", state
    assert client.outbox_status()["pending"][0]["blocked"] is False
    client.sync()
    converged(client, sandbox, pro, {"v1"})


def test_429_retry_after_is_honoured_even_by_a_foreground_sync(client, sandbox, pro, proxy):
    proxy.inject("status", "POST", POST_IMM, code=429, retry_after=1)
    started = time.monotonic()
    add_pending(client, "v1", "CARNET_E_LOCKED")
    pending = client.outbox_status()["pending"]
    assert len(pending) == 1 and pending[0]["attempts"] == 1 and pending[0]["blocked"] is False
    assert pending[0]["status"] == "CARNET_E_LOCKED"
    # Within the Retry-After window nothing is sent: not a second add, not a sync.
    add_pending(client, "v2", "CARNET_E_LOCKED")
    report = client.sync()
    assert report.get("offline") is True and report["status"] == "CARNET_E_LOCKED"
    assert report["pending"][0]["attempts"] == 1, "a wait is not an attempt"
    assert proxy.count(None, r"^/fhir/") == 2, "nothing sent (push or pull) before Retry-After elapsed"
    while True:
        report = client.sync()
        if report["pushed"]:
            break
        assert time.monotonic() - started < 4, "still waiting 3 s after a Retry-After of 1 s"
        time.sleep(0.1)
    assert time.monotonic() - started >= 1.0
    assert report["pushed"] == 2
    converged(client, sandbox, pro, {"v1", "v2"})


def test_retry_after_on_the_changes_feed_holds_a_new_client_too(lib, client, sandbox, pro, proxy, tmp_path):
    remote = sandbox.add_vaccination(client.carnet_id, cis="61921204", date="2024-10-15")
    proxy.inject("status", "GET", r"^/fhir/\$changes", code=503, retry_after=2)
    started = time.monotonic()
    report = client.sync()
    assert report.get("offline") is True and report["status"] == "CARNET_E_HTTP", report
    sent = proxy.count(None, r"^/fhir/")
    # The wait is in the store: a host restarting at once does not hammer the service either.
    client.close()
    with open_client(lib, sandbox, str(tmp_path / "store"), pro.professional, service_url=proxy.base_url,
                     ca_bundle_path=proxy.ca_bundle) as again:
        report = again.sync()
        assert report.get("offline") is True and report["status"] == "CARNET_E_LOCKED", report
        assert proxy.count(None, r"^/fhir/") == sent, "nothing sent before Retry-After elapsed"
        while time.monotonic() - started < 2.0:
            time.sleep(0.1)
        deadline = time.monotonic() + 3
        while again.sync().get("offline"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert [a["immunization"]["id"] for a in again.sync()["added"]] == [remote["id"]]


def test_remove_while_the_first_push_of_its_add_is_in_flight(client, sandbox, pro, proxy):
    # v2 waits in the outbox never attempted (the service asked to wait), then its first push is
    # slow: the service creates it but the answer comes after the library's timeout. The host
    # removes v2 while that request is in flight: it must not be "cancelled before sending"
    # locally while the service creates it (it used to be: an orphan on the service).
    proxy.inject("status", "POST", POST_IMM, code=429, retry_after=1)
    add_pending(client, "v1", "CARNET_E_LOCKED")
    add_pending(client, "v2", "CARNET_E_LOCKED")
    assert [p["attempts"] for p in client.outbox_status()["pending"]] == [1, 0]
    # v1 and v2 leave together in one batch Bundle (POST /fhir), or alone (POST /fhir/Immunization).
    proxy.inject("delay", "POST", POST_ANY, body=rb'"v2"', seconds=TIMEOUT_MS / 1000 + 0.5)
    time.sleep(2.1)
    syncing = threading.Thread(target=client.sync)
    syncing.start()
    deadline = time.monotonic() + 5
    while proxy.count("POST", POST_ANY, fault="delay") == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)  # the service has created v2; its answer is held back
    status = client.vaccination_remove("patient", "v2")
    syncing.join(10)
    assert status_name(status) in ("CARNET_OK", "CARNET_PENDING")
    for _ in range(3):
        if client.sync()["pending"] == []:
            break
    converged(client, sandbox, pro, {"v1"})


# ---------------------------------------------------------------- faults on the remove (DELETE)

@pytest.mark.parametrize("kind, params", [("drop_before", {}), ("drop_after", {}), ("reset_mid", {}),
                                          ("status", {"code": 503, "forward": True})])
def test_remove_under_faults_is_delivered_once(client, sandbox, pro, proxy, kind, params):
    for host_id in ("keep", "gone"):
        status, _ = client.vaccination_add("patient", immunization(host_id))
        assert status == C["CARNET_OK"]
    # Drops before any answer byte are re-sent once by curl itself: they must hit twice.
    proxy.inject(kind, "DELETE", DELETE_IMM, times=2 if kind.startswith("drop") else 1, **params)
    assert status_name(client.vaccination_remove("patient", "gone")) == "CARNET_PENDING"
    client.sync()
    converged(client, sandbox, pro, {"keep"})
    with pytest.raises(Exception):
        client.vaccination_remove("patient", "gone")  # gone for the host too


# ---------------------------------------------------------------- faults on the pull ($changes)

@pytest.mark.parametrize("kind, params", [("reset_mid", {}), ("truncate", {}), ("status", {"code": 502})])
def test_a_failed_changes_page_is_read_again(client, sandbox, pro, proxy, kind, params):
    remote = sandbox.add_vaccination(client.carnet_id, cis="61921204", date="2024-10-15")
    proxy.inject(kind, "GET", r"^/fhir/\$changes", **params)
    report = client.sync()
    assert report.get("offline") is True
    assert client.sync().get("offline") is None
    added = [a["immunization"]["id"] for a in client.sync()["added"]]
    assert added == [remote["id"]], "proposed once, not lost with the failed page"


# ---------------------------------------------------------------- many faults, many items

def test_fifty_changes_through_random_faults(client, sandbox, pro, proxy):
    rng = random.Random(6)
    faults = [("drop_before", {}), ("drop_after", {}), ("reset_mid", {}), ("truncate", {}),
              ("status", {"code": 500}), ("status", {"code": 502, "forward": True}),
              ("status", {"code": 503, "forward": True}), ("garble", {})]
    expected = set()
    for i in range(50):
        if rng.random() < 0.5:
            kind, params = rng.choice(faults)
            proxy.inject(kind, None, r"^/fhir/Immunization", **params)
        if expected and rng.random() < 0.25:
            victim = rng.choice(sorted(expected))
            status = client.vaccination_remove("patient", victim)
            assert status_name(status) in ("CARNET_OK", "CARNET_PENDING")
            expected.discard(victim)
        else:
            status, state = client.vaccination_add("patient", immunization(f"r{i}"))
            assert status_name(status) in ("CARNET_OK", "CARNET_PENDING"), state
            expected.add(f"r{i}")
    proxy.clear()
    for _ in range(3):
        if client.sync()["pending"] == []:
            break
    converged(client, sandbox, pro, expected)


# ---------------------------------------------------------------- TCP level (TLS end to end)

def test_connections_reset_at_accept_and_mid_handshake(lib, sandbox, pro, tmp_path):
    with TCPFaultProxy(sandbox.fhir_port) as tcp:
        c = open_client(lib, sandbox, str(tmp_path / "tcp"), pro.professional, service_url=tcp.base_url,
                        request_timeout_ms=TIMEOUT_MS, connect_timeout_ms=TIMEOUT_MS)
        try:
            c.certificate_import_p12(pro.p12, P12_PASSWORD)
            c.carnet_id = c.record_create("patient", patient_document())["id"]
            tcp.reset_live()
            tcp.reset_next(1)
            status, state = c.vaccination_add("patient", immunization("t1"))
            # A reset during the handshake, before any alert, is a network failure (curl error 35
            # with "connection reset"), not a verdict on the service's TLS: it stays pending.
            assert status_name(status) == "CARNET_PENDING", state
            assert state["status"] == "CARNET_E_NETWORK", state
            tcp.reset_live()
            tcp.reset_after_server_bytes(1)
            status, state = c.vaccination_add("patient", immunization("t2"))
            assert status_name(status) == "CARNET_PENDING", state
            assert state["status"] == "CARNET_E_NETWORK", state
            assert tcp.faulted == 2
            report = c.sync()
            assert report["pushed"] == 2
            converged(c, sandbox, pro, {"t1", "t2"})
        finally:
            c.close()


# ---------------------------------------------------------------- background sync respects the retry delays

def background(client, interval_ms=100):
    events = []
    client.sync_start(interval_ms, lambda kind, detail: events.append((time.monotonic(), kind, detail)))
    return events


def test_background_sync_waits_for_the_backoff_before_retrying(client, sandbox, pro, proxy):
    proxy.inject("status", "POST", POST_IMM, code=503)
    add_pending(client, "v1", "CARNET_E_HTTP")
    failed_at = time.monotonic()
    events = background(client)
    try:
        deadline = time.monotonic() + 6
        while proxy.count("POST", POST_IMM) < 2:
            assert time.monotonic() < deadline, "never retried"
            time.sleep(0.02)
        retried_after = time.monotonic() - failed_at
        # First retry delay: 2 s ± 20 %, on a whole-second clock: never before ~1 s, whereas a round
        # runs every 100 ms.
        assert retried_after >= 0.9, retried_after
        while not any(kind == C["CARNET_EVENT_PUSHED"] for _, kind, _ in events):
            assert time.monotonic() < deadline + 2
            time.sleep(0.02)
    finally:
        client.sync_stop()
    assert proxy.count("POST", POST_IMM) == 2
    converged(client, sandbox, pro, {"v1"})


def test_background_sync_respects_retry_after(client, sandbox, pro, proxy):
    proxy.inject("status", "POST", POST_IMM, code=429, retry_after=3)
    add_pending(client, "v1", "CARNET_E_LOCKED")
    failed_at = time.monotonic()
    events = background(client)
    try:
        deadline = time.monotonic() + 8
        while proxy.count("POST", POST_IMM) < 2:
            assert time.monotonic() < deadline, "never retried"
            time.sleep(0.02)
        assert time.monotonic() - failed_at >= 3.0
        assert proxy.count("GET", r"^/fhir/\$changes") == 0, "no pull either while the service asked to wait"
        while not any(kind == C["CARNET_EVENT_PUSHED"] for _, kind, _ in events):
            assert time.monotonic() < deadline + 2
            time.sleep(0.02)
    finally:
        client.sync_stop()
    converged(client, sandbox, pro, {"v1"})


# ---------------------------------------------------------------- a creation whose answer is lost

def test_a_creation_whose_answer_is_lost_is_retried_into_the_same_carnet(client, sandbox, pro, proxy):
    """The 201 of POST Patient is dropped (twice: curl re-sends once by itself, with the same key):
    the doctor reads that the carnet may exist and that retrying is safe; the retry gets the carnet
    created the first time. One carnet, one email."""
    document = patient_document()
    address = document["telecom"][0]["value"]
    proxy.inject("drop_after", "POST", r"^/fhir/Patient$", times=2)
    with pytest.raises(carnet.CarnetFailure) as lost:
        client.record_create("new-patient", document)
    assert status_name(lost.value.status) in ("CARNET_E_NETWORK", "CARNET_E_TIMEOUT")
    assert "peut-être été créé" in lost.value.message and "pas créé deux fois" in lost.value.message
    assert proxy.count("POST", r"^/fhir/Patient$") >= 1
    created = client.record_create("new-patient", document)
    assert client.link_get("new-patient") == created["id"]
    assert len(sandbox.emails_to(address)) == 1, "one carnet, one email"
    # Another patient of the host is a new creation (its own key).
    other = client.record_create("other-patient", patient_document())
    assert other["id"] != created["id"]
