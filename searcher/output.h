// Output formats of scry-search (docs/SEARCHING.md, "Output formats"): one
// query's answer as text for people, TSV with stable columns, or JSON
// lines.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scry/engine/engine.h"
#include "scry/format/doc_store.h"
#include "scry/snippet/snippet.h"

namespace scry {

enum class Format { kText, kTsv, kJson, kTrec };

// "text", "tsv", "json" or "trec" to a Format; nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
const char* format_name(Format format);

struct OutputOptions {
  Format format = Format::kText;
  // How snippets are highlighted. TSV honours kMarkers only (plain text
  // otherwise); JSON always carries the plain text and the match offsets.
  Highlight highlight = Highlight::kNone;
  // Text: first a line "N matches (showing A-B, T ms)" (for terminals).
  bool summary = false;
  // Text: first a line "query TAG: QUERY" (several queries on one output).
  bool heading = false;
};

// Text, per query: [heading] [summary] ["parsed: " the parsed query, with
// --explain] then each hit: "RANK. SCORE  TITLE", the source and the snippet
// indented by four spaces, then the explain lines, a blank line between
// hits. TSV: one line a hit: TAG, RANK, ID, SCORE (%.6f), TITLE, SNIPPET.
// JSON: one object a hit: query, rank, id, score, title, source, then
// snippet and matches (unless --no-snippets), parsed and explain (with
// --explain). TREC: one run line a hit, "TAG Q0 ID RANK SCORE scry" (spaces
// inside TAG or ID become '_'), the input of trec_eval and scry-eval.

// One query's answer, tagged `tag` (TSV's first column, JSON's "query"),
// ready to print; empty when there is no hit, unless the options ask for a
// summary or heading. Text fields are sanitised: control characters become
// spaces (so TSV fields never hold a tab or a line break), JSON strings are
// escaped and always valid UTF-8.
// REQUIRES: !answer.syntax_error
std::string format_answer(const Answer& answer, std::string_view tag, std::string_view query,
                          const OutputOptions& options);

// The line "did you mean: QUERY? (N hits)" of an answer with
// Answer::did_you_mean (docs/SPELLING.md); empty without it. Text printed
// on a terminal ends with it (after the hits); JSON carries it as the
// fields did_you_mean and did_you_mean_hits of every hit (or of one object
// {"query":TAG,...} when there is none); TSV and TREC never show it.
std::string format_did_you_mean(const Answer& answer);

// The line of --count: "COUNT\n", or "TAG\tCOUNT\n" when `tag` is not
// empty; with --format json, {"query":TAG,"count":COUNT}.
std::string format_count(uint64_t count, std::string_view tag, Format format);

// A query of a batch that failed, with --format json: one line
// {"query":TAG,"error":MESSAGE,"column":COLUMN}, so that a reader of the
// JSON lines sees it. COLUMN (characters from 1, as in syntax errors) is
// left out when the error has no place (a query past its time limit).
// Why a query with no term to search for (Answer::no_terms) matches
// nothing, for standard error: "the query has no word to search for (...)".
std::string format_no_terms();

// Why a batch that read no query (an empty standard input or file) answers
// nothing, for standard error.
std::string format_no_queries();

std::string format_json_error(std::string_view tag, std::string_view message,
                              std::optional<size_t> column);

// A stored document (--doc, the REPL's :show). Text (and TREC): lines
// "id: ID", "title: TITLE", "source: SOURCE", a blank line, then the text
// without the blank lines around it, with its line breaks and tabs (other
// control characters become spaces). TSV: one line ID, TITLE, SOURCE, TEXT
// (trimmed). JSON: one object id, title, source, text (as stored).
std::string format_document(const StoredDocument& doc, Format format);

// One line of --list: text, TSV (and TREC) "ID<TAB>TITLE"; JSON
// {"id":ID,"title":TITLE}.
std::string format_listed(const StoredDocument& doc, Format format);

}  // namespace scry
