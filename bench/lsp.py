#!/usr/bin/env python3
"""bench/lsp.py: response times of `sgc lsp` on a large generated input.

usage: lsp.py SGC BENCH [NETWORKS] [RUNS]

BENCH (build/release/bench) writes one environment of NETWORKS networks
(`bench -n N -o FILE`); the server opens it, then each run makes one
incremental change (a typo in an attribute name, then its fix) and times
the publishDiagnostics after it, and times completions: the attribute names
inside a network, the enum words of `isolation`, and references (every
subnet of the file is a candidate). Median and worst of RUNS runs, in ms.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lsp"))
from client import Server  # noqa: E402

sgc, bench = sys.argv[1], sys.argv[2]
nets = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 20

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "big.sgl")
    subprocess.run([bench, "-n", str(nets), "-o", path], check=True, stdout=subprocess.DEVNULL)
    text = open(path, encoding="utf-8").read()
uri = "file:///bench/big.sgl"
lines = text.split("\n")
# The middle network's `isolation` line: a change there and completions around it.
iso = [i for i, l in enumerate(lines) if l.startswith("    isolation = ")]
line = iso[len(iso) // 2]

s = Server(sgc)
s.request("initialize", {"capabilities": {}})
s.notify("initialized", {})
t0 = time.perf_counter()
s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sgl", "version": 1, "text": text}})
first = s.diagnostics(uri)
t_open = (time.perf_counter() - t0) * 1000


def timed(fn):
    t = time.perf_counter()
    r = fn()
    return (time.perf_counter() - t) * 1000, r


change, comp_attr, comp_enum, comp_ref = [], [], [], []
version = 1
for k in range(runs):
    for new in ("isolatoin", "isolation"):
        version += 1
        rng = {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 13}}
        t = time.perf_counter()
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                            "contentChanges": [{"range": rng, "text": new}]})
        p = s.diagnostics(uri)
        assert p["version"] == version
        change.append((time.perf_counter() - t) * 1000)
    td = {"uri": uri}
    comp_attr.append(timed(lambda: s.request("textDocument/completion", {
        "textDocument": td, "position": {"line": line, "character": 4}}))[0])
    comp_enum.append(timed(lambda: s.request("textDocument/completion", {
        "textDocument": td, "position": {"line": line, "character": 16}}))[0])
# A reference completion: `subnet = ` inside a notebook appended at the end.
ref_line = len(lines) - 2
version += 1
s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{
    "range": {"start": {"line": ref_line, "character": 0}, "end": {"line": ref_line, "character": 0}},
    "text": "  notebook nb { subnet =  }\n"}]})
s.diagnostics(uri)
nrefs = 0
for k in range(runs):
    ms, r = timed(lambda: s.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": ref_line, "character": 25}}))
    comp_ref.append(ms)
    nrefs = len(r["result"]["items"])
s.request("shutdown")
s.notify("exit")
s.close()


def row(what, t):
    print(f"  {what:<44} median {statistics.median(t):8.1f} ms   worst {max(t):8.1f} ms")


print(f"sgc lsp on {nets} networks ({len(text) // 1024} KiB, {len(lines)} lines), {runs} runs:")
print(f"  {'open to first diagnostics':<44} {t_open:15.1f} ms   ({len(first['diagnostics'])} diagnostics)")
row("change to its diagnostics (incremental)", change)
row("completion: attribute names", comp_attr)
row("completion: enum words", comp_enum)
row(f"completion: references ({nrefs} subnets)", comp_ref)
