// Query strings end to end (parse, plan, search) against a reference that
// interprets the parsed Query directly on the documents: every operator of
// the query language checked on random queries over random corpora, with
// and without stemming, stop lists and title weights.
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
#include "scry/query/planner.h"
#include "scry/query/query_parser.h"
#include "scry/search/collection_statistics.h"
#include "scry/search/searcher.h"
#include "scry/search/weight.h"
#include "testlib.h"

using namespace scry;

namespace {

using test::u32;

const std::vector<std::string> kWords = {"w1",    "w2",     "w3",  "w10",     "w11",
                                         "w12",   "w20",    "w21", "running", "runs",
                                         "zebra", "zebras", "yak", "the",     "of"};

class Reference {
 public:
  Reference(const std::vector<Document>& docs, const AnalyzerConfig& config, double title_weight)
      : analyzer_(config),
        prefix_analyzer_(AnalyzerConfig{config.version, false}),
        title_weight_(title_weight) {
    for (const auto& d : docs) {
      auto title = tokens(d.title);
      auto body = tokens(d.body);
      std::vector<std::string> text = title;
      if (!title.empty()) text.push_back("");  // The gap after the title.
      text.insert(text.end(), body.begin(), body.end());
      fields_.push_back({text, title});
    }
    for (size_t f = 0; f < kFieldCount; ++f) {
      double total = 0;
      for (const auto& d : fields_) {
        total += length(d[f]);
        std::set<std::string> seen(d[f].begin(), d[f].end());
        seen.erase("");
        for (const auto& t : seen) df_[f][t] += 1;
      }
      avgdl_[f] = total / static_cast<double>(fields_.size());
    }
  }
  size_t size() const { return fields_.size(); }

  bool matches(size_t d, const Query& q) { return eval(d, q).first; }
  double score(size_t d, const Query& q) { return eval(d, q).second; }

