#!/usr/bin/env bash
# One realistic district end to end, the rule-pack compile time, and the
# scaling curve. Run by `bench/run.sh --district`, or on its own:
#
#   bench/district.sh [--runs N] [--scales "1 10 100"]
#
#   --runs N      runs of the district check and of `dudao rules` (default 10)
#   --scales "…"  data sets of the scaling curve (default "1 10 100"; each is
#                 generated into bench-data/scale-N when missing)
#
# 1. `dudao check --format json --quiet fixtures/generated/wanzhou-2025`,
#    process start to exit, N times: median and fastest wall time, peak RSS
#    (and the DuckDB mirror 3 times, with the agreement of the two).
# 2. `dudao rules > /dev/null` N times: loading and compiling the rule pack
#    and listing it, process start to exit (an upper bound of the compile
#    time); then `examples/bench_compile.rs`: the compile alone (read, parse,
#    check, compile, verify quotes), 50 times in one process.
# 3. `dudao check --format json --quiet` on --scale 1, 10, 100 (and the
#    national set when bench/run.sh has measured it): rows, seconds, rows/s,
#    with the DuckDB mirror on the same data.
#
# Same environment as bench/run.sh (CARGO_TARGET_DIR, BENCH_DATA, BENCH_OUT,
# PYTHON). Exit code 1 when the two sides disagree on a data set.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUNS=10
SCALES="1 10 100"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=${2:?}; shift 2 ;;
    --scales) SCALES=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,22p' "$ROOT/bench/district.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "district.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

START=$(date +%s)
PY=${PY:-${PYTHON:-python3}}
DATA_ROOT=${DATA_ROOT:-${BENCH_DATA:-$ROOT/bench-data}}
OUT_ROOT=${OUT_ROOT:-${BENCH_OUT:-$ROOT/bench/out}}
TARGET=${CARGO_TARGET_DIR:-target}
case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
DUDAO=${DUDAO:-$TARGET/release/dudao}
SCALING_REPEAT=${SCALING_REPEAT:-3}

# The source revision measured (git describe; "-dirty" when the tree has edits).
REV=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -x "$DUDAO" ] || [ -z "${ROOT_BUILT:-}" ]; then
  say "build (cargo build --release, target $TARGET)"
  cargo build --release --quiet
fi
if ! "$PY" -c 'import duckdb' 2>/dev/null; then
  echo "installing duckdb from PyPI (pip install duckdb)"
  "$PY" -m pip install --quiet duckdb
fi

STATUS=0

# measure OUTFILE_PREFIX REPEAT STDOUT CMD...: N runs into PREFIX.run1.json
measure() {
  local prefix=$1 repeat=$2 stdout=$3
  shift 3
  "$PY" "$ROOT/bench/measure.py" --label "$(basename "$prefix")" --repeat "$repeat" --stdout "$stdout" --json "$prefix.run1.json" -- "$@"
}

compare() {
  local out=$1 st=0
  "$PY" "$ROOT/bench/compare.py" "$out/dudao.json" "$out/duckdb.json" > "$out/compare.txt" || st=$?
  echo "$st" > "$out/compare.status"
  tail -n 1 "$out/compare.txt"
  [ "$st" = 0 ] || { grep -v '^✓' "$out/compare.txt" | head -40; STATUS=1; }
}

# --- 1, 2: one district, and the rule pack ---------------------------------------
DISTRICT_DATA=$ROOT/fixtures/generated/wanzhou-2025
OUT=$OUT_ROOT/district
mkdir -p "$OUT"
rm -f "$OUT"/*.run*.json "$OUT/compare.status"
printf '{"data": "%s", "date": "%s", "revision": "%s"}\n' "$DISTRICT_DATA" "$(date -Iseconds)" "$REV" > "$OUT/meta.json"
cat "$DISTRICT_DATA"/*.csv > /dev/null
say "one district: dudao check --format json --quiet ${DISTRICT_DATA#"$ROOT"/} ($RUNS runs)"
measure "$OUT/dudao" "$RUNS" "$OUT/dudao.json" "$DUDAO" check --format json --quiet "$DISTRICT_DATA"
say "rule pack: dudao rules > /dev/null ($RUNS runs)"
measure "$OUT/rules" "$RUNS" /dev/null "$DUDAO" rules
say "rule pack compile alone (cargo run --release --example bench_compile)"
cargo build --release --quiet --example bench_compile
"$TARGET/release/examples/bench_compile" "$ROOT/rules" 50 | tee "$OUT/compile.txt"
say "one district: DuckDB mirror (3 runs)"
measure "$OUT/duckdb" 3 /dev/null "$PY" "$ROOT/bench/duckdb_rules.py" "$DISTRICT_DATA" "$OUT/duckdb.json"
compare "$OUT"
"$PY" "$ROOT/bench/report.py" district "$OUT" "$DISTRICT_DATA"

# --- 3: scaling ----------------------------------------------------------------------
DIRS=()
for n in $SCALES; do
  DATA=$DATA_ROOT/scale-$n
  OUT=$OUT_ROOT/scaling/scale-$n
  if [ ! -f "$DATA/学校.csv" ] || [ ! -f "$DATA/教师.csv" ]; then
    say "generating --scale $n into $DATA"
    mkdir -p "$DATA_ROOT"
    "$DUDAO" generate --scale "$n" --seed 2021 "$DATA" > /dev/null
  fi
  mkdir -p "$OUT"
  rm -f "$OUT"/*.run*.json "$OUT/compare.status"
  printf '{"data": "%s", "date": "%s", "revision": "%s"}\n' "$DATA" "$(date -Iseconds)" "$REV" > "$OUT/meta.json"
  cat "$DATA"/*.csv > /dev/null
  say "scale $n: dudao and DuckDB ($SCALING_REPEAT runs each)"
  measure "$OUT/dudao" "$SCALING_REPEAT" "$OUT/dudao.json" "$DUDAO" check --format json --quiet "$DATA"
  measure "$OUT/duckdb" "$SCALING_REPEAT" /dev/null "$PY" "$ROOT/bench/duckdb_rules.py" "$DATA" "$OUT/duckdb.json"
  compare "$OUT"
  DIRS+=("$OUT")
done
# The national comparison of bench/run.sh, when it has been run.
if [ -f "$OUT_ROOT/national/dudao.json" ] && [ -f "$OUT_ROOT/national/meta.json" ]; then
  DIRS+=("$OUT_ROOT/national")
fi
say "scaling"
"$PY" "$ROOT/bench/report.py" scaling "$OUT_ROOT/scaling" "${DIRS[@]}"

say "district and scaling done in $(( $(date +%s) - START )) s"
exit "$STATUS"
