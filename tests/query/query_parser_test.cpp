#include "scry/query/query_parser.h"

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scry/query/query.h"

namespace scry {
namespace {

struct Row {
  std::string input;
  std::string expected;  // to_string of the parse.
};

void check_rows(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    INFO("input: [" << row.input << "]");
    auto query = parse_query(row.input);
    REQUIRE(query.status().message() == "");
    CHECK(to_string(*query) == row.expected);
  }
}

struct ErrorRow {
  std::string input;
  size_t column;
  std::string message;  // A substring of the error message.
  ParseLimits limits = {};
};

void check_errors(const std::vector<ErrorRow>& rows) {
  for (const ErrorRow& row : rows) {
    INFO("input: [" << row.input << "]");
    QueryError error{0, ""};
    auto query = parse_query(row.input, row.limits, &error);
    REQUIRE_FALSE(query.is_ok());
    CHECK(query.status().code() == Status::Code::kInvalidArgument);
    CHECK(query.status().message() == "query:" + std::to_string(row.column) + ": " + error.message);
    CHECK_THAT(error.message, Catch::Contains(row.message));
  }
}

Query term(std::string text, size_t position, Field field = Field::kText) {
  Query q;
  q.kind = Query::Kind::kTerm;
  q.field = field;
  q.text = std::move(text);
  q.position = position;
  return q;
}

TEST_CASE("to_string renders leaves and Bools", "[query]") {
  Query top;
  CHECK(to_string(top) == "()");
  Query phrase = term("trillion yuan", 0);
  phrase.kind = Query::Kind::kPhrase;
  Query prefix = term("zhip", 0, Field::kTitle);
  prefix.kind = Query::Kind::kPrefix;
  Query title_phrase = phrase;
  title_phrase.field = Field::kTitle;
  Query inner;
  inner.should = {term("a", 0), term("b", 0)};
  top.must_not = {term("huawei", 0)};
  top.should = {prefix, inner};
  top.must = {term("glm", 0), phrase, title_phrase};
  CHECK(to_string(top) ==
        "(+glm +\"trillion yuan\" +title:\"trillion yuan\" title:zhip* (a b) -huawei)");
  CHECK(to_string(term("glm", 0, Field::kTitle)) == "title:glm");
}

TEST_CASE("words, OR and adjacency give should clauses", "[query_parser]") {
  check_rows({
      {"", "()"},
      {"   ", "()"},
      {" \t\r\n ", "()"},
      {"glm", "(glm)"},
      {"glm zhipu", "(glm zhipu)"},
      {"  glm \t  zhipu\n", "(glm zhipu)"},
      {"glm OR zhipu", "(glm zhipu)"},
      {"a OR b OR c", "(a b c)"},
      {"a OR b c", "(a b c)"},
      {"a\xC2\xA0"
       "b",
       "(a b)"},                                                        // No-break space.
      {"\xE6\x99\xBA\xE8\xB0\xB1\xE3\x80\x80\xE5\x8D\x8E\xE4\xB8\xBA",  // 智谱　华为 (U+3000)
       "(\xE6\x99\xBA\xE8\xB0\xB1 \xE5\x8D\x8E\xE4\xB8\xBA)"},
      // Control characters separate words, NUL included.
      {std::string("glm\0zhipu", 9), "(glm zhipu)"},
      {"glm\x01zhipu\x1F\x7F+ai", "(+ai glm zhipu)"},
  });
}

TEST_CASE("AND chains give must clauses and bind tighter than OR", "[query_parser]") {
  check_rows({
      {"glm AND zhipu", "(+glm +zhipu)"},
      {"a AND b AND c", "(+a +b +c)"},
      {"a b AND c", "(a (+b +c))"},
      {"a AND b c", "((+a +b) c)"},
      {"a OR b AND c OR d", "(a (+b +c) d)"},
      {"a AND b OR c AND d", "((+a +b) (+c +d))"},
      {"a AND b c AND d e", "((+a +b) (+c +d) e)"},
      {"a AND -b", "(+a -b)"},
      {"a AND NOT b", "(+a -b)"},
      {"a AND +b", "(+a +b)"},
      {"+a AND b", "(+a +b)"},
      {"-a AND b", "(+b -a)"},
      {"NOT a AND b", "(+b -a)"},
      {"-a AND -b", "(-a -b)"},
      {"x a AND -b AND c", "(x (+a +c -b))"},
      {"+x a AND b", "(+x (+a +b))"},
      {"a AND b -c", "((+a +b) -c)"},
  });
}

TEST_CASE("unary operators give must and must_not clauses", "[query_parser]") {
  check_rows({
      {"+a", "(+a)"},
      {"-a", "(-a)"},
      {"NOT a", "(-a)"},
      {"+a b -c", "(+a b -c)"},
      {"a -b +c", "(+c a -b)"},
      {"a NOT b", "(a -b)"},
      {"a OR NOT b", "(a -b)"},
      {"a OR -b", "(a -b)"},
      {"-a -b", "(-a -b)"},
      {"+a +b", "(+a +b)"},
      {"-5", "(-5)"},
      {"+AND -NOT +OR", "(+AND +OR -NOT)"},  // Glued to '+'/'-', they are words.
      {"-\"a b\" +(c d)", "(+(c d) -\"a b\")"},
  });
}

TEST_CASE("parentheses group into nested Bools, flattened where equal", "[query_parser]") {
  check_rows({
      {"(a b)", "(a b)"},
      {"((a b))", "(a b)"},
      {"(a)", "(a)"},
      {"((((a))))", "(a)"},
      {"( a )", "(a)"},
      {"x (a b)", "(x (a b))"},
      {"x (a)", "(x a)"},
      {"x (+a)", "(x a)"},
      {"x (-a)", "(x (-a))"},
      {"(-a)", "(-a)"},
      {"+(a b)", "(a b)"},
      {"+(a b) c", "(+(a b) c)"},
      {"-(a b)", "(-(a b))"},
      {"NOT (a b) c", "(c -(a b))"},
      {"-(a)", "(-a)"},
      {"+(a) x", "(+a x)"},
      {"(a AND b)", "(+a +b)"},
      {"((a AND b))", "(+a +b)"},
      {"x (a AND b)", "(x (+a +b))"},
      {"(a OR b) AND c", "(+(a b) +c)"},
      {"a AND (b OR c)", "(+a +(b c))"},
      {"a AND (b)", "(+a +b)"},
      {"(a AND b) AND c", "(+(+a +b) +c)"},
      {"(a b)(c d)", "((a b) (c d))"},
      {"a(b)", "(a b)"},
      {"(a (b (c d)))", "(a (b (c d)))"},
      {"(a -b) AND NOT (c d)", "(+(a -b) -(c d))"},
  });
}

TEST_CASE("title: applies to the next word, phrase, prefix or group", "[query_parser]") {
  check_rows({
      {"title:glm", "(title:glm)"},
      {"title:\"trillion yuan\"", "(title:\"trillion yuan\")"},
      {"title:zhip*", "(title:zhip*)"},
      {"title:glm zhipu", "(title:glm zhipu)"},
      {"title:(a \"b c\" d*)", "(title:a title:\"b c\" title:d*)"},
      {"title:(a -b) c", "((title:a -title:b) c)"},
      {"title:(a (b AND c))", "(title:a (+title:b +title:c))"},
      {"title:(a title:b)", "(title:a title:b)"},
      {"-title:glm", "(-title:glm)"},
      {"NOT title:glm x", "(x -title:glm)"},
      {"+title:(a b)", "(title:a title:b)"},
      {"a AND title:b", "(+a +title:b)"},
      {"title:AND", "(title:AND)"},
      {"title:title:x", "(title:title:x)"},
      {"Title:glm", "(Title:glm)"},  // Field names are lower case.
  });
}

TEST_CASE("prefixes", "[query_parser]") {
  check_rows({
      {"zhip*", "(zhip*)"},
      {"zhip**", "(zhip*)"},
      {"glm-4*", "(glm-4*)"},
      {"a*b", "(a*b)"},
      {"*foo", "(*foo)"},
      {"+zhip* -hua*", "(+zhip* -hua*)"},
      {"\xE6\x99\xBA*", "(\xE6\x99\xBA*)"},  // 智*
  });
}

TEST_CASE("phrases", "[query_parser]") {
  check_rows({
      {"\"trillion yuan\"", "(\"trillion yuan\")"},
      {"\"glm\"", "(\"glm\")"},
      {"\" spaced  out \"", "(\" spaced  out \")"},
      {"\"GLM-4.7 AND (x) -y*\"", "(\"GLM-4.7 AND (x) -y*\")"},
      {"a\"b c\"d", "(a \"b c\" d)"},
      {"\"a b\"\"c d\"", "(\"a b\" \"c d\")"},
      {"+\"a b\" -\"c d\"", "(+\"a b\" -\"c d\")"},
      {"\"a b\" AND c", "(+\"a b\" +c)"},
      {"\"\xE8\xB5\x84\xE6\x9C\xAC\xE5\xB8\x82\xE5\x9C\xBA\"",  // "资本市场"
       "(\"\xE8\xB5\x84\xE6\x9C\xAC\xE5\xB8\x82\xE5\x9C\xBA\")"},
  });
}

TEST_CASE("operators are upper case; other text stays words", "[query_parser]") {
  check_rows({
      {"a and b", "(a and b)"},
      {"a or b", "(a or b)"},
      {"not a", "(not a)"},
      {"And Or Not", "(And Or Not)"},
      {"ANDROID ORACLE NOTE", "(ANDROID ORACLE NOTE)"},
      {"GLM-4.7", "(GLM-4.7)"},
      {"C++ a-b x+y", "(C++ a-b x+y)"},
      {"U.S. China\xE2\x80\x99s", "(U.S. China\xE2\x80\x99s)"},
      {"http://z.ai/glm?x=1", "(http://z.ai/glm?x=1)"},
      {"10:30 body:x", "(10:30 body:x)"},
      {"body:(a b)", "(body: (a b))"},
      {"press@zhipuai.cn", "(press@zhipuai.cn)"},
      {"\xE6\x99\xBA\xE8\xB0\xB1"
       "AI",
       "(\xE6\x99\xBA\xE8\xB0\xB1"
       "AI)"},  // 智谱AI
      {"title:\xE6\x99\xBA\xE8\xB0\xB1", "(title:\xE6\x99\xBA\xE8\xB0\xB1)"},
  });
}

TEST_CASE("nodes record their byte positions", "[query_parser]") {
  auto query = parse_query("  x  title:b -c a AND d (e f)");
  REQUIRE(query.is_ok());
  CHECK(query->position == 0);
  REQUIRE(query->should.size() == 4);
  CHECK(query->should[0] == term("x", 2));
  CHECK(query->should[1] == term("b", 5, Field::kTitle));
  CHECK(query->should[2].position == 16);  // The AND chain.
  CHECK(query->should[2].must[1] == term("d", 22));
  CHECK(query->should[3].position == 24);  // The group.
  REQUIRE(query->must_not.size() == 1);
  CHECK(query->must_not[0] == term("c", 14));
  auto chain = parse_query("   a AND b");
  REQUIRE(chain.is_ok());
  CHECK(chain->position == 0);
  CHECK(chain->must[0] == term("a", 3));
}

TEST_CASE("syntax errors name the column and the problem", "[query_parser]") {
  check_errors({
      {"(a b", 1, "missing ')'"},
      {"a (b (c) d", 3, "missing ')'"},
      {"((a", 2, "missing ')'"},
      {"title:(a", 1, "missing ')'"},
      {")", 1, "unexpected ')'"},
      {"a)", 2, "unexpected ')'"},
      {"(a))", 4, "unexpected ')'"},
      {"a AND )", 7, "unexpected ')'"},
      {"\"abc", 1, "missing closing quote"},
      {"a \"b c", 3, "missing closing quote"},
      {"\"a\" \"b", 5, "missing closing quote"},
      {"title:\"trillion yuan", 7, "missing closing quote"},
      {"AND a", 1, "missing operand before 'AND'"},
      {"OR a", 1, "missing operand before 'OR'"},
      {"(AND a)", 2, "missing operand before 'AND'"},
      {"a AND", 3, "missing operand after 'AND'"},
      {"a OR", 3, "missing operand after 'OR'"},
      {"a AND AND b", 3, "missing operand after 'AND'"},
      {"a AND OR b", 3, "missing operand after 'AND'"},
      {"a OR AND b", 3, "missing operand after 'OR'"},
      {"(a AND) b", 4, "missing operand after 'AND'"},
      {"NOT", 1, "missing operand after 'NOT'"},
      {"a NOT", 3, "missing operand after 'NOT'"},
      {"NOT AND a", 1, "missing operand after 'NOT'"},
      {"+", 1, "missing operand after '+'"},
      {"-", 1, "missing operand after '-'"},
      {"a -", 3, "missing operand after '-'"},
      {"a - b", 3, "missing operand after '-'"},
      {"a + b", 3, "missing operand after '+'"},
      {"(a +)", 4, "missing operand after '+'"},
      {"NOT NOT a", 5, "'NOT' cannot follow 'NOT'"},
      {"NOT -a", 5, "'-' cannot follow 'NOT'"},
      {"+-a", 2, "'-' cannot follow '+'"},
      {"--a", 2, "'-' cannot follow '-'"},
      {"*", 1, "empty prefix"},
      {"a **", 3, "empty prefix"},
      {"-*", 2, "empty prefix"},
      {"title:*", 7, "empty prefix"},
      {"\"\"", 1, "empty phrase"},
      {"a \" \t \"", 3, "empty phrase"},
      {"title:\"\"", 7, "empty phrase"},
      {"\"a b\"*", 6, "a phrase cannot be a prefix"},
      {"()", 1, "empty parentheses"},
      {"a ( ) b", 3, "empty parentheses"},
      {"title:", 1, "missing operand after 'title:'"},
      {"title: glm", 1, "missing operand after 'title:'"},
      {"(title:)", 2, "missing operand after 'title:'"},
      // Columns count characters: 智谱 is two columns, not six bytes.
      {"\xE6\x99\xBA\xE8\xB0\xB1 (\xE5\x8D\x8E", 4, "missing ')'"},
      {"\xE6\x99\xBA\xE8\xB0\xB1\"\xE5\x8D\x8E", 3, "missing closing quote"},
      {"((( a )))", 3, "query nested too deeply (limit 2)", ParseLimits{.max_depth = 2}},
      {"(a)", 1, "query nested too deeply (limit 0)", ParseLimits{.max_depth = 0}},
      {"a b c d", 7, "too many terms (limit 3)", ParseLimits{.max_clauses = 3}},
      {"a (b \"c\" d*)", 10, "too many terms (limit 3)", ParseLimits{.max_clauses = 3}},
  });
}

TEST_CASE("limits are inclusive", "[query_parser]") {
  CHECK(parse_query("((a))", ParseLimits{.max_depth = 2}).is_ok());
  CHECK(parse_query("a b c", ParseLimits{.max_clauses = 3}).is_ok());
}

TEST_CASE("the error is optional and the status carries it", "[query_parser]") {
  auto query = parse_query("a AND");
  REQUIRE_FALSE(query.is_ok());
  CHECK(query.status().message() == "query:3: missing operand after 'AND'");
}

TEST_CASE("caret_message points at the error column", "[query_parser]") {
  // Plain pointers: an initializer list of aggregates holding std::string
  // trips GCC 12's -Wmaybe-uninitialized at -O3 (a false positive).
  struct CaretRow {
    const char* text;
    struct {
      size_t position;
      const char* message;
    } error;
    const char* expected;
  };
  const std::vector<CaretRow> rows = {
      {"title:\"trillion yuan",
       {6, "missing closing quote"},
       "title:\"trillion yuan\n      ^ missing closing quote"},
      {"(a", {0, "missing ')'"}, "(a\n^ missing ')'"},
      {"a AND", {5, "x"}, "a AND\n     ^ x"},  // The end of the text.
      {"", {0, "x"}, "\n^ x"},
      {"ab", {9, "x"}, "ab\n  ^ x"},  // Past the end: after the last character.
      // 智谱 is four terminal columns wide.
      {"\xE6\x99\xBA\xE8\xB0\xB1 (x",
       {7, "missing ')'"},
       "\xE6\x99\xBA\xE8\xB0\xB1 (x\n     ^ missing ')'"},
      // Tabs are copied so that the caret lines up whatever the tab stops.
      {"a\t(b", {2, "missing ')'"}, "a\t(b\n \t^ missing ')'"},
      // Control characters are shown as spaces; invalid bytes as U+FFFD.
      {"a\nb)", {3, "unexpected ')'"}, "a b)\n   ^ unexpected ')'"},
      {"\xFF)", {1, "unexpected ')'"}, "\xEF\xBF\xBD)\n ^ unexpected ')'"},
      // A combining accent takes no column.
      {"e\xCC\x81x)", {4, "unexpected ')'"}, "e\xCC\x81x)\n  ^ unexpected ')'"},
  };
  for (const CaretRow& row : rows) {
    INFO("text: [" << row.text << "]");
    CHECK(caret_message(row.text, QueryError{row.error.position, row.error.message}) ==
          row.expected);
  }
  QueryError error{0, ""};
  REQUIRE_FALSE(parse_query("a AND (b c", {}, &error).is_ok());
  CHECK(caret_message("a AND (b c", error) == "a AND (b c\n      ^ missing ')'");
}

// Leaves in the tree; checks the invariants of a parsed query on the way.
size_t check_tree(const Query& query, bool top) {
  if (query.kind != Query::Kind::kBool) {
    CHECK(!query.text.empty());
    CHECK(query.must.empty());
    CHECK(query.should.empty());
    CHECK(query.must_not.empty());
    return 1;
  }
  CHECK(query.text.empty());
  if (!top) CHECK(query.must.size() + query.should.size() + query.must_not.size() > 0);
  size_t leaves = 0;
  for (const auto* list : {&query.must, &query.should, &query.must_not}) {
    for (const Query& clause : *list) leaves += check_tree(clause, false);
  }
  return leaves;
}

TEST_CASE("random queries parse or fail at a column inside the text", "[query_parser]") {
  const std::vector<std::string> alphabet = {"a", "b", "(",   ")",  "\"",  "+",      "-",
                                             "*", ":", "AND", "OR", "NOT", "title:", " "};
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<size_t> length(0, 24);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  const ParseLimits limits{.max_clauses = 8, .max_depth = 4};
  size_t parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (size_t n = length(rng); n > 0; --n) text += alphabet[pick(rng)];
    INFO("input: [" << text << "]");
    QueryError error{0, ""};
    auto query = parse_query(text, limits, &error);
    if (query.is_ok()) {
      ++parsed;
      CHECK(check_tree(*query, true) <= limits.max_clauses);
      CHECK(to_string(*query).front() == '(');
    } else {
      // ASCII only: the column is the byte position plus one.
      const size_t column = error.position + 1;
      CHECK(column >= 1);
      CHECK(column <= text.size() + 1);
      CHECK(query.status().message() == "query:" + std::to_string(column) + ": " + error.message);
      CHECK(caret_message(text, error).find("^ " + error.message) != std::string::npos);
    }
  }
  CHECK(parsed > 1000);  // The alphabet produces valid queries too.
}

