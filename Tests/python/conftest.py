import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import carnet  # noqa: E402


@pytest.fixture(scope="session")
def lib():
    path = carnet.library_path()
    assert os.path.exists(path), f"{path} missing: run `make` first"
    return carnet.load(path)


@pytest.fixture
def store(tmp_path):
    return str(tmp_path / "store")
