"""Operating the service: rate limiting (429 + Retry-After), graceful SIGTERM, structured access
log without patient data or secrets, subcommands while the server runs, outbox listing."""

import json
import os
import stat
import urllib.parse

from fhir_checks import outcome
from sandbox_process import Carnet, immunization_resource, parameters, patient_resource


def test_rate_limit_answers_429_with_retry_after(fresh_sandbox):
    sb = fresh_sandbox(rate_limit=5)
    _, identity = sb.professional_identity()
    statuses = [sb.request("GET", "metadata", identity=identity).status for _ in range(5)]
    assert statuses == [200] * 5
    limited = sb.request("GET", "metadata", identity=identity)
    outcome(limited, 429, "throttled", "rate-limited")
    assert 0 < int(limited.header("retry-after")) <= 60
    # the limit is per professional
    _, other = sb.professional_identity()
    assert sb.request("GET", "metadata", identity=other).status == 200


def test_sigterm_stops_gracefully(fresh_sandbox):
    sb = fresh_sandbox()
    pid = sb.process.pid
    assert sb.stop() == 0
    assert not os.path.exists(os.path.join(sb.data_dir, "server.json"))
    events = [e["event"] for e in sb.log_events()]
    assert "server.starting" in events and events[-1] == "server.stopped"
    assert pid > 0


def test_logs_hold_no_patient_data_and_no_secrets(fresh_sandbox):
    sb = fresh_sandbox(log_level="debug")
    professional, identity = sb.professional_identity(email="dr.secret-mail@example.org", password="Pa55word-Very-Secret")
    patient = patient_resource(given="Zéphyrine", family="Quintessence", birth_date="1977-07-07",
                               email="zephyrine.q@example.org", ins="277077507700712")
    carnet = sb.request("POST", "Patient", patient, identity=identity).json()["id"]
    sb.request("POST", "Immunization", immunization_resource(carnet, cis="61921204", lot="LOT-SECRET-42"), identity=identity)
    share_code = sb.latest_share_code("zephyrine.q@example.org")
    family = sb.create_citizen("famille.quintessence@example.org",
                               [Carnet("Petit Orphée", "Orphée", "Quintessence", "2013-03-13", "male")])
    found = sb.request("POST", "$share-code-lookup", parameters(code=family.share_code), identity=identity).json()
    candidate = found["parameter"][0]["part"][0]["valueString"]
    sb.request("POST", "$record-claim", parameters(code=family.share_code, candidate=candidate, birthDate="2001-01-01"),
               identity=identity)
    sb.request("POST", "$record-claim", parameters(code=family.share_code, candidate=candidate, birthDate="2013-03-13"),
               identity=identity)
    sb.request("POST", f"Patient/{carnet}/$share-code-resend", identity=identity)
    body = urllib.parse.urlencode({"grant_type": "password", "username": professional.email,
                                   "password": professional.password}).encode()
    token = sb.raw_request("POST", "/oauth/token", body=body, identity=identity,
                           headers={"Content-Type": "application/x-www-form-urlencoded"}).json()["access_token"]
    sb.request("GET", "Patient", identity=identity, headers={"Authorization": "Bearer " + token})
    wrong = sb.create_professional()
    _, csr = sb.make_key_and_csr()
    sb.enroll_raw("2222-3333-4444-5555", csr)
    sb.stop()

    log = sb.read_log()
    assert '"event":"access"' in log and '"event":"email.sent"' in log   # the log is not simply empty
    events = sb.log_events()
    assert any(e.get("event") == "access" and e.get("professional") == professional.id for e in events)
    secrets = ["Zéphyrine", "Quintessence", "1977-07-07", "zephyrine.q@example.org", "277077507700712",
               "LOT-SECRET-42", share_code, share_code.replace("-", ""), family.share_code, "Orphée", "Petit Orphée",
               "2013-03-13", "famille.quintessence@example.org", "dr.secret-mail@example.org", "Pa55word-Very-Secret",
               professional.withdrawal_code, wrong.withdrawal_code, "2222-3333-4444-5555", token, candidate]
    for value in secrets:
        assert value not in log, f"{value!r} leaked into the log"
    for line in log.splitlines():
        json.loads(line)   # structured: every line is one JSON object