TEST_CASE("random bytes never crash the parser or the caret display", "[query_parser]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> length(0, 32);
  std::uniform_int_distribution<int> byte(0, 255);
  const std::string syntax = "()\"+-*: \t";
  std::uniform_int_distribution<size_t> pick(0, syntax.size() - 1);
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    for (size_t n = length(rng); n > 0; --n) {
      text += i % 2 == 0 ? static_cast<char>(byte(rng)) : syntax[pick(rng)];
      if (i % 2 == 1 && n % 3 == 0) text += "\xE6\x99\xBA";  // 智
    }
    QueryError error{0, ""};
    auto query = parse_query(text, {}, &error);
    if (!query.is_ok()) {
      CHECK(error.position <= text.size());
      CHECK(caret_message(text, error).find("^ " + error.message) != std::string::npos);
    }
  }
}

TEST_CASE("10,000 nested parentheses fail at the depth limit", "[query_parser]") {
  const std::string deep = std::string(10000, '(') + "a" + std::string(10000, ')');
  QueryError error{0, ""};
  auto query = parse_query(deep, {}, &error);
  REQUIRE_FALSE(query.is_ok());
  CHECK(query.status().message() == "query:65: query nested too deeply (limit 64)");
  CHECK(error.position == 64);
  REQUIRE_FALSE(parse_query(std::string(10000, '(')).is_ok());
  // The limit can be raised to kMaxQueryDepth and no further: what uses the
  // tree recurses (tests/engine/engine_test.cpp runs the deepest query).
  auto raised = parse_query(deep, ParseLimits{.max_depth = 20000});
  REQUIRE_FALSE(raised.is_ok());
  CHECK(raised.status().message() == "query:257: query nested too deeply (limit 256)");
  const std::string deepest =
      std::string(kMaxQueryDepth, '(') + "a" + std::string(kMaxQueryDepth, ')');
  auto ok = parse_query(deepest, ParseLimits{.max_depth = 20000});
  REQUIRE(ok.is_ok());
  CHECK(to_string(*ok) == "(a)");
}

