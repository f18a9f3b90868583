// The trie of a term dictionary's keys (format version 7): built from
// random sorted keys (ASCII, multi-byte code points, invalid bytes), every
// walk gives what a scan of the keys gives: all keys with a prefix and
// their df, the fewest and most code points of the keys below each node,
// and, stepping a Levenshtein automaton a byte at a time and skipping the
// nodes whose keys' lengths it cannot accept, the keys within N edits of a
// word (against LevenshteinAutomaton::distance). The reversed keys,
// gathered in sets and merged, build the trie that sorting them all builds.
// A damaged trie section is a Corruption naming the file, never a crash.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>

#include "scry/codec/varint.h"
#include "scry/format/format.h"
#include "scry/format/term_dictionary.h"
#include "scry/format/term_trie.h"
#include "scry/search/fuzzy_trie_walk.h"
#include "scry/text/levenshtein_automaton.h"
#include "scry/util/file.h"
#include "scry/util/utf8.h"
#include "testlib.h"

using namespace scry;
using scry::test::TempDir;
using test::u32;

namespace {

// Code points of 1 to 4 bytes (U+FFFD among them), the first 10 also in
// the words searched for, bytes that are not UTF-8 (a lone continuation, a
// truncated lead, 0xFF), and code points that share a first byte with some
// of the words' but are not in them.
const std::vector<std::string> kPieces = {"a",
                                          "b",
                                          "c",
                                          "d",
                                          "e",
                                          "\xc3\xa9",
                                          "\xe6\x99\xba",
                                          "\xe8\xb0\xb1",
                                          "\xf0\x9d\x94\xb8",
                                          "\xef\xbf\xbd",
                                          "\x80",
                                          "\xe6",
                                          "\xff",
                                          "\xc3",
                                          "\xc3\xa8",
                                          "\xe6\x99\xbb"};

std::string random_text(std::mt19937& rng, size_t pieces, size_t max_length) {
  std::string out;
  const size_t n = u32(rng) % (max_length + 1);
  for (size_t i = 0; i < n; ++i) out += kPieces[u32(rng) % pieces];
  return out;
}

// Random keys: a field byte (0 or 1) and a random text.
std::map<std::string, uint32_t> random_keys(std::mt19937& rng, size_t count, size_t pieces) {
  std::map<std::string, uint32_t> keys;
  for (size_t k = 0; k < count; ++k) {
    std::string key(1, static_cast<char>(u32(rng) % 2));
    key += random_text(rng, pieces, 7);
    keys[key] = 1 + u32(rng) % (u32(rng) % 2 ? 5 : 100000);
  }
  return keys;
}

// A random key's term (its code points, valid UTF-8 once re-encoded) after
// one or two random edits: a code point of the first `pieces` of kPieces
// inserted or put in place of one, one deleted, or two adjacent swapped.
std::string near_term(std::mt19937& rng, const std::map<std::string, uint32_t>& keys,
                      size_t pieces) {
  auto pick = keys.begin();
  std::advance(pick, u32(rng) % keys.size());
  std::vector<char32_t> code = code_points(std::string_view(pick->first).substr(1));
  const std::vector<char32_t> letters = code_points(random_text(rng, pieces, 2) + "a");
  for (uint32_t edits = 1 + u32(rng) % 2; edits > 0; --edits) {
    const size_t at = code.empty() ? 0 : u32(rng) % code.size();
    const auto where = code.begin() + static_cast<std::ptrdiff_t>(at);
    switch (u32(rng) % 4) {
      case 0:
        code.insert(where, letters[edits % letters.size()]);
        break;
      case 1:
        if (!code.empty()) code.erase(where);
        break;
      case 2:
        if (!code.empty()) *where = letters[0];
        break;
      default:
        if (at + 1 < code.size()) std::swap(code[at], code[at + 1]);
    }
  }
  std::string word;
  for (char32_t c : code) append_utf8(c, &word);
  return word;
}

TermTrie make_trie(const std::map<std::string, uint32_t>& keys, std::string* bytes) {
  TermTrieBuilder builder;
  for (const auto& [key, df] : keys) builder.add(key, df);
  builder.finish();
  *bytes = builder.bytes();
  return TermTrie(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size(),
                  builder.root_offset(), "test.trie", true);
}

// The trie of the keys reversed (reversed_key()), as the dictionary writes
// it: each with its df and the original key's length.
TermTrie make_reversed_trie(const std::map<std::string, uint32_t>& keys, std::string* bytes) {
  std::map<std::string, std::pair<uint32_t, uint64_t>> reversed;
  for (const auto& [key, df] : keys) reversed[reversed_key(key)] = {df, code_point_count(key)};
  REQUIRE(reversed.size() == keys.size());
  TermTrieBuilder builder;
  for (const auto& [key, value] : reversed) builder.add(key, value.first, value.second);
  builder.finish();
  *bytes = builder.bytes();
  return TermTrie(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size(),
                  builder.root_offset(), "test.trie", true);
}

// The keys starting with `prefix`, by a walk that accepts every byte.
std::map<std::string, uint32_t> all_with_prefix(const TermTrie& trie, std::string_view prefix) {
  std::map<std::string, uint32_t> got;
  int zero = 0;
  Status status = trie.walk(
      prefix, zero, [](int* depth, uint8_t) { return ++*depth >= 0; },
      [&](std::string_view key, int depth, uint32_t df) {
        CHECK(static_cast<size_t>(depth) == key.size() - prefix.size());
        CHECK(got.emplace(std::string(key), df).second);
      });
  CHECK(status.is_ok());
  return got;
}

// The keys after `base` (one byte) within the automaton's distance, by the
// trie walk that skips the nodes whose keys' lengths cannot be within it;
// *skipped counts those nodes.
std::map<std::string, int> fuzzy_walk(const TermTrie& trie, std::string_view base,
                                      const LevenshteinAutomaton& automaton,
                                      size_t* skipped = nullptr) {
  std::map<std::string, int> got;
  Status status = trie.walk(
      base, LevenshteinAutomaton::ByteState{},
      [&](LevenshteinAutomaton::ByteState* s, uint8_t b) { return automaton.step_byte(s, b); },
      [&](std::string_view key, const LevenshteinAutomaton::ByteState& s, uint32_t) {
        if (auto d = automaton.end_distance(s)) got[std::string(key.substr(base.size()))] = *d;
      },
      [&](const LevenshteinAutomaton::ByteState& s) { return automaton.live_first_bytes(s); },
      [&](const LevenshteinAutomaton::ByteState& s, uint64_t shortest, uint64_t longest) {
        const bool may = automaton.may_reach(s, shortest - 1, longest - 1);
        if (!may && skipped != nullptr) ++*skipped;
        return may;
      });
  REQUIRE(status.is_ok());
  return got;
}

}  // namespace

