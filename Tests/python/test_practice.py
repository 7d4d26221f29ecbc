"""A practice, not a workstation (docs/sync.md): two workstations of one practice — each its own
store, the same professional certificate imported on both, the same practice id — and corrections,
end to end through the C ABI against a real carnet-sandbox over mutual TLS."""
import uuid

import pytest

from carnet import C, CarnetFailure
from conftest import open_client
from fault_support import P12_PASSWORD, immunization, patient_document, professional_with_p12, service_host_ids


@pytest.fixture(scope="module")
def pro(sandbox, tmp_path_factory):
    return professional_with_p12(sandbox, str(tmp_path_factory.mktemp("pro")))


@pytest.fixture
def practice():
    return str(uuid.uuid4())


def workstation(lib, sandbox, pro, tmp_path, name, practice_id):
    client = open_client(lib, sandbox, str(tmp_path / name), pro.professional, practice_id=practice_id)
    client.certificate_import_p12(pro.p12, P12_PASSWORD)
    return client


@pytest.fixture
def two(lib, sandbox, pro, tmp_path, practice):
    """Workstations 1 and 2 of one practice; the host's database links "patient" to one carnet on both."""
    first = workstation(lib, sandbox, pro, tmp_path, "ws1", practice)
    second = workstation(lib, sandbox, pro, tmp_path, "ws2", practice)
    carnet_id = first.record_create("patient", patient_document())["id"]
    second.link_set("patient", carnet_id)
    first.carnet_id = second.carnet_id = carnet_id
    yield first, second
    first.close()
    second.close()


def on_service(sandbox, pro, carnet_id):
    return sorted(service_host_ids(sandbox, pro.identity, carnet_id))


def service_lots(sandbox, pro, carnet_id):
    response = sandbox.request("GET", f"Immunization?patient={carnet_id}&_count=100", identity=pro.identity)
    assert response.status == 200
    return [entry["resource"].get("lotNumber") for entry in response.json().get("entry", [])]


def test_the_other_workstation_never_proposes_the_practices_own_vaccinations(two, sandbox, pro):
    first, second = two
    status, _ = first.vaccination_add("patient", immunization("v1"))
    assert status == C["CARNET_OK"]
    report = second.sync()
    assert report["added"] == [], "workstation 1's vaccination is the practice's, not one to import"
    listed = second.vaccinations_list("patient")["entry"]
    assert [e["extension"][0]["valueString"] for e in listed] == ["v1"]


def test_removed_from_the_other_workstation_it_leaves_the_service(two, sandbox, pro):
    first, second = two
    first.vaccination_add("patient", immunization("v1"))
    first.vaccination_add("patient", immunization("v2"))
    # Workstation 2 never synced: it learns where v1 is from the service.
    assert second.vaccination_remove("patient", "v1") == C["CARNET_OK"]
    assert on_service(sandbox, pro, first.carnet_id) == ["v2"]
    assert second.sync()["pending"] == []


def test_the_same_host_id_pushed_from_both_workstations_is_one_immunization(two, sandbox, pro):
    first, second = two
    first.vaccination_add("patient", immunization("v1"))
    status, state = second.vaccination_add("patient", immunization("v1"))
    assert status == C["CARNET_OK"], state
    assert on_service(sandbox, pro, first.carnet_id) == ["v1"]


def test_a_correction_reaches_the_service_as_an_update(two, sandbox, pro):
    first, second = two
    first.vaccination_add("patient", immunization("v1"))
    corrected = dict(immunization("v1"), lotNumber="LOT-CORRIGE")
    status, state = first.vaccination_update("patient", corrected)
    assert status == C["CARNET_OK"], state
    assert state["state"] == "synced" and str(state["version"]) == "2"
    assert service_lots(sandbox, pro, first.carnet_id) == ["LOT-CORRIGE"]
    # Correctable from the other workstation too.
    status, _ = second.vaccination_update("patient", dict(corrected, lotNumber="LOT-3"))
    assert status == C["CARNET_OK"]
    assert service_lots(sandbox, pro, first.carnet_id) == ["LOT-3"]
    assert on_service(sandbox, pro, first.carnet_id) == ["v1"]


