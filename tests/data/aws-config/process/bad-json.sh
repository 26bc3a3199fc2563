# Not JSON (and a secret in it that must not be echoed).
echo 'AccessKeyId=AKID SecretAccessKey=ecp-fixture-secret-bad-json'