TEST_CASE("term trie: a walk gives every key with a prefix and its df", "[trie]") {
  std::mt19937 rng(606);
  for (int round = 0; round < 40; ++round) {
    const auto keys = random_keys(rng, 1 + u32(rng) % 400, 3 + u32(rng) % (kPieces.size() - 2));
    std::string bytes;
    const TermTrie trie = make_trie(keys, &bytes);
    CHECK(all_with_prefix(trie, "") == keys);
    for (int q = 0; q < 10; ++q) {
      const std::string prefix =
          std::string(1, static_cast<char>(u32(rng) % 3)) + random_text(rng, kPieces.size(), 2);
      std::map<std::string, uint32_t> want;
      for (auto it = keys.lower_bound(prefix); it != keys.end() && it->first.starts_with(prefix);
           ++it) {
        want.insert(*it);
      }
      INFO("round " << round << " prefix size " << prefix.size());
      CHECK(all_with_prefix(trie, prefix) == want);
    }
  }
  // No keys, and the empty key alone.
  std::string bytes;
  CHECK(all_with_prefix(make_trie({}, &bytes), "").empty());
  CHECK(all_with_prefix(make_trie({{"", 3}}, &bytes), "") ==
        std::map<std::string, uint32_t>{{"", 3}});
}

TEST_CASE("term trie: a cursor descends byte by byte as the keys continue", "[trie]") {
  // From random places (inside runs and at nodes' ends): child() finds a
  // byte exactly when some key continues the place's bytes with it,
  // for_each_child() gives those bytes in order, may_continue() agrees,
  // may_hold_lengths() never rules out a key's length, and a walk below
  // the place gives the keys with its bytes as a prefix.
  std::mt19937 rng(818);
  for (int round = 0; round < 40; ++round) {
    const auto keys = random_keys(rng, 1 + u32(rng) % 300, 3 + u32(rng) % (kPieces.size() - 2));
    std::string bytes;
    const TermTrie trie = make_trie(keys, &bytes);
    for (int q = 0; q < 20; ++q) {
      // Mostly a prefix of some key, so that the descent goes deep.
      auto pick = keys.begin();
      std::advance(pick, u32(rng) % keys.size());
      std::string prefix = pick->first.substr(0, u32(rng) % (pick->first.size() + 1));
      if (u32(rng) % 4 == 0) prefix += static_cast<char>(u32(rng) % 256);
      INFO("round " << round << " prefix size " << prefix.size());
      TermTrie::Cursor at;
      REQUIRE(trie.root(&at).is_ok());
      bool found = true;
      for (size_t i = 0; found && i < prefix.size(); ++i) {
        REQUIRE(trie.child(at, static_cast<uint8_t>(prefix[i]), &at, &found).is_ok());
      }
      std::map<std::string, uint32_t> below;
      std::set<uint8_t> next;
      for (auto it = keys.lower_bound(prefix); it != keys.end() && it->first.starts_with(prefix);
           ++it) {
        below.insert(*it);
        if (it->first.size() > prefix.size())
          next.insert(static_cast<uint8_t>(it->first[prefix.size()]));
      }
      CHECK(found == !below.empty());
      if (!found) continue;
      // The keys below a place, by a walk that accepts every byte.
      const auto keys_below = [&](const TermTrie::Cursor& place, const std::string& read) {
        std::map<std::string, uint32_t> walked;
        REQUIRE(trie.walk_below(
                        place, read, 0, [](int*, uint8_t) { return true; },
                        [&](std::string_view key, int, uint32_t df) {
                          CHECK(walked.emplace(std::string(key), df).second);
                        },
                        [](int) -> const bool* { return nullptr; },
                        [](int, uint64_t, uint64_t) { return true; })
                    .is_ok());
        return walked;
      };
      CHECK(keys_below(at, prefix) == below);
      std::vector<uint8_t> children;
      REQUIRE(trie.for_each_child(at,
                                  [&](uint8_t byte, const TermTrie::Cursor& after) {
                                    children.push_back(byte);
                                    const std::string longer = prefix + static_cast<char>(byte);
                                    CHECK(keys_below(after, longer) ==
                                          all_with_prefix(trie, longer));
                                  })
                  .is_ok());
      CHECK(children == std::vector<uint8_t>(next.begin(), next.end()));
      for (int b = 0; b < 256; ++b) {
        const auto byte = static_cast<uint8_t>(b);
        CHECK(trie.may_continue(at, byte) == next.contains(byte));
        TermTrie::Cursor after;
        bool there = false;
        REQUIRE(trie.child(at, byte, &after, &there).is_ok());
        CHECK(there == next.contains(byte));
      }
      for (const auto& [key, df] : below) {
        const uint64_t length = code_point_count(key);
        CHECK(trie.may_hold_lengths(at, length, length));
      }
    }
  }
}

