"""scry.build does what scry-index does: the same index files, the same
errors (the index at `out` then left as it was), updates, deletes, merges."""

import array
import fcntl
import json
import os
import shutil
import signal
import termios
import threading
import time

import pytest
import scry
from conftest import CORPUS, SCRY_INDEX, random_words_jsonl, run


def files_of(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def cli_error(*args):
    """scry-index's error line, without its "scry-index: error: " prefix."""
    status, _, err = run(SCRY_INDEX, "-q", *args)
    assert status == 2
    prefix = "scry-index: error: "
    line = err.splitlines()[-1]
    assert line.startswith(prefix)
    return line[len(prefix):]


def test_build_writes_what_scry_index_writes(tmp_path, random_corpus):
    for inputs, options, cli in [
        ([CORPUS], {}, []),
        ([random_corpus], {"threads": 2, "memory": "64K", "stopwords": "lucene", "stem": False},
         ["-j", "2", "-m", "64K", "--stopwords", "lucene", "--no-stem"]),
    ]:
        ours, theirs = tmp_path / "ours.idx", tmp_path / "theirs.idx"
        summary = scry.build(inputs, ours, **options)
        status, _, err = run(SCRY_INDEX, "-q", *cli, *inputs, "-o", theirs)
        assert status == 0, err
        assert files_of(ours) == files_of(theirs)
        assert summary["changed"] and summary["documents"] == scry.Index(ours).stats()["documents"]
        assert summary["warnings"] == []
        shutil.rmtree(ours)
        shutil.rmtree(theirs)


def test_failed_build_keeps_the_old_index(tmp_path, corpus_index):
    out = tmp_path / "kept.idx"
    shutil.copytree(corpus_index, out)
    before = files_of(out)
    hits = [h.id for h in scry.Index(out).search("huawei")]
    missing = tmp_path / "no-such-folder"
    with pytest.raises(scry.BuildError) as caught:
        scry.build([missing], out)
    assert str(caught.value) == cli_error(missing, "-o", tmp_path / "other.idx")
    assert caught.value.code == "not_found"
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(scry.BuildError, match="no documents to index; index not written"):
        scry.build([empty], out)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\0\1\2")
    with pytest.raises(scry.BuildError, match="1 input skipped and strict is set"):
        scry.build([CORPUS, binary], out, strict=True)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"Caf\xe9 au lait")
    with pytest.raises(
        scry.BuildError, match="1 invalid UTF-8 sequence replaced and strict is set"
    ):
        scry.build([CORPUS, latin1], out, strict=True)
    assert files_of(out) == before
    assert [h.id for h in scry.Index(out).search("huawei")] == hits
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_update_delete_merge(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha\nthe first document about zebras\n")
    (folder / "b.txt").write_text("Beta\nthe second document about zebras\n")
    out = tmp_path / "changing.idx"
    built = scry.build([folder], out)
    assert built["documents"] == 2
    # Every file of the index counts, FILES included.
    assert built["index_bytes"] == sum(f.stat().st_size for f in out.iterdir())
    assert scry.build([folder], out, update=True)["changed"] is False
    (folder / "c.txt").write_text("Gamma\nthe third document about zebras\n")
    (folder / "a.txt").unlink()
    summary = scry.build([folder], out, update=True)
    assert (summary["added"], summary["deleted"], summary["files_removed"]) == (1, 1, 1)
    assert scry.Index(out).count("zebras") == 2
    opened = scry.Index(out)
    c_id = opened.search("gamma")[0].id
    summary = scry.build([c_id, "nope"], out, delete=True)
    assert (summary["deleted"], summary["not_found"]) == (1, ["nope"])
    assert summary["warnings"] == ['no document with id "nope"']
    assert scry.Index(out).count("zebras") == 1
    # An Index answers from the version it opened, until reopen().
    assert opened.count("zebras") == 2
    opened.reopen()
    assert opened.count("zebras") == 1
    opened.close()
    with pytest.raises(ValueError):
        opened.reopen()
    with pytest.raises(scry.BuildError) as caught:
        scry.build(["nope"], out, delete=True)
    assert str(caught.value) == cli_error("--delete", "nope", "-o", out)
    assert scry.build([], out, merge=True)["segments"] == 1
    assert scry.Index(out).stats()["segments"][0]["documents"] == 1
    # A merge with nothing to merge changes nothing, and says what is there.
    unchanged = scry.build([], out, merge=True)
    assert not unchanged["changed"]
    assert (unchanged["segments"], unchanged["documents"]) == (1, 1)
    assert unchanged["index_bytes"] == sum(f.stat().st_size for f in out.iterdir())


def test_warnings_are_returned(tmp_path):
    docs = tmp_path / "dup.jsonl"
    docs.write_text(
        json.dumps({"id": "x", "body": "one"}) + "\n" + json.dumps({"id": "x", "body": "two " * 600}) + "\n"
    )
    summary = scry.build([docs], tmp_path / "dup.idx", max_doc_size=1024)
    assert summary["replaced"] == 1 and summary["truncated"] == 1 and summary["documents"] == 1
    assert any('id "x" seen again' in w for w in summary["warnings"])
    assert any("truncated" in w for w in summary["warnings"])


def test_locked_index_without_waiting(tmp_path, corpus_index):
    out = tmp_path / "locked.idx"
    shutil.copytree(corpus_index, out)
    with open(tmp_path / ".locked.idx.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # As another scry-index would.
        with pytest.raises(scry.BuildError, match="locked by another writer") as caught:
            scry.build([CORPUS], out, wait=False)
        assert caught.value.code == "io_error"


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        ([CORPUS], {"update": True, "delete": True}, ValueError, "update and delete cannot be combined"),
        ([CORPUS], {"update": True, "stem": False}, ValueError, "stem applies to a build only"),
        ([CORPUS], {"merge": True}, ValueError, "merge takes no input"),
        ([], {}, ValueError, "no input given"),
        ([], {"delete": True}, ValueError, "delete: no id given"),
        ([CORPUS], {"memory": "10K"}, ValueError, "memory: at least 64K is needed"),
        ([CORPUS], {"memory": "lots"}, ValueError, "memory: "),
        ([CORPUS], {"memory": 1.5}, TypeError, "memory"),
        ([CORPUS], {"threads": 0}, ValueError, "threads: must be from 1 to 1024"),
        ([CORPUS], {"max_doc_size": "2G"}, ValueError, "max_doc_size: must be from 1K to 1G"),
        ([CORPUS], {"stopwords": "french"}, ValueError, "stopwords: unknown list 'french'"),
    ],
)
def test_bad_options(tmp_path, args, kwargs, error, message):
    out = tmp_path / "never.idx"
    with pytest.raises(error, match=message):
        scry.build(args, out, **kwargs)
    assert not out.exists()


