#!/usr/bin/env python3
"""Checks a Fiscal Data Package directory: the descriptor validates against
the Fiscal Data Package descriptor schema (fiscal-data-package.schema.json
beside this script, written from the specification; read with Debian's
python3-jsonschema), every measure and dimension attribute names a field of
the resource and every field is mapped, the CSV has exactly the schema's
columns, and its amounts sum to the expected total exactly.

Usage: check_fdp.py DIR EXPECTED_TOTAL_YUAN
Prints every problem; exits 1 when there is any.
"""
import csv
import decimal
import json
import os
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "fiscal-data-package.schema.json")


def schema_problems(package):
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    return ["schema: %s: %s" % ("/".join(str(p) for p in error.absolute_path)
                                or "(descriptor)", error.message)
            for error in sorted(validator.iter_errors(package), key=str)]


def mapping_problems(package):
    """What the schema cannot say: the model's sources are fields."""
    problems = []
    fields = {f["name"] for r in package["resources"]
              for f in r["schema"]["fields"]}
    model = package["model"]
    mapped = set()
    for name, measure in model["measures"].items():
        mapped.add(measure["source"])
        if measure["source"] not in fields:
            problems.append("measure %s source %r is no field" %
                            (name, measure["source"]))
    for name, dimension in model["dimensions"].items():
        attributes = dimension["attributes"]
        for attr_name, attr in attributes.items():
            mapped.add(attr["source"])
            if attr["source"] not in fields:
                problems.append("%s.%s source %r is no field" %
                                (name, attr_name, attr["source"]))
            if "labelfor" in attr and attr["labelfor"] not in attributes:
                problems.append("%s.%s labels unknown %r" %
                                (name, attr_name, attr["labelfor"]))
        keys = dimension["primaryKey"]
        for key in [keys] if isinstance(keys, str) else keys:
            if key not in attributes:
                problems.append("%s primaryKey %r is no attribute" % (name, key))
    for field in sorted(fields - mapped):
        problems.append("column %s has no FDP mapping" % field)
    return problems


def main(directory, expected_total):
    with open(os.path.join(directory, "datapackage.json"), encoding="utf-8") as f:
        package = json.load(f)
    problems = schema_problems(package)
    if problems:  # The rest reads what the schema guarantees.
        for problem in problems:
            print(problem)
        return 1
    problems = mapping_problems(package)
    total = decimal.Decimal(0)
    lines = 0
    for resource in package["resources"]:
        names = [f["name"] for f in resource["schema"]["fields"]]
        with open(os.path.join(directory, resource["path"]), encoding="utf-8",
                  newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames != names:
                problems.append("CSV columns %s differ from the schema" %
                                reader.fieldnames[:12])
            for row in reader:
                total += decimal.Decimal(row["amount"])
                lines += 1
    if total != decimal.Decimal(expected_total):
        problems.append("lines sum to %s, want %s" % (total, expected_total))
    for problem in problems:
        print(problem)
    print("%d lines, total %s" % (lines, total))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
