// Shared test fixtures: temporary folders, running the programs, locating
// the project's files and the shared corpora.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/input/document.h"
#include "scry/text/analyzer.h"

namespace scry::test {

// A fresh empty folder under $TMPDIR, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// The lines of `text`, without their line breaks.
std::vector<std::string> lines_of(const std::string& text);

// Writes `contents` to `path`, creating parent folders.
void write_file(const std::filesystem::path& path, const std::string& contents);
// Reads a whole file; fails the test when it cannot.
std::string read_file(const std::filesystem::path& path);

struct RunResult {
  int exit_code = -1;      // -1 when killed by a signal.
  int signal = 0;          // The signal that ended it, or 0.
  bool timed_out = false;  // Killed (SIGKILL) for running past its time limit.
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is a path) with `input` on stdin, capturing output.
// With a `timeout` (0: none), a program still running that long after its
// input was written is killed with SIGKILL and `timed_out` is set.
RunResult run(const std::vector<std::string>& argv, const std::string& input = "",
              const std::vector<std::string>& extra_env = {},
              std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

// A program running in the background with pipes on its stdin, stdout and
// stderr, to be driven a line at a time (a batch process fed queries while
// the test does other things). What it writes is read whenever the test
// writes or waits, so it never blocks on a full pipe. The destructor kills
// (SIGKILL) and reaps a program that has not been finish()ed.
class PipedProcess {
 public:
  // Starts `argv` (argv[0] is a path) with `extra_env` ("NAME=VALUE") added.
  explicit PipedProcess(const std::vector<std::string>& argv,
                        const std::vector<std::string>& extra_env = {});
  ~PipedProcess();
  PipedProcess(const PipedProcess&) = delete;
  PipedProcess& operator=(const PipedProcess&) = delete;

  // Writes `bytes` to its stdin; stops early if the program closed it.
  void send(const std::string& bytes);
  // Reads stdout until `needle` appears after what earlier calls returned,
  // and returns the output from there up to and including the needle. Fails
  // the test when stdout ends first or after `timeout`.
  std::string read_until(const std::string& needle,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Closes its stdin, reads stdout and stderr to their end and waits for it
  // to exit. `out` holds the stdout that read_until() did not return, `err`
  // all of stderr. With a `timeout` (0: none) it is killed with SIGKILL when
  // still running that long after, and `timed_out` is set.
  RunResult finish(std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  // Its process id (to send it a signal).
  int pid() const { return pid_; }

 private:
  // Waits until a pipe is ready or `deadline`, then writes what it can of
  // `input` from *written on and reads what stdout and stderr hold. Returns
  // false when the deadline passed first.
  bool pump(std::chrono::steady_clock::time_point deadline, const std::string& input,
            size_t* written);

  int pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;  // Our ends of its pipes, -1 once closed.
  std::string stdout_, stderr_;
  size_t consumed_ = 0;  // Bytes of stdout_ returned by read_until().
  bool reaped_ = false;
};

// Starts `argv` in the background with stdin, stdout and stderr on
// /dev/null; returns its pid (reap it with waitpid).
int spawn(const std::vector<std::string>& argv);

// The project's source folder and build folder: $SCRY_SOURCE_DIR and
// $SCRY_BINARY_DIR when set, else the folders CMake configured.
std::filesystem::path source_dir();
std::filesystem::path binary_dir();
// Path of a built program, e.g. program("scry-index").
std::string program(const std::string& name);

// Builds an index of `docs` (in order) in folder `dir` with the default
// build options and `config`, and opens it; fails the test on any error.
std::unique_ptr<IndexReader> build_index(const std::vector<Document>& docs,
                                         const std::filesystem::path& dir,
                                         const AnalyzerConfig& config);

// `docs` JSON lines (fixed `seed`) with ids ID_PREFIX0, ID_PREFIX1, ...; a
// title of two words and a body of "common" then `words` words drawn from
// 20 English words, every 8th one a made-up rare word ("w12345") when
// `rare_words` (so that the dictionary is not tiny). Every body holds
// "common", so that term has a long postings list.
std::string word_corpus_jsonl(const std::string& id_prefix, int docs, int words, unsigned seed,
                              bool rare_words);

// `docs` JSON lines documents (ids d0, d1, ...) of 30 words each, drawn
// from a vocabulary of 20,000 random lower-case words of 3 to 7 letters
// (fixed seed), so that every one-letter prefix expands to far more terms
// than any limit; with `titles`, each has a title, one of the first 500
// words.
std::string random_words_jsonl(int docs, bool titles);

// `n` documents with ids PREFIX0, PREFIX1, ... (fixed `seed`): Zipf-like
// words from a vocabulary of 800 ("w0".."w799", so some postings lists span
// several blocks of 128 and many are rare), "common" in most bodies, some
// words in title and body, stemmable English and a little CJK, empty titles
// and bodies, and every 50th document long.
std::vector<Document> random_documents(uint32_t seed, size_t n, const std::string& prefix);

// The next number of `r` as a uint32_t (std::mt19937 gives uint_fast32_t).
inline uint32_t u32(std::mt19937& r) { return static_cast<uint32_t>(r()); }

// ../shared/corpora relative to the project root, or nullopt when absent.
// When absent and CI=true, the calling test fails; otherwise it prints why
// it skips. Use: auto dir = shared_corpora(); if (!dir) return;
std::optional<std::filesystem::path> shared_corpora();

// The edit distance of a and b over code points, from the whole
// Wagner-Fischer matrix: Levenshtein's, or with `transpositions` the
// optimal string alignment distance (a swap of neighbours costs 1). The
// slow reference of the fuzzy and spelling tests.
int reference_distance(std::string_view a, std::string_view b, bool transpositions);

}  // namespace scry::test
