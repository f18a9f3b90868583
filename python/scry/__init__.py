"""scry: full-text search indexes, from Python (docs/PYTHON.md).

    import scry
    scry.build(["corpus"], "corpus.idx")
    with scry.Index("corpus.idx") as index:
        for hit in index.search("huawei +ascend", k=5):
            print(hit.rank, hit.score, hit.id, hit.title)

Searching and building run in scry's C++ library (the module scry._scry),
the same code as scry-search and scry-index, with the GIL released.
"""

import dataclasses
import math
import numbers
import operator
import os

from . import _scry
from ._errors import (
    BuildError,
    CorruptIndexError,
    Error,
    IndexOpenError,
    QuerySyntaxError,
    QueryTimeoutError,
)

__version__ = _scry.__version__
__all__ = [
    "BuildError",
    "CorruptIndexError",
    "Document",
    "Error",
    "Hit",
    "Hits",
    "Index",
    "IndexOpenError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "build",
]

# scry-search's bound on -k and --offset.
_MAX_HITS = 1_000_000_000
# A time limit past this (about 146 years, in nanoseconds below 2**62) is
# no limit.
_MAX_TIMEOUT_MS = 2**62 // 1_000_000


@dataclasses.dataclass(frozen=True, slots=True)
class Hit:
    """One hit of a query.

    `rank` is 1 for the best hit (offset included); `score` is BM25, as
    scry-search prints it. `snippet` is the best passage (None when
    searched with snippets=False) and `highlights` the (start, end)
    character offsets of the matches in it: snippet[start:end].
    """

    rank: int
    id: str
    title: str
    source: str
    score: float
    snippet: str | None
    highlights: tuple[tuple[int, int], ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Document:
    """A stored document: its id, title, source (file, or file:line) and text.

    `length` is its number of tokens (title and body), as BM25 counts it.
    """

    id: str
    title: str
    source: str
    body: str
    length: int


class Hits(list):
    """The hits of a query, best first: a list of Hit.

    `total` is the number of matching documents, exact when `total_exact`,
    else a lower bound (the search skips documents that cannot make the
    top k; Index.count() counts exactly).
    """

    def __init__(self, hits=(), total=0, total_exact=True):
        super().__init__(hits)
        self.total = total
        self.total_exact = total_exact

    def __getitem__(self, index):
        """A Hit, or for a slice, Hits with the same total."""
        if isinstance(index, slice):
            return Hits(list.__getitem__(self, index), self.total, self.total_exact)
        return list.__getitem__(self, index)

    def __repr__(self):
        return f"Hits({list.__repr__(self)}, total={self.total}, total_exact={self.total_exact})"


def _whole(name, value, low):
    value = operator.index(value)
    if not low <= value <= _MAX_HITS:
        raise ValueError(f"{name}: expected a whole number from {low} to {_MAX_HITS}, got '{value}'")
    return value


def _timeout_ms(timeout):
    if timeout is None or timeout == math.inf:
        return 0
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real) or not timeout >= 0:
        raise ValueError(f"timeout: expected seconds >= 0 or None, got {timeout!r}")
    ms = max(1, round(timeout * 1000)) if timeout > 0 else 0
    return 0 if ms > _MAX_TIMEOUT_MS else ms  # Past any wait: no limit.


