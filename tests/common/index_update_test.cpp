// Tests of IndexUpdater, FileTracker and the merge policy
// (index/index_updater.h, index/file_tracker.h): an index of several
// segments scores exactly like one segment of the same documents; deleted
// and replaced documents never match; a merge equals a fresh build; the
// tiered policy merges what docs/SEGMENTS.md says; the FILES bookkeeping
// reads only new and changed files.
#include <fcntl.h>
#include <sys/stat.h>
#include <xxhash.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string_view>

#include "scry/format/file_table.h"
#include "scry/format/index_reader.h"
#include "scry/index/file_tracker.h"
#include "scry/index/index_builder.h"
#include "scry/index/index_updater.h"
#include "scry/search/collection_statistics.h"
#include "scry/search/searcher.h"
#include "scry/search/term_lookups.h"
#include "scry/search/weight.h"
#include "testlib.h"

using namespace scry;
using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Builds `docs` as a one-segment index (MANIFEST and an empty FILES) in `dir`.
void build(const std::vector<Document>& docs, const fs::path& dir, uint32_t segment = 1) {
  fs::create_directories(dir);
  BuildOptions options;
  options.segment = segment;
  auto builder = IndexBuilder::create(dir.string(), options);
  REQUIRE(builder.is_ok());
  for (const auto& d : docs) REQUIRE((*builder)->add(d).is_ok());
  REQUIRE((*builder)->finish().is_ok());
  REQUIRE(write_file_table((dir / "FILES").string(), {}).is_ok());
}

// Writes the next version of the index in `from` into `to`: adds `docs`,
// deletes `ids`, merges everything when `merge_all`. Returns the stats.
UpdateStats update(const fs::path& from, const fs::path& to, const std::vector<Document>& docs,
                   const std::vector<std::string>& ids = {}, bool merge_all = false) {
  fs::create_directories(to);
  auto updater = IndexUpdater::open(from.string(), to.string(), {}, UpdateOptions{});
  INFO(updater.status().message());
  REQUIRE(updater.is_ok());
  for (const auto& d : docs) REQUIRE((*updater)->add(d).is_ok());
  if (!ids.empty()) REQUIRE((*updater)->delete_ids(ids).is_ok());
  if (merge_all) (*updater)->merge_all();
  auto stats = (*updater)->finish();
  INFO(stats.status().message());
  REQUIRE(stats.is_ok());
  return *stats;
}

PlanNode term(const std::string& t) {
  PlanNode n;
  n.kind = PlanNode::Kind::kTerm;
  n.field = Field::kText;
  n.terms = {t};
  return n;
}

struct IdScore {
  std::string id;
  double score;
  bool operator==(const IdScore&) const = default;
};

// The hits of `plan` on the index in `dir` as (external id, score).
std::vector<IdScore> search(const IndexReader& index, const PlanNode& plan, size_t k) {
  Searcher searcher(index);
  SearchOptions options;
  options.k = k;
  auto result = searcher.search(plan, options);
  REQUIRE(result.is_ok());
  std::vector<IdScore> out;
  for (const Hit& h : result->hits) {
    auto doc = index.segments()[h.segment]->document_meta(h.doc);
    REQUIRE(doc.is_ok());
    out.push_back({doc->id, h.score});
  }
  return out;
}

// Random OR and AND queries over the words of random_documents().
std::vector<PlanNode> random_queries(uint32_t seed, int count) {
  std::mt19937 rng(seed);
  std::vector<PlanNode> plans;
  for (int q = 0; q < count; ++q) {
    PlanNode plan;
    const bool conjunctive = rng() % 3 == 0;
    const size_t clauses = 1 + rng() % 3;
    for (size_t c = 0; c < clauses; ++c) {
      uint32_t r = static_cast<uint32_t>(rng() % 100);
      std::string word = r < 10   ? "common"
                         : r < 15 ? "run"
                                  : "w" + std::to_string(rng() % (r < 80 ? 30 : 800));
      (conjunctive ? plan.must : plan.should).push_back(term(word));
    }
    plans.push_back(plan);
  }
  return plans;
}

