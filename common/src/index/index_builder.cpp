#include "scry/index/index_builder.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <queue>
#include <span>
#include <system_error>
#include <thread>
#include <utility>

#include "scry/codec/varint.h"
#include "scry/format/deletions.h"
#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/format/postings.h"
#include "scry/format/term_dictionary.h"
#include "index/inverter.h"
#include "index/run_file.h"
#include "scry/util/file.h"

namespace scry {

namespace {

// Parallel build (threads > 1); see index_builder.h and docs/INDEXING.md.
constexpr unsigned kMaxThreads = 1024;
// A batch closes at this many bytes of text (ids, titles, bodies, sources)
// or documents, whichever comes first; smaller when the memory budget is
// small (a sixteenth of it, at least kMinBatchBytes).
constexpr size_t kMaxBatchBytes = size_t{2} << 20;
constexpr size_t kMinBatchBytes = size_t{64} << 10;
constexpr size_t kMaxBatchDocs = 8192;
// Text analyzed by one task of phase 1 (a run of whole documents).
constexpr size_t kChunkBytes = size_t{64} << 10;
// The final merge is split into key ranges only while the run files it
// reads stay few (each part opens every run, with a 64 KB buffer each).
constexpr size_t kMaxMergeReaders = 512;

// The external ids seen so far, each with the doc id of its latest
// document: the id bytes in one arena and an open-addressing table of
// indexes into it (about 16 bytes an id plus the id itself, instead of a
// node-based map's ~90).
class IdMap {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Records that `id` is now document `doc`; returns the document that had
  // it before, or kNone.
  uint32_t assign(std::string_view id, uint32_t doc) {
    if ((offsets_.size() + 1) * 2 > slots_.size()) grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = std::hash<std::string_view>{}(id) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == 0) {
        offsets_.push_back(arena_.size());
        docs_.push_back(doc);
        arena_.append(id);
        slots_[i] = static_cast<uint32_t>(offsets_.size());
        return kNone;
      }
      if (get(slots_[i] - 1) == id) return std::exchange(docs_[slots_[i] - 1], doc);
    }
  }

 private:
  std::string_view get(size_t n) const {
    size_t end = n + 1 < offsets_.size() ? offsets_[n + 1] : arena_.size();
    return std::string_view(arena_).substr(offsets_[n], end - offsets_[n]);
  }
  void grow() {
    std::vector<uint32_t> slots(slots_.empty() ? 1024 : slots_.size() * 2, 0);
    size_t mask = slots.size() - 1;
    for (uint32_t s : slots_) {
      if (s == 0) continue;
      size_t i = std::hash<std::string_view>{}(get(s - 1)) & mask;
      while (slots[i] != 0) i = (i + 1) & mask;
      slots[i] = s;
    }
    slots_.swap(slots);
  }

  std::string arena_;
  std::vector<uint64_t> offsets_;
  std::vector<uint32_t> docs_;  // The latest document of the n-th id.
  std::vector<uint32_t> slots_;
};

// A fixed crew of threads that run jobs together: the calling thread and
// size() - 1 workers, which sleep between jobs.
class Crew {
 public:
  explicit Crew(unsigned threads) : size_(threads) {
    try {
      for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this, i] { loop(i); });
    } catch (...) {
      stop();
      throw;
    }
  }
  ~Crew() { stop(); }
  Crew(const Crew&) = delete;
  Crew& operator=(const Crew&) = delete;

  unsigned size() const { return size_; }

  // Runs job(i) for every i < size(), job(0) on the calling thread, and
  // returns when all have returned. An exception thrown by any of them is
  // rethrown here (after all have returned).
  void run(const std::function<void(unsigned)>& job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      pending_ = size_ - 1;
      error_ = nullptr;
      ++generation_;
    }
    start_.notify_all();
    std::exception_ptr error;
    try {
      job(0);
    } catch (...) {
      error = std::current_exception();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    job_ = nullptr;
    if (!error) error = error_;
    if (error) std::rethrow_exception(error);
  }

 private:
  void loop(unsigned index) {
    uint64_t seen = 0;
    for (;;) {
      const std::function<void(unsigned)>* job = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        job = job_;
      }
      std::exception_ptr error;
      try {
        (*job)(index);
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex_);
      if (error && !error_) error_ = error;
      if (--pending_ == 0) done_.notify_one();
    }
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    start_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  const unsigned size_;
  std::mutex mutex_;
  std::condition_variable start_;
  std::condition_variable done_;
  const std::function<void(unsigned)>* job_ = nullptr;
  uint64_t generation_ = 0;
  unsigned pending_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

