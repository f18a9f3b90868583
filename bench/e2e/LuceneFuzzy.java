// Lucene 4.10's FuzzyQuery against its TermQuery, for bench/e2e/fuzzy_peers.sh.
//
//   java LuceneFuzzy DIR ROUNDS WORDS.txt
//
// DIR: the Lucene index bench/spell/compare.sh builds (its --work folder's
// lucene/: one field "text", title and body, StandardAnalyzer, no stemming).
// For each of ROUNDS rounds and each word of WORDS.txt (one a line), times
// IndexSearcher.search(query, 10) with System.nanoTime, in process, for
// TermQuery(text:word) and FuzzyQuery(text:word, 2) (Lucene's defaults: at
// most 50 expansions, a transposition counting one edit). The words are
// run in that order, exact and fuzzy alternating, so the JIT warms both
// alike. Prints, for each kind, the p50, p99 and max in ms.
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

public class LuceneFuzzy {
  static double timeMs(IndexSearcher searcher, Query query) throws Exception {
    long start = System.nanoTime();
    searcher.search(query, 10);
    return (System.nanoTime() - start) / 1e6;
  }

  static String summary(String kind, List<Double> ms) {
    Collections.sort(ms);
    int n = ms.size();
    return String.format("%s n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms", kind, n,
        ms.get((int) Math.round(n * 0.5) - 1), ms.get((int) Math.round(n * 0.99) - 1), ms.get(n - 1));
  }

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[1]);
    List<String> words = Files.readAllLines(new File(args[2]).toPath(), StandardCharsets.UTF_8);
    try (IndexReader reader = DirectoryReader.open(FSDirectory.open(new File(args[0])))) {
      IndexSearcher searcher = new IndexSearcher(reader);
      List<Double> exact = new ArrayList<>();
      List<Double> fuzzy = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        for (String word : words) {
          if (word.isEmpty()) continue;
          Term term = new Term("text", word);
          exact.add(timeMs(searcher, new TermQuery(term)));
          fuzzy.add(timeMs(searcher, new FuzzyQuery(term, 2)));
        }
      }
      System.out.println(summary("lucene word", exact));
      System.out.println(summary("lucene word~2", fuzzy));
    }
  }
}
