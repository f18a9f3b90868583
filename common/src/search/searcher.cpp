#include "scry/search/searcher.h"

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <utility>

namespace scry {

namespace {

constexpr uint32_t kEnd = PostingsCursor::kEnd;

// Document-at-a-time iterator over the documents matching a plan node in
// one segment, with their scores.
class Scorer {
 public:
  virtual ~Scorer() = default;
  // The current matching doc, or kEnd.
  uint32_t doc() const { return doc_; }
  virtual void next() = 0;
  // Moves to the first matching doc >= target (never backwards).
  virtual void seek(uint32_t target) = 0;
  // The current doc's score. REQUIRES: doc() != kEnd.
  virtual double score() = 0;
  // An upper bound of score() over every document (for dynamic pruning).
  virtual double max_score() const = 0;
  // Block-max bounds: after shallow_seek(target), block_max() bounds the
  // score of every doc in [target, block_end()]. Only seek(t >= target) may
  // follow (doc() may be stale until then). By default one block spans
  // everything, bounded by max_score().
  virtual void shallow_seek(uint32_t) {}
  virtual uint32_t block_end() const { return kEnd; }
  virtual double block_max() const { return max_score(); }
  // Appends the scoring leaves' shares at the current doc.
  virtual void explain(std::vector<TermExplain>* out) = 0;
  // The first corruption met, if any.
  virtual Status status() const = 0;

 protected:
  uint32_t doc_ = kEnd;
};

class NothingScorer final : public Scorer {
 public:
  void next() override {}
  void seek(uint32_t) override {}
  double score() override { return 0; }
  double max_score() const override { return 0; }
  void explain(std::vector<TermExplain>*) override {}
  Status status() const override { return Status::ok(); }
};

// What a leaf needs to score: BM25, statistics and the segment's lengths.
struct LeafContext {
  const SegmentReader* segment;
  Bm25::FieldWeight weight;  // BM25 with the field's average length.
  Field field;
  double boost;
};

// A leaf's score bounds from one postings cursor's impacts: the score of a
// posting with (tf, dl) is at most boost * BM25(idf, tf, dl) maximised over
// the impacts of its block (of its list, `max_score`, for a short list).
// For a phrase, the cursor is its rarest term's: the phrase occurs at most
// as often as the term in each document.
class BlockBound {
 public:
  BlockBound(const LeafContext& ctx, double idf, double max_score)
      : ctx_(ctx), idf_(idf), max_score_(max_score) {}
  double max_score() const { return max_score_; }
  void shallow_seek(PostingsCursor* cursor, uint32_t target) {
    cursor->shallow_seek(target);
    exhausted_before_ = cursor->doc() == kEnd || cursor->block_last_doc() < target;
  }
  uint32_t block_end(const PostingsCursor& cursor) const {
    return exhausted_before_ ? kEnd : cursor.block_last_doc();
  }
  double block_max(const PostingsCursor& cursor) const {
    if (exhausted_before_) return 0;
    const std::vector<Impact>& impacts = cursor.block_impacts();
    if (impacts.empty()) return max_score_;  // A short list: one block.
    if (cached_block_ != cursor.block_last_doc()) {
      cached_block_ = cursor.block_last_doc();
      cached_max_ = max_weight(ctx_, idf_, impacts);
    }
    return cached_max_;
  }
  // The largest boost * BM25 over `impacts`.
  static double max_weight(const LeafContext& ctx, double idf, const std::vector<Impact>& impacts) {
    double max = 0;
    for (const Impact& i : impacts) {
      max = std::max(max, ctx.boost * ctx.weight(idf, i.tf, i.doc_len));
    }
    return max;
  }

