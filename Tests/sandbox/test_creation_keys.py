"""Idempotency-Key on POST /fhir/Patient (docs/protocol.md 4.1): a creation repeated with the same
key gives one carnet and one email, 200 the second time (also after a restart); the key reused
with another body is refused."""

import uuid

from fhir_checks import outcome
from sandbox_process import patient_resource


def create(sandbox, identity, patient, key=None):
    headers = {"Idempotency-Key": f'"{key}"'} if key else {}
    return sandbox.request("POST", "Patient", patient, identity=identity, headers=headers)


def test_a_repeated_creation_gives_one_carnet_and_one_email(sandbox, pro_a):
    _, identity = pro_a
    patient = patient_resource(email=f"key-{uuid.uuid4().hex[:8]}@example.org")
    key = str(uuid.uuid4())
    first = create(sandbox, identity, patient, key)
    assert first.status == 201, first.body
    again = create(sandbox, identity, patient, key)
    assert again.status == 200, again.body
    assert again.json()["id"] == first.json()["id"]
    assert again.header("etag") == 'W/"1"'
    emails = sandbox.emails_to(patient["telecom"][0]["value"])
    assert len(emails) == 1 and emails[0].kind == "share-code"


def test_the_key_reused_with_another_body_is_refused(sandbox, pro_a):
    _, identity = pro_a
    address = f"key-{uuid.uuid4().hex[:8]}@example.org"
    key = str(uuid.uuid4())
    assert create(sandbox, identity, patient_resource(email=address), key).status == 201
    refused = create(sandbox, identity, patient_resource(given="Paul", email=address), key)
    outcome(refused, 422, "business-rule", "idempotency-key-reused")
    assert len(sandbox.emails_to(address)) == 1


def test_without_the_header_each_creation_is_new(sandbox, pro_a):
    _, identity = pro_a
    patient = patient_resource(email=f"key-{uuid.uuid4().hex[:8]}@example.org")
    ids = {create(sandbox, identity, patient).json()["id"] for _ in range(2)}
    assert len(ids) == 2


def test_keys_survive_a_restart(fresh_sandbox):
    sb = fresh_sandbox()
    _, identity = sb.professional_identity()
    patient = patient_resource(email=f"key-{uuid.uuid4().hex[:8]}@example.org")
    first = create(sb, identity, patient, "restart-key")
    assert first.status == 201
    sb.restart()
    again = create(sb, identity, patient, "restart-key")
    assert again.status == 200 and again.json()["id"] == first.json()["id"]
    assert len(sb.emails_to(patient["telecom"][0]["value"])) == 1
