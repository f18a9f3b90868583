#include "scry/text/stop_words.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace scry {
namespace {

// StopAnalyzer.ENGLISH_STOP_WORDS_SET, the default of Lucene's EnglishAnalyzer.
constexpr auto kLucene = std::to_array<std::string_view>({
    "a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
    "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
    "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with",
});

// snowballstem.org's English stop list (algorithms/english/stop.txt), with
// the analyzer's apostrophe rules applied: "don't" -> "dont", "it's" -> "it"
// (already listed). Left out: "let's" and, from analyzer version 2, the
// contractions that would make words stop words ("she'll" -> "shell",
// kVersion1Only).
constexpr auto kSnowball = std::to_array<std::string_view>({
    "a",       "about",     "above",  "after",      "again",    "against",    "all",     "am",
    "an",      "and",       "any",    "are",        "arent",    "as",         "at",      "be",
    "because", "been",      "before", "being",      "below",    "between",    "both",    "but",
    "by",      "cannot",    "could",  "couldnt",    "did",      "didnt",      "do",      "does",
    "doesnt",  "doing",     "dont",   "down",       "during",   "each",       "few",     "for",
    "from",    "further",   "had",    "hadnt",      "has",      "hasnt",      "have",    "havent",
    "having",  "he",        "hed",    "her",        "here",     "hers",       "herself", "him",
    "himself", "his",       "how",    "i",          "if",       "im",         "in",      "into",
    "is",      "isnt",      "it",     "its",        "itself",   "ive",        "me",      "more",
    "most",    "mustnt",    "my",     "myself",     "no",       "nor",        "not",     "of",
    "off",     "on",        "once",   "only",       "or",       "other",      "ought",   "our",
    "ours",    "ourselves", "out",    "over",       "own",      "same",       "shant",   "she",
    "should",  "shouldnt",  "so",     "some",       "such",     "than",       "that",    "the",
    "their",   "theirs",    "them",   "themselves", "then",     "there",      "these",   "they",
    "theyd",   "theyll",    "theyre", "theyve",     "this",     "those",      "through", "to",
    "too",     "under",     "until",  "up",         "very",     "was",        "wasnt",   "we",
    "were",    "werent",    "weve",   "what",       "when",     "where",      "which",   "while",
    "who",     "whom",      "why",    "with",       "would",    "wouldnt",    "you",     "youd",
    "youll",   "your",      "youre",  "yours",      "yourself", "yourselves", "youve",
});

// Analyzer version 1's Snowball list also held these (stop_words.h).
constexpr auto kVersion1Only = std::to_array<std::string_view>({
    "cant",
    "hell",
    "id",
    "ill",
    "shed",
    "shell",
    "wed",
    "well",
    "wont",
});

constexpr bool sorted(std::span<const std::string_view> words) {
  return std::is_sorted(words.begin(), words.end()) &&
         std::adjacent_find(words.begin(), words.end()) == words.end();
}
static_assert(sorted(kLucene) && sorted(kSnowball) && sorted(kVersion1Only),
              "stop lists must be sorted and unique");

// A list as an open-addressing hash set: the analyzer asks about every
// token, so a lookup is one short hash and usually one slot (a binary
// search took 8 string comparisons).
class StopSet {
 public:
  explicit StopSet(std::span<const std::string_view> words) {
    for (std::string_view w : words) {
      size_t i = hash(w) & (kSlots - 1);
      while (!slots_[i].empty()) i = (i + 1) & (kSlots - 1);
      slots_[i] = w;
      longest_ = std::max(longest_, w.size());
    }
  }
  bool contains(std::string_view term) const {
    if (term.empty() || term.size() > longest_) return false;
    for (size_t i = hash(term) & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
      if (slots_[i].empty()) return false;
      if (slots_[i] == term) return true;
    }
  }

 private:
  static constexpr size_t kSlots = 1024;      // A power of two, over 4x the longest list.
  static uint32_t hash(std::string_view s) {  // FNV-1a.
    uint32_t h = 2166136261u;
    for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
    return h;
  }
  std::array<std::string_view, kSlots> slots_{};
  size_t longest_ = 0;
};

}  // namespace

std::string_view stop_words_name(StopWords list) {
  switch (list) {
    case StopWords::kNone:
      return "none";
    case StopWords::kLucene:
      return "lucene";
    case StopWords::kSnowball:
      return "snowball";
  }
  return "none";
}

std::optional<StopWords> parse_stop_words(std::string_view name) {
  for (StopWords list : {StopWords::kNone, StopWords::kLucene, StopWords::kSnowball}) {
    if (name == stop_words_name(list)) return list;
  }
  return std::nullopt;
}

bool is_stop_word(StopWords list, std::string_view term, uint32_t analyzer_version) {
  static const StopSet lucene(kLucene);
  static const StopSet snowball(kSnowball);
  static const StopSet version1_only(kVersion1Only);
  switch (list) {
    case StopWords::kNone:
      return false;
    case StopWords::kLucene:
      return lucene.contains(term);
    case StopWords::kSnowball:
      return snowball.contains(term) ||
             (analyzer_version < kSnowballKeepsWordsFrom && version1_only.contains(term));
  }
  return false;
}

}  // namespace scry
