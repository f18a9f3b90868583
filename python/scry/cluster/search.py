"""The cluster search (docs/DISTRIBUTED.md, "Search").

Each shard of DIR is held open by a Dask actor (ShardActor) on a worker,
opened once for the whole session. A query is a dfs_query_then_fetch:

1. every actor plans the query with its shard's statistics and returns what
   it asked (a StatisticsSnapshot, as bytes);
2. the coordinator sums the snapshots;
3. every actor searches its shard for its best offset + k hits, weighed
   with the sum (scores are then one index's, bit for bit);
4. the coordinator merges them in merge_top_k's order (score, then shard,
   segment, doc) and asks only the shards holding the final hits for their
   documents and snippets.

The actors and the coordinator exchange plain values (scry._scry's
cluster functions, python/src/cluster.h); the answer is printed by
scry-search's own formatting (format_answer).

Faults: an actor call that raises (its worker died) makes the coordinator
open that shard again on a surviving worker and run the query again from
step 1. A shard that cannot be opened on any worker raises MissingShard:
the search stops, nothing partial is printed as complete.
"""

import asyncio
import itertools
import os
import time

from scry import _scry

# Bounds on every wait for the cluster (seconds): opening a shard, and an
# actor's step beyond the query's own time limit.
OPEN_TIMEOUT_S = 60
STEP_TIMEOUT_S = 60
# Times a query is run again after losing actors before giving up.
ATTEMPTS = 3

_keys = itertools.count()


class ShardActor:
    """One shard held open on a worker (a Dask actor): the three steps."""

    def __init__(self, path):
        self._shard = _scry._Shard(path)

    def statistics(self, query, options):
        return self._shard.statistics(query, options)

    def search(self, query, options, statistics):
        return self._shard.search(query, options, statistics)

    def fetch(self, query, options, statistics, hits):
        return self._shard.fetch(query, options, statistics, hits)


class MissingShard(Exception):
    """Shards that could not be opened on any worker: `shards` maps each
    shard number to (its folder, the last error)."""

    def __init__(self, shards):
        self.shards = dict(sorted(shards.items()))
        super().__init__("; ".join(self.messages()))

    def messages(self):
        """One line a missing shard: "shard K (PATH) cannot be opened: REASON"."""
        return [f"shard {k} ({path}) cannot be opened: {reason}"
                for k, (path, reason) in self.shards.items()]


