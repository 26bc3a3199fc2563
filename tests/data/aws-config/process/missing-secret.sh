printf '{"Version": 1, "AccessKeyId": "AKIDNOSECRET", "SessionToken": "ecp-fixture-secret-lonely-token"}\n'
