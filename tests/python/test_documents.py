"""Index.document and Index.stats say what scry-search --doc and --list say."""

import json
import pickle

import pytest
import scry
from conftest import SCRY_SEARCH, run


def listed(index):
    status, out, err = run(SCRY_SEARCH, index, "--list", "--format", "json")
    assert status == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_document_equals_scry_search_doc(random_index):
    index = scry.Index(random_index)
    ids = [record["id"] for record in listed(random_index)]
    assert len(ids) == 598  # 600 documents, two deleted; d0..d49 replaced.
    for doc_id in ids[::37] + ["d0", "d49"]:
        status, out, err = run(SCRY_SEARCH, random_index, "--doc", doc_id, "--format", "json")
        assert status == 0, err
        expected = json.loads(out)
        doc = index.document(doc_id)
        assert (doc.id, doc.title, doc.source, doc.body) == (
            expected["id"], expected["title"], expected["source"], expected["text"])
        assert doc.length > 0
    assert pickle.loads(pickle.dumps(doc)) == doc


def test_missing_and_deleted_documents_are_key_errors(random_index):
    index = scry.Index(random_index)
    for doc_id in ["d100", "d101", "nope", ""]:
        with pytest.raises(KeyError) as caught:
            index.document(doc_id)
        assert caught.value.args == (doc_id,)


def test_replaced_document_is_the_newer_one(random_index, random_corpus):
    index = scry.Index(random_index)
    assert index.document("d0").source.endswith("more.jsonl:1")
    assert index.document("d50").source.endswith("docs.jsonl:51")


def test_stats(random_index):
    stats = scry.Index(random_index).stats()
    assert stats["documents"] == len(listed(random_index))
    assert stats["deleted"] == 52  # d0..d49 replaced, d100 and d101 deleted.
    assert stats["format_version"] >= 3
    assert stats["created_by"].startswith("scry-index ")
    assert stats["analyzer"] == {"version": 2, "stem": True, "stop_words": "snowball"}
    assert [s["documents"] for s in stats["segments"]] == [548, 50]
    assert sum(s["deleted"] for s in stats["segments"]) == stats["deleted"]
    assert 0 < stats["average_length"]["title"] < stats["average_length"]["text"]
    assert stats["path"] == str(random_index)
