#!/usr/bin/env python3
"""A local EC2 instance metadata (IMDSv2) and container credentials server.

    python3 tests/server/metadata.py

binds 127.0.0.1 on a free port, prints "PORT <n>" on stdout and serves
until its stdin is closed (so it never outlives the test that started it)
or for five minutes at most.  Standard library only.

IMDS: the first path segment picks a behaviour, so one server plays every
case.  A client whose AWS_EC2_METADATA_SERVICE_ENDPOINT is
http://127.0.0.1:PORT/<mode>/ sees:

    ok           PUT latest/api/token, GET the role name, GET its credentials
    expired      credentials that expired in 2020
    no-token     the token request answers 403 (IMDSv2 turned off)
    token-500    the token request answers 500, every time
    flaky        the role name request answers 500 once per token, then works
    no-role      the role name request answers 404 (no instance profile)
    bad-role     the role name is not an IAM role name
    slow         the token request takes 3 s
    redirect     the token request answers 302 to the ok mode
    bad-json     the credentials are not JSON
    code         the credentials reply is {"Code": "AssumeRole...Failure"}
    big          the credentials reply is 100 KiB

GET requests must carry the token that the PUT handed out, and the PUT
must carry X-aws-ec2-metadata-token-ttl-seconds: otherwise 400/401.

Container credentials: GET /container/<mode>:

    ok           credentials; no Authorization needed
    auth         credentials only with Authorization: ecp-fixture-secret-auth
    401          always 401
    500          always 500
    bad-json     not JSON
    no-token     a reply without Token

GET /_requests returns (and forgets) one line per request seen:
"METHOD PATH token=yes|no ttl=yes|no auth=yes|no".  No header value is
ever logged or printed.
"""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROLE = "ecp-test-role"
TOKEN_PREFIX = "ecp-fixture-secret-imds-session-"
AUTH = "ecp-fixture-secret-auth"
FUTURE = "2999-01-01T00:00:00Z"
PAST = "2020-01-01T00:00:00Z"

state = {"lock": threading.Lock(), "log": [], "tokens": set(), "count": {}}


def creds(kind, expiration=FUTURE, token=True):
    body = {
        "Code": "Success",
        "LastUpdated": "2026-01-01T00:00:00Z",
        "Type": "AWS-HMAC",
        "AccessKeyId": "ASIA" + kind.upper() + "TEST",
        "SecretAccessKey": "ecp-fixture-secret-" + kind,
        "Expiration": expiration,
    }
    if token:
        body["Token"] = "ecp-fixture-secret-" + kind + "-token"
    return json.dumps(body).encode()


def bump(key):
    with state["lock"]:
        state["count"][key] = state["count"].get(key, 0) + 1
        return state["count"][key]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def note(self):
        line = "%s %s token=%s ttl=%s auth=%s" % (
            self.command, self.path,
            "yes" if self.headers.get("X-aws-ec2-metadata-token") else "no",
            "yes" if self.headers.get("X-aws-ec2-metadata-token-ttl-seconds") else "no",
            "yes" if self.headers.get("Authorization") else "no")
        with state["lock"]:
            state["log"].append(line)

    def do_PUT(self):
        self.note()
        parts = self.path.split("/", 2)
        mode = parts[1] if len(parts) > 1 else ""
        rest = parts[2] if len(parts) > 2 else ""
        if rest != "latest/api/token":
            return self.send(404)
        if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.send(400)
        if mode == "no-token":
            return self.send(403)
        if mode == "token-500":
            return self.send(500)
        if mode == "slow":
            time.sleep(3)
        if mode == "redirect":
            return self.send(302, headers=[("Location", "/ok/latest/api/token")])
        token = TOKEN_PREFIX + str(bump("token"))
        with state["lock"]:
            state["tokens"].add(token)
        self.send(200, token.encode())

    def do_GET(self):
        if self.path == "/_ping":
            return self.send(200, b"pong")
        if self.path == "/_requests":
            with state["lock"]:
                body = "".join(line + "\n" for line in state["log"])
                state["log"] = []
            return self.send(200, body.encode())
        self.note()
        if self.path.startswith("/container/"):
            return self.container(self.path[len("/container/"):])
        parts = self.path.split("/", 2)
        mode = parts[1] if len(parts) > 1 else ""
        rest = parts[2] if len(parts) > 2 else ""
        with state["lock"]:
            known = self.headers.get("X-aws-ec2-metadata-token") in state["tokens"]
        if not known:
            return self.send(401)
        base = "latest/meta-data/iam/security-credentials/"
        if rest == base:
            if mode == "no-role":
                return self.send(404)
            if mode == "flaky" and bump(self.headers["X-aws-ec2-metadata-token"]) == 1:
                return self.send(500)
            if mode == "bad-role":
                return self.send(200, b"../../etc/passwd")
            return self.send(200, ROLE.encode())
        if rest == base + ROLE:
            if mode == "bad-json":
                return self.send(200, b"{not json")
            if mode == "code":
                return self.send(200, json.dumps({
                    "Code": "AssumeRoleUnauthorizedAccess",
                    "Message": "EC2 cannot assume the role"}).encode())
            if mode == "big":
                return self.send(200, b" " * (100 << 10))
            if mode == "expired":
                return self.send(200, creds("imds", PAST))
            return self.send(200, creds("imds"))
        return self.send(404)

    def container(self, mode):
        if mode == "auth" and self.headers.get("Authorization") != AUTH:
            return self.send(401)
        if mode in ("ok", "auth"):
            return self.send(200, creds("container"))
        if mode == "401":
            return self.send(401)
        if mode == "500":
            return self.send(500)
        if mode == "bad-json":
            return self.send(200, b"<html>")
        if mode == "no-token":
            return self.send(200, creds("container", token=False))
        return self.send(404)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("PORT %d" % server.server_address[1], flush=True)

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Timer(300, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
