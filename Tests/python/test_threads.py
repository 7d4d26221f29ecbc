"""Concurrency: clients opened, used and closed from 8 threads at once, one
client shared by 8 threads, and cancel called from another thread while the
client is busy. ctypes releases the GIL during each call, so the library's
code really runs in parallel."""
import os
import sqlite3
import threading

import carnet
from carnet import C

THREADS = 8
ROUNDS = 60


def run_threads(target):
    errors = []
    barrier = threading.Barrier(THREADS)

    def wrapper(index):
        try:
            barrier.wait(timeout=30)
            target(index)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(f"thread {index}: {exc!r}")

    threads = [threading.Thread(target=wrapper, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"
    assert not errors, errors


def uuid_for(i, j):
    return f"{i:08x}-0000-4000-8000-{j:012x}"


def test_eight_threads_open_use_and_close_their_own_clients(lib, tmp_path):
    shared_store = str(tmp_path / "shared")

    def work(index):
        # Half the threads share one store directory (two EHR windows on one
        # workstation), the others have their own.
        store = shared_store if index % 2 else str(tmp_path / f"own-{index}")
        for round_ in range(6):
            with carnet.Client(lib, store) as client:
                for j in range(10):
                    patient = f"t{index}-r{round_}-p{j}"
                    client.link_set(patient, uuid_for(index, j))
                    assert client.link_get(patient) == uuid_for(index, j)

    run_threads(work)
    db = sqlite3.connect(os.path.join(shared_store, "carnet.sqlite"))
    try:
        assert db.execute("SELECT COUNT(*) FROM link").fetchone()[0] == (THREADS // 2) * 6 * 10
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()


def test_eight_clients_opening_one_new_store_at_once(lib, tmp_path):
    """The first open of a store switches the new file to WAL; when several clients open it at
    the same instant, SQLite answers SQLITE_BUSY at once (no busy wait) to all but one of them.
    The library waits for the first instead of failing the open (CI caught it: one open in ~10
    failed with CARNET_E_STORAGE). Many fresh stores, to meet the race more than once."""
    for trial in range(60):
        store = str(tmp_path / f"new-{trial}")

        def work(index):
            with carnet.Client(lib, store) as client:
                client.link_set(f"t{index}", uuid_for(index, trial))

        run_threads(work)
        db = sqlite3.connect(os.path.join(store, "carnet.sqlite"))
        try:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("SELECT COUNT(*) FROM link").fetchone()[0] == THREADS
        finally:
            db.close()


def test_one_client_shared_by_eight_threads(lib, tmp_path):
    with carnet.Client(lib, str(tmp_path / "s")) as client:
        def work(index):
            for j in range(ROUNDS):
                patient = f"t{index}-p{j}"
                client.link_set(patient, uuid_for(index, j))
                assert client.link_get(patient) == uuid_for(index, j)
                if j % 3 == 0:
                    client.link_remove(patient)

        run_threads(work)
        remaining = sum(1 for i in range(THREADS) for j in range(ROUNDS) if j % 3)
        db = sqlite3.connect(os.path.join(str(tmp_path / "s"), "carnet.sqlite"))
        try:
            assert db.execute("SELECT COUNT(*) FROM link").fetchone()[0] == remaining
        finally:
            db.close()


def test_cancel_from_another_thread_while_the_client_is_busy(lib, tmp_path):
    with carnet.Client(lib, str(tmp_path / "c")) as client:
        stop = threading.Event()
        cancels = []

        def canceller():
            while not stop.is_set():
                cancels.append(lib.carnet_client_cancel(client.handle))

        thread = threading.Thread(target=canceller)
        thread.start()
        try:
            for j in range(300):
                client.link_set(f"p{j}", uuid_for(1, j))
                assert client.link_get(f"p{j}") == uuid_for(1, j)
        finally:
            stop.set()
            thread.join(timeout=30)
        assert cancels and all(status == C["CARNET_OK"] for status in cancels)
        # Operations started after a cancel run normally.
        client.link_set("after", uuid_for(2, 2))
        assert client.link_get("after") == uuid_for(2, 2)


def test_cancel_interrupts_a_request_in_flight(lib, tmp_path):
    """A service that accepts the connection and then says nothing: the call
    would wait for its 60 s timeout; cancel from another thread ends it now."""
    import socket
    import time

    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    accepted = []
    stop = threading.Event()

    def accept_and_hold():
        silent.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = silent.accept()
                accepted.append(conn)
            except OSError:
                pass

    holder = threading.Thread(target=accept_and_hold)
    holder.start()
    try:
        with carnet.Client(lib, str(tmp_path / "s"), enrollment_url=f"https://127.0.0.1:{port}",
                           identity_secret="s", request_timeout_ms=60000) as client:
            outcome = {}

            def enroll():
                started = time.monotonic()
                try:
                    client.certificate_enroll("CODE-CODE")
                    outcome["status"] = "CARNET_OK"
                except carnet.CarnetFailure as failure:
                    outcome["status"] = carnet.STATUS_NAMES.get(failure.status)
                    outcome["message"] = failure.message
                outcome["seconds"] = time.monotonic() - started

            worker = threading.Thread(target=enroll)
            worker.start()
            deadline = time.monotonic() + 10
            while not accepted and time.monotonic() < deadline:
                time.sleep(0.05)
            assert accepted, "the library never connected"
            assert client.cancel() == C["CARNET_OK"]
            worker.join(timeout=30)
            assert not worker.is_alive(), "cancel did not interrupt the request"
            assert outcome["status"] == "CARNET_E_CANCELLED", outcome
            assert outcome["seconds"] < 30, outcome
            assert "annulée" in outcome["message"]
    finally:
        stop.set()
        holder.join()
        for conn in accepted:
            conn.close()
        silent.close()