def test_adding_again_with_another_lot_is_refused_and_points_to_the_update(two, sandbox, pro):
    first, _ = two
    first.vaccination_add("patient", immunization("v1"))
    with pytest.raises(CarnetFailure) as refused:
        first.vaccination_add("patient", dict(immunization("v1"), lotNumber="LOT-CORRIGE"))
    assert refused.value.status == C["CARNET_E_CONFLICT"]
    # The doctor reads what to do in their words; the header points the developer to
    # carnet_vaccination_update for CARNET_E_CONFLICT from an add.
    assert "rien n'a été changé" in refused.value.message and "modification" in refused.value.message
    assert "carnet_" not in refused.value.message
    assert service_lots(sandbox, pro, first.carnet_id) == [None]


def test_a_correction_over_an_edit_made_elsewhere_is_a_conflict(two, sandbox, pro):
    first, second = two
    status, state = first.vaccination_add("patient", immunization("v1"))
    second.vaccination_update("patient", dict(immunization("v1"), lotNumber="FROM-WS2"))
    # Workstation 1 still believes version 1: its correction must not overwrite version 2.
    with pytest.raises(CarnetFailure) as refused:
        first.vaccination_update("patient", dict(immunization("v1"), lotNumber="FROM-WS1"))
    assert refused.value.status == C["CARNET_E_CONFLICT"]
    assert service_lots(sandbox, pro, first.carnet_id) == ["FROM-WS2"]
    # After a sync the host sees the service's version and may decide to correct again.
    first.sync()
    status, _ = first.vaccination_update("patient", dict(immunization("v1"), lotNumber="FROM-WS1"))
    assert status == C["CARNET_OK"]
    assert service_lots(sandbox, pro, first.carnet_id) == ["FROM-WS1"]


def test_a_practice_id_must_be_globally_unique(lib, sandbox, pro, tmp_path):
    with pytest.raises(CarnetFailure) as refused:
        open_client(lib, sandbox, str(tmp_path / "bad"), pro.professional, practice_id="cabinet")
    assert refused.value.status == C["CARNET_E_INVALID_ARGUMENT"]
    assert "practice_id" in refused.value.message


def test_a_host_built_with_the_version_1_options_keeps_working(lib, tmp_path):
    """A version-1 carnet_options (no practice_id) is initialised and read within its own size."""
    import ctypes
    import carnet

    v1_fields = [f for f in carnet.Options._fields_ if f[0] != "practice_id"]
    OptionsV1 = type("OptionsV1", (ctypes.Structure,), {"_fields_": v1_fields})
    size = ctypes.sizeof(OptionsV1)
    buffer = (ctypes.c_ubyte * (size + 16))()
    ctypes.memset(buffer, 0xA5, len(buffer))
    options = OptionsV1.from_buffer(buffer)
    assert lib.carnet_options_init(ctypes.cast(ctypes.byref(options), ctypes.POINTER(carnet.Options)), 1) == C["CARNET_OK"]
    assert bytes(buffer[size:]) == b"\xa5" * 16, "carnet_options_init wrote past a version-1 structure"
    assert options.version == 1 and options.log_level == C["CARNET_LOG_WARNING"]
    store = str(tmp_path / "v1").encode()
    options.store_directory = store
    handle = carnet.ClientPtr()
    error = carnet.Error()
    status = lib.carnet_client_open(ctypes.cast(ctypes.byref(options), ctypes.POINTER(carnet.Options)),
                                    ctypes.byref(handle), ctypes.byref(error))
    assert status == C["CARNET_OK"], error.text
    lib.carnet_client_close(handle)
