#include "index/segment_merger.h"

#include <unistd.h>

#include <map>
#include <string_view>
#include <utility>

#include "index/merging_iterator.h"
#include "scry/codec/varint.h"
#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/format/postings.h"
#include "scry/format/term_dictionary.h"
#include "scry/format/word_dictionary.h"
#include "scry/text/analyzer.h"
#include "scry/util/file.h"

namespace scry {

namespace {

constexpr uint32_t kDeleted = PostingsCursor::kEnd;
// As IndexBuilder: doc ids stay below kEnd - 1.
constexpr uint64_t kMaxDocuments = uint64_t{PostingsCursor::kEnd} - 1;
// The .norms bytes are written in pieces of about this size.
constexpr size_t kNormsBufferBytes = size_t{64} << 10;

// One input segment: where its live documents go, and its dictionary walk.
struct Input {
  Input(const SegmentReader* s, uint32_t b) : segment(s), base(b), terms(s->terms_from("")) {}

  // The new id of live document `doc`, kDeleted for a deleted one.
  uint32_t new_id(uint32_t doc) const { return map.empty() ? base + doc : map[doc]; }
  bool live(uint32_t doc) const { return !segment->is_deleted(doc); }

  const SegmentReader* segment;
  uint32_t base;              // New id of its first live document.
  std::vector<uint32_t> map;  // Old id -> new id; empty when nothing is deleted.
  TermDictionaryReader::Iterator terms;
};

Status damaged(const Input& in, const std::string& what) {
  return Status::corruption("segment " + in.segment->meta().name + ": " + what);
}

Status copy_store(const std::vector<Input>& inputs, const std::string& path) {
  auto out = FileWriter::create(path, kKindStore);
  if (!out) return out.status();
  DocStoreWriter store(out->get());
  for (const Input& in : inputs) {
    for (uint32_t d = 0; d < in.segment->doc_count(); ++d) {
      if (!in.live(d)) continue;
      auto doc = in.segment->document(d);
      if (!doc) {
        // Out of range here means the store holds fewer documents than the
        // manifest says.
        if (doc.status().code() == Status::Code::kCorruption) return doc.status();
        return damaged(in, doc.status().message());
      }
      if (doc->length != in.segment->doc_length(Field::kText, d)) {
        return damaged(in, "stored length of document " + std::to_string(d) +
                               " does not match its .norms length");
      }
      SCRY_RETURN_IF_ERROR(store.add(*doc));
    }
  }
  SCRY_RETURN_IF_ERROR(store.finish());
  return (*out)->finish();
}

// The layout of IndexBuilder::Impl::write_norms (docs/FORMAT.md, ".norms"),
// written field by field as the lengths are read.
Status write_norms(const std::vector<Input>& inputs, uint32_t documents, const std::string& path,
                   SegmentMeta* meta) {
  auto out = FileWriter::create(path, kKindNorms);
  if (!out) return out.status();
  std::string bytes;
  put_fixed32(&bytes, kFieldCount);
  put_fixed32(&bytes, documents);
  for (size_t f = 0; f < kFieldCount; ++f) {
    const auto field = static_cast<Field>(f);
    for (const Input& in : inputs) {
      for (uint32_t d = 0; d < in.segment->doc_count(); ++d) {
        if (!in.live(d)) continue;
        const uint32_t len = in.segment->doc_length(field, d);
        put_fixed32(&bytes, len);
        meta->field_lengths[f] += len;
        if (bytes.size() >= kNormsBufferBytes) {
          (*out)->append(bytes);
          bytes.clear();
        }
      }
    }
  }
  (*out)->append(bytes);
  return (*out)->finish();
}

// The k-way merge of the dictionaries: for each key, the live postings of
// each input in input order, renumbered.
Status merge_postings(std::vector<Input>* inputs, const std::string& prefix, SegmentMeta* meta) {
  auto terms = FileWriter::create(prefix + ".terms", kKindTerms);
  if (!terms) return terms.status();
  auto postings = FileWriter::create(prefix + ".post", kKindPostings);
  if (!postings) return postings.status();
  auto positions = FileWriter::create(prefix + ".pos", kKindPositions);
  if (!positions) return positions.status();
  TermDictionaryWriter dictionary(terms->get());
  PostingsWriter writer(postings->get(), positions->get());

  // Keys in order; a key's entries in input order, so its postings come
  // in new doc-id order.
  std::vector<TermDictionaryReader::Iterator*> children;
  for (Input& in : *inputs) children.push_back(&in.terms);
  MergingIterator<TermDictionaryReader::Iterator> merger(std::move(children));
  SCRY_RETURN_IF_ERROR(merger.status());

  std::string key;
  std::vector<uint32_t> pos;
  while (merger.valid()) {
    key.assign(merger.key());
    bool begun = false;  // The term has a live posting (begin_term() called).
    uint32_t last = 0;   // The new id of its last posting.
    while (merger.valid() && merger.key() == key) {
      Input& in = (*inputs)[merger.child()];
      if (key.empty() || static_cast<uint8_t>(key[0]) >= kFieldCount) {
        return damaged(in, "term key with an unknown field");
      }
      const auto field = static_cast<Field>(key[0]);
      PostingsCursor cursor = in.segment->postings(in.terms.info());
      for (; cursor.doc() != PostingsCursor::kEnd; cursor.next()) {
        const uint32_t doc = in.new_id(cursor.doc());
        if (doc == kDeleted) continue;
        SCRY_RETURN_IF_ERROR(cursor.positions(&pos));
        const uint32_t len = in.segment->doc_length(field, cursor.doc());
        if (pos.empty() || pos.size() > len || (begun && doc <= last)) {
          return damaged(in, "postings do not match the document lengths");
        }
        if (!begun) writer.begin_term();
        begun = true;
        writer.add(doc, len, pos);
        last = doc;
      }
      SCRY_RETURN_IF_ERROR(cursor.status());
      merger.next();
      if (in.terms.valid() && in.terms.key() <= key) return damaged(in, "term keys out of order");
      SCRY_RETURN_IF_ERROR(merger.status());
    }
    if (!begun) continue;  // Every posting was deleted: the term disappears.
    TermInfo info = writer.end_term();
    meta->postings += info.df;
    meta->positions += info.cf;
    dictionary.add(key, info);
  }
  dictionary.finish();
  meta->terms = dictionary.term_count();
  for (auto* f : {terms->get(), postings->get(), positions->get()}) {
    SCRY_RETURN_IF_ERROR(f->finish());
  }
  return Status::ok();
}

// The words of the deleted documents of `in`, with their counts: their
// stored titles and bodies analyzed again (the words do not depend on
// stemming or the stop list, so any configuration of the analyzer's
// version gives them).
Result<std::map<std::string, uint64_t>> deleted_words(const Input& in) {
  std::map<std::string, uint64_t> words;
  if (in.segment->deletions().count() == 0) return words;
  AnalyzerConfig config;
  config.stem = false;
  Analyzer analyzer(config);
  for (uint32_t d = 0; d < in.segment->doc_count(); ++d) {
    if (in.live(d)) continue;
    auto doc = in.segment->document(d);
    if (!doc) return doc.status();
    for (const std::string* text : {&doc->title, &doc->body}) {
      analyzer.analyze(*text, [&](const Token& t) {
        if (!t.word.empty()) ++words[std::string(t.word)];
      });
    }
  }
  return words;
}

// The inputs' word dictionaries merged into `path`, counts summed, the
// words of deleted documents taken out (docs/SPELLING.md): the file a
// build of the live documents writes. Nothing when an input has none.
Status merge_words(const std::vector<Input>& inputs, const std::string& path, SegmentMeta* meta) {
  std::vector<WordDictionaryReader::Iterator> its;
  std::map<std::string, uint64_t> deleted;
  for (const Input& in : inputs) {
    if (in.segment->words() == nullptr) return Status::ok();
    its.push_back(in.segment->words()->begin());
    auto words = deleted_words(in);
    if (!words) return words.status();
    for (const auto& [word, count] : *words) deleted[word] += count;
  }
  std::vector<bool> live(its.size());
  for (size_t i = 0; i < its.size(); ++i) {
    live[i] = its[i].next();
    SCRY_RETURN_IF_ERROR(its[i].status());
  }
  auto out = FileWriter::create(path, kKindWords);
  if (!out) return out.status();
  WordDictionaryWriter writer(out->get());
  std::string word;
  for (;;) {
    const WordDictionaryReader::Iterator* least = nullptr;
    for (size_t i = 0; i < its.size(); ++i) {
      if (live[i] && (least == nullptr || its[i].word() < least->word())) least = &its[i];
    }
    if (least == nullptr) break;
    word.assign(least->word());
    uint64_t count = 0;
    for (size_t i = 0; i < its.size(); ++i) {
      if (!live[i] || its[i].word() != word) continue;
      count += its[i].count();
      live[i] = its[i].next();
      SCRY_RETURN_IF_ERROR(its[i].status());
    }
    if (auto gone = deleted.find(word); gone != deleted.end()) {
      if (gone->second > count) {
        std::string message = path;
        message.append(": the deleted documents have more '")
            .append(word)
            .append("' than the segments' word dictionaries count");
        return Status::corruption(message);
      }
      count -= gone->second;
    }
    if (count > 0) writer.add(word, count);
  }
  meta->has_words = true;
  meta->words = writer.word_count();
  return writer.finish();
}

// Removes the new segment's files unless dismissed.
class Cleanup {
 public:
  explicit Cleanup(std::string prefix) : prefix_(std::move(prefix)) {}
  ~Cleanup() {
    if (dismissed_) return;
    for (const char* ext : {".store", ".norms", ".terms", ".post", ".pos", ".words"}) {
      ::unlink((prefix_ + ext).c_str());
    }
  }
  Cleanup(const Cleanup&) = delete;
  Cleanup& operator=(const Cleanup&) = delete;
  void dismiss() { dismissed_ = true; }

