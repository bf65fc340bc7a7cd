#!/usr/bin/env python3
"""tests/lsp: a scripted client speaks real JSON-RPC to `sgc lsp` and
checks exact answers: the session, diagnostics and their fixes, both
position encodings, debouncing, hover, definition (into the stdlib's
virtual documents), references, completion, formatting, code actions,
protocol errors, then every fuzz input opened and cut short (no crash).

usage: run.py path/to/sgc   (LSP_CORPUS=DIR adds a directory of inputs)
"""
import glob
import json
import os
import subprocess
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import Server  # noqa: E402

SGC = os.path.abspath(sys.argv[1])
passed = failed = 0


def check(name, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print(f"FAIL lsp {name}:\n  got  {got!r}\n  want {want!r}")


def units(s, enc):
    """Length of s in the encoding's units."""
    if enc == "utf-8":
        return len(s.encode())
    return len(s.encode("utf-16-le")) // 2


def pos(text, word, enc="utf-16", nth=0, delta=0):
    """The position of the nth occurrence of word (plus delta characters)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(word, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return {"line": line, "character": units(text[start:at], enc)}


def start(enc=None):
    s = Server(SGC)
    caps = {"general": {"positionEncodings": enc}} if enc else {}
    r = s.request("initialize", {"processId": None, "rootUri": None, "capabilities": caps})
    s.notify("initialized", {})
    return s, r["result"]


def finish(s, name):
    r = s.request("shutdown")
    check(name + ": shutdown", (r.get("result", "absent"), "error" in r), (None, False))
    s.notify("exit")
    code, err = s.close()
    check(name + ": exit status after shutdown", code, 0)
    check(name + ": nothing on stderr", err, b"")


EXAMPLE = open("examples/studio-vpc-only.sgl", encoding="utf-8").read()
# One error after non-ASCII text on its line: UTF-16 and UTF-8 columns differ there.
TYPO = EXAMPLE.replace('region = "eu-central-1"', 'description = "café 😀"  regoin = "eu-central-1"')
FIXED = TYPO.replace("regoin", "region")
URI = "file:///sgc-lsp-test/studio.sgl"
TD = {"uri": URI}


def cli_codes(text):
    """What `sgc check --format json` reports for text: the same pipeline."""
    p = subprocess.run([SGC, "check", "--format", "json", "-"], input=text.encode(),
                       capture_output=True)
    return [(d["code"], d["line"] - 1) for d in json.loads(p.stdout)]


def session_utf16():
    s, init = start()
    caps = init["capabilities"]
    check("default encoding", caps["positionEncoding"], "utf-16")
    check("incremental sync", caps["textDocumentSync"], {"openClose": True, "change": 2})
    check("server name", init["serverInfo"]["name"], "sgc")

    s.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "sgl",
                                                       "version": 1, "text": TYPO}})
    d = s.diagnostics(URI)
    check("diagnostics version", d["version"], 1)
    diags = d["diagnostics"]
    check("one diagnostic", [(x["code"], x["range"]["start"]["line"]) for x in diags], cli_codes(TYPO))
    e = diags[0]
    check("diagnostic code", (e["code"], e["severity"], e["source"]), ("E0205", 1, "sgc"))
    check("diagnostic message with help", e["message"],
          "`environment` blocks have no attribute `regoin`\nhelp: did you mean `region`?")
    check("utf-16 range", e["range"], {"start": pos(TYPO, "regoin"), "end": pos(TYPO, "regoin", delta=6)})
    # Negative twin: code points (or UTF-8) would put it elsewhere on this line.
    line = TYPO.split("\n")[e["range"]["start"]["line"]]
    check("utf-16 column is not the code-point column",
          (e["range"]["start"]["character"], line.index("regoin")), (27, 26))

    # The quick fix for it, then applied as an incremental change.
    at = pos(TYPO, "regoin", delta=2)
    r = s.request("textDocument/codeAction", {"textDocument": TD, "range": {"start": at, "end": at},
                                              "context": {"diagnostics": diags}})["result"]
    check("one code action", len(r), 1)
    act = r[0]
    check("code action title and kind", (act["title"], act["kind"], act["isPreferred"]),
          ("E0205: did you mean `region`?", "quickfix", True))
    edits = act["edit"]["changes"][URI]
    check("code action edit", edits, [{"range": e["range"], "newText": "region"}])
    check("code action carries its diagnostic", act["diagnostics"][0]["code"], "E0205")
    # Negative twin: a range elsewhere offers nothing.
    far = pos(TYPO, "kms_key studio_data")
    r = s.request("textDocument/codeAction", {"textDocument": TD, "range": {"start": far, "end": far},
                                              "context": {"diagnostics": []}})["result"]
    check("no code action away from it", r, [])

    s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2},
                                        "contentChanges": [{"range": e["range"], "text": "region"}]})
    d = s.diagnostics(URI)
    check("fixed: version", d["version"], 2)
    check("fixed: the CLI's diagnostics", [(x["code"], x["range"]["start"]["line"]) for x in d["diagnostics"]],
          cli_codes(FIXED))
    check("fixed: no error", [x for x in d["diagnostics"] if x["severity"] == 1], [])

    # The document is now FIXED: a full change of the error back, then of the fix (debounced below).
    text = FIXED
    # Hover: an attribute, a block kind, an endpoint set, a reference, an instance type.
    def hover(word, delta=0, nth=0):
        r = s.request("textDocument/hover", {"textDocument": TD, "position": pos(text, word, nth=nth, delta=delta)})
        return r["result"]
    h = hover("isolation", 1)
    check("hover attribute", h["contents"], {"kind": "markdown", "value":
          "**network**.`isolation`: a word (required)\n\nisolated: no internet path; restricted: egress "
          "through NAT; public: internet gateway\n\nallowed: `isolated`, `restricted`, `public`"})
    check("hover attribute range", h["range"], {"start": pos(text, "isolation"), "end": pos(text, "isolation", delta=9)})
    h = hover("std.endpoints.studio", 15)
    check("hover endpoint set", h["contents"]["value"],
          "definition `studio`, declared at <std>/endpoints.sgl:16:1\n\nendpoint set of 5 services: "
          "`sagemaker.api`, `sagemaker.runtime`, `studio`, `sts`, `s3`")
    h = hover("vpc.private_a,", 5)
    check("hover reference", h["contents"]["value"], "subnet `private_a`, declared at /sgc-lsp-test/studio.sgl:17:12")
    h = hover("vpc.private_a,", 1)
    check("hover first part of a reference", h["contents"]["value"], "network `vpc`, declared at /sgc-lsp-test/studio.sgl:13:11")
    h = hover("ml.m5.large", 3)
    check("hover instance type", h["contents"]["value"], "instance type `ml.m5.large`: 2 vCPU, 8192 MiB memory; Studio apps")
    h = hover("[logs]", 2)
    check("hover endpoint service", h["contents"]["value"].split("\n")[0],
          "endpoint service `logs`: `com.amazonaws.${AWS::Region}.logs` (interface endpoint)")
    check("hover on a comment", hover("# VpcOnly", 3), None)
    h = hover("studio_data {", 2)
    check("hover a declaration", h["contents"]["value"].split(":")[0], "kms_key `studio_data`")

    # Definition: in the document, and into the stdlib's virtual document.
    r = s.request("textDocument/definition", {"textDocument": TD, "position": pos(text, "vpc.private_b", delta=6)})["result"]
    check("definition in the document", r, {"uri": URI, "range": {"start": pos(text, "private_b {"),
                                                                  "end": pos(text, "private_b {", delta=9)}})
    r = s.request("textDocument/definition", {"textDocument": TD, "position": pos(text, "endpoints.studio", delta=12)})["result"]
    check("definition in the stdlib", r, {"uri": "sgc-stdlib:///endpoints.sgl",
                                          "range": {"start": {"line": 15, "character": 0}, "end": {"line": 15, "character": 6}}})
    c = s.request("sgc/stdlibContent", {"uri": r["uri"]})["result"]["text"]
    check("the virtual document's text at the range", c.split("\n")[15][0:6], "studio")
    check("the virtual document is the embedded file", c, open("stdlib/endpoints.sgl", encoding="utf-8").read())
    c2 = s.request("workspace/textDocumentContent", {"uri": r["uri"]})["result"]["text"]
    check("workspace/textDocumentContent too", c2, c)
    bad = s.request("sgc/stdlibContent", {"uri": "sgc-stdlib:///../../etc/passwd"})
    check("no other virtual documents", bad["error"]["code"], -32602)

    # References of a subnet: its declaration and its one use.
    r = s.request("textDocument/references", {"textDocument": TD, "position": pos(text, "private_a {", delta=2),
                                              "context": {"includeDeclaration": True}})["result"]
    check("references", r, [{"uri": URI, "range": {"start": pos(text, "private_a {"), "end": pos(text, "private_a {", delta=9)}},
                            {"uri": URI, "range": {"start": pos(text, "private_a,"), "end": pos(text, "private_a,", delta=9)}}])
    r = s.request("textDocument/references", {"textDocument": TD, "position": pos(text, "private_a {", delta=2),
                                              "context": {"includeDeclaration": False}})["result"]
    check("references without the declaration", len(r), 1)

    # Completion.
    def labels(p):
        r = s.request("textDocument/completion", {"textDocument": TD, "position": p})["result"]
        return [i["label"] for i in r["items"]]
    check("complete enum words", labels(pos(text, "isolated")), ["isolated", "restricted", "public"])
    check("complete enum words by prefix", labels(pos(text, "isolated", delta=2)), ["isolated"])
    inside = {"line": pos(text, "subnet private_a")["line"], "character": 4}
    check("complete in a network", labels(inside),
          ["subnet", "security_group", "endpoint_policy", "firewall", "cidr", "isolation", "endpoints"])
    check("complete references of the right kind", labels(pos(text, "vpc.private_a")), ["vpc.private_a", "vpc.private_b"])
    check("complete kms_key references", labels(pos(text, "studio_data\n")), ["studio_data"])
    inst = labels(pos(text, "ml.m5.large"))
    check("complete instance types", ("ml.m5.large" in inst, "ml.t3.medium" in inst, len(inst) > 50), (True, True, True))
    eps = labels(pos(text, "std.endpoints.studio"))
    check("complete endpoint services and sets", ("logs" in eps, "std.endpoints.studio" in eps, "sagemaker.api" in eps),
          (True, True, True))
    check("nothing in a comment", labels(pos(text, "# VpcOnly", delta=4)), [])
    check("nothing in a string", labels(pos(text, "encrypts the", delta=3)), [])
    top = labels({"line": 6, "character": 0})
    check("complete at the top level", top, ["environment", "import", "param"])

    # Formatting: one edit that is `sgc fmt -`.
    messy = text.replace("  region = ", "  region    =   ")
    s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 3},
                                        "contentChanges": [{"text": messy}]})
    r = s.request("textDocument/formatting", {"textDocument": TD, "options": {"tabSize": 2, "insertSpaces": True}})["result"]
    want = subprocess.run([SGC, "fmt", "-"], input=messy.encode(), capture_output=True).stdout.decode()
    nl = messy.count("\n")
    check("formatting", r, [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": nl, "character": 0}},
                             "newText": want}])
    s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 4},
                                        "contentChanges": [{"text": want}]})
    r = s.request("textDocument/formatting", {"textDocument": TD, "options": {"tabSize": 2, "insertSpaces": True}})["result"]
    check("formatting a formatted file: no edit", r, [])
    s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 5},
                                        "contentChanges": [{"text": "environment {"}]})
    r = s.request("textDocument/formatting", {"textDocument": TD, "options": {"tabSize": 2, "insertSpaces": True}})
    check("formatting what does not parse", r["result"], None)
    s.notes.clear()

    # Debounce: a burst of changes in one write is checked once, at its last version.
    burst = b""
    for v in range(10, 20):
        body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": v}, "contentChanges": [{"text": TYPO if v % 2 else FIXED}]}}).encode()
        burst += b"Content-Length: %d\r\n\r\n" % len(body) + body
    s.send_raw(burst)
    d = s.diagnostics(URI)
    s.request("textDocument/hover", {"textDocument": TD, "position": {"line": 0, "character": 0}})
    published = [m for m in s.notes if m["method"] == "textDocument/publishDiagnostics"]
    check("debounce: one check, of the last version", (d["version"], len(published)), (19, 0))
    check("debounce: the last text's diagnostics", [x["code"] for x in d["diagnostics"]],
          [c for c, _ in cli_codes(TYPO)])
    # Negative twin: changes each answered before the next are each checked.
    for v in (20, 21):
        s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": v},
                                            "contentChanges": [{"text": FIXED}]})
        check(f"one check per separate change ({v})", s.diagnostics(URI)["version"], v)

    s.notify("textDocument/didClose", {"textDocument": TD})
    check("close clears diagnostics", s.diagnostics(URI)["diagnostics"], [])
    r = s.request("textDocument/hover", {"textDocument": TD, "position": {"line": 0, "character": 0}})
    check("closed document", r["error"]["code"], -32602)
    finish(s, "utf-16")


def session_utf8():
    s, init = start(["utf-32", "utf-8", "utf-16"])
    check("utf-8 when offered", init["capabilities"]["positionEncoding"], "utf-8")
    s.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "sgl", "version": 1, "text": TYPO}})
    e = s.diagnostics(URI)["diagnostics"][0]
    check("utf-8 range", e["range"], {"start": pos(TYPO, "regoin", "utf-8"), "end": pos(TYPO, "regoin", "utf-8", delta=6)})
    check("utf-8 column differs from utf-16", (e["range"]["start"]["character"], pos(TYPO, "regoin")["character"]), (30, 27))
    # An incremental change in UTF-8 units, right after the emoji.
    at = pos(TYPO, "😀", "utf-8", delta=1)
    s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2},
                                        "contentChanges": [{"range": {"start": at, "end": at}, "text": "!"}]})
    e2 = s.diagnostics(URI)["diagnostics"][0]
    check("utf-8 incremental insert shifts by one byte", e2["range"]["start"]["character"], 31)
    finish(s, "utf-8")


EP = """environment e {
  region = "us-east-1"
  network vpc {
    cidr      = 10.0.0.0/16
    isolation = isolated
    subnet a { cidr = 10.0.1.0/24  zone = a }
    endpoints = [s3]
  }
  notebook nb {
    subnet   = vpc.a
    instance = ml.t3.medium
  }
}
"""


def session_half_typed_and_endpoints():
    s, _ = start()
    uri = "file:///sgc-lsp-test/ep.sgl"
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sgl", "version": 1, "text": EP}})
    diags = s.diagnostics(uri)["diagnostics"]
    check("missing endpoints", [d["code"] for d in diags], ["E0601"])
    at = diags[0]["range"]["start"]
    acts = s.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": {"start": at, "end": at},
                                                 "context": {"diagnostics": diags}})["result"]
    edit = acts[0]["edit"]["changes"][uri]
    end = pos(EP, "[s3]", delta=4)
    check("missing endpoints: the fix inserts after the set", edit,
          [{"range": {"start": end, "end": end}, "newText": " + [sagemaker.api, sagemaker.runtime]"}])
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                        "contentChanges": [{"range": edit[0]["range"], "text": edit[0]["newText"]}]})
    check("missing endpoints: fixed", [d["code"] for d in s.diagnostics(uri)["diagnostics"] if d["severity"] < 3], [])
    # Half-typed: it does not parse, completion still knows where it is.
    half = "environment e {\n  network vpc {\n    isolation = "
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": half}]})
    check("half-typed: a parse error", s.diagnostics(uri)["diagnostics"][0]["severity"], 1)
    r = s.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 16}})
    check("half-typed: enum words", [i["label"] for i in r["result"]["items"]], ["isolated", "restricted", "public"])
    r = s.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 4}})
    check("half-typed: in the network", "subnet" in [i["label"] for i in r["result"]["items"]], True)
    # Negative twin: one level out, the environment offers its own kinds, not the network's.
    r = s.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 15}})
    check("half-typed: in the environment", [i["label"] for i in r["result"]["items"]][:3], ["network", "kms_key", "codeartifact"])
    finish(s, "half-typed")


def frame(body):
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def session_protocol():
    s = Server(SGC, ("lsp", "--stdio"))
    r = s.request("textDocument/hover", {"textDocument": TD, "position": {"line": 0, "character": 0}})
    check("before initialize", r["error"]["code"], -32002)
    s.request("initialize", {"capabilities": {}})
    r = s.request("initialize", {"capabilities": {}})
    check("initialize twice", r["error"]["code"], -32600)
    s.send_raw(frame(b"{not json"))
    check("malformed JSON", s.recv()["error"]["code"], -32700)
    s.send_raw(b"Content-Length: x\r\n\r\n")
    check("malformed Content-Length", s.recv()["error"]["code"], -32700)
    s.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n")
    check("no Content-Length", s.recv()["error"]["code"], -32700)
    s.send_raw(frame(b"[1, 2]"))
    check("a batch", s.recv()["error"]["code"], -32600)
    s.send_raw(frame(b'{"jsonrpc": "1.0", "id": 7, "method": "shutdown"}'))
    r = s.recv()
    check("wrong jsonrpc version", (r["id"], r["error"]["code"]), (7, -32600))
    s.send_raw(frame(b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}'))
    check("an object id", s.recv()["error"]["code"], -32600)
    r = s.request("no/such/method", {})
    check("unknown method", r["error"]["code"], -32601)
    r = s.request("textDocument/hover", {"textDocument": TD})
    check("hover without a position", r["error"]["code"], -32602)
    s.notify("$/cancelRequest", {"id": 1})
    s.notify("textDocument/didOpen", {"textDocument": {"uri": 5}})
    s.send_raw(b"Content-Length: 999999999999\r\n\r\n")
    check("too large", s.recv()["error"]["code"], -32700)
    s2 = s
    r = s2.request("shutdown")
    check("shutdown", r["result"], None)
    r = s2.request("textDocument/hover", {"textDocument": TD, "position": {"line": 0, "character": 0}})
    check("after shutdown", r["error"]["code"], -32600)
    s2.notify("exit")
    code, err = s2.close()
    check("exit after shutdown", code, 0)
    # Negative twin: exit without shutdown is status 1; so is the end of input.
    s, _ = start()
    s.notify("exit")
    check("exit without shutdown", s.close()[0], 1)
    s, _ = start()
    check("end of input without exit", s.close()[0], 1)


def session_fuzz():
    """Every fuzz input: opened, then cut to ever shorter prefixes; the server must stay up."""
    files = sorted(glob.glob("tests/fuzz/seeds/sgl/*") + glob.glob("tests/fuzz/regress/sgl/*") +
                   glob.glob("tests/fuzz/crashes/*/*") + glob.glob("examples/*.sgl") +
                   glob.glob("build/fuzz-corpus/compile/*") + glob.glob("tests/errors/*.sgl"))
    extra = os.environ.get("LSP_CORPUS")
    if extra:
        files += sorted(glob.glob(os.path.join(extra, "*")))
    s, _ = start()
    n = 0
    for i, f in enumerate(files):
        if not os.path.isfile(f):
            continue
        raw = open(f, "rb").read()[:1 << 20]
        text = raw.decode("utf-8", "replace")
        uri = f"file:///fuzz/{i}.sgl"
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sgl", "version": 1, "text": text}})
        v = 1
        mid = text[: len(text) // 3]
        p = {"line": mid.count("\n"), "character": len(mid) - mid.rfind("\n") - 1}
        for cut in (len(text) * 3 // 4, len(text) // 2, len(text) // 3, 1):
            v += 1
            s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v},
                                                "contentChanges": [{"text": text[:cut]}]})
            # A request checks what changed first: every cut is compiled, not only the last.
            r = s.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": p})
            assert "result" in r, r
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v + 1},
                                            "contentChanges": [{"text": text}]})
        for m in ("textDocument/hover", "textDocument/completion", "textDocument/definition"):
            r = s.request(m, {"textDocument": {"uri": uri}, "position": p})
            assert "result" in r, r
        s.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {}})
        s.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        n += 1
    check(f"fuzz inputs through the server ({n})", n == len([f for f in files if os.path.isfile(f)]), True)
    finish(s, "fuzz")


# Completion in scope, hover on endpoint sets and references: a second
# environment and an ambiguous name show what is not offered.
SCOPES = """import std.endpoints

mine = [logs, kms, codeartifact.api, codeartifact.repositories]

environment one {
  region = "us-east-1"
  param size: instance = ml.t3.medium
  param label: string = "x"
  kms_key k1 {}
  codeartifact research {
    repository packages { upstream = other }
    repository other {}
  }
  bucket research {}
  network vpc {
    cidr      = 10.0.0.0/16
    isolation = isolated
    subnet a { cidr = 10.0.1.0/24  zone = a }
    endpoints = std.endpoints.notebook + mine
  }
  notebook nb {
    subnet   = vpc.a
    kms_key  = k1
    instance = param.size
    uses     = [k1, codeartifact.research.packages]
  }
}
"""
OTHER_ENV = """
environment two {
  kms_key k2 {}
  network net2 {
    subnet b { cidr = 10.1.1.0/24  zone = a }
  }
  notebook nb2 {
    subnet  = net2.b
    kms_key = k2
  }
}
"""


def session_scopes():
    s, _ = start()
    uri = "file:///sgc-lsp-test/scopes.sgl"
    td = {"uri": uri}
    text = SCOPES
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sgl", "version": 1, "text": text}})
    check("scopes: no error", [d["code"] for d in s.diagnostics(uri)["diagnostics"] if d["severity"] == 1], [])

    def hover(word, delta=0, nth=0):
        r = s.request("textDocument/hover", {"textDocument": td, "position": pos(text, word, nth=nth, delta=delta)})
        return r["result"]["contents"]["value"] if r["result"] else None

    def labels(p):
        r = s.request("textDocument/completion", {"textDocument": td, "position": p})["result"]
        return [i["label"] for i in r["items"]]

    # Hover: both operands of a `+` are endpoint sets, each with its services.
    check("hover a stdlib set in a `+`", hover("std.endpoints.notebook +", 16),
          "definition `notebook`, declared at <std>/endpoints.sgl:13:1\n\nendpoint set of 5 services: "
          "`sagemaker.api`, `sagemaker.runtime`, `notebook`, `sts`, `s3`")
    check("hover the file's set in a `+`", hover("+ mine", 3),
          "definition `mine`, declared at /sgc-lsp-test/scopes.sgl:3:1\n\nendpoint set of 4 services: "
          "`logs`, `codeartifact.api`, `codeartifact.repositories`, `kms`")
    check("hover the `std` of a set", hover("std.endpoints.notebook +", 1), "namespace `std`")
    # Hover: what a reference names, and where.
    check("hover a reference", hover("k1\n", 1), "kms_key `k1`, declared at /sgc-lsp-test/scopes.sgl:9:11")
    check("hover a kind-qualified reference", hover("research.packages]", 10),
          "repository `packages`, declared at /sgc-lsp-test/scopes.sgl:11:16")
    check("hover a sibling reference", hover("other }", 1), "repository `other`, declared at /sgc-lsp-test/scopes.sgl:12:16")
    check("hover a parameter", hover("param.size", 7),
          "parameter `size`: instance, declared at /sgc-lsp-test/scopes.sgl:7:9")
    # Negative twin: an unknown name names nothing; the hover is the attribute's.
    text = SCOPES.replace("kms_key  = k1", "kms_key  = k9")
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]})
    check("hover an unknown name", hover("k9\n", 1).split("\n")[0], "**notebook**.`kms_key`: a reference to a block")

    # Completion: references as they resolve at the cursor.
    text = SCOPES
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": text}]})
    check("complete kms_key in scope", labels(pos(text, "k1\n")), ["k1"])
    check("complete a subnet by its path", labels(pos(text, "vpc.a")), ["vpc.a"])
    check("complete ambiguous names with their kind", labels(pos(text, "k1, ")),
          ["k1", "codeartifact.research.packages", "codeartifact.research.other", "bucket.research"])
    check("complete param.", labels(pos(text, "param.size", delta=6)), ["param.size"])
    # A string attribute is offered the string parameter, half-typed as it is.
    half = text.replace('region = "us-east-1"', 'region = "us-east-1"\n  description = param.')
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 31}, "contentChanges": [{"text": half}]})
    check("complete param. by type", labels(pos(half, "param.\n", delta=6)), ["param.label"])
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 32}, "contentChanges": [{"text": text}]})
    eps = labels(pos(text, "std.endpoints.notebook +"))
    check("complete imported sets", [e for e in eps if e.startswith("std.")][:2], ["std.endpoints.notebook", "std.endpoints.studio"])
    # Negative twin: a name shared by no other kind needs no kind.
    text = SCOPES.replace("bucket research {}", "bucket data {}")
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": text}]})
    check("complete unambiguous names bare", labels(pos(text, "k1, ")),
          ["k1", "research.packages", "research.other", "data"])
    # Negative twin: a second environment's blocks are not offered in the first, and the other way round.
    text = SCOPES + OTHER_ENV
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": text}]})
    check("complete: not the other environment's", labels(pos(text, "k1\n")), ["k1"])
    check("complete: the other environment's own", labels(pos(text, "k2\n", nth=0)), ["k2"])
    check("complete: its own subnets", labels(pos(text, "net2.b\n")), ["net2.b"])
    # Negative twin: without `import std.endpoints` no std set is offered (E0213).
    text = SCOPES.replace("import std.endpoints\n", "")
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 6}, "contentChanges": [{"text": text}]})
    eps = labels(pos(text, "std.endpoints.notebook +"))
    check("complete no std set without the import", ([e for e in eps if e.startswith("std.")], "logs" in eps), ([], True))
    finish(s, "scopes")


os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
for t in (session_utf16, session_utf8, session_half_typed_and_endpoints, session_scopes, session_protocol, session_fuzz):
    try:
        t()
    except Exception as e:  # a crash of the server shows up here
        failed += 1
        print(f"FAIL lsp {t.__name__}: {type(e).__name__}: {e}")
        traceback.print_exc()
print(f"lsp: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
