// scry::Engine against the pipeline wired by hand from its parts (parser,
// planner, weights, searcher, document store, snippets) on random corpora
// and queries (fixed seeds): the same hits, scores, documents, snippets and
// counts; and its options (offset, count, documents, plain, syntax errors).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/hit_snippets.h"
#include "engine/snippet_terms.h"
#include "scry/engine/documents.h"
#include "scry/engine/engine.h"
#include "scry/query/planner.h"
#include "scry/query/query_parser.h"
#include "scry/search/collection_statistics.h"
#include "scry/search/searcher.h"
#include "scry/search/weight.h"
#include "testlib.h"

namespace scry {
namespace {

// A random query over the words of testlib's random_documents.
std::string random_query(std::mt19937& rng) {
  auto word = [&] { return "w" + std::to_string(rng() % 60); };
  std::string q;
  const int clauses = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < clauses; ++i) {
    if (!q.empty()) q += ' ';
    switch (rng() % 7) {
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
        q += "w" + std::to_string(rng() % 6) + "*";
        break;
      case 4:
        q += "title:" + word();
        break;
      case 5:
        q += "common";
        break;
      default:
        q += word();
        break;
    }
  }
  return q;
}

// The plan the engine makes of `text` with `options`: parsed, then planned
// with the options' title weight.
PlanNode plan_of(const std::string& text, const QueryOptions& options, Analyzer* analyzer,
                 Analyzer* prefix_analyzer, const IndexStatistics& stats) {
  auto query = parse_query(text);
  REQUIRE(query.is_ok());
  PlannerOptions planner;
  planner.title_weight = options.title_weight;
  auto plan = plan_query(*query, analyzer, prefix_analyzer, stats, planner);
  REQUIRE(plan.is_ok());
  return std::move(plan).value();
}

struct Fixture {
  test::TempDir tmp;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<IndexReader> index;  // The same index, opened apart for the reference.

  explicit Fixture(uint32_t seed, const AnalyzerConfig& config = AnalyzerConfig{}) {
    auto docs = test::random_documents(seed, 300, "d");
    test::build_index(docs, tmp / "idx", config);
    auto e = Engine::open((tmp / "idx").string());
    REQUIRE(e.is_ok());
    engine = std::move(e).value();
    auto r = IndexReader::open((tmp / "idx").string());
    REQUIRE(r.is_ok());
    index = std::move(r).value();
  }
};

// An index with stop words and stemming (positions with gaps, phrases that
// skip stop words), and what its snippets' terms are found with.
struct SnippetFixture {
  static AnalyzerConfig stop_words() {
    AnalyzerConfig config;
    config.stop_words = StopWords::kSnowball;
    return config;
  }
  AnalyzerConfig config = stop_words();
  Fixture f{13, config};
  Analyzer analyzer{config};
  Analyzer prefix_analyzer{prefix_analyzer_config(config)};
  IndexStatistics stats{*f.index};

