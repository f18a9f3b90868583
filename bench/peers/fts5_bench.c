/* SQLite FTS5 peer of scry for the side-by-side benchmark
 * (bench/peers/compare.sh).
 *
 *   fts5_bench index CORPUS.jsonl DB [--text]       build an FTS5 database file at DB
 *   fts5_bench latency DB QUERIES.tsv [--snippets]  open time, per-query latency
 *   fts5_bench batch DB QUERIES.tsv [--snippets]    every query once, top 10 out
 *
 * Indexing: one row per JSON line (fields read with SQLite's json_extract;
 * lines with neither title nor body are skipped, as scry-index does) into
 *   CREATE VIRTUAL TABLE t USING fts5(text, content='', tokenize='porter unicode61')
 * with text = title "\n" body (one text field, as scry's). The table is
 * contentless, so the text is not stored (scry's figure without the store
 * is the one to compare); the ids go to a plain table `ids`, keyed by the
 * same rowid. One transaction, journal and fsync off (a bulk load), then
 * FTS5's 'optimize' merges the index into one b-tree, as scry-index merges
 * its runs; both are in the indexing time. Prints "documents N". With
 * --text the table keeps its content (no content=''), the text snippets
 * are made from.
 *
 * Queries: lines TAG<TAB>QUERY in scry's syntax, TAG = CLASS.N with CLASS
 * union, intersection or phrase. The words (the query without + and ")
 * become the FTS5 query "a" OR "b", "a" AND "b" or "a b", run as
 *   SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10
 * (FTS5's bm25: k1 = 1.2, b = 0.75). Default page cache, no mmap.
 *
 * latency: "open_us<TAB>X" (median of 20 opens; sqlite3_open_v2 reads
 * nothing, so an open includes preparing the query statement, which reads
 * the schema), then "TAG<TAB>US" per query: the median of 5 runs (after one
 * warm-up run) of building the FTS5 query, binding and stepping through the
 * top 10 rowids; ids are not fetched, as in scry's query_bench
 * --no-snippets. batch: "TAG<TAB>RANK<TAB>ID" per hit, the same columns as
 * `scry-search --format tsv`; the caller times the process. On stderr, per
 * query "time<TAB>TAG<TAB>SEARCH_US<TAB>FETCH_US": that query's only run,
 * stepping through the top 10, then reading the hits' ids (and snippets).
 *
 * --snippets (on an index built with --text): each hit's snippet by FTS5's
 *   SELECT snippet(t, 0, '<b>', '</b>', '…', 40) FROM t WHERE t MATCH ?1 AND rowid = ?2
 * (40 tokens, about the length of scry's 30-token window and the sentence
 * ends it adds; one statement per hit, so that the snippets of the top 10
 * only are made: in the ranked statement itself snippet() would run on
 * every matching row before the sort); latency then times the query and
 * the snippets, and batch prints each hit's snippet as a fourth column.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEARCH_SQL "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY bm25(t) LIMIT 10"
#define SNIPPET_SQL \
  "SELECT snippet(t, 0, '<b>', '</b>', '…', 40) FROM t WHERE t MATCH ?1 AND rowid = ?2"

static void die(sqlite3 *db, const char *what) {
  fprintf(stderr, "fts5_bench: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
  exit(2);
}

static void exec(sqlite3 *db, const char *sql) {
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) die(db, sql);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) die(db, sql);
  return stmt;
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_double);
  return v[n / 2];
}

/* Reads one line of any length into *buf (without its '\n'); 0 at the end. */
static int read_line(FILE *in, char **buf, size_t *cap) {
  ssize_t n = getline(buf, cap, in);
  if (n < 0) return 0;
  if (n > 0 && (*buf)[n - 1] == '\n') (*buf)[n - 1] = '\0';
  return 1;
}

