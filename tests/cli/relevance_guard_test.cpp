// Guards ranking quality: MAP on ADI and Cranfield with the default
// settings must not fall more than 0.01 below the values recorded in
// docs/RELEVANCE.md ("guard-map NAME VALUE" lines).
#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "testlib.h"

using scry::test::run;

namespace {

std::map<std::string, double> recorded_map() {
  std::map<std::string, double> out;
  std::istringstream in(scry::test::read_file(scry::test::source_dir() / "docs" / "RELEVANCE.md"));
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string key, name;
    double value = 0;
    if (words >> key >> name >> value && key == "guard-map") out[name] = value;
  }
  return out;
}

}  // namespace

TEST_CASE("relevance: MAP on ADI and Cranfield stays at the recorded level", "[relevance][slow]") {
  auto corpora = scry::test::shared_corpora();
  if (!corpora) return;
  auto recorded = recorded_map();
  REQUIRE(recorded.size() == 2);
  for (const auto& [name, floor_map] : recorded) {
    INFO(name);
    scry::test::TempDir tmp;
    auto dir = *corpora / "relevance" / name;
    std::string idx = (tmp / "idx").string();
    auto built =
        run({scry::test::program("scry-index"), "-q", (dir / "docs.jsonl").string(), "-o", idx});
    REQUIRE(built.exit_code == 0);
    auto searched = run({scry::test::program("scry-search"), idx, "--plain", "--format", "trec",
                         "-k", "1000", "--queries", (dir / "queries.tsv").string()});
    INFO(searched.err);
    REQUIRE(searched.exit_code == 0);
    scry::test::write_file(tmp / "run", searched.out);
    auto scored = run(
        {scry::test::program("scry-eval"), (dir / "qrels.tsv").string(), (tmp / "run").string()});
    INFO(scored.err);
    REQUIRE(scored.exit_code == 0);
    std::istringstream lines(scored.out);
    double map = -1;
    for (std::string key; lines >> key;) {
      double value = 0;
      lines >> value;
      if (key == "map") map = value;
    }
    INFO("MAP " << map << ", recorded " << floor_map);
    CHECK(map >= floor_map - 0.01);
  }
}