 private:
  // The text's tokens by position; "" where a stop word was left out.
  std::vector<std::string> tokens(std::string_view text) {
    std::vector<std::string> out;
    for (auto& t : analyzer_.positioned_terms(text)) {
      out.resize(t.position);
      out.push_back(std::move(t.text));
    }
    return out;
  }
  static double length(const std::vector<std::string>& toks) {
    double n = 0;
    for (const auto& t : toks) n += !t.empty();
    return n;
  }
  // Places where seq occurs in toks; "" in seq (a left-out stop word)
  // matches any token, or none.
  static uint32_t count(const std::vector<std::string>& toks, const std::vector<std::string>& seq) {
    uint32_t n = 0;
    for (size_t i = 0; i + seq.size() <= toks.size(); ++i) {
      bool all = true;
      for (size_t k = 0; k < seq.size() && all; ++k) all = seq[k].empty() || toks[i + k] == seq[k];
      n += all;
    }
    return n;
  }
  uint64_t df(Field f, const std::string& term) const {
    auto it = df_[static_cast<size_t>(f)].find(term);
    return it == df_[static_cast<size_t>(f)].end() ? 0 : it->second;
  }
  double idf(Field f, const std::string& term) const {
    double N = static_cast<double>(fields_.size());
    double df_t = static_cast<double>(df(f, term));
    return std::log(1.0 + (N - df_t + 0.5) / (df_t + 0.5));
  }
  double weight(size_t d, Field f, double idf_v, double tf) const {
    double dl = length(fields_[d][static_cast<size_t>(f)]);
    double avgdl = avgdl_[static_cast<size_t>(f)];
    return idf_v * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl));
  }
  // Terms (a term, or a phrase of several; "" for a left-out stop word) in
  // field f of doc d, plus the title weight times their score in the title.
  // With `blended` (a prefix's expansion): {idf in f, idf in the title} to
  // use instead of the terms' own.
  std::pair<bool, double> eval_terms(size_t d, Field f, const std::vector<std::string>& terms,
                                     const std::pair<double, double>* blended = nullptr) {
    if (terms.empty()) return {false, 0};
    uint32_t tf = count(fields_[d][static_cast<size_t>(f)], terms);
    if (tf == 0) return {false, 0};
    double idf_sum = blended ? blended->first : idf_sum_in(f, terms);
    double score = weight(d, f, idf_sum, tf);
    if (f == Field::kText && title_weight_ > 0) {
      uint32_t title_tf = count(fields_[d][static_cast<size_t>(Field::kTitle)], terms);
      double title_idf = blended ? blended->second : idf_sum_in(Field::kTitle, terms);
      if (title_tf > 0) score += title_weight_ * weight(d, Field::kTitle, title_idf, title_tf);
    }
    return {true, score};
  }
  double idf_sum_in(Field f, const std::vector<std::string>& terms) const {
    double sum = 0;
    for (const auto& t : terms) sum += t.empty() ? 0 : idf(f, t);
    return sum;
  }
  // Words and phrases without any term are left out of a Bool.
  bool analyzes_to_nothing(const Query& q) {
    const bool words = q.kind == Query::Kind::kTerm || q.kind == Query::Kind::kPhrase;
    return words && analyzer_.terms(q.text).empty();
  }
  // Every term of field f starting with prefix, most frequent first.
  std::vector<std::string> expand(Field f, const std::string& prefix) const {
    std::vector<std::pair<std::string, uint64_t>> v;
    for (const auto& [t, n] : df_[static_cast<size_t>(f)]) {
      if (t.compare(0, prefix.size(), prefix) == 0) v.emplace_back(t, n);
    }
    std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
    std::vector<std::string> out;
    for (auto& [t, n] : v) out.push_back(t);
    return out;
  }
  std::pair<bool, double> eval(size_t d, const Query& q) {
    switch (q.kind) {
      case Query::Kind::kTerm:
      case Query::Kind::kPhrase: {
        // A query's phrase starts at its first term.
        auto terms = tokens(q.text);
        terms.erase(terms.begin(), std::find_if(terms.begin(), terms.end(),
                                                [](const auto& t) { return !t.empty(); }));
        return eval_terms(d, q.field, terms);
      }
      case Query::Kind::kPrefix: {
        auto tokens = prefix_analyzer_.terms(q.text);
        REQUIRE(tokens.size() == 1);  // The generator makes one-token prefixes.
        bool any = false;
        double sum = 0;
        // Every expansion is scored with the least idf of them in each
        // field (that of the largest df): Lucene's blended scoring.
        const auto terms = expand(q.field, tokens[0]);
        std::pair<double, double> blended{HUGE_VAL, HUGE_VAL};
        for (const auto& t : terms) {
          blended.first = std::min(blended.first, idf(q.field, t));
          blended.second = std::min(blended.second, idf(Field::kTitle, t));
        }
        for (const auto& t : terms) {
          auto [m, s] = eval_terms(d, q.field, {t}, &blended);
          any |= m;
          sum += s;
        }
        return {any, sum};
      }
      case Query::Kind::kFuzzy:
        FAIL("the generator makes no fuzzy terms (tests/query/fuzzy_test.cpp)");
        break;
      case Query::Kind::kBool: {
        double sum = 0;
        for (const auto& m : q.must) {
          if (analyzes_to_nothing(m)) continue;
          auto [ok, s] = eval(d, m);
          if (!ok) return {false, 0};
          sum += s;
        }
        for (const auto& n : q.must_not) {
          if (eval(d, n).first) return {false, 0};
        }
        bool any = false;
        size_t musts = 0;
        for (const auto& m : q.must) musts += !analyzes_to_nothing(m);
        for (const auto& s : q.should) {
          auto [ok, v] = eval(d, s);
          if (ok) {
            any = true;
            sum += v;
          }
        }
        return {musts > 0 || any, sum};
      }
    }
    return {false, 0};
  }

  Analyzer analyzer_;
  Analyzer prefix_analyzer_;
  double title_weight_;
  std::vector<std::array<std::vector<std::string>, kFieldCount>> fields_;
  double avgdl_[kFieldCount];
  std::map<std::string, uint64_t> df_[kFieldCount];  // Documents containing each term.
};

