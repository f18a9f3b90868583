#!/usr/bin/python3
"""SQLite FTS5 as a peer on a relevance collection: writes a TREC run.

    peer_fts5.py COLLECTION_DIR OUT_RUN [--workdir DIR]
    peer_fts5.py --version        (SQLite's version and the BM25 parameters)

Uses Python's sqlite3 module (run with /usr/bin/python3: Debian's SQLite has
FTS5). The table lives in memory, or in DIR/fts5.db (overwritten) when given.

Indexing: docs.jsonl into `fts5(docid UNINDEXED, title, body,
tokenize='porter unicode61')`: unicode61 splits on anything but letters and
digits and folds case and diacritics, porter stems the tokens (Porter's
original English stemmer).

Querying: the words of each line of queries.tsv (regex \\w+) become an OR of
quoted strings, `"w1" OR "w2" ...` (a '"' inside a word doubled), so no query
can be an FTS5 syntax error and upper-case AND/OR/NOT/NEAR are plain words. A
word repeated in the query is kept, so it counts once per occurrence (as in
Lucene's boolean query). A query with no word gives no result line.

Ranking: bm25(t), FTS5's built-in BM25: k1 = 1.2, b = 0.75 (constants in
SQLite's source, not settable), idf = ln((N - n + 0.5) / (n + 0.5)) (at least
1e-6), document length = tokens of all columns, column weights 1, 1 (title
and body count alike). bm25() is negated by FTS5 (better = lower), so rows are
ordered by bm25(t) ascending, then rowid (docs.jsonl order) for ties, LIMIT
1000, and the score written is -bm25(t).

Output: `qid Q0 docid rank score fts5`, qids from queries.tsv, docids from
docs.jsonl, ranks from 1, scores descending.
"""
import json
import os
import re
import sqlite3
import sys

WORD = re.compile(r"\w+", re.UNICODE)
DEPTH = 1000


def parse_args(argv):
    args = list(argv)
    if args == ["--version"]:
        print(f"sqlite {sqlite3.sqlite_version} fts5 bm25(k1=1.2, b=0.75, "
              "column weights title=1 body=1)")
        sys.exit(0)
    workdir = None
    if "--workdir" in args:
        i = args.index("--workdir")
        if i + 1 >= len(args):
            sys.exit("peer_fts5: --workdir needs a folder")
        workdir = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit("usage: peer_fts5.py COLLECTION_DIR OUT_RUN [--workdir DIR]")
    return args[0], args[1], workdir


def match_expression(text):
    """An FTS5 MATCH string that ORs the query's words, each quoted; '' if none."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in WORD.findall(text))


def main():
    collection, out_path, workdir = parse_args(sys.argv[1:])
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
        rows = ((str(d["id"]), d.get("title") or "", d.get("body") or "")
                for d in (json.loads(line) for line in f if line.strip()))
        db.executemany("INSERT INTO t(docid, title, body) VALUES (?, ?, ?)", rows)
    db.commit()
    with open(os.path.join(collection, "queries.tsv"), encoding="utf-8") as f, \
            open(out_path, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            qid, _, text = line.rstrip("\n").partition("\t")
            match = match_expression(text)
            if not match:
                continue
            hits = db.execute("SELECT docid, bm25(t) AS s FROM t WHERE t MATCH ? "
                              "ORDER BY s, rowid LIMIT ?", (match, DEPTH))
            for rank, (docid, score) in enumerate(hits, 1):
                out.write(f"{qid} Q0 {docid} {rank} {-score:.6f} fts5\n")
    db.close()


if __name__ == "__main__":
    main()
