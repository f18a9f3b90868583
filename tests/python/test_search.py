"""Index.search and Index.count give scry-search's answers: the same ids,
ranks, scores, titles, sources, snippets and highlights, on the bundled
corpus and on random queries over a random corpus of three segments."""

import os
import pickle
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


def test_hits_pickle(corpus_index):
    hits = scry.Index(corpus_index).search("huawei")
    copy = pickle.loads(pickle.dumps(hits))
    assert copy == hits and copy.total == hits.total and copy.total_exact == hits.total_exact
    assert isinstance(copy[0], scry.Hit)


def test_bad_arguments(corpus_index):
    index = scry.Index(corpus_index)
    with pytest.raises(ValueError, match="k: expected a whole number from 1"):
        index.search("huawei", k=0)
    with pytest.raises(TypeError):
        index.search("huawei", k=2.5)
    with pytest.raises(ValueError, match="timeout"):
        index.search("huawei", timeout=-1)


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
