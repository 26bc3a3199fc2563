#!/usr/bin/env python3
"""Time ecpolicy on generated inventories and print the bench table.

    measure.py --bin ECPOLICY --floor PARSE_ONLY --timeit TIMEIT --out DIR [--runs N]
               [--budget SEC] N:INVENTORY_DIR ...

For each inventory it runs, each a few times:

  floor   parse_only DIR                  read + cJSON-parse every file
  parse   ecpolicy inventory --snapshot   read, validate, build the model
  run     ecpolicy run --snapshot --format json -o FILE
                                          the built-in policies + report

and keeps the best wall time and the largest peak RSS (ru_maxrss of that
command alone, taken by bench/timeit.c).  The report goes to a regular file in DIR,
so that writing it is timed as a user would see it (and its size is shown).

Called by bench/run.sh.  Exits 0 whatever the numbers are; 1 only when a
command crashed or failed (ecpolicy run exits 1 or 3 on findings, which is
not a failure).
"""

import argparse
import json
import math
import os
import platform
import subprocess
import sys

TARGET_RUN_OVER_PARSE = 2.0     # run at most 2x the parse-alone time
TARGET_LINEAR_SLACK = 1.2       # 10x the input: at most 12x the time
TARGET_RSS_OVER_INPUT = 5.0     # peak memory at most 5x the input


