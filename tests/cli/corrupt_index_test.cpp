// Damaged indexes, as a failing disk, an interrupted copy or a stray write
// leaves them. Whatever the damage, scry-search must answer (exit 0 or 1)
// or say in one line which index is damaged (exit 2): never crash, hang,
// trip a sanitizer or try to allocate gigabytes. And --verify must notice
// every change. A fuzz over random byte flips and truncations of every file,
// then, one by one, damaged inputs that scry-search used to mishandle.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "scry/codec/varint.h"
#include "scry/format/format.h"
#include "scry/format/index_reader.h"
#include "scry/util/file.h"
#include "testlib.h"

using scry::test::run;
using scry::test::RunResult;
using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

// The random damages, in kParts test cases of kVariants / kParts each, so
// that ctest runs them side by side (each runs scry-search twice a variant:
// about 0.12 s under the sanitizers).
constexpr int kVariants = 1000;
constexpr int kParts = 4;
constexpr auto kTimeout = std::chrono::seconds(30);

// 150 tiny documents (fixed seed): every one holds "common", so that term
// has a long postings list (a bit-packed block of 128 and a tail) while
// the other words have short ones.
std::string corpus_jsonl() { return scry::test::word_corpus_jsonl("d", 150, 8, 20261201, false); }

// Queries that read every kind of structure: short and long postings,
// positions (phrases), dictionary walks (prefixes), the title field.
constexpr const char* kQueries =
    "zebra\n"
    "\"quick zebra\"\n"
    "zeb*\n"
    "title:river\n"
    "+common -zebra\n"
    "common alpha beta gamma delta zebra quick brown fox lazy dog river stone cloud north south "
    "apple mango pear tiger ocean\n"
    "\"common alpha\" OR \"common zebra\" OR \"fox dog\" OR \"river stone\"\n"
    "a* b* c* d* f* l* m* n* o* p* q* r* s* t* z*\n"
    "title:zebra title:fox title:pear\n";

// Whether AddressSanitizer is compiled in: GCC defines __SANITIZE_ADDRESS__,
// Clang 14 answers __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define SCRY_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCRY_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef SCRY_ADDRESS_SANITIZER
#define SCRY_ADDRESS_SANITIZER 0
#endif

// `argv` run so that an allocation of more than about 512 MB fails. Under
// AddressSanitizer by its own limit (an address-space rlimit would stop it
// from starting), which reports and exits; else through `ulimit -v`, which
// makes the allocation throw.
RunResult run_capped(std::vector<std::string> argv) {
#if SCRY_ADDRESS_SANITIZER
  const char* options = std::getenv("ASAN_OPTIONS");
  std::string env = "ASAN_OPTIONS=" + std::string(options ? options : "") +
                    (options && *options ? ":" : "") + "max_allocation_size_mb=512";
  return run(argv, "", {env}, kTimeout);
#else
  argv.insert(argv.begin(), {"/bin/sh", "-c", "ulimit -v 524288 && exec \"$@\"", "sh"});
  return run(argv, "", {}, kTimeout);
#endif
}

