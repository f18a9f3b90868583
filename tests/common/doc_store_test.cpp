// The document store of format version 5 (docs/FORMAT.md, ".store"): bodies
// in zstd frames (of the size its trailer records) with a trained dictionary,
// body layouts (start, size, body position, checkpoints) in the meta records.
// Every read is checked against the documents written, body_range() against
// std::string::substr. Version 4 stores (2 KiB frames) are read by the golden
// index tests (golden_index_test.cpp, index-v4).
#include <catch2/catch.hpp>
#include <random>

#include "scry/codec/varint.h"
#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/util/file.h"
#include "testlib.h"

using namespace scry;
using scry::test::TempDir;
using scry::test::u32;

namespace {

// Text of words from a small vocabulary (so that a dictionary is worth
// training), some multi-byte UTF-8 and some bytes that are not UTF-8.
std::string random_text(std::mt19937& rng, size_t bytes) {
  static const char* const kWords[] = {
      "the",  "store", "frame",      "of",   "zstd",     "body",     "range", "naïve", "résumé",
      "资本", "text",  "checkpoint", "\xff", "\xc3\x28", "\x80\x80", "a",     "\n",    "\t"};
  constexpr size_t kCount = sizeof(kWords) / sizeof(kWords[0]);
  std::string out;
  while (out.size() < bytes) {
    out += kWords[u32(rng) % kCount];
    out += u32(rng) % 7 == 0 ? std::to_string(u32(rng) % 100000) : " ";
  }
  out.resize(bytes);
  return out;
}

// Checkpoints in strictly increasing position and offset inside `bytes`.
std::vector<TextCheckpoint> random_checkpoints(std::mt19937& rng, uint32_t bytes) {
  std::vector<TextCheckpoint> out;
  if (bytes == 0) return out;
  uint32_t position = u32(rng) % 3, offset = u32(rng) % 3;
  while (offset < bytes) {
    out.push_back({position, offset});
    // One draw a statement: the order of two draws in one expression is
    // the compiler's choice.
    const bool far = u32(rng) % 7 == 0;
    position += 1 + u32(rng) % (far ? 40000 : 40);
    const bool wide = u32(rng) % 5 == 0;
    offset += 1 + u32(rng) % (wide ? 5000 : 300);
  }
  return out;
}

// `n` documents whose bodies add up to about `text_bytes`: empty ones, short
// ones, and every 10th long (many frames).
std::vector<StoredDocument> random_docs(uint32_t seed, size_t n, size_t text_bytes) {
  std::mt19937 rng(seed);
  const size_t mean = text_bytes / n;
  std::vector<StoredDocument> docs(n);
  for (size_t i = 0; i < n; ++i) {
    StoredDocument& d = docs[i];
    d.id = "id" + std::to_string(u32(rng) % (2 * n));
    d.title = i % 3 == 0 ? "" : random_text(rng, u32(rng) % 40);
    d.source = "in.jsonl:" + std::to_string(i + 1);
    d.length = u32(rng) % 100000;
    const size_t size = i % 7 == 0    ? 0
                        : i % 10 == 0 ? 5 * mean + u32(rng) % (5 * mean)
                                      : u32(rng) % mean;
    d.body = random_text(rng, size);
    d.has_checkpoints = i % 5 != 1;
    if (d.has_checkpoints) {
      d.body_position = d.title.empty() ? 0 : u32(rng) % 20 + kTitleBodyPositionGap;
      d.checkpoints = random_checkpoints(rng, static_cast<uint32_t>(d.body.size()));
    }
  }
  return docs;
}

void write_store(const std::string& path, const std::vector<StoredDocument>& docs) {
  auto out = FileWriter::create(path, kKindStore);
  REQUIRE(out.is_ok());
  DocStoreWriter w(out->get());
  for (const auto& d : docs) REQUIRE(w.add(d).is_ok());
  REQUIRE(w.finish().is_ok());
  REQUIRE((*out)->finish().is_ok());
}

// Frames are read from the mapping (kMapped) or with pread (kMappedAndPread,
// as SegmentReader opens stores): both must read the same bytes.
std::unique_ptr<MappedFile> open_store(const std::string& path,
                                       MappedFile::Access access = MappedFile::Access::kMapped) {
  auto f = MappedFile::open(path, kKindStore, access);
  INFO(f.status().message());
  REQUIRE(f.is_ok());
  return std::move(f).value();
}

// The version 5 trailer (40 bytes before the footer).
struct Trailer {
  uint64_t records, frame_table, text_bytes;
  uint32_t dictionary, frames, docs, frame_bytes;
};
Trailer trailer_of(const std::string& bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data()) + bytes.size() - 32 - 40;
  return {decode_fixed64(p),      decode_fixed64(p + 8),  decode_fixed64(p + 16),
          decode_fixed32(p + 24), decode_fixed32(p + 28), decode_fixed32(p + 32),
          decode_fixed32(p + 36)};
}

