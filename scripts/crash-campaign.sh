#!/bin/sh
# Crash campaign for `cofin run` (issue #5): kills the run after every durable step in turn,
# then at random moments of a large run, reruns it each time and checks the oracle of
# tests/crash/crash.py (integrity, one place and one state per input, no duplicates, ledger =
# recomputation from the archived originals, audit trail verifies). Not part of ctest: it
# runs for a long time. Prints how many kill points were tried and how many survived.
#
#   scripts/crash-campaign.sh [BUILD_DIR] [PASSES] [RANDOM_TRIALS] [LARGE_LINES]
#     BUILD_DIR      where `cofin` is built (default: build)
#     PASSES         passes over every durable step of the small workload (default: 10)
#     RANDOM_TRIALS  kill -9 at a random moment of the large workload (default: 1000)
#     LARGE_LINES    lines in each of the large workload's 3 big reports (default: 20000)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
passes=${2:-10}
random_trials=${3:-1000}
lines=${4:-20000}
export COFIN_BINARY="$(cd "$build" && pwd)/cofin"
export COFIN_SOURCE_DIR="$here"
py=/usr/bin/python3
harness="$here/tests/crash/crash.py"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/cofin-crash.XXXXXX")
failures="$scratch/failures.txt"
: >"$failures"

$py "$harness" prepare "$scratch/small" >/dev/null
steps=$($py "$harness" steps "$scratch/small")
echo "small workload: $steps durable steps per run; $passes pass(es) over every step"
tried=0
survived=0
pass=1
while [ "$pass" -le "$passes" ]; do
  k=1
  while [ "$k" -le "$steps" ]; do
    out=$($py "$harness" trial "$scratch/small" "$k")
    tried=$((tried + 1))
    case "$out" in
      ok*) survived=$((survived + 1)) ;;
      *) printf '%s\n' "$out" >>"$failures" ;;
    esac
    k=$((k + 1))
  done
  echo "  pass $pass: $survived/$tried survived so far"
  pass=$((pass + 1))
done
echo "enumerated kill points: $tried tried, $survived survived"

$py "$harness" prepare "$scratch/large" --large "$lines" >/dev/null
start=$(date +%s.%N)
$py "$harness" steps "$scratch/large" >/dev/null
end=$(date +%s.%N)
duration=$(echo "$end - $start" | bc)
echo "large workload: one uninterrupted run takes ${duration}s; killing at random within it"
rtried=0
rsurvived=0
rkilled=0
i=1
while [ "$i" -le "$random_trials" ]; do
  out=$($py "$harness" trial "$scratch/large" "random:$duration")
  rtried=$((rtried + 1))
  case "$out" in
    ok*) rsurvived=$((rsurvived + 1)) ;;
    *) printf '%s\n' "$out" >>"$failures" ;;
  esac
  case "$out" in *"(killed)"*) rkilled=$((rkilled + 1)) ;; esac
  if [ $((i % 100)) -eq 0 ]; then echo "  $rsurvived/$rtried survived so far"; fi
  i=$((i + 1))
done
echo "random kills: $rtried tried ($rkilled caught mid-run), $rsurvived survived"
echo "TOTAL: $((tried + rtried)) kill points tried, $((survived + rsurvived)) survived"
if [ -s "$failures" ]; then
  echo "failures (also in $failures):"
  head -50 "$failures"
  exit 1
fi
rm -rf "$scratch"
