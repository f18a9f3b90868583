#include "testlib.h"

#include "scry/index/index_builder.h"
#include "scry/util/utf8.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

extern char** environ;

namespace scry::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  static std::mt19937_64 rng(std::random_device{}());
  const char* tmp = std::getenv("TMPDIR");
  fs::path base = tmp ? tmp : "/tmp";
  for (;;) {
    path_ = base / ("scry-test-" + std::to_string(rng()));
    std::error_code ec;
    if (fs::create_directory(path_, ec)) break;
    REQUIRE(!ec);
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  // Restore permissions that tests may have removed, then delete.
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(path_, ec);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void write_file(const fs::path& path, const std::string& contents) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << contents;
  REQUIRE(out.good());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

using Clock = std::chrono::steady_clock;

// The deadline `timeout` from now; none (time_point::max()) for 0.
Clock::time_point deadline_after(std::chrono::milliseconds timeout) {
  return timeout.count() > 0 ? Clock::now() + timeout : Clock::time_point::max();
}

void close_fd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

}  // namespace

PipedProcess::PipedProcess(const std::vector<std::string>& argv,
                           const std::vector<std::string>& extra_env) {
  // Our ends must not leak into other programs the test starts meanwhile
  // (an inherited stdin pipe would never see end of file): O_CLOEXEC, which
  // dup2 clears on the child's copies.
  int in_pipe[2], out_pipe[2], err_pipe[2];
  REQUIRE(pipe2(in_pipe, O_CLOEXEC) == 0);
  REQUIRE(pipe2(out_pipe, O_CLOEXEC) == 0);
  REQUIRE(pipe2(err_pipe, O_CLOEXEC) == 0);
  // Writing to a program that exited must give EPIPE here, not kill the test.
  signal(SIGPIPE, SIG_IGN);
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    signal(SIGPIPE, SIG_DFL);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (const auto& e : extra_env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  in_ = in_pipe[1];
  // Never block in write(): it would stop us reading what the program writes.
  REQUIRE(fcntl(in_, F_SETFL, O_NONBLOCK) == 0);
  out_ = out_pipe[0];
  err_ = err_pipe[0];
}

PipedProcess::~PipedProcess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  for (int* fd : {&in_, &out_, &err_}) close_fd(fd);
}

