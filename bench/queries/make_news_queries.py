#!/usr/bin/env python3
"""Makes bench/queries/news-queries.tsv, the query set of the search benchmark.

Reads ../shared/corpora/news/20newsgroups.jsonl and draws, with a fixed seed,
50 queries of each class from words of the subject lines (alphabetic, 3+
letters, not stop words): `1` one word, `2` two words, `3` three words, `4+`
four to six words, and `phrase` two- or three-word phrases taken from the
bodies. Output lines: CLASS<TAB>QUERY. Run from the project root.
"""
import json
import random
import re

STOP = set("the and for are but not you all any can had her was one our out has him his how its may new now "
           "see two who did get let say she too use that with have this will your from they been were what when "
           "there their would about which could other into more some than then them these only also just like "
           "does dont re".split())
WORD = re.compile(r"[A-Za-z]{3,}")

rng = random.Random(20261122)
subjects, bodies = [], []
with open("../shared/corpora/news/20newsgroups.jsonl", encoding="utf-8") as f:
    for line in f:
        doc = json.loads(line)
        subjects.append([w.lower() for w in WORD.findall(doc.get("title") or "") if w.lower() not in STOP])
        bodies.append(doc.get("body") or "")
words = [w for s in subjects for w in s]

def words_query(n):
    return " ".join(rng.choice(words) for _ in range(n))

def phrase_query():
    while True:
        toks = re.findall(r"[A-Za-z]+", rng.choice(bodies))
        n = rng.choice([2, 3])
        if len(toks) <= n:
            continue
        i = rng.randrange(len(toks) - n)
        if all(len(t) >= 3 for t in toks[i:i + n]):
            return '"' + " ".join(t.lower() for t in toks[i:i + n]) + '"'

with open("bench/queries/news-queries.tsv", "w", encoding="utf-8") as out:
    for cls, make in [("1", lambda: words_query(1)), ("2", lambda: words_query(2)),
                      ("3", lambda: words_query(3)), ("4+", lambda: words_query(rng.randint(4, 6))),
                      ("phrase", phrase_query)]:
        for _ in range(50):
            out.write(f"{cls}\t{make()}\n")
