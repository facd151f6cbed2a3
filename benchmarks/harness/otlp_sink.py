#!/usr/bin/env python3
"""A local OTLP/HTTP sink for the overhead harness: answers 200 to every POST and counts them.

Usage: otlp_sink.py PORT

Listens on 127.0.0.1 only. POST /v1/traces, /v1/metrics, /v1/logs (or any path) gets 200 with an
empty protobuf body, which is a valid empty Export*ServiceResponse. GET /counts answers one line per
path: "<path> <posts> <bytes>", so run.sh can check that the agent really exported.
"""

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_lock = threading.Lock()
_counts = {}


class SinkHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)
        path = self.path.split("?", 1)[0]
        with _lock:
            posts, size = _counts.get(path, (0, 0))
            _counts[path] = (posts + 1, size + length)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # noqa: N802
        if self.path != "/counts":
            self.send_error(404)
            return
        with _lock:
            lines = "".join(f"{p} {n} {b}\n" for p, (n, b) in sorted(_counts.items()))
        body = lines.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002
        pass


def main():
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), SinkHandler)
    server.daemon_threads = True
    print(f"otlp sink listening on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
