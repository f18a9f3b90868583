// Xapian peer of scry for the side-by-side benchmark (bench/peers/compare.sh).
//
//   xapian_bench index CORPUS.jsonl DIR    build a Glass database at DIR
//   xapian_bench latency DIR QUERIES.tsv   open time and per-query latency
//   xapian_bench batch DIR QUERIES.tsv     every query once, top 10 ids out
//
// Indexing: one document per JSON line (id, title, body; lines with neither
// title nor body are skipped, as scry-index does). TermGenerator with
// Stem("english") and STEM_ALL, so that the stemmed terms carry positions
// (the default STEM_SOME keeps positions only for unstemmed terms, and a
// phrase of stemmed terms would then match nothing). The title, then the
// body, one position apart, in the same term space: one text field, as
// scry's. The id is the document data. Default flush threshold, one commit.
// Prints "documents N".
//
// Queries: lines TAG<TAB>QUERY in scry's syntax, TAG = CLASS.N with CLASS
// union, intersection or phrase. The words (the query without + and ") go
// through the same TermGenerator and become OP_OR, OP_AND or OP_PHRASE of
// their stemmed terms in position order; BM25Weight(1.2, 0, 1, 0.75, 0.5)
// (Lucene's k1 and b), top 10 by get_mset(0, 10).
//
// latency: "open_us<TAB>X" (median of 20 opens), then "TAG<TAB>US" per
// query: the median of 5 runs (after one warm-up run) of analysis + query
// building + get_mset; document ids are not fetched, as in scry's
// query_bench --no-snippets. batch: "TAG<TAB>RANK<TAB>ID" per hit, the same
// columns as `scry-search --format tsv`; the caller times the process.
#include <simdjson.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The value of a top-level field as text (a string's contents, or the raw
// token of a number); empty when absent.
std::string field(simdjson::ondemand::document& doc, const char* name) {
  simdjson::ondemand::value v;
  if (doc.find_field_unordered(name).get(v) != simdjson::SUCCESS) return {};
  simdjson::ondemand::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) return {};
  if (type == simdjson::ondemand::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) return {};
    return std::string(s);
  }
  return std::string(v.raw_json_token());
}

Xapian::TermGenerator make_term_generator() {
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
  return tg;
}

int index_corpus(const char* corpus, const char* dir) {
  Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg = make_term_generator();
  simdjson::ondemand::parser parser;
  std::ifstream in(corpus);
  std::string line;
  size_t malformed = 0;
  while (std::getline(in, line)) {
    simdjson::padded_string json(line);
    simdjson::ondemand::document doc;
    if (parser.iterate(json).get(doc) != simdjson::SUCCESS) {
      ++malformed;
      continue;
    }
    std::string id = field(doc, "id");
    std::string title = field(doc, "title");
    std::string body = field(doc, "body");
    if (title.empty() && body.empty()) continue;
    Xapian::Document d;
    tg.set_document(d);
    tg.index_text(title);
    tg.increase_termpos();
    tg.index_text(body);
    d.set_data(id);
    db.add_document(d);
  }
  db.commit();
  std::printf("documents %u\n", db.get_doccount());
  if (malformed) std::fprintf(stderr, "xapian_bench: %zu malformed lines skipped\n", malformed);
  return 0;
}

struct QueryLine {
  std::string tag;
  std::string cls;    // union, intersection or phrase
  std::string words;  // the query without + and "
};

std::vector<QueryLine> read_queries(const char* path) {
  std::vector<QueryLine> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    QueryLine q;
    q.tag = line.substr(0, tab);
    q.cls = q.tag.substr(0, q.tag.find('.'));
    for (char c : line.substr(tab + 1))
      if (c != '+' && c != '"') q.words += c;
    out.push_back(std::move(q));
  }
  return out;
}

// The query's terms, analyzed as documents are, in position order.
std::vector<std::string> query_terms(Xapian::TermGenerator& tg, const std::string& words) {
  Xapian::Document scratch;
  tg.set_document(scratch);
  tg.index_text(words);
  std::vector<std::pair<Xapian::termpos, std::string>> at;
  for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t)
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) at.emplace_back(*p, *t);
  std::sort(at.begin(), at.end());
  std::vector<std::string> terms;
  for (auto& [pos, term] : at) terms.push_back(std::move(term));
  return terms;
}

Xapian::MSet run(Xapian::Enquire& enquire, Xapian::TermGenerator& tg, const QueryLine& q) {
  std::vector<std::string> terms = query_terms(tg, q.words);
  if (q.cls == "phrase" && terms.size() > 1) {
    enquire.set_query(Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end()));
  } else {
    auto op = q.cls == "intersection" ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
    // A one-term "phrase" is that term; OP_OR of one term is the same.
    enquire.set_query(Xapian::Query(op, terms.begin(), terms.end()));
  }
  return enquire.get_mset(0, 10);
}

int search(const char* dir, const char* queries, bool batch) {
  if (!batch) {
    std::vector<double> opens;
    for (int i = 0; i < 20; ++i) {
      auto t0 = Clock::now();
      Xapian::Database db(dir);
      opens.push_back(micros(Clock::now() - t0));
    }
    std::printf("open_us\t%.0f\n", median(opens));
  }
  Xapian::Database db(dir);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
  Xapian::TermGenerator tg = make_term_generator();
  for (const QueryLine& q : read_queries(queries)) {
    if (batch) {
      Xapian::MSet mset = run(enquire, tg, q);
      int rank = 0;
      for (auto it = mset.begin(); it != mset.end(); ++it)
        std::printf("%s\t%d\t%s\n", q.tag.c_str(), ++rank, it.get_document().get_data().c_str());
      continue;
    }
    std::vector<double> runs;
    run(enquire, tg, q);  // Warm-up.
    for (int r = 0; r < 5; ++r) {
      auto t0 = Clock::now();
      run(enquire, tg, q);
      runs.push_back(micros(Clock::now() - t0));
    }
    std::printf("%s\t%.1f\n", q.tag.c_str(), median(runs));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc == 4 ? argv[1] : "";
  try {
    if (mode == "index") return index_corpus(argv[2], argv[3]);
    if (mode == "latency" || mode == "batch") return search(argv[2], argv[3], mode == "batch");
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_bench: %s\n", e.get_description().c_str());
    return 2;
  }
  std::fprintf(stderr,
               "usage: xapian_bench index CORPUS.jsonl DIR | latency DIR QUERIES.tsv | "
               "batch DIR QUERIES.tsv\n");
  return 2;
}