class QueryFailed(Exception):
    """A query that failed on a shard: `kind` "cancelled" (past its time
    limit) or "error", and the library's message."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


class _ActorsLost(Exception):
    def __init__(self, shards):
        super().__init__(f"lost the actors of shards {sorted(shards)}")
        self.shards = shards


class Answer:
    """A query's answer: `syntax` (message, byte position, reason) when it
    does not parse; else no_terms, total_hits, total_exact, the hits as
    ((rank, score), (id, title, source, snippet, highlights)), the times in
    milliseconds, and with option explain each hit's terms (`explains`,
    python/src/cluster.cpp's explain_tuples) and the parsed query; with
    option did_you_mean, the corrected query and its hits when one is
    proposed (Engine::propose's rule)."""

    def __init__(self, syntax=None, no_terms=False, total_hits=0, total_exact=True, hits=(),
                 search_ms=0.0, fetch_ms=0.0):
        self.explains = []
        self.parsed = b""
        self.did_you_mean = None
        self.did_you_mean_hits = 0
        self.syntax = syntax
        self.no_terms = no_terms
        self.total_hits = total_hits
        self.total_exact = total_exact
        self.hits = list(hits)
        self.search_ms = search_ms
        self.fetch_ms = fetch_ms


async def _gather(futures):
    """The results of the actor futures `futures`, an exception for each
    that failed."""
    return await asyncio.gather(*futures, return_exceptions=True)


def _worker_addresses(dask_scheduler):
    return list(dask_scheduler.workers)


def _ms_since(start):
    return (time.perf_counter() - start) * 1000.0


class ClusterSearch:
    """The shards of the index `index_dir` held open by actors on the Dask
    `client`'s workers. Raises MissingShard when some shard cannot be
    opened on any worker, scry.IndexOpenError when DIR is not an index.
    `notify(message)`, when given, is told of each shard opened again."""

    def __init__(self, client, index_dir, notify=None):
        self._client = client
        self._notify = notify
        self._dir = os.path.abspath(os.fspath(index_dir))
        self._paths = _scry.shard_paths(self._dir)
        self._suggester = None  # Opened by the first "did you mean".
        self._actors = [None] * len(self._paths)
        self._futures = [None] * len(self._paths)
        self._homes = [None] * len(self._paths)  # The worker holding each actor.
        self._step_timeout_s = STEP_TIMEOUT_S
        workers = self._workers()
        self._open(range(len(self._paths)), workers)

    @property
    def shards(self):
        return len(self._paths)

    def _known_workers(self):
        """The workers the client last heard of (no round trip)."""
        return self._client._scheduler_identity.get("workers", {})

    def _workers(self):
        """The workers the scheduler knows now."""
        return sorted(self._client.run_on_scheduler(_worker_addresses))

    def _open_on(self, shard, worker):
        """Opens `shard` on `worker`, or on another when it is gone (the
        client's list of workers may be a few seconds old): its actor."""
        future = self._client.submit(
            ShardActor, self._paths[shard], actor=True, pure=False, workers=[worker],
            allow_other_workers=True, key=f"scry-shard-{shard}-{os.getpid()}-{next(_keys)}")
        return future, future.result(timeout=OPEN_TIMEOUT_S)

    def _open(self, shards, workers):
        """Opens `shards`, shard K first on workers[K mod W], then on each
        other worker in turn; raises MissingShard naming those opened nowhere."""
        missing = {}
        for shard in shards:
            reason = "no worker in the cluster"
            for n in range(len(workers)):
                worker = workers[(shard + n) % len(workers)]
                try:
                    self._futures[shard], self._actors[shard] = self._open_on(shard, worker)
                    where = self._client.who_has([self._futures[shard]])
                    self._homes[shard] = next(iter(where.get(self._futures[shard].key, ())), None)
                    break
                except Exception as error:  # noqa: BLE001 (the worker's error, sent back)
                    reason = getattr(error, "message", None) or str(error) or type(error).__name__
            else:
                self._actors[shard] = None
                missing[shard] = (self._paths[shard], reason)
        if missing:
            raise MissingShard(missing)

    def _reopen(self, shards):
        """Opens `shards` again (their workers are gone) on the workers left."""
        for shard in shards:
            if self._futures[shard] is not None:
                self._futures[shard].release()
                self._futures[shard] = None
        self._open(shards, self._workers())
        if self._notify is not None:
            for shard in shards:
                self._notify(f"shard {shard} opened again on {self._homes[shard] or 'a worker'} "
                             "(its worker was lost)")

    def _call(self, shards, method, args):
        """Calls `method` on the actors of `shards` at once, args[i] for
        shards[i]; their results in that order. Raises _ActorsLost naming
        the shards whose call raised."""
        pending = []
        for shard, arguments in zip(shards, args):
            try:
                # The scheduler tells the client at once of a lost worker's
                # keys, and every 2 s which workers there are (the client's
                # cached scheduler_info); calling an actor of a dead worker
                # would first try to connect to it until the timeout.
                if self._futures[shard].status != "finished" or \
                        self._homes[shard] not in self._known_workers():
                    raise OSError("the actor's worker was lost")
                pending.append(getattr(self._actors[shard], method)(*arguments))
            except Exception:  # noqa: BLE001 (Dask: "Worker holding Actor was lost")
                pending.append(None)
        # Awaited together on the client's event loop: one hand-over from
        # this thread to the loop for all of them, not one each.
        try:
            answers = self._client.sync(_gather, [f for f in pending if f is not None],
                                        callback_timeout=self._step_timeout_s)
        except (asyncio.TimeoutError, TimeoutError):
            raise _ActorsLost(set(shards)) from None  # Not one answer in time.
        results, lost = [], set()
        answers = iter(answers)
        for shard, future in zip(shards, pending):
            result = None if future is None else next(answers)
            if future is None or isinstance(result, Exception):
                lost.add(shard)  # Its worker died or cannot be reached.
                result = None
            results.append(result)
        if lost:
            raise _ActorsLost(lost)
        return results

    def answer(self, query, options):
        """Answers `query` (bytes) with the query options `options` (a dict,
        python/src/cluster.cpp's query_options): an Answer, whose `syntax`
        is set when the query does not parse. Raises QueryFailed,
        MissingShard (a shard lost and opened nowhere else)."""
        self._step_timeout_s = STEP_TIMEOUT_S + options.get("timeout_ms", 0) / 1000.0
        for attempt in range(ATTEMPTS + 1):
            try:
                answer = self._answer_once(query, options)
                if options.get("did_you_mean"):
                    self._propose(query, options, answer)
                return answer
            except _Syntax as syntax:
                return Answer(syntax=syntax.syntax)
            except _ActorsLost as lost:
                if attempt == ATTEMPTS:
                    raise MissingShard({k: (self._paths[k], str(lost)) for k in lost.shards})
                self._reopen(sorted(lost.shards))
        raise AssertionError("unreachable")

    def _answer_once(self, query, options):
        start = time.perf_counter()
        everyone = range(len(self._paths))
        steps = self._call(everyone, "statistics", [(query, options)] * len(self._paths))
        for error, _ in steps:
            _check(error)
        statistics = _scry.sum_statistics([snapshot for _, snapshot in steps])
        found = self._call(everyone, "search", [(query, options, statistics)] * len(self._paths))
        for error, *_ in found:
            _check(error)
        k = 0 if options.get("count_only") else options["k"]
        total, exact, merged = _scry.merge_top_k(
            [(total, exact, hits) for _, _, total, exact, hits, _, _ in found], k,
            options["offset"])
        answer = Answer(no_terms=found[0][1], total_hits=total, total_exact=exact,
                        search_ms=_ms_since(start))
        if options.get("explain"):
            explain_of = {(shard, segment, doc): explain
                          for shard, (_, _, _, _, hits, explains, _) in enumerate(found)
                          for (segment, doc, _), explain in zip(hits, explains)}
            answer.explains = [explain_of[(shard, segment, doc)]
                               for shard, segment, doc, _ in merged]
            answer.parsed = found[0][6]
        if not merged:
            return answer

        start = time.perf_counter()
        by_shard = {}
        for shard, segment, doc, score in merged:
            by_shard.setdefault(shard, []).append((segment, doc, score))
        holders = sorted(by_shard)
        fetched = self._call(holders, "fetch",
                             [(query, options, statistics, by_shard[s]) for s in holders])
        documents = {}
        for shard, (error, hits) in zip(holders, fetched):
            _check(error)
            documents[shard] = iter(hits)
        answer.hits = [((options["offset"] + rank, score), next(documents[shard]))
                       for rank, (shard, _, _, score) in enumerate(merged, 1)]
        answer.fetch_ms = _ms_since(start)
        return answer


    def _propose(self, query, options, answer):
        """Sets answer.did_you_mean as scry-search's Engine::propose does:
        the query corrected over every shard's words (the coordinator reads
        them from DIR), when it differs and the cluster finds it hits."""
        if self._suggester is None:
            self._suggester = _scry._Suggester(self._dir)
        corrected = self._suggester.suggest(query)
        if corrected is None or corrected == query:
            return
        count = dict(options, count_only=True, explain=False, did_you_mean=False)
        try:
            counted = self._answer_once(corrected, count)
        except _Syntax:
            return
        if counted.total_hits > 0:
            answer.did_you_mean = corrected
            answer.did_you_mean_hits = counted.total_hits


class _Syntax(Exception):
    def __init__(self, message, position, reason):
        super().__init__(message)
        self.syntax = (message, position, reason)


def _check(error):
    """Raises what a step's `error` says (python/src/cluster.h)."""
    if error is None:
        return
    kind, message, position, reason = error
    if kind == "syntax":
        raise _Syntax(message, position, reason)
    raise QueryFailed(kind, message)

