#include "scry/query/planner.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>

#include "scry/text/levenshtein_automaton.h"

namespace scry {

namespace {

PlanNode nothing() {
  PlanNode n;
  n.kind = PlanNode::Kind::kNothing;
  return n;
}

PlanNode term_node(Field field, std::string term) {
  PlanNode n;
  n.kind = PlanNode::Kind::kTerm;
  n.field = field;
  n.terms.push_back(std::move(term));
  return n;
}

// A term, or a phrase when there are several terms (at their analyzed
// positions, so left-out stop words keep their places), or nothing.
PlanNode terms_node(Field field, std::vector<Analyzer::Term> terms) {
  if (terms.empty()) return nothing();
  if (terms.size() == 1) return term_node(field, std::move(terms[0].text));
  PlanNode n;
  n.kind = PlanNode::Kind::kPhrase;
  n.field = field;
  for (Analyzer::Term& t : terms) {
    n.terms.push_back(std::move(t.text));
    n.offsets.push_back(t.position - terms[0].position);
  }
  return n;
}

// With a title weight w > 0, a term or phrase of the text field becomes
// "match it in the text; add w times its title score where it is in the
// title too" (the title is part of the text, so what matches is unchanged).
PlanNode with_title(PlanNode leaf, double title_weight) {
  const bool scoring_leaf =
      leaf.kind == PlanNode::Kind::kTerm || leaf.kind == PlanNode::Kind::kPhrase;
  if (title_weight <= 0 || !scoring_leaf || leaf.field != Field::kText) return leaf;
  PlanNode title = leaf;
  title.field = Field::kTitle;
  title.df.reset();  // The text field's.
  title.boost = leaf.boost * title_weight;
  PlanNode both;
  both.must.push_back(std::move(leaf));
  both.should.push_back(std::move(title));
  return both;
}

// Adds `clause` to a list of optional clauses. A title pair is added as its
// two leaves: in an optional position, "the text leaf, plus the title leaf
// where it matches too" scores and matches exactly as the two leaves side
// by side, since whatever matches in the title matches in the text. Flat,
// the title leaves (whose bounds are small) become clauses of their own
// for MaxScore, which can then skip them instead of scoring every pair.
[[gnu::noinline]] void add_optional(PlanNode clause, std::vector<PlanNode>* should) {
  if (!is_title_pair(clause)) {
    should->push_back(std::move(clause));
    return;
  }
  should->push_back(std::move(clause.must[0]));
  should->push_back(std::move(clause.should[0]));
}

// A plan whose root is a title pair, as a Bool of its two optional leaves
// (same matches and scores, see add_optional); any other plan as it is.
PlanNode flat_root(PlanNode plan) {
  if (!is_title_pair(plan)) return plan;
  PlanNode any;
  add_optional(std::move(plan), &any.should);
  return any;
}

// Multiplies the boost of every scoring leaf of `plan` by `factor`: the plan
// then scores `factor` times as much (a Bool's score is the sum of its
// clauses').
[[gnu::noinline]] void scale_boosts(PlanNode* plan, double factor) {
  std::vector<PlanNode*> stack{plan};
  while (!stack.empty()) {
    PlanNode* n = stack.back();
    stack.pop_back();
    if (n->kind == PlanNode::Kind::kTerm || n->kind == PlanNode::Kind::kPhrase) {
      n->boost *= factor;
    }
    for (auto* list : {&n->must, &n->should}) {
      for (PlanNode& child : *list) stack.push_back(&child);
    }
  }
}

// A key that is equal for two leaves that match and score alike (up to
// their boosts); empty for any other node.
std::string leaf_key(const PlanNode& n) {
  if (n.kind != PlanNode::Kind::kTerm && n.kind != PlanNode::Kind::kPhrase) return {};
  std::string key = n.kind == PlanNode::Kind::kTerm ? "t" : "p";
  key += std::to_string(static_cast<int>(n.field)) + "/" + std::to_string(n.blend);
  for (const std::string& term : n.terms) key += '\x1f' + term;
  key += '\x1e';
  for (uint32_t offset : n.offsets) key += std::to_string(offset) + ",";
  return key;
}

// Merges the leaves of `clauses` that match and score alike into the first
// of them, with the sum of their boosts; the order is otherwise kept.
[[gnu::noinline]] void merge_equal_leaves(std::vector<PlanNode>* clauses) {
  std::unordered_map<std::string, size_t> first;  // Key -> index in `kept`.
  std::vector<PlanNode> kept;
  for (PlanNode& n : *clauses) {
    std::string key = leaf_key(n);
    if (!key.empty()) {
      auto [it, added] = first.try_emplace(std::move(key), kept.size());
      if (!added) {
        kept[it->second].boost += n.boost;
        continue;
      }
    }
    kept.push_back(std::move(n));
  }
  *clauses = std::move(kept);
}

class Planner {
 public:
  Planner(Analyzer* analyzer, Analyzer* prefix_analyzer, const CollectionStatistics& stats,
          const PlannerOptions& options)
      : analyzer_(analyzer),
        prefix_analyzer_(prefix_analyzer),
        stats_(stats),
        options_(options),
        interrupt_(options.interrupt) {}

