#!/usr/bin/env bash
# Builds and runs the JMH benchmarks (tests/target/benchmarks.jar) and their C/C++ baselines
# (tests/src/bench/c, built here with gcc/g++ -O2) side by side, then prints a table and one line
# per comparison:
#   RATIO <name> <ours_ns> <baseline_name> <baseline_ns> <ratio>
# Every figure is the median of the per-iteration averages (ns per operation); ratio = ours / baseline.
#
# usage: bench/run.sh [--quick] [--no-build] [-- JMH_OPTIONS...]
#   --quick     short runs (under 3 minutes with the build); the default is the full run
#   --no-build  use the jars and programs already built
#   JMH_OPTIONS extra JMH options, e.g. -- -prof perfnorm
# Environment: JAVA (default: java on PATH) runs JMH; CC / CXX choose the compilers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=false build=true
jmh_extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=true ;;
    --no-build) build=false ;;
    --) shift; jmh_extra=("$@"); break ;;
    *) echo "unknown option $1 (usage: bench/run.sh [--quick] [--no-build] [-- JMH_OPTIONS...])" >&2; exit 2 ;;
  esac
  shift
done

if $quick; then
  c_iterations=3 c_seconds=1
  jmh_opts=(-f 1 -wi 1 -w 1s -i 3 -r 1s)
else
  c_iterations=10 c_seconds=2
  jmh_opts=(-f 2 -wi 3 -w 2s -i 5 -r 2s)
fi

out=$root/tests/target/bench
mkdir -p "$out"
java=${JAVA:-java}
cc=${CC:-gcc} cxx=${CXX:-g++}

if $build; then
  echo "[bench] building benchmarks.jar (mvn package, tests not compiled)"
  (cd "$root" && mvn -B -q -Dmaven.test.skip=true package -pl tests -am)
  echo "[bench] building the C and C++ baselines"
  "$cc" -O2 -Wall -Wextra -Werror -std=gnu11 -o "$out/futex_bench" "$root/tests/src/bench/c/futex_bench.c" -lpthread
  "$cxx" -std=c++20 -O2 -Wall -Wextra -Werror -o "$out/atomic_bench" "$root/tests/src/bench/c/atomic_bench.cpp" -lpthread
fi

results=$out/baselines.txt
: > "$results"
echo "[bench] C/C++ baselines: $c_iterations iterations of ${c_seconds}s each (after one warm-up)"
for mode in wake mismatch pingpong pingpong-proc waitv64; do
  "$out/futex_bench" "$mode" "$c_iterations" "$c_seconds" | tee -a "$results"
done
for mode in notify pingpong; do
  "$out/atomic_bench" "$mode" "$c_iterations" "$c_seconds" | tee -a "$results"
done

echo "[bench] JMH: ${jmh_opts[*]} ${jmh_extra[*]:-}"
json=$out/jmh.json
rm -f "$json"
"$java" -jar "$root/tests/target/benchmarks.jar" "${jmh_opts[@]}" -rf json -rff "$json" "${jmh_extra[@]}" \
  'dev\.waitonaddress\.bench\..*' | tee "$out/jmh.txt"

python3 "$root/bench/report.py" "$json" "$results"