def _real(name, value, low, high):
    """`value`, a number from `low` to `high` (scry-search's ranges), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
        bounds = f"from {low} to {high}" if high != math.inf else f">= {low}"
        raise ValueError(f"{name}: expected a number {bounds}, got {value!r}")
    return float(value)


def _tuning(title_weight=None, k1=None, b=None, typos=False):
    """scry-search's --title-weight, --k1, --b and --typos, checked alike.

    `typos`: False or None (off), True (Meilisearch's 5, 9), ONE, or
    (ONE, TWO): the word lengths from which one and two typos are allowed
    (TWO 0: never two).
    """
    if typos is None or typos is False:
        one, two = 0, 0
    elif typos is True:
        one, two = 5, 9
    else:
        one, two = (typos, 0) if isinstance(typos, numbers.Integral) else tuple(typos)
        one, two = operator.index(one), operator.index(two)
        if one < 1 or (two != 0 and two < one):
            raise ValueError(f"typos: expected True, ONE or (ONE, TWO) with 1 <= ONE <= TWO, got {typos!r}")
    return _scry._Tuning(_real("title_weight", title_weight, 0, 100), _real("k1", k1, 0, math.inf),
                         _real("b", b, 0, 1), one, two)


def _text(name, value):
    """`value`, a str, as UTF-8 bytes; a lone surrogate is kept as the
    invalid bytes it stands for, which the library reports with a column."""
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected a str, got {type(value).__name__}")
    return value.encode("utf-8", "surrogatepass")


class Index:
    """An opened index (a folder written by scry-index or scry.build).

    Raises IndexOpenError when it does not open. Threads may share an Index:
    its calls release the GIL and run one at a time (an index holds a lock;
    open one Index per thread to search in parallel). An Index pickles as
    its path, so that it can be sent to other processes (Dask workers),
    which open it again. Use it as a context manager, or call close(), to
    release its mapped files at once.
    """

    def __init__(self, path):
        self._path = os.fspath(path)
        self._index = _scry._Index(os.fsencode(self._path))  # Any bytes a name may hold.

    @property
    def path(self):
        """The index's folder, as given."""
        return self._path

    @property
    def closed(self):
        return self._index.closed

    def search(self, query, k=10, offset=0, snippets=True, plain=False, timeout=None,
               title_weight=None, typos=False, k1=None, b=None):
        """The hits of `query` ranked k after the `offset` best ones, as Hits.

        `query` is in scry's query language (docs/QUERY.md) unless `plain`:
        then every word is an optional term and nothing is syntax. `k` and
        `offset` are whole numbers up to 10**9 (k from 1). `timeout`
        (seconds, None or math.inf: no limit; scry-search's default is 10)
        bounds the search. As scry-search's options: `title_weight` (0 to
        100, default 0.5), `typos` (True, ONE or (ONE, TWO); see
        docs/QUERY.md, "Typo tolerance"), BM25's `k1` (>= 0, default 1.2)
        and `b` (0 to 1, default 0.75). Raises QuerySyntaxError,
        QueryTimeoutError, CorruptIndexError.
        """
        total, exact, hits = self._index.search(
            _text("query", query),
            _whole("k", k, 1),
            _whole("offset", offset, 0),
            bool(snippets),
            bool(plain),
            _timeout_ms(timeout),
            _tuning(title_weight, k1, b, typos),
        )
        return Hits(
            (Hit(r, i, t, s, sc, sn, tuple(hl)) for r, i, t, s, sc, sn, hl in hits),
            total,
            exact,
        )

    def count(self, query, plain=False, timeout=None, typos=False):
        """The exact number of documents matching `query` (arguments and
        errors as search's)."""
        return self._index.count(_text("query", query), bool(plain), _timeout_ms(timeout),
                                 _tuning(typos=typos))

    def document(self, id):
        """The stored Document with this id; KeyError when there is none."""
        return Document(*self._index.document(_text("id", id)))

    def verify(self):
        """Recomputes the checksum of every file of the index, as
        scry-search --verify does, and returns how many files it checked.

        Searches do not: damage that leaves the files readable (a flipped
        byte of a posting or of stored text) changes answers without an
        error until verify() raises CorruptIndexError naming the file.
        """
        return self._index.verify()

    def stats(self):
        """What the index's MANIFEST says, as a dict.

        Keys: path, format_version, created_by, documents (live ones),
        deleted, average_length ({"text": ..., "title": ...}, in tokens,
        deleted documents included, as BM25 counts), analyzer ({"version",
        "stem", "stop_words"}) and segments (a list of dicts: name,
        documents, deleted, terms, postings, positions).
        """
        return self._index.stats()

    def reopen(self):
        """Opens the index's folder again, to answer from what a build,
        update, delete or merge published since it was opened (until then
        an Index answers from the version it opened). Raises
        IndexOpenError and keeps answering from that version when the
        folder no longer opens.
        """
        self._index.reopen()

    def close(self):
        """Releases the index; later calls raise ValueError."""
        self._index.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __reduce__(self):
        return (type(self), (self.path,))

    def __repr__(self):
        return f"scry.Index({self.path!r}{', closed' if self.closed else ''})"


def _names(values, what):
    if values is None:
        return []
    if isinstance(values, (str, bytes, os.PathLike)):
        values = [values]
    try:
        return [os.fsencode(v) for v in values]  # Any bytes a name may hold.
    except TypeError:
        raise TypeError(f"{what}: expected a path or a list of paths, got {values!r}") from None


def _size(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{name}: expected bytes (an int) or a size such as '64M', got {value!r}")
    return str(value)


def build(
    inputs,
    out,
    *,
    update=False,
    delete=False,
    merge=False,
    threads=None,
    memory="256M",
    max_doc_size="16M",
    wait=True,
    stem=None,
    stopwords=None,
    id_field="id",
    title_field="title",
    body_field="body",
    exclude=(),
    strict=False,
    shard=None,
):
    """Builds, updates or changes the index at `out`, as scry-index does.

    Options are scry-index's (man/scry-index.1), as keywords:
      build(inputs, out)                    a new index from files, folders, '-' (stdin)
      build(inputs, out, update=True)       index new and changed files only
      build(ids, out, delete=True)          delete documents by id
      build([], out, merge=True)            merge every segment (also with update, delete)
    threads (default: the number of cores), memory and max_doc_size (bytes,
    or text such as "64M"), wait (False: fail when another writer holds the
    index), stem (default True) and stopwords ("snowball", "lucene",
    "none") for a build only, id_field, title_field, body_field, exclude
    (globs), strict (fail when an input is skipped or holds invalid
    UTF-8), shard (a build only: (K, N) indexes only the documents that
    scry-index --shards N routes to shard K, the way scry.cluster builds
    one shard; docs/DISTRIBUTED.md).

    Returns a summary dict (docs/PYTHON.md); its "warnings" are the lines
    scry-index prints as warnings. Raises BuildError with scry-index's
    message when the change fails, leaving the index at `out` as it was;
    ValueError or TypeError for bad options; KeyboardInterrupt on Ctrl-C
    (the index then unchanged too).
    """
    inputs = _names(inputs, "inputs")
    if update and delete:
        raise ValueError("update and delete cannot be combined")
    mode = "update" if update else "delete" if delete else "merge" if merge else "build"
    if mode != "build":
        for name, value in (("stem", stem), ("stopwords", stopwords)):
            if value is not None:
                raise ValueError(
                    f"{name} applies to a build only (an update keeps the index's analyzer settings)"
                )
    if mode == "merge" and inputs:
        raise ValueError("merge takes no input (use update=True, merge=True to update, then merge)")
    if mode == "delete" and not inputs:
        raise ValueError("delete: no id given")
    if mode in ("build", "update") and not inputs:
        raise ValueError("no input given (files, folders or '-')")
    if threads is None:
        threads = min(os.cpu_count() or 1, 1024)
    if shard is not None and mode != "build":
        raise ValueError("shard applies to a build only")
    shard_k, shard_n = (0, 0) if shard is None else map(operator.index, shard)
    if shard is not None and shard_n < 1:
        raise ValueError("shard: expected (K, N) with 0 <= K < N <= 256")
    return _scry.build(
        inputs,
        os.fsencode(out),
        mode,
        bool(merge),
        operator.index(threads),
        _size("memory", memory),
        _size("max_doc_size", max_doc_size),
        bool(wait),
        True if stem is None else bool(stem),
        "snowball" if stopwords is None else stopwords,
        id_field,
        title_field,
        body_field,
        _names(exclude, "exclude"),
        bool(strict),
        shard_k,
        shard_n,
    )
