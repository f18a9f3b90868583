// A small JSON reader (RFC 8259) for the few small JSON files scry reads
// itself: the MANIFEST (parse_manifest). simdjson reads the JSON lines of
// the indexer's input; the MANIFEST does not need its speed, and without it
// scry-search loads no C++ shared library at start-up (docs/PERFORMANCE.md,
// "Start-up of a scry-search process").
//
// It accepts what simdjson's DOM parser accepts (tests/common/
// json_reader_test.cpp compares them on damaged manifests): valid UTF-8, one
// value with whitespace around it, strings without raw control characters
// and with valid escapes (a \u escape of a surrogate only as a pair),
// numbers in JSON's grammar (an integer within 64 bits, any other within a
// double's range), values inside fewer than kMaxJsonDepth arrays and objects.
//
// Thread safety: parse_json is a pure function; a JsonValue is immutable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scry {

// A value inside this many arrays and objects is refused (as by simdjson,
// whose default maximum depth counts the value itself).
inline constexpr size_t kMaxJsonDepth = 1024;

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind() const { return kind_; }
  // An object's member named `key` (its first one, if repeated); nullptr
  // when this is not an object or has no such member.
  const JsonValue* find(std::string_view key) const;
  // A number written as an integer (no fraction, no exponent) from 0 to
  // 2^64 - 1; nullopt for anything else.
  std::optional<uint64_t> as_uint64() const;
  // A string's text (escapes decoded); nullptr when this is not a string.
  const std::string* as_string() const { return kind_ == Kind::kString ? &text_ : nullptr; }
  // An array's elements; nullptr when this is not an array.
  const std::vector<JsonValue>* as_array() const {
    return kind_ == Kind::kArray ? &items_ : nullptr;
  }

 private:
  friend class JsonParser;
  Kind kind_ = Kind::kNull;
  std::optional<uint64_t> unsigned_;  // kNumber: its value when as_uint64() has one.
  std::string text_;                  // kString.
  std::vector<JsonValue> items_;      // kArray: elements; kObject: members' values.
  std::vector<std::string> keys_;     // kObject: members' names, as items_.
};

// The value `text` holds; nullopt when it is not valid JSON (see above).
std::optional<JsonValue> parse_json(std::string_view text);

}  // namespace scry