  // The terms the engine's snippets of `text` look for: the query parsed,
  // planned and weighed as the engine does with `options`.
  SnippetQuery terms_of(const std::string& text, const QueryOptions& options) {
    const PlanNode plan = plan_of(text, options, &analyzer, &prefix_analyzer, stats);
    auto weight = make_weight(plan, options.bm25, stats);
    REQUIRE(weight.is_ok());
    return snippet_terms(*weight);
  }
};

TEST_CASE("engine: answers as the pipeline wired by hand", "[engine]") {
  Fixture f(7);
  Analyzer analyzer(f.index->manifest().analyzer);
  Analyzer prefix_analyzer(prefix_analyzer_config(f.index->manifest().analyzer));
  IndexStatistics stats(*f.index);
  Searcher searcher(*f.index);
  std::mt19937 rng(42);
  int with_hits = 0;
  for (int i = 0; i < 150; ++i) {
    const std::string text = random_query(rng);
    INFO("query: " << text);
    QueryOptions options;
    options.k = 1 + rng() % 12;
    options.offset = rng() % 3;
    options.explain = rng() % 2 == 0;
    auto answer = f.engine->answer(text, options);
    REQUIRE(answer.is_ok());
    REQUIRE_FALSE(answer->syntax_error);

    const PlanNode plan = plan_of(text, options, &analyzer, &prefix_analyzer, stats);
    SearchOptions so;
    so.k = options.k;
    so.offset = options.offset;
    so.bm25 = options.bm25;
    auto expected = searcher.search(plan, so);
    REQUIRE(expected.is_ok());

    REQUIRE(answer->total_hits == expected->total_hits);
    REQUIRE(answer->hits.size() == expected->hits.size());
    if (options.explain) {
      auto query = parse_query(text);
      REQUIRE(query.is_ok());
      CHECK(answer->parsed == to_string(*query));
    }
    for (size_t r = 0; r < expected->hits.size(); ++r) {
      const Hit& want = expected->hits[r];
      const AnswerHit& got = answer->hits[r];
      CHECK(got.rank == options.offset + r + 1);
      CHECK(got.score == want.score);
      auto doc = f.index->segments()[want.segment]->document(want.doc);
      REQUIRE(doc.is_ok());
      CHECK(got.id == doc->id);
      CHECK(got.title == doc->title);
      CHECK(got.source == doc->source);
      REQUIRE(got.snippet.has_value());
      for (auto [start, end] : got.snippet->highlights) {
        CHECK(start < end);
        CHECK(end <= got.snippet->text.size());
      }
      if (options.explain) {
        double sum = 0;
        for (const TermExplain& e : got.explain) sum += e.score;
        CHECK(std::abs(sum - got.score) <= 1e-9 * std::max(1.0, got.score));
      } else {
        CHECK(got.explain.empty());
      }
    }
    with_hits += !answer->hits.empty();
  }
  // The random queries are not all trivially empty.
  CHECK(with_hits >= 50);
}

TEST_CASE("engine: snippets from the index are those of the whole text", "[engine]") {
  SnippetFixture x;
  Fixture& f = x.f;
  // The store has the checkpoints that make_snippet_at needs.
  auto layout = f.index->segments()[0]->text_layout(0);
  REQUIRE(layout.is_ok());
  REQUIRE(layout->has_checkpoints);
  std::mt19937 rng(1206);
  size_t snippets = 0;
  for (int i = 0; i < 150; ++i) {
    std::string text = random_query(rng);
    if (i % 3 == 0)
      text += " \"w" + std::to_string(rng() % 30) + " the w" + std::to_string(rng() % 30) + "\"";
    INFO("query: " << text);
    QueryOptions options;
    options.k = 1 + rng() % 12;
    options.snippet_tokens = std::vector<size_t>{1, 5, 30, 60}[rng() % 4];
    auto answer = f.engine->answer(text, options);
    REQUIRE(answer.is_ok());
    REQUIRE_FALSE(answer->syntax_error);
    const SnippetQuery terms = x.terms_of(text, options);
    for (const AnswerHit& hit : answer->hits) {
      auto doc = find_document(*f.index, hit.id);
      REQUIRE(doc.is_ok());
      const Snippet expected = make_snippet(&x.analyzer, doc->body, terms, options.snippet_tokens);
      REQUIRE(hit.snippet.has_value());
      CHECK(hit.snippet->text == expected.text);
      CHECK(hit.snippet->highlights == expected.highlights);
      snippets += !expected.highlights.empty();
    }
  }
  CHECK(snippets > 300);
}

TEST_CASE("engine: snippets weigh a word by its idf in the text, not in titles", "[engine]") {
  // The title field's idf (few, short texts) would make every word of a
  // title look rare, and its passage lose to more matches of a common word.
  SnippetFixture x;
  QueryOptions with_titles;
  REQUIRE(with_titles.title_weight > 0);
  QueryOptions text_only;
  text_only.title_weight = 0;
  std::mt19937 rng(1207);
  size_t title_rarer = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string text = "w" + std::to_string(rng() % 40) + " w" + std::to_string(rng() % 40);
    INFO("query: " << text);
    const SnippetQuery titled = x.terms_of(text, with_titles);
    const SnippetQuery plain = x.terms_of(text, text_only);
    REQUIRE(titled.terms.size() == plain.terms.size());
    for (size_t t = 0; t < titled.terms.size(); ++t) {
      CHECK(titled.terms[t].term == plain.terms[t].term);
      CHECK(titled.terms[t].weight == plain.terms[t].weight);
      auto title_df = x.stats.document_frequency(Field::kTitle, plain.terms[t].term);
      REQUIRE(title_df.is_ok());
      auto text_df = x.stats.document_frequency(Field::kText, plain.terms[t].term);
      REQUIRE(text_df.is_ok());
      title_rarer += *title_df > 0 && *title_df < *text_df;
    }
  }
  CHECK(title_rarer > 50);  // The case arose.
  // A word asked in titles alone weighs its idf there.
  const SnippetQuery title = x.terms_of("title:w3", with_titles);
  REQUIRE(title.terms.size() == 1);
  CHECK(title.terms[0].weight > 0);
}

