#!/usr/bin/python3
"""Cross-validated accuracy of scry's spelling model, for bench/spell/crossval.sh.

    crossval.py PAIRS.tsv MODELS.txt SUGGESTIONS.tsv [--folds K] [--seed S]

PAIRS.tsv: misspelling<TAB>correction (pairs.py). MODELS.txt: one model a
line (LAMBDA,TRANSPOSITION,DOUBLING), numbered from 0; the first is the
hand-set one. SUGGESTIONS.tsv: spell_models' output for those models, the
misspellings lower-cased, in the pairs' order.

The pairs are shuffled (seed S) into K folds. For each fold the model with
the most right answers on the other folds is chosen (ties: the first in
MODELS.txt) and scored on the fold; the sum over the folds is the accuracy
of the tuning procedure on pairs it did not see. Also printed: the hand-set
model and the best model on all pairs (tuned on the test pairs themselves,
an optimistic figure). Rightness as report.py scores it.
"""
import argparse
import random

from report import norm


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pairs")
    parser.add_argument("models")
    parser.add_argument("suggestions")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.pairs, encoding="utf-8") as f:
        pairs = [line.rstrip("\n").split("\t") for line in f]
    with open(args.models, encoding="utf-8") as f:
        models = [line.strip() for line in f if line.strip()]
    right = [[False] * len(pairs) for _ in models]
    seen = [0] * len(models)
    with open(args.suggestions, encoding="utf-8") as f:
        for line in f:
            model, _, suggestion = line.rstrip("\n").split("\t")
            m = int(model)
            i = seen[m]
            right[m][i] = norm(suggestion) == norm(pairs[i][1])
            seen[m] += 1
    if any(count != len(pairs) for count in seen):
        raise SystemExit(f"crossval.py: {args.suggestions}: want {len(pairs)} lines a model")

    order = list(range(len(pairs)))
    random.Random(args.seed).shuffle(order)
    fold_of = [0] * len(pairs)
    for rank, i in enumerate(order):
        fold_of[i] = rank % args.folds

    def count(m, keep):
        return sum(1 for i in range(len(pairs)) if keep(i) and right[m][i])

    n = len(pairs)
    print(f"| fold | pairs | model chosen on the other folds (λ, transposition, doubling) "
          f"| right on the other folds | right on the fold |")
    print("|---|---|---|---|---|")
    total = 0
    for fold in range(args.folds):
        train = [count(m, lambda i: fold_of[i] != fold) for m in range(len(models))]
        best = max(range(len(models)), key=lambda m: (train[m], -m))
        size = sum(1 for i in range(n) if fold_of[i] == fold)
        test = count(best, lambda i: fold_of[i] == fold)
        total += test
        print(f"| {fold + 1} | {size} | {models[best]} | {train[best]} of {n - size} "
              f"| {test} ({100.0 * test / size:.1f}%) |")
    everywhere = [count(m, lambda i: True) for m in range(len(models))]
    best = max(range(len(models)), key=lambda m: (everywhere[m], -m))
    print()
    print(f"cross-validated ({args.folds} folds, seed {args.seed}): {total} of {n} "
          f"({100.0 * total / n:.1f}%)")
    print(f"hand-set model {models[0]}: {everywhere[0]} of {n} ({100.0 * everywhere[0] / n:.1f}%)")
    print(f"best on all pairs, {models[best]}: {everywhere[best]} of {n} "
          f"({100.0 * everywhere[best] / n:.1f}%)")


if __name__ == "__main__":
    main()
