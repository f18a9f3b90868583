#include "scry/spell/word_table.h"

#include <functional>
#include <map>

#include "scry/util/utf8.h"

namespace scry {

void WordTable::append(std::string_view word, uint64_t count) {
  if (!offsets_.empty() && this->word(offsets_.size() - 1) == word) {
    counts_.back() += count;
  } else {
    offsets_.push_back(arena_.size());
    lengths_.push_back(static_cast<uint8_t>(word.size()));
    counts_.push_back(count);
    arena_.append(word);
  }
  total_ += count;
}

void WordTable::finish() {
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] >= kMinCandidateFrequency) candidates_.push_back(static_cast<uint32_t>(i));
  }
}

void WordTable::build_deletion_index() const {
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  std::string shorter;
  for (uint32_t i : candidates_) {
    const std::string_view w = word(i);
    entries.emplace_back(std::hash<std::string_view>{}(w), i);
    for (size_t pos = 0; pos < w.size();) {
      const size_t length = decode_utf8(w, pos).length;
      shorter.assign(w.substr(0, pos)).append(w.substr(pos + length));
      entries.emplace_back(std::hash<std::string_view>{}(shorter), i);
      pos += length;
    }
  }
  // Buckets by the hash's top bits, about two entries a bucket, filled by a
  // counting sort (a comparison sort of the entries took half the load).
  int bits = 1;
  while (bits < 32 && (size_t{1} << bits) < entries.size() / 2) ++bits;
  bucket_shift_ = 64 - bits;
  bucket_starts_.assign((size_t{1} << bits) + 1, 0);
  for (const auto& [hash, index] : entries) ++bucket_starts_[(hash >> bucket_shift_) + 1];
  for (size_t b = 1; b < bucket_starts_.size(); ++b) bucket_starts_[b] += bucket_starts_[b - 1];
  std::vector<size_t> fill(bucket_starts_.begin(), bucket_starts_.end() - 1);
  deletion_hashes_.resize(entries.size());
  deletion_words_.resize(entries.size());
  for (const auto& [hash, index] : entries) {
    const size_t at = fill[hash >> bucket_shift_]++;
    deletion_hashes_[at] = hash;
    deletion_words_[at] = index;
  }
}

std::vector<uint32_t> WordTable::with_deletion_hash(uint64_t key_hash) const {
  std::call_once(deletion_index_once_, [this] { build_deletion_index(); });
  std::vector<uint32_t> out;
  const size_t bucket = key_hash >> bucket_shift_;
  for (size_t at = bucket_starts_[bucket]; at < bucket_starts_[bucket + 1]; ++at) {
    if (deletion_hashes_[at] == key_hash) out.push_back(deletion_words_[at]);
  }
  return out;
}

Result<std::unique_ptr<WordTable>> WordTable::load(const IndexReader& index) {
  std::vector<WordDictionaryReader::Iterator> its;
  for (const auto& segment : index.segments()) {
    if (segment->words() == nullptr) {
      return Status::not_supported(
          "suggestions unavailable: segment " + segment->meta().name +
          " has no word dictionary (it was built before them; rebuild the index to get them)");
    }
    its.push_back(segment->words()->begin());
  }
  auto table = std::unique_ptr<WordTable>(new WordTable());
  uint64_t words = 0;  // At most this many once merged.
  for (const auto& segment : index.segments()) words += segment->words()->word_count();
  table->offsets_.reserve(words);
  table->lengths_.reserve(words);
  table->counts_.reserve(words);
  std::vector<bool> live(its.size());
  for (size_t i = 0; i < its.size(); ++i) {
    live[i] = its[i].next();
    SCRY_RETURN_IF_ERROR(its[i].status());
  }
  for (;;) {
    size_t least = its.size();
    for (size_t i = 0; i < its.size(); ++i) {
      if (live[i] && (least == its.size() || its[i].word() < its[least].word())) least = i;
    }
    if (least == its.size()) break;
    table->append(its[least].word(), its[least].count());
    live[least] = its[least].next();
    SCRY_RETURN_IF_ERROR(its[least].status());
  }
  if (table->offsets_.size() > UINT32_MAX) {
    return Status::not_supported("suggestions unavailable: more than 2^32 words");
  }
  table->finish();
  return table;
}

std::unique_ptr<WordTable> WordTable::from_counts(
    const std::vector<std::pair<std::string, uint64_t>>& counts) {
  std::map<std::string, uint64_t> sorted;
  for (const auto& [word, count] : counts) {
    if (count > 0 && !word.empty()) sorted[word] += count;
  }
  auto table = std::unique_ptr<WordTable>(new WordTable());
  for (const auto& [word, count] : sorted) table->append(word, count);
  table->finish();
  return table;
}

uint64_t WordTable::count_of(std::string_view word) const {
  size_t lo = 0, hi = size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (this->word(mid) < word) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < size() && this->word(lo) == word ? counts_[lo] : 0;
}

}  // namespace scry
