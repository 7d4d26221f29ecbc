"""Share codes: one per citizen account, readable, with a check character; lookup shows
pseudonyms only; claiming needs the holder's birth date; uniform failures; lockout; resend."""

import re

from fhir_checks import outcome, validate
from sandbox_process import TEN_CARNETS, parameters, patient_resource

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def luhn32_valid(code):
    symbols = code.replace("-", "")
    factor, total = 1, 0
    for symbol in reversed(symbols):
        addend = factor * ALPHABET.index(symbol)
        factor = 2 if factor == 1 else 1
        total += addend // 32 + addend % 32
    return total % 32 == 0


def lookup(sandbox, identity, code):
    return sandbox.request("POST", "$share-code-lookup", parameters(code=code), identity=identity)


def candidates(response):
    body = validate(response.json())
    result = {}
    for parameter in body["parameter"]:
        assert parameter["name"] == "candidate"
        parts = {p["name"]: p["valueString"] for p in parameter["part"]}
        assert set(parts) == {"id", "pseudonym"}, parts   # nothing else is revealed
        result[parts["pseudonym"]] = parts["id"]
    return result


def claim(sandbox, identity, code, candidate, birth_date):
    return sandbox.request("POST", "$record-claim",
                           parameters(code=code, candidate=candidate, birthDate=birth_date), identity=identity)


def test_share_code_format(sandbox):
    family = sandbox.create_ten_carnet_citizen()
    code = family.share_code
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{3}", code)
    assert not set(code) & set("01OI")
    assert luhn32_valid(code)
    # 10 random symbols of 32 = 50 bits; one typo is caught by the check character
    typo = ("3" if code[0] != "3" else "4") + code[1:]
    assert not luhn32_valid(typo)


def test_one_code_per_account_and_ten_pseudonyms(sandbox, pro_a):
    _, identity = pro_a
    family = sandbox.create_ten_carnet_citizen()
    found = candidates(lookup(sandbox, identity, family.share_code))
    assert list(found) == [c.pseudonym for c in TEN_CARNETS]
    assert len(set(found.values())) == 10
    for carnet in family.carnets:
        assert carnet["id"] not in found.values()   # opaque candidates, not carnet ids
    # codes are read case- and separator-insensitively
    loose = family.share_code.lower().replace("-", " ")
    assert candidates(lookup(sandbox, identity, loose)) == found
    # a carnet created by a professional for the same email joins the same account and code
    extra = sandbox.request("POST", "Patient", patient_resource(email=family.email, given="Nina"), identity=identity)
    assert extra.status == 201
    assert sandbox.latest_share_code(family.email) == family.share_code
    assert "Nina" in candidates(lookup(sandbox, identity, family.share_code))


def test_claim_grants_access_with_the_right_birth_date(sandbox, pro_b):
    _, identity = pro_b
    family = sandbox.create_ten_carnet_citizen()
    ambroise = family.carnet("Ambroise")
    found = candidates(lookup(sandbox, identity, family.share_code))
    outcome(sandbox.request("GET", f"Patient/{ambroise['id']}", identity=identity), 404)
    response = claim(sandbox, identity, family.share_code, found["Ambroise"], ambroise["birth_date"])
    assert response.status == 200, response.body
    patient = validate(response.json())
    assert patient["id"] == ambroise["id"] and patient["birthDate"] == ambroise["birth_date"]
    assert sandbox.request("GET", f"Patient/{ambroise['id']}", identity=identity).status == 200
    # only that carnet: its siblings stay invisible
    outcome(sandbox.request("GET", f"Patient/{family.carnet('voyage')['id']}", identity=identity), 404)
    # claiming again is harmless
    assert claim(sandbox, identity, family.share_code, found["Ambroise"], ambroise["birth_date"]).status == 200


