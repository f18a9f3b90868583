#include "scry/index/index_builder.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "index/document_analysis.h"
#include "index/id_map.h"
#include "index/inverter.h"
#include "index/run_file.h"
#include "index/run_merger.h"
#include "index/store_queue.h"
#include "index/token_records.h"
#include "index/word_counter.h"
#include "scry/codec/varint.h"
#include "scry/format/deletions.h"
#include "scry/format/doc_store.h"
#include "scry/format/file_table.h"
#include "scry/format/format.h"
#include "scry/format/postings.h"
#include "scry/util/file.h"
#include "util/thread_pool.h"

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
// Documents queued for the store's thread (StoreQueue), in batches: enough
// to cover the dictionary's training (about 0.4 s of one core, while the
// rounds analyze and invert about 12 batches on the Wikipedia articles; 8
// made the rounds wait for room).
constexpr size_t kStoreQueueBatches = 16;

uint64_t file_bytes(const FileWriter& f) { return f.offset() + kFooterSize; }

// A term belongs to shard shard_of(its hash) (see BuildShard).
size_t shard_of(uint64_t term_hash, size_t shards) {
  // The high half of the hash (the Inverter's slots use the low bits).
  return static_cast<size_t>(((term_hash >> 32) * shards) >> 32);
}

// How far ahead invert_shard() prefetches, in token records.
constexpr size_t kSlotsAhead = 8;
constexpr size_t kEntriesAhead = 4;

// A run of whole documents of a batch, analyzed by one task.
struct Chunk {
  uint32_t begin = 0, end = 0;       // Documents [begin, end) of the batch.
  std::vector<TokenRecords> tokens;  // Per shard (index/token_records.h).
};

// Documents buffered by add() (threads > 1), then analyzed (phase 1), then
// inverted and stored (phase 2, one round later).
struct Batch {
  std::vector<Document> docs;  // The first `size` are live (capacity reused).
  size_t size = 0;
  uint32_t first_doc = 0;     // Doc id of docs[0].
  size_t text_bytes = 0;      // Bytes of the live documents' strings.
  std::vector<Chunk> chunks;  // The first `chunk_count` are live.
  size_t chunk_count = 0;
  // Phase 1 results, per document.
  std::vector<uint32_t> title_len, text_len;
  std::vector<uint8_t> too_long;  // Too many tokens (positions past 2^32 - 2).
  std::vector<uint32_t> body_position;
  std::vector<std::vector<TextCheckpoint>> checkpoints;

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
      for (const TokenRecords& stream : c.tokens) bytes += stream.capacity();
    }
    for (const auto& list : checkpoints) bytes += list.capacity() * sizeof(TextCheckpoint);
    return bytes;
  }
};

}  // namespace

// NAME.words being written (IndexBuilder::Impl::start_words()).
struct WordsTask {
  uint64_t words = 0, bytes = 0;
  Status status;
  std::jthread thread;  // Declared last: joined first when destroyed.
};

struct IndexBuilder::Impl {
  Impl(std::string d, const BuildOptions& o) : dir(std::move(d)), options(o) {}

