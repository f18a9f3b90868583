// scry._scry.build: what `scry-index` does (a build, --update, --delete,
// --merge), through the same library calls: IndexPublisher (the writer's
// lock, atomic publication), IndexBuilder or IndexUpdater, InputReader and
// FileTracker. scry/__init__.py's build() checks the combination of
// options and calls it. docs/PYTHON.md describes both.
//
// The GIL is released while the index is written. The calling thread
// takes it back every few documents to run Python's signal handlers: a
// KeyboardInterrupt (Ctrl-C) stops the change, leaving the index as it
// was, and is raised.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

#include "scry/input/readers.h"
#include "scry/text/analyzer.h"

namespace scry::python {

struct BuildRequest {
  enum class Mode { kBuild, kUpdate, kDelete, kMerge };
  Mode mode = Mode::kBuild;
  std::vector<std::string> inputs;  // INPUTs; with kDelete, the ids to delete.
  std::string out;                  // The index folder.
  bool merge = false;               // Merge every segment (after an update or delete too).
  unsigned threads = 1;
  uint64_t memory = uint64_t{256} << 20;
  bool wait = true;     // Wait for another writer's lock (false: fail).
  bool strict = false;  // Fail when an input is skipped.
  // A build of one shard (scry.cluster, docs/DISTRIBUTED.md): when shards
  // > 0, only the documents routed to `shard` (shard_of(id, shards)) are
  // indexed; the others are read and skipped, as scry-index --shards puts
  // them into their own shards.
  uint32_t shard = 0;
  uint32_t shards = 0;
  AnalyzerConfig analyzer;
  ReaderOptions reader;
};

// Runs `request`; returns its summary (docs/PYTHON.md, "build"). Raises
// BuildError with scry-index's message when it fails (the index at
// request.out then left as it was), KeyboardInterrupt when interrupted.
pybind11::dict build(BuildRequest request);

// Registers build() in `module`, taking scry-index's option values
// (sizes as text, "64M"; the stop list by name) and raising ValueError with
// scry-index's wording when one is out of range.
void register_build(pybind11::module_& module);

}  // namespace scry::python