def label(n):
    return "%dk" % (n // 1000) if n >= 1000 and n % 1000 == 0 else str(n)


def input_size(d):
    size = files = 0
    for root, dirs, names in os.walk(d):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        for name in names:
            if name.endswith(".json") and not name.startswith("."):
                size += os.path.getsize(os.path.join(root, name))
                files += 1
    return size, files


def run_once(timeit, stamp, argv, env):
    """(wall seconds, peak RSS bytes, exit status, stderr tail), measured by
    bench/timeit.c so that the child does not inherit this script's RSS."""
    p = subprocess.run([timeit, stamp] + argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, env=env)
    err = p.stderr.decode("utf-8", "replace")[-2000:]
    try:
        with open(stamp) as f:
            wall, rss_kb, code = f.read().split()
        os.unlink(stamp)
    except (OSError, ValueError):
        return 0.0, 0, p.returncode or 2, err
    return float(wall), int(rss_kb) * 1024, int(code), err


def measure(a, name, argv, ok_codes, env):
    best, peak, spent, codes = math.inf, 0, 0.0, []
    stamp = os.path.join(a.out, ".timeit")
    for i in range(a.runs):
        wall, rss, code, err = run_once(a.timeit, stamp, argv, env)
        spent += wall
        codes.append(code)
        sys.stderr.write("bench:   %-5s run %d: %7.2f s  %7.1f MB  exit %d\n"
                         % (name, i + 1, wall, rss / 1e6, code))
        if code not in ok_codes:
            sys.stderr.write("bench: %s failed (exit %d): %s\n%s\n"
                             % (name, code, " ".join(argv), err))
            return {"wall": wall, "rss": rss, "runs": i + 1, "exit": code,
                    "failed": True}
        best, peak = min(best, wall), max(peak, rss)
        if spent + wall > a.budget:
            break
    return {"wall": best, "rss": peak, "runs": len(codes), "exit": codes[-1],
            "failed": False}


def mb(b):
    return "%.1f MB" % (b / 1e6)


def verdict(ok):
    return "PASS" if ok else "MISS"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--timeit", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--budget", type=float, default=300.0,
                    help="do not run a command again when one more run as "
                         "long as the last would take it past this many "
                         "seconds (it always runs once)")
    ap.add_argument("inventories", nargs="+", metavar="N:DIR")
    a = ap.parse_args()
    env = dict(os.environ)
    version = subprocess.run([a.bin, "version"], capture_output=True,
                             text=True).stdout.strip()

    rows, crashed = [], False
    for spec in a.inventories:
        n, d = spec.split(":", 1)
        n = int(n)
        size, files = input_size(d)
        report = os.path.join(a.out, "report-%s.json" % label(n))
        sys.stderr.write("bench: %s caches, %s in %d files (%s)\n"
                         % (label(n), mb(size), files, d))
        row = {"n": n, "dir": d, "size": size, "files": files}
        row["floor"] = measure(a, "floor", [a.floor, d], (0,), env)
        row["parse"] = measure(a, "parse", [a.bin, "inventory", "--snapshot", d],
                               (0,), env)
        row["run"] = measure(a, "run", [a.bin, "run", "--snapshot", d, "--format",
                                        "json", "-o", report], (0, 1, 3), env)
        row["report_size"] = os.path.getsize(report) if os.path.exists(report) else 0
        crashed |= any(row[k]["failed"] for k in ("floor", "parse", "run"))
        rows.append(row)

    print()
    print("ecpolicy bench: %s; %d CPUs (%s), %s" % (
        version or a.bin, os.cpu_count() or 0, cpu_model(),
        platform.platform(terse=True)))
    print("best wall time of the runs made (count in brackets); peak RSS of "
          "the largest run")
    print()
    head = "%-34s" % ""
    for r in rows:
        head += "%22s" % ("%s caches" % label(r["n"]))
    print(head)

    def line(title, fn):
        s = "%-34s" % title
        for r in rows:
            s += "%22s" % fn(r)
        print(s)

    line("input on disk", lambda r: "%s, %d files" % (mb(r["size"]), r["files"]))
    for key, title in (("floor", "floor: read + cJSON parse"),
                       ("parse", "parse: ecpolicy inventory"),
                       ("run", "run: ecpolicy run (JSON)")):
        line(title + "  wall", lambda r, k=key: "%.2f s (%d)" % (r[k]["wall"], r[k]["runs"]))
        line(title + "  peak", lambda r, k=key: mb(r[k]["rss"]))
    line("JSON report written", lambda r: mb(r["report_size"]))
    line("parse / floor (wall)", lambda r: "%.1fx" % (r["parse"]["wall"] / max(1e-6, r["floor"]["wall"])))
    line("run - parse: policies + report", lambda r: "%.2f s" % (r["run"]["wall"] - r["parse"]["wall"]))
    line("  per cache", lambda r: "%.0f us" % (1e6 * (r["run"]["wall"] - r["parse"]["wall"]) / r["n"]))

    print()
    print("%-44s %-22s %-14s %s" % ("target", "measured", "goal", "verdict"))
    met = total = 0

    def target(title, value, goal, ok, rows_used, keys):
        nonlocal met, total
        total += 1
        if any(r[k]["failed"] for r in rows_used for k in keys):
            print("%-44s %-22s %-14s %s" % (title, "(a command failed)", goal, "n/a"))
            return
        met += ok
        print("%-44s %-22s %-14s %s" % (title, value, goal, verdict(ok)))

    for r in rows:
        ratio = r["run"]["wall"] / max(1e-6, r["parse"]["wall"])
        target("run / parse wall time, %s" % label(r["n"]), "%.1fx" % ratio,
               "<= %gx" % TARGET_RUN_OVER_PARSE, ratio <= TARGET_RUN_OVER_PARSE,
               [r], ("parse", "run"))
    if len(rows) >= 2:
        lo, hi = rows[0], rows[-1]
        grow = hi["size"] / lo["size"]
        name = "%s / %s" % (label(hi["n"]), label(lo["n"]))
        for key in ("parse", "run"):
            ratio = hi[key]["wall"] / max(1e-6, lo[key]["wall"])
            target("%s wall time, %s (input %.1fx)" % (key, name, grow),
                   "%.1fx" % ratio, "<= %.1fx (~%.1fx)" % (grow * TARGET_LINEAR_SLACK, grow),
                   ratio <= grow * TARGET_LINEAR_SLACK, [lo, hi], (key,))
        ratio = hi["run"]["rss"] / max(1, lo["run"]["rss"])
        print("%-44s %-22s %-14s %s" % ("run peak RSS, %s" % name, "%.1fx" % ratio,
                                        "(info)", ""))
    for r in rows:
        ratio = r["run"]["rss"] / r["size"]
        target("run peak RSS / input size, %s" % label(r["n"]),
               "%.2fx (%s)" % (ratio, mb(r["run"]["rss"])),
               "<= %gx" % TARGET_RSS_OVER_INPUT, ratio <= TARGET_RSS_OVER_INPUT,
               [r], ("run",))
    print()
    print("%d of %d targets met.  A benchmark, not a test: a MISS does not "
          "fail the build." % (met, total))
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"version": version, "cpus": os.cpu_count(), "rows": rows},
                  f, indent=2)
        f.write("\n")
    if crashed:
        print("bench: a command failed (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