 private:
  LeafContext ctx_;
  double idf_;
  double max_score_;
  bool exhausted_before_ = false;  // No posting at or after the shallow target.
  mutable uint32_t cached_block_ = kEnd;  // The block whose bound is cached_max_.
  mutable double cached_max_ = 0;
};

class TermScorer final : public Scorer {
 public:
  // `max_score` bounds the term's score in this segment.
  TermScorer(const LeafContext& ctx, const TermInfo& info, double idf, double max_score,
             std::string term)
      : ctx_(ctx),
        cursor_(ctx.segment->postings(info)),
        idf_(idf),
        bound_(ctx, idf, max_score),
        term_(std::move(term)) {
    doc_ = cursor_.doc();
  }
  void next() override {
    cursor_.next();
    doc_ = cursor_.doc();
  }
  void seek(uint32_t target) override {
    cursor_.seek(target);
    doc_ = cursor_.doc();
  }
  double score() override {
    return ctx_.boost * ctx_.weight(idf_, cursor_.freq(), length());
  }
  double max_score() const override { return bound_.max_score(); }
  void shallow_seek(uint32_t target) override { bound_.shallow_seek(&cursor_, target); }
  uint32_t block_end() const override { return bound_.block_end(cursor_); }
  double block_max() const override { return bound_.block_max(cursor_); }
  void explain(std::vector<TermExplain>* out) override {
    out->push_back({term_, ctx_.field, idf_, cursor_.freq(), length(), score()});
  }
  Status status() const override { return cursor_.status(); }

 private:
  uint32_t length() const { return ctx_.segment->doc_length(ctx_.field, doc_); }

  LeafContext ctx_;
  PostingsCursor cursor_;
  double idf_;
  BlockBound bound_;
  std::string term_;
};

// Documents where the terms occur at their offsets from the first term.
class PhraseScorer final : public Scorer {
 public:
  // `rarest` indexes the term with the fewest postings; `max_score` bounds
  // the phrase's score in this segment.
  PhraseScorer(const LeafContext& ctx, const std::vector<TermInfo>& infos,
               std::vector<uint32_t> offsets, size_t rarest, double idf, double max_score,
               std::string text)
      : ctx_(ctx),
        offsets_(std::move(offsets)),
        rarest_(rarest),
        idf_(idf),
        bound_(ctx, idf, max_score),
        text_(std::move(text)) {
    for (const TermInfo& info : infos) cursors_.push_back(ctx.segment->postings(info));
    positions_.resize(cursors_.size());
    advance(0);
  }
  void next() override {
    if (doc_ != kEnd) advance(doc_ + 1);
  }
  void seek(uint32_t target) override {
    if (doc_ != kEnd && doc_ < target) advance(target);
  }
  double score() override {
    return ctx_.boost * ctx_.weight(idf_, phrase_tf_, length());
  }
  double max_score() const override { return bound_.max_score(); }
  void shallow_seek(uint32_t target) override { bound_.shallow_seek(&cursors_[rarest_], target); }
  uint32_t block_end() const override { return bound_.block_end(cursors_[rarest_]); }
  double block_max() const override { return bound_.block_max(cursors_[rarest_]); }
  void explain(std::vector<TermExplain>* out) override {
    out->push_back({text_, ctx_.field, idf_, phrase_tf_, length(), score()});
  }
  Status status() const override {
    for (const auto& c : cursors_) {
      if (!c.status().is_ok()) return c.status();
    }
    return status_;
  }

 private:
  uint32_t length() const { return ctx_.segment->doc_length(ctx_.field, doc_); }

  // Moves to the first doc >= target where all terms occur and the phrase
  // does.
  void advance(uint32_t target) {
    for (;;) {
      // Leapfrog until every cursor agrees on one doc.
      uint32_t d = target;
      for (bool agreed = false; !agreed;) {
        agreed = true;
        for (auto& c : cursors_) {
          c.seek(d);
          if (c.doc() == kEnd) {
            doc_ = kEnd;
            return;
          }
          if (c.doc() != d) {
            d = c.doc();
            agreed = false;
          }
        }
      }
      phrase_tf_ = count_phrases();
      if (phrase_tf_ > 0 || !status_.is_ok()) {
        doc_ = status_.is_ok() ? d : kEnd;
        return;
      }
      target = d + 1;
    }
  }

  // Occurrences of the phrase in the current doc of every cursor.
  uint32_t count_phrases() {
    for (size_t i = 0; i < cursors_.size(); ++i) {
      Status s = cursors_[i].positions(&positions_[i]);
      if (!s.is_ok()) {
        status_ = s;
        return 0;
      }
    }
    uint32_t count = 0;
    at_.assign(cursors_.size(), 0);  // Keeps its capacity: no allocation per document.
    for (uint32_t start : positions_[0]) {
      bool all = true;
      for (size_t i = 1; i < cursors_.size() && all; ++i) {
        const auto& p = positions_[i];
        uint64_t want = uint64_t{start} + offsets_[i];
        while (at_[i] < p.size() && p[at_[i]] < want) ++at_[i];
        all = at_[i] < p.size() && p[at_[i]] == want;
      }
      if (all) ++count;
    }
    return count;
  }

