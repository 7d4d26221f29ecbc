"""The two FHIR client libraries from PyPI the sandbox is tried with, set up for mutual TLS.

``fhirclient`` (SMART on FHIR) parses every answer with its strict R4 models: an element that is not
R4, a list where one value goes, a string where a boolean goes, all raise. ``fhirpy`` is a thin
client: it builds search URLs its own way (``family:exact``, ``birthdate=ge…``, ``_count=0`` with
``_totalMethod`` for ``count()``) and follows ``next`` links only under its own base URL.
"""

import random

from fhirclient import client as fhirclient_client
from fhirpy import SyncFHIRClient

INS_SYSTEM = "urn:oid:1.2.250.1.213.1.4.10"


def smart_client(sandbox, identity):
    """A ``fhirclient.client.FHIRClient`` whose requests session presents ``identity``."""
    smart = fhirclient_client.FHIRClient(settings={"app_id": "carnet-tests", "api_base": sandbox.base_url + "/"})
    session = smart.server.session
    session.trust_env = False   # else REQUESTS_CA_BUNDLE would replace the sandbox CA
    session.cert = (identity.cert_path, identity.key_path)
    session.verify = sandbox.ca_cert
    return smart


def fhirpy_client(sandbox, identity):
    """A ``fhirpy.SyncFHIRClient`` over mutual TLS."""
    return SyncFHIRClient(
        sandbox.base_url,
        requests_config={"cert": (identity.cert_path, identity.key_path), "verify": sandbox.ca_cert},
    )


def new_ins():
    """A 15-character INS of the test range (NIR + key), different each call."""
    return "2" + "".join(random.choice("0123456789") for _ in range(14))


def outcome_of(response):
    """(details code, expression) of the OperationOutcome in a requests response."""
    issue = response.json()["issue"][0]
    return issue["details"]["coding"][0]["code"], (issue.get("expression") or [None])[0]
