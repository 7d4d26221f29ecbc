"""A backlog pushed to a service without batches (docs/sync.md, "A backlog, pipelined"): its
single conditional creates travel on up to 4 connections at once (ExchangePipeline lanes). Real
carnet-sandbox started with `--no-batch`, over mutual TLS, through the fault proxy. Each fault ends
with the invariant: service set == host set, nothing duplicated, outbox empty after recovery."""
import time

import pytest

from conftest import open_client
from fault_proxy import FaultProxy
from fault_support import P12_PASSWORD, assert_converged, patient_document, professional_with_p12, status_name
from test_batch import add_many, history

SINGLE_CREATE = r"^/fhir/Immunization$"
TIMEOUT_MS = 8000
LANES = 4  # Pusher.singleRequestLanes


@pytest.fixture(scope="module")
def sandbox():
    from sandbox_process import Sandbox
    with Sandbox(rate_limit=1_000_000, extra_args=["--no-batch"]) as running:
        yield running


@pytest.fixture(scope="module")
def pro(sandbox, tmp_path_factory):
    return professional_with_p12(sandbox, str(tmp_path_factory.mktemp("pro")))


@pytest.fixture
def proxy(sandbox, pro, tmp_path):
    with FaultProxy(sandbox.fhir_port, sandbox.ca_cert, pro.identity.cert_path, pro.identity.key_path,
                    str(tmp_path / "proxy")) as running:
        yield running


def backlog(lib, sandbox, pro, tmp_path, count):
    """`count` adds of one new carnet recorded while the service was unreachable: the store."""
    store = str(tmp_path / "store")
    with open_client(lib, sandbox, store, pro.professional) as c:
        c.certificate_import_p12(pro.p12, P12_PASSWORD)
        carnet_id = c.record_create("patient", patient_document())["id"]
    with open_client(lib, sandbox, store, pro.professional, service_url="https://127.0.0.1:9/fhir",
                     connect_timeout_ms=300) as offline:
        status, report, _ = add_many(offline, history(count, prefix="s"))
        assert status_name(status) == "CARNET_PENDING" and report["pending"] == count
    return store, carnet_id


def online(lib, sandbox, pro, proxy, store, carnet_id):
    c = open_client(lib, sandbox, store, pro.professional, service_url=proxy.base_url,
                    ca_bundle_path=proxy.ca_bundle, request_timeout_ms=TIMEOUT_MS, connect_timeout_ms=TIMEOUT_MS)
    c.carnet_id = carnet_id
    return c


def converge(client, sandbox, pro, count):
    for _ in range(8):
        if client.sync()["pending"] == []:
            break
        time.sleep(1.1)  # a failed item's backoff (whole seconds)
    assert_converged(client, sandbox, pro.identity, client.carnet_id, {f"s{i}" for i in range(count)})


def test_a_backlog_travels_on_several_connections_each_vaccination_once(lib, sandbox, pro, proxy, tmp_path):
    store, carnet_id = backlog(lib, sandbox, pro, tmp_path, 300)
    with online(lib, sandbox, pro, proxy, store, carnet_id) as c:
        report = c.sync()
        assert report["pushed"] == 300 and report["pending"] == [], report
        assert proxy.count("POST", SINGLE_CREATE) == 300, "one request per vaccination"
        # The doctor's connection and up to three more, opened for the backlog only.
        assert 2 <= proxy.connections <= LANES, proxy.connections
        assert_converged(c, sandbox, pro.identity, carnet_id, {f"s{i}" for i in range(300)})
        # The next add is one request on a connection already open.
        status, report, _ = add_many(c, history(1, prefix="t"))
        assert status_name(status) == "CARNET_OK", report
        assert proxy.connections <= LANES


def test_a_short_backlog_opens_no_extra_connection(lib, sandbox, pro, proxy, tmp_path):
    store, carnet_id = backlog(lib, sandbox, pro, tmp_path, 1)
    with online(lib, sandbox, pro, proxy, store, carnet_id) as c:
        assert c.sync()["pushed"] == 1
        assert proxy.connections == 1


@pytest.mark.parametrize("fault", ["drop_after", "reset_mid", "drop_before"])
def test_answers_lost_on_some_connections_duplicate_nothing(lib, sandbox, pro, proxy, tmp_path, fault):
    store, carnet_id = backlog(lib, sandbox, pro, tmp_path, 200)
    # Three creates in the middle of the backlog (matched by the host id in their body), on
    # whichever connections carry them. Twice each: libcurl itself sends a request again, once, on a
    # fresh connection when a reused one closes before any byte of the answer (drop_before,
    # drop_after); the conditional create makes that safe, and the second loss reaches the pusher.
    for n in (40, 41, 120):
        proxy.inject(fault, "POST", SINGLE_CREATE, times=2, body=b'"value":"s%d"' % n)
    with online(lib, sandbox, pro, proxy, store, carnet_id) as c:
        first = c.sync()
        assert first["pushed"] < 200 and first["pending"], first
        converge(c, sandbox, pro, 200)
        # Every create sent again was answered 200 by the conditional create, not created twice.
        assert proxy.count("POST", SINGLE_CREATE, fault="ok") >= 200


def test_429_on_one_connection_holds_the_whole_backlog_until_retry_after(lib, sandbox, pro, proxy, tmp_path):
    store, carnet_id = backlog(lib, sandbox, pro, tmp_path, 150)
    proxy.inject("status", "POST", SINGLE_CREATE, code=429, retry_after=2, body=rb'"value":"s60"')
    with online(lib, sandbox, pro, proxy, store, carnet_id) as c:
        first = c.sync()
        assert 60 <= first["pushed"] < 150, first
        sent = proxy.count("POST", SINGLE_CREATE)
        assert c.sync()["pushed"] == 0 and proxy.count("POST", SINGLE_CREATE) == sent, "Retry-After honoured"
        time.sleep(3.1)  # the store's clock counts whole seconds
        assert c.sync()["pending"] == []
        assert_converged(c, sandbox, pro.identity, carnet_id, {f"s{i}" for i in range(150)})


def test_a_refused_vaccination_among_the_lanes_blocks_it_alone(lib, sandbox, pro, proxy, tmp_path):
    store, carnet_id = backlog(lib, sandbox, pro, tmp_path, 120)
    proxy.inject("status", "POST", SINGLE_CREATE, code=422, body=rb'"value":"s33"')
    with online(lib, sandbox, pro, proxy, store, carnet_id) as c:
        report = c.sync()
        assert report["pushed"] == 119, report
        blocked = [item for item in c.outbox_status()["pending"] if item["blocked"]]
        assert [item["host_vaccination_id"] for item in blocked] == ["s33"]
