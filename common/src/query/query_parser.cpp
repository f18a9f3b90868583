#include "scry/query/query_parser.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/util/utf8.h"

namespace scry {

namespace {

constexpr std::string_view kTitlePrefix = "title:";

// The byte length of the white space character at text[i], or 0: ASCII
// white space, the other ASCII control characters (NUL included: they
// separate words as the analyzer separates tokens, and a terminal shows
// them as spaces) and the Unicode spaces (no-break, ideographic, ...).
// REQUIRES: i < text.size()
size_t space_length(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c == ' ' || c < 0x20 || c == 0x7F) return 1;
  if (c < 0x80) return 0;
  const Utf8Char ch = decode_utf8(text, i);
  switch (ch.code) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return ch.length;
    default:
      return ch.code >= 0x2000 && ch.code <= 0x200A ? ch.length : 0;
  }
}

// Columns a terminal gives the character: 2 for East Asian wide and
// fullwidth characters, 0 for combining diacritics, else 1.
size_t display_width(char32_t code) {
  if (code >= 0x300 && code <= 0x36F) return 0;
  const bool wide = (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0x303E) ||
                    (code >= 0x3041 && code <= 0x33FF) || (code >= 0x3400 && code <= 0x4DBF) ||
                    (code >= 0x4E00 && code <= 0x9FFF) || (code >= 0xA000 && code <= 0xA4CF) ||
                    (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
                    (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF60) ||
                    (code >= 0xFFE0 && code <= 0xFFE6) || (code >= 0x1F300 && code <= 0x1F64F) ||
                    (code >= 0x1F900 && code <= 0x1F9FF) || (code >= 0x20000 && code <= 0x3FFFD);
  return wide ? 2 : 1;
}

enum class LexemeKind {
  kWord,
  kPhrase,
  kPrefix,
  kFuzzy,
  kOpen,
  kClose,
  kAnd,
  kOr,
  kNot,
  kPlus,
  kMinus,
  kEnd
};

struct Lexeme {
  LexemeKind kind = LexemeKind::kEnd;
  size_t position = 0;         // Byte offset of its first character (of "title:" if any).
  Field field = Field::kText;  // kTitle after "title:" (leaves and '(').
  std::string_view text;       // Leaves: the word, prefix (no '*') or phrase body.
  int max_edits = 0;           // kFuzzy: the N of "word~N".
};

// Splits the query into tokens, one at a time, in one left-to-right pass.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // The next token; false with `error` filled on a lexical error.
  bool next(Lexeme* token, QueryError* error) {
    // Right after '+' or '-' comes an operand, glued to it: no white space
    // to skip and no operator words.
    const bool operand_only = std::exchange(operand_only_, false);
    if (!operand_only) skip_space();
    *token = Lexeme{};
    token->position = pos_;
    if (pos_ == text_.size()) return true;
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      token->kind = c == '(' ? LexemeKind::kOpen : LexemeKind::kClose;
      ++pos_;
      return true;
    }
    if (c == '"') return phrase(token, error);
    if (c == '+' || c == '-') {
      token->kind = c == '+' ? LexemeKind::kPlus : LexemeKind::kMinus;
      ++pos_;
      if (pos_ == text_.size() || space_length(text_, pos_) > 0 || text_[pos_] == ')') {
        return fail(token->position, std::string("missing operand after '") + c + "'", error);
      }
      operand_only_ = true;
      return true;
    }
    const size_t end = run_end(pos_);
    std::string_view run = text_.substr(pos_, end - pos_);
    if (!operand_only && (run == "AND" || run == "OR" || run == "NOT")) {
      token->kind = run == "AND"  ? LexemeKind::kAnd
                    : run == "OR" ? LexemeKind::kOr
                                  : LexemeKind::kNot;
      pos_ = end;
      return true;
    }
    if (run.starts_with(kTitlePrefix)) {
      token->field = Field::kTitle;
      run.remove_prefix(kTitlePrefix.size());
      if (run.empty()) {
        // "title:" is glued to a '(' or a phrase, or stands alone.
        pos_ = end;
        if (pos_ < text_.size() && text_[pos_] == '(') {
          token->kind = LexemeKind::kOpen;
          ++pos_;
          return true;
        }
        if (pos_ < text_.size() && text_[pos_] == '"') return phrase(token, error);
        return fail(token->position, "missing operand after 'title:'", error);
      }
    }
    pos_ = end;
    token->kind = LexemeKind::kWord;
    if (run.find('~') != std::string_view::npos) {
      return fuzzy(run, end, token, error);
    }
    if (run.ends_with('*')) {
      size_t stars = 0;
      while (stars < run.size() && run[run.size() - 1 - stars] == '*') ++stars;
      run.remove_suffix(stars);
      if (run.empty()) return fail(end - stars, "empty prefix", error);
      token->kind = LexemeKind::kPrefix;
    }
    token->text = run;
    return true;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size()) {
      const size_t length = space_length(text_, pos_);
      if (length == 0) return;
      pos_ += length;
    }
  }

  // The end of the word starting at `i`: the next white space, '(', ')' or '"'.
  size_t run_end(size_t i) const {
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == '(' || c == ')' || c == '"' || space_length(text_, i) > 0) return i;
      i += static_cast<unsigned char>(c) < 0x80 ? 1 : decode_utf8(text_, i).length;
    }
    return i;
  }

  // Lexes "word~N" or "word~", the run ending at byte `end`: a '~' must
  // be followed by nothing or by 0, 1 or 2, and end the word.
  bool fuzzy(std::string_view run, size_t end, Lexeme* token, QueryError* error) {
    const size_t tilde = run.rfind('~');
    const size_t tilde_position = end - run.size() + tilde;
    const std::string_view distance = run.substr(tilde + 1);
    const std::string_view word = run.substr(0, tilde);
    if (word.empty()) return fail(tilde_position, "missing word before '~'", error);
    if (!std::all_of(distance.begin(), distance.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return fail(tilde_position, "'~' must end a word, followed by 0, 1 or 2", error);
    }
    if (distance.size() > 1 || (distance.size() == 1 && distance[0] > '2')) {
      return fail(tilde_position + 1, "fuzzy distance must be 0, 1 or 2", error);
    }
    if (const size_t first = word.find('~'); first != std::string_view::npos) {
      return fail(end - run.size() + first, "'~' must end a word, followed by 0, 1 or 2", error);
    }
    if (word.ends_with('*')) return fail(tilde_position, "a prefix cannot be fuzzy", error);
    token->kind = LexemeKind::kFuzzy;
    token->text = word;
    token->max_edits = distance.empty() ? 2 : distance[0] - '0';
    return true;
  }

  // Lexes the phrase whose opening quote is at pos_.
  bool phrase(Lexeme* token, QueryError* error) {
    const size_t open = pos_;
    const size_t close = text_.find('"', open + 1);
    if (close == std::string_view::npos) return fail(open, "missing closing quote", error);
    token->kind = LexemeKind::kPhrase;
    token->text = text_.substr(open + 1, close - open - 1);
    pos_ = close + 1;
    bool blank = true;
    for (size_t i = open + 1; i < close && blank;) {
      const size_t length = space_length(text_, i);
      blank = length > 0;
      i += length;
    }
    if (blank) return fail(open, "empty phrase", error);
    if (pos_ < text_.size() && text_[pos_] == '*') {
      return fail(pos_, "a phrase cannot be a prefix", error);
    }
    if (pos_ < text_.size() && text_[pos_] == '~') {
      return fail(pos_, "a phrase cannot be fuzzy", error);
    }
    return true;
  }

  static bool fail(size_t position, std::string message, QueryError* error) {
    *error = QueryError{position, std::move(message)};
    return false;
  }

  std::string_view text_;
  size_t pos_ = 0;
  bool operand_only_ = false;
};

