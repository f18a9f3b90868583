// Sharded indexes (docs/SHARDS.md) against one index over the same
// documents, on random documents and queries (fixed seeds): the same hits
// and scores bit for bit (ids compared as sets among equal scores, whose
// order is the shards'), counts, offsets and explanations; the summed
// statistics; merge_top_k's order; the shard manifest and routing; the
// documents (--doc, --list) and verify() of a sharded index; updates,
// deletes and merges routed by the hash.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "scry/engine/documents.h"
#include "scry/engine/engine.h"
#include "scry/format/shard_manifest.h"
#include "scry/index/sharded_writer.h"
#include "scry/input/readers.h"
#include "scry/query/planner.h"
#include "scry/query/query_parser.h"
#include "scry/search/collection_statistics.h"
#include "scry/search/searcher.h"
#include "scry/search/shard_search.h"
#include "scry/search/statistics_snapshot.h"
#include "scry/search/summed_statistics.h"
#include "scry/search/weight.h"
#include "testlib.h"

namespace scry {
namespace {

namespace fs = std::filesystem;

// A random query over testlib's random_documents using every feature of
// the language: words, required and excluded words, phrases, prefixes,
// fuzzy words, title:, AND, OR, NOT and groups.
std::string random_query(std::mt19937& rng, int depth = 0) {
  auto word = [&] {
    return (test::u32(rng) % 10 == 0) ? std::string("running")
                                      : "w" + std::to_string(test::u32(rng) % 80);
  };
  std::string q;
  const int clauses = 1 + static_cast<int>(test::u32(rng) % 4);
  for (int i = 0; i < clauses; ++i) {
    if (!q.empty()) q += (test::u32(rng) % 5 == 0) ? " AND " : (rng() % 5 == 0 ? " OR " : " ");
    switch (test::u32(rng) % 10) {
      case 0:
        q += "+" + word();
        break;
      case 1:
        q += "-" + word();
        break;
      case 2:
        q += "\"" + word() + " " + word() + "\"";
        break;
      case 3:
        // A prefix, or a fuzzy word (its expansions' df from the shards'
        // summed statistics).
        q += test::u32(rng) % 2 == 0 ? "w" + std::to_string(test::u32(rng) % 8) + "*"
                                     : word() + "~" + std::to_string(1 + test::u32(rng) % 2);
        break;
      case 4:
        q += "title:" + word();
        break;
      case 5:
        q += "common";
        break;
      case 6:
        q += "NOT " + word();
        break;
      case 7:
        q += depth < 2 ? "(" + random_query(rng, depth + 1) + ")" : word();
        break;
      default:
        q += word();
        break;
    }
  }
  return q;
}

// One index of `docs` in DIR/one, and a sharded one of `shards` shards in
// DIR/sharded, built through the library.
struct Pair {
  test::TempDir tmp;
  std::unique_ptr<Engine> one, sharded;

  Pair(const std::vector<Document>& docs, uint32_t shards, unsigned threads = 1) {
    BuildOptions build;
    build.analyzer.stop_words = StopWords::kSnowball;
    build.threads = threads;
    build.memory_budget = size_t{1} << 20;
    const std::string one_dir = (tmp.path() / "one").string();
    const std::string sharded_dir = (tmp.path() / "sharded").string();
    fs::create_directory(one_dir);
    fs::create_directory(sharded_dir);
    auto builder = IndexBuilder::create(one_dir, build);
    REQUIRE(builder);
    auto sharded_builder = ShardedBuilder::create(sharded_dir, shards, build, {});
    REQUIRE(sharded_builder);
    for (const Document& doc : docs) {
      REQUIRE((*builder)->add(doc));
      REQUIRE((*sharded_builder)->add(doc));
    }
    REQUIRE((*builder)->finish());
    REQUIRE((*sharded_builder)->finish());
    reopen();
  }

