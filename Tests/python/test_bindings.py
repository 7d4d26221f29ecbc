"""Every binding covers the whole header: each function of include/carnet.h is declared by the
Python, Pascal and C# bindings, used by the C++ wrapper and exported by the Windows .def; the
constants of each binding equal the header's. A function added to the header fails here until
every binding has it (their walks run in `make bindings-test`)."""
import os
import re

import carnet

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(*path):
    with open(os.path.join(REPO, *path), encoding="utf-8") as f:
        return f.read()


HEADER = read("include", "carnet.h")
FUNCTIONS = set(re.findall(r"CARNET_API\s+[^;(]*?\b(carnet_[a-z0-9_]+)\s*\(", HEADER))
ENUM_CONSTANTS = dict((name, int(value)) for name, value in re.findall(r"\b(CARNET_[A-Z0-9_]+)\s*=\s*(\d+)", HEADER))
MACROS = dict((name, int(value)) for name, value in
              re.findall(r"#define\s+(CARNET_[A-Z0-9_]+)\s+(\d+)\s*$", HEADER, flags=re.M))
VERSION_STRING = re.search(r'#define CARNET_VERSION_STRING "([^"]+)"', HEADER).group(1)


def test_the_header_parses_into_its_functions_and_constants():
    assert len(FUNCTIONS) >= 33 and "carnet_client_open" in FUNCTIONS and "carnet_string_free" in FUNCTIONS
    assert ENUM_CONSTANTS["CARNET_E_REJECTED"] == 24 and MACROS["CARNET_OPTIONS_VERSION"] >= 2


def test_python_binding_declares_every_function_and_constant():
    assert set(carnet.SIGNATURES) == FUNCTIONS
    for name, value in {**ENUM_CONSTANTS, **MACROS}.items():
        assert carnet.C.get(name) == value, name
    assert carnet.C["CARNET_VERSION_STRING"] == VERSION_STRING == carnet.VERSION_STRING
    assert {int(s) for s in carnet.Status} == {v for k, v in ENUM_CONSTANTS.items()
                                               if k in ("CARNET_OK", "CARNET_PENDING") or k.startswith("CARNET_E_")}
    # One typed exception per failing status.
    assert set(carnet.FAILURE_CLASSES) == {int(s) for s in carnet.Status} - {0, 1}


def test_pascal_unit_declares_every_function_with_the_c_convention():
    unit = read("bindings", "pascal", "Carnet.pas")
    declared = re.findall(r"\b(?:function|procedure)\s+(carnet_[a-z0-9_]+)\b[^;]*(?:;[^;]*?)*?\bcdecl;\s*"
                          r"external CarnetLibrary name '(carnet_[a-z0-9_]+)';", unit)
    assert {name for name, _ in declared} == FUNCTIONS
    assert all(name == imported for name, imported in declared)
    assert "CARNET_HEADER_VERSION_STRING = '" + VERSION_STRING + "'" in unit
    assert f"CARNET_OPTIONS_VERSION = {MACROS['CARNET_OPTIONS_VERSION']};" in unit
    for name, value in ENUM_CONSTANTS.items():
        if name.startswith("CARNET_E_"):
            assert re.search(rf"\bcs\w+ = {value}\b", unit), name


def test_dotnet_binding_declares_every_function_cdecl():
    source = read("bindings", "dotnet", "Carnet.cs")
    declared = re.findall(r"\[DllImport\(Library, CallingConvention = Cdecl\)\] public static extern \S+ "
                          r"(carnet_[a-z0-9_]+)\(", source)
    assert set(declared) == FUNCTIONS and len(declared) == len(FUNCTIONS)
    assert f'HeaderVersion = "{VERSION_STRING}"' in source
    for name, value in ENUM_CONSTANTS.items():
        if name.startswith("CARNET_E_"):
            assert re.search(rf"\b\w+ = {value},", source), name


def test_cpp_wrapper_uses_every_function():
    wrapper = read("include", "carnet.hpp")
    used = set(re.findall(r"\b(carnet_[a-z0-9_]+)\b", wrapper))
    assert FUNCTIONS - {"carnet_error_init"} <= used, FUNCTIONS - used  # C++ has CARNET_ERROR_INIT


def test_windows_export_definitions_are_the_header_functions():
    definitions = read("bindings", "windows", "carnet.def")
    assert set(re.findall(r"^\s+(carnet_[a-z0-9_]+)\s*$", definitions, flags=re.M)) == FUNCTIONS
    assert re.search(r"^LIBRARY carnet$", definitions, flags=re.M)
