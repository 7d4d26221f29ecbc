"""A hostile or broken service (docs/security.md, "The service"): a loopback
HTTPS server, trusted through ca_bundle_path, answers the library's "list
vaccinations" with garbage. Each case runs the library in a child process:
the child must survive, report a clear status within its time budget, and
keep its peak memory (ru_maxrss) bounded; the library never follows a
redirect, so nothing (not even a TLS client certificate) reaches the host it
points to.
"""
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

import carnet
from security_support import (CARNET_ID, IDENTITY_SECRET, P12_PASSWORD, Authority, ClientPKI, LoopbackServer,
                              cert_pem, server_context, write)

HERE = os.path.dirname(os.path.abspath(__file__))
REQUEST_TIMEOUT_MS = 2000
MIB = 1 << 20

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    sys.path.insert(0, sys.argv[1])
    import carnet
    url, ca, p12, password, secret, store, carnet_id, timeout, call = sys.argv[2:11]
    lib = carnet.load()
    client = carnet.Client(lib, store, service_url=url, ca_bundle_path=ca, identity_secret=secret,
                           request_timeout_ms=int(timeout), connect_timeout_ms=2000)
    client.certificate_import_p12(p12, password)
    client.link_set("p1", carnet_id)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    try:
        if call == "list":
            bundle = client.vaccinations_list("p1")
            tags = [t.get("code") for t in bundle.get("meta", {}).get("tag", [])]
            result = {"status": "CARNET_OK", "entries": len(bundle.get("entry", [])), "offline": "offline" in tags}
        else:  # a call without an offline answer: what the doctor reads when the service fails
            client.share_code_lookup("ABCD-EFGH-JKL")
            result = {"status": "CARNET_OK"}
    except carnet.CarnetFailure as failure:
        result = {"status": carnet.STATUS_NAMES.get(failure.status), "message": failure.message,
                  "domain": failure.domain, "code": failure.code}
    result["seconds"] = time.monotonic() - started
    result["rss_before_kib"] = before
    result["rss_after_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client.close()
    print(json.dumps(result))
""")


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("hostile")

    class PKI:
        pass

    p = PKI()
    p.dir = directory
    p.root = Authority("Hostile test root")
    p.root_path = write(directory / "root.pem", cert_pem(p.root.cert))
    p.client = ClientPKI(str(directory))
    p.child = write(directory / "child.py", CHILD.encode())
    return p


def hostile(pki, handler, host="127.0.0.1"):
    cert, key = pki.root.issue(ips=[host], dns=["localhost"])
    context = server_context(cert_pem(cert), key, client_ca=pki.client.ca_path)
    return LoopbackServer(context, handler, host=host)


def run_child(pki, tmp_path, url, timeout_ms=REQUEST_TIMEOUT_MS, call="list"):
    """The child lists the carnet's vaccinations (`call="list"`), or looks up a share code
    (`"lookup"`): with the service unreachable (network, timeout, 5xx) the list answers from the
    store's copy, tagged offline, so the failure itself is read through a call without one."""
    store = str(tmp_path / ("store-" + os.urandom(4).hex()))
    started = time.monotonic()
    done = subprocess.run([sys.executable, pki.child, HERE, url, pki.root_path, pki.client.p12_path, P12_PASSWORD,
                           IDENTITY_SECRET, store, CARNET_ID, str(timeout_ms), call],
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert done.returncode == 0, f"the host process died ({done.returncode}): {done.stderr[-2000:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.monotonic() - started
    return result


def send(connection, status=200, content_type="application/fhir+json", body=b"", extra=(), length=True):
    head = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", "Connection: close", *extra]
    if length:
        head.append(f"Content-Length: {len(body)}")
    connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)


def body_answer(body, **kwargs):
    return lambda exchange, connection: send(connection, body=body, **kwargs)


def bundle(entries="[]"):
    return ('{"resourceType":"Bundle","type":"searchset","entry":' + entries + '}').encode()


def assert_failure(result, status, fragment=None, seconds=None, rss_mib=64):
    assert result["status"] == status, result
    if fragment:
        assert fragment in result["message"], result
    if seconds is not None:
        assert result["seconds"] < seconds, result
    grown = (result["rss_after_kib"] - result["rss_before_kib"]) / 1024
    assert grown < rss_mib, f"peak memory grew by {grown:.0f} MiB: {result}"


# ----------------------------------------------------------------------------- bodies

CASES = {
    "malformed JSON": (body_answer(b'{"resourceType": "Bundle", "entry": [}'), "document JSON mal formé"),
    "truncated JSON": (body_answer(b'{"resourceType": "Bundle"'), "document JSON mal formé"),
    "wrong content type": (body_answer(b"<html>maintenance</html>", content_type="text/html"),
                           "type de contenu inattendu"),
    "wrong resource type": (body_answer(b'{"resourceType":"Patient","id":"x"}'), "type de ressource inattendu"),
    "not an object": (body_answer(b'["resourceType","Bundle"]'), "type de ressource inattendu"),
    "empty 200": (body_answer(b""), "type de ressource inattendu"),
    "invalid UTF-8": (body_answer(b'{"resourceType":"Bundle","type":"searchset","id":"\xc3\x28\xff"}'),
                      "document JSON mal formé"),
    "lone surrogate": (body_answer(b'{"resourceType":"Bundle","type":"searchset","id":"\\udc00"}'),
                       "document JSON mal formé"),
    "huge number": (body_answer(b'{"resourceType":"Bundle","total":1' + b"0" * 100_000 + b"}"),
                    "document JSON mal formé"),
    "huge exponent": (body_answer(b'{"resourceType":"Bundle","total":1e999999999}'), None),
    "nested 10,000 deep": (body_answer(b'{"resourceType":"Bundle","x":' + b"[" * 10_000 + b"]" * 10_000 + b"}"),
                           "document JSON mal formé"),
    "objects nested 10,000 deep": (body_answer(b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
                                   "document JSON mal formé"),
    "duplicate keys": (body_answer(b'{"resourceType":"Bundle","resourceType":"Patient"}'), "document JSON mal formé"),
    "trailing garbage": (body_answer(bundle() + b" {}"), "document JSON mal formé"),
    "NUL in a string": (body_answer(b'{"resourceType":"Bund\x00le"}'), "document JSON mal formé"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_garbage_answers_are_a_protocol_error(pki, tmp_path, case):
    handler, fragment = CASES[case]
    with hostile(pki, handler) as server:
        result = run_child(pki, tmp_path, server.url())
        assert server.exchanges and server.exchanges[0].request_line.startswith("GET /fhir/Immunization")
    if case == "huge exponent":
        # A syntactically valid number: either refused or ignored, never a crash.
        assert result["status"] in ("CARNET_OK", "CARNET_E_PROTOCOL"), result
        assert_failure(dict(result, status=result["status"]), result["status"])
        return
    assert_failure(result, "CARNET_E_PROTOCOL", fragment)


def test_strange_but_valid_bundles_do_not_crash(pki, tmp_path):
    entries = json.dumps([{"resource": None}, {"resource": {"resourceType": "Immunization"}},
                          {"resource": {"resourceType": "Immunization", "id": 12}}, "x", 3, [],
                          {"resource": {"resourceType": "Immunization", "id": "a" * 5000}}])
    weird = ('{"resourceType":"Bundle","type":"searchset","entry":' + entries +
             ',"link":[{"relation":"next","url":42}]}').encode()
    with hostile(pki, body_answer(weird)) as server:
        result = run_child(pki, tmp_path, server.url())
    assert result["status"] in ("CARNET_OK", "CARNET_E_PROTOCOL"), result


def test_a_next_link_that_loops_forever_is_bounded(pki, tmp_path):
    looping = bundle() [:-1] + b',"link":[{"relation":"next","url":"Immunization?_after=again"}]}'
    with hostile(pki, body_answer(looping)) as server:
        result = run_child(pki, tmp_path, server.url(), timeout_ms=20000)
        requests = len([e for e in server.exchanges if e.request_line])
    assert result["status"] in ("CARNET_OK", "CARNET_E_PROTOCOL"), result
    assert 2 <= requests <= 101, requests


# ----------------------------------------------------------------------------- size and time

def huge_body(exchange, connection, declared=True):
    total = 100 * MIB
    head = ["HTTP/1.1 200 OK", "Content-Type: application/fhir+json", "Connection: close"]
    head.append(f"Content-Length: {total}" if declared else "Transfer-Encoding: chunked")
    connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    chunk = b'{"resourceType":"Bundle","x":"' + b"a" * (MIB - 40)
    sent = 0
    while sent < total:
        piece = chunk if sent == 0 else b"a" * MIB
        connection.sendall(piece if declared else (b"%x\r\n" % len(piece)) + piece + b"\r\n")
        sent += len(piece)
    if not declared:
        connection.sendall(b"0\r\n\r\n")


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_100_mib_answer_is_refused_with_memory_bounded(pki, tmp_path, declared):
    with hostile(pki, lambda e, c: huge_body(e, c, declared)) as server:
        result = run_child(pki, tmp_path, server.url(), timeout_ms=20000)
    # The library caps answers at 16 MiB: the peak grows by far less than 100 MiB.
    assert_failure(result, "CARNET_E_PROTOCOL", "réponse trop volumineuse", seconds=15, rss_mib=48)


def trickle(exchange, connection, headers_done=True):
    if headers_done:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\n"
                           b"Content-Length: 1000000\r\n\r\n{")
    else:
        connection.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(200):  # at most ~40 s, far beyond the library's budget
        time.sleep(0.2)
        connection.sendall(b" " if headers_done else b"X-Slow: 1\r\n")


@pytest.mark.parametrize("case", ["body", "headers", "silent"])
def test_a_trickling_or_silent_service_times_out_within_the_budget(pki, tmp_path, case):
    handler = {"body": lambda e, c: trickle(e, c, True), "headers": lambda e, c: trickle(e, c, False),
               "silent": lambda e, c: time.sleep(30)}[case]
    with hostile(pki, handler) as server:
        result = run_child(pki, tmp_path, server.url(), call="lookup")
    budget = REQUEST_TIMEOUT_MS / 1000
    assert_failure(result, "CARNET_E_TIMEOUT", "ne répond pas", seconds=budget + 1.5)
    assert result["seconds"] >= budget * 0.9, result


def test_endless_headers_are_refused(pki, tmp_path):
    def handler(exchange, connection):
        connection.sendall(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (4 * MIB) + b"\r\n\r\n")
    with hostile(pki, handler) as server:
        result = run_child(pki, tmp_path, server.url())
    assert_failure(result, "CARNET_E_PROTOCOL")


def test_a_reply_that_is_not_http_is_a_protocol_error(pki, tmp_path):
    with hostile(pki, lambda e, c: c.sendall(b"SSH-2.0-OpenSSH_9.2\r\n" * 10)) as server:
        result = run_child(pki, tmp_path, server.url())
    assert_failure(result, "CARNET_E_PROTOCOL")


def test_a_connection_cut_mid_body_is_a_network_error(pki, tmp_path):
    def handler(exchange, connection):
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\n"
                           b"Content-Length: 5000\r\n\r\n" + bundle()[:20])
    with hostile(pki, handler) as server:
        result = run_child(pki, tmp_path, server.url(), call="lookup")
        listed = run_child(pki, tmp_path, server.url())
    assert_failure(result, "CARNET_E_NETWORK")
    # The list still answers, from the store's copy (empty here), and says so.
    assert listed["status"] == "CARNET_OK" and listed["offline"] and listed["entries"] == 0, listed


# ----------------------------------------------------------------------------- redirects

@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_never_followed(pki, tmp_path, status):
    with hostile(pki, body_answer(bundle())) as elsewhere:
        target = elsewhere.url("localhost") + "/Immunization?patient=" + CARNET_ID
        with hostile(pki, body_answer(b"", status=status, extra=[f"Location: {target}"])) as server:
            result = run_child(pki, tmp_path, server.url())
        assert elsewhere.connections == 0, "the library followed the redirect"
    assert_failure(result, "CARNET_E_PROTOCOL", "redirection refusée")
    assert result["code"] == status


def test_error_answers_with_hostile_bodies_are_still_understood(pki, tmp_path):
    deep = b'{"resourceType":"OperationOutcome","issue":' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    with hostile(pki, body_answer(deep, status=503)) as server:
        result = run_child(pki, tmp_path, server.url(), call="lookup")
    assert_failure(result, "CARNET_E_HTTP", "indisponible")


@pytest.mark.parametrize("status, expected", [(422, "CARNET_E_REJECTED"), (400, "CARNET_E_HTTP"),
                                              (403, "CARNET_E_CREDENTIALS"), (500, "CARNET_E_HTTP")])
def test_the_services_own_text_never_reaches_the_doctor(pki, tmp_path, status, expected):
    marker = "Jeanne MARTIN née le 02/04/1950 <script>"
    outcome = {"resourceType": "OperationOutcome", "issue": [{
        "severity": "error", "code": "invalid", "diagnostics": marker,
        "details": {"text": marker, "coding": [{"system": "x", "code": marker}]}}]}
    with hostile(pki, body_answer(json.dumps(outcome).encode(), status=status)) as server:
        result = run_child(pki, tmp_path, server.url(), call="lookup" if status >= 500 else "list")
    assert_failure(result, expected)
    for word in ("Jeanne", "MARTIN", "1950", "script"):
        assert word not in result["message"], result


def test_the_status_names_are_known(lib):
    for name in ("CARNET_E_PROTOCOL", "CARNET_E_TIMEOUT", "CARNET_E_NETWORK", "CARNET_E_HTTP"):
        assert lib.carnet_status_string(carnet.C[name]).decode() == name
