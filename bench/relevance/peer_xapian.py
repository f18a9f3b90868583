#!/usr/bin/python3
"""Xapian as a peer on a relevance collection: writes a TREC run.

    peer_xapian.py COLLECTION_DIR OUT_RUN [--workdir DIR]

Indexes docs.jsonl with a TermGenerator (English Snowball stemmer,
STEM_SOME, Xapian's default): the title, a position gap, then the body, as
one unprefixed text. Each query of queries.tsv is parsed by a QueryParser
with default operator OR and the same stemmer; ranking is
BM25Weight(k1=1.2, k2=0, k3=1, b=0.75, min_normlen=0.5), Xapian's defaults,
top 1000. A query that does not parse falls back to an OR of its words.
"""
import json
import os
import re
import sys
import tempfile

import xapian

WORD = re.compile(r"\w+", re.UNICODE)


def main():
    args = sys.argv[1:]
    workdir = None
    if "--workdir" in args:
        i = args.index("--workdir")
        workdir = args[i + 1]
        del args[i:i + 2]
    collection, out_path = args
    path = workdir or tempfile.mkdtemp(prefix="xapian-")
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    stemmer = xapian.Stem("english")
    indexer = xapian.TermGenerator()
    indexer.set_stemmer(stemmer)
    indexer.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    with open(os.path.join(collection, "docs.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            doc = xapian.Document()
            indexer.set_document(doc)
            indexer.index_text(d.get("title") or "")
            indexer.increase_termpos()
            indexer.index_text(d.get("body") or "")
            doc.set_data(d["id"])
            db.add_document(doc)
    db.commit()
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight(1.2, 0, 1, 0.75, 0.5))
    parser = xapian.QueryParser()
    parser.set_database(db)
    parser.set_stemmer(stemmer)
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.set_default_op(xapian.Query.OP_OR)
    with open(os.path.join(collection, "queries.tsv"), encoding="utf-8") as f, \
            open(out_path, "w", encoding="utf-8") as out:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            try:
                query = parser.parse_query(text)
            except xapian.QueryParserError:
                query = parser.parse_query(" ".join(WORD.findall(text)))
            enquire.set_query(query)
            for rank, m in enumerate(enquire.get_mset(0, 1000), 1):
                out.write(f"{qid} Q0 {m.document.get_data().decode()} {rank} {m.weight:.6f} xapian\n")


if __name__ == "__main__":
    main()
