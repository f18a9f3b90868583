"""The command line of scry.cluster (docs/DISTRIBUTED.md):

    python3 -m scry.cluster build [--scheduler ADDR] --shards N [-j T] [-m SIZE] [-q] INPUT... -o DIR
    python3 -m scry.cluster search [--scheduler ADDR] [scry-search's options] DIR [QUERY]

build: exit status 0 on success, 2 on an error (one line on stderr,
"scry.cluster: error: MESSAGE"; DIR then left as it was). search: as
scry-search, 0 some hit, 1 no hit, 2 an error.
"""

import argparse
import contextlib
import os
import sys
import time

import scry

from .build import build_sharded

# scry-search's options that the cluster search does not have.
UNSUPPORTED = ("--stats", "--verify", "--doc", "--list")

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
    _search_parser(commands)
    return parser


def _search_parser(commands):
    search = commands.add_parser(
        "search",
        allow_abbrev=False,
        help="search an index, its shards held open on the workers",
        description="Answers QUERY (or one query a line of standard input) on the index DIR as "
        "scry-search DIR does (the same options, formats and exit codes), each shard held open "
        "by a Dask actor on a worker. DIR must be visible to every worker at the same path.",
    )
    search.add_argument("--scheduler", metavar="ADDR",
                        help="the Dask scheduler (tcp://HOST:PORT); default: a local cluster")
    search.add_argument("-f", "--format", metavar="F", default="text",
                        help="output format: text (default), tsv, json or trec")
    search.add_argument("-k", "--top", metavar="N", help="hits per query (default 10)")
    search.add_argument("--offset", metavar="N", help="skip the N best hits first (default 0)")
    search.add_argument("--explain", action="store_true",
                        help="show each term's idf, tf, document length and share of the score")
    search.add_argument("--count", action="store_true",
                        help="print only the number of matching documents")
    search.add_argument("--no-snippets", action="store_true", help="leave snippets out")
    search.add_argument("--highlight", metavar="MODE",
                        help="ansi, markers (**match**) or none (default: ansi on a terminal "
                        "unless NO_COLOR is set)")
    search.add_argument("--k1", metavar="X", help="BM25 k1 >= 0 (default 1.2)")
    search.add_argument("--b", metavar="X", help="BM25 b from 0 to 1 (default 0.75)")
    search.add_argument("--title-weight", metavar="W",
                        help="extra weight of a word found in a hit's title (default 0.5)")
    search.add_argument("--typos", action="store_true",
                        help="typo-tolerant words: a word of 5 characters or more also matches "
                        "the terms one edit away, of 9 or more two edits away (default off)")
    search.add_argument("--typo-lengths", metavar="ONE,TWO",
                        help="with --typos, the word lengths from which one and two edits are "
                        "allowed (default 5,9; ONE alone: never two)")
    search.add_argument("--plain", action="store_true",
                        help="queries are plain text, not the query language")
    search.add_argument("--max-terms", metavar="N",
                        help="refuse a query of more than N terms (default 1024)")
    search.add_argument("--max-depth", metavar="N",
                        help="refuse a query nested more than N parentheses deep (default 64)")
    search.add_argument("--timeout", metavar="MS",
                        help="stop a query still running after MS milliseconds (default "
                        "10000; 0: no limit)")
    search.add_argument("--queries", metavar="FILE",
                        help="read the queries from FILE, one a line, as from a pipe")
    for option in UNSUPPORTED:
        search.add_argument(option, nargs="?", const=True, default=None, help=argparse.SUPPRESS)
    search.add_argument("index", metavar="DIR", help="the index (sharded or not)")
    search.add_argument("query", metavar="QUERY", nargs="*",
                        help="the query (several words are joined by spaces)")


