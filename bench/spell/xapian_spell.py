#!/usr/bin/python3
"""Xapian's spelling suggestions, for bench/spell/compare.sh.

    xapian_spell.py index CORPUS.jsonl DB
    xapian_spell.py suggest DB WORDS.txt > suggestions.tsv

index: a Xapian database of the corpus (title and body, English stemmer as
scry's; no positions) whose TermGenerator records spelling data
(FLAG_SPELLING: every word's frequency in the spelling table).
suggest: for each line of WORDS.txt, Database.get_spelling_suggestion(word)
(at most 2 edits, Xapian's default) timed in process; prints
`word<TAB>suggestion<TAB>microseconds`, the word itself when Xapian has no
suggestion.
"""
import json
import sys
import time

import xapian


def index(corpus, path):
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    tg.set_database(db)
    tg.set_flags(xapian.TermGenerator.FLAG_SPELLING)
    with open(corpus, encoding="utf-8") as f:
        for n, line in enumerate(f):
            d = json.loads(line)
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text_without_positions(d.get("title") or "")
            tg.index_text_without_positions(d.get("body") or "")
            doc.set_data(str(d.get("id")))
            db.add_document(doc)
            if n % 5000 == 4999:
                db.commit()
    db.commit()
    db.close()


def suggest(path, words):
    db = xapian.Database(path)
    with open(words, encoding="utf-8") as f:
        for line in f:
            w = line.rstrip("\n")
            start = time.perf_counter_ns()
            s = db.get_spelling_suggestion(w.lower())
            us = (time.perf_counter_ns() - start) / 1000
            if isinstance(s, bytes):  # python3-xapian 1.4 returns bytes.
                s = s.decode("utf-8")
            print(f"{w}\t{s or w}\t{us:.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "index":
        index(sys.argv[2], sys.argv[3])
    else:
        suggest(sys.argv[2], sys.argv[3])
