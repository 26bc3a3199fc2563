"""moto_server, with what real ElastiCache reports and moto 5.2 leaves out.

    python3 tests/live/data/moto-server.py -H 127.0.0.1 -p PORT

The same server as `moto_server -H 127.0.0.1 -p PORT` (the same
INITIAL_NO_AUTH_ACTION_COUNT, SigV4 and IAM checks), except that the cache
clusters it describes carry the two members real AWS always reports for a
cluster in a VPC and moto 5.2 does not:

  SecurityGroups  [{"SecurityGroupId": ..., "Status": "active"}] for each
                  --security-group-ids given to CreateCacheCluster
  CacheNodes      one node per NumCacheNodes, each with its Endpoint
                  (Address and Port), as --show-cache-node-info prints

Without them every cache cluster would have no security groups and no ports
(ecpolicy then rightly says "unknown"), and the network controls could not
be tested end to end.  A member moto already sets is left alone.
"""
import sys

from moto.elasticache import models

_init = models.CacheCluster.__init__


def _patched_init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    if getattr(self, "security_groups", None) is None:
        self.security_groups = [
            {"SecurityGroupId": g, "Status": "active"}
            for g in (self.security_group_ids or [])
        ]
    if getattr(self, "cache_nodes", None) is None:
        self.cache_nodes = [
            {
                "CacheNodeId": f"{n:04d}",
                "CacheNodeStatus": "available",
                "CacheNodeCreateTime": self.cache_cluster_create_time,
                "Endpoint": {
                    "Address": f"{self.cache_cluster_id}.{n:04d}.cache.example",
                    "Port": int(self.port),
                },
            }
            for n in range(1, int(getattr(self, "num_cache_nodes", None) or 1) + 1)
        ]


models.CacheCluster.__init__ = _patched_init

from moto.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
