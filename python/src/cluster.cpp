#include "cluster.h"

#include <pybind11/stl.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli.h"
#include "errors.h"
#include "output.h"
#include "scry/engine/engine.h"
#include "scry/format/shard_manifest.h"
#include "scry/query/planner.h"
#include "scry/search/shard_search.h"
#include "scry/search/statistics_snapshot.h"

namespace py = pybind11;

namespace scry::python {

namespace {

// The QueryOptions of `options`: keys k, offset, snippets, plain,
// count_only, count_all, explain, timeout_ms, k1, b, title_weight,
// max_clauses, max_depth and typos ((one, two) of TypoTolerance), each optional
// (QueryOptions' default when absent).
QueryOptions query_options(const py::dict& options) {
  QueryOptions out;
  const auto get = [&](const char* key, auto* value) {
    if (options.contains(key)) *value = options[key].cast<std::remove_pointer_t<decltype(value)>>();
  };
  get("k", &out.k);
  get("offset", &out.offset);
  get("snippets", &out.snippets);
  get("plain", &out.plain);
  get("count_only", &out.count_only);
  get("count_all", &out.count_all);
  get("explain", &out.explain);
  get("k1", &out.bm25.k1);
  get("b", &out.bm25.b);
  get("title_weight", &out.title_weight);
  get("max_clauses", &out.limits.max_clauses);
  get("max_depth", &out.limits.max_depth);
  std::pair<size_t, size_t> typos;
  get("typos", &typos);
  out.typos = TypoTolerance{typos.first, typos.second};
  uint64_t timeout_ms = 0;
  get("timeout_ms", &timeout_ms);
  out.timeout = std::chrono::milliseconds(timeout_ms);
  return out;
}

// The `error` of a step's result (cluster.h) for `answer`: None when it
// succeeded and the query parsed.
py::object step_error(const Result<Answer>& answer) {
  if (!answer) {
    const bool cancelled = answer.status().code() == Status::Code::kCancelled;
    return py::make_tuple(cancelled ? "cancelled" : "error", answer.status().message(), 0, "");
  }
  if (!answer->syntax_error) return py::none();
  return py::make_tuple("syntax", answer->syntax_message, answer->syntax_error->position,
                        answer->syntax_error->message);
}

py::bytes to_bytes(std::string_view text) { return {text.data(), text.size()}; }

// A hit's TermExplain as (term, field, idf, tf, doc_len, score).
using ExplainTuple = std::tuple<std::string, int, double, uint32_t, uint32_t, double>;

py::list explain_tuples(const std::vector<TermExplain>& explain) {
  py::list out;
  for (const TermExplain& e : explain) {
    out.append(py::make_tuple(to_bytes(e.term), static_cast<int>(e.field), e.idf, e.tf, e.doc_len,
                              e.score));
  }
  return out;
}

StatisticsSnapshot snapshot_of(const std::string& bytes) {
  auto snapshot = decode_snapshot(bytes);
  if (!snapshot) throw py::value_error(snapshot.status().message());
  return std::move(snapshot).value();
}

// One shard opened by a worker.
class PyShard {
 public:
  explicit PyShard(std::string path) : path_(std::move(path)) {
    std::optional<Result<std::unique_ptr<Engine>>> engine;
    {
      py::gil_scoped_release unlocked;
      engine.emplace(Engine::open(path_));
    }
    if (!*engine) raise_status("IndexOpenError", engine->status());
    engine_ = std::move(*engine).value();
  }

  // Step 1: (error, the encoded snapshot or None).
  py::tuple statistics(const std::string& query, const py::dict& options) {
    const QueryOptions query_opts = query_options(options);
    StatisticsSnapshot snapshot;
    std::optional<Result<Answer>> answer;
    {
      py::gil_scoped_release unlocked;
      std::lock_guard lock(mutex_);
      answer.emplace(engine_->record_statistics(query, query_opts, &snapshot));
    }
    py::object error = step_error(*answer);
    if (!error.is_none()) return py::make_tuple(error, py::none());
    return py::make_tuple(error, to_bytes(encode_snapshot(snapshot)));
  }

