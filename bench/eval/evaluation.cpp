#include "evaluation.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace scry {

namespace {

// The whitespace-separated fields of `line`.
std::vector<std::string> fields_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string f; in >> f;) out.push_back(f);
  return out;
}

// Calls `each(fields, line_number)` for every non-blank line; stops at the
// first error.
template <typename F>
Status for_each_line(const std::string& text, F each) {
  std::istringstream in(text);
  size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    auto fields = fields_of(line);
    if (fields.empty()) continue;
    SCRY_RETURN_IF_ERROR(each(fields, number));
  }
  return Status::ok();
}

bool parse_number(const std::string& s, double* out) {
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0' && std::isfinite(*out);
}

}  // namespace

Result<Qrels> parse_qrels(const std::string& text, const std::string& name) {
  Qrels qrels;
  Status s = for_each_line(text, [&](const std::vector<std::string>& f, size_t line) {
    double grade = 0;
    if (f.size() != 4 || !parse_number(f[3], &grade) || grade != std::floor(grade)) {
      return Status::invalid_argument(name + ":" + std::to_string(line) +
                                      ": expected 'qid 0 docid grade'");
    }
    qrels[f[0]][f[2]] = static_cast<int>(grade);
    return Status::ok();
  });
  if (!s.is_ok()) return s;
  return qrels;
}

Result<Run> parse_run(const std::string& text, const std::string& name) {
  Run run;
  std::map<std::string, std::set<std::string>> seen;
  Status s = for_each_line(text, [&](const std::vector<std::string>& f, size_t line) {
    double score = 0;
    if (f.size() != 6 || !parse_number(f[4], &score)) {
      return Status::invalid_argument(name + ":" + std::to_string(line) +
                                      ": expected 'qid Q0 docid rank score tag'");
    }
    if (seen[f[0]].insert(f[2]).second) run[f[0]].push_back({f[2], score});
    return Status::ok();
  });
  if (!s.is_ok()) return s;
  return run;
}

Measures evaluate_query(const std::map<std::string, int>& judgments,
                        std::vector<RunEntry> retrieved) {
  std::sort(retrieved.begin(), retrieved.end(), [](const RunEntry& a, const RunEntry& b) {
    return a.score != b.score ? a.score > b.score : a.doc > b.doc;
  });
  auto grade = [&](const std::string& doc) {
    auto it = judgments.find(doc);
    return it == judgments.end() ? 0 : std::max(0, it->second);
  };
  std::vector<int> ideal;
  for (const auto& [doc, g] : judgments) {
    if (g > 0) ideal.push_back(g);
  }
  Measures m;
  if (ideal.empty()) return m;
  double relevant = static_cast<double>(ideal.size());
  std::sort(ideal.rbegin(), ideal.rend());
  double found = 0, precision_sum = 0, dcg = 0, idcg = 0;
  for (size_t i = 0; i < retrieved.size(); ++i) {
    int g = grade(retrieved[i].doc);
    if (g > 0) {
      found += 1;
      precision_sum += found / static_cast<double>(i + 1);
    }
    if (i < 10) {
      dcg += g / std::log2(static_cast<double>(i) + 2);
      if (g > 0) m.p_10 += 0.1;
    }
    if (i < 100 && g > 0) m.recall_100 += 1 / relevant;
  }
  for (size_t i = 0; i < ideal.size() && i < 10; ++i) {
    idcg += ideal[i] / std::log2(static_cast<double>(i) + 2);
  }
  m.map = precision_sum / relevant;
  m.ndcg_10 = dcg / idcg;
  return m;
}

Evaluation evaluate(const Qrels& qrels, const Run& run) {
  Evaluation e;
  for (const auto& [qid, judgments] : qrels) {
    bool any_relevant =
        std::any_of(judgments.begin(), judgments.end(), [](const auto& j) { return j.second > 0; });
    if (!any_relevant) {
      ++e.skipped;
      continue;
    }
    auto it = run.find(qid);
    Measures m = evaluate_query(judgments, it == run.end() ? std::vector<RunEntry>{} : it->second);
    e.per_query[qid] = m;
    e.mean.map += m.map;
    e.mean.ndcg_10 += m.ndcg_10;
    e.mean.p_10 += m.p_10;
    e.mean.recall_100 += m.recall_100;
    ++e.evaluated;
  }
  if (e.evaluated > 0) {
    double n = static_cast<double>(e.evaluated);
    e.mean.map /= n;
    e.mean.ndcg_10 /= n;
    e.mean.p_10 /= n;
    e.mean.recall_100 /= n;
  }
  return e;
}

}  // namespace scry
