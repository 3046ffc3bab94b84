#!/usr/bin/env python3
"""Checks a Fiscal Data Package directory: the descriptor has the structure
the Fiscal Data Package specification requires (profile, name, resources
with a path and a table schema, a model whose measures and dimension
attributes name fields of the resource, currency on every measure, known
dimension types), the CSV has exactly the schema's columns, and its amounts
sum to the expected total exactly.

Usage: check_fdp.py DIR EXPECTED_TOTAL_YUAN
Prints every problem; exits 1 when there is any.
"""
import csv
import decimal
import json
import os
import re
import sys

DIMENSION_TYPES = {"datetime", "entity", "classification", "activity", "fact",
                   "location", "other"}
CLASSIFICATION_TYPES = {"functional", "administrative", "economic"}


def main(directory, expected_total):
    problems = []
    with open(os.path.join(directory, "datapackage.json"), encoding="utf-8") as f:
        package = json.load(f)
    if package.get("profile") != "fiscal-data-package":
        problems.append("profile is %r" % package.get("profile"))
    if not re.fullmatch(r"[a-z0-9._-]+", package.get("name", "")):
        problems.append("name %r is not lower-case url-safe" % package.get("name"))
    resources = package.get("resources") or []
    if not resources:
        problems.append("no resources")
    fields_by_resource = {}
    for resource in resources:
        for key in ("name", "path", "schema"):
            if key not in resource:
                problems.append("resource without %s" % key)
        fields = [f.get("name") for f in resource.get("schema", {}).get("fields", [])]
        if not fields:
            problems.append("resource %s has no fields" % resource.get("name"))
        fields_by_resource[resource.get("name")] = fields
    model = package.get("model", {})
    all_fields = {f for fields in fields_by_resource.values() for f in fields}
    measures = model.get("measures") or {}
    if not measures:
        problems.append("model has no measures")
    for name, measure in measures.items():
        if measure.get("source") not in all_fields:
            problems.append("measure %s source %r is no field" % (name, measure.get("source")))
        if not re.fullmatch(r"[A-Z]{3}", measure.get("currency", "")):
            problems.append("measure %s has no ISO 4217 currency" % name)
    dimensions = model.get("dimensions") or {}
    if not dimensions:
        problems.append("model has no dimensions")
    for name, dimension in dimensions.items():
        attributes = dimension.get("attributes") or {}
        if not attributes:
            problems.append("dimension %s has no attributes" % name)
        for attr_name, attr in attributes.items():
            if attr.get("source") not in all_fields:
                problems.append("%s.%s source %r is no field" % (name, attr_name, attr.get("source")))
            if "labelfor" in attr and attr["labelfor"] not in attributes:
                problems.append("%s.%s labels unknown %r" % (name, attr_name, attr["labelfor"]))
        for key in dimension.get("primaryKey") or []:
            if key not in attributes:
                problems.append("%s primaryKey %r is no attribute" % (name, key))
        if dimension.get("dimensionType") not in DIMENSION_TYPES:
            problems.append("%s dimensionType %r" % (name, dimension.get("dimensionType")))
        if "classificationType" in dimension and dimension["classificationType"] not in CLASSIFICATION_TYPES:
            problems.append("%s classificationType %r" % (name, dimension["classificationType"]))
    mapped = {m["source"] for m in measures.values()} | {
        a["source"] for d in dimensions.values() for a in (d.get("attributes") or {}).values()}
    for field in sorted(all_fields - mapped):
        problems.append("column %s has no FDP mapping" % field)

    total = decimal.Decimal(0)
    lines = 0
    for resource in resources:
        with open(os.path.join(directory, resource["path"]), encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames != fields_by_resource[resource["name"]]:
                problems.append("CSV columns %s differ from the schema" % reader.fieldnames[:12])
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
