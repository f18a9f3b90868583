#!/usr/bin/python3
"""SQLite FTS5 as a peer on a relevance collection: writes a TREC run.

    peer_fts5.py COLLECTION_DIR OUT_RUN [--workdir DIR]

Indexes docs.jsonl into an FTS5 table (columns title, body; tokenizer
'porter unicode61': Porter stemming over Unicode word splitting) and runs
each query of queries.tsv as an OR of its quoted words, ranked by FTS5's
bm25() (k1 = 1.2, b = 0.75, fixed by SQLite; column weights 1, 1), top 1000.
"""
import json
import os
import re
import sqlite3
import sys

WORD = re.compile(r"\w+", re.UNICODE)


def main():
    args = sys.argv[1:]
    workdir = None
    if "--workdir" in args:
        i = args.index("--workdir")
        workdir = args[i + 1]
        del args[i:i + 2]
    collection, out_path = args
    db_path = ":memory:"
    if workdir:
        os.makedirs(workdir, exist_ok=True)
        db_path = os.path.join(workdir, "fts5.db")
        if os.path.exists(db_path):
            os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.execute("CREATE VIRTUAL TABLE t USING fts5(docid UNINDEXED, title, body, "
               "tokenize='porter unicode61')")
    with open(os.path.join(collection, "docs.jsonl"), encoding="utf-8") as f:
        rows = ((d["id"], d.get("title") or "", d.get("body") or "")
                for d in map(json.loads, f))
        db.executemany("INSERT INTO t(docid, title, body) VALUES (?, ?, ?)", rows)
    db.commit()
    with open(os.path.join(collection, "queries.tsv"), encoding="utf-8") as f, \
            open(out_path, "w", encoding="utf-8") as out:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            words = WORD.findall(text)
            if not words:
                continue
            match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
            hits = db.execute("SELECT docid, bm25(t) FROM t WHERE t MATCH ? "
                              "ORDER BY bm25(t) LIMIT 1000", (match,))
            for rank, (docid, score) in enumerate(hits, 1):
                out.write(f"{qid} Q0 {docid} {rank} {-score:.6f} fts5\n")


if __name__ == "__main__":
    main()
