// CollectionStatistics: what ranking needs to know of the whole collection:
// the number of documents, each field's average length, each term's
// document frequency, and the terms that start with a prefix or are near a
// word (for prefix and fuzzy expansion). Planning (query/planner.h) and weighting (search/weight.h)
// read the collection only through it, so that a query over several indexes
// (shards) ranks as one index would when it is given statistics summed over
// them (Lucene's CollectionStatistics and TermStatistics; Elasticsearch's
// dfs_query_then_fetch).
//
// IndexStatistics is the statistics of one opened index: summed over its
// segments, deleted documents included until their segment is merged (as
// in Lucene; docs/SEGMENTS.md).
//
// Thread safety: IndexStatistics without TermLookups is immutable; its
// methods may be called from several threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scry/format/format.h"
#include "scry/format/index_reader.h"
#include "scry/search/term_lookups.h"
#include "scry/util/status.h"

namespace scry {

class CollectionStatistics {
 public:
  virtual ~CollectionStatistics() = default;

  // Documents in the collection (N of BM25).
  virtual uint64_t documents() const = 0;
  // Average length of `field` in tokens over the collection's documents.
  virtual double average_length(Field field) const = 0;
  // Sum of the lengths of `field` in tokens over the collection's
  // documents (average_length() is it over documents(); summing it is how
  // shards' statistics add up exactly, summed_statistics.h).
  virtual uint64_t total_length(Field field) const = 0;
  // Documents holding `term` in `field`. Errors: Corruption, naming the
  // file, when a dictionary cannot be read.
  virtual Result<uint64_t> document_frequency(Field field, const std::string& term) const = 0;
  // The terms of `field` that start with `prefix`, each with its document
  // frequency, in byte order. Errors: as document_frequency().
  virtual Result<std::vector<std::pair<std::string, uint64_t>>> prefix_terms(
      Field field, const std::string& prefix) const = 0;
  // The terms of `field` within `max_edits` (0..kMaxFuzzyEdits) edits of
  // `word`, transpositions counting one (text/levenshtein_automaton.h),
  // each with its document frequency, in byte order. Found by walking the
  // dictionary's trie with the automaton (format 6), or, in older segments,
  // its sorted keys, seeking past every prefix the automaton rejects.
  // Errors: as document_frequency().
  virtual Result<std::vector<std::pair<std::string, uint64_t>>> fuzzy_terms(
      Field field, const std::string& word, int max_edits) const = 0;
};

// BM25's idf of `term` in `field` (score/bm25.h): ln(1 + (N - df + 0.5) /
// (df + 0.5)) with the collection's N and df. Errors: document_frequency()'s.
Result<double> term_idf(const CollectionStatistics& stats, Field field, const std::string& term);
// The same for a term whose df is `df`.
double df_idf(const CollectionStatistics& stats, uint64_t df);

class IndexStatistics final : public CollectionStatistics {
 public:
  // `index` (and `lookups`) must outlive this object. With `lookups`,
  // document_frequency() records there each segment's dictionary entry it
  // read (term_lookups.h); such statistics are for one thread.
  explicit IndexStatistics(const IndexReader& index, TermLookups* lookups = nullptr)
      : index_(index), lookups_(lookups) {}

  uint64_t documents() const override;
  double average_length(Field field) const override;
  uint64_t total_length(Field field) const override;
  Result<uint64_t> document_frequency(Field field, const std::string& term) const override;
  Result<std::vector<std::pair<std::string, uint64_t>>> prefix_terms(
      Field field, const std::string& prefix) const override;
  Result<std::vector<std::pair<std::string, uint64_t>>> fuzzy_terms(Field field,
                                                                    const std::string& word,
                                                                    int max_edits) const override;

 private:
  const IndexReader& index_;
  TermLookups* lookups_;
};

}  // namespace scry
