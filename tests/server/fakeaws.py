#!/usr/bin/env python3
"""fakeaws: a small AWS endpoint for ecpolicy's tests, with faults on demand.

    python3 tests/server/fakeaws.py --port 0 --scenario FILE.json \
        [--log FILE] [--tls CERT KEY] [--exit-with-stdin]

Prints "PORT=<n>" as its first stdout line once it is listening on
127.0.0.1, then serves until killed.  A scenario maps requests (Action,
service, host, form fields, and how many times the rule matched before)
to replies: canned bodies, AWS error envelopes, pages of a list, delays,
truncated bodies, reset connections.  Every request goes to the log as
one JSON line.  tests/server/README.md documents the scenario format.

Python 3 standard library only.
"""

import argparse
import email.utils
import fnmatch
import json
import os
import re
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

MAX_REQUEST_BODY = 16 << 20

TOP_KEYS = {"rules", "default"}
RULE_KEYS = {"match", "response", "responses", "repeat"}
MATCH_KEYS = {"action", "service", "region", "host", "method", "path",
              "form", "header"}
RESPONSE_KEYS = {"status", "body", "body_file", "error", "page", "headers",
                 "delay", "truncate", "reset", "close", "chunked"}
ERROR_KEYS = {"code", "message", "type", "protocol"}
PAGE_KEYS = {"items", "items_file", "item", "count", "size", "protocol",
             "token", "token_element", "token_prefix", "template", "list",
             "xmlns"}

NAMESPACES = {
    "query": "http://elasticache.amazonaws.com/doc/2015-02-02/",
    "ec2": "http://ec2.amazonaws.com/doc/2016-11-15/",
}
TEMPLATES = {
    "query": ('<{action}Response xmlns="{xmlns}"><{action}Result>'
              '<{list}>{items}</{list}>{token}</{action}Result>'
              '<ResponseMetadata><RequestId>{request_id}</RequestId>'
              '</ResponseMetadata></{action}Response>'),
    "ec2": ('<{action}Response xmlns="{xmlns}"><requestId>{request_id}'
            '</requestId><{list}>{items}</{list}>{token}</{action}Response>'),
}
SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/,\s]+)/([^/,\s]+)/")


class ScenarioError(Exception):
    pass


def check_keys(obj, allowed, where):
    if not isinstance(obj, dict):
        raise ScenarioError(f"{where}: expected an object")
    for key in obj:
        if key not in allowed:
            raise ScenarioError(f"{where}: unknown key '{key}'")


class Scenario:
    """The rules, checked once at start-up, and how often each matched."""

    def __init__(self, path):
        self.dir = os.path.dirname(os.path.abspath(path))
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if isinstance(data, list):
            data = {"rules": data}
        check_keys(data, TOP_KEYS, "scenario")
        self.rules = data.get("rules", [])
        if not isinstance(self.rules, list):
            raise ScenarioError("rules: expected a list")
        for i, rule in enumerate(self.rules):
            where = f"rules[{i}]"
            check_keys(rule, RULE_KEYS, where)
            check_keys(rule.get("match", {}), MATCH_KEYS, where + ".match")
            if ("response" in rule) == ("responses" in rule):
                raise ScenarioError(f"{where}: give 'response' or "
                                    "'responses', not both or neither")
            seq = rule.get("responses", [rule.get("response")])
            if not isinstance(seq, list) or not seq:
                raise ScenarioError(f"{where}.responses: expected a "
                                    "non-empty list")
            rule["responses"] = [self.load_response(r, f"{where}.responses"
                                                    f"[{j}]")
                                 for j, r in enumerate(seq)]
            if rule.get("repeat", "last") not in ("last", "cycle"):
                raise ScenarioError(f"{where}.repeat: 'last' or 'cycle'")
        self.default = None
        if "default" in data:
            self.default = self.load_response(data["default"], "default")
        self.counts = [0] * len(self.rules)
        self.lock = threading.Lock()

    def file(self, name):
        with open(os.path.join(self.dir, name), "rb") as f:
            return f.read()

    def load_response(self, resp, where):
        check_keys(resp, RESPONSE_KEYS, where)
        if sum(k in resp for k in ("body", "body_file", "error", "page")) > 1:
            raise ScenarioError(f"{where}: one of body, body_file, error, "
                                "page")
        if "body_file" in resp:
            resp["body"] = self.file(resp.pop("body_file"))
        if "error" in resp:
            check_keys(resp["error"], ERROR_KEYS, where + ".error")
            if "code" not in resp["error"]:
                raise ScenarioError(f"{where}.error: 'code' is required")
        if "page" in resp:
            page = resp["page"]
            check_keys(page, PAGE_KEYS, where + ".page")
            if "items_file" in page:
                page["items"] = json.loads(self.file(page.pop("items_file")))
            elif "item" in page:
                page["items"] = [page["item"].replace("{n}", str(n))
                                 for n in range(1, page.get("count", 1) + 1)]
            items = page.get("items")
            if not isinstance(items, list) or \
                    not all(isinstance(i, str) for i in items):
                raise ScenarioError(f"{where}.page: give items (strings), "
                                    "items_file or item and count")
            if not isinstance(page.get("size", 100), int) or \
                    page.get("size", 100) < 1:
                raise ScenarioError(f"{where}.page.size: a number, 1 or "
                                    "more")
            if "template" not in page and "list" not in page:
                raise ScenarioError(f"{where}.page: give 'list' (the list "
                                    "element) or a 'template'")
        return resp

    def pick(self, req):
        """(rule index or None, ordinal, response) for one request."""
        for i, rule in enumerate(self.rules):
            if matches(rule.get("match", {}), req):
                with self.lock:
                    self.counts[i] += 1
                    n = self.counts[i]
                seq = rule["responses"]
                if rule.get("repeat", "last") == "cycle":
                    return i, n, seq[(n - 1) % len(seq)]
                return i, n, seq[min(n, len(seq)) - 1]
        if self.default is not None:
            return None, 0, self.default
        return None, 0, {"error": {
            "code": "InvalidAction",
            "message": "fakeaws: no rule matches this request (Action="
                       f"{req['action']})"}}


