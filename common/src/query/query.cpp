#include "scry/query/query.h"

#include <string>

namespace scry {

namespace {

void render(const Query& query, std::string* out) {
  if (query.kind != Query::Kind::kBool) {
    if (query.field == Field::kTitle) out->append("title:");
    switch (query.kind) {
      case Query::Kind::kTerm:
        out->append(query.text);
        break;
      case Query::Kind::kPhrase:
        out->push_back('"');
        out->append(query.text);
        out->push_back('"');
        break;
      case Query::Kind::kPrefix:
        out->append(query.text);
        out->push_back('*');
        break;
      case Query::Kind::kFuzzy:
        out->append(query.text);
        out->push_back('~');
        out->append(std::to_string(query.max_edits));
        break;
      case Query::Kind::kBool:
        break;
    }
    return;
  }
  out->push_back('(');
  bool first = true;
  auto clauses = [&](const std::vector<Query>& list, const char* mark) {
    for (const Query& clause : list) {
      if (!first) out->push_back(' ');
      first = false;
      out->append(mark);
      render(clause, out);
    }
  };
  clauses(query.must, "+");
  clauses(query.should, "");
  clauses(query.must_not, "-");
  out->push_back(')');
}

}  // namespace

std::string to_string(const Query& query) {
  std::string out;
  render(query, &out);
  return out;
}

}  // namespace scry
