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
#include <cstring>
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
  // longest) is asked at each node with children that the prefix ends in
  // or that lies below it, with the state after the node's label (after
  // the prefix, for the node it ends in): false when no key of `shortest` to
  // `longest` code points (the whole key's, as decode_utf8 counts them)
  // continuing the bytes read can be wanted; the walk then skips the node
  // and everything below it. (A damaged trie's lengths may be wrong: keys
  // are then missed, but every read stays checked.)
  template <class State, class Step, class Visit, class Live, class Reach>
  Status walk(std::string_view prefix, const State& start, Step step, Visit visit, Live live,
              Reach reach) const;

 private:
  struct Node;

 public:
  // A place in the trie, for descents that choose their bytes themselves
  // (FuzzyTrieWalk's prefixes within one edit): after the bytes of some
  // prefix of a key, inside a node's run or at its end.
  class Cursor;
  // The same walk, of the keys below a place in the trie, `at`, whose
  // bytes are `bytes` (the prefix), with `start` the state after them
  // (reach() is then also asked at the node `at` is in, with `start`).
  template <class State, class Step, class Visit, class Live, class Reach>
  Status walk_below(const Cursor& at, std::string_view bytes, const State& start, Step step,
                    Visit visit, Live live, Reach reach) const;
  // The root, before any byte. Errors: Corruption naming the file.
  Status root(Cursor* out) const;
  // The place after `at` then `byte`: *found is false when no key
  // continues the bytes of `at` with `byte` (*out is then unchanged).
  // Errors: Corruption naming the file.
  Status child(const Cursor& at, uint8_t byte, Cursor* out, bool* found) const;
  // Calls f(byte, place after it) for each byte some key continues the
  // bytes of `at` with, in increasing order. Errors: Corruption naming the
  // file.
  template <class F>
  Status for_each_child(const Cursor& at, F f) const;
  // Whether some key continues the bytes of `at` with `byte` (child()
  // finds it), read from `at` alone.
  bool may_continue(const Cursor& at, uint8_t byte) const;
  // False when, in a trie that records lengths, every key continuing the
  // bytes of `at` has fewer than `shortest` or more than `longest` code
  // points (the whole key's, as decode_utf8 counts them); else true.
  bool may_hold_lengths(const Cursor& at, uint64_t shortest, uint64_t longest) const;

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
  // The offset of child `c` of `node` (at `offset`), given that of child
  // c - 1 in *previous (ignored for c = 0), which it then holds; *p is
  // where child c's delta is read and moves past it. False when damaged.
  bool next_child(uint64_t offset, const uint8_t** p, uint32_t c, uint64_t* previous) const;
  Status corrupted(uint64_t offset) const;

  const uint8_t* data_;
  size_t size_;
  uint64_t root_;
  std::string path_;
  bool lengths_;
};

class TermTrie::Cursor {
 private:
  friend class TermTrie;
  uint64_t offset_ = 0;  // The node's.
  Node node_;
  size_t read_ = 0;  // The bytes of its run read (the label before it not counted).
};

inline bool TermTrie::next_child(uint64_t offset, const uint8_t** p, uint32_t c,
                                 uint64_t* previous) const {
  uint64_t delta = 0;
  *p = get_varint64(*p, data_ + size_, &delta);
  // Siblings lie at increasing offsets, below their parent.
  if (*p == nullptr || delta == 0 || delta > offset - (c == 0 ? 0 : *previous + 1)) return false;
  *previous = c == 0 ? offset - delta : *previous + delta;
  return true;
}

template <class F>
Status TermTrie::for_each_child(const Cursor& at, F f) const {
  if (at.read_ < at.node_.run.size()) {
    Cursor next = at;
    ++next.read_;
    f(static_cast<uint8_t>(at.node_.run[at.read_]), next);
    return Status::ok();
  }
  const uint8_t* p = at.node_.deltas;
  Cursor next;
  uint64_t child = 0;
  for (uint32_t c = 0; c < at.node_.children; ++c) {
    if (!next_child(at.offset_, &p, c, &child) || !parse(child, &next.node_)) {
      return corrupted(at.offset_);
    }
    next.offset_ = child;
    f(at.node_.labels[c], next);
  }
  return Status::ok();
}