std::string random_atom(std::mt19937& rng) {
  std::string field = u32(rng) % 6 == 0 ? "title:" : "";
  switch (u32(rng) % 8) {
    case 0:
      return field + "\"" + kWords[u32(rng) % 4] + " " + kWords[u32(rng) % 4] + "\"";
    case 4:
      return field + "\"" + kWords[u32(rng) % 4] + " of the " + kWords[u32(rng) % 4] + "\"";
    case 1:
      return field + "w" + std::to_string(1 + u32(rng) % 2) + "*";
    case 2:
      return field + kWords[u32(rng) % 4] + "-" + kWords[u32(rng) % 4];  // A phrase.
    case 3:
      return field + "ZEBRA";
    default:
      return field + kWords[u32(rng) % kWords.size()];
  }
}

std::string random_query(std::mt19937& rng, int depth) {
  std::string q;
  size_t n = 1 + u32(rng) % 4;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) {
      const char* joins[] = {" ", " ", " OR ", " AND "};
      q += joins[u32(rng) % 4];
    }
    const char* unary[] = {"", "", "", "+", "-", "NOT "};
    q += unary[u32(rng) % 6];
    q += (depth < 2 && u32(rng) % 5 == 0) ? "(" + random_query(rng, depth + 1) + ")"
                                          : random_atom(rng);
  }
  return q;
}

}  // namespace

TEST_CASE("planner: query strings answer as the reference interprets them", "[planner]") {
  std::mt19937 rng(1122);
  size_t checked = 0, with_hits = 0, over_k = 0;
  for (int corpus = 0; corpus < 4; ++corpus) {
    scry::test::TempDir tmp;
    AnalyzerConfig config;
    config.stem = corpus % 2 == 1;
    config.stop_words = std::array{StopWords::kNone, StopWords::kNone, StopWords::kLucene,
                                   StopWords::kSnowball}[static_cast<size_t>(corpus)];
    PlannerOptions options;
    options.title_weight = std::array{0.0, 0.7, 0.0, 2.0}[static_cast<size_t>(corpus)];
    std::vector<Document> docs;
    size_t n = 50 + u32(rng) % 200;
    for (size_t i = 0; i < n; ++i) {
      Document d{std::to_string(i), "", "", "p:" + std::to_string(i)};
      for (size_t k = u32(rng) % 3; k > 0; --k) d.title += kWords[u32(rng) % kWords.size()] + " ";
      for (size_t k = u32(rng) % 30; k > 0; --k) d.body += kWords[u32(rng) % kWords.size()] + " ";
      docs.push_back(d);
    }
    auto index = scry::test::build_index(docs, tmp / "idx", config);
    Searcher searcher(*index);
    IndexStatistics stats(*index);
    Analyzer analyzer(config);
    Analyzer prefix_analyzer(AnalyzerConfig{config.version, false});
    Reference ref(docs, config, options.title_weight);

    for (int i = 0; i < 250; ++i) {
      std::string text = random_query(rng, 0);
      INFO("query: " << text);
      auto query = parse_query(text);
      REQUIRE(query.is_ok());
      auto plan = plan_query(*query, &analyzer, &prefix_analyzer, stats, options);
      REQUIRE(plan.is_ok());
      SearchOptions so;
      so.k = 20;
      so.count_all = true;
      auto got = searcher.search(*plan, so);
      REQUIRE(got.is_ok());
      // Pruned, the same hits with the same scores.
      so.count_all = false;
      auto pruned = searcher.search(*plan, so);
      REQUIRE(pruned.is_ok());
      REQUIRE(pruned->hits.size() == got->hits.size());
      for (size_t r = 0; r < got->hits.size(); ++r) {
        REQUIRE(pruned->hits[r].doc == got->hits[r].doc);
        REQUIRE(pruned->hits[r].score == got->hits[r].score);
      }
      std::vector<std::pair<double, uint32_t>> expected;
      for (size_t d = 0; d < ref.size(); ++d) {
        if (ref.matches(d, *query))
          expected.emplace_back(-ref.score(d, *query), static_cast<uint32_t>(d));
      }
      std::sort(expected.begin(), expected.end());
      REQUIRE(got->total_hits == expected.size());
      REQUIRE(got->hits.size() == std::min<size_t>(20, expected.size()));
      for (size_t r = 0; r < got->hits.size(); ++r) {
        double want = -expected[r].first;
        INFO("rank " << r);
        REQUIRE(std::abs(got->hits[r].score - want) <= 1e-5 * std::max(1.0, want));
        if (got->hits[r].doc != expected[r].second) {
          REQUIRE(std::abs(ref.score(got->hits[r].doc, *query) - want) <=
                  1e-9 * std::max(1.0, want));
        }
      }
      ++checked;
      with_hits += !expected.empty();
      over_k += expected.size() > so.k;
    }
  }
  CHECK(with_hits > checked / 2);
  // Many match more than k documents: the ranking is cut, and the pruned
  // search has documents to skip.
  CHECK(over_k > checked / 5);
}

