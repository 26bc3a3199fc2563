# Rule packs (docs/packs.md), ECPOLICY_PATH, and where the settings file is
# found (docs/config.md).
source tests/lib.sh
GOOD=tests/cli/data/good
PACK=examples/org-pack
D=tests/cli/packs

expect_exit 0 "a pack lists its control and the built-ins it tunes" "$BIN" list $PACK --format json
json_is "$OUT" "[c['id'] for c in d]" "['ACME-TAG-01', 'EC-IAM-05', 'EC-NET-04', 'EC-NET-06']" "ACME-TAG-01, then the three tuned built-ins"
json_is "$OUT" "[c['severity'] for c in d if c['id'] == 'EC-NET-06']" "['low']" "the pack's severity override"
json_is "$OUT" "[c['params'] for c in d if c['id'] == 'EC-IAM-05']" "[{'max_age_days': 30}]" "the pack's parameters"
expect_exit 1 "run a pack" "$BIN" run $PACK --snapshot $GOOD --format json --now 2024-05-20T00:00:00Z
json_is "$OUT" "[r['status'] for r in d['results'] if r['control'] == 'EC-IAM-05']" "['pass']" "19 days is within the pack's 30"
json_is "$OUT" "[r['reason'] for r in d['results'] if r['control'] == 'ACME-TAG-01']" "['missing tags: owner, data-class']" "the pack's own module (acme_tags) is found by require"
expect_exit 0 "--param still wins over the pack" "$BIN" show EC-IAM-05 $PACK --param EC-IAM-05.max_age_days=7 --format json
json_is "$OUT" "d['params']" "{'max_age_days': 7}" "--param over the pack's value"
echo 'return { params = { ["EC-IAM-05"] = { max_age_days = 60 } } }' >"$T/settings.lua"
expect_exit 0 "a settings file wins over the pack" "$BIN" show EC-IAM-05 $PACK --config "$T/settings.lua" --format json
json_is "$OUT" "d['params']" "{'max_age_days': 60}" "--config over the pack's value"

ECPOLICY_PATH=examples expect_exit 0 "a pack by name on ECPOLICY_PATH" "$BIN" list acme-cache
has "$OUT" "ACME-TAG-01" "found by its manifest name"
ECPOLICY_PATH=examples expect_exit 0 "no operand: the built-ins and every pack on the path" "$BIN" list --format json
json_is "$OUT" "('ACME-TAG-01' in [c['id'] for c in d], 'EC-ENC-01' in [c['id'] for c in d])" "(True, True)" "both"
ECPOLICY_PATH=$PWD/$PACK expect_exit 0 "a path entry may be the pack itself" "$BIN" list acme-cache
expect_exit 2 "an unknown name" "$BIN" list acme-cache
has "$ERR" "acme-cache: no such policy file, folder or pack (packs are looked for on ECPOLICY_PATH)" "says where packs are looked for"
ECPOLICY_PATH=$T/none expect_exit 2 "a folder on ECPOLICY_PATH that does not exist" "$BIN" list
has "$ERR" "ECPOLICY_PATH: $T/none is not a folder" "names it"

expect_exit 2 "an unknown manifest field" "$BIN" list $D/bad-field
has "$ERR" "bad-field/pack.lua: unknown field 'colour' (a manifest has: description, ecpolicy, name, settings, version)" "names the file and the field"
expect_exit 2 "a manifest without a name" "$BIN" list $D/no-name
has "$ERR" "no-name/pack.lua: field 'name': is required" "the missing field"
expect_exit 2 "a pack for another ecpolicy" "$BIN" list $D/bad-version
has "$ERR" "pack future needs ecpolicy >= 99; this is ecpolicy" "both versions"
expect_exit 2 "a requirement that is not one" "$BIN" list $D/bad-requirement
has "$ERR" "field 'ecpolicy': '~> 1' is not a version requirement" "says what is wrong"
expect_exit 2 "a pack may not set the run's gate" "$BIN" list $D/fail-on
has "$ERR" "'fail_on' is not a pack setting (a pack sets params, severity and skip)" "says what a pack may set"
expect_exit 2 "a pack module named like a built-in one" "$BIN" list $D/clash
has "$ERR" "pack clash: $D/clash/stdlib/cidr.lua has the name of a module in" "names both"
expect_exit 2 "two packs of one name" "$BIN" list $D/twin-a $D/twin-b
has "$ERR" "two packs are named twin" "names the packs"
expect_exit 0 "a pack without policies/ has them beside its manifest" "$BIN" list $D/flat --format json
json_is "$OUT" "[c['id'] for c in d]" "['T-FLAT']" "its control, and pack.lua is not taken for a policy"
expect_exit 0 "a pack's skip of a built-in, the pack run alone" "$BIN" list $D/skips --format json
json_is "$OUT" "[c['id'] for c in d]" "['T-SKIPS']" "the skip matching nothing loaded is no error"
ECPOLICY_PATH=$D/skips expect_exit 0 "a pack's skip, with the built-ins" "$BIN" list --format json
json_is "$OUT" "('T-SKIPS' in [c['id'] for c in d], 'EC-NET-07' in [c['id'] for c in d], 'EC-NET-08' in [c['id'] for c in d])" "(True, False, True)" "EC-NET-07 is skipped, the others stay"
expect_exit 2 "a --skip that matches nothing is still an error beside a pack's" "$BIN" list $D/skips --skip EC-NOPE
has "$ERR" "--skip EC-NOPE matches no loaded control" "names it"
expect_exit 0 "the same pack twice loads once" "$BIN" list $D/twin-a $D/twin-a/ --format json
json_is "$OUT" "[c['id'] for c in d]" "['T-TWIN-A']" "one control"

# Where the settings file comes from.
echo 'return { severity = { ["EC-NET-06"] = "critical" } }' >"$T/env.lua"
ECPOLICY_CONFIG=$T/env.lua expect_exit 0 "ECPOLICY_CONFIG" "$BIN" show EC-NET-06 --format json
json_is "$OUT" "d['severity']" "critical" "its settings apply"
ECPOLICY_CONFIG=$T/missing.lua expect_exit 2 "an ECPOLICY_CONFIG that does not exist" "$BIN" list
has "$ERR" "ECPOLICY_CONFIG=$T/missing.lua: no such file" "is an error"
mkdir -p "$T/project" "$T/xdg/ecpolicy"
echo 'return { severity = { ["EC-NET-06"] = "high" } }' >"$T/project/.ecpolicy.lua"
echo 'return { severity = { ["EC-NET-06"] = "medium" } }' >"$T/xdg/ecpolicy/config.lua"
(cd "$T/project" && XDG_CONFIG_HOME=$T/xdg "$BIN" show EC-NET-06 --format json >"$OUT" 2>"$ERR")
json_is "$OUT" "d['severity']" "high" "./.ecpolicy.lua before the user's file"
(cd "$T" && XDG_CONFIG_HOME=$T/xdg "$BIN" show EC-NET-06 --format json >"$OUT" 2>"$ERR")
json_is "$OUT" "d['severity']" "medium" "\$XDG_CONFIG_HOME/ecpolicy/config.lua"
(cd "$T/project" && XDG_CONFIG_HOME=$T/xdg "$BIN" show EC-NET-06 --format json --no-config >"$OUT" 2>"$ERR")
json_is "$OUT" "d['severity']" "info" "--no-config reads none"
(cd "$T/project" && XDG_CONFIG_HOME=$T/xdg "$BIN" show EC-NET-06 --format json --config "$T/env.lua" >"$OUT" 2>"$ERR")
json_is "$OUT" "d['severity']" "critical" "--config replaces them all"
