// QueryParser: query strings to Query trees (syntax in query.h and
// docs/QUERY.md).
//
//   query   := or?                     (empty or blank: an empty Bool)
//   or      := and (["OR"] and)*       each operand: a should clause
//   and     := unary ("AND" unary)*    two or more: a should Bool whose
//                                      operands are musts (-x: must_not)
//   unary   := ["NOT" | "+" | "-"] primary    NOT and '-': must_not, '+': must
//   primary := ["title:"] (word | word"*" | word"~"[N] | '"' text '"' | "(" or ")")
//
// Lexical rules:
//   * Tokens are separated by white space (ASCII and Unicode spaces such as
//     U+00A0 and U+3000); '(' ')' '"' always end a word.
//   * AND, OR, NOT are operators only in upper case and standing alone;
//     "and", "Not", "ANDROID" and a word glued to '+'/'-' ("-AND") are words.
//   * '+' and '-' are operators only at the start of a token and must be
//     glued to their operand ("-huawei"); inside a word ("GLM-4.7", "C++")
//     they are text. Unary operators do not stack ("NOT -a" is an error).
//   * "title:" (lower case) must be glued to a word, prefix, phrase or '('.
//     Before a group it applies to every leaf inside. Any other "name:" is
//     part of a plain word ("body:x", "http://z.ai", "10:30").
//   * A word ending in '*' is a prefix (all trailing '*' removed); a '*'
//     elsewhere is text. A phrase runs to the next '"' (no escapes).
//   * "word~N" (N = 0, 1, 2) and "word~" (N = 2) are fuzzy terms. A '~' in
//     a word must end it, followed by nothing or one such digit: "a~3",
//     "a~x", "a~b~1", "~", "pre*~" and "\"a b\"~1" are errors.
//
// The tree is flattened where that cannot change matches or scores: a
// parenthesized group holding one must or should clause is that clause
// (`x (a)` is `(x a)`), and when the whole query is one such Bool clause,
// that Bool is the result (`(a b)`, `a AND b`). The result is always a Bool.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "scry/query/query.h"
#include "scry/util/status.h"

namespace scry {

// The deepest nesting of parentheses any query may have, whatever
// ParseLimits::max_depth says. The parser's own stack is on the heap, but
// what consumes its tree (the planner, weights, scorers, to_string, the
// destructors) recurses once or twice per level, with the per-leaf work out
// of line. Measured with tests/engine/engine_test.cpp's deepest query
// under `ulimit -s`: a query this deep answers with a 256 KB stack in a
// Release build and with 1 MB under AddressSanitizer, an eighth of the
// usual 8 MB. Elasticsearch caps the nesting of bool queries likewise (30
// by default).
inline constexpr size_t kMaxQueryDepth = 256;

// Bounds on a query, checked as it is read. The tree parse_query returns is
// at most 2 * max_depth + 2 levels deep, which recursive consumers must
// allow.
struct ParseLimits {
  size_t max_clauses = 1024;  // Leaves (words, phrases, prefixes) in the whole query.
  size_t max_depth = 64;      // Nesting of parentheses (inclusive); at most kMaxQueryDepth.
};

// The widest caret display caret_message() gives (terminal columns of the
// query line, not counting the "..." marks of an excerpt).
inline constexpr size_t kCaretColumns = 80;

// The error of a query that does not parse: what is wrong and where.
struct QueryError {
  size_t position;      // Byte offset in the query string.
  std::string message;  // e.g. "missing closing quote", "unexpected ')'".
};

// Parses `text` in one pass, in time linear in its length. An empty or blank
// text gives an empty Bool (not an error). On a syntax error, returns
// InvalidArgument whose message is "query:COLUMN: MESSAGE" (COLUMN counts
// UTF-8 characters from 1; an invalid byte counts as one) and, when `error`
// is not null, fills it. The errors, each at the position given:
//   missing ')'                       the unclosed '(' (the innermost)
//   unexpected ')'                    the ')'
//   empty parentheses                 the '('
//   missing closing quote             the opening '"'
//   empty phrase                      the opening '"' ("" or only spaces)
//   a phrase cannot be a prefix       the '*' after the closing '"'
//   empty prefix                      the '*' ("*", "title:*", "-*")
//   missing operand before 'AND'      the AND (also OR) with nothing before
//   missing operand after 'AND'       the operator (AND, OR, NOT, '+', '-',
//                                     'title:') with nothing after it
//   'X' cannot follow 'Y'             the second of two unary operators
//   query nested too deeply (limit N) the first '(' past max_depth (or
//                                     past kMaxQueryDepth, when less)
//   too many terms (limit N)          the first leaf past max_clauses
Result<Query> parse_query(std::string_view text, const ParseLimits& limits = {},
                          QueryError* error = nullptr);

// The 1-based character column of byte offset `position` in a query, as
// error messages give it (an invalid byte counts as one character).
size_t query_column(std::string_view text, size_t position);

// "query:COLUMN: MESSAGE", the message of `error` in the query `text`, as
// parse_query() words its errors.
std::string query_error_message(std::string_view text, const QueryError& error);

// The two-line caret display of an error for a terminal, lines joined by
// '\n', no final newline:
//   title:"trillion yuan
//         ^ missing closing quote
// The first line is `text` with control characters shown as spaces and
// invalid bytes as U+FFFD; the second has one space per terminal column
// before the error (2 for East Asian wide characters, 0 for combining
// accents; tabs are copied) and then "^ " and the message. A position past
// the end of `text` puts the caret after its last character. A text wider
// than kCaretColumns (a tab counting 8) is shown as an excerpt of that
// many columns around the error, up to half of them before it, with "..."
// where it was cut.
std::string caret_message(std::string_view text, const QueryError& error);

}  // namespace scry
