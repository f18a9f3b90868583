// Tests for snippet/snippet.h: rows of texts and queries with the expected
// snippet, properties on random texts, and the bundled article.
#include "scry/snippet/snippet.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/input/readers.h"
#include "scry/util/utf8.h"
#include "snippet/sentences.h"
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
       "when the capital flywheel …"},
      {"a match at the very start",
       kParagraph,
       {{"ascent"}},
       "Zhipu AI's **ascent** to a trillion-yuan valuation is not an isolated capital event but a "
       "microcosm of China's AI industry transitioning from the 'Battle of a Hundred Models' to an "
       "oligopolistic landscape. …"},
      {"a match at the very end",
       kParagraph,
       {{"arrive"}},
       "… spins at full speed, the industry's greatest need is not celebration but a sober "
       "assessment of whether we are mortgaging today's real value for a future that may never "
       "**arrive**."},
      {"several matches",
       kParagraph,
       {{"chasm"}, {"laboratory"}, {"commercial"}},
       "… However, a vast **chasm** remains between **laboratory** breakthroughs and scalable "
       "**commercial** applications. While product innovation accelerates—with LLM deployments in "
       "finance, healthcare, and other verticals—profitable business models remain in the "
       "trial-and-error phase. …"},
      {"a phrase is one highlight",
       "Zhipu AI\xE2\x80\x99s Trillion Yuan Valuation: The Dangerous Allure of Endgame Thinking",
       {{"\"trillion yuan\""}},
       "Zhipu AI’s **Trillion Yuan** Valuation: The Dangerous Allure of Endgame Thinking"},
      {"a hyphenated word is a phrase",
       kParagraph,
       {{"trillion-yuan", 3.0}, {"milestone"}},
       "… The **trillion-yuan** valuation is both a **milestone** and a warning sign: when the "
       "capital flywheel spins at full speed, the industry's greatest need is not celebration but "
       "a sober …"},
      {"the same words as two terms are two highlights",
       "Zhipu AI has shattered the trillion-yuan valuation barrier.",
       {{"trillion"}, {"yuan"}},
       "Zhipu AI has shattered the **trillion**-**yuan** valuation barrier."},
      {"the rarest term wins over many occurrences of a common one",
       common_and_rare(),
       {{"market", 0.2}, {"oligopolistic", 4.0}},
       "… An **oligopolistic** landscape is what the **market** fears most. Analysts wrote long "
       "reports about nothing in particular. Analysts wrote long reports about nothing in "
       "particular. Analysts wrote long reports about nothing in particular. …"},
      {"two terms outweigh a heavier one when their weights add up to more",
       "Alpha is alone here. Many words in between do not match at all. Many words in between "
       "do not match at all. Many words in between do not match at all. Many words in between "
       "do not match at all. Beta and gamma are together. And the text goes on.",
       {{"alpha", 3.0}, {"beta", 2.0}, {"gamma", 2.0}},
       "… Many words in between do not match at all. Many words in between do not match at all. "
       "Many words in between do not match at all. **Beta** and **gamma** are together. …"},
      {"a term given twice counts once",
       "One alpha here. Two words. Beta and beta again.",
       {{"alpha", 2.0}, {"beta", 1.5}, {"beta", 1.5}},
       "One **alpha** here. Two words. …",
       true,
       4},
      {"CJK: the bigrams of 资本市场 make one highlight",
       kChinese,
       {{"资本市场", 6.0}},
       "… 后续通常要继续观察用户增长、产品渗透率、生态合作、竞品应对以及**资本市场**和开发者社区"
       "的反馈。"},
      {"CJK: a two-character word",
       kChinese,
       {{"影响", 2.0}},
       "… 围绕“Is Zhipu AI overvalued compared to OpenAI”，这次发布可能带来哪些后续**影响**？ "
       "后续通常要继续观察用 …"},
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
       "follow in a long sentence that goes on and on.",
       {{"match"}},
       "… “(Quoted words, with a **match**.)” …",
       true,
       4},
      {"overlapping matches merge",
       "a b c d e f",
       {{"\"b c\""}, {"\"c d\""}, {"f"}},
       "a **b c d** e **f**"},
      {"empty text", "", {{"anything"}}, ""},
      {"text without tokens", " \xE2\x80\x94 ... !! \n", {{"anything"}}, ""},
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

TEST_CASE("render wraps each highlight", "[snippet]") {
  const Snippet snippet{"ab cd ef", {{0, 2}, {6, 8}}};
  CHECK(render(snippet, Highlight::kAnsi) == "\x1b[1;31mab\x1b[0m cd \x1b[1;31mef\x1b[0m");
  CHECK(render(snippet, Highlight::kMarkers) == "**ab** cd **ef**");
  CHECK(render(snippet, Highlight::kNone) == "ab cd ef");
  CHECK(render(Snippet{"ab cd", {{3, 2}, {1, 20}}}, Highlight::kMarkers) == "ab cd");
  CHECK(render(Snippet{}, Highlight::kAnsi).empty());
}

