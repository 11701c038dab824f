#!/bin/sh
# Usage: tests/hostile/large-inputs.sh [COFIN]      (COFIN: the binary, default build/cofin)
#
# The slow half of the hostile corpus (issue #7), kept out of ctest: a generated 100 MB partner
# report (421,209 well-formed lines) goes through the real `cofin run` and must be accepted whole,
# with the Summary's declared total equal to lines × 121.00 EUR, read back with Debian's openpyxl.
# Prints wall time and peak memory (GNU time). Takes ~30 s in Release on an idle core and needs
# about 2 GB of memory and 150 MB of disk under $TMPDIR. (The default suite checks the same file
# with `cofin check` and an impossible date on its last line: tests/hostile/hostile_corpus_test.cpp.)
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cofin=${1:-$repo/build/cofin}
case $cofin in /*) ;; *) cofin=$PWD/$cofin ;; esac
[ -x "$cofin" ] || { echo "no cofin binary at $cofin" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/inbox"

lines=$(/usr/bin/python3 - "$work/inbox/big-report.csv" <<'EOF'
import sys
head = ('project,partner,report,period-start,period-end,submitted-on,line,category,unit-cost,'
        'units,internal-ref,invoice-no,invoice-date,payment-date,supplier,supplier-id,'
        'procurement-ref,description,invoice-total,vat,declared,currency,reincluded-from\n')
row = ('INJ-0001,1,1,2024-01-01,2024-06-30,2024-07-15,{n},external,,,INT-{n},INV-{n},2024-03-01,'
       '2024-03-15,SIA Piegādātājs,LV40003000000,,"Catering, coffee breaks and a long description '
       'to make rows realistic {n}",121.00,21.00,121.00,EUR,\n')
with open(sys.argv[1], 'w', encoding='utf-8') as f:
    f.write(head)
    n = size = 0
    while size < 100 * 1024 * 1024:
        n += 1
        r = row.format(n=n)
        f.write(r)
        size += len(r.encode())
print(n)
EOF
)
cat > "$work/job.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<job xmlns="urn:cofin:job:1">
  <name>large</name>
  <inbox dir="inbox" mode="keep" settle-seconds="0"/>
  <archive dir="archive"/>
  <quarantine dir="quarantine"/>
  <programme file="$repo/jobs/programmes/central-baltic-2021-2027.xml"/>
  <registry file="$repo/fixtures/hostile/run/registry.xml"/>
  <ledger>sqlite:var/ledger.sqlite</ledger>
  <output dir="reports"/>
</job>
EOF
echo "large-inputs: $(du -h "$work/inbox/big-report.csv" | cut -f1) report, $lines lines"
/usr/bin/time -f "large-inputs: cofin run: %e s wall, %U s user, %M KB peak memory" \
  "$cofin" run "$work/job.xml" --as-of 2025-03-01 --quiet > "$work/run.out" 2>&1 || {
  cat "$work/run.out" >&2
  echo "large-inputs: FAILED: cofin run did not succeed" >&2
  exit 1
}
grep 'large-inputs:' "$work/run.out" || true
workbook=$work/reports/large-2025-03-01.xlsx
[ -f "$workbook" ] || { echo "large-inputs: FAILED: no workbook" >&2; exit 1; }
declared=$(/usr/bin/python3 - "$workbook" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)['Summary']
for r in ws.iter_rows(values_only=True):
    if r and r[0] == 'INJ-0001':
        print('%.2f' % r[8])
EOF
)
expected=$(awk "BEGIN { printf \"%.2f\", $lines * 121 }")
if [ "$declared" != "$expected" ]; then
  echo "large-inputs: FAILED: declared $declared EUR in the Summary, expected $expected" >&2
  exit 1
fi
echo "large-inputs: accepted whole: Summary declared $declared EUR = $lines x 121.00"
