#include "repl.h"

#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

// libedit's readline emulation.
#include <editline/readline.h>

#include "scry/engine/documents.h"
#include "scry/util/size.h"
#include "scry/util/utf8.h"

namespace scry {

namespace {

namespace fs = std::filesystem;

// Entries kept in the history; the file is trimmed back to this many when
// it grows past twice as many.
constexpr size_t kHistoryEntries = 1000;

constexpr const char* kPrompt = "scry> ";

// Ctrl-C. SIGINT stays blocked while the REPL runs, except inside the
// ppoll() that waits for the next key: so a Ctrl-C that comes while a query
// runs, or just before the wait starts, is not lost but ends that wait.
volatile sig_atomic_t g_interrupted = 0;
sigset_t g_wait_mask;  // The signal mask during the wait: SIGINT unblocked.

void on_sigint(int) { g_interrupted = 1; }

// Whether Ctrl-C was typed while a query runs: SIGINT is blocked then, so
// it waits pending; it is taken here, so that it cancels the query and
// nothing else (the prompt that follows is not interrupted). Asked by the
// query every few thousand candidates (QueryOptions::cancelled).
bool ctrl_c_pending() {
  sigset_t pending;
  if (sigpending(&pending) != 0 || sigismember(&pending, SIGINT) != 1) return false;
  sigset_t sigint;
  sigemptyset(&sigint);
  sigaddset(&sigint, SIGINT);
  const timespec now = {0, 0};
  sigtimedwait(&sigint, nullptr, &now);
  return true;
}

// The next byte of the terminal `fd`; -1 at the end of input, on an error
// or on Ctrl-C (g_interrupted is then set).
int read_byte(int fd) {
  for (;;) {
    pollfd ready = {fd, POLLIN, 0};
    if (ppoll(&ready, 1, nullptr, &g_wait_mask) < 0) {
      if (errno == EINTR && !g_interrupted) continue;
      return -1;
    }
    unsigned char byte = 0;
    ssize_t got = read(fd, &byte, 1);
    if (got == 1) return byte;
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    return -1;
  }
}

// libedit's rl_getc_function: the next character typed, or -1 (end of input,
// Ctrl-C). libedit's readline emulation stores the returned int as one
// wchar_t, so the UTF-8 sequence is decoded here and the code point
// returned (a malformed sequence gives U+FFFD).
int read_character(std::FILE* in) {
  constexpr int kReplacement = static_cast<int>(kReplacementChar);
  int fd = fileno(in);
  int first = read_byte(fd);
  if (first < 0x80) return first;
  int extra = first >= 0xF5 ? -1 : first >= 0xF0 ? 3 : first >= 0xE0 ? 2 : first >= 0xC2 ? 1 : -1;
  if (extra < 0) return kReplacement;
  int code = first & (0x3F >> extra);
  for (int i = 0; i < extra; ++i) {
    int next = read_byte(fd);
    if (next < 0) return -1;
    if ((next & 0xC0) != 0x80) return kReplacement;
    code = code << 6 | (next & 0x3F);
  }
  bool overlong = (extra == 2 && code < 0x800) || (extra == 3 && code < 0x10000);
  if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return kReplacement;
  return code;
}

// Line editing works in characters of the locale: use a UTF-8 one (the
// user's if it is UTF-8, else C.UTF-8), as queries and documents are UTF-8.
void use_utf8_locale() {
  std::setlocale(LC_CTYPE, "");
  if (std::strcmp(nl_langinfo(CODESET), "UTF-8") != 0) std::setlocale(LC_CTYPE, "C.UTF-8");
}

// While it lives, libedit reads keys through read_character() and Ctrl-C
// ends the wait for the next key (see g_interrupted).
class TerminalInput {
 public:
  TerminalInput() {
    use_utf8_locale();
    // libedit must not handle signals itself: its handler re-sends SIGINT to
    // the process group.
    rl_catch_signals = 0;
    rl_getc_function = read_character;
    // With standard output sent to a file, the prompt and the line being
    // edited still show on the terminal (the answers go to the file).
    if (::isatty(STDOUT_FILENO) == 0) rl_outstream = stderr;
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGINT);
    sigprocmask(SIG_BLOCK, &blocked, &previous_mask_);
    g_wait_mask = previous_mask_;
    sigdelset(&g_wait_mask, SIGINT);
    struct sigaction action = {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_action_);
  }
  ~TerminalInput() {
    sigaction(SIGINT, &previous_action_, nullptr);
    sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
  }
  TerminalInput(const TerminalInput&) = delete;
  TerminalInput& operator=(const TerminalInput&) = delete;

