// html_to_text: a small hand-written HTML-to-text converter.
//
// It follows the HTML5 tokenizer where that matters for text (comments,
// raw-text elements, character references, attribute quoting) and is
// lenient everywhere else: any byte sequence is accepted, unterminated
// constructs run to the end of the input, nothing is ever thrown.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "scry/input/readers.h"
#include "scry/util/utf8.h"

namespace scry {
namespace {

struct NamedReference {
  std::string_view name;
  char32_t code;
};

// The HTML 4 character entity set (HTML5 code points), "apos", and the
// upper-case aliases HTML5 keeps; sorted by name in byte order.
constexpr NamedReference kNamedReferences[] = {
    {"AElig", 0xC6},     {"AMP", 0x26},      {"Aacute", 0xC1},    {"Acirc", 0xC2},
    {"Agrave", 0xC0},    {"Alpha", 0x391},   {"Aring", 0xC5},     {"Atilde", 0xC3},
    {"Auml", 0xC4},      {"Beta", 0x392},    {"COPY", 0xA9},      {"Ccedil", 0xC7},
    {"Chi", 0x3A7},      {"Dagger", 0x2021}, {"Delta", 0x394},    {"ETH", 0xD0},
    {"Eacute", 0xC9},    {"Ecirc", 0xCA},    {"Egrave", 0xC8},    {"Epsilon", 0x395},
    {"Eta", 0x397},      {"Euml", 0xCB},     {"GT", 0x3E},        {"Gamma", 0x393},
    {"Iacute", 0xCD},    {"Icirc", 0xCE},    {"Igrave", 0xCC},    {"Iota", 0x399},
    {"Iuml", 0xCF},      {"Kappa", 0x39A},   {"LT", 0x3C},        {"Lambda", 0x39B},
    {"Mu", 0x39C},       {"Ntilde", 0xD1},   {"Nu", 0x39D},       {"OElig", 0x152},
    {"Oacute", 0xD3},    {"Ocirc", 0xD4},    {"Ograve", 0xD2},    {"Omega", 0x3A9},
    {"Omicron", 0x39F},  {"Oslash", 0xD8},   {"Otilde", 0xD5},    {"Ouml", 0xD6},
    {"Phi", 0x3A6},      {"Pi", 0x3A0},      {"Prime", 0x2033},   {"Psi", 0x3A8},
    {"QUOT", 0x22},      {"REG", 0xAE},      {"Rho", 0x3A1},      {"Scaron", 0x160},
    {"Sigma", 0x3A3},    {"THORN", 0xDE},    {"Tau", 0x3A4},      {"Theta", 0x398},
    {"Uacute", 0xDA},    {"Ucirc", 0xDB},    {"Ugrave", 0xD9},    {"Upsilon", 0x3A5},
    {"Uuml", 0xDC},      {"Xi", 0x39E},      {"Yacute", 0xDD},    {"Yuml", 0x178},
    {"Zeta", 0x396},     {"aacute", 0xE1},   {"acirc", 0xE2},     {"acute", 0xB4},
    {"aelig", 0xE6},     {"agrave", 0xE0},   {"alefsym", 0x2135}, {"alpha", 0x3B1},
    {"amp", 0x26},       {"and", 0x2227},    {"ang", 0x2220},     {"apos", 0x27},
    {"aring", 0xE5},     {"asymp", 0x2248},  {"atilde", 0xE3},    {"auml", 0xE4},
    {"bdquo", 0x201E},   {"beta", 0x3B2},    {"brvbar", 0xA6},    {"bull", 0x2022},
    {"cap", 0x2229},     {"ccedil", 0xE7},   {"cedil", 0xB8},     {"cent", 0xA2},
    {"chi", 0x3C7},      {"circ", 0x2C6},    {"clubs", 0x2663},   {"cong", 0x2245},
    {"copy", 0xA9},      {"crarr", 0x21B5},  {"cup", 0x222A},     {"curren", 0xA4},
    {"dArr", 0x21D3},    {"dagger", 0x2020}, {"darr", 0x2193},    {"deg", 0xB0},
    {"delta", 0x3B4},    {"diams", 0x2666},  {"divide", 0xF7},    {"eacute", 0xE9},
    {"ecirc", 0xEA},     {"egrave", 0xE8},   {"empty", 0x2205},   {"emsp", 0x2003},
    {"ensp", 0x2002},    {"epsilon", 0x3B5}, {"equiv", 0x2261},   {"eta", 0x3B7},
    {"eth", 0xF0},       {"euml", 0xEB},     {"euro", 0x20AC},    {"exist", 0x2203},
    {"fnof", 0x192},     {"forall", 0x2200}, {"frac12", 0xBD},    {"frac14", 0xBC},
    {"frac34", 0xBE},    {"frasl", 0x2044},  {"gamma", 0x3B3},    {"ge", 0x2265},
    {"gt", 0x3E},        {"hArr", 0x21D4},   {"harr", 0x2194},    {"hearts", 0x2665},
    {"hellip", 0x2026},  {"iacute", 0xED},   {"icirc", 0xEE},     {"iexcl", 0xA1},
    {"igrave", 0xEC},    {"image", 0x2111},  {"infin", 0x221E},   {"int", 0x222B},
    {"iota", 0x3B9},     {"iquest", 0xBF},   {"isin", 0x2208},    {"iuml", 0xEF},
    {"kappa", 0x3BA},    {"lArr", 0x21D0},   {"lambda", 0x3BB},   {"lang", 0x27E8},
    {"laquo", 0xAB},     {"larr", 0x2190},   {"lceil", 0x2308},   {"ldquo", 0x201C},
    {"le", 0x2264},      {"lfloor", 0x230A}, {"lowast", 0x2217},  {"loz", 0x25CA},
    {"lrm", 0x200E},     {"lsaquo", 0x2039}, {"lsquo", 0x2018},   {"lt", 0x3C},
    {"macr", 0xAF},      {"mdash", 0x2014},  {"micro", 0xB5},     {"middot", 0xB7},
    {"minus", 0x2212},   {"mu", 0x3BC},      {"nabla", 0x2207},   {"nbsp", 0xA0},
    {"ndash", 0x2013},   {"ne", 0x2260},     {"ni", 0x220B},      {"not", 0xAC},
    {"notin", 0x2209},   {"nsub", 0x2284},   {"ntilde", 0xF1},    {"nu", 0x3BD},
    {"oacute", 0xF3},    {"ocirc", 0xF4},    {"oelig", 0x153},    {"ograve", 0xF2},
    {"oline", 0x203E},   {"omega", 0x3C9},   {"omicron", 0x3BF},  {"oplus", 0x2295},
    {"or", 0x2228},      {"ordf", 0xAA},     {"ordm", 0xBA},      {"oslash", 0xF8},
    {"otilde", 0xF5},    {"otimes", 0x2297}, {"ouml", 0xF6},      {"para", 0xB6},
    {"part", 0x2202},    {"permil", 0x2030}, {"perp", 0x22A5},    {"phi", 0x3C6},
    {"pi", 0x3C0},       {"piv", 0x3D6},     {"plusmn", 0xB1},    {"pound", 0xA3},
    {"prime", 0x2032},   {"prod", 0x220F},   {"prop", 0x221D},    {"psi", 0x3C8},
    {"quot", 0x22},      {"rArr", 0x21D2},   {"radic", 0x221A},   {"rang", 0x27E9},
    {"raquo", 0xBB},     {"rarr", 0x2192},   {"rceil", 0x2309},   {"rdquo", 0x201D},
    {"real", 0x211C},    {"reg", 0xAE},      {"rfloor", 0x230B},  {"rho", 0x3C1},
    {"rlm", 0x200F},     {"rsaquo", 0x203A}, {"rsquo", 0x2019},   {"sbquo", 0x201A},
    {"scaron", 0x161},   {"sdot", 0x22C5},   {"sect", 0xA7},      {"shy", 0xAD},
    {"sigma", 0x3C3},    {"sigmaf", 0x3C2},  {"sim", 0x223C},     {"spades", 0x2660},
    {"sub", 0x2282},     {"sube", 0x2286},   {"sum", 0x2211},     {"sup", 0x2283},
    {"sup1", 0xB9},      {"sup2", 0xB2},     {"sup3", 0xB3},      {"supe", 0x2287},
    {"szlig", 0xDF},     {"tau", 0x3C4},     {"there4", 0x2234},  {"theta", 0x3B8},
    {"thetasym", 0x3D1}, {"thinsp", 0x2009}, {"thorn", 0xFE},     {"tilde", 0x2DC},
    {"times", 0xD7},     {"trade", 0x2122},  {"uArr", 0x21D1},    {"uacute", 0xFA},
    {"uarr", 0x2191},    {"ucirc", 0xFB},    {"ugrave", 0xF9},    {"uml", 0xA8},
    {"upsih", 0x3D2},    {"upsilon", 0x3C5}, {"uuml", 0xFC},      {"weierp", 0x2118},
    {"xi", 0x3BE},       {"yacute", 0xFD},   {"yen", 0xA5},       {"yuml", 0xFF},
    {"zeta", 0x3B6},     {"zwj", 0x200D},    {"zwnj", 0x200C},
};

static_assert(std::is_sorted(std::begin(kNamedReferences), std::end(kNamedReferences),
                             [](const NamedReference& a, const NamedReference& b) {
                               return a.name < b.name;
                             }));

// The longest name that may appear without its ';' ("Agrave", "frac12"...).
constexpr size_t kLongestLegacyName = 6;
// Names are never longer than this; bounds the scan after '&'.
constexpr size_t kLongestName = 8;

// How HTML5 reads numeric references &#128; to &#159;: as Windows-1252
// (0: the code point is kept).
constexpr std::array<char32_t, 32> kWindows1252 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  //
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       //
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  //
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Elements whose start and end tags end a paragraph ("\n\n"), end a line
// ("\n") or separate words (" "); other elements are inline.
constexpr std::string_view kParagraphElements[] = {
    "address",  "article",    "aside",  "blockquote", "caption", "details", "dialog",  "dl",
    "fieldset", "figcaption", "figure", "footer",     "form",    "h1",      "h2",      "h3",
    "h4",       "h5",         "h6",     "header",     "hgroup",  "hr",      "listing", "main",
    "nav",      "ol",         "p",      "pre",        "section", "summary", "table",   "ul"};
constexpr std::string_view kLineElements[] = {"br",     "center", "dd",     "div", "dt",
                                              "legend", "li",     "option", "tr"};
constexpr std::string_view kWordElements[] = {"td", "th"};
// Elements whose content is raw text that is never shown.
constexpr std::string_view kHiddenRawTextElements[] = {"iframe",   "noembed", "noframes",
                                                       "noscript", "script",  "style"};
static_assert(std::is_sorted(std::begin(kParagraphElements), std::end(kParagraphElements)));
static_assert(std::is_sorted(std::begin(kLineElements), std::end(kLineElements)));
static_assert(std::is_sorted(std::begin(kHiddenRawTextElements), std::end(kHiddenRawTextElements)));

template <size_t N>
bool contains(const std::string_view (&sorted)[N], std::string_view name) {
  return std::binary_search(std::begin(sorted), std::end(sorted), name);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != lower[i]) return false;
  }
  return true;
}

