#include "index.h"

#include <pybind11/stl.h>
#include <chrono>
#include <optional>
#include <utility>

#include "errors.h"
#include "scry/engine/documents.h"
#include "scry/format/format.h"
#include "scry/format/manifest.h"
#include "scry/text/stop_words.h"
#include "text.h"

namespace py = pybind11;

namespace scry::python {

namespace {

QueryOptions query_options(bool plain, uint64_t timeout_ms, const Tuning& tuning) {
  QueryOptions options;
  options.plain = plain;
  options.timeout = std::chrono::milliseconds(timeout_ms);
  if (tuning.title_weight) options.title_weight = *tuning.title_weight;
  if (tuning.k1) options.bm25.k1 = *tuning.k1;
  if (tuning.b) options.bm25.b = *tuning.b;
  options.typos = TypoTolerance{tuning.typo_one, tuning.typo_two};
  return options;
}

py::tuple hit_tuple(const AnswerHit& hit) {
  py::object snippet = py::none();
  py::list highlights;
  if (hit.snippet) {
    snippet = to_str(hit.snippet->text);
    highlights = char_ranges(hit.snippet->text, hit.snippet->highlights);
  }
  return py::make_tuple(hit.rank, to_str(hit.id), to_str(hit.title), to_str(hit.source), hit.score,
                        snippet, highlights);
}

py::dict segment_dict(const SegmentMeta& segment) {
  py::dict out;
  out["name"] = segment.name;
  out["documents"] = segment.live_documents();
  out["deleted"] = segment.deleted;
  out["terms"] = segment.terms;
  out["postings"] = segment.postings;
  out["positions"] = segment.positions;
  return out;
}

}  // namespace

PyIndex::PyIndex(std::string path) : path_(std::move(path)) {
  std::optional<Result<std::unique_ptr<Engine>>> engine;
  {
    py::gil_scoped_release unlocked;
    engine.emplace(Engine::open(path_));
  }
  if (!*engine) raise_status("IndexOpenError", engine->status());
  engine_ = std::move(*engine).value();
}

Engine& PyIndex::engine(const std::unique_lock<std::mutex>& lock) {
  (void)lock;
  // A C++ exception: pybind11 sets the Python error once the GIL is back.
  if (engine_ == nullptr) throw py::value_error("I/O operation on a closed scry.Index");
  return *engine_;
}

Answer PyIndex::answer(const std::string& query, const QueryOptions& options) {
  std::optional<Result<Answer>> answer;
  {
    py::gil_scoped_release unlocked;
    std::unique_lock lock(mutex_);
    answer.emplace(engine(lock).answer(query, options));
  }
  if (!*answer) raise_read_error(answer->status());
  if ((*answer)->syntax_error) {
    raise_syntax_error(query, *(*answer)->syntax_error, (*answer)->syntax_message);
  }
  return std::move(*answer).value();
}

py::tuple PyIndex::search(const std::string& query, size_t k, size_t offset, bool snippets,
                          bool plain, uint64_t timeout_ms, const Tuning& tuning) {
  QueryOptions options = query_options(plain, timeout_ms, tuning);
  options.k = k;
  options.offset = offset;
  options.snippets = snippets;
  Answer found = answer(query, options);
  py::list hits;
  for (const AnswerHit& hit : found.hits) hits.append(hit_tuple(hit));
  return py::make_tuple(found.total_hits, found.total_exact, hits);
}

uint64_t PyIndex::count(const std::string& query, bool plain, uint64_t timeout_ms,
                        const Tuning& tuning) {
  QueryOptions options = query_options(plain, timeout_ms, tuning);
  options.count_only = true;
  return answer(query, options).total_hits;
}

size_t PyIndex::verify() {
  std::optional<Result<size_t>> checked;
  {
    py::gil_scoped_release unlocked;
    std::unique_lock lock(mutex_);
    checked.emplace(engine(lock).index().verify());
  }
  if (!*checked) raise_read_error(checked->status());
  return checked->value();
}

py::tuple PyIndex::document(const std::string& id) {
  std::optional<Result<StoredDocument>> found;
  {
    py::gil_scoped_release unlocked;
    std::unique_lock lock(mutex_);
    found.emplace(find_document(engine(lock).index(), id));
  }
  if (!*found) {
    if (found->status().code() == Status::Code::kNotFound) throw py::key_error(id);
    raise_read_error(found->status());
  }
  const StoredDocument& doc = found->value();
  return py::make_tuple(to_str(doc.id), to_str(doc.title), to_str(doc.source), to_str(doc.body),
                        doc.length);
}

py::dict PyIndex::stats() {
  std::optional<Manifest> copied;
  {
    py::gil_scoped_release unlocked;
    std::unique_lock lock(mutex_);
    copied.emplace(engine(lock).index().manifest());
  }
  const Manifest& manifest = *copied;
  py::dict out;
  out["path"] = path_;
  out["format_version"] = manifest.format_version;
  out["created_by"] = manifest.created_by;
  out["documents"] = manifest.live_documents();
  out["deleted"] = manifest.documents() - manifest.live_documents();
  py::dict average;
  for (size_t f = 0; f < kFieldCount; ++f) {
    average[kFieldNames[f]] = manifest.average_length(static_cast<Field>(f));
  }
  out["average_length"] = average;
  py::dict analyzer;
  analyzer["version"] = manifest.analyzer.version;
  analyzer["stem"] = manifest.analyzer.stem;
  analyzer["stop_words"] = std::string(stop_words_name(manifest.analyzer.stop_words));
  out["analyzer"] = analyzer;
  py::list segments;
  for (const SegmentMeta& segment : manifest.segments) segments.append(segment_dict(segment));
  out["segments"] = segments;
  return out;
}

void PyIndex::reopen() {
  std::optional<Result<std::unique_ptr<Engine>>> reopened;
  std::unique_ptr<Engine> replaced;
  {
    py::gil_scoped_release unlocked;
    reopened.emplace(Engine::open(path_));
    if (*reopened) {
      std::unique_lock lock(mutex_);
      engine(lock);  // Not when closed.
      replaced = std::exchange(engine_, std::move(*reopened).value());
    }
  }
  if (!*reopened) raise_status("IndexOpenError", reopened->status());
}

void PyIndex::close() {
  std::unique_ptr<Engine> released;
  {
    py::gil_scoped_release unlocked;
    std::unique_lock lock(mutex_);
    released = std::move(engine_);
  }
}

bool PyIndex::closed() {
  py::gil_scoped_release unlocked;
  std::unique_lock lock(mutex_);
  return engine_ == nullptr;
}

void register_index(py::module_& module) {
  py::class_<Tuning>(module, "_Tuning")
      .def(py::init<std::optional<double>, std::optional<double>, std::optional<double>, size_t,
                    size_t>(),
           py::arg("title_weight"), py::arg("k1"), py::arg("b"), py::arg("typo_one"),
           py::arg("typo_two"));
  py::class_<PyIndex>(module, "_Index")
      .def(py::init<std::string>(), py::arg("path"))
      .def("search", &PyIndex::search, py::arg("query"), py::arg("k"), py::arg("offset"),
           py::arg("snippets"), py::arg("plain"), py::arg("timeout_ms"), py::arg("tuning"))
      .def("count", &PyIndex::count, py::arg("query"), py::arg("plain"), py::arg("timeout_ms"),
           py::arg("tuning"))
      .def("verify", &PyIndex::verify)
      .def("document", &PyIndex::document, py::arg("id"))
      .def("stats", &PyIndex::stats)
      .def("reopen", &PyIndex::reopen)
      .def("close", &PyIndex::close)
      .def_property_readonly("closed", &PyIndex::closed)
      .def_property_readonly("path", &PyIndex::path);
}

}  // namespace scry::python
