// fuzz_query_parser: arbitrary bytes as a query string.
//
//   * parse_query() never crashes, and an error's position is inside the
//     text (or just past it), with a non-empty message; caret_message()
//     renders it, an excerpt of bounded size around the error however
//     long the text (kCaretColumns).
//   * A query that parses renders with to_string(), and that rendering
//     parses again (the empty query, rendered "()", excepted) to a tree
//     with the same leaves (kind, field, text; as a multiset). The re-parse
//     allows the depth the header promises for a parsed tree
//     (2 * max_depth + 2): rendering shows every Bool as parentheses.
//     The trees themselves may differ, equivalently: re-parsing flattens
//     the groups the rendering adds ("+a" renders "(+a)", which parses as
//     the group "(a)", the same matches and scores).
//     Excepted too: a tree with a should clause that is the word AND, OR or
//     NOT in the text field. Such a clause comes from flattening ("(+OR)"
//     is the group of one must clause, the word OR, so it is that word as
//     a should clause) and renders bare, "(OR)", which reads as an operator.
//     query.h says the rendering, copied without escaping, is not meant to
//     be parsed; this is the one case found where it does not.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "fuzz_util.h"
#include "scry/query/query_parser.h"

using scry::fuzz::check;

namespace {

using Leaf = std::tuple<int, int, std::string>;

void collect_leaves(const scry::Query& q, std::vector<Leaf>* out) {
  if (q.kind != scry::Query::Kind::kBool) {
    out->emplace_back(static_cast<int>(q.kind), static_cast<int>(q.field), q.text);
    return;
  }
  for (const auto* list : {&q.must, &q.should, &q.must_not}) {
    for (const auto& clause : *list) collect_leaves(clause, out);
  }
}

// True when a should clause somewhere is the bare word AND, OR or NOT (see
// the top): to_string() renders it as an operator.
bool has_bare_operator_word(const scry::Query& q) {
  for (const auto& clause : q.should) {
    if (clause.kind == scry::Query::Kind::kTerm && clause.field == scry::Field::kText &&
        (clause.text == "AND" || clause.text == "OR" || clause.text == "NOT")) {
      return true;
    }
  }
  for (const auto* list : {&q.must, &q.should, &q.must_not}) {
    for (const auto& clause : *list) {
      if (has_bare_operator_word(clause)) return true;
    }
  }
  return false;
}

std::vector<Leaf> leaves(const scry::Query& q) {
  std::vector<Leaf> out;
  collect_leaves(q, &out);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  scry::ParseLimits limits;
  scry::QueryError error{~size_t{0}, ""};
  auto query = scry::parse_query(text, limits, &error);
  if (!query.is_ok()) {
    check(error.position <= text.size(), "error position past the end", text);
    check(!error.message.empty(), "empty error message", text);
    check(!query.status().message().empty(), "empty status message", text);
    std::string caret = scry::caret_message(text, error);
    check(!caret.empty(), "empty caret message", text);
    check(caret.find("^ " + error.message) != std::string::npos, "caret line without message",
          text);
    // A long query is shown as an excerpt: at most 4 bytes per column.
    check(caret.size() <= 5 * scry::kCaretColumns + error.message.size() + 16,
          "caret display longer than its excerpt", text);
    return 0;
  }
  check(query->kind == scry::Query::Kind::kBool, "result is not a Bool", text);
  std::string rendered = scry::to_string(*query);
  const scry::Query& q = *query;
  if (q.must.empty() && q.should.empty() && q.must_not.empty()) {
    check(rendered == "()", "empty query does not render as ()", text);
    return 0;
  }
  if (has_bare_operator_word(q)) return 0;
  scry::ParseLimits relaxed = limits;
  relaxed.max_depth = 2 * limits.max_depth + 4;
  scry::QueryError error2{0, ""};
  auto again = scry::parse_query(rendered, relaxed, &error2);
  if (!again.is_ok()) {
    std::string what =
        "to_string() output does not parse: " + rendered + "  -> " + again.status().message();
    scry::fuzz::fail(what.c_str(), text);
  }
  if (leaves(*again) != leaves(q)) {
    std::string what =
        "round trip changes the leaves: " + rendered + "  ->  " + scry::to_string(*again);
    scry::fuzz::fail(what.c_str(), text);
  }
  return 0;
}
