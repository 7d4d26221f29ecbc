"""carnet_error can grow: the library writes only what fits in the size the
host declares (struct_size), never past it, and nothing at all into a struct
without a valid size. Plus the status table and carnet_error.field.

Each struct here is a raw buffer followed by a canary, so an overrun by one
byte shows.
"""
import ctypes

import pytest

import carnet
from carnet import C

POISON = 0xA5
CANARY = bytes(range(0x30, 0x50))  # 32 bytes after the declared size
SIZE = ctypes.sizeof(carnet.Error)
MESSAGE_AT = carnet.Error.message.offset
FIELD_AT = carnet.Error.field.offset
# sizeof(carnet_error) of 0.1.0 (status, domain, code, message: no struct_size),
# and of this layout without its newest member (field).
LEGACY_0_1_SIZE = 3 * 4 + C["CARNET_ERROR_MESSAGE_SIZE"]
WITHOUT_FIELD_SIZE = FIELD_AT


@pytest.fixture(scope="module")
def lib():
    return carnet.load()


@pytest.fixture
def client(lib, tmp_path):
    with carnet.Client(lib, str(tmp_path / "store")) as opened:
        yield opened


def raw_error(declared, allocated=None):
    """A buffer of `allocated` bytes (default: `declared`) full of POISON, then
    the canary; struct_size = `declared`."""
    allocated = declared if allocated is None else allocated
    buffer = (ctypes.c_ubyte * (allocated + len(CANARY)))()
    ctypes.memset(buffer, POISON, allocated)
    ctypes.memmove(ctypes.addressof(buffer) + allocated, CANARY, len(CANARY))
    ctypes.c_uint32.from_buffer(buffer, 0).value = declared & 0xFFFFFFFF
    return buffer


def pointer(buffer):
    return ctypes.cast(buffer, carnet.ErrorPtr)


def fail_with_invalid_argument(client, buffer):
    """carnet_link_get with a NULL patient_id: INVALID_ARGUMENT, field patient_id."""
    out = ctypes.c_void_p()
    return client.lib.carnet_link_get(client.handle, None, ctypes.byref(out), pointer(buffer))


def int32_at(buffer, offset):
    return ctypes.c_int32.from_buffer(buffer, offset).value


def text_at(buffer, offset, size):
    raw = bytes(buffer[offset:offset + size])
    return raw.split(b"\0", 1)[0].decode("utf-8")


def test_the_layout_is_the_headers():
    assert SIZE == 16 + C["CARNET_ERROR_MESSAGE_SIZE"] + C["CARNET_ERROR_FIELD_SIZE"]
    assert carnet.Error.struct_size.offset == 0 and MESSAGE_AT == 16
    assert carnet.Error().struct_size == SIZE, "a new Error declares its size, as CARNET_ERROR_INIT does"


def test_a_full_struct_gets_every_member(client):
    buffer = raw_error(SIZE)
    assert fail_with_invalid_argument(client, buffer) == C["CARNET_E_INVALID_ARGUMENT"]
    assert int32_at(buffer, 4) == C["CARNET_E_INVALID_ARGUMENT"]
    assert int32_at(buffer, 8) == C["CARNET_DOMAIN_VALIDATION"]
    assert "patient_id" in text_at(buffer, MESSAGE_AT, C["CARNET_ERROR_MESSAGE_SIZE"])
    assert text_at(buffer, FIELD_AT, C["CARNET_ERROR_FIELD_SIZE"]) == "patient_id"
    assert ctypes.c_uint32.from_buffer(buffer, 0).value == SIZE, "struct_size is never written"
    assert bytes(buffer[SIZE:]) == CANARY


def test_a_struct_of_the_previous_layout_gets_what_fits_and_no_more(client):
    buffer = raw_error(WITHOUT_FIELD_SIZE)
    assert fail_with_invalid_argument(client, buffer) == C["CARNET_E_INVALID_ARGUMENT"]
    assert int32_at(buffer, 4) == C["CARNET_E_INVALID_ARGUMENT"]
    assert "patient_id" in text_at(buffer, MESSAGE_AT, C["CARNET_ERROR_MESSAGE_SIZE"])
    assert bytes(buffer[WITHOUT_FIELD_SIZE:]) == CANARY, "the field does not fit: not one byte of it is written"


def test_a_struct_of_0_1_size_gets_the_fixed_members_only(client):
    buffer = raw_error(LEGACY_0_1_SIZE)
    assert fail_with_invalid_argument(client, buffer) == C["CARNET_E_INVALID_ARGUMENT"]
    assert int32_at(buffer, 4) == C["CARNET_E_INVALID_ARGUMENT"]
    # The message does not fit whole in 524 bytes: it is not written, rather than cut.
    assert all(byte == POISON for byte in buffer[MESSAGE_AT:LEGACY_0_1_SIZE])
    assert bytes(buffer[LEGACY_0_1_SIZE:]) == CANARY


