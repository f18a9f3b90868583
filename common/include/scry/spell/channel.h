// The error model of spelling suggestions (docs/SPELLING.md, "Ranking"):
// how far a typed word is from an intended one, edits weighted by how often
// typists make them, and the noisy-channel score of a candidate.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace scry {

// The channel's constants. The defaults are the ones scry ships
// (docs/SPELLING.md, "Ranking"); bench/spell/crossval.sh tries others.
struct ChannelModel {
  // Penalty per unit of weighted distance, in natural log.
  double lambda = 8;
  // Costs of edits, any other edit costing 1.
  double transposition = 0.5;
  double doubling = 0.3;  // A letter doubled or undoubled.
  double vowel_for_vowel = 0.75;
  double first_letter = 0.5;  // Added to an edit at the first letter.
  // A word the index holds stands against a candidate unless the
  // candidate, weighed with this gentler penalty, is still keep_gain times
  // as likely (outweighs_typed): a word typed as the texts have it is more
  // likely meant than a misspelling of another, so "moth" stays where
  // "month" is 43 times as frequent, and "recieve" still gives way.
  double keep_lambda = 3;
  double keep_gain = 5;
};

// The optimal string alignment of `intended` into `typed` over code points,
// each edit weighted by `model` (by default: a transposition 0.5, a letter
// doubled or undoubled 0.3, a vowel for a vowel 0.75, any other edit 1; an
// edit at the first letter costs 0.5 more). Equal words: 0.
double weighted_distance(std::string_view intended, std::string_view typed,
                         const ChannelModel& model = {});

// log P(candidate) + log P(typed | candidate), up to a constant:
// log(count + 0.5) - model.lambda * weighted distance.
double channel_score(uint64_t count, double weighted_distance, const ChannelModel& model = {});

// The replacement rule: a typed word occurring `typed_count` times gives way
// to a candidate occurring `count` times at `edits` (1 or 2) edits when it
// is absent, or when count >= kMinGain^edits * typed_count.
inline constexpr uint64_t kMinGain = 20;
bool worth_replacing(uint64_t typed_count, uint64_t count, int edits);

// The rule for a typed word the index holds (typed_count > 0): a candidate
// occurring `count` times at weighted distance `distance` outweighs it when
// log(count + 0.5) - model.keep_lambda * distance > log(typed_count + 0.5)
// + log(model.keep_gain). True when typed_count is 0.
bool outweighs_typed(uint64_t typed_count, uint64_t count, double distance,
                     const ChannelModel& model = {});

}  // namespace scry
