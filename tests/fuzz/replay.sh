#!/bin/sh
# Usage: tests/fuzz/replay.sh FUZZER TARGET [DIR...]
# Runs FUZZER (a libFuzzer executable) once on every input of TARGET: its seeds from the fixtures
# (tests/fuzz/seeds.txt), its committed corpus, its regression inputs and every file under the
# DIRs (a campaign's corpus). Exits non-zero when any input crashes, leaks, hits undefined
# behaviour or breaks a property.
# Leaks are checked with full stack unwinding (Xerces has no frame pointers), so that
# tests/fuzz/lsan.supp can name the one leak inside Xerces itself; campaigns run too fast for that
# and leave leak checking to this replay.
set -eu
fuzzer=$1
target=$2
shift 2
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
list=$(mktemp)
log=$(mktemp)
trap 'rm -f "$list" "$log"' EXIT
tests/fuzz/inputs.sh "$target" > "$list"
for dir in "$@"; do
  find "$dir" -type f >> "$list"
done
count=$(wc -l < "$list")
if [ "$count" -eq 0 ]; then
  echo "no inputs for $target" >&2
  exit 1
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$repo/tests/fuzz/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# One process for all inputs: given files rather than directories, libFuzzer runs each once.
if tr '\n' '\0' < "$list" | xargs -0 "$fuzzer" -rss_limit_mb=4096 -timeout=60 > "$log" 2>&1; then
  echo "$target: $count inputs replayed: no crash, leak, undefined behaviour or violated property"
else
  grep -v '^Executed ' "$log" | tail -n 60 >&2
  echo "$target: FAILED (last input: $(grep '^Running: ' "$log" | tail -n 1))" >&2
  exit 1
fi
