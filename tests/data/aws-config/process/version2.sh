printf '{"Version": 2, "AccessKeyId": "AKIDV2", "SecretAccessKey": "ecp-fixture-secret-v2"}\n'
