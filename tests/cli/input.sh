# Bad input, through the command line: exit 2, naming the file and the
# place in it, for every command that reads input.
source tests/lib.sh
IN=tests/data/input

bad() {  # bad PATH TEXT NAME
    for cmd in run inventory; do
        expect_exit 2 "$cmd: $3: exit 2" "$BIN" $cmd --snapshot "$1"
        has "$ERR" "$2" "$cmd: $3: the message says what and where"
    done
}
bad $IN/bad-json "$IN/bad-json/us-east-1/describe-vpcs.json:3:28: invalid JSON" "invalid JSON"
bad $IN/wrong-type "describe-security-groups.json: \$.SecurityGroups[2].IpPermissions[0].FromPort: expected an integer" "a wrongly typed member"
bad $IN/missing-id "\$.Subnets[1]: SubnetId is missing" "an item without its id"
bad $IN/no-list "\$.Vpcs is missing" "a file without its list"
bad $IN/top-array "got an array" "an array at the top"
bad $IN/empty-file "the file is empty" "an empty file"
bad $IN/bad-timestamp "no such day in that month" "an impossible timestamp"
bad $IN/bad-account "account.json: \$.Account: expected a string" "a bad account.json"
bad $IN/no-regions "no region folders" "a folder without regions"
bad $IN/snapshot/wrong-schema.json "wrong-schema.json" "a snapshot of another schema"
bad $IN/snapshot/no-schema.json "no-schema.json" "a JSON file that is not a snapshot"
bad $IN/snapshot/bad-item.json "bad-item.json" "a snapshot with a bad record"
bad tests/cli/data/duplicate "duplicate VpcId 'vpc-0aaa'" "two records with one id"

expect_exit 0 "saved AWS CLI v1 output from moto loads" "$BIN" inventory --snapshot $IN/moto-cli-v1
expect_exit 0 "stray files are warnings, not errors" "$BIN" inventory --snapshot $IN/strays
has "$ERR" "warning:" "the warnings are printed"
expect_exit 0 "a partial file is loaded as partial" "$BIN" inventory --snapshot $IN/partial --format json
json_is "$OUT" "sorted(set(c['status'] for r in d['regions'] for c in r['collections']))" "['missing', 'ok', 'partial']" "partial and missing collections are reported"
