# credential_process that works: temporary credentials (run as "sh ok.sh").
cat <<'JSON'
{"Version": 1, "AccessKeyId": "ASIAPROCESS",
 "SecretAccessKey": "ecp-fixture-secret-process",
 "SessionToken": "ecp-fixture-secret-process-token",
 "Expiration": "2999-01-01T00:00:00Z"}
JSON
