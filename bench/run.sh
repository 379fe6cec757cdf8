#!/usr/bin/env bash
# Builds and runs the JMH benchmarks (tests/target/benchmarks.jar) and their C/C++ baselines
# (tests/src/bench/c, built here with gcc/g++ -O2) side by side, then prints a table and one line
# per comparison:
#   RATIO <name> <ours_ns> <baseline_name> <baseline_ns> <ratio>
# Every figure is the median of the per-iteration averages (ns per operation); ratio = ours / baseline.
#
# It also runs dev.waitonaddress.bench.IdleCpu (the CPU each waiter uses at rest over 2 s) and, on
# a second JDK, the two ping-pong groups once more (JDK 17 runs the Linux backend through JNA,
# JDK 22+ through java.lang.foreign).
#
# usage: bench/run.sh [--quick] [--no-build] [--only TEXT] [--jdk DIR] [--also-jdk DIR|none] [-- JMH_OPTIONS...]
#   --quick     short runs (under 3 minutes with the build); the default is the full run
#   --only TEXT run only the groups whose line below contains TEXT (e.g. --only MutexBench for the
#               synchronizers of the sync module)
#   --no-build  use the jars and programs already built
#   --jdk DIR   the JDK that builds and runs the Java side. Default: $JAVA_HOME, else the java on
#               PATH; when that is older than 22 and a JDK 22+ is installed under /usr/lib/jvm,
#               that one, so that the linux backend's java.lang.foreign path is built and measured.
#   --also-jdk DIR  the second JDK of the ping-pong groups. Default: the java on PATH when it is
#               older than 22 and --jdk was not given (so JDK 17 beside the JDK 22+ above); none: skip
#   JMH_OPTIONS extra JMH options, e.g. -- -prof stack
# Environment: CC / CXX choose the compilers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=false build=true jdk=${JAVA_HOME:-} only= also=
jmh_extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=true ;;
    --no-build) build=false ;;
    --only) shift; only=$1 ;;
    --jdk) shift; jdk=$1 ;;
    --also-jdk) shift; also=$1 ;;
    --) shift; jmh_extra=("$@"); break ;;
    *) echo "unknown option $1 (usage: bench/run.sh [--quick] [--no-build] [--only TEXT] [--jdk DIR] [--also-jdk DIR|none] [-- JMH_OPTIONS...])" >&2; exit 2 ;;
  esac
  shift
done

if $quick; then
  rounds=1 c_iterations=3 c_seconds=0.5
  jmh_opts=(-f 1 -wi 2 -w 1s -i 3 -r 500ms)
else
  rounds=2 c_iterations=5 c_seconds=2
  jmh_opts=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
fi