const NamedReference* find_named_reference(std::string_view name) {
  const auto* it = std::lower_bound(
      std::begin(kNamedReferences), std::end(kNamedReferences), name,
      [](const NamedReference& ref, std::string_view key) { return ref.name < key; });
  if (it == std::end(kNamedReferences) || it->name != name) return nullptr;
  return it;
}

// HTML5 still decodes the Latin-1 names (and "amp", "lt", "gt", "quot")
// without their ';': "&copy2024" is "©2024".
bool is_legacy(const NamedReference& ref) { return ref.code <= 0xFF && ref.name != "apos"; }

// The character a numeric reference stands for: invalid code points (0,
// surrogates, above U+10FFFF) become U+FFFD.
char32_t numeric_reference_value(uint32_t value) {
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return kReplacementChar;
  }
  if (value >= 0x80 && value <= 0x9F && kWindows1252[value - 0x80] != 0) {
    return kWindows1252[value - 0x80];
  }
  return static_cast<char32_t>(value);
}

// Decodes the character reference that starts at s[pos] == '&' and appends
// it to `out`; when there is none, appends a literal '&'. Returns the
// position after what was consumed. Numeric references may omit their ';'.
size_t decode_reference(std::string_view s, size_t pos, std::string* out) {
  size_t i = pos + 1;
  if (i < s.size() && s[i] == '#') {
    ++i;
    const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    const size_t digits_start = i;
    uint32_t value = 0;
    for (; i < s.size(); ++i) {
      const char c = to_lower(s[i]);
      uint32_t digit;
      if (is_digit(c)) {
        digit = static_cast<uint32_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        digit = static_cast<uint32_t>(c - 'a' + 10);
      } else {
        break;
      }
      // Saturates above the Unicode range, so long digit runs cannot overflow.
      value = std::min<uint32_t>(value * (hex ? 16 : 10) + digit, 0x110000);
    }
    if (i == digits_start) {
      out->push_back('&');
      return pos + 1;
    }
    if (i < s.size() && s[i] == ';') ++i;
    append_utf8(numeric_reference_value(value), out);
    return i;
  }

  size_t end = i;
  while (end < s.size() && end - i <= kLongestName && is_alnum(s[end])) ++end;
  const std::string_view name = s.substr(i, end - i);
  if (end < s.size() && s[end] == ';') {
    if (const NamedReference* ref = find_named_reference(name)) {
      append_utf8(ref->code, out);
      return end + 1;
    }
  }
  for (size_t len = std::min(name.size(), kLongestLegacyName); len >= 2; --len) {
    const NamedReference* ref = find_named_reference(name.substr(0, len));
    if (ref != nullptr && is_legacy(*ref)) {
      append_utf8(ref->code, out);
      return i + len;
    }
  }
  out->push_back('&');
  return pos + 1;
}