TEST_CASE("engine: a hit's snippet does not depend on the order hits are asked in", "[engine]") {
  // The engine asks for its hits in doc order; HitSnippets must give the
  // same snippets in any order (a cursor past a doc starts again).
  SnippetFixture x;
  Fixture& f = x.f;
  std::mt19937 rng(1207);
  size_t highlighted = 0;
  for (int i = 0; i < 30; ++i) {
    const std::string text = random_query(rng);
    INFO("query: " << text);
    const SnippetQuery terms = x.terms_of(text, QueryOptions());
    for (size_t s = 0; s < f.index->segments().size(); ++s) {
      const SegmentReader& segment = *f.index->segments()[s];
      std::vector<uint32_t> docs(segment.doc_count());
      std::iota(docs.begin(), docs.end(), 0);
      std::vector<HitSnippets::BodyStart> starts;
      for (uint32_t d : docs) {
        auto meta = segment.document_meta(d);
        REQUIRE(meta.is_ok());
        starts.push_back({meta->has_checkpoints, meta->body_position});
      }
      snippets::SnippetAtBuffers in_order_buffers;
      snippets::SnippetAtBuffers shuffled_buffers;
      HitSnippets in_order(*f.index, &x.analyzer, terms, 30, &in_order_buffers);
      HitSnippets shuffled(*f.index, &x.analyzer, terms, 30, &shuffled_buffers);
      std::vector<Snippet> want;
      for (uint32_t d : docs) {
        auto snippet = in_order.make(s, d, starts[d]);
        REQUIRE(snippet.is_ok());
        want.push_back(std::move(snippet).value());
      }
      std::shuffle(docs.begin(), docs.end(), rng);
      for (uint32_t d : docs) {
        INFO("doc " << d);
        auto snippet = shuffled.make(s, d, starts[d]);
        REQUIRE(snippet.is_ok());
        CHECK(snippet->text == want[d].text);
        CHECK(snippet->highlights == want[d].highlights);
        highlighted += !want[d].highlights.empty();
      }
    }
  }
  CHECK(highlighted > 100);
}

TEST_CASE("engine: count, offset, documents and plain text", "[engine]") {
  Fixture f(11);
  QueryOptions all;
  all.k = 1000;
  all.snippets = false;
  auto full = f.engine->answer("common w3", all);
  REQUIRE(full.is_ok());
  REQUIRE(full->hits.size() > 20);
  REQUIRE(full->total_exact);

  SECTION("count_only counts every match and reads no document") {
    QueryOptions count;
    count.count_only = true;
    auto c = f.engine->answer("common w3", count);
    REQUIRE(c.is_ok());
    CHECK(c->hits.empty());
    CHECK(c->total_exact);
    CHECK(c->total_hits == full->total_hits);
  }
  SECTION("an offset skips the better hits") {
    QueryOptions page;
    page.k = 5;
    page.offset = 10;
    page.snippets = false;
    auto p = f.engine->answer("common w3", page);
    REQUIRE(p.is_ok());
    REQUIRE(p->hits.size() == 5);
    for (size_t i = 0; i < 5; ++i) {
      CHECK(p->hits[i].id == full->hits[10 + i].id);
      CHECK(p->hits[i].score == full->hits[10 + i].score);
      CHECK(p->hits[i].rank == 11 + i);
    }
  }
  SECTION("without documents, hits have ranks and scores only") {
    QueryOptions bare;
    bare.k = 5;
    bare.documents = false;
    auto b = f.engine->answer("common w3", bare);
    REQUIRE(b.is_ok());
    REQUIRE(b->hits.size() == 5);
    for (size_t i = 0; i < 5; ++i) {
      CHECK(b->hits[i].id.empty());
      CHECK_FALSE(b->hits[i].snippet.has_value());
      CHECK(b->hits[i].score == full->hits[i].score);
    }
  }
  SECTION("plain text is not parsed: syntax is words") {
    QueryOptions plain;
    plain.plain = true;
    plain.snippets = false;
    plain.count_all = true;
    auto p = f.engine->answer("common (w3", plain);
    REQUIRE(p.is_ok());
    CHECK_FALSE(p->syntax_error);
    CHECK(p->total_hits >= full->total_hits);
  }
}

