#!/usr/bin/python3
"""Issue 14 item 1: what snippets add to a batch, as users run it.

    bench/e2e/snippet_ratio.py SCRY_SEARCH INDEX QUERIES [ROUNDS]

Runs `SCRY_SEARCH INDEX --format tsv < QUERIES` (snippets, the default) and
the same with --no-snippets, alternating the two (which goes first swaps
each round), ROUNDS times (default 101: with 41, the same binary's ratio
moved from 1.92 to 2.12 between runs a minute apart on a quiet machine).
Prints the median whole-process wall time of each and the ratio of the
medians (the item: at most 2), the same for the processes' CPU time (user +
system), and the median, smallest and largest ratio of one round's pair.
"""
import resource
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__.strip().splitlines()[2].strip())
    search, index, queries = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) == 5 else 101
    wall = {"snippets": [], "no-snippets": []}
    cpu = {"snippets": [], "no-snippets": []}
    for r in range(rounds):
        order = ("snippets", "no-snippets") if r % 2 == 0 else ("no-snippets", "snippets")
        for mode in order:
            args = [search, index, "--format", "tsv"]
            if mode == "no-snippets":
                args.append("--no-snippets")
            with open(queries, "rb") as stdin:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run(args, stdin=stdin, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, check=False)
                wall[mode].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[mode].append(after.ru_utime - before.ru_utime +
                                 after.ru_stime - before.ru_stime)
            if done.returncode > 1:
                sys.exit(f"snippet_ratio: {' '.join(args)} exited {done.returncode}")
    with_s, without = (statistics.median(wall[m]) for m in ("snippets", "no-snippets"))
    cpu_s, cpu_n = (statistics.median(cpu[m]) for m in ("snippets", "no-snippets"))
    pairs = [a / b for a, b in zip(wall["snippets"], wall["no-snippets"])]
    print(f"{rounds} rounds: snippets {with_s * 1e3:.1f} ms, no snippets {without * 1e3:.1f} ms "
          f"(medians); ratio {with_s / without:.2f}; CPU {cpu_s * 1e3:.1f} / {cpu_n * 1e3:.1f} ms, "
          f"ratio {cpu_s / cpu_n:.2f}; per round median {statistics.median(pairs):.2f}, "
          f"{min(pairs):.2f} to {max(pairs):.2f}")


if __name__ == "__main__":
    main()
