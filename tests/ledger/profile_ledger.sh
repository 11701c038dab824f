#!/bin/bash
# Instruction counts of the ledger's share of a run (issue #6), repeatable on a busy machine.
# Not part of ctest (about 90 s of valgrind). Runs `cofin run` under callgrind twice on the
# 10k-line benchmark data: a fresh ledger, then the incremental night (the 10k lines of
# extra-csv/ added to the same ledger), and prints the totals and the ledger's top costs.
#
#   tests/ledger/profile_ledger.sh COFIN_BINARY [OUT_DIR]
#
# Data: /tmp/cofin-bench/10k (bench/run.sh 10k makes it; DATA=... to use another folder).
# Output: OUT_DIR/{fresh,inc}.callgrind (default /tmp/cofin-ledger-profile); read them with
#   callgrind_annotate --inclusive=yes OUT_DIR/inc.callgrind | head -60
set -euo pipefail
bin=$(realpath "$1")
out=${2:-/tmp/cofin-ledger-profile}
. "$(dirname "$(realpath "$0")")/bench_job.sh"
prepare_bench_job "$out"
profile() {  # NAME
  valgrind --tool=callgrind --callgrind-out-file="$out/$1.callgrind" "$bin" run job.xml \
    --as-of 2027-06-30 --quiet 2>"$out/$1.valgrind.log" || true
  local total
  total=$(grep -o 'Collected : [0-9]*' "$out/$1.valgrind.log" | awk '{print $3}')
  echo "$1: $total instructions"
  callgrind_annotate --inclusive=yes "$out/$1.callgrind" 2>/dev/null |
    grep -E 'sqlite3_prepare_v[23] \[|sqlite3_step \[|SqliteLedger::(append_audit|audit_head|read_audit_head|record_finding|record_report)|cofin::sha256(_hex)?(\[abi:cxx11\])?\(|cofin::JsonObject::str' |
    grep -v '=>' | sed -E 's/\((long|std::|cofin::).*//' | sed 's/^/  /'
}
profile fresh
cp "$data"/extra-csv/* inbox-csv/
profile inc
