#!/usr/bin/python3
"""Accuracy at 1 and time to suggest, for bench/spell/compare.sh.

    report.py PAIRS.tsv NAME=SUGGESTIONS.tsv ...

PAIRS.tsv: misspelling<TAB>correction (the pairs kept by pairs.py).
SUGGESTIONS.tsv: misspelling<TAB>suggestion<TAB>microseconds, one line per
pair in the same order (the misspelling itself when there is no suggestion).
A suggestion is right when it equals the correction case-folded, with
apostrophes removed from both (scry's words drop them: "didn't" is
"didnt"). Prints a markdown table: engine, right, accuracy at 1, p50 and
p99 of the time to suggest.
"""
import sys


def norm(word):
    return word.casefold().replace("'", "").replace("\u2019", "")


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    pairs = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            m, c = line.rstrip("\n").split("\t")
            pairs.append((m, c))
    print("| engine | right | accuracy at 1 | suggest p50 µs | suggest p99 µs |")
    print("|---|---|---|---|---|")
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        rows = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                rows.append((parts[0], parts[1], float(parts[2])))
        if len(rows) != len(pairs):
            sys.exit(f"report.py: {path}: {len(rows)} lines for {len(pairs)} pairs")
        right = sum(1 for (m, c), (w, s, _) in zip(pairs, rows) if norm(s) == norm(c))
        times = [t for _, _, t in rows]
        print(f"| {name} | {right} of {len(pairs)} | {100.0 * right / len(pairs):.1f}% | "
              f"{percentile(times, 50):.0f} | {percentile(times, 99):.0f} |")


if __name__ == "__main__":
    main()
