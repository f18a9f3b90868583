// BM25 as Lucene computes it (Robertson and Zaragoza, "The Probabilistic
// Relevance Framework: BM25 and Beyond", 2009; Lucene's BM25Similarity):
//
//   idf(df)          = ln(1 + (N - df + 0.5) / (df + 0.5))
//   weight(tf, dl)   = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))
//
// N is the number of documents, df the number containing the term, tf its
// occurrences in the document, dl the document's length in tokens of the
// field and avgdl the average of dl over the collection.
//
// k1 >= 0 controls how fast repeated occurrences saturate (0: a term counts
// once whatever tf; default 1.2); b in [0, 1] how much long documents are
// penalised (0: not at all, 1: fully; default 0.75).
//
// Thread safety: a value type.
#pragma once

#include <cmath>
#include <cstdint>

namespace scry {

struct Bm25 {
  static constexpr double kDefaultK1 = 1.2;
  static constexpr double kDefaultB = 0.75;

  double k1 = kDefaultK1;
  double b = kDefaultB;

  // REQUIRES: df <= n.
  static double idf(uint64_t n, uint64_t df) {
    return std::log(1.0 + (static_cast<double>(n) - static_cast<double>(df) + 0.5) /
                              (static_cast<double>(df) + 0.5));
  }

  // weight() in one field, with what does not depend on the document
  // computed once: k1 * (1 - b + b * dl / avgdl) = c0 + c1 * dl, so a
  // posting costs one division instead of two.
  class FieldWeight {
   public:
    // REQUIRES: avgdl > 0 when b > 0.
    FieldWeight(const Bm25& bm25, double avgdl)
        : k1_plus_1_(bm25.k1 + 1.0),
          c0_(bm25.b == 0.0 ? bm25.k1 : bm25.k1 * (1.0 - bm25.b)),
          c1_(bm25.b == 0.0 ? 0.0 : bm25.k1 * bm25.b / avgdl) {}
    double operator()(double idf, double tf, double dl) const {
      return idf * tf * k1_plus_1_ / (tf + c0_ + c1_ * dl);
    }
    // The least upper bound of operator()(idf, tf, dl) over every tf and
    // dl, for idf >= 0: idf * (k1 + 1), which the weight nears as tf grows.
    double limit(double idf) const { return idf * k1_plus_1_; }

   private:
    double k1_plus_1_, c0_, c1_;
  };

  // The term's contribution to a document's score.
  // REQUIRES: avgdl > 0 when b > 0.
  double weight(double idf, double tf, double dl, double avgdl) const {
    return FieldWeight(*this, avgdl)(idf, tf, dl);
  }
};

}  // namespace scry
