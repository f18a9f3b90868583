// Output that cannot be written is an error: scry-search and scry-index
// with stdout or stderr on a full disk (/dev/full) or on a closed pipe.
// A failed write exits 2 with a message on stderr (when stderr still
// works); SIGPIPE's default action stays the quiet end it is for `cat`.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "testlib.h"

using scry::test::run;
using scry::test::RunResult;
using scry::test::TempDir;

namespace {

constexpr const char* kNoSpace = "writing standard output: No space left on device";

// Runs `argv` through sh with `redirect` (e.g. "> /dev/full") applied.
RunResult run_redirected(const std::string& redirect, const std::vector<std::string>& argv,
                         const std::string& input = "") {
  std::vector<std::string> shell = {"/bin/sh", "-c", "exec \"$@\" " + redirect, "sh"};
  shell.insert(shell.end(), argv.begin(), argv.end());
  return run(shell, input);
}

// How many times `needle` occurs in `text`.
size_t occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Runs `argv` with stdout on a pipe whose reading end is already closed and
// SIGPIPE ignored (`ignore`) or at its default; stderr is captured.
RunResult run_into_closed_pipe(const std::vector<std::string>& argv, bool ignore) {
  int out[2], err[2];
  REQUIRE(pipe(out) == 0);
  REQUIRE(pipe(err) == 0);
  close(out[0]);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    signal(SIGPIPE, ignore ? SIG_IGN : SIG_DFL);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  RunResult result;
  char buf[4096];
  for (ssize_t got; (got = read(err[0], buf, sizeof buf)) > 0;) {
    result.err.append(buf, static_cast<size_t>(got));
  }
  close(err[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

// A temporary folder with the bundled corpus's index at "idx".
struct Corpus {
  Corpus() {
    auto r = run({scry::test::program("scry-index"), "-q",
                  (scry::test::source_dir() / "corpus").string(), "-o", index()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  std::string index() const { return (tmp / "idx").string(); }
  TempDir tmp;
};

}  // namespace

TEST_CASE("write errors: scry-search's answers lost to a full disk exit 2 with a message",
          "[search_cli][write_errors]") {
  Corpus c;
  const std::string search = scry::test::program("scry-search");
  SECTION("one query") {
    auto r = run_redirected("> /dev/full", {search, c.index(), "-k", "1000", "huawei"});
    CHECK(r.exit_code == 2);
    CHECK(occurrences(r.err, kNoSpace) == 1);
  }
  SECTION("a batch stops at the first answer it cannot write") {
    auto r = run_redirected("> /dev/full", {search, c.index(), "--format", "tsv"},
                            "huawei\nglm\nzhipu\n");
    CHECK(r.exit_code == 2);
    CHECK(occurrences(r.err, kNoSpace) == 1);
  }
  SECTION("--count, --help and --version") {
    for (auto args : std::vector<std::vector<std::string>>{
             {c.index(), "--count", "huawei"}, {"--help"}, {"--version"}}) {
      args.insert(args.begin(), search);
      auto r = run_redirected("> /dev/full", args);
      INFO(args[1]);
      CHECK(r.exit_code == 2);
      CHECK(occurrences(r.err, kNoSpace) == 1);
    }
  }
  SECTION("stderr on a full disk: a syntax error still exits 2, --stats lines make it 2") {
    CHECK(run_redirected("2> /dev/full", {search, c.index(), "glm \"open"}).exit_code == 2);
    auto r = run_redirected("2> /dev/full", {search, c.index(), "--stats", "huawei"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("huawei") != std::string::npos);
  }
  SECTION("the same commands on a working stdout exit 0") {
    CHECK(run({search, c.index(), "-k", "1000", "huawei"}).exit_code == 0);
    CHECK(run({search, c.index(), "--stats", "huawei"}).exit_code == 0);
  }
}

TEST_CASE(
    "write errors: a closed pipe ends scry-search quietly, or exits 2 when SIGPIPE is "
    "ignored",
    "[search_cli][write_errors]") {
  Corpus c;
  const std::vector<std::string> argv = {scry::test::program("scry-search"), c.index(), "-k",
                                         "1000", "huawei"};
  auto quiet = run_into_closed_pipe(argv, false);
  CHECK(quiet.signal == SIGPIPE);
  CHECK(quiet.err.empty());
  auto ignored = run_into_closed_pipe(argv, true);
  CHECK(ignored.exit_code == 2);
  CHECK(ignored.err.find("writing standard output: Broken pipe") != std::string::npos);
}

TEST_CASE("write errors: scry-index's summary or warnings lost to a full disk exit 2",
          "[cli][write_errors]") {
  TempDir tmp;
  const std::string corpus = (scry::test::source_dir() / "corpus").string();
  const std::string index = scry::test::program("scry-index");
  SECTION("the summary on stdout") {
    auto r = run_redirected("> /dev/full", {index, corpus, "-o", (tmp / "a.idx").string()});
    CHECK(r.exit_code == 2);
    CHECK(occurrences(r.err, kNoSpace) == 1);
  }
  SECTION("warnings on stderr") {
    scry::test::write_file(tmp / "in" / "a.txt", "Apples\n\nAn apple orchard.\n");
    scry::test::write_file(tmp / "in" / "empty.txt", "");
    const std::vector<std::string> argv = {index, (tmp / "in").string(), "-o",
                                           (tmp / "b.idx").string()};
    auto r = run_redirected("2> /dev/full", argv);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("1 document") != std::string::npos);
    // The same build with stderr working: the warning is shown, exit 0.
    auto ok = run(argv);
    CHECK(ok.exit_code == 0);
    CHECK(ok.err.find("warning") != std::string::npos);
  }
  SECTION("--help") {
    auto r = run_redirected("> /dev/full", {index, "--help"});
    CHECK(r.exit_code == 2);
    CHECK(occurrences(r.err, kNoSpace) == 1);
  }
}