std::unique_ptr<IndexReader> open(const fs::path& dir) {
  auto index = IndexReader::open(dir.string());
  INFO(index.status().message());
  REQUIRE(index.is_ok());
  return std::move(index).value();
}

}  // namespace

TEST_CASE("segments: the same documents as one segment or several score identically", "[update]") {
  TempDir tmp;
  auto a = scry::test::random_documents(11, 300, "a");
  auto b = scry::test::random_documents(12, 200, "b");
  auto c = scry::test::random_documents(13, 90, "c");
  std::vector<Document> all = a;
  all.insert(all.end(), b.begin(), b.end());
  all.insert(all.end(), c.begin(), c.end());
  build(all, tmp / "one");
  build(a, tmp / "v1");
  update(tmp / "v1", tmp / "v2", b);
  UpdateStats stats = update(tmp / "v2", tmp / "v3", c);
  CHECK(stats.segments == 3);
  CHECK(stats.merged_segments == 0);

  auto one = open(tmp / "one");
  auto three = open(tmp / "v3");
  REQUIRE(three->segments().size() == 3);
  CHECK(three->manifest().documents() == one->manifest().documents());
  size_t nonempty = 0;
  for (const PlanNode& plan : random_queries(7, 300)) {
    for (size_t k : {size_t{1}, size_t{10}, size_t{1000}}) {
      auto want = search(*one, plan, k);
      auto got = search(*three, plan, k);
      REQUIRE(got.size() == want.size());
      for (size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].id == want[i].id);
        CHECK(got[i].score == want[i].score);
      }
      if (!got.empty()) ++nonempty;
    }
  }
  CHECK(nonempty > 300);
}

// TermLookups (term_lookups.h): scorers that take the dictionary entries
// weighing recorded find, score and explain exactly what scorers that look
// every term up do, on an index of three segments (whose dictionaries hold
// the same terms at other offsets).
TEST_CASE("segments: scorers given the entries weighing looked up equal those that look up",
          "[update]") {
  TempDir tmp;
  build(scry::test::random_documents(31, 300, "a"), tmp / "v1");
  update(tmp / "v1", tmp / "v2", scry::test::random_documents(32, 200, "b"));
  update(tmp / "v2", tmp / "v3", scry::test::random_documents(33, 90, "c"));
  auto index = open(tmp / "v3");
  REQUIRE(index->segments().size() == 3);
  const Searcher searcher(*index);
  size_t nonempty = 0;
  for (const PlanNode& plan : random_queries(8, 200)) {
    TermLookups lookups;
    auto recorded = make_weight(plan, Bm25{}, IndexStatistics(*index, &lookups));
    auto looked_up = make_weight(plan, Bm25{}, IndexStatistics(*index));
    REQUIRE(recorded.is_ok());
    REQUIRE(looked_up.is_ok());
    // Weighing recorded the first word's entry in every segment.
    const PlanNode& first = plan.must.empty() ? plan.should[0] : plan.must[0];
    for (const auto& segment : index->segments()) {
      CHECK(lookups.find(*segment, Field::kText, first.terms[0]) != nullptr);
    }
    for (size_t k : {size_t{1}, size_t{10}, size_t{1000}}) {
      SearchOptions options;
      options.k = k;
      options.explain = k == 10;
      auto want = searcher.search(*looked_up, options);
      options.lookups = &lookups;
      auto got = searcher.search(*recorded, options);
      REQUIRE(want.is_ok());
      REQUIRE(got.is_ok());
      CHECK(got->total_hits == want->total_hits);
      REQUIRE(got->hits.size() == want->hits.size());
      for (size_t i = 0; i < got->hits.size(); ++i) {
        CHECK(got->hits[i].segment == want->hits[i].segment);
        CHECK(got->hits[i].doc == want->hits[i].doc);
        CHECK(got->hits[i].score == want->hits[i].score);
        REQUIRE(got->hits[i].explain.size() == want->hits[i].explain.size());
        for (size_t e = 0; e < got->hits[i].explain.size(); ++e) {
          CHECK(got->hits[i].explain[e].tf == want->hits[i].explain[e].tf);
          CHECK(got->hits[i].explain[e].score == want->hits[i].explain[e].score);
        }
      }
      if (!got->hits.empty()) ++nonempty;
    }
  }
  CHECK(nonempty > 300);
}