// Decodes every character reference in `raw` into `out` (cleared first).
void decode_text(std::string_view raw, std::string* out) {
  out->clear();
  size_t pos = 0;
  while (pos < raw.size()) {
    const size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) {
      out->append(raw.substr(pos));
      break;
    }
    out->append(raw.substr(pos, amp - pos));
    pos = decode_reference(raw, amp, out);
  }
}

// Separation pending between two pieces of text, weakest first.
enum class Gap { kNone, kSpace, kLine, kParagraph };

Gap gap_for(std::string_view element) {
  if (contains(kParagraphElements, element)) return Gap::kParagraph;
  if (contains(kLineElements, element)) return Gap::kLine;
  if (std::find(std::begin(kWordElements), std::end(kWordElements), element) !=
      std::end(kWordElements)) {
    return Gap::kSpace;
  }
  return Gap::kNone;
}

// Accumulates rendered text into a string: whitespace runs become one
// space, block boundaries a line break or a blank line, and no whitespace
// is left at either end once finish() has run.
class TextBuilder {
 public:
  // In single-line mode (titles) every gap is a space.
  TextBuilder(std::string* out, bool single_line) : out_(out), single_line_(single_line) {}

  void add_gap(Gap gap) {
    if (single_line_) gap = std::min(gap, Gap::kSpace);
    pending_ = std::max(pending_, gap);
  }

