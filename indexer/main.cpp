// scry-index: builds a search index from files, folders and JSON lines.
//
//   scry-index [options] INPUT... -o INDEX
//
// Exit codes: 0 success, 2 error (the previous index at INDEX, if any, is
// left as it was). See docs/INDEXING.md.
#include <unistd.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "progress.h"
#include "scry/format/file_table.h"
#include "scry/index/file_tracker.h"
#include "scry/index/index_builder.h"
#include "scry/index/index_updater.h"
#include "scry/index/publish.h"
#include "scry/index/sharded_writer.h"
#include "scry/input/readers.h"
#include "scry/util/exit_codes.h"
#include "scry/util/file.h"
#include "scry/util/option_hint.h"
#include "scry/util/size.h"

namespace po = boost::program_options;

namespace {

using scry::fail;

constexpr const char* kProgram = "scry-index";
constexpr uint64_t kMaxWarnings = 20;
constexpr const char* kDefaultMemory = "256M";
constexpr const char* kDefaultMaxDocSize = "16M";  // scry::kDefaultMaxDocBytes
constexpr uint64_t kMinDocSize = uint64_t{1} << 10;
constexpr uint64_t kMaxDocSize = uint64_t{1} << 30;

// SIGINT and SIGTERM during a change: the handler only records the signal;
// the build checks `interrupted` before each document and between its
// steps, stops, and its temporary folder is removed (docs/INDEXING.md).
std::atomic<bool> interrupted{false};
std::atomic<int> interrupt_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

extern "C" void on_interrupt(int signal) {
  interrupt_signal.store(signal);
  interrupted.store(true);
}

struct Options {
  std::vector<std::string> inputs;
  std::string output;
  uint64_t memory = 0;
  bool stem = true;
  scry::StopWords stop_words = scry::StopWords::kSnowball;  // docs/RELEVANCE.md
  bool quiet = false;
  bool strict = false;
  bool no_wait = false;  // --no-wait: fail when another writer holds the lock.
  unsigned threads = 1;
  unsigned shards = 0;  // --shards N (0: an ordinary index).
  scry::ReaderOptions reader;
  enum class Mode { kBuild, kUpdate, kDelete, kMerge } mode = Mode::kBuild;
  bool merge = false;  // --merge (alone, or after --update / --delete).
};

const char* kUsage =
    "Usage: scry-index [options] INPUT... -o INDEX\n"
    "       scry-index --update [options] INPUT... -o INDEX\n"
    "       scry-index --delete ID... -o INDEX\n"
    "       scry-index --merge -o INDEX\n"
    "       scry-index --shards N [options] INPUT... -o INDEX\n"
    "\n"
    "Builds a search index at INDEX from INPUTs: files (.txt .md .html .htm .jsonl),\n"
    "folders (walked recursively) and '-' (JSON lines on standard input).\n"
    "An existing index at INDEX is replaced atomically when the build succeeds.\n"
    "--update reads only new and changed files into a new segment and deletes the\n"
    "documents of changed and removed files; --delete removes documents by id;\n"
    "--merge merges all segments into one. Each publishes the new index atomically\n"
    "(docs/SEGMENTS.md). --shards splits the index into N shards by a hash of each\n"
    "document's id; the changes above route by the same hash (docs/SHARDS.md).\n";

// Sum of the sizes of the regular files under the inputs, for the progress
// bar; 0 when an input is stdin.
uint64_t total_input_bytes(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& input : inputs) {
    if (input == "-") return 0;
    if (fs::is_regular_file(input, ec)) {
      total += fs::file_size(input, ec);
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(
             input, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::end(it); it.increment(ec)) {
      if (it->is_regular_file(ec)) total += it->file_size(ec);
    }
  }
  return total;
}

// Parses the command line; returns false when the program should exit with
// *exit_code (help, version).
bool parse_args(int argc, char** argv, Options* o, int* exit_code) {
  std::string memory = kDefaultMemory;
  std::string max_doc_size = kDefaultMaxDocSize;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::string stop_words = std::string(scry::stop_words_name(o->stop_words));
  // One option a line, as --help prints them.
  // clang-format off
  po::options_description visible("Options");
  visible.add_options()
      ("help,h", "show this help and exit")
      ("version", "show the version and exit")
      ("output,o", po::value(&o->output)->value_name("INDEX"), "index folder to create or replace (required)")
      ("update,u", "update INDEX from INPUTs: index new and changed files, delete the documents of changed and removed ones")
      ("delete", "delete the documents whose ids are given (instead of INPUTs) from INDEX")
      ("merge", "merge every segment of INDEX into one, dropping deleted documents (also after --update or --delete)")
      ("shards", po::value(&o->shards)->value_name("N"), "build N shards (1 to 256) in INDEX, each document placed by a hash of its id; scry-search searches them in parallel")
      ("threads,j", po::value(&threads)->value_name("N"), "threads that analyze and invert, 1 to 1024 (default: the number of cores); the index is the same for every N")
      ("memory,m", po::value(&memory)->value_name("SIZE"), "budget for in-memory postings, e.g. 64M, 1G (default 256M)")
      ("max-doc-size", po::value(&max_doc_size)->value_name("SIZE"), "longest document indexed, 1K to 1G (default 16M); longer ones are truncated with a warning")
      ("no-wait", "fail (exit 2) instead of waiting when another scry-index is changing INDEX")
      ("stem", "Snowball English stemming (default)")
      ("no-stem", "no stemming")
      ("stopwords", po::value(&stop_words)->value_name("LIST"), "English stop words left out of the index: snowball (151 words, default), lucene (33) or none")
      ("id-field", po::value(&o->reader.fields.id)->value_name("NAME"), "JSON lines field holding the id (default id)")
      ("title-field", po::value(&o->reader.fields.title)->value_name("NAME"), "JSON lines field holding the title (default title)")
      ("body-field", po::value(&o->reader.fields.body)->value_name("NAME"), "JSON lines field holding the text (default body)")
      ("exclude", po::value(&o->reader.exclude)->value_name("GLOB")->composing(), "leave out files and folders matching GLOB (repeatable)")
      ("strict", "fail (exit 2) when any input is skipped or holds invalid UTF-8")
      ("quiet,q", "no progress bar, warnings list or summary");
  // clang-format on
  po::options_description hidden;
  hidden.add_options()("input", po::value(&o->inputs));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("input", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
  } catch (const po::unknown_option& e) {
    scry::rethrow_with_hint(e, visible);
  }
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << kUsage << "\n"
              << visible
              << "\nExit status: 0 success, 2 error, 130 or 143 interrupted by SIGINT or SIGTERM\n"
                 "(INDEX then left as it was).\n";
    *exit_code = 0;
    return false;
  }
  if (vm.count("version")) {
    std::cout << "scry-index " << SCRY_VERSION << "\n";
    *exit_code = 0;
    return false;
  }
  const bool update = vm.count("update") > 0, remove = vm.count("delete") > 0;
  o->merge = vm.count("merge") > 0;
  if (update && remove) throw po::error("--update and --delete cannot be combined");
  o->mode = update     ? Options::Mode::kUpdate
            : remove   ? Options::Mode::kDelete
            : o->merge ? Options::Mode::kMerge
                       : Options::Mode::kBuild;
  if (o->mode != Options::Mode::kBuild) {
    for (const char* name : {"stem", "no-stem", "stopwords"}) {
      if (vm.count(name)) {
        throw po::error(std::string("--") + name +
                        " applies to a build only (an update keeps the index's analyzer settings)");
      }
    }
  }
  if (vm.count("shards") && (o->shards < 1 || o->shards > scry::kMaxShards)) {
    throw po::error("--shards: must be from 1 to " + std::to_string(scry::kMaxShards));
  }
  if (vm.count("shards") && (remove || (o->merge && !update))) {
    throw po::error("--shards applies to a build only (an index keeps its number of shards)");
  }
  if (vm.count("stem") && vm.count("no-stem"))
    throw po::error("--stem and --no-stem contradict each other");
  o->stem = vm.count("no-stem") == 0;
  auto stop_list = scry::parse_stop_words(stop_words);
  if (!stop_list)
    throw po::error("--stopwords: unknown list '" + stop_words + "' (none, lucene or snowball)");
  o->stop_words = *stop_list;
  o->quiet = vm.count("quiet") > 0;
  o->strict = vm.count("strict") > 0;
  o->no_wait = vm.count("no-wait") > 0;
  if (o->output.empty()) throw po::error("missing -o INDEX (where to write the index)");
  if (o->mode == Options::Mode::kMerge && !o->inputs.empty()) {
    throw po::error("--merge takes no INPUT (use --update INPUT... --merge to update, then merge)");
  }
  if (o->mode == Options::Mode::kDelete && o->inputs.empty())
    throw po::error("--delete: no ID given");
  if ((o->mode == Options::Mode::kBuild || o->mode == Options::Mode::kUpdate) &&
      o->inputs.empty()) {
    throw po::error("no INPUT given (files, folders or '-')");
  }
  auto size = scry::parse_size(memory);
  if (!size) throw po::error("--memory: " + size.status().message());
  if (*size < (64u << 10)) throw po::error("--memory: at least 64K is needed");
  o->memory = *size;
  auto doc_size = scry::parse_size(max_doc_size);
  if (!doc_size) throw po::error("--max-doc-size: " + doc_size.status().message());
  if (*doc_size < kMinDocSize || *doc_size > kMaxDocSize)
    throw po::error("--max-doc-size: must be from 1K to 1G");
  o->reader.max_doc_bytes = *doc_size;
  if (threads < 1 || threads > 1024) throw po::error("--threads: must be from 1 to 1024");
  o->threads = threads;
  return true;
}

