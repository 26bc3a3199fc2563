# Help, version and usage errors of every command.
source tests/lib.sh

expect_exit 0 "version exits 0" "$BIN" version
has "$OUT" "ecpolicy 0." "version prints the version"
expect_exit 0 "--version exits 0" "$BIN" --version
expect_exit 0 "help exits 0" "$BIN" help
has "$OUT" "Commands:" "help lists the commands"
expect_exit 2 "no command is a usage error" "$BIN"
has "$ERR" "usage: ecpolicy COMMAND" "no command prints the usage on stderr"
expect_exit 2 "an unknown command is a usage error" "$BIN" frobnicate
has "$ERR" "unknown command 'frobnicate'" "the unknown command is named"

for cmd in run list show inventory fetch; do
    expect_exit 0 "$cmd --help exits 0" "$BIN" "$cmd" --help
    has "$OUT" "usage: ecpolicy $cmd" "$cmd --help prints its usage"
    expect_exit 2 "$cmd with an unknown option is a usage error" "$BIN" "$cmd" --bogus
    has "$ERR" "unknown option '--bogus'" "$cmd names the unknown option"
    has "$ERR" "Try 'ecpolicy $cmd --help'" "$cmd points at its help"
done
has <("$BIN" run --help) "Exit codes:" "run --help documents the exit codes"
has <("$BIN" run --help) "3  the run was incomplete" "run --help explains exit 3"

# Without --snapshot, run collects live: with no region it says where it
# looked; with no credentials it says how to run offline instead.
expect_exit 2 "run without --snapshot or a region" \
    env -u AWS_REGION -u AWS_DEFAULT_REGION AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null "$BIN" run
has "$ERR" "no AWS region" "the message says there is no region"
has "$ERR" "--region REGION" "the message says how to give one"
expect_exit 2 "run without --snapshot or credentials" \
    env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_REGION=us-east-1 \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    AWS_EC2_METADATA_DISABLED=true "$BIN" run
has "$ERR" "no AWS credentials found" "the message says none were found"
has "$ERR" "--snapshot PATH" "the message says how to run offline"
expect_exit 2 "a missing option value is a usage error" "$BIN" run --snapshot
has "$ERR" "needs a value" "the missing value is reported"
expect_exit 2 "--format must be text or json" "$BIN" run --snapshot x --format xml
expect_exit 2 "--time-limit must be positive" "$BIN" run --snapshot x --time-limit -1
expect_exit 2 "--color must be auto, always or never" "$BIN" run --snapshot x --color sometimes
expect_exit 2 "show needs an id" "$BIN" show
expect_exit 2 "show of an unknown id" "$BIN" show EC-NOPE-99
has "$ERR" "no control 'EC-NOPE-99'" "show names the unknown id"
expect_exit 2 "inventory needs --snapshot" "$BIN" inventory
expect_exit 0 "help COMMAND prints the command's help" "$BIN" help run
has "$OUT" "usage: ecpolicy run" "help run is run --help"
expect_exit 2 "help of an unknown command" "$BIN" help frobnicate
expect_exit 2 "fetch needs -o" "$BIN" fetch --region us-east-1
has "$ERR" "-o FILE is required" "fetch says -o is required"
expect_exit 2 "fetch checks -o before collecting" "$BIN" fetch -o "$T/no/such/dir/x.json" --region us-east-1
has "$ERR" "cannot write here" "an unwritable snapshot path is refused at once"
expect_exit 2 "--max-parallel must be at least 1" "$BIN" fetch -o "$T/x.json" --max-parallel 0
has "$ERR" "--max-parallel wants a whole number from 1 to 1000, got '0'" "the option is named, not its value"
expect_exit 2 "--max-attempts is at most 100" "$BIN" fetch -o "$T/x.json" --max-attempts 101
expect_exit 2 "--request-timeout must be positive" "$BIN" run --request-timeout 0
has "$ERR" "--request-timeout wants seconds > 0" "the timeout option is named"
