// Tests of the on-disk structures: footers, postings (against a naive
// model), the term dictionary and the document store.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "scry/codec/varint.h"
#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/format/manifest.h"
#include "scry/format/postings.h"
#include "scry/format/term_dictionary.h"
#include "scry/util/file.h"
#include "testlib.h"

using namespace scry;
using scry::test::TempDir;

namespace {

// A 32-bit draw (mt19937's result_type is wider than uint32_t here).
using test::u32;

struct Posting {
  uint32_t doc;
  uint32_t len;
  std::vector<uint32_t> positions;
};

std::unique_ptr<MappedFile> open_mapped(const std::string& path, uint32_t kind) {
  auto f = MappedFile::open(path, kind);
  INFO(f.status().message());
  REQUIRE(f.is_ok());
  return std::move(f).value();
}

// Random postings for one term: `df` docs in [0, max_doc), tf 1..max_tf.
std::vector<Posting> random_postings(std::mt19937& rng, uint32_t df, uint32_t max_doc,
                                     uint32_t max_tf) {
  std::vector<uint32_t> docs;
  std::uniform_int_distribution<uint32_t> doc_dist(0, max_doc - 1);
  std::map<uint32_t, bool> seen;
  while (seen.size() < df) seen[doc_dist(rng)] = true;
  std::vector<Posting> out;
  std::uniform_int_distribution<uint32_t> tf_dist(1, max_tf);
  for (auto& [doc, unused] : seen) {
    Posting p{doc, 0, {}};
    uint32_t tf = tf_dist(rng);
    uint32_t pos = 0;
    for (uint32_t i = 0; i < tf; ++i) {
      pos += 1 + u32(rng) % 50;
      p.positions.push_back(pos);
    }
    p.len = pos + static_cast<uint32_t>(u32(rng) % 100);
    out.push_back(std::move(p));
  }
  return out;
}

// The Pareto set computed the slow way: pairs not dominated by any other.
std::vector<Impact> naive_pareto(const std::vector<Impact>& all) {
  std::vector<Impact> out;
  for (const Impact& a : all) {
    bool dominated = false;
    for (const Impact& b : all) {
      if ((b.tf >= a.tf && b.doc_len <= a.doc_len) && !(b == a)) dominated = true;
    }
    bool dup = std::find(out.begin(), out.end(), a) != out.end();
    if (!dominated && !dup) out.push_back(a);
  }
  std::sort(out.begin(), out.end(), [](auto& x, auto& y) { return x.tf < y.tf; });
  return out;
}

}  // namespace

TEST_CASE("footer: every kind of damage is reported, naming the file", "[format]") {
  TempDir dir;
  std::string path = (dir / "f.post").string();
  {
    auto w = FileWriter::create(path, kKindPostings);
    REQUIRE(w.is_ok());
    (*w)->append("hello postings");
    REQUIRE((*w)->finish().is_ok());
  }
  std::string good = scry::test::read_file(path);
  REQUIRE(good.size() == 14 + kFooterSize);

  SECTION("intact file opens and verifies") {
    auto f = open_mapped(path, kKindPostings);
    CHECK(f->view() == "hello postings");
    CHECK(f->verify().is_ok());
  }
  SECTION("pinned footer bytes") {
    CHECK(decode_fixed64(reinterpret_cast<const uint8_t*>(good.data()) + 14) == 14);
    CHECK(good.substr(14 + 16, 4) == std::string{static_cast<char>(kFormatVersion), 0, 0, 0});
    CHECK(good.substr(14 + 20, 4) == "POST");
    CHECK(good.substr(14 + 24) == "SCRYINDX");
  }
  SECTION("flipped content byte: opens, verify fails") {
    std::string bad = good;
    bad[3] ^= 0x20;
    scry::test::write_file(path, bad);
    auto f = open_mapped(path, kKindPostings);
    Status s = f->verify();
    CHECK(s.code() == Status::Code::kCorruption);
    CHECK(s.message().find(path) != std::string::npos);
  }
  SECTION("truncated file") {
    for (size_t keep : {size_t{0}, size_t{5}, good.size() - 1, good.size() - kFooterSize}) {
      scry::test::write_file(path, good.substr(0, keep));
      auto f = MappedFile::open(path, kKindPostings);
      REQUIRE(!f.is_ok());
      CHECK(f.status().code() == Status::Code::kCorruption);
      CHECK(f.status().message().find(path) != std::string::npos);
    }
  }
  SECTION("newer format version") {
    std::string bad = good;
    bad[14 + 16] = static_cast<char>(kFormatVersion + 1);
    scry::test::write_file(path, bad);
    auto f = MappedFile::open(path, kKindPostings);
    REQUIRE(!f.is_ok());
    CHECK(f.status().code() == Status::Code::kNotSupported);
    CHECK(f.status().message().find("version " + std::to_string(kFormatVersion + 1) +
                                    " is newer") != std::string::npos);
  }
  SECTION("wrong kind") {
    auto f = MappedFile::open(path, kKindTerms);
    REQUIRE(!f.is_ok());
    CHECK(f.status().code() == Status::Code::kCorruption);
  }
  SECTION("missing file") {
    auto f = MappedFile::open((dir / "nope.post").string(), kKindPostings);
    REQUIRE(!f.is_ok());
    CHECK(f.status().code() == Status::Code::kNotFound);
  }
}

