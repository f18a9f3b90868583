#include "scry/text/analyzer.h"

#include <libstemmer.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "text/char_kinds.h"
#include "text/word_cache.h"

namespace scry {
namespace {

using chars::ascii_lower;
using chars::ascii_word_end;
using chars::Char;
using chars::classify;
using chars::kAsciiEndsWord;
using chars::kAsciiKind;
using chars::kAsciiStartsNoToken;
using chars::kAsciiWordByte;
using chars::kDigitByte;
using chars::Kind;
using chars::kUpperByte;

constexpr utf8proc_option_t kNormalizeOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);

// The Snowball English stemmer leaves words shorter than this unchanged.
constexpr size_t kMinStemBytes = 3;

}  // namespace

// Aligned to a cache line: the analyzers of different threads were
// allocated side by side, and their state changes with every token.
struct alignas(64) Analyzer::Impl {
  explicit Impl(const AnalyzerConfig& config)
      : stop_words_(config.stop_words),
        version_(config.version),
        stemmer_(config.stem ? sb_stemmer_new("english", "UTF_8") : nullptr) {
    // With a known algorithm and encoding, sb_stemmer_new() fails only when
    // out of memory.
    if (config.stem && stemmer_ == nullptr) throw std::bad_alloc();
    raw_.reserve(kMaxTermBytes * 2);
    codepoints_.resize(256);
  }
  ~Impl() { sb_stemmer_delete(stemmer_); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // What run() emits.
  enum class Emit { kTerms, kCountedTerms, kWords, kSpans };
  // Analyzes `text`: kTerms emits the index's terms, kCountedTerms the same
  // and counts the words as kWords does, kWords stop words too, kSpans
  // every token normalised only (see Analyzer::token_spans).
  // kSpans appends to *spans instead of calling `emit`. Stops scanning once
  // `max_tokens` positions are emitted (a scan may emit a few more).
  uint32_t run(std::string_view text, const std::function<void(const Token&)>* emit, Emit what,
               std::vector<TokenSpan>* spans = nullptr, uint32_t max_tokens = UINT32_MAX);
  // See Analyzer::count_words() and flush_word_counts().
  void count_words(std::function<void(std::string_view word, uint64_t count)> sink) {
    words_.set_counter(std::move(sink));
  }
  void flush_word_counts() { words_.drain(); }
  void use_fast_paths(bool on) { fast_paths_ = on; }

 private:
  // The code point at byte `pos`; an invalid byte is one kOther byte (the
  // continuation bytes after it are kOther too, so only boundaries matter).
  Char at(size_t pos) const;
  // Appends text[from, to) to raw_, lowercasing ASCII; while counting_,
  // only counts the bytes of an ASCII piece (see counting_).
  void append(size_t from, size_t to);
  // Ends counting_: raw_ becomes the bytes scan_word() kept of
  // text[word_start_, to) (all but its commas and apostrophes).
  void stop_counting(size_t to);
  // Returns the end of a trailing possessive "'s" starting at `pos` (which
  // holds an apostrophe), or `pos` when there is none.
  size_t possessive_end(size_t pos) const;
  // Each scans the token (or CJK run) starting at `start`, emits it and
  // returns where it ended. scan_acronym() returns `start` when the text
  // there is no acronym.
  size_t scan_acronym(size_t start);
  size_t scan_word(size_t start);
  // scan_word()'s fast path for terms: a whole word of ASCII letters and
  // digits (ends_plain_word()), its term the text itself when it has no
  // capital letter (no copy).
  // Returns `start`, having done nothing, for any other word.
  [[gnu::always_inline]] size_t scan_plain_word(size_t start);
  // scan_word() for a word starting with an ASCII letter or digit: the fast
  // path first, when taken (inline in run(), the loop of every token).
  [[gnu::always_inline]] size_t scan_ascii_word(size_t start) {
    if (fast_paths_ && what_ != Emit::kSpans) {
      const size_t end = scan_plain_word(start);
      if (end != start) return end;
    }
    return scan_word(start);
  }
  // Whether the run of ASCII letters and digits text[start, pos) (not
  // empty) is a whole word, as scan_word() would scan it: the text ends
  // after it, or an ASCII separator (kAsciiEndsWord) follows it, or a dot
  // or comma that does not continue it (after a digit, a digit would
  // continue a number; after one letter, a dot may start an acronym).
  [[gnu::always_inline]] bool ends_plain_word(size_t start, size_t pos) const {
    if (pos == size_ || kAsciiEndsWord[data_[pos]]) return true;
    const uint8_t next = data_[pos];
    if (next != '.' && next != ',') return false;
    if (next == '.' && pos - start == 1) return false;
    return kAsciiKind[data_[pos - 1]] != Kind::kDigit || pos + 1 == size_ ||
           (data_[pos + 1] < 0x80 && kAsciiKind[data_[pos + 1]] != Kind::kDigit);
  }
  // run()'s loop for token_spans() over plain ASCII, with its state in
  // locals: each whole word of ASCII letters and digits (ends_plain_word())
  // becomes a span (none when it is too long for a term, as emit_token()
  // rules), other ASCII bytes are skipped as run() skips them. Returns where
  // it stopped: the text's end, past the `max_tokens`-th position, or at a
  // byte the general loop must scan (not ASCII, or a word that is not plain).
  size_t scan_plain_spans(size_t pos, uint32_t max_tokens) {
    const uint8_t* const data = data_;
    const size_t size = size_;
    uint32_t position = position_;
    std::vector<TokenSpan>& spans = *spans_;
    while (pos < size && position < max_tokens) {
      const uint8_t b = data[pos];
      if (b >= 0x80) break;
      const Kind kind = kAsciiKind[b];
      if (kind == Kind::kLetter || kind == Kind::kDigit) {
        const size_t end = ascii_word_end(data, size, pos + 1, nullptr);
        if (!ends_plain_word(pos, end)) break;
        if (end - pos <= kMaxTermBytes) {
          spans.push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(end)});
          ++position;
        }
        pos = end;
      } else {
        do {
          ++pos;
        } while (pos < size && kAsciiStartsNoToken[data[pos]]);
      }
    }
    position_ = position;
    return pos;
  }
  size_t scan_cjk(size_t start);
  // Normalises raw_ and emits it as the next token over text[start, end).
  void emit_token(size_t start, size_t end, bool stemmable);
  // Emits `term` (normalised: raw_'s, or a view of the text) as the next
  // token over text[start, end). Inline: run()'s fast path calls it for
  // most tokens.
  [[gnu::always_inline]] void emit_term(std::string_view term, size_t start, size_t end,
                                        bool stemmable);
  // NFKC + case folding of raw_, into codepoints_; empty on failure.
  std::string_view normalize();
  // Emits the tokens whose words (a stemmable token's normalised term) wait
  // in pending_, if any, in order.
  void finish_pending();
  // Emits the first token waiting in pending_. REQUIRES: one waits.
  // Inline: emit_term() calls it for most tokens.
  [[gnu::always_inline]] void finish_oldest();
  // Emits a token (a stop word only for kWords), taking the next position.
  // Inline: finish_oldest() calls it for every word.
  [[gnu::always_inline]] void deliver(std::string_view term, std::string_view word, bool stop,
                                      uint64_t term_hash, size_t start, size_t end);
  // The cell of `word` (a stemmable token's normalised term, `hash` its
  // word_hash()) in words_, added when new: whether it is a stop word, its
  // stem and the stem's hash. Inline: most words are found.
  [[gnu::always_inline]] WordCache::Cell& learn(std::string_view word, uint64_t hash) {
    if (WordCache::Cell* known = words_.find(word, hash)) return *known;
    return learn_new(word, hash);
  }
  // learn() for a word not in words_: stemmed and added. Out of line, so
  // that the found words' path saves no registers for the stemmer's.
  [[gnu::noinline]] WordCache::Cell& learn_new(std::string_view word, uint64_t hash);

  StopWords stop_words_;
  uint32_t version_;  // The analyzer version the stop list is taken as.
  sb_stemmer* stemmer_;
  WordCache words_;  // The words seen, and their counts for count_words().
  // Stemmable tokens scanned but not emitted yet (see emit_term()), in a
  // ring of kPendingWords from pending_[pending_first_].
  struct Pending {
    std::string_view word;  // In the text, or in `copy`.
    uint64_t hash = 0;      // word_hash() of `word`.
    size_t start = 0, end = 0;
    std::string copy;  // The word, when it is not in the text.
  };
  static constexpr size_t kPendingWords = 4;
  std::array<Pending, kPendingWords> pending_;
  size_t pending_first_ = 0;
  size_t pending_count_ = 0;
  std::string raw_;             // The current token's kept bytes.
  bool raw_ascii_ = true;       // raw_ is all ASCII (already lowercased).
  bool raw_has_digit_ = false;  // The current token holds a digit.
  // token_spans() needs a token's term only to know that it is not empty
  // nor too long, which an ASCII word's byte count tells: so scan_word()
  // counts its ASCII pieces (counted_) instead of copying them, until a
  // piece that is not ASCII needs them all to be normalised.
  bool counting_ = false;
  size_t counted_ = 0;
  size_t word_start_ = 0;
  std::vector<int32_t> codepoints_;  // normalize()'s work buffer.
  bool fast_paths_ = true;           // See Analyzer::use_fast_paths().

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  const std::function<void(const Token&)>* emit_ = nullptr;
  std::vector<TokenSpan>* spans_ = nullptr;
  Emit what_ = Emit::kTerms;
  uint32_t position_ = 0;
};

