// Analyzer: turns UTF-8 text into the terms that scry indexes and searches.
//
// The same configuration (recorded in the index manifest) is used to index
// documents and to analyze queries, so that both sides agree on every term.
// The rules, decided on the hard cases of the bundled articles, are written
// down in docs/ANALYSIS.md; in short:
//
//   * Invalid UTF-8 bytes are treated as U+FFFD (a separator), never a crash.
//   * A token is a maximal run of letters, combining marks and digits
//     (Unicode categories L*, M*, N*). Inside a run, these joiners keep the
//     run whole ('.', ',' and the apostrophe include their fullwidth forms):
//       - '.' or ',' between two digits: "4.7" -> "4.7", "1,000" -> "1000";
//       - an apostrophe (' or U+2019) between letters: a trailing possessive
//         "'s" is dropped ("China’s" -> "china"), any other apostrophe is
//         removed ("don't" -> "dont");
//     and single letters each followed by '.' form an acronym of at least
//     two letters, the last dot optional: "U.S." and "U.S" -> "us",
//     "e.g." -> "eg" (a possessive "'s" after it is dropped too).
//     Every other character splits: "GLM-4.7" -> "glm" "4.7", "Z.ai" -> "z" "ai",
//     "SWE-bench" -> "swe" "bench", "¥500" -> "500", "$69m" -> "69m".
//   * Each token is NFKC-normalised and case-folded (utf8proc), so "Ａ", "A"
//     and "a" are the same term, and "Straße" -> "strasse".
//   * Han, Hiragana, Katakana and Hangul runs become overlapping bigrams
//     ("资本市场" -> "资本" "本市" "市场"); a lone CJK character is a unigram.
//     A CJK run ends where a non-CJK letter or digit starts, and vice versa
//     ("智谱AI" -> "智谱" "ai").
//   * With stemming on, each token without digits, other than a CJK one,
//     goes through the Snowball English stemmer.
//   * With a stop word list (stop_words.h), a token in the list (checked
//     after normalisation, before stemming) is not emitted but takes its
//     position, so the next token's position shows the gap.
//   * A term longer than kMaxTermBytes after normalisation is dropped (it
//     takes no position).
//
// Positions count tokens from 0 within one call to analyze(), stop words
// included (so without a stop list they count emitted tokens). A
// token's byte offsets [start, end) point into the text passed to analyze()
// and span every source character it consumed, including removed joiners,
// a dropped "'s" and an acronym's final dot ("China’s", "U.S."); a CJK
// bigram spans both characters.
//
// Thread safety: an Analyzer holds a stemmer and a cache of the words it has
// seen (their stems, stop-word flags and hashes); use one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scry/text/stop_words.h"

namespace scry {

// The analyzer's settings. Stored in the manifest; see docs/FORMAT.md.
struct AnalyzerConfig {
  // Bumped whenever a rule above changes the terms produced for some input.
  // Version 2 (2026-12-08): the Snowball stop list keeps the words that
  // contractions become (stop_words.h, kSnowballKeepsWordsFrom). Indexes of
  // any version up to this one are read with their own version's rules.
  static constexpr uint32_t kCurrentVersion = 2;

  uint32_t version = kCurrentVersion;
  bool stem = true;                         // Snowball English stemming.
  StopWords stop_words = StopWords::kNone;  // Words left out of the index.

  bool operator==(const AnalyzerConfig&) const = default;
};

// One token of analyzed text.
struct Token {
  std::string_view term;   // Normalised term; valid until the callback returns.
  uint32_t position;       // Token index within the analyzed text.
  uint32_t start;          // Byte offset of the token's first byte in the text.
  uint32_t end;            // Byte offset one past the token's last byte.
  bool stop_word = false;  // A stop word (only analyze_words() emits them).
  // The token as a word a person typed: normalised, neither stemmed nor
  // dropped as a stop word (docs/SPELLING.md); empty for a CJK token or a
  // token with a digit. Valid until the callback returns.
  std::string_view word;
  // XXH3-64 of term's bytes: the hash the index builder finds terms by,
  // cached with the stem of each word, so that a word seen before costs
  // one lookup for its stop-word flag, stem and hash.
  uint64_t term_hash = 0;
};

// Where a token is in the text: bytes [start, end).
struct TokenSpan {
  uint32_t start;
  uint32_t end;
};

class Analyzer {
 public:
  // The longest term analyze() emits, in bytes.
  static constexpr size_t kMaxTermBytes = 64;

  explicit Analyzer(const AnalyzerConfig& config);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  const AnalyzerConfig& config() const { return config_; }

  // Calls `emit` for every token of `text`, in order. Returns one past the
  // last position taken, stop words included (the number of tokens emitted
  // when there is no stop list).
  // REQUIRES: text.size() < 4 GiB.
  uint32_t analyze(std::string_view text, const std::function<void(const Token&)>& emit);

  // As analyze(), but also calls `emit` for each stop word (its term
  // normalised, not stemmed; stop_word = true), so that every position is
  // seen, with its bytes: what snippets work on.
  uint32_t analyze_words(std::string_view text, const std::function<void(const Token&)>& emit);
  // As analyze(), for an index: while counting words (count_words()),
  // counts them as analyze_words() does, stop words included, though it
  // does not emit those.
  uint32_t analyze_counted(std::string_view text, const std::function<void(const Token&)>& emit);
  // Where analyze_words()'s tokens are, for callers that need no terms,
  // which is much cheaper: (*spans)[p] is the bytes of the token at
  // position p (spans is cleared first). Returns spans->size(). With
  // `max_tokens`, stops once it has that many (it may give a few more: a
  // run of CJK bigrams is emitted whole), the first ones as without it.
  uint32_t token_spans(std::string_view text, std::vector<TokenSpan>* spans,
                       uint32_t max_tokens = UINT32_MAX);

  // Counting words (for the index's words, docs/SPELLING.md): from now on
  // analyze_words() and analyze_counted() count the word of every token
  // analyze_words() emits (Token::word, when not empty, stop words
  // included) and give the counts to `sink` in bulk, sink(word, count), a
  // word possibly several times: some when its cache of words is full, the
  // rest on flush_word_counts(). Flushes the counts of the previous sink
  // first; an empty sink stops counting.
  void count_words(std::function<void(std::string_view word, uint64_t count)> sink);
  // Gives the sink every count it has not been given yet.
  void flush_word_counts();

  // Whether the analysis takes its fast paths (on by default): off, every
  // word goes through the general scan, the reference the tests compare
  // the fast paths with. The tokens are the same either way.
  void use_fast_paths(bool on);

  // Returns the terms analyze(text) would emit, in order (for queries/tests).
  std::vector<std::string> terms(std::string_view text);

  // The terms analyze(text) would emit with their positions.
  struct Term {
    std::string text;
    uint32_t position;
  };
  std::vector<Term> positioned_terms(std::string_view text);

 private:
  struct Impl;
  AnalyzerConfig config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scry