 private:
  sigset_t previous_mask_;
  struct sigaction previous_action_ = {};
};

// The history file: one entry a line, appended to as entries are added, so
// that sessions running side by side do not overwrite each other's
// entries. Queries may be private: the file is readable by its owner alone
// (as bash's), its folder too. Failures to read or write it are ignored:
// history is a convenience.
class History {
 public:
  explicit History(std::string path) : path_(std::move(path)) {}

  // Loads the file into libedit's history.
  void load() {
    if (path_.empty()) return;
    std::error_code ec;
    const fs::path folder = fs::path(path_).parent_path();
    if (fs::create_directories(folder, ec)) fs::permissions(folder, fs::perms::owner_all, ec);
    make_private(path_);
    std::ifstream in(path_);
    std::deque<std::string> entries;
    size_t lines = 0;
    for (std::string line; std::getline(in, line); ++lines) {
      if (line.empty()) continue;
      entries.push_back(std::move(line));
      if (entries.size() > kHistoryEntries) entries.pop_front();
    }
    for (const auto& entry : entries) add_history(entry.c_str());
    if (!entries.empty()) last_ = entries.back();
    if (lines > 2 * kHistoryEntries) rewrite(entries);
  }

  // Adds a non-empty entry (unless it repeats the last one) and appends it
  // to the file.
  void add(const std::string& entry) {
    if (entry.empty() || entry == last_) return;
    last_ = entry;
    add_history(entry.c_str());
    if (path_.empty()) return;
    std::ofstream out(path_, std::ios::app);
    out << entry << '\n';
  }

 private:
  void rewrite(const std::deque<std::string>& entries) {
    std::string temp = path_ + ".tmp";
    make_private(temp);
    {
      std::ofstream out(temp, std::ios::trunc);
      for (const auto& entry : entries) out << entry << '\n';
      if (!out.good()) return;
    }
    std::error_code ec;
    fs::rename(temp, path_, ec);
  }

  // Creates `path` readable and writable by its owner alone, or makes it
  // so when it exists.
  static void make_private(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, ec);
  }

  std::string path_;
  std::string last_;
};

std::string_view trim(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Runs `command` through sh with `text` on its stdin and waits for it; false
// when it could not be started (sh exits 127 when the command is not
// found). The pager gets SIGINT's and SIGPIPE's default actions and no
// blocked signal; SIGPIPE is held back here while writing, since the pager
// may quit before reading everything.
bool run_pager(const std::string& command, const std::string& text) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, "/bin/sh", &actions, &attributes, const_cast<char* const*>(argv), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[0]);
  if (spawned != 0) {
    close(fds[1]);
    return false;
  }
  sigset_t sigpipe, previous;
  sigemptyset(&sigpipe);
  sigaddset(&sigpipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &sigpipe, &previous);
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = write(fds[1], text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // The pager quit: the rest is not wanted.
    done += static_cast<size_t>(n);
  }
  close(fds[1]);
  const timespec now = {0, 0};
  while (sigtimedwait(&sigpipe, nullptr, &now) == SIGPIPE) {
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return !(WIFEXITED(status) && WEXITSTATUS(status) == 127);
}

// Shows `text` through $PAGER (unset: "less -R") when stdout is a
// terminal; prints it when PAGER is empty, stdout is not a terminal or the
// pager cannot be started.
void page(const std::string& text) {
  const char* pager = std::getenv("PAGER");
  const std::string command = pager == nullptr ? "less -R" : pager;
  std::fflush(stdout);
  if (::isatty(STDOUT_FILENO) && !trim(command).empty() && run_pager(command, text)) return;
  std::fwrite(text.data(), 1, text.size(), stdout);
}

