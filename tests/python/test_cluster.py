"""scry.cluster on a real Dask cluster (docs/DISTRIBUTED.md): a `dask
scheduler` and two `dask worker` processes started on 127.0.0.1 on free
ports; the cluster build is compared with `scry-index --shards N` over the
same documents, and the cluster search's output with scry-search's, byte
for byte; a worker is killed by its pid during a build and during a search
session, a shard is made impossible to open, and everything is shut down.
Skipped when python3-distributed is absent, except under CI=true."""

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from unittest import mock

import pytest
import scry
from scry.cluster.cli import main as cluster_cli_main
from conftest import SCRY_INDEX, SCRY_SEARCH, random_queries, random_words_jsonl, run, search_json

try:
    import distributed
except ImportError:
    distributed = None
    if os.environ.get("CI") == "true":
        raise
    pytestmark = pytest.mark.skip(
        reason="python3-distributed is not installed (apt-get install python3-distributed)")

# Bounds on every wait, so that a hung cluster fails the test instead of CI.
STARTUP_S = 30
BUILD_S = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cluster_cli(*args, timeout=BUILD_S):
    done = subprocess.run([sys.executable, "-m", "scry.cluster", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, check=False)
    return done.returncode, done.stdout, done.stderr


def dask(module, *args, log):
    """A dask process (`python3 -m distributed.cli.MODULE ARGS`) in its own
    process group, its output in `log`."""
    return subprocess.Popen([sys.executable, "-m", f"distributed.cli.{module}", *args],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


class Cluster:
    def __init__(self, folder):
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.log = open(folder / "dask.log", "w")
        self.processes = []
        port = self.address.rsplit(":", 1)[1]
        self.processes.append(dask("dask_scheduler", "--host", "127.0.0.1", "--port", port,
                                   "--no-dashboard", log=self.log))
        self.workers = []
        self.client = None
        try:
            for _ in range(2):
                self.start_worker()
            self.client = distributed.Client(self.address, timeout=f"{STARTUP_S}s")
            self.client.wait_for_workers(2, timeout=STARTUP_S)
        except BaseException:
            self.close()  # No process left behind when the cluster does not start.
            raise

    def start_worker(self):
        worker = dask("dask_worker", self.address, "--host", "127.0.0.1", "--nthreads", "1",
                      "--no-nanny", "--no-dashboard", "--name", f"w{len(self.processes)}",
                      "--death-timeout", str(STARTUP_S), log=self.log)
        self.processes.append(worker)
        self.workers.append(worker)

    def kill_worker(self, n):
        os.kill(self.workers[n].pid, signal.SIGKILL)
        self.workers[n].wait(timeout=STARTUP_S)
        del self.workers[n]

    def ensure_workers(self, count=2):
        """Starts workers until `count` run (after kills), and waits for them."""
        while len(self.workers) < count:
            self.start_worker()
        deadline = time.monotonic() + STARTUP_S
        while self.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.workers)) \
                != count:
            assert time.monotonic() < deadline, "the workers did not (dis)connect"
            time.sleep(0.05)

    def close(self):
        if self.client is not None:
            self.client.close()
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("dask"))
    yield c
    c.close()


