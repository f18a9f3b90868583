#include "scry/index/index_builder.h"

#include <unistd.h>

#include <functional>
#include <queue>

#include "scry/codec/varint.h"
#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/format/postings.h"
#include "scry/format/term_dictionary.h"
#include "scry/index/inverter.h"
#include "scry/index/run_file.h"
#include "scry/util/file.h"

namespace scry {

namespace {

constexpr const char* kSegmentName = "seg1";

// The set of external ids seen so far: the id bytes in one arena and an
// open-addressing table of indexes into it (about 12 bytes an id plus the
// id itself, instead of a node-based set's ~80).
class IdSet {
 public:
  // Inserts `id`; false when it was already present.
  bool insert(std::string_view id) {
    if ((offsets_.size() + 1) * 2 > slots_.size()) grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = std::hash<std::string_view>{}(id) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == 0) {
        offsets_.push_back(arena_.size());
        arena_.append(id);
        slots_[i] = static_cast<uint32_t>(offsets_.size());
        return true;
      }
      if (get(slots_[i] - 1) == id) return false;
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
  std::vector<uint32_t> slots_;
};

// One sorted input of the final merge: a run file or the in-memory entries.
class MergeSource {
 public:
  explicit MergeSource(std::unique_ptr<RunReader> run) : run_(std::move(run)) {}
  explicit MergeSource(std::vector<std::pair<std::string_view, const Inverter::Entry*>> entries)
      : entries_(std::move(entries)) {}

  // Moves to the next record; false at the end.
  bool advance() {
    if (run_) return run_->next();
    return ++next_ <= entries_.size();
  }
  std::string_view key() const { return run_ ? run_->key() : entries_[next_ - 1].first; }
  std::string_view stream() const {
    return run_ ? std::string_view(run_->stream()) : entries_[next_ - 1].second->stream;
  }
  Status status() const { return run_ ? run_->status() : Status::ok(); }

 private:
  std::unique_ptr<RunReader> run_;
  std::vector<std::pair<std::string_view, const Inverter::Entry*>> entries_;
  size_t next_ = 0;
};

uint64_t file_bytes(const FileWriter& f) { return f.offset() + kFooterSize; }

}  // namespace

struct IndexBuilder::Impl {
  Impl(std::string d, const BuildOptions& o) : dir(std::move(d)), options(o), analyzer(o.analyzer) {}

  Status flush_run();
  Status merge(FileWriter* terms, FileWriter* postings, FileWriter* positions, BuildStats* stats);
  Status write_norms(BuildStats* stats);
  Status write_manifest(BuildStats* stats) const;
  std::string path(const char* ext) const { return dir + "/" + kSegmentName + ext; }

