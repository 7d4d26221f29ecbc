"""Hostile arguments for every function of carnet.h, one case at a time.

Run as a script with a case name, it performs that single call in a fresh
process and prints the outcome as JSON on the last line; test_arguments.py
runs every case this way so that a crash of the library shows as a dead
process rather than killing pytest.
"""
import ctypes
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import carnet  # noqa: E402
from carnet import C  # noqa: E402

UUID = b"6f9619ff-8b86-d011-b42d-00c04fc964ff"
HUGE = b"a" * (10 * 1024 * 1024)
BAD_UTF8 = b"caf\xe9 \xff\xfe"

# Values every string argument is tried with: (label, bytes or None).
STRING_ABUSE = [("null", None), ("empty", b""), ("non-utf8", BAD_UTF8), ("10MB", HUGE)]


def open_client(lib, store, **fields):
    options = carnet.Options()
    lib.carnet_options_init(ctypes.byref(options), C["CARNET_OPTIONS_VERSION"])
    options.store_directory = store.encode()
    for name, value in fields.items():
        setattr(options, name, value)
    handle = carnet.ClientPtr()
    error = carnet.Error()
    status = lib.carnet_client_open(ctypes.byref(options), ctypes.byref(handle), ctypes.byref(error))
    return status, error, handle


def cases():
    """name -> (function(lib, store) -> (status, message), expected status, word the message must name)."""
    table = {}

    for field in ("store_directory", "service_url", "enrollment_url", "account_email", "account_password", "ca_bundle_path",
                  "crl_path", "pinned_public_key", "identity_secret"):
        for label, value in STRING_ABUSE:
            if value is None and field != "store_directory":
                continue  # NULL means "not set" for optional fields; covered by test_lifecycle
            def run(lib, store, field=field, value=value):
                fields = {field: value}
                if field == "store_directory":
                    status, error, handle = open_client_raw_store(lib, value)
                else:
                    status, error, handle = open_client(lib, store, **fields)
                lib.carnet_client_close(handle)
                return status, error.text, bool(handle)
            table[f"carnet_client_open.{field}.{label}"] = (run, "CARNET_E_INVALID_ARGUMENT", field)

    def bad_url(lib, store):
        status, error, handle = open_client(lib, store, service_url=b"http://cve.example.fr/fhir")
        return status, error.text, bool(handle)
    table["carnet_client_open.service_url.plain-http"] = (bad_url, "CARNET_E_INVALID_ARGUMENT", "service_url")

    def bad_pin(lib, store):
        status, error, handle = open_client(lib, store, pinned_public_key=b"md5//abc")
        return status, error.text, bool(handle)
    table["carnet_client_open.pinned_public_key.wrong-form"] = (bad_pin, "CARNET_E_INVALID_ARGUMENT", "pinned_public_key")

    def huge_timeout(lib, store):
        status, error, handle = open_client(lib, store, request_timeout_ms=0xFFFFFFFF)
        return status, error.text, bool(handle)
    table["carnet_client_open.request_timeout_ms.huge"] = (huge_timeout, "CARNET_E_INVALID_ARGUMENT", "request_timeout_ms")

    for field, value in (("locale", 7), ("locale", -1), ("log_level", 99)):
        def bad_enum(lib, store, field=field, value=value):
            status, error, handle = open_client(lib, store, **{field: value})
            return status, error.text, bool(handle)
        table[f"carnet_client_open.{field}.{value}"] = (bad_enum, "CARNET_E_INVALID_ARGUMENT", field)

    for version in (0, 2, 0xFFFFFFFF):
        def bad_version(lib, store, version=version):
            status, error, handle = open_client(lib, store, version=version)
            return status, error.text, bool(handle)
        table[f"carnet_client_open.version.{version}"] = (bad_version, "CARNET_E_UNSUPPORTED_VERSION", str(version))

    def null_options(lib, store):
        handle = carnet.ClientPtr(0x1234)
        error = carnet.Error()
        status = lib.carnet_client_open(None, ctypes.byref(handle), ctypes.byref(error))
        return status, error.text, bool(handle)
    table["carnet_client_open.options.null"] = (null_options, "CARNET_E_INVALID_ARGUMENT", "options")

    def null_out(lib, store):
        options = carnet.Options()
        lib.carnet_options_init(ctypes.byref(options), 1)
        options.store_directory = store.encode()
        error = carnet.Error()
        status = lib.carnet_client_open(ctypes.byref(options), None, ctypes.byref(error))
        return status, error.text, False
    table["carnet_client_open.out_client.null"] = (null_out, "CARNET_E_INVALID_ARGUMENT", "out_client")

    def null_error(lib, store):
        options = carnet.Options()
        lib.carnet_options_init(ctypes.byref(options), 1)
        handle = carnet.ClientPtr()
        status = lib.carnet_client_open(ctypes.byref(options), ctypes.byref(handle), None)
        return status, "(no error struct) store_directory", bool(handle)
    table["carnet_client_open.error.null"] = (null_error, "CARNET_E_INVALID_ARGUMENT", "store_directory")

    def options_init_null(lib, store):
        return lib.carnet_options_init(None, 1), "options", False
    table["carnet_options_init.null"] = (options_init_null, "CARNET_E_INVALID_ARGUMENT", "")

    for version in (0, 2, 0xFFFFFFFF):
        def options_init_version(lib, store, version=version):
            options = carnet.Options()
            return lib.carnet_options_init(ctypes.byref(options), version), "", False
        table[f"carnet_options_init.version.{version}"] = (options_init_version, "CARNET_E_UNSUPPORTED_VERSION", "")

    def cancel_null(lib, store):
        return lib.carnet_client_cancel(None), "", False
    table["carnet_client_cancel.null"] = (cancel_null, "CARNET_E_INVALID_ARGUMENT", "")

    def sync_stop_null(lib, store):
        return lib.carnet_sync_stop(None), "", False
    table["carnet_sync_stop.null"] = (sync_stop_null, "CARNET_E_INVALID_ARGUMENT", "")

    def sync_start_null_client(lib, store):
        error = carnet.Error()
        return lib.carnet_sync_start(None, 1000, carnet.carnet_event_callback(), None, ctypes.byref(error)), \
            error.text, False
    table["carnet_sync_start.client.null"] = (sync_start_null_client, "CARNET_E_INVALID_ARGUMENT", "client")

    for interval in (0, 99, 86_400_001):
        def sync_start_interval(lib, store, interval=interval):
            status, error, handle = open_client(lib, store, service_url=b"https://127.0.0.1:9/fhir")
            err = carnet.Error()
            result = lib.carnet_sync_start(handle, interval, carnet.carnet_event_callback(), None, ctypes.byref(err))
            lib.carnet_client_close(handle)
            return result, err.text, False
        table[f"carnet_sync_start.interval_ms.{interval}"] = (sync_start_interval, "CARNET_E_INVALID_ARGUMENT",
                                                              "interval_ms")

    def sync_start_without_service(lib, store):
        status, error, handle = open_client(lib, store)
        err = carnet.Error()
        result = lib.carnet_sync_start(handle, 1000, carnet.carnet_event_callback(), None, ctypes.byref(err))
        lib.carnet_client_close(handle)
        return result, err.text, False
    table["carnet_sync_start.service_url.missing"] = (sync_start_without_service, "CARNET_E_INVALID_ARGUMENT",
                                                      "service_url")

    def close_and_free_null(lib, store):
        lib.carnet_client_close(None)
        lib.carnet_string_free(None)
        return C["CARNET_OK"], "", False
    table["carnet_client_close+carnet_string_free.null"] = (close_and_free_null, "CARNET_OK", "")

    # Functions on a client: (name, argument names, valid values)
    patient_json = json.dumps({"resourceType": "Patient", "name": [{"family": "X", "given": ["Y"]}],
                               "birthDate": "2000-01-01", "gender": "female",
                               "telecom": [{"system": "email", "value": "x@example.org"}]}).encode()
    immunization_json = json.dumps({"resourceType": "Immunization", "identifier": [{"value": "v1"}],
                                    "vaccineCode": {"coding": [{"system": "s", "code": "c"}]},
                                    "occurrenceDateTime": "2024-01-01"}).encode()
    client_functions = [
        ("carnet_link_get", ["patient_id", "out_carnet_id"], [b"p1", "OUT"]),
        ("carnet_link_set", ["patient_id", "carnet_id"], [b"p1", UUID]),
        ("carnet_link_remove", ["patient_id"], [b"p1"]),
        ("carnet_certificate_enroll", ["withdrawal_code", "out_json"], [b"ABCD-EFGH", "OUT"]),
        ("carnet_certificate_import_p12", ["path", "password", "out_json"], [b"/tmp/x.p12", b"pw", "OUT"]),
        ("carnet_certificate_info", ["out_json"], ["OUT"]),
        ("carnet_record_create", ["patient_id", "patient_json", "out_json"], [b"p1", patient_json, "OUT"]),
        ("carnet_share_code_lookup", ["share_code", "out_json"], [b"ABCD-EFGH-JKL", "OUT"]),
        ("carnet_record_claim", ["patient_id", "share_code", "candidate_id", "birth_date", "out_json"],
         [b"p1", b"ABCD-EFGH-JKL", b"c1", b"2000-01-01", "OUT"]),
        ("carnet_share_code_resend", ["patient_id"], [b"p1"]),
        ("carnet_vaccinations_list", ["patient_id", "out_json"], [b"p1", "OUT"]),
        ("carnet_vaccinations_accept", ["patient_id", "mapping_json"], [b"p1", b'{"ignored": ["x"]}']),
        ("carnet_vaccination_add", ["patient_id", "immunization_json", "out_json"], [b"p1", immunization_json, "OUT"]),
        ("carnet_vaccination_remove", ["patient_id", "host_vaccination_id"], [b"p1", b"v1"]),
        ("carnet_sync", ["patient_id", "out_json"], [b"p1", "OUT"]),
        ("carnet_outbox_status", ["patient_id", "out_json"], [b"p1", "OUT"]),
        ("carnet_recommendations_get", ["patient_id", "out_json"], [b"p1", "OUT"]),
        ("carnet_vaccines_search", ["query", "out_json"], [b"grippe", "OUT"]),
    ]
    # NULL is meaningful for these arguments (documented in carnet.h), so it is not abuse.
    null_allowed = {("carnet_sync", "patient_id"), ("carnet_outbox_status", "patient_id")}
    empty_allowed = {("carnet_certificate_import_p12", "password")}
    json_arguments = {"patient_json", "immunization_json", "mapping_json"}
    for function, names, valid in client_functions:
        def null_client(lib, store, function=function, valid=valid):
            error = carnet.Error()
            args = [ctypes.byref(ctypes.c_void_p()) if v == "OUT" else v for v in valid]
            return getattr(lib, function)(None, *args, ctypes.byref(error)), error.text, False
        table[f"{function}.client.null"] = (null_client, "CARNET_E_INVALID_ARGUMENT", "client")
        for index, name in enumerate(names):
            if valid[index] == "OUT":
                abuse = [("null", None)]
            elif name in json_arguments:
                abuse = STRING_ABUSE + [("malformed-json", b'{"a": '), ("duplicate-keys", b'{"a": 1, "a": 2}'),
                                        ("deep-json", b"[" * 10000 + b"]" * 10000),
                                        ("json-array", b"[1, 2]")]
            elif name == "patient_id":
                abuse = STRING_ABUSE + [("control-chars", b"p\x01\x02")]
            else:
                abuse = STRING_ABUSE
            for label, value in abuse:
                if (function, name) in null_allowed and label == "null":
                    continue
                if (function, name) in empty_allowed and label == "empty":
                    continue
                def run(lib, store, function=function, index=index, value=value, valid=valid):
                    status, error, handle = open_client(lib, store)
                    assert status == C["CARNET_OK"], error.text
                    args = [ctypes.byref(ctypes.c_void_p()) if v == "OUT" else v for v in valid]
                    args[index] = value
                    error = carnet.Error()
                    result = getattr(lib, function)(handle, *args, ctypes.byref(error))
                    lib.carnet_client_close(handle)
                    return result, error.text, False
                table[f"{function}.{name}.{label}"] = (run, "CARNET_E_INVALID_ARGUMENT", name)
    return table


def open_client_raw_store(lib, value):
    options = carnet.Options()
    lib.carnet_options_init(ctypes.byref(options), C["CARNET_OPTIONS_VERSION"])
    options.store_directory = value
    handle = carnet.ClientPtr()
    error = carnet.Error()
    status = lib.carnet_client_open(ctypes.byref(options), ctypes.byref(handle), ctypes.byref(error))
    return status, error, handle


if __name__ == "__main__":
    name = sys.argv[1]
    lib = carnet.load()
    with tempfile.TemporaryDirectory() as tmp:
        run, _, _ = cases()[name]
        status, message, handle_set = run(lib, os.path.join(tmp, "store"))
    print(json.dumps({"status": carnet.STATUS_NAMES.get(status, status), "message": message,
                      "handle_set": handle_set}))
