#!/usr/bin/env bash
# Check that the SQL mirror (bench/duckdb_rules.py) finds what dudao finds on
# small submissions with many kinds of failures: every fixture submission, the
# generated districts, and copies of them with optional cells blanked and
# denominators zeroed (bench/perturb.py), where many checks are not evaluable.
# A few seconds per submission. Exit code 1 when a rule disagrees.
#
#   bench/selftest.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PY=${PYTHON:-python3}
TARGET=${CARGO_TARGET_DIR:-target}
case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
DUDAO=$TARGET/release/dudao

cargo build --release --quiet
"$PY" -c 'import duckdb' 2>/dev/null || "$PY" -m pip install --quiet duckdb

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

SUBS=()
for d in fixtures/submissions/*/ fixtures/generated/*/; do
  [ -f "$d/学校.csv" ] && SUBS+=("${d%/}")
done
for src in fixtures/generated/wanzhou-2025 fixtures/submissions/violations-more; do
  [ -d "$src" ] || continue
  for p in 0.01 0.2; do
    dst=$TMP/$(basename "$src")-holes-$p
    "$PY" bench/perturb.py "$src" "$dst" 7 "$p"
    SUBS+=("$dst")
  done
done

STATUS=0
for s in "${SUBS[@]}"; do
  name=${s#"$TMP"/}
  rc=0
  "$DUDAO" check --format json --quiet "$s" > "$TMP/d.json" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "✗ $name: dudao could not load it (exit $rc)"; STATUS=1; continue
  fi
  "$PY" bench/duckdb_rules.py "$s" "$TMP/s.json" 2> /dev/null
  if out=$("$PY" bench/compare.py "$TMP/d.json" "$TMP/s.json" --quiet); then
    ne=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["not_evaluable"])' "$TMP/s.json")
    echo "✓ $name: ${out#compare: }; $ne not evaluable"
  else
    echo "✗ $name:"; echo "$out" | grep -v '^✓'; STATUS=1
  fi
done
exit "$STATUS"
