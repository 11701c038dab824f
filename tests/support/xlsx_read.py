#!/usr/bin/python3
"""Independent reader for cofin's workbooks (openpyxl, not libxlsxwriter).

Usage: /usr/bin/python3 xlsx_read.py FILE.xlsx
       /usr/bin/python3 xlsx_read.py --stream FILE.xlsx SHEET...

Prints one record a line, fields separated by tabs; backslash, tab, CR and LF inside a field are
escaped as \\\\, \\t, \\r, \\n:
  SHEET   index name
  CELL    sheet coord type number_format quote_prefix value cached
          type: openpyxl data_type of the formula load ('f' formula, 's' text, 'n' number,
          'd' date, 'b' bool); value: formula text, text, repr(number) or ISO date;
          cached: the value stored with the cell (data_only load), same encoding.
  NAME    name definition
  FREEZE  sheet cell
  FILTER  sheet range
  CF      sheet range formula
  PRINT   sheet orientation fit_to_width fit_to_height title_rows footer_left|center|right
          (fit_to_* are '-' unless the sheet is set to fit to pages)
  PROP    key value
With --stream, only the named sheets are read, row by row in openpyxl's read-only mode (memory
does not grow with the rows: for large generated workbooks), and only CELL records are printed,
with quote_prefix '-' (read-only cells do not carry it).
"""
import datetime
import sys
import zipfile

import openpyxl


def esc(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, int):
        text = repr(float(value))
    elif isinstance(value, (datetime.datetime, datetime.date)):
        text = value.isoformat()
    else:
        text = str(value)
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r")
            .replace("\n", "\\n"))


def emit(*fields):
    sys.stdout.write("\t".join(esc(f) if not isinstance(f, str) else esc(f) for f in fields))
    sys.stdout.write("\n")


def main(path):
    with zipfile.ZipFile(path) as archive:
        bad = archive.testzip()
        if bad is not None:
            sys.exit("corrupt zip entry: " + bad)
    formulas = openpyxl.load_workbook(path, data_only=False)
    cached = openpyxl.load_workbook(path, data_only=True)
    for index, ws in enumerate(formulas.worksheets):
        emit("SHEET", str(index), ws.title)
    for ws in formulas.worksheets:
        wc = cached[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                other = wc[cell.coordinate].value
                emit("CELL", ws.title, cell.coordinate, cell.data_type, cell.number_format,
                     "1" if cell.quotePrefix else "0", cell.value, other)
        if ws.freeze_panes:
            emit("FREEZE", ws.title, ws.freeze_panes)
        if ws.auto_filter.ref:
            emit("FILTER", ws.title, ws.auto_filter.ref)
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                for formula in rule.formula or []:
                    emit("CF", ws.title, str(cf.sqref), formula)
        footer = ws.oddFooter
        setup = ws.page_setup
        fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
        # OOXML defaults: fitToWidth and fitToHeight are 1 when absent; they apply with fitToPage.
        emit("PRINT", ws.title, setup.orientation or "",
             str(setup.fitToWidth if setup.fitToWidth is not None else 1) if fit else "-",
             str(setup.fitToHeight if setup.fitToHeight is not None else 1) if fit else "-",
             ws.print_title_rows or "",
             "|".join(part.text or "" for part in (footer.left, footer.center, footer.right)))
    for dn in formulas.defined_names.definedName:
        emit("NAME", dn.name, dn.attr_text)
    props = formulas.properties
    emit("PROP", "created", props.created.isoformat() if props.created else "")
    emit("PROP", "title", props.title or "")


def stream(path, sheets):
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    cached = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for title in sheets:
        if title not in formulas.sheetnames:
            sys.exit("no sheet " + title)
        # Both loads walk the same rows in the same order; cells are matched by coordinate.
        for frow, crow in zip(formulas[title].iter_rows(), cached[title].iter_rows()):
            values = {c.coordinate: c.value for c in crow if getattr(c, "coordinate", None)}
            for cell in frow:
                if cell.value is None or not hasattr(cell, "coordinate"):
                    continue
                emit("CELL", title, cell.coordinate, cell.data_type, cell.number_format, "-",
                     cell.value, values.get(cell.coordinate))
    formulas.close()
    cached.close()


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--stream":
        stream(sys.argv[2], sys.argv[3:])
    else:
        main(sys.argv[1])
