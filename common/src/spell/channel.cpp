#include "scry/spell/channel.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "scry/util/utf8.h"

namespace scry {

namespace {

bool is_vowel(char32_t c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// The cost of leaving out w[i] (or of adding it, w being the longer side):
// cheaper when it repeats a neighbour.
double indel_cost(const std::vector<char32_t>& w, size_t i, const ChannelModel& model) {
  const bool doubled = (i > 0 && w[i - 1] == w[i]) || (i + 1 < w.size() && w[i + 1] == w[i]);
  return (doubled ? model.doubling : 1.0) + (i == 0 ? model.first_letter : 0.0);
}

}  // namespace

double weighted_distance(std::string_view intended, std::string_view typed,
                         const ChannelModel& model) {
  const std::vector<char32_t> a = code_points(intended);
  const std::vector<char32_t> b = code_points(typed);
  const size_t n = a.size(), m = b.size();
  std::vector<double> d((n + 1) * (m + 1));
  auto at = [&](size_t i, size_t j) -> double& { return d[i * (m + 1) + j]; };
  for (size_t i = 1; i <= n; ++i) at(i, 0) = at(i - 1, 0) + indel_cost(a, i - 1, model);
  for (size_t j = 1; j <= m; ++j) at(0, j) = at(0, j - 1) + indel_cost(b, j - 1, model);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const char32_t x = a[i - 1], y = b[j - 1];
      double sub = 0;
      if (x != y) {
        sub = (is_vowel(x) && is_vowel(y) ? model.vowel_for_vowel : 1.0) +
              (i == 1 || j == 1 ? model.first_letter : 0.0);
      }
      double best = std::min({at(i - 1, j - 1) + sub, at(i - 1, j) + indel_cost(a, i - 1, model),
                              at(i, j - 1) + indel_cost(b, j - 1, model)});
      if (i > 1 && j > 1 && x == b[j - 2] && a[i - 2] == y && x != y) {
        best = std::min(
            best, at(i - 2, j - 2) + model.transposition + (i == 2 ? model.first_letter : 0.0));
      }
      at(i, j) = best;
    }
  }
  return at(n, m);
}

double channel_score(uint64_t count, double distance, const ChannelModel& model) {
  return std::log(static_cast<double>(count) + 0.5) - model.lambda * distance;
}

bool outweighs_typed(uint64_t typed_count, uint64_t count, double distance,
                     const ChannelModel& model) {
  if (typed_count == 0) return true;
  return std::log(static_cast<double>(count) + 0.5) - model.keep_lambda * distance >
         std::log(static_cast<double>(typed_count) + 0.5) + std::log(model.keep_gain);
}

bool worth_replacing(uint64_t typed_count, uint64_t count, int edits) {
  if (typed_count == 0) return true;
  uint64_t needed = typed_count;
  for (int e = 0; e < edits; ++e) needed *= kMinGain;
  return count >= needed;
}

}  // namespace scry
