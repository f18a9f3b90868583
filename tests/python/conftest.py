"""Fixtures of the Python package's tests (docs/PYTHON.md).

ctest runs these with Debian's Python (SCRY_PYTHON) and sets PYTHONPATH to
BUILD/python, SCRY_BINARY_DIR and SCRY_SOURCE_DIR (tests/CMakeLists.txt).
Indexes are built with the scry-index program, so that what the package
reads is what the command line wrote, and compared with scry-search's
answers.
"""

import json
import os
import random
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("SCRY_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BINARY_DIR = Path(os.environ.get("SCRY_BINARY_DIR", SOURCE_DIR / "build"))
SCRY_INDEX = BINARY_DIR / "indexer" / "scry-index"
SCRY_SEARCH = BINARY_DIR / "searcher" / "scry-search"
CORPUS = SOURCE_DIR / "corpus"

# The words of the random corpus: a few common ones (many matches, some
# stop words), many rare ones.
WORDS = (
    ["the", "of", "and", "model", "chip", "data", "search", "index", "token", "price"]
    + [f"w{i}" for i in range(300)]
    + ["zhipu", "huawei", "ascend", "glm", "valuation", "running", "runs", "ran"]
)


def run(program, *args, stdin=None):
    """Runs a scry program; returns (exit status, stdout, stderr) as text."""
    done = subprocess.run(
        [str(program), *map(str, args)], input=stdin, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout, done.stderr


def search_json(index, queries, *extra):
    """scry-search's JSON lines for `queries` (one a line on stdin), grouped by query."""
    status, out, err = run(SCRY_SEARCH, index, "--format", "json", *extra, stdin="\n".join(queries) + "\n")
    assert status in (0, 1, 2), err
    answers = {i: [] for i in range(len(queries))}
    for line in out.splitlines():
        record = json.loads(line)
        answers[int(record["query"]) - 1].append(record)
    return answers


def random_words_jsonl(path, documents, seed):
    """A JSON lines corpus of `documents` random documents (fixed `seed`)."""
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) for rank in range(len(WORDS))]
    with open(path, "w", encoding="utf-8") as out:
        for n in range(documents):
            title = " ".join(rng.choices(WORDS, weights, k=rng.randint(1, 5)))
            body = " ".join(rng.choices(WORDS, weights, k=rng.randint(0, 120)))
            out.write(json.dumps({"id": f"d{n}", "title": title, "body": body}) + "\n")


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """An index of the bundled corpus/, built by scry-index."""
    index = tmp_path_factory.mktemp("corpus") / "corpus.idx"
    status, _, err = run(SCRY_INDEX, "-q", CORPUS, "-o", index)
    assert status == 0, err
    return index


@pytest.fixture(scope="session")
def random_corpus(tmp_path_factory):
    """A random JSON lines corpus of 600 documents (seed 16)."""
    path = tmp_path_factory.mktemp("random") / "docs.jsonl"
    random_words_jsonl(path, 600, seed=16)
    return path


@pytest.fixture(scope="session")
def random_index(random_corpus):
    """The random corpus indexed by scry-index, in three segments (two updates),
    with some documents replaced and deleted."""
    index = random_corpus.parent / "random.idx"
    status, _, err = run(SCRY_INDEX, "-q", random_corpus, "-o", index)
    assert status == 0, err
    more = random_corpus.parent / "more.jsonl"
    random_words_jsonl(more, 50, seed=17)  # Ids d0..d49 again: replaces them.
    status, _, err = run(SCRY_INDEX, "-q", "--update", more, "-o", index)
    assert status == 0, err
    status, _, err = run(SCRY_INDEX, "-q", "--delete", "d100", "d101", "-o", index)
    assert status == 0, err
    return index


def random_queries(count, seed):
    """`count` random queries of scry's query language (some not parsing)."""
    rng = random.Random(seed)

    def word():
        w = rng.choice(WORDS)
        r = rng.random()
        if r < 0.1:
            return w[: rng.randint(1, max(1, len(w) - 1))] + "*"
        if r < 0.2:
            return "title:" + w
        if r < 0.3:
            return '"' + " ".join(rng.choices(WORDS[:60], k=rng.randint(2, 3))) + '"'
        return w

    queries = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 4)):
            op = rng.choice(["", "", "", "+", "-"])
            parts.append(op + word())
            if rng.random() < 0.15:
                parts.append(rng.choice(["AND", "OR"]))
        query = " ".join(parts)
        if rng.random() < 0.1:
            query = "(" + query
        queries.append(query)
    return queries
