// Shared test fixtures: temporary folders, running the programs, locating
// the project's files and the shared corpora.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
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

// Writes `contents` to `path`, creating parent folders.
void write_file(const std::filesystem::path& path, const std::string& contents);
// Reads a whole file; fails the test when it cannot.
std::string read_file(const std::filesystem::path& path);

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal.
  int signal = 0;      // The signal that ended it, or 0.
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is a path) with `input` on stdin, capturing output.
RunResult run(const std::vector<std::string>& argv, const std::string& input = "",
              const std::vector<std::string>& extra_env = {});

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

// ../shared/corpora relative to the project root, or nullopt when absent.
// When absent and CI=true, the calling test fails; otherwise it prints why
// it skips. Use: auto dir = shared_corpora(); if (!dir) return;
std::optional<std::filesystem::path> shared_corpora();

}  // namespace scry::test
