// Evaluation of ranked runs against relevance judgments, with the
// definitions of trec_eval (docs/EVALUATION.md).
//
//   * A run is ordered per query by descending score, ties by descending
//     document id (trec_eval's order; the rank column is ignored).
//   * Unjudged documents are not relevant; relevant means grade > 0.
//   * Queries without any relevant document are left out (and counted);
//     judged queries missing from the run count with every measure 0.
//
// Thread safety: pure functions on values.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "scry/util/status.h"

namespace scry {

// qid -> docid -> relevance grade.
using Qrels = std::map<std::string, std::map<std::string, int>>;

struct RunEntry {
  std::string doc;
  double score;
};
// qid -> retrieved documents (in file order).
using Run = std::map<std::string, std::vector<RunEntry>>;

// Parses "qid 0 docid grade" lines (tabs or spaces). Errors: InvalidArgument
// naming `name` and the line.
Result<Qrels> parse_qrels(const std::string& text, const std::string& name);
// Parses "qid Q0 docid rank score tag" lines. A document listed twice for a
// query keeps its first line. Errors: InvalidArgument naming `name` and line.
Result<Run> parse_run(const std::string& text, const std::string& name);

struct Measures {
  double map = 0;         // Mean average precision.
  double ndcg_10 = 0;     // nDCG cut at 10: gain = grade, discount log2(rank + 1).
  double p_10 = 0;        // Precision at 10.
  double recall_100 = 0;  // Recall at 100.
};

struct Evaluation {
  Measures mean;                              // Averages over `evaluated` queries.
  std::map<std::string, Measures> per_query;  // Each evaluated query.
  size_t evaluated = 0;
  size_t skipped = 0;  // Judged queries with no relevant document.
};

// The measures of one query's ranked documents.
Measures evaluate_query(const std::map<std::string, int>& judgments,
                        std::vector<RunEntry> retrieved);

Evaluation evaluate(const Qrels& qrels, const Run& run);

}  // namespace scry