def same(pattern, value):
    if pattern is None:
        return value is None
    return value is not None and fnmatch.fnmatchcase(value, str(pattern))


def matches(m, req):
    for key in ("action", "service", "region", "host", "method", "path"):
        if key in m and not same(m[key], req[key]):
            return False
    for name, want in m.get("form", {}).items():
        if not same(want, req["form"].get(name)):
            return False
    for name, want in m.get("header", {}).items():
        if not same(want, req["headers"].get(name.lower())):
            return False
    return True


def protocol_of(spec, req):
    return spec.get("protocol") or ("ec2" if req["service"] == "ec2"
                                    else "query")


def error_body(err, status, req):
    code, msg = escape(err["code"]), escape(err.get("message", err["code"]))
    if protocol_of(err, req) == "ec2":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors>'
                f'<Error><Code>{code}</Code><Message>{msg}</Message></Error>'
                '</Errors><RequestID>{request_id}</RequestID></Response>')
    kind = err.get("type", "Receiver" if status >= 500 else "Sender")
    return (f'<ErrorResponse xmlns="{NAMESPACES["query"]}"><Error>'
            f'<Type>{escape(kind)}</Type><Code>{code}</Code>'
            f'<Message>{msg}</Message></Error>'
            '<RequestId>{request_id}</RequestId></ErrorResponse>')


def page_body(page, req):
    """One page of the list, from the token and page size in the request;
    (status, body)."""
    proto = protocol_of(page, req)
    field = page.get("token", "Marker" if proto == "query" else "NextToken")
    element = page.get("token_element",
                       field if proto == "query" else field[:1].lower() +
                       field[1:])
    prefix = page.get("token_prefix", "t+/=")
    size = int(page.get("size", 100))
    limit = req["form"].get("MaxRecords") or req["form"].get("MaxResults")
    if limit and limit.isdigit() and 0 < int(limit) < size:
        size = int(limit)
    items, start = page["items"], 0
    token = req["form"].get(field)
    if token is not None:
        rest = token[len(prefix):]
        if not token.startswith(prefix) or not rest.isdigit() \
                or int(rest) > len(items):
            err = {"code": "InvalidParameterValue", "protocol": proto,
                   "message": f"fakeaws: {field} is not a token this "
                              "server gave out"}
            return 400, error_body(err, 400, req)
        start = int(rest)
    nxt = start + size
    token_xml = (f"<{element}>{escape(prefix)}{nxt}</{element}>"
                 if nxt < len(items) else "")
    body = page.get("template", TEMPLATES[proto])
    for key, value in (("{xmlns}", page.get("xmlns", NAMESPACES[proto])),
                       ("{list}", page.get("list", "")),
                       ("{items}", "".join(items[start:nxt])),
                       ("{token}", token_xml)):
        body = body.replace(key, value)
    return 200, body


class State:
    lock = threading.Lock()
    requests = connections = in_flight = max_in_flight = 0
    log = None