inline bool TermTrie::may_continue(const Cursor& at, uint8_t byte) const {
  const Node& n = at.node_;
  if (at.read_ < n.run.size()) return static_cast<uint8_t>(n.run[at.read_]) == byte;
  return n.children > 0 && std::memchr(n.labels, byte, n.children) != nullptr;
}

inline bool TermTrie::may_hold_lengths(const Cursor& at, uint64_t shortest,
                                       uint64_t longest) const {
  const Node& n = at.node_;
  if (!lengths_ || n.children == 0) return true;
  return n.longest >= shortest && n.shortest <= longest;
}

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
  Cursor at;
  SCRY_RETURN_IF_ERROR(root(&at));
  for (char byte : prefix) {
    bool found = false;
    SCRY_RETURN_IF_ERROR(child(at, static_cast<uint8_t>(byte), &at, &found));
    if (!found) return Status::ok();
  }
  return walk_below(at, prefix, start, step, visit, live, reach);
}

template <class State, class Step, class Visit, class Live, class Reach>
Status TermTrie::walk_below(const Cursor& at, std::string_view bytes, const State& start, Step step,
                            Visit visit, Live live, Reach reach) const {
  // A node to visit: how many key bytes lie before its label, the label
  // and the state after it.
  struct Entry {
    uint64_t offset;
    uint32_t depth;
    uint8_t label;
    State state;
  };
  // The key of the node being visited; a child's bytes are written only
  // when the child is visited.
  std::string key(bytes);
  std::vector<Entry> stack;
  // The node's run from byte `from` on, its key and its children, with
  // `state` after its bytes before `from`: false when `step` or `reach`
  // rules the node out, or when it is damaged (*status is then set).
  const auto expand = [&](uint64_t offset, const Node& node, size_t from, size_t depth, State state,
                          Status* status) {
    if (lengths_ && node.children > 0 && !reach(state, node.shortest, node.longest)) return;
    key.resize(depth + node.run.size() - from);
    for (size_t i = from; i < node.run.size(); ++i, ++depth) {
      const auto b = static_cast<uint8_t>(node.run[i]);
      key[depth] = static_cast<char>(b);
      if (!step(&state, b)) return;
    }
    if (node.terminal) visit(std::string_view(key.data(), depth), state, node.df);
    const bool* only = live(state);
    // The children after the last one `only` allows are not read.
    uint32_t end = node.children;
    if (only != nullptr) {
      while (end > 0 && !only[node.labels[end - 1]]) --end;
    }
    const uint8_t* p = node.deltas;
    uint64_t child = 0;
    for (uint32_t c = 0; c < end; ++c) {
      if (!next_child(offset, &p, c, &child)) {
        *status = corrupted(offset);
        return;
      }
      const uint8_t label = node.labels[c];
      if (only != nullptr && !only[label]) continue;
      State next = state;
      if (step(&next, label)) stack.push_back({child, static_cast<uint32_t>(depth), label, next});
    }
  };
  Status status = Status::ok();
  expand(at.offset_, at.node_, at.read_, key.size(), start, &status);
  Node node;
  // Every node takes a byte at least: more reads than bytes means that
  // damaged offsets share nodes.
  uint64_t budget = size_;
  while (status.is_ok() && !stack.empty()) {
    const Entry e = stack.back();
    stack.pop_back();
    if (budget-- == 0 || !parse(e.offset, &node)) return corrupted(e.offset);
    key.resize(e.depth + 1);
    key[e.depth] = static_cast<char>(e.label);
    expand(e.offset, node, 0, e.depth + 1, e.state, &status);
  }
  return status;
}

}  // namespace scry
