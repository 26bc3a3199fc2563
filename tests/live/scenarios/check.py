#!/usr/bin/env python3
"""Checks for the fakeaws tests; each prints TAP lines ("ok - ...").

    check.py status INV.json REGION COLL STATUS [TEXT...] -- NAME
        the collection's status, and each TEXT in its message
    check.py others-ok INV.json REGION COLL... -- NAME
        every other collection of the region is ok
    check.py items INV.json REGION COLL N -- NAME
    check.py results RUN.json EXPECTED.tsv [RULE...] -- NAME
        the run's results are the expected ones, changed by the rules:
          CTRL/KIND/ID=STATUS[|STATUS...]  rows matching the globs get
                      that status (any of them), except rows expected
                      not_applicable, which stay (decided before the data
                      is read); "=!STATUS" changes those too
          CTRL/KIND/ID=absent              rows removed
          CTRL/KIND/ID=*                   not compared (any status, or
                      no result)
          region:REGION                    one region-level unknown per
                      control (the engine's "some caches may be missing")
    check.py reasons RUN.json STATUS TEXT -- NAME
        every result with that status says TEXT in its reason
    check.py no-pass RUN.json KIND IDGLOB -- NAME
        no result for those resources is pass
    check.py requests LOG ACTION N [FIELD=VALUE...] -- NAME
        N requests for ACTION (with those form fields; "FIELD=": without
        FIELD) reached the server;
        ACTION "target:T" is a JSON-protocol request with X-Amz-Target T
    check.py pages LOG ACTION TOKEN SIZE COUNT [FIELD=VALUE...] -- NAME
        ACTION was asked for page after page, in order: the first without
        TOKEN, then TOKEN = "t+/=" SIZE, 2*SIZE, ... below COUNT, each
        only after the previous one arrived, and nothing more
    check.py same-records A.snap.json B.snap.json [account] -- NAME
        the two snapshots hold the same collections with the same
        statuses and records, whatever their sources (prefix-list entries
        in any order of lists); "account": the same account too
    check.py signed LOG AKID [TOKEN_ENV] -- NAME
        every request is signed with AKID (Credential=AKID/...), carries
        the session token in the environment variable TOKEN_ENV (or none),
        and its SigV4 signature verifies with the secret key in the
        environment variable SECRET_ENV (default AWS_TEST_SECRET)

The log is fakeaws's JSON lines.  Header values are compared, never
printed.  Python 3 standard library only.
"""

import fnmatch
import hashlib
import hmac
import json
import os
import sys
import urllib.parse


def ok(name):
    print(f"ok - {name}")


def not_ok(name, why=(), limit=15):
    print(f"not ok - {name}")
    for line in list(why)[:limit]:
        print(f"#   {line}")


def split(args):
    if "--" not in args:
        sys.exit("check.py: '-- NAME' is missing")
    i = args.index("--")
    return args[:i], " ".join(args[i + 1:])


def collections(inv, region):
    for r in inv["regions"]:
        if r["name"] == region:
            return {c["collection"]: c for c in r["collections"]}
    return {}


def cmd_status(args, name):
    inv, region, coll, want = args[:4]
    texts = args[4:]
    c = collections(json.load(open(inv)), region).get(coll)
    if c is None:
        return not_ok(name, [f"no collection {coll} in {region}"])
    msg = c.get("message") or ""
    why = []
    if c["status"] != want:
        why.append(f"status is {c['status']}, want {want}")
    for t in texts:
        if t not in msg:
            why.append(f"the message lacks '{t}'")
    if why:
        why.append(f"message: {msg}")
        return not_ok(name, why)
    ok(name)


def cmd_others_ok(args, name):
    inv, region = args[:2]
    skip = set(args[2:])
    colls = collections(json.load(open(inv)), region)
    bad = [f"{k}: {c['status']} ({c.get('message')})" for k, c in colls.items()
           if k not in skip and c["status"] != "ok"]
    if not colls:
        bad = [f"no region {region}"]
    if bad:
        return not_ok(name, bad)
    ok(name)


def cmd_items(args, name):
    inv, region, coll, n = args
    c = collections(json.load(open(inv)), region).get(coll, {})
    if c.get("items") != int(n):
        return not_ok(name, [f"{coll} holds {c.get('items')} items, want {n}"])
    ok(name)