def test_the_minimum_size_gets_status_domain_and_code(client):
    buffer = raw_error(16)
    assert fail_with_invalid_argument(client, buffer) == C["CARNET_E_INVALID_ARGUMENT"]
    assert int32_at(buffer, 4) == C["CARNET_E_INVALID_ARGUMENT"]
    assert int32_at(buffer, 12) == 0
    assert bytes(buffer[16:]) == CANARY


@pytest.mark.parametrize("declared", [0, 4, 15, 65537, 0x5A5A5A5A, 0xFFFFFFFF])
def test_a_struct_without_a_valid_size_is_never_written(client, declared):
    # Allocated in full: an overrun would not crash, so only the bytes show it.
    buffer = raw_error(declared, allocated=SIZE)
    before = bytes(buffer)
    assert fail_with_invalid_argument(client, buffer) == C["CARNET_E_INVALID_ARGUMENT"]
    assert bytes(buffer) == before


def test_a_struct_without_a_valid_size_is_never_written_on_success_either(client):
    buffer = raw_error(0, allocated=SIZE)
    before = bytes(buffer)
    assert client.lib.carnet_link_remove(client.handle, b"p1", pointer(buffer)) == C["CARNET_OK"]
    assert bytes(buffer) == before


def test_a_struct_of_a_newer_header_keeps_its_newer_members(client):
    declared = SIZE + 100
    buffer = raw_error(declared)
    assert fail_with_invalid_argument(client, buffer) == C["CARNET_E_INVALID_ARGUMENT"]
    assert text_at(buffer, FIELD_AT, C["CARNET_ERROR_FIELD_SIZE"]) == "patient_id"
    assert all(byte == POISON for byte in buffer[SIZE:declared]), "members this library does not know"
    assert bytes(buffer[declared:]) == CANARY


def test_open_honours_the_size_too(lib, tmp_path):
    options = carnet.Options()
    lib.carnet_options_init(ctypes.byref(options), C["CARNET_OPTIONS_VERSION"])  # no store_directory
    handle = carnet.ClientPtr()
    buffer = raw_error(WITHOUT_FIELD_SIZE)
    status = lib.carnet_client_open(ctypes.byref(options), ctypes.byref(handle), pointer(buffer))
    assert status == C["CARNET_E_INVALID_ARGUMENT"] and not handle
    assert "store_directory" in text_at(buffer, MESSAGE_AT, C["CARNET_ERROR_MESSAGE_SIZE"])
    assert bytes(buffer[WITHOUT_FIELD_SIZE:]) == CANARY


@pytest.mark.parametrize("declared", [16, WITHOUT_FIELD_SIZE, SIZE, SIZE + 100])
def test_error_init_empties_exactly_what_is_declared(lib, declared):
    buffer = raw_error(0, allocated=declared)
    assert lib.carnet_error_init(buffer, declared) == C["CARNET_OK"]
    assert ctypes.c_uint32.from_buffer(buffer, 0).value == declared
    assert all(byte == 0 for byte in buffer[4:declared])
    assert bytes(buffer[declared:]) == CANARY


def test_error_init_gives_what_the_macro_gives(lib):
    error = carnet.Error()
    ctypes.memset(ctypes.byref(error), POISON, SIZE)
    assert lib.carnet_error_init(ctypes.byref(error), SIZE) == C["CARNET_OK"]
    assert bytes(error) == bytes(carnet.Error())


def test_success_empties_a_reused_struct(client):
    error = carnet.Error()
    out = ctypes.c_void_p()
    assert client.lib.carnet_link_get(client.handle, None, ctypes.byref(out), ctypes.byref(error)) \
        == C["CARNET_E_INVALID_ARGUMENT"]
    assert error.field_name == "patient_id" and error.text
    assert client.lib.carnet_link_remove(client.handle, b"p1", ctypes.byref(error)) == C["CARNET_OK"]
    assert error.status == C["CARNET_OK"] and error.text == "" and error.field_name == ""
    assert error.struct_size == SIZE


def test_field_is_empty_when_no_input_is_at_fault(client):
    with pytest.raises(carnet.CarnetFailure) as failure:
        client.link_get("nobody")
    assert failure.value.status == C["CARNET_E_NOT_FOUND"]
    assert failure.value.field == ""


def test_status_string_names_every_status_of_the_header(lib):
    names = {v: k for k, v in C.items() if isinstance(v, int) and k in carnet.STATUS_NAMES.values()}
    assert len(names) >= 25
    for value, name in names.items():
        assert lib.carnet_status_string(value).decode() == name
    for unknown in (-1, max(names) + 1, 1000, 0x7FFFFFFF):
        assert lib.carnet_status_string(unknown).decode() == "CARNET_E_UNKNOWN"
