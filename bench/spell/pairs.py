#!/usr/bin/python3
"""The misspelling pairs to score on a corpus (docs/SPELLING.md, "Figures").

    pairs.py PAIRS.tsv CORPUS.jsonl > kept.tsv

Keeps the lines `misspelling<TAB>correction` of PAIRS.tsv whose correction,
case-folded, occurs in CORPUS.jsonl (titles and bodies) as a word: a run of
letters and digits, apostrophes between letters kept (before stemming),
as the corpus README asks. Prints the kept pairs in their order, and on
stderr how many of how many.
"""
import json
import re
import sys

WORD = re.compile(r"\w+(?:['\u2019]\w+)*")


def main():
    pairs_path, corpus_path = sys.argv[1], sys.argv[2]
    pairs = []
    with open(pairs_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and parts[0] and parts[1]:
                pairs.append((parts[0], parts[1]))
    wanted = {c.casefold().replace("\u2019", "'") for _, c in pairs}
    found = set()
    with open(corpus_path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            text = (doc.get("title") or "") + "\n" + (doc.get("body") or "")
            for w in WORD.findall(text.casefold()):
                w = w.replace("\u2019", "'")
                if w in wanted:
                    found.add(w)
    kept = [(m, c) for m, c in pairs if c.casefold().replace("\u2019", "'") in found]
    for m, c in kept:
        print(f"{m}\t{c}")
    print(f"pairs.py: {len(kept)} of {len(pairs)} pairs have their correction in the corpus",
          file=sys.stderr)


if __name__ == "__main__":
    main()
