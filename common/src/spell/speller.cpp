#include "scry/spell/speller.h"

#include <tuple>
#include <vector>

#include "scry/spell/candidates.h"
#include "scry/spell/channel.h"
#include "scry/text/levenshtein_automaton.h"
#include "scry/util/utf8.h"

namespace scry {

namespace {

// The analyzer of the index without stemming or stop list: Token::word is
// then set for every word the index keeps.
AnalyzerConfig words_only(AnalyzerConfig config) {
  config.stem = false;
  config.stop_words = StopWords::kNone;
  return config;
}

// Edits allowed for a word of `length` code points (docs/SPELLING.md).
int max_edits_for(size_t length) {
  if (length <= 2) return 0;
  return length <= 4 ? 1 : kMaxFuzzyEdits;
}

// The query language's operators and field names stay as typed.
bool is_syntax(std::string_view query, const Token& t) {
  const std::string_view raw = query.substr(t.start, t.end - t.start);
  if (raw == "AND" || raw == "OR" || raw == "NOT") return true;
  if (t.end < query.size()) {
    const char next = query[t.end];
    if (next == '*' || next == '~' || next == ':') return true;
  }
  return false;
}

}  // namespace

Speller::Speller(const WordTable* table, const AnalyzerConfig& analyzer, const ChannelModel& model)
    : table_(table),
      model_(model),
      stop_words_(analyzer.stop_words),
      analyzer_version_(analyzer.version),
      analyzer_(words_only(analyzer)) {}

std::optional<std::string> Speller::correct_word(std::string_view word) const {
  const int max_edits = max_edits_for(code_point_count(word));
  if (max_edits == 0) return std::nullopt;
  const uint64_t typed_count = table_->count_of(word);
  // (score, -weighted distance, count): higher is better; ties then go to
  // the word first in byte order (candidates come in byte order).
  std::tuple<double, double, uint64_t> best{};
  std::optional<uint32_t> best_index;
  auto consider = [&](const std::vector<SpellCandidate>& candidates) {
    for (const SpellCandidate& c : candidates) {
      if (c.distance == 0) continue;
      const uint64_t count = table_->count(c.index);
      if (!worth_replacing(typed_count, count, c.distance)) continue;
      const double distance = weighted_distance(table_->word(c.index), word, model_);
      if (!outweighs_typed(typed_count, count, distance, model_)) continue;
      const std::tuple<double, double, uint64_t> key{channel_score(count, distance, model_),
                                                     -distance, count};
      if (!best_index || key > best) {
        best = key;
        best_index = c.index;
      }
    }
  };
  // Words one edit away first; two edits only when none of those will do.
  // The first few words of a speller walk the table rather than build its
  // index of deletions (the same candidates, candidates.h).
  consider(++words_looked_up_ <= kWalkedWords ? spell_candidates(*table_, word, 1)
                                              : spell_candidates_near(*table_, word));
  if (!best_index && max_edits > 1) consider(spell_candidates(*table_, word, max_edits));
  if (!best_index) return std::nullopt;
  // A stop word is no correction of a word the texts hold: the query would
  // lose that word ("fox" is not "for"), and the next best is no better.
  const std::string_view best_word = table_->word(*best_index);
  if (typed_count >= kStopWordStands && is_stop_word(stop_words_, best_word, analyzer_version_))
    return std::nullopt;
  return std::string(best_word);
}

std::string Speller::correct_query(std::string_view query) {
  struct Edit {
    uint32_t start, end;
    std::string word;
  };
  std::vector<Edit> edits;
  analyzer_.analyze(query, [&](const Token& t) {
    if (t.word.empty() || is_syntax(query, t)) return;
    if (auto fixed = correct_word(t.word)) edits.push_back({t.start, t.end, std::move(*fixed)});
  });
  std::string out;
  size_t done = 0;
  for (const Edit& e : edits) {
    out.append(query.substr(done, e.start - done));
    out.append(e.word);
    done = e.end;
  }
  out.append(query.substr(done));
  return out;
}

}  // namespace scry