const char* operator_name(LexemeKind kind) {
  switch (kind) {
    case LexemeKind::kAnd:
      return "AND";
    case LexemeKind::kOr:
      return "OR";
    case LexemeKind::kNot:
      return "NOT";
    case LexemeKind::kPlus:
      return "+";
    case LexemeKind::kMinus:
      return "-";
    default:
      return "";
  }
}

enum class Occur { kShould, kMust, kMustNot };

// An operand of an AND chain, with the unary operator before it.
struct Item {
  Occur occur;
  Query query;
  size_t start;  // Its operator's position, or the operand's.
};

// One level of parentheses (the first is the whole query). Its clauses
// collect in `group`; the AND chain being read collects in `chain`.
struct Frame {
  Query group;
  std::vector<Item> chain;
  Field field = Field::kText;
  size_t open = 0;  // Position of its '(' (or of "title:(").
  bool has_operand = false;
  LexemeKind unary = LexemeKind::kEnd;  // kNot, kPlus or kMinus pending.
  size_t unary_position = 0;
  LexemeKind binary = LexemeKind::kEnd;  // kAnd or kOr pending.
  size_t binary_position = 0;
};

// Recursive descent with the recursion on an explicit stack of frames, so
// the nesting costs heap, not call stack, and is checked against the limit.
class Parser {
 public:
  Parser(std::string_view text, const ParseLimits& limits) : lexer_(text), limits_(limits) {}