def write_log(entry):
    if State.log:
        with State.lock:
            State.log.write(json.dumps(entry, sort_keys=True) + "\n")
            State.log.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive, so reuse can be seen
    server_version = "fakeaws"

    def log_message(self, *args):
        pass

    def do_any(self):
        if "Transfer-Encoding" in self.headers:
            self.send_error(411, "fakeaws reads Content-Length bodies only")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_REQUEST_BODY:
            self.send_error(413)
            return
        raw = self.rfile.read(length).decode("utf-8", "replace")
        url = urllib.parse.urlsplit(self.path)
        form = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        if self.command != "GET":
            form.update(urllib.parse.parse_qsl(raw, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        scope = SCOPE.search(headers.get("authorization", ""))
        req = {"method": self.command, "path": url.path, "form": form,
               "host": headers.get("host"), "headers": headers,
               "action": form.get("Action"),
               "region": scope.group(1) if scope else None,
               "service": scope.group(2) if scope else None}
        with State.lock:
            State.requests += 1
            State.in_flight += 1
            State.max_in_flight = max(State.max_in_flight, State.in_flight)
            n, in_flight = State.requests, State.in_flight
            conns = State.connections
        try:
            rule, ordinal, resp = self.server.scenario.pick(req)
            write_log(dict(req, n=n, time=time.time(), body=raw,
                           connection=self.server.local.conn_id,
                           connections=conns, in_flight=in_flight,
                           max_in_flight=State.max_in_flight, rule=rule,
                           ordinal=ordinal))
            self.reply(resp, req, f"00000000-0000-4000-8000-{n:012d}")
        finally:
            with State.lock:
                State.in_flight -= 1

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_any

    def reply(self, resp, req, request_id):
        time.sleep(float(resp.get("delay", 0)))
        if resp.get("reset"):
            # SO_LINGER 0: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        status = int(resp.get("status", 400 if "error" in resp else 200))
        body = resp.get("body", "")
        if "error" in resp:
            body = error_body(resp["error"], status, req)
        elif "page" in resp:
            ok, body = page_body(resp["page"], req)
            status = status if ok == 200 else ok
        if isinstance(body, str):
            body = body.encode("utf-8")
        body = body.replace(b"{request_id}", request_id.encode()) \
                   .replace(b"{action}", (req["action"] or "").encode())
        headers = {"Content-Type": "text/xml",
                   "Date": email.utils.formatdate(usegmt=True),
                   "x-amzn-RequestId": request_id}
        headers.update(resp.get("headers", {}))
        chunked = resp.get("chunked", False)
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = str(len(body))
        if resp.get("close") or "truncate" in resp:
            headers["Connection"] = "close"
            self.close_connection = True
        self.send_response_only(status)
        for name, value in headers.items():
            if value is not None:
                self.send_header(name, str(value))
        self.end_headers()
        if self.command == "HEAD":
            return
        if "truncate" in resp:
            self.wfile.write(body[:int(resp["truncate"])])
        elif chunked:
            for i in range(0, len(body), 4096):
                part = body[i:i + 4096]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # A fetch opens dozens of connections at once; the default backlog of
    # 5 makes the kernel drop SYNs and the client wait a second for each.
    request_queue_size = 128

    def __init__(self, port, scenario, tls):
        self.scenario, self.tls = scenario, tls
        self.local = threading.local()
        super().__init__(("127.0.0.1", port), Handler)

    def finish_request(self, request, client_address):
        # One thread per TCP connection: count it before any TLS handshake,
        # and do the handshake here, not in the accepting thread.
        with State.lock:
            State.connections += 1
            self.local.conn_id = State.connections
        if self.tls:
            request = self.tls.wrap_socket(request, server_side=True)
        try:
            Handler(request, client_address, self)
        finally:
            if self.tls:
                request.close()

    def handle_error(self, request, client_address):
        kind, value = sys.exc_info()[:2]
        if not issubclass(kind, (ConnectionError, ssl.SSLError,
                                 TimeoutError)):
            print(f"fakeaws: {kind.__name__}: {value}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--log", help="append one JSON line per request here")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--exit-with-stdin", action="store_true",
                    help="exit when stdin reaches end of file (give it a "
                         "pipe, so the server dies with its test)")
    args = ap.parse_args()
    try:
        scenario = Scenario(args.scenario)
    except (OSError, ValueError, ScenarioError) as e:
        sys.exit(f"fakeaws: scenario {args.scenario}: {e}")
    tls = None
    if args.tls:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(*args.tls)
    if args.log:
        State.log = open(args.log, "a", encoding="utf-8")
    server = Server(args.port, scenario, tls)
    if args.exit_with_stdin:
        def watch():
            sys.stdin.buffer.read()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    print(f"PORT={server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
