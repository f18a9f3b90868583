// English stop word lists: words too common to help ranking, which the
// analyzer can leave out of the index (AnalyzerConfig::stop_words). A word
// left out still takes its position, so phrases keep their shape ("united
// states of america" still needs exactly one word between "states" and
// "america"), as with Lucene's StopFilter.
//
// The lists hold terms as the analyzer produces them before stemming:
// case-folded, apostrophes removed ("don't" -> "dont") and a possessive "'s"
// dropped ("it's" -> "it"). See docs/ANALYSIS.md, "Stop words".
//
// Thread safety: pure functions over constant tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace scry {

enum class StopWords : uint8_t {
  kNone,      // Every word is indexed.
  kLucene,    // Lucene's EnglishAnalyzer set (33 words: a, an, and, ... with).
  kSnowball,  // Snowball's English stop list (151 words), used by Xapian.
};

// "none", "lucene" or "snowball": the name used on the command line and in
// the manifest.
std::string_view stop_words_name(StopWords list);

// The list of that name, or nothing when the name is unknown.
std::optional<StopWords> parse_stop_words(std::string_view name);

// The analyzer version (AnalyzerConfig::version) from which the Snowball
// list leaves out the contractions that, without their apostrophes, are
// words: he'll, she'll, we'll, i'll, i'd, she'd, we'd, won't, can't (hell,
// shell, well, ill, id, shed, wed, wont, cant). Version 1's list held them,
// so its indexes never hold those words; they are still read with it.
inline constexpr uint32_t kSnowballKeepsWordsFrom = 2;

// Whether `term` (normalised, not stemmed) is in `list` as analyzer version
// `analyzer_version` has it.
bool is_stop_word(StopWords list, std::string_view term, uint32_t analyzer_version);

}  // namespace scry
