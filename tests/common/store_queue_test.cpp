// StoreQueue (common/src/index/store_queue.h): documents pushed in batches
// reach the DocStoreWriter in order on the queue's thread, which then
// finishes it, so the .store is the one a direct DocStoreWriter::add() of
// each and finish() write, byte for byte (closed before finish() or not);
// errors come back from a later push() or finish() and stick; a queue
// destroyed without finish() stops.
#include <catch2/catch.hpp>
#include <random>

#include "index/store_queue.h"
#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/util/file.h"
#include "testlib.h"

using namespace scry;
using scry::test::read_file;
using scry::test::TempDir;
using scry::test::u32;

namespace {

// `n` documents of words from a small vocabulary (a dictionary is trained
// once the bodies pass kStoreTrainBytes), some with checkpoints.
std::vector<StoredDocument> word_docs(uint32_t seed, size_t n, size_t max_body) {
  static const char* const kWords[] = {"queue", "store", "frame", "of",     "zstd",  "thread",
                                       "the",   "body",  "naïve", "résumé", "batch", "\n"};
  std::mt19937 rng(seed);
  std::vector<StoredDocument> docs(n);
  for (size_t i = 0; i < n; ++i) {
    StoredDocument& d = docs[i];
    d.id = "id" + std::to_string(i);
    d.title = "title " + std::to_string(u32(rng) % 1000);
    d.source = "in.jsonl:" + std::to_string(i + 1);
    d.length = u32(rng) % 5000;
    const size_t size = u32(rng) % (max_body + 1);
    while (d.body.size() < size) {
      d.body += kWords[u32(rng) % (sizeof(kWords) / sizeof(kWords[0]))];
      d.body += u32(rng) % 9 == 0 ? std::to_string(u32(rng) % 10000) : " ";
    }
    d.has_checkpoints = !d.body.empty() && i % 3 != 0;
    if (d.has_checkpoints) {
      d.body_position = 3;
      for (uint32_t at = 0, pos = 0; at < d.body.size(); at += 1 + u32(rng) % 400, pos += 32) {
        d.checkpoints.push_back({pos, at});
      }
    }
  }
  return docs;
}

// The .store of `docs` added one by one.
std::string direct_store(const std::string& path, const std::vector<StoredDocument>& docs) {
  auto out = FileWriter::create(path, kKindStore);
  REQUIRE(out.is_ok());
  DocStoreWriter w(out->get());
  for (const auto& d : docs) REQUIRE(w.add(d).is_ok());
  REQUIRE(w.finish().is_ok());
  REQUIRE((*out)->finish().is_ok());
  return read_file(path);
}

// The .store of `docs` pushed through a queue of `max_bytes` in batches of
// 1 to `max_batch` documents (seeded).
std::string queued_store(const std::string& path, const std::vector<StoredDocument>& docs,
                         size_t max_bytes, size_t max_batch, uint32_t seed) {
  auto out = FileWriter::create(path, kKindStore);
  REQUIRE(out.is_ok());
  DocStoreWriter w(out->get());
  auto queue = StoreQueue::create(&w, max_bytes);
  REQUIRE(queue.is_ok());
  std::mt19937 rng(seed);
  for (size_t at = 0; at < docs.size();) {
    const size_t n = std::min(docs.size() - at, 1 + u32(rng) % max_batch);
    std::vector<StoredDocument> batch(docs.begin() + static_cast<ptrdiff_t>(at),
                                      docs.begin() + static_cast<ptrdiff_t>(at + n));
    REQUIRE((*queue)->push(std::move(batch)).is_ok());
    at += n;
  }
  if (seed % 2 == 1) (*queue)->close();
  REQUIRE((*queue)->finish().is_ok());
  CHECK((*queue)->memory_bytes() == 0);
  REQUIRE((*out)->finish().is_ok());
  return read_file(path);
}

}  // namespace

TEST_CASE("store queue: the same .store as direct adds, whatever the batches and the bound",
          "[store][threads]") {
  TempDir tmp;
  for (uint32_t seed : {1u, 2u, 3u}) {
    INFO("seed " << seed);
    const auto docs = word_docs(seed, 300, 3000);
    const std::string want = direct_store((tmp / "direct.store").string(), docs);
    // A bound below one document (each push waits for an empty queue), a
    // few batches, and more than everything.
    for (size_t max_bytes : {size_t{1}, size_t{20000}, size_t{1} << 30}) {
      INFO("max_bytes " << max_bytes);
      CHECK(queued_store((tmp / "queued.store").string(), docs, max_bytes, 1 + seed * 7, seed) ==
            want);
    }
  }
}

TEST_CASE("store queue: the dictionary trained on the queue's thread while pushes go on",
          "[store][threads]") {
  TempDir tmp;
  // About 4.5 MB: past kStoreTrainBytes, so the training happens between
  // pushes, and frames follow it.
  const auto docs = word_docs(7, 1500, 6000);
  const std::string want = direct_store((tmp / "direct.store").string(), docs);
  CHECK(queued_store((tmp / "queued.store").string(), docs, 256 << 10, 40, 7) == want);
}

TEST_CASE("store queue: an error of the store comes back later and sticks", "[store][threads]") {
  TempDir tmp;
  auto out = FileWriter::create((tmp / "bad.store").string(), kKindStore);
  REQUIRE(out.is_ok());
  DocStoreWriter w(out->get());
  auto queue = StoreQueue::create(&w, size_t{1} << 20);
  REQUIRE(queue.is_ok());
  auto docs = word_docs(3, 10, 500);
  docs[4].has_checkpoints = true;
  docs[4].body = "short";
  docs[4].checkpoints = {{0, 0}, {5, 40}};  // Outside the body.
  REQUIRE((*queue)->push(docs).is_ok());    // Not added yet, perhaps.
  Status later;
  for (int i = 0; i < 1000 && later.is_ok(); ++i) later = (*queue)->push(word_docs(4, 1, 100));
  const Status finished = (*queue)->finish();
  REQUIRE(!finished.is_ok());
  CHECK(finished.code() == Status::Code::kInvalidArgument);
  CHECK(finished.message().find("checkpoint 1") != std::string::npos);
  if (!later.is_ok()) CHECK(later.message() == finished.message());
}

TEST_CASE("store queue: destroyed without finish(), it stops", "[store][threads]") {
  TempDir tmp;
  auto out = FileWriter::create((tmp / "abandoned.store").string(), kKindStore);
  REQUIRE(out.is_ok());
  DocStoreWriter w(out->get());
  {
    auto queue = StoreQueue::create(&w, size_t{64} << 10);
    REQUIRE(queue.is_ok());
    for (uint32_t seed = 0; seed < 20; ++seed) {
      REQUIRE((*queue)->push(word_docs(seed, 50, 2000)).is_ok());
    }
  }
  // The writer was left alone by the stopped thread: it can be finished.
  CHECK(w.finish().is_ok());
}
