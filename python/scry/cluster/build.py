"""The cluster build (docs/DISTRIBUTED.md, "Build").

The coordinator takes DIR's writer lock and a temporary folder beside DIR
(scry._scry._Publisher, the library's IndexPublisher); each worker reads
every input and indexes the documents routed to its shard (scry.build with
shard=(K, N)) into TEMP/shard-K, itself published atomically; when all N
are done the coordinator writes TEMP/SHARDS and swaps TEMP with DIR in one
rename. A task whose worker dies is run again elsewhere (Dask's retries);
a failure leaves DIR as it was and removes TEMP.
"""

import contextlib
import os

import scry
from scry import _scry

# Runs of a shard's task after a failure (a worker killed mid-build is
# rescheduled by Dask besides, up to distributed.scheduler.allowed-failures).
RETRIES = 2
# How long a failed build waits for its other tasks to end (seconds).
END_WAIT_S = 60


def build_shard(inputs, temp_dir, shard, shards, options):
    """Builds shard `shard` of `shards` into TEMP_DIR/shard-K (runs on a worker);
    returns scry.build's summary."""
    out = os.path.join(temp_dir, f"shard-{shard}")
    return scry.build(inputs, out, shard=(shard, shards), **options)


def build_sharded(client, inputs, out, shards, options=None, wait=True):
    """Builds the sharded index `out` from `inputs` on the Dask `client`'s
    workers: `shards` shards, one task each, with scry.build's `options`
    (threads, memory, ...). Returns the shards' summaries, in shard order.

    Inputs are made absolute: the workers read them at the same paths.
    Raises scry.BuildError (or the task's exception) when a shard fails;
    `out` is then left as it was.
    """
    if not 1 <= shards <= 256:
        raise ValueError("shards: must be from 1 to 256")
    inputs = [os.path.abspath(os.fspath(i)) for i in inputs]
    if "-" in (os.path.basename(i) for i in inputs):
        raise ValueError("standard input ('-') cannot be read by the workers; name files")
    publisher = _scry._Publisher(os.path.abspath(os.fspath(out)), bool(wait))
    futures = []
    try:
        futures = [
            client.submit(
                build_shard,
                inputs,
                publisher.temp_dir,
                k,
                shards,
                dict(options or {}),
                key=f"scry-build-shard-{k}-{os.getpid()}-{id(publisher)}",
                retries=RETRIES,
                pure=False,
            )
            for k in range(shards)
        ]
        summaries = client.gather(futures)
        # The shards' own lock files (.shard-K.lock): their builds are over,
        # and under DIR's lock no one else writes into this folder.
        for k in range(shards):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(publisher.temp_dir, f".shard-{k}.lock"))
        _scry.write_shard_manifest(publisher.temp_dir, shards)
        publisher.commit()
        return summaries
    except BaseException:
        # The other shards' tasks (or retries) may still write into the
        # temporary folder: let them end before it is removed.
        from distributed import wait as wait_for

        with contextlib.suppress(Exception):
            wait_for(futures, timeout=END_WAIT_S)
        raise
    finally:
        publisher.close()