Char Analyzer::Impl::at(size_t pos) const {
  if (pos >= size_) return {0, Kind::kOther, false};
  const uint8_t b = data_[pos];
  if (b < 0x80) return {1, kAsciiKind[b], (b | 0x20) == 's'};
  utf8proc_int32_t cp = -1;
  const utf8proc_ssize_t n =
      utf8proc_iterate(data_ + pos, static_cast<utf8proc_ssize_t>(size_ - pos), &cp);
  if (n <= 0) return {1, Kind::kOther, false};
  return {static_cast<uint32_t>(n), classify(cp), false};
}

void Analyzer::Impl::append(size_t from, size_t to) {
  if (counting_) {
    bool ascii = true;
    for (size_t i = from; i < to; ++i) ascii &= data_[i] < 0x80;
    if (ascii) {
      counted_ += to - from;
      return;
    }
    stop_counting(from);
  }
  const size_t old = raw_.size();
  raw_.append(reinterpret_cast<const char*>(data_ + from), to - from);
  // Locals only in the loop, so that it vectorizes (a store to a member
  // could alias the string's bytes).
  char* bytes = raw_.data() + old;
  const size_t n = to - from;
  uint8_t high = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<uint8_t>(bytes[i]);
    high |= b;
    bytes[i] = ascii_lower(b);
  }
  if (high >= 0x80) raw_ascii_ = false;
}