// Every document of `docs` comes back from the store at `path`: get(),
// get_meta(), layout(), and body_range() and read_body() of random ranges
// (crossing frames, past the end, empty) equal to the reference's substr.
void check_against_reference(const std::string& path, const std::vector<StoredDocument>& docs,
                             uint32_t seed,
                             MappedFile::Access access = MappedFile::Access::kMapped) {
  auto file = open_store(path, access);
  CHECK(file->can_read_at() == (access == MappedFile::Access::kMappedAndPread));
  auto opened = DocStoreReader::open(*file);
  INFO(opened.status().message());
  REQUIRE(opened.is_ok());
  DocStoreReader& store = **opened;
  REQUIRE(store.doc_count() == docs.size());
  CHECK(store.frame_bytes() == kStoreFrameBytes);
  std::mt19937 rng(seed);
  // Random order, so that the frame cache is both hit and missed.
  std::vector<uint32_t> order(docs.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  // The forms with an output reuse these from document to document: what
  // the last one left in them must be replaced.
  TextLayout reused_layout;
  std::string reused_range;
  for (uint32_t d : order) {
    INFO("doc " << d);
    const StoredDocument& want = docs[d];
    const std::vector<TextCheckpoint> no_checkpoints;
    const auto& want_checkpoints = want.has_checkpoints ? want.checkpoints : no_checkpoints;
    const uint32_t want_position = want.has_checkpoints ? want.body_position : 0;
    auto layout = store.layout(d);
    REQUIRE(layout.is_ok());
    CHECK(layout->has_checkpoints == want.has_checkpoints);
    CHECK(layout->body_bytes == want.body.size());
    CHECK(layout->body_position == want_position);
    CHECK(layout->checkpoints == want_checkpoints);
    // Up to `through`: the checkpoints up to and including the first past it.
    const uint64_t through =
        want_checkpoints.empty() || u32(rng) % 4 == 0
            ? u32(rng) % 100
            : want_checkpoints[u32(rng) % want_checkpoints.size()].position + u32(rng) % 3 - 1;
    auto partial = store.layout(d, through);
    REQUIRE(partial.is_ok());
    const auto past = std::find_if(want_checkpoints.begin(), want_checkpoints.end(),
                                   [&](const TextCheckpoint& c) { return c.position > through; });
    CHECK(partial->checkpoints ==
          std::vector<TextCheckpoint>(want_checkpoints.begin(),
                                      past == want_checkpoints.end() ? past : std::next(past)));
    REQUIRE(store.layout(d, through, &reused_layout).is_ok());
    CHECK(reused_layout.has_checkpoints == partial->has_checkpoints);
    CHECK(reused_layout.body_bytes == partial->body_bytes);
    CHECK(reused_layout.body_position == partial->body_position);
    CHECK(reused_layout.checkpoints == partial->checkpoints);
    const uint32_t size = static_cast<uint32_t>(want.body.size());
    for (int i = 0; i < 6; ++i) {
      const uint32_t begin = u32(rng) % (size + 10);
      const uint32_t end = i == 0 ? begin + 600 : i == 1 ? begin : u32(rng) % (size + 10);
      auto range = store.body_range(d, begin, end);
      REQUIRE(range.is_ok());
      const std::string expected =
          begin < end && begin < size ? want.body.substr(begin, end - begin) : "";
      INFO("range " << begin << ".." << end);
      CHECK(*range == expected);
      REQUIRE(store.read_body(d, *layout, begin, end, &reused_range).is_ok());
      CHECK(reused_range == expected);
    }
    auto got = store.get(d);
    REQUIRE(got.is_ok());
    CHECK(got->id == want.id);
    CHECK(got->title == want.title);
    CHECK(got->source == want.source);
    CHECK(got->length == want.length);
    CHECK(got->body == want.body);
    CHECK(got->has_checkpoints == want.has_checkpoints);
    CHECK(got->body_position == want_position);
    CHECK(got->checkpoints == want_checkpoints);
    auto meta = store.get_meta(d);
    REQUIRE(meta.is_ok());
    CHECK(meta->id == want.id);
    CHECK(meta->title == want.title);
    CHECK(meta->length == want.length);
    CHECK(meta->body.empty());
    CHECK(meta->has_checkpoints == want.has_checkpoints);
    CHECK(meta->body_position == want_position);
    CHECK(meta->checkpoints.empty());
  }
  CHECK(store.get(static_cast<uint32_t>(docs.size())).status().code() ==
        Status::Code::kInvalidArgument);
  CHECK(store.layout(static_cast<uint32_t>(docs.size())).status().code() ==
        Status::Code::kInvalidArgument);
  CHECK(store.body_range(static_cast<uint32_t>(docs.size()), 0, 1).status().code() ==
        Status::Code::kInvalidArgument);
}

}  // namespace