TEST_CASE("mapped file: read_at gives the mapping's bytes", "[format]") {
  TempDir dir;
  const std::string path = (dir / "f.post").string();
  std::mt19937 rng(17);
  std::string contents(100000, '\0');
  for (char& c : contents) c = static_cast<char>(u32(rng));
  {
    auto w = FileWriter::create(path, kKindPostings);
    REQUIRE(w.is_ok());
    (*w)->append(contents);
    REQUIRE((*w)->finish().is_ok());
  }
  CHECK_FALSE(open_mapped(path, kKindPostings)->can_read_at());
  auto f = MappedFile::open(path, kKindPostings, MappedFile::Access::kMappedAndPread);
  REQUIRE(f.is_ok());
  const MappedFile& file = **f;
  REQUIRE(file.can_read_at());
  REQUIRE(file.view() == contents);
  std::string got;
  for (int i = 0; i < 2000; ++i) {
    const size_t offset = u32(rng) % (contents.size() + 1);
    const size_t size = u32(rng) % std::min<size_t>(contents.size() - offset + 1, 9000);
    got.assign(size, '\0');
    REQUIRE(file.read_at(offset, size, reinterpret_cast<uint8_t*>(got.data())).is_ok());
    INFO("offset " << offset << " size " << size);
    REQUIRE(got == contents.substr(offset, size));
  }
  // Bytes past the end of the file: IOError naming it.
  got.assign(100, '\0');
  const Status past =
      file.read_at(contents.size() + kFooterSize - 10, 100, reinterpret_cast<uint8_t*>(got.data()));
  CHECK(past.code() == Status::Code::kIOError);
  CHECK(past.message().find(path) == 0);
}

TEST_CASE("impacts: Pareto set equals the naive one, and round-trips", "[format]") {
  std::mt19937 rng(7);
  for (int iter = 0; iter < 500; ++iter) {
    std::vector<Impact> all;
    size_t n = 1 + u32(rng) % 60;
    for (size_t i = 0; i < n; ++i) {
      all.push_back(
          {1 + static_cast<uint32_t>(u32(rng) % 8), 1 + static_cast<uint32_t>(u32(rng) % 40)});
    }
    std::vector<Impact> fast = all;
    pareto_impacts(&fast);
    REQUIRE(fast == naive_pareto(all));
    std::string enc;
    put_impacts(&enc, fast);
    std::vector<Impact> dec;
    auto* p = reinterpret_cast<const uint8_t*>(enc.data());
    REQUIRE(get_impacts(p, p + enc.size(), &dec) == p + enc.size());
    REQUIRE(dec == fast);
    // Truncation never decodes.
    if (enc.size() > 1) CHECK(get_impacts(p, p + enc.size() - 1, &dec) == nullptr);
  }
}

