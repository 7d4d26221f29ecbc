"""ctypes binding of include/carnet.h, for the tests (and as a model for a
Python host). It mirrors the header one to one: every function has its
argtypes and restype, every struct its exact layout.

The library is loaded from $CARNET_LIB (set by the Makefile to the release
build), so the tests exercise exactly what a host would ship.
"""
import ctypes
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
HEADER = os.path.join(REPO, "include", "carnet.h")


def library_path():
    return os.environ.get("CARNET_LIB") or os.path.join(REPO, "build", "lib", "libcarnet.so.1")


def _header_constants():
    """Enum constants and integer/string macros read from the header, so the
    binding cannot drift from it."""
    text = open(HEADER, encoding="utf-8").read()
    constants = {}
    for name, value in re.findall(r"\b(CARNET_[A-Z0-9_]+)\s*=\s*(\d+)", text):
        constants[name] = int(value)
    for name, value in re.findall(r"#define\s+(CARNET_[A-Z0-9_]+)\s+(\d+)\s*$", text, flags=re.M):
        constants[name] = int(value)
    for name, value in re.findall(r'#define\s+(CARNET_[A-Z0-9_]+)\s+"([^"]*)"', text):
        constants[name] = value
    return constants


C = _header_constants()
globals().update(C)

# Statuses by value, for readable assertion messages.
STATUS_NAMES = {v: k for k, v in C.items()
                if isinstance(v, int) and (k == "CARNET_OK" or k == "CARNET_PENDING" or k.startswith("CARNET_E_"))}

carnet_status = ctypes.c_int
carnet_log_callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p)
carnet_event_callback = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p)


class Error(ctypes.Structure):
    """carnet_error. Like CARNET_ERROR_INIT, a new instance declares its own
    size in struct_size; without it the library would write nothing."""
    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("status", ctypes.c_int),
        ("domain", ctypes.c_int),
        ("code", ctypes.c_int32),
        ("message", ctypes.c_char * C["CARNET_ERROR_MESSAGE_SIZE"]),
        ("field", ctypes.c_char * C["CARNET_ERROR_FIELD_SIZE"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.struct_size:
            self.struct_size = ctypes.sizeof(Error)

    @property
    def text(self):
        return self.message.decode("utf-8")

    @property
    def field_name(self):
        return self.field.decode("ascii")


class Options(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("service_url", ctypes.c_char_p),
        ("enrollment_url", ctypes.c_char_p),
        ("store_directory", ctypes.c_char_p),
        ("account_email", ctypes.c_char_p),
        ("account_password", ctypes.c_char_p),
        ("ca_bundle_path", ctypes.c_char_p),
        ("crl_path", ctypes.c_char_p),
        ("pinned_public_key", ctypes.c_char_p),
        ("identity_secret", ctypes.c_char_p),
        ("connect_timeout_ms", ctypes.c_uint32),
        ("request_timeout_ms", ctypes.c_uint32),
        ("locale", ctypes.c_int),
        ("log_callback", carnet_log_callback),
        ("log_payload", ctypes.c_void_p),
        ("log_level", ctypes.c_int),
        ("practice_id", ctypes.c_char_p),
    ]


ClientPtr = ctypes.c_void_p
ErrorPtr = ctypes.POINTER(Error)
OutString = ctypes.POINTER(ctypes.c_void_p)  # char ** whose result we free ourselves

# name: (restype, argtypes) — one entry per function of carnet.h.
SIGNATURES = {
    "carnet_version_string": (ctypes.c_char_p, []),
    "carnet_version_number": (ctypes.c_uint32, []),
    "carnet_status_string": (ctypes.c_char_p, [carnet_status]),
    "carnet_error_init": (carnet_status, [ctypes.c_void_p, ctypes.c_uint32]),
    "carnet_options_init": (carnet_status, [ctypes.POINTER(Options), ctypes.c_uint32]),
    "carnet_client_open": (carnet_status, [ctypes.POINTER(Options), ctypes.POINTER(ClientPtr), ErrorPtr]),
    "carnet_client_close": (None, [ClientPtr]),
    "carnet_client_cancel": (carnet_status, [ClientPtr]),
    "carnet_link_get": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_link_set": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, ErrorPtr]),
    "carnet_link_remove": (carnet_status, [ClientPtr, ctypes.c_char_p, ErrorPtr]),
    "carnet_certificate_enroll": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_certificate_import_p12": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, OutString,
                                                      ErrorPtr]),
    "carnet_certificate_info": (carnet_status, [ClientPtr, OutString, ErrorPtr]),
    "carnet_record_create": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_share_code_lookup": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_record_claim": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                            ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_share_code_resend": (carnet_status, [ClientPtr, ctypes.c_char_p, ErrorPtr]),
    "carnet_vaccinations_list": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccinations_accept": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, ErrorPtr]),
    "carnet_vaccination_add": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccination_update": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccination_remove": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, ErrorPtr]),
    "carnet_sync": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_outbox_status": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_recommendations_get": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_catalogue_info": (carnet_status, [ClientPtr, OutString, ErrorPtr]),
    "carnet_catalogue_import": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccine_scan": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccines_search": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_sync_start": (carnet_status, [ClientPtr, ctypes.c_uint32, carnet_event_callback, ctypes.c_void_p,
                                          ErrorPtr]),
    "carnet_sync_stop": (carnet_status, [ClientPtr]),
    "carnet_string_free": (None, [ctypes.c_void_p]),
}