TEST_CASE("the bundled article's snippet for \"trillion yuan\"", "[snippet]") {
  InputReader reader(ReaderOptions{});
  std::vector<Document> docs;
  DocumentSink sink;
  sink.on_document = [&](Document&& doc) {
    docs.push_back(std::move(doc));
    return Status::ok();
  };
  const auto path = test::source_dir() / "corpus" / "zhipu-ai-trillion-yuan-valuation.txt";
  REQUIRE(reader.read(path.string(), sink).is_ok());
  REQUIRE(docs.size() == 1);

  Analyzer analyzer(AnalyzerConfig{});
  const SnippetQuery query = make_query(&analyzer, {{"\"trillion yuan\"", 5.0}});
  const Snippet snippet = make_snippet(&analyzer, docs[0].body, query);
  CHECK(render(snippet, Highlight::kMarkers) ==
        "Zhipu AI’s **Trillion Yuan** Valuation: The Dangerous Allure of Endgame Thinking June "
        "2026 Zhipu AIArchive: June 2026 Zhipu AI has shattered the **trillion-yuan** valuation "
        "barrier, a milestone that signals …");
  CHECK(render(snippet, Highlight::kAnsi)
            .starts_with("Zhipu AI’s \x1b[1;31mTrillion Yuan\x1b[0m Valuation: "));
}

TEST_CASE("make_snippet finds the rare term at the end of a long text", "[snippet]") {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "The market rose again. ";
  text += "Then an oligopolistic market ended it.";
  Analyzer analyzer(AnalyzerConfig{});
  const SnippetQuery query = make_query(&analyzer, {{"market", 0.1}, {"oligopolistic", 5.0}});
  const Snippet snippet = make_snippet(&analyzer, text, query);
  CHECK(render(snippet, Highlight::kMarkers) ==
        "… The **market** rose again. The **market** rose again. The **market** rose again. The "
        "**market** rose again. The **market** rose again. The **market** rose again. The "
        "**market** rose again. Then an **oligopolistic** **market** ended it.");
}

// Property tests on random texts and queries.

// Words with the analyzer's hard cases, and separators with sentence ends,
// blank lines, control characters (ESC, C1 CSI), an invalid byte and quotes.
const std::vector<std::string> kVocabulary = {
    "alpha", "beta",  "gamma",    "delta",  "omega",   "running", "runs",
    "资本",  "市场",  "资本市场", "智谱AI", "GLM-4.7", "Z.ai",    "China\xE2\x80\x99s",
    "U.S.",  "4,000", "Ünïcödé"};
const std::vector<std::string> kSeparators = {" ",
                                              " ",
                                              " ",
                                              " ",
                                              " ",
                                              ", ",
                                              ". ",
                                              "! ",
                                              "? ",
                                              "\n",
                                              "\n\n",
                                              "\t",
                                              "。",
                                              " \xE2\x80\x94 ",
                                              "\x01",
                                              " \x1b[0m ",
                                              "\xFF",
                                              "  ",
                                              "\xE2\x80\x9C",
                                              "\xE2\x80\x9D ",
                                              "\xC2\x9B"};

template <typename T>
const T& pick(std::mt19937* rng, const std::vector<T>& from) {
  return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(*rng)];
}

std::string random_text(std::mt19937* rng) {
  const size_t words = std::uniform_int_distribution<size_t>(0, 150)(*rng);
  std::string text;
  for (size_t i = 0; i < words; ++i) {
    text += pick(rng, kSeparators);
    text += pick(rng, kVocabulary);
  }
  return text;
}