def files_of(folder):
    """Every file under `folder` (relative path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_shard_option_builds_what_scry_index_puts_in_each_shard(tmp_path, random_corpus):
    theirs = tmp_path / "theirs.idx"
    status, _, err = run(SCRY_INDEX, "-q", "--shards", "3", "-j", "1", "-m", "64M",
                         random_corpus, "-o", theirs)
    assert status == 0, err
    ids = set()
    for k in range(3):
        ours = tmp_path / f"shard-{k}"
        scry.build([random_corpus], ours, shard=(k, 3), threads=1, memory="64M")
        status, listed, err = run(SCRY_SEARCH, ours, "--list", "--format", "tsv")
        assert status == 0, err
        shard_ids = {line.split("\t")[0] for line in listed.splitlines()}
        assert shard_ids and all(scry._scry.shard_of(i, 3) == k for i in shard_ids)
        ids |= shard_ids
        _, listed_theirs, _ = run(SCRY_SEARCH, theirs / f"shard-{k}", "--list", "--format", "tsv")
        assert listed == listed_theirs
    assert len(ids) == 600
    with pytest.raises(ValueError):
        scry.build([random_corpus], tmp_path / "bad", shard=(3, 3))
    with pytest.raises(ValueError):
        scry.build([random_corpus], tmp_path / "bad", update=True, shard=(0, 3))


def test_shard_option_writes_an_empty_shard_as_scry_index_does(tmp_path):
    corpus = tmp_path / "one.jsonl"
    corpus.write_text('{"id": "only", "title": "one", "body": "a single document"}\n')
    theirs = tmp_path / "theirs.idx"
    status, _, err = run(SCRY_INDEX, "-q", "--shards", "2", corpus, "-o", theirs)
    assert status == 0, err
    for k in range(2):
        ours = tmp_path / f"shard-{k}"
        summary = scry.build([corpus], ours, shard=(k, 2), threads=1)
        assert summary["documents"] == (scry._scry.shard_of("only", 2) == k)
        for args in (["--list"], ["single"]):
            assert run(SCRY_SEARCH, ours, *args)[:2] == run(SCRY_SEARCH, theirs / f"shard-{k}", *args)[:2]
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(scry.BuildError, match="no documents to index"):
        scry.build([empty], tmp_path / "none", shard=(0, 2))


def same_answers(index, reference, queries):
    for extra in ([], ["--no-snippets", "-k", "7", "--offset", "2"]):
        ours, theirs = search_json(index, queries, *extra), search_json(reference, queries, *extra)
        assert ours == theirs


def test_cluster_build_equals_scry_index_shards(tmp_path, cluster, random_corpus):
    reference = tmp_path / "reference.idx"
    status, _, err = run(SCRY_INDEX, "-q", "--shards", "3", random_corpus, "-o", reference)
    assert status == 0, err
    single = tmp_path / "single.idx"
    status, _, err = run(SCRY_INDEX, "-q", random_corpus, "-o", single)
    assert status == 0, err
    out = tmp_path / "cluster.idx"
    status, summary, err = cluster_cli("build", "--scheduler", cluster.address, "--shards", "3",
                                       random_corpus, "-o", out)
    assert status == 0, err
    assert summary.startswith(f"{out}: 600 documents in 3 shards")
    assert sorted(p.name for p in out.iterdir()) == ["SHARDS", "shard-0", "shard-1", "shard-2"]
    assert (out / "SHARDS").read_bytes() == (reference / "SHARDS").read_bytes()
    queries = random_queries(40, seed=61)
    same_answers(out, reference, queries)
    # Scores as one index over the same documents (ids may differ among equal scores).
    ours, theirs = search_json(out, queries, "--no-snippets"), search_json(single, queries, "--no-snippets")
    for q in ours:
        assert [(h.get("score"), h.get("error")) for h in ours[q]] == [
            (h.get("score"), h.get("error")) for h in theirs[q]]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cluster.idx.tmp")]


def test_failed_cluster_build_leaves_the_index_as_it_was(tmp_path, cluster, random_corpus):
    out = tmp_path / "cluster.idx"
    status, _, err = cluster_cli("build", "--scheduler", cluster.address, "--shards", "2",
                                 tmp_path / "missing.jsonl", "-o", out)
    assert status == 2
    assert err.startswith("scry.cluster: error: ") and len(err.splitlines()) == 1, err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cluster.idx.tmp")]
    status, _, err = cluster_cli("build", "--shards", "0", random_corpus, "-o", out)
    assert status == 2 and "--shards" in err


def test_worker_killed_during_a_build(tmp_path, cluster):
    corpus = tmp_path / "big.jsonl"
    random_words_jsonl(corpus, 20000, seed=62)
    reference = tmp_path / "reference.idx"
    status, _, err = run(SCRY_INDEX, "-q", "--shards", "4", corpus, "-o", reference)
    assert status == 0, err
    out = tmp_path / "cluster.idx"
    build = subprocess.Popen([sys.executable, "-m", "scry.cluster", "build", "--scheduler",
                              cluster.address, "--shards", "4", "-q", corpus, "-o", out],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + STARTUP_S
    victim = cluster.workers[0]
    # Kill worker 0 once it runs a shard's task (or when the build is over).
    while build.poll() is None and time.monotonic() < deadline:
        if any(cluster.client.processing().values()):
            break
        time.sleep(0.02)
    killed_while_running = build.poll() is None
    cluster.kill_worker(0)
    assert victim.returncode == -signal.SIGKILL
    _, err = build.communicate(timeout=BUILD_S)
    assert build.returncode == 0, err
    print("killed while the build ran:", killed_while_running)
    same_answers(out, reference, random_queries(20, seed=63))


# The cluster search: byte for byte scry-search's output on the same index.

SEARCH_S = 60


@pytest.fixture(scope="module")
def sharded(tmp_path_factory, random_corpus):
    """The random corpus in 3 shards (several segments each: an update and a
    delete), and one index over the same documents."""
    folder = tmp_path_factory.mktemp("sharded")
    single = folder / "single.idx"
    out = folder / "sharded.idx"
    more = folder / "more.jsonl"
    random_words_jsonl(more, 50, seed=17)  # Ids d0..d49 again: replaces them.
    for index, shards in ((out, ["--shards", "3"]), (single, [])):
        for args in (["-q", *shards, random_corpus], ["-q", "--update", more],
                     ["-q", "--delete", "d100", "d101"]):
            status, _, err = run(SCRY_INDEX, *args, "-o", index)
            assert status == 0, err
    return out, single


def search_queries(seed):
    """Random queries (phrases, prefixes, title:, exclusions, some not
    parsing), some tagged, a blank line and a query of stop words only."""
    queries = random_queries(30, seed=seed)
    queries[3] = "tagged\t" + queries[3]
    return queries[:10] + ["", "the of"] + queries[10:]


def cluster_search(cluster, *args, stdin=b""):
    """`python3 -m scry.cluster search --scheduler ADDRESS ARGS` run in this
    process (a process each would import Dask each time: seconds), with
    `stdin`: its exit status, stdout and stderr, as bytes."""
    out, err = io.BytesIO(), io.BytesIO()
    streams = {"stdin": io.TextIOWrapper(io.BytesIO(stdin or b"")),
               "stdout": io.TextIOWrapper(out, write_through=True),
               "stderr": io.TextIOWrapper(err, write_through=True)}
    with mock.patch.multiple(sys, **streams):
        try:
            status = cluster_cli_main(["search", "--scheduler", cluster.address, *map(str, args)])
        except SystemExit as exit:
            status = exit.code
        return status, out.getvalue(), err.getvalue()


def scry_search(*args, stdin=None):
    done = subprocess.run([str(SCRY_SEARCH), *map(str, args)], input=stdin, capture_output=True,
                          timeout=SEARCH_S, check=False)
    return done.returncode, done.stdout, done.stderr


def same_as_scry_search(ours, theirs):
    """Exit status and stdout equal; stderr equal but for the program's name."""
    assert ours[0] == theirs[0], ours[2]
    assert ours[1] == theirs[1]
    assert ours[2] == theirs[2].replace(b"scry-search: ", b"scry.cluster: ")


