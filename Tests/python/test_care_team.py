"""A care team (the guide's "abonnement collectif") through the library, end to end: two doctors
of one team on two workstations work on the same carnet without claiming it again, and each sees
the other's vaccinations in sync as recorded elsewhere, with who recorded them; a doctor outside
the team gets the same answer as for a carnet that does not exist. Real carnet-sandbox, mTLS."""
import pytest

from carnet import C, CarnetFailure
from conftest import open_client
from fault_support import immunization, patient_document


def enrolled_doctor(lib, sandbox, tmp_path, name, display):
    professional = sandbox.create_professional(name=display)
    client = open_client(lib, sandbox, str(tmp_path / name), professional)
    client.certificate_enroll(professional.withdrawal_code)
    client.professional = professional
    return client


@pytest.fixture
def team(lib, sandbox, tmp_path):
    first = enrolled_doctor(lib, sandbox, tmp_path, "ws1", "Dr Claire Martin")
    second = enrolled_doctor(lib, sandbox, tmp_path, "ws2", "Dr Paul Henri")
    name = sandbox.create_team()["name"]
    sandbox.add_team_member(name, first.professional.email)
    sandbox.add_team_member(name, second.professional.email)
    yield first, second, name
    first.close()
    second.close()


def test_a_colleague_of_the_team_works_on_the_carnet_without_claiming_it(team, sandbox):
    first, second, _ = team
    carnet_id = first.record_create("patient", patient_document())["id"]
    # The practice's database gives workstation 2 the link: no share code, no claim.
    second.link_set("patient", carnet_id)
    status, state = second.vaccination_add("patient", immunization("ws2-v1"))
    assert status == C["CARNET_OK"], state
    added = [a for a in first.sync()["added"] if a["patient_id"] == "patient"]
    assert len(added) == 1, "recorded elsewhere, proposed for import"
    assert added[0]["recorded_by"] == "Dr Paul Henri"
    assert added[0]["immunization"]["id"] == state["immunization_id"]


def test_a_doctor_outside_the_team_cannot_reach_the_carnet(team, lib, sandbox, tmp_path):
    first, _, _ = team
    carnet_id = first.record_create("patient", patient_document())["id"]
    outsider = enrolled_doctor(lib, sandbox, tmp_path, "ws3", "Dr Hors Equipe")
    try:
        outsider.link_set("patient", carnet_id)
        outsider.link_set("nobody", "00000000-0000-4000-8000-000000000000")
        # A write to the team's carnet is refused exactly like one to a carnet that does not exist.
        with pytest.raises(CarnetFailure) as theirs:
            outsider.vaccination_add("patient", immunization("x1"))
        with pytest.raises(CarnetFailure) as missing:
            outsider.vaccination_add("nobody", immunization("x2"))
        assert theirs.value.status == missing.value.status == C["CARNET_E_NOT_FOUND"]
        assert theirs.value.message == missing.value.message
        # And a search of it finds nothing of the team's.
        assert outsider.vaccinations_list("patient")["total"] == 0
    finally:
        outsider.close()


def test_a_member_who_leaves_the_team_loses_its_carnets(team, sandbox):
    first, second, name = team
    carnet_id = first.record_create("patient", patient_document())["id"]
    second.link_set("patient", carnet_id)
    first.vaccination_add("patient", immunization("v1"))
    assert second.vaccinations_list("patient")["total"] == 1
    sandbox.remove_team_member(name, second.professional.email)
    assert second.vaccinations_list("patient")["total"] == 0
    with pytest.raises(CarnetFailure) as refused:
        second.vaccination_add("patient", immunization("v2"))
    assert refused.value.status == C["CARNET_E_NOT_FOUND"]
