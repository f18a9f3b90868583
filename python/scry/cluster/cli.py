"""The command line of scry.cluster (docs/DISTRIBUTED.md):

    python3 -m scry.cluster build [--scheduler ADDR] --shards N [-j T] [-m SIZE] [-q] INPUT... -o DIR

Exit status 0 on success, 2 on an error (one line on stderr, "scry.cluster:
error: MESSAGE"; DIR then left as it was).
"""

import argparse
import contextlib
import os
import sys
import time

import scry

from .build import build_sharded

PROGRAM = "scry.cluster"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"{PROGRAM}: error: {message} (see python3 -m scry.cluster --help)\n")


def _parser():
    parser = _Parser(prog="python3 -m scry.cluster", description="scry on a Dask cluster")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser(
        "build",
        help="build a sharded index on the workers",
        description="Builds the sharded index DIR (as scry-index --shards N would) on the "
        "workers of a Dask cluster, one task a shard, and publishes it when every shard is "
        "complete. INPUTs and DIR must be visible to every worker at the same paths.",
    )
    build.add_argument("--scheduler", metavar="ADDR",
                       help="the Dask scheduler (tcp://HOST:PORT); default: a local cluster")
    build.add_argument("--shards", metavar="N", type=int, required=True,
                       help="number of shards, 1 to 256")
    build.add_argument("-j", "--threads", metavar="T", type=int, default=1,
                       help="threads of each shard's build (default 1)")
    build.add_argument("-m", "--memory", metavar="SIZE", default="256M",
                       help="memory of each shard's build (default 256M)")
    build.add_argument("-q", "--quiet", action="store_true", help="print no summary")
    build.add_argument("-o", "--output", metavar="DIR", required=True, help="the sharded index")
    build.add_argument("inputs", metavar="INPUT", nargs="+", help="files or folders")
    return parser


@contextlib.contextmanager
def _client(scheduler, workers):
    """A Dask client of `scheduler`, or of a local cluster of `workers` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="30s") as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def _build(args):
    if not 1 <= args.shards <= 256:
        raise ValueError(f"--shards: must be from 1 to 256, got '{args.shards}'")
    started = time.monotonic()
    workers = max(1, min(args.shards, os.cpu_count() or 1))
    with _client(args.scheduler, workers) as client:
        summaries = build_sharded(
            client, args.inputs, args.output, args.shards,
            {"threads": args.threads, "memory": args.memory},
        )
    if not args.quiet:
        documents = sum(s["documents"] for s in summaries)
        print(f"{args.output}: {documents} documents in {args.shards} shards "
              f"({time.monotonic() - started:.1f} s)")
        for k, summary in enumerate(summaries):
            for warning in summary["warnings"]:
                print(f"{PROGRAM}: warning: shard {k}: {warning}", file=sys.stderr)
    return 0


def main(argv):
    args = _parser().parse_args(argv)
    try:
        return _build(args)
    except (scry.Error, ValueError, OSError) as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2
    except ImportError as error:
        print(f"{PROGRAM}: error: {error} (Debian: apt-get install python3-distributed)",
              file=sys.stderr)
        return 2