@pytest.mark.parametrize("options", [
    [], ["-f", "tsv"], ["-f", "json"], ["-f", "trec"], ["--no-snippets"],
    ["-f", "json", "--no-snippets", "-k", "7", "--offset", "2"],
    ["-f", "tsv", "--highlight", "markers", "-k", "3", "--offset", "11"],
    ["-f", "tsv", "--plain"], ["--count"], ["-f", "json", "--k1", "0.9", "--b", "0.4",
                                            "--title-weight", "2"],
    ["--explain"], ["-f", "json", "--explain", "-k", "4", "--offset", "3"],
    ["--explain", "--highlight", "markers", "--plain", "-f", "tsv"], ["--explain", "--count"],
])
def test_search_answers_as_scry_search(cluster, sharded, options):
    cluster.ensure_workers()
    index, _ = sharded
    stdin = ("\n".join(search_queries(seed=71)) + "\n").encode()
    same_as_scry_search(cluster_search(cluster, *options, index, stdin=stdin),
                        scry_search(*options, index, stdin=stdin))


def test_no_query_as_scry_search(cluster, sharded):
    cluster.ensure_workers()
    index, _ = sharded
    for stdin in (b"", b"\n \n"):
        ours = cluster_search(cluster, "-f", "tsv", index, stdin=stdin)
        same_as_scry_search(ours, scry_search("-f", "tsv", index, stdin=stdin))
        assert b"no query read" in ours[2]


@pytest.mark.parametrize("query", ["model chip", '"model chip" -data', "pric* title:zhipu",
                                   "(model", "w299", "the"])
def test_one_query_as_scry_search(cluster, sharded, query):
    cluster.ensure_workers()
    index, _ = sharded
    for options in ([], ["-f", "json", "-k", "4"]):
        same_as_scry_search(cluster_search(cluster, *options, index, query),
                            scry_search(*options, index, query))