def unread(pipe):
    """Bytes written to `pipe` and not read yet."""
    count = array.array("i", [0])
    fcntl.ioctl(pipe.fileno(), termios.FIONREAD, count)
    return count[0]


def test_ctrl_c_stops_a_build_and_keeps_the_index(tmp_path, corpus_index):
    # build() reads standard input in this (the main) thread; a helper
    # thread writes documents, waits until build() has read them (so that
    # it is running), sends SIGINT to this thread, writes more.
    out = tmp_path / "interrupted.idx"
    shutil.copytree(corpus_index, out)
    before = files_of(out)
    read_end, write_end = os.pipe()
    saved_stdin = os.dup(0)
    os.dup2(read_end, 0)
    os.close(read_end)
    main = threading.get_ident()

    def feed():
        with os.fdopen(write_end, "w") as pipe:
            for n in range(400):
                if n == 100:
                    pipe.flush()
                    while unread(pipe) > 0:
                        time.sleep(0.001)
                    signal.pthread_kill(main, signal.SIGINT)
                pipe.write(json.dumps({"id": f"i{n}", "body": f"text {n}"}) + "\n")

    feeder = threading.Thread(target=feed)
    try:
        feeder.start()
        with pytest.raises(KeyboardInterrupt):
            scry.build(["-"], out)
    finally:
        feeder.join()
        os.dup2(saved_stdin, 0)
        os.close(saved_stdin)
    assert files_of(out) == before
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []
