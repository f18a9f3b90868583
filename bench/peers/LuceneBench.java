// Lucene 4.10 peer of scry for the side-by-side benchmark
// (bench/peers/compare.sh), against Debian's liblucene4.10-java.
//
//   java LuceneBench index CORPUS.jsonl DIR [--text]       build an index at DIR
//   java LuceneBench latency DIR QUERIES.tsv [--snippets]  open time, per-query latency
//   java LuceneBench batch DIR QUERIES.tsv [--snippets]    every query once, top 10 out
//
// Indexing: one document per JSON line (lines with neither title nor body
// are skipped, as scry-index does): the id as a stored StringField, and one
// unstored TextField "text" = title "\n" body (one text field, as scry's),
// analyzed by EnglishAnalyzer (standard tokenizer, possessives, lower case,
// Lucene's 33 English stop words, Porter stemmer). BM25Similarity(1.2, 0.75)
// at index and search time. One thread, a 256 MB RAM buffer (scry-index's
// default budget), then forceMerge(1), as scry-index merges its runs; the
// merge is in the indexing time. Prints "documents N". With --text the
// field "text" is stored and its postings keep offsets, as the
// PostingsHighlighter needs.
//
// Queries: lines TAG<TAB>QUERY in scry's syntax, TAG = CLASS.N with CLASS
// union, intersection or phrase. The words (the query without + and ") go
// through the analyzer; union is a BooleanQuery of SHOULD TermQuerys,
// intersection of MUST ones, phrase a PhraseQuery (terms at their analyzed
// positions, so a removed stop word leaves its gap, as in the index); top
// 10 by searcher.search(query, 10).
//
// latency: "open_us<TAB>X" (median of 20 DirectoryReader opens), then the whole
// query set is run 3 times to warm the JVM, then "TAG<TAB>US" per query: the
// median of 5 runs (after one warm-up run) of analysis + query building +
// search; stored ids are not fetched, as in scry's query_bench
// --no-snippets. batch: "TAG<TAB>RANK<TAB>ID" per hit, the same columns as
// `scry-search --format tsv`, from a cold JVM; the caller times the process.
// On stderr, per query "time<TAB>TAG<TAB>SEARCH_US<TAB>FETCH_US": that
// query's only run, analysis + query building + search, then reading the
// hits' ids (and snippets).
//
// --snippets (on an index built with --text): the snippets of the top 10 by
// PostingsHighlighter.highlight (lucene-highlighter): one passage a hit (a
// sentence, java.text.BreakIterator's), the best by its BM25 passage
// scorer, <b></b> highlights, over the whole text (maxLength raised from its
// default 10,000 chars, as scry reads the whole text); it reads the stored
// text and the offsets in the postings. latency then times the search, the
// ids (read with a visitor of the id field only, as in batch) and the
// snippets, and batch prints each hit's snippet as a fourth column.
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.postingshighlight.PostingsHighlighter;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public final class LuceneBench {
  private static final String FIELD = "text";

  public static void main(String[] args) throws Exception {
    String mode = args.length == 3 || args.length == 4 ? args[0] : "";
    String flag = args.length == 4 ? args[3] : "";
    boolean on = !flag.isEmpty();
    if (mode.equals("index") && (!on || flag.equals("--text"))) {
      index(args[1], args[2], on);
    } else if (mode.equals("latency") && (!on || flag.equals("--snippets"))) {
      latency(args[1], args[2], on);
    } else if (mode.equals("batch") && (!on || flag.equals("--snippets"))) {
      batch(args[1], args[2], on);
    } else {
      System.err.println("usage: LuceneBench index CORPUS.jsonl DIR [--text]"
          + " | latency DIR QUERIES.tsv [--snippets] | batch DIR QUERIES.tsv [--snippets]");
      System.exit(2);
    }
  }

  private static BM25Similarity similarity() {
    return new BM25Similarity(1.2f, 0.75f);
  }

  /** The "text" field's type: unstored, or stored with offsets in its postings. */
  private static FieldType textType(boolean stored) {
    if (!stored) return TextField.TYPE_NOT_STORED;
    FieldType type = new FieldType(TextField.TYPE_STORED);
    type.setIndexOptions(FieldInfo.IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
    type.freeze();
    return type;
  }

  private static void index(String corpus, String dir, boolean stored) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(Version.LUCENE_4_10_4, new EnglishAnalyzer());
    config.setSimilarity(similarity());
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    config.setRAMBufferSizeMB(256);
    long malformed = 0;
    try (IndexWriter writer = new IndexWriter(FSDirectory.open(new File(dir)), config);
        BufferedReader in = Files.newBufferedReader(Paths.get(corpus), StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        Map<String, String> fields;
        try {
          fields = parseFlatObject(line);
        } catch (IllegalArgumentException e) {
          ++malformed;
          continue;
        }
        String title = fields.getOrDefault("title", "");
        String body = fields.getOrDefault("body", "");
        if (title.isEmpty() && body.isEmpty()) continue;
        Document doc = new Document();
        doc.add(new StringField("id", fields.getOrDefault("id", ""), Field.Store.YES));
        doc.add(new Field(FIELD, title + "\n" + body, textType(stored)));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
      System.out.println("documents " + writer.numDocs());
    }
    if (malformed > 0) System.err.println("LuceneBench: " + malformed + " malformed lines skipped");
  }

  /**
   * The top-level fields of one JSON object: strings decoded, other values
   * (numbers, literals) as their raw text. Nested values are not expected
   * in a corpus line and are refused.
   */
  static Map<String, String> parseFlatObject(String s) {
    Map<String, String> out = new HashMap<>();
    int[] pos = {skipSpace(s, 0)};
    expect(s, pos, '{');
    while (true) {
      pos[0] = skipSpace(s, pos[0]);
      if (pos[0] < s.length() && s.charAt(pos[0]) == '}' && out.isEmpty()) break;
      String key = parseString(s, pos);
      pos[0] = skipSpace(s, pos[0]);
      expect(s, pos, ':');
      pos[0] = skipSpace(s, pos[0]);
      String value;
      if (pos[0] < s.length() && s.charAt(pos[0]) == '"') {
        value = parseString(s, pos);
      } else {
        int start = pos[0];
        while (pos[0] < s.length() && ",} \t\r\n".indexOf(s.charAt(pos[0])) < 0) {
          if ("{[\"".indexOf(s.charAt(pos[0])) >= 0) throw new IllegalArgumentException("nested");
          ++pos[0];
        }
        value = s.substring(start, pos[0]);
      }
      out.put(key, value);
      pos[0] = skipSpace(s, pos[0]);
      if (pos[0] < s.length() && s.charAt(pos[0]) == ',') {
        ++pos[0];
        continue;
      }
      expect(s, pos, '}');
      break;
    }
    return out;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) ++i;
    return i;
  }

  private static void expect(String s, int[] pos, char c) {
    if (pos[0] >= s.length() || s.charAt(pos[0]) != c) {
      throw new IllegalArgumentException("expected " + c);
    }
    ++pos[0];
  }

  // A JSON string at pos[0], decoded; \\u escapes of surrogate pairs come out
  // as the two UTF-16 units, which is what a Java string holds anyway.
  private static String parseString(String s, int[] pos) {
    expect(s, pos, '"');
    StringBuilder b = new StringBuilder();
    for (int i = pos[0]; i < s.length(); ++i) {
      char c = s.charAt(i);
      if (c == '"') {
        pos[0] = i + 1;
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i >= s.length()) break;
      char e = s.charAt(i);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (i + 4 >= s.length()) throw new IllegalArgumentException("short \\u escape");
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> b.append(e);  // \" \\ \/
      }
    }
    throw new IllegalArgumentException("unterminated string");
  }

  /** One line TAG<TAB>QUERY of the query file. */
  private record QueryLine(String tag, String cls, String words) {}

  private static List<QueryLine> readQueries(String path) throws IOException {
    List<QueryLine> out = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      if (tab < 0) continue;
      String tag = line.substring(0, tab);
      int dot = tag.indexOf('.');
      out.add(new QueryLine(tag, dot < 0 ? tag : tag.substring(0, dot),
          line.substring(tab + 1).replace("+", "").replace("\"", "")));
    }
    return out;
  }

  private static Query buildQuery(Analyzer analyzer, QueryLine q) throws IOException {
    BooleanQuery bool = new BooleanQuery();
    PhraseQuery phrase = new PhraseQuery();
    BooleanClause.Occur occur =
        q.cls().equals("intersection") ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD;
    try (TokenStream ts = analyzer.tokenStream(FIELD, q.words())) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      int position = -1;
      while (ts.incrementToken()) {
        position += increment.getPositionIncrement();
        Term t = new Term(FIELD, term.toString());
        bool.add(new TermQuery(t), occur);
        phrase.add(t, position);
      }
      ts.end();
    }
    return q.cls().equals("phrase") ? phrase : bool;
  }

  private static TopDocs run(IndexSearcher searcher, Query query) throws IOException {
    return searcher.search(query, 10);
  }

  /** The hits' ids, and their snippets (null without a highlighter). */
  private record Fetched(String[] ids, String[] snippets) {}

  private static final Set<String> ID_ONLY = Set.of("id");

  private static Fetched fetch(PostingsHighlighter highlighter, IndexSearcher searcher,
      Query query, TopDocs top) throws IOException {
    ScoreDoc[] hits = top.scoreDocs;
    String[] ids = new String[hits.length];
    for (int i = 0; i < hits.length; ++i) ids[i] = searcher.doc(hits[i].doc, ID_ONLY).get("id");
    return new Fetched(ids,
        highlighter == null ? null : highlighter.highlight(FIELD, query, searcher, top));
  }

  /** A highlighter over the whole text with --snippets, else null. */
  private static PostingsHighlighter highlighter(boolean snippets) {
    return snippets ? new PostingsHighlighter(Integer.MAX_VALUE - 1) : null;
  }

  private static IndexSearcher open(DirectoryReader reader) {
    IndexSearcher searcher = new IndexSearcher(reader);
    searcher.setSimilarity(similarity());
    return searcher;
  }

  private static void latency(String dir, String queries, boolean snippets) throws IOException {
    long[] opens = new long[20];
    for (int i = 0; i < opens.length; ++i) {
      long t0 = System.nanoTime();
      DirectoryReader reader = DirectoryReader.open(FSDirectory.open(new File(dir)));
      opens[i] = System.nanoTime() - t0;
      reader.close();
    }
    Arrays.sort(opens);
    System.out.printf("open_us\t%.0f%n", opens[opens.length / 2] / 1e3);
    List<QueryLine> all = readQueries(queries);
    Analyzer analyzer = new EnglishAnalyzer();
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(new File(dir)))) {
      IndexSearcher searcher = open(reader);
      PostingsHighlighter highlighter = highlighter(snippets);
      for (int pass = 0; pass < 3; ++pass) {
        for (QueryLine q : all) timed(searcher, analyzer, highlighter, q);
      }
      StringBuilder out = new StringBuilder();
      for (QueryLine q : all) {
        long[] runs = new long[5];
        for (int r = -1; r < runs.length; ++r) {  // Run -1 warms up.
          long t0 = System.nanoTime();
          timed(searcher, analyzer, highlighter, q);
          if (r >= 0) runs[r] = System.nanoTime() - t0;
        }
        Arrays.sort(runs);
        out.append(String.format("%s\t%.1f%n", q.tag(), runs[runs.length / 2] / 1e3));
      }
      System.out.print(out);
    }
  }

  /** What latency times: the search, and with a highlighter the ids and snippets too. */
  private static void timed(IndexSearcher searcher, Analyzer analyzer,
      PostingsHighlighter highlighter, QueryLine q) throws IOException {
    Query query = buildQuery(analyzer, q);
    TopDocs top = run(searcher, query);
    if (highlighter != null) fetch(highlighter, searcher, query, top);
  }

  private static void batch(String dir, String queries, boolean snippets) throws IOException {
    Analyzer analyzer = new EnglishAnalyzer();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    PrintStream times = new PrintStream(System.err, false, StandardCharsets.UTF_8);
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(new File(dir)))) {
      IndexSearcher searcher = open(reader);
      PostingsHighlighter highlighter = highlighter(snippets);
      for (QueryLine q : readQueries(queries)) {
        long t0 = System.nanoTime();
        Query query = buildQuery(analyzer, q);
        TopDocs top = run(searcher, query);
        long t1 = System.nanoTime();
        Fetched hits = fetch(highlighter, searcher, query, top);
        long t2 = System.nanoTime();
        times.printf("time\t%s\t%.1f\t%.1f%n", q.tag(), (t1 - t0) / 1e3, (t2 - t1) / 1e3);
        for (int i = 0; i < hits.ids().length; ++i) {
          out.printf("%s\t%d\t%s", q.tag(), i + 1, hits.ids()[i]);
          if (hits.snippets() != null) out.print("\t" + oneLine(hits.snippets()[i]));
          out.println();
        }
      }
    }
    out.flush();
    times.flush();
  }

  /** `text` on one line (tabs and line breaks as spaces); "" for null. */
  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("[\t\r\n]", " ");
  }
}
