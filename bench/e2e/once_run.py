#!/usr/bin/python3
"""Once-run query times of whole scry-search processes (docs/PERFORMANCE.md,
"Issue 14 item 4").

  once_run.py compare INDEX QUERIES RUNS SCRY_SEARCH...
      RUNS rounds; in each, every binary answers QUERIES (one query a line,
      or TAG<TAB>QUERY) in one fresh process: `scry-search INDEX --format tsv
      --no-snippets --stats`. Per binary: the batch's wall and CPU time
      (medians over the rounds); each query's once-run time (its search +
      "documents and snippets" ms from --stats) as the minimum over the
      rounds, so that a round where another process took the CPU does not
      count; mean, p50 and p99 of those; and the same of the median round.
      A SCRY_SEARCH of the form peer:DRIVER:PEER_INDEX runs a driver of
      bench/peers instead (`DRIVER batch PEER_INDEX /dev/stdin`, e.g.
      xapian_bench, built by bench/peers/compare.sh), timed the same way
      from its per-query "time" lines: a peer in the same rounds.
  once_run.py classes INDEX RUNS SCRY_SEARCH QUERIES...
      One binary, several query files (classes: exact words against the
      same words with ~2, say), each answered once a round in a fresh
      process, alternating: per file, the once-run mean, p50 and p99 (each
      query's minimum over the rounds) and, after the first file, its p50
      and mean as multiples of the first file's.
  once_run.py repeat INDEX QUERIES RUNS SCRY_SEARCH
      The queries asked twice in one process, first the whole file then the
      whole file again ("later"), and each query twice in a row ("at once
      again"): per-query minimum over RUNS processes, first asking against
      the second.
"""
import math
import re
import resource
import subprocess
import sys
import time

STATS = re.compile(r"([\d.]+) ms search, ([\d.]+) ms documents")
PEER_TIME = re.compile(r"^time\t[^\t]*\t([\d.]+)\t([\d.]+)$", re.M)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def summary(values):
    return (sum(values) / len(values), pct(values, 50), pct(values, 99))


def fmt(s):
    return f"mean {s[0]:.0f} p50 {s[1]:.0f} p99 {s[2]:.0f} us"


def run(binary, index, text):
    """(per-query µs, wall ms, CPU ms) of one process answering `text`."""
    peer = binary.startswith("peer:")
    if peer:
        _, driver, peer_index = binary.split(":", 2)
        command = [driver, "batch", peer_index, "/dev/stdin"]
    else:
        command = [binary, index, "--format", "tsv", "--no-snippets", "--stats"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        proc = subprocess.run(command, input=text, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=False)
    except OSError as e:
        fail(f"{command[0]}: {e.strerror}")
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    if peer:
        times = [float(s) + float(f) for s, f in PEER_TIME.findall(proc.stderr)]
    else:
        times = [(float(s) + float(f)) * 1000 for s, f in STATS.findall(proc.stderr)]
    # scry-search's status 1 is a query without hits; more is a failure.
    if proc.returncode > 1 or not times:
        said = proc.stderr.strip().splitlines()
        fail(f"{command[0]} failed (exit {proc.returncode}): "
             f"{said[-1] if said else 'no query timed'}")
    return times, wall, cpu


def fail(message):
    print(f"once_run: {message}", file=sys.stderr)
    sys.exit(2)


def fold_min(best, times):
    return times if best is None else [min(a, b) for a, b in zip(best, times)]


def median(values):
    return sorted(values)[len(values) // 2]


def tagged(lines):
    """The queries as TAG<TAB>QUERY lines (the peers' drivers read those)."""
    return "".join(q + "\n" if "\t" in q else f"q{i}\t{q}\n" for i, q in enumerate(lines))


def compare(index, queries, runs, binaries):
    text = tagged(open(queries, encoding="utf-8").read().splitlines())
    state = {b: {"best": None, "rounds": [], "wall": [], "cpu": []} for b in binaries}
    for _ in range(runs):
        for b in binaries:  # Alternating, so that a busy spell hits them all.
            times, wall, cpu = run(b, index, text)
            s = state[b]
            s["best"] = fold_min(s["best"], times)
            s["rounds"].append(summary(times))
            s["wall"].append(wall)
            s["cpu"].append(cpu)
    for b in binaries:
        s = state[b]
        rounds = tuple(median([r[i] for r in s["rounds"]]) for i in range(3))
        print(f"{b}: {len(s['best'])} queries; batch wall {median(s['wall']):.1f} ms, "
              f"CPU {median(s['cpu']):.1f} ms; once-run, min of {runs}: {fmt(summary(s['best']))}; "
              f"median round: {fmt(rounds)}")


def classes(index, runs, binary, files):
    texts = {f: tagged(open(f, encoding="utf-8").read().splitlines()) for f in files}
    best = dict.fromkeys(files)
    for _ in range(runs):
        for f in files:
            best[f] = fold_min(best[f], run(binary, index, texts[f])[0])
    base = summary(best[files[0]])
    for f in files:
        s = summary(best[f])
        ratio = "" if f == files[0] else f"; p50 {s[1] / base[1]:.2f}x, mean {s[0] / base[0]:.2f}x"
        print(f"{f}: {len(best[f])} queries; once-run, min of {runs}: {fmt(s)}{ratio}")


def repeat(index, queries, runs, binary):
    lines = open(queries, encoding="utf-8").read().splitlines()
    later = "".join(q + "\n" for q in lines) * 2
    again = "".join(q + "\n" + q + "\n" for q in lines)
    best_later = best_again = None
    for _ in range(runs):
        best_later = fold_min(best_later, run(binary, index, later)[0])
        best_again = fold_min(best_again, run(binary, index, again)[0])
    n = len(lines)
    first, second = best_later[:n], best_later[n:]
    print(f"first asking: {fmt(summary(first))}; later (after the other queries): "
          f"{fmt(summary(second))}; ratio of means {sum(first) / sum(second):.2f}")
    first, second = best_again[0::2], best_again[1::2]
    print(f"first asking: {fmt(summary(first))}; at once again: {fmt(summary(second))}; "
          f"ratio of means {sum(first) / sum(second):.2f}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    if len(sys.argv) < 6 or sys.argv[1] not in ("compare", "classes", "repeat"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if sys.argv[1] == "classes":
        classes(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:])
        print("load average", " ".join(open("/proc/loadavg").read().split()[:3]))
        return
    mode, index, queries, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if mode == "compare":
        compare(index, queries, runs, sys.argv[5:])
    else:
        repeat(index, queries, runs, sys.argv[5])
    print("load average", " ".join(open("/proc/loadavg").read().split()[:3]))


if __name__ == "__main__":
    main()
