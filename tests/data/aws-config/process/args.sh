# Proves the command line was split like shell words, without a shell:
# want exactly three arguments: "a b", c"d and an empty one.
if [ "$#" -eq 3 ] && [ "$1" = "a b" ] && [ "$2" = 'c"d' ] && [ -z "$3" ]; then
    id=AKIDARGSOK
else
    id=AKIDARGSWRONG
fi
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "ecp-fixture-secret-args"}\n' "$id"
