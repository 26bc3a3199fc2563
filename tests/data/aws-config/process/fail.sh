# Fails: what it prints on stdout must never be echoed; its stderr is
# passed through to the user.
printf '{"Version": 1, "AccessKeyId": "AKIDFAIL", "SecretAccessKey": "ecp-fixture-secret-fail-stdout"}\n'
echo "ECP-STDERR-PASSTHROUGH: the helper refuses on purpose" >&2
exit 3
