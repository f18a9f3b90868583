#include "build.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "errors.h"
#include "scry/format/file_table.h"
#include "scry/format/shard_manifest.h"
#include "scry/index/file_tracker.h"
#include "scry/index/index_builder.h"
#include "scry/index/index_updater.h"
#include "scry/index/publish.h"
#include "scry/text/stop_words.h"
#include "scry/util/file.h"
#include "scry/util/size.h"
#include "text.h"

namespace py = pybind11;

namespace scry::python {

namespace {

// scry-index's bounds (indexer/main.cpp) and their messages.
constexpr uint64_t kMinMemory = uint64_t{64} << 10;
constexpr uint64_t kMinDocSize = uint64_t{1} << 10;
constexpr uint64_t kMaxDocSize = uint64_t{1} << 30;
constexpr int64_t kMaxThreads = 1024;
// Documents read between two looks at Python's signal handlers.
constexpr uint64_t kSignalCheckDocuments = 64;

// One build, update, delete or merge. run() is called without the GIL.
class Job {
 public:
  explicit Job(BuildRequest request) : request_(std::move(request)) {
    request_.reader.cancel = &cancel_;
  }

  Status run() {
    PublishOptions publish;
    publish.wait = request_.wait;
    publish.cancel = &cancel_;
    auto publisher = IndexPublisher::begin(request_.out, publish);
    if (!publisher) return publisher.status();
    std::error_code ec;
    using Mode = BuildRequest::Mode;
    // An update of an index that does not exist yet builds it, as
    // scry-index --update does (under the lock).
    if (request_.mode == Mode::kBuild ||
        (request_.mode == Mode::kUpdate && !std::filesystem::exists(request_.out, ec))) {
      return run_build(publisher->get());
    }
    return run_change(publisher->get());
  }

  // The KeyboardInterrupt (or other exception) a signal handler raised
  // while run() ran, if any.
  std::optional<py::error_already_set>& interrupt() { return interrupt_; }

  // The summary of a successful run(). REQUIRES: the GIL is held.
  py::dict summary() const {
    py::dict out;
    out["changed"] = changed_;
    for (const auto& [name, value] : numbers_) out[name] = value;
    // Messages and ids may name paths that are not UTF-8: their invalid
    // bytes become U+FFFD (to_str), not an exception.
    const auto strs = [](const std::vector<std::string>& texts) {
      py::list list;
      for (const std::string& text : texts) list.append(to_str(text));
      return list;
    };
    if (request_.mode == BuildRequest::Mode::kDelete) out["not_found"] = strs(not_found_);
    out["warnings"] = strs(warnings_);
    return out;
  }

 private:
  // Runs Python's signal handlers (taking the GIL for that); true when one
  // raised, which then cancels the change.
  bool interrupted() {
    if (cancel_.load()) return true;
    py::gil_scoped_acquire held;
    if (PyErr_CheckSignals() != 0) {
      interrupt_.emplace();
      cancel_.store(true);
    }
    return cancel_.load();
  }

  using AddFn = std::function<Result<IndexBuilder::Added>(const Document&)>;
  using BeginFileFn = std::function<bool(const std::string&, uint32_t)>;
  using AddBytesFn = std::function<void(std::string_view)>;

  // Reads every input through `reader` into `add`, asking `begin_file`
  // before each file and giving its bytes to `add_bytes` (DocumentSink's
  // on_file and on_bytes), `may_be_empty` (an update's) which inputs may
  // hold nothing or be gone (IndexUpdater::may_be_empty); counts what it
  // read.
  Status read_inputs(InputReader* reader, const AddFn& add, const BeginFileFn& begin_file,
                     const AddBytesFn& add_bytes,
                     const std::function<bool(const std::string&)>& may_be_empty) {
    auto warn = [&](const std::string& message) { warnings_.push_back(message); };
    DocumentSink sink;
    sink.on_skip = warn;
    sink.on_truncate = warn;
    sink.on_repair = warn;
    sink.on_file = [&](const std::string& path) -> Result<bool> {
      if (interrupted()) return Status::cancelled("interrupted");
      return begin_file(path, static_cast<uint32_t>(indexed_));
    };
    sink.on_bytes = add_bytes;
    sink.on_document = [&](Document&& doc) -> Status {
      ++read_;
      if (request_.shards > 0 && shard_of(doc.id, request_.shards) != request_.shard) {
        return Status::ok();
      }
      if (indexed_ % kSignalCheckDocuments == 0 && interrupted()) {
        return Status::cancelled("interrupted");
      }
      auto added = add(doc);
      if (!added) return added.status();
      if (*added == IndexBuilder::Added::kReplaced) {
        warn(doc.source + ": id \"" + doc.id +
             "\" seen again: this document replaces the earlier one");
      }
      ++indexed_;
      return Status::ok();
    };
    for (const std::string& input : request_.inputs)
      SCRY_RETURN_IF_ERROR(reader->read(input, sink, may_be_empty && may_be_empty(input)));
    const ReadStats& stats = reader->stats();
    if (request_.strict && stats.strict_refuses()) {
      return Status::invalid_argument(strict_refusal(stats) +
                                      " and strict is set; index not written");
    }
    numbers_.emplace_back("input_bytes", stats.input_bytes);
    numbers_.emplace_back("skipped", stats.skipped());
    numbers_.emplace_back("truncated", stats.truncated);
    numbers_.emplace_back("replaced_utf8", stats.replaced_utf8);
    return Status::ok();
  }