// The exit status of a change that failed with `status`: after SIGINT or
// SIGTERM, "interrupted" and 128 + the signal's number (130, 143), else the
// error and 2. Either way the index at INDEX is left as it was.
int stopped(const Options& o, const scry::Status& status) {
  if (!interrupted.load()) return fail(kProgram, status.message());
  const int signal = interrupt_signal.load();
  std::fprintf(stderr, "scry-index: interrupted by %s; %s not changed\n",
               signal == SIGINT ? "SIGINT" : "SIGTERM", o.output.c_str());
  return 128 + signal;
}

// Counts what a build or update read, for the summary line.
struct ReadOutcome {
  uint64_t indexed = 0;   // Documents added (doc ids 0..indexed-1).
  uint64_t replaced = 0;  // Of those, replaced by a later one with the same id.
  uint64_t skipped = 0;   // Inputs skipped.
};

// Reads every INPUT through `reader` into `add`, asking `begin_file` before
// each file and giving its bytes to `add_bytes` (see DocumentSink::on_file
// and on_bytes); `may_be_empty` (an update's) says which INPUTs may hold
// nothing or be gone (IndexUpdater::may_be_empty). Prints warnings and the
// progress bar. Returns the exit code on failure (0: go on) and fills
// *outcome.
int read_inputs(
    const Options& o, scry::InputReader* reader,
    const std::function<scry::Result<scry::IndexBuilder::Added>(const scry::Document&)>& add,
    const std::function<bool(const std::string&, uint32_t)>& begin_file,
    const std::function<void(std::string_view)>& add_bytes,
    const std::function<bool(const std::string&)>& may_be_empty, ReadOutcome* outcome) {
  bool show_progress = !o.quiet && ::isatty(STDERR_FILENO);
  scry::Progress progress(show_progress, show_progress ? total_input_bytes(o.inputs) : 0);
  uint64_t warnings = 0;
  auto warn = [&](const std::string& message) {
    if (o.quiet) return;
    if (++warnings <= kMaxWarnings) {
      progress.finish();
      std::fprintf(stderr, "scry-index: warning: %s\n", message.c_str());
    }
  };
  uint64_t indexed = 0, replaced = 0;
  scry::DocumentSink sink;
  sink.on_skip = warn;
  sink.on_truncate = warn;
  sink.on_repair = warn;
  sink.on_file = [&](const std::string& path) -> scry::Result<bool> {
    return begin_file(path, static_cast<uint32_t>(indexed));
  };
  sink.on_bytes = add_bytes;
  sink.on_document = [&](scry::Document&& doc) -> scry::Status {
    auto added = add(doc);
    if (!added) return added.status();
    if (*added == scry::IndexBuilder::Added::kReplaced) {
      ++replaced;
      warn(doc.source + ": id \"" + doc.id +
           "\" seen again: this document replaces the earlier one");
    }
    ++indexed;
    progress.update(indexed, reader->stats().input_bytes);
    return scry::Status::ok();
  };
  for (const auto& input : o.inputs) {
    scry::Status s = reader->read(input, sink, may_be_empty && may_be_empty(input));
    if (!s.is_ok()) {
      progress.finish();
      return stopped(o, s);
    }
  }
  progress.finish();
  const scry::ReadStats& rs = reader->stats();
  outcome->indexed = indexed;
  outcome->replaced = replaced;
  outcome->skipped = rs.skipped();
  if (warnings > kMaxWarnings) {
    std::fprintf(stderr, "scry-index: warning: ... and %s more\n",
                 scry::group_digits(warnings - kMaxWarnings).c_str());
  }
  if (o.strict && rs.strict_refuses()) {
    return fail(kProgram, scry::strict_refusal(rs) + " and --strict is set; index not written");
  }
  return 0;
}