void Analyzer::Impl::stop_counting(size_t to) {
  counting_ = false;
  raw_.clear();
  for (size_t pos = word_start_; pos < to;) {
    const Char c = at(pos);
    if (c.kind != Kind::kComma && c.kind != Kind::kApostrophe) append(pos, pos + c.len);
    pos += c.len;
  }
}

size_t Analyzer::Impl::possessive_end(size_t pos) const {
  const Char apostrophe = at(pos);
  if (apostrophe.kind != Kind::kApostrophe) return pos;
  const Char s = at(pos + apostrophe.len);
  if (!s.is_s) return pos;
  const Kind after = at(pos + apostrophe.len + 1).kind;
  if (after == Kind::kLetter || after == Kind::kMark || after == Kind::kDigit) return pos;
  return pos + apostrophe.len + 1;
}

uint32_t Analyzer::Impl::run(std::string_view text, const std::function<void(const Token&)>* emit,
                             Emit what, std::vector<TokenSpan>* spans, uint32_t max_tokens) {
  data_ = reinterpret_cast<const uint8_t*>(text.data());
  size_ = text.size();
  emit_ = emit;
  spans_ = spans;
  what_ = what;
  position_ = 0;
  pending_count_ = 0;  // (A callback that threw may have left some.)
  size_t pos = 0;
  const bool plain_spans = fast_paths_ && what == Emit::kSpans;
  while (pos < size_ && position_ < max_tokens) {
    if (plain_spans) {
      // Up to a byte that is not ASCII or a word that is not plain.
      pos = scan_plain_spans(pos, max_tokens);
      if (pos == size_ || position_ >= max_tokens) break;
    }
    const uint8_t b = data_[pos];
    if (b < 0x80) {
      const Kind kind = kAsciiKind[b];
      if (kind == Kind::kLetter) {
        // scan_acronym()'s own test, without a call: an acronym's first
        // letter is followed by a dot or a mark (no ASCII byte is a mark).
        const bool acronym = pos + 1 < size_ && (data_[pos + 1] >= 0x80 || data_[pos + 1] == '.');
        const size_t end = acronym ? scan_acronym(pos) : pos;
        pos = end != pos ? end : scan_ascii_word(pos);
      } else if (kind == Kind::kDigit) {
        pos = scan_ascii_word(pos);
      } else {
        // The bytes before the next token, in bulk: none starts one.
        do {
          ++pos;
        } while (pos < size_ && kAsciiStartsNoToken[data_[pos]]);
      }
      continue;
    }
    const Char c = at(pos);
    switch (c.kind) {
      case Kind::kLetter: {
        const size_t end = scan_acronym(pos);
        pos = end != pos ? end : scan_word(pos);
        break;
      }
      case Kind::kMark:
      case Kind::kDigit:
        pos = scan_word(pos);
        break;
      case Kind::kCjk:
      case Kind::kCjkExtender:
        pos = scan_cjk(pos);
        break;
      default:
        pos += c.len;
        break;
    }
  }
  finish_pending();
  return position_;
}