  Status run_build(IndexPublisher* publisher) {
    BuildOptions build;
    build.analyzer = request_.analyzer;
    build.memory_budget = request_.memory;
    build.threads = request_.threads;
    build.created_by = std::string("scry-index ") + SCRY_VERSION;
    build.cancel = &cancel_;
    auto builder = IndexBuilder::create(publisher->temp_dir(), build);
    if (!builder) return builder.status();
    InputReader reader(request_.reader);
    FileTracker files({}, segment_name(build.segment), request_.inputs);
    SCRY_RETURN_IF_ERROR(read_inputs(
        &reader, [&](const Document& doc) { return (*builder)->add(doc); },
        [&](const std::string& path, uint32_t next_doc) {
          return files.begin_file(path, next_doc);
        },
        [&](std::string_view bytes) { files.add_bytes(bytes); }, nullptr));
    // A shard may be empty (scry-index --shards writes it so), the whole input not.
    if (read_ == 0) return Status::invalid_argument("no documents to index; index not written");
    files.finish(static_cast<uint32_t>(indexed_));
    auto stats = (*builder)->finish();
    if (!stats) return stats.status();
    SCRY_RETURN_IF_ERROR(write_file_table(publisher->temp_dir() + "/FILES", files.records()));
    stats->index_bytes = folder_bytes(publisher->temp_dir());  // FILES too.
    if (interrupted()) return Status::cancelled("interrupted");
    SCRY_RETURN_IF_ERROR(publisher->commit());
    changed_ = true;
    numbers_.emplace_back("documents", stats->documents - stats->replaced);
    numbers_.emplace_back("replaced", stats->replaced);
    numbers_.emplace_back("terms", stats->terms);
    numbers_.emplace_back("postings", stats->postings);
    numbers_.emplace_back("index_bytes", stats->index_bytes);
    numbers_.emplace_back("stored_text_bytes", stats->stored_text_bytes);
    numbers_.emplace_back("segments", 1);
    return Status::ok();
  }

  Status run_change(IndexPublisher* publisher) {
    using Mode = BuildRequest::Mode;
    UpdateOptions update;
    update.memory_budget = request_.memory;
    update.threads = request_.threads;
    update.created_by = std::string("scry-index ") + SCRY_VERSION;
    update.cancel = &cancel_;
    const bool updating = request_.mode == Mode::kUpdate;
    auto updater =
        IndexUpdater::open(request_.out, publisher->temp_dir(),
                           updating ? request_.inputs : std::vector<std::string>{}, update);
    if (!updater) return updater.status();
    InputReader reader(request_.reader);
    if (updating) {
      SCRY_RETURN_IF_ERROR(read_inputs(
          &reader, [&](const Document& doc) { return (*updater)->add(doc); },
          [&](const std::string& path, uint32_t) { return (*updater)->begin_file(path); },
          [&](std::string_view bytes) { (*updater)->add_bytes(bytes); },
          [&](const std::string& input) { return (*updater)->may_be_empty(input); }));
    } else if (request_.mode == Mode::kDelete) {
      auto missing = (*updater)->delete_ids(request_.inputs);
      if (!missing) return missing.status();
      not_found_ = std::move(missing).value();
      for (const std::string& id : not_found_) {
        warnings_.push_back("no document with id \"" + id + "\"");
      }
    }
    if (request_.merge) (*updater)->merge_all();
    auto stats = (*updater)->finish();
    if (!stats) return stats.status();
    if (request_.mode == Mode::kDelete && stats->deleted == 0) {
      return Status::not_found(count_of(not_found_.size(), "id", "ids") + " given, none found in " +
                               request_.out + "; index not changed");
    }
    if (stats->changed) {
      if (interrupted()) return Status::cancelled("interrupted");
      SCRY_RETURN_IF_ERROR(publisher->commit());
    }
    changed_ = stats->changed;
    numbers_.emplace_back("added", stats->added);
    numbers_.emplace_back("replaced", stats->replaced);
    numbers_.emplace_back("deleted", stats->deleted);
    numbers_.emplace_back("files_read", stats->files_read);
    numbers_.emplace_back("files_removed", stats->files_removed);
    numbers_.emplace_back("merged_segments", stats->merged_segments);
    numbers_.emplace_back("documents", stats->live_documents);
    numbers_.emplace_back("segments", stats->segments);
    numbers_.emplace_back("index_bytes", stats->index_bytes);
    return Status::ok();
  }

