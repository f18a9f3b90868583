// End-to-end tests of scry-search as a user meets it: real answers on the
// bundled corpus, the three output formats, paging, snippets and
// highlighting, queries on stdin, and every kind of damaged index.
#include <simdjson.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "testlib.h"

using scry::test::lines_of;
using scry::test::run;
using scry::test::RunResult;
using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

constexpr const char* kValuation = "zhipu-ai-trillion-yuan-valuation.txt";
constexpr const char* kAscendImage = "z-ai-glm-image-trained-on-huawei-ascend.txt";
constexpr const char* kSelfSufficiency = "china-ai-self-sufficiency-zhipu-and-huawei.txt";

// A temporary folder holding the index of the bundled corpus at "idx".
class CorpusIndex {
 public:
  CorpusIndex() : path_((tmp_ / "idx").string()) {
    auto r = run({scry::test::program("scry-index"), "-q",
                  (scry::test::source_dir() / "corpus").string(), "-o", path_});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  const std::string& path() const { return path_; }
  fs::path file(const std::string& name) const { return fs::path(path_) / name; }

 private:
  TempDir tmp_;
  std::string path_;
};

// Runs scry-search with `args`, `input` on stdin and `env` added.
RunResult search(std::vector<std::string> args, const std::string& input = "",
                 const std::vector<std::string>& env = {}) {
  args.insert(args.begin(), scry::test::program("scry-search"));
  return run(args, input, env);
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t at; (at = line.find(sep, start)) != std::string::npos; start = at + 1) {
    fields.push_back(line.substr(start, at - start));
  }
  fields.push_back(line.substr(start));
  return fields;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// One line of --format json, parsed.
struct JsonHit {
  std::string query, id, title, source, snippet;
  int64_t rank = 0;
  double score = 0;
  bool has_snippet = false;
  std::vector<std::pair<uint64_t, uint64_t>> matches;
  bool has_explain = false;
  double explain_sum = 0;
  std::string parsed;
};

std::string get_string(simdjson::dom::element object, const char* key) {
  std::string_view value;
  INFO("key " << key);
  REQUIRE(object[key].get(value) == simdjson::SUCCESS);
  return std::string(value);
}

std::vector<JsonHit> parse_json_lines(const std::string& out) {
  std::vector<JsonHit> hits;
  simdjson::dom::parser parser;
  for (const std::string& line : lines_of(out)) {
    INFO(line);
    simdjson::dom::element object;
    REQUIRE(parser.parse(line).get(object) == simdjson::SUCCESS);
    JsonHit hit;
    hit.query = get_string(object, "query");
    hit.id = get_string(object, "id");
    hit.title = get_string(object, "title");
    hit.source = get_string(object, "source");
    REQUIRE(object["rank"].get(hit.rank) == simdjson::SUCCESS);
    REQUIRE(object["score"].get(hit.score) == simdjson::SUCCESS);
    simdjson::dom::array matches;
    hit.has_snippet = object["snippet"].error() == simdjson::SUCCESS;
    if (hit.has_snippet) {
      hit.snippet = get_string(object, "snippet");
      REQUIRE(object["matches"].get(matches) == simdjson::SUCCESS);
      for (simdjson::dom::element range : matches) {
        simdjson::dom::array pair;
        REQUIRE(range.get(pair) == simdjson::SUCCESS);
        uint64_t start = 0, end = 0;
        REQUIRE(pair.at(0).get(start) == simdjson::SUCCESS);
        REQUIRE(pair.at(1).get(end) == simdjson::SUCCESS);
        hit.matches.emplace_back(start, end);
      }
    }
    std::string_view parsed;
    if (object["parsed"].get(parsed) == simdjson::SUCCESS) hit.parsed = parsed;
    simdjson::dom::array explain;
    hit.has_explain = object["explain"].get(explain) == simdjson::SUCCESS;
    if (hit.has_explain) {
      for (simdjson::dom::element part : explain) {
        double score = 0;
        REQUIRE(part["score"].get(score) == simdjson::SUCCESS);
        hit.explain_sum += score;
        get_string(part, "term");
        get_string(part, "field");
      }
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

// The JSON hits of one query (which must succeed with a hit).
std::vector<JsonHit> json_hits(const std::string& index, const std::string& query,
                               std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {index, query, "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = search(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.signal == 0);
  return parse_json_lines(r.out);
}

// An error is one line on stderr, naming `file`, with exit code 2.
void check_one_line_error(const RunResult& r, const std::string& file) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.signal == 0);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("scry-search: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find(file) != std::string::npos);
}

void patch_file(const fs::path& path, uint64_t offset, const std::string& bytes) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(f.good());
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(f.good());
}

}  // namespace

TEST_CASE("search: Huawei Ascend ranks the two Huawei-chip articles first", "[search_cli]") {
  CorpusIndex index;
  auto hits = json_hits(index.path(), "Huawei Ascend");
  REQUIRE(hits.size() >= 2);
  std::set<std::string> top;
  for (size_t i = 0; i < 2; ++i) {
    for (const char* name : {kAscendImage, kSelfSufficiency}) {
      if (ends_with(hits[i].source, name)) top.insert(name);
    }
  }
  CHECK(top.size() == 2);
  CHECK(hits[0].rank == 1);
  CHECK(hits[1].rank == 2);
  CHECK(hits[0].score >= hits[1].score);
}

TEST_CASE("search: a phrase finds the valuation article first", "[search_cli]") {
  CorpusIndex index;
  auto hits = json_hits(index.path(), "\"trillion yuan\"");
  REQUIRE(!hits.empty());
  CHECK(ends_with(hits[0].source, kValuation));
  CHECK(hits[0].title.find("Trillion Yuan") != std::string::npos);
}

TEST_CASE("search: a Chinese query finds the valuation article", "[search_cli]") {
  CorpusIndex index;
  auto hits = json_hits(index.path(), "资本市场");
  REQUIRE(!hits.empty());
  CHECK(ends_with(hits[0].source, kValuation));
  // The snippet shows the Chinese section with the match highlighted.
  REQUIRE(!hits[0].matches.empty());
  auto [start, end] = hits[0].matches[0];
  CHECK(hits[0].snippet.substr(start, end - start).find("资本") != std::string::npos);
}

TEST_CASE("search: no match exits 1 with nothing on stdout", "[search_cli]") {
  CorpusIndex index;
  for (const char* format : {"text", "tsv", "json"}) {
    auto r = search({index.path(), "xylophonequartz", "--format", format});
    INFO(format << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
  }
}

TEST_CASE("search: a query with no term to search for says why", "[search_cli]") {
  CorpusIndex index;
  for (const std::string& query : {std::string("the of"), std::string(65, 'a')}) {
    auto r = search({index.path(), query});
    INFO(query << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("no word to search for") != std::string::npos);
    CHECK(r.err.find(query.size() > 64 ? "longer than 64 bytes" : "stop word") !=
          std::string::npos);
  }
}

TEST_CASE("search: a syntax error shows the query with a caret and exits 2", "[search_cli]") {
  CorpusIndex index;
  auto r = search({index.path(), "glm \"trillion yuan"});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.signal == 0);
  CHECK(r.out.empty());
  auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "scry-search: error: query:5: missing closing quote");
  CHECK(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find("glm \"trillion yuan") != std::string::npos;
  }));
  CHECK(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
    size_t caret = l.find('^');
    return caret != std::string::npos && l.find_first_not_of(' ') == caret;
  }));
}