def load(path=None):
    lib = ctypes.CDLL(path or library_path())
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def _b(value):
    return value.encode("utf-8") if isinstance(value, str) else value


class CarnetFailure(Exception):
    def __init__(self, status, error):
        self.status = status
        self.domain = error.domain
        self.code = error.code
        self.message = error.text
        self.field = error.field_name
        super().__init__(f"{STATUS_NAMES.get(status, status)}: {self.message}")


def take_string(lib, pointer):
    """Copies a library-owned char* and frees it with carnet_string_free."""
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.carnet_string_free(pointer)


class Client:
    """A thin, Pythonic wrapper used by the end-to-end tests."""

    def __init__(self, lib, store_directory, **fields):
        self.lib = lib
        self.options = Options()
        assert lib.carnet_options_init(ctypes.byref(self.options), C["CARNET_OPTIONS_VERSION"]) == C["CARNET_OK"]
        self._keep = []  # keeps encoded strings and callbacks alive
        self._set("store_directory", store_directory)
        for name, value in fields.items():
            self._set(name, value)
        self.handle = ClientPtr()
        error = Error()
        status = lib.carnet_client_open(ctypes.byref(self.options), ctypes.byref(self.handle), ctypes.byref(error))
        if status != C["CARNET_OK"]:
            raise CarnetFailure(status, error)

    def _set(self, name, value):
        if isinstance(value, str):
            value = value.encode("utf-8")
        if isinstance(value, (bytes, carnet_log_callback)):
            self._keep.append(value)
        setattr(self.options, name, value)

    def call(self, name, *args, allow_pending=False):
        error = Error()
        status = getattr(self.lib, name)(self.handle, *args, ctypes.byref(error))
        self.last_error = error
        if status != C["CARNET_OK"] and not (allow_pending and status == C["CARNET_PENDING"]):
            raise CarnetFailure(status, error)
        return status

    def call_out_string(self, name, *args):
        out = ctypes.c_void_p()
        self.call(name, *args, ctypes.byref(out))
        return take_string(self.lib, out)

    def call_out_json(self, name, *args, allow_pending=False):
        out = ctypes.c_void_p()
        status = self.call(name, *args, ctypes.byref(out), allow_pending=allow_pending)
        text = take_string(self.lib, out)
        return status, (json.loads(text) if text is not None else None)

    # --- the flows, one method per C function ---

    def certificate_enroll(self, withdrawal_code):
        return self.call_out_json("carnet_certificate_enroll", _b(withdrawal_code))[1]

    def certificate_import_p12(self, path, password):
        return self.call_out_json("carnet_certificate_import_p12", _b(path), _b(password))[1]

    def certificate_info(self):
        return self.call_out_json("carnet_certificate_info")[1]

    def record_create(self, patient_id, patient):
        return self.call_out_json("carnet_record_create", _b(patient_id), _b(json.dumps(patient)))[1]

    def share_code_lookup(self, code):
        return self.call_out_json("carnet_share_code_lookup", _b(code))[1]

    def record_claim(self, patient_id, code, candidate_id, birth_date):
        return self.call_out_json("carnet_record_claim", _b(patient_id), _b(code), _b(candidate_id),
                                  _b(birth_date))[1]

    def share_code_resend(self, patient_id):
        self.call("carnet_share_code_resend", _b(patient_id))

    def vaccinations_list(self, patient_id):
        return self.call_out_json("carnet_vaccinations_list", _b(patient_id))[1]

    def vaccinations_accept(self, patient_id, mapping):
        self.call("carnet_vaccinations_accept", _b(patient_id), _b(json.dumps(mapping)))

    def vaccination_add(self, patient_id, immunization):
        """Returns (status, state document); CARNET_PENDING is not an exception."""
        return self.call_out_json("carnet_vaccination_add", _b(patient_id), _b(json.dumps(immunization)),
                                  allow_pending=True)

    def vaccination_update(self, patient_id, immunization):
        """Returns (status, state document); CARNET_PENDING is not an exception."""
        return self.call_out_json("carnet_vaccination_update", _b(patient_id), _b(json.dumps(immunization)),
                                  allow_pending=True)

    def vaccination_remove(self, patient_id, host_id):
        return self.call("carnet_vaccination_remove", _b(patient_id), _b(host_id), allow_pending=True)

    def sync(self, patient_id=None):
        return self.call_out_json("carnet_sync", _b(patient_id) if patient_id is not None else None)[1]

    def outbox_status(self, patient_id=None):
        return self.call_out_json("carnet_outbox_status", _b(patient_id) if patient_id is not None else None)[1]

    def recommendations_get(self, patient_id):
        return self.call_out_json("carnet_recommendations_get", _b(patient_id))[1]

    def sync_start(self, interval_ms, on_event=None):
        """Starts the background sync; `on_event(kind, detail_dict)` runs on the library's thread."""
        if on_event is None:
            callback = carnet_event_callback()
        else:
            @carnet_event_callback
            def callback(payload, kind, detail):
                on_event(kind, json.loads(detail.decode("utf-8")))
        self._keep.append(callback)
        return self.call("carnet_sync_start", interval_ms, callback, None)

    def sync_stop(self):
        return self.lib.carnet_sync_stop(self.handle)

    def catalogue_info(self):
        return self.call_out_json("carnet_catalogue_info")[1]

    def catalogue_import(self, directory):
        return self.call_out_json("carnet_catalogue_import", _b(directory))[1]

    def vaccine_scan(self, scanned):
        return self.call_out_json("carnet_vaccine_scan", _b(scanned))[1]

    def vaccines_search(self, query):
        return self.call_out_json("carnet_vaccines_search", _b(query))[1]

    def link_get(self, patient_id):
        return self.call_out_string("carnet_link_get", patient_id.encode())

    def link_set(self, patient_id, carnet_id):
        self.call("carnet_link_set", patient_id.encode(), carnet_id.encode())

    def link_remove(self, patient_id):
        self.call("carnet_link_remove", patient_id.encode())

    def cancel(self):
        return self.lib.carnet_client_cancel(self.handle)

    def close(self):
        if self.handle:
            self.lib.carnet_client_close(self.handle)
            self.handle = ClientPtr()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
