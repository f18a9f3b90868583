// make_snippet_at (snippets from the index's positions and a part of the
// text) against make_snippet (the whole text analyzed) on random texts,
// queries, windows and checkpoint sets (fixed seeds): the same snippet; and
// so does snippets::snippet_at with buffers kept from one call to the next.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scry/snippet/snippet.h"
#include "snippet/passage.h"
#include "testlib.h"

namespace scry {
namespace {

// Words with the analyzer's hard cases and stop words (Snowball's "the",
// "of", "is", "and", "a"), a term too long to index, and separators with
// sentence ends, blank lines, control characters and an invalid byte.
const std::vector<std::string> kVocabulary = {"alpha",   "beta",
                                              "gamma",   "delta",
                                              "omega",   "running",
                                              "runs",    "资本",
                                              "市场",    "资本市场",
                                              "智谱AI",  "GLM-4.7",
                                              "Z.ai",    "China\xE2\x80\x99s",
                                              "U.S.",    "4,000",
                                              "Ünïcödé", "the",
                                              "of",      "is",
                                              "and",     "a",
                                              "The",     std::string(70, 'x')};
const std::vector<std::string> kSeparators = {" ",
                                              " ",
                                              " ",
                                              " ",
                                              " ",
                                              ", ",
                                              ". ",
                                              "! ",
                                              "? ",
                                              "\n",
                                              "\n\n",
                                              "\t",
                                              "。",
                                              " \xE2\x80\x94 ",
                                              "\x01",
                                              "\xFF",
                                              "  ",
                                              "\xE2\x80\x9C",
                                              "\xE2\x80\x9D ",
                                              "-",
                                              "'"};

template <typename T>
const T& pick(std::mt19937* rng, const std::vector<T>& from) {
  return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(*rng)];
}

std::string random_text(std::mt19937* rng) {
  const size_t words = std::uniform_int_distribution<size_t>(0, 400)(*rng);
  std::string text;
  for (size_t i = 0; i < words; ++i) {
    if (i > 0 || test::u32(*rng) % 2 == 0) text += pick(rng, kSeparators);
    text += pick(rng, kVocabulary);
  }
  return text;
}

// Every token of `text`, stop words included.
struct Word {
  std::string term;
  uint32_t position, start;
  bool stop_word;
};
std::vector<Word> words_of(Analyzer* analyzer, std::string_view text) {
  std::vector<Word> words;
  analyzer->analyze_words(text, [&](const Token& t) {
    words.push_back({std::string(t.term), t.position, t.start, t.stop_word});
  });
  return words;
}

// Terms of the text and of the vocabulary, and phrases cut out of the text
// (their stop words left out, leaving gaps, as the planner does), with
// random weights.
SnippetQuery random_query(std::mt19937* rng, Analyzer* analyzer, const std::vector<Word>& words) {
  SnippetQuery query;
  const auto weight = [&] { return std::uniform_real_distribution<double>(0.1, 8)(*rng); };
  const size_t count = std::uniform_int_distribution<size_t>(1, 4)(*rng);
  for (size_t i = 0; i < count; ++i) {
    const uint32_t kind = test::u32(*rng) % 3;
    if (kind == 0 || words.empty()) {
      for (const std::string& term : analyzer->terms(pick(rng, kVocabulary))) {
        query.terms.push_back({term, weight()});
      }
    } else if (kind == 1) {
      const Word& word = pick(rng, words);
      if (!word.stop_word) query.terms.push_back({word.term, weight()});
    } else {
      const size_t first = std::uniform_int_distribution<size_t>(0, words.size() - 1)(*rng);
      const size_t span = std::uniform_int_distribution<size_t>(2, 5)(*rng);
      SnippetQuery::Phrase phrase{{}, weight(), {}};
      for (size_t k = first; k < std::min(words.size(), first + span); ++k) {
        if (words[k].stop_word) continue;
        phrase.terms.push_back(words[k].term);
        phrase.offsets.push_back(words[k].position);
      }
      if (phrase.terms.empty()) continue;
      const uint32_t origin = phrase.offsets.front();
      for (uint32_t& offset : phrase.offsets) offset -= origin;
      query.phrases.push_back(std::move(phrase));
    }
  }
  return query;
}

// Checkpoints by the builder's rule with the given spacing (a token that
// starts the text or follows an ASCII blank), or every such token when
// `spacing` is 0, or a random subset of them when it is 1.
std::vector<TextCheckpoint> checkpoints_of(std::mt19937* rng, std::string_view text,
                                           const std::vector<Word>& words, uint32_t spacing) {
  std::vector<TextCheckpoint> checkpoints;
  uint32_t next = 0;
  for (const Word& w : words) {
    if (w.stop_word || w.position < next) continue;
    const char before = w.start == 0 ? ' ' : text[w.start - 1];
    if (before != ' ' && before != '\t' && before != '\n' && before != '\r') continue;
    if (spacing == 1 && test::u32(*rng) % 4 != 0) continue;
    checkpoints.push_back({w.position, w.start});
    next = w.position + std::max<uint32_t>(spacing, 1);
  }
  return checkpoints;
}

TEST_CASE("make_snippet_at makes make_snippet's snippet from positions and a part of the text",
          "[snippet]") {
  std::mt19937 rng(20261206);
  Analyzer plain(AnalyzerConfig{.stem = true});
  Analyzer stopped(AnalyzerConfig{.stem = true, .stop_words = StopWords::kSnowball});
  const std::vector<size_t> windows = {1, 2, 5, 10, 30};
  const std::vector<uint32_t> spacings = {0, 1, 4, 32, 1000};
  size_t partial_reads = 0;
  size_t with_highlights = 0;
  // Kept across iterations, as HitSnippets keeps them across hits.
  snippets::SnippetAtBuffers buffers;
  for (int iteration = 0; iteration < 4000; ++iteration) {
    Analyzer* analyzer = iteration % 3 == 0 ? &plain : &stopped;
    const std::string text = random_text(&rng);
    const std::vector<Word> words = words_of(analyzer, text);
    const SnippetQuery query = random_query(&rng, analyzer, words);
    const size_t window = pick(&rng, windows);
    TextLayout layout;
    layout.has_checkpoints = true;
    layout.body_bytes = static_cast<uint32_t>(text.size());
    layout.checkpoints = checkpoints_of(&rng, text, words, pick(&rng, spacings));

    std::map<std::string, std::vector<uint32_t>, std::less<>> positions;
    analyzer->analyze(
        text, [&](const Token& t) { positions[std::string(t.term)].push_back(t.position); });
    const auto positions_of = [&](std::string_view term, std::vector<uint32_t>* out) {
      const auto it = positions.find(term);
      out->clear();
      if (it != positions.end()) *out = it->second;
      return Status::ok();
    };
    size_t reads = 0;
    uint32_t read_bytes = 0;
    const auto read = [&](const TextLayout&, uint32_t begin, uint32_t end, std::string* out) {
      ++reads;
      REQUIRE(begin <= end);
      REQUIRE(end <= text.size());
      read_bytes = end - begin;
      out->assign(text, begin, end - begin);
      return Status::ok();
    };

    INFO("iteration " << iteration << ", window " << window << ", text: " << text);
    const Snippet expected = make_snippet(analyzer, text, query, window);
    auto got = make_snippet_at(analyzer, layout, query, window, positions_of, read);
    REQUIRE(got.is_ok());
    CHECK(got->text == expected.text);
    CHECK(got->highlights == expected.highlights);
    CHECK(reads == 1);
    auto reused = snippets::snippet_at(
        analyzer,
        [&](uint64_t, TextLayout* out) {
          *out = layout;
          return Status::ok();
        },
        snippets::QueryIndex(query), window, positions_of, read, &buffers);
    REQUIRE(reused.is_ok());
    CHECK(reused->text == expected.text);
    CHECK(reused->highlights == expected.highlights);
    partial_reads += read_bytes < text.size();
    with_highlights += !expected.highlights.empty();
  }
  // The checkpoints really leave parts of the texts unread, and the queries
  // really match.
  CHECK(partial_reads > 1000);
  CHECK(with_highlights > 2000);
}

TEST_CASE("make_snippet_at reports checkpoints out of the text's bounds", "[snippet]") {
  Analyzer analyzer(AnalyzerConfig{});
  std::string text;
  for (int i = 0; i < 50; ++i) text += "w" + std::to_string(i) + " ";
  TextLayout layout;
  layout.has_checkpoints = true;
  layout.body_bytes = static_cast<uint32_t>(text.size());
  layout.checkpoints = {{0, 0}, {30, 9999}};  // An offset past the text's end.
  const SnippetQuery query{{{"w40", 1.0}}, {}};
  const auto positions = [](std::string_view, std::vector<uint32_t>* out) {
    *out = {40};
    return Status::ok();
  };
  const auto read = [&](const TextLayout&, uint32_t begin, uint32_t end, std::string* out) {
    out->assign(text, begin, end - begin);
    return Status::ok();
  };
  auto bad = make_snippet_at(&analyzer, layout, query, 1, positions, read);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().code() == Status::Code::kCorruption);
  layout.checkpoints = {{0, 0}, {30, 110}};  // Where "w30" starts.
  auto good = make_snippet_at(&analyzer, layout, query, 1, positions, read);
  REQUIRE(good.is_ok());
  CHECK(good->text == make_snippet(&analyzer, text, query, 1).text);
}

}  // namespace
}  // namespace scry
