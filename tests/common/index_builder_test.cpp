// Tests of IndexBuilder and IndexReader: a built index holds exactly the
// postings a brute-force inversion of the same documents gives, whatever
// the memory budget, byte for byte.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>

#include "scry/format/index_reader.h"
#include "scry/index/index_builder.h"
#include "scry/text/analyzer.h"
#include "testlib.h"

using namespace scry;
using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A 32-bit draw (mt19937's result_type is wider than uint32_t here).
using test::u32;

std::vector<Document> random_documents(uint32_t seed, size_t n) {
  std::mt19937 rng(seed);
  // A Zipf-like vocabulary: low ids are frequent, so some lists span blocks.
  std::vector<std::string> vocab;
  for (int i = 0; i < 400; ++i) vocab.push_back("w" + std::to_string(i));
  vocab.push_back("资本市场");
  std::vector<Document> docs;
  for (size_t i = 0; i < n; ++i) {
    Document d;
    d.id = "d" + std::to_string(i);
    d.source = "gen:" + std::to_string(i);
    size_t title_words = u32(rng) % 4;
    for (size_t k = 0; k < title_words; ++k) d.title += vocab[u32(rng) % 20] + " ";
    size_t body_words = 1 + u32(rng) % 120;
    for (size_t k = 0; k < body_words; ++k) {
      double u = std::uniform_real_distribution<double>(0, 1)(rng);
      d.body += vocab[static_cast<size_t>(u * u * u * static_cast<double>(vocab.size()))];
      d.body += (u32(rng) % 9 == 0) ? ". " : " ";
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

BuildStats build(const std::vector<Document>& docs, const std::string& dir, size_t budget,
                 bool stem = false) {
  fs::create_directories(dir);
  BuildOptions options;
  options.analyzer.stem = stem;
  options.memory_budget = budget;
  options.created_by = "test";
  auto builder = IndexBuilder::create(dir, options);
  REQUIRE(builder.is_ok());
  for (const auto& d : docs) {
    auto added = (*builder)->add(d);
    REQUIRE(added.is_ok());
  }
  auto stats = (*builder)->finish();
  INFO(stats.status().message());
  REQUIRE(stats.is_ok());
  return *stats;
}

struct RefPosting {
  uint32_t doc;
  std::vector<uint32_t> positions;
  bool operator==(const RefPosting&) const = default;
};

// The inverted index computed the slow, obvious way.
std::map<std::string, std::vector<RefPosting>> brute_force(const std::vector<Document>& docs,
                                                           bool stem) {
  AnalyzerConfig config;
  config.stem = stem;
  Analyzer analyzer(config);
  std::map<std::string, std::vector<RefPosting>> index;
  for (uint32_t d = 0; d < docs.size(); ++d) {
    std::map<std::string, std::vector<uint32_t>> doc_terms;
    auto title = analyzer.terms(docs[d].title);
    for (uint32_t i = 0; i < title.size(); ++i) {
      doc_terms[term_key(Field::kTitle, title[i])].push_back(i);
      doc_terms[term_key(Field::kText, title[i])].push_back(i);
    }
    uint32_t base = title.empty() ? 0 : static_cast<uint32_t>(title.size()) + 1;
    auto body = analyzer.terms(docs[d].body);
    for (uint32_t i = 0; i < body.size(); ++i) {
      doc_terms[term_key(Field::kText, body[i])].push_back(base + i);
    }
    for (auto& [key, pos] : doc_terms) index[key].push_back({d, pos});
  }
  return index;
}

std::map<std::string, std::string> file_contents(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    out[e.path().filename().string()] = scry::test::read_file(e.path());
  }
  return out;
}

}  // namespace

TEST_CASE("index builder: postings equal a brute-force inversion", "[index]") {
  for (bool stem : {false, true}) {
    TempDir tmp;
    auto docs = random_documents(stem ? 11 : 12, 700);
    std::string dir = (tmp / "idx").string();
    BuildStats stats = build(docs, dir, size_t{64} << 20, stem);
    auto ref = brute_force(docs, stem);

    auto index = IndexReader::open(dir);
    INFO(index.status().message());
    REQUIRE(index.is_ok());
    auto verified = (*index)->verify();
    REQUIRE(verified.is_ok());
    CHECK(*verified == 8);  // MANIFEST, an empty FILES and the six files of one segment.
    const Manifest& m = (*index)->manifest();
    CHECK(m.documents() == docs.size());
    CHECK(m.analyzer.stem == stem);
    REQUIRE((*index)->segments().size() == 1);
    const SegmentReader& seg = *(*index)->segments()[0];
    CHECK(stats.terms == ref.size());
    CHECK(seg.meta().terms == ref.size());

    // Every term's postings, positions and lengths.
    uint64_t total_postings = 0;
    for (const auto& [key, postings] : ref) {
      auto found = seg.terms_from(key);
      REQUIRE(found.valid());
      REQUIRE(found.key() == key);
      const TermInfo& info = found.info();
      REQUIRE(info.df == postings.size());
      PostingsCursor c = seg.postings(info);
      std::vector<uint32_t> pos;
      Field field = static_cast<Field>(key[0]);
      std::vector<Impact> impacts;
      for (const auto& p : postings) {
        REQUIRE(c.doc() == p.doc);
        REQUIRE(c.positions(&pos).is_ok());
        REQUIRE(pos == p.positions);
        impacts.push_back(
            {static_cast<uint32_t>(p.positions.size()), seg.doc_length(field, p.doc)});
        c.next();
      }
      REQUIRE(c.doc() == PostingsCursor::kEnd);
      // The term's impacts (stored or computed) are the Pareto set of all postings.
      pareto_impacts(&impacts);
      auto stored = seg.term_impacts(field, info);
      REQUIRE(stored.is_ok());
      REQUIRE(*stored == impacts);
      total_postings += postings.size();
    }
    CHECK(stats.postings == total_postings);

    // Norms and the stored documents.
    AnalyzerConfig config;
    config.stem = stem;
    Analyzer analyzer(config);
    for (uint32_t d = 0; d < docs.size(); d += 37) {
      uint32_t title_len = static_cast<uint32_t>(analyzer.terms(docs[d].title).size());
      uint32_t body_len = static_cast<uint32_t>(analyzer.terms(docs[d].body).size());
      CHECK(seg.doc_length(Field::kTitle, d) == title_len);
      CHECK(seg.doc_length(Field::kText, d) == title_len + body_len);
      auto stored = seg.document(d);
      REQUIRE(stored.is_ok());
      CHECK(stored->id == docs[d].id);
      CHECK(stored->title == docs[d].title);
      CHECK(stored->body == docs[d].body);
      CHECK(stored->source == docs[d].source);
      CHECK(stored->length == title_len + body_len);
    }
  }
}

TEST_CASE("index builder: identical bytes whatever the memory budget", "[index]") {
  TempDir tmp;
  auto docs = random_documents(99, 1500);
  BuildStats big = build(docs, (tmp / "big").string(), size_t{1} << 30);
  BuildStats tiny = build(docs, (tmp / "tiny").string(), 4096);
  CHECK(big.runs == 0);
  CHECK(tiny.runs > 10);
  auto a = file_contents((tmp / "big").string());
  auto b = file_contents((tmp / "tiny").string());
  REQUIRE(a.size() == b.size());
  for (const auto& [name, bytes] : a) {
    INFO(name);
    REQUIRE(b.count(name) == 1);
    CHECK(bytes == b[name]);
  }
  // No run files are left behind.
  for (const auto& [name, bytes] : b) CHECK(name.find("run-") == std::string::npos);
}

TEST_CASE("index builder: a repeated id: the later document replaces the earlier", "[index]") {
  const unsigned threads = GENERATE(1u, 2u);  // 2: documents are buffered in batches.
  INFO("threads " << threads);
  TempDir tmp;
  BuildOptions options;
  options.threads = threads;
  auto builder = IndexBuilder::create(tmp.path().string(), options);
  REQUIRE(builder.is_ok());
  size_t before = (*builder)->memory_bytes();
  auto first = (*builder)->add({"x", "First", "alpha", "a.jsonl:1"});
  auto second = (*builder)->add({"x", "Second", "beta", "a.jsonl:2"});
  auto third = (*builder)->add({"y", "Third", "gamma", "a.jsonl:3"});
  REQUIRE(first.is_ok());
  REQUIRE(second.is_ok());
  REQUIRE(third.is_ok());
  CHECK(*first == IndexBuilder::Added::kAdded);
  CHECK(*second == IndexBuilder::Added::kReplaced);
  CHECK(*third == IndexBuilder::Added::kAdded);
  // Buffered documents count in memory_bytes().
  if (threads > 1) CHECK((*builder)->memory_bytes() > before);
  auto stats = (*builder)->finish();
  REQUIRE(stats.is_ok());
  CHECK(stats->documents == 3);
  CHECK(stats->replaced == 1);
  CHECK(stats->segment.deleted == 1);
  auto index = IndexReader::open(tmp.path().string());
  REQUIRE(index.is_ok());
  const auto& seg = *(*index)->segments()[0];
  // All three are in the segment; the first is deleted, the second has its id.
  CHECK(seg.is_deleted(0));
  CHECK_FALSE(seg.is_deleted(1));
  CHECK_FALSE(seg.is_deleted(2));
  auto beta = seg.find(Field::kText, "beta");
  REQUIRE(beta.is_ok());
  CHECK(beta->has_value());
  auto doc = seg.document(1);
  REQUIRE(doc.is_ok());
  CHECK(doc->title == "Second");
  auto gamma = seg.document(2);
  REQUIRE(gamma.is_ok());
  CHECK(gamma->body == "gamma");
}

TEST_CASE("index reader: damaged or missing files give errors naming the file", "[index]") {
  TempDir tmp;
  std::string dir = (tmp / "idx").string();
  build(random_documents(5, 50), dir, size_t{64} << 20);
  for (const char* name :
       {"MANIFEST", "seg1.terms", "seg1.post", "seg1.pos", "seg1.store", "seg1.norms"}) {
    std::string path = dir + "/" + name;
    std::string good = scry::test::read_file(path);
    INFO(name);
    SECTION(std::string("missing ") + name) {
      fs::remove(path);
      auto index = IndexReader::open(dir);
      REQUIRE(!index.is_ok());
      CHECK(index.status().message().find(name) != std::string::npos);
    }
    SECTION(std::string("truncated ") + name) {
      scry::test::write_file(path, good.substr(0, good.size() / 2));
      auto index = IndexReader::open(dir);
      REQUIRE(!index.is_ok());
      CHECK(index.status().code() == Status::Code::kCorruption);
      CHECK(index.status().message().find(name) != std::string::npos);
    }
    SECTION(std::string("flipped byte in ") + name) {
      std::string bad = good;
      bad[bad.size() / 3] ^= 0x01;
      scry::test::write_file(path, bad);
      auto index = IndexReader::open(dir);
      Status s = index.is_ok() ? (*index)->verify().status() : index.status();
      REQUIRE(!s.is_ok());
      CHECK(s.message().find(name) != std::string::npos);
    }
  }
}