size_t Analyzer::Impl::scan_acronym(size_t start) {
  size_t pos = start;
  // Fast rejection: an acronym's first letter is followed by a dot or a mark.
  const Kind second = at(pos + at(pos).len).kind;
  if (second != Kind::kDot && second != Kind::kMark) return start;

  raw_.clear();
  raw_ascii_ = true;
  raw_has_digit_ = false;
  int letters = 0;
  while (true) {
    const Char letter = at(pos);
    if (letter.kind != Kind::kLetter) break;
    size_t next = pos + letter.len;
    Char c = at(next);
    while (c.kind == Kind::kMark) {
      next += c.len;
      c = at(next);
    }
    if (c.kind == Kind::kDot) {
      append(pos, next);
      ++letters;
      pos = next + c.len;
      continue;
    }
    // A last letter without its dot ("U.S"), unless it begins a longer word
    // ("Z.ai").
    if (letters > 0 && c.kind != Kind::kLetter && c.kind != Kind::kDigit) {
      append(pos, next);
      ++letters;
      pos = next;
    }
    break;
  }
  if (letters < 2) return start;
  const size_t end = possessive_end(pos);
  emit_token(start, end, true);
  return end;
}

inline size_t Analyzer::Impl::scan_plain_word(size_t start) {
  uint8_t seen = 0;
  const size_t pos = ascii_word_end(data_, size_, start, &seen);
  if (pos == start || !ends_plain_word(start, pos)) return start;
  const size_t n = pos - start;
  const char* bytes = reinterpret_cast<const char*>(data_ + start);
  std::string_view term(bytes, n);
  if ((seen & kUpperByte) != 0 && n <= kMaxTermBytes) {
    raw_.resize(n);
    // A local pointer, so that the loop vectorizes (see append()).
    char* lower = raw_.data();
    for (size_t i = 0; i < n; ++i) lower[i] = ascii_lower(static_cast<uint8_t>(bytes[i]));
    term = raw_;
  }
  emit_term(term, start, pos, (seen & kDigitByte) == 0);
  return pos;
}

size_t Analyzer::Impl::scan_word(size_t start) {
  raw_.clear();
  raw_ascii_ = true;
  raw_has_digit_ = false;
  counting_ = what_ == Emit::kSpans;
  counted_ = 0;
  word_start_ = start;
  size_t pos = start;
  Kind prev = Kind::kOther;
  while (true) {
    // ASCII letters and digits in bulk (in locals: a store to a member
    // could alias the text's bytes).
    const size_t run = pos;
    uint8_t seen = 0;
    for (const uint8_t* p = data_ + pos; pos < size_; ++p, ++pos) {
      const uint8_t word = kAsciiWordByte[*p];
      if (word == 0) break;
      seen |= word;
    }
    if (pos > run) {
      raw_has_digit_ |= (seen & kDigitByte) != 0;
      prev = kAsciiKind[data_[pos - 1]];
      if (counting_) {
        counted_ += pos - run;
      } else {
        append(run, pos);
      }
    }
    const Char c = at(pos);
    switch (c.kind) {
      case Kind::kLetter:
      case Kind::kMark:
      case Kind::kDigit:
        append(pos, pos + c.len);
        raw_has_digit_ |= c.kind == Kind::kDigit;
        prev = c.kind;
        pos += c.len;
        continue;
      case Kind::kDot:
      case Kind::kComma:
        if (prev == Kind::kDigit && at(pos + c.len).kind == Kind::kDigit) {
          if (c.kind == Kind::kDot) append(pos, pos + c.len);
          prev = c.kind;
          pos += c.len;
          continue;
        }
        break;
      case Kind::kApostrophe:
        if ((prev == Kind::kLetter || prev == Kind::kMark) &&
            at(pos + c.len).kind == Kind::kLetter) {
          const size_t end = possessive_end(pos);
          if (end != pos) {
            pos = end;
            break;
          }
          prev = c.kind;
          pos += c.len;
          continue;
        }
        break;
      default:
        break;
    }
    break;
  }
  emit_token(start, pos, !raw_has_digit_);
  counting_ = false;
  return pos;
}

