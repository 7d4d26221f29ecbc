"""A professional reads and writes only carnets it created or claimed; for any other carnet the
answer is the same 404 as for an id that does not exist. Revoked access freezes the carnet."""

import uuid

from fhir_checks import outcome, validate
from sandbox_process import immunization_resource, patient_resource

AGRIPPAL = "61921204"


def same_404(sandbox, identity, method, path_for, other_id, resource_for=None):
    """B on A's id and B on a random id get the same status and the same body (up to the id)."""
    missing = str(uuid.uuid4())
    a = sandbox.request(method, path_for(other_id), resource_for(other_id) if resource_for else None, identity=identity)
    b = sandbox.request(method, path_for(missing), resource_for(missing) if resource_for else None, identity=identity)
    outcome(a, 404, "not-found")
    outcome(b, 404, "not-found")
    assert a.body == b.body   # byte for byte: nothing tells "exists elsewhere" from "does not exist"
    return a


def test_other_professional_cannot_see_or_touch_a_carnet(sandbox, pro_a, pro_b):
    _, ida = pro_a
    _, idb = pro_b
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=ida).json()["id"]
    imm = sandbox.request("POST", "Immunization", immunization_resource(carnet, cis=AGRIPPAL), identity=ida).json()
    imm_id = imm["id"]

    same_404(sandbox, idb, "GET", lambda i: f"Patient/{i}", carnet)
    same_404(sandbox, idb, "GET", lambda i: f"Patient/{i}/_history", carnet)
    same_404(sandbox, idb, "GET", lambda i: f"Patient/{i}/$immds-forecast", carnet)
    same_404(sandbox, idb, "POST", lambda i: f"Patient/{i}/$share-code-resend", carnet)
    same_404(sandbox, idb, "GET", lambda i: f"Immunization/{i}", imm_id)
    same_404(sandbox, idb, "GET", lambda i: f"Immunization/{i}/_history", imm_id)
    same_404(sandbox, idb, "DELETE", lambda i: f"Immunization/{i}", imm_id)
    same_404(sandbox, idb, "PUT", lambda i: f"Immunization/{i}", imm_id, lambda i: dict(imm, id=i))
    same_404(sandbox, idb, "POST", lambda i: "Immunization", carnet, lambda i: immunization_resource(i, cis=AGRIPPAL))

    # listing: B's searches show nothing of A's
    search = validate(sandbox.request("GET", f"Immunization?patient={carnet}", identity=idb).json())
    assert search["total"] == 0 and "entry" not in search
    patients = validate(sandbox.request("GET", "Patient?_count=100", identity=idb).json())
    assert carnet not in {e["resource"]["id"] for e in patients.get("entry", [])}
    for feed in ("$changes?_count=100", "Immunization/_history?_count=100"):
        bundle = validate(sandbox.request("GET", feed, identity=idb).json())
        assert carnet not in str(bundle) and imm_id not in str(bundle)
    # and A still has everything
    assert sandbox.request("GET", f"Immunization/{imm_id}", identity=ida).status == 200


def test_revoked_access_freezes_the_carnet(sandbox, pro_a):
    professional, ida = pro_a
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=ida).json()["id"]
    kept = sandbox.request("POST", "Immunization", immunization_resource(carnet, cis=AGRIPPAL), identity=ida).json()
    cursor = sandbox.request("GET", "$changes?_count=100", identity=ida).header("x-carnet-cursor")

    sandbox.revoke_access(carnet, professional.email)
    later = sandbox.add_vaccination(carnet, cis=AGRIPPAL, date="2025-01-10")   # the citizen, after revocation

    # reads show the carnet as it was; nothing after the revocation
    assert sandbox.request("GET", f"Patient/{carnet}", identity=ida).status == 200
    assert sandbox.request("GET", f"Immunization/{kept['id']}", identity=ida).status == 200
    outcome(sandbox.request("GET", f"Immunization/{later['id']}", identity=ida), 404, "not-found")
    listed = sandbox.request("GET", f"Immunization?patient={carnet}", identity=ida).json()
    assert [e["resource"]["id"] for e in listed["entry"]] == [kept["id"]]
    feed = sandbox.request("GET", f"$changes?_cursor={cursor}&_count=100", identity=ida).json()
    assert later["id"] not in str(feed)
    # writes are refused
    outcome(sandbox.request("POST", "Immunization", immunization_resource(carnet, cis=AGRIPPAL), identity=ida),
            403, "forbidden", "access-revoked")
    outcome(sandbox.request("DELETE", f"Immunization/{kept['id']}", identity=ida), 403, "forbidden", "access-revoked")
    outcome(sandbox.request("PUT", f"Immunization/{kept['id']}", kept, identity=ida), 403, "forbidden")
    outcome(sandbox.request("POST", f"Patient/{carnet}/$share-code-resend", identity=ida), 403, "forbidden")


def test_revocation_renews_the_share_code(sandbox):
    from sandbox_process import TEN_CARNETS, SandboxError

    professional, identity = sandbox.professional_identity()
    family = sandbox.create_citizen(f"revoke-{uuid.uuid4().hex[:6]}@example.org", TEN_CARNETS[:2])
    carnet = family.carnets[0]
    sandbox.claim_carnet(identity, family.share_code, carnet["pseudonym"], carnet["birth_date"])
    sandbox.revoke_access(carnet["id"], professional.email)
    renewed = sandbox.latest_share_code(family.email)
    assert renewed != family.share_code
    # the old code no longer opens anything: the professional cannot simply claim again
    try:
        sandbox.claim_carnet(identity, family.share_code, carnet["pseudonym"], carnet["birth_date"])
        raise AssertionError("the old share code still works")
    except SandboxError as error:
        assert "403" in str(error)
    outcome(sandbox.request("POST", "Immunization", immunization_resource(carnet["id"], cis=AGRIPPAL), identity=identity),
            403, "forbidden", "access-revoked")
    # the patient may share again with the new code: access is active again
    sandbox.claim_carnet(identity, renewed, carnet["pseudonym"], carnet["birth_date"])
    assert sandbox.request("POST", "Immunization", immunization_resource(carnet["id"], cis=AGRIPPAL),
                           identity=identity).status == 201
    # revoking twice is an error of the subcommand, not a crash
    sandbox.revoke_access(carnet["id"], professional.email)
    try:
        sandbox.revoke_access(carnet["id"], professional.email)
        raise AssertionError("second revocation accepted")
    except SandboxError as error:
        assert error.returncode == 1
