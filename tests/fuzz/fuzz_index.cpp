// fuzz_index: a damaged index must give errors, never crashes.
//
// At start-up a small valid index is built with IndexBuilder (about 140
// documents, so that one term has more than one block of 128 postings and
// the dictionary stores its impacts; English and CJK text, titles) and its
// files are read into memory. Each input is a mutation recipe, a sequence
// of records:
//
//   byte 0     bits 0-2: the file (index into the sorted file names, mod 6)
//              bits 3-4: 0 overwrite, 1 insert, 2 truncate, 3 overwrite
//              bit 5:    afterwards, repair the file's footer (content length
//                        and xxh3 checksum), so that the damage gets past the
//                        checks at open (the MANIFEST's checksum above all)
//              bit 6:    also run IndexReader::verify()
//   bytes 1-4  offset, u32 little-endian, taken modulo (file size + 1)
//   byte 5     n, the number of data bytes that follow (overwrite, insert)
//   n bytes    the data (fewer if the input ends)
//
// The mutated files are written to one scratch folder (re-used), the index
// is opened (scry::Engine), and when it opens: a term, a phrase, a prefix,
// an OR with an exclusion, an AND, a title query and a CJK query are
// answered (pruned and exhaustive, with explanations, documents and
// snippets), prefixes and fuzzy terms expanded, and documents read
// directly from every segment and looked up by id. Checks: at most k hits,
// in rank order; nothing else (errors are fine).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xxhash.h>

#include "fuzz_util.h"
#include "scry/engine/engine.h"
#include "scry/format/format.h"
#include "scry/format/index_reader.h"
#include "scry/index/index_builder.h"
#include "scry/search/collection_statistics.h"
#include "scry/snippet/snippet.h"
#include "scry/util/file.h"

namespace fs = std::filesystem;
using scry::fuzz::check;

namespace {

struct Base {
  std::vector<std::string> names;  // Sorted file names of the index.
  std::vector<std::string> files;  // Their bytes.
  std::string dir;                 // Where mutated copies are written.
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "fuzz_index set-up: %s\n", what.c_str());
  std::abort();
}

Base build_base() {
  Base base;
  std::string src = scry::fuzz::scratch_dir() + "/base";
  fs::create_directories(src);
  scry::BuildOptions options;  // Stemming on, no stop list.
  auto builder = scry::IndexBuilder::create(src, options);
  if (!builder.is_ok()) die(builder.status().message());
  std::vector<scry::Document> docs = {
      {"a1", "Zhipu files for IPO",
       "Zhipu AI, the maker of GLM-4.7, filed for a Hong Kong IPO "
       "worth a trillion yuan. The quick brown fox jumps over the lazy dog.",
       "a1"},
      {"a2", "Huawei Ascend chips",
       "Huawei's Ascend 910C chips train GLM models; U.S. export "
       "rules don't apply. 华为昇腾芯片训练智谱模型。",
       "a2"},
      {"a3", "", "智谱 华为 资本市场 上市 trillion yuan quick brown", "a3"},
      {"a4", "Z.ai news", "Z.ai released GLM-4.5 and ChatGLM; zebras and zebra running runs.",
       "a4"},
  };
  for (int i = 0; i < 140; ++i) {
    std::string n = std::to_string(i);
    docs.push_back({"g" + n, i % 7 == 0 ? "common title " + n : "",
                    "common filler w" + std::to_string(i % 20) + " zhipu" +
                        (i % 3 == 0 ? " quick brown" : "") + (i % 5 == 0 ? " huawei" : ""),
                    "g" + n});
  }
  for (const auto& d : docs) {
    auto added = (*builder)->add(d);
    if (!added.is_ok()) die(added.status().message());
  }
  auto built = (*builder)->finish();
  if (!built.is_ok()) die(built.status().message());
  for (const auto& entry : fs::directory_iterator(src))
    base.names.push_back(entry.path().filename());
  std::sort(base.names.begin(), base.names.end());
  for (const auto& name : base.names) {
    auto bytes = scry::read_whole_file(src + "/" + name);
    if (!bytes.is_ok()) die(bytes.status().message());
    base.files.push_back(std::move(bytes).value());
  }
  base.dir = scry::fuzz::scratch_dir() + "/idx";
  fs::create_directories(base.dir);
  // The untouched index must open and verify, or the harness is wrong.
  for (size_t i = 0; i < base.names.size(); ++i) {
    scry::fuzz::write_file(base.dir + "/" + base.names[i], base.files[i]);
  }
  auto index = scry::IndexReader::open(base.dir);
  if (!index.is_ok()) die(index.status().message());
  if (!(*index)->verify().is_ok()) die("the base index does not verify");
  return base;
}

