printf '{"AccessKeyId": "AKIDNOVERSION", "SecretAccessKey": "ecp-fixture-secret-no-version"}\n'