  Result<Added> add_sequential(const Document& doc, uint32_t d);
  Result<Added> add_to_batch(const Document& doc, uint32_t d);
  Status flush_run(size_t shard);
  // Starts phase 2 of `prev` and phase 1 of `cur` on the pool's workers
  // (the round in flight), and gives add() an empty batch to fill: the
  // caller reads the next batch while the workers run the round.
  Status start_round();
  // Joins the round in flight, if any, until it ends; checks what it
  // found; `cur`'s analyzed batch becomes `prev`.
  Status end_round();
  void analyze_chunk(Batch* batch, size_t chunk, Analyzer* analyzer) const;
  void invert_shard(const Batch& batch, size_t shard);
  // Moves the batch's documents to `queue`.
  static Status store_batch(Batch* batch, StoreQueue* queue);
  void push_lengths(uint32_t title_len, uint32_t text_len);
  Status write_norms(BuildStats* stats);
  // Sums the threads' word counts into NAME.words: start_words() begins,
  // on a thread of its own when the build has a pool (the counters sorted
  // one after the other, while the postings are merged on the pool);
  // finish_words() waits for it and counts it in *stats.
  void start_words(WordsTask* task);
  Status finish_words(WordsTask* task, BuildStats* stats);
  Status write_manifest(BuildStats* stats) const;
  // Cancelled when options.cancel says so, else OK.
  Status check_cancel() const {
    if (options.cancel != nullptr && options.cancel->load()) {
      return Status::cancelled(dir + ": build interrupted");
    }
    return Status::ok();
  }
  std::string path(const char* ext) const {
    return dir + "/" + segment_name(options.segment) + ext;
  }
  size_t batch_limit() const {
    return std::clamp(options.memory_budget / 16, kMinBatchBytes, kMaxBatchBytes);
  }

  std::string dir;
  BuildOptions options;
  std::vector<std::unique_ptr<Analyzer>> analyzers;  // One per thread.
  std::vector<WordCounter> word_counts;              // One per thread.
  std::vector<std::unique_ptr<BuildShard>> shards;   // One per thread.
  std::unique_ptr<ThreadPool> pool;                  // threads > 1 only.
  // threads > 1 only: the batch add() fills, the one analyzed last round
  // (phase 2 next round), and an empty one; during a round, the batches of
  // its phase 1 and phase 2 instead of `prev` and `spare`.
  std::unique_ptr<Batch> cur, prev, spare;
  std::unique_ptr<Batch> analyzing, inverting;
  size_t batch_memory = 0;  // The three batches' buffers, as of the last round.
  size_t shard_memory = 0;  // The Inverters' memory, as of the last round.
  std::unique_ptr<FileWriter> store_file;
  std::unique_ptr<DocStoreWriter> store;
  std::unique_ptr<StoreQueue> store_queue;  // threads > 1 only; adds to `store`.
  std::vector<uint32_t> lengths[kFieldCount];
  std::array<uint64_t, kFieldCount> length_sums{};
  IdMap ids;
  uint32_t next_doc = 0;
  std::vector<uint32_t> replaced;  // Documents replaced by a later one with their id.
  Status error;                    // Once set, every later add() and finish() returns it.
  bool finished = false;
};

IndexBuilder::IndexBuilder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

IndexBuilder::~IndexBuilder() {
  impl_->pool.reset();  // Workers are idle between calls; stop them first.
  impl_->store_queue.reset();
  for (const auto& shard : impl_->shards) {
    for (const auto& run : shard->runs) ::unlink(run.c_str());
  }
}

Result<std::unique_ptr<IndexBuilder>> IndexBuilder::create(const std::string& dir,
                                                           const BuildOptions& options) {
  if (options.threads == 0 || options.threads > kMaxThreads) {
    return Status::invalid_argument("threads must be between 1 and " + std::to_string(kMaxThreads) +
                                    " (not " + std::to_string(options.threads) + ")");
  }
  if (options.segment == 0) return Status::invalid_argument("segment numbers start at 1");
  auto impl = std::make_unique<Impl>(dir, options);
  impl->word_counts.resize(options.threads);
  for (unsigned i = 0; i < options.threads; ++i) {
    impl->analyzers.push_back(std::make_unique<Analyzer>(options.analyzer));
    // Each analyzer counts the words it sees in its cache of words, and
    // gives the counts to its thread's WordCounter in bulk.
    impl->analyzers.back()->count_words(
        [words = &impl->word_counts[i]](std::string_view word, uint64_t count) {
          words->add(word, count);
        });
    impl->shards.push_back(std::make_unique<BuildShard>());
  }
  if (options.threads > 1) {
    auto pool = ThreadPool::create(options.threads);
    if (!pool) return pool.status();
    impl->pool = std::move(pool).value();
    impl->cur = std::make_unique<Batch>();
    impl->prev = std::make_unique<Batch>();
    impl->spare = std::make_unique<Batch>();
  }
  auto store_file = FileWriter::create(impl->path(".store"), kKindStore);
  if (!store_file) return store_file.status();
  impl->store_file = std::move(store_file).value();
  impl->store = std::make_unique<DocStoreWriter>(impl->store_file.get());
  if (impl->pool) {
    auto queue = StoreQueue::create(impl->store.get(), kStoreQueueBatches * impl->batch_limit());
    if (!queue) return queue.status();
    impl->store_queue = std::move(queue).value();
  }
  return std::unique_ptr<IndexBuilder>(new IndexBuilder(std::move(impl)));
}