def rows_of(run):
    d = json.load(open(run))
    return {(r["control"], r["resource"]["region"], r["resource"]["kind"],
             r["resource"]["id"]): r for r in d["results"]}


def cmd_results(args, name):
    run, tsv = args[:2]
    rules = args[2:]
    want = {}
    for line in open(tsv):
        if line.startswith("#") or not line.strip():
            continue
        ctrl, region, kind, rid, status = line.rstrip("\n").split("\t")
        want[(ctrl, region, kind, rid)] = {status}
    controls = sorted({k[0] for k in want})
    ignored = []
    for rule in rules:
        if rule.startswith("region:"):
            region = rule[len("region:"):]
            for c in controls:
                want[(c, region, "region", region)] = {"unknown"}
            continue
        glob, status = rule.split("=", 1)
        cglob, kglob, iglob = glob.split("/")
        if status == "*":
            ignored.append((cglob, kglob, iglob))
        force = status.startswith("!")
        status = status.lstrip("!")
        for key in list(want):
            ctrl, _, kind, rid = key
            if kind == "region" or not (fnmatch.fnmatchcase(ctrl, cglob) and
                                        fnmatch.fnmatchcase(kind, kglob) and
                                        fnmatch.fnmatchcase(rid, iglob)):
                continue
            if status in ("absent", "*"):
                del want[key]
            elif force or want[key] != {"not_applicable"}:
                want[key] = set(status.split("|"))
    got = rows_of(run)
    why = []
    for key in sorted(want):
        r = got.get(key)
        if r is None:
            why.append(f"{' '.join(key)}: no result, want {'|'.join(sorted(want[key]))}")
        elif r["status"] not in want[key]:
            why.append(f"{' '.join(key)}: {r['status']}, want "
                       f"{'|'.join(sorted(want[key]))} ({r['reason'][:90]})")
    def skip(key):
        return any(fnmatch.fnmatchcase(key[0], c) and fnmatch.fnmatchcase(key[2], k)
                   and fnmatch.fnmatchcase(key[3], i) for c, k, i in ignored)
    for key in sorted(set(got) - set(want)):
        if skip(key):
            continue
        why.append(f"{' '.join(key)}: unexpected {got[key]['status']} ({got[key]['reason'][:90]})")
    if why:
        return not_ok(f"{name} ({len(why)} differences)", why)
    ok(f"{name} ({len(want)} results)")


def cmd_reasons(args, name):
    run, status, text = args
    rows = [r for r in rows_of(run).values() if r["status"] == status]
    bad = [f"{r['control']} {r['resource']['id']}: {r['reason'][:120]}" for r in rows
           if text not in r["reason"]]
    if not rows:
        return not_ok(name, [f"no {status} result at all"])
    if bad:
        return not_ok(name, bad)
    ok(f"{name} ({len(rows)} results)")


def cmd_no_pass(args, name):
    run, kind, iglob = args
    bad = [f"{' '.join(k)}: pass ({r['reason'][:90]})" for k, r in rows_of(run).items()
           if k[2] == kind and fnmatch.fnmatchcase(k[3], iglob) and r["status"] == "pass"]
    if bad:
        return not_ok(name, bad)
    ok(name)