  // Adds text whose whitespace collapses.
  void add_text(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
      if (is_space(s[i])) {
        add_gap(Gap::kSpace);
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < s.size() && !is_space(s[j])) ++j;
      flush_gap();
      out_->append(s.substr(i, j - i));
      i = j;
    }
  }

  // Adds text whose whitespace is kept (<pre>); CR LF and CR become LF.
  void add_preformatted(std::string_view s) {
    if (single_line_) {
      add_text(s);
      return;
    }
    if (s.empty()) return;
    flush_gap();
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '\r') {
        out_->push_back(s[i]);
      } else {
        out_->push_back('\n');
        if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
      }
    }
  }

  // Strips whitespace left at either end by preformatted text.
  void finish() {
    size_t end = out_->size();
    while (end > 0 && is_space((*out_)[end - 1])) --end;
    size_t begin = 0;
    while (begin < end && is_space((*out_)[begin])) ++begin;
    out_->resize(end);
    out_->erase(0, begin);
    pending_ = Gap::kNone;
  }

 private:
  // Writes the pending gap, counting the line breaks the text already ends
  // with; nothing is written at the start of the text.
  void flush_gap() {
    const Gap gap = pending_;
    pending_ = Gap::kNone;
    if (gap == Gap::kNone || out_->empty()) return;
    if (gap == Gap::kSpace) {
      if (!is_space(out_->back())) out_->push_back(' ');
      return;
    }
    const size_t wanted = gap == Gap::kParagraph ? 2 : 1;
    size_t have = 0;
    while (have < wanted && have < out_->size() && (*out_)[out_->size() - 1 - have] == '\n') {
      ++have;
    }
    out_->append(wanted - have, '\n');
  }

  std::string* out_;
  bool single_line_;
  Gap pending_ = Gap::kNone;
};

