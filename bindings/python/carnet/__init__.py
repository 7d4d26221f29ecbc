"""Carnet for Python hosts: a ctypes binding of libcarnet (include/carnet.h).

It mirrors the header one to one (every function has its argtypes and restype, every struct
its exact layout) and adds a Pythonic layer: :class:`Client` owns the handle (a context
manager), strings are UTF-8 ``str`` in and out, JSON documents are ``dict``, and a failing
status raises the :class:`CarnetFailure` subclass of that status, carrying the French message
for the doctor and the ``field`` at fault::

    import carnet

    with carnet.Client(store_directory="/var/lib/ehr/carnet", service_url="https://cve.example.fr/fhir",
                       ca_bundle_path="ca.pem", identity_secret=secret) as client:
        try:
            carnet_id = client.link_get("P0001")
        except carnet.NotFoundFailure:
            client.record_create("P0001", patient_resource)

The library is ``$CARNET_LIB`` when set, else ``libcarnet.so.1`` (``carnet.dll`` on Windows,
``libcarnet.dylib`` on macOS) from the system's search path. Install: ``pip install
./bindings/python``. Tested against the real library and sandbox by the project's suites.
"""
from __future__ import annotations

import contextlib
import ctypes
import json
import os
import sys
from typing import Any, Callable, Iterator, Optional, Tuple

from .constants import (C, ERROR_FIELD_SIZE, ERROR_MESSAGE_SIZE, OPTIONS_VERSION, STATUS_NAMES, VERSION_NUMBER,
                        VERSION_STRING, Domain, EventKind, Locale, LogLevel, Status)
from .errors import *  # noqa: F401,F403 (the typed exceptions are part of the package's API)
from .errors import FAILURE_CLASSES, CarnetFailure, failure_for

__version__ = VERSION_STRING

# Every constant also under its C name at module level (carnet.CARNET_E_NETWORK), as in C.
globals().update(C)


def library_path() -> str:
    """Where the library is loaded from: ``$CARNET_LIB``, else the platform's name for it."""
    if os.environ.get("CARNET_LIB"):
        return os.environ["CARNET_LIB"]
    if sys.platform == "win32":
        return "carnet.dll"
    if sys.platform == "darwin":
        return "libcarnet.dylib"
    return "libcarnet.so.1"


carnet_status = ctypes.c_int
# CARNET_CALL is __cdecl on Windows too, so CFUNCTYPE (not WINFUNCTYPE) on every platform.
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
        ("message", ctypes.c_char * ERROR_MESSAGE_SIZE),
        ("field", ctypes.c_char * ERROR_FIELD_SIZE),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.struct_size:
            self.struct_size = ctypes.sizeof(Error)

    @property
    def text(self) -> str:
        """The message for the doctor (UTF-8, truncated on a character boundary by the library)."""
        return self.message.decode("utf-8")

    @property
    def field_name(self) -> str:
        """The input at fault ("birthDate", "patient_id"), or ""."""
        return self.field.decode("ascii")


class Options(ctypes.Structure):
    """carnet_options, version 3 (CARNET_OPTIONS_VERSION). Fill it with carnet_options_init()."""

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
        ("time_zone", ctypes.c_char_p),
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
    "carnet_certificate_renew": (carnet_status, [ClientPtr, OutString, ErrorPtr]),
    "carnet_record_create": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_share_code_lookup": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_record_claim": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                            ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_share_code_resend": (carnet_status, [ClientPtr, ctypes.c_char_p, ErrorPtr]),
    "carnet_vaccinations_list": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccinations_accept": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, ErrorPtr]),
    "carnet_vaccination_add": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccination_update": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccinations_add": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccination_remove": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, ErrorPtr]),
    "carnet_sync": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_outbox_status": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_recommendations_get": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_recommendations_get_with_context": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, OutString,
                                                                ErrorPtr]),
    "carnet_vaccination_dmp_note": (carnet_status, [ClientPtr, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                                    OutString, ErrorPtr]),
    "carnet_catalogue_info": (carnet_status, [ClientPtr, OutString, ErrorPtr]),
    "carnet_catalogue_import": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccine_scan": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_vaccines_search": (carnet_status, [ClientPtr, ctypes.c_char_p, OutString, ErrorPtr]),
    "carnet_sync_start": (carnet_status, [ClientPtr, ctypes.c_uint32, carnet_event_callback, ctypes.c_void_p,
                                          ErrorPtr]),
    "carnet_sync_stop": (carnet_status, [ClientPtr]),
    "carnet_string_free": (None, [ctypes.c_void_p]),
}


