// Integer codecs on postings-like data: 128-value bit-packing (the postings
// codec) against LEB128 varints and, when built with SCRY_HAVE_STREAMVBYTE
// (and linked with -lstreamvbyte), the streamvbyte library.
//
// Every codec runs over the same 2^20 integers, cut into 128-value blocks:
//   <codec>/gaps          doc-id gaps of a Zipf-distributed vocabulary (below)
//   <codec>/uniform/bits:N values uniform in [0, 2^N), so every block is N bits wide
// items/s counts integers; the bits_per_int counter is the encoded size.
//
// Run: codec_bench --benchmark_min_time=1 (see docs/CODEC.md for the figures).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "scry/codec/bitpack.h"
#include "scry/codec/varint.h"

#if defined(SCRY_HAVE_STREAMVBYTE)
#include <streamvbyte.h>
#endif

namespace scry {
namespace {

constexpr size_t kValues = size_t{1} << 20;
constexpr size_t kBlocks = kValues / kBlockSize;
constexpr uint32_t kSeed = 20240611;

// Mean doc-id gap of the densest and sparsest terms: a collection of 2^24
// documents whose rarest terms still fill a 128-posting block.
constexpr double kMaxMeanGap = double{1 << 24} / kBlockSize;

enum class Source { kGaps, kUniform };

// Doc-id gaps. Under Zipf's law the term of rank r has a document frequency
// proportional to 1/r, so the mean gap of its postings is proportional to r
// and a posting drawn at random belongs to rank r with probability
// proportional to 1/r: the mean gap of a block is log-uniform in
// [1, kMaxMeanGap], and the gaps within it are geometric (at least 1).
std::vector<uint32_t> make_gaps(std::mt19937& rng) {
  std::vector<uint32_t> values;
  values.reserve(kValues);
  std::uniform_real_distribution<double> log_mean(0.0, std::log(kMaxMeanGap));
  for (size_t b = 0; b < kBlocks; ++b) {
    const double mean = std::exp(log_mean(rng));
    std::geometric_distribution<uint32_t> extra(1.0 / mean);
    for (size_t i = 0; i < kBlockSize; ++i) values.push_back(1 + extra(rng));
  }
  return values;
}

std::vector<uint32_t> make_uniform(std::mt19937& rng, int64_t bits) {
  const uint32_t mask = bits >= 32 ? 0xFFFFFFFFu : (1u << bits) - 1;
  std::vector<uint32_t> values(kValues);
  for (uint32_t& v : values) v = static_cast<uint32_t>(rng()) & mask;
  return values;
}

// The values of one data set and their encodings, built once per data set.
struct Dataset {
  std::vector<uint32_t> values;
  std::string packed;
  std::string varints;
};

const Dataset& dataset(Source source, int64_t bits) {
  static std::map<std::pair<Source, int64_t>, Dataset> cache;
  const auto key = std::make_pair(source, source == Source::kGaps ? int64_t{0} : bits);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::mt19937 rng(kSeed);
  Dataset d;
  d.values = source == Source::kGaps ? make_gaps(rng) : make_uniform(rng, bits);
  for (size_t b = 0; b < kBlocks; ++b) bitpack_encode(d.values.data() + b * kBlockSize, &d.packed);
  for (const uint32_t v : d.values) put_varint32(&d.varints, v);
  return cache.emplace(key, std::move(d)).first->second;
}

const Dataset& dataset(const benchmark::State& state, Source source) {
  return dataset(source, source == Source::kGaps ? 0 : state.range(0));
}

void report(benchmark::State& state, size_t encoded_bytes) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kValues));
  state.counters["bits_per_int"] =
      static_cast<double>(encoded_bytes) * 8.0 / static_cast<double>(kValues);
}

