#!/usr/bin/python3
"""Recalculates an xlsx with LibreOffice and checks every formula's cached value.

Usage:
  /usr/bin/python3 recalc_check.py WORKBOOK.xlsx
      Opens WORKBOOK with LibreOffice headless in a throw-away profile that forces recalculation
      on load (OOXMLRecalcMode = 0: "always"; by default LibreOffice keeps an xlsx file's cached
      values, so a plain conversion would prove nothing), saves it as xlsx, and compares, for
      every formula cell of WORKBOOK, the value cached in WORKBOOK with the value LibreOffice
      computed. Amount cells (number format with 2 decimals) must agree to the cent and within
      1e-6; other numbers within 1e-9 relative; text exactly.
      Prints "MISMATCH<TAB>sheet!cell<TAB>formula<TAB>cached<TAB>recalculated" for each
      difference and "CHECKED<TAB>n" (the number of formula cells compared).
      Exit 0: all equal; 1: some differ; 2: LibreOffice or the files failed.
  /usr/bin/python3 recalc_check.py --plant IN.xlsx OUT.xlsx SHEET CELL VALUE
      Copies IN to OUT with the cached value of formula cell SHEET!CELL replaced by VALUE (to
      prove that the check notices a wrong cached value). Exit 2 if the cell is no formula.

Uses Debian's LibreOffice (soffice) and python3-openpyxl: run with /usr/bin/python3.
"""
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def fail(message):
    sys.stderr.write(message + "\n")
    sys.exit(2)


def recalculate(workbook, scratch):
    """Returns the path of LibreOffice's recalculated copy of `workbook` in `scratch`."""
    profile = os.path.join(scratch, "profile")
    os.makedirs(os.path.join(profile, "user"))
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(RECALC_ALWAYS)
    source = os.path.join(scratch, "in", "book.xlsx")
    os.makedirs(os.path.dirname(source))
    shutil.copyfile(workbook, source)
    outdir = os.path.join(scratch, "out")
    command = ["soffice", "-env:UserInstallation=file://" + profile, "--headless",
               "--norestore", "--nologo", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
               "--outdir", outdir, source]
    env = dict(os.environ, HOME=scratch)
    try:
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        fail("cannot run LibreOffice: %s" % e)
    result = os.path.join(outdir, "book.xlsx")
    if done.returncode != 0 or not os.path.exists(result):
        fail("LibreOffice did not convert the workbook (exit %d): %s"
             % (done.returncode, done.stdout.decode("utf-8", "replace")))
    return result


def is_amount(number_format):
    return number_format is not None and re.search(r"0\.00(?![0-9])", number_format) is not None \
        and "%" not in number_format


def equal(cached, recalculated, number_format):
    if isinstance(cached, bool) or isinstance(recalculated, bool):
        return cached == recalculated
    if isinstance(cached, (int, float)) and isinstance(recalculated, (int, float)):
        a, b = float(cached), float(recalculated)
        if is_amount(number_format):
            return round(a * 100) == round(b * 100) and abs(a - b) < 1e-6
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return ("" if cached is None else str(cached)) == ("" if recalculated is None else str(recalculated))


def check(workbook):
    formulas = openpyxl.load_workbook(workbook, data_only=False)
    cached = openpyxl.load_workbook(workbook, data_only=True)
    scratch = tempfile.mkdtemp(prefix="cofin-recalc-")
    try:
        recalculated = openpyxl.load_workbook(recalculate(workbook, scratch), data_only=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    checked = 0
    mismatches = 0
    for ws in formulas.worksheets:
        if ws.title not in recalculated.sheetnames:
            fail("LibreOffice lost sheet " + ws.title)
        wc, wr = cached[ws.title], recalculated[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                checked += 1
                a = wc[cell.coordinate].value
                b = wr[cell.coordinate].value
                if not equal(a, b, cell.number_format):
                    mismatches += 1
                    print("MISMATCH\t%s!%s\t%s\t%r\t%r" % (ws.title, cell.coordinate, cell.value,
                                                          a, b))
    print("CHECKED\t%d" % checked)
    return 1 if mismatches else 0


def plant(source, target, sheet, cell, value):
    """Rewrites the cached <v> of formula cell `cell` on `sheet`; everything else is copied."""
    book = openpyxl.load_workbook(source, read_only=True)
    if sheet not in book.sheetnames:
        fail("no sheet " + sheet)
    part = "xl/worksheets/sheet%d.xml" % (book.sheetnames.index(sheet) + 1)
    book.close()
    pattern = re.compile(r'(<c r="%s"[^>]*>\s*<f>[^<]*</f>\s*<v>)[^<]*(</v>)' % re.escape(cell))
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                text, count = pattern.subn(lambda m: m.group(1) + value + m.group(2),
                                           data.decode("utf-8"), count=1)
                if count != 1:
                    fail("no formula cell %s!%s with a cached value" % (sheet, cell))
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--plant":
        sys.exit(plant(*sys.argv[2:]))
    if len(sys.argv) != 2:
        fail(__doc__)
    sys.exit(check(sys.argv[1]))
