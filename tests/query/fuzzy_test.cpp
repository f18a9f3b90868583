// Fuzzy terms (word~N): the Levenshtein automaton against brute-force edit
// distances, the dictionary walk against a scan of every term, the bound on
// expansions, blended scoring and the syntax (docs/QUERY.md, "Fuzzy terms").
#include <algorithm>
#include <catch2/catch.hpp>
#include <climits>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/query/planner.h"
#include "scry/query/query_parser.h"
#include "scry/search/collection_statistics.h"
#include "scry/search/searcher.h"
#include "scry/search/statistics_snapshot.h"
#include "scry/search/summed_statistics.h"
#include "scry/search/weight.h"
#include "scry/text/levenshtein_automaton.h"
#include "scry/text/nearest_word.h"
#include "scry/util/utf8.h"
#include "testlib.h"

using namespace scry;
using test::reference_distance;
using test::u32;

namespace {

// Small alphabets, with two- and three-byte code points.
const std::vector<std::string> kAlphabet = {"a", "b", "c", "é", "ß", "智", "谱"};

std::string random_word(std::mt19937& rng, size_t letters, size_t max_length) {
  std::string w;
  for (size_t n = u32(rng) % (max_length + 1); n > 0; --n) w += kAlphabet[u32(rng) % letters];
  return w;
}

// Terms the dictionary walk should find: every term of the field within
// max_edits, by brute force over all of them (prefix_terms of "").
std::vector<std::pair<std::string, uint64_t>> brute_force(const CollectionStatistics& stats,
                                                          Field field, const std::string& word,
                                                          int max_edits) {
  auto all = stats.prefix_terms(field, "");
  REQUIRE(all.is_ok());
  std::vector<std::pair<std::string, uint64_t>> out;
  for (auto& [term, df] : *all) {
    if (reference_distance(word, term, true) <= max_edits) out.emplace_back(term, df);
  }
  return out;
}

Result<PlanNode> plan(const IndexReader& index, const AnalyzerConfig& config,
                      const std::string& text, const PlannerOptions& options = {}) {
  auto query = parse_query(text);
  REQUIRE(query.is_ok());
  Analyzer analyzer(config);
  Analyzer prefix_analyzer(prefix_analyzer_config(config));
  IndexStatistics stats(index);
  return plan_query(*query, &analyzer, &prefix_analyzer, stats, options);
}

// The leaves of `plan`, in order.
void leaves(const PlanNode& plan, std::vector<const PlanNode*>* out) {
  if (plan.kind == PlanNode::Kind::kTerm || plan.kind == PlanNode::Kind::kPhrase) {
    out->push_back(&plan);
  }
  for (const auto* list : {&plan.must, &plan.should, &plan.must_not}) {
    for (const PlanNode& c : *list) leaves(c, out);
  }
}

}  // namespace

TEST_CASE("fuzzy: the automaton agrees with brute-force edit distances", "[fuzzy]") {
  std::mt19937 rng(1717);
  size_t within = 0;
  for (int i = 0; i < 20000; ++i) {
    const size_t letters = 2 + u32(rng) % (kAlphabet.size() - 1);
    const std::string word = random_word(rng, letters, 6);
    const std::string term = random_word(rng, letters, 7);
    const int n = static_cast<int>(u32(rng) % 3);
    for (bool transpositions : {true, false}) {
      INFO("word [" << word << "] term [" << term << "] N " << n << " t " << transpositions);
      const int want = reference_distance(word, term, transpositions);
      const auto got = LevenshteinAutomaton(word, n, transpositions).distance(term);
      if (want <= n) {
        REQUIRE(got.has_value());
        CHECK(*got == want);
        ++within;
      } else {
        CHECK_FALSE(got.has_value());
      }
    }
  }
  CHECK(within > 2000);
  // A transposition is one edit by default, two without.
  CHECK(LevenshteinAutomaton("abc", 2).distance("bac") == 1);
  CHECK(LevenshteinAutomaton("abc", 2, false).distance("bac") == 2);
  CHECK(LevenshteinAutomaton("智谱", 1).distance("谱智") == 1);
  CHECK(LevenshteinAutomaton("ab", 0).distance("ab") == 0);
  CHECK_FALSE(LevenshteinAutomaton("ab", 0).distance("abc"));
}

