#!/usr/bin/env python3
"""The parameter grid behind scry's ranking defaults (docs/RELEVANCE.md).

    grid.py [--build DIR] [--jobs N] [--out TSV]

For every collection of ../shared/corpora/relevance and every combination of

    stemming      on, off                      (scry-index --stem / --no-stem)
    stop words    none, lucene, snowball       (scry-index --stopwords)
    k1            0.9, 1.2, 1.6                (scry-search --k1)
    b             0.4, 0.6, 0.75, 0.9          (scry-search --b)
    title weight  0, 0.5, 1                    (scry-search --title-weight)

it indexes the collection, runs its queries (--plain --format trec -k 1000)
and scores the run with scry-eval. Writes one TSV row per run (--out, default
grid.tsv in the current folder) and prints:

  * the 15 settings with the best mean MAP over the collections, with their
    mean nDCG@10 and how many collections they are the grid's worst on;
  * each axis on its own (the other settings at the chosen values);
  * the chosen settings: the best mean MAP among the settings that are not the
    grid's worst (by MAP or nDCG@10) on any collection.
"""
import argparse
import concurrent.futures
import itertools
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, "..", "shared", "corpora", "relevance")

STEM = ["on", "off"]
STOP = ["none", "lucene", "snowball"]
K1 = [0.9, 1.2, 1.6]
B = [0.4, 0.6, 0.75, 0.9]
TITLE = [0.0, 0.5, 1.0]


def build_index(build, collection, stem, stop, out):
    subprocess.run([os.path.join(build, "indexer", "scry-index"), "-q",
                    "--stem" if stem == "on" else "--no-stem", "--stopwords", stop,
                    os.path.join(COLLECTIONS, collection, "docs.jsonl"), "-o", out], check=True)


def evaluate(build, collection, index, k1, b, title, run_path):
    """MAP and nDCG@10 of one run."""
    with open(run_path, "w") as run:
        subprocess.run([os.path.join(build, "searcher", "scry-search"), index, "--plain",
                        "--format", "trec", "-k", "1000", "--k1", str(k1), "--b", str(b),
                        "--title-weight", str(title), "--queries",
                        os.path.join(COLLECTIONS, collection, "queries.tsv")],
                       stdout=run, check=False)
    out = subprocess.run([os.path.join(build, "bench", "eval", "scry-eval"),
                          os.path.join(COLLECTIONS, collection, "qrels.tsv"), run_path],
                         capture_output=True, text=True, check=True).stdout
    values = dict(line.split() for line in out.splitlines())
    return float(values["map"]), float(values["ndcg_cut_10"])


def run_grid(build, jobs, tmp):
    collections = sorted(d for d in os.listdir(COLLECTIONS)
                         if os.path.isfile(os.path.join(COLLECTIONS, d, "qrels.tsv")))
    index_jobs = {}
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for c, stem, stop in itertools.product(collections, STEM, STOP):
            path = os.path.join(tmp, f"{c}-{stem}-{stop}.idx")
            index_jobs[(c, stem, stop)] = pool.submit(build_index, build, c, stem, stop, path)
        for f in index_jobs.values():
            f.result()
        runs = {}
        for n, (c, stem, stop, k1, b, title) in enumerate(
                itertools.product(collections, STEM, STOP, K1, B, TITLE)):
            index = os.path.join(tmp, f"{c}-{stem}-{stop}.idx")
            runs[(stem, stop, k1, b, title, c)] = pool.submit(
                evaluate, build, c, index, k1, b, title, os.path.join(tmp, f"{n}.run"))
        return collections, {key: f.result() for key, f in runs.items()}


def summarize(collections, results):
    settings = sorted({key[:5] for key in results})
    mean_map = {s: statistics.mean(results[s + (c,)][0] for c in collections) for s in settings}
    mean_ndcg = {s: statistics.mean(results[s + (c,)][1] for c in collections) for s in settings}
    worst = {s: 0 for s in settings}
    for c in collections:
        for measure in (0, 1):
            low = min(results[s + (c,)][measure] for s in settings)
            for s in settings:
                if results[s + (c,)][measure] == low:
                    worst[s] += 1
    return settings, mean_map, mean_ndcg, worst


def label(s):
    stem, stop, k1, b, title = s
    return f"stem {stem:3} stop {stop:8} k1 {k1:<4} b {b:<4} title {title:<4}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default="grid.tsv")
    args = ap.parse_args()
    if not os.path.isdir(COLLECTIONS):
        sys.exit(f"grid: {COLLECTIONS} not found")
    with tempfile.TemporaryDirectory() as tmp:
        collections, results = run_grid(args.build, args.jobs, tmp)
    with open(args.out, "w") as out:
        out.write("stem\tstop\tk1\tb\ttitle\tcollection\tmap\tndcg10\n")
        for (stem, stop, k1, b, title, c), (m, n) in sorted(results.items()):
            out.write(f"{stem}\t{stop}\t{k1}\t{b}\t{title}\t{c}\t{m:.4f}\t{n:.4f}\n")
    settings, mean_map, mean_ndcg, worst = summarize(collections, results)

    print(f"{len(settings)} settings x {len(collections)} collections; rows in {args.out}\n")
    print("best mean MAP:")
    print(f"{'settings':52} {'MAP':>7} {'nDCG@10':>7} worst-on " + " ".join(f"{c[:6]:>6}" for c in collections))
    for s in sorted(settings, key=lambda s: -mean_map[s])[:15]:
        per = " ".join(f"{results[s + (c,)][0]:.4f}" for c in collections)
        print(f"{label(s):52} {mean_map[s]:.4f} {mean_ndcg[s]:.4f} {worst[s]:8} {per}")

    eligible = [s for s in settings if worst[s] == 0]
    chosen = max(eligible, key=lambda s: (mean_map[s], mean_ndcg[s]))
    print(f"\nchosen (best mean MAP, never the grid's worst): {label(chosen)}"
          f"  MAP {mean_map[chosen]:.4f}  nDCG@10 {mean_ndcg[chosen]:.4f}")
    print("per collection (MAP / nDCG@10): " + ", ".join(
        f"{c} {results[chosen + (c,)][0]:.4f}/{results[chosen + (c,)][1]:.4f}" for c in collections))

    axes = {"stem": STEM, "stop": STOP, "k1": K1, "b": B, "title": TITLE}
    print("\neach axis with the others at the chosen values (mean MAP / mean nDCG@10):")
    for i, (name, values) in enumerate(axes.items()):
        cells = []
        for v in values:
            s = chosen[:i] + (v,) + chosen[i + 1:]
            cells.append(f"{v}: {mean_map[s]:.4f}/{mean_ndcg[s]:.4f}")
        print(f"  {name:6} " + "  ".join(cells))


if __name__ == "__main__":
    main()
