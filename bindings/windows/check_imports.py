#!/usr/bin/env python3
"""Checks that a Windows executable imports from carnet.dll exactly the functions the export
definitions (bindings/windows/carnet.def) list, by name (undecorated: cdecl). Reads the PE import
table with mingw-w64's objdump.  Usage: check_imports.py PROGRAM.exe carnet.def"""
import re
import subprocess
import sys


def main(exe, definitions):
    with open(definitions, encoding="utf-8") as f:
        exported = set(re.findall(r"^\s+(carnet_[a-z0-9_]+)\s*$", f.read(), flags=re.M))
    dump = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", exe], check=True, capture_output=True,
                          text=True).stdout
    section = dump.split("DLL Name: carnet.dll", 1)
    if len(section) != 2:
        print(f"{exe}: imports nothing from carnet.dll")
        return 1
    block = section[1].split("DLL Name:", 1)[0]
    imported = set(re.findall(r"\b(carnet_[a-z0-9_]+)\b", block))
    missing, unknown = exported - imported, imported - exported
    if missing or unknown:
        print(f"{exe}: not imported: {sorted(missing)}; not in carnet.def: {sorted(unknown)}")
        return 1
    print(f"{exe}: imports the {len(imported)} functions of carnet.def from carnet.dll")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
