#!/usr/bin/env python3
"""Build one fakeaws scenario from the account and a fault.

    compose.py [--pages N] [--delay SEC] [--base FILE] [FAULT.json]... > OUT.json

The result holds the rules of each FAULT file first (so they win: fakeaws
answers with the first rule that matches), then the rules of the base
scenario (default: account.json beside this script).  Paths in body_file
and items_file become absolute, so OUT.json may live anywhere (the tests
write it to their temporary folder).

--pages N serves every list reply of the base scenario as pages of N items
(the XML's list is split into its items; fakeaws's page mode adds the
envelope and the Marker / NextToken / nextToken, as the protocol has it).
--delay SEC adds a delay to every base reply (concurrency tests).

Python 3 standard library only.
"""

import argparse
import json
import os
import sys
import xml.dom.minidom

HERE = os.path.dirname(os.path.abspath(__file__))

# Actions whose request token is NextToken although they speak the Query
# protocol (ElastiCache serverless).  Every other Query action pages with
# Marker and every EC2 action with NextToken / nextToken: fakeaws's defaults.
QUERY_NEXT_TOKEN = {"DescribeServerlessCaches"}


def absolute(resp, folder):
    for key in ("body_file", "items_file"):
        if key in resp:
            resp[key] = os.path.join(folder, resp[key])
    page = resp.get("page")
    if isinstance(page, dict) and "items_file" in page:
        page["items_file"] = os.path.join(folder, page["items_file"])
    return resp


def load_rules(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, list):
        data = {"rules": data}
    folder = os.path.dirname(os.path.abspath(path))
    rules = data.get("rules", [])
    for rule in rules:
        if "response" in rule:
            absolute(rule["response"], folder)
        for resp in rule.get("responses", []):
            absolute(resp, folder)
    return rules, data.get("default")


def elements(node):
    return [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE]


def list_of(path, action):
    """(list element name, its items as XML strings), or None when the reply
    is not a list (GetCallerIdentity, a JSON reply)."""
    if not path.endswith(".xml"):
        return None
    root = xml.dom.minidom.parse(path).documentElement
    kids = [k for k in elements(root) if k.tagName not in ("requestId",
                                                           "ResponseMetadata")]
    if len(kids) == 1 and kids[0].tagName == action + "Result":
        kids = [k for k in elements(kids[0])
                if k.tagName not in ("Marker", "NextToken")]
    if len(kids) != 1:
        return None
    lst = kids[0]
    items = elements(lst)
    if not items:
        # An empty list is still a list; a leaf element is not.
        if lst.firstChild is not None and lst.firstChild.nodeType == lst.TEXT_NODE \
                and lst.firstChild.data.strip():
            return None
    return lst.tagName, [i.toxml() for i in items]


def paged(rule, size):
    resp = rule.get("response")
    if not resp or "body_file" not in resp:
        return rule
    action = rule.get("match", {}).get("action")
    found = list_of(resp["body_file"], action or "") if action else None
    if not found:
        return rule
    name, items = found
    page = {"list": name, "items": items, "size": size}
    if action in QUERY_NEXT_TOKEN:
        page["token"] = "NextToken"
    new = {k: v for k, v in resp.items() if k != "body_file"}
    new["page"] = page
    return dict(rule, response=new)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default=os.path.join(HERE, "account.json"))
    ap.add_argument("--pages", type=int, default=0)
    ap.add_argument("--delay", type=float, default=0)
    ap.add_argument("faults", nargs="*")
    args = ap.parse_args()

    rules, default = [], None
    for path in args.faults:
        more, d = load_rules(path)
        rules += more
        default = d if d is not None else default
    base, d = load_rules(args.base)
    default = default if default is not None else d
    for rule in base:
        if args.pages:
            rule = paged(rule, args.pages)
        if args.delay:
            for resp in ([rule["response"]] if "response" in rule
                         else rule["responses"]):
                resp["delay"] = args.delay
        rules.append(rule)
    out = {"rules": rules}
    if default is not None:
        out["default"] = default
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
