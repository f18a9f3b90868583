#!/usr/bin/env python3
"""Tables of the side-by-side benchmark, from the files compare.sh wrote.

    report.py RUN_DIR

RUN_DIR/summary.tsv has one line per engine row:
    engine  docs  index_s  input_bytes  index_bytes  no_store_bytes  open_us  batch_s  name
(no_store_bytes: the index without the stored text, "-" when the engine
stores none; for a peer's snippet row, the size of its plain index), and for
each `name`:
  - name.lat: per query "TAG<TAB>US", the median latency of repeats in
    process, plus a line "open_us<TAB>X";
  - name.hits: per hit "TAG<TAB>RANK<TAB>ID", from the last batch run, and
    for a row with snippets "<TAB>SNIPPET";
  - name.once: per query and batch run "RUN<TAB>TAG<TAB>SEARCH_US<TAB>FETCH_US",
    the query's only run in that process (search, then ids and snippets).
Names ending in "-snippets" are the rows with snippets. RUN_DIR/queries.tsv
holds the queries (TAG<TAB>QUERY, TAG = CLASS.N); RUN_DIR/header.md a few
lines on the run, printed first.

Prints, as markdown:
  1. speed and size without snippets: in process p50/p95/p99 (nearest rank,
     as bench/e2e/query_bench.cpp computes them), once-run mean/p99 (a
     query's figure: the median of its batch runs), batch µs/query;
  2. snippets: the same for the rows with snippets, plus the mean time of
     the fetch part of a once-run query (ids and snippets of the 10 hits)
     and the snippets' mean length in characters (<b> and </b> left out);
  3. sanity: per class the queries without any hit, and the mean top-10
     overlap with scry's (no-snippets) results, |A ∩ B| / max(|A|, |B|)
     over the queries where either returned a hit;
  4. the ratios to the issue's targets (peer time / scry time; above 1
     scry is faster), each marked met or not, and a count of those met;
     the snippet ratios of a class over the queries where scry found hits
     (a query without any makes no snippet).
"""
import os
import statistics
import sys

CLASSES = ["union", "intersection", "phrase"]

# Issue 14's targets: how many times faster than the peer scry should be.
XAPIAN_TARGETS = {"batch": 5, "mean": 5, "p50": 5, "p99": 3}
FTS5_TARGET = 10
SNIPPET_TARGET = 10


def percentile(values, p):
    values = sorted(values)
    i = int(p * (len(values) - 1) + 0.5)
    return values[min(i, len(values) - 1)]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def cls_of(tag):
    return tag.split(".", 1)[0]


class Row:
    """One engine row: its summary line and per-query figures."""

    def __init__(self, run, fields):
        (self.engine, self.docs, self.index_s, self.input_bytes, self.index_bytes,
         self.no_store, self.open_us, self.batch_s, self.name) = fields
        self.snippets = self.name.endswith("-snippets")
        self.latency = {r[0]: float(r[1]) for r in read_tsv(os.path.join(run, self.name + ".lat"))
                        if r[0] != "open_us"}
        self.hits, lengths = {}, []
        for tag, _rank, doc_id, *snippet in read_tsv(os.path.join(run, self.name + ".hits")):
            self.hits.setdefault(tag, []).append(doc_id)
            if snippet:
                lengths.append(len(snippet[0].replace("<b>", "").replace("</b>", "")))
        self.snippet_chars = sum(lengths) / len(lengths) if lengths else 0
        total, fetch = {}, {}
        for _run, tag, search_us, fetch_us in read_tsv(os.path.join(run, self.name + ".once")):
            total.setdefault(tag, []).append(float(search_us) + float(fetch_us))
            fetch.setdefault(tag, []).append(float(fetch_us))
        self.once = {t: statistics.median(v) for t, v in total.items()}
        self.once_fetch = {t: statistics.median(v) for t, v in fetch.items()}

    def batch_us(self, queries):
        return float(self.batch_s) * 1e6 / queries


def stat(values, what):
    """mean, or a percentile given as p50/p95/p99, of values."""
    if what == "mean":
        return sum(values) / len(values)
    return percentile(values, int(what[1:]) / 100)


