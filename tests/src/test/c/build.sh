#!/usr/bin/env bash
# Builds the C programs and libraries the tests use: lib*.c -> OUT/lib*.so, any other *.c -> OUT/<name>
# (windows-scenario linked against libwoa-windows.so; its Windows .exe is built by WineCrossCheckTest).
# Called by Maven (generate-test-resources) with OUT = tests/target/native. Without gcc it writes
# OUT/UNAVAILABLE with the reason; tests that need a C artefact skip (or, with -Dwoa.strict=true, fail).
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT_DIR}
mkdir -p "$out"
rm -f "$out/UNAVAILABLE"
# The C peers and contract emulators use Linux futexes: on other systems (the per-OS CI workflows)
# there is nothing to build, and the tests that need them skip.
if [[ $(uname -s) != Linux ]]; then
  echo "the C test artefacts use Linux futexes and are built on Linux only (this is $(uname -s))" > "$out/UNAVAILABLE"
  echo "[woa] $(cat "$out/UNAVAILABLE")"
  exit 0
fi
cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "$cc not found on PATH: C peers and contract emulators were not built" > "$out/UNAVAILABLE"
  echo "[woa] $(cat "$out/UNAVAILABLE")"
  exit 0
fi
shopt -s nullglob
# fresh: the target is newer than its source and than every header here (the sources share headers)
fresh() {
  [[ $1 -nt $2 ]] || return 1
  local h
  for h in "$src"/*.h; do
    [[ $1 -nt $h ]] || return 1
  done
}
# Libraries first: a program may link one of them.
for c in "$src"/lib*.c; do
  name=$(basename "$c" .c)
  target="$out/$name.so"
  fresh "$target" "$c" || "$cc" -O2 -Wall -Wextra -Werror -std=gnu11 -shared -fPIC -o "$target" "$c" -lpthread
done
# Programs that call a contract emulator's exports link it (found beside them at run time).
declare -A links=([windows-scenario]=libwoa-windows.so)
for c in "$src"/*.c; do
  name=$(basename "$c" .c)
  [[ $name == lib* ]] && continue
  target="$out/$name"
  lib=${links[$name]:-}
  if [[ -n $lib ]]; then
    { fresh "$target" "$c" && [[ $target -nt "$out/$lib" ]]; } ||
      "$cc" -O2 -Wall -Wextra -Werror -std=gnu11 -o "$target" "$c" -L"$out" -l:"$lib" -Wl,-rpath,'$ORIGIN' -lpthread
  else
    fresh "$target" "$c" || "$cc" -O2 -Wall -Wextra -Werror -std=gnu11 -o "$target" "$c" -lpthread
  fi
done