const char* on_off(bool value) { return value ? "on" : "off"; }

class Repl {
 public:
  Repl(std::unique_ptr<Engine> engine, const RunOptions& options)
      : engine_(std::move(engine)), options_(options), history_(history_path()) {
    options_.output.summary = true;
    options_.output.heading = false;
    options_.query.count_all = true;  // The summary line gives the number of matches.
    options_.query.did_you_mean = true;
    options_.query.cancelled = ctrl_c_pending;
  }

  int run() {
    TerminalInput input;
    history_.load();

    // The banner, as the prompt, goes where the user types.
    std::FILE* terminal = ::isatty(STDOUT_FILENO) != 0 ? stdout : stderr;
    std::fprintf(
        terminal, "scry-search %s: %s in %s. Type a query, or :help.\n", SCRY_VERSION,
        count_of(engine_->index().manifest().live_documents(), "document", "documents").c_str(),
        engine_->index().path().c_str());
    std::fflush(terminal);
    for (;;) {
      g_interrupted = 0;
      char* raw = readline(kPrompt);
      if (raw == nullptr) {
        std::fputs("\n", terminal);
        std::fflush(terminal);
        if (g_interrupted) continue;  // Ctrl-C: a fresh prompt.
        break;                        // Ctrl-D: leave.
      }
      std::string line(raw);
      std::free(raw);
      std::string_view text = trim(line);
      if (text.empty()) continue;
      history_.add(std::string(text));
      if (text.front() == ':') {
        if (!command(text)) break;
      } else {
        query(text);
      }
      if (!output_ok(kProgram)) return kExitError;  // Answers would be lost.
    }
    return kExitHit;
  }

 private:
  // Runs a :command; false when it asks to leave.
  bool command(std::string_view text) {
    size_t space = text.find_first_of(" \t");
    std::string_view name = text.substr(0, space);
    std::string_view arg = space == std::string_view::npos ? "" : trim(text.substr(space));
    if (name == ":quit" || name == ":q") return false;
    if (name == ":help" || name == ":h") {
      help();
    } else if (name == ":k") {
      set_hits("k", arg, 1, &options_.query.k);
    } else if (name == ":offset") {
      set_hits("offset", arg, 0, &options_.query.offset);
    } else if (name == ":format") {
      if (auto format = parse_format(arg)) {
        options_.output.format = *format;
        std::printf("format: %s\n", format_name(*format));
      } else {
        error(":format takes text, tsv, json or trec");
      }
    } else if (name == ":explain") {
      options_.query.explain = !options_.query.explain;
      std::printf("explain: %s\n", on_off(options_.query.explain));
    } else if (name == ":k1") {
      set_real("k1", arg, 0, HUGE_VAL, &options_.query.bm25.k1);
    } else if (name == ":b") {
      set_real("b", arg, 0, 1, &options_.query.bm25.b);
    } else if (name == ":title") {
      set_real("title", arg, 0, 100, &options_.query.title_weight);
    } else if (name == ":typos") {
      set_typos(arg);
    } else if (name == ":timeout") {
      auto ms = static_cast<size_t>(options_.query.timeout.count());
      set_hits("timeout", arg, 0, &ms);
      options_.query.timeout = std::chrono::milliseconds(ms);
    } else if (name == ":show") {
      show(arg);
    } else if (name == ":stats") {
      stats();
    } else if (name == ":yes" || name == ":y") {
      if (proposed_) {
        const std::string proposed = *proposed_;
        query(proposed);
      } else {
        error(":yes: no corrected query was proposed");
      }
    } else if (name == ":reopen") {
      reopen();
    } else {
      error("unknown command '" + std::string(name) + "' (:help lists the commands)");
    }
    std::fflush(stdout);
    return true;
  }

