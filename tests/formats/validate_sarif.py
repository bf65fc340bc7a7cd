#!/usr/bin/env python3
"""validate_sarif.py SCHEMA DIAGNOSTICS_MD LOG[=SUCCESS]...: every SARIF log
valid against the SARIF 2.1.0 schema (tests/formats/sarif-schema-2.1.0.json,
JSON Schema draft-04), and sgc's contract (docs/formats.md) on top: one
invocation whose executionSuccessful is SUCCESS (true/false) when given,
informationUri, a helpUri per rule that points at a heading of
docs/diagnostics.md, relative URIs under %SRCROOT%, the help apart from the
message. Exit 1 with every failure listed."""
import json
import re
import sys

import jsonschema


def anchors(md):
    """The anchors GitHub gives the headings of a markdown file."""
    out = set()
    for line in md.splitlines():
        m = re.match(r"^#{1,6} (.*)$", line)
        if m:
            out.add(re.sub(r"[^a-z0-9 _-]", "", m.group(1).lower()).replace(" ", "-"))
    return out


def check(log, want_success, known):
    errs = [f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in jsonschema.Draft4Validator(SCHEMA).iter_errors(log)]
    for run in log.get("runs", []):
        driver = run["tool"]["driver"]
        if not driver.get("informationUri", "").startswith("https://"):
            errs.append("driver has no https informationUri")
        for rule in driver.get("rules", []):
            uri = rule.get("helpUri", "")
            if "#" not in uri or uri.split("#", 1)[1] not in known:
                errs.append(f"rule {rule['id']}: helpUri {uri!r} names no heading of docs/diagnostics.md")
        inv = run.get("invocations") or []
        if len(inv) != 1:
            errs.append(f"{len(inv)} invocations, expected 1")
        elif want_success is not None and inv[0]["executionSuccessful"] != want_success:
            errs.append(f"executionSuccessful {inv[0]['executionSuccessful']}, expected {want_success}")
        for res in run.get("results", []):
            for loc in res.get("locations", []) + res.get("relatedLocations", []):
                a = loc["physicalLocation"]["artifactLocation"]
                relative = not re.match(r"^[a-z][a-z0-9+.-]*:", a["uri"])
                if relative != (a.get("uriBaseId") == "%SRCROOT%"):
                    errs.append(f"{a}: a relative URI goes with uriBaseId %SRCROOT%, an absolute one without")
            help_text = (res.get("properties") or {}).get("help")
            if help_text and help_text in res["message"]["text"]:
                errs.append(f"{res['ruleId']}: the help is in the message")
    return errs


SCHEMA = json.load(open(sys.argv[1]))
known = anchors(open(sys.argv[2], encoding="utf-8").read())
failed = 0
for arg in sys.argv[3:]:
    path, _, want = arg.partition("=")
    try:
        log = json.load(open(path, encoding="utf-8"))
    except ValueError as e:
        errs = [f"not JSON: {e}"]
    else:
        errs = check(log, {"true": True, "false": False}.get(want), known)
    for e in errs:
        print(f"{path}: {e}")
    failed += bool(errs)
print(f"sarif: {len(sys.argv) - 3 - failed} valid, {failed} invalid")
sys.exit(1 if failed else 0)
