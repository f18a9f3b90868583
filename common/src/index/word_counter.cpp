#include "index/word_counter.h"

#include <xxhash.h>

#include <algorithm>
#include <cassert>
#include <queue>
#include <utility>
#include <vector>

#include "scry/format/format.h"
#include "scry/format/word_dictionary.h"
#include "util/prefix_sort.h"

namespace scry {

namespace {
constexpr size_t kFirstSlots = 1024;
}  // namespace

void WordCounter::add(std::string_view word, uint64_t count) {
  if (word.empty()) return;
  assert(word.size() <= kMaxWordBytes);
  if ((size_ + 1) * 2 > slots_.size()) grow();
  const uint64_t hash = XXH3_64bits(word.data(), word.size());
  const uint64_t tag = tag_of(hash);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (empty(s)) {
      s = {count, tag | uint64_t{word.size()} << kOffsetBits | arena_.size()};
      arena_.append(word);
      ++size_;
      return;
    }
    if ((s.where & tag_of(~uint64_t{0})) == tag && word_of(s) == word) {
      s.count += count;
      return;
    }
  }
}

void WordCounter::grow() {
  std::vector<Slot> slots(slots_.empty() ? kFirstSlots : slots_.size() * 2, Slot{0, 0});
  const size_t mask = slots.size() - 1;
  for (const Slot& s : slots_) {
    if (empty(s)) continue;
    const std::string_view word = word_of(s);
    size_t i = XXH3_64bits(word.data(), word.size()) & mask;
    while (!empty(slots[i])) i = (i + 1) & mask;
    slots[i] = s;
  }
  slots_.swap(slots);
}

Status WordCounter::write(std::span<const WordCounter> counters, ThreadPool* pool,
                          const std::string& path, uint64_t* words, uint64_t* file_bytes) {
  // Each counter's (word, count) pairs, keyed for sort_keyed() (built
  // keyed: no copy), sorted by word (the words of one counter differ).
  using Counts = std::vector<std::pair<uint64_t, std::pair<std::string_view, uint64_t>>>;
  std::vector<Counts> lists(counters.size());
  const auto sort_one = [&](size_t i, unsigned) {
    const WordCounter& counter = counters[i];
    lists[i].reserve(counter.size_);
    for (const Slot& s : counter.slots_) {
      if (empty(s)) continue;
      const std::string_view word = counter.word_of(s);
      lists[i].push_back({order_prefix(word), {word, s.count}});
    }
    sort_keyed(&lists[i], [](const auto& item) { return item.first; });
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
    return lists[a.first][a.second].second.first > lists[b.first][b.second].second.first;
  };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> heap(later);
  for (size_t i = 0; i < lists.size(); ++i) {
    if (!lists[i].empty()) heap.push({i, 0});
  }
  while (!heap.empty()) {
    const std::string_view word = lists[heap.top().first][heap.top().second].second.first;
    uint64_t count = 0;
    while (!heap.empty() && lists[heap.top().first][heap.top().second].second.first == word) {
      auto [list, index] = heap.top();
      heap.pop();
      count += lists[list][index].second.second;
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