  void reopen() {
    auto a = Engine::open((tmp.path() / "one").string());
    REQUIRE(a);
    one = std::move(a).value();
    auto b = Engine::open((tmp.path() / "sharded").string());
    REQUIRE(b);
    sharded = std::move(b).value();
  }
};

// Checks that `got` (sharded) answers as `want` (one index): the same
// count, the same scores rank by rank (bit for bit), and the same ids among
// the hits of each score, except the lowest score of a full page and the
// highest after an offset, whose ids are then only checked to be documents
// of that score (a tie cut by k or the offset: check_cut_ties).
void check_same(const Answer& want, const Answer& got, const std::string& query, size_t k,
                size_t offset = 0) {
  INFO("query: " << query);
  REQUIRE(got.syntax_error.has_value() == want.syntax_error.has_value());
  // Pruning differs (each shard has its own threshold), so a count is
  // exact in one and a lower bound in the other; exact ones agree.
  if (want.total_exact && got.total_exact) CHECK(got.total_hits == want.total_hits);
  REQUIRE(got.hits.size() == want.hits.size());
  std::map<double, std::multiset<std::string>> want_ids, got_ids;
  for (size_t i = 0; i < want.hits.size(); ++i) {
    CHECK(got.hits[i].score == want.hits[i].score);  // Bit for bit.
    CHECK(got.hits[i].rank == want.hits[i].rank);
    want_ids[want.hits[i].score].insert(want.hits[i].id);
    got_ids[got.hits[i].score].insert(got.hits[i].id);
  }
  const bool full = want.hits.size() == k;
  for (const auto& [score, ids] : want_ids) {
    if (full && score == want.hits.back().score) continue;
    if (offset > 0 && score == want.hits.front().score) continue;
    CHECK(got_ids[score] == ids);
  }
  for (size_t i = 0; i < want.hits.size(); ++i) {
    if (got.hits[i].id != want.hits[i].id) CHECK(got.hits[i].score == want.hits[i].score);
    if (!got.hits[i].explain.empty() || !want.hits[i].explain.empty()) {
      // The same leaves with the same shares, when it is the same document.
      if (got.hits[i].id != want.hits[i].id) continue;
      REQUIRE(got.hits[i].explain.size() == want.hits[i].explain.size());
      for (size_t j = 0; j < want.hits[i].explain.size(); ++j) {
        CHECK(got.hits[i].explain[j].term == want.hits[i].explain[j].term);
        CHECK(got.hits[i].explain[j].idf == want.hits[i].explain[j].idf);
        CHECK(got.hits[i].explain[j].tf == want.hits[i].explain[j].tf);
        CHECK(got.hits[i].explain[j].score == want.hits[i].explain[j].score);
      }
    }
  }
  CHECK(got.parsed == want.parsed);
}

// The ids of the documents of the lowest score of a full page are
// documents of that score: checked against the full ranking of one index.
void check_cut_ties(Engine& one, const Answer& got, const std::string& query,
                    const QueryOptions& options) {
  if (got.hits.empty()) return;
  QueryOptions all = options;
  all.k = 100000;
  all.offset = 0;
  all.explain = false;
  auto full = one.answer(query, all);
  REQUIRE(full);
  std::map<std::string, double> score_of;
  for (const AnswerHit& hit : full->hits) score_of[hit.id] = hit.score;
  std::set<std::string> seen;
  for (const AnswerHit& hit : got.hits) {
    INFO("query: " << query << ", id " << hit.id);
    CHECK(seen.insert(hit.id).second);
    REQUIRE(score_of.count(hit.id) == 1);
    CHECK(score_of[hit.id] == hit.score);
  }
}

TEST_CASE("a sharded index answers as one index: hits, scores, counts", "[sharded]") {
  const auto docs = test::random_documents(7, 1500, "d");
  for (uint32_t shards : {1u, 2u, 3u, 8u}) {
    INFO("shards: " << shards);
    Pair pair(docs, shards);
    CHECK(pair.sharded->index().shards() == shards);
    CHECK(pair.sharded->index().manifest().documents() == docs.size());
    std::mt19937 rng(1234 + shards);
    for (int q = 0; q < 150; ++q) {
      const std::string query = random_query(rng);
      QueryOptions options;
      options.snippets = false;
      options.k = 1 + test::u32(rng) % 20;
      options.offset = (test::u32(rng) % 3 == 0) ? test::u32(rng) % 30 : 0;
      options.explain = test::u32(rng) % 4 == 0;
      options.count_all = test::u32(rng) % 3 == 0;
      auto want = pair.one->answer(query, options);
      auto got = pair.sharded->answer(query, options);
      REQUIRE(want);
      REQUIRE(got);
      check_same(*want, *got, query, options.k, options.offset);
      check_cut_ties(*pair.one, *got, query, options);

      QueryOptions count;
      count.count_only = true;
      auto want_count = pair.one->answer(query, count);
      auto got_count = pair.sharded->answer(query, count);
      REQUIRE(want_count);
      REQUIRE(got_count);
      CHECK(got_count->total_hits == want_count->total_hits);
      CHECK(got_count->total_exact);
    }
  }
}

TEST_CASE("a sharded index answers real queries as one index (Cranfield)", "[sharded]") {
  auto corpora = test::shared_corpora();
  if (!corpora) return;
  const auto collection = *corpora / "relevance" / "cranfield";
  std::vector<Document> docs;
  InputReader reader{ReaderOptions{}};
  DocumentSink sink;
  sink.on_document = [&](Document&& doc) {
    docs.push_back(std::move(doc));
    return Status::ok();
  };
  REQUIRE(reader.read((collection / "docs.jsonl").string(), sink).is_ok());
  REQUIRE(docs.size() > 1000);
  Pair pair(docs, 3, 2);
  // The collection's queries (plain text), and from their words: real words
  // as prefixes, in titles, required, excluded and in phrases.
  std::vector<std::string> queries, words;
  std::ifstream in(collection / "queries.tsv");
  for (std::string line; std::getline(in, line);) {
    queries.push_back(line.substr(line.find('\t') + 1));
    std::istringstream split(queries.back());
    for (std::string w; split >> w;) {
      if (std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
        words.push_back(w);
      }
    }
  }
  REQUIRE(queries.size() == 225);
  REQUIRE(words.size() > 1000);
  std::mt19937 rng(225);
  auto word = [&] { return words[test::u32(rng) % words.size()]; };
  size_t answered = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    INFO("query " << i);
    QueryOptions options;
    options.snippets = false;
    options.plain = true;
    options.k = std::array<size_t, 3>{1, 10, 100}[i % 3];
    options.offset = i % 4 == 0 ? 5 : 0;
    options.explain = i % 5 == 0;
    auto want = pair.one->answer(queries[i], options);
    auto got = pair.sharded->answer(queries[i], options);
    REQUIRE(want);
    REQUIRE(got);
    check_same(*want, *got, queries[i], options.k, options.offset);
    check_cut_ties(*pair.one, *got, queries[i], options);

    const std::string language = word() + " " + word().substr(0, 3) + "* title:" + word() + " +" +
                                 word() + " -" + word() + " \"" + word() + " " + word() + "\"";
    options.plain = false;
    want = pair.one->answer(language, options);
    got = pair.sharded->answer(language, options);
    REQUIRE(want);
    REQUIRE(got);
    check_same(*want, *got, language, options.k, options.offset);
    check_cut_ties(*pair.one, *got, language, options);
    if (!want->hits.empty()) ++answered;
  }
  CHECK(answered > 100);  // The language queries are not vacuous.
}

TEST_CASE("a sharded index built with threads answers as one index", "[sharded]") {
  const auto docs = test::random_documents(11, 900, "t");
  Pair pair(docs, 4, 3);
  std::mt19937 rng(99);
  for (int q = 0; q < 60; ++q) {
    const std::string query = random_query(rng);
    QueryOptions options;
    options.k = 10;
    auto want = pair.one->answer(query, options);
    auto got = pair.sharded->answer(query, options);
    REQUIRE(want);
    REQUIRE(got);
    check_same(*want, *got, query, options.k);
    // Documents and snippets come from the hit's own shard.
    for (size_t i = 0; i < got->hits.size(); ++i) {
      if (got->hits[i].id != want->hits[i].id) continue;
      CHECK(got->hits[i].title == want->hits[i].title);
      REQUIRE(got->hits[i].snippet.has_value());
      CHECK(got->hits[i].snippet->text == want->hits[i].snippet->text);
    }
  }
}

TEST_CASE("a sharded query stops on every shard when cancelled or late", "[sharded]") {
  const auto docs = test::random_documents(31, 3000, "c");
  Pair pair(docs, 4);
  size_t stopped = 0;
  for (int n = 1; n <= 40; ++n) {
    INFO("cancelled at call " << n);
    std::atomic<int> calls{0};
    QueryOptions options;
    options.count_all = true;
    options.cancelled = [&] { return ++calls >= n; };
    auto answer = pair.sharded->answer("common w1* w2*", options);
    if (answer.is_ok()) continue;
    ++stopped;
    CHECK(answer.status().code() == Status::Code::kCancelled);
    CHECK(answer.status().message() == "query cancelled");
    // The other shards stopped at their next check instead of finishing.
    CHECK(calls.load() <= n + 4);
  }
  CHECK(stopped > 0);

  QueryOptions late;
  late.timeout = std::chrono::milliseconds(1);
  late.cancelled = [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    return false;
  };
  auto answer = pair.sharded->answer("common w3", late);
  REQUIRE_FALSE(answer.is_ok());
  CHECK(answer.status().message() == "query timed out after 1 ms");
}

TEST_CASE("summed statistics equal one index's", "[sharded]") {
  const auto docs = test::random_documents(5, 700, "s");
  Pair pair(docs, 3);
  std::vector<std::unique_ptr<IndexReader>> shards;
  std::vector<std::unique_ptr<IndexStatistics>> parts;
  std::vector<const CollectionStatistics*> pointers;
  for (uint32_t i = 0; i < 3; ++i) {
    auto shard = IndexReader::open(shard_dir((pair.tmp.path() / "sharded").string(), i));
    REQUIRE(shard);
    CHECK((*shard)->shards() == 1);
    shards.push_back(std::move(shard).value());
    parts.push_back(std::make_unique<IndexStatistics>(*shards.back()));
    pointers.push_back(parts.back().get());
  }
  const SummedStatistics summed(pointers);
  const IndexStatistics one(pair.one->index());
  const IndexStatistics composite(pair.sharded->index());
  CHECK(summed.documents() == one.documents());
  CHECK(composite.documents() == one.documents());
  for (Field field : {Field::kText, Field::kTitle}) {
    CHECK(summed.total_length(field) == one.total_length(field));
    CHECK(summed.average_length(field) == one.average_length(field));  // Bit for bit.
    CHECK(composite.average_length(field) == one.average_length(field));
    for (const std::string term : {"common", "w0", "w5", "w700", "run", "nowhere"}) {
      auto a = summed.document_frequency(field, term);
      auto b = one.document_frequency(field, term);
      REQUIRE(a);
      REQUIRE(b);
      CHECK(*a == *b);
    }
    for (const std::string prefix : {"w1", "w", "ru", "zz"}) {
      auto a = summed.prefix_terms(field, prefix);
      auto b = one.prefix_terms(field, prefix);
      REQUIRE(a);
      REQUIRE(b);
      CHECK(*a == *b);
    }
  }
}

TEST_CASE("a cluster's way: shards' snapshots summed weigh as one index", "[sharded]") {
  // Each shard opened alone (a worker), the query planned and weighed
  // against it through RecordingStatistics; the snapshots summed (the
  // coordinator), the query weighed again with their sum; each shard
  // searched with that Weight; merge_top_k. Scores are one index's.
  const auto docs = test::random_documents(41, 1200, "k");
  Pair pair(docs, 3);
  std::vector<std::unique_ptr<IndexReader>> shards;
  for (uint32_t i = 0; i < 3; ++i) {
    auto shard = IndexReader::open(shard_dir((pair.tmp.path() / "sharded").string(), i));
    REQUIRE(shard);
    shards.push_back(std::move(shard).value());
  }
  const AnalyzerConfig config = shards[0]->manifest().analyzer;
  Analyzer analyzer(config), prefix_analyzer(prefix_analyzer_config(config));
  PlannerOptions planner;
  planner.title_weight = kDefaultTitleWeight;
  const Bm25 bm25;
  std::mt19937 rng(4242);
  size_t compared = 0;
  for (int q = 0; q < 200; ++q) {
    const std::string query = random_query(rng);
    INFO("query: " << query);
    auto parsed = parse_query(query);
    if (!parsed) continue;
    StatisticsSnapshot sum;
    for (const auto& shard : shards) {
      const IndexStatistics own(*shard);
      RecordingStatistics recording(own);
      auto plan = plan_query(*parsed, &analyzer, &prefix_analyzer, recording, planner);
      if (plan) REQUIRE(make_weight(*plan, bm25, recording));
      sum += recording.snapshot();
    }
    const SnapshotStatistics global(sum);
    auto plan = plan_query(*parsed, &analyzer, &prefix_analyzer, global, planner);
    QueryOptions options;
    options.snippets = false;
    options.k = 1 + test::u32(rng) % 15;
    options.offset = test::u32(rng) % 3 == 0 ? 4 : 0;
    auto want = pair.one->answer(query, options);
    REQUIRE(want);
    if (!plan) {
      CHECK(want->syntax_error.has_value());
      continue;
    }
    auto weight = make_weight(*plan, bm25, global);
    REQUIRE(weight);
    std::vector<SearchResult> results;
    for (const auto& shard : shards) {
      SearchOptions search;
      search.k = options.k + options.offset;
      auto result = Searcher(*shard).search(*weight, search);
      REQUIRE(result);
      results.push_back(std::move(result).value());
    }
    const MergedResult merged = merge_top_k(std::move(results), options.k, options.offset);
    Answer got;
    got.total_hits = merged.total_hits;
    got.total_exact = false;
    got.parsed = want->parsed;
    size_t rank = options.offset;
    for (const ShardHit& hit : merged.hits) {
      AnswerHit out;
      out.rank = ++rank;
      out.score = hit.hit.score;
      auto doc = shards[hit.shard]->segments()[hit.hit.segment]->document_meta(hit.hit.doc);
      REQUIRE(doc);
      out.id = doc->id;
      got.hits.push_back(std::move(out));
    }
    check_same(*want, got, query, options.k, options.offset);
    check_cut_ties(*pair.one, got, query, options);
    ++compared;
  }
  CHECK(compared > 150);
  // A snapshot answers only what was gathered.
  const StatisticsSnapshot empty;
  CHECK_FALSE(SnapshotStatistics(empty).document_frequency(Field::kText, "w1"));
  CHECK_FALSE(SnapshotStatistics(empty).prefix_terms(Field::kText, "w1"));
}

TEST_CASE("Engine's cluster steps, snapshots sent as bytes, answer as the sharded index",
          "[sharded]") {
  // Each shard's Engine (a worker): record_statistics, the snapshots
  // encoded, decoded and summed (the coordinator), search_shard with the
  // sum, merge_top_k, then fetch_hits from the shards holding the final
  // hits. The answer is the sharded index's: hits, scores, snippets.
  const auto docs = test::random_documents(43, 900, "c");
  Pair pair(docs, 3);
  std::vector<std::unique_ptr<Engine>> shards;
  for (uint32_t i = 0; i < 3; ++i) {
    auto shard = Engine::open(shard_dir((pair.tmp.path() / "sharded").string(), i));
    REQUIRE(shard);
    shards.push_back(std::move(shard).value());
  }
  std::mt19937 rng(4343);
  size_t compared = 0;
  for (int q = 0; q < 150; ++q) {
    const std::string query = random_query(rng);
    INFO("query: " << query);
    QueryOptions options;
    options.k = 1 + test::u32(rng) % 12;
    options.offset = test::u32(rng) % 3 == 0 ? 5 : 0;
    options.count_only = test::u32(rng) % 10 == 0;
    auto want = pair.sharded->answer(query, options);
    REQUIRE(want);
    StatisticsSnapshot sum;
    bool syntax_error = false;
    for (const auto& shard : shards) {
      StatisticsSnapshot own;
      auto recorded = shard->record_statistics(query, options, &own);
      REQUIRE(recorded);
      syntax_error = recorded->syntax_error.has_value();
      if (syntax_error) {
        CHECK(recorded->syntax_message == want->syntax_message);
        break;
      }
      const std::string bytes = encode_snapshot(own);
      auto decoded = decode_snapshot(bytes);
      REQUIRE(decoded);
      CHECK(encode_snapshot(*decoded) == bytes);
      CHECK_FALSE(decode_snapshot(std::string_view(bytes).substr(0, bytes.size() - 1)));
      CHECK_FALSE(decode_snapshot(bytes + '\0'));
      sum += *decoded;
    }
    CHECK(syntax_error == want->syntax_error.has_value());
    if (syntax_error) continue;
    std::vector<SearchResult> results;
    for (const auto& shard : shards) {
      SearchResult result;
      auto searched = shard->search_shard(query, options, sum, &result);
      REQUIRE(searched);
      CHECK(searched->no_terms == want->no_terms);
      results.push_back(std::move(result));
    }
    const MergedResult merged =
        merge_top_k(std::move(results), options.count_only ? 0 : options.k, options.offset);
    CHECK(merged.total_hits == want->total_hits);
    REQUIRE(merged.hits.size() == want->hits.size());
    for (size_t i = 0; i < merged.hits.size(); ++i) {
      const ShardHit& hit = merged.hits[i];
      QueryOptions at = options;
      at.offset = want->hits[i].rank - 1;
      auto fetched = shards[hit.shard]->fetch_hits(query, at, sum, {hit.hit});
      REQUIRE(fetched);
      REQUIRE(fetched->hits.size() == 1);
      const AnswerHit& got = fetched->hits[0];
      const AnswerHit& expected = want->hits[i];
      CHECK(got.rank == expected.rank);
      CHECK(got.score == expected.score);
      CHECK(got.id == expected.id);
      CHECK(got.title == expected.title);
      REQUIRE(got.snippet.has_value() == expected.snippet.has_value());
      if (got.snippet) {
        CHECK(got.snippet->text == expected.snippet->text);
        CHECK(got.snippet->highlights == expected.snippet->highlights);
      }
    }
    ++compared;
  }
  CHECK(compared > 100);
}

TEST_CASE("merge_top_k: score, then shard, then the shard's order", "[sharded]") {
  auto result = [](std::vector<double> scores, uint64_t total, bool exact) {
    SearchResult r;
    for (size_t i = 0; i < scores.size(); ++i) {
      r.hits.push_back(Hit{0, static_cast<uint32_t>(i), scores[i], {}});
    }
    r.total_hits = total;
    r.total_exact = exact;
    return r;
  };
  std::vector<SearchResult> results = {result({3, 2, 2}, 10, true), result({}, 0, true),
                                       result({4, 2, 1}, 7, true)};
  MergedResult merged = merge_top_k(results, 4, 0);
  REQUIRE(merged.hits.size() == 4);
  const std::vector<std::pair<uint32_t, uint32_t>> want = {{2, 0}, {0, 0}, {0, 1}, {0, 2}};
  for (size_t i = 0; i < want.size(); ++i) {
    CHECK(merged.hits[i].shard == want[i].first);
    CHECK(merged.hits[i].hit.doc == want[i].second);
  }
  CHECK(merged.total_hits == 17);
  CHECK(merged.total_exact);

  results[1].total_exact = false;
  merged = merge_top_k(results, 3, 2);
  REQUIRE(merged.hits.size() == 3);
  CHECK(merged.hits[0].shard == 0);
  CHECK(merged.hits[0].hit.doc == 1);
  CHECK(merged.hits[2].shard == 2);
  CHECK(merged.hits[2].hit.doc == 1);
  CHECK_FALSE(merged.total_exact);
  CHECK(merge_top_k(results, 5, 10).hits.empty());
}

TEST_CASE("routing is stable and the shard manifest round-trips", "[sharded]") {
  // Fixed by the format: xxh3-64 (seed 0) of the id, modulo N.
  CHECK(shard_of("", 1) == 0);
  std::vector<uint32_t> counts(4);
  for (int i = 0; i < 4000; ++i) ++counts[shard_of("doc" + std::to_string(i), 4)];
  for (uint32_t n : counts) CHECK((n > 800 && n < 1200));
  test::TempDir tmp;
  const std::string dir = tmp.path().string();
  CHECK_FALSE(is_sharded(dir));
  REQUIRE(write_shard_manifest(dir, ShardManifest{5, kShardHashXxh3}).is_ok());
  CHECK(is_sharded(dir));
  CHECK(fs::file_size(dir + "/SHARDS") == 8 + 32);
  auto read = read_shard_manifest(dir);
  REQUIRE(read);
  CHECK(read->shards == 5);
  REQUIRE(write_shard_manifest(dir, ShardManifest{0, kShardHashXxh3}).is_ok());
  auto zero = read_shard_manifest(dir);
  REQUIRE_FALSE(zero);
  CHECK(zero.status().code() == Status::Code::kCorruption);
  REQUIRE(write_shard_manifest(dir, ShardManifest{2, 7}).is_ok());
  auto unknown = read_shard_manifest(dir);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.status().code() == Status::Code::kNotSupported);
}

