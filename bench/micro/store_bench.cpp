// Fetching from a document store (.store) of a real index: whole documents
// against ~600-byte body ranges (what a snippet reads in format version 4),
// and the meta record and layout alone, on random documents (fixed seed).
// One DocStoreReader, so its cache of decoded chunks or frames serves the
// repeats a random walk happens to make, as in a search process.
//
//   get            get(doc): meta record and the whole body
//   body_range     body_range(doc, b, b + 600), b uniform in the body
//   get_meta       get_meta(doc)
//   layout         layout(doc) (version 4: no decompression)
//
// Run: SCRY_STORE=INDEX/seg1.store store_bench --benchmark_min_time=2
// (any format version from 1; docs/PERFORMANCE.md, "Issue 14: store frames").
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/util/file.h"

namespace scry {
namespace {

constexpr uint32_t kSeed = 20261206;
constexpr uint32_t kRangeBytes = 600;

// The store named by $SCRY_STORE with the body size of every document;
// aborts the benchmark when it is missing or unreadable.
struct Store {
  std::unique_ptr<MappedFile> file;
  std::unique_ptr<DocStoreReader> reader;
  std::vector<uint32_t> body_bytes;
};

Store* open_store(benchmark::State& state) {
  static Store* store = [] {
    const char* path = std::getenv("SCRY_STORE");
    if (path == nullptr) return static_cast<Store*>(nullptr);
    auto file = MappedFile::open(path, kKindStore);
    if (!file) return static_cast<Store*>(nullptr);
    auto reader = DocStoreReader::open(**file);
    if (!reader) return static_cast<Store*>(nullptr);
    auto* s = new Store{std::move(file).value(), std::move(reader).value(), {}};
    for (uint32_t d = 0; d < s->reader->doc_count(); ++d) {
      auto layout = s->reader->layout(d);
      s->body_bytes.push_back(layout ? layout->body_bytes : 0);
    }
    return s;
  }();
  if (store == nullptr) state.SkipWithError("set SCRY_STORE to a readable .store file");
  return store;
}

void BM_get(benchmark::State& state) {
  Store* s = open_store(state);
  if (s == nullptr) return;
  std::mt19937 rng(kSeed);
  size_t bytes = 0;
  for (auto _ : state) {
    auto doc = s->reader->get(static_cast<uint32_t>(rng() % s->reader->doc_count()));
    if (!doc) state.SkipWithError(doc.status().message().c_str());
    bytes += doc->body.size();
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_get)->Name("get");

void BM_body_range(benchmark::State& state) {
  Store* s = open_store(state);
  if (s == nullptr) return;
  std::mt19937 rng(kSeed);
  for (auto _ : state) {
    const auto doc = static_cast<uint32_t>(rng() % s->reader->doc_count());
    const uint32_t begin =
        s->body_bytes[doc] == 0 ? 0 : static_cast<uint32_t>(rng() % s->body_bytes[doc]);
    auto range = s->reader->body_range(doc, begin, begin + kRangeBytes);
    if (!range) state.SkipWithError(range.status().message().c_str());
    benchmark::DoNotOptimize(range);
  }
}
BENCHMARK(BM_body_range)->Name("body_range");

void BM_get_meta(benchmark::State& state) {
  Store* s = open_store(state);
  if (s == nullptr) return;
  std::mt19937 rng(kSeed);
  for (auto _ : state) {
    auto doc = s->reader->get_meta(static_cast<uint32_t>(rng() % s->reader->doc_count()));
    benchmark::DoNotOptimize(doc);
  }
}
BENCHMARK(BM_get_meta)->Name("get_meta");

void BM_layout(benchmark::State& state) {
  Store* s = open_store(state);
  if (s == nullptr) return;
  std::mt19937 rng(kSeed);
  for (auto _ : state) {
    auto layout = s->reader->layout(static_cast<uint32_t>(rng() % s->reader->doc_count()));
    benchmark::DoNotOptimize(layout);
  }
}
BENCHMARK(BM_layout)->Name("layout");

}  // namespace
}  // namespace scry