def log_of(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def matching(log, action, fields):
    out = []
    for e in log:
        if action.startswith("target:"):
            if e["headers"].get("x-amz-target") != action[len("target:"):]:
                continue
        elif e.get("action") != action:
            continue
        if all(e["form"].get(k) == (v if v != "" else None) for k, v in fields.items()):
            out.append(e)
    return out


def fields_of(args):
    return dict(a.split("=", 1) for a in args)


def cmd_requests(args, name):
    log, action, n = args[:3]
    got = matching(log_of(log), action, fields_of(args[3:]))
    if len(got) != int(n):
        return not_ok(name, [f"{len(got)} {action} requests, want {n}"])
    ok(name)


def cmd_pages(args, name):
    log, action, token, size, count = args[:5]
    size, count = int(size), int(count)
    got = matching(log_of(log), action, fields_of(args[5:]))
    want = [None] + [f"t+/={n}" for n in range(size, count, size)]
    seen = [e["form"].get(token) for e in got]
    why = []
    if seen != want:
        why.append(f"{token} sequence {seen}, want {want}")
    for a, b in zip(got, got[1:]):
        if b["time"] < a["time"]:
            why.append(f"request {b['n']} came before request {a['n']}")
    if why:
        return not_ok(name, why)
    ok(name)


def canonical_headers(headers, signed):
    out = []
    for h in signed:
        v = headers.get(h)
        if v is None:
            return None
        out.append(f"{h}:{' '.join(v.strip().split())}\n")
    return "".join(out)


def verify(entry, secret):
    """Recompute the SigV4 signature of one logged request."""
    auth = entry["headers"].get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return False
    parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    akid, date, region, service, _ = parts["Credential"].split("/")
    signed = parts["SignedHeaders"].split(";")
    ch = canonical_headers(entry["headers"], signed)
    if ch is None:
        return False
    path = entry["path"] or "/"
    query = ""  # POST bodies only; fakeaws logs the path without a query
    body = entry["body"].encode("utf-8")
    creq = "\n".join([entry["method"], urllib.parse.quote(path, safe="/~"), query, ch,
                      parts["SignedHeaders"], hashlib.sha256(body).hexdigest()])
    amz_date = entry["headers"].get("x-amz-date", "")
    scope = f"{date}/{region}/{service}/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(sig, parts.get("Signature", ""))


def cmd_signed(args, name):
    log, akid = args[:2]
    token_env = args[2] if len(args) > 2 else None
    secret_env = args[3] if len(args) > 3 else "AWS_TEST_SECRET"
    entries = log_of(log)
    token = os.environ.get(token_env) if token_env else None
    secret = os.environ.get(secret_env)
    why = []
    if not entries:
        why.append("no request reached the server")
    for e in entries:
        auth = e["headers"].get("authorization", "")
        what = f"request {e['n']} ({e.get('action') or e.get('path')})"
        if f"Credential={akid}/" not in auth:
            why.append(f"{what} is not signed with the expected access key id")
        got = e["headers"].get("x-amz-security-token")
        if token is None and got is not None:
            why.append(f"{what} carries a session token, want none")
        elif token is not None and got != token:
            why.append(f"{what} does not carry the expected session token")
        elif token is not None and "x-amz-security-token" not in auth.lower():
            why.append(f"{what}: the session token is not among the signed headers")
        if secret is not None and not verify(e, secret):
            why.append(f"{what}: the signature does not verify with the expected secret key")
    if why:
        return not_ok(name, why)
    ok(f"{name} ({len(entries)} requests)")


def snapshot_records(path):
    with open(path) as f:
        snap = json.load(f)
    out = {}
    for region, colls in snap["regions"].items():
        for coll, c in colls.items():
            c = {k: v for k, v in c.items() if k != "source"}
            if coll == "prefix_list_entries" and "items" in c:
                c["items"] = sorted(c["items"], key=lambda i: i["PrefixListId"])
            out[(region, coll)] = c
    return out, snap.get("account")


def cmd_same_records(args, name):
    (a, account_a), (b, account_b) = snapshot_records(args[0]), snapshot_records(args[1])
    why = [f"{region} {coll} differs" for region, coll in sorted(set(a) | set(b))
           if a.get((region, coll)) != b.get((region, coll))]
    if args[2:] == ["account"] and account_a != account_b:
        why.append(f"the accounts differ: {account_a!r} and {account_b!r}")
    if why:
        return not_ok(name, why)
    ok(name)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    args, name = split(sys.argv[2:])
    cmds = {"status": cmd_status, "others-ok": cmd_others_ok, "items": cmd_items,
            "results": cmd_results, "reasons": cmd_reasons, "no-pass": cmd_no_pass, "requests": cmd_requests,
            "pages": cmd_pages, "signed": cmd_signed, "same-records": cmd_same_records}
    try:
        cmds[sys.argv[1]](args, name)
    except (OSError, ValueError, KeyError, IndexError) as e:
        not_ok(name, [f"check.py {sys.argv[1]}: {type(e).__name__}: {e}"])


if __name__ == "__main__":
    main()