size_t IndexBuilder::memory_bytes() const {
  const Impl& s = *impl_;
  if (!s.pool) return s.shards[0]->inverter.memory_bytes();
  // A round may be running: what it changes is counted as of the last one.
  return s.shard_memory + s.batch_memory + s.cur->text_bytes + s.store_queue->memory_bytes();
}

Result<IndexBuilder::Added> IndexBuilder::add(const Document& doc) {
  Impl& s = *impl_;
  assert(!s.finished);
  if (!s.error.is_ok()) return s.error;
  if (Status cancelled = s.check_cancel(); !cancelled.is_ok()) {
    s.error = cancelled;
    return cancelled;
  }
  if (s.next_doc == PostingsCursor::kEnd - 1) {
    return Status::invalid_argument(doc.source + ": too many documents for one index (2^32 - 2)");
  }
  uint32_t d = s.next_doc++;
  const uint32_t earlier = s.ids.assign(doc.id, d);
  if (earlier != IdMap::kNone) s.replaced.push_back(earlier);
  Result<Added> added = s.pool ? s.add_to_batch(doc, d) : s.add_sequential(doc, d);
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
  std::vector<TextCheckpoint> checkpoints;
  const DocumentLengths counted =
      analyze_document(&analyzer, doc, &checkpoints,
                       [&](std::string_view term, uint64_t hash, uint32_t position, bool title) {
                         if (title) inverter.add_token(Field::kTitle, term, hash, position);
                         inverter.add_token(Field::kText, term, hash, position);
                       });
  if (counted.too_long) {
    return Status::invalid_argument(doc.source + ": too many tokens in one document");
  }
  inverter.end_document();
  push_lengths(counted.title, counted.text);
  SCRY_RETURN_IF_ERROR(store->add({doc.id, doc.title, doc.source, counted.text, doc.body, true,
                                   counted.body_position, std::move(checkpoints)}));
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
  if (b.text_bytes >= batch_limit() || b.size >= kMaxBatchDocs) {
    SCRY_RETURN_IF_ERROR(end_round());
    SCRY_RETURN_IF_ERROR(start_round());
  }
  return Added::kAdded;
}

Status IndexBuilder::Impl::start_round() {
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
    a.body_position.resize(a.size);
    a.checkpoints.resize(a.size);
  }
  // The shards first, then the chunks: small tasks last even out the
  // threads' loads.
  const size_t phase2_tasks = b.empty() ? 0 : shards.size();
  pool->start_tasks(phase2_tasks + a.chunk_count,
                    [this, &a, &b, phase2_tasks](size_t task, unsigned thread) {
                      if (task < phase2_tasks) {
                        invert_shard(b, task);
                      } else {
                        analyze_chunk(&a, task - phase2_tasks, analyzers[thread].get());
                      }
                    });
  analyzing = std::move(cur);
  inverting = std::move(prev);
  cur = std::move(spare);
  // Then the store's thread takes the documents of phase 2, which the
  // tasks do not read (they invert b's token records): when its queue is
  // full, the caller waits for room while the workers run the round.
  if (!b.empty()) {
    Status stored = store_batch(&b, store_queue.get());
    if (!stored.is_ok()) {
      error = stored;
      return error;
    }
  }
  return Status::ok();
}