// " (skipped N: ...; T truncated ...; R replaced by a later document with
// the same id)" for the summary line, or "".
std::string skipped_summary(const scry::ReadStats& rs, const ReadOutcome& read) {
  std::vector<std::string> parts;
  if (read.skipped > 0) {
    parts.push_back("skipped " + scry::group_digits(read.skipped) + ": " +
                    scry::group_digits(rs.skipped_binary) + " binary, " +
                    scry::group_digits(rs.skipped_empty) + " empty, " +
                    scry::group_digits(rs.skipped_malformed) + " malformed, " +
                    scry::group_digits(rs.skipped_unreadable) + " unreadable");
  }
  if (rs.truncated > 0) {
    parts.push_back(scry::group_digits(rs.truncated) + " truncated to --max-doc-size");
  }
  if (read.replaced > 0) {
    parts.push_back(scry::group_digits(read.replaced) +
                    " replaced by a later document with the same id");
  }
  std::string joined;
  for (const std::string& part : parts) joined += (joined.empty() ? " (" : "; ") + part;
  return joined.empty() ? "" : joined + ")";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A build into `publisher`'s temporary folder.
int run_build(const Options& o, scry::IndexPublisher* publisher) {
  auto start = std::chrono::steady_clock::now();

  scry::BuildOptions build;
  build.analyzer.stem = o.stem;
  build.analyzer.stop_words = o.stop_words;
  build.memory_budget = o.memory;
  build.threads = o.threads;
  build.created_by = std::string("scry-index ") + SCRY_VERSION;
  build.cancel = &interrupted;
  // One index, or with --shards one a shard (scry/index/sharded_writer.h).
  std::unique_ptr<scry::IndexBuilder> builder;
  std::unique_ptr<scry::ShardedBuilder> sharded;
  if (o.shards > 0) {
    auto created = scry::ShardedBuilder::create(publisher->temp_dir(), o.shards, build, o.inputs);
    if (!created) return stopped(o, created.status());
    sharded = std::move(created).value();
  } else {
    auto created = scry::IndexBuilder::create(publisher->temp_dir(), build);
    if (!created) return stopped(o, created.status());
    builder = std::move(created).value();
  }

  scry::InputReader reader(o.reader);
  scry::FileTracker files({}, scry::segment_name(build.segment), o.inputs);
  ReadOutcome read;
  int code = read_inputs(
      o, &reader,
      [&](const scry::Document& doc) { return sharded ? sharded->add(doc) : builder->add(doc); },
      [&](const std::string& path, uint32_t next_doc) {
        return sharded ? sharded->begin_file(path) : files.begin_file(path, next_doc);
      },
      [&](std::string_view bytes) {
        if (sharded) {
          sharded->add_bytes(bytes);
        } else {
          files.add_bytes(bytes);
        }
      },
      nullptr, &read);
  if (code != 0) return code;
  if (read.indexed == 0) return fail(kProgram, "no documents to index; index not written");
  files.finish(static_cast<uint32_t>(read.indexed));

  auto stats = sharded ? sharded->finish() : builder->finish();
  if (!stats) return stopped(o, stats.status());
  if (!sharded) {
    scry::Status written =
        scry::write_file_table(publisher->temp_dir() + "/FILES", files.records());
    if (!written.is_ok()) return stopped(o, written);
    stats->index_bytes = scry::folder_bytes(publisher->temp_dir());  // FILES too.
  }
  if (interrupted.load()) return stopped(o, scry::Status::cancelled("interrupted"));
  scry::Status committed = publisher->commit();
  if (!committed.is_ok()) return fail(kProgram, committed.message());

  if (!o.quiet) {
    const scry::ReadStats& rs = reader.stats();
    double seconds = seconds_since(start);
    double mb = static_cast<double>(rs.input_bytes) / 1e6;
    std::string repaired;
    if (rs.replaced_utf8 > 0) {
      repaired =
          "; " +
          scry::count_of(rs.replaced_utf8, "invalid UTF-8 sequence", "invalid UTF-8 sequences") +
          " replaced";
    }
    std::printf(
        "scry-index: %s%s, %s, %s, %.2f MB in %.2f s (%.1f MB/s), "
        "index %s bytes (%s without stored text)%s -> %s\n",
        scry::count_of(stats->documents - stats->replaced, "document", "documents").c_str(),
        skipped_summary(rs, read).c_str(), scry::count_of(stats->terms, "term", "terms").c_str(),
        scry::count_of(stats->postings, "posting", "postings").c_str(), mb, seconds,
        seconds > 0 ? mb / seconds : 0.0, scry::group_digits(stats->index_bytes).c_str(),
        scry::group_digits(stats->index_bytes - stats->stored_text_bytes).c_str(), repaired.c_str(),
        (o.output + (o.shards > 0 ? " (" + scry::count_of(o.shards, "shard", "shards") + ")" : ""))
            .c_str());
  }
  return 0;
}

// --update, --delete and --merge: the next version of an existing index,
// through an IndexUpdater, or a ShardedUpdater for a sharded index.
template <class Updater>
int run_change(const Options& o, scry::IndexPublisher* publisher) {
  auto start = std::chrono::steady_clock::now();
  scry::UpdateOptions update;
  update.memory_budget = o.memory;
  update.threads = o.threads;
  update.created_by = std::string("scry-index ") + SCRY_VERSION;
  update.cancel = &interrupted;
  const bool updating = o.mode == Options::Mode::kUpdate;
  auto updater = Updater::open(o.output, publisher->temp_dir(),
                               updating ? o.inputs : std::vector<std::string>{}, update);
  if (!updater) return stopped(o, updater.status());

  scry::InputReader reader(o.reader);
  ReadOutcome read;
  uint64_t not_found = 0;
  if (updating) {
    int code = read_inputs(
        o, &reader, [&](const scry::Document& doc) { return (*updater)->add(doc); },
        [&](const std::string& path, uint32_t) { return (*updater)->begin_file(path); },
        [&](std::string_view bytes) { (*updater)->add_bytes(bytes); },
        [&](const std::string& input) { return (*updater)->may_be_empty(input); }, &read);
    if (code != 0) return code;
  } else if (o.mode == Options::Mode::kDelete) {
    auto missing = (*updater)->delete_ids(o.inputs);
    if (!missing) return stopped(o, missing.status());
    not_found = missing->size();
    for (const std::string& id : *missing) {
      std::fprintf(stderr, "scry-index: warning: no document with id \"%s\"\n", id.c_str());
    }
  }
  if (o.merge) (*updater)->merge_all();
  auto stats = (*updater)->finish();
  if (!stats) return stopped(o, stats.status());
  if (o.mode == Options::Mode::kDelete && stats->deleted == 0) {
    return fail(kProgram, scry::count_of(not_found, "id", "ids") + " given, none found in " +
                              o.output + "; index not changed");
  }
  if (!stats->changed) {
    if (!o.quiet) std::printf("scry-index: %s is up to date\n", o.output.c_str());
    return 0;
  }
  if (interrupted.load()) return stopped(o, scry::Status::cancelled("interrupted"));
  scry::Status committed = publisher->commit();
  if (!committed.is_ok()) return fail(kProgram, committed.message());
  if (!o.quiet) {
    using scry::group_digits;
    std::string what;
    if (updating) {
      what = scry::count_of(stats->files_read, "file", "files") + " read, " +
             scry::count_of(stats->added, "document", "documents") + " added" +
             skipped_summary(reader.stats(), read) + ", " +
             scry::count_of(stats->files_removed, "file", "files") + " gone, " +
             scry::count_of(stats->deleted, "document", "documents") + " deleted";
    } else if (o.mode == Options::Mode::kDelete) {
      what = scry::count_of(stats->deleted, "document", "documents") + " deleted";
    }
    if (stats->merged_segments > 0) {
      what += std::string(what.empty() ? "" : ", ") +
              scry::count_of(stats->merged_segments, "segment", "segments") + " merged";
    }
    std::printf("scry-index: %s: %s; now %s in %s, %s bytes (%.2f s)\n", o.output.c_str(),
                what.c_str(),
                scry::count_of(stats->live_documents, "document", "documents").c_str(),
                scry::count_of(stats->segments, "segment", "segments").c_str(),
                group_digits(stats->index_bytes).c_str(), seconds_since(start));
  }
  return 0;
}

int run(int argc, char** argv) {
  Options o;
  int exit_code = 0;
  if (!parse_args(argc, argv, &o, &exit_code)) return exit_code;
  o.reader.cancel = &interrupted;
  // One writer at a time: the publisher holds INDEX's lock until it is
  // destroyed (scry/index/publish.h).
  scry::PublishOptions publish;
  publish.wait = !o.no_wait;
  publish.cancel = &interrupted;
  publish.on_wait = [&](long pid) {
    const std::string holder = pid > 0 ? "pid " + std::to_string(pid) : "another scry-index";
    std::fprintf(stderr, "scry-index: waiting for the lock held by %s on %s\n", holder.c_str(),
                 o.output.c_str());
  };
  if (scry::is_shard_folder(o.output)) {
    return fail(kProgram, o.output +
                              " is a shard of a sharded index; change the sharded index (its "
                              "parent folder) instead, which routes documents to their shard");
  }
  auto publisher = scry::IndexPublisher::begin(o.output, publish);
  if (!publisher) return stopped(o, publisher.status());
  // --update of an index that does not exist yet builds it (under the
  // lock, so that no other writer creates it meanwhile).
  std::error_code ec;
  if (o.mode == Options::Mode::kUpdate && !std::filesystem::exists(o.output, ec))
    return run_build(o, publisher->get());
  if (o.mode == Options::Mode::kBuild) return run_build(o, publisher->get());
  if (!scry::is_sharded(o.output)) {
    if (o.shards > 0) {
      return fail(kProgram, o.output + " is not sharded; --shards applies to a build only");
    }
    return run_change<scry::IndexUpdater>(o, publisher->get());
  }
  if (o.shards > 0) {
    auto layout = scry::read_shard_manifest(o.output);
    if (!layout) return fail(kProgram, layout.status().message());
    if (layout->shards != o.shards) {
      return fail(kProgram, o.output + " has " + std::to_string(layout->shards) + " shards, not " +
                                std::to_string(o.shards) +
                                ": another number of shards needs a build (without --update)");
    }
  }
  return run_change<scry::ShardedUpdater>(o, publisher->get());
}

}  // namespace

int main(int argc, char** argv) {
  // A file size limit (ulimit -f) must fail the write that passes it, as a
  // full disk does, so that the build stops with an error naming the file
  // and removes its temporary folder: SIGXFSZ would kill it without a word.
  std::signal(SIGXFSZ, SIG_IGN);
  // SIGINT and SIGTERM stop a change cleanly (see on_interrupt); a second
  // one kills at once (SA_RESETHAND). A signal ignored on entry (a
  // background job's SIGINT) stays ignored.
  for (int signal : {SIGINT, SIGTERM}) {
    struct sigaction old = {};
    if (::sigaction(signal, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    struct sigaction action = {};
    action.sa_handler = on_interrupt;
    action.sa_flags = static_cast<int>(SA_RESTART | SA_RESETHAND);
    sigemptyset(&action.sa_mask);
    ::sigaction(signal, &action, nullptr);
  }
  try {
    return scry::exit_status(kProgram, run(argc, argv));
  } catch (const po::error& e) {
    return fail(kProgram, std::string(e.what()) + " (see scry-index --help)");
  } catch (const std::bad_alloc&) {
    return fail(kProgram, "out of memory");
  } catch (const std::exception& e) {
    return fail(kProgram, e.what());
  }
}
