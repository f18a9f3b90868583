#include "scry/format/term_trie.h"

#include <algorithm>
#include <cassert>

namespace scry {

TermTrieBuilder::TermTrieBuilder() { path_.emplace_back(); }

void TermTrieBuilder::add(std::string_view key, uint32_t df, uint64_t code_points) {
  assert(!finished_ && df >= 1);
  assert(depth_ == 1 || key > last_key_);
  const size_t limit = std::min(key.size(), last_key_.size());
  size_t common = 0;
  while (common < limit && key[common] == last_key_[common]) ++common;
  while (depth_ > common + 1) pop();
  last_key_.assign(key);
  depth_ = key.size() + 1;
  if (path_.size() < depth_) path_.resize(depth_);
  Frame& last = path_[depth_ - 1];
  last.terminal = true;
  last.df = df;
  last.lengths = {code_points, code_points};
}

void TermTrieBuilder::pop() {
  Frame& frame = path_[--depth_];
  const auto label = static_cast<uint8_t>(last_key_[depth_ - 1]);
  Frame& parent = path_[depth_ - 1];
  parent.lengths.add(frame.lengths);
  parent.children.emplace_back(label, finish_frame(&frame));
}

TermTrieBuilder::Pending TermTrieBuilder::finish_frame(Frame* frame) {
  Pending out;
  if (!frame->terminal && frame->children.size() == 1) {
    // Folded: the child's label joins the front of its run (kept reversed
    // until written, so that a long chain folds in linear time).
    out = std::move(frame->children[0].second);
    out.run.push_back(static_cast<char>(frame->children[0].first));
  } else {
    out.terminal = frame->terminal;
    out.df = frame->df;
    out.lengths = frame->lengths;
    out.children.reserve(frame->children.size());
    for (const auto& [label, child] : frame->children) {
      out.children.emplace_back(label, write(child));
    }
  }
  frame->terminal = false;
  frame->df = 0;
  frame->lengths = Lengths();
  frame->children.clear();
  return out;
}

uint64_t TermTrieBuilder::write(const Pending& node) {
  const uint64_t offset = bytes_.size();
  put_varint64(&bytes_, (node.terminal ? 1u : 0u) | uint64_t{node.children.size()} << 1 |
                            uint64_t{node.run.size()} << (1 + kTrieChildBits));
  bytes_.append(node.run.rbegin(), node.run.rend());
  if (node.terminal) put_varint32(&bytes_, node.df);
  if (!node.children.empty()) {
    put_varint64(&bytes_, node.lengths.shortest);
    put_varint64(&bytes_, node.lengths.longest - node.lengths.shortest);
  }
  for (const auto& child : node.children) bytes_.push_back(static_cast<char>(child.first));
  // The first child from this node, each next one from the one before.
  uint64_t from = offset;
  for (const auto& child : node.children) {
    put_varint64(&bytes_, child.second > from ? child.second - from : from - child.second);
    from = child.second;
  }
  return offset;
}

void TermTrieBuilder::finish() {
  assert(!finished_);
  while (depth_ > 1) pop();
  root_offset_ = write(finish_frame(&path_[0]));
  path_.clear();
  depth_ = 0;
  finished_ = true;
}

Status TermTrie::root(Cursor* out) const {
  out->offset_ = root_;
  out->read_ = 0;
  return parse(root_, &out->node_) ? Status::ok() : corrupted(root_);
}

Status TermTrie::child(const Cursor& at, uint8_t byte, Cursor* out, bool* found) const {
  *found = false;
  const Node& n = at.node_;
  if (at.read_ < n.run.size()) {
    if (static_cast<uint8_t>(n.run[at.read_]) != byte) return Status::ok();
    *out = at;
    ++out->read_;
    *found = true;
    return Status::ok();
  }
  const uint8_t* label = std::find(n.labels, n.labels + n.children, byte);
  if (label == n.labels + n.children) return Status::ok();
  const auto index = static_cast<uint32_t>(label - n.labels);
  const uint8_t* p = n.deltas;
  uint64_t offset = 0;
  for (uint32_t c = 0; c <= index; ++c) {
    if (!next_child(at.offset_, &p, c, &offset)) return corrupted(at.offset_);
  }
  Node node;
  if (!parse(offset, &node)) return corrupted(offset);
  out->offset_ = offset;
  out->node_ = node;
  out->read_ = 0;
  *found = true;
  return Status::ok();
}

Status TermTrie::corrupted(uint64_t offset) const {
  return Status::corruption(path_ + ": corrupted term dictionary trie (node at trie offset " +
                            std::to_string(offset) + ")");
}

}  // namespace scry