// Runs task(i) for every i < count on the crew's threads, each task once,
// handed out in order of i to whichever thread is free.
void run_tasks(Crew* crew, size_t count,
               const std::function<void(size_t task, unsigned thread)>& task) {
  std::atomic<size_t> next{0};
  crew->run([&](unsigned thread) {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;) task(i, thread);
  });
}

using SortedEntries = std::vector<std::pair<std::string_view, const Inverter::Entry*>>;

// One sorted input of the final merge: the records of a run file or the
// in-memory entries of an Inverter, restricted to the keys in [lo, hi) (an
// empty hi: no upper bound).
class MergeSource {
 public:
  MergeSource(std::unique_ptr<RunReader> run, std::string_view lo, std::string_view hi)
      : run_(std::move(run)), lo_(lo), hi_(hi) {}
  explicit MergeSource(std::span<const SortedEntries::value_type> entries) : entries_(entries) {}

  // Moves to the next record; false at the end.
  bool advance() {
    if (!run_) return ++next_ <= entries_.size();
    while (run_->next()) {
      if (run_->key() < lo_) continue;
      return hi_.empty() || run_->key() < hi_;
    }
    return false;
  }
  std::string_view key() const { return run_ ? run_->key() : entries_[next_ - 1].first; }
  std::string_view stream() const {
    return run_ ? std::string_view(run_->stream()) : entries_[next_ - 1].second->stream;
  }
  Status status() const { return run_ ? run_->status() : Status::ok(); }

 private:
  std::unique_ptr<RunReader> run_;
  std::string_view lo_, hi_;
  std::span<const SortedEntries::value_type> entries_;
  size_t next_ = 0;
};

uint64_t file_bytes(const FileWriter& f) { return f.offset() + kFooterSize; }

// The inverted part of the index is split by term: a term belongs to shard
// shard_of(term hash), with its own Inverter and run files.
struct Shard {
  Inverter inverter;
  std::vector<std::string> runs;  // Flushed, in order.
  Status status;                  // First error met by a worker (flushing a run).
};

size_t shard_of(uint64_t term_hash, size_t shards) {
  // The high half of the hash (the Inverter's slots use the low bits).
  return static_cast<size_t>(((term_hash >> 32) * shards) >> 32);
}

// Phase 1 leaves each token of a chunk in the byte stream of the shard of
// its term (kept small: memory is the cost of batching): a record
//   header byte: term length (<= kMaxTermBytes) | 0x80 for a title token
//                (indexed in the title and text fields), then the position
//                (4 bytes), the term's hash (8 bytes, Inverter::term_hash)
//                and the term's bytes;
// the first record of each document is preceded by kNewDocument and the
// document's index in the batch (4 bytes). Fixed-size fields in host order.
constexpr uint8_t kTitleToken = 0x80;
constexpr uint8_t kNewDocument = 0xff;
static_assert(Analyzer::kMaxTermBytes < kTitleToken);

// A run of whole documents of a batch, analyzed by one task.
struct Chunk {
  uint32_t begin = 0, end = 0;       // Documents [begin, end) of the batch.
  std::vector<std::string> tokens;   // Per shard (see above).
  std::vector<uint32_t> last_doc;    // Per shard: last document recorded.
};

// Documents buffered by add() (threads > 1), then analyzed (phase 1), then
// inverted and stored (phase 2, one round later).
struct Batch {
  std::vector<Document> docs;  // The first `size` are live (capacity reused).
  size_t size = 0;
  uint32_t first_doc = 0;      // Doc id of docs[0].
  size_t text_bytes = 0;       // Bytes of the live documents' strings.
  std::vector<Chunk> chunks;   // The first `chunk_count` are live.
  size_t chunk_count = 0;
  // Phase 1 results, per document.
  std::vector<uint32_t> title_len, text_len;
  std::vector<uint8_t> too_long;  // Too many tokens (positions past 2^32 - 2).

