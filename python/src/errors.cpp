#include "errors.h"

#include <pybind11/pybind11.h>

#include "text.h"

namespace py = pybind11;

namespace scry::python {

namespace {

const char* code_name(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "ok";
    case Status::Code::kNotFound:
      return "not_found";
    case Status::Code::kCorruption:
      return "corruption";
    case Status::Code::kInvalidArgument:
      return "invalid_argument";
    case Status::Code::kIOError:
      return "io_error";
    case Status::Code::kNotSupported:
      return "not_supported";
    case Status::Code::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

// Sets `exception` (an instance of scry._errors' class `type`) as the
// Python error and throws.
[[noreturn]] void raise(const py::object& type, const py::object& exception) {
  PyErr_SetObject(type.ptr(), exception.ptr());
  throw py::error_already_set();
}

py::object error_class(const char* name) { return py::module_::import("scry._errors").attr(name); }

}  // namespace

void raise_status(const char* class_name, const Status& status) {
  py::object type = error_class(class_name);
  // A message naming a path that is not UTF-8 keeps its invalid bytes.
  raise(type, type(to_str(status.message()), code_name(status.code())));
}

void raise_syntax_error(std::string_view query, const QueryError& error,
                        const std::string& message) {
  py::object type = error_class("QuerySyntaxError");
  raise(type,
        type(to_str(message), to_str(query), query_column(query, error.position), error.message));
}

void raise_read_error(const Status& status) {
  switch (status.code()) {
    case Status::Code::kCancelled:
      raise_status("QueryTimeoutError", status);
    case Status::Code::kCorruption:
      raise_status("CorruptIndexError", status);
    default:
      raise_status("Error", status);
  }
}

}  // namespace scry::python
