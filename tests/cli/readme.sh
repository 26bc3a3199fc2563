# The README's examples are what ecpolicy really does: its first policy
# loads and runs, and the demo output it shows is the demo's.
source tests/lib.sh

awk '/^```lua/{f=1;next} /^```/{f=0} f' README.md >"$T/ORG-BAK-01.lua"
expect_exit 1 "the README's first policy runs on the demo (it has findings)" \
    "$BIN" run "$T/ORG-BAK-01.lua" --snapshot examples/demo --no-config --color never
has "$OUT" "ORG-BAK-01  medium  Caches keep automatic backups for a week" "its control is reported"
has "$OUT" "backups kept 1 days, want 7" "its check's reason is reported"

run "$BIN" run --snapshot examples/demo --no-config --color never
summary=$(grep '^Summary:' "$OUT")
if [ -n "$summary" ] && grep -qxF "    $summary" README.md; then
    pass "the README shows the demo's summary line"
else
    fail "the README shows the demo's summary line (now: $summary)"
fi
# Every report line the README quotes from the demo run or plan is real.
"$BIN" plan --snapshot examples/demo --no-config --color never --only EC-ENC-04 >"$T/plan" 2>&1
awk '/^    \$ ecpolicy (run|plan) --snapshot examples\/demo/{f=1;next} /^$/{f=0} f' README.md |
    grep -v '^ *\.\.\.$' | sed 's/^    //' >"$T/quoted"
missing=0
while IFS= read -r line; do
    grep -qxF -- "$line" "$OUT" "$T/plan" || { missing=$((missing + 1)); echo "# not in the output: $line"; }
done <"$T/quoted"
if [ -s "$T/quoted" ] && [ $missing -eq 0 ]; then
    pass "every line the README quotes from the demo is in the output ($(wc -l <"$T/quoted") lines)"
else
    fail "every line the README quotes from the demo is in the output ($missing missing)"
fi
