"""Care teams over mutual TLS (docs/protocol.md "Care teams"): the members of a team share the
carnets any of them created or claimed; an outsider gets the 404 of a carnet that does not exist;
the patient's revocation applies to the team; a member who leaves loses the team's carnets. Each
stored Immunization version says who recorded it (the recorded-by extension)."""

import uuid

import pytest

from fhir_checks import outcome
from sandbox_process import TEN_CARNETS, SandboxError, immunization_resource, patient_resource

AGRIPPAL = "61921204"
RECORDED_BY = "https://carnet-sandbox.invalid/fhir/StructureDefinition/recorded-by"
IDNPS = "urn:oid:1.2.250.1.71.4.2.1"


@pytest.fixture
def team(sandbox):
    """A team with two members (1 and 2) and a professional outside it; returns a dict."""
    name = f"Maison de santé {uuid.uuid4().hex[:6]}"
    created = sandbox.create_team(name)
    one, id1 = sandbox.professional_identity(name="Dr Alice Martin", rpps="10000000011")
    two, id2 = sandbox.professional_identity(name="Dr Bruno Petit", rpps="10000000012")
    outsider, id3 = sandbox.professional_identity(name="Dr Chloé Roux", rpps="10000000013")
    sandbox.add_team_member(name, one.email)
    shown = sandbox.add_team_member(created["id"], two.email)   # by id as well as by name
    assert [m["email"] for m in shown["members"]] == [one.email, two.email]
    return {"name": name, "id": created["id"], "one": (one, id1), "two": (two, id2), "outsider": (outsider, id3)}


def recorded_by(resource):
    return [e for e in resource.get("extension", []) if e["url"] == RECORDED_BY]


def test_two_members_read_and_write_a_carnet_one_of_them_created(sandbox, team):
    _, id1 = team["one"]
    _, id2 = team["two"]
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=id1).json()["id"]

    assert sandbox.request("GET", f"Patient/{carnet}", identity=id2).status == 200
    created = sandbox.request("POST", "Immunization", immunization_resource(carnet, cis=AGRIPPAL), identity=id2)
    assert created.status == 201, created.body
    imm = created.json()
    corrected = dict(imm, lotNumber="LOT-1")
    updated = sandbox.request("PUT", f"Immunization/{imm['id']}", corrected, identity=id1, headers={"If-Match": 'W/"1"'})
    assert updated.status == 200, updated.body
    listed = sandbox.request("GET", f"Immunization?patient={carnet}", identity=id2).json()
    assert [e["resource"]["lotNumber"] for e in listed["entry"]] == ["LOT-1"]
    assert sandbox.request("GET", f"Patient/{carnet}/$immds-forecast", identity=id2).status == 200
    assert sandbox.request("POST", f"Patient/{carnet}/$share-code-resend", identity=id2).status == 200
    assert sandbox.request("DELETE", f"Immunization/{imm['id']}", identity=id2).status == 204
    assert sandbox.show_team(team["name"])["carnets"] == 1


def test_an_outsider_gets_the_byte_identical_404(sandbox, team):
    _, id1 = team["one"]
    _, id3 = team["outsider"]
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=id1).json()["id"]
    imm = sandbox.request("POST", "Immunization", immunization_resource(carnet, cis=AGRIPPAL), identity=id1).json()
    missing = str(uuid.uuid4())
    for real, absent in ((f"Patient/{carnet}", f"Patient/{missing}"),
                         (f"Immunization/{imm['id']}", f"Immunization/{missing}"),
                         (f"Patient/{carnet}/$immds-forecast", f"Patient/{missing}/$immds-forecast")):
        a = sandbox.request("GET", real, identity=id3)
        b = sandbox.request("GET", absent, identity=id3)
        outcome(a, 404, "not-found")
        assert a.body == b.body
    feed = sandbox.request("GET", "$changes?_count=100", identity=id3).json()
    assert carnet not in str(feed)