  std::string dir;
  BuildOptions options;
  Analyzer analyzer;
  Inverter inverter;
  std::unique_ptr<FileWriter> store_file;
  std::unique_ptr<DocStoreWriter> store;
  std::vector<uint32_t> lengths[kFieldCount];
  std::array<uint64_t, kFieldCount> length_sums{};
  IdSet ids;
  std::vector<std::string> runs;
  uint32_t next_doc = 0;
  uint64_t duplicates = 0;
  bool finished = false;
};

IndexBuilder::IndexBuilder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

IndexBuilder::~IndexBuilder() {
  for (const auto& run : impl_->runs) ::unlink(run.c_str());
}

Result<std::unique_ptr<IndexBuilder>> IndexBuilder::create(const std::string& dir,
                                                           const BuildOptions& options) {
  auto impl = std::make_unique<Impl>(dir, options);
  auto store_file = FileWriter::create(impl->path(".store"), kKindStore);
  if (!store_file) return store_file.status();
  impl->store_file = std::move(store_file).value();
  impl->store = std::make_unique<DocStoreWriter>(impl->store_file.get());
  return std::unique_ptr<IndexBuilder>(new IndexBuilder(std::move(impl)));
}

size_t IndexBuilder::memory_bytes() const { return impl_->inverter.memory_bytes(); }

Result<IndexBuilder::Added> IndexBuilder::add(const Document& doc) {
  Impl& s = *impl_;
  assert(!s.finished);
  if (s.next_doc == PostingsCursor::kEnd - 1) {
    return Status::invalid_argument(doc.source + ": too many documents for one index (2^32 - 2)");
  }
  if (!s.ids.insert(doc.id)) {
    ++s.duplicates;
    return Added::kDuplicate;
  }
  uint32_t d = s.next_doc++;
  s.inverter.begin_document(d);
  // Lengths count indexed tokens; positions also count left-out stop words.
  uint32_t title_len = 0;
  uint32_t title_positions = s.analyzer.analyze(doc.title, [&](const Token& t) {
    s.inverter.add_token(Field::kTitle, t.term, t.position);
    s.inverter.add_token(Field::kText, t.term, t.position);
    ++title_len;
  });
  uint32_t base = title_positions == 0 ? 0 : title_positions + kTitleBodyPositionGap;
  uint32_t body_len = 0;
  uint32_t body_positions = s.analyzer.analyze(doc.body, [&](const Token& t) {
    s.inverter.add_token(Field::kText, t.term, base + t.position);
    ++body_len;
  });
  if (uint64_t{base} + body_positions >= PostingsCursor::kEnd) {
    return Status::invalid_argument(doc.source + ": too many tokens in one document");
  }
  s.inverter.end_document();
  uint32_t text_len = title_len + body_len;
  s.lengths[static_cast<size_t>(Field::kText)].push_back(text_len);
  s.lengths[static_cast<size_t>(Field::kTitle)].push_back(title_len);
  s.length_sums[static_cast<size_t>(Field::kText)] += text_len;
  s.length_sums[static_cast<size_t>(Field::kTitle)] += title_len;
  SCRY_RETURN_IF_ERROR(s.store->add({doc.id, doc.title, doc.source, text_len, doc.body}));
  if (s.inverter.memory_bytes() > s.options.memory_budget) SCRY_RETURN_IF_ERROR(s.flush_run());
  return Added::kAdded;
}

Status IndexBuilder::Impl::flush_run() {
  std::string run_path = dir + "/run-" + std::to_string(runs.size()) + ".tmp";
  runs.push_back(run_path);
  SCRY_RETURN_IF_ERROR(write_run(run_path, inverter.sorted()));
  inverter.clear();
  return Status::ok();
}

Status IndexBuilder::Impl::merge(FileWriter* terms, FileWriter* postings, FileWriter* positions,
                                 BuildStats* stats) {
  std::vector<MergeSource> sources;
  for (const auto& run : runs) {
    auto reader = RunReader::open(run);
    if (!reader) return reader.status();
    sources.emplace_back(std::move(reader).value());
  }
  sources.emplace_back(inverter.sorted());

  // Smallest key first; equal keys in source order, which is doc-id order.
  using Head = std::pair<std::string_view, size_t>;
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heap;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (sources[i].advance()) heap.emplace(sources[i].key(), i);
    SCRY_RETURN_IF_ERROR(sources[i].status());
  }
  PostingsWriter writer(postings, positions);
  TermDictionaryWriter dictionary(terms);
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
    dictionary.add(key, info);
    stats->postings += info.df;
    stats->positions += info.cf;
  }
  dictionary.finish();
  stats->terms = dictionary.term_count();
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
  SegmentMeta seg;
  seg.name = kSegmentName;
  seg.documents = next_doc;
  seg.terms = stats->terms;
  seg.postings = stats->postings;
  seg.positions = stats->positions;
  seg.field_lengths = length_sums;
  m.segments.push_back(seg);
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
  BuildStats stats;
  stats.documents = s.next_doc;
  stats.duplicates = s.duplicates;
  stats.runs = s.runs.size();

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
  s.inverter.clear();
  for (const auto& run : s.runs) ::unlink(run.c_str());
  s.runs.clear();
  SCRY_RETURN_IF_ERROR(s.write_manifest(&stats));
  return stats;
}

}  // namespace scry
