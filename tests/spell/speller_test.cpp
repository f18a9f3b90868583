// Tests of spelling suggestions: the candidate walk (spell/candidates.h)
// against a brute-force distance over every word on random words (fixed
// seed), the weighted distance, and the speller's corrections of words and
// queries (syntax, CJK, prefixes and fuzzy terms kept).
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <set>

#include "scry/spell/candidates.h"
#include "scry/spell/channel.h"
#include "scry/spell/speller.h"
#include "scry/spell/word_table.h"
#include "testlib.h"

using namespace scry;

namespace {

std::string random_word(std::mt19937& rng, const std::vector<std::string>& letters) {
  std::string w;
  const size_t len = 1 + test::u32(rng) % 8;
  for (size_t i = 0; i < len; ++i) w += letters[test::u32(rng) % letters.size()];
  return w;
}

}  // namespace

TEST_CASE("spell candidates: the automaton walk finds what a full scan finds", "[spell]") {
  std::mt19937 rng(17);
  // A small alphabet (with two-byte letters) so that many words are close.
  const std::vector<std::string> letters = {"a", "b", "c", "d", "e", "é", "ß"};
  std::vector<std::pair<std::string, uint64_t>> counts;
  for (int i = 0; i < 3000; ++i) counts.emplace_back(random_word(rng, letters), 1 + rng() % 6);
  const auto table = WordTable::from_counts(counts);
  for (int trial = 0; trial < 400; ++trial) {
    std::string word = random_word(rng, letters);
    if (trial % 3 == 0) word = std::string(table->word(test::u32(rng) % table->size()));
    const int max_edits = static_cast<int>(test::u32(rng) % 3);  // 1: both ways.
    INFO(word << " ~" << max_edits);
    std::vector<std::pair<uint32_t, int>> want;
    for (uint32_t i : table->candidates()) {
      REQUIRE(table->count(i) >= kMinCandidateFrequency);
      const int d = test::reference_distance(word, table->word(i), true);
      if (d <= max_edits) want.emplace_back(i, d);
    }
    std::vector<std::pair<uint32_t, int>> got;
    for (const SpellCandidate& c : spell_candidates(*table, word, max_edits)) {
      got.emplace_back(c.index, c.distance);
    }
    CHECK(got == want);
    if (max_edits == 1) {
      got.clear();
      for (const SpellCandidate& c : spell_candidates_near(*table, word)) {
        got.emplace_back(c.index, c.distance);
      }
      CHECK(got == want);
    }
  }
  // Rare words are never candidates.
  size_t rare = 0;
  for (size_t i = 0; i < table->size(); ++i) rare += table->count(i) < kMinCandidateFrequency;
  CHECK(rare > 0);
  CHECK(table->candidates().size() + rare == table->size());
}

TEST_CASE("spell: weighted distance", "[spell]") {
  CHECK(weighted_distance("ability", "ability") == 0);
  CHECK(weighted_distance("abandoned", "abandonned") == Approx(0.3));  // Doubled letter.
  CHECK(weighted_distance("occurred", "occured") == Approx(0.3));      // Undoubled.
  CHECK(weighted_distance("their", "thier") == Approx(0.5));           // Transposition.
  CHECK(weighted_distance("separate", "seperate") == Approx(0.75));    // Vowel for vowel.
  CHECK(weighted_distance("cat", "cut") == Approx(0.75));
  CHECK(weighted_distance("cat", "cot") == Approx(0.75));
  CHECK(weighted_distance("cat", "cbt") == Approx(1));
  CHECK(weighted_distance("cat", "bat") == Approx(1.5));  // The first letter.
  CHECK(weighted_distance("ascend", "ascnd") == Approx(1));
  CHECK(weighted_distance("", "ab") == Approx(2.5));
  // Symmetric in the plain cases.
  CHECK(weighted_distance("chips", "chipz") == weighted_distance("chipz", "chips"));
}