TEST_CASE("a sharded index's documents, list and verify", "[sharded]") {
  const auto docs = test::random_documents(3, 300, "v");
  Pair pair(docs, 4);
  const IndexReader& index = pair.sharded->index();
  CHECK(index.manifest().live_documents() == docs.size());
  for (const Document& doc : docs) {
    auto found = find_document(index, doc.id);
    REQUIRE(found);
    CHECK(found->title == doc.title);
  }
  CHECK_FALSE(find_document(index, "nowhere"));
  std::vector<std::string> listed;
  REQUIRE(for_each_document(index, [&](const StoredDocument& d) {
            listed.push_back(d.id);
            return Status::ok();
          }).is_ok());
  std::vector<std::string> ids;
  for (const Document& doc : docs) ids.push_back(doc.id);
  std::sort(ids.begin(), ids.end());
  std::sort(listed.begin(), listed.end());
  CHECK(listed == ids);
  auto verified = index.verify();
  REQUIRE(verified);
  CHECK(*verified > 4 * 5);

  // An empty shard (more shards than documents) is an ordinary empty index.
  Pair tiny(std::vector<Document>(docs.begin(), docs.begin() + 2), 8);
  CHECK(tiny.sharded->index().manifest().documents() == 2);
  auto answer = tiny.sharded->answer("common", QueryOptions{});
  REQUIRE(answer);
  REQUIRE(tiny.sharded->index().verify());
}

