// Publishing an index atomically.
//
// A build writes into a temporary folder beside the target,
// "PARENT/.NAME.tmp-PID". commit() syncs the folder and swaps it with the
// target in one rename (renameat2 with RENAME_EXCHANGE), then deletes the
// old index. A build that fails or is killed leaves the previous index
// untouched; its temporary folder is removed by the destructor, or by the
// next build of the same target, which removes every such folder whose
// process no longer runs.
//
// One writer at a time: begin() takes an exclusive flock(2) on the lock
// file "PARENT/.NAME.lock" (created if missing, never removed: removing a
// lock file races with a process about to lock it) and the publisher holds
// it until it is destroyed, so that a second writer of the same target
// waits (or fails) instead of racing to commit. The holder writes its pid
// into the file, for the waiter's message. Readers never take the lock.
//
// A target that exists but is not a scry index (no MANIFEST, no SHARDS)
// and is not an empty folder is never replaced.
//
// Thread safety: single-threaded.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "scry/util/status.h"

namespace scry {

struct PublishOptions {
  // When another writer holds the lock: wait for it (true) or fail (false).
  bool wait = true;
  // Called once before waiting, with the holder's pid (0 when unknown).
  // May be empty.
  std::function<void(long pid)> on_wait;
  // When set and true (a signal handler sets it), begin() stops waiting.
  const std::atomic<bool>* cancel = nullptr;
};

class IndexPublisher {
 public:
  // Takes the target's lock (waiting as `options` say), removes leftovers
  // of killed builds and creates the temporary folder.
  // Errors: InvalidArgument (the parent is not a folder, the target is a
  // file or a folder that is not a scry index), IOError (cannot write
  // beside the target; the lock is held by another writer and
  // options.wait is false: "TARGET: locked by another writer (pid N)"),
  // Cancelled (options.cancel became true while waiting).
  static Result<std::unique_ptr<IndexPublisher>> begin(const std::string& target,
                                                       const PublishOptions& options = {});
  // Removes the temporary folder unless committed, then releases the lock.
  ~IndexPublisher();
  IndexPublisher(const IndexPublisher&) = delete;
  IndexPublisher& operator=(const IndexPublisher&) = delete;

  // The folder to build into.
  const std::string& temp_dir() const { return temp_dir_; }

  // Makes the temporary folder the index at the target path.
  // Errors: IOError (the old index then stays in place).
  Status commit();

 private:
  IndexPublisher(std::string target, std::string temp_dir, int lock_fd)
      : target_(std::move(target)), temp_dir_(std::move(temp_dir)), lock_fd_(lock_fd) {}

  std::string target_;
  std::string temp_dir_;
  int lock_fd_;  // Open on the lock file, flock()ed.
  bool committed_ = false;
};

}  // namespace scry
