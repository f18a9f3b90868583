"""Shards and Dask workers on the Wikipedia passages: the table of
docs/DISTRIBUTED.md, "Measured" (issue 16 item 6).

    PYTHONPATH=BUILD/python /usr/bin/python3 bench/e2e/cluster_scaling.py \
        BUILD PASSAGES QUERIES [CLUSTER_QUERIES] [WORK]

PASSAGES: a JSON-lines corpus (/tmp/m/enwiki-passages.jsonl, made by
../shared/corpora/tools/split_passages.py); QUERIES: one query a line (the
union queries); CLUSTER_QUERIES (default 100): how many of them the cluster
runs answer; WORK (default /tmp/cluster-scaling-PID): where the indexes go
(removed at the end).

1. Shards (one machine): `scry-index -q -j 2` (an ordinary index) and
   `scry-index -q --shards S -j 2` for S = 1, 2, 4: build wall time and
   size; then `scry-search` on each with every query once, with
   `--no-snippets` and with snippets: per query (--stats: search +
   documents and snippets, in the process) p50 and p99 in ms, and the
   whole process's wall time over all queries (median of 3) and queries a
   second (queries / that time).
2. Workers: a dask scheduler and W = 1, 2, 4 workers (`--nthreads 1`,
   tests/python/test_cluster.py's Cluster) on 127.0.0.1: `python3 -m
   scry.cluster build --shards 4 -j 1` wall time; then a ClusterSearch (the
   coordinator, direct to the workers) over the 4-shard index of step 1:
   per query wall time p50 and p99 (after 10 warm-up queries) and queries a
   second (queries / their summed time, one at a time), with and without
   snippets; and one actor call doing almost nothing (the statistics of an
   empty query), p50 and p99 of 200: the price of a round trip; with the
   coordinator process's CPU time a call and a query (its Dask event loop
   included): what bounds one coordinator's queries a second.

Every line carries the 1-minute load average when it was measured: the
machine is shared.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import distributed
from scry.cluster.search import ClusterSearch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "python"))
sys.path.insert(0, os.path.dirname(__file__))
from cluster_latency import percentile, wall  # noqa: E402 (bench/e2e, beside this file)
from test_cluster import Cluster  # noqa: E402 (the tests' real-process cluster)


def load():
    return f"load {os.getloadavg()[0]:.1f}"


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, timeout=1800, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def megabytes(folder):
    return sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file()) / 1e6


def local_search(scry_search, index, queries_path, count):
    for flag in (["--no-snippets"], []):
        with open(queries_path, "rb") as stdin:
            done = subprocess.run([scry_search, "--stats", *flag, index], stdin=stdin,
                                  capture_output=True, check=False, timeout=600)
        times = [float(a) + float(b) for a, b in re.findall(
            rb"([0-9.]+) ms search, ([0-9.]+) ms documents", done.stderr)]
        batch = wall([scry_search, *flag, index], queries_path)
        print(f"  scry-search {'snippets' if not flag else '--no-snippets'}: per query p50 "
              f"{percentile(times, 50):.3f} ms, p99 {percentile(times, 99):.3f} ms; "
              f"{count} queries {batch:.2f} s, {count / batch:.0f} q/s ({load()})", flush=True)


def cluster_search(address, index, queries):
    with distributed.Client(address, timeout="10s", direct_to_workers=True) as client:
        search = ClusterSearch(client, index)
        calls = []
        cpu = time.process_time()
        for _ in range(200):
            start = time.perf_counter()
            search._actors[0].statistics(b"", {}).result(timeout=60)
            calls.append((time.perf_counter() - start) * 1000)
        cpu = (time.process_time() - cpu) * 1000 / len(calls)
        print(f"  one actor call: p50 {percentile(calls, 50):.2f} ms, "
              f"p99 {percentile(calls, 99):.2f} ms, coordinator CPU {cpu:.2f} ms ({load()})",
              flush=True)
        for snippets in (False, True):
            options = {"k": 10, "offset": 0, "snippets": snippets, "timeout_ms": 10000}
            for query in queries[:10]:  # Warm-up.
                search.answer(query, options)
            times = []
            cpu = time.process_time()
            for query in queries:
                start = time.perf_counter()
                search.answer(query, options)
                times.append((time.perf_counter() - start) * 1000)
            cpu_ms = (time.process_time() - cpu) * 1000 / len(times)
            print(f"  cluster search {'snippets' if snippets else '--no-snippets'}: per query "
                  f"p50 {percentile(times, 50):.2f} ms, p99 {percentile(times, 99):.2f} ms; "
                  f"{1000 * len(times) / sum(times):.0f} q/s; coordinator CPU {cpu_ms:.2f} ms "
                  f"a query ({load()})", flush=True)


def main(build, passages, queries_path, cluster_queries=100, work=None):
    queries = [q for q in Path(queries_path).read_bytes().splitlines() if q.strip()]
    scry_index = os.path.join(build, "indexer", "scry-index")
    scry_search = os.path.join(build, "searcher", "scry-search")
    work = Path(work or f"/tmp/cluster-scaling-{os.getpid()}")
    work.mkdir(parents=True, exist_ok=True)
    subset = work / "cluster-queries.txt"
    subset.write_bytes(b"\n".join(queries[:cluster_queries]) + b"\n")
    try:
        print(f"{passages}: {len(queries)} queries; cluster runs: the first "
              f"{min(cluster_queries, len(queries))}", flush=True)
        for shards in (0, 1, 2, 4):  # 0: an ordinary index.
            index = work / f"s{shards}.idx"
            option = ["--shards", str(shards)] if shards else []
            seconds = timed([scry_index, "-q", "-j", "2", *option, passages, "-o", str(index)])
            print(f"{'ordinary index' if not shards else f'{shards} shards'}: build {seconds:.1f} s"
                  f", {megabytes(index):.1f} MB ({load()})", flush=True)
            local_search(scry_search, str(index), queries_path, len(queries))
        cluster = Cluster(work)
        try:
            cluster.kill_worker(1)
            for workers in (1, 2, 4):
                cluster.ensure_workers(workers)
                built = work / "cluster4.idx"
                seconds = timed([sys.executable, "-m", "scry.cluster", "build", "--scheduler",
                                 cluster.address, "--shards", "4", "-j", "1", "-q", passages,
                                 "-o", str(built)])
                print(f"{workers} workers: cluster build of 4 shards {seconds:.1f} s ({load()})",
                      flush=True)
                shutil.rmtree(built)
                cluster_search(cluster.address, str(work / "s4.idx"),
                               queries[:cluster_queries])
        finally:
            cluster.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], *(int(a) for a in sys.argv[4:5]), *sys.argv[5:6])