class HtmlConverter {
 public:
  HtmlConverter(std::string_view html, std::string* text)
      : html_(html),
        body_(text, false),
        title_(&title_text_, true),
        heading_builder_(&heading_text_, true) {}

  // Converts the whole input; returns the title (<title>, else first <h1>).
  std::string convert() {
    size_t pos = 0;
    while (pos < html_.size()) {
      const size_t lt = html_.find('<', pos);
      if (lt == std::string_view::npos) {
        text(html_.substr(pos));
        break;
      }
      text(html_.substr(pos, lt - pos));
      pos = markup(lt);
    }
    body_.finish();
    title_.finish();
    heading_builder_.finish();
    return title_text_.empty() ? std::move(heading_text_) : std::move(title_text_);
  }

 private:
  enum class Heading { kBefore, kInside, kDone };

  bool hidden() const { return template_depth_ > 0 || foreign_hidden_depth_ > 0; }

  // Handles the markup that starts at html_[lt] == '<'; returns the position
  // after it. A '<' that starts no markup is text.
  size_t markup(size_t lt) {
    skip_newline_ = false;
    const size_t n = html_.size();
    if (lt + 1 == n) {
      text("<");
      return n;
    }
    const char c = html_[lt + 1];
    if (c == '!') {
      if (html_.substr(lt + 2, 2) == "--") return skip_comment(lt + 4);
      if (equals_ignoring_case(html_.substr(lt + 2, 7), "[cdata[")) {
        return skip_past(lt + 9, "]]>");
      }
      return skip_past(lt + 2, ">");  // <!DOCTYPE ...> and other declarations.
    }
    if (c == '?') return skip_past(lt + 2, ">");
    if (c == '/') {
      if (lt + 2 == n) {
        text("</");
        return n;
      }
      const char d = html_[lt + 2];
      if (is_alpha(d)) return end_tag(lt + 2);
      if (d == '>') return lt + 3;
      return skip_past(lt + 2, ">");
    }
    if (is_alpha(c)) return start_tag(lt + 1);
    text("<");
    return lt + 1;
  }

