// fuzz_analyzer: arbitrary bytes through Analyzer::analyze with stemming on
// and off and each stop list (six analyzers, made once). For every token:
//   * term non-empty, at most Analyzer::kMaxTermBytes, valid UTF-8;
//   * start < end <= text size; starts never go backwards;
//   * positions strictly increasing, all below the value analyze() returns;
//   * terms() and positioned_terms() give the same terms and positions.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "scry/text/analyzer.h"
#include "scry/util/utf8.h"

using scry::fuzz::check;

namespace {

std::vector<std::unique_ptr<scry::Analyzer>> make_analyzers() {
  std::vector<std::unique_ptr<scry::Analyzer>> out;
  for (bool stem : {false, true}) {
    for (auto stop :
         {scry::StopWords::kNone, scry::StopWords::kLucene, scry::StopWords::kSnowball}) {
      scry::AnalyzerConfig config;
      config.stem = stem;
      config.stop_words = stop;
      out.push_back(std::make_unique<scry::Analyzer>(config));
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto analyzers = make_analyzers();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto& analyzer : analyzers) {
    std::vector<scry::Analyzer::Term> seen;
    bool any = false;
    uint32_t last_position = 0, last_start = 0;
    uint32_t taken = analyzer->analyze(text, [&](const scry::Token& t) {
      check(!t.term.empty(), "empty term", text);
      check(t.term.size() <= scry::Analyzer::kMaxTermBytes, "term longer than kMaxTermBytes", text);
      check(scry::is_valid_utf8(t.term), "term is not valid UTF-8", text);
      check(t.start < t.end, "token start >= end", text);
      check(t.end <= text.size(), "token end past the text", text);
      if (any) {
        check(t.position > last_position, "positions not increasing", text);
        check(t.start >= last_start, "token starts go backwards", text);
      }
      any = true;
      last_position = t.position;
      last_start = t.start;
      seen.push_back({std::string(t.term), t.position});
    });
    if (any) check(taken > last_position, "analyze() returned a position already taken", text);
    auto terms = analyzer->terms(text);
    check(terms.size() == seen.size(), "terms() disagrees with analyze()", text);
    for (size_t i = 0; i < terms.size(); ++i) {
      check(terms[i] == seen[i].text, "terms() disagrees with analyze()", text);
    }
    auto positioned = analyzer->positioned_terms(text);
    check(positioned.size() == seen.size(), "positioned_terms() disagrees with analyze()", text);
    for (size_t i = 0; i < positioned.size(); ++i) {
      check(positioned[i].text == seen[i].text && positioned[i].position == seen[i].position,
            "positioned_terms() disagrees with analyze()", text);
    }
  }
  return 0;
}