def load(path: Optional[str] = None) -> ctypes.CDLL:
    """Loads libcarnet (`path`, else :func:`library_path`) and declares every function's types."""
    lib = ctypes.CDLL(path or library_path())
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def _b(value):
    """UTF-8 bytes of a str (bytes and None pass through: the library refuses what is not UTF-8)."""
    return value.encode("utf-8") if isinstance(value, str) else value


def take_string(lib, pointer) -> Optional[str]:
    """Copies a library-owned char* and frees it with carnet_string_free."""
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.carnet_string_free(pointer)


#: A JSON document as Python values (dict, list, str, int, bool, None).
JSON = Any


class Client:
    """An open carnet_client: the local store and the service. Thread-safe, like the handle.

    ``Client(lib, store_directory, **options)``: `lib` is a loaded library (:func:`load`) or None
    to load the default one; `options` are :class:`Options` members by name (``service_url``,
    ``ca_bundle_path``, ``identity_secret``, ``locale``, ``log_callback``...), str values given
    as text. Raises the :class:`CarnetFailure` subclass of the status when the open fails.
    Use it as a context manager, or call :meth:`close`.

    Every method raises the failure's typed exception; the methods whose call may return
    ``CARNET_PENDING`` (recorded, sent later: not a failure) return ``(status, document)``.
    """

    def __init__(self, lib: Optional[ctypes.CDLL] = None, store_directory: Optional[str] = None, **fields):
        self.lib = lib if lib is not None else load()
        self.options = Options()
        status = self.lib.carnet_options_init(ctypes.byref(self.options), OPTIONS_VERSION)
        if status != Status.OK:
            raise failure_for(status)
        self._keep = []  # keeps encoded strings and callbacks alive as long as the handle
        self._set("store_directory", store_directory)
        for name, value in fields.items():
            self._set(name, value)
        self.handle = ClientPtr()
        self.last_error = Error()
        error = Error()
        status = self.lib.carnet_client_open(ctypes.byref(self.options), ctypes.byref(self.handle),
                                             ctypes.byref(error))
        if status != Status.OK:
            raise failure_for(status, error)

    def _set(self, name, value):
        if isinstance(value, str):
            value = value.encode("utf-8")
        if isinstance(value, (bytes, carnet_log_callback)):
            self._keep.append(value)
        setattr(self.options, name, value)

    # --- the C calls, checked ---

    def call(self, name: str, *args, allow_pending: bool = False) -> Status:
        """Calls carnet_<name>(handle, *args, &error); raises unless OK (or PENDING when allowed)."""
        error = Error()
        status = getattr(self.lib, name)(self.handle, *args, ctypes.byref(error))
        self.last_error = error
        if status != Status.OK and not (allow_pending and status == Status.PENDING):
            raise failure_for(status, error)
        return Status(status)

    def call_out_string(self, name: str, *args) -> Optional[str]:
        """A call whose last output is a string the library returns."""
        out = ctypes.c_void_p()
        self.call(name, *args, ctypes.byref(out))
        return take_string(self.lib, out)

    def call_out_json(self, name: str, *args, allow_pending: bool = False) -> Tuple[Status, JSON]:
        """A call whose last output is a JSON document: (status, parsed document or None)."""
        out = ctypes.c_void_p()
        status = self.call(name, *args, ctypes.byref(out), allow_pending=allow_pending)
        text = take_string(self.lib, out)
        return status, (json.loads(text) if text is not None else None)

    # --- the professional's certificate ---

    def certificate_enroll(self, withdrawal_code: str) -> JSON:
        """« Récupérer le certificat »: enrolls with the withdrawal code; the certificate document."""
        return self.call_out_json("carnet_certificate_enroll", _b(withdrawal_code))[1]

    def certificate_import_p12(self, path: str, password: str) -> JSON:
        """Imports a PKCS#12 file (modern encryption only); the certificate document."""
        return self.call_out_json("carnet_certificate_import_p12", _b(path), _b(password))[1]

    def certificate_info(self) -> JSON:
        """The installed certificate (subject, validity, days_left); NoCertificateFailure if none."""
        return self.call_out_json("carnet_certificate_info")[1]

    def certificate_renew(self) -> JSON:
        """« Renouveler le certificat »: a new key and certificate, no withdrawal code; its document."""
        return self.call_out_json("carnet_certificate_renew")[1]

    # --- records and share codes ---

    def record_create(self, patient_id: str, patient: JSON) -> JSON:
        """« Créer le carnet »: creates and links the patient's carnet; the service's Patient."""
        return self.call_out_json("carnet_record_create", _b(patient_id), _b(json.dumps(patient)))[1]

    def share_code_lookup(self, code: str) -> JSON:
        """The carnets a share code opens, by pseudonym (a FHIR Parameters)."""
        return self.call_out_json("carnet_share_code_lookup", _b(code))[1]

    def record_claim(self, patient_id: str, code: str, candidate_id: str, birth_date: str) -> JSON:
        """Claims one carnet of a share code with the holder's birth date; its Patient."""
        return self.call_out_json("carnet_record_claim", _b(patient_id), _b(code), _b(candidate_id),
                                  _b(birth_date))[1]

    def share_code_resend(self, patient_id: str) -> None:
        """« Renvoi du code de partage au patient »."""
        self.call("carnet_share_code_resend", _b(patient_id))

    # --- links ---

    def link_get(self, patient_id: str) -> str:
        """The carnet UUID linked to the patient; NotFoundFailure when none (local only)."""
        return self.call_out_string("carnet_link_get", _b(patient_id))

    def link_set(self, patient_id: str, carnet_id: str) -> None:
        """Records the patient's carnet UUID (a host that keeps links in its own database)."""
        self.call("carnet_link_set", _b(patient_id), _b(carnet_id))

    def link_remove(self, patient_id: str) -> None:
        """« Choisir un autre CVE »: forgets the link; the carnet itself is untouched."""
        self.call("carnet_link_remove", _b(patient_id))

    # --- vaccinations ---

    def vaccinations_list(self, patient_id: str) -> JSON:
        """The carnet's vaccinations, a FHIR searchset Bundle."""
        return self.call_out_json("carnet_vaccinations_list", _b(patient_id))[1]

    def vaccinations_accept(self, patient_id: str, mapping: JSON) -> None:
        """Records which vaccinations the host imported (and under which ids) or ignored."""
        self.call("carnet_vaccinations_accept", _b(patient_id), _b(json.dumps(mapping)))

    def vaccination_add(self, patient_id: str, immunization: JSON) -> Tuple[Status, JSON]:
        """Adds a vaccination: (OK or PENDING, its state document). PENDING is not an exception."""
        return self.call_out_json("carnet_vaccination_add", _b(patient_id), _b(json.dumps(immunization)),
                                  allow_pending=True)

    def vaccination_update(self, patient_id: str, immunization: JSON) -> Tuple[Status, JSON]:
        """Corrects a vaccination: (OK or PENDING, its state document)."""
        return self.call_out_json("carnet_vaccination_update", _b(patient_id), _b(json.dumps(immunization)),
                                  allow_pending=True)

    def vaccinations_add(self, patient_id: str, immunizations: JSON) -> Tuple[Status, JSON]:
        """Adds many vaccinations at once (a list, or a Bundle): (status, the per-item results document).
        Raises only when the whole call fails; a refused item is in the results (and the status)."""
        out = ctypes.c_void_p()
        error = Error()
        status = self.lib.carnet_vaccinations_add(self.handle, _b(patient_id), _b(json.dumps(immunizations)),
                                                  ctypes.byref(out), ctypes.byref(error))
        self.last_error = error
        text = take_string(self.lib, out)
        if text is None and status not in (Status.OK, Status.PENDING):
            raise failure_for(status, error)
        return Status(status) if status in Status._value2member_map_ else status, \
            (json.loads(text) if text is not None else None)

    def vaccination_remove(self, patient_id: str, host_id: str) -> Status:
        """Removes a vaccination: OK, or PENDING (recorded, sent later)."""
        return self.call("carnet_vaccination_remove", _b(patient_id), _b(host_id), allow_pending=True)

    # --- sync ---

    def sync(self, patient_id: Optional[str] = None) -> JSON:
        """« Synchroniser avec les vaccins partagés »: the sync report (pushed, added, removed...)."""
        return self.call_out_json("carnet_sync", _b(patient_id))[1]

    def outbox_status(self, patient_id: Optional[str] = None) -> JSON:
        """What waits in the outbox: {"pending": [...]} (local only)."""
        return self.call_out_json("carnet_outbox_status", _b(patient_id))[1]

    def sync_start(self, interval_ms: int, on_event: Optional[Callable[[int, JSON], None]] = None) -> Status:
        """Starts the background sync; `on_event(kind, detail_dict)` runs on the library's thread."""
        if on_event is None:
            callback = carnet_event_callback()
        else:
            @carnet_event_callback
            def callback(payload, kind, detail):
                on_event(kind, json.loads(detail.decode("utf-8")))
        self._keep.append(callback)
        return self.call("carnet_sync_start", interval_ms, callback, None)

    def sync_stop(self) -> int:
        """Stops the background sync and waits for its thread."""
        return self.lib.carnet_sync_stop(self.handle)

    @contextlib.contextmanager
    def background_sync(self, interval_ms: int,
                        on_event: Optional[Callable[[int, JSON], None]] = None) -> Iterator["Client"]:
        """``with client.background_sync(1000, on_event):`` runs the background sync for the block."""
        self.sync_start(interval_ms, on_event)
        try:
            yield self
        finally:
            self.sync_stop()

    # --- recommendations and the vaccine catalogue ---

    def recommendations_get(self, patient_id: str) -> JSON:
        """« Recommandation CVE »: a FHIR ImmunizationRecommendation (not medical advice)."""
        return self.call_out_json("carnet_recommendations_get", _b(patient_id))[1]

    def recommendations_get_with_context(self, patient_id: str, context: Optional[JSON] = None) -> JSON:
        """The recommendations told what the host knows (assessment_date, pregnancy, conditions...)."""
        document = None if context is None else json.dumps(context).encode("utf-8")
        return self.call_out_json("carnet_recommendations_get_with_context", _b(patient_id), document)[1]

    def vaccination_dmp_note(self, patient_id: str, host_vaccination_id: str, context) -> Optional[str]:
        """The VAC-NOTE CDA document (XML text); `context` is a dict (or already-encoded JSON text/bytes)."""
        text = context if isinstance(context, (str, bytes)) else json.dumps(context)
        return self.call_out_string("carnet_vaccination_dmp_note", _b(patient_id), _b(host_vaccination_id),
                                    _b(text))

    def vaccines_search(self, query: str) -> JSON:
        """Searches the catalogue by name, disease or code: a FHIR ValueSet expansion."""
        return self.call_out_json("carnet_vaccines_search", _b(query))[1]

    def catalogue_info(self) -> JSON:
        """The catalogue in use (version, release_date, product_count, attribution...)."""
        return self.call_out_json("carnet_catalogue_info")[1]

    def catalogue_import(self, directory: str) -> JSON:
        """Imports a NUVA release directory, all or nothing; the new catalogue's info."""
        return self.call_out_json("carnet_catalogue_import", _b(directory))[1]

    def vaccine_scan(self, scanned: str) -> JSON:
        """Reads a vaccine box's GS1 DataMatrix (gtin, lot, expiry, product, immunization)."""
        return self.call_out_json("carnet_vaccine_scan", _b(scanned))[1]

    # --- lifetime ---

    def cancel(self) -> int:
        """Makes the operations running now return CancelledFailure; never blocks."""
        return self.lib.carnet_client_cancel(self.handle)

    def close(self) -> None:
        """Closes the handle (stops the background sync first). Calling it twice is harmless."""
        if self.handle:
            self.lib.carnet_client_close(self.handle)
            self.handle = ClientPtr()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

