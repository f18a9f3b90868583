#include "output.h"

#include <algorithm>

#include "scry/format/format.h"
#include "scry/text/analyzer.h"
#include "scry/util/decimal.h"
#include "scry/util/json.h"
#include "scry/util/utf8.h"

namespace scry {

namespace {

// Makes every control character (C0, DEL, C1) of the valid UTF-8 text
// (*out)[from, end) a space.
void blank_controls(std::string* out, size_t from) {
  std::string& s = *out;
  for (size_t i = ascii_run_end(s, from, s.size(), 0x20); i < s.size();
       i = ascii_run_end(s, i, s.size(), 0x20)) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      s[i] = ' ';
    } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      s.replace(i, 2, " ");  // U+0080..U+009F.
    }
    ++i;
  }
}

// `text` made valid UTF-8 with every control character (C0, DEL, C1) a
// space, for one line of a terminal or one TSV field.
std::string one_line(std::string_view text) {
  std::string out(text);
  repair_utf8(&out);
  blank_controls(&out, 0);
  return out;
}

// Appends one_line(text) to `out`, without a copy of its own when `text`
// is valid UTF-8 (nearly always).
void append_one_line(std::string_view text, std::string* out) {
  if (!is_valid_utf8(text)) {
    out->append(one_line(text));
    return;
  }
  const size_t from = out->size();
  out->append(text);
  blank_controls(out, from);
}

const char* field_name(Field field) { return kFieldNames[static_cast<size_t>(field)]; }

void text_hit(const AnswerHit& hit, const OutputOptions& options, std::string* out) {
  *out += std::to_string(hit.rank) + ". " + fixed_decimal(hit.score, 3) + "  " +
          one_line(hit.title.empty() ? hit.id : hit.title) + "\n";
  *out += "    " + one_line(hit.source.empty() ? hit.id : hit.source) + "\n";
  if (hit.snippet) *out += "    " + render(*hit.snippet, options.highlight) + "\n";
  for (const TermExplain& e : hit.explain) {
    *out += "    term=" + one_line(e.term) + " field=" + field_name(e.field) +
            " idf=" + fixed_decimal(e.idf, 3) + " tf=" + std::to_string(e.tf) +
            " dl=" + std::to_string(e.doc_len) + " score=" + fixed_decimal(e.score, 3) + "\n";
  }
}

std::string text_answer(const Answer& answer, std::string_view tag, std::string_view query,
                        const OutputOptions& options) {
  std::string out;
  if (options.heading) out += "query " + one_line(tag) + ": " + one_line(query) + "\n";
  if (options.summary) {
    out += std::to_string(answer.total_hits) + (answer.total_hits == 1 ? " match" : " matches");
    if (!answer.hits.empty()) {
      out += " (showing " + std::to_string(answer.hits.front().rank) + "-" +
             std::to_string(answer.hits.back().rank) + ", ";
    } else {
      out += " (";
    }
    out += fixed_decimal(answer.search_ms + answer.fetch_ms, 2) + " ms)\n";
    if (!answer.hits.empty()) out += "\n";
  }
  if (!answer.parsed.empty() && !answer.hits.empty())
    out += "parsed: " + one_line(answer.parsed) + "\n\n";
  for (size_t i = 0; i < answer.hits.size(); ++i) {
    if (i > 0) out += "\n";
    text_hit(answer.hits[i], options, &out);
  }
  if (options.summary && answer.did_you_mean) {
    out += (answer.hits.empty() ? "" : "\n") + format_did_you_mean(answer);
  }
  return out;
}

std::string tsv_answer(const Answer& answer, std::string_view tag, const OutputOptions& options) {
  Highlight highlight =
      options.highlight == Highlight::kMarkers ? Highlight::kMarkers : Highlight::kNone;
  std::string out;
  for (const AnswerHit& hit : answer.hits) {
    append_one_line(tag, &out);
    out += '\t';
    out += std::to_string(hit.rank);
    out += '\t';
    append_one_line(hit.id, &out);
    out += '\t';
    out += fixed_decimal(hit.score, 6);
    out += '\t';
    append_one_line(hit.title, &out);
    out += '\t';
    if (hit.snippet) {
      if (highlight == Highlight::kNone) {
        append_one_line(hit.snippet->text, &out);
      } else {
        append_one_line(render(*hit.snippet, highlight), &out);
      }
    }
    out += '\n';
  }
  return out;
}

std::string json_answer(const Answer& answer, std::string_view tag) {
  std::string out;
  const std::string did_you_mean =
      answer.did_you_mean ? ",\"did_you_mean\":" + json_string(*answer.did_you_mean) +
                                ",\"did_you_mean_hits\":" + std::to_string(answer.did_you_mean_hits)
                          : "";
  if (answer.hits.empty() && answer.did_you_mean) {
    out += "{\"query\":" + json_string(tag) + did_you_mean + "}\n";
  }
  for (const AnswerHit& hit : answer.hits) {
    out += "{\"query\":" + json_string(tag) + ",\"rank\":" + std::to_string(hit.rank) +
           ",\"id\":" + json_string(hit.id) + ",\"score\":" + fixed_decimal(hit.score, 6) +
           ",\"title\":" + json_string(hit.title) + ",\"source\":" + json_string(hit.source);
    if (hit.snippet) {
      out += ",\"snippet\":" + json_string(hit.snippet->text) + ",\"matches\":[";
      for (size_t i = 0; i < hit.snippet->highlights.size(); ++i) {
        const auto& [start, end] = hit.snippet->highlights[i];
        out += (i > 0 ? ",[" : "[") + std::to_string(start) + "," + std::to_string(end) + "]";
      }
      out += "]";
    }
    if (!answer.parsed.empty()) out += ",\"parsed\":" + json_string(answer.parsed);
    if (!hit.explain.empty()) {
      out += ",\"explain\":[";
      for (size_t i = 0; i < hit.explain.size(); ++i) {
        const TermExplain& e = hit.explain[i];
        out += (i > 0 ? ",{\"term\":" : "{\"term\":") + json_string(e.term) + ",\"field\":\"" +
               field_name(e.field) + "\",\"idf\":" + fixed_decimal(e.idf, 6) +
               ",\"tf\":" + std::to_string(e.tf) + ",\"dl\":" + std::to_string(e.doc_len) +
               ",\"score\":" + fixed_decimal(e.score, 6) + "}";
      }
      out += "]";
    }
    out += did_you_mean + "}\n";
  }
  return out;
}