TEST_CASE("update: replaced and deleted documents never match; a merge equals a fresh build",
          "[update]") {
  TempDir tmp;
  auto a = scry::test::random_documents(21, 400, "a");
  build(a, tmp / "v1");
  // New versions of a5 and a17 (other text, same ids), and new documents.
  auto b = scry::test::random_documents(22, 150, "b");
  b[0].id = "a5";
  b[1].id = "a17";
  UpdateStats s2 = update(tmp / "v1", tmp / "v2", b, {"a3", "a399", "nope"});
  CHECK(s2.added == 150);
  CHECK(s2.deleted == 4);  // a5, a17 replaced; a3, a399 deleted.
  CHECK(s2.segments == 2);
  CHECK(s2.live_documents == 400 - 4 + 150);

  // The live documents, in index order: what a fresh build would hold.
  const std::set<std::string> gone = {"a3", "a5", "a17", "a399"};
  std::vector<Document> live;
  for (const auto& d : a) {
    if (gone.count(d.id) == 0) live.push_back(d);
  }
  live.insert(live.end(), b.begin(), b.end());

  auto v2 = open(tmp / "v2");
  CHECK(v2->manifest().live_documents() == live.size());
  CHECK(v2->manifest().documents() == 400 + 150);  // Deleted ones count until merged.
  std::set<std::string> deleted_seen;
  for (const auto& seg : v2->segments()) {
    for (uint32_t d = 0; d < seg->doc_count(); ++d) {
      if (seg->is_deleted(d)) deleted_seen.insert(seg->document_meta(d)->id);
    }
  }
  CHECK(deleted_seen == gone);
  build(live, tmp / "fresh", 4);
  auto fresh = open(tmp / "fresh");
  for (const PlanNode& plan : random_queries(8, 200)) {
    auto got = search(*v2, plan, 1000);
    auto want = search(*fresh, plan, 1000);
    std::set<std::string> got_ids, want_ids;
    for (const auto& h : got) got_ids.insert(h.id);
    for (const auto& h : want) want_ids.insert(h.id);
    CHECK(got_ids == want_ids);  // Scores differ until the merge: statistics count deleted docs.
  }

  // --merge: one segment, seg3 (v2 used seg1 and seg2), byte for byte the fresh build's seg4
  // but for its name: so compare with a fresh build numbered 3.
  UpdateStats s3 = update(tmp / "v2", tmp / "v3", {}, {}, true);
  CHECK(s3.segments == 1);
  CHECK(s3.merged_segments == 2);
  build(live, tmp / "fresh3", 3);
  for (const char* ext : {".terms", ".post", ".pos", ".store", ".norms"}) {
    INFO(ext);
    CHECK(scry::test::read_file(tmp / "v3" / (std::string("seg3") + ext)) ==
          scry::test::read_file(tmp / "fresh3" / (std::string("seg3") + ext)));
  }
  auto v3 = open(tmp / "v3");
  for (const PlanNode& plan : random_queries(9, 200)) {
    CHECK(search(*v3, plan, 10) == search(*fresh, plan, 10));
  }
}

TEST_CASE("update: nothing to do changes nothing; a format 1 index cannot be updated", "[update]") {
  TempDir tmp;
  build(scry::test::random_documents(31, 20, "x"), tmp / "v1");
  fs::create_directories(tmp / "v2");
  auto updater = IndexUpdater::open((tmp / "v1").string(), (tmp / "v2").string(), {}, {});
  REQUIRE(updater.is_ok());
  auto missing = (*updater)->delete_ids({"nope"});
  REQUIRE(missing.is_ok());
  CHECK(*missing == std::vector<std::string>{"nope"});
  auto stats = (*updater)->finish();
  REQUIRE(stats.is_ok());
  CHECK_FALSE(stats->changed);

  fs::remove(tmp / "v1" / "FILES");
  auto old = IndexUpdater::open((tmp / "v1").string(), (tmp / "v2").string(), {}, {});
  REQUIRE_FALSE(old.is_ok());
  CHECK(old.status().code() == Status::Code::kNotSupported);
  CHECK(old.status().message().find("rebuild") != std::string::npos);
}

