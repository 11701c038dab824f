#!/bin/sh
# Renders one sheet of a cofin workbook to PNG so a person can look at it (LibreOffice → PDF →
# pdftoppm). Not part of ctest: LibreOffice takes seconds to start.
#
#   tests/render-sheet.sh [WORKBOOK.xlsx] [SHEET] [OUT.png]
#
# Defaults: the newest reports/demo-*.xlsx (running the demo job with ${COFIN:-build/cofin} when
# there is none), sheet "Summary", OUT = /tmp/cofin-SHEET.png (spaces as '-'). Only the first
# page of the sheet is rendered (print set-up: landscape, one page wide). The other sheets are
# hidden in a copy of the workbook; the workbook itself is not changed.
set -eu
cd "$(dirname "$0")/.."
WORKBOOK=${1:-}
SHEET=${2:-Summary}
OUT=${3:-/tmp/cofin-$(printf '%s' "$SHEET" | tr ' ()' '-__').png}

if [ -z "$WORKBOOK" ]; then
  WORKBOOK=$(ls -1 reports/demo-*.xlsx 2>/dev/null | tail -n 1 || true)
  if [ -z "$WORKBOOK" ]; then
    "${COFIN:-build/cofin}" run jobs/demo.xml --quiet || [ $? -eq 1 ]
    WORKBOOK=$(ls -1 reports/demo-*.xlsx | tail -n 1)
  fi
fi
for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "render-sheet: $tool is missing" >&2; exit 2; }
done

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cofin-render-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

# A copy with every other sheet hidden and the wanted one active.
/usr/bin/python3 - "$WORKBOOK" "$SCRATCH/sheet.xlsx" "$SHEET" <<'PY'
import re, sys, zipfile
source, target, wanted = sys.argv[1:]
with zipfile.ZipFile(source) as zin:
    book = zin.read("xl/workbook.xml").decode("utf-8")
    names = [re.sub(r"&apos;", "'", re.sub(r"&amp;", "&", n))
             for n in re.findall(r'<sheet name="([^"]*)"', book)]
    if wanted not in names:
        sys.exit("render-sheet: no sheet %r; sheets: %s" % (wanted, ", ".join(names)))
    index = names.index(wanted)
    count = [0]
    def hide(m):
        i = count[0]; count[0] += 1
        return m.group(0) if i == index else m.group(0).replace("<sheet ", '<sheet state="hidden" ', 1)
    book = re.sub(r"<sheet [^>]*/>", hide, book)
    book = re.sub(r'activeTab="\d+"', "", book)
    book = book.replace("<workbookView ", '<workbookView activeTab="%d" ' % index, 1)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = book.encode("utf-8")
            elif item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b' tabSelected="1"', b"")
            zout.writestr(item, data)
PY

mkdir -p "$SCRATCH/profile"
HOME="$SCRATCH" soffice "-env:UserInstallation=file://$SCRATCH/profile" --headless --norestore \
  --nologo --convert-to pdf --outdir "$SCRATCH" "$SCRATCH/sheet.xlsx" >"$SCRATCH/soffice.log" 2>&1 ||
  { cat "$SCRATCH/soffice.log" >&2; exit 3; }
[ -s "$SCRATCH/sheet.pdf" ] || { cat "$SCRATCH/soffice.log" >&2; exit 3; }
pdftoppm -png -r 200 -f 1 -l 1 -singlefile "$SCRATCH/sheet.pdf" "$SCRATCH/page"
mv "$SCRATCH/page.png" "$OUT"
echo "$OUT"