size_t Analyzer::Impl::scan_cjk(size_t start) {
  size_t pos = start;
  size_t previous_start = start;
  int characters = 0;
  while (true) {
    const Char c = at(pos);
    if (c.kind != Kind::kCjk && c.kind != Kind::kCjkExtender) break;
    const size_t character_start = pos;
    pos += c.len;
    for (Char x = at(pos); x.kind == Kind::kMark || x.kind == Kind::kCjkExtender; x = at(pos)) {
      pos += x.len;
    }
    if (characters > 0) {
      raw_.assign(reinterpret_cast<const char*>(data_ + previous_start), pos - previous_start);
      raw_ascii_ = false;
      emit_token(previous_start, pos, false);
    }
    previous_start = character_start;
    ++characters;
  }
  if (characters == 1) {
    raw_.assign(reinterpret_cast<const char*>(data_ + start), pos - start);
    raw_ascii_ = false;
    emit_token(start, pos, false);
  }
  return pos;
}

void Analyzer::Impl::emit_token(size_t start, size_t end, bool stemmable) {
  if (what_ == Emit::kSpans) {
    const size_t bytes = counting_ ? counted_ : raw_ascii_ ? raw_.size() : normalize().size();
    if (bytes == 0 || bytes > kMaxTermBytes) return;
    spans_->push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
    ++position_;
    return;
  }
  emit_term(raw_ascii_ ? std::string_view(raw_) : normalize(), start, end, stemmable);
}

inline void Analyzer::Impl::emit_term(std::string_view term, size_t start, size_t end,
                                      bool stemmable) {
  if (term.empty() || term.size() > kMaxTermBytes) return;
  if (!stemmable) {
    finish_pending();
    deliver(term, {}, is_stop_word(stop_words_, term, version_),
            XXH3_64bits(term.data(), term.size()), start, end);
    return;
  }
  // The word is looked up in words_ only once kPendingWords more stemmable
  // tokens wait, its cell prefetched meanwhile (the lookup was mostly a
  // cache miss, and with one token to wait still half of the time).
  const uint64_t hash = XXH3_64bits(term.data(), term.size());  // word_hash(), inlined.
  words_.prefetch(hash);
  if (pending_count_ == kPendingWords) finish_oldest();
  Pending& p = pending_[(pending_first_ + pending_count_) % kPendingWords];
  ++pending_count_;
  // A word in the text stays there until run() returns; others are copied.
  const auto* first = reinterpret_cast<const uint8_t*>(term.data());
  const std::less<const uint8_t*> before;  // (A total order of any pointers.)
  if (before(first, data_) || !before(first, data_ + size_)) {
    p.copy.assign(term);
    term = p.copy;
  }
  p.word = term;
  p.hash = hash;
  p.start = start;
  p.end = end;
}

void Analyzer::Impl::finish_pending() {
  while (pending_count_ != 0) finish_oldest();
}

inline void Analyzer::Impl::finish_oldest() {
  const Pending& p = pending_[pending_first_];
  pending_first_ = (pending_first_ + 1) % kPendingWords;
  --pending_count_;
  WordCache::Cell& known = learn(p.word, p.hash);
  if (what_ != Emit::kTerms && words_.counting()) words_.count(&known);
  deliver(words_.term_of(known), p.word, known.stop, known.term_hash, p.start, p.end);
}