const uint8_t* begin_of(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

void BM_Bitpack_Encode(benchmark::State& state, Source source) {
  const Dataset& d = dataset(state, source);
  std::string out;
  out.reserve(d.packed.size());
  for (auto _ : state) {
    out.clear();
    for (size_t b = 0; b < kBlocks; ++b) bitpack_encode(d.values.data() + b * kBlockSize, &out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state, d.packed.size());
}

void BM_Bitpack_Decode(benchmark::State& state, Source source) {
  const Dataset& d = dataset(state, source);
  const uint8_t* limit = begin_of(d.packed) + d.packed.size();
  std::vector<uint32_t> block(kBlockSize);
  for (auto _ : state) {
    const uint8_t* p = begin_of(d.packed);
    for (size_t b = 0; b < kBlocks && p != nullptr; ++b) {
      p = bitpack_decode(p, limit, block.data());
      benchmark::DoNotOptimize(p);
      benchmark::ClobberMemory();
    }
    if (p != limit) state.SkipWithError("bitpack_decode did not consume the input");
  }
  report(state, d.packed.size());
}

void BM_Varint_Encode(benchmark::State& state, Source source) {
  const Dataset& d = dataset(state, source);
  std::string out;
  out.reserve(d.varints.size());
  for (auto _ : state) {
    out.clear();
    for (const uint32_t v : d.values) put_varint32(&out, v);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  report(state, d.varints.size());
}

void BM_Varint_Decode(benchmark::State& state, Source source) {
  const Dataset& d = dataset(state, source);
  const uint8_t* limit = begin_of(d.varints) + d.varints.size();
  std::vector<uint32_t> block(kBlockSize);
  for (auto _ : state) {
    const uint8_t* p = begin_of(d.varints);
    for (size_t b = 0; b < kBlocks && p != nullptr; ++b) {
      for (size_t i = 0; i < kBlockSize && p != nullptr; ++i) p = get_varint32(p, limit, &block[i]);
      benchmark::DoNotOptimize(p);
      benchmark::ClobberMemory();
    }
    if (p != limit) state.SkipWithError("get_varint32 did not consume the input");
  }
  report(state, d.varints.size());
}

#if defined(SCRY_HAVE_STREAMVBYTE)

// streamvbyte over the same 128-value blocks. Its decoder may read a little
// past the encoded bytes, hence the padding.
constexpr size_t kStreamVBytePadding = 16;

std::string streamvbyte_encode_all(const std::vector<uint32_t>& values, size_t* encoded_bytes) {
  std::string out(streamvbyte_max_compressedbytes(kValues) + kStreamVBytePadding, '\0');
  auto* p = reinterpret_cast<uint8_t*>(out.data());
  for (size_t b = 0; b < kBlocks; ++b) {
    p += streamvbyte_encode(values.data() + b * kBlockSize, kBlockSize, p);
  }
  *encoded_bytes = static_cast<size_t>(p - reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

void BM_StreamVByte_Encode(benchmark::State& state, Source source) {
  const Dataset& d = dataset(state, source);
  size_t encoded_bytes = 0;
  std::string out = streamvbyte_encode_all(d.values, &encoded_bytes);
  for (auto _ : state) {
    auto* p = reinterpret_cast<uint8_t*>(out.data());
    for (size_t b = 0; b < kBlocks; ++b) {
      p += streamvbyte_encode(d.values.data() + b * kBlockSize, kBlockSize, p);
    }
    benchmark::DoNotOptimize(p);
    benchmark::ClobberMemory();
  }
  report(state, encoded_bytes);
}

void BM_StreamVByte_Decode(benchmark::State& state, Source source) {
  const Dataset& d = dataset(state, source);
  size_t encoded_bytes = 0;
  const std::string encoded = streamvbyte_encode_all(d.values, &encoded_bytes);
  std::vector<uint32_t> block(kBlockSize);
  for (auto _ : state) {
    const uint8_t* p = begin_of(encoded);
    for (size_t b = 0; b < kBlocks; ++b) {
      p += streamvbyte_decode(p, block.data(), kBlockSize);
      benchmark::DoNotOptimize(p);
      benchmark::ClobberMemory();
    }
  }
  report(state, encoded_bytes);
}

#endif

void fixed_widths(benchmark::internal::Benchmark* b) {
  b->ArgName("bits");
  for (const int bits : {1, 4, 8, 12, 16, 24, 32}) b->Arg(bits);
}

#define SCRY_CODEC_BENCHMARK(fn)              \
  BENCHMARK_CAPTURE(fn, gaps, Source::kGaps); \
  BENCHMARK_CAPTURE(fn, uniform, Source::kUniform)->Apply(fixed_widths)

SCRY_CODEC_BENCHMARK(BM_Bitpack_Encode);
SCRY_CODEC_BENCHMARK(BM_Bitpack_Decode);
SCRY_CODEC_BENCHMARK(BM_Varint_Encode);
SCRY_CODEC_BENCHMARK(BM_Varint_Decode);
#if defined(SCRY_HAVE_STREAMVBYTE)
SCRY_CODEC_BENCHMARK(BM_StreamVByte_Encode);
SCRY_CODEC_BENCHMARK(BM_StreamVByte_Decode);
#endif

}  // namespace
}  // namespace scry