// One to four distinct words or quoted pairs of words, weighted by distinct
// powers of two: the heaviest item outweighs all the others together, so
// the best window is one that holds it.
SnippetQuery random_query(std::mt19937* rng, Analyzer* analyzer) {
  std::vector<Word> words;
  const size_t count = std::uniform_int_distribution<size_t>(1, 4)(*rng);
  for (size_t i = 0; i < count; ++i) {
    if ((*rng)() % 3 == 0) {
      words.push_back({"\"" + pick(rng, kVocabulary) + " " + pick(rng, kVocabulary) + "\""});
    } else {
      words.push_back({pick(rng, kVocabulary)});
    }
  }
  SnippetQuery query = make_query(analyzer, words);
  std::vector<std::vector<std::string>> seen;
  std::vector<int> exponents(8);
  for (size_t i = 0; i < exponents.size(); ++i) exponents[i] = static_cast<int>(i);
  std::shuffle(exponents.begin(), exponents.end(), *rng);
  size_t next = 0;
  const auto fresh = [&](const std::vector<std::string>& terms) {
    if (std::find(seen.begin(), seen.end(), terms) != seen.end()) return false;
    seen.push_back(terms);
    return true;
  };
  SnippetQuery distinct;
  for (const SnippetQuery::Term& term : query.terms) {
    if (fresh({term.term})) {
      distinct.terms.push_back({term.term, std::ldexp(1.0, exponents[next++])});
    }
  }
  for (const SnippetQuery::Phrase& phrase : query.phrases) {
    if (fresh(phrase.terms)) {
      distinct.phrases.push_back({phrase.terms, std::ldexp(1.0, exponents[next++])});
    }
  }
  return distinct;
}

// Where `needle` occurs in `terms` at consecutive positions.
std::vector<size_t> occurrences(const std::vector<std::string>& terms,
                                const std::vector<std::string>& needle) {
  std::vector<size_t> at;
  for (size_t i = 0; i + needle.size() <= terms.size(); ++i) {
    if (std::equal(needle.begin(), needle.end(), terms.begin() + static_cast<ptrdiff_t>(i))) {
      at.push_back(i);
    }
  }
  return at;
}

struct Tokens {
  std::vector<std::string> terms;
  std::vector<std::pair<uint32_t, uint32_t>> spans;
};

Tokens analyze(Analyzer* analyzer, std::string_view text) {
  Tokens tokens;
  analyzer->analyze(text, [&](const Token& token) {
    tokens.terms.emplace_back(token.term);
    tokens.spans.emplace_back(token.start, token.end);
  });
  return tokens;
}

// True when the query's matches in `text` (terms, and phrases from their
// first token's start to their last token's end) cover all of it, touching
// or overlapping: a highlight is its matches merged. (Merging the adjacent
// matches "资本" and "市场" makes a text whose bigram "本市" may be no query
// term, so checking each term would be wrong.)
bool is_union_of_matches(Analyzer* analyzer, std::string_view text, const SnippetQuery& query) {
  const Tokens tokens = analyze(analyzer, text);
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  for (const SnippetQuery::Term& term : query.terms) {
    for (size_t i : occurrences(tokens.terms, {term.term})) spans.push_back(tokens.spans[i]);
  }
  for (const SnippetQuery::Phrase& phrase : query.phrases) {
    for (size_t i : occurrences(tokens.terms, phrase.terms)) {
      spans.emplace_back(tokens.spans[i].first, tokens.spans[i + phrase.terms.size() - 1].second);
    }
  }
  std::sort(spans.begin(), spans.end());
  uint32_t covered = 0;
  for (const auto& [start, end] : spans) {
    if (start > covered) return false;
    covered = std::max(covered, end);
  }
  return covered == text.size();
}

// The heaviest query term or phrase that fits in the window and occurs in
// `text_terms`, or an empty list.
std::vector<std::string> heaviest_present(const std::vector<std::string>& text_terms,
                                          const SnippetQuery& query, size_t window_tokens) {
  std::vector<std::string> best;
  double best_weight = 0;
  const auto consider = [&](const std::vector<std::string>& terms, double weight) {
    if (terms.size() <= window_tokens && weight > best_weight &&
        !occurrences(text_terms, terms).empty()) {
      best = terms;
      best_weight = weight;
    }
  };
  for (const SnippetQuery::Term& term : query.terms) consider({term.term}, term.weight);
  for (const SnippetQuery::Phrase& phrase : query.phrases) consider(phrase.terms, phrase.weight);
  return best;
}

// No control character (C0, DEL, C1), no double space, nothing at the ends.
bool is_clean(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) return false;
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      return false;
    }
  }
  return text.find("  ") == std::string_view::npos &&
         (text.empty() || (text.front() != ' ' && text.back() != ' '));
}

// `text` with each run of blanks made one space (none at either end) and
// each invalid byte U+FFFD, a character at a time: what a passage's copy
// makes of its text.
std::string collapsed(std::string_view text) {
  std::string out;
  bool space = false;
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Char c = decode_utf8(text, pos);
    if (sentences::is_blank(c.code)) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c.code == kReplacementChar && c.length == 1 ? std::string(kReplacementUtf8)
                                                         : std::string(text.substr(pos, c.length));
    }
    pos += c.length;
  }
  return out;
}

