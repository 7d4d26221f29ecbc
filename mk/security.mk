# Security checks (docs/security.md).
#
#   make fuzz          each libFuzzer target for FUZZ_SECONDS (default 60) from Tests/fuzz/corpus/
#   make fuzz-replay   replays the committed corpora once (fast; part of `make test`)
#   make sanitize      the Swift tests under ThreadSanitizer and AddressSanitizer, and the library
#                      under AddressSanitizer through the ctypes suites
#
# The Python security suites (Tests/python/test_tls_matrix.py, test_hostile_service.py,
# test_secrets_at_rest.py, test_no_patient_data_in_logs.py, test_sandbox_abuse.py,
# test_properties.py) run with the other ctypes tests in `make python-test`.

.PHONY: fuzz fuzz-build fuzz-library fuzz-replay sanitize sanitize-thread sanitize-address sanitize-library-address

FUZZ_SECONDS ?= 60
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_CC ?= clang
FUZZ_JSON := $(FUZZ_DIR)/fuzz-json
FUZZ_ARGUMENTS := $(FUZZ_DIR)/fuzz-arguments

# The JSON parser compiled in one module with its target, instrumented for coverage and ASan.
$(FUZZ_JSON): Sources/CarnetJSON/*.swift Tests/fuzz/FuzzJSON.swift
	mkdir -p $(FUZZ_DIR)
	swiftc -sanitize=fuzzer,address -parse-as-library -O Sources/CarnetJSON/*.swift Tests/fuzz/FuzzJSON.swift \
	  -o $@ 2>&1 | { grep -v "Cannot export local symbol '__asan" || true; }

# The C boundary of the release library (the harness is instrumented; the library is the shipped build).
$(FUZZ_ARGUMENTS): Tests/fuzz/fuzz_arguments.c include/carnet.h lib
	mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) -fsanitize=fuzzer,address -g -O1 -Iinclude Tests/fuzz/fuzz_arguments.c -L$(BUILD)/lib -l:libcarnet.so.1 \
	  -Wl,-rpath,$(abspath $(BUILD)/lib) -o $@ 2>&1 | { grep -v "Cannot export local symbol '__asan" || true; }

# The same harness against a library built for fuzzing: ASan plus libFuzzer's coverage
# (inline 8-bit counters, PC table, comparison tracing) in every Swift module, so the fuzzer
# is guided by the library's own branches. Its own scratch path; ~1 minute on 2 cores.
FUZZ_ARGUMENTS_COV := $(FUZZ_DIR)/fuzz-arguments-cov
SWIFT_RUNTIME_DIR := $(abspath $(dir $(shell command -v swiftc))/../lib/swift/linux)

fuzz-library:
	swift build -c release --scratch-path .build-fuzz --product carnet -Xswiftc -sanitize=address \
	  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
	mkdir -p $(FUZZ_DIR)/instrumented
	ln -sf $(abspath .build-fuzz/release/libcarnet.so) $(FUZZ_DIR)/instrumented/libcarnet.so.1

$(FUZZ_ARGUMENTS_COV): Tests/fuzz/fuzz_arguments.c include/carnet.h fuzz-library
	$(FUZZ_CC) -fsanitize=fuzzer,address -g -O1 -Iinclude Tests/fuzz/fuzz_arguments.c \
	  -L$(FUZZ_DIR)/instrumented -l:libcarnet.so.1 -Wl,-rpath,$(abspath $(FUZZ_DIR)/instrumented) \
	  -Wl,-rpath,$(SWIFT_RUNTIME_DIR) -o $@ 2>&1 | { grep -v "Cannot export local symbol '__asan" || true; }

fuzz-build: $(FUZZ_JSON) $(FUZZ_ARGUMENTS) $(FUZZ_ARGUMENTS_COV)

# New inputs go to a scratch directory; the committed corpus stays small.
fuzz: fuzz-build
	@for target in json arguments-cov; do \
	  work=$$(mktemp -d); \
	  echo "fuzz-$$target: $(FUZZ_SECONDS) s"; \
	  extra=""; [ $$target = json ] && extra="-dict=Tests/fuzz/json.dict"; \
	  corpus=Tests/fuzz/corpus/$${target%-cov}; \
	  $(FUZZ_DIR)/fuzz-$$target -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -print_final_stats=1 \
	    $$extra -artifact_prefix=$(FUZZ_DIR)/crash-$$target- $$work $$corpus 2>&1 \
	    | grep -E "^(Done|#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|FUZZ FAILURE|SUMMARY)" ; \
	  status=$${PIPESTATUS[0]}; rm -rf $$work; \
	  [ $$status -eq 0 ] || { echo "fuzz-$$target found a failure: see $(FUZZ_DIR)/crash-$$target-*"; exit 1; }; \
	done

# Replays the corpora with the fast targets (the release library), no instrumented build needed.
fuzz-replay: $(FUZZ_JSON) $(FUZZ_ARGUMENTS)
	$(FUZZ_JSON) -runs=0 Tests/fuzz/corpus/json 2>&1 | tail -1
	$(FUZZ_ARGUMENTS) -runs=0 Tests/fuzz/corpus/arguments 2>&1 | tail -1

TEST_EXTRA += fuzz-replay

# Separate scratch paths: sanitized builds never mix with the normal one.
sanitize: sanitize-thread sanitize-address sanitize-library-address

# The library itself under AddressSanitizer, driven by the ctypes suites (threads, lifecycle, every
# flow, hostile arguments, TLS matrix, hostile service, secrets at rest, properties). The runtime is
# preloaded into Python (and inherited by the suites' child processes); any report fails the run.
ASAN_RUNTIME := $(firstword $(wildcard $(SWIFT_RUNTIME_DIR)/../../clang/*/lib/linux/libclang_rt.asan-x86_64.so))
ASAN_LIBRARY_SUITES := test_threads.py test_lifecycle.py test_flows.py test_arguments.py test_tls_matrix.py \
	test_hostile_service.py test_secrets_at_rest.py test_properties.py