  // The error of the refused query, when plan() failed with one.
  const std::optional<QueryError>& error() const { return error_; }

  // Recursive through plan_bool(), once per level of the query: what is
  // not needed on the way down is in functions kept out of line, so that a
  // level costs little stack (query_parser.h, kMaxQueryDepth).
  Result<PlanNode> plan(const Query& q) {
    if (!interrupt_.tick(64)) return interrupt_.status();
    if (q.kind == Query::Kind::kBool) return plan_bool(q);
    return plan_leaf(q);
  }

 private:
  [[gnu::noinline]] Result<PlanNode> plan_leaf(const Query& q) {
    switch (q.kind) {
      case Query::Kind::kTerm:
      case Query::Kind::kPhrase: {
        std::vector<Analyzer::Term> terms = analyzed(q);
        SCRY_RETURN_IF_ERROR(count_terms(q, terms.size()));
        if (q.kind == Query::Kind::kTerm && options_.typos.enabled() && excluding_ == 0) {
          return tolerant(q.field, q.text, std::move(terms), 1);
        }
        return leaf(q.field, std::move(terms));
      }
      case Query::Kind::kPrefix:
        return plan_prefix(q);
      case Query::Kind::kFuzzy:
        return plan_fuzzy(q);
      case Query::Kind::kBool:
        break;
    }
    return Status::invalid_argument("unknown query node");
  }

  // Counts the `n` terms word or phrase `q` analyzed to against
  // max_terms. Errors: InvalidArgument "too many terms (limit N)", also in
  // error_ at the word or phrase.
  Status count_terms(const Query& q, size_t n) {
    terms_ += n;
    if (terms_ <= options_.max_terms) return Status::ok();
    std::string message = "too many terms (limit " + std::to_string(options_.max_terms) + ")";
    error_ = QueryError{q.position, message};
    return Status::invalid_argument(message);
  }

  // A term an expansion (a prefix's or a fuzzy term's) plans, with its boost.
  struct Expansion {
    std::string term;
    double boost = 1;
    std::optional<uint64_t> df;  // In the field expanded, when known.
  };

  Result<PlanNode> plan_prefix(const Query& q) {
    std::vector<std::string> tokens = prefix_analyzer_->terms(q.text);
    if (tokens.empty()) return nothing();
    auto expanded = expand_prefix(q.field, tokens.back());
    if (!expanded) return expanded.status();
    return expansion(q, std::move(tokens), std::move(expanded).value());
  }

  Result<PlanNode> plan_fuzzy(const Query& q) {
    std::vector<std::string> tokens = prefix_analyzer_->terms(q.text);
    if (tokens.empty()) return nothing();
    // The stem, when there is one, gets at most the edits its own length
    // allows by Meilisearch's rule: "government~2" fuzzes its stem "govern"
    // within one edit, since two reach "given", "modern" and "cover".
    const std::vector<std::string> stem = analyzer_->terms(tokens.back());
    const int stem_edits =
        stem.size() == 1 ? std::min(q.max_edits, typo_edits(stem[0], kDefaultTypos)) : 0;
    auto expanded = expand_fuzzy(q.field, tokens.back(), q.max_edits, stem_edits);
    if (!expanded) return expanded.status();
    return expansion(q, std::move(tokens), std::move(expanded).value());
  }

