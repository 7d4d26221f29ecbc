# Carnet — build, test, demo, install. See README.md.
#
#   make            release libcarnet.so (Swift runtime linked in), header, example host
#   make test       everything CI checks (installs missing dependencies first)
#   make demo       the example host walking the guide against a fresh sandbox
#   make deps       missing Debian and PyPI packages
#   make install PREFIX=/usr/local
#   make bench      benchmarks (not run in CI)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PREFIX ?= /usr/local
BUILD := build
VERSION := $(shell sed -n 's/^\#define CARNET_VERSION_STRING "\(.*\)"/\1/p' include/carnet.h)
SOVERSION := 1
LIB_REAL := $(BUILD)/lib/libcarnet.so.$(VERSION)
LIB_SONAME := $(BUILD)/lib/libcarnet.so.$(SOVERSION)
EXAMPLE := $(BUILD)/bin/carnet-example
SANDBOX_BIN := sandbox/.build/debug/carnet-sandbox
# The NUVA release the tests and benchmarks read (never copied into the repository):
# ../shared/data/nuva next to the clone (override with NUVA_DIR=...).
NUVA_DIR ?= $(abspath ../shared/data/nuva)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEB_PACKAGES := libcurl4-openssl-dev libssl-dev libsqlite3-dev pkg-config openssl fiu-utils util-linux strace \
	libcjson-dev fpc fpc-source-3.2.2 mono-mcs mono-runtime libmono-system-web-extensions4.0-cil \
	gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64
PYTHON := python3
CFLAGS_STRICT := -Wall -Wextra -pedantic -Werror

export CARNET_LIB := $(abspath $(LIB_SONAME))
export CARNET_EXAMPLE := $(abspath $(EXAMPLE))
export CARNET_SANDBOX_BIN := $(abspath $(SANDBOX_BIN))
export CARNET_NUVA_DIR := $(NUVA_DIR)

.PHONY: all lib example deps python-binding test swift-test abi-check header-check python-test sandbox sandbox-serve sandbox-test \
        demo install bench clean

all: lib example

# The release library. -static-stdlib links the Swift runtime in, so hosts need
# no Swift toolchain; the export fence (carnet.map) and SONAME come from Package.swift.
lib:
	swift build -c release -Xswiftc -static-stdlib --product carnet
	mkdir -p $(BUILD)/lib $(BUILD)/include
	cp .build/release/libcarnet.so $(LIB_REAL).tmp
	strip --strip-unneeded $(LIB_REAL).tmp
	mv $(LIB_REAL).tmp $(LIB_REAL)
	ln -sf libcarnet.so.$(VERSION) $(LIB_SONAME)
	ln -sf libcarnet.so.$(SOVERSION) $(BUILD)/lib/libcarnet.so
	cp include/carnet.h include/carnet.hpp $(BUILD)/include/

example: lib
	mkdir -p $(BUILD)/bin
	cc -std=c99 $(CFLAGS_STRICT) -O2 -Iinclude examples-c/carnet_example.c -L$(BUILD)/lib -lcarnet -lcjson \
	   -Wl,-rpath,'$$ORIGIN/../lib' -o $(EXAMPLE)

deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@$(PYTHON) -c "import pytest, hypothesis, fhir.resources, cryptography, biip, lxml, jsonschema, fhirclient, fhirpy" 2>/dev/null || \
	  $(PYTHON) -m pip install -q --disable-pip-version-check -r Tests/requirements.txt
	@$(MAKE) --no-print-directory python-binding

# The Python binding as a host installs it; reinstalled only when the installed copy is not this
# checkout's (the suites refuse a stale one: Tests/python/installed_binding.py).
python-binding:
	@$(PYTHON) Tests/python/installed_binding.py || \
	  { echo "installing the Python binding (pip install ./bindings/python)"; \
	    $(PYTHON) -m pip install -q --disable-pip-version-check --no-deps ./bindings/python; }

TEST_EXTRA ?=
BENCH_EXTRA ?=

test: deps all sandbox
	$(MAKE) swift-test header-check abi-check python-test sandbox-test $(TEST_EXTRA)

swift-test:
	swift test

header-check:
	mkdir -p $(BUILD)/check
	cc -std=c99 $(CFLAGS_STRICT) -Iinclude examples-c/header_check.c -o $(BUILD)/check/header-check-c
	c++ -std=c++17 $(CFLAGS_STRICT) -x c++ -Iinclude examples-c/header_check.c -o $(BUILD)/check/header-check-cpp
	$(BUILD)/check/header-check-c
	$(BUILD)/check/header-check-cpp
	@echo "header-check: carnet.h compiles alone as C99 and C++17"

abi-check: all
	$(PYTHON) Tests/abi/check_abi.py --header include/carnet.h --lib $(LIB_REAL) --example $(EXAMPLE)

python-test: all sandbox python-binding
	$(PYTHON) -m pytest -q Tests/python

sandbox:
	@if [ -f sandbox/Package.swift ]; then swift build --package-path sandbox; fi

# Runs the reference service in the foreground (Ctrl-C stops it): FHIR on
# 127.0.0.1:8443 (mutual TLS), enrollment on 127.0.0.1:8444; data in build/sandbox-data.
sandbox-serve: sandbox
	$(SANDBOX_BIN) serve --data-dir $(BUILD)/sandbox-data

sandbox-test: sandbox
	swift test --package-path sandbox
	@if [ -d Tests/sandbox ]; then $(PYTHON) -m pytest -q Tests/sandbox; fi

demo: deps all sandbox
	$(PYTHON) examples-c/run_demo.py

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 0755 $(LIB_REAL) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libcarnet.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libcarnet.so.$(SOVERSION)
	ln -sf libcarnet.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libcarnet.so
	install -m 0644 include/carnet.h include/carnet.hpp $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' carnet.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/carnet.pc

bench: deps all sandbox
	swift run -c release carnet-catalogue-bench $(NUVA_DIR)
	$(if $(BENCH_EXTRA),$(MAKE) $(BENCH_EXTRA))

clean:
	rm -rf $(BUILD) .build

# Topic makefiles (security checks, fault tests, benchmarks): each adds its own
# targets and appends to TEST_EXTRA / BENCH_EXTRA.
-include mk/*.mk
