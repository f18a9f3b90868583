// The document store's zstd parameters, tried on a text file the way the
// store uses them (format version 5 on, docs/FORMAT.md "seg1.store"): a
// dictionary of DICTIONARY_KIB at most (default: the store's,
// kStoreDictionaryBytes) trained as the store trains it
// (train_store_dictionary) on the first kStoreTrainBytes, then the next
// 8 MB cut into frames of kStoreFrameBytes, each compressed on its own with the dictionary at LEVEL
// with matches of MIN_MATCH bytes or more (0: the level's own), then each decoded as
// DocStoreReader::frame() decodes it. Prints the compression ratio and the wall time of both; count
// instructions with callgrind:
//
//   zstd_frames BODIES.txt LEVEL MIN_MATCH [DICTIONARY_KIB]
//   valgrind --tool=callgrind --toggle-collect=ZSTD_decompress_usingDDict
//     zstd_frames BODIES.txt 4 7
//
// (docs/PERFORMANCE.md, "Snippets on 2026-12-07").
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_createDDict_byReference, as the store.
#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/doc_store.h"
#include "scry/format/format.h"

namespace {

using scry::kStoreTrainBytes;
constexpr size_t kFrame = scry::kStoreFrameBytes;
constexpr size_t kTestBytes = size_t{8} << 20;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: zstd_frames BODIES.txt LEVEL MIN_MATCH [DICTIONARY_KIB]\n");
    return 2;
  }
  const size_t dictionary_bytes =
      argc == 5 ? size_t{std::strtoul(argv[4], nullptr, 10)} << 10 : scry::kStoreDictionaryBytes;
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream read;
  read << in.rdbuf();
  const std::string text = read.str();
  const int level = std::atoi(argv[2]);
  const int min_match = std::atoi(argv[3]);
  const size_t train = std::min(text.size() / 2, kStoreTrainBytes);
  if (!in || train < kFrame) {
    std::fprintf(stderr, "zstd_frames: %s: unreadable or too short\n", argv[1]);
    return 2;
  }
  const std::string dictionary =
      scry::train_store_dictionary(std::string_view(text).substr(0, train), dictionary_bytes);
  if (dictionary.empty()) {
    std::fprintf(stderr, "zstd_frames: training failed\n");
    return 2;
  }
  const std::string test = text.substr(train, kTestBytes);

  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_minMatch, min_match);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_dictIDFlag, 0);
  ZSTD_CCtx_loadDictionary(cctx, dictionary.data(), dictionary.size());
  std::vector<std::string> frames;
  size_t compressed = 0;
  const auto compress_start = std::chrono::steady_clock::now();
  for (size_t at = 0; at < test.size(); at += kFrame) {
    const size_t size = std::min(kFrame, test.size() - at);
    std::string frame(ZSTD_compressBound(size), '\0');
    const size_t n = ZSTD_compress2(cctx, frame.data(), frame.size(), test.data() + at, size);
    if (ZSTD_isError(n)) {
      std::fprintf(stderr, "zstd_frames: %s\n", ZSTD_getErrorName(n));
      return 2;
    }
    frame.resize(n);
    compressed += n;
    frames.push_back(std::move(frame));
  }
  const double compress_seconds = seconds_since(compress_start);

  // The reader decodes right after a copy of the dictionary (DocStoreReader).
  std::vector<char> window(dictionary.size() + kFrame);
  std::copy(dictionary.begin(), dictionary.end(), window.begin());
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ZSTD_DDict* ddict = ZSTD_createDDict_byReference(window.data(), dictionary.size());
  size_t decoded = 0;
  const auto decode_start = std::chrono::steady_clock::now();
  for (const std::string& frame : frames) {
    const size_t n = ZSTD_decompress_usingDDict(dctx, window.data() + dictionary.size(), kFrame,
                                                frame.data(), frame.size(), ddict);
    if (ZSTD_isError(n)) {
      std::fprintf(stderr, "zstd_frames: %s\n", ZSTD_getErrorName(n));
      return 2;
    }
    decoded += n;
  }
  const double decode_seconds = seconds_since(decode_start);
  std::printf(
      "level %d, min match %d: %zu frames, ratio %.3f, compress %.1f MB/s, decode %.1f MB/s\n",
      level, min_match, frames.size(),
      static_cast<double>(test.size()) / static_cast<double>(compressed),
      static_cast<double>(test.size()) / 1e6 / compress_seconds,
      static_cast<double>(decoded) / 1e6 / decode_seconds);
  ZSTD_freeDDict(ddict);
  ZSTD_freeDCtx(dctx);
  ZSTD_freeCCtx(cctx);
  return 0;
}