TEST_CASE("document store v4: random documents against a reference", "[doc_store]") {
  // Small: no dictionary (under kStoreMinTrainBytes). Medium: a dictionary
  // trained by finish(). Large: trained once kStoreTrainBytes are buffered,
  // the rest compressed as it comes.
  struct Case {
    const char* name;
    size_t docs, text_bytes;
    bool dictionary;
  };
  const Case c = GENERATE(Case{"small", 40, kStoreMinTrainBytes / 2, false},
                          Case{"medium", 200, 600 * 1024, true},
                          Case{"large", 600, kStoreTrainBytes + kStoreTrainBytes / 2, true});
  INFO(c.name);
  TempDir dir;
  const auto docs = random_docs(static_cast<uint32_t>(c.docs), c.docs, c.text_bytes);
  const std::string path = (dir / "t.store").string();
  write_store(path, docs);
  const std::string bytes = test::read_file(path);
  const Trailer t = trailer_of(bytes);
  size_t text = 0;
  for (const auto& d : docs) text += d.body.size();
  CHECK(t.text_bytes == text);
  CHECK(t.frames == (text + kStoreFrameBytes - 1) / kStoreFrameBytes);
  CHECK(t.docs == docs.size());
  CHECK(t.frame_bytes == kStoreFrameBytes);
  CHECK((t.dictionary > 0) == c.dictionary);
  CHECK(t.dictionary <= kStoreDictionaryBytes);
  check_against_reference(path, docs, 7, MappedFile::Access::kMapped);
  check_against_reference(path, docs, 7, MappedFile::Access::kMappedAndPread);
}