  // Returns the query, or false with `error_` filled.
  bool parse(Query* out) {
    stack_.emplace_back();
    for (;;) {
      Lexeme token;
      if (!lexer_.next(&token, &error_)) return false;
      Frame& frame = stack_.back();
      switch (token.kind) {
        case LexemeKind::kWord:
        case LexemeKind::kPhrase:
        case LexemeKind::kPrefix:
        case LexemeKind::kFuzzy:
          if (!leaf(token)) return false;
          break;
        case LexemeKind::kOpen: {
          if (stack_.size() > limits_.max_depth) {
            return fail(token.position, "query nested too deeply (limit " +
                                            std::to_string(limits_.max_depth) + ")");
          }
          const Field field = token.field == Field::kTitle ? Field::kTitle : frame.field;
          stack_.emplace_back();
          stack_.back().field = field;
          stack_.back().open = token.position;
          break;
        }
        case LexemeKind::kClose: {
          if (stack_.size() == 1) return fail(token.position, "unexpected ')'");
          if (!check_no_pending(frame)) return false;
          if (!frame.has_operand) return fail(frame.open, "empty parentheses");
          const size_t open = frame.open;
          Query group = finish(&frame);
          stack_.pop_back();
          add(&stack_.back(), std::move(group), open);
          break;
        }
        case LexemeKind::kAnd:
        case LexemeKind::kOr:
          if (!check_no_pending(frame)) return false;
          if (!frame.has_operand) {
            return fail(token.position,
                        std::string("missing operand before '") + operator_name(token.kind) + "'");
          }
          frame.binary = token.kind;
          frame.binary_position = token.position;
          break;
        case LexemeKind::kNot:
        case LexemeKind::kPlus:
        case LexemeKind::kMinus:
          if (frame.unary != LexemeKind::kEnd) {
            return fail(token.position, std::string("'") + operator_name(token.kind) +
                                            "' cannot follow '" + operator_name(frame.unary) + "'");
          }
          frame.unary = token.kind;
          frame.unary_position = token.position;
          break;
        case LexemeKind::kEnd:
          if (!check_no_pending(frame)) return false;
          if (stack_.size() > 1) return fail(frame.open, "missing ')'");
          *out = finish_top(&frame);
          return true;
      }
    }
  }

  const QueryError& error() const { return error_; }