// A run on a damaged index ended well: exit 0 or 1 with nothing on stderr
// (sanitizers report there, and exit 1), or exit 2 with one error line
// naming the index (the damaged file's path starts with it).
void check_outcome(const RunResult& r, const std::string& index) {
  INFO("exit " << r.exit_code << ", signal " << r.signal << ", stderr:\n" << r.err);
  REQUIRE(!r.timed_out);
  REQUIRE(r.signal == 0);  // Exited, so exit_code is its status (never -1).
  REQUIRE(r.exit_code <= 2);
  if (r.exit_code == 2) {
    CHECK(r.err.rfind("scry-search: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(index) != std::string::npos);
  } else {
    CHECK(r.err.empty());
  }
}

std::string search() { return scry::test::program("scry-search"); }

// The index of the corpus above, built in `tmp` at "idx".
std::string build_corpus(const TempDir& tmp) {
  scry::test::write_file(tmp / "docs.jsonl", corpus_jsonl());
  scry::test::write_file(tmp / "queries.txt", kQueries);
  std::string idx = (tmp / "idx").string();
  auto r = run({scry::test::program("scry-index"), "-q", (tmp / "docs.jsonl").string(), "-o", idx});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return idx;
}

// The same index, then updated with a second file: a document replaced (so
// seg1 has a deletion bitmap, seg1.del) and one added, in segment seg2.
std::string build_segmented_corpus(const TempDir& tmp) {
  std::string idx = build_corpus(tmp);
  scry::test::write_file(
      tmp / "more.jsonl",
      "{\"id\":\"d0\",\"title\":\"zebra again\",\"body\":\"common quick zebra fox\"}\n"
      "{\"id\":\"e1\",\"title\":\"river\",\"body\":\"common river stone\"}\n");
  auto r = run({scry::test::program("scry-index"), "-q", "--update", (tmp / "docs.jsonl").string(),
                (tmp / "more.jsonl").string(), "-o", idx});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(fs::exists(fs::path(idx) / "seg1.del"));
  REQUIRE(fs::exists(fs::path(idx) / "seg2.post"));
  return idx;
}

// Replaces the contents (before the footer) of index file `path`, of kind
// `kind`, with `content`, with a valid footer.
void rewrite(const fs::path& path, uint32_t kind, const std::string& content) {
  auto out = scry::FileWriter::create(path.string(), kind);
  REQUIRE(out.is_ok());
  (*out)->append(content);
  REQUIRE((*out)->finish().is_ok());
}

// The postings offset of `term` in the text field of the index at `dir`.
uint64_t postings_offset(const std::string& dir, const std::string& term) {
  auto index = scry::IndexReader::open(dir);
  REQUIRE(index.is_ok());
  auto info = (*index)->segments()[0]->find(scry::Field::kText, term);
  REQUIRE(info.is_ok());
  REQUIRE(info->has_value());
  return (*info)->postings_offset;
}

// An index of `jsonl` at "idx" in `tmp`.
std::string build_jsonl(const TempDir& tmp, const std::string& jsonl) {
  std::string idx = (tmp / "idx").string();
  auto r = run({scry::test::program("scry-index"), "-q", "-", "-o", idx}, jsonl);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return idx;
}

// Exit 2 with one error line, naming `file`.
void check_names(const RunResult& r, const std::string& index, const std::string& file) {
  check_outcome(r, index);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(file) != std::string::npos);
}

// Variants [part * kVariants / kParts, (part + 1) * kVariants / kParts) of
// the random damages: each copies a pristine index, damages one file at
// random (bytes flipped or the file truncated, with a generator seeded by
// the variant's number) and runs every query and --verify on it.
void damage_at_random(int part) {
  TempDir tmp;
  std::string pristine = build_segmented_corpus(tmp);
  std::string queries = (tmp / "queries.txt").string();
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(pristine)) files.push_back(e.path().filename());
  std::sort(files.begin(), files.end());
  REQUIRE(std::find(files.begin(), files.end(), "MANIFEST") != files.end());
  REQUIRE(files.size() > 1);

  // The undamaged index answers every query, with snippets or without.
  for (bool snippets : {true, false}) {
    std::vector<std::string> argv = {search(), pristine, "--queries", queries};
    if (!snippets) argv.push_back("--no-snippets");
    auto r = run_capped(argv);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.err.empty());
  }

  const char* const formats[] = {"text", "tsv", "json"};
  std::string idx = (tmp / "damaged").string();
  int flips = 0, truncations = 0;
  constexpr int kEach = kVariants / kParts;
  for (int variant = part * kEach; variant < (part + 1) * kEach; ++variant) {
    std::mt19937 rng(1201 + static_cast<unsigned>(variant));
    fs::remove_all(idx);
    fs::copy(pristine, idx);
    const std::string& name = files[rng() % files.size()];
    fs::path file = fs::path(idx) / name;
    std::string bytes = scry::test::read_file(file);
    std::string damaged = bytes;
    std::string what;
    if (rng() % 2 == 0) {
      // 1 to 8 bytes at distinct offsets, each XORed with a nonzero mask.
      std::vector<size_t> offsets(bytes.size());
      for (size_t i = 0; i < offsets.size(); ++i) offsets[i] = i;
      std::shuffle(offsets.begin(), offsets.end(), rng);
      offsets.resize(std::min<size_t>(1 + rng() % 8, offsets.size()));
      what = "flipped";
      for (size_t at : offsets) {
        auto mask = static_cast<char>(1 + rng() % 255);
        damaged[at] = static_cast<char>(damaged[at] ^ mask);
        what += " " + std::to_string(at) + "^" + std::to_string(static_cast<uint8_t>(mask));
      }
      ++flips;
    } else {
      damaged.resize(rng() % bytes.size());
      what = "truncated to " + std::to_string(damaged.size()) + " bytes";
      ++truncations;
    }
    REQUIRE(damaged != bytes);
    scry::test::write_file(file, damaged);
    INFO("variant " << variant << ": " << name << " (" << bytes.size() << " bytes) " << what);

    // Every query in one process; the output options take turns.
    std::vector<std::string> argv = {search(), idx,        "--queries",
                                     queries,  "--format", formats[variant % 3]};
    if (variant / 3 % 2 == 1) argv.push_back("--no-snippets");
    INFO("--format " << formats[variant % 3] << (variant / 3 % 2 == 1 ? " --no-snippets" : ""));
    check_outcome(run_capped(argv), idx);
    auto verified = run_capped({search(), idx, "--verify"});
    check_outcome(verified, idx);
    CHECK(verified.exit_code == 2);
  }
  CHECK(flips > kEach / 3);
  CHECK(truncations > kEach / 3);
}

}  // namespace

