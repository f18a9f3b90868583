#include "util/json_reader.h"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "scry/util/utf8.h"

namespace scry {

const JsonValue* JsonValue::find(std::string_view key) const {
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return &items_[i];
  }
  return nullptr;
}

std::optional<uint64_t> JsonValue::as_uint64() const {
  return kind_ == Kind::kNumber ? unsigned_ : std::nullopt;
}

// A recursive descent over the text; each parse_ function reads one element
// of the grammar from pos_ on and returns false when the text is not JSON.
class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  bool parse_document(JsonValue* out) {
    if (!parse_value(out, 0)) return false;
    skip_space();
    return pos_ == text_.size();
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++pos_;
    }
  }

  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // `depth`: the arrays and objects around the value.
  bool parse_value(JsonValue* out, size_t depth) {
    skip_space();
    if (at_end() || depth >= kMaxJsonDepth) return false;
    switch (peek()) {
      case '{':
        out->kind_ = JsonValue::Kind::kObject;
        return parse_object(out, depth + 1);
      case '[':
        out->kind_ = JsonValue::Kind::kArray;
        return parse_array(out, depth + 1);
      case '"':
        out->kind_ = JsonValue::Kind::kString;
        return parse_string(&out->text_);
      case 't':
        out->kind_ = JsonValue::Kind::kBool;
        return consume("true");
      case 'f':
        out->kind_ = JsonValue::Kind::kBool;
        return consume("false");
      case 'n':
        out->kind_ = JsonValue::Kind::kNull;
        return consume("null");
      default:
        out->kind_ = JsonValue::Kind::kNumber;
        return parse_number(out);
    }
  }

  // After the '{'.
  bool parse_object(JsonValue* out, size_t depth) {
    ++pos_;
    skip_space();
    if (consume("}")) return true;
    while (true) {
      skip_space();
      if (at_end() || peek() != '"') return false;
      out->keys_.emplace_back();
      if (!parse_string(&out->keys_.back())) return false;
      skip_space();
      if (!consume(":")) return false;
      out->items_.emplace_back();
      if (!parse_value(&out->items_.back(), depth)) return false;
      skip_space();
      if (consume("}")) return true;
      if (!consume(",")) return false;
    }
  }

  // After the '['.
  bool parse_array(JsonValue* out, size_t depth) {
    ++pos_;
    skip_space();
    if (consume("]")) return true;
    while (true) {
      out->items_.emplace_back();
      if (!parse_value(&out->items_.back(), depth)) return false;
      skip_space();
      if (consume("]")) return true;
      if (!consume(",")) return false;
    }
  }

  // The digits from pos_ on (at least one); their value in *value when it
  // fits in 64 bits, else nullopt.
  bool parse_digits(std::optional<uint64_t>* value) {
    const size_t start = pos_;
    uint64_t v = 0;
    bool fits = true;
    for (; !at_end() && peek() >= '0' && peek() <= '9'; ++pos_) {
      const auto digit = static_cast<uint64_t>(peek() - '0');
      if (v > (UINT64_MAX - digit) / 10) fits = false;
      v = v * 10 + digit;
    }
    *value = fits ? std::optional<uint64_t>(v) : std::nullopt;
    return pos_ > start;
  }

  // As simdjson: an integer (no fraction, no exponent) must fit in 64 bits
  // (u64, or i64 when negative; "-0" reads as 0), and any other number must
  // be below the largest double in magnitude.
  bool parse_number(JsonValue* out) {
    const size_t start = pos_;
    const bool negative = consume("-");
    if (at_end() || peek() < '0' || peek() > '9') return false;
    std::optional<uint64_t> integer;
    const size_t digits = pos_;
    if (!parse_digits(&integer)) return false;
    // No leading zero: "0" alone, or "0." or "0e".
    if (text_[digits] == '0' && pos_ - digits > 1) return false;
    bool is_integer = true;
    std::optional<uint64_t> ignored;
    if (consume(".")) {
      is_integer = false;
      if (!parse_digits(&ignored)) return false;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      is_integer = false;
      ++pos_;
      if (!consume("+")) consume("-");
      if (!parse_digits(&ignored)) return false;
    }
    if (is_integer) {
      if (!integer || (negative && *integer > uint64_t{1} << 63)) return false;
      if (!negative || *integer == 0) out->unsigned_ = integer;
      return true;
    }
    double value = 0;
    const auto [end, error] = std::from_chars(text_.data() + start, text_.data() + pos_, value);
    // Out of range: too large, or too small (which reads as 0).
    return error != std::errc::result_out_of_range || !too_large(text_.substr(start, pos_ - start));
  }

  // Whether the number `text` (in JSON's grammar, out of a double's range)
  // is too large rather than too small: whether its first significant digit
  // stands at a power of ten >= 0.
  static bool too_large(std::string_view text) {
    const size_t e = text.find_first_of("eE");
    const std::string_view mantissa = text.substr(0, e);
    const size_t point = std::min(mantissa.find('.'), mantissa.size());
    const size_t first = mantissa.find_first_of("123456789");
    if (first == std::string_view::npos) return false;  // Zero.
    // The power of ten of the first significant digit, before the exponent.
    int64_t power = first < point ? static_cast<int64_t>(point - first) - 1
                                  : -static_cast<int64_t>(first - point);
    if (e != std::string_view::npos) {
      size_t i = e + 1;
      const bool minus = text[i] == '-';
      if (text[i] == '-' || text[i] == '+') ++i;
      int64_t exponent = 0;
      for (; i < text.size() && exponent < 100000; ++i) exponent = exponent * 10 + (text[i] - '0');
      power += minus ? -exponent : exponent;
    }
    return power >= 0;
  }

  // Four hex digits from pos_ on.
  bool parse_hex4(char32_t* unit) {
    if (text_.size() - pos_ < 4) return false;
    *unit = 0;
    for (size_t end = pos_ + 4; pos_ < end; ++pos_) {
      const char c = peek();
      char32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<char32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<char32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<char32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      *unit = *unit * 16 + digit;
    }
    return true;
  }

  // After a "\u": the escaped code point (a surrogate pair's second half
  // included).
  bool parse_unicode_escape(std::string* out) {
    char32_t unit = 0;
    if (!parse_hex4(&unit)) return false;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      char32_t low = 0;
      if (!consume("\\u") || !parse_hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(unit, out);
    return true;
  }

  // At the opening '"'.
  bool parse_string(std::string* out) {
    ++pos_;
    while (!at_end()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (at_end()) return false;
      const char escaped = text_[pos_++];
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          out->push_back(escaped);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u':
          if (!parse_unicode_escape(out)) return false;
          break;
        default:
          return false;
      }
    }
    return false;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

std::optional<JsonValue> parse_json(std::string_view text) {
  if (!is_valid_utf8(text)) return std::nullopt;
  JsonValue value;
  if (!JsonParser(text).parse_document(&value)) return std::nullopt;
  return value;
}

}  // namespace scry
