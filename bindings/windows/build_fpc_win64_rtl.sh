#!/bin/sh
# Builds the few Free Pascal RTL units a Win64 cross-compilation of bindings/pascal needs
# (system, objpas, uuchar, sysinit, fpintres, sysutils and what it uses) from the Debian
# fpc-source package, into $1. Debian ships the compiler's Win64 target (ppcx64 -Twin64, with its
# internal assembler and linker) but no Win64 RTL. ~15 s.
set -eu
out=$(realpath -m "$1")
src=$(ls -d /usr/share/fpcsrc/*/rtl | sort | tail -1)
[ -d "$src/win64" ] || { echo "fpc-source (Debian package fpc-source-3.2.2) is missing" >&2; exit 1; }
mkdir -p "$out"
cd "$src/win64"
fpc_win64() { ppcx64 -Twin64 -Px86_64 -n -FU"$out" -Fu"$out" "$@" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }; }
fpc_win64 -Us -Sg -Fi../win -Fi../inc -Fi../x86_64 -I../inc -I../x86_64 system.pp
fpc_win64 -I../objpas -Fi../inc -I../inc ../objpas/objpas.pp
fpc_win64 -I../inc ../inc/uuchar.pp
fpc_win64 -I../inc -I../win -Fi../win ../inc/fpintres.pp
fpc_win64 -I../inc -I../win -Fi../win sysinit.pp
fpc_win64 -Fi../objpas/sysutils -Fi../objpas/classes -Fu../x86_64 -I../win -I../objpas -I../win/wininc \
  -Fu../win/wininc -Fu../win -I../inc -Fu../inc -Fu../objpas -Fi../x86_64 ../win/sysutils.pp
touch "$out/.built"
