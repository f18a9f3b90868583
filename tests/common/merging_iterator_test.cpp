// Tests of MergingIterator (common/src/index/merging_iterator.h): on random
// sorted children it gives exactly what concatenating them in child order
// and sorting by key with a stable sort gives; a child's error ends it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "index/merging_iterator.h"

using namespace scry;

namespace {

// A child over a sorted vector of (key, value) entries. It can be made to
// fail when it would move past entry `fail_at`.
class VectorChild {
 public:
  explicit VectorChild(std::vector<std::pair<std::string, int>> entries, size_t fail_at = SIZE_MAX)
      : entries_(std::move(entries)), fail_at_(fail_at) {}

  bool valid() const { return status_.is_ok() && next_ < entries_.size(); }
  const std::string& key() const { return entries_[next_].first; }
  int value() const { return entries_[next_].second; }
  void next() {
    if (next_ == fail_at_) {
      status_ = Status::corruption("child failed");
      return;
    }
    ++next_;
  }
  const Status& status() const { return status_; }

 private:
  std::vector<std::pair<std::string, int>> entries_;
  size_t fail_at_;
  size_t next_ = 0;
  Status status_;
};

// Random children: short keys over a small alphabet so that keys repeat
// across children and within one; empty keys and empty children occur.
std::vector<std::vector<std::pair<std::string, int>>> random_children(std::mt19937* rng) {
  auto draw = [&](uint32_t n) { return static_cast<uint32_t>((*rng)() % n); };
  std::vector<std::vector<std::pair<std::string, int>>> children(draw(12));
  int value = 0;
  for (auto& child : children) {
    const uint32_t size = draw(4) == 0 ? 0 : draw(40);
    for (uint32_t i = 0; i < size; ++i) {
      std::string key;
      for (uint32_t len = draw(4); key.size() < len;) key += static_cast<char>('a' + draw(3));
      child.emplace_back(std::move(key), value++);
    }
    std::stable_sort(child.begin(), child.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
  }
  return children;
}

}  // namespace

TEST_CASE("MergingIterator gives the stable sort of the concatenated children", "[merge]") {
  std::mt19937 rng(20261206);
  for (int round = 0; round < 500; ++round) {
    const auto entries = random_children(&rng);
    std::vector<std::pair<std::string, int>> expected;
    for (const auto& child : entries) expected.insert(expected.end(), child.begin(), child.end());
    std::stable_sort(expected.begin(), expected.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });

    std::vector<VectorChild> children;
    for (const auto& child : entries) children.emplace_back(child);
    std::vector<VectorChild*> pointers;
    for (VectorChild& child : children) pointers.push_back(&child);
    MergingIterator<VectorChild> merger(std::move(pointers));
    std::vector<std::pair<std::string, int>> got;
    for (; merger.valid(); merger.next()) {
      const VectorChild& child = children[merger.child()];
      REQUIRE(merger.key() == child.key());
      got.emplace_back(std::string(merger.key()), child.value());
    }
    CHECK(merger.status().is_ok());
    INFO("round " << round);
    REQUIRE(got == expected);
  }
}

TEST_CASE("MergingIterator stops at a child's error", "[merge]") {
  SECTION("met while merging") {
    std::vector<VectorChild> children;
    children.emplace_back(std::vector<std::pair<std::string, int>>{{"a", 0}, {"c", 1}});
    children.emplace_back(std::vector<std::pair<std::string, int>>{{"b", 2}, {"d", 3}}, 0);
    MergingIterator<VectorChild> merger({&children[0], &children[1]});
    REQUIRE(merger.valid());
    CHECK(merger.key() == "a");
    merger.next();
    REQUIRE(merger.valid());
    CHECK(merger.key() == "b");
    merger.next();  // The second child fails moving past "b".
    CHECK_FALSE(merger.valid());
    CHECK(merger.status().code() == Status::Code::kCorruption);
  }
  SECTION("already failed when given") {
    std::vector<VectorChild> children;
    children.emplace_back(std::vector<std::pair<std::string, int>>{{"a", 0}});
    children.emplace_back(std::vector<std::pair<std::string, int>>{{"b", 1}, {"c", 2}}, 0);
    children[1].next();
    MergingIterator<VectorChild> merger({&children[0], &children[1]});
    CHECK_FALSE(merger.valid());
    CHECK(merger.status().code() == Status::Code::kCorruption);
  }
  SECTION("no children") {
    MergingIterator<VectorChild> merger({});
    CHECK_FALSE(merger.valid());
    CHECK(merger.status().is_ok());
  }
}
