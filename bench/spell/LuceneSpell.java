// Lucene 4.10's DirectSpellChecker, for bench/spell/compare.sh.
//
//   java LuceneSpell index CORPUS.jsonl DIR
//   java LuceneSpell suggest DIR WORDS.txt > suggestions.tsv
//
// index: a Lucene index of the corpus, one field "text" (title and body,
// StandardAnalyzer without stop words: lower-cased words, as the words a
// spell checker reads should be), not stored. suggest: for each line of
// WORDS.txt, DirectSpellChecker.suggestSimilar(text:word, 1, reader,
// SUGGEST_WHEN_NOT_IN_INDEX) (its defaults: at most 2 edits, the first letter
// kept, accuracy 0.5, words in at least 1% of the documents... as Lucene
// ships it) timed in process with System.nanoTime; when the word is in the
// index and nothing is suggested, SUGGEST_MORE_POPULAR is asked too (a word
// misspelled in the corpus itself is still corrected). Prints
// word<TAB>suggestion<TAB>microseconds (the word itself when none).
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.util.CharArraySet;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public class LuceneSpell {
  // The string value of field `name` of a JSON object on one line ("" when
  // absent): the corpus's lines are flat objects of strings.
  static String field(String line, String name) {
    int at = line.indexOf("\"" + name + "\"");
    if (at < 0)
      return "";
    at = line.indexOf(':', at + name.length() + 2);
    if (at < 0)
      return "";
    at = line.indexOf('"', at + 1);
    if (at < 0)
      return "";
    int end = at + 1;
    while (end < line.length() && line.charAt(end) != '"') end += line.charAt(end) == '\\' ? 2 : 1;
    return unescape(line.substring(at + 1, Math.min(end, line.length())));
  }

  static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        b.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n':
          b.append('\n');
          break;
        case 't':
          b.append('\t');
          break;
        case 'r':
          b.append('\r');
          break;
        case 'b':
          b.append('\b');
          break;
        case 'f':
          b.append('\f');
          break;
        case 'u':
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
          break;
        default:
          b.append(n);
      }
    }
    return b.toString();
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("index")) {
      StandardAnalyzer analyzer =
          new StandardAnalyzer(Version.LUCENE_4_10_4, CharArraySet.EMPTY_SET);
      IndexWriterConfig config = new IndexWriterConfig(Version.LUCENE_4_10_4, analyzer);
      config.setRAMBufferSizeMB(256);
      try (IndexWriter w = new IndexWriter(FSDirectory.open(new File(args[2])), config);
           BufferedReader in = new BufferedReader(
               new InputStreamReader(new FileInputStream(args[1]), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          Document doc = new Document();
          doc.add(new TextField(
              "text", field(line, "title") + "\n" + field(line, "body"), Field.Store.NO));
          w.addDocument(doc);
        }
        w.forceMerge(1);
      }
      return;
    }
    try (IndexReader reader = DirectoryReader.open(FSDirectory.open(new File(args[1])));
         BufferedReader in = new BufferedReader(
             new InputStreamReader(new FileInputStream(args[2]), StandardCharsets.UTF_8))) {
      DirectSpellChecker checker = new DirectSpellChecker();
      String word;
      StringBuilder out = new StringBuilder();
      while ((word = in.readLine()) != null) {
        long start = System.nanoTime();
        Term term = new Term("text", word.toLowerCase());
        SuggestWord[] s =
            checker.suggestSimilar(term, 1, reader, SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
        if (s.length == 0)
          s = checker.suggestSimilar(term, 1, reader, SuggestMode.SUGGEST_MORE_POPULAR);
        double us = (System.nanoTime() - start) / 1000.0;
        out.append(word)
            .append('\t')
            .append(s.length > 0 ? s[0].string : word)
            .append('\t')
            .append(String.format("%.1f", us))
            .append('\n');
      }
      System.out.print(out);
    }
  }
}
