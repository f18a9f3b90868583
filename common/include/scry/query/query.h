// Query: the parsed form of a scry query string (docs/QUERY.md).
//
//   plain words          ranked OR ("should" clauses)
//   +word  -word         required / excluded
//   "a phrase"           words at consecutive positions
//   a AND b, a OR b, NOT a, ( ... )
//   prefix*              every term starting with "prefix" (ranked OR)
//   word~N, word~        every term within N (0-2; 2 without N) edits of
//                        "word" (ranked OR)
//   title:word, title:"a phrase", title:pre*, title:( ... )
//                        restricted to the title field
//
// Precedence, loosest first: adjacency and OR (both "should"), AND, then
// NOT / + / - (unary). `a b AND c` is `a OR (b AND c)`; `a AND b c` is
// `(a AND b) OR c`. Words are raw text here; the planner analyzes them with
// the index's analyzer (a word that gives several terms becomes a phrase).
//
// Thread safety: a plain value.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "scry/format/format.h"

namespace scry {

struct Query {
  enum class Kind {
    kTerm,    // `text` is one raw word.
    kPhrase,  // `text` is the raw text between the quotes.
    kPrefix,  // `text` is the raw prefix (without the '*').
    kFuzzy,   // `text` is the raw word (without the '~N'), within `max_edits`.
    kBool,    // must / should / must_not clauses.
  };
  Kind kind = Kind::kBool;
  Field field = Field::kText;  // For leaves.
  std::string text;            // For leaves.
  int max_edits = 0;           // For kFuzzy: 0, 1 or 2.
  // For kBool. A document matches when it matches every `must` clause, no
  // `must_not` clause, and, when `must` is empty, at least one `should`
  // clause. Its score is the sum of the scores of the clauses it matches
  // (`must_not` never scores).
  std::vector<Query> must;
  std::vector<Query> should;
  std::vector<Query> must_not;
  // Byte offset of the node's start in the query string: a leaf's first
  // character (the 't' of "title:" if it has one; not its '+', '-' or NOT),
  // a group's '(' (or "title:("), an AND chain's first operand (with its
  // unary operator). The whole query's Bool is at 0.
  size_t position = 0;

  bool operator==(const Query&) const = default;
};

// A readable, deterministic rendering of the tree for tests and --explain:
//   term     glm            title:glm
//   phrase   "trillion yuan"  title:"trillion yuan"
//   prefix   zhip*          title:zhip*
//   fuzzy    zhipu~1        title:zhipu~2 (the distance always written)
//   Bool     "(" clauses joined by single spaces ")": first the must clauses,
//            each marked '+', then the should clauses, unmarked, then the
//            must_not clauses, marked '-'; each list in its own order. An
//            empty Bool is "()".
// e.g. (+glm +"trillion yuan" title:zhip* (a b) -huawei). Leaf text is
// copied as is (no escaping), so the rendering is not meant to be parsed.
std::string to_string(const Query& query);

}  // namespace scry