TEST_CASE("fuzzy: nearest_word names the nearest candidate within the edits", "[fuzzy]") {
  const std::vector<std::string> options = {"format", "top", "offset", "threads", "typos"};
  CHECK(nearest_word("fromat", options, 2) == "format");  // A swap counts one.
  CHECK(nearest_word("tpo", options, 2) == "top");
  CHECK(nearest_word("typo", options, 2) == "typos");  // Nearer than "top" (2).
  CHECK(nearest_word("format", options, 0) == "format");
  CHECK(nearest_word("formt", options, 0) == std::nullopt);
  CHECK(nearest_word("zzzzzz", options, 2) == std::nullopt);
  // Ties: the first candidate at the least distance.
  CHECK(nearest_word("tap", {"tip", "top"}, 1) == "tip");
  // Against the brute-force distance on random words of a small alphabet.
  std::mt19937 rng(1207);
  const auto random_word = [&] {
    std::string w(1 + rng() % 6, 'a');
    for (char& c : w) c = static_cast<char>('a' + rng() % 3);
    return w;
  };
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::string> candidates(1 + rng() % 8);
    for (auto& c : candidates) c = random_word();
    const std::string word = random_word();
    const int edits = static_cast<int>(rng() % 3);
    std::optional<std::string> expected;
    int least = edits + 1;
    for (const auto& c : candidates) {
      const int d = reference_distance(word, c, true);
      if (d < least) {
        least = d;
        expected = c;
      }
    }
    INFO(word << " within " << edits);
    CHECK(nearest_word(word, candidates, edits) == expected);
  }
}

TEST_CASE("fuzzy: a matcher over sorted terms reuses rows and reports dead prefixes", "[fuzzy]") {
  std::mt19937 rng(4242);
  for (int round = 0; round < 100; ++round) {
    std::set<std::string> sorted;
    for (int k = 0; k < 150; ++k) sorted.insert(random_word(rng, kAlphabet.size(), 7));
    const std::string word = random_word(rng, kAlphabet.size(), 5);
    const int n = static_cast<int>(u32(rng) % 3);
    const LevenshteinAutomaton automaton(word, n);
    LevenshteinAutomaton::Matcher matcher(automaton);
    for (const std::string& term : sorted) {
      INFO("word [" << word << "] term [" << term << "] N " << n);
      const auto m = matcher.match(term);
      const int want = reference_distance(word, term, true);
      CHECK(m.distance.has_value() == (want <= n));
      if (m.distance) CHECK(*m.distance == want);
      if (m.dead_prefix == 0) continue;
      // Dead: no extension of the prefix comes within N, the prefix itself
      // included, and the prefix ends on a code point.
      const std::string prefix = term.substr(0, m.dead_prefix);
      CHECK(code_points(prefix).size() <= code_points(term).size());
      CHECK(reference_distance(word, prefix, true) > n);
      for (int k = 0; k < 20; ++k) {
        const std::string longer = prefix + random_word(rng, kAlphabet.size(), 4);
        CHECK(reference_distance(word, longer, true) > n);
      }
      // The next live string: every term before it is beyond N.
      const std::string next = matcher.next_live(term);
      CHECK((next.empty() || next > term));
      for (auto it = sorted.upper_bound(term); it != sorted.end() && (next.empty() || *it < next);
           ++it) {
        CHECK(reference_distance(word, *it, true) > n);
      }
    }
  }
  CHECK(prefix_successor("ab") == "ac");
  CHECK(prefix_successor("a\xff") == "b");
  CHECK(prefix_successor("\xff\xff").empty());
}

