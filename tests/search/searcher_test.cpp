// The Searcher against a brute-force reference: BM25 computed from the
// documents themselves (no index), every query node evaluated the obvious
// way, on random corpora and random queries with fixed seeds.
#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "scry/format/index_reader.h"
#include "scry/index/index_builder.h"
#include "scry/search/searcher.h"
#include "scry/text/analyzer.h"
#include "testlib.h"

using namespace scry;
using scry::test::TempDir;

namespace {

using test::u32;

// The analyzed fields of one document, the way the index defines them.
struct RefDoc {
  std::vector<std::string> field_terms[kFieldCount];  // Index = position.
};

// Everything the reference needs, computed from the documents alone.
class Reference {
 public:
  Reference(const std::vector<Document>& docs, const AnalyzerConfig& config) {
    Analyzer analyzer(config);
    for (const auto& d : docs) {
      RefDoc r;
      auto title = analyzer.terms(d.title);
      auto body = analyzer.terms(d.body);
      auto& text = r.field_terms[static_cast<size_t>(Field::kText)];
      text = title;
      if (!title.empty()) text.push_back("");  // The position gap after the title.
      text.insert(text.end(), body.begin(), body.end());
      r.field_terms[static_cast<size_t>(Field::kTitle)] = title;
      docs_.push_back(std::move(r));
    }
    for (size_t f = 0; f < kFieldCount; ++f) {
      double total = 0;
      for (const auto& d : docs_) total += length(d, static_cast<Field>(f));
      avgdl_[f] = total / static_cast<double>(docs_.size());
    }
  }

  size_t size() const { return docs_.size(); }

  // Length of a field: its tokens (the gap slot is not a token).
  static double length(const RefDoc& d, Field f) {
    double n = 0;
    for (const auto& t : d.field_terms[static_cast<size_t>(f)]) n += t.empty() ? 0 : 1;
    return n;
  }

  // Counted by a scan of every document, once per (field, term): the
  // scan is the reference, the memo only spares repeating it per document
  // scored.
  uint64_t df(Field f, const std::string& term) const {
    auto [it, added] = df_memo_.try_emplace({f, term}, 0);
    if (added) {
      for (const auto& d : docs_) it->second += tf(d, f, term) > 0;
    }
    return it->second;
  }
  static uint32_t tf(const RefDoc& d, Field f, const std::string& term) {
    uint32_t n = 0;
    for (const auto& t : d.field_terms[static_cast<size_t>(f)]) n += t == term;
    return n;
  }
  // Places where the phrase's terms occur at their offsets (consecutive
  // when `offsets` is empty).
  static uint32_t phrase_tf(const RefDoc& d, Field f, const PlanNode& phrase) {
    const auto& toks = d.field_terms[static_cast<size_t>(f)];
    auto offset = [&](size_t k) { return phrase.offsets.empty() ? k : size_t{phrase.offsets[k]}; };
    const size_t span = offset(phrase.terms.size() - 1) + 1;
    uint32_t n = 0;
    for (size_t i = 0; i + span <= toks.size(); ++i) {
      bool all = true;
      for (size_t k = 0; k < phrase.terms.size() && all; ++k) {
        all = toks[i + offset(k)] == phrase.terms[k];
      }
      n += all;
    }
    return n;
  }

  // Whether doc d matches node n, and its score.
  bool matches(size_t d, const PlanNode& n) const {
    const RefDoc& doc = docs_[d];
    switch (n.kind) {
      case PlanNode::Kind::kNothing:
        return false;
      case PlanNode::Kind::kTerm:
        return tf(doc, n.field, n.terms[0]) > 0;
      case PlanNode::Kind::kPhrase:
        return phrase_tf(doc, n.field, n) > 0;
      case PlanNode::Kind::kBool: {
        for (const auto& m : n.must) {
          if (!matches(d, m)) return false;
        }
        for (const auto& m : n.must_not) {
          if (matches(d, m)) return false;
        }
        if (!n.must.empty()) return true;
        for (const auto& s : n.should) {
          if (matches(d, s)) return true;
        }
        return false;
      }
      case PlanNode::Kind::kDisMax:
        for (const auto& s : n.should) {
          if (matches(d, s)) return true;
        }
        return false;
    }
    return false;
  }

