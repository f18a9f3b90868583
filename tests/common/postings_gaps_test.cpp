// PostingsWriter::add_gaps (positions as the bytes of their gaps, what the
// build's merge copies) against add() with the positions decoded.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "scry/codec/varint.h"
#include "scry/format/format.h"
#include "scry/format/postings.h"
#include "scry/util/file.h"
#include "testlib.h"

namespace scry {
namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Posting {
  uint32_t doc, len;
  std::vector<uint32_t> positions;
};

// Writes `terms` to NAME.post and NAME.pos in `dir`, with add() or add_gaps().
std::vector<TermInfo> write_terms(const std::string& dir, const std::string& name,
                                  const std::vector<std::vector<Posting>>& terms, bool gaps) {
  auto post = FileWriter::create(dir + "/" + name + ".post", kKindPostings);
  auto pos = FileWriter::create(dir + "/" + name + ".pos", kKindPositions);
  REQUIRE(post.is_ok());
  REQUIRE(pos.is_ok());
  std::vector<TermInfo> infos;
  PostingsWriter writer(post->get(), pos->get());
  for (const auto& term : terms) {
    writer.begin_term();
    for (const Posting& p : term) {
      if (gaps) {
        std::string bytes;
        uint32_t prev = 0;
        for (uint32_t position : p.positions) {
          put_varint32(&bytes, position - prev);
          prev = position;
        }
        writer.add_gaps(p.doc, p.len, static_cast<uint32_t>(p.positions.size()), bytes);
      } else {
        writer.add(p.doc, p.len, p.positions);
      }
    }
    infos.push_back(writer.end_term());
  }
  REQUIRE((*post)->finish().is_ok());
  REQUIRE((*pos)->finish().is_ok());
  return infos;
}

TEST_CASE("PostingsWriter::add_gaps writes what add() writes") {
  std::mt19937 rng(17);
  // Terms of 1 to 700 documents (short lists, whole blocks and tails),
  // tf 1 to 40, positions with gaps of every varint length.
  std::vector<std::vector<Posting>> terms;
  for (int t = 0; t < 60; ++t) {
    const uint32_t df = 1 + static_cast<uint32_t>(rng() % (t % 3 == 0 ? 700 : 20));
    std::vector<Posting> term;
    uint32_t doc = static_cast<uint32_t>(rng() % 5);
    for (uint32_t i = 0; i < df; ++i) {
      Posting p{doc, 0, {}};
      const uint32_t tf = 1 + static_cast<uint32_t>(rng() % 40);
      uint32_t position = static_cast<uint32_t>(rng() % 3);
      for (uint32_t k = 0; k < tf; ++k) {
        p.positions.push_back(position);
        position += 1 + (static_cast<uint32_t>(rng()) >> (rng() % 32));
        if (position > (1u << 30)) break;
      }
      p.len = position + static_cast<uint32_t>(rng() % 100);
      term.push_back(std::move(p));
      doc += 1 + static_cast<uint32_t>(rng() % 50);
    }
    terms.push_back(std::move(term));
  }
  test::TempDir dir;
  const std::vector<TermInfo> expected = write_terms(dir.path().string(), "add", terms, false);
  const std::vector<TermInfo> got = write_terms(dir.path().string(), "gaps", terms, true);
  REQUIRE(got.size() == expected.size());
  for (size_t t = 0; t < got.size(); ++t) {
    INFO("term " << t);
    CHECK(got[t].df == expected[t].df);
    CHECK(got[t].cf == expected[t].cf);
    CHECK(got[t].postings_offset == expected[t].postings_offset);
    CHECK(got[t].positions_offset == expected[t].positions_offset);
  }
  const std::string d = dir.path().string();
  CHECK(file_bytes(d + "/gaps.post") == file_bytes(d + "/add.post"));
  CHECK(file_bytes(d + "/gaps.pos") == file_bytes(d + "/add.pos"));
  CHECK(file_bytes(d + "/add.pos").size() > 10'000);
}

}  // namespace
}  // namespace scry
