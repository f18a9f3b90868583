#include "index/word_counter.h"

#include <algorithm>
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

void WordCounter::merge_from(WordCounter* other) {
  for (auto& [word, count] : other->counts_) {
    auto [it, inserted] = counts_.try_emplace(word, 0);
    it->second += count;
    if (inserted) bytes_ += word.size() + kEntryOverhead;
  }
  other->counts_.clear();
  other->bytes_ = 0;
}

Status WordCounter::write(const std::string& path, uint64_t* words, uint64_t* file_bytes) const {
  std::vector<std::pair<std::string_view, uint64_t>> sorted(counts_.begin(), counts_.end());
  std::sort(sorted.begin(), sorted.end());
  auto out = FileWriter::create(path, kKindWords);
  if (!out) return out.status();
  WordDictionaryWriter writer(out->get());
  for (const auto& [word, count] : sorted) writer.add(word, count);
  *words = writer.word_count();
  SCRY_RETURN_IF_ERROR(writer.finish());
  *file_bytes = (*out)->offset() + kFooterSize;
  return Status::ok();
}

}  // namespace scry
