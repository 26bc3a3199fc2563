# Prints far more than any credentials reply.
head -c 200000 /dev/zero | tr '\0' 'x'