  bool empty() const { return size == 0; }
  void clear() {
    size = 0;
    text_bytes = 0;
    chunk_count = 0;
  }
  // Heap bytes held (buffers are kept for the next batch).
  size_t memory_bytes() const {
    size_t bytes = docs.capacity() * sizeof(Document);
    for (const Document& d : docs) {
      bytes += d.id.capacity() + d.title.capacity() + d.body.capacity() + d.source.capacity();
    }
    for (const Chunk& c : chunks) {
      for (const auto& stream : c.tokens) bytes += stream.capacity();
    }
    return bytes;
  }
};

// One key range of the final merge, written by one task.
struct MergePart {
  std::string_view lo, hi;  // Keys in [lo, hi); an empty hi: no upper bound.
  // Part 0 writes the segment's files and dictionary; the others write
  // temporary files and keep their terms, appended to part 0's afterwards.
  FileWriter* postings = nullptr;
  FileWriter* positions = nullptr;
  TermDictionaryWriter* dictionary = nullptr;
  std::unique_ptr<FileWriter> own_postings, own_positions;
  std::vector<std::pair<std::string, TermInfo>> terms;
  uint64_t postings_count = 0, positions_count = 0;
  Status status;
};

}  // namespace

struct IndexBuilder::Impl {
  Impl(std::string d, const BuildOptions& o) : dir(std::move(d)), options(o) {}

  Result<Added> add_sequential(const Document& doc, uint32_t d);
  Result<Added> add_to_batch(const Document& doc, uint32_t d);
  Status flush_run(size_t shard);
  // Phase 2 of `prev` and phase 1 of `cur` on the crew; then cur becomes prev.
  Status run_round();
  void analyze_chunk(Batch* batch, size_t chunk, Analyzer* analyzer) const;
  void invert_shard(const Batch& batch, size_t shard);
  Status store_batch(Batch* batch) const;
  void push_lengths(uint32_t title_len, uint32_t text_len);
  Status merge(FileWriter* terms, FileWriter* postings, FileWriter* positions, BuildStats* stats);
  Status merge_part(MergePart* part, const std::vector<SortedEntries>& sorted) const;
  Status write_norms(BuildStats* stats);
  Status write_manifest(BuildStats* stats) const;
  std::string path(const char* ext) const { return dir + "/" + segment_name(options.segment) + ext; }
  size_t batch_limit() const {
    return std::clamp(options.memory_budget / 16, kMinBatchBytes, kMaxBatchBytes);
  }

  std::string dir;
  BuildOptions options;
  std::vector<std::unique_ptr<Analyzer>> analyzers;  // One per thread.
  std::vector<std::unique_ptr<Shard>> shards;        // One per thread.
  std::unique_ptr<Crew> crew;                        // threads > 1 only.
  std::unique_ptr<Batch> cur, prev;                  // threads > 1 only.
  size_t batch_memory = 0;  // cur and prev's buffers, as of the last round.
  Status store_status;
  std::unique_ptr<FileWriter> store_file;
  std::unique_ptr<DocStoreWriter> store;
  std::vector<uint32_t> lengths[kFieldCount];
  std::array<uint64_t, kFieldCount> length_sums{};
  IdMap ids;
  std::vector<std::string> temp_files;  // Of the final merge.
  uint32_t next_doc = 0;
  std::vector<uint32_t> replaced;  // Documents replaced by a later one with their id.
  Status error;  // Once set, every later add() and finish() returns it.
  bool finished = false;
};

IndexBuilder::IndexBuilder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

IndexBuilder::~IndexBuilder() {
  impl_->crew.reset();  // Workers are idle between calls; stop them first.
  for (const auto& shard : impl_->shards) {
    for (const auto& run : shard->runs) ::unlink(run.c_str());
  }
  for (const auto& file : impl_->temp_files) ::unlink(file.c_str());
}

