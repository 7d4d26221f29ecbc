#!/usr/bin/env python3
"""`make bindings-test`: each binding's walk program against one real carnet-sandbox.

Starts the sandbox (its own CA, mutual TLS), then for every walk given on the command line
(`NAME=COMMAND`, e.g. `pascal=build/bindings/carnet-walk-pascal` or
`dotnet=mono build/bindings/carnet-walk-dotnet.exe`): creates a professional with a fresh
withdrawal code, runs the program with its own store, and checks every line it prints
(bindings/README.md, "The walk"). The expected values come from the sandbox, the header and the
Python binding (the doctor's message for the same refused call), so a binding that mangles UTF-8,
drops a field or misreads a struct fails here. Exit status 1 when any walk fails.
"""
import ctypes
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path[:0] = [os.path.join(HERE, "python"), os.path.join(REPO, "Tests", "support")]
# The release library of this checkout unless told otherwise (the walks inherit it).
os.environ.setdefault("CARNET_LIB", os.path.join(REPO, "build", "lib", "libcarnet.so.1"))

import carnet  # noqa: E402 (this checkout's binding, the reference for the others)
from sandbox_process import Sandbox  # noqa: E402

FAMILY = "D'Arc \"la Pucelle\""
GIVEN = "Hélène"
SECRET = "secret-du-poste-de-travail"


def header_version():
    with open(os.path.join(REPO, "include", "carnet.h"), encoding="utf-8") as f:
        return re.search(r'#define CARNET_VERSION_STRING "([^"]+)"', f.read()).group(1)


def reference(tmp):
    """What every binding must print for the calls whose answer does not depend on the service."""
    with carnet.Client(None, os.path.join(tmp, "reference"), service_url="https://127.0.0.1:9/fhir") as client:
        try:
            client.record_create("p", {"resourceType": "Patient", "name": [{"family": FAMILY, "given": [GIVEN]}],
                                       "gender": "female",
                                       "telecom": [{"system": "email", "value": "helene.darc@example.org"}]})
            raise AssertionError("the reference refusal was accepted")
        except carnet.InvalidArgumentFailure as refused:
            invalid = f"invalid field={refused.field} status=CARNET_E_INVALID_ARGUMENT message={refused.message}"
        cis = client.vaccines_search("agrippal")["expansion"]["contains"][0]["code"]
    return invalid, cis


def expected_lines(version, invalid, cis, host_id, professional_name, layout):
    """(line pattern, what it proves), in order."""
    lines = [
        (re.escape(f"version {version}"), "the library's version string"),
        (re.escape(f"enroll common_name={professional_name} days_left=") + r"3[0-9][0-9]",
         "enrolled, the certificate JSON read (snake_case keys)"),
        (r"link_get not_found", "CARNET_E_NOT_FOUND raised as the binding's exception, its status readable"),
        (re.escape(invalid), "the refusal's field, status name and French message, byte for byte"),
        (re.escape(f"create family={FAMILY} given={GIVEN}"), "the patient's JSON escaped and its UTF-8 round trip"),
        (r"linked yes", "the created carnet is linked"),
        (re.escape(f"search cis={cis}"), "the vaccine search"),
        (r"add state=synced", "the vaccination reached the service"),
        (r"sync pushed=0 added=0 pending=0", "the sync report"),
        (re.escape(f"list entries=1 host_id={host_id}"), "the service holds it under the host's id"),
        (r"recommendations count=[1-9][0-9]*", "the recommendations"),
        (r"outbox pending=0", "the outbox is empty"),
        (r"background log=yes", "the log callback reached the binding; the background sync started and stopped"),
    ]
    if layout:
        lines.append((re.escape(f"layout error={ctypes.sizeof(carnet.Error)} options={ctypes.sizeof(carnet.Options)}"),
                      "the binding's structs have the C layout"))
    lines.append((r"done", "the walk ended"))
    return lines


def run_walk(name, command, sandbox, tmp, version, invalid, cis):
    professional = sandbox.create_professional(name=f"Dr Hélène {name.capitalize()}-Liaison")
    host_id = f"VAC-{name.upper()}-1"
    store = os.path.join(tmp, f"store-{name}")
    args = shlex.split(command) + [store, sandbox.base_url, sandbox.enrollment_url, sandbox.ca_cert,
                                   professional.email, SECRET, professional.withdrawal_code, host_id]
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8",
               LD_LIBRARY_PATH=os.pathsep.join(filter(None, [os.path.dirname(carnet.library_path()),
                                                              os.environ.get("LD_LIBRARY_PATH")])))
    started = time.monotonic()
    done = subprocess.run(args, capture_output=True, timeout=180, env=env)
    elapsed = time.monotonic() - started
    output = done.stdout.decode("utf-8", errors="replace").splitlines()
    problems = []
    if done.returncode != 0:
        problems.append(f"exit status {done.returncode}")
    expected = expected_lines(version, invalid, cis, host_id, professional.name, layout=name in ("pascal", "dotnet"))
    for index, (pattern, meaning) in enumerate(expected):
        line = output[index] if index < len(output) else "(missing)"
        if not re.fullmatch(pattern, line):
            problems.append(f"line {index + 1}: {meaning}: expected /{pattern}/, got {line!r}")
    if len(output) > len(expected):
        problems.append(f"unexpected lines: {output[len(expected):]}")
    return problems, elapsed, output, done.stderr.decode("utf-8", errors="replace")


def main(argv):
    walks = [arg.split("=", 1) for arg in argv[1:]]
    if not walks or any(len(w) != 2 for w in walks):
        print("usage: run_walks.py NAME=COMMAND ...", file=sys.stderr)
        return 2
    version = header_version()
    failed = []
    with tempfile.TemporaryDirectory(prefix="carnet-walks-") as tmp, \
            Sandbox(os.path.join(tmp, "sandbox")) as sandbox:
        invalid, cis = reference(tmp)
        for name, command in walks:
            problems, elapsed, output, stderr = run_walk(name, command, sandbox, tmp, version, invalid, cis)
            if problems:
                failed.append(name)
                print(f"walk {name}: FAILED ({elapsed:.1f} s)")
                for problem in problems:
                    print(f"  - {problem}")
                print("  output:\n    " + "\n    ".join(output))
                if stderr.strip():
                    print("  stderr:\n    " + "\n    ".join(stderr.strip().splitlines()[-20:]))
            else:
                print(f"walk {name}: ok, {len(output)} lines checked ({elapsed:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
