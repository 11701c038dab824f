#!/bin/sh
# Workbook writer benchmark and large read-backs: not part of the default ctest run (minutes).
#
#   tests/workbook/bench-workbook.sh [BUILD_DIR]          # 100k and 1M lines: speed and memory
#   FULL=1 tests/workbook/bench-workbook.sh [BUILD_DIR]   # also: 100k lines read back and
#                                                         # compared; 1,100,000 lines over two
#                                                         # real Lines sheets read back (slow)
#
# Each benchmark run writes a generated outcome (tests/workbook/generated_outcome.h) with the
# default options (constant-memory mode from 50,000 rows) and prints wall and CPU rows/second and
# the peak resident memory before and after the write (the writer's own growth); the 100k case
# is also run in normal mode for comparison. /usr/bin/time -v reports the whole process.
set -eu
BUILD=${1:-build}
TESTS="$BUILD/tests/cofin_tests"
[ -x "$TESTS" ] || { echo "no $TESTS: build first" >&2; exit 2; }
OUT=$(mktemp -d "${TMPDIR:-/tmp}/cofin-wb-bench-XXXXXX")
trap 'rm -rf "$OUT"' EXIT

bench() {  # lines, constant-memory threshold
  COFIN_WB_LINES=$1 COFIN_WB_CONSTANT_FROM=$2 COFIN_WB_OUT="$OUT" \
    /usr/bin/time -v "$TESTS" "workbook writer benchmark" 2>"$OUT/time.txt" | grep '^lines'
  grep -E 'Maximum resident|Elapsed|User time|System time' "$OUT/time.txt" | sed 's/^\s*/    /'
  rm -f "$OUT/bench.xlsx"
}

echo "== 100,000 lines, normal mode"
bench 100000 100000000
echo "== 100,000 lines, constant-memory mode"
bench 100000 50000
echo "== 1,000,000 lines, constant-memory mode"
bench 1000000 50000

if [ "${FULL:-0}" = 1 ]; then
  echo "== 100,000 lines read back and compared (openpyxl, read-only)"
  COFIN_WB_LINES=100000 "$TESTS" "[scale-large]"
  echo "== 1,100,000 lines: 'Lines' and 'Lines (2)' read back and compared"
  COFIN_WB_LINES=1100000 "$TESTS" "[scale-large]"
fi