// `text` as one whitespace-free TREC field (spaces and controls become '_').
std::string trec_field(std::string_view text) {
  std::string out = one_line(text);
  for (char& c : out) {
    if (c == ' ') c = '_';
  }
  return out.empty() ? "_" : out;
}

std::string trec_answer(const Answer& answer, std::string_view tag) {
  std::string out;
  for (const AnswerHit& hit : answer.hits) {
    out += trec_field(tag) + " Q0 " + trec_field(hit.id) + " " + std::to_string(hit.rank) + " " +
           fixed_decimal(hit.score, 6) + " scry\n";
  }
  return out;
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "tsv") return Format::kTsv;
  if (name == "json") return Format::kJson;
  if (name == "trec") return Format::kTrec;
  return std::nullopt;
}

const char* format_name(Format format) {
  switch (format) {
    case Format::kText:
      return "text";
    case Format::kTsv:
      return "tsv";
    case Format::kJson:
      return "json";
    case Format::kTrec:
      return "trec";
  }
  return "text";
}

std::string format_answer(const Answer& answer, std::string_view tag, std::string_view query,
                          const OutputOptions& options) {
  switch (options.format) {
    case Format::kText:
      return text_answer(answer, tag, query, options);
    case Format::kTsv:
      return tsv_answer(answer, tag, options);
    case Format::kJson:
      return json_answer(answer, tag);
    case Format::kTrec:
      return trec_answer(answer, tag);
  }
  return {};
}

std::string format_did_you_mean(const Answer& answer) {
  if (!answer.did_you_mean) return {};
  return "did you mean: " + one_line(*answer.did_you_mean) + "? (" +
         std::to_string(answer.did_you_mean_hits) +
         (answer.did_you_mean_hits == 1 ? " hit)\n" : " hits)\n");
}

std::string format_count(uint64_t count, std::string_view tag, Format format) {
  if (format == Format::kJson) {
    return "{\"query\":" + json_string(tag) + ",\"count\":" + std::to_string(count) + "}\n";
  }
  std::string line = tag.empty() ? "" : one_line(tag) + "\t";
  return line + std::to_string(count) + "\n";
}

std::string format_no_terms() {
  return "the query has no word to search for (every word is a stop word, such as 'the', only "
         "symbols, or longer than " +
         std::to_string(Analyzer::kMaxTermBytes) +
         " bytes, which the index does not keep), so it matches nothing";
}

std::string format_no_queries() {
  return "no query read: give queries one a line on standard input (or --queries FILE), or a "
         "QUERY argument; on a terminal, without one, the REPL starts";
}

std::string format_json_error(std::string_view tag, std::string_view message,
                              std::optional<size_t> column) {
  std::string line = "{\"query\":" + json_string(tag) + ",\"error\":" + json_string(message);
  if (column) line += ",\"column\":" + std::to_string(*column);
  return line + "}\n";
}

std::string format_document(const StoredDocument& doc, Format format) {
  // The text without the blank lines and spaces around it (text and TSV).
  std::string_view body = doc.body;
  body.remove_prefix(std::min(body.size(), body.find_first_not_of(" \t\r\n")));
  body.remove_suffix(body.size() - std::min(body.size(), body.find_last_not_of(" \t\r\n") + 1));
  switch (format) {
    case Format::kTsv:
      return one_line(doc.id) + "\t" + one_line(doc.title) + "\t" + one_line(doc.source) + "\t" +
             one_line(body) + "\n";
    case Format::kJson:
      return "{\"id\":" + json_string(doc.id) + ",\"title\":" + json_string(doc.title) +
             ",\"source\":" + json_string(doc.source) + ",\"text\":" + json_string(doc.body) +
             "}\n";
    case Format::kText:
    case Format::kTrec:
      break;
  }
  std::string text = "id: " + one_line(doc.id) + "\ntitle: " + one_line(doc.title) +
                     "\nsource: " + one_line(doc.source) + "\n\n";
  for (std::string_view rest = body; !rest.empty();) {
    size_t end = rest.find_first_of("\n\t");
    text += one_line(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    text += rest[end];
    rest.remove_prefix(end + 1);
  }
  return body.empty() ? text : text + "\n";
}

std::string format_listed(const StoredDocument& doc, Format format) {
  if (format == Format::kJson) {
    return "{\"id\":" + json_string(doc.id) + ",\"title\":" + json_string(doc.title) + "}\n";
  }
  return one_line(doc.id) + "\t" + one_line(doc.title) + "\n";
}

}  // namespace scry
