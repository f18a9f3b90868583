// Tests of merge_segments (index/segment_merger.h): segments built by
// IndexBuilder, some of their documents deleted, merged; every file of the
// merged segment is byte for byte the one a fresh build of the live
// documents (in the same order, same analyzer, same segment number) writes,
// and searching either gives the same hits and scores.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>

#include "index/segment_merger.h"
#include "scry/format/deletions.h"
#include "scry/format/file_table.h"
#include "scry/format/index_reader.h"
#include "scry/index/index_builder.h"
#include "scry/search/searcher.h"
#include "testlib.h"

using namespace scry;
using scry::test::random_documents;
using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

using test::u32;

// Builds `docs` as segment `number` into `dir` (created if needed); with
// `manifest`, a whole index of that one segment.
SegmentMeta build(const std::vector<Document>& docs, const fs::path& dir, uint32_t number,
                  bool manifest, const AnalyzerConfig& analyzer, unsigned threads = 1) {
  fs::create_directories(dir);
  BuildOptions options;
  options.analyzer = analyzer;
  options.created_by = "test";
  options.segment = number;
  options.write_manifest = manifest;
  options.threads = threads;
  auto builder = IndexBuilder::create(dir.string(), options);
  REQUIRE(builder.is_ok());
  for (const auto& d : docs) {
    auto added = (*builder)->add(d);
    INFO(added.status().message());
    REQUIRE(added.is_ok());
    REQUIRE(*added == IndexBuilder::Added::kAdded);
  }
  auto stats = (*builder)->finish();
  INFO(stats.status().message());
  REQUIRE(stats.is_ok());
  return stats->segment;
}

void write_manifest(const fs::path& dir, const SegmentMeta& segment, uint32_t number,
                    const AnalyzerConfig& analyzer) {
  Manifest m;
  m.created_by = "test";
  m.analyzer = analyzer;
  m.segments.push_back(segment);
  m.next_segment = number + 1;
  auto out = FileWriter::create((dir / "MANIFEST").string(), kKindManifest);
  REQUIRE(out.is_ok());
  (*out)->append(manifest_to_json(m));
  REQUIRE((*out)->finish().is_ok());
  // A build writes an empty FILES table with its MANIFEST; so does this.
  REQUIRE(write_file_table((dir / "FILES").string(), {}).is_ok());
}

std::map<std::string, std::string> read_files(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    files[e.path().filename().string()] = scry::test::read_file(e.path());
  }
  return files;
}

// Every file of `dir` equals the same-named file of `want` and the reverse;
// a difference is reported by its size and first differing byte.
void check_same_files(const fs::path& got_dir, const fs::path& want_dir) {
  auto got = read_files(got_dir);
  auto want = read_files(want_dir);
  for (const auto& [name, bytes] : want) {
    INFO(name);
    REQUIRE(got.count(name) == 1);
    const std::string& g = got.at(name);
    size_t first = 0;
    while (first < g.size() && first < bytes.size() && g[first] == bytes[first]) ++first;
    INFO("merged " << g.size() << " bytes, fresh " << bytes.size() << ", first difference at "
                   << first);
    CHECK(g == bytes);
  }
  for (const auto& [name, bytes] : got) {
    INFO(name);
    CHECK(want.count(name) == 1);
  }
}

void check_same_meta(const SegmentMeta& got, const SegmentMeta& want) {
  CHECK(got.name == want.name);
  CHECK(got.documents == want.documents);
  CHECK(got.terms == want.terms);
  CHECK(got.postings == want.postings);
  CHECK(got.positions == want.positions);
  CHECK(got.field_lengths == want.field_lengths);
  CHECK(got.deleted == 0);
}

PlanNode term(const std::string& t, Field field = Field::kText) {
  PlanNode n;
  n.kind = PlanNode::Kind::kTerm;
  n.field = field;
  n.terms = {t};
  return n;
}

