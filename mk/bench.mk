# Sync and footprint benchmarks of libcarnet (issue 6; docs/performance.md). Not run in CI.
# Each prints a table with its baseline measured in the same run, and writes build/bench/<name>.json.
.PHONY: bench-tools bench-push bench-sync bench-links bench-open bench-search

BENCH_DIR := $(BUILD)/bench

bench-tools: lib
	mkdir -p $(BENCH_DIR)
	cc -std=c99 $(CFLAGS_STRICT) -O2 Benchmarks/baseline_http.c $$(pkg-config --cflags --libs libcurl) -o $(BENCH_DIR)/baseline_http
	cc -std=c99 $(CFLAGS_STRICT) -O2 -Iinclude Benchmarks/bench_host.c -ldl $$(pkg-config --cflags --libs sqlite3) -o $(BENCH_DIR)/bench_host

bench-push: bench-tools sandbox
	$(PYTHON) Benchmarks/run_bench.py push --count $${BENCH_PUSH_COUNT:-10000}

bench-sync: bench-tools sandbox
	$(PYTHON) Benchmarks/run_bench.py sync --carnets 2000 --changed 20

bench-links: bench-tools
	$(PYTHON) Benchmarks/run_bench.py links --count 100000 --lookups 100000

bench-open: bench-tools
	$(PYTHON) Benchmarks/run_bench.py open --runs 15

bench-search: bench-tools
	$(PYTHON) Benchmarks/run_bench.py search --runs 200 --processes 3

BENCH_EXTRA += bench-open bench-search bench-links bench-sync bench-push
