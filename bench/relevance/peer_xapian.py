#!/usr/bin/python3
"""Xapian as a peer on a relevance collection: writes a TREC run.

    peer_xapian.py COLLECTION_DIR OUT_RUN [--workdir DIR]
    peer_xapian.py --version      (Xapian's version and the BM25 parameters)

Needs Debian's python3-xapian (run with /usr/bin/python3). The database goes
to DIR when given (overwritten), else to a temporary folder removed at the end.

Indexing: a TermGenerator with the English Snowball stemmer and STEM_SOME
(Xapian's default strategy: every word gives its unstemmed term plus a
Z-prefixed stem) indexes the title, then increase_termpos() (a position gap so
no phrase spans title and body), then the body, all as unprefixed text: the
title counts as ordinary words of the document, with no extra weight.

Querying: each line of queries.tsv is lowercased and parsed by a QueryParser
with default operator OR, the same stemmer and STEM_SOME, flags FLAG_DEFAULT
(PHRASE | BOOLEAN | LOVEHATE). Lowercasing matters on the collections whose
queries are in capitals (NPL, LISA, TIME): QueryParser reads upper-case AND,
OR, NOT as boolean operators and, under STEM_SOME, does not stem a word that
starts with a capital letter. A query that does not parse falls back to an OR
of the stems of its words.

Ranking: BM25Weight(k1=1.2, k2=0, k3=1, b=0.75, min_normlen=0.5), given
explicitly (Xapian's own defaults are k1=1, b=0.5), top 1000. Ties keep
Xapian's order (ascending document number, i.e. docs.jsonl order).

Output: `qid Q0 docid rank score xapian`, qids from queries.tsv, docids from
docs.jsonl, ranks from 1, scores descending.
"""
import json
import os
import re
import sys
import tempfile

import xapian

WORD = re.compile(r"\w+", re.UNICODE)
K1, K2, K3, B, MIN_NORMLEN = 1.2, 0.0, 1.0, 0.75, 0.5
DEPTH = 1000


def parse_args(argv):
    args = list(argv)
    if args == ["--version"]:
        print(f"xapian {xapian.version_string()} BM25Weight(k1={K1}, k2={K2}, k3={K3}, "
              f"b={B}, min_normlen={MIN_NORMLEN})")
        sys.exit(0)
    workdir = None
    if "--workdir" in args:
        i = args.index("--workdir")
        if i + 1 >= len(args):
            sys.exit("peer_xapian: --workdir needs a folder")
        workdir = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit("usage: peer_xapian.py COLLECTION_DIR OUT_RUN [--workdir DIR]")
    return args[0], args[1], workdir


def build(db_path, collection, stemmer):
    """Indexes docs.jsonl; returns (database, docids by Xapian document number - 1)."""
    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
    indexer = xapian.TermGenerator()
    indexer.set_stemmer(stemmer)
    indexer.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    ids = []
    with open(os.path.join(collection, "docs.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            doc = xapian.Document()
            indexer.set_document(doc)
            indexer.index_text(d.get("title") or "")
            indexer.increase_termpos()
            indexer.index_text(d.get("body") or "")
            ids.append(str(d["id"]))
            # Document numbers are assigned 1, 2, ... in order on a new database.
            db.add_document(doc)
    db.commit()
    return db, ids


def fallback_query(text, stemmer):
    terms = [xapian.Query("Z" + stemmer(w), 1, pos)
             for pos, w in enumerate(WORD.findall(text), 1)]
    return xapian.Query(xapian.Query.OP_OR, terms)


def run(collection, out_path, db_path):
    stemmer = xapian.Stem("english")
    db, ids = build(db_path, collection, stemmer)
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight(K1, K2, K3, B, MIN_NORMLEN))
    parser = xapian.QueryParser()
    parser.set_database(db)
    parser.set_stemmer(stemmer)
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.set_default_op(xapian.Query.OP_OR)
    fallbacks = 0
    with open(os.path.join(collection, "queries.tsv"), encoding="utf-8") as f, \
            open(out_path, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            qid, _, text = line.rstrip("\n").partition("\t")
            text = text.lower()
            try:
                query = parser.parse_query(text, xapian.QueryParser.FLAG_DEFAULT)
            except xapian.QueryParserError:
                fallbacks += 1
                query = fallback_query(text, stemmer)
            enquire.set_query(query)
            for rank, m in enumerate(enquire.get_mset(0, DEPTH), 1):
                out.write(f"{qid} Q0 {ids[m.docid - 1]} {rank} {m.weight:.6f} xapian\n")
    db.close()
    if fallbacks:
        print(f"peer_xapian: {fallbacks} queries did not parse; ran as OR of stems",
              file=sys.stderr)


def main():
    collection, out_path, workdir = parse_args(sys.argv[1:])
    if workdir:
        os.makedirs(workdir, exist_ok=True)
        run(collection, out_path, os.path.join(workdir, "xapian.db"))
    else:
        with tempfile.TemporaryDirectory(prefix="peer-xapian-") as tmp:
            run(collection, out_path, os.path.join(tmp, "xapian.db"))


if __name__ == "__main__":
    main()
