"""What a Dask round trip costs a query: scry.cluster search against
scry-search on the same sharded index (docs/DISTRIBUTED.md, "Cost").

    PYTHONPATH=BUILD/python /usr/bin/python3 bench/e2e/cluster_latency.py BUILD INDEX QUERIES [WORKERS]

Starts a dask scheduler and WORKERS (default 2) workers on 127.0.0.1, then
for the queries of QUERIES (one a line), with and without snippets:
- per query: scry-search's own times (--stats: search + documents and
  snippets, in the process) against ClusterSearch.answer's wall time in
  the coordinator (the three steps, each a round trip to every actor
  involved), p50 and p99 in ms;
- one actor call doing almost nothing (the statistics of an empty query
  on shard 0), p50 in ms: the price of a round trip;
- the batch: the whole `scry-search INDEX < QUERIES` and `python3 -m
  scry.cluster search --scheduler ADDR INDEX < QUERIES` processes (wall
  time, median of 3; the cluster's includes importing Dask, connecting and
  opening the shards).
"""

import os
import re
import statistics
import subprocess
import sys
import time

import distributed
from scry.cluster.search import ClusterSearch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "python"))
from test_cluster import Cluster  # noqa: E402 (the tests' real-process cluster)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def wall(command, stdin_path):
    times = []
    for _ in range(3):
        with open(stdin_path, "rb") as stdin:
            start = time.perf_counter()
            subprocess.run(command, stdin=stdin, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False, timeout=600)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(build, index, queries_path, workers=2):
    from pathlib import Path

    queries = [q for q in Path(queries_path).read_bytes().splitlines() if q.strip()]
    scry_search = os.path.join(build, "searcher", "scry-search")
    folder = Path("/tmp") / f"cluster-latency-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    cluster = Cluster(folder)
    try:
        while len(cluster.workers) < workers:
            cluster.start_worker()
        cluster.client.wait_for_workers(workers, timeout=30)
        client = distributed.Client(cluster.address, timeout="10s", direct_to_workers=True)
        search = ClusterSearch(client, index)
        print(f"{len(queries)} queries, {search.shards} shards, {workers} workers")
        calls = []
        for _ in range(200):
            start = time.perf_counter()
            search._actors[0].statistics(b"", {}).result(timeout=60)
            calls.append((time.perf_counter() - start) * 1000)
        print(f"one actor call: p50 {percentile(calls, 50):.3f} ms, p99 {percentile(calls, 99):.3f} ms")
        for snippets in (False, True):
            flag = [] if snippets else ["--no-snippets"]
            done = subprocess.run([scry_search, "--stats", *flag, index], stdin=open(queries_path, "rb"),
                                  capture_output=True, check=False, timeout=600)
            local = [float(a) + float(b) for a, b in re.findall(
                rb"([0-9.]+) ms search, ([0-9.]+) ms documents", done.stderr)]
            options = {"k": 10, "offset": 0, "snippets": snippets, "timeout_ms": 10000}
            for query in queries[:20]:  # Warm-up.
                search.answer(query, options)
            ours = []
            for query in queries:
                start = time.perf_counter()
                search.answer(query, options)
                ours.append((time.perf_counter() - start) * 1000)
            cluster_cmd = [sys.executable, "-m", "scry.cluster", "search", "--scheduler",
                           cluster.address, *flag, index]
            print(f"snippets={snippets}: per query p50/p99 ms: scry-search "
                  f"{percentile(local, 50):.3f}/{percentile(local, 99):.3f}, cluster "
                  f"{percentile(ours, 50):.3f}/{percentile(ours, 99):.3f}; batch s: scry-search "
                  f"{wall([scry_search, *flag, index], queries_path):.2f}, cluster "
                  f"{wall(cluster_cmd, queries_path):.2f}")
        client.close()
    finally:
        cluster.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], *(int(a) for a in sys.argv[4:]))
