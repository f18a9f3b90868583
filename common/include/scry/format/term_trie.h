// The trie of a term dictionary's keys (format version 6, docs/FORMAT.md
// "seg1.terms", "Trie"): every key of the dictionary with its df, as a
// byte trie whose single-child chains are collapsed into runs, its nodes
// written children before parents. A walk that steps an automaton a byte
// at a time (a fuzzy term's Levenshtein automaton) visits only the nodes
// whose prefix the automaton keeps alive, instead of decoding the sorted
// terms between them.
//
// Thread safety: the builder is single-threaded; a TermTrie is immutable
// and may be shared.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/codec/varint.h"
#include "scry/util/status.h"

namespace scry {

// Builds the trie's bytes from keys given in increasing byte order, holding
// only the nodes along the last key (and their finished children).
class TermTrieBuilder {
 public:
  TermTrieBuilder();
  // REQUIRES: key greater (bytewise) than the previous key; df >= 1.
  void add(std::string_view key, uint32_t df);
  // Writes the remaining nodes, the root last. The nodes' bytes are
  // bytes(); the root starts at root_offset() within them.
  void finish();
  const std::string& bytes() const { return bytes_; }
  uint64_t root_offset() const { return root_offset_; }

 private:
  // A finished node not yet written: its run (the edge bytes after the
  // label its parent holds), whether a key ends at it, and its children,
  // already written (label, offset in bytes_).
  struct Pending {
    std::string run;
    bool terminal = false;
    uint32_t df = 0;
    std::vector<std::pair<uint8_t, uint64_t>> children;
  };
  // A node on the path of the last key: its finished children wait here
  // until it is finished itself (a non-terminal node with one child is
  // then folded into that child's run).
  struct Frame {
    bool terminal = false;
    uint32_t df = 0;
    std::vector<std::pair<uint8_t, Pending>> children;
  };
  // Finishes the deepest frame and hands it to its parent.
  void pop();
  Pending finish_frame(Frame frame);
  uint64_t write(const Pending& node);

  std::vector<Frame> path_;  // path_[i]: the node of the last key's first i bytes.
  std::string last_key_;
  std::string bytes_;
  uint64_t root_offset_ = 0;
  bool finished_ = false;
};

// A trie section read in place: `data` spans the nodes, `root` is the
// root's offset within it.
class TermTrie {
 public:
  // `path` names the file in errors.
  TermTrie(const uint8_t* data, size_t size, uint64_t root, std::string path)
      : data_(data), size_(size), root_(root), path_(std::move(path)) {}

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
  Status walk(std::string_view prefix, const State& start, Step step, Visit visit, Live live) const;

 private:
  // One node parsed in place.
  struct Node {
    bool terminal = false;
    uint32_t df = 0;
    std::string_view run;
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
};

template <class State, class Step, class Visit, class Live>
Status TermTrie::walk(std::string_view prefix, const State& start, Step step, Visit visit,
                      Live live) const {
  // A node to visit: the key bytes before its label, the label (none for
  // the root) and the state after it.
  struct Entry {
    uint64_t offset;
    size_t depth;
    int label;
    State state;
  };
  std::string key;
  // Reads byte `b` at the key's end: the prefix's bytes must match, the
  // rest step the state.
  auto read = [&](State* state, uint8_t b) {
    const size_t i = key.size();
    key.push_back(static_cast<char>(b));
    if (i < prefix.size()) return static_cast<uint8_t>(prefix[i]) == b;
    return step(state, b);
  };
  std::vector<Entry> stack;
  stack.push_back({root_, 0, -1, start});
  Node node;
  // Every node takes a byte at least: more reads than bytes means that
  // damaged offsets share nodes.
  uint64_t budget = size_;
  while (!stack.empty()) {
    Entry e = std::move(stack.back());
    stack.pop_back();
    if (budget-- == 0 || !parse(e.offset, &node)) return corrupted(e.offset);
    key.resize(e.depth);
    if (e.label >= 0) key.push_back(static_cast<char>(e.label));
    bool alive = true;
    for (size_t i = 0; alive && i < node.run.size(); ++i) {
      alive = read(&e.state, static_cast<uint8_t>(node.run[i]));
    }
    if (!alive) continue;
    if (node.terminal && key.size() >= prefix.size())
      visit(std::string_view(key), e.state, node.df);
    const uint8_t* p = node.deltas;
    const size_t depth = key.size();
    // Siblings lie at increasing offsets, below their parent.
    uint64_t child = 0;
    const bool* only = depth >= prefix.size() ? live(e.state) : nullptr;
    for (uint32_t c = 0; c < node.children; ++c) {
      uint64_t delta = 0;
      p = get_varint64(p, data_ + size_, &delta);
      if (p == nullptr || delta == 0 || delta > e.offset - (c == 0 ? 0 : child + 1)) {
        return corrupted(e.offset);
      }
      child = c == 0 ? e.offset - delta : child + delta;
      if (only != nullptr && !only[node.labels[c]]) continue;
      State state = e.state;
      if (read(&state, node.labels[c])) {
        stack.push_back({child, depth, node.labels[c], std::move(state)});
      }
      key.resize(depth);
    }
  }
  return Status::ok();
}

}  // namespace scry
