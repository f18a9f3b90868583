// QueryParser: query strings to Query trees (syntax in query.h and
// docs/QUERY.md).
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "scry/searcher/query.h"
#include "scry/util/status.h"

namespace scry {

struct ParseLimits {
  size_t max_clauses = 1024;  // Leaves in the whole query.
  size_t max_depth = 64;      // Nesting of parentheses.
};

// The error of a query that does not parse: what is wrong and where.
struct QueryError {
  size_t position;      // Byte offset in the query string.
  std::string message;  // e.g. "missing closing quote", "unexpected ')'".
};

// Parses `text`. On a syntax error, returns InvalidArgument whose message is
// "query:COLUMN: MESSAGE" (COLUMN counts characters from 1) and, when
// `error` is not null, fills it.
Result<Query> parse_query(std::string_view text, const ParseLimits& limits = {},
                          QueryError* error = nullptr);

// The two-line caret display of an error for a terminal:
//   title:"trillion yuan
//         ^ missing closing quote
std::string caret_message(std::string_view text, const QueryError& error);

}  // namespace scry