Result<std::unique_ptr<IndexBuilder>> IndexBuilder::create(const std::string& dir,
                                                           const BuildOptions& options) {
  if (options.threads == 0 || options.threads > kMaxThreads) {
    return Status::invalid_argument("threads must be between 1 and " + std::to_string(kMaxThreads) +
                                    " (not " + std::to_string(options.threads) + ")");
  }
  if (options.segment == 0) return Status::invalid_argument("segment numbers start at 1");
  auto impl = std::make_unique<Impl>(dir, options);
  for (unsigned i = 0; i < options.threads; ++i) {
    impl->analyzers.push_back(std::make_unique<Analyzer>(options.analyzer));
    impl->shards.push_back(std::make_unique<Shard>());
  }
  if (options.threads > 1) {
    try {
      impl->crew = std::make_unique<Crew>(options.threads);
    } catch (const std::system_error& e) {
      return Status::invalid_argument("cannot start " + std::to_string(options.threads) +
                                      " threads: " + e.what());
    }
    impl->cur = std::make_unique<Batch>();
    impl->prev = std::make_unique<Batch>();
  }
  auto store_file = FileWriter::create(impl->path(".store"), kKindStore);
  if (!store_file) return store_file.status();
  impl->store_file = std::move(store_file).value();
  impl->store = std::make_unique<DocStoreWriter>(impl->store_file.get());
  return std::unique_ptr<IndexBuilder>(new IndexBuilder(std::move(impl)));
}

size_t IndexBuilder::memory_bytes() const {
  const Impl& s = *impl_;
  size_t bytes = 0;
  for (const auto& shard : s.shards) bytes += shard->inverter.memory_bytes();
  if (s.cur) bytes += s.batch_memory + s.cur->text_bytes;
  return bytes;
}

Result<IndexBuilder::Added> IndexBuilder::add(const Document& doc) {
  Impl& s = *impl_;
  assert(!s.finished);
  if (!s.error.is_ok()) return s.error;
  if (s.next_doc == PostingsCursor::kEnd - 1) {
    return Status::invalid_argument(doc.source + ": too many documents for one index (2^32 - 2)");
  }
  uint32_t d = s.next_doc++;
  const uint32_t earlier = s.ids.assign(doc.id, d);
  if (earlier != IdMap::kNone) s.replaced.push_back(earlier);
  Result<Added> added = s.crew ? s.add_to_batch(doc, d) : s.add_sequential(doc, d);
  if (!added) {
    s.error = added.status();
    return added;
  }
  return earlier != IdMap::kNone ? Added::kReplaced : Added::kAdded;
}

void IndexBuilder::Impl::push_lengths(uint32_t title_len, uint32_t text_len) {
  lengths[static_cast<size_t>(Field::kText)].push_back(text_len);
  lengths[static_cast<size_t>(Field::kTitle)].push_back(title_len);
  length_sums[static_cast<size_t>(Field::kText)] += text_len;
  length_sums[static_cast<size_t>(Field::kTitle)] += title_len;
}

Result<IndexBuilder::Added> IndexBuilder::Impl::add_sequential(const Document& doc, uint32_t d) {
  Inverter& inverter = shards[0]->inverter;
  Analyzer& analyzer = *analyzers[0];
  inverter.begin_document(d);
  // Lengths count indexed tokens; positions also count left-out stop words.
  uint32_t title_len = 0;
  uint32_t title_positions = analyzer.analyze(doc.title, [&](const Token& t) {
    uint64_t hash = Inverter::term_hash(t.term);
    inverter.add_token(Field::kTitle, t.term, hash, t.position);
    inverter.add_token(Field::kText, t.term, hash, t.position);
    ++title_len;
  });
  uint32_t base = title_positions == 0 ? 0 : title_positions + kTitleBodyPositionGap;
  uint32_t body_len = 0;
  uint32_t body_positions = analyzer.analyze(doc.body, [&](const Token& t) {
    inverter.add_token(Field::kText, t.term, base + t.position);
    ++body_len;
  });
  if (uint64_t{base} + body_positions >= PostingsCursor::kEnd) {
    return Status::invalid_argument(doc.source + ": too many tokens in one document");
  }
  inverter.end_document();
  uint32_t text_len = title_len + body_len;
  push_lengths(title_len, text_len);
  SCRY_RETURN_IF_ERROR(store->add({doc.id, doc.title, doc.source, text_len, doc.body}));
  if (inverter.memory_bytes() > options.memory_budget) SCRY_RETURN_IF_ERROR(flush_run(0));
  return Added::kAdded;
}