@contextlib.contextmanager
def _client(scheduler, workers, timeout="30s", direct=False):
    """A Dask client of `scheduler`, or of a local cluster of `workers`
    processes; `timeout` bounds each connection (to the scheduler, and the
    client's to the workers). `direct`: the client talks to the workers
    itself (an actor's calls then go straight to its worker, not through
    the scheduler: half the hops)."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout=timeout, direct_to_workers=direct) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, \
            Client(cluster, timeout=timeout, direct_to_workers=direct) as client:
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


def _checked(option, parse, *args):
    try:
        return parse(*args)
    except ValueError as error:
        raise _OptionError(f"{option}: {error}") from None


class _OptionError(Exception):
    pass


def _search_options(args):
    """The query options and output options of scry-search's command line
    (searcher/main.cpp's parse_args), as python/src/cluster.cpp takes them."""
    from scry import _scry

    for option in UNSUPPORTED:
        if getattr(args, option[2:]) is not None:
            raise _OptionError(f"{option} is not supported by the cluster search "
                               "(use scry-search on a machine that sees DIR)")
    if args.format not in ("text", "tsv", "json", "trec"):
        raise _OptionError(f"--format: expected text, tsv, json or trec, got '{args.format}'")
    terminal = sys.stdout.isatty()
    if args.highlight is None:
        colour = terminal and not os.environ.get("NO_COLOR")
        highlight = "ansi" if colour else "none"
    elif args.highlight in ("ansi", "markers", "none"):
        highlight = args.highlight
    else:
        raise _OptionError(f"--highlight: expected ansi, markers or none, got '{args.highlight}'")
    output = {"format": args.format, "highlight": highlight,
              "summary": args.format == "text" and terminal, "heading": False}
    options = {"k": 10, "offset": 0, "count_all": output["summary"], "count_only": args.count,
               "snippets": not args.no_snippets and args.format != "trec", "plain": args.plain,
               "explain": args.explain,
               # A corrected query is proposed where people read it, as
               # scry-search does (docs/SPELLING.md).
               "did_you_mean": output["summary"] or args.format == "json",
               "timeout_ms": _scry.DEFAULT_TIMEOUT_MS}
    if args.top is not None:
        options["k"] = _checked("-k/--top", _scry.parse_hits, args.top, 1)
    if args.offset is not None:
        options["offset"] = _checked("--offset", _scry.parse_hits, args.offset, 0)
    if args.k1 is not None:
        options["k1"] = _checked("--k1", _scry.parse_real, args.k1, 0.0, float("inf"))
    if args.b is not None:
        options["b"] = _checked("--b", _scry.parse_real, args.b, 0.0, 1.0)
    if args.max_terms is not None:
        options["max_clauses"] = _checked("--max-terms", _scry.parse_hits, args.max_terms, 1)
    if args.max_depth is not None:
        depth = _checked("--max-depth", _scry.parse_hits, args.max_depth, 1)
        if depth > _scry.MAX_QUERY_DEPTH:
            raise _OptionError(f"--max-depth: at most {_scry.MAX_QUERY_DEPTH} (deeper queries "
                               f"could overflow the stack), got '{args.max_depth}'")
        options["max_depth"] = depth
    if args.timeout is not None:
        options["timeout_ms"] = _checked("--timeout", _scry.parse_hits, args.timeout, 0)
    if args.title_weight is not None:
        options["title_weight"] = _checked("--title-weight", _scry.parse_real,
                                           args.title_weight, 0.0, 100.0)
    if args.typos:
        options["typos"] = _scry.DEFAULT_TYPOS
    if args.typo_lengths:  # Empty: not given, as scry-search takes it.
        if not args.typos:
            raise _OptionError("--typo-lengths needs --typos")
        options["typos"] = _checked("--typo-lengths", _scry.parse_typos, args.typo_lengths)
    if args.queries is not None and args.query:
        raise _OptionError("--queries takes no QUERY")
    return options, output


def _search(args):
    from . import answers
    from .search import ClusterSearch, MissingShard

    try:
        options, output = _search_options(args)
    except _OptionError as error:
        return answers.fail(f"{error} (see python3 -m scry.cluster search --help)")
    queries = None
    if args.queries is not None:
        try:
            queries = open(args.queries, "rb")
        except OSError as error:
            return answers.fail(f"{args.queries}: {error.strerror}")
    with contextlib.ExitStack() as stack:
        if queries is not None:
            stack.enter_context(queries)
        # A worker that died before the scheduler said so is given up on
        # after a connection timeout of 10 s, instead of Dask's 30 s (its
        # shards are then opened again elsewhere).
        import dask

        stack.enter_context(dask.config.set({"distributed.comm.timeouts.connect": "10s"}))
        client = stack.enter_context(_client(args.scheduler, os.cpu_count() or 1, "10s", True))
        try:
            search = ClusterSearch(client, args.index, notify=answers.note)
        except MissingShard as error:
            return answers.missing(error, output)
        if args.query:
            query = " ".join(args.query).encode("utf-8", "surrogateescape")
            return answers.run_one(search, query, options, output)
        return answers.run_batch(search, queries or sys.stdin.buffer, options, output)


def main(argv):
    args = _parser().parse_args(argv)
    try:
        if args.command == "search":
            return _search(args)
        return _build(args)
    except (scry.Error, ValueError, OSError) as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2
    except ImportError as error:
        # Debian's package serves Debian's interpreter only (not pyenv's).
        hint = "apt-get install python3-distributed"
        if sys.executable != "/usr/bin/python3":
            hint += f", and run /usr/bin/python3, not {sys.executable}"
        print(f"{PROGRAM}: error: {error} (Debian: {hint})", file=sys.stderr)
        return 2
