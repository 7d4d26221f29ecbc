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


INVALID = "CARNET_E_INVALID_ARGUMENT"


def cases():
    """name -> (run, expected status, word the message must name, expected carnet_error.field).

    run(lib, store) -> (status, the carnet_error or a stand-in message, whether a handle was set).
    The expected field is None where the call takes no error struct."""
    table = {}

    for field in ("store_directory", "service_url", "enrollment_url", "account_email",
                  "ca_bundle_path", "crl_path", "pinned_public_key", "identity_secret", "time_zone"):
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
                return status, error, bool(handle)
            table[f"carnet_client_open.{field}.{label}"] = (run, INVALID, field, field)

    def bad_url(lib, store):
        status, error, handle = open_client(lib, store, service_url=b"http://cve.example.fr/fhir")
        return status, error, bool(handle)
    table["carnet_client_open.service_url.plain-http"] = (bad_url, INVALID, "service_url", "service_url")

    def bad_pin(lib, store):
        status, error, handle = open_client(lib, store, pinned_public_key=b"md5//abc")
        return status, error, bool(handle)
    table["carnet_client_open.pinned_public_key.wrong-form"] = (bad_pin, INVALID, "pinned_public_key",
                                                                "pinned_public_key")

    def huge_timeout(lib, store):
        status, error, handle = open_client(lib, store, request_timeout_ms=0xFFFFFFFF)
        return status, error, bool(handle)
    table["carnet_client_open.request_timeout_ms.huge"] = (huge_timeout, INVALID, "request_timeout_ms",
                                                            "request_timeout_ms")

    for field, value in (("locale", 7), ("locale", -1), ("log_level", 99)):
        def bad_enum(lib, store, field=field, value=value):
            status, error, handle = open_client(lib, store, **{field: value})
            return status, error, bool(handle)
        table[f"carnet_client_open.{field}.{value}"] = (bad_enum, INVALID, field, field)

    for version in (0, C["CARNET_OPTIONS_VERSION"] + 1, 0xFFFFFFFF):
        def bad_version(lib, store, version=version):
            status, error, handle = open_client(lib, store, version=version)
            return status, error, bool(handle)
        table[f"carnet_client_open.version.{version}"] = (bad_version, "CARNET_E_UNSUPPORTED_VERSION", str(version),
                                                            "version")

    def null_options(lib, store):
        handle = carnet.ClientPtr(0x1234)
        error = carnet.Error()
        status = lib.carnet_client_open(None, ctypes.byref(handle), ctypes.byref(error))
        return status, error, bool(handle)
    table["carnet_client_open.options.null"] = (null_options, INVALID, "options", "options")

    def null_out(lib, store):
        options = carnet.Options()
        lib.carnet_options_init(ctypes.byref(options), 1)
        options.store_directory = store.encode()
        error = carnet.Error()
        status = lib.carnet_client_open(ctypes.byref(options), None, ctypes.byref(error))
        return status, error, False
    table["carnet_client_open.out_client.null"] = (null_out, INVALID, "out_client", "out_client")

    def null_error(lib, store):
        options = carnet.Options()
        lib.carnet_options_init(ctypes.byref(options), 1)
        handle = carnet.ClientPtr()
        status = lib.carnet_client_open(ctypes.byref(options), ctypes.byref(handle), None)
        return status, "(no error struct) store_directory", bool(handle)
    table["carnet_client_open.error.null"] = (null_error, INVALID, "store_directory", None)

    def options_init_null(lib, store):
        return lib.carnet_options_init(None, 1), "options", False
    table["carnet_options_init.null"] = (options_init_null, INVALID, "", None)

    for version in (0, C["CARNET_OPTIONS_VERSION"] + 1, 0xFFFFFFFF):
        def options_init_version(lib, store, version=version):
            options = carnet.Options()
            return lib.carnet_options_init(ctypes.byref(options), version), "", False
        table[f"carnet_options_init.version.{version}"] = (options_init_version,
                                                                    "CARNET_E_UNSUPPORTED_VERSION", "", None)

    def error_init_null(lib, store):
        return lib.carnet_error_init(None, ctypes.sizeof(carnet.Error)), "", False
    table["carnet_error_init.null"] = (error_init_null, INVALID, "", None)

    for size in (0, 15, 65537, 0xFFFFFFFF):
        def error_init_size(lib, store, size=size):
            # A real struct behind the pointer: a refused size must write nothing into it.
            buffer = (ctypes.c_ubyte * 64)(*([0xA5] * 64))
            result = lib.carnet_error_init(buffer, size)
            if any(byte != 0xA5 for byte in buffer):
                return C["CARNET_E_INTERNAL"], "carnet_error_init wrote into a struct it refused", False
            return result, "", False
        table[f"carnet_error_init.struct_size.{size}"] = (error_init_size, INVALID, "", None)

    def cancel_null(lib, store):
        return lib.carnet_client_cancel(None), "", False
    table["carnet_client_cancel.null"] = (cancel_null, INVALID, "", None)

    def sync_stop_null(lib, store):
        return lib.carnet_sync_stop(None), "", False
    table["carnet_sync_stop.null"] = (sync_stop_null, INVALID, "", None)

    def sync_start_null_client(lib, store):
        error = carnet.Error()
        return lib.carnet_sync_start(None, 1000, carnet.carnet_event_callback(), None, ctypes.byref(error)), \
            error, False
    table["carnet_sync_start.client.null"] = (sync_start_null_client, INVALID, "client", "client")

    for interval in (0, 99, 86_400_001):
        def sync_start_interval(lib, store, interval=interval):
            status, error, handle = open_client(lib, store, service_url=b"https://127.0.0.1:9/fhir")
            err = carnet.Error()
            result = lib.carnet_sync_start(handle, interval, carnet.carnet_event_callback(), None, ctypes.byref(err))
            lib.carnet_client_close(handle)
            return result, err, False
        table[f"carnet_sync_start.interval_ms.{interval}"] = (sync_start_interval, INVALID,
                                                              "interval_ms", "interval_ms")

    def sync_start_without_service(lib, store):
        status, error, handle = open_client(lib, store)
        err = carnet.Error()
        result = lib.carnet_sync_start(handle, 1000, carnet.carnet_event_callback(), None, ctypes.byref(err))
        lib.carnet_client_close(handle)
        return result, err, False
    table["carnet_sync_start.service_url.missing"] = (sync_start_without_service, INVALID,
                                                      "service_url", "service_url")

    def close_and_free_null(lib, store):
        lib.carnet_client_close(None)
        lib.carnet_string_free(None)
        return C["CARNET_OK"], "", False
    table["carnet_client_close+carnet_string_free.null"] = (close_and_free_null, "CARNET_OK", "", None)

    # Functions on a client: (name, argument names, valid values)
    patient_json = json.dumps({"resourceType": "Patient", "name": [{"family": "X", "given": ["Y"]}],
                               "birthDate": "2000-01-01", "gender": "female",
                               "telecom": [{"system": "email", "value": "x@example.org"}]}).encode()
    immunization_json = json.dumps({"resourceType": "Immunization", "identifier": [{"value": "v1"}],
                                    "vaccineCode": {"coding": [{"system": "https://smt.esante.gouv.fr/terminologie-bdpm",
                                                                "code": "61921204"}]},
                                    "occurrenceDateTime": "2024-01-01"}).encode()
    client_functions = [
        ("carnet_link_get", ["patient_id", "out_carnet_id"], [b"p1", "OUT"]),
        ("carnet_link_set", ["patient_id", "carnet_id"], [b"p1", UUID]),
        ("carnet_link_remove", ["patient_id"], [b"p1"]),
        ("carnet_certificate_enroll", ["withdrawal_code", "out_json"], [b"ABCD-EFGH", "OUT"]),
        ("carnet_certificate_import_p12", ["path", "password", "out_json"], [b"/tmp/x.p12", b"pw", "OUT"]),
        ("carnet_certificate_info", ["out_json"], ["OUT"]),
        ("carnet_certificate_renew", ["out_json"], ["OUT"]),
        ("carnet_record_create", ["patient_id", "patient_json", "out_json"], [b"p1", patient_json, "OUT"]),
        ("carnet_share_code_lookup", ["share_code", "out_json"], [b"ABCD-EFGH-JKL", "OUT"]),
        ("carnet_record_claim", ["patient_id", "share_code", "candidate_id", "birth_date", "out_json"],
         [b"p1", b"ABCD-EFGH-JKL", b"c1", b"2000-01-01", "OUT"]),
        ("carnet_share_code_resend", ["patient_id"], [b"p1"]),
        ("carnet_vaccinations_list", ["patient_id", "out_json"], [b"p1", "OUT"]),
        ("carnet_vaccinations_accept", ["patient_id", "mapping_json"], [b"p1", b'{"ignored": ["x"]}']),
        ("carnet_vaccination_add", ["patient_id", "immunization_json", "out_json"], [b"p1", immunization_json, "OUT"]),
        ("carnet_vaccinations_add", ["patient_id", "immunizations_json", "out_json"],
         [b"p1", b"[" + immunization_json + b"]", "OUT"]),
        ("carnet_catalogue_info", ["out_json"], ["OUT"]),
        ("carnet_catalogue_import", ["directory", "out_json"], [b"/nonexistent/nuva", "OUT"]),
        ("carnet_vaccine_scan", ["scanned", "out_json"], [b"(01)03400930000000(10)X", "OUT"]),
        ("carnet_vaccination_update", ["patient_id", "immunization_json", "out_json"], [b"p1", immunization_json, "OUT"]),
        ("carnet_vaccination_remove", ["patient_id", "host_vaccination_id"], [b"p1", b"v1"]),
        ("carnet_sync", ["patient_id", "out_json"], [b"p1", "OUT"]),
        ("carnet_outbox_status", ["patient_id", "out_json"], [b"p1", "OUT"]),
        ("carnet_recommendations_get", ["patient_id", "out_json"], [b"p1", "OUT"]),
        ("carnet_recommendations_get_with_context", ["patient_id", "context_json", "out_json"],
         [b"p1", b'{"conditions": ["asplenia"]}', "OUT"]),
        ("carnet_vaccines_search", ["query", "out_json"], [b"grippe", "OUT"]),
        ("carnet_vaccination_dmp_note", ["patient_id", "host_vaccination_id", "host_context_json", "out_xml"],
         [b"p1", b"v1", b'{"document": {}}', "OUT"]),
    ]
    # NULL is meaningful for these arguments (documented in carnet.h), so it is not abuse.
    null_allowed = {("carnet_sync", "patient_id"), ("carnet_outbox_status", "patient_id"),
                    ("carnet_recommendations_get_with_context", "context_json")}
    empty_allowed = {("carnet_certificate_import_p12", "password")}
    json_arguments = {"patient_json", "immunization_json", "immunizations_json", "mapping_json", "host_context_json",
                      "context_json"}
    for function, names, valid in client_functions:
        def null_client(lib, store, function=function, valid=valid):
            error = carnet.Error()
            args = [ctypes.byref(ctypes.c_void_p()) if v == "OUT" else v for v in valid]
            return getattr(lib, function)(None, *args, ctypes.byref(error)), error, False
        table[f"{function}.client.null"] = (null_client, INVALID, "client", "client")
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
                    return result, error, False
                table[f"{function}.{name}.{label}"] = (run, INVALID, name, name)

    # Documents the host passes, each wrong in one element: the field names that
    # element (a FHIR path), so the host can put the cursor on it. Validation
    # happens before any network use, so no service is needed.
    patient = json.loads(patient_json)
    immunization = json.loads(immunization_json)
    document_cases = [
        ("carnet_record_create", "patient_json", patient, "name.family", lambda d: d["name"][0].pop("family")),
        ("carnet_record_create", "patient_json", patient, "name.given", lambda d: d["name"][0].pop("given")),
        ("carnet_record_create", "patient_json", patient, "birthDate", lambda d: d.pop("birthDate")),
        ("carnet_record_create", "patient_json", patient, "birthDate", lambda d: d.update(birthDate="2000-13-45")),
        ("carnet_record_create", "patient_json", patient, "gender", lambda d: d.update(gender="x")),
        ("carnet_record_create", "patient_json", patient, "telecom(email)", lambda d: d.pop("telecom")),
        ("carnet_record_create", "patient_json", patient, "patient_json", lambda d: d.update(resourceType="Bundle")),
        ("carnet_vaccination_add", "immunization_json", immunization, "identifier[0].value",
         lambda d: d.pop("identifier")),
        ("carnet_vaccination_add", "immunization_json", immunization, "vaccineCode.coding",
         lambda d: d.pop("vaccineCode")),
        ("carnet_vaccination_add", "immunization_json", immunization, "occurrenceDateTime",
         lambda d: d.pop("occurrenceDateTime")),
        ("carnet_vaccination_add", "immunization_json", immunization, "occurrenceDateTime",
         lambda d: d.update(occurrenceDateTime="hier")),
        ("carnet_vaccination_add", "immunization_json", immunization, "immunization_json",
         lambda d: d.update(resourceType="Patient")),
        ("carnet_vaccination_update", "immunization_json", immunization, "identifier[0].value",
         lambda d: d.pop("identifier")),
        ("carnet_vaccination_update", "immunization_json", immunization, "vaccineCode.coding",
         lambda d: d.pop("vaccineCode")),
    ]
    for index, (function, argument, valid, element, mutate) in enumerate(document_cases):
        document = json.loads(json.dumps(valid))
        mutate(document)
        encoded = json.dumps(document).encode()

        def run_document(lib, store, function=function, encoded=encoded):
            status, error, handle = open_client(lib, store)
            assert status == C["CARNET_OK"], error.text
            error = carnet.Error()
            result = getattr(lib, function)(handle, b"p1", encoded, ctypes.byref(ctypes.c_void_p()),
                                            ctypes.byref(error))
            lib.carnet_client_close(handle)
            return result, error, False
        table[f"{function}.{argument}.{element}.{index}"] = (run_document, INVALID, element, element)
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
        run = cases()[name][0]
        status, error, handle_set = run(lib, os.path.join(tmp, "store"))
    if isinstance(error, carnet.Error):
        message, field, error_status = error.text, error.field_name, carnet.STATUS_NAMES.get(error.status)
    else:
        message, field, error_status = error, None, None
    print(json.dumps({"status": carnet.STATUS_NAMES.get(status, status), "message": message, "field": field,
                      "error_status": error_status, "handle_set": handle_set}))
