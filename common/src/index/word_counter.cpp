#include "index/word_counter.h"

#include <algorithm>
#include <queue>
#include <utility>
#include <vector>

#include "scry/format/format.h"
#include "scry/format/word_dictionary.h"

namespace scry {

namespace {
// A map node's bytes besides the word: node, hash, count, bucket.
constexpr size_t kEntryOverhead = 64;
}  // namespace

void WordCounter::add(std::string_view word, uint64_t count) {
  if (word.empty()) return;
  auto it = counts_.find(word);
  if (it != counts_.end()) {
    it->second += count;
    return;
  }
  counts_.emplace(std::string(word), count);
  bytes_ += word.size() + kEntryOverhead;
}

Status WordCounter::write(std::span<const WordCounter> counters, ThreadPool* pool,
                          const std::string& path, uint64_t* words, uint64_t* file_bytes) {
  using Counts = std::vector<std::pair<std::string_view, uint64_t>>;
  std::vector<Counts> lists(counters.size());
  const auto sort_one = [&](size_t i, unsigned) {
    lists[i].assign(counters[i].counts_.begin(), counters[i].counts_.end());
    std::sort(lists[i].begin(), lists[i].end());
  };
  if (pool != nullptr) {
    pool->run_tasks(lists.size(), sort_one);
  } else {
    for (size_t i = 0; i < lists.size(); ++i) sort_one(i, 0);
  }
  auto out = FileWriter::create(path, kKindWords);
  if (!out) return out.status();
  WordDictionaryWriter writer(out->get());
  // A k-way merge: (list, index) of each list's next word, least word on top.
  using Cursor = std::pair<size_t, size_t>;
  const auto later = [&](const Cursor& a, const Cursor& b) {
    return lists[a.first][a.second].first > lists[b.first][b.second].first;
  };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> heap(later);
  for (size_t i = 0; i < lists.size(); ++i) {
    if (!lists[i].empty()) heap.push({i, 0});
  }
  while (!heap.empty()) {
    const std::string_view word = lists[heap.top().first][heap.top().second].first;
    uint64_t count = 0;
    while (!heap.empty() && lists[heap.top().first][heap.top().second].first == word) {
      auto [list, index] = heap.top();
      heap.pop();
      count += lists[list][index].second;
      if (index + 1 < lists[list].size()) heap.push({list, index + 1});
    }
    writer.add(word, count);
  }
  *words = writer.word_count();
  SCRY_RETURN_IF_ERROR(writer.finish());
  *file_bytes = (*out)->offset() + kFooterSize;
  return Status::ok();
}

}  // namespace scry