  double idf(Field f, const std::string& t) const {
    double N = static_cast<double>(docs_.size());
    double df_t = static_cast<double>(df(f, t));
    return std::log(1.0 + (N - df_t + 0.5) / (df_t + 0.5));
  }

  // Finds the idf the blended terms of `plan` share: per blend number and
  // field, the least idf of those terms. score() uses it.
  void blend(const PlanNode& plan) {
    blended_.clear();
    std::vector<const PlanNode*> stack{&plan};
    while (!stack.empty()) {
      const PlanNode* n = stack.back();
      stack.pop_back();
      if (n->kind == PlanNode::Kind::kTerm && n->blend != 0) {
        auto [it, added] = blended_.try_emplace({n->blend, n->field}, idf(n->field, n->terms[0]));
        if (!added) it->second = std::min(it->second, idf(n->field, n->terms[0]));
      }
      for (const auto* list : {&n->must, &n->should, &n->must_not}) {
        for (const PlanNode& c : *list) stack.push_back(&c);
      }
    }
  }

  double score(size_t d, const PlanNode& n, const Bm25& bm25) const {
    const RefDoc& doc = docs_[d];
    auto idf_of = [&](const std::string& t) {
      if (n.kind == PlanNode::Kind::kTerm && n.blend != 0) return blended_.at({n.blend, n.field});
      return idf(n.field, t);
    };
    auto w = [&](double idf_v, double tf_v) {
      double dl = length(doc, n.field);
      double avgdl = avgdl_[static_cast<size_t>(n.field)];
      return idf_v * tf_v * (bm25.k1 + 1) / (tf_v + bm25.k1 * (1 - bm25.b + bm25.b * dl / avgdl));
    };
    switch (n.kind) {
      case PlanNode::Kind::kNothing:
        return 0;
      case PlanNode::Kind::kTerm:
        return n.boost * w(idf_of(n.terms[0]), tf(doc, n.field, n.terms[0]));
      case PlanNode::Kind::kPhrase: {
        double sum = 0;
        for (const auto& t : n.terms) sum += idf_of(t);
        return n.boost * w(sum, phrase_tf(doc, n.field, n));
      }
      case PlanNode::Kind::kBool: {
        double sum = 0;
        for (const auto& m : n.must) sum += score(d, m, bm25);
        for (const auto& s : n.should) {
          if (matches(d, s)) sum += score(d, s, bm25);
        }
        return sum;
      }
      case PlanNode::Kind::kDisMax: {
        double best = 0;
        for (const auto& s : n.should) {
          if (matches(d, s)) best = std::max(best, score(d, s, bm25));
        }
        return best;
      }
    }
    return 0;
  }

