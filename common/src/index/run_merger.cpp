#include "index/run_merger.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "index/merging_iterator.h"
#include "index/run_file.h"
#include "scry/format/format.h"
#include "scry/format/postings.h"
#include "scry/format/term_dictionary.h"
#include "scry/format/term_trie.h"

namespace scry {

namespace {

// The final merge is split into key ranges only while the run files it
// reads stay few (each part opens every run, with a 64 KB buffer each).
constexpr size_t kMaxMergeReaders = 512;
// Per-term cost of the key range cut, in posting-stream bytes.
constexpr uint64_t kTermCost = 32;

using SortedEntries = std::vector<std::pair<std::string_view, const Inverter::Entry*>>;

// One child of the merge: the records of a run file or the in-memory
// entries of an Inverter, restricted to the keys in [lo, hi) (an empty hi:
// no upper bound). A run starts before its first record: next() loads it.
class MergeSource {
 public:
  MergeSource(std::unique_ptr<RunReader> run, std::string_view lo, std::string_view hi)
      : run_(std::move(run)), lo_(lo), hi_(hi) {}
  explicit MergeSource(std::span<const SortedEntries::value_type> entries) : entries_(entries) {}

  bool valid() const { return valid_; }
  std::string_view key() const { return run_ ? run_->key() : entries_[next_ - 1].first; }
  std::string_view stream() const {
    return run_ ? std::string_view(run_->stream()) : entries_[next_ - 1].second->stream;
  }
  void next() {
    if (!run_) {
      valid_ = ++next_ <= entries_.size();
      return;
    }
    valid_ = false;
    while (run_->next()) {
      if (run_->key() < lo_) continue;
      valid_ = hi_.empty() || run_->key() < hi_;
      return;
    }
  }
  const Status& status() const { return run_ ? run_->status() : ok_; }

 private:
  std::unique_ptr<RunReader> run_;
  std::string_view lo_, hi_;
  std::span<const SortedEntries::value_type> entries_;
  size_t next_ = 0;
  bool valid_ = false;
  Status ok_;
};

// One key range of the merge, written by one task.
struct MergePart {
  std::string_view lo, hi;  // Keys in [lo, hi); an empty hi: no upper bound.
  // Part 0 writes the segment's files and dictionary; the others write
  // temporary files and keep their terms, appended to part 0's afterwards.
  FileWriter* postings = nullptr;
  FileWriter* positions = nullptr;
  TermDictionaryWriter* dictionary = nullptr;
  std::unique_ptr<FileWriter> own_postings, own_positions;
  uint64_t own_postings_bytes = 0, own_positions_bytes = 0;  // Their content, once written.
  std::vector<std::pair<std::string, TermInfo>> terms;
  ReversedKeys* reversed = nullptr;  // The part's keys reversed, sorted at its end.
  uint64_t postings_count = 0, positions_count = 0;
  Status status;
};

// The merge's temporary files: removed by remove(), the rest on destruction
// (an error on the way).
class TempFiles {
 public:
  TempFiles() = default;
  ~TempFiles() {
    for (const auto& path : paths_) ::unlink(path.c_str());
  }
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;

  const std::string& add(std::string path) { return paths_.emplace_back(std::move(path)); }
  void remove(const std::string& path) {
    ::unlink(path.c_str());
    paths_.erase(std::find(paths_.begin(), paths_.end(), path));
  }