TEST_CASE("term trie: each node records the fewest and most code points of its keys", "[trie]") {
  std::mt19937 rng(505);
  for (int round = 0; round < 40; ++round) {
    const auto keys = random_keys(rng, 1 + u32(rng) % 400, 3 + u32(rng) % (kPieces.size() - 2));
    std::string bytes;
    const TermTrie trie = make_trie(keys, &bytes);
    REQUIRE(trie.has_lengths());
    // The state is the bytes read: at a node, the keys below it are those
    // starting with them (a run continues no other key).
    size_t nodes = 0;
    Status status = trie.walk(
        "", std::string(),
        [](std::string* read, uint8_t b) {
          read->push_back(static_cast<char>(b));
          return true;
        },
        [](std::string_view, const std::string&, uint32_t) {},
        [](const std::string&) -> const bool* { return nullptr; },
        [&](const std::string& read, uint64_t shortest, uint64_t longest) {
          uint64_t fewest = UINT64_MAX;
          uint64_t most = 0;
          for (auto it = keys.lower_bound(read); it != keys.end() && it->first.starts_with(read);
               ++it) {
            fewest = std::min<uint64_t>(fewest, code_point_count(it->first));
            most = std::max<uint64_t>(most, code_point_count(it->first));
          }
          INFO("round " << round << " node of " << read.size() << " bytes");
          CHECK(shortest == fewest);
          CHECK(longest == most);
          ++nodes;
          return true;
        });
    REQUIRE(status.is_ok());
    // A trie of one key is a leaf: no node has children to be asked about.
    CHECK((nodes > 0) == (keys.size() > 1));
  }
}