 private:
  std::vector<RefDoc> docs_;
  double avgdl_[kFieldCount];
  std::map<std::pair<uint32_t, Field>, double> blended_;               // See blend().
  mutable std::map<std::pair<Field, std::string>, uint64_t> df_memo_;  // See df().
};

std::vector<std::string> vocabulary(size_t n) {
  std::vector<std::string> v;
  for (size_t i = 0; i < n; ++i) v.push_back("w" + std::to_string(i));
  return v;
}

std::vector<Document> random_corpus(std::mt19937& rng, size_t n,
                                    const std::vector<std::string>& vocab) {
  std::vector<Document> docs;
  for (size_t i = 0; i < n; ++i) {
    Document d;
    d.id = std::to_string(i);
    d.source = "r:" + d.id;
    size_t title_words = u32(rng) % 4;
    for (size_t k = 0; k < title_words; ++k) d.title += vocab[u32(rng) % (vocab.size() / 2)] + " ";
    size_t body_words = u32(rng) % 60;
    for (size_t k = 0; k < body_words; ++k) {
      double u = std::uniform_real_distribution<double>(0, 1)(rng);
      d.body += vocab[static_cast<size_t>(u * u * static_cast<double>(vocab.size()))] + " ";
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

PlanNode random_leaf(std::mt19937& rng, const std::vector<std::string>& vocab) {
  PlanNode n;
  n.field = u32(rng) % 5 == 0 ? Field::kTitle : Field::kText;
  // Some terms are absent from every document.
  auto word = [&]() {
    return u32(rng) % 12 == 0 ? std::string("absent") : vocab[u32(rng) % vocab.size()];
  };
  if (u32(rng) % 4 == 0) {
    n.kind = PlanNode::Kind::kPhrase;
    size_t len = 2 + u32(rng) % 2;
    // Phrases built from frequent words so they sometimes occur.
    for (size_t i = 0; i < len; ++i) n.terms.push_back(vocab[u32(rng) % 4]);
    // Some phrases have gaps, as left by stop words.
    if (u32(rng) % 3 == 0) {
      uint32_t at = 0;
      for (size_t i = 0; i < len; ++i, at += 1 + u32(rng) % 2) n.offsets.push_back(at);
    }
  } else {
    n.kind = PlanNode::Kind::kTerm;
    n.terms.push_back(word());
    // Some terms are scored as the expansions of a prefix: with the least
    // idf of the terms of their blend number (weight.h).
    if (u32(rng) % 3 == 0) n.blend = 1 + u32(rng) % 3;
  }
  if (u32(rng) % 4 == 0) n.boost = std::array{0.5, 2.0, 3.25}[u32(rng) % 3];
  return n;
}

PlanNode random_plan(std::mt19937& rng, const std::vector<std::string>& vocab, int depth) {
  PlanNode n;
  size_t clauses = 1 + u32(rng) % 4;
  for (size_t i = 0; i < clauses; ++i) {
    PlanNode child = (depth < 2 && u32(rng) % 5 == 0) ? random_plan(rng, vocab, depth + 1)
                                                      : random_leaf(rng, vocab);
    switch (u32(rng) % 6) {
      case 0:
        n.must.push_back(std::move(child));
        break;
      case 1:
        n.must_not.push_back(std::move(child));
        break;
      default:
        n.should.push_back(std::move(child));
        break;
    }
  }
  return n;
}

// Requires the pruned search (count_all off) to return exactly the hits of
// the exhaustive one: same documents, same order, bit-identical scores.
// Returns whether pruning left matching documents uncounted.
bool check_pruned(const Searcher& searcher, const PlanNode& plan, SearchOptions options,
                  const SearchResult& exhaustive) {
  options.count_all = false;
  auto got = searcher.search(plan, options);
  REQUIRE(got.is_ok());
  REQUIRE(got->hits.size() == exhaustive.hits.size());
  for (size_t i = 0; i < got->hits.size(); ++i) {
    INFO("rank " << i);
    REQUIRE(got->hits[i].segment == exhaustive.hits[i].segment);
    REQUIRE(got->hits[i].doc == exhaustive.hits[i].doc);
    REQUIRE(got->hits[i].score == exhaustive.hits[i].score);
  }
  REQUIRE(got->total_hits <= exhaustive.total_hits);
  REQUIRE(got->total_hits >= got->hits.size() + std::min(options.offset, exhaustive.total_hits));
  if (got->total_exact) REQUIRE(got->total_hits == exhaustive.total_hits);
  return !got->total_exact;
}

// Compares the Searcher's exhaustive answer with the reference's for one
// plan, and the pruned answer with the exhaustive one; returns the number
// of matching documents. Counts pruned queries in *pruned.
size_t check_plan(const Searcher& searcher, Reference& ref, const PlanNode& plan,
                  SearchOptions options, size_t* pruned) {
  options.count_all = true;
  ref.blend(plan);
  struct Scored {
    double score;
    uint32_t doc;
  };
  std::vector<Scored> expected;
  for (size_t d = 0; d < ref.size(); ++d) {
    if (ref.matches(d, plan)) {
      expected.push_back({ref.score(d, plan, options.bm25), static_cast<uint32_t>(d)});
    }
  }
  std::sort(expected.begin(), expected.end(), [](const Scored& a, const Scored& b) {
    return a.score != b.score ? a.score > b.score : a.doc < b.doc;
  });
  auto got = searcher.search(plan, options);
  REQUIRE(got.is_ok());
  REQUIRE(got->total_exact);
  REQUIRE(got->total_hits == expected.size());
  size_t want =
      expected.size() > options.offset ? std::min(options.k, expected.size() - options.offset) : 0;
  REQUIRE(got->hits.size() == want);
  for (size_t i = 0; i < want; ++i) {
    const Scored& e = expected[options.offset + i];
    const Hit& h = got->hits[i];
    INFO("rank " << i << " expected doc " << e.doc << " score " << e.score << ", got doc " << h.doc
                 << " score " << h.score);
    REQUIRE(std::abs(h.score - e.score) <= 1e-5 * std::max(1.0, std::abs(e.score)));
    // Scores equal within rounding may come in either order only when the
    // reference's scores are themselves that close.
    if (h.doc != e.doc) {
      REQUIRE(std::abs(ref.score(h.doc, plan, options.bm25) - e.score) <=
              1e-9 * std::max(1.0, e.score));
    }
  }
  *pruned += check_pruned(searcher, plan, options, *got);
  return expected.size();
}

}  // namespace

TEST_CASE("searcher: BM25 by hand on a tiny corpus", "[search]") {
  TempDir tmp;
  AnalyzerConfig config;
  config.stem = false;
  std::vector<Document> docs = {
      {"a", "", "apple banana apple", "t:1"},
      {"b", "", "banana cherry", "t:2"},
      {"c", "", "cherry cherry cherry date", "t:3"},
  };
  auto index = scry::test::build_index(docs, tmp / "idx", config);
  Searcher searcher(*index);
  // N = 3; lengths 3, 2, 4; avgdl = 3. "cherry": df = 2.
  double idf = std::log(1.0 + (3.0 - 2.0 + 0.5) / (2.0 + 0.5));  // ln 1.6
  double k1 = 1.2, b = 0.75;
  double doc_c = idf * 3 * (k1 + 1) / (3 + k1 * (1 - b + b * 4.0 / 3.0));
  double doc_b = idf * 1 * (k1 + 1) / (1 + k1 * (1 - b + b * 2.0 / 3.0));
  PlanNode plan;
  PlanNode cherry;
  cherry.kind = PlanNode::Kind::kTerm;
  cherry.terms = {"cherry"};
  plan.should.push_back(cherry);
  SearchOptions options;
  options.explain = true;
  auto r = searcher.search(plan, options);
  REQUIRE(r.is_ok());
  REQUIRE(r->hits.size() == 2);
  CHECK(r->hits[0].doc == 2);
  CHECK(r->hits[0].score == Approx(doc_c).epsilon(1e-12));
  CHECK(r->hits[1].doc == 1);
  CHECK(r->hits[1].score == Approx(doc_b).epsilon(1e-12));
  REQUIRE(r->hits[0].explain.size() == 1);
  CHECK(r->hits[0].explain[0].tf == 3);
  CHECK(r->hits[0].explain[0].doc_len == 4);
  CHECK(r->hits[0].explain[0].idf == Approx(idf));
  // k1 = 0: tf no longer matters; b = 0: length no longer matters.
  options.bm25 = {0.0, 0.0};
  r = searcher.search(plan, options);
  REQUIRE(r.is_ok());
  CHECK(r->hits[0].score == Approx(idf));
  CHECK(r->hits[1].score == Approx(idf));
  CHECK(r->hits[0].doc == 1);  // A tie goes to the lower doc id.
}

// A disjunction of 2 to 9 clauses (what MaxScore runs), sometimes with an
// exclusion.
// The best of up to `most` clauses, as a fuzzy word plans: terms boosted 1,
// 1/2 or 1/3 (some blended), text and title pairs, and now and then a
// random Bool.
PlanNode random_dis_max(std::mt19937& rng, const std::vector<std::string>& vocab, size_t most) {
  PlanNode n;
  n.kind = PlanNode::Kind::kDisMax;
  for (size_t i = 1 + u32(rng) % most; i > 0; --i) {
    const uint32_t pick = u32(rng) % 8;
    if (pick == 0) {
      n.should.push_back(random_plan(rng, vocab, 1));
      continue;
    }
    PlanNode leaf = random_leaf(rng, vocab);
    leaf.boost = std::array{1.0, 0.5, 1.0 / 3}[u32(rng) % 3];
    if (pick == 1 && leaf.field == Field::kText) {
      PlanNode title = leaf;
      title.field = Field::kTitle;
      title.boost *= 0.5;
      PlanNode pair;
      pair.must.push_back(std::move(leaf));
      pair.should.push_back(std::move(title));
      n.should.push_back(std::move(pair));
      continue;
    }
    n.should.push_back(std::move(leaf));
  }
  return n;
}

PlanNode random_disjunction(std::mt19937& rng, const std::vector<std::string>& vocab) {
  PlanNode n;
  for (size_t i = 2 + u32(rng) % 8; i > 0; --i) {
    const uint32_t pick = u32(rng) % 8;
    n.should.push_back(pick == 0   ? random_plan(rng, vocab, 1)
                       : pick == 1 ? random_dis_max(rng, vocab, 8)
                                   : random_leaf(rng, vocab));
  }
  if (u32(rng) % 4 == 0) n.must_not.push_back(random_leaf(rng, vocab));
  return n;
}

TEST_CASE("searcher: equals the brute-force reference on random queries", "[search]") {
  std::mt19937 rng(20261122);
  auto vocab = vocabulary(40);
  size_t queries = 0;
  size_t with_hits = 0;
  size_t pruned = 0;
  for (int corpus = 0; corpus < 6; ++corpus) {
    TempDir tmp;
    AnalyzerConfig config;
    config.stem = corpus % 2 == 0;
    auto docs = random_corpus(rng, 60 + u32(rng) % 400, vocab);
    auto index = scry::test::build_index(docs, tmp / "idx", config);
    Reference ref(docs, config);
    Searcher searcher(*index);
    for (int q = 0; q < 200; ++q, ++queries) {
      const uint32_t pick = u32(rng) % 5;
      PlanNode plan = pick < 2   ? random_plan(rng, vocab, 0)
                      : pick < 4 ? random_disjunction(rng, vocab)
                                 : random_dis_max(rng, vocab, 12);
      SearchOptions options;
      const size_t ks[] = {1, 10, 1000};
      options.k = ks[u32(rng) % 3];
      options.offset = u32(rng) % 4 == 0 ? u32(rng) % 5 : 0;
      if (u32(rng) % 5 == 0) options.bm25 = {0.5 + (u32(rng) % 20) / 10.0, (u32(rng) % 11) / 10.0};
      INFO("corpus " << corpus << " query " << q);
      with_hits += check_plan(searcher, ref, plan, options, &pruned) > 0;
    }
  }
  // Pruning really happened on many of them (k = 1 and 10 especially).
  CHECK(pruned > queries / 5);
  // The random queries are not degenerate: most of them match something, and
  // some match nothing, so empty answers are compared too.
  CHECK(with_hits > queries / 2);
  CHECK(with_hits < queries);
}

// MaxScore works a window in inner windows of at most 2,048 documents and
// 8,192 (document, essential clause) cells (max_score.cpp): disjunctions of
// up to 91 clauses over a few thousand documents cross many of them, at
// every width from 64 to 2,048. A third of the queries are the best of up
// to 100 clauses (a fuzzy word's expansions, DisMaxScorer), alone or beside
// other words, whose weak clauses are dropped once the threshold passes
// their bounds. The pruned hits must equal the exhaustive ones exactly (the
// exhaustive search is held to the brute-force reference by the test above;
// the reference itself is too slow at this size).
TEST_CASE("searcher: wide disjunctions over many documents equal the exhaustive search",
          "[search]") {
  std::mt19937 rng(20261206);
  auto vocab = vocabulary(120);
  size_t queries = 0;
  size_t pruned = 0;
  size_t dis_max_pruned = 0;
  size_t with_hits = 0;
  for (int corpus = 0; corpus < 2; ++corpus) {
    TempDir tmp;
    auto docs = random_corpus(rng, 2500 + u32(rng) % 1500, vocab);
    auto index = scry::test::build_index(docs, tmp / "idx", AnalyzerConfig{});
    Searcher searcher(*index);
    for (int q = 0; q < 150; ++q, ++queries) {
      PlanNode plan;
      if (q % 3 == 2) {
        // A fuzzy word's expansions: the best of up to 100 clauses, alone or
        // beside other words.
        plan = random_dis_max(rng, vocab, 100);
        if (u32(rng) % 2 == 0) {
          PlanNode both;
          both.should.push_back(std::move(plan));
          for (size_t i = 1 + u32(rng) % 3; i > 0; --i) {
            both.should.push_back(random_leaf(rng, vocab));
          }
          plan = std::move(both);
        }
      } else {
        for (size_t i = 2 + u32(rng) % 90; i > 0; --i) {
          plan.should.push_back(random_leaf(rng, vocab));
        }
      }
      if (plan.kind == PlanNode::Kind::kBool && u32(rng) % 4 == 0) {
        plan.must_not.push_back(random_leaf(rng, vocab));
      }
      SearchOptions options;
      options.k = std::array<size_t, 3>{1, 10, 100}[u32(rng) % 3];
      options.count_all = true;
      INFO("corpus " << corpus << " query " << q << " clauses " << plan.should.size());
      auto exhaustive = searcher.search(plan, options);
      REQUIRE(exhaustive.is_ok());
      with_hits += !exhaustive->hits.empty();
      const bool left_out = check_pruned(searcher, plan, options, *exhaustive);
      pruned += left_out;
      dis_max_pruned += q % 3 == 2 && left_out;
    }
  }
  CHECK(pruned > queries / 3);
  CHECK(dis_max_pruned > queries / 3 / 3);
  CHECK(with_hits > queries / 2);
}

TEST_CASE("searcher: a cancelled search stops inside its loops", "[search]") {
  TempDir tmp;
  std::vector<Document> docs;
  for (int i = 0; i < 9000; ++i) {
    // Every document matches both terms, so even pruned, every one is a
    // candidate (more than InterruptCheck::kInterval).
    docs.push_back({std::to_string(i), "", "common w1 w" + std::to_string(i % 7), "c:"});
  }
  auto index = scry::test::build_index(docs, tmp / "idx", AnalyzerConfig{});
  Searcher searcher(*index);
  PlanNode plan;
  for (const char* word : {"common", "w1"}) {
    PlanNode leaf;
    leaf.kind = PlanNode::Kind::kTerm;
    leaf.terms = {word};
    plan.should.push_back(leaf);
  }
  for (bool count_all : {true, false}) {
    INFO("count_all " << count_all);
    // The first check (the segment's start) passes; the next, after a few
    // thousand candidates, stops the search.
    int calls = 0;
    Interrupt interrupt(std::chrono::milliseconds(0), [&] { return ++calls > 1; });
    SearchOptions options;
    options.count_all = count_all;
    options.interrupt = &interrupt;
    auto r = searcher.search(plan, options);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == Status::Code::kCancelled);
    CHECK(r.status().message() == "query cancelled");
    CHECK(calls == 2);
    // Never cancelled: the same search answers.
    Interrupt never(std::chrono::milliseconds(0), [] { return false; });
    options.interrupt = &never;
    auto all = searcher.search(plan, options);
    REQUIRE(all.is_ok());
    CHECK(all->hits.size() == 10);
  }
}