TEST_CASE(
    "merge policy: eight adjacent segments of a tier merge; mostly deleted ones are rewritten",
    "[update]") {
  auto segments = [](const std::vector<std::pair<uint32_t, uint32_t>>& sizes) {
    std::vector<SegmentMeta> metas;
    for (const auto& [documents, deleted] : sizes) {
      SegmentMeta m;
      m.documents = documents;
      m.deleted = deleted;
      metas.push_back(m);
    }
    return metas;
  };
  using Plan = std::vector<std::pair<size_t, size_t>>;
  CHECK(plan_merges(segments({{1, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 0}})).empty());
  CHECK(plan_merges(segments(std::vector<std::pair<uint32_t, uint32_t>>(8, {5, 0}))) ==
        Plan{{0, 8}});
  // A big segment first, then eight small ones (tier 0: fewer than 8 live).
  auto big_then_small = std::vector<std::pair<uint32_t, uint32_t>>(9, {3, 0});
  big_then_small[0] = {100000, 0};
  CHECK(plan_merges(segments(big_then_small)) == Plan{{1, 9}});
  // Sixteen small ones: two tier-1 results (of 8 live documents each).
  CHECK(plan_merges(segments(std::vector<std::pair<uint32_t, uint32_t>>(16, {1, 0}))) ==
        Plan{{0, 8}, {8, 16}});
  // Sixty-four: the eight tier-1 results merge again, into one.
  CHECK(plan_merges(segments(std::vector<std::pair<uint32_t, uint32_t>>(64, {1, 0}))) ==
        Plan{{0, 64}});
  // Tiers differ: 8 segments but no 8 adjacent of one tier.
  CHECK(plan_merges(segments({{1, 0}, {1, 0}, {1, 0}, {1, 0}, {100, 0}, {1, 0}, {1, 0}, {1, 0}}))
            .empty());
  // More than half deleted: rewritten alone; exactly half is kept.
  CHECK(plan_merges(segments({{100, 51}, {100, 50}})) == Plan{{0, 1}});
}

TEST_CASE(
    "file tracker: a file's hash is that of the bytes read, or of the file when they fall short",
    "[update]") {
  TempDir tmp;
  const fs::path dir = tmp / "in";
  scry::test::write_file(dir / "a.txt", "alpha beta");
  scry::test::write_file(dir / "b.txt", "gamma");
  scry::test::write_file(dir / "c.txt", "delta");
  scry::test::write_file(dir / "d.txt", "epsilon");
  const auto hash_of = [](std::string_view bytes) {
    return XXH3_64bits(bytes.data(), bytes.size());
  };

  FileTracker files({}, "seg1", {dir.string()});
  REQUIRE(files.begin_file((dir / "a.txt").string(), 0));
  files.add_bytes("alpha ");
  files.add_bytes("beta");
  // Bytes other than the file's (as if it changed while read), as many:
  // their hash is recorded, so the bytes read are what is hashed.
  REQUIRE(files.begin_file((dir / "b.txt").string(), 1));
  files.add_bytes("GAMMA");
  // Fewer bytes than the file's (the reader stopped early), or more: the
  // file is hashed from its path.
  REQUIRE(files.begin_file((dir / "c.txt").string(), 2));
  files.add_bytes("del");
  REQUIRE(files.begin_file((dir / "d.txt").string(), 3));
  files.add_bytes("epsilon and more");
  files.finish(4);
  const std::vector<FileRecord> records = files.records();
  REQUIRE(records.size() == 4);
  CHECK(records[0].hash == hash_of("alpha beta"));
  const auto file_hash = scry::hash_file((dir / "a.txt").string());
  REQUIRE(file_hash.is_ok());
  CHECK(records[0].hash == file_hash.value());
  CHECK(records[1].hash == hash_of("GAMMA"));
  CHECK(records[2].hash == hash_of("delta"));
  CHECK(records[3].hash == hash_of("epsilon"));
}

