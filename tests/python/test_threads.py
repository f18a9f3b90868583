"""The GIL is released while the library works, and threads may share an
Index. Nothing here is timed: each test asserts something that cannot
happen while one thread holds the GIL."""

import faulthandler
import json
import os
import sys
import threading

import scry

# A test that deadlocks (the GIL held while waiting for this thread) ends
# the process with the threads' tracebacks instead of hanging ctest.
DEADLOCK_SECONDS = 120


def test_build_waits_for_input_that_another_thread_writes(tmp_path):
    # build() reads standard input in a thread; this thread writes it. With
    # the GIL held by build(), this thread could never write: deadlock.
    read_end, write_end = os.pipe()
    saved_stdin = os.dup(0)
    os.dup2(read_end, 0)
    os.close(read_end)
    out = tmp_path / "stdin.idx"
    result = {}
    faulthandler.dump_traceback_later(DEADLOCK_SECONDS, exit=True)
    try:
        builder = threading.Thread(target=lambda: result.update(scry.build(["-"], out, threads=2)))
        builder.start()
        with os.fdopen(write_end, "w") as pipe:
            for n in range(200):
                pipe.write(json.dumps({"id": f"p{n}", "title": "piped", "body": f"word{n} text"}) + "\n")
        builder.join()
    finally:
        faulthandler.cancel_dump_traceback_later()
        os.dup2(saved_stdin, 0)
        os.close(saved_stdin)
    assert result["documents"] == 200
    assert scry.Index(out).count("piped") == 200


def test_index_opens_while_another_thread_runs(tmp_path):
    # Opening an index whose MANIFEST is a named pipe blocks in open(2)
    # until a writer opens the pipe: this thread, running Python meanwhile.
    folder = tmp_path / "fifo.idx"
    folder.mkdir()
    os.mkfifo(folder / "MANIFEST")
    errors = []

    def open_it():
        try:
            scry.Index(folder)
        except scry.IndexOpenError as error:
            errors.append(error)

    faulthandler.dump_traceback_later(DEADLOCK_SECONDS, exit=True)
    try:
        opener = threading.Thread(target=open_it)
        opener.start()
        fd = os.open(folder / "MANIFEST", os.O_WRONLY)  # Waits for the opener's open(2).
        os.close(fd)
        opener.join()
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert len(errors) == 1 and str(folder) in str(errors[0])


def test_other_threads_run_during_searches(random_index):
    # With a switch interval of an hour, the GIL changes hands only when a
    # thread lets it go. Once told to go, the counting thread needs the GIL
    # to count, and gives it back at once after each increment; this thread
    # holds it from then on except inside search(), which must release it.
    index = scry.Index(random_index)
    counter = [0]
    go = threading.Event()
    stop = threading.Event()

    def count():
        go.wait()
        while not stop.is_set():
            counter[0] += 1
            os.sched_yield()  # Plain system call, with the GIL released.

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(3600)
    try:
        counting = threading.Thread(target=count)
        counting.start()
        go.set()
        searches = 0
        while counter[0] == 0 and searches < 20000:
            index.search("w1 w2 w3 model", k=5)
            searches += 1
        seen = counter[0]
        stop.set()
        counting.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert seen > 0, f"no other thread ran during {searches} searches"


def test_threads_share_one_index(random_index):
    index = scry.Index(random_index)
    queries = ["w1", "w2 +w3", '"model chip"', "title:w4", "w5*", "huawei OR zhipu", "w6 -w7"]
    expected = {q: index.search(q, k=20) for q in queries}
    failures = []

    def search_many(offset):
        for i in range(60):
            query = queries[(i + offset) % len(queries)]
            if index.search(query, k=20) != expected[query]:
                failures.append(query)

    threads = [threading.Thread(target=search_many, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
