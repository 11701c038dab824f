# Sourced by the ledger's manual measurement scripts (profile_ledger.sh, findings_nights.sh):
# copies the 10k benchmark job into OUT/work and enters it; sets `data` and `work`.
#   prepare_bench_job OUT     (DATA=... for another data folder; bench/run.sh 10k makes it)
prepare_bench_job() {
  data=${DATA:-/tmp/cofin-bench/10k}
  [ -d "$data/inbox-csv" ] && [ -d "$data/extra-csv" ] || { echo "no data in $data: run bench/run.sh 10k" >&2; exit 2; }
  work=$1/work
  rm -rf "$work" && mkdir -p "$work/out-csv"
  cp -r "$data/inbox-csv" "$data/registry.xml" "$data/rates-sek.csv" "$work/"
  cp "$data/job-csv.xml" "$work/job.xml"  # relative paths: inbox-csv, var-csv, out-csv
  cd "$work"
}