// Random queries (terms, disjunctions, conjunctions, phrases) give the same
// hits, in the same order, with the same scores, on both indexes.
void check_same_search(const fs::path& got_dir, const fs::path& want_dir, uint32_t seed) {
  auto got = IndexReader::open(got_dir.string());
  INFO(got.status().message());
  REQUIRE(got.is_ok());
  auto want = IndexReader::open(want_dir.string());
  REQUIRE(want.is_ok());
  Searcher got_searcher(**got);
  Searcher want_searcher(**want);
  std::mt19937 rng(seed);
  auto word = [&] {
    // Mostly frequent words, so that queries match.
    uint32_t r = u32(rng) % 100;
    if (r < 10) return std::string("common");
    if (r < 15) return std::string("run");  // Stemmed "running", "runs".
    return "w" + std::to_string(u32(rng) % (r < 80 ? 30 : 800));
  };
  size_t nonempty = 0;
  for (int q = 0; q < 40; ++q) {
    PlanNode plan;
    const uint32_t shape = u32(rng) % 4;
    const size_t clauses = 1 + u32(rng) % 3;
    for (size_t c = 0; c < clauses; ++c) {
      PlanNode leaf = term(word(), u32(rng) % 5 == 0 ? Field::kTitle : Field::kText);
      if (shape == 3 && c == 0) {
        leaf.kind = PlanNode::Kind::kPhrase;
        leaf.field = Field::kText;
        leaf.terms.push_back(word());
      }
      (shape == 2 ? plan.must : plan.should).push_back(leaf);
    }
    SearchOptions options;
    options.k = 20;
    auto a = got_searcher.search(plan, options);
    auto b = want_searcher.search(plan, options);
    REQUIRE(a.is_ok());
    REQUIRE(b.is_ok());
    REQUIRE(a->hits.size() == b->hits.size());
    for (size_t i = 0; i < a->hits.size(); ++i) {
      CHECK(a->hits[i].segment == b->hits[i].segment);
      CHECK(a->hits[i].doc == b->hits[i].doc);
      CHECK(a->hits[i].score == b->hits[i].score);
    }
    if (!a->hits.empty()) ++nonempty;
  }
  CHECK(nonempty > 10);
}

// A test scenario: documents split into segments, some deleted.
struct Scenario {
  std::vector<std::vector<Document>> segments;
  // For each segment, the doc ids to delete.
  std::vector<std::vector<uint32_t>> deleted;
  AnalyzerConfig analyzer;
  unsigned threads = 1;  // For the input segments' builds.
};

// Builds the segments into one folder (seg1, seg2, ... without manifest),
// writes their deletions, merges them into segment number K + 1 of another
// folder, and compares with a fresh build of the live documents. Returns the
// merged segment's metadata.
SegmentMeta check_merge(const Scenario& s, uint32_t seed) {
  TempDir tmp;
  const fs::path in = tmp / "in", out = tmp / "out", fresh = tmp / "fresh";
  fs::create_directories(out);
  std::vector<std::unique_ptr<SegmentReader>> readers;
  std::vector<Document> live;
  for (size_t i = 0; i < s.segments.size(); ++i) {
    const auto number = static_cast<uint32_t>(i + 1);
    SegmentMeta meta = build(s.segments[i], in, number, false, s.analyzer, s.threads);
    Deletions deletions(meta.documents);
    if (i < s.deleted.size()) {
      for (uint32_t d : s.deleted[i]) deletions.mark(d);
    }
    if (deletions.count() > 0) {
      REQUIRE(deletions.write((in / (meta.name + ".del")).string()).is_ok());
      meta.deleted = deletions.count();
    }
    for (uint32_t d = 0; d < meta.documents; ++d) {
      if (!deletions.contains(d)) live.push_back(s.segments[i][d]);
    }
    auto reader = SegmentReader::open(in.string(), meta);
    INFO(reader.status().message());
    REQUIRE(reader.is_ok());
    readers.push_back(std::move(reader).value());
  }
  std::vector<const SegmentReader*> inputs;
  for (const auto& r : readers) inputs.push_back(r.get());
  const auto number = static_cast<uint32_t>(s.segments.size() + 1);
  auto merged = merge_segments(inputs, out.string(), number);
  INFO(merged.status().message());
  REQUIRE(merged.is_ok());
  CHECK(merged->name == segment_name(number));

  SegmentMeta want = build(live, fresh, number, true, s.analyzer);
  check_same_meta(*merged, want);
  CHECK(merged->documents == live.size());
  write_manifest(out, *merged, number, s.analyzer);
  check_same_files(out, fresh);
  if (!live.empty()) check_same_search(out, fresh, seed);
  return *merged;
}

