"""Fixtures for the carnet-sandbox contract tests: a real server over mutual TLS.

One sandbox serves the whole session (fresh temp data dir, free ports); tests that need their
own (lockouts, rate limits, restarts) start one with ``fresh_sandbox``. Both validate every FHIR
resource they return (``ValidatingSandbox``).
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "support"))

from sandbox_process import Sandbox, patient_resource  # noqa: E402
from fhir_checks import validate  # noqa: E402


class ValidatingSandbox(Sandbox):
    """Every FHIR JSON body the sandbox returns, in every test, is validated (R4B models + our
    code checks) before the test sees it."""

    validated = 0

    def raw_request(self, *args, **kwargs):
        response = super().raw_request(*args, **kwargs)
        if (response.header("content-type") or "").startswith("application/fhir+json"):
            validate(response.json())
            ValidatingSandbox.validated += 1
        return response


@pytest.fixture(scope="session")
def sandbox():
    with ValidatingSandbox(rate_limit=100000, resend_interval=60) as sb:
        yield sb


@pytest.fixture
def fresh_sandbox():
    """Factory: ``fresh_sandbox(rate_limit=…)`` → a started, private Sandbox (stopped after the test)."""
    started = []

    def make(**kwargs):
        sb = ValidatingSandbox(**kwargs).start()
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.cleanup()


@pytest.fixture(scope="session")
def pro_a(sandbox):
    professional, identity = sandbox.professional_identity(name="Dr Alice Martin", rpps="10000000001")
    return professional, identity


@pytest.fixture(scope="session")
def pro_b(sandbox):
    professional, identity = sandbox.professional_identity(name="Dr Bruno Petit", rpps="10000000002")
    return professional, identity


@pytest.fixture
def carnet_a(sandbox, pro_a):
    """A carnet created by professional A; returns (carnet_id, patient resource sent)."""
    _, identity = pro_a
    patient = patient_resource()
    response = sandbox.request("POST", "Patient", patient, identity=identity)
    assert response.status == 201, response.body
    return response.json()["id"], patient


def pytest_sessionfinish(session, exitstatus):
    # The automatic validation must really have run (a broken content-type check would skip it).
    if exitstatus == 0 and session.testscollected >= 40:   # the full suite
        assert ValidatingSandbox.validated > 50, ValidatingSandbox.validated