namespace {

// A small index whose terms share prefixes: "price" in most documents,
// "prick" in one, and pa0..pa199 (200 terms starting with "pa").
struct PrefixIndex {
  scry::test::TempDir tmp;
  std::unique_ptr<IndexReader> index;
  AnalyzerConfig config;
  PrefixIndex() {
    config.stem = false;
    std::vector<Document> docs;
    for (int i = 0; i < 40; ++i) {
      Document d{std::to_string(i), "", "", "p:" + std::to_string(i)};
      d.body = i == 0 ? "prick" : i % 2 ? "price price rise" : "price fall";
      for (int k = 0; k < 5; ++k) d.body += " pa" + std::to_string(i * 5 + k);
      docs.push_back(d);
    }
    index = scry::test::build_index(docs, tmp / "idx", config);
  }
};

// The leaves of `plan`, in order.
void leaves(const PlanNode& plan, std::vector<const PlanNode*>* out) {
  if (plan.kind == PlanNode::Kind::kTerm || plan.kind == PlanNode::Kind::kPhrase) {
    out->push_back(&plan);
  }
  for (const auto* list : {&plan.must, &plan.should, &plan.must_not}) {
    for (const PlanNode& c : *list) leaves(c, out);
  }
}

Result<PlanNode> plan_text(const PrefixIndex& f, const std::string& text,
                           const PlannerOptions& options = {}, QueryError* error = nullptr) {
  auto query = parse_query(text);
  REQUIRE(query.is_ok());
  Analyzer analyzer(f.config);
  Analyzer prefix_analyzer(prefix_analyzer_config(f.config));
  IndexStatistics stats(*f.index);
  return plan_query(*query, &analyzer, &prefix_analyzer, stats, options, error);
}

}  // namespace

TEST_CASE("planner: repeated clauses are merged, a repeated prefix expanded once", "[planner]") {
  PrefixIndex f;
  PlannerOptions options;
  options.title_weight = 0.5;
  auto once = plan_text(f, "pric*", options);
  REQUIRE(once.is_ok());
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "pric* PRIC* ";
  auto merged = plan_text(f, hundred, options);
  REQUIRE(merged.is_ok());
  std::vector<const PlanNode*> one, many;
  leaves(*once, &one);
  leaves(*merged, &many);
  REQUIRE(one.size() == 4);  // price, prick; in the text and in the title.
  REQUIRE(many.size() == one.size());
  for (size_t i = 0; i < one.size(); ++i) {
    CHECK(many[i]->terms == one[i]->terms);
    CHECK(many[i]->boost == Approx(200 * one[i]->boost));
  }
  // Words: the same term from different words merges; excluded ones once.
  auto words = plan_text(f, "price Price price -fall -fall +rise +rise", options);
  REQUIRE(words.is_ok());
  std::vector<const PlanNode*> w;
  leaves(*words, &w);
  size_t price_text = 0;
  for (const PlanNode* n : w) {
    if (n->terms[0] == "price" && n->field == Field::kText) {
      ++price_text;
      CHECK(n->boost == Approx(3));
    }
  }
  CHECK(price_text == 1);
  CHECK(words->must.size() == 1);
  CHECK(words->must_not.size() == 1);
  // Merged or not, the same matches and (up to rounding) scores.
  Searcher searcher(*f.index);
  SearchOptions so;
  so.k = 100;
  auto a = searcher.search(plan_text(f, "price price rise", options).value(), so);
  auto b = searcher.search(plan_text(f, "price rise price", options).value(), so);
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  REQUIRE(a->hits.size() == b->hits.size());
  for (size_t i = 0; i < a->hits.size(); ++i) CHECK(a->hits[i].score == Approx(b->hits[i].score));
}