def test_a_claim_by_one_member_opens_the_carnet_to_the_team(sandbox, team):
    _, id1 = team["one"]
    _, id2 = team["two"]
    family = sandbox.create_citizen(f"team-claim-{uuid.uuid4().hex[:6]}@example.org", TEN_CARNETS[:2])
    carnet = family.carnets[1]
    sandbox.claim_carnet(id1, family.share_code, carnet["pseudonym"], carnet["birth_date"])
    assert sandbox.request("POST", "Immunization", immunization_resource(carnet["id"], cis=AGRIPPAL),
                           identity=id2).status == 201


def test_the_patients_revocation_applies_to_the_team(sandbox, team):
    one, id1 = team["one"]
    _, id2 = team["two"]
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=id1).json()["id"]
    revoked = sandbox.revoke_access(carnet, one.email)
    assert revoked["revoked"] is True and revoked["team"] == team["id"]
    for identity in (id1, id2):
        outcome(sandbox.request("POST", "Immunization", immunization_resource(carnet, cis=AGRIPPAL),
                                identity=identity), 403, "forbidden", "access-revoked")
        assert sandbox.request("GET", f"Patient/{carnet}", identity=identity).status == 200   # frozen
    # revoking the team by name is the same act; twice is an error of the subcommand
    other = sandbox.request("POST", "Patient", patient_resource(), identity=id2).json()["id"]
    assert sandbox.revoke_access(other, team=team["name"])["team"] == team["id"]
    outcome(sandbox.request("POST", "Immunization", immunization_resource(other, cis=AGRIPPAL), identity=id1),
            403, "forbidden", "access-revoked")
    with pytest.raises(SandboxError):
        sandbox.revoke_access(other, team=team["name"])


def test_a_member_removed_loses_access(sandbox, team):
    _, id1 = team["one"]
    two, id2 = team["two"]
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=id1).json()["id"]
    assert sandbox.request("GET", f"Patient/{carnet}", identity=id2).status == 200
    shown = sandbox.remove_team_member(team["name"], two.email)
    assert two.email not in [m["email"] for m in shown["members"]]

    gone = sandbox.request("GET", f"Patient/{carnet}", identity=id2)
    nothing = sandbox.request("GET", f"Patient/{uuid.uuid4()}", identity=id2)
    outcome(gone, 404, "not-found")
    assert gone.body == nothing.body
    assert carnet not in str(sandbox.request("GET", "$changes?_count=100", identity=id2).json())
    assert sandbox.request("GET", f"Patient/{carnet}", identity=id1).status == 200
    with pytest.raises(SandboxError):
        sandbox.remove_team_member(team["name"], two.email)


def test_member_twos_feed_shows_member_ones_vaccination_with_who_recorded_it(sandbox, team):
    one, id1 = team["one"]
    _, id2 = team["two"]
    carnet = sandbox.request("POST", "Patient", patient_resource(), identity=id1).json()["id"]
    cursor = sandbox.request("GET", "$changes?_count=100", identity=id2).header("x-carnet-cursor")
    sent = immunization_resource(carnet, cis=AGRIPPAL)
    sent["extension"] = [{"url": RECORDED_BY, "valueReference": {"display": "Dr Forged"}}]   # replaced
    imm = sandbox.request("POST", "Immunization", sent, identity=id1).json()

    feed = sandbox.request("GET", f"$changes?_cursor={cursor}&_count=100", identity=id2).json()
    entries = [e for e in feed.get("entry", []) if e.get("resource", {}).get("id") == imm["id"]]
    assert len(entries) == 1
    marks = recorded_by(entries[0]["resource"])
    assert marks == [{"url": RECORDED_BY, "valueReference": {
        "type": "Practitioner", "display": one.name,
        "identifier": {"system": IDNPS, "value": "8" + one.rpps}}}]
    assert one.email not in str(entries[0])


def test_a_professional_belongs_to_one_team_at_most(sandbox, team):
    one, _ = team["one"]
    other = sandbox.create_team()
    with pytest.raises(SandboxError) as refused:
        sandbox.add_team_member(other["name"], one.email)
    assert refused.value.returncode == 1
    with pytest.raises(SandboxError):
        sandbox.create_team(team["name"].upper())   # names are unique, case-insensitively
