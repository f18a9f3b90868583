"""Index.search and Index.count give scry-search's answers: the same ids,
ranks, scores, titles, sources, snippets and highlights, on the bundled
corpus and on random queries over a random corpus of three segments."""

import math
import os
import pickle
import shutil
import subprocess
import sys

import pytest
import scry
from conftest import random_queries, run, search_json, SCRY_SEARCH


def byte_ranges(text, highlights):
    """Character (start, end) offsets of `text` as UTF-8 byte offsets."""
    return [[len(text[:s].encode()), len(text[:e].encode())] for s, e in highlights]


def assert_same(hits, records):
    assert [h.id for h in hits] == [r["id"] for r in records]
    for hit, record in zip(hits, records):
        assert hit.rank == record["rank"]
        assert f"{hit.score:.6f}" == f"{record['score']:.6f}"  # As scry-search prints it.
        assert hit.title == record["title"]
        assert hit.source == record["source"]
        if "snippet" in record:
            assert hit.snippet == record["snippet"]
            assert byte_ranges(hit.snippet, hit.highlights) == record["matches"]
            for start, end in hit.highlights:
                assert 0 <= start < end <= len(hit.snippet)
        else:
            assert hit.snippet is None and hit.highlights == ()


CORPUS_QUERIES = [
    "huawei",
    "huawei +ascend",
    '"trillion yuan"',
    "zhipu -huawei",
    "title:zhipu",
    "valu*",
    "glm OR image",
    "sanctions AND (huawei OR chip)",
]


@pytest.mark.parametrize("query", CORPUS_QUERIES)
def test_corpus_queries_equal_scry_search(corpus_index, query):
    records = search_json(corpus_index, [query], "-k", "10")[0]
    assert records, "every query here has a hit in corpus/"
    with scry.Index(corpus_index) as index:
        hits = index.search(query)
        assert_same(hits, records)
        assert hits.total == index.count(query)


def test_random_queries_equal_scry_search(random_index):
    queries = random_queries(300, seed=1602)
    index = scry.Index(random_index)
    for k, offset, extra in [(10, 0, []), (3, 5, ["--offset", "5"]), (50, 0, ["--no-snippets"])]:
        expected = search_json(random_index, queries, "-k", str(k), *extra)
        compared = 0
        for i, query in enumerate(queries):
            try:
                hits = index.search(query, k=k, offset=offset, snippets="--no-snippets" not in extra)
            except scry.QuerySyntaxError as error:
                assert expected[i] and "error" in expected[i][0], query
                assert expected[i][0]["error"] == error.reason
                assert expected[i][0]["column"] == error.column
                continue
            assert_same(hits, expected[i])
            compared += len(hits)
        assert compared > 100, "the random queries should have hits"


def test_count_is_the_number_of_matches(random_index):
    index = scry.Index(random_index)
    queries = [q for q in random_queries(80, seed=7) if not q.startswith("(")]
    status, out, err = run(SCRY_SEARCH, random_index, "--count", stdin="\n".join(queries) + "\n")
    assert status in (0, 1, 2), err
    counts = {}
    for line in out.splitlines():
        tag, value = line.split("\t") if "\t" in line else (None, line)
        counts[int(tag)] = int(value)
    checked = 0
    for i, query in enumerate(queries, 1):
        try:
            n = index.count(query)
        except scry.QuerySyntaxError:
            continue
        assert n == counts[i], query
        every = index.search(query, k=1000, snippets=False)
        assert every.total_exact and every.total == n == len(every)
        checked += 1
    assert checked > 50


def test_plain_text_and_offsets(corpus_index):
    index = scry.Index(corpus_index)
    # Plain text: operators are words, a stray quote is no error.
    with pytest.raises(scry.QuerySyntaxError):
        index.search('huawei "ascend')
    plain = index.search('huawei "ascend', plain=True)
    assert [h.id for h in plain] == [r["id"] for r in search_json(corpus_index, ['huawei "ascend'], "--plain")[0]]
    every = index.search("huawei", k=5)
    assert [h.id for h in index.search("huawei", k=2, offset=1)] == [h.id for h in every[1:3]]
    assert [h.rank for h in index.search("huawei", k=2, offset=1)] == [2, 3]
    assert index.search("huawei", snippets=False)[0].snippet is None
    assert index.search("the of and").total == 0  # Stop words only: no term.


