#include "scry/search/shard_search.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <utility>

#include "util/thread_pool.h"

namespace scry {

MergedResult merge_top_k(std::vector<SearchResult> results, size_t k, size_t offset) {
  struct Entry {
    double score;
    uint32_t shard;
    size_t rank;  // In the shard's answer.
  };
  MergedResult merged;
  std::vector<Entry> entries;
  for (uint32_t shard = 0; shard < results.size(); ++shard) {
    const SearchResult& result = results[shard];
    merged.total_hits += result.total_hits;
    merged.total_exact = merged.total_exact && result.total_exact;
    for (size_t rank = 0; rank < result.hits.size(); ++rank) {
      entries.push_back({result.hits[rank].score, shard, rank});
    }
  }
  const size_t end = std::min(entries.size(), offset + k);
  auto before = [](const Entry& a, const Entry& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.shard != b.shard ? a.shard < b.shard : a.rank < b.rank;
  };
  std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(end),
                    entries.end(), before);
  for (size_t i = offset; i < end; ++i) {
    const Entry& e = entries[i];
    merged.hits.push_back({e.shard, std::move(results[e.shard].hits[e.rank])});
  }
  return merged;
}

namespace {

// The calling thread's pool for searching `shards` shards: one thread a
// shard up to the number of cores, the caller's included; kept between
// queries (starting threads for every query costs more than small queries
// take). Null when one thread will do or threads cannot be started (the
// shards are then searched one after the other).
ThreadPool* shard_pool(uint32_t shards) {
  const unsigned threads = std::min(shards, std::max(1u, std::thread::hardware_concurrency()));
  if (threads <= 1) return nullptr;
  thread_local std::unique_ptr<ThreadPool> pool;
  if (!pool || pool->size() != threads) {
    pool.reset();
    auto created = ThreadPool::create(threads);
    if (!created) return nullptr;
    pool = std::move(created).value();
  }
  // The analyzer does not follow the pointer out of Result's variant and
  // takes `created`'s destruction for the pool's.
  return pool.get();  // NOLINT(clang-analyzer-cplusplus.NewDelete)
}

// Whether `weight` can match no document (a query without terms).
bool matches_nothing(const Weight& weight) {
  return weight.kind == Weight::Kind::kNothing ||
         (weight.kind == Weight::Kind::kBool && weight.must.empty() && weight.should.empty());
}

}  // namespace

Result<SearchResult> search_shards(const IndexReader& index, const Weight& weight,
                                   const SearchOptions& options) {
  const Searcher searcher(index);
  const uint32_t shards = index.shards();
  SearchOptions own = options;
  own.first_segment = 0;
  own.end_segment = SIZE_MAX;
  if (shards == 1 || matches_nothing(weight)) return searcher.search(weight, own);

  own.k = options.k + options.offset;
  own.offset = 0;
  // The first shard to see the query stopped stops the others at their
  // next check; the query fails with what that shard saw (timed out or
  // cancelled). The caller's interrupt is asked under a lock.
  std::mutex lock;
  Status stopped;
  std::atomic<bool> stop{false};
  const Interrupt shared(std::chrono::milliseconds(0), [&] {
    if (stop.load()) return true;
    const std::lock_guard<std::mutex> guard(lock);
    if (stop.load()) return true;
    Status status = options.interrupt->check();
    if (status.is_ok()) return false;
    stopped = std::move(status);
    stop.store(true);
    return true;
  });
  if (options.interrupt != nullptr && options.interrupt->armed()) own.interrupt = &shared;
  std::vector<std::optional<Result<SearchResult>>> answers(shards);
  auto search_shard = [&](uint32_t shard) {
    SearchOptions part = own;
    std::tie(part.first_segment, part.end_segment) = index.shard_segments(shard);
    answers[shard].emplace(searcher.search(weight, part));
  };
  ThreadPool* pool = shard_pool(shards);
  if (pool == nullptr) {
    for (uint32_t shard = 0; shard < shards; ++shard) search_shard(shard);
  } else {
    pool->run_tasks(shards,
                    [&](size_t shard, unsigned) { search_shard(static_cast<uint32_t>(shard)); });
  }

  std::vector<SearchResult> results;
  results.reserve(shards);
  for (auto& answer : answers) {
    if (!answer->is_ok()) {
      const bool cancelled = answer->status().code() == Status::Code::kCancelled;
      return cancelled && stop.load() ? stopped : answer->status();
    }
    results.push_back(std::move(*answer).value());
  }
  MergedResult merged = merge_top_k(std::move(results), options.k, options.offset);
  SearchResult result;
  result.total_hits = merged.total_hits;
  result.total_exact = merged.total_exact;
  for (ShardHit& hit : merged.hits) result.hits.push_back(std::move(hit.hit));
  return result;
}

}  // namespace scry