TEST_CASE("impacts: Pareto set equals the naive one across the small-tf table's bound",
          "[format]") {
  // pareto_impacts keeps the shortest length of each tf below 32 in a table
  // and sorts the pairs of larger tfs: tfs from 0 to 80 and a few huge ones,
  // lengths from 0 to 2^32 - 1, lists up to 600 pairs (the term-level lists
  // pass 256).
  std::mt19937 rng(20261206);
  for (int iter = 0; iter < 600; ++iter) {
    std::vector<Impact> all;
    const size_t n = u32(rng) % 600;
    const uint32_t max_tf = 1 + u32(rng) % 80;
    const uint32_t max_len = iter % 3 == 0 ? UINT32_MAX : 1 + u32(rng) % 5000;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t tf = u32(rng) % 50 == 0 ? UINT32_MAX - u32(rng) % 3 : u32(rng) % (max_tf + 1);
      const uint32_t len = max_len == UINT32_MAX ? u32(rng) : u32(rng) % (max_len + 1);
      all.push_back({tf, len});
    }
    std::vector<Impact> fast = all;
    pareto_impacts(&fast);
    INFO("iteration " << iter << ", " << n << " pairs");
    REQUIRE(fast == naive_pareto(all));
  }
}

TEST_CASE("postings: cursors return exactly what was written", "[format]") {
  TempDir dir;
  std::mt19937 rng(42);
  // Short lists, exactly one block, block+1, many blocks, dense runs.
  std::vector<uint32_t> dfs = {1, 2, 127, 128, 129, 255, 256, 257, 1000, 5000};
  std::vector<std::vector<Posting>> lists;
  for (uint32_t df : dfs) lists.push_back(random_postings(rng, df, df < 300 ? 400 : df * 3, 5));
  lists.push_back(random_postings(rng, 3000, 3000, 2));  // Every doc: all gaps are 1.

  std::vector<TermInfo> infos;
  {
    auto post = FileWriter::create((dir / "t.post").string(), kKindPostings);
    auto pos = FileWriter::create((dir / "t.pos").string(), kKindPositions);
    REQUIRE(post.is_ok());
    REQUIRE(pos.is_ok());
    PostingsWriter writer(post->get(), pos->get());
    for (const auto& list : lists) {
      writer.begin_term();
      for (const auto& p : list) writer.add(p.doc, p.len, p.positions);
      infos.push_back(writer.end_term());
    }
    REQUIRE((*post)->finish().is_ok());
    REQUIRE((*pos)->finish().is_ok());
  }
  auto post = open_mapped((dir / "t.post").string(), kKindPostings);
  auto pos = open_mapped((dir / "t.pos").string(), kKindPositions);

  for (size_t t = 0; t < lists.size(); ++t) {
    const auto& list = lists[t];
    INFO("list " << t << " df " << list.size());
    CHECK(infos[t].df == list.size());

    SECTION("next() and positions() " + std::to_string(t)) {
      PostingsCursor c(*post, *pos, infos[t]);
      std::vector<uint32_t> got_pos;
      std::vector<Impact> all;
      for (const auto& p : list) {
        REQUIRE(c.doc() == p.doc);
        REQUIRE(c.freq() == p.positions.size());
        // Block impacts bound this posting: some pair has tf >= and len <=.
        bool bounded = list.size() < kPostingsBlockSize;  // Short lists store none.
        for (const Impact& im : c.block_impacts()) {
          bounded |= im.tf >= c.freq() && im.doc_len <= p.len;
        }
        REQUIRE(bounded);
        REQUIRE(c.block_last_doc() >= p.doc);
        // Read positions of every other posting only, to test skipping.
        if (p.doc % 2 == 0) {
          REQUIRE(c.positions(&got_pos).is_ok());
          REQUIRE(got_pos == p.positions);
        }
        all.push_back({static_cast<uint32_t>(p.positions.size()), p.len});
        c.next();
      }
      CHECK(c.doc() == PostingsCursor::kEnd);
      CHECK(c.status().is_ok());
      if (list.size() >= kPostingsBlockSize) CHECK(infos[t].impacts == naive_pareto(all));
    }
    SECTION("seek() lands on the first doc >= target " + std::to_string(t)) {
      std::mt19937 r2(static_cast<uint32_t>(t));
      for (int trial = 0; trial < 20; ++trial) {
        PostingsCursor c(*post, *pos, infos[t]);
        uint32_t target = 0;
        size_t idx = 0;
        while (true) {
          target += 1 + static_cast<uint32_t>(u32(r2) % 700);
          while (idx < list.size() && list[idx].doc < target) ++idx;
          c.seek(target);
          if (idx == list.size()) {
            REQUIRE(c.doc() == PostingsCursor::kEnd);
            break;
          }
          REQUIRE(c.doc() == list[idx].doc);
          REQUIRE(c.freq() == list[idx].positions.size());
          std::vector<uint32_t> got;
          REQUIRE(c.positions(&got).is_ok());
          REQUIRE(got == list[idx].positions);
        }
      }
    }
    SECTION("a cursor skipping impacts reads what one reading them reads " + std::to_string(t)) {
      std::mt19937 r3(static_cast<uint32_t>(t) + 100);
      for (int trial = 0; trial < 20; ++trial) {
        PostingsCursor read(*post, *pos, infos[t]);
        PostingsCursor skip(*post, *pos, infos[t], PostingsCursor::kEnd,
                            PostingsCursor::Impacts::kSkip);
        uint32_t target = 0;
        while (read.doc() != PostingsCursor::kEnd) {
          REQUIRE(skip.doc() == read.doc());
          REQUIRE(skip.freq() == read.freq());
          REQUIRE(skip.block_last_doc() == read.block_last_doc());
          REQUIRE(skip.block_impacts().empty());
          std::vector<uint32_t> from_read, from_skip;
          REQUIRE(read.positions(&from_read).is_ok());
          REQUIRE(skip.positions(&from_skip).is_ok());
          REQUIRE(from_skip == from_read);
          if (u32(r3) % 3 == 0) {
            read.next();
            skip.next();
          } else {
            target = std::max(target, read.doc()) + 1 + static_cast<uint32_t>(u32(r3) % 700);
            read.seek(target);
            skip.seek(target);
          }
        }
        CHECK(skip.doc() == PostingsCursor::kEnd);
        CHECK(skip.status().is_ok());
      }
    }
  }
}