uint32_t get32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

void put64(std::string* s, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) (*s)[at + static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
}

// Makes the footer's content length and checksum match the content.
void repair_footer(std::string* file) {
  if (file->size() < scry::kFooterSize) return;
  size_t content = file->size() - scry::kFooterSize;
  put64(file, content, content);
  put64(file, content + 8, XXH3_64bits(file->data(), content));
}

const char* const kQueries[] = {
    "zhipu",
    "\"quick brown\"",
    "zhip*",
    "common OR huawei -zhipu",
    "quick AND brown AND NOT huawei",
    "title:(common zhipu) title:ipo*",
    "智谱 华为",
    "\"trillion yuan\" +glm-4.7",
    "w1*",
};

void search_all(scry::Engine& engine, std::string_view input) {
  const scry::IndexReader& index = engine.index();
  for (const char* text : kQueries) {
    for (bool count_all : {false, true}) {
      scry::QueryOptions options;
      options.k = 5;
      options.count_all = count_all;
      options.explain = count_all;
      auto answer = engine.answer(text, options);
      if (!answer.is_ok()) continue;
      check(!answer->syntax_error, "a fixed query does not parse", input);
      check(answer->hits.size() <= options.k, "more hits than k", input);
      for (size_t r = 0; r < answer->hits.size(); ++r) {
        check(answer->hits[r].rank == r + 1, "hits out of rank order", input);
        if (answer->hits[r].snippet) {
          (void)scry::render(*answer->hits[r].snippet, scry::Highlight::kMarkers);
        }
      }
    }
  }
  const scry::IndexStatistics stats(index);
  for (const char* prefix : {"z", "w1", "", "\x01"}) {
    (void)stats.prefix_terms(scry::Field::kText, prefix);
    (void)stats.prefix_terms(scry::Field::kTitle, prefix);
  }
  // Fuzzy terms walk the dictionary's trie (format 6).
  (void)stats.fuzzy_terms(scry::Field::kText, "commn", 2);
  (void)stats.fuzzy_terms(scry::Field::kTitle, "zhipu", 1);
  (void)stats.document_frequency(scry::Field::kText, "common");
  (void)stats.document_frequency(scry::Field::kTitle, "zhipu");
  // Every document of every segment, and one past the end (an error).
  for (const auto& segment : index.segments()) {
    uint32_t n = std::min<uint32_t>(segment->doc_count(), 200);
    for (uint32_t d = 0; d <= n; ++d) (void)segment->document_meta(d);
    (void)segment->document(0);
    for (const char* id : {"", "0", "w1", "\xff"}) (void)segment->find_document(id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Base base = build_base();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> files = base.files;
  std::vector<bool> repair(files.size(), false);
  bool verify = false;
  size_t i = 0;
  while (i + 6 <= size) {
    uint8_t head = data[i];
    size_t f = (head & 7u) % files.size();
    unsigned op = (head >> 3) & 3u;
    std::string& file = files[f];
    size_t offset = get32(data + i + 1) % (file.size() + 1);
    size_t n = std::min<size_t>(data[i + 5], size - (i + 6));
    std::string_view bytes(reinterpret_cast<const char*>(data + i + 6), n);
    i += 6 + n;
    if (head & 0x20) repair[f] = true;
    if (head & 0x40) verify = true;
    switch (op) {
      case 0:
      case 3:
        if (offset + n > file.size()) file.resize(offset + n);
        std::memcpy(file.data() + offset, bytes.data(), n);
        break;
      case 1:
        file.insert(offset, bytes);
        break;
      case 2:
        // Keep the footer when it is to be repaired, so that the file is a
        // truncated content with a well-formed footer.
        if (repair[f] && file.size() >= scry::kFooterSize &&
            offset + scry::kFooterSize <= file.size()) {
          file.erase(offset, file.size() - scry::kFooterSize - offset);
        } else {
          file.resize(offset);
        }
        break;
    }
  }
  for (size_t f = 0; f < files.size(); ++f) {
    if (repair[f]) repair_footer(&files[f]);
    scry::fuzz::write_file(base.dir + "/" + base.names[f], files[f]);
  }
  auto engine = scry::Engine::open(base.dir);
  if (!engine.is_ok()) return 0;
  if (verify) (void)(*engine)->index().verify();
  search_all(**engine, input);
  return 0;
}