TEST_CASE("term trie: the automaton never rules out the length of a term within reach",
          "[trie][fuzzy]") {
  // may_reach() after some bytes of a term, with the term's length, is true
  // whenever the term is within max_edits; and it rules out some lengths.
  std::mt19937 rng(404);
  size_t ruled_out = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::string word = random_text(rng, 10, 6);
    const std::string term = random_text(rng, kPieces.size(), 8);
    const int n = static_cast<int>(u32(rng) % (kMaxFuzzyEdits + 1));
    const LevenshteinAutomaton automaton(word, n);
    const bool within = automaton.distance(term).has_value();
    const uint64_t length = code_point_count(term);
    LevenshteinAutomaton::ByteState s;
    for (size_t i = 0; i <= term.size(); ++i) {
      INFO("word [" << word << "] term [" << term << "] N " << n << " after " << i << " bytes");
      if (within) CHECK(automaton.may_reach(s, length, length));
      if (!automaton.may_reach(s, length, length)) ++ruled_out;
      if (i == term.size() || !automaton.step_byte(&s, static_cast<uint8_t>(term[i]))) break;
    }
  }
  CHECK(ruled_out > 0);
}

TEST_CASE("term trie: the fuzzy walk finds the keys brute force finds", "[trie][fuzzy]") {
  std::mt19937 rng(707);
  size_t skipped = 0;
  for (int round = 0; round < 60; ++round) {
    const size_t pieces = 3 + u32(rng) % (kPieces.size() - 2);
    const auto keys = random_keys(rng, 50 + u32(rng) % 500, pieces);
    std::string bytes;
    const TermTrie trie = make_trie(keys, &bytes);
    for (int q = 0; q < 8; ++q) {
      // Words of valid code points only, as the planner passes normalised words.
      const std::string word = random_text(rng, std::min<size_t>(pieces, 10), 6);
      const int n = static_cast<int>(u32(rng) % (kMaxFuzzyEdits + 1));
      const LevenshteinAutomaton automaton(word, n);
      for (char field : {'\0', '\1'}) {
        const std::string base(1, field);
        std::map<std::string, int> want;
        for (const auto& [key, df] : keys) {
          if (!key.starts_with(base)) continue;
          const std::string term = key.substr(1);
          if (auto d = automaton.distance(term)) want[term] = *d;
        }
        INFO("round " << round << " word [" << word << "] N " << n);
        CHECK(fuzzy_walk(trie, base, automaton, &skipped) == want);
      }
    }
  }
  CHECK(skipped > 0);  // The lengths did rule out some nodes.
}

