// How the binding reports failures: as the exceptions of scry/_errors.py
// (docs/PYTHON.md, "Errors"), each carrying the command line's one-line
// message. Every function here sets the Python error and throws
// pybind11::error_already_set, which pybind11 passes on to Python.
//
// REQUIRES (every function): the calling thread holds the GIL.
#pragma once

#include <string>
#include <string_view>

#include "scry/query/query_parser.h"
#include "scry/util/status.h"

namespace scry::python {

// Raises scry.<class_name>(message, code), code being `status`'s code as a
// name ("not_found", "corruption", ...). REQUIRES: !status.is_ok()
[[noreturn]] void raise_status(const char* class_name, const Status& status);

// Raises scry.QuerySyntaxError for `query`, which does not parse: its
// message is `message` ("query:COLUMN: MESSAGE", as scry-search prints it),
// with the 1-based character column of the error and its bare reason.
[[noreturn]] void raise_syntax_error(std::string_view query, const QueryError& error,
                                     const std::string& message);

// Raises the error of a query or document read that failed with `status`:
// QueryTimeoutError (Cancelled), CorruptIndexError (Corruption), else Error.
[[noreturn]] void raise_read_error(const Status& status);

}  // namespace scry::python
