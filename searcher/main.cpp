// scry-search: answers ranked BM25 queries on an index built by scry-index.
//
//   scry-search [options] INDEX [QUERY]
//   scry-search [options] [QUERY]          (the index in $SCRY_INDEX)
//   scry-search [options] INDEX --doc ID | --list
//
// With a QUERY: answers it and exits. Without one: a REPL when stdin is a
// terminal, else one query per line of stdin. Exit codes as grep: 0 some
// hit, 1 no hit, 2 error. See docs/SEARCHING.md.
#include <unistd.h>

#include <boost/program_options.hpp>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "browse.h"
#include "cli.h"
#include "repl.h"
#include "scry/engine/engine.h"
#include "scry/format/shard_manifest.h"
#include "scry/util/file.h"
#include "scry/util/option_hint.h"
#include "scry/util/size.h"

namespace po = boost::program_options;

namespace {

struct Options {
  std::string index;
  std::string query;
  std::string queries;  // --queries FILE.
  bool has_query = false;
  bool verify = false;
  bool index_from_env = false;  // INDEX is $SCRY_INDEX.
  std::string doc;              // --doc ID.
  bool has_doc = false;
  bool list = false;
  bool suggest = false;  // --suggest.
  scry::RunOptions run;
};

const char* kUsage =
    "Usage: scry-search [options] INDEX [QUERY]\n"
    "       scry-search [options] [QUERY]   (searches $SCRY_INDEX)\n"
    "       scry-search [options] INDEX --doc ID | --list\n"
    "\n"
    "Answers QUERY on the index in folder INDEX (built by scry-index) with ranked\n"
    "BM25 hits and snippets. Without a QUERY: an interactive prompt when standard\n"
    "input is a terminal, else one query per line of standard input (a line\n"
    "ID<TAB>QUERY tags its results with ID; otherwise the line number does).\n"
    "\n"
    "Query syntax: words (ranked OR), +required, -excluded, \"a phrase\", AND, OR,\n"
    "NOT, ( ), prefix*, title:word, word~N (within N = 0, 1 or 2 edits; word~: 2).\n"
    "Several QUERY arguments are joined by spaces.\n";

const char* kEnvironment =
    "\nEnvironment:\n"
    "  SCRY_INDEX    the index to search when none is named: unless the first argument\n"
    "                is an index folder (one holding a MANIFEST), every argument is a\n"
    "                query word\n"
    "  NO_COLOR      no colour when set and not empty\n"
    "  PAGER         the REPL's :show pages a document through it (default: less -R)\n";

// Where the index is among the positional arguments `args`
// (docs/SEARCHING.md, "The default index"): sets *index and returns the
// position of the first query word. The first argument is the index unless
// SCRY_INDEX is set (not empty) and it is not an index folder (a folder
// holding a MANIFEST): then the index is $SCRY_INDEX and every argument is
// a query word.
size_t choose_index(const std::vector<std::string>& args, std::string* index) {
  const char* fallback = std::getenv("SCRY_INDEX");
  if (fallback == nullptr || fallback[0] == '\0') {
    if (args.empty()) throw po::error("no INDEX given (name one, or set SCRY_INDEX to an index)");
    *index = args[0];
    return 1;
  }
  std::error_code ec;
  if (!args.empty() && (std::filesystem::exists(std::filesystem::path(args[0]) / "MANIFEST", ec) ||
                        scry::is_sharded(args[0]))) {
    *index = args[0];
    return 1;
  }
  *index = fallback;
  return 0;
}

// The highlight mode of --highlight, or the default: ANSI colour when
// stdout is a terminal and NO_COLOR is unset or empty, else none.
scry::Highlight highlight_mode(const std::string& name, bool given) {
  if (given) {
    if (name == "ansi") return scry::Highlight::kAnsi;
    if (name == "markers") return scry::Highlight::kMarkers;
    if (name == "none") return scry::Highlight::kNone;
    throw po::error("--highlight: expected ansi, markers or none, got '" + name + "'");
  }
  const char* no_color = std::getenv("NO_COLOR");
  bool colour = ::isatty(STDOUT_FILENO) && (no_color == nullptr || no_color[0] == '\0');
  return colour ? scry::Highlight::kAnsi : scry::Highlight::kNone;
}

// The value of a checked option, or a po::error naming it.
template <typename T>
T checked(const char* option, const scry::Result<T>& value) {
  if (!value) throw po::error(std::string(option) + ": " + value.status().message());
  return value.value();
}

// Parses the command line; returns false when the program should exit with
// *exit_code (help, version).
bool parse_args(int argc, char** argv, Options* o, int* exit_code) {
  std::string format = "text", top, offset, highlight, k1, b, title_weight, max_terms, max_depth,
              timeout, typos;
  std::vector<std::string> positional_args;
  // One option a line, as --help prints them.
  // clang-format off
  po::options_description visible("Options");
  visible.add_options()
      ("help,h", "show this help and exit")
      ("version", "show the version and exit")
      ("format,f", po::value(&format)->value_name("F"), "output format: text (default), tsv, json or trec (run lines for trec_eval)")
      ("top,k", po::value(&top)->value_name("N"), "hits per query (default 10)")
      ("offset", po::value(&offset)->value_name("N"), "skip the N best hits first (paging; default 0)")
      ("explain", "show each term's idf, tf, document length and share of the score")
      ("count", "print only the number of matching documents")
      ("no-snippets", "leave snippets out (the hits' stored texts are not read)")
      ("highlight", po::value(&highlight)->value_name("MODE"),
       "ansi, markers (**match**) or none (default: ansi on a terminal unless NO_COLOR is set)")
      ("k1", po::value(&k1)->value_name("X"), "BM25 k1 >= 0 (default 1.2)")
      ("b", po::value(&b)->value_name("X"), "BM25 b from 0 to 1 (default 0.75)")
      ("title-weight", po::value(&title_weight)->value_name("W"),
       "a word found in a hit's title also scores W times its BM25 in the title (default "
       "0.5; 0: title words count like body words)")
      ("typos", "typo-tolerant words: a word of 5 characters or more also matches the terms one edit away, of 9 or more two edits away; exact matches rank first (default off)")
      ("typo-lengths", po::value(&typos)->value_name("ONE,TWO"),
       "with --typos, the word lengths from which one and two edits are allowed (default 5,9; "
       "ONE alone: never two)")
      ("plain", "queries are plain text (natural language), not the query language: "
                "every word is an optional term, nothing is syntax")
      ("max-terms", po::value(&max_terms)->value_name("N"),
       "refuse a query of more than N words, phrases and prefixes, or terms once analyzed (a "
       "phrase counts each word; --plain: distinct words; default 1024)")
      ("max-depth", po::value(&max_depth)->value_name("N"),
       "refuse a query nested more than N parentheses deep (default 64, at most 256)")
      ("timeout", po::value(&timeout)->value_name("MS"),
       "stop a query still running after MS milliseconds, an error (default 10000; 0: no limit)")
      ("queries", po::value(&o->queries)->value_name("FILE"),
       "read the queries from FILE, one a line (ID<TAB>query or query), as from a pipe")
      ("stats", "print open and query times on stderr")
      ("verify", "check every checksum of INDEX and exit")
      ("doc", po::value(&o->doc)->value_name("ID"), "print the stored document ID (id, title, source, text) and exit (status 1 when there is none)")
      ("list", "list every document's id and title, one a line, and exit")
      ("suggest", "print each query (QUERY, or one a line from --queries or standard input) with its misspelled words corrected, one line each, and exit");
  // clang-format on
  po::options_description hidden;
  hidden.add_options()("arg", po::value(&positional_args));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("arg", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
  } catch (const po::unknown_option& e) {
    scry::rethrow_with_hint(e, visible);
  }
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << kUsage << "\n"
              << visible << kEnvironment << "\nExit status: 0 some hit, 1 no hit, 2 error.\n";
    *exit_code = 0;
    return false;
  }
  if (vm.count("version")) {
    std::cout << "scry-search " << SCRY_VERSION << "\n";
    *exit_code = 0;
    return false;
  }
  const size_t first_word = choose_index(positional_args, &o->index);
  o->index_from_env = first_word == 0;
  o->has_query = positional_args.size() > first_word;
  for (size_t i = first_word; i < positional_args.size(); ++i) {
    o->query += (i > first_word ? " " : "") + positional_args[i];
  }
  o->verify = vm.count("verify") > 0;
  if (o->verify && o->has_query) throw po::error("--verify takes no QUERY");
  o->has_doc = vm.count("doc") > 0;
  o->list = vm.count("list") > 0;
  if (o->has_doc && o->list) throw po::error("--doc and --list cannot be combined");
  if ((o->has_doc || o->list) && (o->has_query || o->verify || !o->queries.empty())) {
    throw po::error(std::string(o->list ? "--list" : "--doc") +
                    " takes no QUERY, --queries or --verify");
  }

