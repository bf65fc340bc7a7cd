#!/usr/bin/env python3
"""sgc deploy tests: the notebook's Jupyter server as sgc-idle-stop sees it:
https://localhost:8443/api/status, /api/kernels, /api/terminals, with a
self-signed certificate and no token. Listens on 127.0.0.1 only.

  jupyter.py CERT KEY MODE_FILE READY_FILE
MODE_FILE holds the state to show, re-read on every request:
  idle    started 3 h ago, one idle kernel and one terminal last active 3 h ago
  busy    as idle, but the kernel is busy
  recent  an idle kernel active 1 minute ago
  down    every request fails (HTTP 503)
"""
import datetime
import http.server
import json
import ssl
import sys


def stamp(minutes_ago):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def answer(mode, path):
    old = stamp(180)
    kernel = {"id": "5a7c0e1e-0000-4000-8000-000000000001", "name": "python3",
              "last_activity": old, "execution_state": "idle", "connections": 1}
    terminal = {"name": "1", "last_activity": old}
    if mode == "busy":
        kernel["execution_state"] = "busy"
    if mode == "recent":
        kernel["last_activity"] = stamp(1)
    table = {"/api/status": {"started": old, "last_activity": old, "connections": 1, "kernels": 1},
             "/api/kernels": [kernel], "/api/terminals": [terminal]}
    return table.get(path)


def main():
    cert, key, mode_file, ready = sys.argv[1:5]

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            pass

        def do_GET(self):
            with open(mode_file) as f:
                mode = f.read().strip()
            body = None if mode == "down" else answer(mode, self.path.split("?")[0])
            status = 503 if mode == "down" else 200 if body is not None else 404
            data = json.dumps(body).encode() if body is not None else b"{}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = http.server.HTTPServer(("127.0.0.1", 8443), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(ready, "w") as f:
        f.write("ready\n")
    srv.serve_forever()


if __name__ == "__main__":
    main()