def test_subcommands_and_outbox(sandbox):
    listed = sandbox.cli("outbox", "list")
    assert isinstance(listed, list)
    family = sandbox.create_citizen("outbox-check@example.org", [Carnet("voyage", "Paul", "Voyageur", "1990-02-02", "male")])
    listed = sandbox.cli("outbox", "list")
    mine = [m for m in listed if m["to"] == "outbox-check@example.org"]
    assert len(mine) == 1 and mine[0]["kind"] == "share-code" and "code de partage" in mine[0]["subject"]
    assert os.path.exists(mine[0]["file"])
    assert stat.S_IMODE(os.stat(mine[0]["file"]).st_mode) == 0o600
    assert family.share_code in open(mine[0]["file"], encoding="utf-8").read()
    # bad input to a subcommand: a non-zero exit and a message, no traceback
    from sandbox_process import SandboxError

    try:
        sandbox.cli("vaccination", "add", "--carnet", family.carnets[0]["id"], "--cis", "99999999", "--date", "2024-01-01")
        raise AssertionError("unknown vaccine code accepted")
    except SandboxError as error:
        assert error.returncode == 1 and "unknown vaccine code" in error.stderr
    try:
        sandbox.create_professional(email="not-an-email")
        raise AssertionError("invalid email accepted")
    except SandboxError as error:
        assert "email" in error.stderr


def test_data_directory_layout_and_permissions(sandbox):
    sandbox.create_professional()
    assert stat.S_IMODE(os.stat(sandbox.data_dir).st_mode) == 0o700
    for name in ("ca.key.pem", "server.key.pem", "secret.key"):
        assert stat.S_IMODE(os.stat(os.path.join(sandbox.data_dir, "ca", name)).st_mode) == 0o600
    import sqlite3

    with sqlite3.connect(os.path.join(sandbox.data_dir, "sandbox.sqlite")) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 1
        # share and withdrawal codes: withdrawal codes are stored only as keyed hashes
        hashes = [row[0] for row in db.execute("SELECT code_hash FROM withdrawal_codes")]
        assert hashes and all(len(h) == 64 for h in hashes)


def test_vaccination_subcommand_takes_a_whole_resource(sandbox, tmp_path):
    from sandbox_process import SandboxError, immunization_resource

    family = sandbox.create_citizen("json-cli@example.org", [Carnet("10 ans", "Jules", "Json", "2015-09-30", "male")])
    carnet = family.carnets[0]["id"]
    resource = immunization_resource(carnet, cis="61921204", date="2025-10-02", identifier="web-1",
                                     identifier_system="urn:example:web")
    path = tmp_path / "imm.json"
    path.write_text(json.dumps(resource))
    added = sandbox.cli("vaccination", "add", "--carnet", carnet, "--json", str(path))
    assert added["version"] == 1 and added["carnet"] == carnet
    # the same business rules as over HTTP
    path.write_text(json.dumps(dict(resource, occurrenceDateTime="2010-01-01")))
    try:
        sandbox.cli("vaccination", "add", "--carnet", carnet, "--json", str(path))
        raise AssertionError("vaccination before birth accepted")
    except SandboxError as error:
        assert "before the patient's birth date" in error.stderr
    try:
        sandbox.cli("citizen", "create", "--email", "x@example.org", "--carnet", "only;three;fields")
        raise AssertionError("bad carnet spec accepted")
    except SandboxError as error:
        assert "PSEUDONYM;GIVEN;FAMILY;YYYY-MM-DD;GENDER" in error.stderr
    deleted = sandbox.delete_vaccination(added["id"])
    assert deleted == {"id": added["id"], "version": 2, "deleted": True}
