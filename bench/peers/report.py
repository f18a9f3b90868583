#!/usr/bin/env python3
"""Tables of the side-by-side benchmark, from the files compare.sh wrote.

    report.py RUN_DIR

RUN_DIR/summary.tsv has one line per engine row:
    engine  docs  index_s  input_bytes  index_bytes  no_store_bytes  open_us  batch_s  name
(no_store_bytes is "-" when the engine stores no text), and for each `name`
RUN_DIR/name.lat (per query "TAG<TAB>US": the median latency in process,
plus a first line "open_us<TAB>X") and RUN_DIR/name.hits (per hit
"TAG<TAB>RANK<TAB>ID", from the batch run). RUN_DIR/queries.tsv holds the
queries (TAG<TAB>QUERY, TAG = CLASS.N); RUN_DIR/header.md a few lines on the
run, printed first.

Prints, as markdown: the speed and size table (latency percentiles over the
queries of a class, nearest rank as bench/e2e/query_bench.cpp computes
them), then the sanity table: per class the number of queries without any
hit, and the mean top-10 overlap with scry's (no-snippets) results,
|A ∩ B| / max(|A|, |B|) over the queries where either returned a hit.
"""
import os
import sys

CLASSES = ["union", "intersection", "phrase"]


def percentile(values, p):
    values = sorted(values)
    i = int(p * (len(values) - 1) + 0.5)
    return values[min(i, len(values) - 1)]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def cls_of(tag):
    return tag.split(".", 1)[0]


def main():
    run = sys.argv[1]
    queries = [row[0] for row in read_tsv(os.path.join(run, "queries.tsv"))]
    per_class = {c: [t for t in queries if cls_of(t) == c] for c in CLASSES}
    rows = read_tsv(os.path.join(run, "summary.tsv"))

    latency, hits = {}, {}
    for row in rows:
        name = row[8]
        latency[name] = {r[0]: float(r[1]) for r in read_tsv(os.path.join(run, name + ".lat"))
                         if r[0] != "open_us"}
        tops = {}
        for tag, _rank, doc_id in read_tsv(os.path.join(run, name + ".hits")):
            tops.setdefault(tag, []).append(doc_id)
        hits[name] = tops

    out = []
    with open(os.path.join(run, "header.md"), encoding="utf-8") as f:
        out.append(f.read().rstrip("\n"))
    out.append("")
    head = ["engine", "docs", "index s", "MB/s", "index MB", "open ms"]
    head += [f"{c} p50/p95/p99 µs" for c in CLASSES if per_class[c]]
    head.append("batch µs/query")
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for engine, docs, index_s, input_bytes, index_bytes, no_store, open_us, batch_s, name in rows:
        size = f"{int(index_bytes) / 1e6:.1f}"
        if no_store != "-":
            size += f" ({int(no_store) / 1e6:.1f} w/o store)"
        cells = [engine, docs, f"{float(index_s):.2f}",
                 f"{int(input_bytes) / 1e6 / float(index_s):.1f}", size,
                 f"{float(open_us) / 1e3:.3f}"]
        for c in CLASSES:
            if per_class[c]:
                v = [latency[name][t] for t in per_class[c]]
                cells.append(" / ".join(f"{percentile(v, p):.0f}" for p in (0.5, 0.95, 0.99)))
        cells.append(f"{float(batch_s) * 1e6 / len(queries):.0f}")
        out.append("| " + " | ".join(cells) + " |")

    out.append("")
    head = ["engine"] + [f"{c}: zero-hit queries" for c in CLASSES if per_class[c]]
    head += [f"{c}: top-10 overlap with scry" for c in CLASSES if per_class[c]]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    reference = hits["scry"]
    for row in rows:
        name = row[8]
        cells = [row[0]]
        for c in CLASSES:
            if per_class[c]:
                zero = sum(1 for t in per_class[c] if t not in hits[name])
                cells.append(f"{zero} of {len(per_class[c])}")
        for c in CLASSES:
            if not per_class[c]:
                continue
            shares = []
            for t in per_class[c]:
                a, b = set(reference.get(t, [])), set(hits[name].get(t, []))
                if a or b:
                    shares.append(len(a & b) / max(len(a), len(b)))
            cells.append(f"{sum(shares) / len(shares):.3f} ({len(shares)} q)" if shares else "-")
        out.append("| " + " | ".join(cells) + " |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