# Misspelled words (one and two edits, a swap, a word under 5 characters),
# alone and in the query language, and words of the random corpus.
TYPO_QUERIES = ["modle chip", "valuaton", "huawey ascend", "runing", "zhipuu", "serch indx",
                "tokn", "valutaion glm", "title:valuaton", '"model chip" huawey', "-runing ascnd",
                "ascend~1 modl", "w29", "the of", "(serch"]


@pytest.mark.parametrize("options", [
    ["--typos"], ["-f", "tsv", "--typos", "--typo-lengths", "4,8"],
    ["-f", "trec", "--typos", "--typo-lengths", "4", "--plain"], ["--count", "--typos"],
    ["-f", "tsv", "--highlight", "markers", "--typos", "-k", "3", "--offset", "2"],
    ["--explain", "--typos"], ["-f", "tsv", "--explain", "--typos", "--typo-lengths", "4,8"],
    ["-f", "json"], ["-f", "json", "--typos", "-k", "3"], ["-f", "json", "--explain", "--no-snippets"],
])
def test_typo_tolerant_search_answers_as_scry_search(cluster, sharded, options):
    cluster.ensure_workers()
    index, _ = sharded
    stdin = ("\n".join(TYPO_QUERIES + search_queries(seed=73)) + "\n").encode()
    same_as_scry_search(cluster_search(cluster, *options, index, stdin=stdin),
                        scry_search(*options, index, stdin=stdin))


def test_did_you_mean_is_proposed_as_scry_search_does(cluster, sharded):
    """JSON carries did_you_mean (the words of every shard, the corrected
    query's hits counted by the cluster), as scry-search's does."""
    cluster.ensure_workers()
    index, _ = sharded
    for query in ("modle chip", "huawey ascend", "valuaton", "model chip"):
        same_as_scry_search(cluster_search(cluster, "-f", "json", index, query),
                            scry_search("-f", "json", index, query))
    _, proposed, _ = cluster_search(cluster, "-f", "json", index, "modle chip")
    assert b'"did_you_mean":"model chip"' in proposed


def test_bad_typo_lengths_are_refused_as_scry_search_does(cluster, sharded):
    index, _ = sharded
    for args in (["--typos", "--typo-lengths", "x"], ["--typos", "--typo-lengths", "9,5"],
                 ["--typos", "--typo-lengths", "0"], ["--typos", "--typo-lengths", "5,"],
                 ["--typo-lengths", "5,9"]):
        status, out, err = cluster_search(cluster, *args, index, "model")
        theirs = scry_search(*args, index, "model")
        assert (status, out) == (2, b"") == theirs[:2], err
        assert err.startswith(b"scry.cluster: error: ") and len(err.splitlines()) == 1, err
        message = err[len(b"scry.cluster: error: "):].split(b" (see ")[0]
        assert message == theirs[2][len(b"scry-search: error: "):].split(b" (see ")[0]


def test_search_scores_are_one_index_s(cluster, sharded):
    cluster.ensure_workers()
    index, single = sharded
    queries = [q for q in random_queries(40, seed=72) if not q.startswith("(")]
    stdin = ("\n".join(queries) + "\n").encode()
    status, out, err = cluster_search(cluster, "-f", "trec", "-k", "20", index, stdin=stdin)
    assert status in (0, 1, 2), err
    theirs = scry_search("-f", "trec", "-k", "20", single, stdin=stdin)[1]

    def scores(trec):
        return [(line.split()[0], line.split()[4]) for line in trec.decode().splitlines()]
    assert scores(out) == scores(theirs)


def test_bad_options_are_refused(cluster, sharded):
    index, _ = sharded
    for args in (["--stats"], ["--doc", "d1"], ["--list"], ["--format", "xml"],
                 ["-k", "0"], ["--offset", "x"], ["--highlight", "red"]):
        status, out, err = cluster_search(cluster, *args, index, "model")
        assert status == 2 and out == b"", err
        assert err.startswith(b"scry.cluster: error: ") and len(err.splitlines()) == 1, err
    assert b"--stats is not supported" in cluster_search(cluster, "--stats", index, "x")[2]
    status, _, err = cluster_search(cluster, "-k", "0", index, "model")
    assert b"-k/--top: expected a whole number from 1" in err