def test_failures_have_one_shape(sandbox, pro_a):
    _, identity = pro_a
    family = sandbox.create_ten_carnet_citizen()
    other = sandbox.create_ten_carnet_citizen()
    found = candidates(lookup(sandbox, identity, family.share_code))
    voyage = family.carnet("voyage")
    attempts = [
        claim(sandbox, identity, family.share_code, found["voyage"], "1979-11-03"),          # wrong date
        claim(sandbox, identity, family.share_code, "0" * 32, voyage["birth_date"]),          # wrong candidate
        claim(sandbox, identity, other.share_code, found["voyage"], voyage["birth_date"]),    # wrong code
        claim(sandbox, identity, "2222-2222-222", found["voyage"], voyage["birth_date"]),     # bad check char
        lookup(sandbox, identity, "ZZZZ-ZZZZ-ZZZ"),                                             # unknown code
    ]
    bodies = set()
    for response in attempts:
        body = outcome(response, 403, "forbidden", "share-code-rejected")
        bodies.add(str(body))
    assert len(bodies) == 1
    assert "incorrect" in bodies.pop()


def test_five_failed_claims_lock_the_code_for_15_minutes(sandbox, pro_a):
    _, identity = pro_a
    family = sandbox.create_ten_carnet_citizen()
    found = candidates(lookup(sandbox, identity, family.share_code))
    target = family.carnet("10 ans")
    for _ in range(5):
        outcome(claim(sandbox, identity, family.share_code, found["10 ans"], "2000-01-01"), 403)
    locked = claim(sandbox, identity, family.share_code, found["10 ans"], target["birth_date"])
    outcome(locked, 429, "throttled", "share-code-locked")
    assert 800 < int(locked.header("retry-after")) <= 900
    outcome(lookup(sandbox, identity, family.share_code), 429, "throttled", "share-code-locked")
    # other codes are unaffected
    assert lookup(sandbox, identity, sandbox.create_ten_carnet_citizen().share_code).status == 200


def test_a_code_that_does_not_exist_locks_the_same_way(sandbox, pro_b):
    _, identity = pro_b
    fake = "ABCD-EFGH-JK"
    fake += next(c for c in ALPHABET if luhn32_valid(fake + c))
    for _ in range(5):
        outcome(claim(sandbox, identity, fake, "x" * 32, "2000-01-01"), 403, "forbidden", "share-code-rejected")
    outcome(claim(sandbox, identity, fake, "x" * 32, "2000-01-01"), 429, "throttled", "share-code-locked")


def test_resend_emails_the_code_and_is_rate_limited(sandbox, pro_a):
    _, identity = pro_a
    email = "resend-test@example.org"
    carnet = sandbox.request("POST", "Patient", patient_resource(email=email), identity=identity).json()["id"]
    before = len(sandbox.emails_to(email))
    response = sandbox.request("POST", f"Patient/{carnet}/$share-code-resend", identity=identity)
    assert response.status == 200
    assert validate(response.json())["issue"][0]["severity"] == "information"
    mails = sandbox.emails_to(email)
    assert len(mails) == before + 1 and mails[-1].share_code == mails[0].share_code
    assert mails[-1].kind == "share-code"
    again = sandbox.request("POST", f"Patient/{carnet}/$share-code-resend", identity=identity)
    outcome(again, 429, "throttled", "resend-too-soon")
    assert int(again.header("retry-after")) > 0
    assert len(sandbox.emails_to(email)) == before + 1


def test_share_code_operations_need_their_parameters(sandbox, pro_a):
    _, identity = pro_a
    outcome(sandbox.request("POST", "$share-code-lookup", {"resourceType": "Parameters"}, identity=identity), 422, "required")
    outcome(sandbox.request("POST", "$record-claim", parameters(code="ABCD"), identity=identity), 422, "required")
    outcome(sandbox.request("POST", "$share-code-lookup", {"code": "x"}, identity=identity), 400, "invalid")


def test_the_lock_ends_after_its_time(fresh_sandbox):
    import time

    sb = fresh_sandbox(share_code_lock_seconds=2)
    _, identity = sb.professional_identity()
    family = sb.create_ten_carnet_citizen()
    found = sb.lookup_share_code(identity, family.share_code)
    target = family.carnet("Cervarix")
    for _ in range(5):
        outcome(claim(sb, identity, family.share_code, found["Cervarix"], "1999-09-09"), 403)
    locked = claim(sb, identity, family.share_code, found["Cervarix"], target["birth_date"])
    outcome(locked, 429, "throttled", "share-code-locked")
    time.sleep(int(locked.header("retry-after")) + 0.5)
    assert claim(sb, identity, family.share_code, found["Cervarix"], target["birth_date"]).status == 200