TEST_CASE("postings: corrupted bytes never crash and are reported", "[format]") {
  TempDir dir;
  std::mt19937 rng(9);
  auto list = random_postings(rng, 700, 5000, 4);
  TermInfo info;
  {
    auto post = FileWriter::create((dir / "t.post").string(), kKindPostings);
    auto pos = FileWriter::create((dir / "t.pos").string(), kKindPositions);
    PostingsWriter writer(post->get(), pos->get());
    writer.begin_term();
    for (const auto& p : list) writer.add(p.doc, p.len, p.positions);
    info = writer.end_term();
    REQUIRE((*post)->finish().is_ok());
    REQUIRE((*pos)->finish().is_ok());
  }
  std::string good = scry::test::read_file(dir / "t.post");
  size_t content = good.size() - kFooterSize;
  int reported = 0;
  for (int iter = 0; iter < 300; ++iter) {
    std::string bad = good;
    bad[u32(rng) % content] = static_cast<char>(u32(rng));
    scry::test::write_file(dir / "t.post", bad);
    auto post = open_mapped((dir / "t.post").string(), kKindPostings);
    auto pos = open_mapped((dir / "t.pos").string(), kKindPositions);
    PostingsCursor c(*post, *pos, info);
    std::vector<uint32_t> p;
    uint32_t prev = 0;
    size_t n = 0;
    bool first = true;
    while (c.doc() != PostingsCursor::kEnd && n < 100000) {
      REQUIRE((first || c.doc() > prev));
      first = false;
      prev = c.doc();
      (void)c.positions(&p);
      c.next();
      ++n;
    }
    if (!c.status().is_ok()) ++reported;
  }
  CHECK(reported > 0);
}