static int index_corpus(const char *corpus, const char *path, int text) {
  FILE *in = fopen(corpus, "r");
  if (!in) {
    perror(corpus);
    return 2;
  }
  remove(path);
  sqlite3 *db;
  if (sqlite3_open(path, &db) != SQLITE_OK) die(db, path);
  exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
  exec(db,
       text ? "CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61');"
            : "CREATE VIRTUAL TABLE t USING fts5(text, content='', tokenize='porter unicode61');");
  exec(db, "CREATE TABLE ids(rowid INTEGER PRIMARY KEY, id TEXT);");
  exec(db, "BEGIN");
  sqlite3_stmt *parse =
      prepare(db,
              "SELECT json_extract(?1, '$.id'), coalesce(json_extract(?1, '$.title'), ''), "
              "coalesce(json_extract(?1, '$.body'), '')");
  sqlite3_stmt *add_text = prepare(db, "INSERT INTO t(rowid, text) VALUES(?1, ?2)");
  sqlite3_stmt *add_id = prepare(db, "INSERT INTO ids(rowid, id) VALUES(?1, ?2)");
  char *line = NULL;
  size_t cap = 0;
  sqlite3_int64 docs = 0, malformed = 0;
  while (read_line(in, &line, &cap)) {
    sqlite3_bind_text(parse, 1, line, -1, SQLITE_STATIC);
    if (sqlite3_step(parse) != SQLITE_ROW) {
      ++malformed;
      sqlite3_reset(parse);
      continue;
    }
    const char *title = (const char *)sqlite3_column_text(parse, 1);
    const char *body = (const char *)sqlite3_column_text(parse, 2);
    if (*title || *body) {
      size_t lt = strlen(title), lb = strlen(body);
      char *text = malloc(lt + lb + 2);
      if (!text) die(NULL, "malloc");
      memcpy(text, title, lt);
      text[lt] = '\n';
      memcpy(text + lt + 1, body, lb + 1);
      ++docs;
      sqlite3_bind_int64(add_text, 1, docs);
      sqlite3_bind_text(add_text, 2, text, (int)(lt + lb + 1), free);
      if (sqlite3_step(add_text) != SQLITE_DONE) die(db, "insert text");
      sqlite3_reset(add_text);
      sqlite3_bind_int64(add_id, 1, docs);
      sqlite3_bind_value(add_id, 2, sqlite3_column_value(parse, 0));
      if (sqlite3_step(add_id) != SQLITE_DONE) die(db, "insert id");
      sqlite3_reset(add_id);
    }
    sqlite3_reset(parse);
  }
  free(line);
  fclose(in);
  sqlite3_finalize(parse);
  sqlite3_finalize(add_text);
  sqlite3_finalize(add_id);
  exec(db, "COMMIT");
  exec(db, "INSERT INTO t(t) VALUES('optimize')");
  if (sqlite3_close(db) != SQLITE_OK) die(db, "close");
  printf("documents %lld\n", (long long)docs);
  if (malformed)
    fprintf(stderr, "fts5_bench: %lld malformed lines skipped\n", (long long)malformed);
  return 0;
}

/* Turns the query text of one TAG<TAB>QUERY line (class from TAG) into FTS5
 * syntax in out (at least twice the line's length plus 16 bytes). */
static void fts5_query(const char *tag, const char *query, char *out) {
  int phrase = strncmp(tag, "phrase.", 7) == 0;
  const char *op = strncmp(tag, "intersection.", 13) == 0 ? " AND " : " OR ";
  size_t n = 0;
  int words = 0;
  if (phrase) out[n++] = '"';
  for (const char *p = query; *p;) {
    while (*p == ' ' || *p == '+' || *p == '"') ++p;
    if (!*p) break;
    if (words++) {
      if (phrase) {
        out[n++] = ' ';
      } else {
        strcpy(out + n, op);
        n += strlen(op);
      }
    }
    if (!phrase) out[n++] = '"';
    while (*p && *p != ' ' && *p != '+' && *p != '"') out[n++] = *p++;
    if (!phrase) out[n++] = '"';
  }
  if (phrase) out[n++] = '"';
  out[n] = '\0';
}

/* Runs one query to its end; returns the number of hits. */
static int run(sqlite3_stmt *search, const char *match, sqlite3_int64 *rowids) {
  int hits = 0;
  sqlite3_bind_text(search, 1, match, -1, SQLITE_STATIC);
  while (sqlite3_step(search) == SQLITE_ROW) rowids[hits++] = sqlite3_column_int64(search, 0);
  sqlite3_reset(search);
  return hits;
}

/* The hits' ids, and with `snippet` (SNIPPET_SQL) their snippets, into
 * ids[i] and snippets[i] (copies, to be freed; snippets[i] NULL without). */