TEST_CASE("corrupt: random flips and truncations never crash scry-search, part 1",
          "[corrupt][slow]") {
  damage_at_random(0);
}

TEST_CASE("corrupt: random flips and truncations never crash scry-search, part 2",
          "[corrupt][slow]") {
  damage_at_random(1);
}

TEST_CASE("corrupt: random flips and truncations never crash scry-search, part 3",
          "[corrupt][slow]") {
  damage_at_random(2);
}

TEST_CASE("corrupt: random flips and truncations never crash scry-search, part 4",
          "[corrupt][slow]") {
  damage_at_random(3);
}

TEST_CASE("corrupt: a posting past the last document is damaged postings", "[corrupt]") {
  // It used to be scored, its length read from beyond the end of .norms,
  // and then reported as a document missing from .store.
  TempDir tmp;
  std::string idx = build_jsonl(tmp,
                                "{\"id\": \"0\", \"body\": \"zebra alpha\"}\n"
                                "{\"id\": \"1\", \"body\": \"alpha\"}\n"
                                "{\"id\": \"2\", \"body\": \"alpha\"}\n");
  // zebra's list is doc 0 with tf 1, one tail-encoded byte: (gap - 1) << 1
  // | (tf == 1) = 0x01. 0x7f makes it doc 63 of 3.
  fs::path post = fs::path(idx) / "seg1.post";
  std::string bytes = scry::test::read_file(post);
  uint64_t at = postings_offset(idx, "zebra");
  REQUIRE(at < bytes.size());
  REQUIRE(bytes[at] == '\x01');
  bytes[at] = '\x7f';
  scry::test::write_file(post, bytes);
  check_names(run_capped({search(), idx, "zebra"}), idx, "seg1.post");
  check_names(run_capped({search(), idx, "zebra", "--count"}), idx, "seg1.post");
}

TEST_CASE("corrupt: a damaged file kind still gives a one-line error", "[corrupt]") {
  // The kind's four bytes went into the message as they were; a newline
  // among them split the error in two lines.
  TempDir tmp;
  std::string idx = build_corpus(tmp);
  fs::path terms = fs::path(idx) / "seg1.terms";
  std::string bytes = scry::test::read_file(terms);
  // The footer's kind is at offset 20 of the last 32 bytes: "TERM".
  size_t kind = bytes.size() - scry::kFooterSize + 20;
  REQUIRE(bytes.substr(kind, 4) == "TERM");
  bytes[kind + 2] = '\n';
  scry::test::write_file(terms, bytes);
  auto r = run_capped({search(), idx, "zebra"});
  check_names(r, idx, "seg1.terms");
  CHECK(r.err.find("'TE\\x0aM'") != std::string::npos);
}