TEST_CASE("caret_message shows a long query as an excerpt around the error", "[query_parser]") {
  std::string words;
  for (int i = 0; i < 10000; ++i) words += "w" + std::to_string(i) + " ";
  QueryError error{0, ""};
  REQUIRE_FALSE(parse_query(words, {}, &error).is_ok());
  const std::string message = caret_message(words, error);
  INFO(message);
  const size_t newline = message.find('\n');
  REQUIRE(newline != std::string::npos);
  const std::string line = message.substr(0, newline);
  const std::string caret = message.substr(newline + 1);
  CHECK(line.size() <= kCaretColumns + 6);
  CHECK(line.rfind("...", 0) == 0);
  CHECK(line.substr(line.size() - 3) == "...");
  // The caret is under the first term past the limit, w1024.
  const size_t at = caret.find('^');
  CHECK(line.compare(at, 5, "w1024") == 0);
  CHECK(caret.substr(at) == "^ too many terms (limit 1024)");
  // Near the start or the end, the excerpt is cut on one side only.
  const std::string tail = caret_message(words, QueryError{words.size(), "here"});
  CHECK(tail.rfind("...", 0) == 0);
  CHECK(tail.substr(0, tail.find('\n')).size() <= kCaretColumns + 3);
  CHECK(tail.find("w9999 \n") != std::string::npos);
  const std::string head = caret_message(words, QueryError{0, "here"});
  CHECK(head.rfind("w0 w1 ", 0) == 0);
  CHECK(head.find("...\n^ here") != std::string::npos);
  // Wide characters count two columns.
  std::string wide;
  for (int i = 0; i < 100; ++i) wide += "\xE6\x99\xBA";  // 智
  const std::string cjk = caret_message(wide, QueryError{150, "x"});
  CHECK(cjk.substr(0, cjk.find('\n')).size() == 3 + 40 * 3 + 3);
  // A query that fits is shown whole.
  CHECK(caret_message("a AND (b c", QueryError{6, "missing ')'"}) ==
        "a AND (b c\n      ^ missing ')'");
}

