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

}  // namespace scry