inline void Analyzer::Impl::deliver(std::string_view term, std::string_view word, bool stop,
                                    uint64_t term_hash, size_t start, size_t end) {
  if (stop) {
    if (what_ == Emit::kWords) {
      (*emit_)(Token{term, position_, static_cast<uint32_t>(start), static_cast<uint32_t>(end),
                     true, word, term_hash});
    }
    ++position_;
    return;
  }
  const Token token{
      term, position_, static_cast<uint32_t>(start), static_cast<uint32_t>(end), false,
      word, term_hash};
  ++position_;
  (*emit_)(token);
}

std::string_view Analyzer::Impl::normalize() {
  const auto* input = reinterpret_cast<const utf8proc_uint8_t*>(raw_.data());
  const auto input_size = static_cast<utf8proc_ssize_t>(raw_.size());
  // utf8proc_reencode() needs one byte beyond the decomposed code points.
  auto capacity = static_cast<utf8proc_ssize_t>(codepoints_.size()) - 1;
  utf8proc_ssize_t n =
      utf8proc_decompose(input, input_size, codepoints_.data(), capacity, kNormalizeOptions);
  if (n > capacity) {
    codepoints_.resize(static_cast<size_t>(n) + 1);
    capacity = n;
    n = utf8proc_decompose(input, input_size, codepoints_.data(), capacity, kNormalizeOptions);
  }
  if (n < 0 || n > capacity) return {};
  const utf8proc_ssize_t bytes = utf8proc_reencode(codepoints_.data(), n, kNormalizeOptions);
  if (bytes < 0) return {};
  return {reinterpret_cast<const char*>(codepoints_.data()), static_cast<size_t>(bytes)};
}

WordCache::Cell& Analyzer::Impl::learn_new(std::string_view word, uint64_t hash) {
  const bool stop = is_stop_word(stop_words_, word, version_);
  std::string_view term = word;
  if (!stop && stemmer_ != nullptr && word.size() >= kMinStemBytes) {
    const sb_symbol* stemmed = sb_stemmer_stem(
        stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    // Snowball fails only when out of memory.
    if (stemmed == nullptr) throw std::bad_alloc();
    term = std::string_view(reinterpret_cast<const char*>(stemmed),
                            static_cast<size_t>(sb_stemmer_length(stemmer_)));
  }
  static_assert(kMaxTermBytes <= WordCache::kMaxBytes);
  assert(term.size() <= WordCache::kMaxBytes);  // Snowball's English stems: at most the word.
  return *words_.add(word, hash, stop, term);
}

Analyzer::Analyzer(const AnalyzerConfig& config)
    : config_(config), impl_(std::make_unique<Impl>(config)) {}

Analyzer::~Analyzer() = default;

uint32_t Analyzer::analyze(std::string_view text, const std::function<void(const Token&)>& emit) {
  return impl_->run(text, &emit, Impl::Emit::kTerms);
}

uint32_t Analyzer::analyze_counted(std::string_view text,
                                   const std::function<void(const Token&)>& emit) {
  return impl_->run(text, &emit, Impl::Emit::kCountedTerms);
}

uint32_t Analyzer::analyze_words(std::string_view text,
                                 const std::function<void(const Token&)>& emit) {
  return impl_->run(text, &emit, Impl::Emit::kWords);
}

uint32_t Analyzer::token_spans(std::string_view text, std::vector<TokenSpan>* spans,
                               uint32_t max_tokens) {
  spans->clear();
  return impl_->run(text, nullptr, Impl::Emit::kSpans, spans, max_tokens);
}

void Analyzer::count_words(std::function<void(std::string_view word, uint64_t count)> sink) {
  impl_->count_words(std::move(sink));
}

void Analyzer::flush_word_counts() { impl_->flush_word_counts(); }

void Analyzer::use_fast_paths(bool on) { impl_->use_fast_paths(on); }

std::vector<std::string> Analyzer::terms(std::string_view text) {
  std::vector<std::string> result;
  analyze(text, [&result](const Token& token) { result.emplace_back(token.term); });
  return result;
}

std::vector<Analyzer::Term> Analyzer::positioned_terms(std::string_view text) {
  std::vector<Term> result;
  analyze(text, [&result](const Token& token) {
    result.push_back({std::string(token.term), token.position});
  });
  return result;
}

}  // namespace scry