  void help() const {
    std::printf(
        "Type a query (e.g. huawei ascend, \"trillion yuan\", +glm -image, zhip*, zhipu~1,\n"
        "title:glm)\n"
        "or a command:\n"
        "  :help          this list\n"
        "  :k N           show N hits per query (now %zu)\n"
        "  :offset N      skip the N best hits first (now %zu)\n"
        "  :format F      text, tsv, json or trec (now %s)\n"
        "  :explain       show each term's share of the score, or stop (now %s)\n"
        "  :k1 X          BM25 k1 >= 0 (now %g)\n"
        "  :b X           BM25 b from 0 to 1 (now %g)\n"
        "  :title W       extra weight of title matches, 0 to 100 (now %g)\n"
        "  :typos [on|off|ONE,TWO]  typo-tolerant words (on: 5,9), or switch (now %s)\n"
        "  :timeout MS    stop a query still running after MS ms; 0: never (now %lld)\n"
        "  :show N        hit N of the last answer in full (through $PAGER on a terminal)\n"
        "  :stats         index and last-query statistics\n"
        "  :yes, :y       run the corrected query of the last \"did you mean\"\n"
        "  :reopen        open the index again, to see what scry-index changed since\n"
        "  :quit, :q      leave (so does Ctrl-D); Ctrl-C drops the line being typed,\n"
        "                 or stops the query running\n",
        options_.query.k, options_.query.offset, format_name(options_.output.format),
        on_off(options_.query.explain), options_.query.bm25.k1, options_.query.bm25.b,
        options_.query.title_weight, typos_name(options_.query.typos).c_str(),
        static_cast<long long>(options_.query.timeout.count()));
  }

  // :typos sets typo tolerance: on (5,9), off, ONE,TWO, or switches it.
  void set_typos(std::string_view arg) {
    TypoTolerance& typos = options_.query.typos;
    if (arg == "on" || (arg.empty() && !typos.enabled())) {
      typos = kDefaultTypos;
    } else if (arg == "off" || arg.empty()) {
      typos = {};
    } else if (auto parsed = parse_typos(arg)) {
      typos = *parsed;
    } else {
      return error(":typos: " + parsed.status().message() + " (or on, off)");
    }
    std::printf("typos: %s\n", typos_name(typos).c_str());
  }

  // "5,9", or "9 (one edit, never two)" when two edits are off.
  static std::string typos_name(const TypoTolerance& typos) {
    if (!typos.enabled()) return "off";
    if (typos.two == 0) return std::to_string(typos.one) + " (one edit, never two)";
    return std::to_string(typos.one) + "," + std::to_string(typos.two);
  }

  // :NAME ARG sets a count (k, offset) and says so.
  void set_hits(const char* name, std::string_view arg, size_t min, size_t* value) {
    auto parsed = parse_hits(arg, min);
    if (!parsed) return error(std::string(":") + name + ": " + parsed.status().message());
    *value = *parsed;
    std::printf("%s: %zu\n", name, *value);
  }

  // :NAME ARG sets a scoring parameter (k1, b, title) and says so.
  void set_real(const char* name, std::string_view arg, double min, double max, double* value) {
    auto parsed = parse_real(arg, min, max);
    if (!parsed) return error(std::string(":") + name + ": " + parsed.status().message());
    *value = *parsed;
    std::printf("%s: %g\n", name, *value);
  }

  // Opens the index folder again; the engine keeps the index it has open
  // (its files stay readable) until the new one opened without error.
  void reopen() {
    const std::string path = engine_->index().path();
    auto reopened = Engine::open(path);
    if (!reopened) return error(":reopen: " + reopened.status().message());
    const uint64_t before = engine_->index().manifest().live_documents();
    engine_ = std::move(reopened).value();
    const Manifest& m = engine_->index().manifest();
    std::printf("reopened %s: %s (was %s), %s\n", path.c_str(),
                count_of(m.live_documents(), "document", "documents").c_str(),
                group_digits(before).c_str(),
                count_of(m.segments.size(), "segment", "segments").c_str());
  }

