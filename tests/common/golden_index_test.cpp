// The golden indexes in tests/data/golden were built by scry-index from
// tests/data/golden/input.jsonl (see tests/data/golden/README.md): index-v1
// with format version 1, index-v2 with version 2, index-v3 with version 3,
// index-v4 with version 4, index-v5 with version 5, index-v6 with version 6,
// index with the current one. All must keep opening
// and answering, the stores of the older ones (meta records in zstd chunks,
// texts in 32 KiB chunks, or in 2 KiB frames) must give the documents of the
// current one (meta records in place, texts in frames of the size its
// trailer records), version 3 and 4 indexes must take an update and a merge,
// and a fresh build of the same input must produce the bytes of
// `index` (FILES aside, which holds paths and modification times): a format
// change is never accidental.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>

#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/format/index_reader.h"
#include "scry/format/term_trie.h"
#include "scry/search/collection_statistics.h"
#include "scry/text/levenshtein_automaton.h"
#include "scry/util/file.h"
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
  const std::string name = GENERATE(as<std::string>{}, "index-v1", "index-v2", "index-v3",
                                    "index-v4", "index-v5", "index-v6", "index");
  INFO(name);
  auto index = open_golden(name);
  REQUIRE(index->verify().is_ok());
  const Manifest& m = index->manifest();
  CHECK(m.format_version == (name == "index" ? kFormatVersion : uint32_t(name.back() - '0')));
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
  // Versions 1 and 2 read meta records from zstd chunks, versions 3 to 6
  // from their record table; versions 1 to 3 read texts from 32 KiB chunks,
  // version 4 from 2 KiB frames, versions 5 and 6 from frames of the size in
  // their trailer: the same documents, the id lookup too; versions 4 to 6
  // have the same checkpoints, older ones none.
  auto current = open_golden("index");
  const SegmentReader& want = *current->segments()[0];
  const std::string name = GENERATE(as<std::string>{}, "index-v1", "index-v2", "index-v3",
                                    "index-v4", "index-v5", "index-v6");
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
    if (name == "index-v4" || name == "index-v5" || name == "index-v6") {
      CHECK(g->has_checkpoints == w->has_checkpoints);
      CHECK(g->body_position == w->body_position);
      CHECK(g->checkpoints == w->checkpoints);
    } else {
      CHECK_FALSE(g->has_checkpoints);
    }
  }
}

TEST_CASE("golden index: layouts and body ranges of every version", "[golden]") {
  // Stores older than version 4 have no checkpoints and cut ranges from
  // their chunk; version 4 from its 2 KiB frames, version 5 from frames of
  // the size in its trailer. Either way body_range() is the body's substr.
  const std::string name = GENERATE(as<std::string>{}, "index-v1", "index-v2", "index-v3",
                                    "index-v4", "index-v5", "index-v6", "index");
  INFO(name);
  auto index = open_golden(name);
  const SegmentReader& seg = *index->segments()[0];
  auto store_file = MappedFile::open((golden_dir() / name / "seg1.store").string(), kKindStore);
  REQUIRE(store_file.is_ok());
  auto store = DocStoreReader::open(**store_file);
  REQUIRE(store.is_ok());
  const bool framed =
      name == "index-v4" || name == "index-v5" || name == "index-v6" || name == "index";
  const bool kib_frames = name == "index-v5" || name == "index-v6" || name == "index";
  CHECK((*store)->frame_bytes() == (kib_frames ? kStoreFrameBytes
                                    : framed   ? kStoreV4FrameBytes
                                               : 0));
  std::mt19937 rng(14);
  for (uint32_t d = 0; d < seg.doc_count(); ++d) {
    INFO("doc " << d);
    auto doc = seg.document(d);
    REQUIRE(doc.is_ok());
    auto layout = (*store)->layout(d);
    REQUIRE(layout.is_ok());
    CHECK(layout->body_bytes == doc->body.size());
    if (!framed) CHECK_FALSE(layout->has_checkpoints);
    CHECK(layout->has_checkpoints == doc->has_checkpoints);
    CHECK(layout->checkpoints == doc->checkpoints);
    const uint32_t size = static_cast<uint32_t>(doc->body.size());
    for (int i = 0; i < 4; ++i) {
      const uint32_t begin = static_cast<uint32_t>(rng() % (size + 5));
      const uint32_t end = static_cast<uint32_t>(rng() % (size + 5));
      auto range = (*store)->body_range(d, begin, end);
      REQUIRE(range.is_ok());
      CHECK(*range == (begin < end && begin < size ? doc->body.substr(begin, end - begin) : ""));
      std::string read;
      REQUIRE((*store)->read_body(d, *layout, begin, end, &read).is_ok());
      CHECK(read == *range);
    }
  }
}