TEST_CASE("term trie: the forward-backward walk finds the keys brute force finds",
          "[trie][fuzzy]") {
  // Over the trie of the keys and that of the reversed keys (terms that are
  // not valid UTF-8 among them): each term within N once, with its df; the
  // same as the walk of the keys alone. Within one edit and within two,
  // many words are long enough to be split.
  std::mt19937 rng(717);
  size_t split_one = 0;  // Words the one-edit split applies to (exact pieces).
  size_t split_two = 0;  // The two-edit split's.
  for (int round = 0; round < 60; ++round) {
    const size_t pieces = 3 + u32(rng) % (kPieces.size() - 2);
    const auto keys = random_keys(rng, 50 + u32(rng) % 500, pieces);
    std::string bytes;
    std::string reversed_bytes;
    const TermTrie trie = make_trie(keys, &bytes);
    const TermTrie reversed = make_reversed_trie(keys, &reversed_bytes);
    for (int q = 0; q < 16; ++q) {
      // Half the words a key's term within two edits (so that terms
      // within reach by every kind of edit, a swap and a code point of
      // several bytes among them, are there to be found), half random.
      const std::string word = q % 2 == 0 ? near_term(rng, keys, std::min<size_t>(pieces, 10))
                                          : random_text(rng, std::min<size_t>(pieces, 10), 8);
      const int n = static_cast<int>(u32(rng) % (kMaxFuzzyEdits + 1));
      const LevenshteinAutomaton automaton(word, n);
      const FuzzyTrieWalk walk(word, n);
      if (n == 1 && code_point_count(word) >= 3) ++split_one;
      if (n == 2 && code_point_count(word) >= 4) ++split_two;
      for (char field : {'\0', '\1'}) {
        const std::string base(1, field);
        std::vector<std::pair<std::string, uint64_t>> want;
        for (const auto& [key, df] : keys) {
          if (key.starts_with(base) && automaton.distance(key.substr(1))) {
            want.emplace_back(key.substr(1), df);
          }
        }
        INFO("round " << round << " word [" << word << "] N " << n);
        for (const TermTrie* backward : {&reversed, static_cast<const TermTrie*>(nullptr)}) {
          std::vector<std::pair<std::string, uint64_t>> got;
          REQUIRE(walk.walk(trie, backward, base, &got).is_ok());
          std::sort(got.begin(), got.end());
          CHECK(got == want);
        }
      }
    }
  }
  CHECK(split_one > 50);
  CHECK(split_two > 50);
}

TEST_CASE("term trie: a reversed key reverses the code points, and again gives the key", "[trie]") {
  CHECK(reversed_key(std::string("\0abc", 4)) == std::string("\0cba", 4));
  CHECK(reversed_key(std::string("\1a\xc3\xa9\xe6\x99\xba", 7)) ==
        std::string("\1\xe6\x99\xba\xc3\xa9"
                    "a",
                    7));
  CHECK(reversed_key(std::string("\0", 1)) == std::string("\0", 1));
  // Not valid UTF-8: the mark, then the term as it is.
  CHECK(reversed_key(std::string("\0a\x80", 3)) == std::string("\0\xff"
                                                               "a\x80",
                                                               4));
  std::mt19937 rng(313);
  for (int round = 0; round < 2000; ++round) {
    const std::string key =
        std::string(1, static_cast<char>(u32(rng) % 2)) + random_text(rng, kPieces.size(), 7);
    const std::string reversed = reversed_key(key);
    INFO("key of " << key.size() << " bytes");
    CHECK(code_point_count(reversed.substr(1)) ==
          code_point_count(key.substr(1)) + (is_valid_utf8(key.substr(1)) ? 0 : 1));
    if (is_valid_utf8(key.substr(1))) {
      CHECK(reversed_key(reversed) == key);
      std::vector<char32_t> backwards = code_points(key.substr(1));
      std::reverse(backwards.begin(), backwards.end());
      CHECK(code_points(reversed.substr(1)) == backwards);
    } else {
      CHECK(reversed == key.substr(0, 1) + kInvalidReversedMark + key.substr(1));
    }
  }
}

