// scry-eval: scores a TREC run against relevance judgments.
//
//   scry-eval QRELS RUN [--per-query]
//
// Prints "map", "ndcg_cut_10", "P_10", "recall_100", "num_q" (queries
// evaluated) and "num_q_skipped" (judged queries with no relevant document),
// one "name value" line each; with --per-query, also "name qid value" lines.
// Exit status 0, or 2 with a one-line error on bad input.
#include <cstdio>
#include <cstring>
#include <string>

#include "evaluation.h"
#include "scry/util/file.h"

int main(int argc, char** argv) {
  bool per_query = argc == 4 && std::strcmp(argv[3], "--per-query") == 0;
  if (argc != 3 && !per_query) {
    std::fprintf(stderr, "usage: scry-eval QRELS RUN [--per-query]\n");
    return 2;
  }
  auto qrels_text = scry::read_whole_file(argv[1]);
  auto run_text = scry::read_whole_file(argv[2]);
  auto qrels = qrels_text ? scry::parse_qrels(*qrels_text, argv[1]) : qrels_text.status();
  auto run = run_text ? scry::parse_run(*run_text, argv[2]) : run_text.status();
  for (const scry::Status& s : {qrels.status(), run.status()}) {
    if (!s.is_ok()) {
      std::fprintf(stderr, "scry-eval: error: %s\n", s.message().c_str());
      return 2;
    }
  }
  scry::Evaluation e = scry::evaluate(*qrels, *run);
  if (per_query) {
    for (const auto& [qid, m] : e.per_query) {
      std::printf("map %s %.4f\nndcg_cut_10 %s %.4f\nP_10 %s %.4f\nrecall_100 %s %.4f\n",
                  qid.c_str(), m.map, qid.c_str(), m.ndcg_10, qid.c_str(), m.p_10, qid.c_str(),
                  m.recall_100);
    }
  }
  std::printf(
      "map %.4f\nndcg_cut_10 %.4f\nP_10 %.4f\nrecall_100 %.4f\nnum_q %zu\nnum_q_skipped %zu\n",
      e.mean.map, e.mean.ndcg_10, e.mean.p_10, e.mean.recall_100, e.evaluated, e.skipped);
  return 0;
}
