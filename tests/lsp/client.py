"""A scripted Language Server Protocol client for tests/lsp: real JSON-RPC
with Content-Length framing over the pipes of `sgc lsp` (standard library
only)."""
import json
import os
import select
import subprocess


class Server:
    def __init__(self, sgc, args=("lsp",)):
        self.p = subprocess.Popen([sgc, *args], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.next_id = 0
        self.buf = b""
        self.notes = []  # notifications received, in order

    # -- framing --
    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read(self, timeout):
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not r:
            raise TimeoutError("no answer from sgc lsp")
        chunk = os.read(self.p.stdout.fileno(), 65536)
        if not chunk:
            raise EOFError("sgc lsp closed its output")
        self.buf += chunk

    def recv(self, timeout=30):
        while b"\r\n\r\n" not in self.buf:
            self._read(timeout)
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        assert len(lines) == 1 and lines[0].startswith(b"Content-Length: "), head
        n = int(lines[0][len(b"Content-Length: "):])
        while len(rest) < n:
            self._read(timeout)
            head, rest = self.buf.split(b"\r\n\r\n", 1)
        self.buf = rest[n:]
        return json.loads(rest[:n])

    # -- messages --
    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def request(self, method, params=None):
        """Send a request; return its response, keeping notifications."""
        self.next_id += 1
        rid = self.next_id
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.wait_response(rid)

    def wait_response(self, rid):
        while True:
            m = self.recv()
            if "method" in m and "id" not in m:
                self.notes.append(m)
                continue
            assert m.get("id") == rid, m
            return m

    def diagnostics(self, uri, timeout=30):
        """The next publishDiagnostics for uri."""
        while True:
            for i, m in enumerate(self.notes):
                if m["method"] == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                    del self.notes[i]
                    return m["params"]
            self.notes.append(self.recv(timeout))

    def close(self, timeout=30):
        self.p.stdin.close()
        code = self.p.wait(timeout)
        err = self.p.stderr.read()
        self.p.stdout.close()
        self.p.stderr.close()
        return code, err
