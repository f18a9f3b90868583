// scry._scry._Index: one opened index, searched through scry::Engine
// (docs/PYTHON.md). scry/__init__.py's Index wraps it and turns the tuples
// returned here into its dataclasses.
//
// Thread safety: every method may be called from any Python thread. Each
// releases the GIL while the library works and holds the index's mutex
// meanwhile (an Engine is not thread-safe), so calls on one index run one
// at a time, and calls on different indexes in parallel.
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "scry/engine/engine.h"

namespace scry::python {

// How a query is matched and ranked beyond its text, as scry-search's
// --title-weight, --k1, --b and --typos set it; unset: their defaults.
struct Tuning {
  std::optional<double> title_weight;
  std::optional<double> k1;
  std::optional<double> b;
  size_t typo_one = 0;  // TypoTolerance; 0 and 0: off.
  size_t typo_two = 0;
};

class PyIndex {
 public:
  // Opens the index in folder `path`. Raises IndexOpenError with
  // Engine::open's message (as scry-search prints it).
  explicit PyIndex(std::string path);

  // Answers `query`: (total, total_exact, hits), each hit a tuple (rank,
  // id, title, source, score, snippet, highlights): snippet None unless
  // `snippets`, highlights a list of (start, end) character offsets into
  // the snippet. `timeout_ms` 0: no limit. Raises QuerySyntaxError,
  // QueryTimeoutError, CorruptIndexError, Error.
  pybind11::tuple search(const std::string& query, size_t k, size_t offset, bool snippets,
                         bool plain, uint64_t timeout_ms, const Tuning& tuning);

  // The exact number of documents matching `query`; raises as search().
  uint64_t count(const std::string& query, bool plain, uint64_t timeout_ms, const Tuning& tuning);

  // Recomputes the checksum of every file of the index (scry-search
  // --verify); returns how many files it checked. Raises CorruptIndexError.
  size_t verify();

  // The live document with external id `id`: (id, title, source, body,
  // length in tokens). Raises KeyError when there is none,
  // CorruptIndexError on damage.
  pybind11::tuple document(const std::string& id);

  // What the index's MANIFEST says: format version, creator, analyzer
  // settings, documents, average field lengths, segments.
  pybind11::dict stats();

  // The folder the index was opened from.
  const std::string& path() const { return path_; }

  // Opens the index's folder again, to answer from what a build, update,
  // delete or merge published since (the REPL's :reopen). Raises
  // IndexOpenError, keeping the version open until then; ValueError when
  // closed.
  void reopen();

  // Releases the index (its mapped files); later calls raise ValueError.
  void close();
  bool closed();

 private:
  // The engine, under the lock; raises ValueError when closed.
  Engine& engine(const std::unique_lock<std::mutex>& lock);
  // Engine::answer without the GIL; raises the failure (GIL held again).
  Answer answer(const std::string& query, const QueryOptions& options);

  std::string path_;
  std::mutex mutex_;
  std::unique_ptr<Engine> engine_;  // Null once closed.
};

// Registers _Index in `module`.
void register_index(pybind11::module_& module);

}  // namespace scry::python
