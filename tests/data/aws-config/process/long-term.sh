# Long-term keys: no SessionToken, no Expiration.
printf '{"Version": 1, "AccessKeyId": "AKIDPROCESSLONG", "SecretAccessKey": "ecp-fixture-secret-process-long"}\n'