Status IndexBuilder::Impl::end_round() {
  if (!analyzing) return Status::ok();
  std::unique_ptr<Batch> analyzed = std::move(analyzing);
  std::unique_ptr<Batch> inverted = std::move(inverting);
  try {
    pool->wait();
  } catch (...) {
    error = Status::io_error(dir + ": the build was interrupted by an earlier error");
    throw;
  }
  Batch& a = *analyzed;
  Batch& b = *inverted;
  if (!b.empty()) {
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
  prev = std::move(analyzed);
  spare = std::move(inverted);
  batch_memory = cur->memory_bytes() + prev->memory_bytes() + spare->memory_bytes();
  shard_memory = 0;
  for (const auto& shard : shards) shard_memory += shard->inverter.memory_bytes();
  return Status::ok();
}

void IndexBuilder::Impl::analyze_chunk(Batch* batch, size_t c, Analyzer* analyzer) const {
  Chunk& chunk = batch->chunks[c];
  const size_t shard_count = shards.size();
  chunk.tokens.resize(shard_count);
  for (TokenRecords& stream : chunk.tokens) stream.clear();
  for (uint32_t i = chunk.begin; i < chunk.end; ++i) {
    const Document& doc = batch->docs[i];
    auto push = [&](std::string_view term, uint64_t hash, uint32_t position, bool title) {
      chunk.tokens[shard_of(hash, shard_count)].add(i, term, hash, position, title);
    };
    const DocumentLengths counted = analyze_document(analyzer, doc, &batch->checkpoints[i], push);
    batch->too_long[i] = counted.too_long;
    batch->body_position[i] = counted.body_position;
    batch->title_len[i] = counted.title;
    batch->text_len[i] = counted.text;
  }
}

void IndexBuilder::Impl::invert_shard(const Batch& batch, size_t s) {
  BuildShard& shard = *shards[s];
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
    const TokenRecords& stream = batch.chunks[c].tokens[s];
    const char* const stream_end = stream.data() + stream.size();
    // Two scouts run ahead over the records to hide the table's cache
    // misses: the first loads the slots of the tokens kSlotsAhead records
    // on, the second the entries of those kEntriesAhead on.
    const char* slot_scout = stream.data();
    const char* entry_scout = stream.data();
    uint64_t ahead;
    for (size_t i = 0; i < kSlotsAhead && next_token_hash(&slot_scout, stream_end, &ahead); ++i) {
      inverter.prefetch_slot(Field::kText, ahead);
    }
    for (size_t i = 0; i < kEntriesAhead && next_token_hash(&entry_scout, stream_end, &ahead);
         ++i) {
      inverter.prefetch_entry(Field::kText, ahead);
    }
    for (const char* p = stream.data(); p != stream_end;) {
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
      if (next_token_hash(&slot_scout, stream_end, &ahead)) {
        inverter.prefetch_slot(Field::kText, ahead);
      }
      if (next_token_hash(&entry_scout, stream_end, &ahead)) {
        inverter.prefetch_entry(Field::kText, ahead);
      }
    }
  }
  if (doc != UINT32_MAX) end_document();
}

Status IndexBuilder::Impl::store_batch(Batch* batch, StoreQueue* queue) {
  std::vector<StoredDocument> docs;
  docs.reserve(batch->size);
  for (size_t i = 0; i < batch->size; ++i) {
    Document& d = batch->docs[i];
    docs.push_back({std::move(d.id), std::move(d.title), std::move(d.source), batch->text_len[i],
                    std::move(d.body), true, batch->body_position[i],
                    std::move(batch->checkpoints[i])});
  }
  return queue->push(std::move(docs));
}