def cells_of(row, tags):
    """The figures of a row for the queries `tags`: name -> µs."""
    lat = [row.latency[t] for t in tags]
    once = [row.once[t] for t in tags if t in row.once]
    fetch = [row.once_fetch[t] for t in tags if t in row.once_fetch]
    out = {f"in {p}": stat(lat, p) for p in ("p50", "p95", "p99")}
    if once:
        out.update({f"once {s}": stat(once, s) for s in ("mean", "p99")})
        out["fetch mean"] = stat(fetch, "mean")
    return out


def table(head, lines):
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    out += ["| " + " | ".join(cells) + " |" for cells in lines]
    return out


def size_cell(row):
    size = f"{int(row.index_bytes) / 1e6:.1f}"
    if row.no_store != "-":
        size += f" ({int(row.no_store) / 1e6:.1f} w/o text)"
    return size


def speed_tables(rows, per_class, nq):
    out = []
    classes = [c for c in CLASSES if per_class[c]]
    plain = [r for r in rows if not r.snippets]
    head = ["engine", "docs", "index s", "MB/s", "index MB", "open ms"]
    head += [f"{c} in-process p50/p95/p99 µs" for c in classes]
    head += [f"{c} once mean/p99 µs" for c in classes]
    head.append("batch µs/query")
    lines = []
    for r in plain:
        cells = [r.engine, r.docs, f"{float(r.index_s):.2f}",
                 f"{int(r.input_bytes) / 1e6 / float(r.index_s):.1f}", size_cell(r),
                 f"{float(r.open_us) / 1e3:.3f}"]
        figures = {c: cells_of(r, per_class[c]) for c in classes}
        cells += [" / ".join(f"{figures[c][f'in {p}']:.0f}" for p in ("p50", "p95", "p99"))
                  for c in classes]
        cells += [f"{figures[c]['once mean']:.0f} / {figures[c]['once p99']:.0f}"
                  for c in classes]
        cells.append(f"{r.batch_us(nq):.0f}")
        lines.append(cells)
    out += ["Without snippets (top 10 ids; scry: --no-snippets):", ""]
    out += table(head, lines)

    snip = [r for r in rows if r.snippets or r.name == "scry"]
    head = ["engine", "index s", "index MB", "snippet chars", "batch µs/query"]
    head += [f"{c} once mean/p99 µs (fetch mean)" for c in classes]
    head += [f"{c} in-process p50/p99 µs" for c in classes]
    lines = []
    for r in snip:
        figures = {c: cells_of(r, per_class[c]) for c in classes}
        cells = [r.engine if r.snippets else "scry (--no-snippets)", f"{float(r.index_s):.2f}",
                 size_cell(r), f"{r.snippet_chars:.0f}" if r.snippets else "-",
                 f"{r.batch_us(nq):.0f}"]
        cells += [f"{figures[c]['once mean']:.0f} / {figures[c]['once p99']:.0f} "
                  f"({figures[c]['fetch mean']:.0f})" for c in classes]
        cells += [f"{figures[c]['in p50']:.0f} / {figures[c]['in p99']:.0f}" for c in classes]
        lines.append(cells)
    out += ["", "With snippets of the 10 hits (fetch: reading the hits' ids and making their "
            "snippets, in the once-run query):", ""]
    out += table(head, lines)
    return out


def sanity_table(rows, per_class):
    classes = [c for c in CLASSES if per_class[c]]
    head = ["engine"] + [f"{c}: zero-hit queries" for c in classes]
    head += [f"{c}: top-10 overlap with scry" for c in classes]
    reference = next(r for r in rows if r.name == "scry").hits
    lines = []
    for r in rows:
        cells = [r.engine]
        for c in classes:
            zero = sum(1 for t in per_class[c] if t not in r.hits)
            cells.append(f"{zero} of {len(per_class[c])}")
        for c in classes:
            shares = []
            for t in per_class[c]:
                a, b = set(reference.get(t, [])), set(r.hits.get(t, []))
                if a or b:
                    shares.append(len(a & b) / max(len(a), len(b)))
            cells.append(f"{sum(shares) / len(shares):.3f} ({len(shares)} q)" if shares else "-")
        lines.append(cells)
    return table(head, lines)


