// The REPL of scry-search driven through a pseudo-terminal, as a person at a
// terminal would: queries, commands, Ctrl-C, Ctrl-D and the history file.
// Every wait has a deadline, so a hang fails the test instead of blocking.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "testlib.h"

using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

constexpr int kTimeoutMs = 10'000;
constexpr const char* kPrompt = "scry> ";

// A program running on the slave side of a pseudo-terminal.
class Pty {
 public:
  // Starts `argv` with `set` ("NAME=VALUE") added to and `unset` removed
  // from the environment; its standard output goes to the file `out` when
  // one is named.
  Pty(const std::vector<std::string>& argv, const std::vector<std::string>& set,
      const std::vector<std::string>& unset, const std::string& out = "") {
    winsize size = {};
    size.ws_row = 40;
    size.ws_col = 120;
    pid_ = forkpty(&master_, nullptr, nullptr, &size);
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      if (!out.empty()) {
        const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) _exit(126);
        close(fd);
      }
      for (const auto& name : unset) unsetenv(name.c_str());
      for (const auto& entry : set) {
        size_t eq = entry.find('=');
        setenv(entry.substr(0, eq).c_str(), entry.substr(eq + 1).c_str(), 1);
      }
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }

  ~Pty() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
  }

  Pty(const Pty&) = delete;
  Pty& operator=(const Pty&) = delete;

  // Writes `bytes` now, whatever the terminal's mode.
  void send(const std::string& bytes) {
    REQUIRE(write(master_, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }

  // Types `bytes` once the program is editing a line. libedit shows the
  // prompt before it puts the terminal in raw mode, and a key typed in
  // between gets the cooked terminal's treatment (Ctrl-D would be taken as
  // end of file by the terminal, not seen by libedit): so wait for raw mode
  // (TCGETS on the master reports the slave's settings).
  void type(const std::string& bytes) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
    termios modes = {};
    bool raw = false;
    while (!raw && std::chrono::steady_clock::now() < deadline && tcgetattr(master_, &modes) == 0) {
      raw = (modes.c_lflag & ICANON) == 0;
      if (!raw) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    REQUIRE(raw);
    send(bytes);
  }

  // Reads until `needle` appears after what earlier calls consumed; returns
  // the output from there up to and including the needle. Fails after the
  // deadline or when the program closes the terminal first.
  std::string expect(const std::string& needle) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
    size_t at;
    while ((at = output_.find(needle, consumed_)) == std::string::npos && read_some(deadline)) {
    }
    INFO("waiting for '" << needle << "'; output so far:\n" << output_.substr(consumed_));
    REQUIRE(at != std::string::npos);
    std::string got = output_.substr(consumed_, at + needle.size() - consumed_);
    consumed_ = at + needle.size();
    return got;
  }

  // Waits for the program to exit; returns its exit status (-1 when killed).
  int wait_exit() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
    int status = 0;
    pid_t done;
    while ((done = waitpid(pid_, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() < deadline) {
      // Keeps the terminal drained; EOF (EIO) is expected once it exits.
      read_some(std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
    }
    INFO("waiting for the exit; output so far:\n" << output_.substr(consumed_));
    REQUIRE(done == pid_);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // True while the program has not exited.
  bool alive() {
    int status = 0;
    return waitpid(pid_, &status, WNOHANG) == 0;
  }

  const std::string& output() const { return output_; }

 private:
  // Reads what is available before `deadline`; false on timeout or EOF.
  bool read_some(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return false;
    pollfd fd = {master_, POLLIN, 0};
    int ready = poll(&fd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) return true;
    if (ready <= 0) return false;
    char buf[4096];
    ssize_t got = read(master_, buf, sizeof buf);
    if (got <= 0) return false;
    output_.append(buf, static_cast<size_t>(got));
    return true;
  }

  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string output_;
  size_t consumed_ = 0;
};

// A temporary folder with the corpus index at "idx" and a home folder.
struct Fixture {
  Fixture() {
    auto r = scry::test::run({scry::test::program("scry-index"), "-q",
                              (scry::test::source_dir() / "corpus").string(), "-o", index()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    fs::create_directories(tmp / "home");
  }
  std::string index() const { return (tmp / "idx").string(); }
  std::string home() const { return (tmp / "home").string(); }
  std::string state() const { return (tmp / "state").string(); }

  TempDir tmp;
};

std::vector<std::string> terminal_env(const Fixture& f) {
  return {"HOME=" + f.home(), "XDG_STATE_HOME=" + f.state(), "NO_COLOR=1", "TERM=xterm",
          "LC_ALL=C.UTF-8"};
}

}  // namespace

TEST_CASE("repl: queries, commands, Ctrl-C, Ctrl-D and history", "[repl]") {
  Fixture f;
  Pty pty({scry::test::program("scry-search"), f.index()}, terminal_env(f), {});
  pty.expect(kPrompt);

  pty.type("huawei ascend\n");
  std::string out = pty.expect(kPrompt);
  CHECK(out.find("matches (showing 1-") != std::string::npos);
  CHECK(out.find("\n1. ") != std::string::npos);
  CHECK(out.find("\n2. ") != std::string::npos);
  CHECK(out.find("huawei") != std::string::npos);
  CHECK(out.find('\x1b' + std::string("[1;31m")) == std::string::npos);  // NO_COLOR

  pty.type(":k 1\n");
  pty.expect(kPrompt);
  pty.type("huawei\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("\n1. ") != std::string::npos);
  CHECK(out.find("\n2. ") == std::string::npos);

  pty.type(":format json\n");
  pty.expect(kPrompt);
  pty.type("\"trillion yuan\"\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("{\"query\":") != std::string::npos);
  CHECK(out.find("zhipu-ai-trillion-yuan-valuation.txt") != std::string::npos);

  pty.type(":help\n");
  out = pty.expect(kPrompt);
  for (const char* command : {":k N", ":format", ":explain", ":stats", ":quit"}) {
    CHECK(out.find(command) != std::string::npos);
  }
  // Every format :format takes.
  CHECK(out.find("text, tsv, json or trec") != std::string::npos);

  // Ctrl-C drops the half-typed line: what follows is a command, not the
  // tail of a query.
  pty.type("glm valu");
  pty.expect("valu");
  pty.type("\x03");
  pty.expect(kPrompt);
  CHECK(pty.alive());
  pty.type(":stats\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("5 documents") != std::string::npos);
  CHECK(out.find("last query") != std::string::npos);

  // Ctrl-D on an empty line leaves.
  pty.type("\x04");
  CHECK(pty.wait_exit() == 0);

  fs::path history = fs::path(f.state()) / "scry" / "history";
  REQUIRE(fs::exists(history));
  // Queries may be private: the owner alone reads them, as bash's history.
  CHECK(fs::status(history).permissions() == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(fs::status(history.parent_path()).permissions() == fs::perms::owner_all);
  std::string saved = scry::test::read_file(history);
  CHECK(saved.find("huawei ascend\n") != std::string::npos);
  CHECK(saved.find(":k 1\n") != std::string::npos);
  CHECK(saved.find("\"trillion yuan\"\n") != std::string::npos);
  CHECK(saved.find("glm valu\n") == std::string::npos);  // Dropped, never entered.
}

TEST_CASE("repl: history comes back in the next session, under HOME without XDG_STATE_HOME",
          "[repl]") {
  Fixture f;
  std::vector<std::string> env = {"HOME=" + f.home(), "NO_COLOR=1", "TERM=xterm", "LC_ALL=C.UTF-8"};
  {
    Pty pty({scry::test::program("scry-search"), f.index()}, env, {"XDG_STATE_HOME"});
    pty.expect(kPrompt);
    pty.type("资本市场\n");
    std::string out = pty.expect(kPrompt);
    CHECK(out.find("zhipu-ai-trillion-yuan-valuation.txt") != std::string::npos);
    pty.type("\x04");
    CHECK(pty.wait_exit() == 0);
  }
  fs::path history = fs::path(f.home()) / ".local" / "state" / "scry" / "history";
  REQUIRE(fs::exists(history));
  CHECK(scry::test::read_file(history).find("资本市场\n") != std::string::npos);

  // Up-arrow recalls the last entry of the earlier session.
  Pty pty({scry::test::program("scry-search"), f.index()}, env, {"XDG_STATE_HOME"});
  pty.expect(kPrompt);
  pty.type("\x1b[A\n");
  std::string out = pty.expect(kPrompt);
  CHECK(out.find("zhipu-ai-trillion-yuan-valuation.txt") != std::string::npos);
  pty.type(":q\n");
  CHECK(pty.wait_exit() == 0);
}

TEST_CASE("repl: syntax errors and bad commands are reported and the session goes on", "[repl]") {
  Fixture f;
  Pty pty({scry::test::program("scry-search"), f.index()}, terminal_env(f), {});
  pty.expect(kPrompt);
  pty.type("glm \"open\n");
  std::string out = pty.expect(kPrompt);
  CHECK(out.find('^') != std::string::npos);
  pty.type(":k zero\n");
  out = pty.expect(kPrompt);
  CHECK(out.find(":k") != std::string::npos);
  pty.type(":frobnicate\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("unknown command") != std::string::npos);
  pty.type(":format xml\n");
  out = pty.expect(kPrompt);
  CHECK(out.find(":format takes text, tsv, json or trec") != std::string::npos);
  pty.type(":explain\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("explain: on") != std::string::npos);
  pty.type("huawei\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("term=huawei") != std::string::npos);
  // A Ctrl-C typed while a query runs is not lost: it cancels the query
  // ("query cancelled") or, when the query was answered first, drops the
  // next (empty) line; the session goes on. (The terminal may discard the
  // query's output that was not yet read: Ctrl-C flushes its queues.)
  pty.type("ascend\n");
  pty.expect("ascend\r\n");  // The line is read: the query runs now.
  pty.send("\x03");
  pty.expect(kPrompt);
  pty.type(":stats\n");
  // The prompt of the query and the prompt of Ctrl-C may both come first.
  out = pty.expect("last query");
  const bool cancelled = pty.output().find("query cancelled") != std::string::npos;
  out = pty.expect(kPrompt);
  CHECK(out.find(cancelled ? "(huawei)" : "(ascend)") != std::string::npos);
  CHECK(pty.alive());
  pty.type(":quit\n");
  CHECK(pty.wait_exit() == 0);
}

TEST_CASE("repl: with standard output sent to a file, the prompt stays on the terminal", "[repl]") {
  Fixture f;
  const std::string file = (f.tmp / "answers.txt").string();
  Pty pty({scry::test::program("scry-search"), f.index()}, terminal_env(f), {}, file);
  CHECK(pty.expect(kPrompt).find("Type a query, or :help.") != std::string::npos);
  pty.type("huawei ascend\n");
  pty.expect(kPrompt);  // After the answer, which went to the file.
  pty.type("\x04");
  CHECK(pty.wait_exit() == 0);
  const std::string answers = scry::test::read_file(file);
  CHECK(answers.find("1. ") != std::string::npos);
  CHECK(answers.find(kPrompt) == std::string::npos);
  CHECK(answers.find("Type a query") == std::string::npos);
}

TEST_CASE("repl: :typos switches typo tolerance, sets its lengths, rejects bad ones", "[repl]") {
  Fixture f;
  Pty pty({scry::test::program("scry-search"), f.index()}, terminal_env(f), {});
  pty.expect(kPrompt);
  pty.type("huawie\n");  // A swap away from "huawei".
  std::string out = pty.expect(kPrompt);
  CHECK(out.find("\n1. ") == std::string::npos);
  pty.type(":typos\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("typos: 5,9") != std::string::npos);
  pty.type("huawie\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("\n1. ") != std::string::npos);
  pty.type(":typos 7,9\n");  // "huawie" has 6 letters: no typo now.
  out = pty.expect(kPrompt);
  CHECK(out.find("typos: 7,9") != std::string::npos);
  pty.type("huawie\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("\n1. ") == std::string::npos);
  pty.type(":typos 9,5\n");
  out = pty.expect(kPrompt);
  CHECK(out.find(":typos: expected ONE,TWO") != std::string::npos);
  pty.type(":typos 6\n");  // ONE alone: never two edits, and said so.
  out = pty.expect(kPrompt);
  CHECK(out.find("typos: 6 (one edit, never two)") != std::string::npos);
  pty.type("huawie\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("\n1. ") != std::string::npos);
  pty.type(":typos off\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("typos: off") != std::string::npos);
  pty.type(":typos on\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("typos: 5,9") != std::string::npos);
  pty.type(":quit\n");
  CHECK(pty.wait_exit() == 0);
}

TEST_CASE("terminal: colour and a summary line on a terminal, no colour under NO_COLOR", "[repl]") {
  Fixture f;
  std::vector<std::string> env = {"HOME=" + f.home(), "TERM=xterm", "LC_ALL=C.UTF-8"};
  {
    Pty pty({scry::test::program("scry-search"), f.index(), "huawei"}, env, {"NO_COLOR"});
    std::string out = pty.expect("\n1. ");
    CHECK(out.find("matches (showing 1-") != std::string::npos);
    CHECK(pty.wait_exit() == 0);
    CHECK(pty.output().find("\x1b[1;31m") != std::string::npos);
  }
  {
    env.push_back("NO_COLOR=1");
    Pty pty({scry::test::program("scry-search"), f.index(), "huawei"}, env, {});
    pty.expect("\n1. ");
    CHECK(pty.wait_exit() == 0);
    CHECK(pty.output().find('\x1b') == std::string::npos);
  }
  Pty pty({scry::test::program("scry-search"), f.index()}, {"HOME=" + f.home(), "TERM=xterm"},
          {"NO_COLOR", "LC_ALL", "LANG", "LC_CTYPE"});
  pty.expect(kPrompt);
  // Typed in the C locale, Chinese still reaches the query intact.
  pty.type("资本市场\n");
  std::string out = pty.expect(kPrompt);
  CHECK(out.find("zhipu-ai-trillion-yuan-valuation.txt") != std::string::npos);
  CHECK(out.find("\x1b[1;31m") != std::string::npos);
  pty.type("\x04");
  CHECK(pty.wait_exit() == 0);
}

TEST_CASE("repl: keeps answering from the index it opened until :reopen after an update",
          "[repl]") {
  Fixture f;
  const fs::path notes = f.tmp / "notes";
  scry::test::write_file(notes / "a.txt", "Apples\n\nAn apple orchard at harvest time.\n");
  scry::test::write_file(notes / "b.txt", "Bananas\n\nA banana plantation by the sea.\n");
  const std::string index = (f.tmp / "notes-idx").string();
  auto built =
      scry::test::run({scry::test::program("scry-index"), "-q", notes.string(), "-o", index});
  REQUIRE(built.exit_code == 0);
  Pty pty({scry::test::program("scry-search"), index}, terminal_env(f), {});
  pty.expect(kPrompt);
  pty.type("plantation\n");
  CHECK(pty.expect(kPrompt).find("1 match ") != std::string::npos);

  // The folder changes and the index is updated under the open REPL.
  scry::test::write_file(notes / "c.txt", "Cherries\n\nA cherry blossom festival.\n");
  fs::remove(notes / "b.txt");
  auto updated = scry::test::run(
      {scry::test::program("scry-index"), "-q", "--update", notes.string(), "-o", index});
  INFO(updated.err);
  REQUIRE(updated.exit_code == 0);

  // Still the old index: b is found, c is not.
  pty.type("plantation\n");
  CHECK(pty.expect(kPrompt).find("1 match ") != std::string::npos);
  pty.type("blossom\n");
  CHECK(pty.expect(kPrompt).find("0 matches") != std::string::npos);
  pty.type(":reopen\n");
  std::string out = pty.expect(kPrompt);
  CHECK(out.find("reopened") != std::string::npos);
  CHECK(out.find("2 documents (was 2)") != std::string::npos);
  pty.type("plantation\n");
  CHECK(pty.expect(kPrompt).find("0 matches") != std::string::npos);
  pty.type("blossom\n");
  out = pty.expect(kPrompt);
  CHECK(out.find("1 match ") != std::string::npos);
  CHECK(out.find("c.txt") != std::string::npos);

  // A :reopen that fails keeps the session on the index it has.
  fs::rename(index, index + ".moved");
  pty.type(":reopen\n");
  CHECK(pty.expect(kPrompt).find(":reopen: ") != std::string::npos);
  pty.type("blossom\n");
  CHECK(pty.expect(kPrompt).find("1 match ") != std::string::npos);
  pty.type(":q\n");
  CHECK(pty.wait_exit() == 0);
}

TEST_CASE("repl: Ctrl-C and :timeout stop a running query, the session goes on", "[repl]") {
  Fixture f;
  // A bigger index of random words, where 1,024 prefix expansions with
  // every match counted (as the REPL does) take a while.
  scry::test::write_file(f.tmp / "words.jsonl", scry::test::random_words_jsonl(60000, false));
  const std::string big = (f.tmp / "big").string();
  auto built = scry::test::run(
      {scry::test::program("scry-index"), "-q", (f.tmp / "words.jsonl").string(), "-o", big});
  REQUIRE(built.exit_code == 0);
  const std::string slow = "a* b* c* d* e* s* t* m*\n";

  Pty pty({scry::test::program("scry-search"), big}, terminal_env(f), {});
  pty.expect(kPrompt);
  pty.type(":timeout 1\n");
  CHECK(pty.expect(kPrompt).find("timeout: 1") != std::string::npos);
  pty.type(slow);
  CHECK(pty.expect(kPrompt).find("query timed out after 1 ms") != std::string::npos);
  pty.type(":timeout 0\n");
  pty.expect(kPrompt);

  // Ctrl-C while the query runs: it stops and the prompt comes back. (Should
  // the query be answered before the Ctrl-C comes, the Ctrl-C only gives a
  // fresh prompt: then the cancellation was not tested, which is said.)
  pty.type(slow);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto sent = std::chrono::steady_clock::now();
  pty.send("\x03");
  std::string out = pty.expect(kPrompt);
  const double after =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  if (out.find("query cancelled") != std::string::npos) {
    CHECK(out.find("matches") == std::string::npos);
    CHECK(after < 2);
  } else {
    WARN("the query was answered before Ctrl-C came: cancellation not tested");
  }
  CHECK(pty.alive());
  pty.type("nosuchwordanywhere\n");
  CHECK(pty.expect(kPrompt).find("0 matches") != std::string::npos);
  pty.type(":quit\n");
  CHECK(pty.wait_exit() == 0);
}

TEST_CASE("repl: :show N shows hit N in full, through $PAGER or printed", "[repl]") {
  Fixture f;
  const std::string id =
      (scry::test::source_dir() / "corpus" / "zhipu-ai-secures-500m-from-huafa-group.txt").string();
  // The pager gets the document on its stdin: each line comes back marked.
  std::vector<std::string> env = terminal_env(f);
  env.push_back("PAGER=sed 's/^/paged: /'");
  Pty pty({scry::test::program("scry-search"), f.index()}, env, {});
  pty.expect(kPrompt);
  pty.type(":show 1\n");
  CHECK(pty.expect(kPrompt).find(":show: no hit to show") != std::string::npos);
  pty.type("huafa\n");
  pty.expect(kPrompt);
  pty.type(":show 1\n");
  std::string out = pty.expect(kPrompt);
  CHECK(out.find("paged: id: " + id) != std::string::npos);
  CHECK(out.find("paged: title: US-Blacklisted Zhipu AI Secures") != std::string::npos);
  CHECK(out.find("paged: source: " + id) != std::string::npos);
  // The whole text, not a snippet: its last paragraph too.
  CHECK(out.find("paged: Zhipu AI, one of China") != std::string::npos);
  pty.type(":show 7\n");
  CHECK(pty.expect(kPrompt).find(":show: the last answer has hits 1 to 1") != std::string::npos);
  pty.type(":show x\n");
  CHECK(pty.expect(kPrompt).find(":show: expected a whole number") != std::string::npos);
  pty.type(":q\n");
  CHECK(pty.wait_exit() == 0);

  // An empty PAGER, or one that cannot be found: printed as it is.
  for (const char* pager : {"PAGER=", "PAGER=/nonexistent/pager"}) {
    env.back() = pager;
    Pty plain({scry::test::program("scry-search"), f.index()}, env, {});
    plain.expect(kPrompt);
    plain.type("huafa\n");
    plain.expect(kPrompt);
    plain.type(":show 1\n");
    out = plain.expect(kPrompt);
    INFO(pager);
    CHECK(out.find("\nid: " + id) != std::string::npos);
    CHECK(out.find("paged:") == std::string::npos);
    plain.type(":q\n");
    CHECK(plain.wait_exit() == 0);
  }
}

TEST_CASE("repl: answers lost to a full disk end the session with exit 2", "[repl][write_errors]") {
  Fixture f;
  Pty pty({"/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/full", scry::test::program("scry-search"),
           f.index()},
          terminal_env(f), {});
  // libedit leaves the terminal cooked when its output is not one: send
  // the line whole.
  pty.send("huawei\n");
  pty.expect("writing standard output: No space left on device");
  CHECK(pty.wait_exit() == 2);
}
