#!/usr/bin/env python3
"""ABI checks run by `make test` (make abi-check).

1. Every function declared in include/carnet.h is exported by the release .so,
   and the .so exports nothing else (both directions).
2. The SONAME is libcarnet.so.1 and every export carries the CARNET_1 version.
3. The .so is self-contained: no libswift*/libFoundation* dependency, and it
   loads and works (through the C example and through ctypes) with the Swift
   toolchain made unreachable.
4. `make install PREFIX=...` gives a tree a host can build against with
   `pkg-config --cflags --libs carnet`.
5. The structs of the header have, compiled by the C compiler, the size and
   member offsets the ctypes binding (bindings/python/carnet) declares, so the
   Python suites exercise the layout a C host gets.
"""
import argparse
import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        FAILURES.append(what)


def header_functions(header_path):
    text = open(header_path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"#define[^\n]*(\\\n[^\n]*)*", " ", text)
    return set(re.findall(r"CARNET_API\b[^;{}]*?CARNET_CALL\s+(\w+)\s*\(", text, flags=re.S))


def exported_functions(lib_path):
    out = subprocess.run(["nm", "-D", "-g", "--defined-only", lib_path], check=True, capture_output=True,
                         text=True).stdout
    names, versions = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, symbol = parts[1], parts[2]
        if kind == "A":  # the version node itself
            continue
        name, _, version = symbol.partition("@@")
        names.add(name)
        versions.add(version)
    return names, versions