  scry::RunOptions& run = o->run;
  auto parsed_format = scry::parse_format(format);
  if (!parsed_format) {
    throw po::error("--format: expected text, tsv, json or trec, got '" + format + "'");
  }
  run.output.format = *parsed_format;
  run.output.highlight = highlight_mode(highlight, vm.count("highlight") > 0);
  run.output.summary = run.output.format == scry::Format::kText && ::isatty(STDOUT_FILENO);
  // The summary line gives the number of matches, so count them all.
  run.query.count_all = run.output.summary;
  if (!top.empty()) run.query.k = checked("-k/--top", scry::parse_hits(top, 1));
  if (!offset.empty()) run.query.offset = checked("--offset", scry::parse_hits(offset, 0));
  if (!k1.empty()) run.query.bm25.k1 = checked("--k1", scry::parse_real(k1, 0, HUGE_VAL));
  if (!b.empty()) run.query.bm25.b = checked("--b", scry::parse_real(b, 0, 1));
  if (!max_terms.empty())
    run.query.limits.max_clauses = checked("--max-terms", scry::parse_hits(max_terms, 1));
  if (!max_depth.empty()) {
    run.query.limits.max_depth = checked("--max-depth", scry::parse_hits(max_depth, 1));
    if (run.query.limits.max_depth > scry::kMaxQueryDepth) {
      throw po::error("--max-depth: at most " + std::to_string(scry::kMaxQueryDepth) +
                      " (deeper queries could overflow the stack), got '" + max_depth + "'");
    }
  }
  run.query.timeout = std::chrono::milliseconds(scry::kDefaultTimeoutMs);
  if (!timeout.empty()) {
    run.query.timeout =
        std::chrono::milliseconds(checked("--timeout", scry::parse_hits(timeout, 0)));
  }
  if (!title_weight.empty()) {
    run.query.title_weight = checked("--title-weight", scry::parse_real(title_weight, 0, 100));
  }
  if (vm.count("typos")) run.query.typos = scry::kDefaultTypos;
  if (!typos.empty()) {
    if (!vm.count("typos")) throw po::error("--typo-lengths needs --typos");
    run.query.typos = checked("--typo-lengths", scry::parse_typos(typos));
  }
  run.query.explain = vm.count("explain") > 0;
  run.query.count_only = vm.count("count") > 0;
  run.query.snippets = vm.count("no-snippets") == 0 && run.output.format != scry::Format::kTrec;
  run.query.plain = vm.count("plain") > 0;
  if (!o->queries.empty() && o->has_query) throw po::error("--queries takes no QUERY");
  o->suggest = vm.count("suggest") > 0;
  if (o->suggest && (o->verify || o->has_doc || o->list)) {
    throw po::error("--suggest cannot be combined with --verify, --doc or --list");
  }
  // A corrected query is proposed where people read it (docs/SPELLING.md).
  run.query.did_you_mean = run.output.summary || run.output.format == scry::Format::kJson;
  run.stats = vm.count("stats") > 0;
  return true;
}

