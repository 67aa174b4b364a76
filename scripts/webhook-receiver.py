#!/usr/bin/env python3
"""A webhook receiver on loopback for rehab serve's alert tests (Tests/RehabCLITests/WebhookTests.swift).

Usage: webhook-receiver.py RECORD_FILE [--fail-first N] [--redirect-first N] [--hang]

Listens on a free port of 127.0.0.1 and prints "listening PORT" as its first line. Every
request (any method, any path) is appended to RECORD_FILE as one JSON line:
{"t": unix seconds, "method", "path", "status", "content_type", "body"}. POSTs are
answered 500 for the first N (--fail-first), then 302 to /followed for the next N
(--redirect-first), else 200; with --hang a POST is never answered (the connection is
held open until the receiver stops). Requests to /followed are recorded, so a client
that followed a redirect is seen. Stop it with SIGTERM.
"""
import argparse
import json
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("record")
parser.add_argument("--fail-first", type=int, default=0)
parser.add_argument("--redirect-first", type=int, default=0)
parser.add_argument("--hang", action="store_true")
args = parser.parse_args()

lock = threading.Lock()
posts = 0


def record(entry):
    with lock:
        with open(args.record, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *_):
        pass

    def handle_any(self):
        global posts
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        status = 200
        if self.command == "POST" and self.path != "/followed":
            with lock:
                posts += 1
                n = posts
            if n <= args.fail_first:
                status = 500
            elif n <= args.fail_first + args.redirect_first:
                status = 302
            elif args.hang:
                status = 0
        record({"t": time.time(), "method": self.command, "path": self.path, "status": status,
                "content_type": self.headers.get("Content-Type"), "body": body})
        if status == 0:
            time.sleep(3600)
            return
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/followed")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = handle_any


# A parent may hand down a blocked SIGTERM (a test runner's thread); take it back.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("listening", server.server_address[1], flush=True)
server.serve_forever()