// Splits `docs` into `parts` consecutive non-empty runs of random sizes.
std::vector<std::vector<Document>> split(const std::vector<Document>& docs, size_t parts,
                                         std::mt19937& rng) {
  std::vector<size_t> cuts = {0, docs.size()};
  while (cuts.size() < parts + 1) {
    size_t c = 1 + u32(rng) % (docs.size() - 1);
    if (std::find(cuts.begin(), cuts.end(), c) == cuts.end()) cuts.push_back(c);
  }
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::vector<Document>> out;
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    out.emplace_back(docs.begin() + static_cast<std::ptrdiff_t>(cuts[i]),
                     docs.begin() + static_cast<std::ptrdiff_t>(cuts[i + 1]));
  }
  return out;
}

// Marks each document of each segment deleted with probability `rate`.
std::vector<std::vector<uint32_t>> random_deletions(
    const std::vector<std::vector<Document>>& segments, double rate, std::mt19937& rng) {
  std::vector<std::vector<uint32_t>> out(segments.size());
  for (size_t i = 0; i < segments.size(); ++i) {
    for (uint32_t d = 0; d < segments[i].size(); ++d) {
      if (std::uniform_real_distribution<double>(0, 1)(rng) < rate) out[i].push_back(d);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("segment merge: 2 to 5 segments with deletions equal a fresh build, byte for byte",
          "[index][merge]") {
  for (uint32_t seed : {1u, 2u, 3u, 4u, 5u, 6u}) {
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    auto docs = random_documents(seed, 400 + u32(rng) % 600, "d");
    Scenario s;
    s.segments = split(docs, 2 + seed % 4, rng);
    s.deleted = random_deletions(s.segments, seed % 2 == 0 ? 0.1 : 0.4, rng);
    s.threads = seed % 3 == 0 ? 2 : 1;
    SegmentMeta merged = check_merge(s, seed);
    size_t deleted = 0;
    for (const auto& d : s.deleted) deleted += d.size();
    CHECK(merged.documents == docs.size() - deleted);
  }
}

TEST_CASE("segment merge: no deletions", "[index][merge]") {
  std::mt19937 rng(11);
  auto docs = random_documents(11, 700, "n");
  Scenario s;
  s.segments = split(docs, 3, rng);
  SegmentMeta merged = check_merge(s, 11);
  CHECK(merged.documents == 700);
}

TEST_CASE("segment merge: one segment alone (rewriting it without its deletions)",
          "[index][merge]") {
  std::mt19937 rng(12);
  Scenario s;
  s.segments = {random_documents(12, 600, "a")};
  s.deleted = random_deletions(s.segments, 0.6, rng);
  check_merge(s, 12);
}

TEST_CASE("segment merge: a whole segment deleted", "[index][merge]") {
  std::mt19937 rng(13);
  auto docs = random_documents(13, 900, "w");
  Scenario s;
  s.segments = split(docs, 4, rng);
  s.deleted = random_deletions(s.segments, 0.15, rng);
  s.deleted[1].clear();
  for (uint32_t d = 0; d < s.segments[1].size(); ++d) s.deleted[1].push_back(d);
  // The first one too: the merged ids start at the third segment's.
  s.deleted[0].clear();
  for (uint32_t d = 0; d < s.segments[0].size(); ++d) s.deleted[0].push_back(d);
  SegmentMeta merged = check_merge(s, 13);
  CHECK(merged.documents ==
        s.segments[2].size() + s.segments[3].size() - s.deleted[2].size() - s.deleted[3].size());
}

TEST_CASE("segment merge: terms surviving in some segments only, terms disappearing",
          "[index][merge]") {
  // "apricot" is in segments 1 and 3 (all of segment 1's deleted);
  // "banana" only in deleted documents; "plum" only in segment 2.
  auto make = [](const std::string& prefix, size_t n, const std::string& extra) {
    std::vector<Document> docs = random_documents(static_cast<uint32_t>(prefix[0]), n, prefix);
    for (size_t i = 0; i < docs.size(); i += 3) docs[i].body += " " + extra;
    return docs;
  };
  Scenario s;
  s.segments = {make("x", 200, "apricot banana"), make("y", 150, "plum"),
                make("z", 220, "apricot")};
  s.deleted.resize(3);
  for (uint32_t d = 0; d < 200; d += 3) s.deleted[0].push_back(d);  // Every apricot of x.
  for (uint32_t d = 1; d < 150; d += 7) s.deleted[1].push_back(d);
  for (uint32_t d = 0; d < 220; d += 5) s.deleted[2].push_back(d);
  check_merge(s, 14);

  // The same merge, looked at through a reader.
  TempDir tmp;
  std::vector<std::unique_ptr<SegmentReader>> readers;
  std::vector<const SegmentReader*> inputs;
  for (size_t i = 0; i < 3; ++i) {
    SegmentMeta meta = build(s.segments[i], tmp / "in", static_cast<uint32_t>(i + 1), false, {});
    Deletions deletions(meta.documents);
    for (uint32_t d : s.deleted[i]) deletions.mark(d);
    REQUIRE(deletions.write((tmp / "in" / (meta.name + ".del")).string()).is_ok());
    meta.deleted = deletions.count();
    auto reader = SegmentReader::open((tmp / "in").string(), meta);
    REQUIRE(reader.is_ok());
    inputs.push_back(reader->get());
    readers.push_back(std::move(reader).value());
  }
  fs::create_directories(tmp / "out");
  auto merged = merge_segments(inputs, (tmp / "out").string(), 9);
  REQUIRE(merged.is_ok());
  auto reader = SegmentReader::open((tmp / "out").string(), *merged);
  REQUIRE(reader.is_ok());
  auto df = [&](const SegmentReader& r, const std::string& t) -> uint32_t {
    auto info = r.find(Field::kText, t);
    REQUIRE(info.is_ok());
    return info->has_value() ? (*info)->df : 0;
  };
  // Live documents of segment i that got the extra words (every third).
  auto live_extra = [&](size_t i) {
    uint32_t n = 0;
    for (uint32_t d = 0; d < s.segments[i].size(); d += 3) {
      if (std::find(s.deleted[i].begin(), s.deleted[i].end(), d) == s.deleted[i].end()) ++n;
    }
    return n;
  };
  REQUIRE(live_extra(0) == 0);
  CHECK(df(*readers[0], "banana") == 67);
  CHECK(df(**reader, "banana") == 0);
  CHECK(df(**reader, "apricot") == live_extra(2));
  CHECK(df(**reader, "plum") == live_extra(1));
  CHECK(df(**reader, "plum") < df(*readers[1], "plum"));
}

TEST_CASE("segment merge: analyzer with stop words and no stemming", "[index][merge]") {
  std::mt19937 rng(15);
  auto docs = random_documents(15, 500, "s");
  Scenario s;
  s.analyzer.stem = false;
  s.analyzer.stop_words = StopWords::kSnowball;
  s.segments = split(docs, 2, rng);
  s.deleted = random_deletions(s.segments, 0.3, rng);
  check_merge(s, 15);
}

TEST_CASE("segment merge: every document deleted, or no segment, gives an empty segment",
          "[index][merge]") {
  Scenario all;
  all.segments = {random_documents(16, 50, "e"), random_documents(17, 30, "f")};
  all.deleted.resize(2);
  for (uint32_t d = 0; d < 50; ++d) all.deleted[0].push_back(d);
  for (uint32_t d = 0; d < 30; ++d) all.deleted[1].push_back(d);
  SegmentMeta merged = check_merge(all, 16);
  CHECK(merged.documents == 0);
  CHECK(merged.terms == 0);

  Scenario none;
  merged = check_merge(none, 17);
  CHECK(merged.documents == 0);
}

TEST_CASE("segment merge: errors", "[index][merge]") {
  TempDir tmp;
  SegmentMeta meta = build(random_documents(18, 20, "g"), tmp / "in", 1, false, {});
  auto reader = SegmentReader::open((tmp / "in").string(), meta);
  REQUIRE(reader.is_ok());
  std::vector<const SegmentReader*> inputs = {reader->get()};
  fs::create_directories(tmp / "out");

  auto zero = merge_segments(inputs, (tmp / "out").string(), 0);
  REQUIRE(!zero.is_ok());
  CHECK(zero.status().code() == Status::Code::kInvalidArgument);

  // Writing seg1 over the files being read.
  auto same = merge_segments(inputs, (tmp / "in").string(), 1);
  REQUIRE(!same.is_ok());
  CHECK(same.status().code() == Status::Code::kInvalidArgument);
  auto again = SegmentReader::open((tmp / "in").string(), meta);
  CHECK(again.is_ok());

  auto missing = merge_segments(inputs, (tmp / "no-such-folder").string(), 2);
  REQUIRE(!missing.is_ok());
  CHECK(missing.status().code() == Status::Code::kIOError);
}
