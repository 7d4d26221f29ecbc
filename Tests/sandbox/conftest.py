"""Fixtures for the carnet-sandbox contract tests: a real server over mutual TLS.

One sandbox serves the whole session (fresh temp data dir, free ports); tests that need their
own (lockouts, rate limits, restarts) start one with ``fresh_sandbox``.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "support"))

from sandbox_process import Sandbox, patient_resource  # noqa: E402


@pytest.fixture(scope="session")
def sandbox():
    with Sandbox(rate_limit=100000, resend_interval=60) as sb:
        yield sb


@pytest.fixture
def fresh_sandbox():
    """Factory: ``fresh_sandbox(rate_limit=…)`` → a started, private Sandbox (stopped after the test)."""
    started = []

    def make(**kwargs):
        sb = Sandbox(**kwargs).start()
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
