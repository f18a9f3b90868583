#include "cli.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "scry/util/json.h"

namespace scry {

namespace {

// Prints and flushes `text` on stdout; false (the error reported) when the
// write failed.
bool emit(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  return output_ok(kProgram);
}

// One line of --suggest's output: `corrected`, after the ID and tab the
// input line had (`id_tab`); with `json`, the object {"query","text",
// "suggestion"} instead.
std::string suggest_line(std::string_view tag, std::string_view id_tab, std::string_view text,
                         std::string_view corrected, bool json) {
  if (!json) return std::string(id_tab).append(corrected).append("\n");
  return "{\"query\":" + json_string(tag) + ",\"text\":" + json_string(text) +
         ",\"suggestion\":" + json_string(corrected) + "}\n";
}

// Prints one query's answer (or count: tagged when `tag_count`) on stdout;
// false (the error reported) when the write failed.
bool print_answer(const Answer& answer, std::string_view tag, std::string_view query,
                  const RunOptions& options, bool tag_count) {
  const Format format = options.output.format;
  const bool tagged = tag_count || format == Format::kJson;
  bool written = options.query.count_only
                     ? emit(format_count(answer.total_hits, tagged ? tag : "", format))
                     : emit(format_answer(answer, tag, query, options.output));
  if (options.stats) print_query_stats(tag, answer);
  return written;
}

// Reads the next line of `in` into *line (without its '\n'); false at the
// end of the input.
bool read_line(std::FILE* in, std::string* line) {
  line->clear();
  int c;
  while ((c = std::getc(in)) != EOF && c != '\n') line->push_back(static_cast<char>(c));
  return c != EOF || !line->empty();
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

}  // namespace

Result<size_t> parse_hits(std::string_view text, size_t min) {
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > kMaxHits) {
    return Status::invalid_argument("expected a whole number from " + std::to_string(min) + " to " +
                                    std::to_string(kMaxHits) + ", got '" + std::string(text) + "'");
  }
  return value;
}

Result<double> parse_real(std::string_view text, double min, double max) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value < min || value > max) {
    char range[64];
    std::snprintf(range, sizeof range,
                  max == HUGE_VAL ? "a number >= %g" : "a number from %g to %g", min, max);
    return Status::invalid_argument(std::string("expected ") + range + ", got '" +
                                    std::string(text) + "'");
  }
  return value;
}

Result<TypoTolerance> parse_typos(std::string_view text) {
  const size_t comma = text.find(',');
  auto one = parse_hits(text.substr(0, comma), 1);
  auto two = comma == std::string_view::npos ? Result<size_t>(size_t{0})
                                             : parse_hits(text.substr(comma + 1), 1);
  if (!one || !two || (*two != 0 && *two < *one)) {
    return Status::invalid_argument(
        "expected ONE,TWO (the lengths from which a word allows one and two typos, 1 <= ONE "
        "<= TWO) or ONE, got '" +
        std::string(text) + "'");
  }
  return TypoTolerance{*one, *two};
}

void print_query_stats(std::string_view tag, const Answer& answer) {
  std::fprintf(stderr,
               "scry-search: query %.*s: %s%llu %s, %.3f ms search, %.3f ms documents and "
               "snippets\n",
               static_cast<int>(tag.size()), tag.data(), answer.total_exact ? "" : "at least ",
               static_cast<unsigned long long>(answer.total_hits),
               answer.total_hits == 1 ? "match" : "matches", answer.search_ms, answer.fetch_ms);
}

void note_no_terms(const Answer& answer, const std::string& where) {
  if (!answer.no_terms) return;
  std::fprintf(stderr, "scry-search: %s%s\n", where.c_str(), format_no_terms().c_str());
}

std::string query_failure(const Status& status) {
  if (status.code() == Status::Code::kCancelled &&
      status.message().find("timed out") != std::string::npos) {
    return status.message() + " (--timeout MS sets the limit; 0: none)";
  }
  return status.message();
}

int fail_syntax(std::string_view query, const Answer& answer) {
  fail(kProgram, answer.syntax_message);
  std::fprintf(stderr, "%s\n", caret_message(query, *answer.syntax_error).c_str());
  return kExitError;
}

int run_one(Engine& engine, std::string_view query, const RunOptions& options) {
  auto answer = engine.answer(query, options.query);
  if (!answer) return fail(kProgram, query_failure(answer.status()));
  if (answer->syntax_error) return fail_syntax(query, *answer);
  note_no_terms(*answer);
  if (!print_answer(*answer, "1", query, options, false)) return kExitError;
  return answer->total_hits > 0 ? kExitHit : kExitNoHit;
}