TEST_CASE("term trie: reversed keys gathered in sets give the trie of all of them sorted",
          "[trie]") {
  std::mt19937 rng(1414);
  for (int round = 0; round < 200; ++round) {
    // Few pieces: many keys share their first 8 bytes reversed.
    const auto keys = random_keys(rng, 1 + u32(rng) % 500, 1 + u32(rng) % kPieces.size());
    // The slow reference: every key reversed, sorted as strings.
    std::vector<std::pair<std::string, std::string>> sorted;  // (reversed, key)
    for (const auto& entry : keys) sorted.emplace_back(reversed_key(entry.first), entry.first);
    std::sort(sorted.begin(), sorted.end());
    TermTrieBuilder expected;
    for (const auto& [reversed, key] : sorted) {
      expected.add(reversed, keys.at(key), code_point_count(key));
    }
    expected.finish();
    // The keys dealt to 1 to 4 sets in a random order, each set sorted.
    std::vector<std::pair<std::string, uint32_t>> shuffled(keys.begin(), keys.end());
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    std::vector<ReversedKeys> sets(1 + u32(rng) % 4);
    for (const auto& [key, df] : shuffled) sets[u32(rng) % sets.size()].add(key, df);
    for (ReversedKeys& set : sets) set.sort();
    TermTrieBuilder trie;
    ReversedKeys::add_to(sets, &trie);
    trie.finish();
    INFO("round " << round << ", " << keys.size() << " keys in " << sets.size() << " sets");
    CHECK(trie.bytes() == expected.bytes());
    CHECK(trie.root_offset() == expected.root_offset());
  }
}

TEST_CASE("term trie: the byte-at-a-time automaton reads bytes as decode_utf8 does", "[trie]") {
  std::mt19937 rng(808);
  for (int round = 0; round < 3000; ++round) {
    const std::string word = random_text(rng, 10, 5);
    const std::string term = random_text(rng, kPieces.size(), 6);
    const int n = static_cast<int>(u32(rng) % (kMaxFuzzyEdits + 1));
    const LevenshteinAutomaton automaton(word, n);
    LevenshteinAutomaton::ByteState s;
    bool alive = true;
    for (size_t i = 0; alive && i < term.size(); ++i) {
      alive = automaton.step_byte(&s, static_cast<uint8_t>(term[i]));
    }
    INFO("word [" << word << "] term [" << term << "] N " << n);
    CHECK((alive ? automaton.end_distance(s) : std::nullopt) == automaton.distance(term));
    // The code points read: all of the term's, once none is pending.
    if (alive && s.pending_size == 0) CHECK(s.read == code_point_count(term));
  }
}