  // `from` is just after "<!--". Handles "<!-->" and "<!--->" as HTML5 does.
  size_t skip_comment(size_t from) const {
    if (html_.substr(from, 1) == ">") return from + 1;
    if (html_.substr(from, 2) == "->") return from + 2;
    const size_t dashes = html_.find("-->", from);
    const size_t bang = html_.find("--!>", from);
    if (bang < dashes) return bang + 4;
    return dashes == std::string_view::npos ? html_.size() : dashes + 3;
  }

  size_t skip_past(size_t from, std::string_view terminator) const {
    const size_t at = html_.find(terminator, from);
    return at == std::string_view::npos ? html_.size() : at + terminator.size();
  }

  // Reads the tag whose name starts at html_[pos]: the lower-cased name,
  // whether it ends in "/>", and the attributes (skipped; quoted values may
  // hold '>'). Returns the position after its '>', or npos when the input
  // ends inside the tag.
  size_t parse_tag(size_t pos, std::string* name, bool* self_closing) const {
    const size_t n = html_.size();
    size_t i = pos;
    name->clear();
    while (i < n && !is_space(html_[i]) && html_[i] != '/' && html_[i] != '>') {
      name->push_back(to_lower(html_[i]));
      ++i;
    }
    *self_closing = false;
    while (i < n) {
      const char c = html_[i];
      if (c == '>') return i + 1;
      if (is_space(c)) {
        ++i;
        continue;
      }
      if (c == '/') {
        *self_closing = i + 1 < n && html_[i + 1] == '>';
        ++i;
        continue;
      }
      *self_closing = false;
      ++i;  // An attribute name; its first character may even be '='.
      while (i < n && !is_space(html_[i]) && html_[i] != '/' && html_[i] != '>' &&
             html_[i] != '=') {
        ++i;
      }
      size_t j = i;
      while (j < n && is_space(html_[j])) ++j;
      if (j == n || html_[j] != '=') continue;
      ++j;
      while (j < n && is_space(html_[j])) ++j;
      if (j < n && (html_[j] == '"' || html_[j] == '\'')) {
        const size_t close = html_.find(html_[j], j + 1);
        if (close == std::string_view::npos) return std::string_view::npos;
        i = close + 1;
      } else {
        while (j < n && !is_space(html_[j]) && html_[j] != '>') ++j;
        i = j;
      }
    }
    return std::string_view::npos;
  }

  // Position of the end tag "</name" (any case) at or after `from`, or npos.
  size_t find_end_tag(size_t from, std::string_view name) const {
    const size_t n = html_.size();
    for (size_t i = html_.find("</", from); i != std::string_view::npos;
         i = html_.find("</", i + 2)) {
      const size_t after = i + 2 + name.size();
      if (after > n || !equals_ignoring_case(html_.substr(i + 2, name.size()), name)) continue;
      if (after == n || is_space(html_[after]) || html_[after] == '/' || html_[after] == '>') {
        return i;
      }
    }
    return std::string_view::npos;
  }

  // Position after the end tag at `at` (found by find_end_tag).
  size_t after_end_tag(size_t at) const {
    std::string name;
    bool self_closing;
    const size_t end = parse_tag(at + 2, &name, &self_closing);
    return end == std::string_view::npos ? html_.size() : end;
  }