  // The plan of a prefix or fuzzy term `q` whose normalised tokens are
  // `tokens` and whose last token expanded to `expanded`: those terms,
  // scored with one blended idf, as a should-Bool for a prefix (each term
  // a word of its own: "glm*" sums glm and glm4) and as a DisMax for a
  // fuzzy term (one word: its best expansion in the document); the tokens
  // before the last are required terms ("glm-4*": glm, and one of 4*).
  Result<PlanNode> expansion(const Query& q, std::vector<std::string> tokens,
                             std::vector<Expansion> expanded) {
    if (!interrupt_.now()) return interrupt_.status();
    expansions_ += expanded.size();
    if (expansions_ > options_.max_expansions) {
      std::string message =
          std::string(q.kind == Query::Kind::kFuzzy ? "fuzzy terms and prefixes" : "prefixes") +
          " expand to too many terms (limit " + std::to_string(options_.max_expansions) + ")";
      error_ = QueryError{q.position, message};
      return Status::invalid_argument(message);
    }
    PlanNode any;
    const bool fuzzy = q.kind == Query::Kind::kFuzzy;
    if (fuzzy) any.kind = PlanNode::Kind::kDisMax;
    const uint32_t blend = ++prefixes_;
    for (Expansion& e : expanded) {
      PlanNode leaf = term_node(q.field, std::move(e.term));
      leaf.blend = blend;
      leaf.boost = e.boost;
      leaf.df = e.df;
      if (fuzzy) {
        any.should.push_back(with_title(std::move(leaf), options_.title_weight));
      } else {
        add_optional(with_title(std::move(leaf), options_.title_weight), &any.should);
      }
    }
    if (any.should.empty()) return nothing();
    if (tokens.size() == 1) return any;
    PlanNode all;
    tokens.pop_back();
    for (auto& t : tokens) all.must.push_back(leaf(q.field, analyzer_->positioned_terms(t)));
    all.must.push_back(std::move(any));
    return all;
  }

 public:
  // `word` (as typed) made typo-tolerant (PlannerOptions::typos): the plan
  // of `terms` (what the index analyzer makes of it) as a plain word, with
  // weight `boost`, or the best of that plan and the word's variants within
  // the edits its length allows (a DisMax; expand_fuzzy, the exact term left
  // out), scored with one blended idf and boosted boost / (1 + d), so that
  // the exact word keeps its own weight and a variant scores less at the
  // same tf. The
  // plain word's plan alone when the word allows no edit (too short, a
  // digit, not one term: a stop word, a CJK run, "glm-4"), when it has no
  // variant, or when its variants would take the query past max_expansions.
  Result<PlanNode> tolerant(Field field, std::string_view word, std::vector<Analyzer::Term> terms,
                            double boost) {
    PlanNode exact = terms_node(field, std::move(terms));
    exact.boost = boost;
    const int edits = typo_edits(word, options_.typos);
    if (exact.kind != PlanNode::Kind::kTerm || edits == 0) {
      return with_title(std::move(exact), options_.title_weight);
    }
    // A stem is fuzzed by its own length: "goverment" allows 2 edits, its
    // stem "gover" 1 (2 would reach "lover", "given", "never").
    auto expanded = expand_fuzzy(field, prefix_analyzer_->terms(word).front(), edits,
                                 typo_edits(exact.terms[0], options_.typos));
    if (!expanded) return expanded.status();
    std::erase_if(*expanded, [&](const Expansion& e) { return e.term == exact.terms[0]; });
    if (expanded->empty() || expansions_ + expanded->size() > options_.max_expansions) {
      return with_title(std::move(exact), options_.title_weight);
    }
    expansions_ += expanded->size();
    PlanNode any;
    any.kind = PlanNode::Kind::kDisMax;
    any.should.push_back(with_title(std::move(exact), options_.title_weight));
    const uint32_t blend = ++prefixes_;
    for (Expansion& e : *expanded) {
      PlanNode variant = term_node(field, std::move(e.term));
      variant.blend = blend;
      variant.boost = boost * e.boost;
      variant.df = e.df;
      any.should.push_back(with_title(std::move(variant), options_.title_weight));
    }
    return any;
  }

