#!/usr/bin/env bash
# The module story end to end: a small application module that requires dev.waitonaddress is
# linked by jlink with the API, the Linux backend and JNA (jna-jpms, an explicit module), and run
# from the image. Checks (Linux only):
#   1. linked with --bind-services: the image binds linux-futex, NativeSupport accepts it, a
#      two-thread handoff works;
#   2. linked without --bind-services (and without the backend's module): NativeSupport refuses
#      at once and says the image was built without --bind-services;
#   3. linked with the all-in-one module (--add-modules dev.waitonaddress.all), no service binding:
#      linux-futex again;
#   4. on JDK 22+, the image run with the README's flag prints no native-access warning.
#   .ci/jlink.sh            (JAVA_HOME or the java on PATH; the jars are built if missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[[ $(uname -s) == Linux ]] || { echo "[woa] jlink: Linux only (expects linux-futex)"; exit 0; }

jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jlink="$jdk/bin/jlink"
javac="$jdk/bin/javac"
[[ -x $jlink && -x $javac ]] || { echo "[woa] jlink: $jdk has no jlink/javac: a JDK is needed" >&2; exit 1; }
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release")

jar_of() { ls "$root/$1"/target/"$2"-[0-9]*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc' | head -1; }
if [[ -z $(jar_of api wait-on-address-api) || -z $(jar_of all wait-on-address) ]]; then
  mvn -B -q -DskipTests package -pl api,linux,windows,macos,openbsd,freebsd,all "$@"
fi
api=$(jar_of api wait-on-address-api)
linux=$(jar_of linux wait-on-address-linux)
all=$(jar_of all wait-on-address)
others="$(jar_of windows wait-on-address-windows):$(jar_of macos wait-on-address-macos):$(jar_of openbsd wait-on-address-openbsd):$(jar_of freebsd wait-on-address-freebsd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mvn -B -q -pl api dependency:build-classpath -Dmdep.outputFile="$tmp/cp.txt" >/dev/null
jna=$(tr ':' '\n' <"$tmp/cp.txt" | grep 'jna-jpms' | head -1)
[[ -f $jna ]] || { echo "[woa] jlink: jna-jpms not found on the API's class path: $(cat "$tmp/cp.txt")" >&2; exit 1; }

# the application: requires the API only, as the README says
mkdir -p "$tmp/src/woa.app/woa/app"
cat >"$tmp/src/woa.app/module-info.java" <<'JAVA'
module woa.app {
    requires dev.waitonaddress;
}
JAVA
cat >"$tmp/src/woa.app/woa/app/Main.java" <<'JAVA'
package woa.app;

import dev.waitonaddress.NativeAtomicInteger;
import dev.waitonaddress.NativeSupport;
import dev.waitonaddress.Scope;
import dev.waitonaddress.WaitOnAddress;
import dev.waitonaddress.Width;

public final class Main {
    public static void main(String[] args) throws Exception {
        System.out.println("system backend: " + WaitOnAddress.system().name());
        try {
            NativeSupport.ensureAvailability(Width.INT32, Scope.SHARED);
        } catch (IllegalStateException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(3);
        }
        NativeAtomicInteger word = NativeAtomicInteger.allocate();
        Thread waiter = new Thread(() -> {
            try {
                while (word.get() == 0) {
                    word.await(0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        Thread.sleep(50);
        word.set(1);
        word.wakeAll();
        waiter.join(10_000);
        System.out.println(waiter.isAlive() ? "handoff hung" : "handoff ok");
    }
}
JAVA
"$javac" --release 11 --module-path "$api:$jna" -d "$tmp/mods/woa.app" \
  "$tmp/src/woa.app/module-info.java" "$tmp/src/woa.app/woa/app/Main.java"

jmods=""
[[ -d $jdk/jmods ]] && jmods=":$jdk/jmods"   # without jmods, JDK 24+ may link from its run-time image
link() { # output, then jlink options
  local out=$1; shift
  "$jlink" --module-path "$tmp/mods:$api:$linux:$jna:$all:$others$jmods" --strip-debug --no-header-files \
    --no-man-pages --output "$tmp/$out" "$@"
}
flags=()
if [[ $feature -ge 22 ]]; then
  # what the README tells a module-path application on JDK 22+
  flags=(--enable-native-access=com.sun.jna,dev.waitonaddress)
fi
run() { "$tmp/$1/bin/java" "${flags[@]}" -m woa.app/woa.app.Main 2>&1; }
status=0
fail() { echo "[woa] jlink: $*" >&2; status=1; }

# --limit-modules keeps the JDK's own service providers out of the universe (with every JDK module
# observable, --bind-services links dozens of them: many minutes on two cores); the backend is still
# only reached by binding, as the unbound image below shows.
link bound --add-modules woa.app --bind-services --limit-modules woa.app,dev.waitonaddress.linux
out=$(run bound) || true
echo "$out" | sed 's/^/  bound: /'
grep -q "system backend: linux-futex" <<<"$out" && grep -q "handoff ok" <<<"$out" \
  || fail "the image linked with --bind-services did not pick linux-futex and hand off"
if [[ $feature -ge 22 ]] && grep -qi warning <<<"$out"; then
  fail "JDK $feature printed a warning with ${flags[*]}"
fi

link unbound --add-modules woa.app
out=$(run unbound) || true
echo "$out" | sed 's/^/  unbound: /'
grep -q "refused: .*built without --bind-services" <<<"$out" \
  || fail "the image linked without --bind-services was not refused with the fix"

link aggregate --add-modules woa.app,dev.waitonaddress.all
out=$(run aggregate) || true
echo "$out" | sed 's/^/  all: /'
grep -q "system backend: linux-futex" <<<"$out" && grep -q "handoff ok" <<<"$out" \
  || fail "the image with dev.waitonaddress.all did not pick linux-futex"

if [[ $status == 0 ]]; then
  echo "[woa] jlink: JDK $version images: --bind-services picks linux-futex; without it NativeSupport names the fix; dev.waitonaddress.all picks linux-futex"
fi
exit $status