TEST_CASE("fuzzy: the dictionary walk finds every term within N edits", "[fuzzy]") {
  std::mt19937 rng(9090);
  for (int corpus = 0; corpus < 6; ++corpus) {
    test::TempDir tmp;
    AnalyzerConfig config;
    config.stem = false;
    const size_t letters = 3 + static_cast<size_t>(corpus) % (kAlphabet.size() - 2);
    std::vector<Document> docs;
    for (int d = 0; d < 150; ++d) {
      Document doc{std::to_string(d), "", "", "p:" + std::to_string(d)};
      for (int k = 0; k < 2; ++k) doc.title += random_word(rng, letters, 6) + " ";
      for (int k = 0; k < 12; ++k) doc.body += random_word(rng, letters, 7) + " ";
      docs.push_back(doc);
    }
    auto index = test::build_index(docs, tmp / "idx", config);
    IndexStatistics stats(*index);
    for (int q = 0; q < 60; ++q) {
      const std::string word = random_word(rng, letters, 8);
      if (word.empty()) continue;
      for (Field field : {Field::kText, Field::kTitle}) {
        // The terms within the most edits, each with its distance: those
        // within fewer are among them.
        const auto within = brute_force(stats, field, word, kMaxFuzzyEdits);
        std::vector<int> distances;
        for (const auto& entry : within) {
          distances.push_back(reference_distance(word, entry.first, true));
        }
        for (int n = 0; n <= kMaxFuzzyEdits; ++n) {
          INFO("corpus " << corpus << " word [" << word << "] N " << n);
          std::vector<std::pair<std::string, uint64_t>> want;
          for (size_t t = 0; t < within.size(); ++t) {
            if (distances[t] <= n) want.push_back(within[t]);
          }
          auto got = stats.fuzzy_terms(field, word, n);
          REQUIRE(got.is_ok());
          CHECK(*got == want);
        }
      }
    }
    // Shards add up, and a snapshot answers as the index did.
    SummedStatistics summed({&stats, &stats});
    auto twice = summed.fuzzy_terms(Field::kText, "abc", 2);
    auto once = stats.fuzzy_terms(Field::kText, "abc", 2);
    REQUIRE(twice.is_ok());
    REQUIRE(once.is_ok());
    REQUIRE(twice->size() == once->size());
    for (size_t i = 0; i < once->size(); ++i) CHECK((*twice)[i].second == 2 * (*once)[i].second);
    RecordingStatistics recording(stats);
    REQUIRE(recording.fuzzy_terms(Field::kText, "abc", 1).is_ok());
    SnapshotStatistics snapshot(recording.snapshot());
    CHECK(snapshot.fuzzy_terms(Field::kText, "abc", 1).value() ==
          stats.fuzzy_terms(Field::kText, "abc", 1).value());
    CHECK_FALSE(snapshot.fuzzy_terms(Field::kText, "abc", 2).is_ok());
    CHECK_FALSE(snapshot.prefix_terms(Field::kText, "abc").is_ok());
  }
}

TEST_CASE("fuzzy: expansions are bounded, nearest first, then most frequent", "[fuzzy]") {
  // "ab" within 2 edits: many terms of one, two and three letters; df
  // varies with the document number.
  std::mt19937 rng(31);
  test::TempDir tmp;
  AnalyzerConfig config;
  config.stem = false;
  std::vector<Document> docs;
  for (int d = 0; d < 120; ++d) {
    Document doc{std::to_string(d), "", "", "p:" + std::to_string(d)};
    for (int k = 0; k < 10; ++k) doc.body += random_word(rng, 5, 3) + " ";
    docs.push_back(doc);
  }
  auto index = test::build_index(docs, tmp / "idx", config);
  IndexStatistics stats(*index);
  auto all = brute_force(stats, Field::kText, "ab", 2);
  REQUIRE(all.size() > 60);
  struct Want {
    int distance;
    uint64_t df;
    std::string term;
    bool operator<(const Want& o) const {
      if (distance != o.distance) return distance < o.distance;
      if (df != o.df) return df > o.df;
      return term < o.term;
    }
  };
  std::vector<Want> want;
  for (auto& [term, df] : all) want.push_back({reference_distance("ab", term, true), df, term});
  std::sort(want.begin(), want.end());
  for (size_t bound : {size_t{50}, size_t{7}}) {
    PlannerOptions options;
    options.max_fuzzy_terms = bound;
    auto p = plan(*index, config, "ab~2", options);
    REQUIRE(p.is_ok());
    std::vector<const PlanNode*> got;
    leaves(*p, &got);
    REQUIRE(got.size() == bound);
    for (size_t i = 0; i < bound; ++i) {
      CHECK(got[i]->terms[0] == want[i].term);
      CHECK(got[i]->boost == Approx(1.0 / (1 + want[i].distance)));
      CHECK(got[i]->blend == got[0]->blend);
      CHECK(got[i]->df == want[i].df);
    }
  }
  // Each expansion carries its df in the text field, which weighing reads
  // instead of the dictionary; a title leaf, whose df is another, none; so
  // do a typo-tolerant word's variants (not the word itself).
  for (const std::string query : {"ab~2", "abcd"}) {
    PlannerOptions options;
    options.title_weight = 2;
    options.typos = {3, 4};
    auto p = plan(*index, config, query, options);
    REQUIRE(p.is_ok());
    std::vector<const PlanNode*> got;
    leaves(*p, &got);
    size_t with_df = 0;
    for (const PlanNode* leaf : got) {
      INFO(query << " " << leaf->terms[0] << " field " << static_cast<int>(leaf->field));
      if (leaf->field == Field::kTitle || (query == "abcd" && leaf->terms[0] == "abcd")) {
        CHECK_FALSE(leaf->df.has_value());
        continue;
      }
      REQUIRE(leaf->df.has_value());
      CHECK(*leaf->df == stats.document_frequency(Field::kText, leaf->terms[0]).value());
      ++with_df;
    }
    CHECK(with_df > 5);
  }
  CHECK(PlannerOptions{}.max_fuzzy_terms == 50);
  // Fuzzy terms count towards the query's expansions.
  PlannerOptions options;
  options.max_expansions = 60;
  CHECK(plan(*index, config, "ab~2", options).is_ok());
  auto refused = plan(*index, config, "ab~2 ba~2", options);
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.status().message() ==
        "fuzzy terms and prefixes expand to too many terms (limit 60)");
}

