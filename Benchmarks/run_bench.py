#!/usr/bin/env python3
"""Sync, link and footprint benchmarks of libcarnet (issue 6), each against a baseline measured in
the same run, on loopback against a real carnet-sandbox over mutual TLS. `make bench` runs them
(not CI). Results: a table on stdout and build/bench/<name>.json; docs/performance.md has the
figures and how to read them.

    run_bench.py push  [--count 10000]     libcarnet's sync pushing N pending adds vs raw libcurl
    run_bench.py sync  [--carnets 2000 --changed 20]   one changes feed vs per-carnet polling
    run_bench.py links [--count 100000 --lookups 100000]   carnet_link_get p50/p99
    run_bench.py open                     dlopen + carnet_client_open, RSS added, .so size
    run_bench.py record [--count 100]     100 adds one by one vs in one carnet_vaccinations_add (fsyncs)
    run_bench.py search [--runs 200]      carnet_vaccines_search p50/p99 vs a naive scan, first-use cost
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path[:0] = [os.path.join(REPO, "bindings", "python"), os.path.join(REPO, "Tests", "python"),
               os.path.join(REPO, "Tests", "support")]

import carnet  # noqa: E402
from fault_support import P12_PASSWORD, immunization, patient_document, professional_with_p12  # noqa: E402
from sandbox_process import Sandbox  # noqa: E402

BUILD = os.path.join(REPO, "build", "bench")
SECRET = "secret-de-l-hote-pour-la-cle"


def lib_path():
    return carnet.library_path()


def tool(name):
    path = os.path.join(BUILD, name)
    if not os.path.exists(path):
        sys.exit(f"{path} missing: run `make bench-tools`")
    return path


def run_json(args, **kw):
    """Runs a driver; returns its JSON line, with the child's CPU time (user + system) added."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(args, check=True, capture_output=True, text=True, **kw)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def process_cpu_seconds(pid):
    """User + system CPU seconds a running process has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def table(title, rows):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    print(f"\n{title}")
    for n, row in enumerate(rows):
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def save(name, result):
    os.makedirs(BUILD, exist_ok=True)
    with open(os.path.join(BUILD, name + ".json"), "w") as f:
        json.dump(result, f, indent=2)


def access_count(sb, professional_id):
    return sum(1 for e in sb.log_events()
               if e.get("msg", e.get("message", e.get("event"))) == "access" and e.get("professional") == professional_id)


def client(lib, sb, store, pro, **fields):
    options = dict(service_url=sb.base_url, enrollment_url=sb.enrollment_url, ca_bundle_path=sb.ca_cert,
                   identity_secret=SECRET, account_email=pro.professional.email,
                   account_password=pro.professional.password)
    options.update(fields)
    return carnet.Client(lib, store, **options)


class Keepalive:
    """One kept-alive mTLS connection to the sandbox, for preparing data quickly."""

    def __init__(self, sb, identity):
        self.sb = sb
        self.conn = http.client.HTTPSConnection("127.0.0.1", sb.fhir_port, context=sb.ssl_context(identity))

    def post(self, path, resource):
        self.conn.request("POST", "/fhir/" + path, body=json.dumps(resource).encode(),
                          headers={"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"})
        response = self.conn.getresponse()
        data = response.read()
        assert response.status in (200, 201), (response.status, data[:300])
        return json.loads(data)


# ------------------------------------------------------------------------------------ push

def record_offline(lib, sb, store, pro, count, prefix):
    """`count` adds recorded while the service is unreachable (durable, pending), 1000 per call."""
    with client(lib, sb, store, pro, service_url="https://127.0.0.1:9/fhir", connect_timeout_ms=1000) as off:
        for start in range(0, count, 1000):
            documents = [immunization(f"{prefix}-{i}") for i in range(start, min(count, start + 1000))]
            out = carnet.ctypes.c_void_p()
            error = carnet.Error()
            status = lib.carnet_vaccinations_add(off.handle, b"patient", json.dumps(documents).encode(),
                                                 carnet.ctypes.byref(out), carnet.ctypes.byref(error))
            carnet.take_string(lib, out)
            assert status == carnet.C["CARNET_PENDING"], (status, error.text)


def prepared_store(lib, sb, work, name):
    pro = professional_with_p12(sb, os.path.join(work, name + "-pro"))
    store = os.path.join(work, name)
    with client(lib, sb, store, pro) as c:
        c.certificate_import_p12(pro.p12, P12_PASSWORD)
        c.record_create("patient", patient_document())
    return pro, store


def pull_back(store, sb, cursor):
    """carnet_sync also pulls: the changes feed brings back the N creations (N/100 pages), and the
    session unlocks the key (PBKDF2). Their cost alone: the store's cursor rewound to before the
    last round, a sync with nothing to push. Returns (seconds, client CPU, sandbox CPU)."""
    db = sqlite3.connect(os.path.join(store, "carnet.sqlite"))
    with db:
        db.execute("UPDATE store_state SET value = ? WHERE key = 'changes_cursor'", (cursor,))
    db.close()
    served = process_cpu_seconds(sb.process.pid)
    pulled = run_json([tool("bench_host"), "sync", store, lib_path(), sb.base_url, sb.ca_cert, SECRET])
    return pulled["seconds"], pulled["cpu_seconds"], process_cpu_seconds(sb.process.pid) - served


def changes_cursor(store):
    db = sqlite3.connect(os.path.join(store, "carnet.sqlite"))
    row = db.execute("SELECT value FROM store_state WHERE key = 'changes_cursor'").fetchone()
    db.close()
    return row[0] if row else 0


def bench_push(args):
    """Rounds of: the baseline pushes N single requests; libcarnet's sync pushes its N pending
    adds to a service without batches (`serve --no-batch`: single requests), then to one with
    batches. The baseline and the single requests run against the same service process, one
    right after the other, in alternate order from round to round (each run's writes grow the
    service's database for the next one). Adjacent runs share the machine's load, so the headline
    is the median of per-round ratios. A warm-up first pushes a small backlog through each path,
    so that no round pays the services' first-use costs (the vaccine catalogue is loaded at the
    first vaccination a service checks, the statement cache is filled)."""
    lib = carnet.load(lib_path())
    work = tempfile.mkdtemp(prefix="carnet-bench-push-")
    with Sandbox(rate_limit=10_000_000, log_level="warning") as sb, \
            Sandbox(rate_limit=10_000_000, log_level="warning", extra_args=["--no-batch"]) as plain:
        batched_pro, batched_store = prepared_store(lib, sb, work, "batched")
        single_pro, single_store = prepared_store(lib, plain, work, "single")
        # The baseline's professional: another account, its own carnet, PEM files, on the
        # service the single requests go to (the two sandboxes are the same binary; the other
        # one only adds `batch`).
        _, identity = plain.professional_identity()
        carnet_id = Keepalive(plain, identity).post("Patient", patient_document())["id"]
        system = "urn:carnet:host-vaccination:" + uuid.uuid4().hex
        rounds = []
        cursors = {}
        n = args.count

        def baseline_run(count, tag):
            served = process_cpu_seconds(plain.process.pid)
            result = run_json([tool("baseline_http"), "push", plain.base_url, plain.ca_cert, identity.cert_path,
                               identity.key_path, carnet_id, str(count), system, tag])
            result["sandbox_cpu_seconds"] = process_cpu_seconds(plain.process.pid) - served
            assert result["ok"] == count, result
            return result

        def single_run():
            served = process_cpu_seconds(plain.process.pid)
            result = run_json([tool("bench_host"), "sync", single_store, lib_path(), plain.base_url,
                               plain.ca_cert, SECRET])
            result["sandbox_cpu_seconds"] = process_cpu_seconds(plain.process.pid) - served
            return result

        warm_up = 300
        record_offline(lib, sb, batched_store, batched_pro, warm_up, "warm")
        record_offline(lib, plain, single_store, single_pro, warm_up, "warm")
        baseline_run(warm_up, "warm")
        assert single_run()["pushed"] == warm_up
        assert run_json([tool("bench_host"), "sync", batched_store, lib_path(), sb.base_url, sb.ca_cert,
                         SECRET])["pushed"] == warm_up
        for r in range(args.rounds):
            record_offline(lib, sb, batched_store, batched_pro, n, f"bat-{r}")
            record_offline(lib, plain, single_store, single_pro, n, f"one-{r}")
            cursors = {"batched": changes_cursor(batched_store), "single": changes_cursor(single_store)}
            if r % 2 == 0:
                base = baseline_run(n, f"b{r}")
                single = single_run()
            else:
                single = single_run()
                base = baseline_run(n, f"b{r}")
            served = process_cpu_seconds(sb.process.pid)
            batched = run_json([tool("bench_host"), "sync", batched_store, lib_path(), sb.base_url, sb.ca_cert,
                                SECRET])
            batched["sandbox_cpu_seconds"] = process_cpu_seconds(sb.process.pid) - served
            assert batched["pushed"] == n and single["pushed"] == n, (batched, single)
            rounds.append(dict(baseline=base["seconds"], batched=batched["seconds"], single=single["seconds"],
                               baseline_cpu=base["cpu_seconds"], batched_cpu=batched["cpu_seconds"],
                               single_cpu=single["cpu_seconds"], batched_sandbox_cpu=batched["sandbox_cpu_seconds"],
                               single_sandbox_cpu=single["sandbox_cpu_seconds"],
                               baseline_sandbox_cpu=base["sandbox_cpu_seconds"]))
        # Each store's pull back of the last round and key unlock, subtracted from its own runs.
        pull, pull_cpu, pull_sandbox_cpu = pull_back(batched_store, sb, cursors["batched"])
        single_pull, single_pull_cpu, single_pull_sandbox_cpu = pull_back(single_store, plain, cursors["single"])
        for r in rounds:
            r["batched_push"] = max(r["batched"] - pull, 1e-6)
            r["single_push"] = max(r["single"] - single_pull, 1e-6)
            r["batched_cpu"] -= pull_cpu
            r["single_cpu"] -= single_pull_cpu
            r["batched_sandbox_cpu"] -= pull_sandbox_cpu
            r["single_sandbox_cpu"] -= single_pull_sandbox_cpu
            r["speedup_batched"] = r["baseline"] / r["batched_push"]
            r["ratio_single"] = r["single_push"] / r["baseline"]
        med = lambda k: statistics.median(r[k] for r in rounds)  # noqa: E731
        result = dict(count=n, rounds=rounds, pull_back_seconds=pull, pull_back_cpu_seconds=pull_cpu,
                      single_pull_back_seconds=single_pull, single_pull_back_cpu_seconds=single_pull_cpu,
                      speedup_batched_median=med("speedup_batched"), ratio_single_median=med("ratio_single"),
                      sandbox=sb.binary)
        table(f"push {n} adds over mutual TLS, keep-alive ({os.path.basename(os.path.dirname(sb.binary))} "
              f"carnet-sandbox; median of {args.rounds} rounds after a warm-up, the three runs adjacent in "
              "each, baseline and single requests in alternate order)", [
            ("", "seconds", "per item (ms)", "items/s", "rounds"),
            ("baseline: raw libcurl, one request per item", f"{med('baseline'):.2f}",
             f"{med('baseline') / n * 1e3:.3f}", f"{n / med('baseline'):.0f}", ""),
            ("libcarnet push, batches of 100 (sync minus the pull back)", f"{med('batched_push'):.2f}",
             f"{med('batched_push') / n * 1e3:.3f}", f"{n / med('batched_push'):.0f}", ""),
            ("libcarnet push, single requests (service without batch)", f"{med('single_push'):.2f}",
             f"{med('single_push') / n * 1e3:.3f}", f"{n / med('single_push'):.0f}", ""),
            ("batched speed-up over the baseline (target >= 10)", f"{med('speedup_batched'):.1f}x", "", "",
             " ".join(f"{r['speedup_batched']:.1f}" for r in rounds)),
            ("single requests / baseline (target <= 1.05)", f"{med('ratio_single'):.3f}", "", "",
             " ".join(f"{r['ratio_single']:.2f}" for r in rounds)),
            (f"the pull back of {n} creations + key unlock (subtracted), batched store", f"{pull:.2f}", "", "", ""),
            ("  the same, single-request store", f"{single_pull:.2f}", "", "", ""),
        ])
        table("client CPU per pushed item (user + system of the client process; the sandbox not included)", [
            ("", "CPU seconds", "per item (ms)"),
            ("baseline raw libcurl, one request per item", f"{med('baseline_cpu'):.2f}",
             f"{med('baseline_cpu') / n * 1e3:.3f}"),
            ("libcarnet, batches (minus the pull back and unlock)", f"{med('batched_cpu'):.2f}",
             f"{med('batched_cpu') / n * 1e3:.3f}"),
            ("libcarnet, single requests (minus the same)", f"{med('single_cpu'):.2f}",
             f"{med('single_cpu') / n * 1e3:.3f}"),
            ("  the pull back and unlock alone (batched store, single-request store)",
             f"{pull_cpu:.2f}, {single_pull_cpu:.2f}", ""),
        ])
        table("carnet-sandbox CPU per pushed item (user + system of the service process, same runs)", [
            ("", "CPU seconds", "per item (ms)"),
            ("baseline raw libcurl, one request per item", f"{med('baseline_sandbox_cpu'):.2f}",
             f"{med('baseline_sandbox_cpu') / n * 1e3:.3f}"),
            ("batches (minus the pull back)", f"{med('batched_sandbox_cpu'):.2f}",
             f"{med('batched_sandbox_cpu') / n * 1e3:.3f}"),
            ("single requests (minus the same)", f"{med('single_sandbox_cpu'):.2f}",
             f"{med('single_sandbox_cpu') / n * 1e3:.3f}"),
            ("  the pull back alone (batched, single)", f"{pull_sandbox_cpu:.2f}, {single_pull_sandbox_cpu:.2f}", ""),
        ])
        result["pull_back_sandbox_cpu_seconds"] = pull_sandbox_cpu
        save("push", result)
    shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------ record

def fsyncs(argv):
    """Runs argv under strace, counting fsync/fdatasync calls of every thread: (JSON line, count)."""
    trace = tempfile.mktemp(prefix="carnet-strace-")
    output = run_json(["strace", "-f", "-qq", "-c", "-e", "trace=fsync,fdatasync", "-o", trace] + argv)
    count = 0
    with open(trace) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[-1] in ("fsync", "fdatasync"):
                count += int(parts[3])
    os.unlink(trace)
    return output, count


def bench_record(args):
    work = tempfile.mkdtemp(prefix="carnet-bench-record-")
    rows = {}
    for mode in ("single", "many"):
        runs = []
        for i in range(args.runs):
            # Timed without strace (it slows every system call), counted with it, on fresh stores.
            timed = run_json([tool("bench_host"), "record", os.path.join(work, f"{mode}-t{i}"), lib_path(),
                              str(args.count), mode])
            counted = fsyncs([tool("bench_host"), "record", os.path.join(work, f"{mode}-c{i}"), lib_path(),
                              str(args.count), mode])[1]
            runs.append((timed, counted))
        # One item on a new store: the fsyncs of creating the store and linking the patient.
        base = fsyncs([tool("bench_host"), "record", os.path.join(work, f"{mode}-base"), lib_path(), "1", mode])[1]
        rows[mode] = dict(seconds=statistics.median(r[0]["seconds"] for r in runs),
                          fsyncs=statistics.median(r[1] for r in runs), open_and_one=base)
    table(f"recording {args.count} adds of one patient (offline, median of {args.runs} processes; fsyncs by strace)", [
        ("", "seconds", "per item (ms)", "fsync calls", "for 1 item"),
        ("one carnet_vaccination_add per item (baseline)", f"{rows['single']['seconds']:.3f}",
         f"{rows['single']['seconds'] / args.count * 1e3:.3f}", rows["single"]["fsyncs"],
         rows["single"]["open_and_one"]),
        ("one carnet_vaccinations_add", f"{rows['many']['seconds']:.3f}",
         f"{rows['many']['seconds'] / args.count * 1e3:.3f}", rows["many"]["fsyncs"], rows["many"]["open_and_one"]),
    ])
    save("record", dict(count=args.count, rows=rows))
    shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------ sync

def bench_sync(args):
    lib = carnet.load(lib_path())
    work = tempfile.mkdtemp(prefix="carnet-bench-sync-")
    with Sandbox(rate_limit=10_000_000) as sb:
        pro = professional_with_p12(sb, os.path.join(work, "pro"))
        maker = Keepalive(sb, pro.identity)
        carnet_ids = [maker.post("Patient", patient_document())["id"] for _ in range(args.carnets)]
        # Some history on every carnet, so polling has something to read.
        for cid in carnet_ids:
            resource = immunization(uuid.uuid4().hex, date="2020-01-01")
            resource["patient"] = {"reference": f"Patient/{cid}"}
            resource["identifier"][0]["system"] = "urn:other-ehr:vaccination"
            resource["status"] = "completed"
            maker.post("Immunization", resource)
        store = os.path.join(work, "store")
        with client(lib, sb, store, pro) as c:
            c.certificate_import_p12(pro.p12, P12_PASSWORD)
            for i, cid in enumerate(carnet_ids):
                c.link_set(f"patient-{i}", cid)
            first = c.sync()  # initial catch-up: every existing vaccination proposed once
            assert len(first["added"]) == args.carnets, len(first["added"])
            for a in first["added"]:
                c.vaccinations_accept(a["patient_id"], {"ignored": [a["immunization"]["id"]]})
        # 20 carnets change elsewhere (another workstation of the same professional).
        changed = random.Random(6).sample(carnet_ids, args.changed)
        for cid in changed:
            resource = immunization(uuid.uuid4().hex)
            resource["patient"] = {"reference": f"Patient/{cid}"}
            resource["identifier"][0]["system"] = "urn:other-ehr:vaccination"
            resource["status"] = "completed"
            maker.post("Immunization", resource)
        maker.conn.close()
        time.sleep(0.5)
        before = access_count(sb, pro.professional.id)
        ours = run_json([tool("bench_host"), "sync", store, lib_path(), sb.base_url, sb.ca_cert, SECRET])
        time.sleep(0.5)
        ours_requests = access_count(sb, pro.professional.id) - before
        assert ours["added"] == args.changed, ours
        ids_file = os.path.join(work, "carnets.txt")
        with open(ids_file, "w") as f:
            f.write("\n".join(carnet_ids) + "\n")
        before = access_count(sb, pro.professional.id)
        poll = run_json([tool("baseline_http"), "poll", sb.base_url, sb.ca_cert, pro.identity.cert_path,
                         pro.identity.key_path, ids_file])
        time.sleep(0.5)
        poll_requests = access_count(sb, pro.professional.id) - before
        result = dict(carnets=args.carnets, changed=args.changed, libcarnet_requests=ours_requests,
                      libcarnet_seconds=ours["seconds"], poll_requests=poll_requests, poll_seconds=poll["seconds"],
                      request_ratio=poll_requests / max(ours_requests, 1))
        table(f"sync {args.carnets} linked carnets, {args.changed} changed (requests from the sandbox's access log)", [
            ("", "requests", "seconds", "changes found"),
            ("libcarnet carnet_sync (changes feed)", ours_requests, f"{ours['seconds']:.3f}", ours["added"]),
            ("baseline: GET Immunization?patient= per carnet (C, libcurl)", poll_requests, f"{poll['seconds']:.3f}",
             "(host must diff)"),
            ("fewer requests (target >= 50x)", f"{poll_requests / max(ours_requests, 1):.0f}x",
             f"{poll['seconds'] / ours['seconds']:.0f}x faster", ""),
        ])
        save("sync", result)
    shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------ links

def bench_links(args):
    work = tempfile.mkdtemp(prefix="carnet-bench-links-")
    store = os.path.join(work, "store")
    run_json([tool("bench_host"), "open", store, lib_path()])  # creates the store and its schema
    db = sqlite3.connect(os.path.join(store, "carnet.sqlite"))
    with db:
        db.executemany("INSERT INTO link (patient_id, carnet_id, linked_at) VALUES (?, ?, ?)",
                       ((f"p{i}", str(uuid.UUID(int=random.getrandbits(128))), 0) for i in range(args.count)))
    db.close()
    result = run_json([tool("bench_host"), "links", store, lib_path(), str(args.count), str(args.lookups)])
    assert result["found"] == args.lookups, result
    rows = [("", "p50 (µs)", "p99 (µs)", "max (µs)")]
    for key, label in (("carnet_link_get", "carnet_link_get (target p99 < 50 µs)"),
                       ("raw_sqlite_prepared", "baseline: raw SQLite, prepared statement"),
                       ("call_and_clock", "baseline: an empty library call + clock")):
        r = result[key]
        rows.append((label, f"{r['p50_us']:.2f}", f"{r['p99_us']:.2f}", f"{r['max_us']:.1f}"))
    table(f"carnet_link_get, {args.count} links in the store, {args.lookups} random lookups (C driver)", rows)
    save("links", result)
    shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------ open, size

def bench_open(args):
    work = tempfile.mkdtemp(prefix="carnet-bench-open-")
    fresh, existing = [], []
    for i in range(args.runs):
        store = os.path.join(work, f"s{i}")
        fresh.append(run_json([tool("bench_host"), "open", store, lib_path()]))
        existing.append(run_json([tool("bench_host"), "open", store, lib_path()]))
    real = os.path.realpath(lib_path())
    stripped = os.path.getsize(real)
    unstripped_path = os.path.join(REPO, ".build", "release", "libcarnet.so")
    unstripped = os.path.getsize(unstripped_path) if os.path.exists(unstripped_path) else None
    med = lambda runs, k: statistics.median(r[k] for r in runs)  # noqa: E731
    result = dict(runs=args.runs, fresh_store=fresh, existing_store=existing, so_bytes_stripped=stripped,
                  so_bytes_unstripped=unstripped)
    table(f"dlopen + carnet_client_open, median of {args.runs} processes (C driver, /proc/self/statm)", [
        ("", "dlopen (ms)", "open (ms)", "total (ms)", "RSS added (MiB)"),
        ("existing store (every start but the first)", f"{med(existing, 'dlopen_ms'):.1f}",
         f"{med(existing, 'open_ms'):.1f}", f"{med(existing, 'total_ms'):.1f}",
         f"{med(existing, 'rss_added_kib') / 1024:.1f}"),
        ("new store (first start: schema created)", f"{med(fresh, 'dlopen_ms'):.1f}", f"{med(fresh, 'open_ms'):.1f}",
         f"{med(fresh, 'total_ms'):.1f}", f"{med(fresh, 'rss_added_kib') / 1024:.1f}"),
        ("targets", "", "", "< 50", "< 30"),
    ])
    table("libcarnet.so size", [("", "bytes", "MiB"),
                                ("stripped (build/lib, what ships)", stripped, f"{stripped / 2**20:.2f}"),
                                ("unstripped (.build/release)", unstripped or "-",
                                 f"{unstripped / 2**20:.2f}" if unstripped else "-")])
    save("open", result)
    shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------ search

SEARCH_QUERIES = [  # the classes of Benchmarks/CatalogueBench/main.swift, through the C ABI
    "AGRIPPAL", "Hexyon", "Bexsero", "Gardasil 9", "Prevenar 20", "Shingrix", "STAMARIL", "IXIARO",
    "agri", "prev", "vaxi", "infanr", "m-m-r", "boost", "pentax", "typhim",
    "AGRIPPAL SER 0,5ML", "PREVENAR 13 SUSP INJ SER", "VAXIGRIPTETRA SUSP INJ 0,5 ML", "ACT-HIB PDR",
    "gardasl", "pentaxin", "bostrix", "stamarill", "coqueluhe", "varicele",
    "grippe", "méningocoque B", "rougeole", "coqueluche", "hépatite b", "zona", "pneumocoque",
    "fièvre jaune", "typhoïde", "rage", "encéphalite à tiques", "encéphalite japonaise", "choléra", "dengue",
    "mpox", "ror", "dtcap", "hpv", "vrs", "hexavalent",
    "61921204", "3400934975448", "VAC0510", "J07BB02", "6192", "rix", "vax", "tetra", "zzzz", "xq",
]


def snapshot_terms():
    """One line per product of the embedded snapshot: its name, codes and diseases, lower case
    (what the naive baseline scans; accents kept, as a naive implementation would)."""
    path = os.path.join(REPO, "Sources", "CarnetCatalogue", "Snapshot", "NUVASnapshotData.swift")
    diseases, valences, lines = {}, {}, []
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    for row in rows:
        if row[0] == "D" and len(row) >= 3:
            diseases[row[1]] = row[2]
        elif row[0] == "V" and len(row) >= 4:
            valences[row[1]] = diseases.get(row[3], "")
    for row in rows:
        if row[0] == "P" and len(row) >= 6:
            names = " ".join(valences.get(v, "") for v in row[5].split())
            lines.append(" ".join([row[3], row[4], " ".join(row[6:]), names]).lower())
    return lines


def bench_search(args):
    work = tempfile.mkdtemp(prefix="carnet-bench-search-")
    queries, terms = os.path.join(work, "queries.txt"), os.path.join(work, "terms.txt")
    with open(queries, "w", encoding="utf-8") as f:
        f.write("\n".join(SEARCH_QUERIES) + "\n")
    with open(terms, "w", encoding="utf-8") as f:
        f.write("\n".join(snapshot_terms()) + "\n")
    runs = [run_json([tool("bench_host"), "search", os.path.join(work, f"s{i}"), lib_path(), queries, terms,
                      str(args.runs)]) for i in range(args.processes)]
    med = lambda k, sub=None: statistics.median(r[k][sub] if sub else r[k] for r in runs)  # noqa: E731
    table(f"carnet_vaccines_search through the C ABI, {len(SEARCH_QUERIES)} queries x {args.runs} runs, "
          f"{runs[0]['products']} products, median of {args.processes} processes", [
              ("", "p50 (us)", "p99 (us)", "max (us)"),
              ("carnet_vaccines_search", f"{med('carnet_vaccines_search', 'p50_us'):.1f}",
               f"{med('carnet_vaccines_search', 'p99_us'):.1f}", f"{med('carnet_vaccines_search', 'max_us'):.1f}"),
              ("baseline: naive scan (strstr on every product)", f"{med('naive_scan', 'p50_us'):.1f}",
               f"{med('naive_scan', 'p99_us'):.1f}", f"{med('naive_scan', 'max_us'):.1f}"),
              ("target", "", "< 200", ""),
          ])
    table("opening a client and its catalogue (same processes)", [
        ("", "ms / MiB"),
        ("dlopen + carnet_client_open (ms)", f"{med('open_ms'):.1f}"),
        ("first search: the catalogue parsed at first use (ms)", f"{med('first_search_ms'):.1f}"),
        ("RSS added by dlopen + open + first search (MiB)", f"{med('rss_added_kib') / 1024:.1f}"),
        ("targets", "open + first search < 20 ms; < 25 MiB"),
    ])
    save("search", dict(runs=runs))
    shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="bench", required=True)
    p = sub.add_parser("push")
    p.add_argument("--count", type=int, default=10_000)
    p.add_argument("--rounds", type=int, default=5, help="rounds of (baseline, libcarnet)")
    p = sub.add_parser("sync")
    p.add_argument("--carnets", type=int, default=2000)
    p.add_argument("--changed", type=int, default=20)
    p = sub.add_parser("links")
    p.add_argument("--count", type=int, default=100_000)
    p.add_argument("--lookups", type=int, default=100_000)
    p = sub.add_parser("open")
    p.add_argument("--runs", type=int, default=15)
    p = sub.add_parser("record")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--runs", type=int, default=5)
    p = sub.add_parser("search")
    p.add_argument("--runs", type=int, default=200, help="passes over the queries per process")
    p.add_argument("--processes", type=int, default=3)
    args = parser.parse_args()
    {"push": bench_push, "sync": bench_sync, "links": bench_links, "open": bench_open,
     "search": bench_search, "record": bench_record}[args.bench](args)


if __name__ == "__main__":
    main()
