#!/usr/bin/env python3
"""Reads an XLSX workbook back with openpyxl, an independent reader, and
checks it against what the tables say (written by xlsx_workbook_golden_test
as a TSV of expectations):

  cell   SHEET ROW COL KIND TEXT   KIND number: a number that prints TEXT in
                                   万元 with one decimal; text: the string TEXT;
                                   blank: no value
  merge  SHEET RANGE               a merged range, e.g. A3:A5
  freeze SHEET CELL                the frozen pane's top-left cell
  sum    SHEET TOTAL_ROW ROWS...   each number of TOTAL_ROW is the sum of the
                                   numbers of ROWS in its column; a column where one of
                                   ROWS is masked ("XXXX") is skipped: the hidden
                                   amount is what the reader may not see
  colsum SHEET COLS TOTAL_ROW ROWS...  the same, in the columns COLS only
                                   (comma-separated): for tables whose rows
                                   add up by level, one side at a time

Rows and columns are 1-based, as openpyxl counts them. Prints every
difference and exits 1 when there is any.

Usage: check_xlsx.py WORKBOOK EXPECTED_TSV
"""
import decimal
import sys

import openpyxl


def printed_wan(value):
    """value in 万元 as the tables print it: one decimal, half up, 1,234.5."""
    rounded = decimal.Decimal(repr(value)).quantize(
        decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)
    return "{:,.1f}".format(rounded)


def sum_problems(sheet, sheet_name, total_row, rows, columns):
    """Each number of total_row in `columns` is the sum of `rows` there;
    returns the problems and how many columns were skipped as masked."""
    problems = []
    masked = 0
    for col in columns:
        total = sheet.cell(row=total_row, column=col).value
        if not isinstance(total, (int, float)):
            continue
        parts = [sheet.cell(row=r, column=col).value for r in rows]
        if "XXXX" in parts:
            masked += 1
            continue
        summed = sum(decimal.Decimal(repr(p)) for p in parts if isinstance(p, (int, float)))
        # Values are fen / 10^6; half a fen is the exactness bound.
        if abs(summed - decimal.Decimal(repr(total))) > decimal.Decimal("0.000005"):
            problems.append("%s column %d: rows %s sum to %s, row %d says %s" % (
                sheet_name, col, rows, summed, total_row, total))
    return problems, masked


def main(workbook_path, expected_path):
    book = openpyxl.load_workbook(workbook_path)
    problems = []
    checked = {"cell": 0, "merge": 0, "freeze": 0, "sum": 0, "colsum": 0}
    masked_columns = 0
    with open(expected_path, encoding="utf-8") as expected:
        for line in expected:
            fields = line.rstrip("\n").split("\t")
            what, sheet_name = fields[0], fields[1]
            if sheet_name not in book.sheetnames:
                problems.append("no sheet " + sheet_name)
                continue
            sheet = book[sheet_name]
            checked[what] += 1
            if what == "cell":
                row, col, kind, text = int(fields[2]), int(fields[3]), fields[4], fields[5]
                value = sheet.cell(row=row, column=col).value
                where = "%s!%s" % (sheet_name, sheet.cell(row=row, column=col).coordinate)
                if kind == "number":
                    if not isinstance(value, (int, float)) or isinstance(value, bool):
                        problems.append("%s: %r is not a number (want %s)" % (where, value, text))
                    elif printed_wan(value) != text:
                        problems.append("%s: %r prints %s, want %s" % (where, value, printed_wan(value), text))
                elif kind == "text":
                    if value != text:
                        problems.append("%s: %r, want %r" % (where, value, text))
                elif value not in (None, ""):
                    problems.append("%s: %r, want blank" % (where, value))
            elif what == "merge":
                merged = {str(r) for r in sheet.merged_cells.ranges}
                if fields[2] not in merged:
                    problems.append("%s: %s not merged" % (sheet_name, fields[2]))
            elif what == "freeze":
                if sheet.freeze_panes != fields[2]:
                    problems.append("%s: frozen at %s, want %s" % (sheet_name, sheet.freeze_panes, fields[2]))
                setup = sheet.page_setup
                if setup.orientation != "landscape" or str(setup.paperSize) != "9":
                    problems.append("%s: page %s paper %s, want landscape A4 (9)" % (sheet_name, setup.orientation, setup.paperSize))
            elif what == "sum":
                found, masked = sum_problems(
                    sheet, sheet_name, int(fields[2]), [int(r) for r in fields[3:]],
                    range(1, sheet.max_column + 1))
                problems += found
                masked_columns += masked
            elif what == "colsum":
                found, masked = sum_problems(
                    sheet, sheet_name, int(fields[3]), [int(r) for r in fields[4:]],
                    [int(c) for c in fields[2].split(",")])
                problems += found
                masked_columns += masked
    for kind, count in checked.items():
        if count == 0:
            problems.append("no %s expectation checked" % kind)
    for problem in problems:
        print(problem)
    print("checked %s; sums skipped in %d masked columns" % (checked, masked_columns))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
