"""What `scry.cluster search` prints: scry-search's two non-interactive
modes (one query from the command line; one query a line of standard input
or --queries FILE) over a ClusterSearch, with scry-search's tags, headings,
error lines and exit codes (searcher/cli.cpp, run_one and run_batch; docs/
SEARCHING.md). Every answer is formatted by scry-search's own code
(scry._scry.format_answer), so stdout is byte for byte scry-search's.

Errors are one line "scry.cluster: error: MESSAGE" on stderr. A shard
that cannot be opened on any worker stops the search with exit status 2:
a line a shard on stderr and, with --format json, one JSON line with the
error and "missing_shards" on stdout.
"""

import json
import sys

from scry import _scry

from .search import MissingShard, QueryFailed

PROGRAM = "scry.cluster"

EXIT_HIT, EXIT_NO_HIT, EXIT_ERROR = 0, 1, 2


def fail(message):
    """Prints the error line; returns EXIT_ERROR."""
    sys.stderr.write(f"{PROGRAM}: error: {message}\n")
    sys.stderr.flush()
    return EXIT_ERROR


def note(message):
    """Prints "scry.cluster: note: MESSAGE" on stderr (not an error)."""
    sys.stderr.write(f"{PROGRAM}: note: {message}\n")
    sys.stderr.flush()


def _emit(data):
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _failure(error):
    """scry-search's message of a failed query (query_failure): with a hint
    on --timeout when it ran past its time limit."""
    if error.kind == "cancelled" and "timed out" in error.message:
        return error.message + " (--timeout MS sets the limit; 0: none)"
    return error.message


def _note_no_terms(answer, where=""):
    if answer.no_terms:
        sys.stderr.write(f"{PROGRAM}: {where}{_scry.format_no_terms().decode()}\n")


def missing(error, output, tag=None):
    """Reports MissingShard `error`: its lines on stderr, and with JSON
    output one line {"query": TAG, "error": ..., "missing_shards": [K...]}
    (no "query" before any query ran). Returns EXIT_ERROR."""
    for line in error.messages():
        fail(line)
    if output["format"] == "json":
        record = {} if tag is None else {"query": tag.decode("utf-8", "replace")}
        record["error"] = str(error)
        record["missing_shards"] = list(error.shards)
        _emit((json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode())
    return EXIT_ERROR


def _print(answer, tag, query, options, output, tag_count):
    if options.get("count_only"):
        json_lines = output["format"] == "json"
        _emit(_scry.format_count(answer.total_hits, tag if tag_count or json_lines else b"",
                                 output["format"]))
    else:
        _emit(_scry.format_answer(answer.hits, answer.total_hits, answer.total_exact,
                                  answer.search_ms, answer.fetch_ms, tag, query, output,
                                  answer.explains, answer.parsed, answer.did_you_mean,
                                  answer.did_you_mean_hits))


def run_one(search, query, options, output):
    """Answers `query` (bytes) on stdout; the exit status (run_one's)."""
    try:
        answer = search.answer(query, options)
    except QueryFailed as error:
        return fail(_failure(error))
    except MissingShard as error:
        return missing(error, output, b"1")
    if answer.syntax:
        message, position, reason = answer.syntax
        fail(message)
        sys.stderr.buffer.write(_scry.caret_message(query, position, reason) + b"\n")
        return EXIT_ERROR
    _note_no_terms(answer)
    _print(answer, b"1", query, options, output, False)
    return EXIT_HIT if answer.total_hits > 0 else EXIT_NO_HIT


def run_batch(search, lines, options, output):
    """Answers every line of the binary stream `lines` (ID<TAB>QUERY or
    QUERY; blank lines skipped); the exit status (run_batch's)."""
    output = dict(output, heading=True)
    json_output = output["format"] == "json"
    any_hit = any_failed = any_query = False
    first = True
    for number, raw in enumerate(lines, 1):
        line = raw[:-1] if raw.endswith(b"\n") else raw
        if line.endswith(b"\r"):
            line = line[:-1]
        tag = str(number).encode()
        if b"\t" in line:
            tag, line = line.split(b"\t", 1)
        if not line.strip(b" \t\r\n\f\v"):
            continue
        any_query = True
        where = f"line {number}: "
        try:
            answer = search.answer(line, options)
        except QueryFailed as error:
            if error.kind != "cancelled":
                return fail(where + error.message)
            # Past its time limit: that query fails, the others still run.
            fail(where + _failure(error))
            any_failed = True
            if json_output:
                _emit(_scry.format_json_error(tag, _failure(error), None))
            continue
        except MissingShard as error:
            return missing(error, output, tag)
        _note_no_terms(answer, where)
        if answer.syntax:
            message, position, reason = answer.syntax
            fail(where + message)
            any_failed = True
            if json_output:
                _emit(_scry.format_json_error(tag, reason, _scry.query_column(line, position)))
            continue
        if output["format"] == "text" and not options.get("count_only") and not first:
            _emit(b"\n")
        first = False
        _print(answer, tag, line, options, output, True)
        any_hit = any_hit or answer.total_hits > 0
    if not any_query:
        sys.stderr.write(f"{PROGRAM}: {_scry.format_no_queries().decode()}\n")
    if any_failed:
        return EXIT_ERROR
    return EXIT_HIT if any_hit else EXIT_NO_HIT