TEST_CASE("snippet properties on random texts", "[snippet]") {
  std::mt19937 rng(20260614);
  Analyzer stemmed(AnalyzerConfig{.stem = true});
  Analyzer unstemmed(AnalyzerConfig{.stem = false});
  const std::vector<size_t> windows = {1, 2, 5, 10, 30};
  for (int iteration = 0; iteration < 3000; ++iteration) {
    Analyzer* analyzer = iteration % 2 == 0 ? &stemmed : &unstemmed;
    const std::string text = random_text(&rng);
    const SnippetQuery query = random_query(&rng, analyzer);
    const size_t window = pick(&rng, windows);
    const Snippet snippet = make_snippet(analyzer, text, query, window);
    INFO("iteration " << iteration << ", window " << window << ", text: " << text);
    INFO("snippet: " << render(snippet, Highlight::kMarkers));
    const std::vector<std::string> text_terms = analyzer->terms(text);

    // (c) Valid UTF-8, clean, highlights in bounds, sorted, apart.
    REQUIRE(is_valid_utf8(snippet.text));
    REQUIRE(is_clean(snippet.text));
    CHECK(snippet.text.empty() == text_terms.empty());
    for (size_t i = 0; i < snippet.highlights.size(); ++i) {
      const auto [start, end] = snippet.highlights[i];
      REQUIRE(start < end);
      REQUIRE(end <= snippet.text.size());
      if (i > 0) REQUIRE(snippet.highlights[i - 1].second < start);
    }

    // (a) Every highlight is made of query matches.
    std::vector<std::vector<std::string>> highlighted;
    for (const auto& [start, end] : snippet.highlights) {
      const std::string_view highlight = std::string_view(snippet.text).substr(start, end - start);
      INFO("highlight: " << highlight);
      CHECK(is_union_of_matches(analyzer, highlight, query));
      highlighted.push_back(analyzer->terms(highlight));
    }

    // (b) The heaviest query term or phrase that occurs in the text (and fits
    // in the window) is highlighted; nothing is when none occurs.
    const std::vector<std::string> heaviest = heaviest_present(text_terms, query, window);
    if (!heaviest.empty()) {
      CHECK(std::any_of(highlighted.begin(), highlighted.end(),
                        [&](const auto& terms) { return !occurrences(terms, heaviest).empty(); }));
    }
    if (heaviest_present(text_terms, query, SIZE_MAX).empty()) CHECK(snippet.highlights.empty());

    // (d) At most the window and the sentence slack on both sides.
    const std::vector<std::string> snippet_terms = analyzer->terms(snippet.text);
    CHECK(snippet_terms.size() <= window + 16);

    // (e) An excerpt: its terms are a run of the text's terms, from the first
    // one unless "… " starts it, to the last one unless " …" ends it.
    const std::vector<size_t> runs = occurrences(text_terms, snippet_terms);
    REQUIRE(!runs.empty());
    if (!snippet.text.starts_with("\xE2\x80\xA6 ")) CHECK(runs.front() == 0);
    if (!snippet.text.ends_with(" \xE2\x80\xA6")) {
      CHECK(runs.back() + snippet_terms.size() == text_terms.size());
    }

    // (f) Without its ellipses, the text's own characters, blanks collapsed.
    std::string_view body = snippet.text;
    if (body.starts_with("\xE2\x80\xA6 ")) body.remove_prefix(4);
    if (body.ends_with(" \xE2\x80\xA6")) body.remove_suffix(4);
    CHECK(collapsed(text).find(body) != std::string::npos);
  }
}

TEST_CASE("make_snippet takes any bytes", "[snippet]") {
  std::mt19937 rng(7);
  Analyzer analyzer(AnalyzerConfig{});
  const SnippetQuery query =
      make_query(&analyzer, {{"a"}, {"ab"}, {"\"a b\""}, {"\xC3\xA9"}, {"\xE8\xB5\x84"}});
  // Mostly letters, spaces and stops, with any byte now and then.
  const std::string_view common = "aabb  ..\n\xC3\xA9\xE8\xB5\x84";
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::string text(std::uniform_int_distribution<size_t>(0, 300)(rng), '\0');
    for (char& c : text) {
      c = rng() % 4 == 0 ? static_cast<char>(rng() % 256) : common[rng() % common.size()];
    }
    const Snippet snippet = make_snippet(&analyzer, text, query, rng() % 12 + 1);
    INFO("iteration " << iteration);
    REQUIRE(is_valid_utf8(snippet.text));
    REQUIRE(is_clean(snippet.text));
    for (size_t i = 0; i < snippet.highlights.size(); ++i) {
      REQUIRE(snippet.highlights[i].first < snippet.highlights[i].second);
      REQUIRE(snippet.highlights[i].second <= snippet.text.size());
      if (i > 0) REQUIRE(snippet.highlights[i - 1].second < snippet.highlights[i].first);
    }
  }
}

}  // namespace
}  // namespace scry
