// Query latency benchmark, in process, warm cache.
//
//   query_bench INDEX QUERIES.tsv [--no-snippets] [--k N] [--repeat R] [--exhaustive]
//
// Workloads: every line CLASS<TAB>QUERY of the query file. Measures the open
// time of the index (median of 20 opens), then for each query the median of
// R runs (default 5, after one warm-up run) of Engine::answer: parse + plan
// + weights + top-k search, + the hits' documents and snippets (unless
// --no-snippets), and prints per class the
// number of queries, p50, p99 and mean latency in microseconds. With
// --exhaustive every matching document is scored (SearchOptions::count_all,
// no pruning), to measure what pruning saves.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "scry/engine/engine.h"
#include "scry/format/index_reader.h"

namespace {

using Clock = std::chrono::steady_clock;

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: query_bench INDEX QUERIES.tsv [--no-snippets] [--k N] [--repeat R] "
                 "[--exhaustive]\n");
    return 2;
  }
  std::string dir = argv[1];
  bool snippets = true;
  size_t k = 10;
  int repeat = 5;
  bool exhaustive = false;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--no-snippets") snippets = false;
    if (a == "--exhaustive") exhaustive = true;
    if (a == "--k" && i + 1 < argc) k = std::stoul(argv[++i]);
    if (a == "--repeat" && i + 1 < argc) repeat = std::stoi(argv[++i]);
  }

  std::vector<double> opens;
  for (int i = 0; i < 20; ++i) {
    auto t0 = Clock::now();
    auto index = scry::IndexReader::open(dir);
    opens.push_back(micros(Clock::now() - t0));
    if (!index) {
      std::fprintf(stderr, "query_bench: %s\n", index.status().message().c_str());
      return 2;
    }
  }
  auto engine = scry::Engine::open(dir);
  if (!engine) {
    std::fprintf(stderr, "query_bench: %s\n", engine.status().message().c_str());
    return 2;
  }
  scry::QueryOptions options;  // As scry-search's defaults.
  options.k = k;
  options.count_all = exhaustive;
  options.snippets = snippets;
  options.documents = snippets;

  std::ifstream in(argv[2]);
  std::string line;
  std::map<std::string, std::vector<double>> by_class;
  std::vector<std::string> order;
  uint64_t total_hits = 0;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string cls = line.substr(0, tab);
    std::string text = line.substr(tab + 1);
    if (!by_class.count(cls)) order.push_back(cls);
    std::vector<double> runs;
    for (int r = 0; r <= repeat; ++r) {
      auto t0 = Clock::now();
      auto answer = (*engine)->answer(text, options);
      if (!answer) {
        std::fprintf(stderr, "query_bench: %s\n", answer.status().message().c_str());
        return 2;
      }
      if (answer->syntax_error) {
        std::fprintf(stderr, "query_bench: %s: %s\n", text.c_str(), answer->syntax_message.c_str());
        return 2;
      }
      if (r > 0) runs.push_back(micros(Clock::now() - t0));  // Run 0 warms up.
      if (r == 0) total_hits += answer->total_hits;
    }
    by_class[cls].push_back(percentile(runs, 0.5));
  }

  std::printf("index %s: open p50 %.0f us; %s snippets, k = %zu, %s, median of %d runs a query\n",
              dir.c_str(), percentile(opens, 0.5), snippets ? "with" : "no", k,
              exhaustive ? "exhaustive" : "pruned", repeat);
  std::printf("%-8s %8s %10s %10s %10s\n", "class", "queries", "p50_us", "p99_us", "mean_us");
  for (const auto& cls : order) {
    const auto& v = by_class[cls];
    double mean = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    std::printf("%-8s %8zu %10.0f %10.0f %10.0f\n", cls.c_str(), v.size(), percentile(v, 0.5),
                percentile(v, 0.99), mean);
  }
  std::printf("(matching documents over all queries: %llu)\n",
              static_cast<unsigned long long>(total_hits));
  return 0;
}