// Found by tests/fuzz/fuzz_index: a doc-id gap or block delta read as a
// huge u64 was added to the previous doc id before being checked, an int64
// overflow (undefined behaviour; UBSan aborts) or, for a delta >= 2^63, a
// negative last doc that passed the check.
TEST_CASE("postings: huge doc-id gaps and block deltas are corruption, not overflow", "[format]") {
  TempDir dir;
  auto write = [&](const std::string& name, uint32_t kind, const std::string& content) {
    auto w = FileWriter::create((dir / name).string(), kind);
    REQUIRE(w.is_ok());
    (*w)->append(content);
    REQUIRE((*w)->finish().is_ok());
  };
  auto cursor_status = [&](const TermInfo& info) {
    auto post = open_mapped((dir / "t.post").string(), kKindPostings);
    auto pos = open_mapped((dir / "t.pos").string(), kKindPositions);
    PostingsCursor c(*post, *pos, info, 1000);
    std::vector<uint32_t> positions;
    while (c.doc() != PostingsCursor::kEnd) {
      (void)c.positions(&positions);
      c.next();
    }
    return c.status();
  };
  const std::string huge_gap = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";  // 2^64 - 1.

  SECTION("short list: doc 0, then a gap of 2^63 - 1") {
    write("t.post", kKindPostings, "\x01" + huge_gap);  // (gap << 1 | tf == 1) per posting.
    write("t.pos", kKindPositions, std::string(8, '\x00'));
    TermInfo info;
    info.df = 2;
    Status status = cursor_status(info);
    CHECK(status.message().find("bad tail block") != std::string::npos);
  }
  SECTION("long list: a second block whose delta is INT64_MAX, or 2^64 - 1") {
    // 256 documents in a row: two full blocks, the first ending at doc 127.
    TermInfo info;
    {
      auto post = FileWriter::create((dir / "t.post").string(), kKindPostings);
      auto pos = FileWriter::create((dir / "t.pos").string(), kKindPositions);
      PostingsWriter writer(post->get(), pos->get());
      writer.begin_term();
      std::vector<uint32_t> positions = {0};
      for (uint32_t doc = 0; doc < 256; ++doc) writer.add(doc, 1, positions);
      info = writer.end_term();
      REQUIRE((*post)->finish().is_ok());
      REQUIRE((*pos)->finish().is_ok());
    }
    REQUIRE(cursor_status(info).is_ok());
    std::string good = scry::test::read_file(dir / "t.post");
    const auto* base = reinterpret_cast<const uint8_t*>(good.data());
    const uint8_t* limit = base + good.size() - kFooterSize;
    // Skip the first block: header (delta, body bytes, positions bytes,
    // impacts: count then pairs) and body.
    uint64_t delta = 0, body_bytes = 0, pos_bytes = 0;
    uint32_t n = 0, v = 0;
    const uint8_t* p = get_varint64(base, limit, &delta);
    p = get_varint64(p, limit, &body_bytes);
    p = get_varint64(p, limit, &pos_bytes);
    p = get_varint32(p, limit, &n);
    for (uint32_t i = 0; i < 2 * n; ++i) p = get_varint32(p, limit, &v);
    REQUIRE(p != nullptr);
    const uint8_t* second = p + body_bytes;
    const uint8_t* after_delta = get_varint64(second, limit, &delta);
    REQUIRE(after_delta != nullptr);
    REQUIRE(delta == 128);
    for (uint64_t bad : {uint64_t{INT64_MAX}, ~uint64_t{0}}) {
      std::string content(good.data(), static_cast<size_t>(second - base));
      put_varint64(&content, bad);
      content.append(reinterpret_cast<const char*>(after_delta),
                     static_cast<size_t>(limit - after_delta));
      write("t.post", kKindPostings, content);
      Status status = cursor_status(info);
      CHECK(status.message().find("bad block header") != std::string::npos);
    }
  }
}