 private:
  std::vector<std::string> paths_;
};

// The key ranges [bounds[j], bounds[j + 1]) of at most `want` parts (see
// run_merger.h); bounds[0] is empty (no lower bound).
std::vector<std::string_view> cut_key_range(const std::vector<SortedEntries>& sorted, size_t want) {
  std::vector<std::string_view> bounds = {std::string_view()};
  if (want <= 1) return bounds;
  const SortedEntries& sample =
      *std::max_element(sorted.begin(), sorted.end(),
                        [](const auto& x, const auto& y) { return x.size() < y.size(); });
  uint64_t total = 0;
  for (const auto& e : sample) total += e.second->stream.size() + kTermCost;
  uint64_t before = 0;
  size_t next = 1;
  for (const auto& e : sample) {
    while (next < want && before * want >= total * next) {
      if (e.first > bounds.back()) bounds.push_back(e.first);
      ++next;
    }
    before += e.second->stream.size() + kTermCost;
  }
  return bounds;
}

Status merge_part(MergePart* part, const std::vector<std::unique_ptr<BuildShard>>& shards,
                  const std::vector<SortedEntries>& sorted,
                  std::span<const std::vector<uint32_t>> lengths) {
  // Children shard by shard, each shard's runs in flush order and then its
  // memory (see run_merger.h).
  std::vector<MergeSource> sources;
  auto by_key = [](const SortedEntries::value_type& e, std::string_view k) { return e.first < k; };
  for (size_t s = 0; s < shards.size(); ++s) {
    for (const auto& run : shards[s]->runs) {
      auto reader = RunReader::open(run);
      if (!reader) return reader.status();
      sources.emplace_back(std::move(reader).value(), part->lo, part->hi);
    }
    const SortedEntries& entries = sorted[s];
    auto begin = std::lower_bound(entries.begin(), entries.end(), part->lo, by_key);
    auto end =
        part->hi.empty() ? entries.end() : std::lower_bound(begin, entries.end(), part->hi, by_key);
    sources.emplace_back(std::span<const SortedEntries::value_type>(begin, end));
  }
  std::vector<MergeSource*> children;
  for (MergeSource& source : sources) {
    source.next();
    children.push_back(&source);
  }

  MergingIterator<MergeSource> merger(std::move(children));
  SCRY_RETURN_IF_ERROR(merger.status());
  PostingsWriter writer(part->postings, part->positions);
  std::string key;
  while (merger.valid()) {
    key.assign(merger.key());
    const auto& field_lengths = lengths[static_cast<uint8_t>(key[0])];
    writer.begin_term();
    // A key's entries, in doc-id order: their streams are concatenated.
    while (merger.valid() && merger.key() == key) {
      PostingStreamReader stream(sources[merger.child()].stream());
      uint32_t doc = 0, tf = 0;
      std::string_view gaps;
      while (stream.next_gaps(&doc, &tf, &gaps)) {
        if (doc >= field_lengths.size()) {
          return Status::corruption("build run damaged (doc id out of range)");
        }
        writer.add_gaps(doc, field_lengths[doc], tf, gaps);
      }
      if (stream.failed()) return Status::corruption("build run damaged (bad posting stream)");
      merger.next();
      SCRY_RETURN_IF_ERROR(merger.status());
    }
    TermInfo info = writer.end_term();
    part->postings_count += info.df;
    part->positions_count += info.cf;
    part->reversed->add(key, info.df);
    if (part->dictionary) {
      part->dictionary->add(key, info);
    } else {
      part->terms.emplace_back(key, std::move(info));
    }
  }
  part->reversed->sort();
  return Status::ok();
}

// Appends the content of file `from` (of kind `kind`) to `to`, a slice at a
// time, each slice's pages let go once copied (they run beside the
// dictionary's finish: mapped whole, they raised the peak RSS).
Status append_file(FileWriter* to, const std::string& from, uint32_t kind) {
  constexpr size_t kSlice = size_t{8} << 20;  // A multiple of the page size.
  auto mapped = MappedFile::open(from, kind);
  if (!mapped) return mapped.status();
  const std::string_view bytes = (*mapped)->view();
  for (size_t at = 0; at < bytes.size(); at += kSlice) {
    const std::string_view slice = bytes.substr(at, kSlice);
    to->append(slice);
    // Advice only: the pages stay in the page cache, the mapping unchanged.
    ::madvise(const_cast<char*>(slice.data()), slice.size(), MADV_DONTNEED);
  }
  return Status::ok();
}

}  // namespace

Result<MergedTerms> merge_runs(const std::vector<std::unique_ptr<BuildShard>>& shards,
                               std::span<const std::vector<uint32_t>> lengths, ThreadPool* pool,
                               const std::string& dir, FileWriter* terms, FileWriter* postings,
                               FileWriter* positions) {
  const size_t shard_count = shards.size();
  std::vector<SortedEntries> sorted(shard_count);
  auto sort_shard = [&](size_t s, unsigned) { sorted[s] = shards[s]->inverter.sorted(); };
  if (pool) {
    pool->run_tasks(shard_count, sort_shard);
  } else {
    sort_shard(0, 0);
  }

  size_t readers = 0;
  for (const auto& shard : shards) readers += shard->runs.size() + 1;
  const size_t want_parts = pool && readers * pool->size() <= kMaxMergeReaders ? pool->size() : 1;
  const std::vector<std::string_view> bounds = cut_key_range(sorted, want_parts);
  const size_t part_count = bounds.size();
  // The reversed keys of each part are gathered and sorted by its task, and
  // their trie built while the dictionary takes the terms (see below).
  TermDictionaryWriter dictionary(terms, true);
  std::vector<ReversedKeys> reversed(part_count);
  TempFiles temp_files;
  std::vector<MergePart> parts(part_count);
  for (size_t j = 0; j < part_count; ++j) {
    MergePart& part = parts[j];
    part.reversed = &reversed[j];
    part.lo = bounds[j];
    part.hi = j + 1 < part_count ? bounds[j + 1] : std::string_view();
    if (j == 0) {
      part.postings = postings;
      part.positions = positions;
      part.dictionary = &dictionary;
      continue;
    }
    const std::string prefix = dir + "/merge-" + std::to_string(j);
    auto p = FileWriter::create(temp_files.add(prefix + ".post.tmp"), kKindPostings);
    if (!p) return p.status();
    auto q = FileWriter::create(temp_files.add(prefix + ".pos.tmp"), kKindPositions);
    if (!q) return q.status();
    part.own_postings = std::move(p).value();
    part.own_positions = std::move(q).value();
    part.postings = part.own_postings.get();
    part.positions = part.own_positions.get();
  }
  auto merge_one = [&](size_t j, unsigned) {
    MergePart& part = parts[j];
    part.status = merge_part(&part, shards, sorted, lengths);
    if (!part.own_postings) return;
    part.own_postings_bytes = part.own_postings->offset();
    part.own_positions_bytes = part.own_positions->offset();
    if (part.status.is_ok()) part.status = part.own_postings->finish();
    if (part.status.is_ok()) part.status = part.own_positions->finish();
  };
  if (part_count > 1) {
    pool->run_tasks(part_count, merge_one);
  } else {
    merge_one(0, 0);
  }
  for (const MergePart& part : parts) SCRY_RETURN_IF_ERROR(part.status);

  // Parts after the first: their files follow part 0's, their terms'
  // offsets shift by what comes before them. Three tasks, each writing its
  // own: the files appended, the terms given to the dictionary, the trie of
  // the reversed keys built (the last taken by whichever thread is free
  // first; all three were serial, the crew idle).
  MergedTerms merged;
  std::vector<std::pair<uint64_t, uint64_t>> bases(part_count);  // (postings, positions).
  uint64_t postings_end = postings->offset(), positions_end = positions->offset();
  for (size_t j = 0; j < part_count; ++j) {
    bases[j] = {postings_end, positions_end};
    postings_end += parts[j].own_postings_bytes;
    positions_end += parts[j].own_positions_bytes;
    merged.postings += parts[j].postings_count;
    merged.positions += parts[j].positions_count;
  }
  Status appended;
  TermTrieBuilder reversed_trie;
  auto append_files = [&] {
    for (size_t j = 1; j < part_count && appended.is_ok(); ++j) {
      const MergePart& part = parts[j];
      appended = append_file(postings, part.own_postings->path(), kKindPostings);
      if (appended.is_ok()) {
        appended = append_file(positions, part.own_positions->path(), kKindPositions);
      }
      if (appended.is_ok() && (postings->offset() != bases[j].first + part.own_postings_bytes ||
                               positions->offset() != bases[j].second + part.own_positions_bytes)) {
        appended = Status::io_error(part.own_postings->path() + ": not the size written");
      }
      if (appended.is_ok()) {
        temp_files.remove(part.own_postings->path());
        temp_files.remove(part.own_positions->path());
      }
    }
  };
  auto list_terms = [&] {
    for (size_t j = 1; j < part_count; ++j) {
      for (auto& [key, info] : parts[j].terms) {
        info.postings_offset += bases[j].first;
        info.positions_offset += bases[j].second;
        dictionary.add(key, info);
      }
    }
  };
  auto build_reversed_trie = [&] {
    ReversedKeys::add_to(reversed, &reversed_trie);
    reversed_trie.finish();
  };
  if (part_count > 1) {
    pool->run_tasks(3, [&](size_t task, unsigned) {
      if (task == 0) {
        append_files();
      } else if (task == 1) {
        list_terms();
      } else {
        build_reversed_trie();
      }
    });
  } else {
    list_terms();
    build_reversed_trie();
  }
  SCRY_RETURN_IF_ERROR(appended);
  dictionary.finish(reversed_trie);
  merged.terms = dictionary.term_count();
  return merged;
}

}  // namespace scry
