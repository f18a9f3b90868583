// The trie of a term dictionary's keys (format versions 6 and 7,
// docs/FORMAT.md "seg1.terms", "Trie"): every key of the dictionary with
// its df, as a byte trie whose single-child chains are collapsed into runs,
// its nodes written children before parents; from version 7, each node with
// children also records the fewest and most code points of the keys below
// it. A walk that steps an automaton a byte at a time (a fuzzy term's
// Levenshtein automaton) visits only the nodes whose prefix the automaton
// keeps alive, and whose keys' lengths it can still accept, instead of
// decoding the sorted terms between them.
//
// Thread safety: the builder is single-threaded; a TermTrie is immutable
// and may be shared.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/codec/varint.h"
#include "scry/util/status.h"
#include "scry/util/utf8.h"

namespace scry {

// A node's head: bit 0 terminal, bits 1-9 the child count (0-256), the
// rest the run's length.
inline constexpr unsigned kTrieChildBits = 9;
inline constexpr uint64_t kTrieMaxChildren = 256;

// Builds the trie's bytes (the current version's layout) from keys given
// in increasing byte order, holding only the nodes along the last key (and
// their finished children).
class TermTrieBuilder {
 public:
  TermTrieBuilder();
  // REQUIRES: key greater (bytewise) than the previous key; df >= 1.
  void add(std::string_view key, uint32_t df) { add(key, df, code_point_count(key)); }
  // The same, where the key's length recorded (the nodes' fewest and most
  // code points) is `code_points` (a trie of reversed keys records the
  // original key's).
  void add(std::string_view key, uint32_t df, uint64_t code_points);
  // Writes the remaining nodes, the root last. The nodes' bytes are
  // bytes(); the root starts at root_offset() within them.
  void finish();
  const std::string& bytes() const { return bytes_; }
  uint64_t root_offset() const { return root_offset_; }

 private:
  // The fewest and most code points of the keys at or below a node.
  struct Lengths {
    uint64_t shortest = UINT64_MAX;
    uint64_t longest = 0;
    void add(const Lengths& other) {
      shortest = std::min(shortest, other.shortest);
      longest = std::max(longest, other.longest);
    }
  };
  // A finished node not yet written: its run (the edge bytes after the
  // label its parent holds), whether a key ends at it, its keys' lengths,
  // and its children, already written (label, offset in bytes_).
  struct Pending {
    std::string run;
    bool terminal = false;
    uint32_t df = 0;
    Lengths lengths;
    std::vector<std::pair<uint8_t, uint64_t>> children;
  };
  // A node on the path of the last key: its finished children wait here
  // until it is finished itself (a non-terminal node with one child is
  // then folded into that child's run).
  struct Frame {
    bool terminal = false;
    uint32_t df = 0;
    Lengths lengths;
    std::vector<std::pair<uint8_t, Pending>> children;
  };
  // Finishes the deepest frame and hands it to its parent.
  void pop();
  // The frame's node, finished; the frame is left empty for the next key
  // (its children's buffer kept: a key's frames are not allocated again).
  Pending finish_frame(Frame* frame);
  uint64_t write(const Pending& node);

  // path_[i], i < depth_: the node of the last key's first i bytes. The
  // frames past depth_ are empty, kept for their buffers.
  std::vector<Frame> path_;
  size_t depth_ = 1;
  std::string last_key_;
  std::string bytes_;
  uint64_t root_offset_ = 0;
  bool finished_ = false;
};

// A trie section read in place: `data` spans the nodes, `root` is the
// root's offset within it.
class TermTrie {
 public:
  // `path` names the file in errors. `lengths`: the nodes record their
  // keys' lengths (format version 7 and later).
  TermTrie(const uint8_t* data, size_t size, uint64_t root, std::string path, bool lengths)
      : data_(data), size_(size), root_(root), path_(std::move(path)), lengths_(lengths) {}

  // Whether the nodes record their keys' lengths (reach() is then called).
  bool has_lengths() const { return lengths_; }

  // Visits every key starting with `prefix` whose bytes after the prefix
  // `step` accepts, as visit(key, state, df), where state is `start` after
  // step() read the bytes of the key past the prefix. step(State*, byte)
  // advances a state by one byte and returns false when no key continuing
  // those bytes can be wanted: the walk then skips the subtree. Keys are
  // visited in no particular order. Each node is read at most once; a walk
  // reads at most as many nodes as the section has bytes, even when damaged.
  // Errors: Corruption naming the file (an offset, length or count out of
  // place, checked before every read; too many nodes read).
  template <class State, class Step, class Visit>
  Status walk(std::string_view prefix, const State& start, Step step, Visit visit) const {
    return walk(prefix, start, step, visit, [](const State&) -> const bool* { return nullptr; });
  }
  // The same, where live(state) may name the only bytes that step() could
  // accept next from `state` (a table of 256; nullptr: any byte may be):
  // the children under other labels are skipped without stepping.
  template <class State, class Step, class Visit, class Live>
  Status walk(std::string_view prefix, const State& start, Step step, Visit visit,
              Live live) const {
    return walk(prefix, start, step, visit, live,
                [](const State&, uint64_t, uint64_t) { return true; });
  }
  // The same, where, in a trie that records lengths, reach(state, shortest,
  // longest) is asked at each node with children past the prefix, with the
  // state after the node's label: false when no key of `shortest` to
  // `longest` code points (the whole key's, as decode_utf8 counts them)
  // continuing the bytes read can be wanted; the walk then skips the node
  // and everything below it. (A damaged trie's lengths may be wrong: keys
  // are then missed, but every read stays checked.)
  template <class State, class Step, class Visit, class Live, class Reach>
  Status walk(std::string_view prefix, const State& start, Step step, Visit visit, Live live,
              Reach reach) const;