TEST_CASE("term dictionary: finds every term, misses absent ones, iterates in order", "[format]") {
  TempDir dir;
  std::mt19937 rng(5);
  std::map<std::string, TermInfo> terms;
  const char* alphabet = "abcdez";
  while (terms.size() < 2000) {
    std::string key(1, static_cast<char>(u32(rng) % 2));
    size_t len = 1 + u32(rng) % 8;
    for (size_t i = 0; i < len; ++i) key += alphabet[u32(rng) % 6];
    TermInfo info;
    info.df = 1 + static_cast<uint32_t>(u32(rng) % 300);
    info.cf = info.df + u32(rng) % 10;
    // Each term's own impacts, so that a lookup that decoded a neighbour's
    // (or none) is seen.
    if (info.df >= kPostingsBlockSize) info.impacts = {{1, info.df}, {4, 2 * info.df + 1}};
    terms[key] = info;
  }
  uint64_t off = 0;
  for (auto& [k, info] : terms) {
    info.postings_offset = off += u32(rng) % 1000;
    info.positions_offset = off * 2;
  }
  {
    auto out = FileWriter::create((dir / "t.terms").string(), kKindTerms);
    TermDictionaryWriter w(out->get());
    for (auto& [k, info] : terms) w.add(k, info);
    w.finish();
    REQUIRE((*out)->finish().is_ok());
  }
  auto file = open_mapped((dir / "t.terms").string(), kKindTerms);
  auto dict = TermDictionaryReader::open(*file);
  REQUIRE(dict.is_ok());
  CHECK((*dict)->term_count() == terms.size());
  for (auto& [k, info] : terms) {
    auto found = (*dict)->find(k);
    REQUIRE(found.is_ok());
    REQUIRE(found->has_value());
    const TermInfo& got = **found;
    CHECK(got.df == info.df);
    CHECK(got.cf == info.cf);
    CHECK(got.postings_offset == info.postings_offset);
    CHECK(got.positions_offset == info.positions_offset);
    CHECK(got.impacts == info.impacts);
    // Without impacts: the same entry, its impacts left empty.
    auto bare = (*dict)->find(k, /*with_impacts=*/false);
    REQUIRE(bare.is_ok());
    REQUIRE(bare->has_value());
    CHECK((*bare)->df == info.df);
    CHECK((*bare)->postings_offset == info.postings_offset);
    CHECK((*bare)->impacts.empty());
    auto absent = (*dict)->find(k + "q");
    REQUIRE(absent.is_ok());
    CHECK(!absent->has_value());
  }
  // Keys near the stored ones (a byte more, fewer, changed; before the
  // first and after the last) against the map: found exactly when stored.
  std::vector<std::string> probes = {"", std::string(1, '\0'), std::string(1, '\2'),
                                     std::string(1, '\xff')};
  for (auto& [k, info] : terms) {
    probes.push_back(k.substr(0, k.size() - 1));
    probes.push_back(k + alphabet[u32(rng) % 6]);
    std::string changed = k;
    changed[1 + u32(rng) % (k.size() - 1)] = alphabet[u32(rng) % 6];
    probes.push_back(changed);
  }
  for (const std::string& probe : probes) {
    auto found = (*dict)->find(probe);
    REQUIRE(found.is_ok());
    const auto want = terms.find(probe);
    REQUIRE(found->has_value() == (want != terms.end()));
    if (want != terms.end()) CHECK((*found)->postings_offset == want->second.postings_offset);
  }
  // Full iteration in order, with every entry's impacts, and seek to a
  // prefix.
  auto it = (*dict)->seek("");
  auto expected = terms.begin();
  for (; it.valid(); it.next(), ++expected) {
    REQUIRE(expected != terms.end());
    REQUIRE(it.key() == expected->first);
    CHECK(it.info().impacts == expected->second.impacts);
  }
  CHECK(expected == terms.end());
  std::string prefix = std::string(1, '\1') + "ab";
  auto p = (*dict)->seek(prefix);
  auto lb = terms.lower_bound(prefix);
  REQUIRE(p.valid());
  CHECK(p.key() == lb->first);
  // A seek lands with its entry's impacts, and the walk on reads theirs.
  for (int i = 0; i < 100 && lb != terms.end(); ++i, ++lb, p.next()) {
    REQUIRE(p.valid());
    REQUIRE(p.key() == lb->first);
    CHECK(p.info().impacts == lb->second.impacts);
  }
  // seek_forward against lower_bound over random increasing targets, near
  // (same block) and far (later blocks), with and without impacts.
  for (bool impacts : {true, false}) {
    auto walk = (*dict)->seek("");
    if (!impacts) walk.skip_impacts();
    std::string target;
    while (walk.valid()) {
      target = walk.key();
      if (u32(rng) % 4 == 0) {
        target.back() = static_cast<char>(target.back() + 1);
      } else {
        target += alphabet[u32(rng) % 6];
      }
      walk.seek_forward(target);
      auto want = terms.lower_bound(target);
      REQUIRE(walk.valid() == (want != terms.end()));
      if (!walk.valid()) break;
      REQUIRE(walk.key() == want->first);
      CHECK(walk.info().df == want->second.df);
      CHECK(walk.info().postings_offset == want->second.postings_offset);
      CHECK(walk.info().positions_offset == want->second.positions_offset);
      CHECK(walk.info().impacts.empty() == (!impacts || want->second.impacts.empty()));
      walk.seek_forward(target);  // Already there: stays.
      CHECK(walk.key() == want->first);
    }
    CHECK(walk.status().is_ok());
  }
}