  BuildRequest request_;
  std::atomic<bool> cancel_{false};
  std::optional<py::error_already_set> interrupt_;
  uint64_t read_ = 0;     // Documents read so far (routed elsewhere included).
  uint64_t indexed_ = 0;  // Documents added so far.
  bool changed_ = false;
  std::vector<std::pair<const char*, uint64_t>> numbers_;
  std::vector<std::string> not_found_;
  std::vector<std::string> warnings_;
};

// A size option's value ("64M", "4096"), as scry-index reads it.
uint64_t size_option(const char* name, const std::string& text) {
  auto size = parse_size(text);
  if (!size) throw py::value_error(std::string(name) + ": " + size.status().message());
  return *size;
}

BuildRequest::Mode parse_mode(const std::string& mode) {
  using Mode = BuildRequest::Mode;
  if (mode == "build") return Mode::kBuild;
  if (mode == "update") return Mode::kUpdate;
  if (mode == "delete") return Mode::kDelete;
  if (mode == "merge") return Mode::kMerge;
  throw py::value_error("mode: expected build, update, delete or merge, got '" + mode + "'");
}

}  // namespace

py::dict build(BuildRequest request) {
  Job job(std::move(request));
  std::optional<Status> status;
  {
    py::gil_scoped_release unlocked;
    status.emplace(job.run());
  }
  if (job.interrupt()) {
    job.interrupt()->restore();  // The Python error again, raised anew.
    throw py::error_already_set();
  }
  if (!status->is_ok()) raise_status("BuildError", *status);
  return job.summary();
}

void register_build(py::module_& module) {
  module.def(
      "build",
      [](std::vector<std::string> inputs, std::string out, const std::string& mode, bool merge,
         int64_t threads, const std::string& memory, const std::string& max_doc_size, bool wait,
         bool stem, const std::string& stopwords, std::string id_field, std::string title_field,
         std::string body_field, std::vector<std::string> exclude, bool strict, int64_t shard,
         int64_t shards) {
        BuildRequest request;
        if (shards < 0 || shards > kMaxShards || shard < 0 || (shards > 0 && shard >= shards)) {
          throw py::value_error("shard: expected (K, N) with 0 <= K < N <= 256");
        }
        request.shard = static_cast<uint32_t>(shard);
        request.shards = static_cast<uint32_t>(shards);
        request.mode = parse_mode(mode);
        request.inputs = std::move(inputs);
        request.out = std::move(out);
        request.merge = merge;
        if (threads < 1 || threads > kMaxThreads) {
          throw py::value_error("threads: must be from 1 to 1024");
        }
        request.threads = static_cast<unsigned>(threads);
        request.memory = size_option("memory", memory);
        if (request.memory < kMinMemory) throw py::value_error("memory: at least 64K is needed");
        request.reader.max_doc_bytes = size_option("max_doc_size", max_doc_size);
        if (request.reader.max_doc_bytes < kMinDocSize ||
            request.reader.max_doc_bytes > kMaxDocSize) {
          throw py::value_error("max_doc_size: must be from 1K to 1G");
        }
        request.wait = wait;
        request.strict = strict;
        request.analyzer.stem = stem;
        auto stop_list = parse_stop_words(stopwords);
        if (!stop_list) {
          throw py::value_error("stopwords: unknown list '" + stopwords +
                                "' (none, lucene or snowball)");
        }
        request.analyzer.stop_words = *stop_list;
        request.reader.fields.id = std::move(id_field);
        request.reader.fields.title = std::move(title_field);
        request.reader.fields.body = std::move(body_field);
        request.reader.exclude = std::move(exclude);
        return build(std::move(request));
      },
      py::arg("inputs"), py::arg("out"), py::arg("mode"), py::arg("merge"), py::arg("threads"),
      py::arg("memory"), py::arg("max_doc_size"), py::arg("wait"), py::arg("stem"),
      py::arg("stopwords"), py::arg("id_field"), py::arg("title_field"), py::arg("body_field"),
      py::arg("exclude"), py::arg("strict"), py::arg("shard") = 0, py::arg("shards") = 0);
}

}  // namespace scry::python
