"""Shared by the bench inventory generator (gen-inventory.py) and its
record builders: the account id, the naming vocabulary, EC2-style ids,
timestamps and tags.  Standard library only; every value is drawn from
the random.Random passed in, so a seed gives the same bytes every time.
"""

ACCOUNT = "111122223333"

APPS = ["orders", "checkout", "sessions", "catalog", "search", "payments",
        "inventory", "pricing", "ratelimit", "feed", "profile", "cart",
        "ledger", "auth", "media", "reco", "geo", "notify", "ads", "chat"]
ENVS = ["prod", "stage", "dev", "qa"]
ENV_WEIGHTS = [0.55, 0.2, 0.17, 0.08]


class Ids:
    """EC2-style ids (sg-0123456789abcdef0): 17 hex digits, unique."""

    def __init__(self, rng):
        self.rng = rng
        self.seen = set()

    def new(self, prefix, digits=17):
        while True:
            v = "%s-%0*x" % (prefix, digits, self.rng.getrandbits(4 * digits))
            if v not in self.seen:
                self.seen.add(v)
                return v


def stamp(rng, lo=2016, hi=2025):
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03d000+00:00" % (
        rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28),
        rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
        rng.randint(0, 999))


def pick(rng, items, weights=None):
    if weights:
        return rng.choices(items, weights)[0]
    return items[rng.randrange(len(items))]


def tags(name, rng, extra=True):
    t = [{"Key": "Name", "Value": name}]
    if extra and rng.random() < 0.6:
        t.append({"Key": "team", "Value": pick(rng, APPS)})
    if extra and rng.random() < 0.4:
        t.append({"Key": "cost-center", "Value": "cc-%04d" % rng.randint(1, 9999)})
    return t
