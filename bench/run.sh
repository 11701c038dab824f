#!/bin/bash
# The cofin benchmark (issue #6): every stage separately and end to end, each beside the floor
# measured in the same run. Not part of ctest. Build first (Release):
#
#   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release && cmake --build build-bench -j2
#   bench/run.sh [SIZES]        # default: 10k 100k 1M; 5M only when asked for
#
# Environment: BUILD (build-bench), DATA (/tmp/cofin-bench: generated data, kept between runs and
# regenerated when missing), RUNS (3: runs per figure, the median is shown), RUNS_LARGE (1: runs
# per figure at 1M and above).
#
# Stages (lines = expense lines of the partner reports; controls and events come with them):
#   cat-csv, cat-xml   floor: cat of the inbox bytes > /dev/null (page cache warm)
#   csv-1t, csv-2t     CSV ingest + checks + computation, no ledger, no workbook
#                      (cofin_bench_compute: load_document + compute_portfolio), 1 and 2 threads
#   xerces-1t/-2t      floor: Xerces SAX2 + XSD validation, empty handler, same schemas and pool
#   xml-1t, xml-2t     XML ingest with validation (load_document on the same files)
#   xlsx-floor         floor: libxlsxwriter writing the cells of cofin's programme-wide workbook
#                      (bench/count_cells.py), same formats and mode, one thread
#   wb                 cofin's programme-wide workbook alone (write_run_workbooks, no ledger)
#   wb-pp              the per-project workbooks alone, two writer threads (the issue's "same cells
#                      split into per-project workbooks written in parallel")
#   wb-all             the programme-wide and the per-project workbooks, as `cofin run` writes them
#                      (two writer threads)
#   e2e                `cofin run` of the CSV inbox, fresh ledger, programme-wide workbook, inbox
#                      mode `move` (production: accepted originals go to the archive)
#   e2e-pp             the same with <workbooks per-project="true"/> (inbox mode `keep`)
#   incr               `cofin run` after e2e with 10k more lines in the inbox (settle time 0, mode
#                      `move`: the inbox holds only the new files, the archive the ledger's); the
#                      run log's phases are printed below it ("before the workbook" is the target)
# Wall times: /usr/bin/time for whole processes (e2e, cat), the programs' own clocks for stages
# inside a process (they exclude loading the rule set, registry and rates). Peak RSS from
# /usr/bin/time -f %M (whole process). Each row shows the 1-minute load average before it.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$(realpath "${BUILD:-build-bench}")
DATA=${DATA:-/tmp/cofin-bench}
RUNS=${RUNS:-3}
RUNS_LARGE=${RUNS_LARGE:-1}
SIZES=${*:-10k 100k 1M}
B=$BUILD/bench
for p in "$BUILD/cofin" "$B/cofin_bench_generate" "$B/cofin_bench_compute" \
  "$B/cofin_bench_xerces_floor" "$B/cofin_bench_xlsx_floor"; do
  [ -x "$p" ] || { echo "no $p: build first (see the header of $0)" >&2; exit 2; }
done
TIMEFILE=$(mktemp)
CPULOG=$(mktemp)  # "wall user sys" of every timed process, for the cores-used figure
trap 'rm -f "$TIMEFILE" "$CPULOG"' EXIT

lines_of() {
  case $1 in
    *k) echo $((${1%k} * 1000)) ;;
    *M) echo $((${1%M} * 1000000)) ;;
    *) echo "$1" ;;
  esac
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
field() { tr ' ' '\n' | awk -v k="$1" 'prev==k {print; exit} {prev=$0}'; }  # value after key

# timed OUTFILE CMD...: runs CMD under /usr/bin/time; OUTFILE gets CMD's stdout; prints "WALL RSS_KIB".
timed() {
  local out=$1; shift
  /usr/bin/time -f '%e %M %U %S' -o "$TIMEFILE" "$@" >"$out"
  awk '{print $1, $3, $4}' "$TIMEFILE" >>"$CPULOG"
  awk '{print $1, $2}' "$TIMEFILE"
}
# Prints the median cores used, (user + sys) / wall, of the processes timed since the last call:
# about 1 when 2 threads got one core between them, towards 2 when they ran in parallel.
cores_used() {
  awk '$1 > 0 {print ($2 + $3) / $1}' "$CPULOG" | median | awk '{printf "%.2f", $1}'
  : >"$CPULOG"
}

printf '%-6s %-11s %9s %12s %8s %-11s %9s %7s %5s\n' size stage wall_s lines_per_s rss_MiB \
  floor floor_s ratio load
