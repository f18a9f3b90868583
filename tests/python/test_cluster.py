"""scry.cluster on a real Dask cluster (docs/DISTRIBUTED.md): a `dask
scheduler` and two `dask worker` processes started on 127.0.0.1 on free
ports; the cluster build is compared with `scry-index --shards N` over the
same documents, a worker is killed by its pid during a build, and
everything is shut down. Skipped when python3-distributed is absent,
except under CI=true."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import scry
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
        for n in range(2):
            worker = dask("dask_worker", self.address, "--host", "127.0.0.1", "--nthreads", "1",
                          "--no-nanny", "--no-dashboard", "--name", f"w{n}",
                          "--death-timeout", str(STARTUP_S), log=self.log)
            self.processes.append(worker)
            self.workers.append(worker)
        self.client = None
        try:
            self.client = distributed.Client(self.address, timeout=f"{STARTUP_S}s")
            self.client.wait_for_workers(2, timeout=STARTUP_S)
        except BaseException:
            self.close()  # No process left behind when the cluster does not start.
            raise

    def kill_worker(self, n):
        os.kill(self.workers[n].pid, signal.SIGKILL)
        self.workers[n].wait(timeout=STARTUP_S)

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
    _, err = build.communicate(timeout=BUILD_S)
    assert build.returncode == 0, err
    assert victim.returncode == -signal.SIGKILL
    print("killed while the build ran:", killed_while_running)
    same_answers(out, reference, random_queries(20, seed=63))