Result<IndexBuilder::Added> IndexBuilder::Impl::add_to_batch(const Document& doc, uint32_t d) {
  Batch& b = *cur;
  if (b.size == 0) b.first_doc = d;
  if (b.size == b.docs.size()) b.docs.emplace_back();
  Document& copy = b.docs[b.size++];
  copy.id.assign(doc.id);
  copy.title.assign(doc.title);
  copy.body.assign(doc.body);
  copy.source.assign(doc.source);
  size_t bytes = doc.id.size() + doc.title.size() + doc.body.size() + doc.source.size();
  b.text_bytes += bytes;
  if (b.text_bytes >= batch_limit() || b.size >= kMaxBatchDocs) SCRY_RETURN_IF_ERROR(run_round());
  return Added::kAdded;
}

Status IndexBuilder::Impl::run_round() {
  Batch& a = *cur;   // Phase 1 (analysis) this round.
  Batch& b = *prev;  // Analyzed last round: phase 2 (inversion, store) now.
  a.chunk_count = 0;
  for (uint32_t i = 0; i < a.size;) {
    if (a.chunk_count == a.chunks.size()) a.chunks.emplace_back();
    Chunk& chunk = a.chunks[a.chunk_count++];
    chunk.begin = i;
    for (size_t bytes = 0; i < a.size && bytes < kChunkBytes; ++i) {
      bytes += a.docs[i].title.size() + a.docs[i].body.size();
    }
    chunk.end = i;
  }
  if (a.title_len.size() < a.size) {
    a.title_len.resize(a.size);
    a.text_len.resize(a.size);
    a.too_long.resize(a.size);
  }
  // The store first (the longest task), then the shards, then the chunks:
  // small tasks last even out the threads' loads.
  const size_t phase2_tasks = b.empty() ? 0 : 1 + shards.size();
  store_status = Status::ok();
  try {
    run_tasks(crew.get(), phase2_tasks + a.chunk_count, [&](size_t task, unsigned thread) {
      if (task == 0 && phase2_tasks > 0) {
        store_status = store_batch(&b);
      } else if (task < phase2_tasks) {
        invert_shard(b, task - 1);
      } else {
        analyze_chunk(&a, task - phase2_tasks, analyzers[thread].get());
      }
    });
  } catch (...) {
    error = Status::io_error(dir + ": the build was interrupted by an earlier error");
    throw;
  }
  if (!b.empty()) {
    if (!store_status.is_ok()) error = store_status;
    for (const auto& shard : shards) {
      if (error.is_ok() && !shard->status.is_ok()) error = shard->status;
    }
    if (!error.is_ok()) return error;
    b.clear();
  }
  for (uint32_t i = 0; i < a.size; ++i) {
    if (a.too_long[i]) {
      error = Status::invalid_argument(a.docs[i].source + ": too many tokens in one document");
      return error;
    }
    push_lengths(a.title_len[i], a.text_len[i]);
  }
  std::swap(cur, prev);
  batch_memory = cur->memory_bytes() + prev->memory_bytes();
  return Status::ok();
}

void IndexBuilder::Impl::analyze_chunk(Batch* batch, size_t c, Analyzer* analyzer) const {
  Chunk& chunk = batch->chunks[c];
  const size_t shard_count = shards.size();
  chunk.tokens.resize(shard_count);
  for (auto& stream : chunk.tokens) stream.clear();
  chunk.last_doc.assign(shard_count, UINT32_MAX);
  for (uint32_t i = chunk.begin; i < chunk.end; ++i) {
    const Document& doc = batch->docs[i];
    auto push = [&](std::string_view term, uint32_t position, bool title) {
      const uint64_t hash = Inverter::term_hash(term);
      const size_t s = shard_of(hash, shard_count);
      std::string& stream = chunk.tokens[s];
      char record[1 + 4 + 1 + 4 + 8];
      char* p = record;
      if (chunk.last_doc[s] != i) {
        chunk.last_doc[s] = i;
        *p++ = static_cast<char>(kNewDocument);
        std::memcpy(p, &i, 4);
        p += 4;
      }
      *p++ = static_cast<char>(term.size() | (title ? kTitleToken : 0));
      std::memcpy(p, &position, 4);
      std::memcpy(p + 4, &hash, 8);
      stream.append(record, static_cast<size_t>(p + 12 - record));
      stream.append(term);
    };
    // As in add_sequential().
    uint32_t title_len = 0;
    uint32_t title_positions = analyzer->analyze(doc.title, [&](const Token& t) {
      push(t.term, t.position, true);
      ++title_len;
    });
    uint32_t base = title_positions == 0 ? 0 : title_positions + kTitleBodyPositionGap;
    uint32_t body_len = 0;
    uint32_t body_positions = analyzer->analyze(doc.body, [&](const Token& t) {
      push(t.term, base + t.position, false);
      ++body_len;
    });
    batch->too_long[i] = uint64_t{base} + body_positions >= PostingsCursor::kEnd;
    batch->title_len[i] = title_len;
    batch->text_len[i] = title_len + body_len;
  }
}