def test_scry_search_options_give_its_answers(random_index, corpus_index):
    # --title-weight, --typos, --k1 and --b, as keyword arguments.
    queries = [q for q in random_queries(60, seed=1207) if not q.startswith("(")]
    index = scry.Index(random_index)
    cases = [
        ({"title_weight": 0}, ["--title-weight", "0"]),
        ({"typos": True}, ["--typos"]),
        ({"typos": (4, 6), "k1": 2.0, "b": 0.3}, ["--typos", "--typo-lengths", "4,6", "--k1", "2", "--b", "0.3"]),
        ({"typos": 4}, ["--typos", "--typo-lengths", "4"]),
    ]
    for options, flags in cases:
        expected = search_json(random_index, queries, *flags)
        compared = 0
        for i, query in enumerate(queries):
            try:
                hits = index.search(query, **options)
            except scry.QuerySyntaxError:
                continue
            assert_same(hits, expected[i])
            compared += len(hits)
        assert compared > 50, options
    counts, tolerant = {}, {}
    for query in queries[:30]:
        try:
            counts[query] = index.count(query)
        except scry.QuerySyntaxError:
            continue
        tolerant[query] = index.count(query, typos=True)
    assert len(counts) > 10
    assert all(tolerant[q] >= counts[q] for q in counts)
    misspelt = scry.Index(corpus_index)
    assert misspelt.count("huawie") == 0
    assert misspelt.count("huawie", typos=True) == misspelt.count("huawei") > 0


def test_verify_finds_what_searches_do_not(corpus_index, tmp_path):
    copy = tmp_path / "copy.idx"
    shutil.copytree(corpus_index, copy)
    with scry.Index(copy) as index:
        assert index.verify() >= 6
    store = copy / "seg1.store"
    data = bytearray(store.read_bytes())
    data[len(data) // 2] ^= 0x20  # Inside the text frames.
    store.write_bytes(bytes(data))
    with scry.Index(copy) as index:
        # No error: searches do not checksum (nor read the text without snippets).
        assert index.search("huawei", snippets=False)
        with pytest.raises(scry.CorruptIndexError, match="seg1.store"):
            index.verify()


def test_hits_pickle(corpus_index):
    hits = scry.Index(corpus_index).search("huawei")
    copy = pickle.loads(pickle.dumps(hits))
    assert copy == hits and copy.total == hits.total and copy.total_exact == hits.total_exact
    assert isinstance(copy[0], scry.Hit)
    first = hits[:2]  # A slice keeps the total.
    assert isinstance(first, scry.Hits) and list(first) == list(hits)[:2]
    assert (first.total, first.total_exact) == (hits.total, hits.total_exact)


def test_bad_arguments(corpus_index):
    index = scry.Index(corpus_index)
    with pytest.raises(ValueError, match="k: expected a whole number from 1"):
        index.search("huawei", k=0)
    with pytest.raises(TypeError):
        index.search("huawei", k=2.5)
    with pytest.raises(ValueError, match="timeout"):
        index.search("huawei", timeout=-1)
    assert index.search("huawei", timeout=math.inf) == index.search("huawei", timeout=1e20)
    with pytest.raises(TypeError, match="query: expected a str"):
        index.search(None)
    with pytest.raises(TypeError, match="id: expected a str"):
        index.document(None)
    with pytest.raises(ValueError, match="title_weight: expected a number from 0 to 100"):
        index.search("huawei", title_weight=101)
    with pytest.raises(ValueError, match="b: expected a number from 0 to 1"):
        index.search("huawei", b=1.5)
    with pytest.raises(ValueError, match="k1: expected a number >= 0"):
        index.search("huawei", k1=-1)
    with pytest.raises(ValueError, match="typos: expected True, ONE or"):
        index.search("huawei", typos=(9, 5))


def test_index_pickles_as_its_path_into_another_process(corpus_index):
    # As a Dask worker started with PYTHONPATH=BUILD/python receives it: a
    # new /usr/bin/python3 process unpickles the Index, opens it again and
    # sends back pickled hits.
    index = scry.Index(corpus_index)
    assert pickle.loads(pickle.dumps(index)).search("huawei") == index.search("huawei")
    worker = subprocess.run(
        [sys.executable, "-c",
         "import pickle, sys; index = pickle.load(sys.stdin.buffer); "
         "pickle.dump(index.search('huawei +ascend'), sys.stdout.buffer)"],
        input=pickle.dumps(index), capture_output=True, check=True,
        env={"PYTHONPATH": os.environ["PYTHONPATH"], "PATH": os.environ.get("PATH", "")},
    )
    assert pickle.loads(worker.stdout) == index.search("huawei +ascend")