  size_t start_tag(size_t name_pos) {
    std::string name;
    bool self_closing;
    const size_t end = parse_tag(name_pos, &name, &self_closing);
    if (end == std::string_view::npos) return html_.size();  // Unterminated: dropped.
    // Unlike HTML5, "/>" is honoured on every element: "<script src=x />"
    // does not swallow the rest of the page.
    if (contains(kHiddenRawTextElements, name)) {
      if (self_closing) return end;
      const size_t close = find_end_tag(end, name);
      return close == std::string_view::npos ? html_.size() : after_end_tag(close);
    }
    if (name == "title" && foreign_depth_ == 0) {
      if (self_closing) return end;
      const size_t close = find_end_tag(end, name);  // Text only, no tags: RCDATA.
      if (title_text_.empty() && !hidden()) {
        const size_t length =
            close == std::string_view::npos ? std::string_view::npos : close - end;
        decode_text(html_.substr(end, length), &scratch_);
        title_.add_text(scratch_);
        title_.finish();
      }
      return close == std::string_view::npos ? html_.size() : after_end_tag(close);
    }
    if (self_closing) return end;
    if (name == "template") {
      ++template_depth_;
    } else if (name == "svg" || name == "math") {
      ++foreign_depth_;
    } else if (foreign_depth_ > 0 && (name == "title" || name == "desc")) {
      ++foreign_hidden_depth_;  // Tooltips of inline SVG, not page text.
    } else if (name == "pre" || name == "listing") {
      ++pre_depth_;
      skip_newline_ = true;
    }
    start_gap(gap_for(name));
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      if (heading_state_ == Heading::kInside) {
        heading_state_ = Heading::kDone;
      } else if (heading_state_ == Heading::kBefore && name[1] == '1') {
        heading_state_ = Heading::kInside;
      }
    }
    return end;
  }

  size_t end_tag(size_t name_pos) {
    std::string name;
    bool self_closing;
    const size_t end = parse_tag(name_pos, &name, &self_closing);
    if (end == std::string_view::npos) return html_.size();
    if (name == "template") {
      if (template_depth_ > 0) --template_depth_;
    } else if (name == "svg" || name == "math") {
      if (foreign_depth_ > 0) --foreign_depth_;
      if (foreign_depth_ == 0) foreign_hidden_depth_ = 0;
    } else if (foreign_depth_ > 0 && (name == "title" || name == "desc")) {
      if (foreign_hidden_depth_ > 0) --foreign_hidden_depth_;
    } else if (name == "pre" || name == "listing") {
      if (pre_depth_ > 0) --pre_depth_;
    }
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' &&
        heading_state_ == Heading::kInside) {
      heading_state_ = Heading::kDone;
    }
    start_gap(gap_for(name));
    return end;
  }

  void start_gap(Gap gap) {
    if (gap == Gap::kNone) return;
    body_.add_gap(gap);
    if (heading_state_ == Heading::kInside) heading_builder_.add_gap(gap);
  }

  // Text between markup: references decoded, then shown unless hidden.
  void text(std::string_view raw) {
    if (raw.empty() || hidden()) return;
    decode_text(raw, &scratch_);
    std::string_view decoded = scratch_;
    if (skip_newline_) {  // A newline right after <pre> is not content.
      if (decoded.substr(0, 2) == "\r\n") {
        decoded.remove_prefix(2);
      } else if (!decoded.empty() && (decoded[0] == '\n' || decoded[0] == '\r')) {
        decoded.remove_prefix(1);
      }
      skip_newline_ = false;
    }
    if (pre_depth_ > 0) {
      body_.add_preformatted(decoded);
    } else {
      body_.add_text(decoded);
    }
    if (heading_state_ == Heading::kInside) heading_builder_.add_text(decoded);
  }

  std::string_view html_;
  TextBuilder body_;
  std::string title_text_;
  TextBuilder title_;
  std::string heading_text_;
  TextBuilder heading_builder_;
  Heading heading_state_ = Heading::kBefore;
  size_t template_depth_ = 0;
  size_t foreign_depth_ = 0;
  size_t foreign_hidden_depth_ = 0;
  size_t pre_depth_ = 0;
  bool skip_newline_ = false;
  std::string scratch_;  // Decoded text, reused.
};

}  // namespace

void html_to_text(std::string_view html, std::string* text, std::string* title) {
  text->clear();
  std::string found_title = HtmlConverter(html, text).convert();
  if (title != nullptr) *title = std::move(found_title);
}

}  // namespace scry