TEST_CASE("search: text output has rank, score, title, source and snippet", "[search_cli]") {
  CorpusIndex index;
  auto r = search({index.path(), "trillion yuan", "-k", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = lines_of(r.out);
  // Two hits of three lines (title, source, snippet) and a blank between.
  REQUIRE(lines.size() == 7);
  CHECK(lines[0].rfind("1. ", 0) == 0);
  CHECK(lines[0].find("Trillion Yuan") != std::string::npos);
  CHECK(lines[1].rfind("    ", 0) == 0);
  CHECK(ends_with(lines[1], kValuation));
  CHECK(lines[2].rfind("    ", 0) == 0);
  CHECK(lines[3].empty());
  CHECK(lines[4].rfind("2. ", 0) == 0);
  // The score has three decimals: "1. 12.345  Title".
  std::string score = split(lines[0], ' ')[1];
  CHECK(score.size() > 4);
  CHECK(score[score.size() - 4] == '.');
}

TEST_CASE("search: queries on stdin give tagged TSV lines", "[search_cli]") {
  CorpusIndex index;
  auto r = search({index.path(), "--format", "tsv"}, "huawei ascend\nglm valuation\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() >= 2);
  std::vector<std::string> tags;
  for (const std::string& line : lines) {
    INFO(line);
    auto fields = split(line, '\t');
    REQUIRE(fields.size() == 6);  // tag, rank, id, score, title, snippet
    tags.push_back(fields[0]);
    CHECK(std::stoi(fields[1]) >= 1);
    CHECK(!fields[2].empty());
    CHECK(fields[3].find('.') == fields[3].size() - 7);  // %.6f
    CHECK(std::stod(fields[3]) > 0);
    CHECK(!fields[4].empty());
    CHECK(!fields[5].empty());
    CHECK(fields[5].find('\x1b') == std::string::npos);
  }
  // Query 1's lines, ranked from 1, then query 2's.
  CHECK(tags.front() == "1");
  CHECK(tags.back() == "2");
  CHECK(std::is_sorted(tags.begin(), tags.end()));
  CHECK(split(lines[0], '\t')[1] == "1");
  auto second = std::find(tags.begin(), tags.end(), "2");
  CHECK(split(lines[static_cast<size_t>(second - tags.begin())], '\t')[1] == "1");
}

TEST_CASE("search: ID<TAB>query lines tag their results with ID", "[search_cli]") {
  CorpusIndex index;
  auto r = search({index.path(), "--format", "tsv", "-k", "1"},
                  "ascend-q\thuawei ascend\n\n   \nvaluation-q\t\"trillion yuan\"\nglm\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(split(lines[0], '\t')[0] == "ascend-q");
  CHECK(split(lines[1], '\t')[0] == "valuation-q");
  CHECK(split(lines[2], '\t')[0] == "5");  // The line number, blank lines counted.
}

TEST_CASE("search: queries on stdin: exit codes and syntax errors naming the line",
          "[search_cli]") {
  CorpusIndex index;
  SECTION("no query has a hit") {
    auto r = search({index.path()}, "xylophonequartz\nzzzqqq\n");
    CHECK(r.exit_code == 1);
  }
  SECTION("an empty input") {
    auto r = search({index.path()}, "");
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
  }
  SECTION("a bad line is reported and the others still run") {
    auto r = search({index.path(), "--format", "tsv"}, "huawei\nglm \"open quote\nascend\n");
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("line 2: query:") != std::string::npos);
    std::set<std::string> tags;
    for (const auto& line : lines_of(r.out)) tags.insert(split(line, '\t')[0]);
    CHECK(tags == std::set<std::string>{"1", "3"});
  }
  SECTION("no query at all says so, and finds nothing") {
    for (const char* input : {"", "\n  \n\t\n"}) {
      auto r = search({index.path(), "--format", "tsv"}, input);
      CHECK(r.exit_code == 1);
      CHECK(r.out.empty());
      CHECK(r.err.find("no query read") != std::string::npos);
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
  }
  SECTION("--count gives TAG<TAB>COUNT lines") {
    auto r = search({index.path(), "--count"}, "huawei\nq2\txylophonequartz\n");
    CHECK(r.exit_code == 0);
    auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].rfind("1\t", 0) == 0);
    CHECK(std::stoi(split(lines[0], '\t')[1]) >= 2);
    CHECK(lines[1] == "q2\t0");
  }
  SECTION("--count with --format json gives one object a line, errors too") {
    auto r = search({index.path(), "--count", "-f", "json"}, "huawei\nq2\txylophonequartz\n\"x\n");
    CHECK(r.exit_code == 2);
    auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].rfind("{\"query\":\"1\",\"count\":", 0) == 0);
    CHECK(lines[1] == "{\"query\":\"q2\",\"count\":0}");
    CHECK(lines[2].rfind("{\"query\":\"3\",\"error\":", 0) == 0);
    auto one = search({index.path(), "xylophonequartz", "--count", "--format", "json"});
    CHECK(one.exit_code == 1);
    CHECK(one.out == "{\"query\":\"1\",\"count\":0}\n");
  }
  SECTION("text output names each query") {
    auto r = search({index.path(), "-k", "1"}, "huawei\nglm\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("query 1: huawei\n1. ") != std::string::npos);
    CHECK(r.out.find("query 2: glm\n1. ") != std::string::npos);
  }
}

TEST_CASE("search: JSON lines parse and their matches are query matches", "[search_cli]") {
  CorpusIndex index;
  auto hits = json_hits(index.path(), "huawei ascend chips", {"-k", "5"});
  REQUIRE(!hits.empty());
  int64_t rank = 0;
  for (const JsonHit& hit : hits) {
    INFO(hit.id << ": " << hit.snippet);
    CHECK(hit.query == "1");
    CHECK(hit.rank == ++rank);
    CHECK(!hit.id.empty());
    CHECK(!hit.source.empty());
    REQUIRE(hit.has_snippet);
    CHECK(!hit.has_explain);
    CHECK(!hit.matches.empty());
    uint64_t previous_end = 0;
    for (auto [start, end] : hit.matches) {
      REQUIRE(start < end);
      REQUIRE(end <= hit.snippet.size());
      CHECK(start >= previous_end);
      previous_end = end;
      std::string text = lower(hit.snippet.substr(start, end - start));
      INFO("match: " << text);
      CHECK((text.find("huawei") != std::string::npos || text.find("ascend") != std::string::npos ||
             text.find("chip") != std::string::npos));
    }
  }
}

TEST_CASE("search: JSON and TSV escape what documents hold", "[search_cli]") {
  TempDir tmp;
  std::string idx = (tmp / "idx").string();
  // A title with quotes, a backslash, a tab, a control character and
  // non-ASCII text; a body with a line break.
  std::string jsonl =
      "{\"id\":\"doc\\\"1\",\"title\":\"Quote \\\" back\\\\slash\\ttab\\u0001ctl\\u009bc1 "
      "\xc3\xa9t\xc3\xa9\","
      "\"body\":\"zebra crossing\\nsecond zebra line\"}\n";
  auto built = run({scry::test::program("scry-index"), "-q", "-", "-o", idx}, jsonl);
  INFO(built.err);
  REQUIRE(built.exit_code == 0);

  auto r = search({idx, "zebra", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto hits = parse_json_lines(r.out);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].id == "doc\"1");
  CHECK(hits[0].title ==
        "Quote \" back\\slash\ttab\x01"
        "ctl\xc2\x9b"
        "c1 \xc3\xa9t\xc3\xa9");
  CHECK(r.out.find("\\u0001") != std::string::npos);

  r = search({idx, "zebra", "--format", "tsv"});
  REQUIRE(r.exit_code == 0);
  auto fields = split(lines_of(r.out).at(0), '\t');
  REQUIRE(fields.size() == 6);
  CHECK(fields[4] == "Quote \" back\\slash tab ctl c1 \xc3\xa9t\xc3\xa9");
}

TEST_CASE("search: --count prints the number of matching documents", "[search_cli]") {
  CorpusIndex index;
  auto r = search({index.path(), "huawei", "--count"});
  REQUIRE(r.exit_code == 0);
  auto all = json_hits(index.path(), "huawei", {"-k", "100"});
  CHECK(r.out == std::to_string(all.size()) + "\n");

  r = search({index.path(), "xylophonequartz", "--count"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == "0\n");
}

TEST_CASE("search: -k and --offset page through the results", "[search_cli]") {
  CorpusIndex index;
  auto first_two = json_hits(index.path(), "zhipu glm", {"-k", "2"});
  REQUIRE(first_two.size() == 2);
  auto second = json_hits(index.path(), "zhipu glm", {"-k", "1", "--offset", "1"});
  REQUIRE(second.size() == 1);
  CHECK(second[0].rank == 2);
  CHECK(second[0].id == first_two[1].id);
  CHECK(second[0].score == Approx(first_two[1].score));

  // Paging past the end: no hit printed, but the query still matches.
  auto r = search({index.path(), "zhipu glm", "--offset", "100"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("search: --no-snippets leaves snippets out", "[search_cli]") {
  CorpusIndex index;
  auto hits = json_hits(index.path(), "huawei", {"--no-snippets"});
  REQUIRE(!hits.empty());
  for (const auto& hit : hits) CHECK(!hit.has_snippet);

  auto r = search({index.path(), "huawei", "--no-snippets", "-k", "2"});
  REQUIRE(r.exit_code == 0);
  CHECK(lines_of(r.out).size() == 5);  // Title and source lines, a blank between.

  r = search({index.path(), "huawei", "--no-snippets", "--format", "tsv"});
  REQUIRE(r.exit_code == 0);
  for (const auto& line : lines_of(r.out)) {
    auto fields = split(line, '\t');
    REQUIRE(fields.size() == 6);
    CHECK(fields[5].empty());
  }
}

TEST_CASE("search: --explain parts add up to the score", "[search_cli]") {
  CorpusIndex index;
  auto hits = json_hits(index.path(), "huawei ascend \"trillion yuan\"", {"--explain", "-k", "5"});
  REQUIRE(!hits.empty());
  for (const auto& hit : hits) {
    INFO(hit.id);
    CHECK(hit.parsed == "(huawei ascend \"trillion yuan\")");
    REQUIRE(hit.has_explain);
    CHECK(hit.explain_sum == Approx(hit.score).margin(1e-3));
  }

  // One part per term (no title weight: no title parts).
  auto r = search({index.path(), "huawei ascend", "--explain", "-k", "1", "--title-weight", "0"});
  REQUIRE(r.exit_code == 0);
  auto lines = lines_of(r.out);
  double sum = 0;
  size_t parts = 0;
  for (const auto& line : lines) {
    if (line.rfind("    term=", 0) != 0) continue;
    ++parts;
    CHECK(line.find(" field=") != std::string::npos);
    CHECK(line.find(" idf=") != std::string::npos);
    CHECK(line.find(" tf=") != std::string::npos);
    CHECK(line.find(" dl=") != std::string::npos);
    sum += std::stod(line.substr(line.find(" score=") + 7));
  }
  CHECK(parts == 2);
  REQUIRE(lines.size() > 3);
  CHECK(lines[0] == "parsed: (huawei ascend)");
  CHECK(lines[1].empty());
  REQUIRE(lines[2].rfind("1. ", 0) == 0);
  double score = std::stod(split(lines[2], ' ').at(1));
  CHECK(sum == Approx(score).margin(2e-3));
}

TEST_CASE("search: highlighting modes and NO_COLOR", "[search_cli]") {
  CorpusIndex index;
  SECTION("markers") {
    auto r = search({index.path(), "huawei", "--highlight", "markers", "-k", "1"});
    REQUIRE(r.exit_code == 0);
    CHECK(lower(r.out).find("**huawei") != std::string::npos);
    CHECK(r.out.find('\x1b') == std::string::npos);
    r = search({index.path(), "huawei", "--highlight", "markers", "--format", "tsv"});
    CHECK(lower(r.out).find("**huawei") != std::string::npos);
  }
  SECTION("a pipe gets no colour, with or without NO_COLOR") {
    for (const std::vector<std::string>& env :
         {std::vector<std::string>{}, std::vector<std::string>{"NO_COLOR=1"}}) {
      for (const char* format : {"text", "tsv", "json"}) {
        auto r = search({index.path(), "huawei", "--format", format}, "", env);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find('\x1b') == std::string::npos);
        CHECK(r.out.find("**") == std::string::npos);
      }
    }
  }
  SECTION("--highlight ansi asks for colour explicitly") {
    auto r = search({index.path(), "huawei", "--highlight", "ansi"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("\x1b[1;31m") != std::string::npos);
  }
}

TEST_CASE("search: BM25 parameters change the scores", "[search_cli]") {
  CorpusIndex index;
  auto base = json_hits(index.path(), "huawei", {"-k", "1"});
  auto flat = json_hits(index.path(), "huawei", {"-k", "1", "--k1", "0", "--b", "0"});
  REQUIRE(!base.empty());
  REQUIRE(!flat.empty());
  // With k1 = 0 a term scores its idf whatever its frequency.
  CHECK(flat[0].score != Approx(base[0].score));
  auto explained = json_hits(index.path(), "huawei", {"-k", "1", "--k1", "0", "--explain"});
  CHECK(explained[0].explain_sum == Approx(explained[0].score).margin(1e-3));
}

TEST_CASE("search: bad options are errors", "[search_cli]") {
  CorpusIndex index;
  for (std::vector<std::string> args : {
           std::vector<std::string>{"--k1", "-1"},
           {"--k1", "abc"},
           {"--b", "1.5"},
           {"-k", "0"},
           {"-k", "-3"},
           {"--offset", "x"},
           {"--format", "xml"},
           {"--highlight", "loud"},
           {"--verify", "huawei"},
           {"--no-such-option"},
       }) {
    args.insert(args.begin(), index.path());
    if (args.size() < 4 && args[1] != "--verify") args.push_back("huawei");
    auto r = search(args);
    INFO(args[1] << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.signal == 0);
    CHECK(r.err.rfind("scry-search: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  auto r = search({});
  CHECK(r.exit_code == 2);
  r = search({"--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Usage: scry-search") != std::string::npos);
  r = search({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("scry-search ", 0) == 0);
}

TEST_CASE("search: --stats reports open and query times on stderr", "[search_cli]") {
  CorpusIndex index;
  auto r = search({index.path(), "huawei", "--stats", "--format", "tsv"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("opened") != std::string::npos);
  CHECK(r.err.find("5 documents, 1 segment") != std::string::npos);
  CHECK(r.err.find(" ms search") != std::string::npos);
  CHECK(r.out.find("opened") == std::string::npos);
}

TEST_CASE("search: --stats counts one document in the singular", "[search_cli]") {
  TempDir tmp;
  const std::string idx = (tmp / "idx").string();
  auto built = run({scry::test::program("scry-index"), "-q", "-", "-o", idx},
                   "{\"id\":\"1\",\"body\":\"zebra\"}\n");
  INFO(built.err);
  REQUIRE(built.exit_code == 0);
  auto r = search({idx, "zebra", "--stats", "--format", "tsv"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find(": 1 document, 1 segment\n") != std::string::npos);
}

TEST_CASE("search: --verify checks every file", "[search_cli]") {
  CorpusIndex index;
  auto r = search({index.path(), "--verify"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == index.path() + ": ok (8 files verified)\n");

  // A flipped byte inside the postings: open does not see it, --verify does.
  fs::path post = index.file("seg1.post");
  std::string bytes = scry::test::read_file(post);
  REQUIRE(bytes.size() > 64);
  patch_file(post, 8, std::string(1, static_cast<char>(bytes[8] ^ 0x20)));
  r = search({index.path(), "--verify"});
  check_one_line_error(r, "seg1.post");
}

TEST_CASE("search: damaged indexes give one-line errors naming the file", "[search_cli]") {
  SECTION("a missing index folder") {
    TempDir tmp;
    std::string missing = (tmp / "no-such-index").string();
    check_one_line_error(search({missing, "huawei"}), "no-such-index");
  }
  SECTION("a missing file") {
    CorpusIndex index;
    fs::remove(index.file("seg1.post"));
    check_one_line_error(search({index.path(), "huawei"}), "seg1.post");
  }
  SECTION("a truncated file") {
    CorpusIndex index;
    fs::path store = index.file("seg1.store");
    fs::resize_file(store, fs::file_size(store) - 100);
    check_one_line_error(search({index.path(), "huawei"}), "seg1.store");
  }
  SECTION("a newer format version") {
    CorpusIndex index;
    fs::path manifest = index.file("MANIFEST");
    patch_file(manifest, fs::file_size(manifest) - 16, std::string("\x09\x00\x00\x00", 4));
    check_one_line_error(search({index.path(), "huawei"}), "MANIFEST");
    check_one_line_error(search({index.path(), "--verify"}), "MANIFEST");
  }
  SECTION("a damaged index in pipe mode") {
    CorpusIndex index;
    fs::remove(index.file("seg1.terms"));
    check_one_line_error(search({index.path()}, "huawei\n"), "seg1.terms");
  }
}

TEST_CASE("search: --plain --format trec writes run lines for natural-language queries",
          "[search_cli]") {
  CorpusIndex index;
  TempDir tmp;
  // Sentences full of what the query language would call syntax.
  std::string queries =
      "q1\tWhat is (the) \"valuation\" of Zhipu AI? -- AND NOT: +huawei*\n"
      "q2\tWhich chips does Huawei's Ascend (910C) offer?\n";
  scry::test::write_file(tmp / "queries.tsv", queries);
  for (bool from_file : {false, true}) {
    auto r = from_file
                 ? search({index.path(), "--plain", "--format", "trec", "-k", "1000", "--queries",
                           (tmp / "queries.tsv").string()})
                 : search({index.path(), "--plain", "--format", "trec", "-k", "1000"}, queries);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    std::map<std::string, std::vector<std::pair<int, double>>> by_query;
    for (const std::string& line : lines_of(r.out)) {
      INFO(line);
      auto f = split(line, ' ');
      REQUIRE(f.size() == 6);  // qid Q0 docid rank score tag
      CHECK(f[1] == "Q0");
      CHECK(f[5] == "scry");
      by_query[f[0]].emplace_back(std::stoi(f[3]), std::stod(f[4]));
    }
    REQUIRE(by_query.size() == 2);
    for (const auto& [qid, hits] : by_query) {
      for (size_t i = 0; i < hits.size(); ++i) {
        CHECK(hits[i].first == static_cast<int>(i + 1));
        if (i > 0) CHECK(hits[i].second <= hits[i - 1].second);
      }
    }
    // Without --plain the first line is a syntax error.
    auto strict = search({index.path(), "--format", "trec"}, queries);
    CHECK(strict.exit_code == 2);
  }
  // A missing queries file is a one-line error naming it.
  auto missing = search({index.path(), "--queries", (tmp / "nope.tsv").string()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.tsv") != std::string::npos);
}

namespace {

// Indexes `jsonl` with `index_args` into tmp/idx; returns the index path.
std::string index_jsonl(const TempDir& tmp, const std::string& jsonl,
                        std::vector<std::string> index_args) {
  scry::test::write_file(tmp / "docs.jsonl", jsonl);
  std::string path = (tmp / "idx").string();
  index_args.insert(index_args.begin(), {scry::test::program("scry-index"), "-q"});
  index_args.insert(index_args.end(), {(tmp / "docs.jsonl").string(), "-o", path});
  auto r = run(index_args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return path;
}

// The ids of the hits of `query`, best first (TSV output).
std::vector<std::string> hit_ids(const std::string& index, const std::string& query,
                                 std::vector<std::string> args = {}) {
  args.insert(args.begin(), {index, "--format", "tsv", "--no-snippets"});
  args.push_back(query);
  auto r = search(args);
  INFO(r.err);
  REQUIRE(r.exit_code <= 1);
  std::vector<std::string> ids;
  for (const std::string& line : lines_of(r.out)) ids.push_back(split(line, '\t').at(2));
  return ids;
}

}  // namespace

TEST_CASE("search: with a stop list, phrases keep the stop words' places", "[search_cli]") {
  TempDir tmp;
  const std::string index = index_jsonl(tmp,
                                        R"({"id": "of", "body": "the united states of america"})"
                                        "\n"
                                        R"({"id": "in", "body": "united states in america"})"
                                        "\n"
                                        R"({"id": "none", "body": "united states america"})"
                                        "\n"
                                        R"({"id": "two", "body": "united states of the america"})"
                                        "\n",
                                        {"--stopwords", "lucene"});
  std::vector<std::string> both = hit_ids(index, "\"united states of america\"");
  std::sort(both.begin(), both.end());
  CHECK(both == std::vector<std::string>{"in", "of"});
  CHECK(hit_ids(index, "\"united states america\"") == std::vector<std::string>{"none"});
  // A query of stop words only matches nothing; a required stop word is left out.
  auto r = search({index, "the of"});
  CHECK(r.exit_code == 1);
  CHECK(hit_ids(index, "+the +america").size() == 4);
  // Prefixes are matched against indexed terms, not the stop list.
  CHECK(hit_ids(index, "a*").size() == 4);
  auto stats = run({scry::test::program("scry-index"), "-q", "--stopwords", "klingon",
                    (tmp / "docs.jsonl").string(), "-o", index});
  CHECK(stats.exit_code == 2);
  CHECK(stats.err.find("--stopwords") != std::string::npos);
  CHECK(hit_ids(index, "america").size() == 4);  // The index is intact.
}

TEST_CASE("search: --title-weight adds title matches' BM25", "[search_cli]") {
  TempDir tmp;
  const std::string index =
      index_jsonl(tmp,
                  R"({"id": "title", "title": "zebra", "body": "x x x x x x x x"})"
                  "\n"
                  R"({"id": "body", "title": "", "body": "zebra zebra"})"
                  "\n",
                  {});
  CHECK(hit_ids(index, "zebra", {"--title-weight", "0"}) ==
        std::vector<std::string>{"body", "title"});
  CHECK(hit_ids(index, "zebra", {"--title-weight", "2"}) ==
        std::vector<std::string>{"title", "body"});
  // The default weight, 0.5, is enough here too.
  CHECK(hit_ids(index, "zebra") == std::vector<std::string>{"title", "body"});
  CHECK(hit_ids(index, "zebra", {"--title-weight", "2", "--plain"}) ==
        std::vector<std::string>{"title", "body"});
  auto base = json_hits(index, "zebra", {"--explain", "--title-weight", "0"});
  auto weighted = json_hits(index, "zebra", {"--explain", "--title-weight", "2"});
  REQUIRE(base.size() == 2);
  REQUIRE(weighted.size() == 2);
  CHECK(weighted[0].explain_sum == Approx(weighted[0].score).margin(1e-3));
  CHECK(weighted[0].score > base[1].score);
  // The body-only hit scores the same either way.
  CHECK(weighted[1].score == Approx(base[0].score));
  CHECK(search({index, "--title-weight", "-1", "zebra"}).exit_code == 2);
}

TEST_CASE("search: hostile queries are answered or refused with one clear error", "[search_cli]") {
  CorpusIndex index;
  std::string many;  // 10,000 distinct words, about 100 KB.
  for (int i = 0; i < 10000; ++i) many += "w" + std::to_string(i) + "x ";
  for (const std::vector<std::string>& mode :
       {std::vector<std::string>{}, std::vector<std::string>{"--plain"}}) {
    std::vector<std::string> args = {index.path(), many, "--no-snippets"};
    args.insert(args.end(), mode.begin(), mode.end());
    auto refused = search(args);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("too many terms (limit 1024)") != std::string::npos);
    CHECK(refused.out.empty());
    args.insert(args.end(), {"--max-terms", "20000"});
    auto answered = search(args);
    INFO(answered.err);
    CHECK(answered.exit_code == 1);  // No document has those words.
  }
  // A word repeated 10,000 times is one distinct term in a plain query.
  std::string repeated;
  for (int i = 0; i < 10000; ++i) repeated += "huawei ";
  CHECK(search({index.path(), repeated, "--plain", "--no-snippets"}).exit_code == 0);

  std::string nested = std::string(10000, '(') + "huawei" + std::string(10000, ')');
  auto deep = search({index.path(), nested});
  CHECK(deep.exit_code == 2);
  CHECK(deep.err.find("query nested too deeply (limit 64)") != std::string::npos);
  auto shallow = search({index.path(), "((huawei))", "--max-depth", "1"});
  CHECK(shallow.exit_code == 2);
  CHECK(shallow.err.find("(limit 1)") != std::string::npos);
  CHECK(search({index.path(), "((huawei))", "--max-depth", "2", "--no-snippets"}).exit_code == 0);

  std::string phrase = "\"";
  for (int i = 0; i < 1000; ++i) phrase += (i % 2 ? "huawei " : "ascend ");
  phrase += "\"";
  CHECK(search({index.path(), phrase, "--no-snippets"}).exit_code == 1);
  // A prefix matching a great many terms is cut to the 128 most frequent.
  CHECK(search({index.path(), "a*", "--no-snippets", "--count"}).exit_code == 0);
  CHECK(search({index.path(), "--max-terms", "0", "x"}).exit_code == 2);

  // Bytes that are not UTF-8 (here "café" in Latin-1) are an error at the
  // first of them, in either syntax; a batch reports the line and goes on.
  for (const std::vector<std::string>& mode :
       {std::vector<std::string>{}, std::vector<std::string>{"--plain"}}) {
    std::vector<std::string> args = {index.path(), "huawei caf\xE9 ascend"};
    args.insert(args.end(), mode.begin(), mode.end());
    auto latin1 = search(args);
    INFO(latin1.err);
    CHECK(latin1.exit_code == 2);
    CHECK(latin1.out.empty());
    CHECK(lines_of(latin1.err).at(0) == "scry-search: error: query:11: invalid UTF-8");
  }
  auto batch = search({index.path(), "--format", "json", "--no-snippets", "-k", "1"},
                      "huawei\n\xC3(\nascend\n");
  INFO(batch.err);
  CHECK(batch.exit_code == 2);
  CHECK(batch.out.find("{\"query\":\"2\",\"error\":\"invalid UTF-8\",\"column\":1}") !=
        std::string::npos);
  CHECK(batch.err.find("line 2: query:1: invalid UTF-8") != std::string::npos);
  CHECK(lines_of(batch.out).size() == 3);
}

namespace {

// An index of testlib's random_words_jsonl (with titles): every one-letter
// prefix has far more than 128 expansions.
class WordsIndex {
 public:
  explicit WordsIndex(int docs) : path_((tmp_ / "idx").string()) {
    scry::test::write_file(tmp_ / "docs.jsonl", scry::test::random_words_jsonl(docs, true));
    auto r =
        run({scry::test::program("scry-index"), "-q", (tmp_ / "docs.jsonl").string(), "-o", path_});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  const std::string& path() const { return path_; }

 private:
  TempDir tmp_;
  std::string path_;
};

// `text` repeated `times` times.
std::string repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("search: repeated prefixes are merged and expansion is bounded", "[search_cli]") {
  WordsIndex index(5000);
  // Nine one-letter prefixes, 100 times: 900 terms, under --max-terms, but
  // 9 x 128 expansions: refused at once (it ran for minutes before).
  auto start = std::chrono::steady_clock::now();
  auto refused = search({index.path(), repeat("a* b* c* d* e* s* t* m* p* ", 100), "--count"});
  const double refused_s = seconds_since(start);
  INFO(refused.err);
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("query:25: prefixes expand to too many terms (limit 1024)") !=
        std::string::npos);
  CHECK(refused.err.size() < 400);  // An excerpt of the query, not all of it.
  CHECK(refused_s < 10);
  // Eight fit (1,024 terms): answered; a prefix repeated 100 times is
  // expanded once.
  for (const std::string& query :
       {repeat("a* b* c* d* e* s* t* m* ", 100), repeat("s* ", 100), repeat("s* oil ", 100)}) {
    start = std::chrono::steady_clock::now();
    auto answered = search({index.path(), query, "--count"});
    const double answered_s = seconds_since(start);
    INFO(answered.err);
    CHECK(answered.exit_code == 0);
    CHECK(answered_s < 10);
    std::printf("search_cli: %zu-byte query answered in %.3f s (refused 900 prefixes in %.3f s)\n",
                query.size(), answered_s, refused_s);
  }
}

TEST_CASE("search: --timeout stops a query with an error, the batch goes on", "[search_cli]") {
  WordsIndex index(20000);
  // 1,024 expansions (and their title leaves), every match counted: tens of
  // milliseconds at least, far past 1 ms.
  const std::string slow = repeat("a* b* c* d* e* s* t* m* ", 1);
  auto stopped = search({index.path(), slow, "--count", "--timeout", "1"});
  INFO(stopped.err);
  CHECK(stopped.exit_code == 2);
  CHECK(stopped.err ==
        "scry-search: error: query timed out after 1 ms (--timeout MS sets the limit; 0: none)\n");
  CHECK(search({index.path(), slow, "--count", "--timeout", "0"}).exit_code == 0);
  CHECK(search({index.path(), slow, "--count"}).exit_code == 0);  // Default: 10 s.
  auto batch = search({index.path(), "--count", "--timeout", "1"},
                      "x\t" + slow + "\ny\tnosuchwordanywhere\n");
  CHECK(batch.exit_code == 2);
  CHECK(batch.err.find("line 1: query timed out after 1 ms") != std::string::npos);
  // The next query still ran (answered, or, on a very slow machine, timed
  // out itself).
  CHECK((batch.out == "y\t0\n" ||
         batch.err.find("line 2: query timed out after 1 ms") != std::string::npos));
  CHECK(search({index.path(), "x", "--timeout", "-1"}).exit_code == 2);
}

TEST_CASE("search: --max-depth is capped where no query can crash", "[search_cli]") {
  CorpusIndex index;
  auto nested = [](size_t depth) {
    return std::string(depth, '(') + "huawei" + std::string(depth, ')');
  };
  auto capped = search({index.path(), nested(5000), "--max-depth", "1000000000"});
  CHECK(capped.exit_code == 2);
  CHECK(capped.err.find("--max-depth: at most 256") != std::string::npos);
  CHECK(capped.signal == 0);
  auto deepest = search({index.path(), nested(256), "--max-depth", "256", "--explain"});
  INFO(deepest.err);
  CHECK(deepest.exit_code == 0);
  auto deeper = search({index.path(), nested(257), "--max-depth", "256"});
  CHECK(deeper.exit_code == 2);
  CHECK(deeper.signal == 0);
  CHECK(deeper.err.find("query nested too deeply (limit 256)") != std::string::npos);
}

TEST_CASE("search: hints and wording for what a user meets", "[search_cli]") {
  CorpusIndex index;
  // An unquoted query word taken for an option: a hint.
  auto option = search({index.path(), "huawei", "-ascend"});
  CHECK(option.exit_code == 2);
  CHECK(option.err.find("unrecognised option '-ascend'") != std::string::npos);
  CHECK(option.err.find("quote the query") != std::string::npos);
  CHECK(option.err.find("after --") != std::string::npos);
  CHECK(search({index.path(), "--no-snippets", "--", "huawei", "-nosuchword"}).exit_code == 0);
  CHECK(search({index.path(), "huawei", "--tpo", "3"}).err.find("quote") == std::string::npos);
  // A misspelt option: the nearest one named (within two edits), none when
  // nothing is that near.
  auto typo = search({index.path(), "--fromat", "tsv", "huawei"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("unrecognised option '--fromat': did you mean --format?") !=
        std::string::npos);
  CHECK(search({index.path(), "--tpo", "3", "glm"}).err.find("did you mean --top?") !=
        std::string::npos);
  CHECK(search({index.path(), "--zzzzzz", "glm"}).err.find("did you mean") == std::string::npos);
  auto indexer = scry::test::run({scry::test::program("scry-index"), "--threds", "2", "x", "-o",
                                  (fs::temp_directory_path() / "scry-none.idx").string()});
  CHECK(indexer.exit_code == 2);
  CHECK(indexer.err.find("did you mean --threads?") != std::string::npos);
  // A query of stop words only: why it matches nothing.
  auto stop = search({index.path(), "--explain", "to be or not to be"});
  CHECK(stop.exit_code == 1);
  CHECK(stop.err.find("every word is a stop word") != std::string::npos);
  CHECK(search({index.path(), "huawei"}).err.empty());
  // A 10,000-word query is refused with an excerpt around the caret.
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "w" + std::to_string(i) + " ";
  auto refused = search({index.path(), many});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.size() < 300);
  CHECK(refused.err.find("\n...") != std::string::npos);
  CHECK(refused.err.find("^ too many terms (limit 1024)") != std::string::npos);
  // "1 match", not "1 matches".
  auto one = search({index.path(), "\"trillion yuan valuation\"", "--stats", "--no-snippets"});
  CHECK(one.err.find(" 1 match,") != std::string::npos);
}

TEST_CASE("search: Ctrl-C ends a batch with the signal (a shell's 130)", "[search_cli]") {
  CorpusIndex index;
  scry::test::PipedProcess batch({scry::test::program("scry-search"), index.path()});
  batch.send("huawei\n");
  batch.read_until("query 1: huawei");
  ::kill(batch.pid(), SIGINT);
  auto r = batch.finish(std::chrono::seconds(10));
  CHECK_FALSE(r.timed_out);
  CHECK(r.signal == SIGINT);
}