TEST_CASE("train_store_dictionary: its bounds, its capacity, the same bytes every time",
          "[doc_store]") {
  std::mt19937 rng(14);
  // Under kStoreMinTrainBytes: none.
  CHECK(train_store_dictionary(random_text(rng, kStoreMinTrainBytes - 1), kStoreDictionaryBytes)
            .empty());
  // At most 1/16 of the training text and at most the capacity given.
  const std::string small = random_text(rng, kStoreMinTrainBytes * 2);
  const std::string a = train_store_dictionary(small, kStoreDictionaryBytes);
  CHECK_FALSE(a.empty());
  CHECK(a.size() <= small.size() / 16);
  CHECK(a == train_store_dictionary(small, kStoreDictionaryBytes));
  const std::string capped = train_store_dictionary(small, 4096);
  CHECK_FALSE(capped.empty());
  CHECK(capped.size() <= 4096);
  // Only the first kStoreTrainBytes count.
  const std::string large = random_text(rng, kStoreTrainBytes + kStoreMinTrainBytes);
  const std::string b = train_store_dictionary(large, kStoreDictionaryBytes);
  CHECK_FALSE(b.empty());
  CHECK(b.size() <= kStoreDictionaryBytes);
  std::string changed = large;
  for (size_t i = kStoreTrainBytes; i < changed.size(); ++i) changed[i] = 'x';
  CHECK(train_store_dictionary(changed, kStoreDictionaryBytes) == b);
  changed = large;
  changed[kStoreTrainBytes / 2] ^= 1;
  changed.replace(kStoreTrainBytes / 4, 64, std::string(64, 'y'));
  CHECK(train_store_dictionary(changed, kStoreDictionaryBytes) != b);
}

TEST_CASE("document store v4: the same documents give the same bytes", "[doc_store]") {
  TempDir dir;
  const auto docs = random_docs(11, 150, 300 * 1024);
  write_store((dir / "a.store").string(), docs);
  write_store((dir / "b.store").string(), docs);
  const std::string a = test::read_file(dir / "a.store");
  CHECK(trailer_of(a).dictionary > 0);
  CHECK(a == test::read_file(dir / "b.store"));
}

TEST_CASE("document store v4: what get() returns, add() writes back unchanged", "[doc_store]") {
  // The segment merger copies documents so, layouts included.
  TempDir dir;
  const auto docs = random_docs(5, 120, 200 * 1024);
  write_store((dir / "a.store").string(), docs);
  auto file = open_store((dir / "a.store").string());
  auto store = DocStoreReader::open(*file);
  REQUIRE(store.is_ok());
  std::vector<StoredDocument> copied;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    auto doc = (*store)->get(d);
    REQUIRE(doc.is_ok());
    copied.push_back(std::move(doc).value());
  }
  write_store((dir / "b.store").string(), copied);
  check_against_reference((dir / "b.store").string(), docs, 9);
  CHECK(test::read_file(dir / "a.store") == test::read_file(dir / "b.store"));
}

TEST_CASE("document store v4: checkpoints out of order or outside the body are refused",
          "[doc_store]") {
  TempDir dir;
  auto out = FileWriter::create((dir / "t.store").string(), kKindStore);
  REQUIRE(out.is_ok());
  DocStoreWriter w(out->get());
  StoredDocument d;
  d.body = "alpha beta gamma";
  d.has_checkpoints = true;
  d.checkpoints = {{0, 0}, {1, 6}, {2, 11}};
  CHECK(w.add(d).is_ok());
  for (const auto& bad : std::vector<std::vector<TextCheckpoint>>{
           {{0, 0}, {0, 6}}, {{0, 0}, {1, 0}}, {{1, 6}, {0, 11}}, {{0, 16}}, {{0, 0}, {5, 99}}}) {
    d.checkpoints = bad;
    auto s = w.add(d);
    CHECK(s.code() == Status::Code::kInvalidArgument);
    CHECK(s.message().find("t.store: document 1") != std::string::npos);
  }
  d.has_checkpoints = false;  // Not stored at all, so not checked.
  CHECK(w.add(d).is_ok());
}