 private:
  bool leaf(const Lexeme& token) {
    if (++leaves_ > limits_.max_clauses) {
      return fail(token.position,
                  "too many terms (limit " + std::to_string(limits_.max_clauses) + ")");
    }
    Frame& frame = stack_.back();
    Query query;
    switch (token.kind) {
      case LexemeKind::kWord:
        query.kind = Query::Kind::kTerm;
        break;
      case LexemeKind::kPhrase:
        query.kind = Query::Kind::kPhrase;
        break;
      case LexemeKind::kFuzzy:
        query.kind = Query::Kind::kFuzzy;
        query.max_edits = token.max_edits;
        break;
      default:
        query.kind = Query::Kind::kPrefix;
        break;
    }
    query.field = token.field == Field::kTitle ? Field::kTitle : frame.field;
    query.text = std::string(token.text);
    query.position = token.position;
    add(&frame, std::move(query), token.position);
    return true;
  }

  // An operator still waiting for its operand is an error.
  bool check_no_pending(const Frame& frame) {
    if (frame.unary != LexemeKind::kEnd) {
      return fail(frame.unary_position,
                  std::string("missing operand after '") + operator_name(frame.unary) + "'");
    }
    if (frame.binary != LexemeKind::kEnd) {
      return fail(frame.binary_position,
                  std::string("missing operand after '") + operator_name(frame.binary) + "'");
    }
    return true;
  }

  // Adds an operand that starts at `position`: to the AND chain after AND,
  // else as the first operand of a new chain.
  static void add(Frame* frame, Query query, size_t position) {
    Occur occur = Occur::kShould;
    size_t start = position;
    if (frame->unary != LexemeKind::kEnd) {
      occur = frame->unary == LexemeKind::kPlus ? Occur::kMust : Occur::kMustNot;
      start = frame->unary_position;
      frame->unary = LexemeKind::kEnd;
    }
    if (frame->binary != LexemeKind::kAnd) commit_chain(frame);
    frame->chain.push_back(Item{occur, std::move(query), start});
    frame->binary = LexemeKind::kEnd;
    frame->has_operand = true;
  }

  // Moves the AND chain into the frame's clauses: one operand keeps its own
  // occurrence; several become a should Bool of musts and must_nots.
  static void commit_chain(Frame* frame) {
    std::vector<Item>& chain = frame->chain;
    if (chain.empty()) return;
    if (chain.size() == 1) {
      Item& item = chain.front();
      list_of(&frame->group, item.occur)->push_back(std::move(item.query));
    } else {
      Query all;
      all.position = chain.front().start;
      for (Item& item : chain) {
        (item.occur == Occur::kMustNot ? all.must_not : all.must).push_back(std::move(item.query));
      }
      frame->group.should.push_back(std::move(all));
    }
    chain.clear();
  }

  static std::vector<Query>* list_of(Query* bool_query, Occur occur) {
    switch (occur) {
      case Occur::kMust:
        return &bool_query->must;
      case Occur::kMustNot:
        return &bool_query->must_not;
      case Occur::kShould:
        break;
    }
    return &bool_query->should;
  }

  // The one must or should clause of `bool_query`, when that is all it
  // holds (such a Bool means the same as the clause), else null.
  static Query* sole_clause(Query* bool_query) {
    if (!bool_query->must_not.empty() || bool_query->must.size() + bool_query->should.size() != 1) {
      return nullptr;
    }
    return bool_query->must.empty() ? &bool_query->should.front() : &bool_query->must.front();
  }

  // The Bool of a parenthesized group, or its sole clause.
  static Query finish(Frame* frame) {
    commit_chain(frame);
    Query group = std::move(frame->group);
    group.position = frame->open;
    if (Query* sole = sole_clause(&group)) return std::move(*sole);
    return group;
  }

  // The whole query: always a Bool; a sole Bool clause replaces it.
  static Query finish_top(Frame* frame) {
    commit_chain(frame);
    Query top = std::move(frame->group);
    if (Query* sole = sole_clause(&top); sole != nullptr && sole->kind == Query::Kind::kBool) {
      Query inner = std::move(*sole);
      top = std::move(inner);
    }
    top.position = 0;
    return top;
  }