sanitize-library-address: sandbox python-binding
	swift build -c release --scratch-path .build-asanlib --product carnet -Xswiftc -sanitize=address
	rm -rf $(BUILD)/asan-reports && mkdir -p $(BUILD)/asan-reports
	@# The sandbox the suites start must not inherit the preloaded runtime: only the library is under test.
	printf '#!/bin/sh\nunset LD_PRELOAD ASAN_OPTIONS\nexec %s "$$@"\n' "$(CARNET_SANDBOX_BIN)" > $(BUILD)/asan-reports/sandbox
	chmod +x $(BUILD)/asan-reports/sandbox
	cd Tests/python && CARNET_LIB=$(abspath .build-asanlib/release/libcarnet.so) \
	  CARNET_SANDBOX_BIN=$(abspath $(BUILD)/asan-reports/sandbox) \
	  ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:log_path=$(abspath $(BUILD)/asan-reports)/asan \
	  LD_PRELOAD=$(ASAN_RUNTIME):$(SWIFT_RUNTIME_DIR)/libdispatch.so \
	  $(PYTHON) -m pytest -q -p no:cacheprovider $(ASAN_LIBRARY_SUITES)
	@if ls $(BUILD)/asan-reports/asan.* >/dev/null 2>&1; then cat $(BUILD)/asan-reports/asan.*; exit 1; fi
	@echo "sanitize-library-address: no AddressSanitizer report"

sanitize-thread:
	swift test --sanitize=thread --scratch-path .build-tsan

# LeakSanitizer is off: XCTest's own runner leaks a few hundred bytes at exit, which would fail
# the run without saying anything about Carnet. Memory errors (overflows, use after free) stay fatal.
sanitize-address:
	ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan
