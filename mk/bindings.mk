# Bindings for host languages (issue 15; bindings/README.md, docs/integration.md, docs/windows.md).
#
#   make bindings-test             each binding's walk (C++, Free Pascal in Delphi mode, C# on Mono)
#                                  against one real sandbox, checked line by line (bindings/run_walks.py)
#   make bindings-windows-check    the Windows branch: carnet.h and carnet.hpp with mingw-w64 (C and
#                                  C++, as a DLL host, the DLL itself and a static build), a Win64
#                                  program linked against the carnet.def import library, and the
#                                  Pascal unit cross-compiled for Win64 with its imports checked
#
# The Python binding (bindings/python) is tested by every suite of Tests/python.
.PHONY: bindings-build bindings-test bindings-windows-check

BINDINGS_DIR := $(BUILD)/bindings
WINDOWS_DIR := $(BUILD)/windows
BINDING_CPP_WALK := $(BINDINGS_DIR)/carnet-walk-cpp
BINDING_PASCAL_WALK := $(BINDINGS_DIR)/carnet-walk-pascal
BINDING_DOTNET_LIB := $(BINDINGS_DIR)/Carnet.dll
BINDING_DOTNET_WALK := $(BINDINGS_DIR)/carnet-walk-dotnet.exe
MINGW_CC := x86_64-w64-mingw32-gcc
MINGW_CXX := x86_64-w64-mingw32-g++
MCS := mcs -langversion:7 -warnaserror -nologo

$(BINDING_CPP_WALK): bindings/cpp/carnet_walk.cpp bindings/cpp/hpp_check.cpp include/carnet.hpp include/carnet.h
	mkdir -p $(BINDINGS_DIR)
	c++ -std=c++17 $(CFLAGS_STRICT) -Iinclude bindings/cpp/hpp_check.cpp -L$(BUILD)/lib -lcarnet \
	  -Wl,-rpath,$(abspath $(BUILD)/lib) -o $(BINDINGS_DIR)/hpp-check
	c++ -std=c++17 $(CFLAGS_STRICT) -O1 -Iinclude bindings/cpp/carnet_walk.cpp -L$(BUILD)/lib -lcarnet -lcjson \
	  -Wl,-rpath,$(abspath $(BUILD)/lib) -o $@

# Free Pascal in Delphi mode, warnings as errors; the unit and the program are Delphi source.
$(BINDING_PASCAL_WALK): bindings/pascal/Carnet.pas bindings/pascal/CarnetWalk.dpr
	mkdir -p $(BINDINGS_DIR)/pascal
	fpc -Mdelphi -Sew -vewn -l- -FU$(BINDINGS_DIR)/pascal -Fubindings/pascal -Fl$(BUILD)/lib \
	  -k-rpath=$(abspath $(BUILD)/lib) -o$@ bindings/pascal/CarnetWalk.dpr

$(BINDING_DOTNET_LIB): bindings/dotnet/Carnet.cs
	mkdir -p $(BINDINGS_DIR)
	$(MCS) -target:library -out:$@ bindings/dotnet/Carnet.cs

$(BINDING_DOTNET_WALK): bindings/dotnet/CarnetWalk.cs $(BINDING_DOTNET_LIB)
	$(MCS) -r:$(BINDING_DOTNET_LIB) -r:System.Web.Extensions.dll -out:$@ bindings/dotnet/CarnetWalk.cs

bindings-build: all
	$(MAKE) --no-print-directory $(BINDING_CPP_WALK) $(BINDING_PASCAL_WALK) $(BINDING_DOTNET_WALK)

bindings-test: bindings-build sandbox python-binding
	$(BINDINGS_DIR)/hpp-check $$(mktemp -d)/store
	$(PYTHON) bindings/run_walks.py cpp=$(BINDING_CPP_WALK) pascal=$(BINDING_PASCAL_WALK) \
	  "dotnet=mono $(BINDING_DOTNET_WALK)"

# Nothing here runs on Windows (no Windows machine, no Swift for Windows on this Debian):
# docs/windows.md says what this checks and what it does not.
bindings-windows-check:
	mkdir -p $(WINDOWS_DIR)/pascal
	@for mode in "" -DCARNET_BUILDING -DCARNET_STATIC; do \
	  $(MINGW_CC) -fsyntax-only -std=c99 $(CFLAGS_STRICT) $$mode -Iinclude examples-c/header_check.c; \
	  $(MINGW_CXX) -fsyntax-only -std=c++17 $(CFLAGS_STRICT) $$mode -Iinclude -x c++ examples-c/header_check.c; \
	  echo "mingw-w64: carnet.h compiles as C99 and C++17 $${mode:-(DLL host)}"; \
	done
	x86_64-w64-mingw32-dlltool -d bindings/windows/carnet.def -l $(WINDOWS_DIR)/libcarnet.dll.a -D carnet.dll
	$(MINGW_CC) -std=c99 $(CFLAGS_STRICT) -Iinclude bindings/windows/link_check.c -L$(WINDOWS_DIR) -lcarnet \
	  -o $(WINDOWS_DIR)/link-check.exe
	$(MINGW_CXX) -std=c++17 $(CFLAGS_STRICT) -Iinclude bindings/cpp/hpp_check.cpp -L$(WINDOWS_DIR) -lcarnet \
	  -o $(WINDOWS_DIR)/hpp-check.exe
	$(PYTHON) bindings/windows/check_imports.py $(WINDOWS_DIR)/link-check.exe bindings/windows/carnet.def
	@[ -f $(WINDOWS_DIR)/fpc-rtl/.built ] || sh bindings/windows/build_fpc_win64_rtl.sh $(WINDOWS_DIR)/fpc-rtl
	ppcx64 -Twin64 -Px86_64 -n -Mdelphi -Sew -vewn -l- -Fu$(WINDOWS_DIR)/fpc-rtl -FU$(WINDOWS_DIR)/pascal \
	  -Fubindings/pascal -o$(WINDOWS_DIR)/carnet-pascal-check.exe bindings/pascal/CarnetWindowsCheck.dpr
	$(PYTHON) bindings/windows/check_imports.py $(WINDOWS_DIR)/carnet-pascal-check.exe bindings/windows/carnet.def

TEST_EXTRA += bindings-windows-check bindings-test
