// Typo tolerance (scry-search --typos, docs/QUERY.md "Typo tolerance"):
// which words become tolerant, how many edits their length allows, that an
// exact match ranks before a variant, and the same in plain-text queries.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scry/engine/engine.h"
#include "testlib.h"

using namespace scry;

namespace {

// One document a word, so that a query's hits name the words it matched;
// every document is the same length, so scores differ by term and boost.
struct Fixture {
  test::TempDir tmp;
  std::unique_ptr<Engine> engine;

  explicit Fixture(bool stem = false, const std::vector<std::string>& words = {
                                          "elephant", "elephent", "elepxhant", "elphxnt", "cat",
                                          "cut", "abc12345", "abc12346", "zhipuai", "zhipuia",
                                          "extraordinarily", "extraodrinarly", "extrxodrinarly"}) {
    AnalyzerConfig config;
    config.stem = stem;
    std::vector<Document> docs;
    for (const std::string& word : words) {
      docs.push_back({word, "", "filler " + word, "p:" + word});
    }
    test::build_index(docs, tmp / "idx", config);
    auto e = Engine::open((tmp / "idx").string());
    REQUIRE(e.is_ok());
    engine = std::move(e).value();
  }

  // The ids of the hits of `query`, best first.
  std::vector<std::string> ids(const std::string& query, TypoTolerance typos, bool plain = false) {
    QueryOptions options;
    options.k = 20;
    options.typos = typos;
    options.plain = plain;
    auto answer = engine->answer(query, options);
    REQUIRE(answer.is_ok());
    REQUIRE_FALSE(answer->syntax_error);
    std::vector<std::string> out;
    for (const AnswerHit& hit : answer->hits) out.push_back(hit.id);
    return out;
  }
};

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("typos: off by default, a word matches itself only", "[typos]") {
  Fixture f;
  CHECK_FALSE(QueryOptions{}.typos.enabled());
  CHECK(f.ids("elephant", {}) == Ids{"elephant"});
  CHECK(kDefaultTypos.one == 5);
  CHECK(kDefaultTypos.two == 9);
}

TEST_CASE("typos: one edit from 5 letters, two from 9, the exact word first", "[typos]") {
  Fixture f;
  // 8 letters: one edit (a substitution; a transposition counts one);
  // "elepxhant" is an insertion away, "elphxnt" two edits.
  CHECK(f.ids("elephant", kDefaultTypos) == Ids{"elephant", "elephent", "elepxhant"});
  // A typo as typed: its own document first, then the word meant.
  const Ids typed = f.ids("elephent", kDefaultTypos);
  REQUIRE(typed.size() >= 2);
  CHECK(typed[0] == "elephent");
  CHECK(typed[1] == "elephant");
  // 15 letters: two edits ("extraodrinarly" is a swap and a deletion
  // away; "extrxodrinarly" three).
  CHECK(f.ids("extraordinarily", kDefaultTypos) == Ids{"extraordinarily", "extraodrinarly"});
  // Lower thresholds: two edits from 8 letters.
  const Ids two = f.ids("elephant", TypoTolerance{4, 8});
  CHECK(two.front() == "elephant");
  CHECK(std::find(two.begin(), two.end(), "elphxnt") != two.end());
  // ONE alone: never two edits.
  CHECK(f.ids("extraordinarily", TypoTolerance{5, 0}) == Ids{"extraordinarily"});
}

TEST_CASE("typos: short words, digits, phrases, prefixes and fuzzy terms stay as written",
          "[typos]") {
  Fixture f;
  CHECK(f.ids("cat", kDefaultTypos) == Ids{"cat"});                // Under 5 letters.
  CHECK(f.ids("abc12345", kDefaultTypos) == Ids{"abc12345"});      // A digit.
  CHECK(f.ids("\"elephant\"", kDefaultTypos) == Ids{"elephant"});  // A phrase.
  CHECK(f.ids("elephan*", kDefaultTypos) == Ids{"elephant"});      // A prefix.
  CHECK(f.ids("elephant~0", kDefaultTypos) == Ids{"elephant"});    // Explicit distance.
  CHECK(f.ids("elephant~2", kDefaultTypos).size() == 4);           // ... kept as asked.
  // A required tolerant word is satisfied by a variant; an excluded word
  // stays exact (its variants are not excluded).
  CHECK(f.ids("+zhipuai", kDefaultTypos) == Ids{"zhipuai", "zhipuia"});
  CHECK(f.ids("filler -elephant", kDefaultTypos).size() == 12);
  CHECK(f.ids("filler -(elephant cat)", kDefaultTypos).size() == 11);
}

TEST_CASE("typos: plain-text queries are tolerant word by word", "[typos]") {
  Fixture f;
  Ids exact = f.ids("elephant cat", {}, true);
  std::sort(exact.begin(), exact.end());
  CHECK(exact == Ids{"cat", "elephant"});
  Ids got = f.ids("elephant cat", kDefaultTypos, true);
  REQUIRE(got.size() == 4);
  // The exact words first, then the variants ("cut" is not one: "cat" is
  // too short).
  std::sort(got.begin(), got.begin() + 2);
  std::sort(got.begin() + 2, got.end());
  CHECK(got == Ids{"cat", "elephant", "elephent", "elepxhant"});
}

TEST_CASE("typos: a stem allows the edits of its own length", "[typos]") {
  // Stems: governess -> gover, government -> govern, lover, given.
  Fixture f(true, {"governess", "government", "lover", "given"});
  // "goverment" (9 letters: two edits) stems to "gover" (5: one edit): the
  // stem's own document first, then the terms one edit from the stem;
  // "given" is two from it (and far from the word as typed).
  const Ids got = f.ids("goverment", kDefaultTypos);
  REQUIRE(got.size() == 3);
  CHECK(got[0] == "governess");
  CHECK(std::find(got.begin(), got.end(), "government") != got.end());
  CHECK(std::find(got.begin(), got.end(), "lover") != got.end());
}
