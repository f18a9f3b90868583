#include "scry/text/analyzer.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scry/util/utf8.h"

namespace scry {
namespace {

using Terms = std::vector<std::string>;

struct Row {
  std::string input;
  Terms expected;
};

Terms analyze_terms(bool stem, std::string_view text) {
  Analyzer analyzer(AnalyzerConfig{.stem = stem});
  return analyzer.terms(text);
}

void check_rows(bool stem, const std::vector<Row>& rows) {
  Analyzer analyzer(AnalyzerConfig{.stem = stem});
  for (const Row& row : rows) {
    INFO("input: \"" << row.input << "\"");
    CHECK(analyzer.terms(row.input) == row.expected);
  }
}

// The hard cases of the bundled articles, with stemming off.
TEST_CASE("analyzer splits and joins the hard cases", "[analyzer]") {
  check_rows(false,
             {
                 {"GLM-4.7", {"glm", "4.7"}},
                 {"GLM-4.7.", {"glm", "4.7"}},
                 {"GLM-130B and GPT-4o", {"glm", "130b", "and", "gpt", "4o"}},
                 {"Qwen2.5-72B", {"qwen2.5", "72b"}},
                 {"DeepSeek-V2, V3-0324", {"deepseek", "v2", "v3", "0324"}},
                 {"Z.ai", {"z", "ai"}},
                 {"Z.ai’s platform", {"z", "ai", "platform"}},
                 {"Z.AI", {"z", "ai"}},
                 {"U.S.", {"us"}},
                 {"U.S", {"us"}},
                 {"the U.S. sanctions", {"the", "us", "sanctions"}},
                 {"U.S.-China", {"us", "china"}},
                 {"U.S.’s allies", {"us", "allies"}},
                 {"e.g. a.m. i.e.", {"eg", "am", "ie"}},
                 {"J.R.R. Tolkien", {"jrr", "tolkien"}},
                 {"Plan B. A plan", {"plan", "b", "a", "plan"}},
                 {"China’s", {"china"}},
                 {"China's", {"china"}},
                 {"CHINA'S", {"china"}},
                 {"Zhipu’s GLM", {"zhipu", "glm"}},
                 {"Models' 'Battle of a Hundred Models'",
                  {"models", "battle", "of", "a", "hundred", "models"}},
                 {"don't", {"dont"}},
                 {"isn’t can’t", {"isnt", "cant"}},
                 {"rock'n'roll O'Neil", {"rocknroll", "oneil"}},
                 {"80's", {"80", "s"}},
                 {"¥500", {"500"}},
                 {"¥500M ¥3.5B ¥1T", {"500m", "3.5b", "1t"}},
                 {"$69m", {"69m"}},
                 {"~$2.5B", {"2.5b"}},
                 {"$150B IPO", {"150b", "ipo"}},
                 {"50% 9%", {"50", "9"}},
                 {"1,000,000 dollars", {"1000000", "dollars"}},
                 {"300.000 millones", {"300.000", "millones"}},
                 {"in 2025, then 2026.", {"in", "2025", "then", "2026"}},
                 {"1.2.3", {"1.2.3"}},
                 {"SWE-bench", {"swe", "bench"}},
                 {"3D-RoPE", {"3d", "rope"}},
                 {"4K", {"4k"}},
                 {"128K context", {"128k", "context"}},
                 {"Ascend 910C", {"ascend", "910c"}},
                 {"series—China’s", {"series", "china"}},
                 {"press@zhipuai.cn", {"press", "zhipuai", "cn"}},
                 {"first.last@example.com", {"first", "last", "example", "com"}},
                 {"https://open.bigmodel.cn/dev/api?id=42&lang=en",
                  {"https", "open", "bigmodel", "cn", "dev", "api", "id", "42", "lang", "en"}},
                 {"www.z.ai", {"www", "z", "ai"}},
             });
}

TEST_CASE("analyzer normalises with NFKC and case folding", "[analyzer]") {
  check_rows(false, {
                        {"Ａ", {"a"}},
                        {"A a Ａ ａ", {"a", "a", "a", "a"}},
                        {"ＧＬＭ－４．７", {"glm", "4.7"}},
                        {"１，０００", {"1000"}},
                        {"Straße", {"strasse"}},
                        {"STRASSE", {"strasse"}},
                        {"ÉCOLE école", {"école", "école"}},
                        {"e\xCC\x81"
                         "cole",
                         {"école"}},  // e + U+0301 composes.
                        {"ﬁnance", {"finance"}},
                        {"x² H₂O", {"x2", "h2o"}},
                        {"Ωmega ΣΊΣΥΦΟΣ", {"ωmega", "σίσυφοσ"}},
                        {"Москва", {"москва"}},
                        {"naïve café", {"naïve", "café"}},
                    });
}

TEST_CASE("analyzer makes CJK bigrams", "[analyzer]") {
  check_rows(
      false,
      {
          {"资本市场", {"资本", "本市", "市场"}},
          {"智谱AI", {"智谱", "ai"}},
          {"AI智谱", {"ai", "智谱"}},
          {"智谱AI的GLM-4", {"智谱", "ai", "的", "glm", "4"}},
          {"2025年", {"2025", "年"}},
          {"的", {"的"}},
          {"中 国", {"中", "国"}},
          {"中国", {"中国"}},
          {"常见问题", {"常见", "见问", "问题"}},
          {"東京タワー", {"東京", "京タ", "タワ", "ワー"}},
          {"ひらがな", {"ひら", "らが", "がな"}},
          {"ｶﾞｷﾞ", {"ガギ"}},  // Halfwidth sound marks stay with their kana.
          {"한국어 사전", {"한국", "국어", "사전"}},
          {"豈", {"豈"}},  // U+F900, a compatibility ideograph.
          // Line 114 of corpus/zhipu-ai-trillion-yuan-valuation.txt.
          {"后续通常要继续观察用户增长、产品渗透率、生态合作、竞品应对以及资本市场和开发者社区的反"
           "馈。",
           {"后续", "续通", "通常", "常要", "要继", "继续", "续观", "观察", "察用", "用户",
            "户增", "增长", "产品", "品渗", "渗透", "透率", "生态", "态合", "合作", "竞品",
            "品应", "应对", "对以", "以及", "及资", "资本", "本市", "市场", "场和", "和开",
            "开发", "发者", "者社", "社区", "区的", "的反", "反馈"}},
          // Line 104 of the same file.
          {"这次公司发布“Zhipu AI’s Trillion Yuan Valuation: The Dangerous Allure of Endgame "
           "Thinking”主要讲了什么?",
           {"这次",     "次公",     "公司",      "司发", "发布",      "zhipu",  "ai",
            "trillion", "yuan",     "valuation", "the",  "dangerous", "allure", "of",
            "endgame",  "thinking", "主要",      "要讲", "讲了",      "了什",   "什么"}},
      });
}

TEST_CASE("analyzer treats invalid UTF-8 as a separator", "[analyzer]") {
  check_rows(false, {
                        {std::string("ab\xff\xfe"
                                     "cd"),
                         {"ab", "cd"}},
                        {std::string("abc\xe4\xbd"), {"abc"}},  // Truncated at the end.
                        {std::string("abc\xe4"), {"abc"}},
                        {std::string("\xe4\xbd\xa0\xe5"), {"你"}},
                        {std::string("\xe4\xbd"
                                     "ab"),
                         {"ab"}},
                        {std::string("a\xc0\xaf"
                                     "b"),
                         {"a", "b"}},  // Overlong '/'.
                        {std::string("a\xed\xa0\x80"
                                     "b"),
                         {"a", "b"}},  // Surrogate.
                        {std::string("a\xf4\x90\x80\x80"
                                     "b"),
                         {"a", "b"}},  // Above U+10FFFF.
                        {std::string("1\x80"
                                     ".5"),
                         {"1", "5"}},
                        {std::string("don\x80't"), {"don", "t"}},
                        {std::string("\x80\x80\x80"), {}},
                        {std::string("a\0b", 3), {"a", "b"}},
                    });
}

TEST_CASE("analyzer emits nothing for empty text or punctuation", "[analyzer]") {
  check_rows(false, {
                        {"", {}},
                        {"   \n\t ", {}},
                        {"!?.,;:--'’\"()[]{}…—", {}},
                        {"¥$%&@#*+=<>/\\|~^`", {}},
                        {"。、“”，？", {}},
                    });
}

TEST_CASE("analyzer stems with Snowball English", "[analyzer]") {
  check_rows(true, {
                       {"running runs ran", {"run", "run", "ran"}},
                       {"universities companies", {"univers", "compani"}},
                       {"GLM-4.7 models", {"glm", "4.7", "model"}},
                       {"China’s Companies", {"china", "compani"}},
                       {"U.S. sanctions", {"us", "sanction"}},
                       {"4Ks 128Ks", {"4ks", "128ks"}},  // Tokens with digits are not stemmed.
                       {"资本市场", {"资本", "本市", "市场"}},
                       {"is as a", {"is", "as", "a"}},
                   });
}

struct Span {
  std::string term;
  std::string source;  // text.substr(start, end - start).
};

void check_spans(std::string_view text, const std::vector<Span>& expected) {
  INFO("input: \"" << text << "\"");
  Analyzer analyzer(AnalyzerConfig{.stem = false});
  std::vector<Span> actual;
  uint32_t next_position = 0;
  const uint32_t count = analyzer.analyze(text, [&](const Token& token) {
    CHECK(token.position == next_position++);
    REQUIRE(token.start < token.end);
    REQUIRE(token.end <= text.size());
    actual.push_back(
        {std::string(token.term), std::string(text.substr(token.start, token.end - token.start))});
  });
  CHECK(count == expected.size());
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(actual[i].term == expected[i].term);
    CHECK(actual[i].source == expected[i].source);
  }
}

TEST_CASE("analyzer reports positions and byte offsets of source spans", "[analyzer]") {
  check_spans("GLM-4.7 by Z.ai",
              {{"glm", "GLM"}, {"4.7", "4.7"}, {"by", "by"}, {"z", "Z"}, {"ai", "ai"}});
  check_spans(
      "the U.S. and China’s ¥1,000",
      {{"the", "the"}, {"us", "U.S."}, {"and", "and"}, {"china", "China’s"}, {"1000", "1,000"}});
  check_spans("don't U.S", {{"dont", "don't"}, {"us", "U.S"}});
  check_spans("智谱AI", {{"智谱", "智谱"}, {"ai", "AI"}});
  check_spans("资本市场", {{"资本", "资本"}, {"本市", "本市"}, {"市场", "市场"}});
  check_spans(" 的 ", {{"的", "的"}});
  check_spans("ＧＬＭ Straße", {{"glm", "ＧＬＭ"}, {"strasse", "Straße"}});
  check_spans(std::string("ab\xff\xfe"
                          "cd"),
              {{"ab", "ab"}, {"cd", "cd"}});
}

TEST_CASE("analyzer drops terms longer than kMaxTermBytes", "[analyzer]") {
  const std::string longest(Analyzer::kMaxTermBytes, 'a');
  const std::string too_long(Analyzer::kMaxTermBytes + 1, 'b');
  CHECK(analyze_terms(false, "x " + too_long + " " + longest + " y") == Terms{"x", longest, "y"});
  // The bound applies to the normalised term: U+FB03 "ﬃ" becomes "ffi".
  std::string ligatures;
  for (size_t i = 0; i < Analyzer::kMaxTermBytes / 3 + 1; ++i) ligatures += "ﬃ";
  CHECK(analyze_terms(false, ligatures).empty());
}

TEST_CASE("analyzer terms() equals the terms of analyze()", "[analyzer]") {
  const std::string text =
      "Zhipu AI’s GLM-4.7 (¥500M, U.S. sanctions) 智谱AI在资本市场 — see https://z.ai/ "
      "or mail press@z.ai; Ａ Straße don't \xff 3D-RoPE.";
  for (bool stem : {false, true}) {
    Analyzer analyzer(AnalyzerConfig{.stem = stem});
    Terms from_analyze;
    analyzer.analyze(text, [&](const Token& token) { from_analyze.emplace_back(token.term); });
    CHECK(analyzer.terms(text) == from_analyze);
    CHECK(analyze_terms(stem, text) == from_analyze);
  }
}

TEST_CASE("analyzer leaves out stop words but keeps their positions", "[analyzer][stop]") {
  auto positioned = [](StopWords list, bool stem, std::string_view text) {
    Analyzer analyzer(AnalyzerConfig{.stem = stem, .stop_words = list});
    std::vector<std::pair<std::string, uint32_t>> out;
    const uint32_t end = analyzer.analyze(text, [&](const Token& token) {
      out.emplace_back(std::string(token.term), token.position);
    });
    out.emplace_back("<end>", end);
    return out;
  };
  using P = std::vector<std::pair<std::string, uint32_t>>;
  CHECK(positioned(StopWords::kLucene, false, "The United States of America") ==
        P{{"united", 1}, {"states", 2}, {"america", 4}, {"<end>", 5}});
  // Checked before stemming: "being" is a Snowball stop word, not a Lucene
  // one, and its stem "be" does not stop "beings" ("being" after stemming).
  CHECK(positioned(StopWords::kSnowball, true, "Being human beings, THEY'RE here") ==
        P{{"human", 1}, {"be", 2}, {"<end>", 5}});
  CHECK(positioned(StopWords::kLucene, true, "Being human beings, they're here") ==
        P{{"be", 0}, {"human", 1}, {"be", 2}, {"theyr", 3}, {"here", 4}, {"<end>", 5}});
  // Apostrophes: "don't" -> "dont", "it's" -> "it" are stop words in Snowball's list.
  CHECK(positioned(StopWords::kSnowball, false, "don't it's fine") == P{{"fine", 2}, {"<end>", 3}});
  CHECK(positioned(StopWords::kNone, false, "the of") == P{{"the", 0}, {"of", 1}, {"<end>", 2}});
  CHECK(positioned(StopWords::kLucene, false, "the of").size() == 1);
}

TEST_CASE("stop word lists: names round-trip, membership as published", "[analyzer][stop]") {
  for (StopWords list : {StopWords::kNone, StopWords::kLucene, StopWords::kSnowball}) {
    CHECK(parse_stop_words(stop_words_name(list)) == list);
  }
  CHECK_FALSE(parse_stop_words("english").has_value());
  CHECK_FALSE(parse_stop_words("").has_value());
  int lucene = 0;
  for (std::string_view w :
       {"a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
        "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
        "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with"}) {
    INFO(w);
    CHECK(is_stop_word(StopWords::kLucene, w, AnalyzerConfig::kCurrentVersion));
    CHECK_FALSE(is_stop_word(StopWords::kNone, w, AnalyzerConfig::kCurrentVersion));
    ++lucene;
  }
  CHECK(lucene == 33);
  CHECK_FALSE(is_stop_word(StopWords::kSnowball, "will", AnalyzerConfig::kCurrentVersion));
  for (std::string_view w : {"yourselves", "whom", "mustnt", "ought"}) {
    CHECK(is_stop_word(StopWords::kSnowball, w, AnalyzerConfig::kCurrentVersion));
    CHECK_FALSE(is_stop_word(StopWords::kLucene, w, AnalyzerConfig::kCurrentVersion));
  }
  // Words that contractions become: stop words of analyzer version 1's
  // Snowball list only, so that its indexes are read as they were built.
  for (std::string_view w : {"well", "shell", "hell", "ill", "id", "shed", "wed", "wont", "cant"}) {
    INFO(w);
    CHECK_FALSE(is_stop_word(StopWords::kSnowball, w, AnalyzerConfig::kCurrentVersion));
    CHECK(is_stop_word(StopWords::kSnowball, w, 1));
    CHECK_FALSE(is_stop_word(StopWords::kLucene, w, 1));
  }
  CHECK(is_stop_word(StopWords::kSnowball, "yourselves", 1));
  for (std::string_view w : {"let", "america", "", "The"}) {
    CHECK_FALSE(is_stop_word(StopWords::kSnowball, w, AnalyzerConfig::kCurrentVersion));
    CHECK_FALSE(is_stop_word(StopWords::kLucene, w, AnalyzerConfig::kCurrentVersion));
  }
}

TEST_CASE("analyzer stem cache keeps stems right after it is emptied", "[analyzer]") {
  Analyzer analyzer(AnalyzerConfig{.stem = true});
  std::string text;
  for (uint32_t i = 0; i < 150'000; ++i) {
    std::string word = "word";
    for (uint32_t n = i; n > 0; n /= 26) word.push_back(static_cast<char>('a' + n % 26));
    text += word + "s ";
  }
  uint32_t count = analyzer.analyze(text, [](const Token&) {});
  CHECK(count == 150'000);
  CHECK(analyzer.terms("running universities") == Terms{"run", "univers"});
}

// Fragments that exercise the joiners, CJK runs and invalid bytes when
// strung together at random.
const std::vector<std::string> kFragments = {
    "a",
    "S",
    "s",
    "Z",
    "1",
    "9",
    ".",
    ",",
    "'",
    "’",
    "-",
    " ",
    "资",
    "本",
    "ｶ",
    "ﾞ",
    "한",
    "\xe1\x85\xa1",
    "\xcc\x81",
    "Ａ",
    "．",
    "，",
    "ß",
    "ﬃ",
    "\xe4\xbd",
    "\xff",
    "\x80",
    "\xf0",
    "\xed\xa0\x80",
    "U.S.",
    "e.g",
    "’s",
    "'s",
    "4.7",
    "1,000",
    "智谱AI",
};

void check_invariants(Analyzer& analyzer, const std::string& text) {
  uint32_t next_position = 0;
  uint32_t last_start = 0;
  uint32_t last_end = 0;
  bool ok = true;
  const uint32_t count = analyzer.analyze(text, [&](const Token& token) {
    ok = ok && token.position == next_position && !token.term.empty() &&
         token.term.size() <= Analyzer::kMaxTermBytes && is_valid_utf8(token.term) &&
         token.start < token.end && token.end <= text.size() && token.start >= last_start &&
         token.end >= last_end;
    ++next_position;
    last_start = token.start;
    last_end = token.end;
  });
  if (!ok || count != next_position) {
    FAIL_CHECK("invariant broken for input of " << text.size() << " bytes: \"" << text << "\"");
  }
}

TEST_CASE("analyzer survives random bytes", "[analyzer][property]") {
  std::mt19937 rng(20240607);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> length(0, 64);
  std::uniform_int_distribution<size_t> fragment(0, kFragments.size() - 1);
  Analyzer plain(AnalyzerConfig{.stem = false});
  Analyzer stemming(AnalyzerConfig{.stem = true});
  for (int iteration = 0; iteration < 10'000; ++iteration) {
    std::string text;
    const size_t n = length(rng);
    for (size_t i = 0; i < n; ++i) text.push_back(static_cast<char>(byte(rng)));
    check_invariants(plain, text);
    check_invariants(stemming, text);

    text.clear();
    for (size_t i = 0; i < n; ++i) text += kFragments[fragment(rng)];
    check_invariants(plain, text);
    check_invariants(stemming, text);
  }
}

TEST_CASE("token_spans gives analyze_words' byte offsets", "[analyzer][property]") {
  // Words around kMaxTermBytes, ASCII and not, with the joiners that
  // token_spans counts without copying; with a limit, a prefix of them.
  const std::string long_word(Analyzer::kMaxTermBytes - 2, 'x');
  std::vector<std::string> fragments = kFragments;
  for (const char* extra : {"", "y", "yz", "é", "1,0", "'t", "’t", "ß"}) {
    fragments.push_back(long_word + extra);
    fragments.push_back(std::string(extra) + long_word);
  }
  std::mt19937 rng(20261206);
  std::uniform_int_distribution<size_t> length(0, 40);
  std::uniform_int_distribution<size_t> fragment(0, fragments.size() - 1);
  std::mt19937 limit_rng(14);
  Analyzer analyzer(AnalyzerConfig{.stem = true});
  std::vector<TokenSpan> spans;
  for (int iteration = 0; iteration < 20'000; ++iteration) {
    std::string text;
    const size_t n = length(rng);
    for (size_t i = 0; i < n; ++i) text += fragments[fragment(rng)];
    std::vector<std::pair<uint32_t, uint32_t>> words;
    bool consecutive = true;
    const uint32_t words_end = analyzer.analyze_words(text, [&](const Token& t) {
      consecutive = consecutive && t.position == words.size();
      words.emplace_back(t.start, t.end);
    });
    const uint32_t spans_end = analyzer.token_spans(text, &spans);
    bool same = consecutive && spans_end == words_end && spans.size() == words.size();
    for (size_t i = 0; same && i < spans.size(); ++i) {
      same = spans[i].start == words[i].first && spans[i].end == words[i].second;
    }
    if (!same) FAIL_CHECK("token_spans differs from analyze_words on \"" << text << "\"");
    // With a limit: the first spans, at least `max_tokens` of them (or all).
    const uint32_t max_tokens = static_cast<uint32_t>(limit_rng() % (spans.size() + 2));
    const std::vector<TokenSpan> all = spans;
    const uint32_t limited_end = analyzer.token_spans(text, &spans, max_tokens);
    bool prefix = limited_end == spans.size() && spans.size() <= all.size() &&
                  spans.size() >= std::min<size_t>(max_tokens, all.size());
    for (size_t i = 0; prefix && i < spans.size(); ++i) {
      prefix = spans[i].start == all[i].start && spans[i].end == all[i].end;
    }
    if (!prefix) {
      FAIL_CHECK("token_spans with at most " << max_tokens << " tokens is not a prefix on \""
                                             << text << "\"");
    }
  }
}

// Every field of a token, the views copied.
struct SeenToken {
  std::string term, word;
  uint32_t position, start, end;
  bool stop_word;
  uint64_t term_hash;
  bool operator==(const SeenToken&) const = default;
};

std::vector<SeenToken> all_tokens(Analyzer* analyzer, std::string_view text, bool words,
                                  uint32_t* end) {
  std::vector<SeenToken> tokens;
  auto keep = [&](const Token& t) {
    tokens.push_back({std::string(t.term), std::string(t.word), t.position, t.start, t.end,
                      t.stop_word, t.term_hash});
  };
  *end = words ? analyzer->analyze_words(text, keep) : analyzer->analyze(text, keep);
  return tokens;
}

TEST_CASE("the analyzer's fast paths give the general scan's tokens", "[analyzer][property]") {
  // Plain ASCII words (lower case, capitalised, with digits, about
  // kMaxTermBytes long) ended by every kind of byte, and the fragments.
  const std::string long_word(Analyzer::kMaxTermBytes - 1, 'q');
  std::vector<std::string> fragments = kFragments;
  for (const char* word : {"the", "The", "running", "RUNNING", "ran", "runs", "a1", "B2b", "x",
                           "and", "And", "Mr", "is", "it's", "3", "USA", "walked", "Walking"}) {
    fragments.emplace_back(word);
    fragments.push_back(std::string(word) + " ");
  }
  for (const char* end : {"", "r", "rs", "R", "é"}) fragments.push_back(long_word + end + " ");
  for (const char* separator : {" ", "\n", "-", "(", ")", "\"", ";", ":", "\t", "/"}) {
    fragments.emplace_back(separator);
  }
  std::mt19937 rng(20261207);
  std::uniform_int_distribution<size_t> length(0, 60);
  std::uniform_int_distribution<size_t> fragment(0, fragments.size() - 1);
  for (const StopWords stop : {StopWords::kNone, StopWords::kSnowball}) {
    for (const bool stem : {false, true}) {
      Analyzer fast(AnalyzerConfig{.stem = stem, .stop_words = stop});
      Analyzer reference(AnalyzerConfig{.stem = stem, .stop_words = stop});
      reference.use_fast_paths(false);
      size_t compared = 0;        // Tokens.
      size_t spans_compared = 0;  // Spans.
      for (int iteration = 0; iteration < 5'000; ++iteration) {
        std::string text;
        const size_t n = length(rng);
        for (size_t i = 0; i < n; ++i) text += fragments[fragment(rng)];
        for (const bool words : {false, true}) {
          uint32_t fast_end = 0, reference_end = 0;
          const std::vector<SeenToken> got = all_tokens(&fast, text, words, &fast_end);
          const std::vector<SeenToken> expected =
              all_tokens(&reference, text, words, &reference_end);
          const bool same = got == expected && fast_end == reference_end;
          compared += got.size();
          if (!same) {
            FAIL_CHECK("fast paths differ (stem " << stem << ", words " << words << ") on \""
                                                  << text << "\"");
          }
        }
        // Spans, whole and cut at a random number of tokens.
        const auto max_tokens = static_cast<uint32_t>(length(rng));
        for (const uint32_t most : {UINT32_MAX, max_tokens}) {
          std::vector<TokenSpan> got, expected;
          const uint32_t fast_end = fast.token_spans(text, &got, most);
          const uint32_t reference_end = reference.token_spans(text, &expected, most);
          bool same = fast_end == reference_end && got.size() == expected.size();
          for (size_t i = 0; same && i < got.size(); ++i) {
            same = got[i].start == expected[i].start && got[i].end == expected[i].end;
          }
          spans_compared += got.size();
          if (!same) {
            FAIL_CHECK("fast paths differ in token_spans (at most " << most << " tokens) on \""
                                                                    << text << "\"");
          }
        }
      }
      CHECK(compared > 100'000);
      CHECK(spans_compared > 100'000);
    }
  }
}

}  // namespace
}  // namespace scry
