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

#include "scry/text/analyzer.h"

namespace scry {
namespace {

namespace fs = std::filesystem;

constexpr size_t kCorpusBytes = size_t{4} << 20;
constexpr size_t kNewsgroupsBytes = size_t{16} << 20;

// The project root: $SCRY_SOURCE_DIR, else the current folder or its parent,
// whichever holds `corpus`.
std::optional<fs::path> project_root() {
  if (const char* dir = std::getenv("SCRY_SOURCE_DIR")) return fs::path(dir);
  for (const char* dir : {".", ".."}) {
    if (fs::is_directory(fs::path(dir) / "corpus")) return fs::path(dir);
  }
  return std::nullopt;
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

void append_utf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Reads four hex digits at line[i]; nullopt when they are not hex.
std::optional<uint32_t> hex4(std::string_view line, size_t i) {
  if (i + 4 > line.size()) return std::nullopt;
  uint32_t value = 0;
  for (size_t k = i; k < i + 4; ++k) {
    const char c = line[k];
    uint32_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = value * 16 + digit;
  }
  return value;
}

// Appends the decoded "body" string of one JSON line to `out`. A quoted
// `"body":` cannot occur inside a JSON string (its quotes would be escaped),
// so finding it finds the key. Lone surrogates become U+FFFD.
void append_body(std::string_view line, std::string* out) {
  size_t i = line.find("\"body\":");
  if (i == std::string_view::npos) return;
  i += 7;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size() || line[i] != '"') return;
  for (++i; i < line.size() && line[i] != '"'; ++i) {
    if (line[i] != '\\') {
      out->push_back(line[i]);
      continue;
    }
    if (++i >= line.size()) return;
    switch (line[i]) {
      case 'n': out->push_back('\n'); break;
      case 't': out->push_back('\t'); break;
      case 'r': out->push_back('\r'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'u': {
        std::optional<uint32_t> cp = hex4(line, i + 1);
        if (!cp) return;
        i += 4;
        if (*cp >= 0xD800 && *cp < 0xDC00 && i + 2 < line.size() && line[i + 1] == '\\' &&
            line[i + 2] == 'u') {
          const std::optional<uint32_t> low = hex4(line, i + 3);
          if (low && *low >= 0xDC00 && *low < 0xE000) {
            cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          }
        }
        append_utf8(*cp >= 0xD800 && *cp < 0xE000 ? 0xFFFD : *cp, out);
        break;
      }
      default: out->push_back(line[i]); break;
    }
  }
  out->push_back('\n');
}

// The bodies of the first documents of 20 Newsgroups, up to
// kNewsgroupsBytes; empty when the file is not found.
std::string load_newsgroups() {
  const std::optional<fs::path> root = project_root();
  if (!root) return {};
  std::ifstream in(*root / ".." / "shared" / "corpora" / "news" / "20newsgroups.jsonl",
                   std::ios::binary);
  std::string text;
  std::string line;
  while (text.size() < kNewsgroupsBytes && std::getline(in, line)) append_body(line, &text);
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
  state.counters["tokens"] = benchmark::Counter(static_cast<double>(tokens),
                                                benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_Analyzer_Analyze, corpus, &corpus_text,
                  "corpus/ not found (set SCRY_SOURCE_DIR or run from the project root)")
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