 private:
  // The edits `t` allows `word`: by its length in code points once
  // normalised, when it normalises to one token without a digit; 0
  // otherwise.
  int typo_edits(std::string_view word, const TypoTolerance& t) const {
    const std::vector<std::string> tokens = prefix_analyzer_->terms(word);
    if (tokens.size() != 1) return 0;
    const std::string& token = tokens[0];
    if (std::any_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return 0;
    }
    // Code points: the bytes that do not continue a UTF-8 sequence.
    const auto length = static_cast<size_t>(std::count_if(token.begin(), token.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
    if (t.two > 0 && length >= t.two) return 2;
    if (t.one > 0 && length >= t.one) return 1;
    return 0;
  }

  // The terms of `field` within `max_edits` of `word` (normalised, not
  // stemmed) or, when the index stems the word to another term, of that
  // stem (within `stem_edits` when given), each at the smaller of the two
  // distances. At most
  // max_fuzzy_terms: the smallest distance first, then the most frequent,
  // then in byte order. A term at distance d is boosted 1 / (1 + d).
  Result<std::vector<Expansion>> expand_fuzzy(Field field, const std::string& word, int max_edits,
                                              std::optional<int> stem_edits = {}) const {
    std::vector<std::pair<std::string, int>> sources{{word, max_edits}};
    const std::vector<std::string> stem = analyzer_->terms(word);
    if (stem.size() == 1 && stem[0] != word) {
      sources.emplace_back(stem[0], stem_edits.value_or(max_edits));
    }
    struct Candidate {
      std::string term;
      uint64_t df;
      int distance;
    };
    std::vector<Candidate> candidates;
    std::unordered_map<std::string, size_t> found;  // Term -> index in candidates.
    for (const auto& [source, edits] : sources) {
      auto terms = stats_.fuzzy_terms(field, source, edits);
      if (!terms) return terms.status();
      const LevenshteinAutomaton automaton(source, edits);
      // The terms come in byte order: each shares its prefix's states.
      LevenshteinAutomaton::Matcher matcher(automaton);
      for (auto& [term, df] : *terms) {
        const auto d = matcher.match(term).distance;
        if (!d) continue;
        auto [it, added] = found.try_emplace(term, candidates.size());
        if (added) {
          candidates.push_back({std::move(term), df, *d});
        } else {
          candidates[it->second].distance = std::min(candidates[it->second].distance, *d);
        }
      }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.distance != b.distance) return a.distance < b.distance;
      if (a.df != b.df) return a.df > b.df;
      return a.term < b.term;
    });
    if (candidates.size() > options_.max_fuzzy_terms) candidates.resize(options_.max_fuzzy_terms);
    std::vector<Expansion> out;
    out.reserve(candidates.size());
    for (Candidate& c : candidates) {
      out.push_back({std::move(c.term), 1.0 / (1 + c.distance), c.df});
    }
    return out;
  }