def struct_layouts_match(header_path, tmp):
    """Compares sizeof/offsetof from the C compiler with the Python binding's ctypes layout."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))
    import carnet  # noqa: E402 (the binding under test)
    structs = {"carnet_error": carnet.Error, "carnet_options": carnet.Options}
    lines = ['#include <stddef.h>', '#include <stdio.h>', '#include "carnet.h"', "int main(void) {"]
    for c_name, binding in structs.items():
        lines.append(f'    printf("{c_name} size %zu\\n", sizeof({c_name}));')
        for member, _ in binding._fields_:
            lines.append(f'    printf("{c_name} {member} %zu\\n", offsetof({c_name}, {member}));')
    lines += ["    return 0;", "}"]
    source = os.path.join(tmp, "layout.c")
    program = os.path.join(tmp, "layout")
    with open(source, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    include = os.path.dirname(os.path.abspath(header_path))
    build = subprocess.run(["cc", "-std=c99", "-I", include, source, "-o", program], capture_output=True, text=True)
    if build.returncode != 0:
        return False, build.stderr
    printed = subprocess.run([program], check=True, capture_output=True, text=True).stdout.split("\n")
    expected = []
    for c_name, binding in structs.items():
        expected.append(f"{c_name} size {ctypes.sizeof(binding)}")
        expected += [f"{c_name} {member} {getattr(binding, member).offset}" for member, _ in binding._fields_]
    differences = sorted(set(expected) ^ {line for line in printed if line})
    return not differences, differences


def toolchain_root():
    swift = shutil.which("swift")
    if not swift:
        return None
    # /opt/swift/usr/bin/swift -> /opt/swift
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(swift))))


def run_without_toolchain(command, env):
    """Runs `command` with the toolchain directory hidden behind an empty tmpfs
    (a private mount namespace), so any attempt to load Swift libraries from it
    fails. Falls back to LD_DEBUG tracing when namespaces are unavailable."""
    root = toolchain_root()
    env = dict(env, LD_LIBRARY_PATH="")
    if root and os.geteuid() == 0 and shutil.which("unshare"):
        script = 'mount -t tmpfs none "$0" && exec "$@"'
        probe = subprocess.run(["unshare", "-m", "sh", "-c", script, root, "true"], capture_output=True)
        if probe.returncode == 0:
            result = subprocess.run(["unshare", "-m", "sh", "-c", script, root] + command, env=env,
                                    capture_output=True, text=True, timeout=120)
            return result, f"toolchain {root} hidden by a tmpfs mount"
    traced = dict(env, LD_DEBUG="libs")
    result = subprocess.run(command, env=traced, capture_output=True, text=True, timeout=120)
    if root:
        loaded_from_toolchain = [l for l in result.stderr.splitlines() if "calling init" in l and root in l]
        check(not loaded_from_toolchain, f"nothing loaded from {root} (LD_DEBUG trace)")
    return result, "LD_DEBUG trace (no mount namespace available)"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--header", required=True)
    parser.add_argument("--lib", required=True)
    parser.add_argument("--example", required=True)
    args = parser.parse_args()

    declared = header_functions(args.header)
    exported, versions = exported_functions(args.lib)
    check("carnet_client_open" in declared and "carnet_string_free" in declared,
          f"header parsed: {len(declared)} functions declared")
    missing = sorted(declared - exported)
    extra = sorted(exported - declared)
    check(not missing, "every header function is exported" + (f" (missing: {missing})" if missing else ""))
    check(not extra, "nothing but header functions is exported" + (f" (extra: {extra})" if extra else ""))
    check(versions == {"CARNET_1"}, f"exports carry version CARNET_1 (saw {sorted(versions)})")

    dynamic = subprocess.run(["readelf", "-d", args.lib], check=True, capture_output=True, text=True).stdout
    check("Library soname: [libcarnet.so.1]" in dynamic, "SONAME is libcarnet.so.1")
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic)
    swiftish = [n for n in needed if n.startswith(("libswift", "libFoundation", "lib_Foundation", "libdispatch",
                                                   "libBlocksRuntime"))]
    check(not swiftish, f"no Swift runtime dependency (NEEDED: {needed})")

    with tempfile.TemporaryDirectory() as tmp:
        same, detail = struct_layouts_match(args.header, tmp)
        check(same, "struct sizes and offsets equal the Python binding's ctypes layout" + ("" if same else f" ({detail})"))

    with tempfile.TemporaryDirectory() as tmp:
        # A host's layout: the library and the program somewhere else entirely.
        lib_dir = os.path.join(tmp, "lib")
        bin_dir = os.path.join(tmp, "bin")
        os.makedirs(lib_dir)
        os.makedirs(bin_dir)
        shutil.copy2(args.lib, os.path.join(lib_dir, "libcarnet.so.1"))
        shutil.copy2(args.example, os.path.join(bin_dir, "carnet-example"))
        ldd = subprocess.run(["ldd", os.path.join(lib_dir, "libcarnet.so.1")], capture_output=True, text=True).stdout
        root = toolchain_root() or "/nonexistent-toolchain"
        check("not found" not in ldd and root not in ldd, "ldd of the copied .so resolves without the toolchain")

        store = os.path.join(tmp, "store")
        result, how = run_without_toolchain([os.path.join(bin_dir, "carnet-example"), "--store", store], os.environ)
        check(result.returncode == 0 and "Client ouvert" in result.stdout,
              f"C example opens a client with the toolchain unreachable ({how})")
        if result.returncode != 0:
            print(result.stdout, result.stderr, file=sys.stderr)

        probe = (
            "import ctypes, sys\n"
            "lib = ctypes.CDLL(sys.argv[1])\n"
            "lib.carnet_version_string.restype = ctypes.c_char_p\n"
            "print(lib.carnet_version_string().decode())\n"
        )
        result, how = run_without_toolchain([sys.executable, "-c", probe, os.path.join(lib_dir, "libcarnet.so.1")],
                                            os.environ)
        check(result.returncode == 0 and result.stdout.strip() != "",
              f"ctypes loads the .so with the toolchain unreachable ({how})")

        prefix = os.path.join(tmp, "prefix")
        subprocess.run(["make", "-s", "install", f"PREFIX={prefix}"], check=True, capture_output=True)
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "carnet"], env=env, capture_output=True,
                               text=True)
        check(flags.returncode == 0 and "-lcarnet" in flags.stdout, "pkg-config finds the installed carnet.pc")
        program = os.path.join(tmp, "installed-example")
        # The example's own JSON library (cJSON) is its dependency, not libcarnet's: not in carnet.pc.
        build = subprocess.run(["cc", "-std=c99", "examples-c/carnet_example.c", "-o", program]
                               + flags.stdout.split() + ["-lcjson", f"-Wl,-rpath,{prefix}/lib"], capture_output=True,
                               text=True)
        check(build.returncode == 0, "example builds against the installed tree with pkg-config flags")
        if build.returncode == 0:
            run = subprocess.run([program, "--store", os.path.join(tmp, "store2")], capture_output=True, text=True)
            check(run.returncode == 0, "example built against the installed tree runs")
        links = [os.readlink(os.path.join(prefix, "lib", n)) for n in ("libcarnet.so", "libcarnet.so.1")]
        real = os.path.join(prefix, "lib", links[1])
        check(links[0] == "libcarnet.so.1" and os.path.isfile(real) and not os.path.islink(real),
              f"install creates the SONAME symlinks ({links})")

    if FAILURES:
        print(f"\nabi-check: {len(FAILURES)} failure(s)", file=sys.stderr)
        return 1
    print("\nabi-check: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