  // :show N: hit N (its rank) of the last answer in full: its stored
  // document, looked up by id (so after :reopen, as the index now has it).
  void show(std::string_view arg) {
    if (!last_ || last_->hits.empty()) return error(":show: no hit to show (type a query first)");
    auto rank = parse_hits(arg, 1);
    if (!rank) return error(":show: " + rank.status().message());
    const size_t first = last_->hits.front().rank, last = last_->hits.back().rank;
    if (*rank < first || *rank > last) {
      return error(":show: the last answer has hits " + std::to_string(first) + " to " +
                   std::to_string(last));
    }
    auto doc = find_document(engine_->index(), last_->hits[*rank - first].id);
    if (!doc) return error(":show: " + doc.status().message());
    page(format_document(*doc, Format::kText));
  }

  void stats() const {
    const IndexReader& index = engine_->index();
    const Manifest& m = index.manifest();
    std::printf("index %s: %s (%s deleted), %s, opened in %.3f ms\n", index.path().c_str(),
                count_of(m.live_documents(), "document", "documents").c_str(),
                group_digits(m.documents() - m.live_documents()).c_str(),
                count_of(index.segments().size(), "segment", "segments").c_str(),
                engine_->open_ms());
    std::printf("  average length %.1f tokens (title %.1f); stemming %s; stop words %s; %s\n",
                m.average_length(Field::kText), m.average_length(Field::kTitle),
                on_off(m.analyzer.stem),
                std::string(stop_words_name(m.analyzer.stop_words)).c_str(), m.created_by.c_str());
    std::printf("settings: k %zu, offset %zu, format %s, explain %s, k1 %g, b %g, title %g\n",
                options_.query.k, options_.query.offset, format_name(options_.output.format),
                on_off(options_.query.explain), options_.query.bm25.k1, options_.query.bm25.b,
                options_.query.title_weight);
    if (last_) {
      std::printf(
          "last query %zu (%s): %llu %s, %.3f ms search, %.3f ms documents and "
          "snippets\n",
          queries_, last_query_.c_str(), static_cast<unsigned long long>(last_->total_hits),
          last_->total_hits == 1 ? "match" : "matches", last_->search_ms, last_->fetch_ms);
    } else {
      std::printf("no query yet\n");
    }
  }

  void query(std::string_view text) {
    auto answer = engine_->answer(text, options_.query);
    if (!answer) return error(query_failure(answer.status()));
    if (answer->syntax_error) {
      fail_syntax(text, *answer);
      return;
    }
    note_no_terms(*answer);
    std::string tag = std::to_string(++queries_);
    const Format format = options_.output.format;
    std::string out =
        options_.query.count_only
            ? format_count(answer->total_hits, format == Format::kJson ? tag : "", format)
            : format_answer(*answer, tag, text, options_.output);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    proposed_ = answer->did_you_mean;
    if (proposed_ && (options_.output.format == Format::kTsv ||
                      options_.output.format == Format::kTrec || options_.query.count_only)) {
      std::fputs(format_did_you_mean(*answer).c_str(), stderr);
    }
    if (proposed_) std::fputs("(:yes runs it)\n", stderr);
    if (options_.stats) print_query_stats(tag, *answer);
    last_query_ = std::string(text);
    last_ = std::move(answer).value();
  }

  static void error(const std::string& message) {
    std::fprintf(stderr, "scry-search: %s\n", message.c_str());
  }

  std::unique_ptr<Engine> engine_;
  RunOptions options_;
  History history_;
  size_t queries_ = 0;
  std::string last_query_;
  std::optional<Answer> last_;
  std::optional<std::string> proposed_;  // The last answer's did_you_mean.
};

}  // namespace

std::string history_path() {
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state != nullptr && state[0] == '/') return std::string(state) + "/scry/history";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return std::string(home) + "/.local/state/scry/history";
  return {};
}

int run_repl(std::unique_ptr<Engine> engine, const RunOptions& options) {
  return Repl(std::move(engine), options).run();
}

}  // namespace scry