static void fetch(sqlite3_stmt *id_of, sqlite3_stmt *snippet, const char *match,
                  const sqlite3_int64 *rowids, int hits, char **ids, char **snippets) {
  for (int i = 0; i < hits; ++i) {
    sqlite3_bind_int64(id_of, 1, rowids[i]);
    ids[i] = sqlite3_step(id_of) == SQLITE_ROW
                 ? sqlite3_mprintf("%s", (const char *)sqlite3_column_text(id_of, 0))
                 : sqlite3_mprintf("");
    sqlite3_reset(id_of);
    snippets[i] = NULL;
    if (!snippet) continue;
    sqlite3_bind_text(snippet, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(snippet, 2, rowids[i]);
    snippets[i] = sqlite3_step(snippet) == SQLITE_ROW
                      ? sqlite3_mprintf("%s", (const char *)sqlite3_column_text(snippet, 0))
                      : sqlite3_mprintf("");
    sqlite3_reset(snippet);
  }
}

static void free_all(char **strings, int n) {
  for (int i = 0; i < n; ++i) sqlite3_free(strings[i]);
}

/* Prints `text` with tabs and line breaks as spaces. */
static void print_one_line(const char *text) {
  for (const char *p = text; *p; ++p) putchar(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
}

static int search(const char *path, const char *queries, int batch, int snippets) {
  sqlite3 *db;
  sqlite3_stmt *stmt;
  if (!batch) {
    double opens[20];
    for (int i = 0; i < 20; ++i) {
      double t0 = now_us();
      if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die(db, path);
      stmt = prepare(db, SEARCH_SQL);
      opens[i] = now_us() - t0;
      sqlite3_finalize(stmt);
      sqlite3_close(db);
    }
    printf("open_us\t%.0f\n", median(opens, 20));
  }
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die(db, path);
  stmt = prepare(db, SEARCH_SQL);
  sqlite3_stmt *id_of = prepare(db, "SELECT id FROM ids WHERE rowid = ?1");
  sqlite3_stmt *snippet = snippets ? prepare(db, SNIPPET_SQL) : NULL;
  FILE *in = fopen(queries, "r");
  if (!in) {
    perror(queries);
    return 2;
  }
  char *line = NULL;
  size_t cap = 0;
  while (read_line(in, &line, &cap)) {
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = '\0';
    char *match = malloc(2 * strlen(tab + 1) + 16);
    if (!match) die(NULL, "malloc");
    sqlite3_int64 rowids[10];
    char *ids[10], *texts[10];
    if (batch) {
      double t0 = now_us();
      fts5_query(line, tab + 1, match);
      int hits = run(stmt, match, rowids);
      double t1 = now_us();
      fetch(id_of, snippet, match, rowids, hits, ids, texts);
      fprintf(stderr, "time\t%s\t%.1f\t%.1f\n", line, t1 - t0, now_us() - t1);
      for (int i = 0; i < hits; ++i) {
        printf("%s\t%d\t%s", line, i + 1, ids[i]);
        if (snippet) {
          putchar('\t');
          print_one_line(texts[i]);
        }
        putchar('\n');
      }
      free_all(ids, hits);
      free_all(texts, hits);
    } else {
      double runs[5];
      for (int r = -1; r < 5; ++r) { /* Run -1 warms up. */
        double t0 = now_us();
        fts5_query(line, tab + 1, match);
        int hits = run(stmt, match, rowids);
        if (snippet) {
          fetch(id_of, snippet, match, rowids, hits, ids, texts);
          free_all(ids, hits);
          free_all(texts, hits);
        }
        if (r >= 0) runs[r] = now_us() - t0;
      }
      printf("%s\t%.1f\n", line, median(runs, 5));
    }
    free(match);
  }
  free(line);
  fclose(in);
  sqlite3_finalize(id_of);
  sqlite3_finalize(snippet);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return 0;
}

int main(int argc, char **argv) {
  const char *flag = argc == 5 ? argv[4] : "";
  int on = *flag != '\0';
  if (argc == 4 || argc == 5) {
    if (strcmp(argv[1], "index") == 0 && (!on || strcmp(flag, "--text") == 0))
      return index_corpus(argv[2], argv[3], on);
    if (strcmp(argv[1], "latency") == 0 && (!on || strcmp(flag, "--snippets") == 0))
      return search(argv[2], argv[3], 0, on);
    if (strcmp(argv[1], "batch") == 0 && (!on || strcmp(flag, "--snippets") == 0))
      return search(argv[2], argv[3], 1, on);
  }
  fprintf(stderr,
          "usage: fts5_bench index CORPUS.jsonl DB [--text] | latency DB QUERIES.tsv [--snippets] "
          "| batch DB QUERIES.tsv [--snippets]\n");
  return 2;
}