TEST_CASE("document store: every record comes back, across chunks", "[format]") {
  TempDir dir;
  std::mt19937 rng(3);
  std::vector<StoredDocument> docs;
  for (int i = 0; i < 300; ++i) {
    StoredDocument d;
    d.id = "doc-" + std::to_string(i);
    d.title = "Title " + std::to_string(i);
    d.source = "file.jsonl:" + std::to_string(i + 1);
    d.length = static_cast<uint32_t>(u32(rng) % 1000);
    d.body = std::string(u32(rng) % (i == 100 ? 200000 : 3000), static_cast<char>('a' + i % 26));
    docs.push_back(d);
  }
  {
    auto out = FileWriter::create((dir / "t.store").string(), kKindStore);
    DocStoreWriter w(out->get());
    for (const auto& d : docs) REQUIRE(w.add(d).is_ok());
    REQUIRE(w.finish().is_ok());
    REQUIRE((*out)->finish().is_ok());
  }
  auto file = open_mapped((dir / "t.store").string(), kKindStore);
  auto store = DocStoreReader::open(*file);
  REQUIRE(store.is_ok());
  REQUIRE((*store)->doc_count() == docs.size());
  for (uint32_t i : {0u, 299u, 100u, 5u, 150u, 149u, 0u}) {
    auto d = (*store)->get(i);
    REQUIRE(d.is_ok());
    CHECK(d->id == docs[i].id);
    CHECK(d->title == docs[i].title);
    CHECK(d->source == docs[i].source);
    CHECK(d->length == docs[i].length);
    CHECK(d->body == docs[i].body);
    auto meta = (*store)->get_meta(i);
    REQUIRE(meta.is_ok());
    CHECK(meta->id == docs[i].id);
    CHECK(meta->title == docs[i].title);
    CHECK(meta->source == docs[i].source);
    CHECK(meta->length == docs[i].length);
    CHECK(meta->body.empty());
  }
  auto out_of_range = (*store)->get(300);
  CHECK(out_of_range.status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("document store: meta records and the id table against a reference", "[format]") {
  // Random ids (repeated ones, prefixes of others, empty, any byte), titles
  // and sources; every meta record read in place must be the one written,
  // and find_id() must agree with a map of the lowest doc of each id.
  TempDir dir;
  std::mt19937 rng(14);
  const auto random_string = [&](size_t max) {
    std::string out(u32(rng) % (max + 1), '\0');
    for (char& c : out)
      c = static_cast<char>(u32(rng) % 4 == 0 ? u32(rng) % 256 : 'a' + u32(rng) % 3);
    return out;
  };
  std::vector<StoredDocument> docs;
  std::map<std::string, uint32_t> first_doc;
  for (uint32_t i = 0; i < 2000; ++i) {
    StoredDocument d;
    d.id = u32(rng) % 8 == 0 && !docs.empty() ? docs[u32(rng) % docs.size()].id : random_string(6);
    d.title = random_string(40);
    d.source = random_string(20);
    d.length = u32(rng);
    d.body = random_string(u32(rng) % 16 == 0 ? 70000 : 300);
    first_doc.emplace(d.id, i);
    docs.push_back(d);
  }
  {
    auto out = FileWriter::create((dir / "t.store").string(), kKindStore);
    DocStoreWriter w(out->get());
    for (const auto& d : docs) REQUIRE(w.add(d).is_ok());
    REQUIRE(w.finish().is_ok());
    REQUIRE((*out)->finish().is_ok());
  }
  auto file = open_mapped((dir / "t.store").string(), kKindStore);
  auto store = DocStoreReader::open(*file);
  REQUIRE(store.is_ok());
  REQUIRE((*store)->doc_count() == docs.size());
  for (uint32_t i = 0; i < docs.size(); ++i) {
    auto meta = (*store)->get_meta(i);
    REQUIRE(meta.is_ok());
    CHECK(meta->id == docs[i].id);
    CHECK(meta->title == docs[i].title);
    CHECK(meta->source == docs[i].source);
    CHECK(meta->length == docs[i].length);
    if (i % 97 == 0) {
      auto full = (*store)->get(i);
      REQUIRE(full.is_ok());
      CHECK(full->body == docs[i].body);
    }
  }
  for (const auto& [id, doc] : first_doc) {
    auto found = (*store)->find_id(id);
    REQUIRE(found.is_ok());
    CHECK(*found == std::optional<uint32_t>(doc));
    for (std::string absent : {id + "x", id + std::string(1, '\0')}) {
      if (first_doc.count(absent) != 0) continue;
      auto none = (*store)->find_id(absent);
      REQUIRE(none.is_ok());
      CHECK_FALSE(none->has_value());
    }
  }
  CHECK((*store)->get_meta(2000).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("document store: an empty store has no documents and finds no id", "[format]") {
  TempDir dir;
  {
    auto out = FileWriter::create((dir / "t.store").string(), kKindStore);
    DocStoreWriter w(out->get());
    REQUIRE(w.finish().is_ok());
    REQUIRE((*out)->finish().is_ok());
  }
  auto file = open_mapped((dir / "t.store").string(), kKindStore);
  auto store = DocStoreReader::open(*file);
  REQUIRE(store.is_ok());
  CHECK((*store)->doc_count() == 0);
  auto none = (*store)->find_id("");
  REQUIRE(none.is_ok());
  CHECK_FALSE(none->has_value());
  CHECK((*store)->get_meta(0).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("manifest: analyzer settings round-trip; no stop_words field means none", "[format]") {
  Manifest m;
  m.created_by = "test";
  m.segments.push_back({"seg1", 3, 10, 12, 20, {20, 4}});
  for (bool stem : {false, true}) {
    for (StopWords list : {StopWords::kNone, StopWords::kLucene, StopWords::kSnowball}) {
      m.analyzer.stem = stem;
      m.analyzer.stop_words = list;
      const std::string json = manifest_to_json(m);
      INFO(json);
      CHECK((json.find("stop_words") != std::string::npos) == (list != StopWords::kNone));
      auto parsed = parse_manifest(json, "MANIFEST");
      REQUIRE(parsed.is_ok());
      CHECK(parsed->analyzer == m.analyzer);
      CHECK(parsed->documents() == 3);
    }
  }
  m.analyzer.stop_words = StopWords::kLucene;
  std::string json = manifest_to_json(m);
  json.replace(json.find("\"lucene\""), 8, "\"klingon\"");
  auto unknown = parse_manifest(json, "idx/MANIFEST");
  REQUIRE_FALSE(unknown.is_ok());
  CHECK(unknown.status().code() == Status::Code::kNotSupported);
  CHECK(unknown.status().message().find("idx/MANIFEST") != std::string::npos);
  CHECK(unknown.status().message().find("klingon") != std::string::npos);
}