void IndexBuilder::Impl::invert_shard(const Batch& batch, size_t s) {
  Shard& shard = *shards[s];
  if (!shard.status.is_ok()) return;
  Inverter& inverter = shard.inverter;
  const size_t budget = options.memory_budget / shards.size();
  uint32_t doc = UINT32_MAX;
  auto end_document = [&] {
    inverter.end_document();
    if (inverter.memory_bytes() > budget) shard.status = flush_run(s);
    return shard.status.is_ok();
  };
  for (size_t c = 0; c < batch.chunk_count; ++c) {
    const std::string& stream = batch.chunks[c].tokens[s];
    for (const char* p = stream.data(); p != stream.data() + stream.size();) {
      auto header = static_cast<uint8_t>(*p++);
      if (header == kNewDocument) {
        if (doc != UINT32_MAX && !end_document()) return;
        std::memcpy(&doc, p, 4);
        p += 4;
        inverter.begin_document(batch.first_doc + doc);
        continue;
      }
      uint32_t position;
      uint64_t hash;
      std::memcpy(&position, p, 4);
      std::memcpy(&hash, p + 4, 8);
      std::string_view term(p + 12, static_cast<size_t>(header & (kTitleToken - 1)));
      p += 12 + term.size();
      if (header & kTitleToken) inverter.add_token(Field::kTitle, term, hash, position);
      inverter.add_token(Field::kText, term, hash, position);
    }
  }
  if (doc != UINT32_MAX) end_document();
}

Status IndexBuilder::Impl::store_batch(Batch* batch) const {
  for (size_t i = 0; i < batch->size; ++i) {
    Document& d = batch->docs[i];
    SCRY_RETURN_IF_ERROR(store->add({std::move(d.id), std::move(d.title), std::move(d.source),
                                     batch->text_len[i], std::move(d.body)}));
  }
  return Status::ok();
}

Status IndexBuilder::Impl::flush_run(size_t s) {
  Shard& shard = *shards[s];
  // run-K.tmp, or run-SHARD-K.tmp with several shards.
  std::string shard_name = shards.size() > 1 ? std::to_string(s) + "-" : "";
  std::string run_path = dir + "/run-" + shard_name + std::to_string(shard.runs.size()) + ".tmp";
  shard.runs.push_back(run_path);
  SCRY_RETURN_IF_ERROR(write_run(run_path, shard.inverter.sorted()));
  shard.inverter.clear();
  return Status::ok();
}

