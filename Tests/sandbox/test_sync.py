"""History with _since (deletes included) and the changes feed across every accessible carnet:
cursor-based pages, commit order, nothing missed or repeated at page boundaries; changes made
elsewhere (CLI, while the server runs) show up; data survives a restart."""

import time
import uuid

from fhir_checks import validate
from sandbox_process import TEN_CARNETS, immunization_resource, patient_resource

AGRIPPAL = "61921204"


def local_path(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def read_feed(sandbox, identity, cursor="0", count=3):
    """Follows next links; returns (entries, resume cursor)."""
    entries = []
    path = f"$changes?_cursor={cursor}&_count={count}"
    while True:
        response = sandbox.request("GET", path, identity=identity)
        assert response.status == 200, response.body
        bundle = validate(response.json())
        assert bundle["type"] == "history"
        page = bundle.get("entry", [])
        assert len(page) <= count
        entries += page
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        resume = links["cursor"].split("_cursor=")[1].split("&")[0]
        assert resume == response.header("x-carnet-cursor")
        if "next" not in links:
            return entries, resume
        path = local_path(links["next"])


def key(entry):
    url = entry["request"]["url"]
    etag = entry["response"]["etag"]
    return entry["fullUrl"].rsplit("/", 2)[-2] + "/" + entry["fullUrl"].rsplit("/", 1)[-1], etag, url


def test_changes_feed_pages_in_commit_order_without_gaps(sandbox):
    professional, identity = sandbox.professional_identity()
    _, start = read_feed(sandbox, identity)
    assert start == "0"
    carnets = [sandbox.request("POST", "Patient", patient_resource(), identity=identity).json()["id"] for _ in range(2)]
    made = []
    for i in range(7):
        made.append(sandbox.request("POST", "Immunization",
                                    immunization_resource(carnets[i % 2], cis=AGRIPPAL), identity=identity).json())
    sandbox.request("DELETE", f"Immunization/{made[0]['id']}", identity=identity)
    entries, cursor = read_feed(sandbox, identity, start, count=3)
    assert len(entries) == 2 + 7 + 1
    versions = [(e["fullUrl"].rsplit("/", 1)[-1], e["response"]["etag"]) for e in entries]
    assert len(set(versions)) == len(versions)   # each (id, version) once
    assert [e["request"]["method"] for e in entries] == ["POST"] * 9 + ["DELETE"]
    assert entries[-1]["fullUrl"].endswith(made[0]["id"]) and "resource" not in entries[-1]
    assert entries[-1]["response"]["etag"] == 'W/"2"'
    # resuming from the cursor returns only what happened since
    nothing, same = read_feed(sandbox, identity, cursor)
    assert nothing == [] and same == cursor
    later = sandbox.request("POST", "Immunization", immunization_resource(carnets[1], cis=AGRIPPAL), identity=identity).json()
    new, _ = read_feed(sandbox, identity, cursor)
    assert [e["resource"]["id"] for e in new] == [later["id"]]


def test_changes_made_elsewhere_appear_while_the_server_runs(sandbox):
    pro, identity = sandbox.professional_identity()
    other, other_identity = sandbox.professional_identity()
    family = sandbox.create_citizen(f"fam-{uuid.uuid4().hex[:6]}@example.org", TEN_CARNETS[:2])
    carnet = family.carnets[0]
    # both professionals get access by claiming with the share code
    for ident in (identity, other_identity):
        claimed = sandbox.claim_carnet(ident, family.share_code, carnet["pseudonym"], carnet["birth_date"])
        assert claimed["id"] == carnet["id"]
    _, cursor = read_feed(sandbox, identity)
    by_other = sandbox.add_vaccination(carnet["id"], cis=AGRIPPAL, date="2024-11-02", professional_email=other.email)
    by_citizen = sandbox.add_vaccination(carnet["id"], cis=AGRIPPAL, date="2024-12-01")
    sandbox.delete_vaccination(by_citizen["id"], professional_email=other.email)
    entries, _ = read_feed(sandbox, identity, cursor)
    assert [(e["request"]["method"], e["fullUrl"].rsplit("/", 1)[-1]) for e in entries] == [
        ("POST", by_other["id"]), ("POST", by_citizen["id"]), ("DELETE", by_citizen["id"])]
    assert entries[0]["resource"]["patient"]["reference"] == f"Patient/{carnet['id']}"
    read = sandbox.request("GET", f"Immunization/{by_other['id']}", identity=identity)
    assert read.status == 200 and read.header("etag") == 'W/"1"'


def test_history_since_includes_deletes(sandbox):
    _, identity = sandbox.professional_identity()
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=identity).json()["id"]
    old = sandbox.request("POST", "Immunization", immunization_resource(carnet, cis=AGRIPPAL), identity=identity).json()
    time.sleep(0.05)
    now = time.time()
    since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (int(now * 1000) % 1000)
    time.sleep(0.05)
    new = sandbox.request("POST", "Immunization", immunization_resource(carnet, cis=AGRIPPAL), identity=identity).json()
    sandbox.request("DELETE", f"Immunization/{old['id']}", identity=identity)
    bundle = validate(sandbox.request("GET", f"Immunization/_history?_since={since}", identity=identity).json())
    got = [(e["request"]["method"], e["fullUrl"].rsplit("/", 1)[-1]) for e in bundle["entry"]]
    assert got == [("DELETE", old["id"]), ("POST", new["id"])]   # newest first
    instance = validate(sandbox.request("GET", f"Immunization/{old['id']}/_history", identity=identity).json())
    assert [e["response"]["etag"] for e in instance["entry"]] == ['W/"2"', 'W/"1"']
    paged = validate(sandbox.request("GET", f"Immunization/_history?_count=1&_since={since}", identity=identity).json())
    assert len(paged["entry"]) == 1 and any(link["relation"] == "next" for link in paged["link"])
    patient_history = validate(sandbox.request("GET", f"Patient/{carnet}/_history", identity=identity).json())
    assert len(patient_history["entry"]) == 1


def test_data_survives_a_restart(fresh_sandbox):
    sb = fresh_sandbox()
    _, identity = sb.professional_identity()
    carnet = sb.request("POST", "Patient", patient_resource(), identity=identity).json()["id"]
    imm = sb.request("POST", "Immunization", immunization_resource(carnet, cis=AGRIPPAL), identity=identity).json()
    assert sb.stop() == 0   # graceful SIGTERM
    sb.start()
    assert sb.request("GET", f"Patient/{carnet}", identity=identity).status == 200
    read = sb.request("GET", f"Immunization/{imm['id']}", identity=identity)
    assert read.status == 200 and read.json() == imm
    assert any(e.get("event") == "server.stopped" for e in sb.log_events())
