// The analyzer's cache of words (text/word_cache.h) against slow
// references: a map for the table itself, and for the analyzer the stop
// list, the Snowball stemmer and xxh3 called for every token.
#include <libstemmer.h>
#include <xxhash.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "index/word_counter.h"
#include "scry/format/format.h"
#include "scry/format/word_dictionary.h"
#include "scry/text/analyzer.h"
#include "scry/text/stop_words.h"
#include "scry/util/file.h"
#include "testlib.h"
#include "text/word_cache.h"
#include "util/thread_pool.h"

namespace scry {
namespace {

std::string random_word(std::mt19937& rng, size_t min_len, size_t max_len) {
  std::uniform_int_distribution<size_t> len(min_len, max_len);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::string word(len(rng), 'a');
  for (char& c : word) c = static_cast<char>(letter(rng));
  return word;
}

uint64_t xxh3(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

TEST_CASE("WordCache finds what was added and loses no count across clears") {
  for (size_t max_words : {size_t{1}, size_t{100}, WordCache::kDefaultMaxWords}) {
    std::mt19937 rng(static_cast<uint32_t>(max_words));
    std::vector<std::string> vocabulary;
    // Short and long words: inline in their cells and in the arena.
    for (int i = 0; i < 3000; ++i) vocabulary.push_back(random_word(rng, 1, i % 2 ? 12 : 60));
    WordCache table(max_words);
    std::map<std::string, uint64_t, std::less<>> counted;   // Reference: every count.
    std::map<std::string, uint64_t, std::less<>> received;  // What the counter was given.
    table.set_counter([&](std::string_view word, uint64_t count) {
      CHECK(count > 0);
      received[std::string(word)] += count;
    });
    // The term of a word in this test: its reverse, or a stop word's (first
    // letter 'q') itself.
    std::uniform_int_distribution<size_t> pick(0, vocabulary.size() - 1);
    size_t hits = 0;
    for (int n = 0; n < 50000; ++n) {
      const std::string& word = vocabulary[pick(rng)];
      const bool stop = word[0] == 'q';
      const std::string term = stop ? word : std::string(word.rbegin(), word.rend());
      const uint64_t hash = WordCache::word_hash(word);
      REQUIRE(hash == xxh3(word));
      WordCache::Cell* c = table.find(word, hash);
      if (c != nullptr) {
        ++hits;
      } else {
        c = table.add(word, hash, stop, term);
        REQUIRE(table.find(word, hash) == c);
      }
      REQUIRE(table.size() <= max_words);
      REQUIRE(table.word_of(*c) == word);
      REQUIRE(table.term_of(*c) == term);
      REQUIRE(c->stop == stop);
      REQUIRE(c->term_hash == xxh3(term));
      table.count(c);
      ++counted[word];
    }
    table.drain();
    CHECK(received == counted);
    CHECK((max_words == 1 || hits > 1000));
    // Counts given are not given again.
    received.clear();
    table.drain();
    CHECK(received.empty());
  }
}

TEST_CASE("WordCache keeps the words found again when full, and forgets the others") {
  WordCache table(4);
  std::map<std::string, uint64_t, std::less<>> received;
  table.set_counter(
      [&](std::string_view word, uint64_t count) { received[std::string(word)] += count; });
  for (std::string_view w : {"a", "b", "c", "d"}) table.count(table.add(w, xxh3(w), false, w));
  REQUIRE(table.find("a", xxh3("a")) != nullptr);  // Found again: kept.
  table.count(table.add("e", xxh3("e"), false, "e"));
  CHECK(table.size() == 2);
  CHECK(table.find("a", xxh3("a")) != nullptr);
  CHECK(table.find("e", xxh3("e")) != nullptr);
  for (std::string_view w : {"b", "c", "d"}) CHECK(table.find(w, xxh3(w)) == nullptr);
  // The forgotten words' counts were given; the kept ones' wait for a drain.
  CHECK(received == std::map<std::string, uint64_t, std::less<>>{{"b", 1}, {"c", 1}, {"d", 1}});
  table.drain();
  CHECK(received.at("a") == 1);
  CHECK(received.at("e") == 1);
}

// Text of random words: made-up ones (many, so that the analyzer's cache
// of words fills and starts over), English ones (stems that differ from
// the word), stop words, capitals, digits, apostrophes and accents.
std::string random_text(std::mt19937& rng, size_t words) {
  const std::vector<std::string> english = {
      "running", "runs",       "The",    "caresses", "ponies", "cats'", "don't", "China's",
      "U.S.",    "generalize", "Café",   "naïve",    "of",     "and",   "this",  "4.7",
      "x2",      "ÉTÉ",        "Straße", "itself",   "ties",   "a",     "I",     "IV"};
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<size_t> pick(0, english.size() - 1);
  std::string text;
  for (size_t i = 0; i < words; ++i) {
    const int k = kind(rng);
    if (k < 5) {
      text += random_word(rng, 3, 14);
    } else if (k < 9) {
      text += english[pick(rng)];
    } else {
      text += random_word(rng, 1, 3) + std::to_string(rng() % 1000);
    }
    text += (k == 3 ? ", " : " ");
  }
  return text;
}

TEST_CASE("Analyzer's cached stems, stop words, hashes and word counts match the slow path") {
  sb_stemmer* stemmer = sb_stemmer_new("english", "UTF_8");
  REQUIRE(stemmer != nullptr);
  const auto stem = [&](std::string_view word) {
    const sb_symbol* s = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
    return std::string(reinterpret_cast<const char*>(s),
                       static_cast<size_t>(sb_stemmer_length(stemmer)));
  };
  for (StopWords list : {StopWords::kSnowball, StopWords::kNone}) {
    for (bool stemming : {true, false}) {
      std::mt19937 rng(list == StopWords::kNone ? 7 : 11);
      Analyzer analyzer({AnalyzerConfig::kCurrentVersion, stemming, list});
      // Hashed: a token's lookup is what this test does most.
      std::unordered_map<std::string, uint64_t> counted;
      std::unordered_map<std::string, uint64_t> received;
      analyzer.count_words(
          [&](std::string_view word, uint64_t count) { received[std::string(word)] += count; });
      size_t tokens = 0, stop_tokens = 0;
      // 300,000 made-up words or so: more than twice what the cache holds
      // (WordCache::kDefaultMaxWords, 2^17).
      for (int round = 0; round < 6; ++round) {
        const std::string text = random_text(rng, 100000);
        uint32_t next_position = 0, last_end = 0;
        const uint32_t positions = analyzer.analyze_words(text, [&](const Token& t) {
          // analyze_words() emits every position, in order, over the text.
          REQUIRE(t.position == next_position++);
          REQUIRE(t.start >= last_end);
          REQUIRE(t.start < t.end);
          last_end = t.end;
          REQUIRE(t.end <= text.size());
          ++tokens;
          if (!t.word.empty()) ++counted[std::string(t.word)];
          REQUIRE(t.term_hash == xxh3(t.term));
          if (t.word.empty()) {
            REQUIRE_FALSE(t.stop_word);  // Digits and CJK: no stop word has them.
            return;
          }
          const bool stop = is_stop_word(list, t.word, AnalyzerConfig::kCurrentVersion);
          REQUIRE(t.stop_word == stop);
          stop_tokens += stop;
          const std::string expected =
              stop || !stemming || t.word.size() < 3 ? std::string(t.word) : stem(t.word);
          REQUIRE(t.term == expected);
        });
        CHECK(positions == next_position);
      }
      analyzer.flush_word_counts();
      CHECK(received == counted);
      CHECK(tokens > 500000);
      CHECK((stop_tokens > 0) == (list != StopWords::kNone));
      // analyze() (queries) counts nothing.
      received.clear();
      analyzer.analyze("running runs", [](const Token&) {});
      analyzer.flush_word_counts();
      CHECK(received.empty());
    }
  }
  sb_stemmer_delete(stemmer);
}

TEST_CASE("analyze_counted emits analyze_words' tokens less the stop words, and counts the same") {
  for (StopWords list : {StopWords::kSnowball, StopWords::kNone}) {
    std::mt19937 rng(list == StopWords::kNone ? 3 : 5);
    const AnalyzerConfig config{AnalyzerConfig::kCurrentVersion, true, list};
    Analyzer words(config), counted(config);
    std::map<std::string, uint64_t, std::less<>> words_counts, counted_counts;
    words.count_words([&](std::string_view w, uint64_t n) { words_counts[std::string(w)] += n; });
    counted.count_words(
        [&](std::string_view w, uint64_t n) { counted_counts[std::string(w)] += n; });
    for (int round = 0; round < 3; ++round) {
      // 150,000 made-up words or so, more than the cache holds: words are
      // forgotten and counted again.
      const std::string text = random_text(rng, 100000);
      // The tokens, their views (valid only during the call) copied apart.
      std::vector<Token> expected, got;
      std::vector<std::string> expected_terms, got_terms;
      const uint32_t positions = words.analyze_words(text, [&](const Token& t) {
        if (t.stop_word) return;
        expected.push_back({{}, t.position, t.start, t.end, t.stop_word, {}, t.term_hash});
        expected_terms.emplace_back(t.term);
      });
      CHECK(counted.analyze_counted(text, [&](const Token& t) {
        got.push_back({{}, t.position, t.start, t.end, t.stop_word, {}, t.term_hash});
        got_terms.emplace_back(t.term);
      }) == positions);
      REQUIRE(got.size() == expected.size());
      for (size_t i = 0; i < got.size(); ++i) {
        REQUIRE(got[i].position == expected[i].position);
        REQUIRE(got[i].start == expected[i].start);
        REQUIRE(got[i].end == expected[i].end);
        REQUIRE_FALSE(got[i].stop_word);
        REQUIRE(got[i].term_hash == expected[i].term_hash);
      }
      CHECK(got_terms == expected_terms);
    }
    words.flush_word_counts();
    counted.flush_word_counts();
    CHECK(counted_counts == words_counts);
    CHECK(words_counts.size() > 1000);
  }
}

TEST_CASE("WordCounter::write sums several counters' words in byte order, as a map does") {
  std::mt19937 rng(5);
  for (size_t counters : {size_t{1}, size_t{2}, size_t{5}}) {
    std::vector<WordCounter> words(counters);
    std::map<std::string, uint64_t, std::less<>> reference;
    for (int n = 0; n < 20000; ++n) {
      const std::string word = random_word(rng, 1, 4);  // Many words in several counters.
      const uint64_t count = 1 + rng() % 3;
      words[rng() % counters].add(word, count);
      reference[word] += count;
    }
    words[0].add("", 7);  // Ignored.
    for (bool with_pool : {false, true}) {
      auto pool = ThreadPool::create(3);
      REQUIRE(pool.is_ok());
      test::TempDir dir;
      const std::string path = (dir.path() / "x.words").string();
      uint64_t distinct = 0, bytes = 0;
      REQUIRE(WordCounter::write(words, with_pool ? pool->get() : nullptr, path, &distinct, &bytes)
                  .is_ok());
      CHECK(distinct == reference.size());
      auto file = MappedFile::open(path, kKindWords);
      REQUIRE(file.is_ok());
      CHECK(bytes == std::filesystem::file_size(path));
      auto reader = WordDictionaryReader::open(**file);
      REQUIRE(reader.is_ok());
      std::map<std::string, uint64_t, std::less<>> read;
      for (auto it = reader->begin(); it.next();) read[std::string(it.word())] = it.count();
      CHECK(read == reference);
    }
  }
}

}  // namespace
}  // namespace scry