int run_suggest(Engine& engine, const std::optional<std::string>& query, std::FILE* in,
                const RunOptions& options) {
  const bool stats = options.stats;
  const bool json = options.output.format == Format::kJson;
  bool noted = false;
  bool invalid = false;  // A query was not UTF-8.
  std::string tag;
  std::string where;  // "line N: " on standard input.
  if (stats) {        // Load the words first, so that each line's time is its own.
    const auto start = std::chrono::steady_clock::now();
    (void)engine.suggest("");
    std::fprintf(stderr, "scry-search: words loaded in %.3f ms\n",
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  // The corrected query, or `q` itself (with the note once) when the index
  // has no word dictionary or (reported) when `q` is not UTF-8; nullopt
  // after another error (reported).
  auto correct = [&](std::string_view q) -> std::optional<std::string> {
    const auto start = std::chrono::steady_clock::now();
    auto corrected = engine.suggest(q);
    if (stats) {
      std::fprintf(
          stderr, "scry-search: suggest %s: %.1f us\n", tag.c_str(),
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
              .count());
    }
    if (corrected) return std::move(corrected).value();
    if (corrected.status().code() == Status::Code::kInvalidArgument) {
      fail(kProgram, where + corrected.status().message());
      invalid = true;
      return std::string(q);
    }
    if (corrected.status().code() != Status::Code::kNotSupported) {
      fail(kProgram, corrected.status().message());
      return std::nullopt;
    }
    if (!noted) std::fprintf(stderr, "scry-search: %s\n", corrected.status().message().c_str());
    noted = true;
    return std::string(q);
  };
  if (query) {
    tag = "1";
    auto corrected = correct(*query);
    if (!corrected || invalid) return kExitError;
    return emit(suggest_line(tag, "", *query, *corrected, json)) ? kExitHit : kExitError;
  }
  std::string raw;
  for (size_t line_number = 1; read_line(in, &raw); ++line_number) {
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string out;
    tag = std::to_string(line_number);
    where = "line " + tag + ": ";
    if (size_t tab = line.find('\t'); tab != std::string_view::npos) {
      out = std::string(line.substr(0, tab + 1));
      tag = std::string(line.substr(0, tab));
      line.remove_prefix(tab + 1);
    }
    auto corrected = correct(line);
    if (!corrected) return kExitError;
    if (!emit(suggest_line(tag, out, line, *corrected, json))) return kExitError;
  }
  if (std::ferror(in)) return fail(kProgram, "reading the queries failed");
  return invalid ? kExitError : kExitHit;
}

int run_batch(Engine& engine, std::FILE* in, const RunOptions& options) {
  RunOptions batch = options;
  batch.output.heading = true;
  const bool json = batch.output.format == Format::kJson;  // Errors are JSON lines too.
  std::string raw;
  bool any_hit = false;
  bool any_failed = false;
  bool any_query = false;
  bool first = true;
  for (size_t line_number = 1; read_line(in, &raw); ++line_number) {
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string tag = std::to_string(line_number);
    if (size_t tab = line.find('\t'); tab != std::string_view::npos) {
      tag = std::string(line.substr(0, tab));
      line.remove_prefix(tab + 1);
    }
    if (is_blank(line)) continue;
    any_query = true;
    auto answer = engine.answer(line, batch.query);
    const std::string where = "line " + std::to_string(line_number) + ": ";
    if (!answer && answer.status().code() == Status::Code::kCancelled) {
      // Past its time limit: that query fails, the others still run.
      fail(kProgram, where + query_failure(answer.status()));
      any_failed = true;
      if (json && !emit(format_json_error(tag, query_failure(answer.status()), std::nullopt))) {
        return kExitError;
      }
      continue;
    }
    if (!answer) return fail(kProgram, where + answer.status().message());
    note_no_terms(*answer, where);
    if (answer->syntax_error) {
      fail(kProgram, "line " + std::to_string(line_number) + ": " + answer->syntax_message);
      any_failed = true;
      const QueryError& error = *answer->syntax_error;
      if (json &&
          !emit(format_json_error(tag, error.message, query_column(line, error.position)))) {
        return kExitError;
      }
      continue;
    }
    if (batch.output.format == Format::kText && !batch.query.count_only && !first && !emit("\n")) {
      return kExitError;
    }
    first = false;
    if (!print_answer(*answer, tag, line, batch, true)) return kExitError;
    any_hit = any_hit || answer->total_hits > 0;
  }
  if (std::ferror(in)) return fail(kProgram, "reading the queries failed");
  if (!any_query) std::fprintf(stderr, "%s: %s\n", kProgram, format_no_queries().c_str());
  if (any_failed) return kExitError;
  return any_hit ? kExitHit : kExitNoHit;
}

}  // namespace scry
