// The golden indexes in tests/data/golden were built by scry-index from
// tests/data/golden/input.jsonl (see tests/data/golden/README.md): index-v1
// with format version 1, index-v2 with version 2, index with the current
// one. All must keep opening and answering, the stores of the older ones
// (meta records in zstd chunks) must give the documents of the current one
// (meta records in place), and a fresh build of the same input must produce
// the bytes of `index` (FILES aside, which holds paths and modification
// times): a format change is never accidental.
#include <catch2/catch.hpp>
#include <filesystem>

#include "scry/format/index_reader.h"
#include "testlib.h"

using namespace scry;
namespace fs = std::filesystem;

namespace {
fs::path golden_dir() { return scry::test::source_dir() / "tests" / "data" / "golden"; }

std::vector<uint32_t> docs_of(const SegmentReader& seg, Field field, const std::string& term) {
  auto info = seg.find(field, term);
  REQUIRE(info.is_ok());
  std::vector<uint32_t> out;
  if (!info->has_value()) return out;
  for (auto c = seg.postings(**info); c.doc() != PostingsCursor::kEnd; c.next()) {
    out.push_back(c.doc());
  }
  return out;
}

std::unique_ptr<IndexReader> open_golden(const std::string& name) {
  auto index = IndexReader::open((golden_dir() / name).string());
  INFO(index.status().message());
  REQUIRE(index.is_ok());
  return std::move(index).value();
}
}  // namespace

TEST_CASE("golden index: every version still opens, verifies and answers", "[golden]") {
  const std::string name = GENERATE(as<std::string>{}, "index-v1", "index-v2", "index");
  INFO(name);
  auto index = open_golden(name);
  REQUIRE(index->verify().is_ok());
  const Manifest& m = index->manifest();
  CHECK(m.format_version == (name == "index-v1" ? 1u : name == "index-v2" ? 2u : kFormatVersion));
  CHECK(m.analyzer.stem);
  CHECK(m.documents() == 140);
  const SegmentReader& seg = *index->segments()[0];

  // "common" is in every body but g3's and g7's: a long list (df >= 128).
  auto common = docs_of(seg, Field::kText, "common");
  CHECK(common.size() == 138);
  CHECK(std::find(common.begin(), common.end(), 3u) == common.end());
  CHECK(docs_of(seg, Field::kText, "资本") == std::vector<uint32_t>{3});
  CHECK(docs_of(seg, Field::kText, "us") == std::vector<uint32_t>{3});
  CHECK(docs_of(seg, Field::kText, "4.7") == std::vector<uint32_t>{3});
  CHECK(docs_of(seg, Field::kTitle, "golden").size() == 140);
  CHECK(docs_of(seg, Field::kTitle, "common").empty());

  // Phrase data: "trillion yuan" twice in g7, positions after the title.
  auto info = seg.find(Field::kText, "trillion");
  REQUIRE(info.is_ok());
  REQUIRE(info->has_value());
  auto c = seg.postings(**info);
  REQUIRE(c.doc() == 7);
  std::vector<uint32_t> pos;
  REQUIRE(c.positions(&pos).is_ok());
  CHECK(pos == std::vector<uint32_t>{4 + 4, 4 + 8});

  auto doc = seg.document(3);
  REQUIRE(doc.is_ok());
  CHECK(doc->id == "g3");
  CHECK(doc->title == "Golden delta 3");
  CHECK(doc->source == "input.jsonl:4");
  auto found = seg.find_document("g3");
  REQUIRE(found.is_ok());
  CHECK(*found == std::optional<uint32_t>(3));
  auto absent = seg.find_document("g");
  REQUIRE(absent.is_ok());
  CHECK_FALSE(absent->has_value());
}

TEST_CASE("golden index: older stores give the current one's documents", "[golden]") {
  // Versions 1 and 2 read meta records from zstd chunks, version 3 from its
  // record table: the same documents, the id lookup too.
  auto current = open_golden("index");
  const SegmentReader& want = *current->segments()[0];
  const std::string name = GENERATE(as<std::string>{}, "index-v1", "index-v2");
  INFO(name);
  auto old = open_golden(name);
  const SegmentReader& got = *old->segments()[0];
  REQUIRE(got.doc_count() == want.doc_count());
  for (uint32_t d = 0; d < want.doc_count(); ++d) {
    INFO("doc " << d);
    auto w = want.document(d);
    auto g = got.document(d);
    auto m = want.document_meta(d);
    REQUIRE(w.is_ok());
    REQUIRE(g.is_ok());
    REQUIRE(m.is_ok());
    CHECK(g->id == w->id);
    CHECK(g->title == w->title);
    CHECK(g->source == w->source);
    CHECK(g->length == w->length);
    CHECK(g->body == w->body);
    CHECK(m->id == w->id);
    CHECK(m->title == w->title);
    CHECK(m->source == w->source);
    CHECK(m->length == w->length);
    auto found = got.find_document(w->id);
    REQUIRE(found.is_ok());
    CHECK(*found == want.find_document(w->id).value());
  }
}

TEST_CASE("golden index: a fresh build gives the same bytes", "[golden]") {
  scry::test::TempDir tmp;
  std::string out = (tmp / "index").string();
  auto r = scry::test::run({"/bin/sh", "-c",
                            "cd '" + golden_dir().string() + "' && exec '" +
                                scry::test::program("scry-index") +
                                "' -q --stopwords none input.jsonl -o '" + out + "'"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(golden_dir() / "index")) {
    if (e.path().filename() == "FILES") continue;
    INFO(e.path().filename());
    CHECK(scry::test::read_file(e.path()) == scry::test::read_file(out / e.path().filename()));
    ++files;
  }
  CHECK(files == 6);
}