TEST_CASE("spell: the replacement rule", "[spell]") {
  CHECK(worth_replacing(0, 3, 2));
  CHECK(worth_replacing(1, kMinGain, 1));
  CHECK_FALSE(worth_replacing(1, kMinGain - 1, 1));
  CHECK_FALSE(worth_replacing(1, kMinGain, 2));
  CHECK(worth_replacing(2, 2 * kMinGain * kMinGain, 2));
  // A word the index holds stands unless the candidate outweighs it.
  const ChannelModel model;
  CHECK(outweighs_typed(0, 1, 2.5, model));
  CHECK(outweighs_typed(1, 300, 1, model));           // ascnd -> ascend
  CHECK_FALSE(outweighs_typed(171, 7376, 1, model));  // moth -> month
  CHECK(outweighs_typed(20, 50000, 0.5, model));      // recieve -> receive
  // At the edge: log(count + 0.5) - 3 d = log(typed + 0.5) + log 5.
  const double edge = std::exp(std::log(10.5) + std::log(5.0) + 3 * 0.75) - 0.5;
  CHECK(outweighs_typed(10, static_cast<uint64_t>(edge) + 1, 0.75, model));
  CHECK_FALSE(outweighs_typed(10, static_cast<uint64_t>(edge) - 1, 0.75, model));
}

TEST_CASE("speller: words and queries", "[spell]") {
  const auto table = WordTable::from_counts({{"huawei", 500},
                                             {"ascend", 300},
                                             {"ascent", 40},
                                             {"chips", 200},
                                             {"chip", 150},
                                             {"the", 10000},
                                             {"thee", 5},
                                             {"title", 90},
                                             {"ability", 80},
                                             {"abilities", 30},
                                             {"stability", 60},
                                             {"rare", 2},
                                             {"moth", 171},
                                             {"month", 7376},
                                             {"fox", 300},
                                             {"for", 100000},
                                             {"ascnd", 1}});
  AnalyzerConfig config;
  Speller speller(table.get(), config);
  CHECK(speller.correct_word("huawie") == "huawei");
  CHECK(speller.correct_word("abilty") == "ability");
  CHECK(speller.correct_word("ascend") == std::nullopt);  // Known and frequent enough.
  CHECK(speller.correct_word("ascnd") == "ascend");       // Known, but 300x rarer.
  // A word the texts hold stands: "month", 43 times as frequent (past the
  // 20 of kMinGain), does not outweigh "moth" one edit away.
  CHECK(speller.correct_word("moth") == std::nullopt);
  CHECK(speller.correct_word("mnth") == "month");
  // Nor is a stop word the correction of a word the texts hold 20 times or
  // more (the query would lose it); of one they hardly hold, it is.
  AnalyzerConfig stopping;
  stopping.stop_words = StopWords::kSnowball;
  const Speller with_stop_words(table.get(), stopping);
  CHECK(with_stop_words.correct_word("fox") == std::nullopt);
  CHECK(with_stop_words.correct_word("fro") == "for");
  CHECK(speller.correct_word("fox") == "for");  // Without a stop list, "for" is a word.
  CHECK(speller.correct_word("teh") == "the");
  CHECK(speller.correct_word("rar") == std::nullopt);  // "rare" is too rare to propose.
  CHECK(speller.correct_word("zz") == std::nullopt);   // Too short.
  CHECK(speller.correct_word("xylophone") == std::nullopt);

  CHECK(speller.correct_query("huawie ascend") == "huawei ascend");
  CHECK(speller.correct_query("+huawie \"ascend chipz\"") == "+huawei \"ascend chips\"");
  CHECK(speller.correct_query("Huawie AND NOT chipz") == "huawei AND NOT chips");
  CHECK(speller.correct_query("title:huawie (chipz OR ascnd)") == "title:huawei (chips OR ascend)");
  CHECK(speller.correct_query("huawie* chipz~1 titel:ascnd") == "huawie* chipz~1 titel:ascend");
  CHECK(speller.correct_query("智谱 华为 资本市场") == "智谱 华为 资本市场");
  CHECK(speller.correct_query("huawie 华为") == "huawei 华为");
  CHECK(speller.correct_query("chipz4 glm-4.7") == "chipz4 glm-4.7");
  CHECK(speller.correct_query("") == "");
  CHECK(speller.correct_query("  the  ascend ") == "  the  ascend ");
}