  // Step 2: (error, no_terms, total_hits, total_exact, [(segment, doc,
  // score)...], [explain of each hit...], parsed), the hits best first;
  // with option explain, each hit's explain_tuples and the parsed query
  // (else empty).
  py::tuple search(const std::string& query, const py::dict& options,
                   const std::string& statistics) {
    const QueryOptions query_opts = query_options(options);
    const StatisticsSnapshot sum = snapshot_of(statistics);
    SearchResult result;
    std::optional<Result<Answer>> answer;
    {
      py::gil_scoped_release unlocked;
      std::lock_guard lock(mutex_);
      answer.emplace(engine_->search_shard(query, query_opts, sum, &result));
    }
    py::object error = step_error(*answer);
    if (!error.is_none()) {
      return py::make_tuple(error, false, 0, true, py::list(), py::list(), py::bytes());
    }
    py::list hits;
    py::list explains;
    for (const Hit& hit : result.hits) {
      hits.append(py::make_tuple(hit.segment, hit.doc, hit.score));
      explains.append(explain_tuples(hit.explain));
    }
    return py::make_tuple(error, (*answer)->no_terms, result.total_hits, result.total_exact, hits,
                          explains, to_bytes((*answer)->parsed));
  }

  // Step 3: (error, [(id, title, source, snippet or None, highlights)...]),
  // in the order of `hits` ((segment, doc, score) tuples of step 2).
  py::tuple fetch(const std::string& query, const py::dict& options, const std::string& statistics,
                  const std::vector<std::tuple<uint32_t, uint32_t, double>>& hits) {
    const QueryOptions query_opts = query_options(options);
    const StatisticsSnapshot sum = snapshot_of(statistics);
    std::vector<Hit> wanted;
    wanted.reserve(hits.size());
    for (const auto& [segment, doc, score] : hits) wanted.push_back(Hit{segment, doc, score, {}});
    std::optional<Result<Answer>> answer;
    {
      py::gil_scoped_release unlocked;
      std::lock_guard lock(mutex_);
      answer.emplace(engine_->fetch_hits(query, query_opts, sum, std::move(wanted)));
    }
    py::object error = step_error(*answer);
    py::list out;
    if (!error.is_none()) return py::make_tuple(error, out);
    for (const AnswerHit& hit : (*answer)->hits) {
      py::object snippet = py::none();
      py::list highlights;
      if (hit.snippet) {
        snippet = to_bytes(hit.snippet->text);
        for (const auto& range : hit.snippet->highlights) highlights.append(py::cast(range));
      }
      out.append(py::make_tuple(to_bytes(hit.id), to_bytes(hit.title), to_bytes(hit.source),
                                snippet, highlights));
    }
    return py::make_tuple(error, out);
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::mutex mutex_;
  std::unique_ptr<Engine> engine_;
};

// The sum of encoded snapshots, encoded.
py::bytes sum_statistics(const std::vector<std::string>& snapshots) {
  StatisticsSnapshot sum;
  for (const std::string& bytes : snapshots) sum += snapshot_of(bytes);
  return to_bytes(encode_snapshot(sum));
}

using ShardHits = std::vector<std::tuple<uint32_t, uint32_t, double>>;

// merge_top_k over the shards' step-2 answers `results`, (total_hits,
// total_exact, hits) each: (total_hits, total_exact, [(shard, segment, doc,
// score)...]).
py::tuple merge(const std::vector<std::tuple<uint64_t, bool, ShardHits>>& results, size_t k,
                size_t offset) {
  std::vector<SearchResult> shards;
  for (const auto& [total, exact, hits] : results) {
    SearchResult& shard = shards.emplace_back();
    shard.total_hits = total;
    shard.total_exact = exact;
    shard.hits.reserve(hits.size());
    for (const auto& [segment, doc, score] : hits)
      shard.hits.push_back(Hit{segment, doc, score, {}});
  }
  const MergedResult merged = merge_top_k(std::move(shards), k, offset);
  py::list hits;
  for (const ShardHit& hit : merged.hits) {
    hits.append(py::make_tuple(hit.shard, hit.hit.segment, hit.hit.doc, hit.hit.score));
  }
  return py::make_tuple(merged.total_hits, merged.total_exact, hits);
}

using FetchedHit = std::tuple<std::string, std::string, std::string, std::optional<std::string>,
                              std::vector<std::pair<uint32_t, uint32_t>>>;

// format_answer of the answer made of `hits` ((rank, score) and the
// fetched (id, title, source, snippet, highlights)), `explains` (empty, or
// one ExplainTuple list a hit) and `parsed` (--explain's parsed query, or
// empty), with `output`'s keys format, highlight ("ansi", "markers",
// "none"), summary and heading.
py::bytes format(const std::vector<std::pair<std::pair<size_t, double>, FetchedHit>>& hits,
                 uint64_t total_hits, bool total_exact, double search_ms, double fetch_ms,
                 const std::string& tag, const std::string& query, const py::dict& output,
                 const std::vector<std::vector<ExplainTuple>>& explains, const std::string& parsed,
                 const std::optional<std::string>& did_you_mean, uint64_t did_you_mean_hits) {
  Answer answer;
  answer.parsed = parsed;
  answer.did_you_mean = did_you_mean;
  answer.did_you_mean_hits = did_you_mean_hits;
  answer.total_hits = total_hits;
  answer.total_exact = total_exact;
  answer.search_ms = search_ms;
  answer.fetch_ms = fetch_ms;
  for (const auto& [ranked, fetched] : hits) {
    AnswerHit& hit = answer.hits.emplace_back();
    std::tie(hit.rank, hit.score) = ranked;
    const auto& [id, title, source, snippet, highlights] = fetched;
    hit.id = id;
    hit.title = title;
    hit.source = source;
    if (snippet) hit.snippet = Snippet{*snippet, highlights};
  }
  for (size_t i = 0; i < explains.size() && i < answer.hits.size(); ++i) {
    for (const auto& [term, field, idf, tf, doc_len, score] : explains[i]) {
      answer.hits[i].explain.push_back(
          TermExplain{term, static_cast<Field>(field), idf, tf, doc_len, score});
    }
  }
  OutputOptions options;
  auto output_format = parse_format(output["format"].cast<std::string>());
  if (!output_format) throw py::value_error("unknown format");
  options.format = *output_format;
  const auto highlight = output["highlight"].cast<std::string>();
  options.highlight = highlight == "ansi"      ? Highlight::kAnsi
                      : highlight == "markers" ? Highlight::kMarkers
                                               : Highlight::kNone;
  options.summary = output["summary"].cast<bool>();
  options.heading = output["heading"].cast<bool>();
  return to_bytes(format_answer(answer, tag, query, options));
}

// The spelling corrector of a whole index (every shard's words summed, as
// scry-search's): the cluster's coordinator proposes "did you mean" with it.
class PySuggester {
 public:
  explicit PySuggester(const std::string& dir) {
    std::optional<Result<std::unique_ptr<Engine>>> engine;
    {
      py::gil_scoped_release unlocked;
      engine.emplace(Engine::open(dir));
    }
    if (!*engine) raise_status("IndexOpenError", engine->status());
    engine_ = std::move(*engine).value();
  }

