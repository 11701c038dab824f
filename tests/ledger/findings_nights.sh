#!/bin/bash
# Three nights of one job on the benchmark data (issue #6): what the findings bookkeeping costs
# and how the findings table grows. Not part of ctest (about 10 s; 3 minutes with CALLGRIND=1).
#
#   tests/ledger/findings_nights.sh COFIN_BINARY [OUT_DIR]
#
# Night 1: the 10k lines of inbox-csv/ on a fresh ledger. Night 2: extra-csv/ (10k more lines)
# without its events file. Night 3: that events file alone (approvals and payments: nothing new
# to find, but the portfolio is recomputed and every finding recorded again, the regime of a
# night on a big ledger). Prints each night's wall time and the run log's timing line, then
# the findings rows, `finding` audit events and what the runs table says about each run.
# CALLGRIND=1 runs each night under callgrind (OUT_DIR/night-N.callgrind) and prints
# record_finding's inclusive instructions; read more with
#   callgrind_annotate --inclusive=yes OUT_DIR/night-3.callgrind | head -60
# Data: /tmp/cofin-bench/10k (bench/run.sh 10k makes it; DATA=... to use another folder).
# Needs the sqlite3 command-line shell.
set -euo pipefail
bin=$(realpath "$1")
out=$(realpath -m "${2:-/tmp/cofin-findings-nights}")
. "$(dirname "$(realpath "$0")")/bench_job.sh"
prepare_bench_job "$out"
db=var-csv/ledger.sqlite

night() {  # N
  local n=$1 start end
  start=$(date +%s.%N)
  if [ "${CALLGRIND:-0}" = 1 ]; then
    valgrind --tool=callgrind --callgrind-out-file="$out/night-$n.callgrind" "$bin" run job.xml \
      --as-of 2027-06-30 --quiet 2>"$out/night-$n.valgrind.log" || true
  else
    "$bin" run job.xml --as-of 2027-06-30 --quiet
  fi
  end=$(date +%s.%N)
  printf 'night %s: %.3f s wall; %s\n' "$n" "$(echo "$end - $start" | bc)" \
    "$(grep -h 'cofin: time:' "var-csv/logs/run-$n.log" | sed 's/^.*cofin: time: //')"
  if [ "${CALLGRIND:-0}" = 1 ]; then
    echo "  $(grep -o 'Collected : [0-9]*' "$out/night-$n.valgrind.log")"
    callgrind_annotate --inclusive=yes "$out/night-$n.callgrind" 2>/dev/null |
      grep -E 'SqliteLedger::record_finding|cofin::finding_fingerprint|RunFingerprints::digest' |
      grep -v '=>' | sed -E 's/\((long|std::|cofin::).*//' | sed 's/^/  /'
  fi
}

night 1
for f in "$data"/extra-csv/*; do
  case $f in *-events.xml) ;; *) cp "$f" inbox-csv/ ;; esac
done
night 2
cp "$data"/extra-csv/*-events.xml inbox-csv/
night 3

echo "findings rows: $(sqlite3 "$db" 'SELECT count(*) FROM findings')," \
  "distinct: $(sqlite3 "$db" 'SELECT count(DISTINCT fingerprint) FROM findings')," \
  "finding events: $(sqlite3 "$db" "SELECT count(*) FROM audit_events WHERE kind = 'finding'")," \
  "ledger $(du -k "$db" | cut -f1) KB, schema $(sqlite3 "$db" 'PRAGMA user_version')"
echo "run  findings  rows-first-seen  finding-set-size  finding-set-sha256"
sqlite3 -separator '  ' "$db" \
  "SELECT id, findings, (SELECT count(*) FROM findings f WHERE f.run_id = runs.id) FROM runs" |
  while IFS= read -r line; do
    id=${line%%  *}
    set=$(sqlite3 -separator '  ' "$db" \
      "SELECT finding_set_size, finding_set_sha256 FROM runs WHERE id = $id" 2>/dev/null || echo '-  -')
    echo "$line  $set"
  done
