#include "scry/index/publish.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "scry/util/file.h"

namespace scry {

namespace fs = std::filesystem;

namespace {

// Removes `path` recursively, ignoring errors (used on leftovers only).
void remove_tree(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

// fsyncs every file in `dir` and then `dir` itself.
Status sync_tree(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::io_error(entry.path().string() + ": " + errno_message(errno));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return Status::io_error(entry.path().string() + ": fsync: " + errno_message(err));
  }
  if (ec) return Status::io_error(dir + ": " + ec.message());
  return sync_directory(dir);
}

// How often a waiting writer tries the lock again (and looks at cancel).
constexpr std::chrono::milliseconds kLockPoll{50};

// The pid written in the lock file `fd`, or 0.
long lock_holder(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  return n > 0 ? std::strtol(text, nullptr, 10) : 0;
}

// Takes the exclusive lock on `lock_path` (see publish.h); returns its file
// descriptor.
Result<int> take_lock(const std::string& target, const std::string& lock_path,
                      const PublishOptions& options) {
  int fd;
  do {
    fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return Status::io_error(lock_path + ": " + errno_message(errno));
  bool told = false;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) break;
    const int error = errno;
    if (error == EINTR) continue;
    if (error != EWOULDBLOCK) {
      ::close(fd);
      return Status::io_error(lock_path + ": cannot lock: " + errno_message(error));
    }
    if (!options.wait) {
      const long pid = lock_holder(fd);
      ::close(fd);
      return Status::io_error(target + ": locked by another writer" +
                              (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()));
    }
    if (options.cancel != nullptr && options.cancel->load()) {
      ::close(fd);
      return Status::cancelled(target + ": stopped waiting for the lock");
    }
    if (!told && options.on_wait) options.on_wait(lock_holder(fd));
    told = true;
    std::this_thread::sleep_for(kLockPoll);
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    const int error = errno;
    ::close(fd);
    return Status::io_error(lock_path + ": " + errno_message(error));
  }
  return fd;
}

}  // namespace

Result<std::unique_ptr<IndexPublisher>> IndexPublisher::begin(const std::string& target,
                                                              const PublishOptions& options) {
  fs::path path = fs::absolute(fs::path(target)).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();
  std::string name = path.filename().string();
  std::string parent = path.parent_path().string();
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) {
    if (fs::exists(parent, ec)) {
      return Status::invalid_argument(target + ": " + parent + " is not a folder");
    }
    return Status::io_error(target + ": parent folder " + parent + " does not exist");
  }
  auto lock = take_lock(target, parent + "/." + name + ".lock", options);
  if (!lock) return lock.status();
  // Closing the descriptor releases the lock, on every error return below.
  struct LockGuard {
    int fd;
    ~LockGuard() {
      if (fd >= 0) ::close(fd);
    }
  } lock_guard{*lock};
  auto status = fs::symlink_status(path, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      return Status::invalid_argument(target +
                                      ": exists and is not an index folder; not replacing it");
    }
    if (!fs::exists(path / "MANIFEST", ec) && !fs::exists(path / "SHARDS", ec) &&
        !fs::is_empty(path, ec)) {
      return Status::invalid_argument(
          target +
          ": folder exists and is not a scry index (no MANIFEST or SHARDS); not replacing it");
    }
  }

  // Remove the temporary folders of builds whose process is gone (killed
  // or crashed); a live build's folder is left alone.
  std::string prefix = "." + name + ".tmp-";
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    std::string entry_name = entry.path().filename().string();
    if (entry_name.rfind(prefix, 0) != 0) continue;
    long pid = std::strtol(entry_name.c_str() + prefix.size(), nullptr, 10);
    bool alive = pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
    if (!alive) remove_tree(entry.path());
  }
  std::string temp = parent + "/" + prefix + std::to_string(::getpid());
  remove_tree(temp);  // Our own pid's: a leftover of an earlier process.
  if (!fs::create_directory(temp, ec)) {
    return Status::io_error(temp + ": " + (ec ? ec.message() : "cannot create"));
  }
  lock_guard.fd = -1;
  return std::unique_ptr<IndexPublisher>(new IndexPublisher(path.string(), temp, *lock));
}

IndexPublisher::~IndexPublisher() {
  if (!committed_) remove_tree(temp_dir_);
  ::close(lock_fd_);
}

Status IndexPublisher::commit() {
  SCRY_RETURN_IF_ERROR(sync_tree(temp_dir_));
  std::string parent = fs::path(target_).parent_path().string();
  std::error_code ec;
  if (fs::exists(target_, ec)) {
    // Atomic swap: readers see the old or the new index, never neither.
    if (::renameat2(AT_FDCWD, temp_dir_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0) {
      if (errno != EINVAL && errno != ENOSYS) {
        return Status::io_error(target_ + ": cannot replace the index: " + errno_message(errno));
      }
      // The file system cannot swap: move the old index aside first (a
      // short window in which the target path does not exist).
      std::string old = temp_dir_ + "-old";
      if (::rename(target_.c_str(), old.c_str()) != 0 ||
          ::rename(temp_dir_.c_str(), target_.c_str()) != 0) {
        return Status::io_error(target_ + ": cannot replace the index: " + errno_message(errno));
      }
      committed_ = true;
      remove_tree(old);
      return sync_directory(parent);
    }
    committed_ = true;
    SCRY_RETURN_IF_ERROR(sync_directory(parent));
    remove_tree(temp_dir_);  // Now holds the old index.
    return Status::ok();
  }
  if (::rename(temp_dir_.c_str(), target_.c_str()) != 0) {
    return Status::io_error(target_ + ": cannot publish the index: " + errno_message(errno));
  }
  committed_ = true;
  return sync_directory(parent);
}

}  // namespace scry
