#!/usr/bin/env python3
"""A host process for the crash rounds (test_faults_crash.py, make faults-slow): opens the
library on a store, then adds (and now and then removes) vaccinations in a loop until it is
killed. It keeps a journal, one line per step (a SIGKILL may cut the last line; the reader
ignores a line without its newline):

    add? <id>            about to call carnet_vaccination_add
    add! <id> <status>   the call returned (0 OK, 1 PENDING, other: a failure status)
    rm? <id> / rm! <id> <status>

Usage: kill_worker.py '<json config>' (lib, store, patient, prefix, journal, and the
carnet_options fields service_url, ca_bundle_path, identity_secret, request_timeout_ms...).
Prints "ready" on stdout once the client is open and the identity unlocked (a first sync), so
the parent's kill lands in the add/push loop.

With "updates": true, every third vaccination acknowledged is then corrected (a new lot):

    up? <id> <lot>       about to call carnet_vaccination_update
    up! <id> <status>

With "backlog": N in the config, the worker first records N adds with the service unreachable
(journaled like the others), prints "ready", then runs carnet_sync to push the backlog: the
parent's kill lands in the middle of that sync.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import carnet  # noqa: E402
from carnet import C  # noqa: E402

CIS_SYSTEM = "https://smt.esante.gouv.fr/terminologie-bdpm"


def main():
    config = json.loads(sys.argv[1])
    lib = carnet.load(config["lib"])
    options = {k: v for k, v in config["options"].items() if v is not None}
    journal = os.open(config["journal"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def note(line):
        data = (line + "\n").encode()
        for _ in range(10_000):  # under fault injection a write may fail or be short: finish it
            try:
                data = data[os.write(journal, data):]
            except OSError:
                continue
            if not data:
                return
        os._exit(3)

    if config.get("backlog"):
        offline = dict(options, service_url="https://127.0.0.1:9/fhir", connect_timeout_ms=500)
        with carnet.Client(lib, config["store"], **offline) as off:
            for i in range(config["backlog"]):
                host_id = f"{config['prefix']}-{i}"
                note(f"add? {host_id}")
                status, _ = off.vaccination_add(config["patient"], {
                    "resourceType": "Immunization", "identifier": [{"value": host_id}],
                    "vaccineCode": {"coding": [{"system": CIS_SYSTEM, "code": "61921204"}]},
                    "occurrenceDateTime": "2025-10-15"})
                note(f"add! {host_id} {status}")
        client = carnet.Client(lib, config["store"], **options)
        client.certificate_info()
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        while True:
            client.sync()
    client = carnet.Client(lib, config["store"], **options)
    try:
        client.sync()
    except carnet.CarnetFailure:
        pass
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    acked = []
    i = 0
    limit = config.get("limit", 1_000_000)
    while i < limit:
        host_id = f"{config['prefix']}-{i}"
        document = {"resourceType": "Immunization", "identifier": [{"value": host_id}],
                    "vaccineCode": {"coding": [{"system": CIS_SYSTEM, "code": "61921204"}]},
                    "occurrenceDateTime": "2025-10-15"}
        note(f"add? {host_id}")
        error = carnet.Error()
        out = carnet.ctypes.c_void_p()
        status = lib.carnet_vaccination_add(client.handle, config["patient"].encode(), json.dumps(document).encode(),
                                            carnet.ctypes.byref(out), carnet.ctypes.byref(error))
        carnet.take_string(lib, out)
        note(f"add! {host_id} {status} {error.text!r}" if status not in (C["CARNET_OK"], C["CARNET_PENDING"])
             else f"add! {host_id} {status}")
        if status in (C["CARNET_OK"], C["CARNET_PENDING"]):
            acked.append(host_id)
            if config.get("updates") and i % 3 == 1:
                lot = f"L{i}"
                note(f"up? {host_id} {lot}")
                status = lib.carnet_vaccination_update(
                    client.handle, config["patient"].encode(), json.dumps(dict(document, lotNumber=lot)).encode(),
                    carnet.ctypes.byref(out), carnet.ctypes.byref(error))
                carnet.take_string(lib, out)
                note(f"up! {host_id} {status}")
        if i % 4 == 3 and acked:
            victim = acked.pop(0)
            note(f"rm? {victim}")
            status = lib.carnet_vaccination_remove(client.handle, config["patient"].encode(), victim.encode(),
                                                   carnet.ctypes.byref(error))
            note(f"rm! {victim} {status} {error.text!r}" if status not in (C["CARNET_OK"], C["CARNET_PENDING"])
                 else f"rm! {victim} {status}")
        i += 1
    client.close()


if __name__ == "__main__":
    main()
