#!/usr/bin/python3
"""Counts the cells of cofin workbooks for the libxlsxwriter floor (bench/xlsx_floor.cpp).

    count_cells.py BOOK.xlsx [BOOK.xlsx ...]

Streams every worksheet's XML out of the zip (no spreadsheet library: a 1M-line workbook must
not be loaded whole) and prints one line for all the books together:

    STRINGS NUMBERS FORMULAS AVG_STRING_CHARS UNIQUE_STRINGS CONSTANT_MEMORY

strings = cells with t="s" or t="inlineStr"; formulas = cells with <f> (their cached value, of
any type, is written with the formula); numbers = the other cells holding a <v>; empty styled
cells are not counted. CONSTANT_MEMORY is 1 when the strings are inline (libxlsxwriter's
constant-memory mode writes no shared-string table).
"""
import re
import sys
import zipfile

CELL = re.compile(rb'<c [^>]*?(?:/>|>.*?</c>)', re.S)
TEXT = re.compile(rb'<t[^>]*>([^<]*)</t>')


def count(book, totals):
    with zipfile.ZipFile(book) as z:
        shared = []
        if 'xl/sharedStrings.xml' in z.namelist():
            shared = [len(t) for t in TEXT.findall(z.read('xl/sharedStrings.xml'))]
            totals['unique'] += len(shared)
        for name in z.namelist():
            if not (name.startswith('xl/worksheets/sheet') and name.endswith('.xml')):
                continue
            with z.open(name) as f:
                tail = b''
                while True:
                    chunk = f.read(1 << 24)
                    data = tail + chunk
                    end = data.rfind(b'</c>') + 4 if chunk else len(data)
                    if chunk and end < 4:
                        tail = data
                        continue
                    part, tail = data[:end], data[end:]
                    for m in CELL.finditer(part):
                        c = m.group(0)
                        if b'<f>' in c or b'<f ' in c:
                            totals['formulas'] += 1
                        elif b't="inlineStr"' in c:
                            totals['strings'] += 1
                            totals['inline'] += 1
                            totals['chars'] += sum(len(t) for t in TEXT.findall(c))
                        elif b't="s"' in c:
                            totals['strings'] += 1
                            idx = int(re.search(rb'<v>(\d+)</v>', c).group(1))
                            totals['chars'] += shared[idx]
                        elif b'<v>' in c:
                            totals['numbers'] += 1
                    if not chunk:
                        break


def main():
    totals = dict(strings=0, numbers=0, formulas=0, chars=0, unique=0, inline=0)
    for book in sys.argv[1:]:
        count(book, totals)
    avg = round(totals['chars'] / totals['strings']) if totals['strings'] else 1
    unique = totals['unique'] + totals['inline']
    print(totals['strings'], totals['numbers'], totals['formulas'], avg, max(unique, 1),
          1 if totals['inline'] else 0)


main()
