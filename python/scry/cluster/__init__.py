"""scry.cluster: sharded indexes built on a Dask cluster (docs/DISTRIBUTED.md).

    python3 -m scry.cluster build [--scheduler ADDR] --shards N INPUT... -o DIR

builds the shards of DIR on the workers in parallel, each shard an ordinary
scry index holding the documents that `scry-index --shards N` routes to it,
and publishes DIR (the same SHARDS manifest and shard-K folders) only when
every shard is complete. Without --scheduler it starts a local cluster.
DIR and the inputs must be visible to every worker at the same paths (a
shared file system), and the workers must import scry
(PYTHONPATH=BUILD/python).
"""

from .build import build_sharded

__all__ = ["build_sharded"]