TEST_CASE("file tracker: unchanged files cost a stat, touched ones a hash, changed ones a read",
          "[update]") {
  TempDir tmp;
  const fs::path dir = tmp / "notes";
  scry::test::write_file(dir / "a.txt", "alpha");
  scry::test::write_file(dir / "b.txt", "beta");
  scry::test::write_file(dir / "c.txt", "gamma");
  scry::test::write_file(tmp / "other" / "d.txt", "delta");

  FileTracker build({}, "seg1", {dir.string()});
  uint32_t next = 0;
  for (const char* name : {"a.txt", "b.txt", "c.txt"}) {
    CHECK(build.begin_file((dir / name).string(), next));
    next += 2;  // Two documents each.
  }
  // A file outside the inputs (named by another run's INPUT).
  CHECK(build.begin_file((tmp / "other" / "d.txt").string(), next));
  next += 1;
  build.finish(next);
  std::vector<FileRecord> records = build.records();
  REQUIRE(records.size() == 4);
  CHECK(records[0].path == FileTracker::normal_path((dir / "a.txt").string()));
  CHECK(records[1].first_doc == 2);
  CHECK(records[1].doc_count == 2);
  CHECK(records[3].doc_count == 1);
  CHECK(build.obsolete().empty());

  // a: unchanged. b: touched (new mtime, same content). c: changed. A new
  // file e. d is outside the inputs of this update and not met: kept.
  struct timespec times[2] = {{0, UTIME_OMIT}, {1'000'000, 0}};
  REQUIRE(::utimensat(AT_FDCWD, (dir / "b.txt").c_str(), times, 0) == 0);
  scry::test::write_file(dir / "c.txt", "gamma, changed");
  scry::test::write_file(dir / "e.txt", "epsilon");
  // Also named through a relative, unnormal path ("notes/./a.txt" style).
  FileTracker update(records, "seg2", {(dir / "." / "").string()});
  CHECK_FALSE(update.begin_file((dir / "." / "a.txt").string(), 0));
  CHECK_FALSE(update.begin_file((dir / "b.txt").string(), 0));
  CHECK(update.begin_file((dir / "c.txt").string(), 0));
  CHECK(update.begin_file((dir / "e.txt").string(), 3));
  CHECK_FALSE(update.begin_file((dir / "e.txt").string(), 4));  // Named twice: read once.
  update.finish(4);
  CHECK(update.changed());
  CHECK(update.files_read() == 2);
  CHECK(update.files_removed() == 0);
  REQUIRE(update.obsolete().size() == 1);
  CHECK(update.obsolete()[0].segment == "seg1");
  CHECK(update.obsolete()[0].first_doc == 4);
  auto now = update.records();
  REQUIRE(now.size() == 5);
  CHECK(now[0] == records[0]);                      // a: as it was.
  CHECK(now[1].mtime_ns == 1'000'000'000'000'000);  // b: the new mtime, same range.
  CHECK(now[1].segment == "seg1");
  CHECK(now[2].segment == "seg2");  // c: in the new segment.
  CHECK(now[2].doc_count == 3);
  CHECK(now[3].path.find("e.txt") != std::string::npos);
  CHECK(now[3].first_doc == 3);
  CHECK(now[3].doc_count == 1);
  CHECK(now[4] == records[3]);  // d: outside the inputs.

  // Removing a file under the inputs makes its record obsolete.
  fs::remove(dir / "a.txt");
  FileTracker removal(now, "seg3", {dir.string()});
  for (const char* name : {"b.txt", "c.txt", "e.txt"})
    CHECK_FALSE(removal.begin_file((dir / name).string(), 0));
  removal.finish(0);
  CHECK(removal.files_removed() == 1);
  REQUIRE(removal.obsolete().size() == 1);
  CHECK(removal.obsolete()[0].path == now[0].path);
  CHECK(removal.records().size() == 4);
}