Status IndexBuilder::Impl::merge(FileWriter* terms, FileWriter* postings, FileWriter* positions,
                                 BuildStats* stats) {
  const size_t shard_count = shards.size();
  std::vector<SortedEntries> sorted(shard_count);
  auto sort_shard = [&](size_t s, unsigned) { sorted[s] = shards[s]->inverter.sorted(); };
  if (crew) {
    run_tasks(crew.get(), shard_count, sort_shard);
  } else {
    sort_shard(0, 0);
  }

  // Key ranges [bounds[j], bounds[j + 1]), merged in parallel, cut where
  // a shard's in-memory entries (a hash partition, so its keys spread like
  // all the keys) reach equal shares of posting bytes plus a per-term cost.
  size_t readers = 0;
  for (const auto& shard : shards) readers += shard->runs.size() + 1;
  const size_t want_parts = crew && readers * crew->size() <= kMaxMergeReaders ? crew->size() : 1;
  std::vector<std::string_view> bounds = {std::string_view()};
  if (want_parts > 1) {
    const SortedEntries& sample =
        *std::max_element(sorted.begin(), sorted.end(),
                          [](const auto& x, const auto& y) { return x.size() < y.size(); });
    constexpr uint64_t kTermCost = 32;
    uint64_t total = 0;
    for (const auto& e : sample) total += e.second->stream.size() + kTermCost;
    uint64_t before = 0;
    size_t next = 1;
    for (const auto& e : sample) {
      while (next < want_parts && before * want_parts >= total * next) {
        if (e.first > bounds.back()) bounds.push_back(e.first);
        ++next;
      }
      before += e.second->stream.size() + kTermCost;
    }
  }
  const size_t part_count = bounds.size();
  TermDictionaryWriter dictionary(terms);
  std::vector<MergePart> parts(part_count);
  for (size_t j = 0; j < part_count; ++j) {
    MergePart& part = parts[j];
    part.lo = bounds[j];
    part.hi = j + 1 < part_count ? bounds[j + 1] : std::string_view();
    if (j == 0) {
      part.postings = postings;
      part.positions = positions;
      part.dictionary = &dictionary;
      continue;
    }
    std::string prefix = dir + "/merge-" + std::to_string(j);
    temp_files.push_back(prefix + ".post.tmp");
    auto p = FileWriter::create(temp_files.back(), kKindPostings);
    if (!p) return p.status();
    temp_files.push_back(prefix + ".pos.tmp");
    auto q = FileWriter::create(temp_files.back(), kKindPositions);
    if (!q) return q.status();
    part.own_postings = std::move(p).value();
    part.own_positions = std::move(q).value();
    part.postings = part.own_postings.get();
    part.positions = part.own_positions.get();
  }
  auto merge_one = [&](size_t j, unsigned) {
    MergePart& part = parts[j];
    part.status = merge_part(&part, sorted);
    if (part.status.is_ok() && part.own_postings) part.status = part.own_postings->finish();
    if (part.status.is_ok() && part.own_positions) part.status = part.own_positions->finish();
  };
  if (part_count > 1) {
    run_tasks(crew.get(), part_count, merge_one);
  } else {
    merge_one(0, 0);
  }
  for (const MergePart& part : parts) SCRY_RETURN_IF_ERROR(part.status);

  // Parts after the first: their files follow, their terms' offsets shift.
  for (size_t j = 0; j < part_count; ++j) {
    MergePart& part = parts[j];
    if (j > 0) {
      const uint64_t postings_base = postings->offset();
      const uint64_t positions_base = positions->offset();
      auto append = [](FileWriter* to, const std::string& from, uint32_t kind) {
        auto mapped = MappedFile::open(from, kind);
        if (!mapped) return mapped.status();
        to->append((*mapped)->view());
        return Status::ok();
      };
      SCRY_RETURN_IF_ERROR(append(postings, part.own_postings->path(), kKindPostings));
      SCRY_RETURN_IF_ERROR(append(positions, part.own_positions->path(), kKindPositions));
      for (auto& [key, info] : part.terms) {
        info.postings_offset += postings_base;
        info.positions_offset += positions_base;
        dictionary.add(key, info);
      }
      ::unlink(part.own_postings->path().c_str());
      ::unlink(part.own_positions->path().c_str());
    }
    stats->postings += part.postings_count;
    stats->positions += part.positions_count;
  }
  temp_files.clear();
  dictionary.finish();
  stats->terms = dictionary.term_count();
  return Status::ok();
}

Status IndexBuilder::Impl::merge_part(MergePart* part,
                                      const std::vector<SortedEntries>& sorted) const {
  // Sources shard by shard, each shard's runs in flush order and then its
  // memory: equal keys come from one shard only, so they pop in doc-id order.
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
    auto end = part->hi.empty() ? entries.end()
                                : std::lower_bound(begin, entries.end(), part->hi, by_key);
    sources.emplace_back(std::span<const SortedEntries::value_type>(begin, end));
  }

  // Smallest key first; equal keys in source order, which is doc-id order.
  using Head = std::pair<std::string_view, size_t>;
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heap;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (sources[i].advance()) heap.emplace(sources[i].key(), i);
    SCRY_RETURN_IF_ERROR(sources[i].status());
  }
  PostingsWriter writer(part->postings, part->positions);
  std::string key;
  std::vector<uint32_t> pos;
  while (!heap.empty()) {
    key.assign(heap.top().first);
    const auto& field_lengths = lengths[static_cast<uint8_t>(key[0])];
    writer.begin_term();
    while (!heap.empty() && heap.top().first == key) {
      size_t i = heap.top().second;
      heap.pop();
      PostingStreamReader stream(sources[i].stream());
      uint32_t doc = 0;
      while (stream.next(&doc, &pos)) {
        if (doc >= field_lengths.size()) {
          return Status::corruption("build run damaged (doc id out of range)");
        }
        writer.add(doc, field_lengths[doc], pos);
      }
      if (stream.failed()) return Status::corruption("build run damaged (bad posting stream)");
      if (sources[i].advance()) heap.emplace(sources[i].key(), i);
      SCRY_RETURN_IF_ERROR(sources[i].status());
    }
    TermInfo info = writer.end_term();
    part->postings_count += info.df;
    part->positions_count += info.cf;
    if (part->dictionary) {
      part->dictionary->add(key, info);
    } else {
      part->terms.emplace_back(key, std::move(info));
    }
  }
  return Status::ok();
}