  LeafContext ctx_;
  std::vector<PostingsCursor> cursors_;
  std::vector<uint32_t> offsets_;  // One per cursor, from 0.
  size_t rarest_;
  std::vector<std::vector<uint32_t>> positions_;
  std::vector<size_t> at_;  // count_phrases(): each cursor's place in its positions.
  double idf_;
  BlockBound bound_;
  std::string text_;
  uint32_t phrase_tf_ = 0;
  Status status_;
};

// Whether any of `scorers` matches `doc` (seeking them to it).
bool any_at(const std::vector<std::unique_ptr<Scorer>>& scorers, uint32_t doc) {
  for (const auto& s : scorers) {
    s->seek(doc);
    if (s->doc() == doc) return true;
  }
  return false;
}

// must / should / must_not.
class BoolScorer final : public Scorer {
 public:
  BoolScorer(std::vector<std::unique_ptr<Scorer>> must, std::vector<std::unique_ptr<Scorer>> should,
             std::vector<std::unique_ptr<Scorer>> must_not)
      : must_(std::move(must)), should_(std::move(should)), must_not_(std::move(must_not)) {
    if (must_.empty() && should_.empty()) return;  // Matches nothing.
    settle(0);
  }
  void next() override {
    if (doc_ == kEnd) return;
    if (must_.empty()) {
      for (auto& s : should_) {
        if (s->doc() == doc_) s->next();
      }
      settle(0);
    } else {
      must_[0]->next();
      settle(must_[0]->doc());
    }
  }
  void seek(uint32_t target) override {
    if (doc_ == kEnd || doc_ >= target) return;
    if (must_.empty()) {
      for (auto& s : should_) s->seek(target);
    }
    settle(target);
  }
  double score() override {
    double sum = 0;
    for (auto& m : must_) sum += m->score();
    for (auto& s : should_) {
      if (s->doc() == doc_) sum += s->score();
    }
    return sum;
  }
  double max_score() const override {
    double sum = 0;
    for (const auto* list : {&must_, &should_}) {
      for (const auto& c : *list) sum += c->max_score();
    }
    return sum;
  }
  // The scoring clauses' blocks: bounded up to where the first one ends.
  void shallow_seek(uint32_t target) override {
    for (const auto* list : {&must_, &should_}) {
      for (const auto& c : *list) c->shallow_seek(target);
    }
  }
  uint32_t block_end() const override {
    uint32_t end = kEnd;
    for (const auto* list : {&must_, &should_}) {
      for (const auto& c : *list) end = std::min(end, c->block_end());
    }
    return end;
  }
  double block_max() const override {
    double sum = 0;
    for (const auto* list : {&must_, &should_}) {
      for (const auto& c : *list) sum += c->block_max();
    }
    return sum;
  }
  void explain(std::vector<TermExplain>* out) override {
    for (auto& m : must_) m->explain(out);
    for (auto& s : should_) {
      if (s->doc() == doc_) s->explain(out);
    }
  }
  Status status() const override {
    for (const auto* list : {&must_, &should_, &must_not_}) {
      for (const auto& s : *list) SCRY_RETURN_IF_ERROR(s->status());
    }
    return Status::ok();
  }

 private:
  // Finds the first doc >= target that matches, positions every clause.
  void settle(uint32_t target) {
    for (;;) {
      uint32_t d = must_.empty() ? min_should() : agree_musts(target);
      if (d == kEnd) {
        doc_ = kEnd;
        return;
      }
      if (!excluded(d)) {
        if (!must_.empty()) {
          for (auto& s : should_) s->seek(d);
        }
        doc_ = d;
        return;
      }
      if (must_.empty()) {
        for (auto& s : should_) {
          if (s->doc() == d) s->next();
        }
      } else {
        must_[0]->next();
      }
      target = d + 1;
    }
  }

  uint32_t min_should() const {
    uint32_t d = kEnd;
    for (const auto& s : should_) d = std::min(d, s->doc());
    return d;
  }

