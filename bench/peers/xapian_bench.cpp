// Xapian peer of scry for the side-by-side benchmark (bench/peers/compare.sh).
//
//   xapian_bench index CORPUS.jsonl DIR [--text]       build a Glass database at DIR
//   xapian_bench latency DIR QUERIES.tsv [--snippets]  open time, per-query latency
//   xapian_bench batch DIR QUERIES.tsv [--snippets]    every query once, top 10 out
//
// Indexing: one document per JSON line (id, title, body; lines with neither
// title nor body are skipped, as scry-index does). TermGenerator with
// Stem("english") and STEM_ALL_Z, so that the stemmed terms carry positions
// (the default STEM_SOME keeps positions only for unstemmed terms, and a
// phrase of stemmed terms would then match nothing), Z-prefixed as
// MSet::snippet looks stems up (with STEM_ALL's bare stems it highlights
// only words that are their own stem). The title, then the body, one
// position apart, in the same term space: one text field, as scry's. The
// id is the document data; with --text the data is the id, a newline and
// the text (title "\n" body) that snippets are made from. Default flush
// threshold, one commit. Prints "documents N".
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
// columns as `scry-search --format tsv`; the caller times the process. On
// stderr, per query "time<TAB>TAG<TAB>SEARCH_US<TAB>FETCH_US": that query's
// only run, get_mset, then reading the hits' ids (and snippets).
//
// --snippets (on an index built with --text): each of the 10 hits' data is
// read and MSet::snippet makes its snippet from the stored text, with the
// index's stemmer, 250 bytes long (about the length of scry's 30-token
// snippets), Xapian's default flags (background model, exhaustive) and
// <b></b> highlights; latency then times get_mset and the snippets, and
// batch prints each hit's snippet as a fourth column.
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
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
  return tg;
}

int index_corpus(const char* corpus, const char* dir, bool text) {
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
    d.set_data(text ? id + "\n" + title + "\n" + body : id);
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

struct Fetched {
  std::string id;
  std::string snippet;  // Empty without snippets.
};

// The hits' ids (the data up to its first newline), and with `stemmer` their
// snippets (from the data after it: the text stored by index --text).
std::vector<Fetched> fetch(const Xapian::MSet& mset, const Xapian::Stem* stemmer) {
  std::vector<Fetched> out;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    std::string data = it.get_document().get_data();
    size_t nl = std::min(data.find('\n'), data.size());
    std::string snippet;
    if (stemmer) snippet = mset.snippet(nl < data.size() ? data.substr(nl + 1) : "", 250, *stemmer);
    data.resize(nl);
    out.push_back({std::move(data), std::move(snippet)});
  }
  return out;
}

// `text` on one line: tabs and line breaks become spaces.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return text;
}

int search(const char* dir, const char* queries, bool batch, bool snippets) {
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
  const Xapian::Stem stem("english");
  const Xapian::Stem* stemmer = snippets ? &stem : nullptr;
  for (const QueryLine& q : read_queries(queries)) {
    if (batch) {
      auto t0 = Clock::now();
      Xapian::MSet mset = run(enquire, tg, q);
      auto t1 = Clock::now();
      std::vector<Fetched> hits = fetch(mset, stemmer);
      std::fprintf(stderr, "time\t%s\t%.1f\t%.1f\n", q.tag.c_str(), micros(t1 - t0),
                   micros(Clock::now() - t1));
      int rank = 0;
      for (const Fetched& hit : hits) {
        std::printf("%s\t%d\t%s", q.tag.c_str(), ++rank, hit.id.c_str());
        if (snippets) std::printf("\t%s", one_line(hit.snippet).c_str());
        std::printf("\n");
      }
      continue;
    }
    std::vector<double> runs;
    Xapian::MSet warm = run(enquire, tg, q);  // Warm-up.
    if (snippets) fetch(warm, stemmer);
    for (int r = 0; r < 5; ++r) {
      auto t0 = Clock::now();
      Xapian::MSet mset = run(enquire, tg, q);
      if (snippets) fetch(mset, stemmer);
      runs.push_back(micros(Clock::now() - t0));
    }
    std::printf("%s\t%.1f\n", q.tag.c_str(), median(runs));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc == 4 || argc == 5 ? argv[1] : "";
  std::string flag = argc == 5 ? argv[4] : "";
  try {
    if (mode == "index" && (flag.empty() || flag == "--text"))
      return index_corpus(argv[2], argv[3], !flag.empty());
    if ((mode == "latency" || mode == "batch") && (flag.empty() || flag == "--snippets"))
      return search(argv[2], argv[3], mode == "batch", !flag.empty());
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_bench: %s\n", e.get_description().c_str());
    return 2;
  }
  std::fprintf(stderr,
               "usage: xapian_bench index CORPUS.jsonl DIR [--text] | "
               "latency DIR QUERIES.tsv [--snippets] | batch DIR QUERIES.tsv [--snippets]\n");
  return 2;
}