Status IndexBuilder::Impl::write_norms(BuildStats* stats) {
  auto out = FileWriter::create(path(".norms"), kKindNorms);
  if (!out) return out.status();
  std::string bytes;
  put_fixed32(&bytes, kFieldCount);
  put_fixed32(&bytes, next_doc);
  for (const auto& field : lengths) {
    for (uint32_t len : field) put_fixed32(&bytes, len);
  }
  (*out)->append(bytes);
  stats->index_bytes += file_bytes(**out);
  return (*out)->finish();
}

Status IndexBuilder::Impl::write_manifest(BuildStats* stats) const {
  Manifest m;
  m.created_by = options.created_by;
  m.analyzer = options.analyzer;
  m.segments.push_back(stats->segment);
  m.next_segment = options.segment + 1;
  auto out = FileWriter::create(dir + "/MANIFEST", kKindManifest);
  if (!out) return out.status();
  (*out)->append(manifest_to_json(m));
  stats->index_bytes += file_bytes(**out);
  return (*out)->finish();
}

Result<BuildStats> IndexBuilder::finish() {
  Impl& s = *impl_;
  assert(!s.finished);
  s.finished = true;
  if (!s.error.is_ok()) return s.error;
  if (s.crew) {
    while (!s.cur->empty() || !s.prev->empty()) SCRY_RETURN_IF_ERROR(s.run_round());
  }
  BuildStats stats;
  stats.documents = s.next_doc;
  stats.replaced = s.replaced.size();
  for (const auto& shard : s.shards) stats.runs += shard->runs.size();

  SCRY_RETURN_IF_ERROR(s.store->finish());
  stats.stored_text_bytes = file_bytes(*s.store_file);
  stats.index_bytes += stats.stored_text_bytes;
  SCRY_RETURN_IF_ERROR(s.store_file->finish());
  SCRY_RETURN_IF_ERROR(s.write_norms(&stats));

  auto terms = FileWriter::create(s.path(".terms"), kKindTerms);
  if (!terms) return terms.status();
  auto postings = FileWriter::create(s.path(".post"), kKindPostings);
  if (!postings) return postings.status();
  auto positions = FileWriter::create(s.path(".pos"), kKindPositions);
  if (!positions) return positions.status();
  SCRY_RETURN_IF_ERROR(s.merge(terms->get(), postings->get(), positions->get(), &stats));
  for (auto* f : {terms->get(), postings->get(), positions->get()}) {
    stats.index_bytes += file_bytes(*f);
    SCRY_RETURN_IF_ERROR(f->finish());
  }
  for (auto& shard : s.shards) {
    shard->inverter.clear();
    for (const auto& run : shard->runs) ::unlink(run.c_str());
    shard->runs.clear();
  }
  stats.segment.name = segment_name(s.options.segment);
  stats.segment.documents = s.next_doc;
  stats.segment.terms = stats.terms;
  stats.segment.postings = stats.postings;
  stats.segment.positions = stats.positions;
  stats.segment.field_lengths = s.length_sums;
  if (!s.replaced.empty()) {
    Deletions deleted(s.next_doc);
    for (uint32_t doc : s.replaced) deleted.mark(doc);
    SCRY_RETURN_IF_ERROR(deleted.write(s.path(".del")));
    stats.segment.deleted = deleted.count();
    std::error_code ec;
    stats.index_bytes += std::filesystem::file_size(s.path(".del"), ec);
  }
  if (s.options.write_manifest) SCRY_RETURN_IF_ERROR(s.write_manifest(&stats));
  return stats;
}

}  // namespace scry