  bool fail(size_t position, std::string message) {
    error_ = QueryError{position, std::move(message)};
    return false;
  }

  Lexer lexer_;
  ParseLimits limits_;
  std::vector<Frame> stack_;
  size_t leaves_ = 0;
  QueryError error_{0, ""};
};

}  // namespace

size_t query_column(std::string_view text, size_t position) {
  size_t column = 1;
  for (size_t i = 0; i < position && i < text.size(); i += decode_utf8(text, i).length) ++column;
  return column;
}

std::string query_error_message(std::string_view text, const QueryError& error) {
  return "query:" + std::to_string(query_column(text, error.position)) + ": " + error.message;
}

Result<Query> parse_query(std::string_view text, const ParseLimits& limits, QueryError* error) {
  ParseLimits capped = limits;
  capped.max_depth = std::min(limits.max_depth, kMaxQueryDepth);
  Parser parser(text, capped);
  Query query;
  if (parser.parse(&query)) return query;
  const QueryError& found = parser.error();
  if (error != nullptr) *error = found;
  return Status::invalid_argument(query_error_message(text, found));
}

std::string caret_message(std::string_view text, const QueryError& error) {
  // The characters of `text`: where each starts, its code and its columns.
  struct Char {
    size_t offset;
    size_t length;
    char32_t code;
    size_t width;
  };
  std::vector<Char> chars;
  size_t columns = 0;
  for (size_t i = 0; i < text.size();) {
    const Utf8Char ch = decode_utf8(text, i);
    const bool control = ch.code < 0x20 || (ch.code >= 0x7F && ch.code < 0xA0);
    const size_t width = ch.code == '\t' ? 8 : control ? 1 : display_width(ch.code);
    chars.push_back({i, ch.length, ch.code, width});
    columns += std::max<size_t>(width, 1);
    i += ch.length;
  }
  size_t at = 0;  // The first character at or past the error.
  while (at < chars.size() && chars[at].offset < error.position) ++at;
  // A long query is shown as an excerpt around the error: some columns
  // before it, the rest of the line after it.
  size_t from = 0;
  size_t to = chars.size();
  if (columns > kCaretColumns) {
    size_t width = 0;
    from = at;
    // Zero-width characters count one, so that the excerpt's bytes are
    // bounded too.
    auto budget = [&](size_t c) { return std::max<size_t>(chars[c].width, 1); };
    while (from > 0 && width + budget(from - 1) <= kCaretColumns / 2) width += budget(--from);
    to = at;
    while (to < chars.size() && width + budget(to) <= kCaretColumns) width += budget(to++);
    // Near the end: give the room left to what comes before.
    while (from > 0 && width + budget(from - 1) <= kCaretColumns) width += budget(--from);
  }
  constexpr std::string_view kCut = "...";
  std::string line;
  std::string caret;
  if (from > 0) {
    line.append(kCut);
    caret.append(kCut.size(), ' ');
  }
  for (size_t c = from; c < to; ++c) {
    const Char& ch = chars[c];
    const bool before = c < at;
    if (ch.code == '\t') {
      line.push_back('\t');
      if (before) caret.push_back('\t');
    } else if (ch.code < 0x20 || (ch.code >= 0x7F && ch.code < 0xA0)) {
      line.push_back(' ');
      if (before) caret.push_back(' ');
    } else {
      if (ch.code == kReplacementChar && ch.length == 1) {
        line.append(kReplacementUtf8);
      } else {
        line.append(text.substr(ch.offset, ch.length));
      }
      if (before) caret.append(ch.width, ' ');
    }
  }
  if (to < chars.size()) line.append(kCut);
  return line + "\n" + caret + "^ " + error.message;
}

}  // namespace scry
