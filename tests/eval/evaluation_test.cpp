// scry-eval's measures against values worked out by hand.
#include <catch2/catch.hpp>
#include <cmath>

#include "evaluation.h"

using namespace scry;

namespace {
std::vector<RunEntry> ranked(std::initializer_list<const char*> docs) {
  std::vector<RunEntry> out;
  double score = 100;
  for (const char* d : docs) out.push_back({d, score--});
  return out;
}
}  // namespace

TEST_CASE("eval: average precision, P@10 and recall@100 by hand", "[eval]") {
  // Relevant: a, b, c (3). Retrieved: a x b y: relevant at ranks 1 and 3.
  std::map<std::string, int> judgments = {{"a", 1}, {"b", 1}, {"c", 2}, {"x", 0}};
  Measures m = evaluate_query(judgments, ranked({"a", "x", "b", "y"}));
  CHECK(m.map == Approx((1.0 / 1 + 2.0 / 3) / 3));
  CHECK(m.p_10 == Approx(2.0 / 10));  // Fewer than 10 retrieved still divides by 10.
  CHECK(m.recall_100 == Approx(2.0 / 3));
}

TEST_CASE("eval: nDCG@10 uses grades and log2 discounts", "[eval]") {
  // Grades: a = 2, b = 1. Run: b a. DCG = 1/log2(2) + 2/log2(3);
  // ideal: a b -> 2/log2(2) + 1/log2(3).
  std::map<std::string, int> judgments = {{"a", 2}, {"b", 1}};
  Measures m = evaluate_query(judgments, ranked({"b", "a"}));
  double dcg = 1.0 + 2.0 / std::log2(3.0);
  double idcg = 2.0 + 1.0 / std::log2(3.0);
  CHECK(m.ndcg_10 == Approx(dcg / idcg));
  // Only the first 10 ranks count: a relevant document at rank 11 adds nothing.
  Measures late =
      evaluate_query({{"r", 1}}, ranked({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "r"}));
  CHECK(late.ndcg_10 == 0);
  CHECK(late.p_10 == 0);
  CHECK(late.map == Approx(1.0 / 11));
  CHECK(late.recall_100 == 1);
}

TEST_CASE("eval: runs are ordered by score, ties by descending docid, not by rank", "[eval]") {
  std::map<std::string, int> judgments = {{"d1", 1}};
  // d1 and d2 tie; trec_eval puts d2 (the larger docid) first.
  std::vector<RunEntry> run = {{"d1", 5.0}, {"d2", 5.0}};
  CHECK(evaluate_query(judgments, run).map == Approx(1.0 / 2));
  // A higher score wins whatever the order of lines.
  run = {{"d2", 1.0}, {"d1", 2.0}};
  CHECK(evaluate_query(judgments, run).map == Approx(1.0));
}

TEST_CASE("eval: unjudged, unretrieved and relevance-free queries", "[eval]") {
  auto qrels = parse_qrels(
      "1\t0\ta\t1\n1 0 b 0\n"  // Query 1: one relevant (a); b judged not relevant.
      "2\t0\tc\t0\n"           // Query 2: nothing relevant: left out and counted.
      "3\t0\td\t1\n",          // Query 3: not in the run: zeros.
      "q");
  REQUIRE(qrels.is_ok());
  auto run = parse_run(
      "1 Q0 z 1 3.0 t\n1 Q0 a 2 2.0 t\n1 Q0 a 3 1.0 t\n"  // z unjudged; a twice: first kept.
      "2 Q0 c 1 1.0 t\n",
      "r");
  REQUIRE(run.is_ok());
  CHECK((*run)["1"].size() == 2);
  Evaluation e = evaluate(*qrels, *run);
  CHECK(e.evaluated == 2);
  CHECK(e.skipped == 1);
  CHECK(e.per_query["1"].map == Approx(1.0 / 2));
  CHECK(e.per_query["3"].map == 0);
  CHECK(e.mean.map == Approx((0.5 + 0.0) / 2));
  CHECK(e.mean.recall_100 == Approx((1.0 + 0.0) / 2));
}

TEST_CASE("eval: malformed lines name the file and line", "[eval]") {
  auto qrels = parse_qrels("1 0 a 1\n1 0 b\n", "qrels.tsv");
  REQUIRE(!qrels.is_ok());
  CHECK(qrels.status().message().find("qrels.tsv:2") != std::string::npos);
  auto run = parse_run("1 Q0 a 1 2.0 t\n\n1 Q0 b 2 high t\n", "my.run");
  REQUIRE(!run.is_ok());
  CHECK(run.status().message().find("my.run:3") != std::string::npos);
}