TEST_CASE("golden index: version 3 to 6 indexes take an update and a merge", "[golden]") {
  // The update adds a current segment beside the old one (each file is read
  // by its own footer's version); the merge copies the documents of both,
  // layouts as they were (none from the version 3 store), into one current
  // segment.
  const std::string name =
      GENERATE(as<std::string>{}, "index-v3", "index-v4", "index-v5", "index-v6");
  INFO(name);
  scry::test::TempDir tmp;
  const fs::path idx = tmp / "idx";
  fs::copy(golden_dir() / name, idx);
  scry::test::write_file(tmp / "more.jsonl",
                         "{\"id\":\"m1\",\"title\":\"More golden\",\"body\":\"A common "
                         "word and a new one: zebra.\"}\n");
  const std::string program = scry::test::program("scry-index");
  auto r = scry::test::run(
      {program, "-q", "--update", (tmp / "more.jsonl").string(), "-o", idx.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<StoredDocument> before;
  {
    auto index = IndexReader::open(idx.string());
    INFO(index.status().message());
    REQUIRE(index.is_ok());
    REQUIRE((*index)->verify().is_ok());
    CHECK((*index)->manifest().format_version == kFormatVersion);
    REQUIRE((*index)->segments().size() == 2);
    const SegmentReader& old_seg = *(*index)->segments()[0];
    const SegmentReader& new_seg = *(*index)->segments()[1];
    CHECK(docs_of(old_seg, Field::kText, "common").size() == 138);
    CHECK(docs_of(new_seg, Field::kText, "zebra") == std::vector<uint32_t>{0});
    for (const SegmentReader* seg : {&old_seg, &new_seg}) {
      for (uint32_t d = 0; d < seg->doc_count(); ++d) {
        auto doc = seg->document(d);
        REQUIRE(doc.is_ok());
        before.push_back(std::move(doc).value());
      }
    }
    CHECK(before.back().body == "A common word and a new one: zebra.");
    // Fuzzy terms over the old segment (its own walk) and the new one (the
    // split walk of both tries): what a scan of both segments' keys gives,
    // each term's df summed.
    std::map<std::string, uint64_t> keys;
    for (const SegmentReader* seg : {&old_seg, &new_seg}) {
      auto it = seg->terms_from("");
      for (; it.valid(); it.next()) keys[it.key()] += it.info().df;
      REQUIRE(it.status().is_ok());
    }
    const IndexStatistics stats(**index);
    for (const std::string word : {"common", "golden", "zebras", "wrod", "anew"}) {
      for (int n = 0; n <= kMaxFuzzyEdits; ++n) {
        INFO("word " << word << " N " << n);
        const LevenshteinAutomaton automaton(word, n);
        std::vector<std::pair<std::string, uint64_t>> want;
        for (const auto& [key, df] : keys) {
          if (key[0] == 0 && automaton.distance(key.substr(1)))
            want.emplace_back(key.substr(1), df);
        }
        auto got = stats.fuzzy_terms(Field::kText, word, n);
        REQUIRE(got.is_ok());
        CHECK(*got == want);
      }
    }
  }
  auto store_version = [&](const std::string& segment) {
    auto f = MappedFile::open((idx / (segment + ".store")).string(), kKindStore);
    REQUIRE(f.is_ok());
    return (*f)->version();
  };
  CHECK(store_version("seg1") == uint32_t(name.back() - '0'));
  CHECK(store_version("seg2") == kFormatVersion);

  r = scry::test::run({program, "-q", "--merge", "-o", idx.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto index = IndexReader::open(idx.string());
  REQUIRE(index.is_ok());
  REQUIRE((*index)->verify().is_ok());
  REQUIRE((*index)->segments().size() == 1);
  const SegmentReader& merged = *(*index)->segments()[0];
  REQUIRE(merged.doc_count() == before.size());
  for (uint32_t d = 0; d < merged.doc_count(); ++d) {
    INFO("doc " << d);
    auto doc = merged.document(d);
    REQUIRE(doc.is_ok());
    CHECK(doc->id == before[d].id);
    CHECK(doc->body == before[d].body);
    CHECK(doc->has_checkpoints == before[d].has_checkpoints);
    CHECK(doc->body_position == before[d].body_position);
    CHECK(doc->checkpoints == before[d].checkpoints);
  }
  CHECK(before.front().has_checkpoints == (name != "index-v3"));
  CHECK(docs_of(merged, Field::kText, "zebra") == std::vector<uint32_t>{140});
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
  CHECK(files == 7);  // MANIFEST, seg1.terms .post .pos .store .norms .words.
}

TEST_CASE("golden index: fuzzy terms of the version 5 walk and the version 6 and 7 tries agree",
          "[golden][fuzzy]") {
  // index-v5's dictionary has no trie (the walk over its sorted keys),
  // index-v6's has one, index's one whose nodes record their keys' lengths:
  // all give what a scan of every term gives, for the index's terms, their
  // prefixes and random edits of them.
  auto v5 = open_golden("index-v5");
  auto v6 = open_golden("index-v6");
  auto v7 = open_golden("index");
  REQUIRE(v5->segments()[0]->term_trie() == nullptr);
  REQUIRE(v6->segments()[0]->term_trie() != nullptr);
  REQUIRE_FALSE(v6->segments()[0]->term_trie()->has_lengths());
  REQUIRE(v7->segments()[0]->term_trie() != nullptr);
  REQUIRE(v7->segments()[0]->term_trie()->has_lengths());
  const IndexStatistics old_walk(*v5);
  const IndexStatistics trie_walk(*v6);
  const IndexStatistics lengths_walk(*v7);
  std::vector<std::pair<std::string, uint64_t>> all;  // Key (field byte first), df.
  auto it = v7->segments()[0]->terms_from("");
  for (; it.valid(); it.next()) all.emplace_back(it.key(), it.info().df);
  REQUIRE(it.status().is_ok());
  REQUIRE(all.size() > 100);
  std::mt19937 rng(17);
  const std::string letters = "aeiostnrc";
  for (int q = 0; q < 300; ++q) {
    std::string word = all[rng() % all.size()].first.substr(1);
    for (int e = static_cast<int>(rng() % 3); e > 0 && !word.empty(); --e) {
      const size_t at = rng() % word.size();
      switch (rng() % 3) {
        case 0:
          word.erase(at, 1);
          break;
        case 1:
          word.insert(at, 1, letters[rng() % 9]);
          break;
        default:
          word[at] = letters[rng() % 9];
      }
    }
    if (q % 10 == 0) word = word.substr(0, word.size() / 2) + "\xc3\xa9";
    for (Field field : {Field::kText, Field::kTitle}) {
      for (int n = 0; n <= kMaxFuzzyEdits; ++n) {
        INFO("word [" << word << "] field " << int(field) << " N " << n);
        const LevenshteinAutomaton automaton(word, n);
        std::vector<std::pair<std::string, uint64_t>> want;
        for (const auto& [key, df] : all) {
          if (key[0] != static_cast<char>(field)) continue;
          if (automaton.distance(key.substr(1))) want.emplace_back(key.substr(1), df);
        }
        auto from_v5 = old_walk.fuzzy_terms(field, word, n);
        auto from_trie = trie_walk.fuzzy_terms(field, word, n);
        auto from_lengths = lengths_walk.fuzzy_terms(field, word, n);
        REQUIRE(from_v5.is_ok());
        REQUIRE(from_trie.is_ok());
        REQUIRE(from_lengths.is_ok());
        CHECK(*from_v5 == want);
        CHECK(*from_trie == want);
        CHECK(*from_lengths == want);
      }
    }
  }
}