TEST_CASE("planner: prefix expansion is bounded across the query", "[planner]") {
  PrefixIndex f;
  PlannerOptions options;
  options.max_expansions = 250;
  // pa* expands to 128 terms (max_prefix_terms), pa1* to 111, pa2* to 11,
  // pri* to 2; repeated prefixes count once.
  QueryError error{0, ""};
  CHECK(plan_text(f, "pa* pa1* pa* pa1*", options, &error).is_ok());
  CHECK(plan_text(f, "pa* pa1* pa2*", options, &error).is_ok());  // 250: at the limit.
  auto refused = plan_text(f, "pa* pri* pa1* x pa2*", options, &error);
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.status().code() == Status::Code::kInvalidArgument);
  CHECK(refused.status().message() == "prefixes expand to too many terms (limit 250)");
  CHECK(error.message == refused.status().message());
  CHECK(error.position == 16);  // pa2*: 128 + 2 + 111 + 11 > 250.
  // The default: Lucene's 1,024.
  CHECK(PlannerOptions{}.max_expansions == 1024);
}

TEST_CASE("planner: a prefix's expansions are scored with one blended idf", "[planner]") {
  PrefixIndex f;
  auto plan = plan_text(f, "pric*");
  REQUIRE(plan.is_ok());
  IndexStatistics stats(*f.index);
  auto weight = make_weight(*plan, Bm25{}, stats);
  REQUIRE(weight.is_ok());
  REQUIRE(weight->should.size() == 1);  // The prefix's Bool.
  REQUIRE(weight->should[0].should.size() == 2);
  auto price_idf = term_idf(stats, Field::kText, "price");
  REQUIRE(price_idf.is_ok());
  for (const Weight& w : weight->should[0].should) {
    CHECK(w.blend != 0);
    CHECK(w.idf == *price_idf);  // "prick" too: the most frequent expansion's.
  }
  // So the document matched only by the rare "prick" no longer comes first.
  Searcher searcher(*f.index);
  SearchOptions so;
  so.k = 1;
  auto top = searcher.search(*weight, so);
  REQUIRE(top.is_ok());
  REQUIRE(top->hits.size() == 1);
  CHECK(top->hits[0].doc != 0);
  // A word and a prefix of the same term are not blended together.
  auto both = plan_text(f, "prick pric*");
  REQUIRE(both.is_ok());
  auto both_weight = make_weight(*both, Bm25{}, stats);
  REQUIRE(both_weight.is_ok());
  auto prick_idf = term_idf(stats, Field::kText, "prick");
  REQUIRE(prick_idf.is_ok());
  CHECK(both_weight->should[0].idf == *prick_idf);
}

TEST_CASE("planner: a cancelled query stops planning", "[planner]") {
  PrefixIndex f;
  Interrupt interrupt(std::chrono::milliseconds(0), [] { return true; });
  PlannerOptions options;
  options.interrupt = &interrupt;
  auto plan = plan_text(f, "price pa*", options);
  REQUIRE_FALSE(plan.is_ok());
  CHECK(plan.status().code() == Status::Code::kCancelled);
  CHECK(plan.status().message() == "query cancelled");
}
