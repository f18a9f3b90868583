#include "testlib.h"

#include "scry/index/index_builder.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
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

RunResult run(const std::vector<std::string>& argv, const std::string& input,
              const std::vector<std::string>& extra_env) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  REQUIRE(pipe(in_pipe) == 0);
  REQUIRE(pipe(out_pipe) == 0);
  REQUIRE(pipe(err_pipe) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
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
  signal(SIGPIPE, SIG_IGN);
  RunResult r;
  size_t written = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_open) fds[n++] = {err_pipe[0], POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    REQUIRE(poll(fds, static_cast<nfds_t>(n), -1) >= 0);
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in_fd) {
        ssize_t w = write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 || written == input.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      char buf[65536];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      bool is_out = fds[i].fd == out_pipe[0];
      if (got <= 0) {
        (is_out ? out_open : err_open) = false;
      } else {
        (is_out ? r.out : r.err).append(buf, static_cast<size_t>(got));
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
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

}  // namespace scry::test
