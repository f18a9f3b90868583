// Tests of NAME.words (format/word_dictionary.h) and of the word table the
// speller reads (spell/word_table.h): a round trip of random words, damage
// reported with the file's name, the words of a build, of an update and
// merge, and of a sharded index equal to those of one fresh build.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>

#include "scry/format/format.h"
#include "scry/format/index_reader.h"
#include "scry/format/word_dictionary.h"
#include "scry/spell/word_table.h"
#include "testlib.h"

using namespace scry;
namespace fs = std::filesystem;
using scry::test::TempDir;

namespace {

std::map<std::string, uint64_t> random_words(uint32_t seed, size_t n) {
  std::mt19937 rng(seed);
  std::map<std::string, uint64_t> words;
  const std::string letters = "abcdeéfghijklmnopqrstuvwxyz";
  while (words.size() < n) {
    std::string w;
    const size_t len = 1 + test::u32(rng) % 12;
    for (size_t i = 0; i < len; ++i) w += letters[test::u32(rng) % letters.size()];
    words[w] += 1 + test::u32(rng) % (test::u32(rng) % 3 == 0 ? 1000000 : 5);
  }
  return words;
}

void write_words(const fs::path& path, const std::map<std::string, uint64_t>& words) {
  auto out = FileWriter::create(path.string(), kKindWords);
  REQUIRE(out.is_ok());
  WordDictionaryWriter writer(out->get());
  for (const auto& [w, c] : words) writer.add(w, c);
  REQUIRE(writer.finish().is_ok());
}

std::map<std::string, uint64_t> read_words(const WordDictionaryReader& reader) {
  std::map<std::string, uint64_t> words;
  auto it = reader.begin();
  while (it.next()) words[std::string(it.word())] = it.count();
  INFO(it.status().message());
  REQUIRE(it.status().is_ok());
  return words;
}

std::map<std::string, uint64_t> table_words(const WordTable& table) {
  std::map<std::string, uint64_t> words;
  for (size_t i = 0; i < table.size(); ++i) words[std::string(table.word(i))] = table.count(i);
  return words;
}

std::map<std::string, uint64_t> index_words(const fs::path& dir) {
  auto index = IndexReader::open(dir.string());
  INFO(index.status().message());
  REQUIRE(index.is_ok());
  REQUIRE((*index)->verify().is_ok());
  auto table = WordTable::load(**index);
  INFO(table.status().message());
  REQUIRE(table.is_ok());
  return table_words(**table);
}

void run_ok(const std::vector<std::string>& argv) {
  auto r = test::run(argv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("word dictionary: random words round trip", "[spell]") {
  TempDir tmp;
  for (size_t n :
       {size_t{0}, size_t{1}, size_t{kWordsPerBlock}, size_t{kWordsPerBlock + 1}, size_t{5000}}) {
    INFO(n);
    const auto words = random_words(static_cast<uint32_t>(n) + 7, n);
    const fs::path path = tmp / ("w" + std::to_string(n) + ".words");
    write_words(path, words);
    auto file = MappedFile::open(path.string(), kKindWords);
    REQUIRE(file.is_ok());
    auto reader = WordDictionaryReader::open(**file);
    REQUIRE(reader.is_ok());
    CHECK(reader->word_count() == n);
    uint64_t total = 0;
    for (const auto& [w, c] : words) total += c;
    CHECK(reader->total_count() == total);
    CHECK(reader->verify().is_ok());
    CHECK(read_words(*reader) == words);
  }
}

TEST_CASE("word dictionary: damage is reported with the file's name", "[spell]") {
  TempDir tmp;
  const auto words = random_words(3, 500);
  const fs::path path = tmp / "seg1.words";
  write_words(path, words);
  const std::string good = test::read_file(path);
  std::mt19937 rng(11);
  int reported = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::string bad = good;
    // A content byte (not the footer's), changed; the checksum is then
    // wrong, and opening or reading it either fails naming the file or
    // reads words that the footer's checksum refutes.
    const size_t at = test::u32(rng) % (bad.size() - kFooterSize);
    bad[at] = static_cast<char>(static_cast<uint32_t>(bad[at]) ^ (1 + test::u32(rng) % 255));
    test::write_file(path, bad);
    auto file = MappedFile::open(path.string(), kKindWords);
    REQUIRE(file.is_ok());
    CHECK_FALSE((*file)->verify().is_ok());
    auto reader = WordDictionaryReader::open(**file);
    Status status = reader.status();
    if (reader) status = reader->verify();
    if (!status.is_ok()) {
      ++reported;
      CHECK(status.code() == Status::Code::kCorruption);
      CHECK(status.message().find(path.string()) != std::string::npos);
    }
  }
  CHECK(reported > 50);  // Much of the damage is seen by the reader itself.
}

TEST_CASE("word dictionary: a build keeps surface words, not stems or stop words", "[spell]") {
  TempDir tmp;
  test::write_file(tmp / "in.jsonl",
                   "{\"id\":\"a\",\"title\":\"Running Dogs\",\"body\":\"The dogs were running; "
                   "don't stop. GLM-4.7 智谱 running\"}\n");
  run_ok({test::program("scry-index"), "-q", "--stopwords", "lucene", (tmp / "in.jsonl").string(),
          "-o", (tmp / "idx").string()});
  const auto words = index_words(tmp / "idx");
  const std::map<std::string, uint64_t> want = {
      {"dogs", 2}, {"dont", 1}, {"glm", 1}, {"running", 3}, {"stop", 1}, {"the", 1}, {"were", 1}};
  CHECK(words == want);
}

TEST_CASE("word dictionary: update, merge and shards give the words of one build", "[spell]") {
  TempDir tmp;
  const std::string index = test::program("scry-index");
  test::write_file(tmp / "a.jsonl", test::random_words_jsonl(300, true));
  test::write_file(tmp / "b.jsonl", test::word_corpus_jsonl("b", 200, 40, 5, false));
  // Reference: one build of both files.
  run_ok({index, "-q", (tmp / "a.jsonl").string(), (tmp / "b.jsonl").string(), "-o",
          (tmp / "one").string()});
  const auto want = index_words(tmp / "one");
  REQUIRE(want.size() > 1000);

  SECTION("update then merge") {
    // b.jsonl first with other contents, then the real one: its first
    // version's documents are deleted, and the merge takes their words out.
    test::write_file(tmp / "b2.jsonl", test::word_corpus_jsonl("b", 200, 40, 9, false));
    fs::copy_file(tmp / "b2.jsonl", tmp / "bx.jsonl");
    run_ok({index, "-q", (tmp / "a.jsonl").string(), (tmp / "bx.jsonl").string(), "-o",
            (tmp / "up").string()});
    fs::copy_file(tmp / "b.jsonl", tmp / "bx.jsonl", fs::copy_options::overwrite_existing);
    run_ok({index, "-q", "--update", (tmp / "a.jsonl").string(), (tmp / "bx.jsonl").string(), "-o",
            (tmp / "up").string()});
    auto opened = IndexReader::open((tmp / "up").string());
    REQUIRE(opened.is_ok());
    // Before a merge the deleted documents' words still count.
    if ((*opened)->segments().size() > 1) CHECK(index_words(tmp / "up") != want);
    opened->reset();
    run_ok({index, "-q", "--merge", "-o", (tmp / "up").string()});
    CHECK(index_words(tmp / "up") == want);
  }
  SECTION("shards") {
    run_ok({index, "-q", "--shards", "3", (tmp / "a.jsonl").string(), (tmp / "b.jsonl").string(),
            "-o", (tmp / "sharded").string()});
    CHECK(index_words(tmp / "sharded") == want);
  }
}

TEST_CASE("word table: an index without word dictionaries opens, suggestions say why not",
          "[spell]") {
  auto index = IndexReader::open((test::source_dir() / "tests/data/golden/index-v3").string());
  REQUIRE(index.is_ok());
  auto table = WordTable::load(**index);
  REQUIRE_FALSE(table.is_ok());
  CHECK(table.status().code() == Status::Code::kNotSupported);
  CHECK(table.status().message().find("suggestions unavailable: segment seg1 has no word "
                                      "dictionary") == 0);
}
