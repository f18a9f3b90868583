#!/usr/bin/python3
"""Issue 14 item 1: what snippets add to a batch, as users run it.

    bench/e2e/snippet_ratio.py SCRY_SEARCH[,SCRY_SEARCH...] INDEX QUERIES [ROUNDS]

Runs `SCRY_SEARCH INDEX --format tsv < QUERIES` (snippets, the default) and
the same with --no-snippets, ROUNDS times (default 101: with 41, the same
binary's ratio moved from 1.92 to 2.12 between runs a minute apart on a
quiet machine). Several binaries (comma-separated, e.g. main's and a
branch's) are interleaved: each round runs every binary both ways, the
order rotating from round to round, so that a slow minute of the machine
falls on all of them. For each binary, prints the median whole-process
wall time with and without snippets and the ratio of the medians (the
item: at most 2), the same for the processes' CPU time (user + system),
and the median, smallest and largest ratio of one round's pair.
"""
import resource
import statistics
import subprocess
import sys
import time


def run_once(search, index, queries, snippets):
    """Wall and CPU seconds of one batch."""
    args = [search, index, "--format", "tsv"]
    if not snippets:
        args.append("--no-snippets")
    with open(queries, "rb") as stdin:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(args, stdin=stdin, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode > 1:
        sys.exit(f"snippet_ratio: {' '.join(args)} exited {done.returncode}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__.strip().splitlines()[2].strip())
    searches = sys.argv[1].split(",")
    index, queries = sys.argv[2:4]
    rounds = int(sys.argv[4]) if len(sys.argv) == 5 else 101
    jobs = [(search, snippets) for search in searches for snippets in (True, False)]
    wall = {job: [] for job in jobs}
    cpu = {job: [] for job in jobs}
    for r in range(rounds):
        k = r % len(jobs)
        for job in jobs[k:] + jobs[:k]:
            w, c = run_once(job[0], index, queries, job[1])
            wall[job].append(w)
            cpu[job].append(c)
    for search in searches:
        with_s, without = (statistics.median(wall[(search, s)]) for s in (True, False))
        cpu_s, cpu_n = (statistics.median(cpu[(search, s)]) for s in (True, False))
        pairs = [a / b for a, b in zip(wall[(search, True)], wall[(search, False)])]
        print(f"{search}: {rounds} rounds: snippets {with_s * 1e3:.1f} ms, no snippets "
              f"{without * 1e3:.1f} ms (medians); ratio {with_s / without:.2f}; CPU "
              f"{cpu_s * 1e3:.1f} / {cpu_n * 1e3:.1f} ms, ratio {cpu_s / cpu_n:.2f}; per round "
              f"median {statistics.median(pairs):.2f}, {min(pairs):.2f} to {max(pairs):.2f}")


if __name__ == "__main__":
    main()