TEST_CASE("fuzzy: a rare variant does not outrank the word meant", "[fuzzy]") {
  test::TempDir tmp;
  AnalyzerConfig config;
  config.stem = false;
  std::vector<Document> docs;
  // "price" in 30 documents, among other words; the rare "prise" (idf far
  // higher) once, in a short document where it occurs twice.
  for (int d = 0; d < 40; ++d) {
    Document doc{std::to_string(d), "", "", "p:" + std::to_string(d)};
    doc.body = d == 0 ? "prise prise" : d < 31 ? "the price of oil rose" : "oil fell";
    docs.push_back(doc);
  }
  auto index = test::build_index(docs, tmp / "idx", config);
  IndexStatistics stats(*index);
  auto p = plan(*index, config, "price~1");
  REQUIRE(p.is_ok());
  auto weight = make_weight(*p, Bm25{}, stats);
  REQUIRE(weight.is_ok());
  Searcher searcher(*index);
  SearchOptions so;
  so.k = 40;
  auto top = searcher.search(*weight, so);
  REQUIRE(top.is_ok());
  REQUIRE(top->hits.size() == 31);  // Both words match.
  CHECK(top->hits[0].doc != 0);
  CHECK(top->hits.back().doc == 0);
  // Each term with its own idf, the variant would have come first.
  auto alone = plan(*index, config, "price prise");
  REQUIRE(alone.is_ok());
  auto own = searcher.search(make_weight(*alone, Bm25{}, stats).value(), so);
  REQUIRE(own.is_ok());
  CHECK(own->hits[0].doc == 0);
}

TEST_CASE("fuzzy: a stemmed index also finds the word's stem", "[fuzzy]") {
  test::TempDir tmp;
  AnalyzerConfig config;
  config.stem = true;
  std::vector<Document> docs = {{"0", "", "she runs and running", "p:0"},
                                {"1", "", "a ruling", "p:1"}};
  auto index = test::build_index(docs, tmp / "idx", config);
  // "running" normalised is fuzzed against the stems ("run", "rule"), and
  // its stem "run" is added at distance 0.
  auto p = plan(*index, config, "running~1");
  REQUIRE(p.is_ok());
  std::vector<const PlanNode*> got;
  leaves(*p, &got);
  REQUIRE(got.size() == 1);
  CHECK(got[0]->terms[0] == "run");
  CHECK(got[0]->boost == 1);
}

TEST_CASE("fuzzy: a stem is fuzzed within the edits its own length allows", "[fuzzy]") {
  // "government" stems to "govern": within two edits of the word as typed,
  // and within one of the stem (6 letters), so "gover" (one edit from the
  // stem) is found but "given" (two) is not.
  test::TempDir tmp;
  AnalyzerConfig config;
  config.stem = true;
  std::vector<Document> docs = {{"0", "", "the governments", "p:0"},
                                {"1", "", "given gover", "p:1"}};
  auto index = test::build_index(docs, tmp / "idx", config);
  auto p = plan(*index, config, "government~2");
  REQUIRE(p.is_ok());
  std::vector<const PlanNode*> got;
  leaves(*p, &got);
  REQUIRE(got.size() == 2);
  CHECK(got[0]->terms[0] == "govern");
  CHECK(got[0]->boost == 1);
  CHECK(got[1]->terms[0] == "gover");
  CHECK(got[1]->boost == Approx(0.5));
}

