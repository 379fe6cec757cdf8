#!/usr/bin/env bash
# Two builds of one commit must give byte-identical jars (project.build.outputTimestamp in the
# parent POM fixes every entry's time). Builds the published modules twice, from two copies of the
# work tree at different paths, and compares every jar (classes, sources, javadoc) and POM.
#   .ci/reproducible.sh [maven options]
# With a JDK 22+ in JAVA_HOME the jars carry the JDK 22+ path, as a release does.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

published=(api linux windows macos openbsd freebsd sync all bom)
modules=$(IFS=,; echo "${published[*]}")

for run in a b; do
  mkdir -p "$tmp/$run/wait-on-address-$run"
  # the tracked and the new (not ignored) files, as they are in the work tree
  (cd "$root" && git ls-files -z --cached --others --exclude-standard) \
    | (cd "$root" && xargs -0 cp --parents -t "$tmp/$run/wait-on-address-$run" 2>/dev/null || true)
  (cd "$tmp/$run/wait-on-address-$run" && mvn -B -q -DskipTests package -pl "$modules" "$@") \
    || { echo "[woa] reproducible: build $run failed" >&2; exit 1; }
done

status=0
count=0
for m in "${published[@]}"; do
  a="$tmp/a/wait-on-address-a/$m"
  b="$tmp/b/wait-on-address-b/$m"
  for f in "$a"/target/*.jar "$a"/pom.xml; do
    [[ -e $f ]] || continue
    rel=${f#"$a"/}
    if ! cmp -s "$f" "$b/$rel"; then
      echo "[woa] reproducible: $m/$rel differs between two builds of the same tree" >&2
      status=1
    fi
    count=$((count + 1))
  done
done
if [[ $count -lt 15 ]]; then
  echo "[woa] reproducible: only $count files compared; expected the jars of ${published[*]}" >&2
  status=1
fi
[[ $status == 0 ]] && echo "[woa] reproducible: $count jars and POMs of ${published[*]} are byte-identical across two builds ($("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | sed -n 1p))"
exit $status