out=$root/tests/target/bench
mkdir -p "$out"
# the Java feature version of a java binary, 0 when it does not run here (another architecture's JDK)
feature() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v:-0}"
}
if [[ -z $jdk ]]; then
  java=$(command -v java) || { echo "no java on PATH" >&2; exit 1; }
  jdk=$(dirname "$(dirname "$(readlink -f "$java")")")
  if (( $(feature "$java") < 22 )); then
    [[ -n $also ]] || also=$jdk
    for candidate in /usr/lib/jvm/*/; do
      if [[ -x $candidate/bin/java && -x $candidate/bin/javac ]] && (( $(feature "$candidate/bin/java") >= 22 )); then
        jdk=${candidate%/}
        break
      fi
    done
  fi
fi
[[ $also != none && $also != "$jdk" ]] || also=
java=$jdk/bin/java
export JAVA_HOME=$jdk
# JMH's options for the JVMs it forks on JDK $1's java: native access granted on 22+
native_access() {
  if (( $(feature "$1") >= 22 )); then echo "-jvmArgsAppend --enable-native-access=ALL-UNNAMED"; fi
}
echo "[bench] JDK: $jdk (Java $(feature "$java"))${also:+; the ping-pong groups also on $also (Java $(feature "$also/bin/java")), one round}"
cc=${CC:-gcc} cxx=${CXX:-g++}

if $build; then
  echo "[bench] building benchmarks.jar (mvn package, tests not compiled)"
  (cd "$root" && mvn -B -q -Dmaven.test.skip=true package -pl tests -am)
  echo "[bench] building the C and C++ baselines"
  "$cc" -O2 -Wall -Wextra -Werror -std=gnu11 -o "$out/futex_bench" "$root/tests/src/bench/c/futex_bench.c" -lpthread
  "$cxx" -std=c++20 -O2 -Wall -Wextra -Werror -o "$out/atomic_bench" "$root/tests/src/bench/c/atomic_bench.cpp" -lpthread
fi

# Each group runs its C/C++ baselines right before the JMH benchmarks they are compared with, so
# that both sides see the same machine; the full mode goes through the groups twice (A B A B).
# The groups named "ping-pong" run again on the --also-jdk JDK.
groups=(
  "c:wake c:mismatch cpp:notify|WakeNoWaiter\\.|AwaitMismatch\\.|AtomicWaitBench\\.wakeOneNoWaiter|Alternatives\\.wakeSharedNoWaiter"
  "c:pingpong cpp:pingpong|ThreadPingPong\\.|AtomicWaitBench\\.pingPong|Alternatives\\.inProcess"
  "c:pingpong-proc|Alternatives\\.crossProcess"
  "c:waitv64|AwaitAny64\\."
  "|Broadcast16\\."
  "|MutexBench\\.|SemaphoreLatchBench\\.|ConditionBroadcast16\\.|SharedMutexBench\\."
)
results=$out/baselines.txt
rm -f "$results" "$out"/jmh-*.json "$out"/jmh-*.txt
: > "$results"
# run_jmh JAVA FILE_STEM BENCHMARKS: one JMH run of the benchmarks matching BENCHMARKS
run_jmh() {
  local pattern="dev\\.waitonaddress\\.bench\\.($3)"
  # shellcheck disable=SC2046 # native_access gives zero or two words
  "$1" -jar "$root/tests/target/benchmarks.jar" "${jmh_opts[@]}" -rf json -rff "$out/$2.json" \
    $(native_access "$1") "${jmh_extra[@]}" "$pattern" > "$out/$2.txt" 2>&1 || true
  grep -E '^[A-Za-z0-9]+\.[A-Za-z0-9]+ .*(avgt|sample) |rror|xception' "$out/$2.txt" || true
}
echo "[bench] C/C++: $c_iterations iterations of ${c_seconds}s after one warm-up; JMH: ${jmh_opts[*]} ${jmh_extra[*]:-}"
for round in $(seq 1 "$rounds"); do
  g=0
  for group in "${groups[@]}"; do
    g=$((g + 1))
    [[ -z $only || $group == *"$only"* ]] || continue
    baselines=${group%%|*} benchmarks=${group#*|}
    for b in $baselines; do
      case $b in
        c:*) "$out/futex_bench" "${b#c:}" "$c_iterations" "$c_seconds" | tee -a "$results" ;;
        cpp:*) "$out/atomic_bench" "${b#cpp:}" "$c_iterations" "$c_seconds" | tee -a "$results" ;;
      esac
    done
    run_jmh "$java" "jmh-$round-$g" "$benchmarks"
    if [[ -n $also && $round == 1 && $baselines == *pingpong* ]]; then
      echo "[bench] the same on $also"
      run_jmh "$also/bin/java" "jmh-also-$g" "$benchmarks"
    fi
  done
done

# The idle CPU of each waiter (the Alternatives kinds), once.
if [[ -z $only || "Alternatives IdleCpu" == *"$only"* ]]; then
  echo "[bench] idle CPU of each waiter over 2 s (IdleCpu)"
  # shellcheck disable=SC2046
  "$java" $(native_access "$java" | sed 's/-jvmArgsAppend //') -cp "$root/tests/target/benchmarks.jar" \
    dev.waitonaddress.bench.IdleCpu | tee -a "$results"
fi

shopt -s nullglob
main_json=("$out"/jmh-[0-9]*.json) also_json=("$out"/jmh-also-*.json)
if [[ -n $also && ${#also_json[@]} -gt 0 ]]; then
  python3 "$root/bench/report.py" "$results" "${main_json[@]}" --also "java$(feature "$also/bin/java")" "${also_json[@]}"
else
  python3 "$root/bench/report.py" "$results" "${main_json[@]}"
fi
