// Analyzer throughput: bytes of text turned into terms per second, with and
// without stemming, over the bundled articles and over 20 Newsgroups.
//
// The bundled articles come from $SCRY_SOURCE_DIR/corpus, else ./corpus or
// ../corpus; 20 Newsgroups from ../shared/corpora/news/20newsgroups.jsonl
// beside the project root.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scry/input/readers.h"
#include "scry/text/analyzer.h"

namespace scry {
namespace {

namespace fs = std::filesystem;

constexpr size_t kCorpusBytes = size_t{4} << 20;
constexpr size_t kNewsgroupsBytes = size_t{16} << 20;

// The project root: $SCRY_SOURCE_DIR, else the source folder CMake
// configured.
std::optional<fs::path> project_root() {
  if (const char* dir = std::getenv("SCRY_SOURCE_DIR")) return fs::path(dir);
  return fs::path(SCRY_SOURCE_DIR);
}

std::string read_whole_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The bundled articles, concatenated and repeated to kCorpusBytes; empty
// when not found.
std::string load_corpus() {
  const std::optional<fs::path> root = project_root();
  if (!root || !fs::is_directory(*root / "corpus")) return {};
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(*root / "corpus")) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::string once;
  for (const fs::path& file : files) once += read_whole_file(file) + "\n";
  if (once.empty()) return {};
  std::string text;
  while (text.size() < kCorpusBytes) text += once;
  return text;
}

// The bodies of the first documents of 20 Newsgroups, up to
// kNewsgroupsBytes, read with scry's own JSON lines reader; empty when the
// file is not found.
std::string load_newsgroups() {
  const std::optional<fs::path> root = project_root();
  if (!root) return {};
  fs::path file = *root / ".." / "shared" / "corpora" / "news" / "20newsgroups.jsonl";
  if (!fs::exists(file)) return {};
  std::string text;
  InputReader reader(ReaderOptions{});
  DocumentSink sink;
  sink.on_document = [&text](Document&& doc) {
    text += doc.body;
    text += '\n';
    // Stops the reader once enough text is collected.
    return text.size() < kNewsgroupsBytes ? Status::ok() : Status::invalid_argument("enough");
  };
  (void)reader.read(file.string(), sink);
  if (text.size() > kNewsgroupsBytes) text.resize(kNewsgroupsBytes);
  return text;
}

const std::string& corpus_text() {
  static const std::string text = load_corpus();
  return text;
}

const std::string& newsgroups_text() {
  static const std::string text = load_newsgroups();
  return text;
}

// Arg "stem": 0 or 1.
void BM_Analyzer_Analyze(benchmark::State& state, const std::string& (*load)(),
                         const char* missing) {
  const std::string& text = load();
  if (text.empty()) {
    state.SkipWithError(missing);
    return;
  }
  Analyzer analyzer(AnalyzerConfig{.stem = state.range(0) != 0});
  uint64_t tokens = 0;
  for (auto _ : state) {
    tokens += analyzer.analyze(
        text, [](const Token& token) { benchmark::DoNotOptimize(token.term.data()); });
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
  state.counters["tokens"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_Analyzer_Analyze, corpus, &corpus_text,
                  "corpus/ not found under the project root (SCRY_SOURCE_DIR)")
    ->ArgNames({"stem"})
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(BM_Analyzer_Analyze, 20newsgroups, &newsgroups_text,
                  "../shared/corpora/news/20newsgroups.jsonl not found beside the project root")
    ->ArgNames({"stem"})
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace scry
