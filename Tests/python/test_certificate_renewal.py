"""Renewing the professional's certificate before it expires (EST simplereenroll over mutual
TLS, no withdrawal code), the background sync's warning that says how, and the account
password option that is deliberately never used.

The sandbox here issues 20-day certificates, so a fresh one is already inside the 30-day
warning window."""
import pytest

import carnet
from carnet import C
from conftest import open_client
from sandbox_process import Sandbox
from test_background_sync import Events
from test_flows import patient_document


@pytest.fixture(scope="module")
def sandbox():
    """This module's sandbox (conftest's `enrolled` enrolls against it)."""
    with Sandbox(extra_args=["--client-certificate-days", "20"]) as running:
        yield running


def status_name(failure):
    return carnet.STATUS_NAMES.get(failure.status)


def test_renewal_installs_a_new_certificate_and_key_that_the_service_accepts(enrolled):
    before = enrolled.certificate_info()
    assert 18 <= before["days_left"] <= 20
    renewed = enrolled.certificate_renew()
    assert renewed["serial_number"] != before["serial_number"]
    assert renewed["sha256"] != before["sha256"]
    assert renewed["common_name"] == before["common_name"]
    assert enrolled.certificate_info()["sha256"] == renewed["sha256"], "the new certificate is the one installed"
    # The renewed identity (new key) works for the doctor's calls at once.
    created = enrolled.record_create("p-renew", patient_document(email="renew@example.org"))
    assert created["resourceType"] == "Patient"


def test_the_renewed_identity_survives_a_restart(lib, sandbox, enrolled, tmp_path):
    renewed = enrolled.certificate_renew()
    enrolled.close()
    with open_client(lib, sandbox, str(tmp_path / "store"), enrolled.professional) as again:
        assert again.certificate_info()["sha256"] == renewed["sha256"]
        created = again.record_create("p-restart", patient_document(email="restart@example.org"))
        assert created["id"]


def test_a_retried_renewal_is_harmless(enrolled):
    first = enrolled.certificate_renew()
    second = enrolled.certificate_renew()
    assert first["serial_number"] != second["serial_number"]
    assert enrolled.record_create("p-twice", patient_document(email="twice@example.org"))["id"]


def test_a_revoked_certificate_cannot_renew_itself_and_the_message_says_what_to_do(sandbox, enrolled):
    info = enrolled.certificate_info()
    sandbox.revoke_certificate(serial=info["serial_number"])
    with pytest.raises(carnet.CarnetFailure) as failure:
        enrolled.certificate_renew()
    assert status_name(failure.value) == "CARNET_E_CREDENTIALS", failure.value
    assert "révoqué" in failure.value.message and "code de retrait" in failure.value.message
    assert enrolled.certificate_info()["sha256"] == info["sha256"], "nothing installed on a refusal"


def test_renewal_without_a_certificate_says_so(lib, sandbox, tmp_path):
    with open_client(lib, sandbox, str(tmp_path / "empty")) as client:
        with pytest.raises(carnet.CarnetFailure) as failure:
            client.certificate_renew()
    assert status_name(failure.value) == "CARNET_E_NO_CERTIFICATE"


def test_the_expiry_warning_says_how_to_renew_and_stops_after_renewal_is_due_again(enrolled):
    events = Events()
    enrolled.sync_start(200, events)
    detail = events.wait_for(C["CARNET_EVENT_CERTIFICATE_EXPIRING"])
    enrolled.sync_stop()
    assert 18 <= detail["days_left"] <= 20
    assert detail["action"] == "carnet_certificate_renew"
    assert "Renouvelez" in detail["message"] and "code de retrait" in detail["message"]
    assert str(detail["days_left"]) in detail["message"]
    assert events.count(C["CARNET_EVENT_CERTIFICATE_EXPIRING"]) == 1, "at most once a day"


def test_the_account_password_is_never_read(lib, tmp_path):
    """Ignored, so even bytes every string option refuses (not UTF-8) do not matter."""
    with carnet.Client(lib, str(tmp_path / "s"), account_password=b"\xff\xfe not utf-8") as client:
        client.link_set("p1", "11111111-2222-3333-4444-555555555555")
        assert client.link_get("p1") == "11111111-2222-3333-4444-555555555555"