 private:
  std::string prefix_;
  bool dismissed_ = false;
};

}  // namespace

Result<SegmentMeta> merge_segments(const std::vector<const SegmentReader*>& segments,
                                   const std::string& dir, uint32_t number) {
  if (number == 0) return Status::invalid_argument("segment numbers start at 1");
  SegmentMeta meta;
  meta.name = segment_name(number);
  const std::string prefix = dir + "/" + meta.name;
  for (const SegmentReader* s : segments) {
    if (s->meta().name == meta.name) {
      return Status::invalid_argument(prefix + ": cannot merge segment " + meta.name +
                                      " into a segment of the same name");
    }
  }

  std::vector<Input> inputs;
  inputs.reserve(segments.size());
  uint64_t next = 0;  // The next new doc id.
  for (const SegmentReader* s : segments) {
    Input& in = inputs.emplace_back(s, static_cast<uint32_t>(next));
    if (s->deletions().count() == 0) {
      next += s->doc_count();
    } else {
      in.map.resize(s->doc_count());
      for (uint32_t d = 0; d < s->doc_count(); ++d) {
        in.map[d] = in.live(d) ? static_cast<uint32_t>(next++) : kDeleted;
      }
    }
    if (next > kMaxDocuments) {
      return Status::invalid_argument(prefix + ": too many documents for one segment (2^32 - 2)");
    }
  }
  meta.documents = static_cast<uint32_t>(next);

  Cleanup cleanup(prefix);
  SCRY_RETURN_IF_ERROR(copy_store(inputs, prefix + ".store"));
  SCRY_RETURN_IF_ERROR(write_norms(inputs, meta.documents, prefix + ".norms", &meta));
  SCRY_RETURN_IF_ERROR(merge_postings(&inputs, prefix, &meta));
  SCRY_RETURN_IF_ERROR(merge_words(inputs, prefix + ".words", &meta));
  cleanup.dismiss();
  return meta;
}

}  // namespace scry
