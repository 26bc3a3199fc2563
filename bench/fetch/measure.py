#!/usr/bin/env python3
"""make bench-fetch's driver: time `ecpolicy fetch` against the latency
server (server.py, already running), compare with the critical path and
with the aws CLI making the same calls one after another, print the table.

    python3 bench/fetch/measure.py --bin ./ecpolicy --port N --layout FILE \
        --out DIR [--runs 3] [--parallel "8 16 32 64 128"] [--aws-regions 1]

Exit 0 whatever the numbers; 1 when a command crashed, failed to run, or
the server stopped answering.  bench/fetch/README.md explains the table.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario as sc  # noqa: E402

TARGET = 1.3            # wall time / critical path, from the issue
DEFAULT_PARALLEL = 64   # ecpolicy's --max-parallel default

# Test credentials: never real ones, and never printed.
KEY_ID = "AKIDBENCHFETCH000000"
SECRET = "bench-fetch-secret-not-a-real-one"


def hermetic_env(tmp):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k.lower() not in
           ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env.update({
        "AWS_CONFIG_FILE": os.path.join(tmp, "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    })
    for name in ("aws-config", "aws-credentials"):
        open(os.path.join(tmp, name), "w").close()
    return env


class Server:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        # No proxy from the environment for the control URLs either.
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}))

    def call(self, method, path):
        req = urllib.request.Request(self.base + path, method=method,
                                     data=b"" if method == "POST" else None)
        with self.opener.open(req, timeout=30) as r:
            return json.loads(r.read())

    def reset(self):
        self.call("POST", "/__bench/reset")

    def stats(self):
        return self.call("GET", "/__bench/stats")["requests"]


def fmt_s(x):
    return "-" if x is None else f"{x:.2f}"


# ---- one ecpolicy run, and what the server saw of it ----

def analyse(layout, recs, t_start, t_end, parallel):
    """What the server log says about one run."""
    lat = layout["latency_ms"] / 1000.0
    a = {"calls": len(recs), "errors": sum(r["status"] != 200 for r in recs)}
    if not recs:
        return a
    events = sorted([(r["t0"], 1) for r in recs] +
                    [(r["t1"], -1) for r in recs])
    cur = peak = 0
    for _, d in events:
        cur += d
        peak = max(peak, cur)
    a["max_in_flight"] = peak
    a["connections"] = len({r["conn"] for r in recs})
    first = min(r["t0"] for r in recs)
    last = max(r["t1"] for r in recs)
    a["startup"] = first - t_start           # start to first request read
    a["tail"] = t_end - last                 # last reply to exit
    # How late the server itself answered (past t0 + latency): it must be
    # small, or the server is what the client waits for.
    lates = sorted(r.get("late", 0.0) for r in recs)
    a["server_late_mean"] = statistics.mean(lates)
    a["server_late_p99"] = lates[min(len(lates) - 1, int(len(lates) * .99))]
    busy = sum(r["t1"] - r["t0"] for r in recs)
    a["utilisation"] = busy / (parallel * (last - first)) \
        if last > first else None
    # The chains, and the path that ended last: its pages, and the time
    # between a reply and the next page's request (queue + client work).
    chains = {}
    for r in recs:
        if r["status"] == 200 and "page" in r:
            chains.setdefault((r["region"], r["action"], r.get("plid")),
                              []).append(r)
    for c in chains.values():
        c.sort(key=lambda r: r["page"])
    a["chains_incomplete"] = sum(
        1 for c in chains.values()
        if not c[-1].get("last") or
        [r["page"] for r in c] != list(range(len(c))))
    if chains:
        end_key = max(chains, key=lambda k: chains[k][-1]["t1"])
        path = list(chains[end_key])
        if end_key[1] == sc.COLL[sc.ENTRIES]["action"]:
            sg = chains.get((end_key[0], sc.COLL[sc.SGS]["action"], None))
            if sg:
                path = sg + path
        gaps = [b["t0"] - a_["t1"] for a_, b in zip(path, path[1:])]
        a["last_chain"] = (f"{end_key[0]} "
                           + ("security groups + entries of "
                              + end_key[2] if end_key[2] else end_key[1]))
        a["last_chain_calls"] = len(path)
        a["last_chain_first"] = path[0]["t0"] - t_start
        a["last_chain_gaps"] = sum(gaps)
        a["last_chain_gap_max"] = max(gaps) if gaps else 0.0
        a["last_chain_service"] = sum(r["t1"] - r["t0"] for r in path)
        a["latency"] = lat
    return a


def run_fetch(args, env, server, layout, parallel, snap):
    cmd = [args.bin, "fetch", "-o", snap, "--endpoint-url",
           f"http://127.0.0.1:{args.port}", "--max-attempts", "1"]
    for r in layout["regions"]:
        cmd += ["--region", r]
    if parallel is not None:
        cmd += ["--max-parallel", str(parallel)]
    server.reset()
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    t1 = time.monotonic()
    recs = server.stats()
    out = p.stdout + p.stderr
    if SECRET.encode() in out:
        # Not a test, but worth saying loudly (without the secret).
        print("bench-fetch: ecpolicy printed the secret key", file=sys.stderr)
    return p.returncode, t1 - t0, recs, t0, t1, p.stderr.decode(
        "utf-8", "replace")


def check_snapshot(args, env, layout, snap, served):
    """Every collection ok, with the items the server holds.  Returns a
    list of problems (empty: all good)."""
    p = subprocess.run([args.bin, "inventory", "--snapshot", snap,
                        "--format", "json"], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        return [f"ecpolicy inventory exited {p.returncode}: "
                + p.stderr.decode("utf-8", "replace").strip()[:300]]
    doc = json.loads(p.stdout)
    problems = []
    regions = {r.get("name") or r.get("region"): r
               for r in doc.get("regions", [])}
    for region in layout["regions"]:
        r = regions.get(region)
        if not r:
            problems.append(f"{region}: not in the snapshot")
            continue
        for c in r.get("collections", []):
            key = c["collection"]
            if key not in served:
                continue
            if c["status"] != "ok":
                problems.append(f"{region} {key}: {c['status']} "
                                f"{c.get('message') or ''}".strip())
            elif c.get("items") != sc.expected_items(layout, key):
                problems.append(f"{region} {key}: {c.get('items')} items, "
                                f"want {sc.expected_items(layout, key)}")
    return problems


# ---- the aws CLI, one call after another ----

def aws_commands(layout, r, region, keys):
    cmds = []
    for key in sc.COLL:
        if key not in keys:
            continue
        cli = sc.COLL[key]["cli"].split()
        if key == sc.ENTRIES:
            for plid in sc.prefix_list_ids(layout, r):
                cmds.append((key, cli + ["--prefix-list-id", plid]))
        else:
            cmds.append((key, cli))
    return cmds


def run_aws(args, env, server, layout, keys):
    """Time every command of the chosen regions, one after another.
    Returns a dict, or None when the aws CLI is not there."""
    aws = shutil.which("aws", path=env.get("PATH"))
    if not aws or args.aws_regions == "0":
        return None
    version = subprocess.run([aws, "--version"], env=env,
                             stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT).stdout.decode().strip()
    n = len(layout["regions"]) if args.aws_regions == "all" \
        else min(int(args.aws_regions), len(layout["regions"]))
    base = [aws, "--endpoint-url", f"http://127.0.0.1:{args.port}",
            "--output", "json"]
    out = {"version": version, "regions_run": n,
           "regions": len(layout["regions"]), "per_region": [],
           "failures": []}

    def timed(cmd):
        t0 = time.monotonic()
        p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        dt = time.monotonic() - t0
        if p.returncode != 0:
            out["failures"].append(
                " ".join(cmd[5:]) + f": exit {p.returncode}: "
                + p.stderr.decode("utf-8", "replace").strip()[-200:])
        return dt

    server.reset()
    out["sts"] = timed(base + ["--region", layout["regions"][0], "sts",
                               "get-caller-identity"])
    for r, region in enumerate(layout["regions"][:n]):
        t = 0.0
        for key, cli in aws_commands(layout, r, region, keys):
            t += timed(base + ["--region", region] + cli)
        out["per_region"].append((region, t))
    recs = server.stats()
    out["calls"] = len(recs)
    out["errors"] = sum(x["status"] != 200 for x in recs)
    out["commands_per_region"] = len(aws_commands(layout, 0,
                                                  layout["regions"][0], keys))
    measured = sum(t for _, t in out["per_region"])
    out["measured"] = measured + out["sts"]
    out["total"] = measured / n * len(layout["regions"]) + out["sts"]
    out["calls_total"] = (out["calls"] - 1) / n * len(layout["regions"]) + 1
    return out


# ---- the report ----

def stop_on_signals():
    """SIGTERM and SIGINT end the driver, and the command it is running:
    subprocess.run kills its child when an exception goes through it.  A
    thread also ends it once the script that started it is gone."""
    import signal
    import threading

    def stop(signum, frame):
        raise SystemExit(128 + signum)
    for s in (signal.SIGTERM, signal.SIGINT):
        signal.signal(s, stop)
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return
    threading.Thread(target=watch, daemon=True).start()


def main():
    stop_on_signals()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--layout", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--parallel", default="8 16 32 64 128")
    ap.add_argument("--aws-regions", default="1",
                    help="regions to run the aws CLI in: a number, all, 0")
    args = ap.parse_args()
    with open(args.layout, encoding="utf-8") as f:
        layout = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    env = hermetic_env(args.out)
    server = Server(args.port)
    lat = layout["latency_ms"] / 1000.0
    nreg = len(layout["regions"])
    crashed = []

    # A first run finds out which collections this build asks for (a build
    # may not fetch tags yet); the critical path counts only those.
    snap = os.path.join(args.out, "snapshot.json")
    rc, wall, recs, t0, t1, err = run_fetch(args, env, server, layout, None,
                                            snap)
    if rc not in (0, 3):
        print(f"bench-fetch: ecpolicy fetch exited {rc}:\n{err.strip()}",
              file=sys.stderr)
        return 1
    actions = {r["action"] for r in recs}
    keys = {k for k in sc.COLL if sc.COLL[k]["action"] in actions}
    unserved = sorted(a for a in actions
                      if a not in sc.BY_ACTION and a != "GetCallerIdentity")
    sts = "GetCallerIdentity" in actions
    calls = sc.total_calls(layout, keys, sts)
    crit, crit_what = sc.critical_pages(layout, keys)
    problems = check_snapshot(args, env, layout, snap, keys)

    print(f"bench-fetch: {nreg} regions, {calls} calls per fetch, "
          f"{layout['latency_ms']:g} ms per reply, "
          f"{layout['page_size']} items per page")
    print(f"  collections fetched: {len(keys)} "
          f"({', '.join(k for k in sc.COLL if k in keys)})")
    if unserved:
        print(f"  asked for but not served: {', '.join(unserved)}")
    print(f"  critical path: {crit} calls, {crit_what}: "
          f"{crit * lat:.2f} s; target wall <= {TARGET}x = "
          f"{TARGET * crit * lat:.2f} s")
    print(f"  the same calls one after another, no client overhead: "
          f"{calls} x {layout['latency_ms']:g} ms = {calls * lat:.1f} s")
    if problems:
        print("  the snapshot is not what the server holds:")
        for p in problems[:10]:
            print(f"    {p}")
    print()

    rows = []
    plist = [int(x) for x in args.parallel.split()]
    for n in plist:
        walls, analyses, codes = [], [], []
        for i in range(args.runs):
            rc, wall, recs, t0, t1, err = run_fetch(
                args, env, server, layout, n,
                os.path.join(args.out, "snapshot-timed.json"))
            codes.append(rc)
            if rc not in (0, 3):
                crashed.append(f"--max-parallel {n}: exit {rc}: "
                               f"{err.strip()[:300]}")
                break
            walls.append(wall)
            analyses.append(analyse(layout, recs, t0, t1, n))
        if not walls:
            rows.append({"parallel": n, "failed": True})
            continue
        best = min(range(len(walls)), key=walls.__getitem__)
        bound = max(crit, -(-calls // n))
        rows.append({
            "parallel": n, "walls": walls, "best": walls[best],
            "median": statistics.median(walls), "codes": codes,
            "analysis": analyses[best], "bound": bound * lat,
            "ratio": walls[best] / (crit * lat),
            "ratio_bound": walls[best] / (bound * lat),
            "fifo": sc.simulate(layout, keys, n, "fifo") * lat,
            "longest": sc.simulate(layout, keys, n, "longest") * lat,
        })

    hdr = (f"{'max-parallel':>12}  {'calls':>5}  {'best s':>6}  "
           f"{'median':>6}  {'x crit':>6}  {'target':>6}  {'bound s':>7}  "
           f"{'x bound':>7}  {'fifo s':>6}  {'lcf s':>5}  {'inflt':>5}  "
           f"{'conns':>5}")
    print(hdr)
    print("-" * len(hdr))
    for row in rows:
        n = row["parallel"]
        label = f"{n}{' (dflt)' if n == DEFAULT_PARALLEL else ''}"
        if row.get("failed"):
            print(f"{label:>12}  failed")
            continue
        a = row["analysis"]
        verdict = "PASS" if row["ratio"] <= TARGET else "MISS"
        if a.get("errors") or a.get("chains_incomplete") or \
                any(c != 0 for c in row["codes"]):
            verdict = "INCMPL"
        print(f"{label:>12}  {a['calls']:>5}  {row['best']:>6.2f}  "
              f"{row['median']:>6.2f}  {row['ratio']:>6.2f}  {verdict:>6}  "
              f"{row['bound']:>7.2f}  {row['ratio_bound']:>7.2f}  "
              f"{row['fifo']:>6.2f}  {row['longest']:>5.2f}  "
              f"{a.get('max_in_flight', 0):>5}  {a.get('connections', 0):>5}")
    print()
    print("  x crit: best wall / critical path (target <= 1.3); bound: "
          "max(critical path, ceil(calls / max-parallel)) x latency, the "
          "least any client with that many requests at once can take; "
          "fifo / lcf: that client in a model where every call takes "
          "exactly the latency, scheduling next pages first-in first-out "
          "(as ecpolicy does) / longest chain first; inflt: most requests "
          "in flight at the server; conns: TCP connections.")
    print()
    for row in rows:
        if row.get("failed"):
            continue
        a = row["analysis"]
        if "last_chain" not in a:
            continue
        waits = a["last_chain_gaps"]
        print(f"  --max-parallel {row['parallel']} (best run): first request "
              f"{a['startup'] * 1000:.0f} ms after start, exit "
              f"{a['tail'] * 1000:.0f} ms after the last reply; the last "
              f"chain to end ({a['last_chain']}, {a['last_chain_calls']} "
              f"calls) began at {a['last_chain_first']:.2f} s and waited "
              f"{waits:.2f} s between its pages (longest gap "
              f"{a['last_chain_gap_max'] * 1000:.0f} ms); slots busy "
              f"{(a.get('utilisation') or 0) * 100:.0f}%; server late by "
              f"{a['server_late_mean'] * 1000:.1f} ms on average "
              f"(p99 {a['server_late_p99'] * 1000:.1f} ms)")
    print()
    for row in rows:
        if row.get("failed") or row["ratio"] <= TARGET:
            continue
        n, a = row["parallel"], row["analysis"]
        why = [f"  MISS at --max-parallel {n}:"]
        goal = TARGET * crit * lat
        if row["bound"] > goal:
            why.append(f"{calls} calls, {n} at a time, take at least "
                       f"{row['bound']:.2f} s ({row['bound'] / (crit * lat):.2f}x "
                       f"the critical path): no client makes the target "
                       f"with this --max-parallel; ecpolicy took "
                       f"{row['ratio_bound']:.2f}x that least time.")
        else:
            why.append(f"a client with {n} requests at once could take "
                       f"{row['bound']:.2f} s.")
        why.append(f"First-in first-out order of the pages (ecpolicy's) "
                   f"takes {row['fifo']:.2f} s in the model"
                   + (" (alone over the target)" if row["fifo"] > goal
                      else "")
                   + f", longest chain first {row['longest']:.2f} s;")
        why.append(f"the rest, {row['best'] - row['fifo']:.2f} s, is the "
                   f"client and the wire: start {a['startup'] * 1000:.0f} ms,"
                   f" exit {a['tail'] * 1000:.0f} ms after the last reply, "
                   f"server late {a['server_late_mean'] * 1000:.1f} ms per "
                   f"call, the rest between pages.")
        print(" ".join(why))
    print()

    aws = run_aws(args, env, server, layout, keys)
    best_row = min((r for r in rows if not r.get("failed")),
                   key=lambda r: r["best"], default=None)
    dflt_row = next((r for r in rows if r["parallel"] == DEFAULT_PARALLEL
                     and not r.get("failed")), None)
    if aws is None:
        print("aws CLI: not run (no 'aws' on PATH, or "
              "BENCH_FETCH_AWS_REGIONS=0)")
    else:
        per = ", ".join(f"{reg} {t:.1f} s" for reg, t in aws["per_region"])
        print(f"aws CLI one command after another ({aws['version']}):")
        print(f"  {aws['commands_per_region']} commands per region (each "
              f"paginating on its own), plus sts get-caller-identity "
              f"{aws['sts']:.1f} s")
        print(f"  measured in {aws['regions_run']} of {aws['regions']} "
              f"region(s): {per}; {aws['calls']} calls, "
              f"{aws['measured']:.1f} s")
        if aws["regions_run"] < aws["regions"]:
            print(f"  extrapolated to {aws['regions']} regions (every region "
                  f"holds the same pages): {aws['total']:.1f} s, "
                  f"{aws['calls_total']:.0f} calls "
                  f"(BENCH_FETCH_AWS_REGIONS=all runs them all)")
        if aws["failures"]:
            print("  aws CLI failures:")
            for f in aws["failures"][:5]:
                print(f"    {f}")
        for label, row in (("best", best_row), ("default", dflt_row)):
            if row and (label == "best" or row is not best_row):
                print(f"  ecpolicy --max-parallel {row['parallel']} "
                      f"({label}): {row['best']:.2f} s, "
                      f"{aws['total'] / row['best']:.0f}x faster")
    results = {"layout": layout, "collections": sorted(keys),
               "calls": calls, "critical_calls": crit,
               "critical_path_s": crit * lat, "target": TARGET,
               "rows": rows, "aws": aws, "snapshot_problems": problems}
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    print(f"\n(results in {os.path.join(args.out, 'results.json')})")
    if crashed:
        for c in crashed:
            print(f"bench-fetch: {c}", file=sys.stderr)
        return 1
    if aws and aws["failures"] and aws["errors"] == aws["calls"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
