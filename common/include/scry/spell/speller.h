// Speller: spelling corrections of words and queries from an index's words
// (docs/SPELLING.md): candidates within 2 edits (spell/candidates.h), ranked
// by the noisy channel (spell/channel.h), proposed only when the rules of
// worth_replacing() and outweighs_typed() hold and a word the texts hold
// does not give way to a stop word; queries are corrected word by word, in
// place, so that the query language keeps its syntax.
//
// Thread safety: not thread-safe (it holds an analyzer); one per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scry/spell/channel.h"
#include "scry/spell/word_table.h"
#include "scry/text/analyzer.h"
#include "scry/text/stop_words.h"

namespace scry {

class Speller {
 public:
  // `table` must outlive the speller. `analyzer` is the index's (only its
  // normalisation matters: queries are read as the words were). `model`
  // ranks the candidates; scry ships the default.
  Speller(const WordTable* table, const AnalyzerConfig& analyzer, const ChannelModel& model = {});

  // The correction of one normalised word; nullopt when none is better
  // (too short, no candidate, or none worth replacing it).
  std::optional<std::string> correct_word(std::string_view word) const;

  // `query` with every word that has a correction replaced by it, the rest
  // of the text (operators, quotes, CJK, prefixes, fuzzy terms, field
  // names, short words, words with digits) as typed; equal to `query` when
  // nothing is corrected.
  std::string correct_query(std::string_view query);

 private:
  // Words looked up by the automaton walk before the table's index of
  // deletions is built: a walk within one edit costs about 1/20 of
  // building it, so a one-shot query of a few words is answered without it.
  static constexpr uint64_t kWalkedWords = 16;
  // A word occurring this often is not replaced by a stop word of the
  // index's list (docs/SPELLING.md).
  static constexpr uint64_t kStopWordStands = 20;

  const WordTable* table_;
  ChannelModel model_;
  StopWords stop_words_;       // The index's list,
  uint32_t analyzer_version_;  // as its analyzer version has it.
  Analyzer analyzer_;
  mutable uint64_t words_looked_up_ = 0;
};

}  // namespace scry