TEST_CASE("term trie: the dictionary writes it and a damaged one is a Corruption", "[trie]") {
  TempDir dir;
  std::mt19937 rng(909);
  const auto keys = random_keys(rng, 3000, kPieces.size());
  const std::string path = (dir / "t.terms").string();
  auto write = [&](const std::string& content) {
    auto out = FileWriter::create(path, kKindTerms);
    REQUIRE(out.is_ok());
    (*out)->append(content);
    REQUIRE((*out)->finish().is_ok());
  };
  {
    auto out = FileWriter::create(path, kKindTerms);
    REQUIRE(out.is_ok());
    TermDictionaryWriter w(out->get());
    for (const auto& [key, df] : keys) {
      TermInfo info;
      info.df = df;
      info.cf = df;
      if (df >= kPostingsBlockSize) info.impacts = {{1, 3}};
      w.add(key, info);
    }
    w.finish();
    REQUIRE((*out)->finish().is_ok());
  }
  std::string content;
  const auto fixed64_at = [&](const std::string& bytes, size_t at) {
    return decode_fixed64(reinterpret_cast<const uint8_t*>(bytes.data()) + at);
  };
  {
    auto file = MappedFile::open(path, kKindTerms);
    REQUIRE(file.is_ok());
    CHECK((*file)->version() == kFormatVersion);
    auto dict = TermDictionaryReader::open(**file);
    REQUIRE(dict.is_ok());
    REQUIRE((*dict)->trie() != nullptr);
    REQUIRE((*dict)->reversed_trie() != nullptr);
    CHECK(all_with_prefix(*(*dict)->trie(), "") == keys);
    std::map<std::string, uint32_t> reversed;
    for (const auto& [key, df] : keys) reversed[reversed_key(key)] = df;
    CHECK(all_with_prefix(*(*dict)->reversed_trie(), "") == reversed);
    content = std::string((*file)->view());
  }
  // The trailer's last four fields: the trie's offset and root, the
  // reversed trie's offset and root.
  const size_t trailer = content.size() - 52;
  const uint64_t trie_offset = fixed64_at(content, trailer + 20);
  const uint64_t root = fixed64_at(content, trailer + 28);
  const uint64_t reversed_offset = fixed64_at(content, trailer + 36);
  const uint64_t reversed_root = fixed64_at(content, trailer + 44);
  REQUIRE(trie_offset < reversed_offset);
  REQUIRE(reversed_offset < trailer);
  // Opens and walks: OK, or a Corruption naming the file (returned).
  auto check_damaged = [&](const std::string& damaged) {
    write(damaged);
    auto file = MappedFile::open(path, kKindTerms);
    REQUIRE(file.is_ok());
    auto dict = TermDictionaryReader::open(**file);
    if (!dict.is_ok()) {
      CHECK(dict.status().code() == Status::Code::kCorruption);
      CHECK(dict.status().message().starts_with(path + ": corrupted term dictionary"));
      return dict.status();
    }
    REQUIRE((*dict)->trie() != nullptr);
    REQUIRE((*dict)->reversed_trie() != nullptr);
    std::vector<std::pair<std::string, uint64_t>> found;
    Status status =
        FuzzyTrieWalk("abcab", 2)
            .walk(*(*dict)->trie(), (*dict)->reversed_trie(), std::string_view("\0", 1), &found);
    for (const TermTrie* trie : {(*dict)->trie(), (*dict)->reversed_trie()}) {
      if (status.is_ok())
        status = trie->walk(
            "", 0, [](int*, uint8_t) { return true; }, [](std::string_view, int, uint32_t) {});
    }
    if (!status.is_ok()) {
      CHECK(status.code() == Status::Code::kCorruption);
      CHECK(status.message().starts_with(path + ": corrupted term dictionary trie"));
    }
    return status;
  };
  auto with_fields = [&](std::string bytes, size_t at, std::vector<uint64_t> values) {
    std::string fields;
    for (uint64_t v : values) put_fixed64(&fields, v);
    bytes.replace(bytes.size() - 52 + at, fields.size(), fields);
    return bytes;
  };
  // Either trie's first half cut out, its root (and what follows) moved
  // down to match: children now point before the section.
  {
    const uint64_t half = (reversed_offset - trie_offset) / 2;
    REQUIRE(root > half);
    std::string cut = content;
    cut.erase(trie_offset, half);
    CHECK_FALSE(
        check_damaged(with_fields(cut, 20, {trie_offset, root - half, reversed_offset - half}))
            .is_ok());
    const uint64_t reversed_half = (trailer - reversed_offset) / 2;
    REQUIRE(reversed_root > reversed_half);
    cut = content;
    cut.erase(reversed_offset, reversed_half);
    CHECK_FALSE(
        check_damaged(with_fields(cut, 36, {reversed_offset, reversed_root - reversed_half}))
            .is_ok());
  }
  // A root past its trie's end; the tries in the wrong order; the section
  // cut at the end.
  {
    CHECK_FALSE(check_damaged(with_fields(content, 28, {reversed_offset - trie_offset})).is_ok());
    CHECK_FALSE(check_damaged(with_fields(content, 44, {trailer - reversed_offset})).is_ok());
    CHECK_FALSE(check_damaged(with_fields(content, 36, {trie_offset - 1})).is_ok());
    std::string bad = content;
    bad.erase(trailer - 5, 5);
    CHECK_FALSE(check_damaged(bad).is_ok());
  }
  // Random bytes overwritten in the section.
  int corrupted = 0;
  for (int round = 0; round < 200; ++round) {
    std::string bad = content;
    const int flips = 1 + static_cast<int>(u32(rng) % 4);
    for (int f = 0; f < flips; ++f) {
      bad[trie_offset + u32(rng) % (trailer - trie_offset)] = static_cast<char>(u32(rng));
    }
    if (!check_damaged(bad).is_ok()) ++corrupted;
  }
  CHECK(corrupted > 0);
}