TEST_CASE("fuzzy: a stemmed index's expansions against brute force", "[fuzzy]") {
  // Random words with English endings, so that many stem to another term:
  // the expansions of word~N are every term within N of the word as typed
  // or within min(N, the edits of the stem's length: 1 from 5 letters, 2
  // from 9) of its stem, at the smaller distance.
  std::mt19937 rng(4242);
  const std::vector<std::string> letters = {"a", "b", "d", "e", "o", "r", "t"};
  const std::vector<std::string> endings = {"", "", "s", "ing", "ed", "ation"};
  auto word = [&] {
    std::string w;
    for (size_t n = 2 + u32(rng) % 8; n > 0; --n) w += letters[u32(rng) % letters.size()];
    return w + endings[u32(rng) % endings.size()];
  };
  test::TempDir tmp;
  AnalyzerConfig config;
  config.stem = true;
  std::vector<Document> docs;
  for (int d = 0; d < 200; ++d) {
    Document doc{std::to_string(d), "", "", "p:" + std::to_string(d)};
    for (int k = 0; k < 15; ++k) doc.body += word() + " ";
    docs.push_back(doc);
  }
  auto index = test::build_index(docs, tmp / "idx", config);
  IndexStatistics stats(*index);
  Analyzer analyzer(config);
  auto all = stats.prefix_terms(Field::kText, "");
  REQUIRE(all.is_ok());
  PlannerOptions options;
  options.max_fuzzy_terms = 100000;
  options.max_expansions = 100000;
  int stemmed = 0;
  for (int q = 0; q < 150; ++q) {
    const std::string typed = word();
    const std::vector<std::string> stem = analyzer.terms(typed);
    if (stem.empty()) continue;  // A stop word ("at", "or").
    REQUIRE(stem.size() == 1);
    const size_t stem_length = stem[0].size();
    const int stem_cap = stem_length >= 9 ? 2 : stem_length >= 5 ? 1 : 0;
    stemmed += stem[0] != typed;
    // Each term's distances from the word as typed and from its stem, for
    // every N below.
    std::vector<std::pair<int, int>> distances;
    for (const auto& entry : *all) {
      const std::string& term = entry.first;
      distances.emplace_back(reference_distance(typed, term, true),
                             stem[0] != typed ? reference_distance(stem[0], term, true) : INT_MAX);
    }
    for (int n = 0; n <= kMaxFuzzyEdits; ++n) {
      INFO("word [" << typed << "] stem [" << stem[0] << "] N " << n);
      std::set<std::pair<std::string, double>> want;
      for (size_t t = 0; t < all->size(); ++t) {
        const auto [from_typed, from_stem] = distances[t];
        int d = from_typed;
        if (from_stem <= std::min(n, stem_cap)) d = std::min(d, from_stem);
        if (d <= n) want.emplace((*all)[t].first, 1.0 / (1 + d));
      }
      auto p = plan(*index, config, typed + "~" + std::to_string(n), options);
      REQUIRE(p.is_ok());
      std::vector<const PlanNode*> got;
      leaves(*p, &got);
      std::set<std::pair<std::string, double>> have;
      for (const PlanNode* leaf : got) have.emplace(leaf->terms[0], leaf->boost);
      CHECK(have == want);
    }
  }
  CHECK(stemmed > 50);  // The stem's cap was exercised.
}

TEST_CASE("fuzzy: the syntax and its errors", "[fuzzy]") {
  struct Row {
    std::string input, parsed;
  };
  for (const Row& row : std::vector<Row>{
           {"zhipu~", "(zhipu~2)"},
           {"zhipu~0 glm~1", "(zhipu~0 glm~1)"},
           {"+title:ipo~1 -x~", "(+title:ipo~1 -x~2)"},
           {"title:(a~1 b)", "(title:a~1 title:b)"},
           {"\"a~1 b\"", "(\"a~1 b\")"},
       }) {
    auto q = parse_query(row.input);
    REQUIRE(q.is_ok());
    CHECK(to_string(*q) == row.parsed);
  }
  struct Error {
    std::string input;
    size_t column;
    std::string message;
  };
  for (const Error& row : std::vector<Error>{
           {"word~3", 6, "fuzzy distance must be 0, 1 or 2"},
           {"a word~12", 8, "fuzzy distance must be 0, 1 or 2"},
           {"~", 1, "missing word before '~'"},
           {"~3", 1, "missing word before '~'"},
           {"a ~x", 3, "missing word before '~'"},
           {"a title:~", 9, "missing word before '~'"},
           {"word~x", 5, "'~' must end a word, followed by 0, 1 or 2"},
           {"a~b~1", 2, "'~' must end a word, followed by 0, 1 or 2"},
           {"word~1*", 5, "'~' must end a word, followed by 0, 1 or 2"},
           {"pre*~1", 5, "a prefix cannot be fuzzy"},
           {"\"a b\"~1", 6, "a phrase cannot be fuzzy"},
           {"智谱~5", 4, "fuzzy distance must be 0, 1 or 2"},
       }) {
    INFO(row.input);
    QueryError error{0, ""};
    auto q = parse_query(row.input, {}, &error);
    REQUIRE_FALSE(q.is_ok());
    CHECK(error.message == row.message);
    CHECK(q.status().message() == "query:" + std::to_string(row.column) + ": " + row.message);
  }
}