TEST_CASE("document store v4: a damaged frame is Corruption naming the file", "[doc_store]") {
  const auto access = GENERATE(MappedFile::Access::kMapped, MappedFile::Access::kMappedAndPread);
  TempDir dir;
  const auto docs = random_docs(3, 100, 300 * 1024);
  const std::string path = (dir / "t.store").string();
  write_store(path, docs);
  const std::string good = test::read_file(path);
  const Trailer t = trailer_of(good);
  REQUIRE(t.frames > 10);
  const auto frame_offset = [&](uint32_t k) {
    return decode_fixed64(reinterpret_cast<const uint8_t*>(good.data()) + t.frame_table + 8 * k);
  };
  // The documents whose bodies lie in frame 5 fail; one wholly before it
  // still reads.
  uint64_t at = 0;
  uint32_t in_frame = UINT32_MAX, before = UINT32_MAX;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    const uint64_t end = at + docs[d].body.size();
    if (end < 5 * kStoreFrameBytes && !docs[d].body.empty()) before = d;
    if (in_frame == UINT32_MAX && at <= 5 * kStoreFrameBytes + 10 &&
        end > 5 * kStoreFrameBytes + 10) {
      in_frame = d;
    }
    at = end;
  }
  REQUIRE(in_frame != UINT32_MAX);
  REQUIRE(before != UINT32_MAX);
  SECTION("frame bytes overwritten") {
    std::string bad = good;
    for (uint64_t i = frame_offset(5); i < frame_offset(6); ++i) bad[i] = '\x5a';
    test::write_file(path, bad);
  }
  SECTION("frame table entry out of range") {
    std::string bad = good;
    std::string entry;
    put_fixed64(&entry, t.records + 1);
    bad.replace(t.frame_table + 8 * 6, 8, entry);
    test::write_file(path, bad);
  }
  auto file = open_store(path, access);
  auto store = DocStoreReader::open(*file);
  REQUIRE(store.is_ok());
  auto got = (*store)->get(in_frame);
  CHECK(got.status().code() == Status::Code::kCorruption);
  CHECK(got.status().message().find(path + ": corrupted document store (frame 5") == 0);
  auto range = (*store)->body_range(in_frame, 0, UINT32_MAX);
  CHECK(range.status().code() == Status::Code::kCorruption);
  auto ok = (*store)->get(before);
  REQUIRE(ok.is_ok());
  CHECK(ok->body == docs[before].body);
  auto layout = (*store)->layout(in_frame);  // Reads no frame.
  REQUIRE(layout.is_ok());
  CHECK(layout->body_bytes == docs[in_frame].body.size());
}

// The flags byte of document d's meta record in the store `bytes` (after
// its id, title, source, length, body start and body size), with the body
// size in *body_bytes.
const uint8_t* meta_flags(std::string_view bytes, const Trailer& t, size_t d,
                          uint32_t* body_bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* limit = p + bytes.size();
  const uint8_t* q = p + decode_fixed64(p + t.frame_table - 12 * t.docs + 8 * d);
  std::string_view field;
  uint32_t length = 0;
  uint64_t start = 0;
  for (int i = 0; i < 3; ++i) q = get_length_prefixed(q, limit, &field);
  q = get_varint32(q, limit, &length);
  q = get_varint64(q, limit, &start);
  q = get_varint32(q, limit, body_bytes);
  REQUIRE(q != nullptr);
  return q;
}

