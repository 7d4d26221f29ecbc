"""Typed exceptions: one class per failing carnet_status, all under CarnetFailure.

Catch the base class to show the doctor ``failure.message`` (French by default, never patient
data); catch a subclass to handle one case (``except carnet.NotFoundFailure: offer to create``).
``failure.field`` names the input at fault so the host can focus it.
"""
from __future__ import annotations

from typing import Dict, Optional, Type

from .constants import STATUS_NAMES, Domain, Status


class CarnetFailure(Exception):
    """A call of libcarnet failed.

    Attributes: ``status`` (:class:`Status`), ``domain`` (:class:`Domain`), ``code`` (the
    domain's number: SQLite result, CURLcode, HTTP status...), ``message`` (for the doctor) and
    ``field`` (the input at fault, or "").
    """

    #: The status this class stands for (None for the base class).
    status_of_class: Optional[Status] = None

    def __init__(self, status: int, error=None, *, domain: int = 0, code: int = 0, message: str = "",
                 field: str = ""):
        self.status = Status(status) if status in Status._value2member_map_ else status
        if error is not None:
            domain, code, message, field = error.domain, error.code, error.text, error.field_name
        self.domain = Domain(domain) if domain in Domain._value2member_map_ else domain
        self.code = code
        self.message = message
        self.field = field
        super().__init__(f"{STATUS_NAMES.get(int(status), status)}: {message}")


class InvalidArgumentFailure(CarnetFailure):
    """An argument is NULL, empty, not UTF-8, too large or malformed; ``field`` names it."""
    status_of_class = Status.E_INVALID_ARGUMENT


class NotFoundFailure(CarnetFailure):
    """The thing asked for does not exist (no linked carnet, unknown id)."""
    status_of_class = Status.E_NOT_FOUND


class StorageFailure(CarnetFailure):
    """The local store could not be read or written."""
    status_of_class = Status.E_STORAGE


class NetworkFailure(CarnetFailure):
    """The service could not be reached."""
    status_of_class = Status.E_NETWORK


class TLSFailure(CarnetFailure):
    """The secure connection was refused (certificate, host, protocol, pin)."""
    status_of_class = Status.E_TLS


class HTTPFailure(CarnetFailure):
    """The service answered with an HTTP error not covered by a more precise status."""
    status_of_class = Status.E_HTTP


class CredentialsFailure(CarnetFailure):
    """The professional's credentials are missing or refused."""
    status_of_class = Status.E_CREDENTIALS


class AccessDeniedFailure(CarnetFailure):
    """The service refused access to this carnet."""
    status_of_class = Status.E_ACCESS_DENIED


class LockedFailure(CarnetFailure):
    """Too many failed attempts: locked for a while."""
    status_of_class = Status.E_LOCKED


class ConflictFailure(CarnetFailure):
    """The record changed elsewhere in the meantime (or the host id is taken)."""
    status_of_class = Status.E_CONFLICT


class CancelledFailure(CarnetFailure):
    """Stopped by Client.cancel()."""
    status_of_class = Status.E_CANCELLED


class TimeoutFailure(CarnetFailure):
    """The service did not answer in time."""
    status_of_class = Status.E_TIMEOUT


class UnsupportedVersionFailure(CarnetFailure):
    """A versioned structure has a version this library does not know."""
    status_of_class = Status.E_UNSUPPORTED_VERSION


class OutOfMemoryFailure(CarnetFailure):
    """Memory could not be allocated."""
    status_of_class = Status.E_OUT_OF_MEMORY


class ProtocolFailure(CarnetFailure):
    """The service answered something not valid for the protocol."""
    status_of_class = Status.E_PROTOCOL


class CertificateExpiredFailure(CarnetFailure):
    """The professional's certificate has expired: it must be renewed."""
    status_of_class = Status.E_CERTIFICATE_EXPIRED


class InternalFailure(CarnetFailure):
    """A bug in Carnet: report it with the log."""
    status_of_class = Status.E_INTERNAL


class WithdrawalCodeFailure(CarnetFailure):
    """The withdrawal code ("code de retrait") was refused: wrong, used or expired."""
    status_of_class = Status.E_WITHDRAWAL_CODE


class PKCS12PasswordFailure(CarnetFailure):
    """The PKCS#12 file's password is wrong."""
    status_of_class = Status.E_PKCS12_PASSWORD


class PKCS12UnsupportedFailure(CarnetFailure):
    """The PKCS#12 file uses legacy encryption Carnet refuses."""
    status_of_class = Status.E_PKCS12_UNSUPPORTED


class IdentitySecretFailure(CarnetFailure):
    """The host's identity secret is missing or does not unlock the stored key."""
    status_of_class = Status.E_IDENTITY_SECRET


class NoCertificateFailure(CarnetFailure):
    """No professional certificate is installed yet: enroll or import one."""
    status_of_class = Status.E_NO_CERTIFICATE


class RejectedFailure(CarnetFailure):
    """The service refused the record itself (a business rule); the host must correct it."""
    status_of_class = Status.E_REJECTED


__all__ = ["CarnetFailure", "failure_for", "FAILURE_CLASSES"] + [
    cls.__name__ for cls in CarnetFailure.__subclasses__()]

FAILURE_CLASSES: Dict[int, Type[CarnetFailure]] = {
    int(cls.status_of_class): cls for cls in CarnetFailure.__subclasses__() if cls.status_of_class is not None
}


def failure_for(status: int, error=None) -> CarnetFailure:
    """The exception for `status` (its subclass; the base class for a status this binding does not know)."""
    return FAILURE_CLASSES.get(int(status), CarnetFailure)(status, error)
