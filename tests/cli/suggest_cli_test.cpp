// End-to-end tests of spelling suggestions in scry-search (docs/SPELLING.md):
// --suggest on arguments and lines, did_you_mean in JSON, nothing on the
// standard output of TSV and TREC, CJK and the query syntax kept, and an
// index without word dictionaries.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "testlib.h"

using scry::test::lines_of;
using scry::test::run;
using scry::test::RunResult;
using scry::test::TempDir;

namespace {

RunResult search(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), scry::test::program("scry-search"));
  return run(args, input);
}

// The bundled corpus indexed into a temporary folder.
std::string corpus_index(const TempDir& tmp) {
  const std::string path = (tmp / "idx").string();
  auto r = run({scry::test::program("scry-index"), "-q",
                (scry::test::source_dir() / "corpus").string(), "-o", path});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return path;
}

}  // namespace

TEST_CASE("scry-search --suggest: one line out for each line in", "[spell][cli]") {
  TempDir tmp;
  const std::string idx = corpus_index(tmp);
  auto r = search({idx, "--suggest"},
                  "huawie ascend\n+huawie \"ascend chipz\"\n智谱 华为\nzhipu\nq7\tHuawie~1 "
                  "chipz\n\nzhpiu*\n");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(lines_of(r.out) == std::vector<std::string>{"huawei ascend", "+huawei \"ascend chips\"",
                                                    "智谱 华为", "zhipu", "q7\tHuawie~1 chips", "",
                                                    "zhpiu*"});
  r = search({idx, "--suggest", "huawie", "chipz"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "huawei chips\n");
  r = search({idx, "--suggest", "--stats", "huawie"});
  CHECK(r.out == "huawei\n");
  CHECK(r.err.find("scry-search: words loaded in ") != std::string::npos);
  CHECK(r.err.find("scry-search: suggest 1: ") != std::string::npos);
}

TEST_CASE("scry-search --suggest --format json: one object a line, as the text lines say",
          "[spell][cli]") {
  TempDir tmp;
  const std::string idx = corpus_index(tmp);
  const std::string input = "huawie ascend\n+huawie \"ascend chipz\"\nzhipu\nq7\tHuawie~1 chipz\n";
  const auto text = search({idx, "--suggest"}, input);
  const auto json = search({idx, "--suggest", "--format", "json"}, input);
  INFO(json.err);
  CHECK(json.exit_code == 0);
  const auto text_lines = lines_of(text.out);
  const auto json_lines = lines_of(json.out);
  REQUIRE(json_lines.size() == 4);
  REQUIRE(text_lines.size() == 4);
  const std::vector<std::string> tags{"1", "2", "3", "q7"};
  const std::vector<std::string> typed{"huawie ascend", "+huawie \"ascend chipz\"", "zhipu",
                                       "Huawie~1 chipz"};
  simdjson::dom::parser parser;
  for (size_t i = 0; i < json_lines.size(); ++i) {
    INFO(json_lines[i]);
    simdjson::dom::element e = parser.parse(json_lines[i]);
    CHECK(std::string_view(e["query"]) == tags[i]);
    CHECK(std::string_view(e["text"]) == typed[i]);
    // The text line is the suggestion, after the ID and tab it came with.
    const std::string prefix = i == 3 ? "q7\t" : "";
    CHECK(prefix + std::string(std::string_view(e["suggestion"])) == text_lines[i]);
  }
  CHECK(std::string_view(parser.parse(json_lines[0])["suggestion"]) == "huawei ascend");
  CHECK(std::string_view(parser.parse(json_lines[2])["suggestion"]) == "zhipu");
  const auto one = search({idx, "--suggest", "-f", "json", "huawie"});
  CHECK(one.out == "{\"query\":\"1\",\"text\":\"huawie\",\"suggestion\":\"huawei\"}\n");
}

TEST_CASE("scry-search --suggest: a query that is not UTF-8 comes back unchanged, reported",
          "[spell][cli]") {
  TempDir tmp;
  const std::string idx = corpus_index(tmp);
  // "caf\xE9" is Latin-1: corrected word by word, it would become "can\xE9".
  auto r = search({idx, "--suggest"}, "huawie\nq2\tcaf\xE9 chipz\nchipz\n");
  CHECK(r.exit_code == 2);
  CHECK(lines_of(r.out) == std::vector<std::string>{"huawei", "q2\tcaf\xE9 chipz", "chips"});
  CHECK(r.err == "scry-search: error: line 2: query:4: invalid UTF-8\n");
  r = search({idx, "--suggest", "caf\xE9"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "scry-search: error: query:4: invalid UTF-8\n");
}

TEST_CASE("scry-search: did_you_mean in JSON only, never on TSV or TREC output", "[spell][cli]") {
  TempDir tmp;
  const std::string idx = corpus_index(tmp);
  // No hit as typed: one object carries the proposal.
  auto r = search({idx, "--format", "json", "huawie"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  simdjson::dom::parser parser;
  simdjson::dom::element e = parser.parse(lines[0]);
  CHECK(std::string_view(e["did_you_mean"]) == "huawei");
  CHECK(int64_t(e["did_you_mean_hits"]) > 0);
  CHECK(std::string_view(e["query"]) == "1");

  // Hits as typed, more when corrected: every hit carries it.
  r = search({idx, "--format", "json", "huawie ascend"});
  CHECK(r.exit_code == 0);
  lines = lines_of(r.out);
  REQUIRE_FALSE(lines.empty());
  for (const auto& line : lines) {
    simdjson::dom::element hit = parser.parse(line);
    CHECK(std::string_view(hit["did_you_mean"]) == "huawei ascend");
    CHECK(std::string_view(hit["id"]).size() > 0);
  }
  // Nothing to correct: no field.
  r = search({idx, "--format", "json", "huawei"});
  CHECK(r.out.find("did_you_mean") == std::string::npos);

  for (const char* format : {"tsv", "trec", "text"}) {
    INFO(format);
    r = search({idx, "--format", format, "huawie ascend"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("did you mean") == std::string::npos);
    CHECK(r.out.find("huawei ascend") == std::string::npos);
    CHECK(r.err.empty());
    r = search({idx, "--format", format, "huawie"});
    CHECK(r.out.empty());
  }
}

TEST_CASE("scry-search --suggest: an index without word dictionaries", "[spell][cli]") {
  const std::string old = (scry::test::source_dir() / "tests/data/golden/index-v3").string();
  auto r = search({old, "--suggest"}, "comon\nanother qery\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "comon\nanother qery\n");
  // One line, once.
  CHECK(lines_of(r.err).size() == 1);
  CHECK(r.err.find("suggestions unavailable: segment seg1 has no word dictionary") !=
        std::string::npos);
  // Searching it works as before, JSON without the field.
  r = search({old, "--format", "json", "comon"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
}
