#include "scry/snippet/snippet.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/input/readers.h"
#include "scry/util/utf8.h"
#include "testlib.h"

namespace scry {
namespace {

using namespace std::string_literals;

// A query word as a user types it, with the weight (idf) of what it becomes.
// Like the planner: a word that analyzes to one term is a term, to several
// a phrase; a word in double quotes is a phrase of its terms.
struct Word {
  std::string text;
  double weight = 1.0;
};

SnippetQuery make_query(Analyzer* analyzer, const std::vector<Word>& words) {
  SnippetQuery query;
  for (const Word& word : words) {
    const bool quoted = word.text.size() > 1 && word.text.front() == '"';
    std::vector<std::string> terms =
        analyzer->terms(quoted ? word.text.substr(1, word.text.size() - 2) : word.text);
    if (terms.size() == 1 && !quoted) {
      query.terms.push_back({terms[0], word.weight});
    } else if (!terms.empty()) {
      query.phrases.push_back({std::move(terms), word.weight});
    }
  }
  return query;
}

struct Row {
  const char* what;
  std::string text;
  std::vector<Word> query;
  std::string expected;  // Rendered with Highlight::kMarkers.
  bool stem = true;
  size_t window_tokens = 30;
};

// An English paragraph of the bundled article (about 200 tokens).
const std::string kParagraph =
    "Zhipu AI's ascent to a trillion-yuan valuation is not an isolated capital event but a "
    "microcosm of China's AI industry transitioning from the 'Battle of a Hundred Models' to an "
    "oligopolistic landscape. On the technical frontier, Zhipu has made credible strides in large "
    "language models, multimodal capabilities, and even world models and agent frameworks. "
    "However, a vast chasm remains between laboratory breakthroughs and scalable commercial "
    "applications. While product innovation accelerates\xE2\x80\x94with LLM deployments in "
    "finance, healthcare, and other verticals\xE2\x80\x94profitable business models remain in the "
    "trial-and-error phase. The more troubling signal is the market's 'endgame thinking': a "
    "dangerous cognitive bias where sky-high valuations force companies to prioritize rapid "
    "expansion over deep technical cultivation. This can lead to over-hiring, reckless investment "
    "in immature technologies, and strategic myopia. The trillion-yuan valuation is both a "
    "milestone and a warning sign: when the capital flywheel spins at full speed, the industry's "
    "greatest need is not celebration but a sober assessment of whether we are mortgaging "
    "today's real value for a future that may never arrive.";

// The Chinese section of the bundled article.
const std::string kChinese =
    "常见问题\n\n"
    "这次公司发布“Zhipu AI’s Trillion Yuan Valuation: The Dangerous Allure of Endgame "
    "Thinking”主要讲了什么？\n\n"
    "Zhipu AI's ascent to a trillion-yuan valuation is not an isolated capital event but a "
    "microcosm of China's AI industry transitioning from the 'Battle of a Hundred Models' to an "
    "oli…\n\n"
    "从“Zhipu AI valuation bubble analysis 2025”看，这家公司的这次发布为什么值得关注？\n\n"
    "Zhipu AI's technical stack is anchored in its GLM (General Language Model) architecture, a "
    "family of models that includes the open-source ChatGLM series and the proprietary GLM-130B "
    "and its successors. Unlike the decoder…\n\n"
    "围绕“Is Zhipu AI overvalued compared to OpenAI”，这次发布可能带来哪些后续影响？\n\n"
    "后续通常要继续观察用户增长、产品渗透率、生态合作、竞品应对以及资本市场和开发者社区的反馈。\n";

// Many sentences about "the market", one far away about an oligopoly.
std::string common_and_rare() {
  std::string text;
  for (int i = 0; i < 8; ++i) text += "The market rose and the market fell again. ";
  for (int i = 0; i < 6; ++i) text += "Analysts wrote long reports about nothing in particular. ";
  text += "An oligopolistic landscape is what the market fears most. ";
  for (int i = 0; i < 6; ++i) text += "Analysts wrote long reports about nothing in particular. ";
  return text;
}

std::vector<Row> rows() {
  return {
      {"a match in the middle of a long text: … on both sides",
       kParagraph,
       {{"myopia"}},
       "… This can lead to over-hiring, reckless investment in immature technologies, and "
       "strategic **myopia**. The trillion-yuan valuation is both a milestone and a warning sign: "
       "when the capital flywheel spins at full speed, the industry's greatest need is not "
       "celebration but …"},
      {"a match at the very start",
       kParagraph,
       {{"ascent"}},
       "Zhipu AI's **ascent** to a trillion-yuan valuation is not an isolated capital event but a "
       "microcosm of China's AI industry transitioning from the 'Battle of a Hundred Models' to an "
       "oligopolistic landscape. …"},
      {"a match at the very end",
       kParagraph,
       {{"arrive"}},
       "… The trillion-yuan valuation is both a milestone and a warning sign: when the capital "
       "flywheel spins at full speed, the industry's greatest need is not celebration but a sober "
       "assessment of whether we are mortgaging today's real value for a future that may never "
       "**arrive**."},
      {"several matches",
       kParagraph,
       {{"chasm"}, {"laboratory"}, {"commercial"}},
       ""},
      {"a phrase is one highlight",
       "Zhipu AI\xE2\x80\x99s Trillion Yuan Valuation: The Dangerous Allure of Endgame Thinking",
       {{"\"trillion yuan\""}},
       "Zhipu AI’s **Trillion Yuan** Valuation: The Dangerous Allure of Endgame Thinking"},
      {"a hyphenated word is a phrase",
       kParagraph,
       {{"trillion-yuan", 3.0}, {"milestone"}},
       ""},
      {"the same words as two terms are two highlights",
       "Zhipu AI has shattered the trillion-yuan valuation barrier.",
       {{"trillion"}, {"yuan"}},
       "Zhipu AI has shattered the **trillion**-**yuan** valuation barrier."},
      {"the rarest term wins over many occurrences of a common one",
       common_and_rare(),
       {{"market", 0.2}, {"oligopolistic", 4.0}},
       ""},
      {"CJK: the bigrams of 资本市场 make one highlight",
       kChinese,
       {{"资本市场", 6.0}},
       "… 后续通常要继续观察用户增长、产品渗透率、生态合作、竞品应对以及**资本市场**和开发者社区"
       "的反馈。"},
      {"CJK: a two-character word",
       kChinese,
       {{"影响", 2.0}},
       ""},
      {"stemming: valuations matches valuation",
       "Zhipu AI has shattered the trillion-yuan valuation barrier.",
       {{"valuations"}},
       "Zhipu AI has shattered the trillion-yuan **valuation** barrier."},
      {"without stemming valuations does not match valuation",
       "Zhipu AI has shattered the trillion-yuan valuation barrier.",
       {{"valuations"}},
       "Zhipu AI has shattered the trillion-yuan valuation barrier.",
       false},
      {"without stemming the exact word matches",
       "Zhipu AI has shattered the trillion-yuan valuation barrier.",
       {{"Valuation"}},
       "Zhipu AI has shattered the trillion-yuan **valuation** barrier.",
       false},
      {"whitespace and line breaks collapse to one space",
       "  Zhipu\tAI\n\n  has \xC2\xA0 shattered\r\n the\n\n\n\nbarrier.  \n",
       {{"shattered"}},
       "Zhipu AI has **shattered** the barrier."},
      {"control characters become spaces",
       "Zhipu\x1b[31mAI\x07has\x7fshattered\xC2\x9bthe\0barrier.\x1b[0m"s,
       {{"shattered"}},
       "Zhipu [31mAI has **shattered** the barrier. [0m"},
      {"invalid UTF-8 becomes U+FFFD",
       "Zhipu \xFF\xFE AI has shattered the barrier.",
       {{"barrier"}},
       "Zhipu \xEF\xBF\xBD\xEF\xBF\xBD AI has shattered the **barrier**."},
      {"no match: the first window",
       kParagraph,
       {{"nothing"}},
       "Zhipu AI's ascent to a trillion-yuan valuation is not an isolated capital event but a "
       "microcosm of China's AI industry transitioning from the 'Battle of a Hundred Models' to an "
       "oligopolistic landscape. …"},
      {"no query at all: the first window",
       "First sentence here. Second sentence there.",
       {},
       "First sentence here. Second sentence there."},
      {"a small window grows to the sentence around it",
       "One two three. Four five six seven eight nine ten. Eleven twelve.",
       {{"seven"}},
       "… Four five six **seven** eight nine ten. …",
       true,
       3},
      {"leading and closing punctuation of a sentence is kept",
       "Intro words here. \xE2\x80\x9C(Quoted words, with a match.)\xE2\x80\x9D Then more words "
       "follow.",
       {{"match"}},
       ""},
      {"overlapping matches merge",
       "a b c d e f",
       {{"\"b c\""}, {"\"c d\""}, {"f"}},
       "a **b c d** e **f**"},
      {"empty text",
       "",
       {{"anything"}},
       ""},
      {"text without tokens",
       " \xE2\x80\x94 ... !! \n",
       {{"anything"}},
       ""},
  };
}

TEST_CASE("make_snippet chooses and highlights the passage", "[snippet]") {
  for (const Row& row : rows()) {
    Analyzer analyzer(AnalyzerConfig{.stem = row.stem});
    const SnippetQuery query = make_query(&analyzer, row.query);
    const Snippet snippet = make_snippet(&analyzer, row.text, query, row.window_tokens);
    INFO(row.what);
    CHECK(render(snippet, Highlight::kMarkers) == row.expected);
    CHECK(is_valid_utf8(snippet.text));
  }
}

}  // namespace
}  // namespace scry
