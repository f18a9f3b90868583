"""The exceptions of the scry package (docs/PYTHON.md, "Errors").

Each carries the one-line message that scry-search or scry-index prints
after "error: ", and `code`, the library's kind of failure: "not_found",
"corruption", "invalid_argument", "io_error", "not_supported" or
"cancelled" ("syntax" for a query that does not parse).
"""


class Error(Exception):
    """Base class of scry's errors.

    `message` (also str(error)) is the one-line message scry-search or
    scry-index prints after "error: ", naming the file or the query's
    column; `code` is the kind of failure: "not_found", "corruption",
    "invalid_argument", "io_error", "not_supported", "cancelled", or
    "syntax" for a query that does not parse.
    """

    def __init__(self, message, code="unknown"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __reduce__(self):
        return (type(self), (self.message, self.code))


class IndexOpenError(Error):
    """An index did not open: missing, damaged or of an unsupported format."""


class CorruptIndexError(Error):
    """Damage met while reading an index that opened (a checksum, a bad offset)."""


class QueryTimeoutError(Error, TimeoutError):
    """A query ran past its `timeout`."""


class BuildError(Error):
    """A build, update, delete or merge failed; the index was left as it was."""


class QuerySyntaxError(Error, ValueError):
    """A query that does not parse.

    `message` is "query:COLUMN: REASON", as scry-search prints it; `column`
    counts characters of `query` from 1 (query[column - 1] is where the
    error is, or the column is one past the end); `reason` is the bare
    REASON ("missing closing quote").
    """

    def __init__(self, message, query, column, reason):
        super().__init__(message, "syntax")
        self.query = query
        self.column = column
        self.reason = reason

    def __reduce__(self):
        return (type(self), (self.message, self.query, self.column, self.reason))
