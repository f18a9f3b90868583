"""Errors are exceptions carrying the command line's one-line messages."""

import os
import pickle
import shutil

import pytest
import scry
from conftest import CORPUS, SCRY_SEARCH, run


def cli_error(*args):
    """scry-search's error line, without its "scry-search: error: " prefix."""
    status, _, err = run(SCRY_SEARCH, *args)
    assert status == 2
    first = err.splitlines()[0]
    prefix = "scry-search: error: "
    assert first.startswith(prefix)
    return first[len(prefix):]


@pytest.mark.parametrize(
    "query, column",
    [("huawei )", 8), ('title:"trillion yuan', 7), ("(a b", 1), ("模型 (", 4), ("a OR", 3)],
)
def test_syntax_error_column(corpus_index, query, column):
    index = scry.Index(corpus_index)
    with pytest.raises(scry.QuerySyntaxError) as caught:
        index.search(query)
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, scry.Error)
    assert error.column == column and error.query == query
    assert str(error) == cli_error(corpus_index, "--", query)
    assert str(error) == f"query:{column}: {error.reason}"
    with pytest.raises(scry.QuerySyntaxError):
        index.count(query)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.column, copy.query, str(copy)) == (column, query, str(error))


def test_missing_index(tmp_path):
    missing = tmp_path / "nothing.idx"
    with pytest.raises(scry.IndexOpenError) as caught:
        scry.Index(missing)
    assert str(caught.value) == cli_error(missing, "huawei")
    assert caught.value.code == "not_found"


def test_names_and_queries_that_are_not_utf8(corpus_index, tmp_path):
    # A folder whose name holds a byte that is not UTF-8 (as os.fsdecode
    # gives it: a surrogate escape) builds, opens and reports as a name.
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    folder.mkdir()
    out = folder / "x.idx"
    assert scry.build([CORPUS], out)["documents"] == 5
    index = scry.Index(out)
    assert index.path == os.fspath(out) and index.count("huawei") > 0
    missing = os.fsencode(tmp_path) + b"/no\xff.idx"
    with pytest.raises(scry.IndexOpenError, match="no such index") as caught:
        scry.Index(missing)
    assert "no\ufffd.idx" in str(caught.value)
    # A lone surrogate in a query is invalid UTF-8 at its column, as the
    # command line reports invalid bytes.
    with pytest.raises(scry.QuerySyntaxError) as caught:
        index.search("hua\ud800wei")
    assert (caught.value.column, caught.value.reason) == (4, "invalid UTF-8")
    # Its three bytes (ED A0 80) are three invalid subparts, as the library repairs them.
    assert caught.value.query == "hua\ufffd\ufffd\ufffdwei"


def test_damaged_index(corpus_index, tmp_path):
    damaged = tmp_path / "damaged.idx"
    shutil.copytree(corpus_index, damaged)
    manifest = damaged / "MANIFEST"
    data = bytearray(manifest.read_bytes())
    data[10] ^= 0x20
    manifest.write_bytes(bytes(data))
    with pytest.raises(scry.IndexOpenError) as caught:
        scry.Index(damaged)
    assert str(caught.value) == cli_error(damaged, "huawei")
    assert caught.value.code == "corruption"


def test_closed_index(corpus_index):
    index = scry.Index(corpus_index)
    index.close()
    assert index.closed
    with pytest.raises(ValueError, match="closed"):
        index.search("huawei")
    with pytest.raises(ValueError, match="closed"):
        index.stats()


def test_damage_met_while_reading(corpus_index, tmp_path):
    # Bytes flipped in the document store: the index opens, reading a hit's
    # text fails. Python raises CorruptIndexError where scry-search fails,
    # with its message, and answers as it does elsewhere.
    store = next(corpus_index.glob("*.store"))
    size = store.stat().st_size
    errors = 0
    for n, offset in enumerate(range(size // 32, size - 64, size // 32)):
        damaged = tmp_path / f"damaged{n}.idx"
        shutil.copytree(corpus_index, damaged)
        target = damaged / store.name
        data = bytearray(target.read_bytes())
        data[offset : offset + 8] = bytes(b ^ 0xFF for b in data[offset : offset + 8])
        target.write_bytes(bytes(data))
        status, out, err = run(SCRY_SEARCH, damaged, "--format", "tsv", "huawei")
        index = scry.Index(damaged)
        if status == 2:
            with pytest.raises(scry.CorruptIndexError) as caught:
                index.search("huawei")
            assert str(caught.value) == cli_error(damaged, "huawei")
            assert caught.value.code == "corruption"
            errors += 1
        else:
            assert [h.id for h in index.search("huawei")] == [line.split("\t")[2] for line in out.splitlines()]
    assert errors > 0
