#!/usr/bin/env python3
"""bench-fetch's AWS endpoint: every API of `ecpolicy fetch`, for several
regions, many pages per collection, and a fixed latency on every reply.

    python3 bench/fetch/server.py --layout FILE [--port 0] [--parent PID]

Listens on 127.0.0.1 only and prints "PORT=<n>" once it listens.  The
region of a request is the one in its SigV4 credential scope, so one
--endpoint-url serves every region.  Each reply is sent `latency_ms` after
its request was read in full, whatever else is going on: one asyncio loop,
no threads, so hundreds of requests can wait at once and the server is
never what a client waits for.

Two control URLs (never counted, no latency):
    GET  /__bench/stats   every request since the last reset, as JSON
    POST /__bench/reset   forget them
With --parent PID it exits when that process is gone.

Python 3 standard library only.
"""

import argparse
import asyncio
import email.utils
import json
import os
import re
import signal
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario as sc  # noqa: E402

SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/,\s]+)/([^/,\s]+)/")
MAX_HEAD = 64 << 10
MAX_BODY = 1 << 20


class App:
    def __init__(self, layout):
        self.layout = layout
        self.latency = layout["latency_ms"] / 1000.0
        self.region_index = {r: i for i, r in enumerate(layout["regions"])}
        self.cache = {}
        self.records = []
        self.requests = 0
        self.connections = 0

    # ---- replies ----

    def error(self, proto, status, code, message):
        if proto == "json":
            return status, "application/x-amz-json-1.1", json.dumps(
                {"__type": code, "message": message})
        if proto == "ec2":
            return status, "text/xml", (
                '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors>'
                f'<Error><Code>{code}</Code><Message>{message}</Message>'
                '</Error></Errors><RequestID>{request_id}</RequestID>'
                '</Response>')
        kind = "Receiver" if status >= 500 else "Sender"
        return status, "text/xml", (
            f'<ErrorResponse xmlns="{sc.NS["query"]}"><Error><Type>{kind}'
            f'</Type><Code>{code}</Code><Message>{message}</Message></Error>'
            '<RequestId>{request_id}</RequestId></ErrorResponse>')

    def answer(self, headers, form, body):
        """(status, content type, body text, record) for one API request."""
        auth = SCOPE.search(headers.get("authorization", ""))
        region = auth.group(1) if auth else None
        service = auth.group(2) if auth else None
        target = headers.get("x-amz-target", "")
        rec = {"region": region, "service": service}
        if target:
            action = target.rpartition(".")[2]
            try:
                form = json.loads(body or b"{}")
            except ValueError:
                form = {}
            if not isinstance(form, dict):
                form = {}
        else:
            action = form.get("Action")
        rec["action"] = action
        key = sc.BY_ACTION.get(action)
        proto = sc.COLL[key]["protocol"] if key else (
            "json" if target else "ec2" if service == "ec2" else "query")
        if action == "GetCallerIdentity":
            return 200, "text/xml", (
                f'<GetCallerIdentityResponse xmlns="{sc.NS["sts"]}">'
                '<GetCallerIdentityResult><UserId>AIDABENCHFETCH00000000'
                f'</UserId><Account>{sc.ACCOUNT}</Account><Arn>arn:aws:iam::'
                f'{sc.ACCOUNT}:user/bench</Arn></GetCallerIdentityResult>'
                '<ResponseMetadata><RequestId>{request_id}</RequestId>'
                '</ResponseMetadata></GetCallerIdentityResponse>'), rec
        if action == "DescribeRegions":
            items = "".join(
                f"<item><regionName>{r}</regionName><regionEndpoint>ec2.{r}"
                f".amazonaws.com</regionEndpoint><optInStatus>"
                f"opt-in-not-required</optInStatus></item>"
                for r in self.layout["regions"])
            return 200, "text/xml", (
                f'<DescribeRegionsResponse xmlns="{sc.NS["ec2"]}"><requestId>'
                f'{{request_id}}</requestId><regionInfo>{items}</regionInfo>'
                '</DescribeRegionsResponse>'), rec
        if key is None:
            return (*self.error(proto, 400, "InvalidAction",
                                f"bench server: no action {action}"), rec)
        if region not in self.region_index:
            return (*self.error(proto, 400, "InvalidClientTokenId",
                                f"bench server: no region {region} in the "
                                "signature's scope"), rec)
        r = self.region_index[region]
        plid = None
        if key == sc.ENTRIES:
            plid = form.get("PrefixListId")
            if plid not in sc.prefix_list_ids(self.layout, r):
                return (*self.error(proto, 400,
                                    "InvalidPrefixListID.NotFound",
                                    f"bench server: no prefix list {plid}"),
                        rec)
        elif key not in self.layout["pages"]:
            return (*self.error(proto, 400, "InvalidAction",
                                f"bench server: {action} is not served"),
                    rec)
        rec["plid"] = plid
        chain_key = f"{region}|{key}|{plid or ''}"
        token = form.get(sc.COLL[key]["token_in"])
        index = 0
        if token:
            index = sc.token_index(token, chain_key)
            if index is None:
                return (*self.error(proto, 400, "InvalidParameterValue",
                                    "bench server: not a token it gave "
                                    "out"), rec)
        rec["page"] = index
        cached = self.cache.get((chain_key, index))
        if cached is None:
            cached = sc.page_body(key, r, region, index, self.layout, plid)
            self.cache[(chain_key, index)] = cached
        text, last = cached
        rec["last"] = last
        ctype = "application/x-amz-json-1.1" if proto == "json" \
            else "text/xml"
        return 200, ctype, text, rec

    # ---- HTTP ----

    async def connection(self, reader, writer):
        self.connections += 1
        conn = self.connections
        loop = asyncio.get_running_loop()
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.LimitOverrunError:
                    break
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split(" ")
                if len(parts) != 3:
                    break
                method, target, _ = parts
                headers = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length") or 0)
                if length < 0 or length > MAX_BODY or \
                        "transfer-encoding" in headers:
                    writer.write(b"HTTP/1.1 411 Length Required\r\n"
                                 b"Content-Length: 0\r\n"
                                 b"Connection: close\r\n\r\n")
                    break
                if headers.get("expect", "").lower() == "100-continue":
                    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                body = await reader.readexactly(length) if length else b""
                t0 = loop.time()
                url = urllib.parse.urlsplit(target)
                if url.path.startswith("/__bench/"):
                    status, ctype, text = self.control(method, url.path)
                    rec = None
                else:
                    form = dict(urllib.parse.parse_qsl(url.query))
                    if method == "POST" and "x-amz-target" not in headers:
                        form.update(urllib.parse.parse_qsl(
                            body.decode("utf-8", "replace")))
                    status, ctype, text, rec = self.answer(headers, form,
                                                           body)
                    self.requests += 1
                    n = self.requests
                    rid = f"00000000-0000-4000-8000-{n:012d}"
                    text = text.replace("{request_id}", rid)
                    wait = t0 + self.latency - loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                t_reply = loop.time()
                payload = text.encode("utf-8")
                close = headers.get("connection", "").lower() == "close"
                out = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}",
                       f"Content-Type: {ctype}",
                       f"Content-Length: {len(payload)}",
                       f"Date: {email.utils.formatdate(usegmt=True)}"]
                if rec is not None:
                    out.append(f"x-amzn-RequestId: {rid}")
                if close:
                    out.append("Connection: close")
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode()
                             + payload)
                await writer.drain()
                if rec is not None:
                    # loop.time() is time.monotonic(): CLOCK_MONOTONIC,
                    # which the driver reads too.
                    rec.update(n=n, conn=conn, status=status,
                               bytes=len(payload), t0=t0,
                               t1=time.monotonic(),
                               late=t_reply - t0 - self.latency)
                    self.records.append(rec)
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def control(self, method, path):
        if path == "/__bench/stats" and method == "GET":
            return 200, "application/json", json.dumps({
                "requests": self.records,
                "latency_ms": self.layout["latency_ms"]})
        if path == "/__bench/reset" and method == "POST":
            self.records = []
            return 200, "application/json", "{}"
        return 404, "application/json", '{"error": "no such control"}'


async def watch_parent(pid):
    while True:
        await asyncio.sleep(0.5)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


async def main_async(args, layout):
    app = App(layout)
    server = await asyncio.start_server(app.connection, "127.0.0.1",
                                        args.port, limit=MAX_HEAD,
                                        backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT={port}", flush=True)
    if args.parent:
        asyncio.get_running_loop().create_task(watch_parent(args.parent))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    async with server:
        await stop.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layout", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--parent", type=int, default=0,
                    help="exit when this process is gone")
    args = ap.parse_args()
    with open(args.layout, encoding="utf-8") as f:
        layout = json.load(f)
    asyncio.run(main_async(args, layout))


if __name__ == "__main__":
    main()
