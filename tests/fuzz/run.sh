#!/bin/sh
# Usage: tests/fuzz/run.sh MINUTES [TARGET...]
# Fuzzes each target (all when none is named) for MINUTES of wall time, one after the other, and
# prints per target: wall and CPU seconds, executions, exec/s, coverage (edges), features, corpus
# size, crashes, and whether replaying the corpus with leak checking failed.
#
# Needs the fuzz build (clang + libFuzzer + ASan + UBSan):
#   cmake -S . -B build-fuzz -DCOFIN_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DBUILD_TESTING=OFF
#   cmake --build build-fuzz -j2
# Environment: FUZZ_BUILD (default build-fuzz), FUZZ_WORK (default $FUZZ_BUILD/fuzz-work: the
# growing corpora, logs and crash artifacts, kept between runs so campaigns add up).
#
# A crash leaves FUZZ_WORK/TARGET/artifacts/crash-* (or leak-*, timeout-*, oom-*). Make it a
# regression: copy it to tests/fuzz/regressions/TARGET/ (replayed by ctest in both builds), fix
# the bug, and rerun. To keep what a campaign learnt, merge it into the committed corpus:
#   build-fuzz/tests/fuzz/fuzz_TARGET -merge=1 tests/fuzz/corpus/TARGET FUZZ_WORK/TARGET/corpus
set -eu
if [ $# -lt 1 ]; then
  echo "usage: tests/fuzz/run.sh MINUTES [TARGET...]" >&2
  exit 2
fi
minutes=$1
shift
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
build=${FUZZ_BUILD:-build-fuzz}
work=${FUZZ_WORK:-$build/fuzz-work}
targets=${*:-csv_reader csv_report csv_rates amount date encoding money_roundtrip xml_document xml_programme xml_job}
seconds=$(awk "BEGIN { printf \"%d\", $minutes * 60 }")

# Leaks are not checked while fuzzing: Xerces (not built with frame pointers) hides the stacks
# that tell its own known leak (tests/fuzz/lsan.supp) from cofin's, and full unwinding costs 5x
# the speed. Every campaign's corpus is replayed with leak checking afterwards instead.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# The longest input each target tries: long enough for a report or rule set of a few lines and
# for every seed's interesting part, short enough for thousands of executions a second.
max_len_of() {
  case $1 in
    amount|date|money_roundtrip) echo 64 ;;
    encoding|csv_*) echo 8192 ;;
    *) echo 16384 ;;
  esac
}

dict_of() {
  case $1 in
    csv_*|encoding) echo "-dict=tests/fuzz/dict/csv.dict" ;;
    xml_*) echo "-dict=tests/fuzz/dict/xml.dict" ;;
    *) echo "" ;;
  esac
}

printf '%-16s %8s %8s %12s %8s %8s %8s %8s %7s %6s\n' target seconds cpu-s executions exec/s cov ft \
  corpus crashes leaks
found=0
for t in $targets; do
  fuzzer=$build/tests/fuzz/fuzz_$t
  if [ ! -x "$fuzzer" ]; then
    echo "$fuzzer is missing: build the fuzz targets first (see the header of this script)" >&2
    exit 2
  fi
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts" "$work/$t/seeds"
  # Seeds: the fixtures named in seeds.txt, the committed corpus and the regressions.
  tests/fuzz/inputs.sh "$t" | while read -r f; do
    cp "$f" "$work/$t/seeds/$(echo "$f" | tr '/' '_')"
  done
  log=$work/$t/fuzz.log
  # shellcheck disable=SC2046
  /usr/bin/time -f "%U %S" -o "$work/$t/cpu.txt" nice -n 10 "$fuzzer" $(dict_of "$t") -max_total_time="$seconds" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len_of "$t")" -artifact_prefix="$work/$t/artifacts/" \
    "$work/$t/corpus" "$work/$t/seeds" > "$log" 2>&1 || true
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  cpu=$(tail -n 1 "$work/$t/cpu.txt" 2>/dev/null | awk '{ printf "%d", $1 + $2 }')
  corpus=$(find "$work/$t/corpus" -type f | wc -l)
  crashes=$(find "$work/$t/artifacts" -type f | wc -l)
  [ "$crashes" -eq 0 ] || found=1
  # The whole corpus again, with leak checking (see replay.sh).
  leaks=0
  if ! env -u ASAN_OPTIONS tests/fuzz/replay.sh "$fuzzer" "$t" "$work/$t/corpus" \
      > "$work/$t/replay.log" 2>&1; then
    leaks=1
    found=1
  fi
  printf '%-16s %8s %8s %12s %8s %8s %8s %8s %7s %6s\n' "$t" "$seconds" "$cpu" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "$corpus" "$crashes" "$leaks"
done
if [ "$found" -ne 0 ]; then
  echo "crashes found: see $work/*/artifacts and the fuzz.log next to them; leaks (or a" \
    "replay failure): $work/*/replay.log" >&2
  exit 1
fi
