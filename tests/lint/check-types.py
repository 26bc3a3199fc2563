#!/usr/bin/env python3
"""Check that the LuaLS types in types/ still say what the code does.

    python3 tests/lint/check-types.py     (from the repository root)

One TAP line per check ("ok - ..." / "not ok - ...", details as "#" lines):

- every stdlib/*.lua module has types/<module>.lua (---@meta <module>),
  and every public member of the module (M.x = ..., function M.x) is
  declared there and nothing else is: a function with the same parameters
  in the same order, each with its ---@param, and a ---@return; a value
  field with the same literal value where both sides are literals;
- the fields of the caches view in docs/inventory-model.md are exactly the
  ---@field lines of ecpolicy.Cache in types/model.lua;
- the sandbox's globals in engine/lua/sandbox.c are exactly the globals of
  types/globals.lua and the read_globals of .luacheckrc's sandbox std.

The code is read as text with patterns that match how the stdlib is
written (top-level statements at column 0); a module written otherwise
fails here rather than passing unchecked.
"""
import os
import re
import sys

failed = False


def tap(ok, name, problems=()):
    global failed
    failed = failed or not ok
    print(("ok - " if ok else "not ok - ") + name)
    for p in problems:
        print("# " + p)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def params_of(text):
    return [p.strip() for p in text.split(",") if p.strip()]


LITERAL = re.compile(r'^("[^"\\]*"|-?\d+(?:\.\d+)?)$')


def code_members(src):
    """name -> ("function", [params]) or ("value", literal or None)."""
    local_fns = dict(re.findall(r"^local function (\w+)\(([^)]*)\)", src, re.M))
    local_values = dict(re.findall(r"^local (\w+) = (\S+)\s*$", src, re.M))
    out = {}
    for name, params in re.findall(r"^function M\.(\w+)\(([^)]*)\)", src, re.M):
        out[name] = ("function", params_of(params))
    for lhs, rhs in re.findall(r"^(M\.\w+(?:\s*,\s*M\.\w+)*)\s*=\s*(.*)$", src, re.M):
        names = [n.strip()[2:] for n in lhs.split(",")]
        fn = re.match(r"function\s*\(([^)]*)\)", rhs)
        values = [v.strip() for v in rhs.split(",")] if len(names) > 1 else [rhs.strip()]
        for i, name in enumerate(names):
            value = values[i] if i < len(values) else ""
            if fn:
                out[name] = ("function", params_of(fn.group(1)))
            elif value in local_fns:
                out[name] = ("function", params_of(local_fns[value]))
            else:
                value = local_values.get(value, value)
                out[name] = ("value", value if LITERAL.match(value) else None)
    return out


def stub_members(src, var):
    """name -> ("function", [params], annotation lines) or ("value", literal)."""
    out = {}
    lines = src.splitlines()
    fn = re.compile(r"^function %s\.(\w+)\(([^)]*)\) end$" % re.escape(var))
    field = re.compile(r"^%s\.(\w+) = (.*)$" % re.escape(var))
    for i, line in enumerate(lines):
        m = fn.match(line)
        if m:
            j, notes = i - 1, []
            while j >= 0 and lines[j].startswith("---"):
                notes.append(lines[j])
                j -= 1
            out[m.group(1)] = ("function", params_of(m.group(2)), notes)
            continue
        m = field.match(line)
        if m:
            value = m.group(2).strip()
            out[m.group(1)] = ("value", value if LITERAL.match(value) else None)
    return out


def check_module(path):
    module = os.path.basename(path)[:-4]
    stub_path = os.path.join("types", module + ".lua")
    name = "types: %s matches %s" % (stub_path, path)
    if not os.path.exists(stub_path):
        return tap(False, name, [stub_path + " is missing"])
    stub = read(stub_path)
    problems = []
    meta = re.match(r"---@meta (\w+)\n", stub)
    if not meta or meta.group(1) != module:
        problems.append("the first line must be ---@meta " + module)
    var = re.search(r"^local (\w+) = \{\}$", stub, re.M)
    var = var.group(1) if var else module
    code, declared = code_members(read(path)), stub_members(stub, var)
    for member, (kind, detail) in sorted(code.items()):
        where = "%s.%s" % (module, member)
        got = declared.get(member)
        if got is None:
            problems.append("%s is not declared" % where)
        elif got[0] != kind:
            problems.append("%s is a %s in the code, a %s in the types" % (where, kind, got[0]))
        elif kind == "function":
            params, notes = got[1], got[2]
            if params != detail:
                problems.append("%s(%s): the types say (%s)" % (where, ", ".join(detail), ", ".join(params)))
            for p in detail:
                if not any(re.match(r"---@param %s\??\s" % re.escape(p), n) for n in notes):
                    problems.append("%s: no ---@param %s" % (where, p))
            if not any(n.startswith("---@return") for n in notes):
                problems.append("%s: no ---@return" % where)
        elif detail is not None and got[1] is not None and detail != got[1]:
            problems.append("%s = %s in the code, %s in the types" % (where, detail, got[1]))
    for member in sorted(set(declared) - set(code)):
        problems.append("%s.%s is declared but the module has no such member" % (module, member))
    tap(not problems, name, problems)


def class_fields(src, cls):
    m = re.search(r"^---@class %s\n((?:---@field .*\n)*)" % re.escape(cls), src, re.M)
    return re.findall(r"^---@field (\w+)", m.group(1), re.M) if m else None


def check_cache_view():
    name = "types: ecpolicy.Cache in types/model.lua has the fields of docs/inventory-model.md"
    doc = read("docs/inventory-model.md")
    section = doc.split("## The `caches` view", 1)[-1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `(\w+)` \|", section, re.M)
    typed = class_fields(read("types/model.lua"), "ecpolicy.Cache")
    if not documented or typed is None:
        return tap(False, name, ["could not find the caches table or the ecpolicy.Cache class"])
    problems = ["%s is documented but not typed" % f for f in documented if f not in typed]
    problems += ["%s is typed but not documented" % f for f in typed if f not in documented]
    tap(not problems, name, problems)


def check_globals():
    name = "types: the sandbox's globals match types/globals.lua and .luacheckrc"
    sandbox = read("engine/lua/sandbox.c")
    allowed = re.search(r"base_allowed\[\] = \{(.*?)NULL", sandbox, re.S).group(1)
    env = set(re.findall(r'"(\w+)"', allowed))
    env |= set(re.findall(r'lua_setfield\(L, -2, "(\w+)"\)', sandbox))
    env |= set(re.findall(r'set_closure\(L, loaded, dirs, label, "(\w+)"', sandbox))
    env -= {"__index", "__metatable"}
    stub = read("types/globals.lua")
    typed = set(re.findall(r"^function (\w+)\(", stub, re.M)) | set(re.findall(r"^(\w+) = ", stub, re.M))
    rc = read(".luacheckrc")
    block = re.search(r"read_globals = \{(.*?)\n\s*string =", rc, re.S)
    linted = set(re.findall(r'"(\w+)"', block.group(1))) - {"_ENV"} if block else set()
    problems = []
    for label, names in (("types/globals.lua", typed), (".luacheckrc", linted)):
        problems += ["%s: %s is in the sandbox but not here" % (label, n) for n in sorted(env - names)]
        problems += ["%s: %s is here but not in the sandbox" % (label, n) for n in sorted(names - env)]
    tap(not problems, name, problems)


for module_path in sorted(os.listdir("stdlib")):
    if module_path.endswith(".lua"):
        check_module(os.path.join("stdlib", module_path))
check_cache_view()
check_globals()
sys.exit(1 if failed else 0)
