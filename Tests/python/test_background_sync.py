"""The background sync thread: it delivers what waited, reports changes made
elsewhere and failures (once), and stops promptly on stop and on close."""
import threading
import time

import carnet
from carnet import C
from conftest import open_client
from test_flows import AGRIPPAL_CIS, immunization, patient_document


class Events:
    def __init__(self):
        self.items = []
        self.lock = threading.Lock()
        self.threads = set()

    def __call__(self, kind, detail):
        with self.lock:
            self.items.append((kind, detail))
            self.threads.add(threading.get_ident())

    def wait_for(self, kind, timeout=20.0, predicate=lambda d: True):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for k, d in self.items:
                    if k == kind and predicate(d):
                        return d
            time.sleep(0.05)
        raise AssertionError(f"no event {kind} within {timeout}s; got {self.items}")

    def count(self, kind):
        with self.lock:
            return sum(1 for k, _ in self.items if k == kind)


def test_background_sync_delivers_what_waited_while_offline(lib, sandbox, enrolled, tmp_path):
    enrolled.record_create("p-bg", patient_document(email="bg@example.org"))
    enrolled.close()
    store = str(tmp_path / "store")
    with open_client(lib, sandbox, store, enrolled.professional, service_url="https://127.0.0.1:9/fhir") as offline:
        assert offline.vaccination_add("p-bg", immunization("v-bg"))[0] == C["CARNET_PENDING"]
    events = Events()
    with open_client(lib, sandbox, store, enrolled.professional) as online:
        online.sync_start(200, events)
        detail = events.wait_for(C["CARNET_EVENT_PUSHED"])
        assert detail["pushed"] == 1
        assert online.outbox_status()["pending"] == []
        assert len(online.vaccinations_list("p-bg")["entry"]) == 1
        assert threading.get_ident() not in events.threads, "events run on the library's thread"
        assert online.sync_stop() == C["CARNET_OK"]


def test_background_sync_reports_changes_made_elsewhere(lib, sandbox, enrolled):
    created = enrolled.record_create("p-bg2", patient_document(email="bg2@example.org"))
    events = Events()
    enrolled.sync_start(200, events)
    sandbox.add_vaccination(created["id"], cis=AGRIPPAL_CIS, date="2025-01-10")
    detail = events.wait_for(C["CARNET_EVENT_CHANGES"], predicate=lambda d: d["added"] >= 1)
    assert detail["removed"] == 0
    enrolled.sync_stop()
    report = enrolled.sync("p-bg2")
    assert len(report["added"]) == 1


def test_failures_are_reported_once_and_stop_is_prompt(lib, sandbox, enrolled, tmp_path):
    enrolled.close()
    events = Events()
    with open_client(lib, sandbox, str(tmp_path / "store"), enrolled.professional,
                     service_url="https://127.0.0.1:9/fhir") as offline:
        offline.link_set("p", "11111111-2222-3333-4444-555555555555")
        offline.sync_start(100, events)
        detail = events.wait_for(C["CARNET_EVENT_FAILURE"])
        assert detail["status"] == "CARNET_E_NETWORK" and "injoignable" in detail["message"]
        time.sleep(1.0)  # about ten more rounds, all failing the same way
        assert events.count(C["CARNET_EVENT_FAILURE"]) == 1
        offline.sync_stop()
        after = len(events.items)
        time.sleep(0.5)
        assert len(events.items) == after, "no event after stop"


def test_close_stops_a_running_background_sync(lib, sandbox, enrolled):
    enrolled.sync_start(100, Events())
    time.sleep(0.3)
    enrolled.close()  # must not hang nor crash


def test_a_callback_may_stop_the_sync_from_its_own_thread(lib, sandbox, enrolled, tmp_path):
    enrolled.close()
    stopped = threading.Event()
    with open_client(lib, sandbox, str(tmp_path / "store"), enrolled.professional,
                     service_url="https://127.0.0.1:9/fhir") as offline:
        def on_event(kind, detail):
            offline.sync_stop()  # from the background thread itself: must not deadlock
            stopped.set()

        offline.sync_start(100, on_event)
        assert stopped.wait(20)
        assert offline.sync_stop() == C["CARNET_OK"]