  // Engine::suggest(query), or None when the index has no word dictionary.
  py::object suggest(const std::string& query) {
    std::optional<Result<std::string>> corrected;
    {
      py::gil_scoped_release unlocked;
      corrected.emplace(engine_->suggest(query));
    }
    if (*corrected) return to_bytes(corrected->value());
    if (corrected->status().code() == Status::Code::kNotSupported) return py::none();
    raise_read_error(corrected->status());
  }

 private:
  std::unique_ptr<Engine> engine_;
};

// A checked value of parse_hits, parse_real or parse_typos, or ValueError with its message.
template <typename T>
T checked(Result<T> value) {
  if (!value) throw py::value_error(value.status().message());
  return value.value();
}

// The folders of the shards of the index at `dir`: DIR/shard-K of a
// sharded index (its SHARDS read and checked), or DIR itself, one shard.
std::vector<std::string> shard_paths(const std::string& dir) {
  if (!is_sharded(dir)) return {dir};
  auto manifest = read_shard_manifest(dir);
  if (!manifest) raise_status("IndexOpenError", manifest.status());
  std::vector<std::string> paths;
  for (uint32_t k = 0; k < manifest->shards; ++k) paths.push_back(shard_dir(dir, k));
  return paths;
}

}  // namespace

void register_cluster(py::module_& module) {
  py::class_<PyShard>(module, "_Shard")
      .def(py::init<std::string>(), py::arg("path"))
      .def("statistics", &PyShard::statistics, py::arg("query"), py::arg("options"))
      .def("search", &PyShard::search, py::arg("query"), py::arg("options"), py::arg("statistics"))
      .def("fetch", &PyShard::fetch, py::arg("query"), py::arg("options"), py::arg("statistics"),
           py::arg("hits"))
      .def_property_readonly("path", &PyShard::path);
  py::class_<PySuggester>(module, "_Suggester")
      .def(py::init<const std::string&>(), py::arg("dir"))
      .def("suggest", &PySuggester::suggest, py::arg("query"));
  module.def("shard_paths", &shard_paths, py::arg("dir"));
  module.def("sum_statistics", &sum_statistics, py::arg("snapshots"));
  module.def("merge_top_k", &merge, py::arg("results"), py::arg("k"), py::arg("offset"));
  module.def(
      "format_answer", &format, py::arg("hits"), py::arg("total_hits"), py::arg("total_exact"),
      py::arg("search_ms"), py::arg("fetch_ms"), py::arg("tag"), py::arg("query"),
      py::arg("output"), py::arg("explains") = std::vector<std::vector<ExplainTuple>>(),
      py::arg("parsed") = std::string(), py::arg("did_you_mean") = std::optional<std::string>(),
      py::arg("did_you_mean_hits") = 0);
  module.def(
      "format_count",
      [](uint64_t count, const std::string& tag, const std::string& format) {
        auto parsed = parse_format(format);
        if (!parsed) throw py::value_error("unknown format");
        return to_bytes(format_count(count, tag, *parsed));
      },
      py::arg("count"), py::arg("tag"), py::arg("format"));
  module.def("format_no_terms", [] { return to_bytes(format_no_terms()); });
  module.def("format_no_queries", [] { return to_bytes(format_no_queries()); });
  module.def(
      "format_json_error",
      [](const std::string& tag, const std::string& message, std::optional<size_t> column) {
        return to_bytes(format_json_error(tag, message, column));
      },
      py::arg("tag"), py::arg("message"), py::arg("column"));
  module.def(
      "caret_message",
      [](const std::string& query, size_t position, const std::string& reason) {
        return to_bytes(caret_message(query, QueryError{position, reason}));
      },
      py::arg("query"), py::arg("position"), py::arg("reason"));
  module.def("query_column", &query_column, py::arg("query"), py::arg("position"));
  module.def(
      "parse_hits",
      [](const std::string& text, size_t min) { return checked(parse_hits(text, min)); },
      py::arg("text"), py::arg("min"));
  module.def(
      "parse_real",
      [](const std::string& text, double min, double max) {
        return checked(parse_real(text, min, max));
      },
      py::arg("text"), py::arg("min"), py::arg("max"));
  module.def(
      "parse_typos",
      [](const std::string& text) {
        const TypoTolerance typos = checked(parse_typos(text));
        return std::make_pair(typos.one, typos.two);
      },
      py::arg("text"));
  module.attr("DEFAULT_TYPOS") = std::make_pair(kDefaultTypos.one, kDefaultTypos.two);
  module.attr("MAX_QUERY_DEPTH") = kMaxQueryDepth;
  module.attr("DEFAULT_TIMEOUT_MS") = kDefaultTimeoutMs;
}

}  // namespace scry::python
