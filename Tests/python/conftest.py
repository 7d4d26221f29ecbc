import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "support"))
# The release library of this checkout unless told otherwise (child processes inherit it).
os.environ.setdefault("CARNET_LIB", os.path.join(REPO, "build", "lib", "libcarnet.so.1"))

from installed_binding import stale_files  # noqa: E402

# The suites test the package as a host installs it (pip install ./bindings/python), never a
# stale copy: `make python-binding` reinstalls it.
if stale_files():
    raise pytest.UsageError(f"the installed carnet package differs from bindings/python ({', '.join(stale_files())}): "
                            f"run `make python-binding` ({sys.executable} -m pip install ./bindings/python)")

import carnet  # noqa: E402


@pytest.fixture(scope="session")
def lib():
    path = carnet.library_path()
    assert os.path.exists(path), f"{path} missing: run `make` first"
    return carnet.load(path)


@pytest.fixture
def store(tmp_path):
    return str(tmp_path / "store")


@pytest.fixture(scope="module")
def sandbox():
    """A real carnet-sandbox (mutual TLS, its own CA, SQLite, outbox) for a test module."""
    from sandbox_process import Sandbox
    with Sandbox() as running:
        yield running


IDENTITY_SECRET = "secret-de-l-hote-pour-la-cle"


def open_client(lib, sandbox, store, professional=None, **fields):
    """A library client configured for `sandbox` (and `professional`'s account)."""
    options = dict(service_url=sandbox.base_url, enrollment_url=sandbox.enrollment_url,
                   ca_bundle_path=sandbox.ca_cert, identity_secret=IDENTITY_SECRET)
    if professional is not None:
        options.update(account_email=professional.email, account_password=professional.password)
    options.update(fields)
    return carnet.Client(lib, store, **options)


@pytest.fixture
def enrolled(lib, sandbox, tmp_path):
    """A client whose professional is enrolled through the library (key made here)."""
    professional = sandbox.create_professional()
    client = open_client(lib, sandbox, str(tmp_path / "store"), professional)
    client.certificate_enroll(professional.withdrawal_code)
    client.professional = professional
    yield client
    client.close()