  // The terms of `field` starting with `prefix`, most frequent first (ties
  // in byte order), at most max_prefix_terms.
  Result<std::vector<Expansion>> expand_prefix(Field field, const std::string& prefix) const {
    auto terms = stats_.prefix_terms(field, prefix);
    if (!terms) return terms.status();
    std::stable_sort(terms->begin(), terms->end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<Expansion> out;
    for (size_t i = 0; i < terms->size() && i < options_.max_prefix_terms; ++i) {
      out.push_back({std::move((*terms)[i].first), 1, std::nullopt});
    }
    return out;
  }

  Result<PlanNode> plan_bool(const Query& q) {
    PlanNode n;
    struct List {
      const std::vector<Query>* in;
      std::vector<PlanNode>* out;
    };
    for (List list :
         {List{&q.must, &n.must}, List{&q.should, &n.should}, List{&q.must_not, &n.must_not}}) {
      // A repeated leaf is planned once: its clauses (two for a title
      // pair added as optional leaves) and how many times it was found.
      struct Seen {
        size_t begin, end;
        double count;
      };
      std::unordered_map<std::string, Seen> seen;
      for (const Query& child : *list.in) {
        if (analyzes_to_nothing(child)) continue;
        std::string key = query_key(child);
        if (!key.empty()) {
          if (auto it = seen.find(key); it != seen.end()) {
            it->second.count += 1;
            continue;
          }
        }
        // An excluded word stays exact: its variants are not excluded.
        excluding_ += list.out == &n.must_not ? 1 : 0;
        auto c = plan(child);
        excluding_ -= list.out == &n.must_not ? 1 : 0;
        if (!c) return c.status();
        // A clause matching nothing can be dropped where it cannot matter.
        if (c->kind == PlanNode::Kind::kNothing && list.out != &n.must) continue;
        const size_t begin = list.out->size();
        if (list.out == &n.should) {
          add_optional(std::move(c).value(), list.out);
        } else {
          list.out->push_back(std::move(c).value());
        }
        if (!key.empty()) seen.emplace(std::move(key), Seen{begin, list.out->size(), 1});
      }
      if (list.out == &n.must_not) continue;  // Excluded once is enough.
      for (const auto& [key, repeat] : seen) {
        if (repeat.count == 1) continue;
        for (size_t i = repeat.begin; i < repeat.end; ++i) {
          scale_boosts(&(*list.out)[i], repeat.count);
        }
      }
    }
    merge_equal_leaves(&n.should);
    return n;
  }

  // A key equal for two leaves of the query that plan alike (a prefix by
  // its normalised tokens, so "S*" and "s*" are one); empty for a Bool.
  [[gnu::noinline]] std::string query_key(const Query& q) const {
    std::string key = std::to_string(static_cast<int>(q.field)) + "/";
    switch (q.kind) {
      case Query::Kind::kTerm:
        return "t" + key + q.text;
      case Query::Kind::kPhrase:
        return "p" + key + q.text;
      case Query::Kind::kPrefix:
        key = "*" + key;
        for (const std::string& token : prefix_analyzer_->terms(q.text)) key += token + '\x1f';
        return key;
      case Query::Kind::kFuzzy:
        key = "~" + std::to_string(q.max_edits) + key;
        for (const std::string& token : prefix_analyzer_->terms(q.text)) key += token + '\x1f';
        return key;
      case Query::Kind::kBool:
        break;
    }
    return {};
  }

  // A word or phrase without any term (stop words, symbols), or a group of
  // nothing else: left out of a Bool, required or not, as a stop word is.
  // Keeps the terms of a word or phrase `q` for its plan_leaf() (analyzed()),
  // so that a word is analyzed once.
  [[gnu::noinline]] bool analyzes_to_nothing(const Query& q) {
    if (q.kind == Query::Kind::kBool) {
      for (const std::vector<Query>* list : {&q.must, &q.should, &q.must_not}) {
        for (const Query& clause : *list) {
          if (!analyzes_to_nothing(clause)) return false;
        }
      }
      return true;
    }
    if (q.kind != Query::Kind::kTerm && q.kind != Query::Kind::kPhrase) return false;
    analyzed_terms_ = analyzer_->positioned_terms(q.text);
    analyzed_query_ = &q;
    return analyzed_terms_.empty();
  }

  // The terms of the word or phrase `q`: those analyzes_to_nothing() kept
  // when it looked at `q` last, else analyzed now.
  std::vector<Analyzer::Term> analyzed(const Query& q) {
    if (analyzed_query_ != &q) return analyzer_->positioned_terms(q.text);
    analyzed_query_ = nullptr;
    return std::move(analyzed_terms_);
  }

  PlanNode leaf(Field field, std::vector<Analyzer::Term> terms) const {
    return with_title(terms_node(field, std::move(terms)), options_.title_weight);
  }

  Analyzer* analyzer_;
  Analyzer* prefix_analyzer_;
  const CollectionStatistics& stats_;
  PlannerOptions options_;
  InterruptCheck interrupt_;
  size_t expansions_ = 0;  // Terms the prefixes planned so far expanded to.
  size_t terms_ = 0;       // Terms the words and phrases planned so far analyzed to.
  int excluding_ = 0;      // Excluded clauses being planned (typos do not apply there).
  uint32_t prefixes_ = 0;  // Prefixes and fuzzy terms planned so far (their blend numbers).
  std::optional<QueryError> error_;
  // The last word or phrase analyzes_to_nothing() analyzed, and its terms.
  const Query* analyzed_query_ = nullptr;
  std::vector<Analyzer::Term> analyzed_terms_;
};

}  // namespace

AnalyzerConfig prefix_analyzer_config(AnalyzerConfig index_config) {
  index_config.stem = false;
  index_config.stop_words = StopWords::kNone;
  return index_config;
}

Result<PlanNode> plan_query(const Query& query, Analyzer* analyzer, Analyzer* prefix_analyzer,
                            const CollectionStatistics& stats, const PlannerOptions& options,
                            QueryError* error) {
  Planner planner(analyzer, prefix_analyzer, stats, options);
  auto plan = planner.plan(query);
  if (!plan) {
    if (error != nullptr && planner.error()) *error = *planner.error();
    return plan.status();
  }
  return flat_root(std::move(plan).value());
}

namespace {

// plan_plain, with each word made tolerant by `planner` when not null.
Result<PlanNode> plain(std::string_view text, Analyzer* analyzer, const PlannerOptions& options,
                       size_t max_terms, QueryError* error, Planner* planner) {
  std::vector<std::string> terms;
  std::vector<std::string_view> words;           // Each term's first word as typed.
  std::unordered_map<std::string, size_t> seen;  // Term -> index in terms.
  std::vector<double> counts;
  std::optional<size_t> over_limit;  // Byte offset of the first term past it.
  analyzer->analyze(text, [&](const Token& token) {
    if (over_limit) return;
    auto [it, added] = seen.try_emplace(std::string(token.term), terms.size());
    if (!added) {
      counts[it->second] += 1;
    } else if (terms.size() == max_terms) {
      over_limit = token.start;
    } else {
      terms.emplace_back(token.term);
      words.push_back(text.substr(token.start, token.end - token.start));
      counts.push_back(1);
    }
  });
  if (over_limit) {
    std::string message = "too many terms (limit " + std::to_string(max_terms) + ")";
    if (error) *error = {*over_limit, message};
    return Status::invalid_argument("query:" + std::to_string(query_column(text, *over_limit)) +
                                    ": " + message);
  }
  PlanNode plan;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (planner != nullptr) {
      std::vector<Analyzer::Term> term{{std::move(terms[i]), 0}};
      auto tolerant = planner->tolerant(Field::kText, words[i], std::move(term), counts[i]);
      if (!tolerant) return tolerant.status();
      add_optional(std::move(tolerant).value(), &plan.should);
      continue;
    }
    PlanNode leaf = term_node(Field::kText, std::move(terms[i]));
    leaf.boost = counts[i];
    add_optional(with_title(std::move(leaf), options.title_weight), &plan.should);
  }
  return plan;
}

}  // namespace

Result<PlanNode> plan_plain(std::string_view text, Analyzer* analyzer,
                            const PlannerOptions& options, size_t max_terms, QueryError* error) {
  return plain(text, analyzer, options, max_terms, error, nullptr);
}

Result<PlanNode> plan_plain(std::string_view text, Analyzer* analyzer, Analyzer* prefix_analyzer,
                            const CollectionStatistics& stats, const PlannerOptions& options,
                            size_t max_terms, QueryError* error) {
  if (!options.typos.enabled()) return plain(text, analyzer, options, max_terms, error, nullptr);
  Planner planner(analyzer, prefix_analyzer, stats, options);
  return plain(text, analyzer, options, max_terms, error, &planner);
}

}  // namespace scry