TEST_CASE("document store v4: a damaged trailer or record is Corruption", "[doc_store]") {
  TempDir dir;
  const auto docs = random_docs(4, 30, 20 * 1024);
  const std::string path = (dir / "t.store").string();
  write_store(path, docs);
  const std::string good = test::read_file(path);
  const Trailer t = trailer_of(good);
  const size_t trailer = good.size() - 32 - 40;
  SECTION("text bytes not matching the frames") {
    std::string bad = good;
    std::string v;
    put_fixed64(&v, t.text_bytes + kStoreFrameBytes);
    bad.replace(trailer + 16, 8, v);
    test::write_file(path, bad);
    auto file = open_store(path);
    auto store = DocStoreReader::open(*file);
    CHECK(store.status().code() == Status::Code::kCorruption);
    CHECK(store.status().message().find(path) == 0);
  }
  SECTION("a frame size that is not a power of two from 256 to 1 MiB") {
    // 0 would divide by zero, 1000 and 1 << 21 (or 128) would cut the stream
    // elsewhere than the writer did: refused at open, one line.
    const uint32_t size = GENERATE(0u, 128u, 1000u, 1u << 21, 2048u);
    INFO(size);
    std::string bad = good;
    std::string v;
    put_fixed32(&v, size);
    bad.replace(trailer + 36, 4, v);
    test::write_file(path, bad);
    auto file = open_store(path);
    auto store = DocStoreReader::open(*file);
    CHECK(store.status().code() == Status::Code::kCorruption);
    const std::string want = size == 2048 ? "(frame table size)" : "(frame size)";
    CHECK(store.status().message() == path + ": corrupted document store " + want);
  }
  SECTION("unknown flags in a meta record") {
    // Doc 1's meta record: the flags byte after its five fields.
    std::string bad = good;
    const auto* p = reinterpret_cast<const uint8_t*>(good.data());
    uint32_t value = 0;
    const uint8_t* q = meta_flags(good, t, 1, &value);
    CHECK(value == docs[1].body.size());
    REQUIRE(*q == (docs[1].has_checkpoints ? 1 : 0));
    bad[static_cast<size_t>(q - p)] = '\x03';
    test::write_file(path, bad);
    auto file = open_store(path);
    auto store = DocStoreReader::open(*file);
    REQUIRE(store.is_ok());
    CHECK((*store)->get(1).status().code() == Status::Code::kCorruption);
    CHECK((*store)->layout(1).status().code() == Status::Code::kCorruption);
    CHECK((*store)->get(0).is_ok());
  }
  SECTION("a checkpoint's position or offset delta of zero") {
    // The second checkpoint's position or offset delta of the first
    // document whose delta there is a one-byte varint, set to 0.
    const bool position_delta = GENERATE(true, false);
    INFO(position_delta);
    const auto* p = reinterpret_cast<const uint8_t*>(good.data());
    const uint8_t* limit = p + good.size();
    // Where that delta is in document d's meta record, or nullptr.
    const auto second_delta = [&](size_t d) -> const uint8_t* {
      if (!docs[d].has_checkpoints || docs[d].checkpoints.size() < 2) return nullptr;
      uint32_t value = 0;
      const uint8_t* q = meta_flags(good, t, d, &value);
      REQUIRE(*q++ == 1);
      q = get_varint32(q, limit, &value);  // Body position.
      q = get_varint32(q, limit, &value);  // Count.
      REQUIRE(q != nullptr);
      CHECK(value == docs[d].checkpoints.size());
      q = get_varint32(q, limit, &value);
      q = get_varint32(q, limit, &value);  // The first checkpoint.
      if (q != nullptr && !position_delta) q = get_varint32(q, limit, &value);
      REQUIRE(q != nullptr);
      return *q < 0x80 ? q : nullptr;
    };
    size_t doc = 0;
    const uint8_t* q = second_delta(0);
    while (q == nullptr && ++doc < docs.size()) q = second_delta(doc);
    REQUIRE(q != nullptr);
    std::string bad = good;
    bad[static_cast<size_t>(q - p)] = '\0';
    test::write_file(path, bad);
    auto file = open_store(path);
    auto store = DocStoreReader::open(*file);
    REQUIRE(store.is_ok());
    auto layout = (*store)->layout(static_cast<uint32_t>(doc));
    CHECK(layout.status().code() == Status::Code::kCorruption);
    CHECK(layout.status().message().find(path) == 0);
  }
}

TEST_CASE("document store v4: empty bodies only, and no documents", "[doc_store]") {
  TempDir dir;
  std::vector<StoredDocument> docs(3);
  docs[1].has_checkpoints = true;
  docs[1].body_position = 4;
  write_store((dir / "a.store").string(), docs);
  const Trailer t = trailer_of(test::read_file(dir / "a.store"));
  CHECK(t.frames == 0);
  CHECK(t.dictionary == 0);
  check_against_reference((dir / "a.store").string(), docs, 1);
  write_store((dir / "b.store").string(), {});
  check_against_reference((dir / "b.store").string(), {}, 1);
}
