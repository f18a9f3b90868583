// What the three ways into scry-search share: the settings from the command
// line, error and statistics lines, and the two non-interactive modes (one
// query from the command line, one query per line of a stream). The REPL is
// in repl.h. docs/SEARCHING.md describes the behaviour.
//
// Thread safety: single-threaded (writes to stdout and stderr).
#pragma once

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "output.h"
#include "scry/engine/engine.h"
#include "scry/util/exit_codes.h"
#include "scry/util/status.h"

namespace scry {

// The name in its error lines: fail(kProgram, MESSAGE).
inline constexpr const char* kProgram = "scry-search";

// Upper bound of -k and --offset (keeps k + offset far from overflowing).
inline constexpr size_t kMaxHits = 1'000'000'000;

// A query's time limit unless --timeout or :timeout says otherwise.
inline constexpr size_t kDefaultTimeoutMs = 10'000;

struct RunOptions {
  QueryOptions query;
  OutputOptions output;
  bool stats = false;  // Per query: matches and times on stderr.
};

// Parses a whole number in [min, kMaxHits]. Errors: InvalidArgument saying
// what was expected.
Result<size_t> parse_hits(std::string_view text, size_t min);
// Parses a finite real number in [min, max]. Errors: InvalidArgument.
Result<double> parse_real(std::string_view text, double min, double max);
// Parses typo tolerance thresholds (--typo-lengths; docs/QUERY.md "Typo
// tolerance"): "ONE,TWO" with 1 <= ONE <= TWO, or "ONE" (one typo from ONE
// characters, never two). Errors: InvalidArgument saying what was expected.
Result<TypoTolerance> parse_typos(std::string_view text);

// Prints the syntax error of `answer` (for `query`): the error line, then
// the query with a caret under the place. Returns kExitError.
// REQUIRES: answer.syntax_error
int fail_syntax(std::string_view query, const Answer& answer);

// The --stats line of a query, on stderr.
void print_query_stats(std::string_view tag, const Answer& answer);

// The line on stderr for an answer of a query without any term (every
// word a stop word), which therefore matched nothing; nothing for others.
// `where` ("line 3: ") is put before the message.
void note_no_terms(const Answer& answer, const std::string& where = "");

// The error message of a query that failed (`status`): with a hint on
// --timeout when it ran past its time limit.
std::string query_failure(const Status& status);

// Answers `query` on stdout and returns the exit code: kExitHit, kExitNoHit,
// or kExitError after printing the error (a syntax error as the query with
// a caret under the position; a failed write to stdout as output_ok() does).
int run_one(Engine& engine, std::string_view query, const RunOptions& options);

// --suggest (docs/SPELLING.md): prints `query` corrected, or, without it,
// every line of `in` corrected, one line each (ID<TAB>QUERY keeps its ID;
// a query without a better spelling comes back unchanged). When the index
// has no word dictionary, the queries come back unchanged after a one-line
// note on stderr. In options' json format, one object a line instead:
// {"query":TAG,"text":QUERY,"suggestion":CORRECTED}, TAG the line's number
// or ID as in searches. With options.stats: the time to load the words,
// then each line's time to suggest ("suggest TAG: T us"), on stderr. A
// query that is not UTF-8 is reported (naming its line) and comes back
// unchanged, so that the lines still match. Returns kExitHit, or kExitError on an error
// (reported; the lines after one that is not UTF-8 still run).
int run_suggest(Engine& engine, const std::optional<std::string>& query, std::FILE* in,
                const RunOptions& options);

// Answers every line of `in` (see docs/SEARCHING.md, "Queries on standard
// input"), flushing stdout after each. Returns kExitError when a line did
// not parse (each is reported, naming its line, and the rest still run) or
// on an error that stops (the index's, or a failed write to stdout); else kExitHit when some query
// had a hit, else kExitNoHit.
int run_batch(Engine& engine, std::FILE* in, const RunOptions& options);

}  // namespace scry