TEST_CASE("corrupt: a damaged frame, text size or frame size in the document store", "[corrupt]") {
  // Format version 4 and later: frame 0's zstd header overwritten (its
  // content size is checked before anything is allocated), or the trailer's
  // text stream size no longer matching the frames; version 5: the frame
  // size (trailer +36) 0 or not a power of two: Corruption naming the file.
  for (int variant : {0, 1, 2, 3}) {
    TempDir tmp;
    std::string idx = build_corpus(tmp);
    fs::path store = fs::path(idx) / "seg1.store";
    std::string bytes = scry::test::read_file(store);
    // The trailer (last 40 bytes before the footer) gives the text stream's
    // size at +16 and the dictionary's at +24; frame 0 follows the dictionary.
    size_t trailer = bytes.size() - scry::kFooterSize - 40;
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    REQUIRE(scry::decode_fixed64(data + trailer + 16) > 0);
    if (variant == 0) {
      const uint32_t dictionary = scry::decode_fixed32(data + trailer + 24);
      for (size_t i = dictionary; i < dictionary + 8; ++i) bytes[i] = '\xf0';
    } else if (variant == 1) {
      bytes[trailer + 16 + 5] = '\x01';  // 2^40 bytes more.
    } else {
      const std::string size = variant == 2 ? std::string(4, '\0') : std::string("\x01\x03\0\0", 4);
      bytes.replace(trailer + 36, 4, size);
    }
    scry::test::write_file(store, bytes);
    INFO("variant " << variant);
    check_names(run_capped({search(), idx, "zebra"}), idx, "seg1.store");
  }
}

TEST_CASE("corrupt: damaged meta record offsets in the document store", "[corrupt]") {
  // Every offset in the meta offset table (the 12·N bytes before the frame
  // table hold it and the id table) points out of the records, or at
  // their last byte, so that the record runs past its limit: ids and titles
  // are Corruption naming the file, with snippets and without.
  for (int variant : {0, 1}) {
    TempDir tmp;
    std::string idx = build_corpus(tmp);
    fs::path store = fs::path(idx) / "seg1.store";
    std::string bytes = scry::test::read_file(store);
    size_t trailer = bytes.size() - scry::kFooterSize - 40;
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    uint64_t frame_table = scry::decode_fixed64(data + trailer + 8);
    uint32_t docs = scry::decode_fixed32(data + trailer + 32);
    uint64_t table = frame_table - uint64_t{docs} * 12;
    std::string offsets;
    for (uint32_t d = 0; d < docs; ++d) {
      scry::put_fixed64(&offsets, variant == 0 ? UINT64_MAX - d : table - 1);
    }
    bytes.replace(table, offsets.size(), offsets);
    if (variant == 1) bytes[table - 1] = '\x7f';  // A length of 127: past the records.
    scry::test::write_file(store, bytes);
    INFO("variant " << variant);
    check_names(run_capped({search(), idx, "zebra"}), idx, "seg1.store");
    check_names(run_capped({search(), idx, "zebra", "--no-snippets"}), idx, "seg1.store");
  }
}

TEST_CASE("corrupt: a damaged term frequency reserves nothing for its positions", "[corrupt]") {
  // A tf of 2^32 - 1 reserved 16 GB for the positions before reading them.
  TempDir tmp;
  std::string idx = build_jsonl(tmp, "{\"id\": \"0\", \"body\": \"zebra\"}\n");
  REQUIRE(postings_offset(idx, "zebra") == 0);
  // The only list: doc 0 with its tf given (low bit clear), 2^32 - 1.
  std::string content(1, '\0');
  scry::put_varint32(&content, UINT32_MAX);
  rewrite(fs::path(idx) / "seg1.post", scry::kKindPostings, content);
  check_names(run_capped({search(), idx, "\"zebra zebra\""}), idx, "seg1.pos");
}