row() {  # size stage wall lines rss_kib floor floor_s load
  awk -v size="$1" -v st="$2" -v w="$3" -v n="$4" -v rss="$5" -v fl="$6" -v fs="$7" -v ld="$8" \
    'BEGIN { r = (fs > 0) ? sprintf("%.2f", w / fs) : "-";
             lps = (w > 0 && n > 0) ? sprintf("%.0f", n / w) : "-";
             m = (rss > 0) ? sprintf("%.0f", rss / 1024) : "-";
             printf "%-6s %-11s %9.3f %12s %8s %-11s %9s %7s %5s\n", size, st, w, lps, m, fl,
                    (fs > 0 ? sprintf("%.3f", fs) : "-"), r, ld }'
}

for size in $SIZES; do
  n=$(lines_of "$size")
  runs=$RUNS
  [ "$n" -ge 1000000 ] && runs=$RUNS_LARGE
  d=$DATA/$size
  if [ ! -f "$d/counts.txt" ] || [ "$(awk '$1=="lines"{print $2}' "$d/counts.txt")" != "$n" ]; then
    "$B/cofin_bench_generate" --out "$d" --lines "$n" --extra-lines 10000 >/dev/null
  fi
  tmp=$d/tmp && mkdir -p "$tmp"

  # --- floors: reading the bytes
  for kind in csv xml; do
    w=() ; ld=$(load1)
    for _ in $(seq "$runs"); do
      t0=$EPOCHREALTIME
      cat "$d/inbox-$kind"/* >/dev/null
      w+=("$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.4f", b - a}')")
    done
    eval "cat_$kind=$(printf '%s\n' "${w[@]}" | median)"
    v=cat_$kind; row "$size" "cat-$kind" "${!v}" "$n" 0 - 0 "$ld"
  done

  # --- CSV ingest + checks + computation
  for t in 1 2; do
    w=(); r=(); ld=$(load1); : >"$CPULOG"
    for _ in $(seq "$runs"); do
      tr_=$(timed "$tmp/out" "$B/cofin_bench_compute" "$d" inbox-csv "$t")
      w+=("$(field total_s <"$tmp/out")"); r+=("${tr_#* }")
    done
    row "$size" "csv-${t}t" "$(printf '%s\n' "${w[@]}" | median)" "$n" \
      "$(printf '%s\n' "${r[@]}" | median)" cat-csv "$cat_csv" "$ld"
    echo "#      csv-${t}t cores used (user+sys)/wall: $(cores_used)"
  done

  # --- XML: Xerces floor and cofin's ingest, 1 and 2 threads
  for t in 1 2; do
    w=(); r=(); ld=$(load1); : >"$CPULOG"
    for _ in $(seq "$runs"); do
      tr_=$(timed "$tmp/out" "$B/cofin_bench_xerces_floor" "$d/inbox-xml" "$t")
      w+=("$(field total_s <"$tmp/out")"); r+=("${tr_#* }")
    done
    eval "xerces_$t=$(printf '%s\n' "${w[@]}" | median)"
    v=xerces_$t; row "$size" "xerces-${t}t" "${!v}" "$n" "$(printf '%s\n' "${r[@]}" | median)" \
      cat-xml "$cat_xml" "$ld"
    echo "#      xerces-${t}t cores used (user+sys)/wall: $(cores_used)"
    w=(); r=(); ld=$(load1)
    for _ in $(seq "$runs"); do
      tr_=$(timed "$tmp/out" "$B/cofin_bench_compute" "$d" inbox-xml "$t")
      w+=("$(field load_s <"$tmp/out")"); r+=("${tr_#* }")
    done
    row "$size" "xml-${t}t" "$(printf '%s\n' "${w[@]}" | median)" "$n" \
      "$(printf '%s\n' "${r[@]}" | median)" "xerces-${t}t" "${!v}" "$ld"
    echo "#      xml-${t}t cores used (user+sys)/wall (whole process): $(cores_used)"
  done

  # --- end to end: cofin run, fresh ledger each time; the last run is then extended by 10k lines
  sed -e 's/<name>csv</<name>inc</' -e 's/inbox-csv/inbox-inc/' -e 's/var-csv/var-inc/g' \
    -e 's/out-csv/out-inc/' -e 's/mode="keep"/mode="move"/' "$d/job-csv.xml" >"$d/job-inc.xml"
  for job in csvpp csv; do  # csv last: the incremental run continues its ledger
    w=(); r=(); ld=$(load1)
    for _ in $(seq "$runs"); do
      rm -rf "$d/var-$job" "$d/out-$job" "$d/var-inc" "$d/out-inc" "$d/inbox-inc"
      mkdir -p "$d/out-$job"
      jobfile=$d/job-$job.xml
      if [ "$job" = csv ]; then
        cp -al "$d/inbox-csv" "$d/inbox-inc" && mkdir -p "$d/out-inc" && jobfile=$d/job-inc.xml
      fi
      tr_=$(timed "$tmp/out" "$BUILD/cofin" run "$jobfile" --as-of 2027-06-30 --quiet)
      w+=("${tr_% *}"); r+=("${tr_#* }")
    done
    eval "e2e_$job=$(printf '%s\n' "${w[@]}" | median)"
    eval "e2e_${job}_rss=$(printf '%s\n' "${r[@]}" | median)"
    eval "e2e_${job}_load=$ld"
  done
  # The cells of the programme-wide workbook, before the incremental run replaces it.
  read -r S N F A U C < <(/usr/bin/python3 "$ROOT/bench/count_cells.py" "$d"/out-inc/*.xlsx)
  # The incremental night: 10k lines more into the ledger the last e2e run left.
  cp -l "$d"/extra-csv/* "$d/inbox-inc/"
  ld_incr=$(load1)
  tr_=$(timed "$tmp/out" "$BUILD/cofin" run "$d/job-inc.xml" --as-of 2027-06-30 --quiet)
  incr_w=${tr_% *}; incr_rss=${tr_#* }
  incr_log=$(ls -t "$d"/var-inc/logs/run-*.log | head -1)
  incr_phases=$(grep -h -o 'time: .*' "$incr_log" | head -1)
  incr_before_wb=$(echo "$incr_phases" | awk '{print $2 + $8 + $14}')

  # --- the libxlsxwriter floor for the cells of the programme-wide workbook
  w=(); r=(); ld=$(load1)
  for _ in $(seq "$runs"); do
    tr_=$(timed "$tmp/out" "$B/cofin_bench_xlsx_floor" "$tmp/floor.xlsx" "$S" "$N" "$F" "$A" "$U" "$C")
    w+=("${tr_% *}"); r+=("${tr_#* }")
  done
  xlsx=$(printf '%s\n' "${w[@]}" | median)
  row "$size" xlsx-floor "$xlsx" "$n" "$(printf '%s\n' "${r[@]}" | median)" - 0 "$ld"
  echo "#      cells: $S strings (avg $A chars, $U unique), $N numbers, $F formulas; constant-memory $C" 

  # --- cofin's workbooks alone (the outcome computed in the same process, not timed here)
  w=(); p=(); q=(); r=(); ld=$(load1)
  for _ in $(seq "$runs"); do
    tr_=$(timed "$tmp/out" "$B/cofin_bench_compute" "$d" inbox-csv 1 1 "$tmp/wb")
    w+=("$(field wb_s <"$tmp/out")"); p+=("$(field wb_pp_only_s <"$tmp/out")")
    q+=("$(field wb_pp_total_s <"$tmp/out")"); r+=("${tr_#* }")
  done
  wb=$(printf '%s\n' "${w[@]}" | median)
  row "$size" wb "$wb" "$n" 0 xlsx-floor "$xlsx" "$ld"
  row "$size" wb-pp "$(printf '%s\n' "${p[@]}" | median)" "$n" 0 xlsx-floor "$xlsx" "$ld"
  row "$size" wb-all "$(printf '%s\n' "${q[@]}" | median)" "$n" 0 xlsx-floor "$xlsx" "$ld"
  row "$size" e2e "$e2e_csv" "$n" "$e2e_csv_rss" xlsx-floor "$xlsx" "$e2e_csv_load"
  row "$size" e2e-pp "$e2e_csvpp" "$n" "$e2e_csvpp_rss" xlsx-floor "$xlsx" "$e2e_csvpp_load"
  row "$size" incr "$incr_w" 10000 "$incr_rss" wb "$wb" "$ld_incr"
  echo "#      incr minus wb: $(awk -v a="$incr_w" -v b="$wb" 'BEGIN{printf "%.3f", a - b}') s; runs per figure: $runs"
  echo "#      incr run log: $incr_phases"
  echo "#      incr before the workbook by its log (target <= 2 s): $incr_before_wb s"
  rm -rf "$tmp" "$d/inbox-inc"
done