bool PipedProcess::pump(Clock::time_point deadline, const std::string& input, size_t* written) {
  pollfd fds[3];
  nfds_t n = 0;
  if (out_ >= 0) fds[n++] = {out_, POLLIN, 0};
  if (err_ >= 0) fds[n++] = {err_, POLLIN, 0};
  if (in_ >= 0 && *written < input.size()) fds[n++] = {in_, POLLOUT, 0};
  int wait_ms = -1;
  if (deadline != Clock::time_point::max()) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    wait_ms = static_cast<int>(std::min<decltype(left)>(left, 60'000));
  }
  int ready = poll(fds, n, wait_ms);
  if (ready < 0 && errno == EINTR) return true;
  REQUIRE(ready >= 0);
  for (nfds_t i = 0; i < n; ++i) {
    if (!fds[i].revents) continue;
    if (fds[i].fd == in_) {
      ssize_t w = write(in_, input.data() + *written, input.size() - *written);
      if (w > 0) *written += static_cast<size_t>(w);
      if (w < 0 && errno != EINTR && errno != EAGAIN) close_fd(&in_);  // It closed its stdin.
      continue;
    }
    char buf[65536];
    ssize_t got = read(fds[i].fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    bool is_out = fds[i].fd == out_;
    if (got <= 0) {
      close_fd(is_out ? &out_ : &err_);
    } else {
      (is_out ? stdout_ : stderr_).append(buf, static_cast<size_t>(got));
    }
  }
  return true;
}

void PipedProcess::send(const std::string& bytes) {
  size_t written = 0;
  while (in_ >= 0 && written < bytes.size()) pump(Clock::time_point::max(), bytes, &written);
}

std::string PipedProcess::read_until(const std::string& needle, std::chrono::milliseconds timeout) {
  auto deadline = deadline_after(timeout);
  size_t written = 0;
  size_t at;
  while ((at = stdout_.find(needle, consumed_)) == std::string::npos && out_ >= 0 &&
         pump(deadline, "", &written)) {
  }
  INFO("waiting for '" << needle << "' on stdout; so far:\n"
                       << stdout_.substr(consumed_) << "\nstderr:\n"
                       << stderr_);
  REQUIRE(at != std::string::npos);
  std::string got = stdout_.substr(consumed_, at + needle.size() - consumed_);
  consumed_ = at + needle.size();
  return got;
}

RunResult PipedProcess::finish(std::chrono::milliseconds timeout) {
  auto deadline = deadline_after(timeout);
  close_fd(&in_);
  RunResult r;
  size_t written = 0;
  while ((out_ >= 0 || err_ >= 0) && !r.timed_out) {
    r.timed_out = !pump(deadline, "", &written);
  }
  if (r.timed_out) kill(pid_, SIGKILL);
  int status = 0;
  REQUIRE(waitpid(pid_, &status, 0) == pid_);
  reaped_ = true;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = stdout_.substr(consumed_);
  r.err = stderr_;
  return r;
}

RunResult run(const std::vector<std::string>& argv, const std::string& input,
              const std::vector<std::string>& extra_env, std::chrono::milliseconds timeout) {
  PipedProcess child(argv, extra_env);
  child.send(input);
  return child.finish(timeout);
}

int spawn(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

fs::path source_dir() {
  if (const char* s = std::getenv("SCRY_SOURCE_DIR")) return s;
  return SCRY_SOURCE_DIR;
}

fs::path binary_dir() {
  if (const char* s = std::getenv("SCRY_BINARY_DIR")) return s;
  return SCRY_BINARY_DIR;
}

std::string program(const std::string& name) {
  for (const char* sub : {"indexer", "searcher", "bench/eval", "."}) {
    fs::path p = binary_dir() / sub / name;
    if (fs::exists(p)) return p.string();
  }
  FAIL("program not built: " << name);
  return {};
}

std::unique_ptr<IndexReader> build_index(const std::vector<Document>& docs, const fs::path& dir,
                                         const AnalyzerConfig& config) {
  fs::create_directories(dir);
  BuildOptions options;
  options.analyzer = config;
  auto builder = IndexBuilder::create(dir.string(), options);
  REQUIRE(builder.is_ok());
  for (const auto& d : docs) REQUIRE((*builder)->add(d).is_ok());
  REQUIRE((*builder)->finish().is_ok());
  auto index = IndexReader::open(dir.string());
  REQUIRE(index.is_ok());
  return std::move(index).value();
}

std::optional<fs::path> shared_corpora() {
  fs::path dir = source_dir() / ".." / "shared" / "corpora";
  if (fs::is_directory(dir)) return fs::canonical(dir);
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") {
    FAIL("../shared/corpora is missing (required under CI=true): " << dir.string());
  }
  WARN("skipping: ../shared/corpora not found beside the project (" << dir.string() << ")");
  return std::nullopt;
}

std::string random_words_jsonl(int docs, bool titles) {
  std::mt19937 rng(15);
  std::vector<std::string> vocab;
  for (int i = 0; i < 20000; ++i) {
    std::string w;
    for (size_t n = 3 + rng() % 5; n > 0; --n) w += static_cast<char>('a' + rng() % 26);
    vocab.push_back(w);
  }
  std::string jsonl;
  for (int d = 0; d < docs; ++d) {
    std::string body;
    for (int k = 0; k < 30; ++k) body += vocab[rng() % vocab.size()] + " ";
    jsonl += "{\"id\":\"d" + std::to_string(d) + "\"";
    if (titles) jsonl += ",\"title\":\"" + vocab[rng() % 500] + "\"";
    jsonl += ",\"body\":\"" + body + "\"}\n";
  }
  return jsonl;
}

std::vector<Document> random_documents(uint32_t seed, size_t n, const std::string& prefix) {
  std::mt19937 rng(seed);
  std::vector<std::string> vocab;
  for (int i = 0; i < 800; ++i) vocab.push_back("w" + std::to_string(i));
  for (const char* w :
       {"running", "runs", "ran", "the", "and", "of", "资本市场", "Straße", "U.S."}) {
    vocab.push_back(w);
  }
  auto word = [&] {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return vocab[static_cast<size_t>(u * u * u * static_cast<double>(vocab.size()))];
  };
  std::vector<Document> docs;
  for (size_t i = 0; i < n; ++i) {
    Document d;
    d.id = prefix + std::to_string(i);
    d.source = "gen:" + prefix + std::to_string(i);
    size_t title_words = u32(rng) % 4;
    for (size_t k = 0; k < title_words; ++k) d.title += word() + " ";
    if (u32(rng) % 8 != 0) d.body = "common ";
    size_t body_words = i % 50 == 49 ? 1500 : u32(rng) % 80;
    for (size_t k = 0; k < body_words; ++k) d.body += word() + ((u32(rng) % 9 == 0) ? ". " : " ");
    docs.push_back(std::move(d));
  }
  return docs;
}

std::string word_corpus_jsonl(const std::string& id_prefix, int docs, int words, unsigned seed,
                              bool rare_words) {
  static const char* const kWords[] = {
      "alpha", "beta",  "gamma", "delta", "zebra", "quick", "brown", "fox",  "lazy",  "dog",
      "river", "stone", "cloud", "north", "south", "apple", "mango", "pear", "tiger", "ocean"};
  std::mt19937 rng(seed);
  auto word = [&] { return std::string(kWords[rng() % std::size(kWords)]); };
  std::string out;
  for (int i = 0; i < docs; ++i) {
    std::string body = "common";
    for (int w = 0; w < words; ++w) {
      body += " " + (rare_words && w % 8 == 7 ? "w" + std::to_string(rng() % 100000) : word());
    }
    out += "{\"id\": \"" + id_prefix + std::to_string(i) + "\", \"title\": \"" + word() + " " +
           word() + "\", \"body\": \"" + body + "\"}\n";
  }
  return out;
}

int reference_distance(std::string_view a_text, std::string_view b_text, bool transpositions) {
  const std::vector<char32_t> a = code_points(a_text);
  const std::vector<char32_t> b = code_points(b_text);
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (transpositions && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace scry::test