TEST_CASE("100 KB queries parse in one pass", "[query_parser]") {
  std::string words;
  while (words.size() < 100 * 1024) words += "word ";
  const size_t count = words.size() / 5;
  auto limited = parse_query(words);
  REQUIRE_FALSE(limited.is_ok());
  CHECK(limited.status().message() ==
        "query:" + std::to_string(1024 * 5 + 1) + ": too many terms (limit 1024)");
  auto all = parse_query(words, ParseLimits{.max_clauses = count});
  REQUIRE(all.is_ok());
  CHECK(all->should.size() == count);

  std::string chain = "a";
  while (chain.size() < 100 * 1024) chain += " AND a";
  auto anded = parse_query(chain, ParseLimits{.max_clauses = chain.size()});
  REQUIRE(anded.is_ok());
  CHECK(anded->must.size() == (chain.size() - 1) / 6 + 1);

  const std::string phrase = "\"" + words + "\"";
  CHECK(parse_query(phrase).is_ok());
  CHECK(parse_query(phrase.substr(0, phrase.size() - 1)).status().message() ==
        "query:1: missing closing quote");
  CHECK(parse_query(std::string(100 * 1024, 'x')).is_ok());
  const std::string mixed_limits = std::string(50 * 1024, '(') + std::string(50 * 1024, ')');
  CHECK(parse_query(mixed_limits).status().message() ==
        "query:65: query nested too deeply (limit 64)");
}

}  // namespace
}  // namespace scry