TEST_CASE("updates, deletes and merges route by the hash", "[sharded]") {
  auto docs = test::random_documents(21, 800, "u");
  Pair pair(docs, 3);
  const std::string one_dir = (pair.tmp.path() / "one").string();
  const std::string sharded_dir = (pair.tmp.path() / "sharded").string();
  // The same change to both: 100 documents replaced (same ids, new text),
  // 50 added, 30 deleted; then a merge.
  auto changed = test::random_documents(22, 150, "u");
  for (size_t i = 100; i < 150; ++i) changed[i].id = "new" + std::to_string(i);
  std::vector<std::string> deleted;
  for (size_t i = 200; i < 230; ++i) deleted.push_back(docs[i].id);
  deleted.push_back("nowhere");
  for (bool merge : {false, true}) {
    INFO("merge: " << merge);
    int round = 0;
    for (const std::string& dir : {one_dir, sharded_dir}) {
      const std::string out = dir + ".next";
      fs::create_directory(out);
      UpdateOptions options;
      auto apply = [&](auto& updater) {
        if (merge) {
          updater.merge_all();
        } else {
          for (const Document& doc : changed) REQUIRE(updater.add(doc));
          auto missing = updater.delete_ids(deleted);
          REQUIRE(missing);
          CHECK(*missing == std::vector<std::string>{"nowhere"});
        }
        auto stats = updater.finish();
        REQUIRE(stats);
        CHECK(stats->changed);
        CHECK(stats->live_documents == 800 + 50 - 30);
      };
      if (round++ == 0) {
        auto updater = IndexUpdater::open(dir, out, {}, options);
        REQUIRE(updater);
        apply(**updater);
      } else {
        auto updater = ShardedUpdater::open(dir, out, {}, options);
        REQUIRE(updater);
        apply(**updater);
      }
      fs::remove_all(dir);
      fs::rename(out, dir);
    }
    pair.reopen();
    REQUIRE(pair.sharded->index().verify());
    CHECK(pair.sharded->index().manifest().live_documents() == 820);
    auto doc = find_document(pair.sharded->index(), changed[5].id);
    REQUIRE(doc);
    CHECK(doc->body == changed[5].body);
    CHECK_FALSE(find_document(pair.sharded->index(), deleted[0]));
    for (uint32_t i = 0; i < 3; ++i) {
      const auto range = pair.sharded->index().shard_segments(i);
      CHECK(range.second - range.first == (merge ? 1 : 2));
    }
    // Each document, deleted or live, is in one shard as in the one index,
    // so the summed statistics (deleted documents counted until a merge)
    // are the one index's, before the merge and after it.
    std::mt19937 rng(5);
    for (int q = 0; q < 60; ++q) {
      const std::string query = random_query(rng);
      QueryOptions options;
      options.snippets = false;
      auto want = pair.one->answer(query, options);
      auto got = pair.sharded->answer(query, options);
      REQUIRE(want);
      REQUIRE(got);
      check_same(*want, *got, query, options.k);
      check_cut_ties(*pair.one, *got, query, options);
    }
  }
}

}  // namespace
}  // namespace scry