TEST_CASE("engine: a syntax error is an answer with its column", "[engine]") {
  Fixture f(13);
  auto a = f.engine->answer("common \"w3", QueryOptions{});
  REQUIRE(a.is_ok());
  REQUIRE(a->syntax_error.has_value());
  CHECK(a->syntax_error->position == 7);
  CHECK(a->syntax_message.rfind("query:8:", 0) == 0);
  CHECK(a->hits.empty());

  QueryOptions plain;
  plain.plain = true;
  plain.limits.max_clauses = 2;
  auto p = f.engine->answer("w1 w2 w3", plain);
  REQUIRE(p.is_ok());
  REQUIRE(p->syntax_error.has_value());
  CHECK(p->syntax_message.find("too many terms") != std::string::npos);
}

TEST_CASE("engine: a phrase counts each of its words against the term limit", "[engine]") {
  Fixture f(15);
  QueryOptions options;
  options.limits.max_clauses = 4;
  // Two leaves for the parser, five terms once analyzed: refused at the
  // phrase, which takes the count past four.
  auto a = f.engine->answer("common \"w1 w2 w3 w4\"", options);
  REQUIRE(a.is_ok());
  REQUIRE(a->syntax_error.has_value());
  CHECK(a->syntax_error->position == 7);
  CHECK(a->syntax_message == "query:8: too many terms (limit 4)");
  // Four terms: answered.
  a = f.engine->answer("\"w1 w2 w3 w4\"", options);
  REQUIRE(a.is_ok());
  CHECK_FALSE(a->syntax_error.has_value());
  // A phrase of 20,000 words is refused, not searched.
  std::string words;
  for (int i = 0; i < 20'000; ++i) words += "common ";
  a = f.engine->answer("\"" + words + "\"", QueryOptions{});
  REQUIRE(a.is_ok());
  REQUIRE(a->syntax_error.has_value());
  CHECK(a->syntax_message == "query:1: too many terms (limit 1024)");
}

TEST_CASE("engine: prefixes past the expansion bound are a query error with a column", "[engine]") {
  Fixture f(17);
  // w0* .. w7* each expand to many terms; nine one-letter-ish prefixes
  // repeated 100 times are merged, then refused at the first one past 1,024.
  std::string query;
  for (int r = 0; r < 100; ++r) query += "w1* w2* w3* w4* w5* w6* w7* w8* w9* ";
  QueryOptions options;
  options.snippets = false;
  auto a = f.engine->answer(query, options);
  REQUIRE(a.is_ok());
  if (a->syntax_error) {
    CHECK(a->syntax_message.find("prefixes expand to too many terms (limit 1024)") !=
          std::string::npos);
    CHECK(a->syntax_error->position < 36);  // One of the first nine.
  } else {
    CHECK(a->total_hits > 0);  // Within the bound: answered.
  }
}

TEST_CASE("engine: the deepest accepted query answers, one deeper is refused", "[engine]") {
  Fixture f(19);
  // Each level a group of its own: "w1 AND (w2 -w3 (... ))", with a
  // repeated prefix inside to plan.
  auto nested = [](size_t depth) {
    std::string q;
    for (size_t i = 0; i < depth; ++i) {
      q += i % 2 == 0 ? "common AND (" : "w" + std::to_string(i % 50) + " -w9 (";
    }
    q += "w1* w1* w2";
    q += std::string(depth, ')');
    return q;
  };
  QueryOptions options;
  options.limits.max_depth = 1'000'000'000;  // Capped at kMaxQueryDepth.
  options.limits.max_clauses = 10'000;
  options.explain = true;  // to_string() of the tree too.
  options.count_all = true;
  auto deepest = f.engine->answer(nested(kMaxQueryDepth), options);
  REQUIRE(deepest.is_ok());
  CHECK_FALSE(deepest->syntax_error.has_value());
  CHECK_FALSE(deepest->parsed.empty());
  auto deeper = f.engine->answer(nested(kMaxQueryDepth + 1), options);
  REQUIRE(deeper.is_ok());
  REQUIRE(deeper->syntax_error.has_value());
  CHECK(deeper->syntax_message.find("query nested too deeply (limit 256)") != std::string::npos);
}

TEST_CASE("engine: a query past its time limit or cancelled stops with an error", "[engine]") {
  Fixture f(23);
  QueryOptions options;
  options.cancelled = [] { return true; };
  auto cancelled = f.engine->answer("common w3*", options);
  REQUIRE_FALSE(cancelled.is_ok());
  CHECK(cancelled.status().code() == Status::Code::kCancelled);
  CHECK(cancelled.status().message() == "query cancelled");

  options.timeout = std::chrono::milliseconds(1);
  options.cancelled = [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    return false;
  };
  auto late = f.engine->answer("common w3", options);
  REQUIRE_FALSE(late.is_ok());
  CHECK(late.status().code() == Status::Code::kCancelled);
  CHECK(late.status().message() == "query timed out after 1 ms");

  QueryOptions unlimited;  // No timeout, no callback: answered.
  CHECK(f.engine->answer("common w3", unlimited).is_ok());
}

TEST_CASE("engine: a query of stop words only says it has no term", "[engine]") {
  test::TempDir tmp;
  AnalyzerConfig config;
  config.stop_words = StopWords::kLucene;
  test::build_index({{"a", "", "to be or not to be, that is the question", "s:a"}}, tmp / "idx",
                    config);
  auto e = Engine::open((tmp / "idx").string());
  REQUIRE(e.is_ok());
  auto stop = (*e)->answer("to be or not to be", QueryOptions{});
  REQUIRE(stop.is_ok());
  CHECK(stop->no_terms);
  CHECK(stop->total_hits == 0);
  auto word = (*e)->answer("to be or not to be question", QueryOptions{});
  REQUIRE(word.is_ok());
  CHECK_FALSE(word->no_terms);
  CHECK(word->total_hits == 1);
  // A prefix or fuzzy term that matches no indexed term is a query without
  // hits, not one without words.
  for (const char* pattern : {"zebra*", "zebra~1", "to be zebra*"}) {
    auto none = (*e)->answer(pattern, QueryOptions{});
    REQUIRE(none.is_ok());
    CHECK_FALSE(none->no_terms);
    CHECK(none->total_hits == 0);
  }
}

TEST_CASE("engine: a group of stop words or symbols is left out, required or not", "[engine]") {
  test::TempDir tmp;
  AnalyzerConfig config;
  config.stop_words = StopWords::kLucene;
  test::build_index({{"a", "", "to be or not to be, that is the question", "s:a"},
                     {"b", "", "the question of the hour", "s:b"},
                     {"c", "", "an answer", "s:c"}},
                    tmp / "idx", config);
  auto e = Engine::open((tmp / "idx").string());
  REQUIRE(e.is_ok());
  const auto hits = [&](const std::string& query) {
    auto a = (*e)->answer(query, QueryOptions{});
    REQUIRE(a.is_ok());
    REQUIRE_FALSE(a->syntax_error.has_value());
    return a->total_hits;
  };
  REQUIRE(hits("question") == 2);
  for (const char* query : {"+the +question", "(the OR of) AND question", "(to OR to) AND question",
                            "question AND (— OR $)", "question AND (the OR (of AND —))",
                            "+$ question", "question -(the OR of)"}) {
    INFO(query);
    CHECK(hits(query) == 2);
  }
  // A group holding a word keeps it: required.
  CHECK(hits("(the OR answer) AND question") == 0);
  CHECK(hits("(the OR hour) AND question") == 1);
}

TEST_CASE("engine: words that contractions become are found, version 1 indexes keep their list",
          "[engine]") {
  for (const uint32_t version : {AnalyzerConfig::kCurrentVersion, uint32_t{1}}) {
    INFO("analyzer version " << version);
    test::TempDir tmp;
    AnalyzerConfig config;
    config.version = version;
    config.stop_words = StopWords::kSnowball;
    test::build_index({{"a", "", "the c shell", "s:a"}, {"b", "", "an oil well", "s:b"}},
                      tmp / "idx", config);
    auto e = Engine::open((tmp / "idx").string());
    REQUIRE(e.is_ok());
    CHECK((*e)->index().manifest().analyzer.version == version);
    const bool kept = version == AnalyzerConfig::kCurrentVersion;  // Version 1 did not.
    for (const char* word : {"shell", "well", "\"c shell\""}) {
      INFO(word);
      auto a = (*e)->answer(word, QueryOptions{});
      REQUIRE(a.is_ok());
      // Version 1 left the word out of the index, and leaves it out of the
      // query: the phrase is "c" and any word.
      if (std::string_view(word) == "\"c shell\"") {
        CHECK(a->total_hits == 1);
      } else {
        CHECK(a->no_terms == !kept);
        CHECK(a->total_hits == (kept ? 1 : 0));
      }
    }
  }
}

TEST_CASE("engine: a missing index is an error naming it", "[engine]") {
  test::TempDir tmp;
  auto e = Engine::open((tmp / "nothing").string());
  REQUIRE_FALSE(e.is_ok());
  CHECK(e.status().message().find("nothing") != std::string::npos);
}

}  // namespace
}  // namespace scry