def ratio_cell(ratio, target, verdicts):
    met = ratio >= target
    verdicts.append(met)
    return f"{ratio:.2f}× ({target}×: {'met' if met else 'not met'})"


def ratio_tables(rows, per_class, nq):
    """The ratios to the targets; empty when no peer ran."""
    by_name = {r.name: r for r in rows}
    scry, scry_snip = by_name["scry"], by_name.get("scry-snippets")
    peers = [n for n in ("xapian", "fts5") if n in by_name]
    classes = [c for c in CLASSES if per_class[c]]
    verdicts = []
    out = []
    if peers:
        head = ["measure"] + [f"vs {by_name[p].engine} (target)" for p in peers]
        lines = []

        def target(peer, measure):
            return XAPIAN_TARGETS[measure] if peer == "xapian" else FTS5_TARGET

        cells = ["batch, whole process"]
        for p in peers:
            cells.append(ratio_cell(by_name[p].batch_us(nq) / scry.batch_us(nq),
                                    target(p, "batch"), verdicts))
        lines.append(cells)
        for c in classes:
            mine = cells_of(scry, per_class[c])
            theirs = {p: cells_of(by_name[p], per_class[c]) for p in peers}
            for key, measure, label in (("once mean", "mean", "once-run mean"),
                                        ("once p99", "p99", "once-run p99"),
                                        ("in p50", "p50", "in-process p50"),
                                        ("in p99", "p99", "in-process p99")):
                cells = [f"{c}: {label}"]
                for p in peers:
                    cells.append(ratio_cell(theirs[p][key] / mine[key], target(p, measure),
                                            verdicts))
                lines.append(cells)
        out += ["Ratios without snippets (peer time / scry time; above 1 scry is faster):", ""]
        out += table(head, lines)

    snip_peers = [r for r in rows if r.snippets and r.name != "scry-snippets"]
    if scry_snip and snip_peers:
        head = ["measure", "fastest peer", "ratio (target)"]
        lines = []

        def add(label, value):
            best = min(snip_peers, key=value)
            lines.append([label, best.engine,
                          ratio_cell(value(best) / value(scry_snip), SNIPPET_TARGET, verdicts)])

        add("batch with snippets, whole process", lambda r: r.batch_us(nq))
        for c in classes:
            # Snippets are made for hits: a query without any is left out.
            tags = [t for t in per_class[c] if t in scry_snip.hits]
            if not tags:
                continue
            label = f"{c} ({len(tags)} q with hits)"
            add(f"{label}: fetch (ids + snippets) once-run mean",
                lambda r, tags=tags: cells_of(r, tags)["fetch mean"])
            add(f"{label}: query with snippets once-run mean",
                lambda r, tags=tags: cells_of(r, tags)["once mean"])
            add(f"{label}: query with snippets in-process p50",
                lambda r, tags=tags: cells_of(r, tags)["in p50"])
        out += ["", "Ratios with snippets (fastest peer's time / scry's; per class over the "
                "queries where scry found hits):", ""]
        out += table(head, lines)
    if verdicts:
        out += ["", f"Targets met: {sum(verdicts)} of {len(verdicts)}."]
    return out


def main():
    run = sys.argv[1]
    queries = [row[0] for row in read_tsv(os.path.join(run, "queries.tsv"))]
    per_class = {c: [t for t in queries if cls_of(t) == c] for c in CLASSES}
    rows = [Row(run, fields) for fields in read_tsv(os.path.join(run, "summary.tsv"))]

    out = []
    with open(os.path.join(run, "header.md"), encoding="utf-8") as f:
        out.append(f.read().rstrip("\n"))
    out.append("")
    out += speed_tables(rows, per_class, len(queries))
    out.append("")
    out += sanity_table(rows, per_class)
    ratios = ratio_tables(rows, per_class, len(queries))
    if ratios:
        out.append("")
        out += ratios
    print("\n".join(out))


if __name__ == "__main__":
    main()
