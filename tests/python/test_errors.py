"""Errors are exceptions carrying the command line's one-line messages."""

import pickle
import shutil

import pytest
import scry
from conftest import SCRY_SEARCH, run


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
