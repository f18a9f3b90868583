// The JSON reader of the MANIFEST (util/json_reader.h) against simdjson's
// DOM parser, which read the MANIFEST before: the same texts accepted, and
// the same values read from them.
#include <catch2/catch.hpp>

#include <simdjson.h>

#include <random>
#include <string>

#include "scry/format/manifest.h"
#include "testlib.h"
#include "util/json_reader.h"

using namespace scry;

namespace {

// A value as a canonical text: kinds, strings, objects' keys, and numbers
// as "u" + value when they read as an unsigned 64-bit integer, else "n".
std::string canonical(const JsonValue& v);
std::string canonical(simdjson::dom::element v);
std::string members(const JsonValue& v);
std::string members(simdjson::dom::element v);

std::string canonical(const JsonValue& v) {
  switch (v.kind()) {
    case JsonValue::Kind::kNull:
      return "z";
    case JsonValue::Kind::kBool:
      return "b";
    case JsonValue::Kind::kNumber:
      return v.as_uint64() ? "u" + std::to_string(*v.as_uint64()) : "n";
    case JsonValue::Kind::kString:
      return "s" + std::to_string(v.as_string()->size()) + ":" + *v.as_string();
    case JsonValue::Kind::kArray: {
      std::string out = "[";
      for (const JsonValue& item : *v.as_array()) out += canonical(item) + ",";
      return out + "]";
    }
    case JsonValue::Kind::kObject:
      break;
  }
  return "{" + members(v) + "}";
}

std::string canonical(simdjson::dom::element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return "z";
    case simdjson::dom::element_type::BOOL:
      return "b";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: {
      uint64_t u = 0;
      return v.get(u) ? "n" : "u" + std::to_string(u);
    }
    case simdjson::dom::element_type::STRING: {
      const std::string_view s = v.get_string().value_unsafe();
      return "s" + std::to_string(s.size()) + ":" + std::string(s);
    }
    case simdjson::dom::element_type::ARRAY: {
      std::string out = "[";
      for (simdjson::dom::element item : v.get_array()) out += canonical(item) + ",";
      return out + "]";
    }
    case simdjson::dom::element_type::OBJECT:
      break;
  }
  return "{" + members(v) + "}";
}

// The manifest's keys and two others.
const std::vector<std::string> kKeys = {
    "format",     "format_version", "created_by",   "analyzer",  "version", "stemmer",
    "stop_words", "segments",       "name",         "documents", "terms",   "field_lengths",
    "deleted",    "words",          "next_segment", "a",         "b"};

// An object's members named in kKeys (each one's first member of that
// name, "-" when absent), as find() reads them, and as simdjson's
// operator[] does.
std::string members(const JsonValue& v) {
  std::string out;
  for (const std::string& key : kKeys) {
    const JsonValue* member = v.find(key);
    out += key + "=" + (member ? canonical(*member) : "-") + ";";
  }
  return out;
}

std::string members(simdjson::dom::element v) {
  std::string out;
  for (const std::string& key : kKeys) {
    simdjson::dom::element member;
    out += key + "=" + (v[key].get(member) ? "-" : canonical(member)) + ";";
  }
  return out;
}

// Both parsers on `text`: the same verdict, and the same values.
void check_same(const std::string& text) {
  INFO(text);
  simdjson::dom::parser parser;
  simdjson::dom::element reference;
  const bool valid = !parser.parse(simdjson::padded_string(text)).get(reference);
  const std::optional<JsonValue> read = parse_json(text);
  REQUIRE(read.has_value() == valid);
  if (!valid) return;
  CHECK(canonical(*read) == canonical(reference));
}

}  // namespace

TEST_CASE("json reader: accepts and reads what simdjson does, edge cases", "[format]") {
  for (const char* text : {"",
                           " ",
                           "0",
                           "-0",
                           "01",
                           "-01",
                           "1.",
                           "1.5",
                           ".5",
                           "1e5",
                           "1E+5",
                           "1e-5",
                           "1e",
                           "-",
                           "+1",
                           "18446744073709551615",
                           "18446744073709551616",
                           "99999999999999999999999",
                           "1e999",
                           "-1e999",
                           "1e-999",
                           "0.1e309",
                           "1.8e308",
                           "1.7e308",
                           "0.000e999",
                           "0e999",
                           "-0.0",
                           "-9223372036854775809",
                           "123456789012345678901234.5",
                           "-9223372036854775808",
                           "9223372036854775808",
                           "true",
                           "tru",
                           "truex",
                           "null",
                           "nul",
                           "false",
                           "\"\"",
                           "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
                           "\"\\u0041\\u00e9\\u20AC\"",
                           "\"\\ud83d\\ude00\"",
                           "\"\\ud83d\"",
                           "\"\\ude00\"",
                           "\"\\ud83d\\u0041\"",
                           "\"\\u12\"",
                           "\"\\x\"",
                           "\"a\tb\"",
                           "\"a\x01\"",
                           "\"\xC3\xA9\"",
                           "\"\xC3\"",
                           "\"\xED\xA0\x80\"",
                           "[]",
                           "[1,]",
                           "[,1]",
                           "[1 2]",
                           "{}",
                           "{,}",
                           "{\"a\":1,}",
                           "{\"a\" 1}",
                           "{\"a\":}",
                           "{1:2}",
                           "{\"a\":1,\"a\":2}",
                           "{\"a\":{\"b\":[1,{\"a\":\"x\"}]}}",
                           "[1] x",
                           "[1]\n\t\r ",
                           " \n{ \"a\" : [ 1 , 2 ] } ",
                           "{\"a\":1}}",
                           "[[]",
                           "\"abc",
                           "[\"a\\\"]"}) {
    check_same(text);
  }
  for (size_t depth : {kMaxJsonDepth - 1, kMaxJsonDepth, kMaxJsonDepth + 1}) {
    check_same(std::string(depth, '[') + std::string(depth, ']'));
    std::string objects;
    for (size_t i = 0; i < depth; ++i) objects += "{\"a\":";
    check_same(objects + "1" + std::string(depth, '}'));
  }
}

TEST_CASE("json reader: damaged manifests read as simdjson reads them", "[format]") {
  std::mt19937 rng(20261207);
  const std::string alphabet = "{}[]\":,.-+0123456789eEtrufalsn \\/ubfnrt\x01\x7f\xc3\xa9\xff";
  Manifest m;
  m.created_by = "scry-index 0.1.0 \xC3\xA9 \"quoted\"";
  m.segments.push_back({"seg1", 30539, 532577, 16162069, 39382998, {39323673, 59325}});
  m.segments.push_back({"seg2", 5, 10, 12, 20, {20, 4}, 2, true, 7});
  m.next_segment = 3;
  m.analyzer.stop_words = StopWords::kSnowball;
  const std::string original = manifest_to_json(m);
  check_same(original);
  for (int round = 0; round < 20000; ++round) {
    std::string text = original;
    const uint32_t edits = 1 + test::u32(rng) % 3;
    for (uint32_t e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = test::u32(rng) % text.size();
      const char c = test::u32(rng) % 4 == 0 ? static_cast<char>(test::u32(rng) % 256)
                                             : alphabet[test::u32(rng) % alphabet.size()];
      switch (test::u32(rng) % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(at, 1, c);
          break;
        default:
          text.erase(at, 1);
          break;
      }
    }
    check_same(text);
  }
}
