printf '{"Version": 1, "AccessKeyId": "ASIAEXPIRED", "SecretAccessKey": "ecp-fixture-secret-expired", "SessionToken": "ecp-fixture-secret-expired-token", "Expiration": "2020-01-01T00:00:00Z"}\n'