int run(int argc, char** argv) {
  Options o;
  int exit_code = 0;
  if (!parse_args(argc, argv, &o, &exit_code)) return exit_code;

  auto engine = scry::Engine::open(o.index);
  if (!engine) {
    return scry::fail(scry::kProgram, engine.status().message() +
                                          (o.index_from_env ? " (the index in SCRY_INDEX)" : ""));
  }
  const scry::IndexReader& index = (*engine)->index();
  if (o.run.stats) {
    const std::string shards =
        index.shards() > 1 ? " in " + std::to_string(index.shards()) + " shards" : "";
    std::fprintf(stderr, "scry-search: opened %s in %.3f ms: %s, %s%s\n", o.index.c_str(),
                 (*engine)->open_ms(),
                 scry::count_of(index.manifest().live_documents(), "document", "documents").c_str(),
                 scry::count_of(index.segments().size(), "segment", "segments").c_str(),
                 shards.c_str());
  }
  if (o.verify) {
    auto verified = index.verify();
    if (!verified) return scry::fail(scry::kProgram, verified.status().message());
    std::printf("%s: ok (%zu files verified)\n", o.index.c_str(), *verified);
    return 0;
  }
  if (o.has_doc) return scry::run_document(index, o.doc, o.run);
  if (o.list) return scry::run_list(index, o.run);
  if (o.suggest && (o.has_query || ::isatty(STDIN_FILENO) == 0 || !o.queries.empty())) {
    std::FILE* in = stdin;
    if (!o.queries.empty() && (in = std::fopen(o.queries.c_str(), "rb")) == nullptr) {
      return scry::fail(scry::kProgram, o.queries + ": " + scry::errno_message(errno));
    }
    const int code = scry::run_suggest(
        **engine, o.has_query ? std::optional<std::string>(o.query) : std::nullopt, in, o.run);
    if (in != stdin) std::fclose(in);
    return code;
  }
  if (o.has_query) return scry::run_one(**engine, o.query, o.run);
  if (!o.queries.empty()) {
    std::FILE* in = std::fopen(o.queries.c_str(), "rb");
    if (in == nullptr) {
      return scry::fail(scry::kProgram, o.queries + ": " + scry::errno_message(errno));
    }
    int code = scry::run_batch(**engine, in, o.run);
    std::fclose(in);
    return code;
  }
  if (::isatty(STDIN_FILENO)) return scry::run_repl(std::move(engine).value(), o.run);
  return scry::run_batch(**engine, stdin, o.run);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return scry::exit_status(scry::kProgram, run(argc, argv));
  } catch (const po::unknown_option& e) {
    // "scry-search idx huawei -ascend": a query word taken for an option.
    const std::string& name = e.get_option_name();
    const bool word = name.size() > 1 && name[0] == '-' && name[1] != '-';
    return scry::fail(scry::kProgram,
                      std::string(e.what()) +
                          (word ? " (to search for it, quote the query, as in 'huawei -ascend', "
                                  "or put the query after --)"
                                : " (see scry-search --help)"));
  } catch (const po::error& e) {
    return scry::fail(scry::kProgram, std::string(e.what()) + " (see scry-search --help)");
  } catch (const std::bad_alloc&) {
    return scry::fail(scry::kProgram, "out of memory");
  } catch (const std::exception& e) {
    return scry::fail(scry::kProgram, e.what());
  }
}