def test_search_without_scheduler_starts_a_local_cluster(sharded):
    index, _ = sharded
    done = subprocess.run([sys.executable, "-m", "scry.cluster", "search", "-f", "json", index,
                           "model", "chip"], capture_output=True, timeout=SEARCH_S, check=False)
    theirs = scry_search("-f", "json", index, "model", "chip")
    assert (done.returncode, done.stdout) == theirs[:2], done.stderr


class Session:
    """A cluster search reading queries from a pipe, answering in JSON."""

    def __init__(self, cluster, index):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scry.cluster", "search", "--scheduler", cluster.address,
             "-f", "json", "--no-snippets", index], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, bufsize=0)  # Unbuffered: communicate() reads the rest.
        self.out = b""

    def ask(self, lines, mark):
        """Sends `lines`, then a query tagged `mark` that has hits, and reads
        the output up to that query's first line."""
        self.process.stdin.write(("\n".join(lines) + f"\n{mark}\tmodel\n").encode())
        self.process.stdin.flush()
        deadline = time.monotonic() + SEARCH_S
        while f'"query":"{mark}"'.encode() not in self.out:
            assert time.monotonic() < deadline and self.process.poll() is None
            self.out += self.process.stdout.readline()

    def finish(self, lines):
        out, err = self.process.communicate(("\n".join(lines) + "\n").encode(), timeout=SEARCH_S)
        return self.process.returncode, self.out + out, err


def session_reference(index, parts):
    stdin = "".join("\n".join(lines) + (f"\nm{n}\tmodel\n" if n < len(parts) - 1 else "\n")
                    for n, lines in enumerate(parts)).encode()
    return scry_search("-f", "json", "--no-snippets", index, stdin=stdin)


def test_worker_killed_during_a_search_session(cluster, sharded):
    cluster.ensure_workers()
    index, _ = sharded
    queries = random_queries(60, seed=73)
    parts = [queries[:20], queries[20:40], queries[40:]]
    session = Session(cluster, index)
    session.ask(parts[0], "m0")
    victim = cluster.workers[0]
    cluster.kill_worker(0)  # It holds the actors of shards 0 and 2 (or 1).
    assert victim.returncode == -signal.SIGKILL
    # Once the scheduler knows (else the session first waits for Dask's
    # connect timeout to give up on the dead worker: seconds).
    cluster.ensure_workers(1)
    session.ask(parts[1], "m1")
    status, out, err = session.finish(parts[2])
    theirs = session_reference(index, parts)
    assert (status, out) == theirs[:2], err
    reopened = [line for line in err.decode().splitlines() if "opened again" in line]
    assert reopened and all(line.startswith("scry.cluster: note: shard ") for line in reopened), err
    cluster.ensure_workers()


def test_missing_shard_is_named_and_fails(cluster, sharded, tmp_path):
    cluster.ensure_workers()
    index, _ = sharded
    copy = tmp_path / "copy.idx"
    subprocess.run(["cp", "-r", str(index), str(copy)], check=True, timeout=SEARCH_S)
    os.rename(copy / "shard-1", tmp_path / "away")
    for options in ([], ["-f", "json"]):
        status, out, err = cluster_search(cluster, *options, copy, "model")
        assert status == 2, err
        assert err.decode().splitlines() == [
            f"scry.cluster: error: shard 1 ({copy}/shard-1) cannot be opened: "
            + err.decode().split("cannot be opened: ", 1)[1].splitlines()[0]]
        if options:
            assert [json.loads(line)["missing_shards"] for line in out.splitlines()] == [[1]]
        else:
            assert out == b""

    # Lost during a session: the shard's worker dies and it opens nowhere else.
    os.rename(tmp_path / "away", copy / "shard-1")
    session = Session(cluster, copy)
    session.ask(["model chip"], "m0")
    os.rename(copy / "shard-1", tmp_path / "away")
    cluster.kill_worker(0)
    cluster.kill_worker(0)
    cluster.ensure_workers(1)
    status, out, err = session.finish(["data", "search"])
    assert status == 2
    assert f"scry.cluster: error: shard 1 ({copy}/shard-1) cannot be opened: " in err.decode()
    records = [json.loads(line) for line in out.splitlines()]
    assert records[-1]["query"] == "3" and records[-1]["missing_shards"] == [1]
    assert all("error" not in r for r in records[:-1])
    cluster.ensure_workers()
