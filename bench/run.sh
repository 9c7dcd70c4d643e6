#!/usr/bin/env bash
# The benchmark: dudao against the same rules written as SQL for DuckDB.
#
#   bench/run.sh [--scale national|N] [--repeat N] [--skip-national] [--district]
#
#   --scale national|N  the data set (default national: ~520,000 schools,
#                       2.3 GB of CSV); N = N districts. Generated with seed
#                       2021 into bench-data/national or bench-data/scale-N
#                       when missing.
#   --repeat N          run each side N times, alternating (default 1); the
#                       median and the fastest run are reported.
#   --skip-national     skip the comparison on the big data set.
#   --district          also run bench/district.sh: one district end to end,
#                       the rule-pack compile time and the scaling curve.
#
# Environment: CARGO_TARGET_DIR (where cargo builds, default target/),
# BENCH_DATA (where data sets are generated, default bench-data/),
# BENCH_OUT (results, default bench/out/), PYTHON (default python3).
#
# Exit code: 0 when every rule agrees, 1 when a rule disagrees (or a step
# failed). See bench/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SCALE=national
REPEAT=1
SKIP=0
DISTRICT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=${2:?--scale needs a value}; shift 2 ;;
    --scale=*) SCALE=${1#--scale=}; shift ;;
    --repeat) REPEAT=${2:?--repeat needs a value}; shift 2 ;;
    --skip-national) SKIP=1; shift ;;
    --district) DISTRICT=1; shift ;;
    -h|--help) sed -n '2,21p' "$ROOT/bench/run.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

START=$(date +%s)
PY=${PYTHON:-python3}
DATA_ROOT=${BENCH_DATA:-$ROOT/bench-data}
OUT_ROOT=${BENCH_OUT:-$ROOT/bench/out}
TARGET=${CARGO_TARGET_DIR:-target}
case "$TARGET" in /*) ;; *) TARGET=$ROOT/$TARGET ;; esac
DUDAO=$TARGET/release/dudao
export ROOT PY DATA_ROOT OUT_ROOT DUDAO
export ROOT_BUILT=1

# The source revision measured (git describe; "-dirty" when the tree has edits).
REV=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "build (cargo build --release, target $TARGET)"
cargo build --release --quiet
"$DUDAO" --version 2>/dev/null || true

say "DuckDB"
if ! "$PY" -c 'import duckdb' 2>/dev/null; then
  echo "installing duckdb from PyPI (pip install duckdb)"
  "$PY" -m pip install --quiet duckdb
fi
"$PY" -c 'import duckdb; print("duckdb", duckdb.__version__)'

# generate DIR SCALE: write the data set unless it is there.
generate() {
  local dir=$1 scale=$2
  if [ ! -f "$dir/学校.csv" ] || [ ! -f "$dir/教师.csv" ]; then
    echo "generating --scale $scale into $dir"
    mkdir -p "$(dirname "$dir")"
    "$DUDAO" generate --scale "$scale" --seed 2021 "$dir" >/dev/null
  fi
}

# bench_pair DATA OUTDIR REPEAT: measure dudao and DuckDB on DATA (alternating),
# then compare their failing entities. Returns compare's exit code.
bench_pair() {
  local data=$1 out=$2 repeat=$3 i
  mkdir -p "$out"
  rm -f "$out"/dudao.run*.json "$out"/duckdb.run*.json "$out"/compare.status
  printf '{"data": "%s", "date": "%s", "revision": "%s"}\n' "$data" "$(date -Iseconds)" "$REV" > "$out/meta.json"
  # Read the files once, so that both sides start with them in the page cache.
  cat "$data"/*.csv > /dev/null
  for i in $(seq 1 "$repeat"); do
    echo "run $i/$repeat: dudao check --format json --quiet $data"
    "$PY" "$ROOT/bench/measure.py" --label dudao --stdout "$out/dudao.json" --json "$out/dudao.run$i.json" \
      -- "$DUDAO" check --format json --quiet "$data"
    echo "run $i/$repeat: python3 bench/duckdb_rules.py $data"
    "$PY" "$ROOT/bench/measure.py" --label duckdb --json "$out/duckdb.run$i.json" \
      -- "$PY" "$ROOT/bench/duckdb_rules.py" "$data" "$out/duckdb.json"
  done
  local st=0
  "$PY" "$ROOT/bench/compare.py" "$out/dudao.json" "$out/duckdb.json" > "$out/compare.txt" || st=$?
  echo "$st" > "$out/compare.status"
  return "$st"
}

STATUS=0
if [ "$SKIP" = 0 ]; then
  case "$SCALE" in
    national) NAME=national ;;
    district) NAME=district ;;
    *[!0-9]*|'') echo "run.sh: --scale must be national or a number" >&2; exit 2 ;;
    *) NAME=scale-$SCALE ;;
  esac
  DATA=$DATA_ROOT/$NAME
  OUT=$OUT_ROOT/$NAME
  say "data set: $DATA"
  generate "$DATA" "$SCALE"
  du -sh "$DATA"
  say "measure ($REPEAT run(s) each)"
  bench_pair "$DATA" "$OUT" "$REPEAT" || STATUS=$?
  say "agreement (bench/compare.py; full table in $OUT/compare.txt)"
  if [ "$STATUS" = 0 ]; then
    tail -n 1 "$OUT/compare.txt"
  else
    grep -v '^✓' "$OUT/compare.txt" || true
  fi
  say "results"
  "$PY" "$ROOT/bench/report.py" compare "$OUT" "$DATA"
fi

if [ "$DISTRICT" = 1 ]; then
  bash "$ROOT/bench/district.sh" || STATUS=1
fi

say "done in $(( $(date +%s) - START )) s"
exit "$STATUS"