 private:
  // One node parsed in place.
  struct Node {
    bool terminal = false;
    uint32_t df = 0;
    std::string_view run;
    // With children, in a trie that records lengths: the fewest and most
    // code points of the keys at or below the node.
    uint64_t shortest = 0;
    uint64_t longest = 0;
    const uint8_t* labels = nullptr;
    uint32_t children = 0;
    // `children` varints: the node's offset minus the first child's, then
    // each child's minus the one before it.
    const uint8_t* deltas = nullptr;
  };
  // Parses the node at `offset`. False when it does not fit the section.
  bool parse(uint64_t offset, Node* node) const;
  Status corrupted(uint64_t offset) const;

  const uint8_t* data_;
  size_t size_;
  uint64_t root_;
  std::string path_;
  bool lengths_;
};

inline bool TermTrie::parse(uint64_t offset, Node* node) const {
  if (offset >= size_) return false;
  const uint8_t* limit = data_ + size_;
  uint64_t head = 0;
  const uint8_t* p = get_varint64(data_ + offset, limit, &head);
  if (p == nullptr) return false;
  node->terminal = (head & 1) != 0;
  node->children = static_cast<uint32_t>((head >> 1) & ((uint64_t{1} << kTrieChildBits) - 1));
  const uint64_t run = head >> (1 + kTrieChildBits);
  if (node->children > kTrieMaxChildren || run > static_cast<uint64_t>(limit - p)) return false;
  node->run = std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(run));
  p += run;
  node->df = 0;
  if (node->terminal) {
    p = get_varint32(p, limit, &node->df);
    if (p == nullptr || node->df == 0) return false;
  }
  if (lengths_ && node->children > 0) {
    uint64_t spread = 0;
    p = get_varint64(p, limit, &node->shortest);
    if (p != nullptr) p = get_varint64(p, limit, &spread);
    if (p == nullptr || spread > UINT64_MAX - node->shortest) return false;
    node->longest = node->shortest + spread;
  }
  if (node->children > static_cast<uint64_t>(limit - p)) return false;
  node->labels = p;
  node->deltas = p + node->children;
  return true;
}

template <class State, class Step, class Visit, class Live, class Reach>
Status TermTrie::walk(std::string_view prefix, const State& start, Step step, Visit visit,
                      Live live, Reach reach) const {
  // A node to visit: how many key bytes lie before its label, the label
  // (kNoLabel for the root) and the state after it.
  constexpr uint32_t kNoLabel = 256;
  struct Entry {
    uint64_t offset;
    uint32_t depth;
    uint32_t label;
    State state;
  };
  // The key of the node being visited; a child's bytes are written only
  // when the child is visited.
  std::string key;
  std::vector<Entry> stack;
  stack.push_back({root_, 0, kNoLabel, start});
  Node node;
  // Every node takes a byte at least: more reads than bytes means that
  // damaged offsets share nodes.
  uint64_t budget = size_;
  while (!stack.empty()) {
    Entry e = stack.back();
    stack.pop_back();
    if (budget-- == 0 || !parse(e.offset, &node)) return corrupted(e.offset);
    size_t depth = e.depth;
    key.resize(depth + (e.label != kNoLabel ? 1 : 0) + node.run.size());
    if (e.label != kNoLabel) key[depth++] = static_cast<char>(e.label);
    if (lengths_ && node.children > 0 && depth >= prefix.size() &&
        !reach(e.state, node.shortest, node.longest)) {
      continue;
    }
    bool alive = true;
    for (size_t i = 0; alive && i < node.run.size(); ++i, ++depth) {
      const auto b = static_cast<uint8_t>(node.run[i]);
      key[depth] = static_cast<char>(b);
      alive = depth < prefix.size() ? static_cast<uint8_t>(prefix[depth]) == b : step(&e.state, b);
    }
    if (!alive) continue;
    const bool past_prefix = depth >= prefix.size();
    if (node.terminal && past_prefix) visit(std::string_view(key.data(), depth), e.state, node.df);
    const bool* only = past_prefix ? live(e.state) : nullptr;
    // The children after the last one that may be taken are not read: the
    // one under the prefix's next byte, or the last one `only` allows.
    uint32_t end = node.children;
    if (!past_prefix) {
      const auto* at =
          std::find(node.labels, node.labels + end, static_cast<uint8_t>(prefix[depth]));
      end = at == node.labels + end ? 0 : static_cast<uint32_t>(at - node.labels) + 1;
    } else if (only != nullptr) {
      while (end > 0 && !only[node.labels[end - 1]]) --end;
    }
    const uint8_t* p = node.deltas;
    const uint8_t* const limit = data_ + size_;
    // Siblings lie at increasing offsets, below their parent.
    uint64_t child = 0;
    for (uint32_t c = 0; c < end; ++c) {
      uint64_t delta = 0;
      p = get_varint64(p, limit, &delta);
      if (p == nullptr || delta == 0 || delta > e.offset - (c == 0 ? 0 : child + 1)) {
        return corrupted(e.offset);
      }
      child = c == 0 ? e.offset - delta : child + delta;
      const uint8_t label = node.labels[c];
      if (!past_prefix) {
        if (c + 1 == end) stack.push_back({child, static_cast<uint32_t>(depth), label, e.state});
        continue;
      }
      if (only != nullptr && !only[label]) continue;
      State state = e.state;
      if (step(&state, label)) stack.push_back({child, static_cast<uint32_t>(depth), label, state});
    }
  }
  return Status::ok();
}

}  // namespace scry
