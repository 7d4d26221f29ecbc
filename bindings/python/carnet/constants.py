"""The constants of include/carnet.h, as Python enumerations.

The values are the header's (explicit, append-only); `Tests/python/test_bindings.py`
checks every enum constant and macro of the header against this module, so the
binding cannot drift from the contract.
"""
from __future__ import annotations

import enum

VERSION_MAJOR = 0
VERSION_MINOR = 2
VERSION_PATCH = 0
VERSION_NUMBER = VERSION_MAJOR * 10000 + VERSION_MINOR * 100 + VERSION_PATCH
VERSION_STRING = "0.2.0"

ERROR_MESSAGE_SIZE = 512
ERROR_FIELD_SIZE = 64
OPTIONS_VERSION = 3


class Status(enum.IntEnum):
    """carnet_status: what a call returned. OK and PENDING are not failures."""

    OK = 0
    PENDING = 1
    E_INVALID_ARGUMENT = 2
    E_NOT_FOUND = 3
    E_STORAGE = 4
    E_NETWORK = 5
    E_TLS = 6
    E_HTTP = 7
    E_CREDENTIALS = 8
    E_ACCESS_DENIED = 9
    E_LOCKED = 10
    E_CONFLICT = 11
    E_CANCELLED = 12
    E_TIMEOUT = 13
    E_UNSUPPORTED_VERSION = 14
    E_OUT_OF_MEMORY = 15
    E_PROTOCOL = 16
    E_CERTIFICATE_EXPIRED = 17
    E_INTERNAL = 18
    E_WITHDRAWAL_CODE = 19
    E_PKCS12_PASSWORD = 20
    E_PKCS12_UNSUPPORTED = 21
    E_IDENTITY_SECRET = 22
    E_NO_CERTIFICATE = 23
    E_REJECTED = 24

    @property
    def c_name(self) -> str:
        """The header's name, as carnet_status_string() gives it ("CARNET_E_NETWORK")."""
        return "CARNET_" + self.name


class Domain(enum.IntEnum):
    """carnet_error_domain: where a failure comes from, to read its code."""

    NONE = 0
    VALIDATION = 1
    STORAGE = 2
    NETWORK = 3
    TLS = 4
    HTTP = 5
    CREDENTIALS = 6
    INTERNAL = 7


class Locale(enum.IntEnum):
    """carnet_locale: the language of the messages for the doctor."""

    FR = 0
    EN = 1


class LogLevel(enum.IntEnum):
    """carnet_log_level, from quietest to most verbose."""

    OFF = 0
    ERROR = 1
    WARNING = 2
    INFO = 3
    DEBUG = 4


class EventKind(enum.IntEnum):
    """carnet_event_kind: what the background sync tells the host."""

    PUSHED = 1
    CHANGES = 2
    FAILURE = 3
    ACCESS_REVOKED = 4
    CERTIFICATE_EXPIRING = 5


def _flat_names() -> dict:
    """Every constant under its C name ("CARNET_E_NETWORK": 5), as the header spells it."""
    names: dict = {}
    prefixes = {Status: "CARNET_", Domain: "CARNET_DOMAIN_", Locale: "CARNET_LOCALE_", LogLevel: "CARNET_LOG_",
                EventKind: "CARNET_EVENT_"}
    for enumeration, prefix in prefixes.items():
        for member in enumeration:
            names[prefix + member.name] = int(member)
    names.update(CARNET_VERSION_MAJOR=VERSION_MAJOR, CARNET_VERSION_MINOR=VERSION_MINOR,
                 CARNET_VERSION_PATCH=VERSION_PATCH, CARNET_VERSION_STRING=VERSION_STRING,
                 CARNET_ERROR_MESSAGE_SIZE=ERROR_MESSAGE_SIZE, CARNET_ERROR_FIELD_SIZE=ERROR_FIELD_SIZE,
                 CARNET_OPTIONS_VERSION=OPTIONS_VERSION)
    return names


#: Every constant of the header by its C name, e.g. ``C["CARNET_E_NETWORK"] == 5``.
C = _flat_names()

#: Status names by value ("CARNET_E_TLS"), for logs and readable assertion messages.
STATUS_NAMES = {int(s): s.c_name for s in Status}
