"""Every function of carnet.h given NULL, empty, non-UTF-8 and 10 MB
arguments (and bad enums and versions) returns an error status with a
message naming the argument, and never takes the host process down.

Each case runs in its own process: a crash shows as a dead process (its
signal is reported), never as a pytest crash.
"""
import json
import os
import subprocess
import sys

import pytest

import argument_cases

CASES = argument_cases.cases()
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "argument_cases.py")


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_argument_is_an_error_not_a_crash(name):
    _, expected_status, named, expected_field = CASES[name]
    result = subprocess.run([sys.executable, SCRIPT, name], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"process died (rc {result.returncode}): {result.stderr[-2000:]}"
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == expected_status, outcome
    assert not outcome["handle_set"], "a failed open must leave out_client NULL"
    if expected_status not in ("CARNET_OK",) and named:
        assert named in outcome["message"], outcome
        assert len(outcome["message"]) < 512
    if expected_field is not None:
        # The host focuses this input: the exact name, not a word somewhere in a sentence.
        assert outcome["error_status"] == expected_status, outcome
        assert outcome["field"] == expected_field, outcome


def test_the_table_covers_every_function_that_takes_arguments():
    import carnet
    covered = set()
    for name in CASES:
        covered.update(name.split(".")[0].split("+"))
    with_arguments = {name for name, (_, argtypes) in carnet.SIGNATURES.items()
                      if argtypes and name != "carnet_status_string"}  # status_string: test_lifecycle
    assert with_arguments <= covered, with_arguments - covered
