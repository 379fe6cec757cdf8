#!/usr/bin/env bash
# What Central needs of each published module, checked on the built tree (run after mvn verify):
#   - the jar, a -sources.jar and a -javadoc.jar (the BOM: its POM only);
#   - the BOM (which has no parent) names every published artifact, at the parent's version, and
#     the parent's JNA version and reproducible-build time stamp;
#   - every published POM has a licence, url, scm and developers (inherited from the parent).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
status=0
fail() { echo "[woa] published artifacts: $*" >&2; status=1; }

prop() { # file, XPath-less: the first <name>value</name> at project level (good enough for these POMs)
  sed -n "s:.*<$2>\(.*\)</$2>.*:\1:p" "$1" | head -1
}
version=$(sed -n '/<parent>/,/<\/parent>/!s:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
[[ -n $version ]] || fail "no version in pom.xml"

declare -A artifact=([api]=wait-on-address-api [linux]=wait-on-address-linux [windows]=wait-on-address-windows
  [macos]=wait-on-address-macos [openbsd]=wait-on-address-openbsd [freebsd]=wait-on-address-freebsd [sync]=wait-on-address-sync [all]=wait-on-address)
for m in "${!artifact[@]}"; do
  a=${artifact[$m]}
  for kind in "" -sources -javadoc; do
    [[ -s $m/target/$a-$version$kind.jar ]] || fail "$m/target/$a-$version$kind.jar is missing (run mvn -B verify first)"
  done
  grep -q "<artifactId>$a</artifactId>" bom/pom.xml || fail "the BOM does not list $a"
  grep -q "<module>$m</module>" pom.xml || fail "the parent does not build module $m"
done
[[ $(sed -n 's:^  <version>\(.*\)</version>:\1:p' bom/pom.xml | head -1) == "$version" ]] \
  || fail "bom/pom.xml's version differs from the parent's $version"
[[ $(prop bom/pom.xml jna.version) == "$(prop pom.xml jna.version)" ]] || fail "the BOM's jna.version differs from the parent's"
[[ $(prop bom/pom.xml project.build.outputTimestamp) == "$(prop pom.xml project.build.outputTimestamp)" ]] \
  || fail "the BOM's project.build.outputTimestamp differs from the parent's"
for f in pom.xml bom/pom.xml; do
  for tag in '<licenses>' '<url>' '<scm' '<developers>' '<description>'; do
    grep -q "$tag" "$f" || fail "$f has no $tag"
  done
done
[[ -f LICENSE ]] || fail "no LICENSE file"
[[ $status == 0 ]] && echo "[woa] published artifacts: ${#artifact[@]} modules with jar, sources and javadoc at $version; the BOM lists them all"
exit $status