  // Leapfrogs the required clauses to the first doc >= target they share.
  uint32_t agree_musts(uint32_t target) {
    if (target == kEnd) return kEnd;
    uint32_t d = target;
    for (bool agreed = false; !agreed;) {
      agreed = true;
      for (auto& m : must_) {
        m->seek(d);
        if (m->doc() == kEnd) return kEnd;
        if (m->doc() != d) {
          d = m->doc();
          agreed = false;
        }
      }
    }
    return d;
  }

  bool excluded(uint32_t d) { return any_at(must_not_, d); }

  std::vector<std::unique_ptr<Scorer>> must_;
  std::vector<std::unique_ptr<Scorer>> should_;
  std::vector<std::unique_ptr<Scorer>> must_not_;
};

// Collection-wide idf of the terms a search meets, computed once.
class StatsCache {
 public:
  explicit StatsCache(const Searcher& searcher) : searcher_(searcher) {}
  Result<double> idf(Field field, const std::string& term) {
    auto key = std::make_pair(field, term);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    auto stats = searcher_.term_stats(field, term);
    if (!stats) return stats.status();
    cache_.emplace(key, stats->idf);
    return stats->idf;
  }

 private:
  const Searcher& searcher_;
  std::map<std::pair<Field, std::string>, double> cache_;
};

struct BuildContext {
  const SegmentReader* segment;
  const IndexReader* index;
  Bm25 bm25;
  StatsCache* stats;
  bool bounds;  // Compute terms' score bounds (for pruning); else +infinity.
};

// The largest score of a leaf whose postings are bounded by `info`'s
// impacts in the segment (its own for a term, its rarest term's for a
// phrase), with the leaf's idf.
Result<double> leaf_max_score(const LeafContext& leaf, const TermInfo& info, double idf) {
  auto impacts = leaf.segment->term_impacts(leaf.field, info);
  if (!impacts) return impacts.status();
  return BlockBound::max_weight(leaf, idf, *impacts);
}

Result<std::unique_ptr<Scorer>> build_scorer(const PlanNode& node, const BuildContext& ctx);

Result<std::vector<std::unique_ptr<Scorer>>> build_list(const std::vector<PlanNode>& nodes,
                                                        const BuildContext& ctx) {
  std::vector<std::unique_ptr<Scorer>> out;
  for (const PlanNode& n : nodes) {
    auto s = build_scorer(n, ctx);
    if (!s) return s.status();
    out.push_back(std::move(s).value());
  }
  return out;
}

Result<std::unique_ptr<Scorer>> build_scorer(const PlanNode& node, const BuildContext& ctx) {
  LeafContext leaf{ctx.segment,
                   Bm25::FieldWeight(ctx.bm25, ctx.index->manifest().average_length(node.field)),
                   node.field, node.boost};
  switch (node.kind) {
    case PlanNode::Kind::kNothing:
      return std::unique_ptr<Scorer>(std::make_unique<NothingScorer>());
    case PlanNode::Kind::kTerm: {
      auto info = ctx.segment->find(node.field, node.terms.at(0));
      if (!info) return info.status();
      if (!info->has_value()) return std::unique_ptr<Scorer>(std::make_unique<NothingScorer>());
      auto idf = ctx.stats->idf(node.field, node.terms[0]);
      if (!idf) return idf.status();
      Result<double> max_score = std::numeric_limits<double>::infinity();
      if (ctx.bounds) max_score = leaf_max_score(leaf, **info, *idf);
      if (!max_score) return max_score.status();
      return std::unique_ptr<Scorer>(
          std::make_unique<TermScorer>(leaf, **info, *idf, *max_score, node.terms[0]));
    }
    case PlanNode::Kind::kPhrase: {
      std::vector<TermInfo> infos;
      double idf_sum = 0;
      std::string text;
      for (const std::string& term : node.terms) {
        auto info = ctx.segment->find(node.field, term);
        if (!info) return info.status();
        if (!info->has_value()) return std::unique_ptr<Scorer>(std::make_unique<NothingScorer>());
        infos.push_back(**info);
        auto idf = ctx.stats->idf(node.field, term);
        if (!idf) return idf.status();
        idf_sum += *idf;
        text += (text.empty() ? "" : " ") + term;
      }
      if (!node.offsets.empty() && node.offsets.size() != node.terms.size()) {
        return Status::invalid_argument("phrase plan: one offset per term needed");
      }
      std::vector<uint32_t> offsets = node.offsets;
      if (offsets.empty()) {
        for (uint32_t i = 0; i < node.terms.size(); ++i) offsets.push_back(i);
      }
      size_t rarest = 0;
      for (size_t i = 1; i < infos.size(); ++i) {
        if (infos[i].df < infos[rarest].df) rarest = i;
      }
      Result<double> max_score = std::numeric_limits<double>::infinity();
      if (ctx.bounds) max_score = leaf_max_score(leaf, infos[rarest], idf_sum);
      if (!max_score) return max_score.status();
      return std::unique_ptr<Scorer>(std::make_unique<PhraseScorer>(
          leaf, infos, std::move(offsets), rarest, idf_sum, *max_score, "\"" + text + "\""));
    }
    case PlanNode::Kind::kBool: {
      auto must = build_list(node.must, ctx);
      if (!must) return must.status();
      auto should = build_list(node.should, ctx);
      if (!should) return should.status();
      auto must_not = build_list(node.must_not, ctx);
      if (!must_not) return must_not.status();
      return std::unique_ptr<Scorer>(std::make_unique<BoolScorer>(
          std::move(must).value(), std::move(should).value(), std::move(must_not).value()));
    }
  }
  return Status::invalid_argument("unknown plan node");
}

// A candidate of the top-k: ordered best first.
struct Candidate {
  double score;
  uint64_t global_doc;
  uint32_t segment;
  uint32_t doc;
};
bool better(const Candidate& a, const Candidate& b) {
  return a.score != b.score ? a.score > b.score : a.global_doc < b.global_doc;
}

// The best `keep` candidates offered so far. Candidates are offered in
// ascending global doc order, so a later one that ties the worst kept one
// does not enter.
class TopK {
 public:
  explicit TopK(size_t keep) : keep_(keep) {}
  // A score a new candidate must exceed to enter.
  double threshold() const {
    if (keep_ == 0) return std::numeric_limits<double>::infinity();
    return heap_.size() < keep_ ? -std::numeric_limits<double>::infinity() : heap_.front().score;
  }
  void offer(const Candidate& c) {
    if (heap_.size() < keep_) {
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (keep_ > 0 && better(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }
  // The candidates, best first.
  std::vector<Candidate> take() {
    std::sort(heap_.begin(), heap_.end(), better);
    return std::move(heap_);
  }

 private:
  size_t keep_;
  std::vector<Candidate> heap_;  // Worst candidate on top.
};

// Whether a score bounded by `bound` cannot exceed `threshold`. Bounds and
// scores are sums of the same terms in different orders, so the bound is
// widened by far more than their rounding differences.
bool cannot_enter(double bound, double threshold) {
  return bound + std::abs(bound) * 1e-9 < threshold;
}

// Every matching live document of one segment, offered to `top`.
Status exhaustive(Scorer& root, const Deletions& deleted, uint64_t base, uint32_t segment,
                  TopK* top, SearchResult* result) {
  for (; root.doc() != kEnd; root.next()) {
    if (deleted.contains(root.doc())) continue;
    ++result->total_hits;
    top->offer({root.score(), base + root.doc(), segment, root.doc()});
  }
  return root.status();
}

// Block-max MaxScore (Turtle and Flood, 1995; with block bounds as in
// Lucene's MaxScoreBulkScorer and PISA's block_max_maxscore) over the
// optional clauses of a query without required ones. Doc ids are walked in
// windows that end where the first clause's current block ends; in each
// window every clause is bounded by its block's bound. Clauses are ordered by
// that bound; the lowest ones whose bounds add up to no more than the top-k
// threshold are "non-essential": a document matching only them cannot
// enter, so only the essential clauses' documents are candidates (a window
// with no essential clause is skipped whole, its blocks undecoded), and a
// candidate stops being scored as soon as its score so far plus the bounds
// of the clauses left cannot exceed the threshold. Scores are added in the
// plan's clause order, so they equal the exhaustive ones bit for bit.
class MaxScore {
 public:
  static constexpr uint64_t kWindowDocsPerClause = 64;

  MaxScore(std::vector<std::unique_ptr<Scorer>> clauses,
           std::vector<std::unique_ptr<Scorer>> excluded)
      : clauses_(std::move(clauses)),
        excluded_(std::move(excluded)),
        order_(clauses_.size()),
        bound_(clauses_.size()),
        window_max_(clauses_.size()),
        scores_(clauses_.size()),
        matched_(clauses_.size()) {}

  // Offers the segment's live candidates to `top`; sets *complete to false
  // when some matching documents were not counted.
  Status run(const Deletions& deleted, uint64_t base, uint32_t segment, TopK* top,
             SearchResult* result, bool* complete) {
    deleted_ = &deleted;
    const size_t n = clauses_.size();
    for (uint32_t target = 0;;) {
      // The window [target, end]: up to where the first clause's block ends,
      // but at least kWindowDocsPerClause docs per clause wide, so that the
      // partitioning below (n log n) stays a small share of the work when
      // there are many clauses. A clause whose block ends inside the window
      // is bounded by its global bound.
      uint32_t end = kEnd;
      for (size_t i = 0; i < n; ++i) {
        clauses_[i]->shallow_seek(target);
        end = std::min(end, clauses_[i]->block_end());
      }
      const uint64_t narrowest = uint64_t{target} + kWindowDocsPerClause * n - 1;
      if (end < narrowest) end = static_cast<uint32_t>(std::min<uint64_t>(narrowest, kEnd - 1));
      for (size_t i = 0; i < n; ++i) {
        const Scorer& c = *clauses_[i];
        window_max_[i] = c.block_end() >= end ? c.block_max() : c.max_score();
        order_[i] = i;
      }
      std::sort(order_.begin(), order_.end(),
                [&](size_t a, size_t b) { return window_max_[a] < window_max_[b]; });
      double sum = 0;
      for (size_t i = 0; i < n; ++i) bound_[i] = sum += window_max_[order_[i]];

      size_t essential = 0;  // order_[essential..n) are the essential clauses.
      double threshold = 0;
      auto raise = [&] {
        threshold = top->threshold();
        while (essential < n && cannot_enter(bound_[essential], threshold)) ++essential;
        if (essential > 0) *complete = false;
      };
      raise();
      for (size_t i = essential; i < n; ++i) clauses_[order_[i]]->seek(target);
      for (;;) {
        uint32_t doc = kEnd;
        for (size_t i = essential; i < n; ++i) doc = std::min(doc, clauses_[order_[i]]->doc());
        if (doc == kEnd || doc > end) break;
        if (score_candidate(doc, essential, threshold, base, segment, top, result)) {
          raise();
        } else {
          *complete = false;
        }
        for (size_t i = essential; i < n; ++i) {
          Scorer& c = *clauses_[order_[i]];
          if (c.doc() == doc) c.next();
        }
      }
      if (end == kEnd) break;
      target = end + 1;
    }
    for (const auto* list : {&clauses_, &excluded_}) {
      for (const auto& c : *list) SCRY_RETURN_IF_ERROR(c->status());
    }
    return Status::ok();
  }

 private:
  // Scores `doc` on the essential clauses, then on the others while it may
  // still enter; offers it unless it is excluded. Returns false when it was
  // dropped unscored because it could not enter.
  bool score_candidate(uint32_t doc, size_t essential, double threshold, uint64_t base,
                       uint32_t segment, TopK* top, SearchResult* result) {
    if (deleted_->contains(doc)) return true;
    std::fill(matched_.begin(), matched_.end(), false);
    double partial = 0;
    auto add = [&](size_t clause) {
      scores_[clause] = clauses_[clause]->score();
      matched_[clause] = true;
      partial += scores_[clause];
    };
    for (size_t i = essential; i < order_.size(); ++i) {
      if (clauses_[order_[i]]->doc() == doc) add(order_[i]);
    }
    for (size_t i = essential; i-- > 0;) {
      if (cannot_enter(partial + bound_[i], threshold)) return false;
      Scorer& c = *clauses_[order_[i]];
      c.seek(doc);
      if (c.doc() == doc) add(order_[i]);
    }
    if (excluded(doc)) return true;
    ++result->total_hits;
    double score = 0;
    for (size_t i = 0; i < clauses_.size(); ++i) {
      if (matched_[i]) score += scores_[i];
    }
    top->offer({score, base + doc, segment, doc});
    return true;
  }

  bool excluded(uint32_t doc) { return any_at(excluded_, doc); }

  std::vector<std::unique_ptr<Scorer>> clauses_;  // In plan order.
  std::vector<std::unique_ptr<Scorer>> excluded_;
  std::vector<size_t> order_;       // Clause indexes by ascending window bound.
  std::vector<double> bound_;       // bound_[i]: sum of the bounds of order_[0..i].
  std::vector<double> window_max_;  // Each clause's bound in the current window.
  std::vector<double> scores_;      // The current candidate's clause scores.
  std::vector<bool> matched_;       // Which clauses match the current candidate.
  const Deletions* deleted_ = nullptr;  // The segment's, during run().
};

// Whether MaxScore runs over the plan's clauses: a Bool of optional clauses
// (and exclusions) only. Any other plan runs as one clause.
bool disjunction(const PlanNode& plan) {
  return plan.kind == PlanNode::Kind::kBool && plan.must.empty();
}

}  // namespace

Searcher::Searcher(const IndexReader& index) : index_(index) {}

Result<TermStats> Searcher::term_stats(Field field, const std::string& term) const {
  TermStats stats;
  for (const auto& seg : index_.segments()) {
    auto info = seg->find(field, term);
    if (!info) return info.status();
    if (info->has_value()) stats.df += (*info)->df;
  }
  uint64_t n = index_.manifest().documents();
  stats.idf = Bm25::idf(n, std::min(stats.df, n));
  return stats;
}

Result<std::vector<std::string>> Searcher::expand_prefix(Field field, const std::string& prefix,
                                                         size_t limit) const {
  std::string key = term_key(field, prefix);
  std::map<std::string, uint64_t> df;
  for (const auto& seg : index_.segments()) {
    auto it = seg->terms_from(key);
    for (; it.valid() && it.key().compare(0, key.size(), key) == 0; it.next()) {
      df[it.key().substr(1)] += it.info().df;
    }
    if (!it.status().is_ok()) return it.status();
  }
  std::vector<std::pair<std::string, uint64_t>> terms(df.begin(), df.end());
  std::stable_sort(terms.begin(), terms.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> out;
  for (size_t i = 0; i < terms.size() && i < limit; ++i) out.push_back(terms[i].first);
  return out;
}

Result<SearchResult> Searcher::search(const PlanNode& plan, const SearchOptions& options) const {
  StatsCache stats(*this);
  TopK top(options.k + options.offset);
  const bool prune = !options.count_all && options.k + options.offset > 0;
  SearchResult result;
  uint64_t base = 0;
  for (uint32_t s = 0; s < index_.segments().size(); ++s) {
    const SegmentReader& seg = *index_.segments()[s];
    BuildContext ctx{&seg, &index_, options.bm25, &stats, prune};
    if (!prune) {
      auto scorer = build_scorer(plan, ctx);
      if (!scorer) return scorer.status();
      SCRY_RETURN_IF_ERROR(exhaustive(**scorer, seg.deletions(), base, s, &top, &result));
    } else {
      std::vector<std::unique_ptr<Scorer>> clauses, excluded;
      if (disjunction(plan)) {
        auto should = build_list(plan.should, ctx);
        if (!should) return should.status();
        auto must_not = build_list(plan.must_not, ctx);
        if (!must_not) return must_not.status();
        clauses = std::move(should).value();
        excluded = std::move(must_not).value();
      } else {
        auto scorer = build_scorer(plan, ctx);
        if (!scorer) return scorer.status();
        clauses.push_back(std::move(scorer).value());
      }
      MaxScore pruned(std::move(clauses), std::move(excluded));
      SCRY_RETURN_IF_ERROR(
          pruned.run(seg.deletions(), base, s, &top, &result, &result.total_exact));
    }
    base += seg.doc_count();
  }
  std::vector<Candidate> best = top.take();
  for (size_t i = options.offset; i < best.size(); ++i) {
    Hit hit{best[i].segment, best[i].doc, best[i].score, {}};
    if (options.explain) {
      BuildContext ctx{index_.segments()[hit.segment].get(), &index_, options.bm25, &stats, false};
      auto scorer = build_scorer(plan, ctx);
      if (!scorer) return scorer.status();
      (*scorer)->seek(hit.doc);
      if ((*scorer)->doc() == hit.doc) (*scorer)->explain(&hit.explain);
    }
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace scry