Status IndexBuilder::Impl::flush_run(size_t s) {
  BuildShard& shard = *shards[s];
  // run-K.tmp, or run-SHARD-K.tmp with several shards.
  std::string shard_name = shards.size() > 1 ? std::to_string(s) + "-" : "";
  std::string run_path = dir + "/run-" + shard_name + std::to_string(shard.runs.size()) + ".tmp";
  shard.runs.push_back(run_path);
  SCRY_RETURN_IF_ERROR(write_run(run_path, shard.inverter.sorted()));
  shard.inverter.clear();
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

void IndexBuilder::Impl::start_words(WordsTask* task) {
  for (const auto& analyzer : analyzers) analyzer->flush_word_counts();
  auto write = [this, task] {
    task->status =
        WordCounter::write(word_counts, nullptr, path(".words"), &task->words, &task->bytes);
  };
  if (!pool) {
    write();
    return;
  }
  try {
    task->thread = std::jthread(write);
  } catch (const std::system_error&) {  // No thread to be had: written here.
    write();
  }
}

Status IndexBuilder::Impl::finish_words(WordsTask* task, BuildStats* stats) {
  if (task->thread.joinable()) task->thread.join();
  SCRY_RETURN_IF_ERROR(task->status);
  stats->segment.words = task->words;
  stats->segment.has_words = true;
  stats->index_bytes += task->bytes;
  for (WordCounter& words : word_counts) words = WordCounter();
  return Status::ok();
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
  SCRY_RETURN_IF_ERROR(s.check_cancel());
  if (s.pool) {
    SCRY_RETURN_IF_ERROR(s.end_round());
    while (!s.cur->empty() || !s.prev->empty()) {
      SCRY_RETURN_IF_ERROR(s.check_cancel());
      SCRY_RETURN_IF_ERROR(s.start_round());
      SCRY_RETURN_IF_ERROR(s.end_round());
    }
    s.store_queue->close();
  }
  BuildStats stats;
  stats.documents = s.next_doc;
  stats.replaced = s.replaced.size();
  for (const auto& shard : s.shards) stats.runs += shard->runs.size();

  // The store's thread may still be compressing the last batches, then
  // finishes the store: it is waited for once the postings are written
  // (the crew used to wait idle).
  SCRY_RETURN_IF_ERROR(s.write_norms(&stats));
  WordsTask words;
  s.start_words(&words);
  SCRY_RETURN_IF_ERROR(s.check_cancel());

  auto terms = FileWriter::create(s.path(".terms"), kKindTerms);
  if (!terms) return terms.status();
  auto postings = FileWriter::create(s.path(".post"), kKindPostings);
  if (!postings) return postings.status();
  auto positions = FileWriter::create(s.path(".pos"), kKindPositions);
  if (!positions) return positions.status();
  auto merged = merge_runs(s.shards, s.lengths, s.pool.get(), s.dir, terms->get(), postings->get(),
                           positions->get());
  if (!merged) return merged.status();
  stats.terms = merged->terms;
  stats.postings = merged->postings;
  stats.positions = merged->positions;
  for (auto* f : {terms->get(), postings->get(), positions->get()}) {
    stats.index_bytes += file_bytes(*f);
    SCRY_RETURN_IF_ERROR(f->finish());
  }
  for (auto& shard : s.shards) {
    shard->inverter.clear();
    for (const auto& run : shard->runs) ::unlink(run.c_str());
    shard->runs.clear();
  }
  SCRY_RETURN_IF_ERROR(s.finish_words(&words, &stats));
  if (s.store_queue) {
    SCRY_RETURN_IF_ERROR(s.store_queue->finish());
  } else {
    SCRY_RETURN_IF_ERROR(s.store->finish());
  }
  stats.stored_text_bytes = file_bytes(*s.store_file);
  stats.index_bytes += stats.stored_text_bytes;
  SCRY_RETURN_IF_ERROR(s.store_file->finish());
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
  if (s.options.write_manifest) {
    SCRY_RETURN_IF_ERROR(write_file_table(s.dir + "/FILES", {}));
    SCRY_RETURN_IF_ERROR(s.write_manifest(&stats));
  }
  return stats;
}

}  // namespace scry
