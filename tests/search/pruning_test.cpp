// MaxScore on a real collection: the pruned top k equals the exhaustive top
// k exactly (ids, order and scores) for Cranfield's 225 queries and 800
// random ORs of words from them, with k = 1, 10 and 1000 and title weights.
#include <array>
#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/query/planner.h"
#include "scry/search/searcher.h"
#include "testlib.h"

using namespace scry;

TEST_CASE("pruning: Cranfield queries give the exhaustive top k exactly", "[pruning]") {
  auto corpora = scry::test::shared_corpora();
  if (!corpora) return;
  const auto collection = *corpora / "relevance" / "cranfield";
  scry::test::TempDir tmp;
  const std::string dir = (tmp / "idx").string();
  auto built = scry::test::run(
      {scry::test::program("scry-index"), "-q", (collection / "docs.jsonl").string(), "-o", dir});
  INFO(built.err);
  REQUIRE(built.exit_code == 0);
  auto index = IndexReader::open(dir);
  REQUIRE(index.is_ok());
  Searcher searcher(**index);
  Analyzer analyzer((*index)->manifest().analyzer);

  std::vector<std::string> queries;
  std::vector<std::string> words;
  std::ifstream in(collection / "queries.tsv");
  for (std::string line; std::getline(in, line);) {
    std::string text = line.substr(line.find('\t') + 1);
    queries.push_back(text);
    std::istringstream split(text);
    for (std::string w; split >> w;) words.push_back(w);
  }
  REQUIRE(queries.size() == 225);
  std::mt19937 rng(225);
  while (queries.size() < 1025) {
    std::string q;
    for (size_t n = 2 + rng() % 7; n > 0; --n) q += words[rng() % words.size()] + " ";
    queries.push_back(q);
  }

  size_t pruned = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    INFO("query " << i << ": " << queries[i]);
    PlannerOptions planner;
    planner.title_weight = i % 3 == 0 ? 1.0 : 0.0;
    auto planned = plan_plain(queries[i], &analyzer, planner);
    REQUIRE(planned.is_ok());
    const PlanNode& plan = *planned;
    SearchOptions options;
    options.k = std::array<size_t, 3>{1, 10, 1000}[i % 3 == 0 ? (i / 3) % 3 : i % 3];
    options.count_all = true;
    auto exhaustive = searcher.search(plan, options);
    options.count_all = false;
    auto fast = searcher.search(plan, options);
    REQUIRE(exhaustive.is_ok());
    REQUIRE(fast.is_ok());
    REQUIRE(fast->hits.size() == exhaustive->hits.size());
    for (size_t r = 0; r < fast->hits.size(); ++r) {
      INFO("rank " << r);
      REQUIRE(fast->hits[r].doc == exhaustive->hits[r].doc);
      REQUIRE(fast->hits[r].score == exhaustive->hits[r].score);
    }
    REQUIRE(fast->total_hits <= exhaustive->total_hits);
    pruned += !fast->total_exact;
  }
  // Pruning did skip documents on many queries (k = 1000 rarely can).
  CHECK(pruned > queries.size() / 3);
}
