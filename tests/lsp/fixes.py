#!/usr/bin/env python3
"""tests/lsp/fixes.py: every structured fix sgc writes does what its help says.

For each .sgl of tests/errors, tests/formats and tests/good, every diagnostic
of `sgc check --format json` that carries `fixes` is fixed alone: its edits
applied to the text, the text checked again, and the diagnostic (its code at
its place) must be gone. Negative twin: the edits with their text left as it
was must leave it there. Prints the count; exit 1 on a failure.

usage: fixes.py path/to/sgc
"""
import glob
import json
import os
import subprocess
import sys

sgc = os.path.abspath(sys.argv[1])
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
passed = failed = 0
codes = set()


def check(path, text):
    p = subprocess.run([sgc, "check", "--format", "json", "-"], input=text.encode(),
                       capture_output=True, cwd=os.path.dirname(path) or ".")
    return json.loads(p.stdout or b"[]")


def offset(text, line, col):
    """Offset of 1-based line and code-point column."""
    at = 0
    for _ in range(line - 1):
        at = text.index("\n", at) + 1
    return at + col - 1


def apply(text, edits, keep=False):
    spans = sorted(((offset(text, e["line"], e["column"]), offset(text, e["end_line"], e["end_column"]),
                     e["text"]) for e in edits), reverse=True)
    for lo, hi, new in spans:
        text = text[:lo] + (text[lo:hi] if keep else new) + text[hi:]
    return text


def present(diags, d):
    return any(x["code"] == d["code"] and (x["line"], x["column"]) == (d["line"], d["column"]) for x in diags)


files = sorted(glob.glob("tests/errors/*.sgl") + glob.glob("tests/formats/*.sgl") + glob.glob("tests/good/*.sgl"))
for f in files:
    text = open(f, encoding="utf-8", errors="surrogateescape").read()
    try:
        text.encode()
    except UnicodeEncodeError:
        continue
    for d in check(f, text):
        if not d["fixes"] or d["file"] != "<stdin>":
            continue
        codes.add(d["code"])
        after = check(f, apply(text, d["fixes"]))
        if present(after, d):
            failed += 1
            print(f"FAIL fixes {f}: {d['code']} at {d['line']}:{d['column']} stays after its fix {d['fixes']}")
        else:
            passed += 1
        same = check(f, apply(text, d["fixes"], keep=True))
        if present(same, d):
            passed += 1
        else:
            failed += 1
            print(f"FAIL fixes {f}: {d['code']} at {d['line']}:{d['column']} gone without its fix")
print(f"fixes: {passed} passed, {failed} failed ({', '.join(sorted(codes))})")
if len(codes) < 5:
    print("FAIL fixes: fewer than 5 codes with fixes were exercised")
    failed += 1
sys.exit(1 if failed else 0)
