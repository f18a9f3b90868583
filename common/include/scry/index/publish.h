// Publishing an index atomically.
//
// A build writes into a temporary folder beside the target,
// "PARENT/.NAME.tmp-PID", while holding an exclusive lock on
// "PARENT/.NAME.lock" (kept, empty, between builds). commit() syncs the
// folder and swaps it with the target in one rename (renameat2 with
// RENAME_EXCHANGE), then deletes the old index. A build that fails or is
// killed leaves the previous index untouched; its temporary folder is
// removed by the next build of the same target, which holds the lock and so
// knows that no other build owns it.
//
// A target that exists but is not a scry index (no MANIFEST) and is not an
// empty folder is never replaced.
//
// Thread safety: single-threaded.
#pragma once

#include <memory>
#include <string>

#include "scry/util/status.h"

namespace scry {

class IndexPublisher {
 public:
  // Takes the lock, removes leftovers of killed builds and creates the
  // temporary folder. Errors: InvalidArgument (target is a file, or a folder
  // that is not a scry index), IOError (cannot write beside the target;
  // another build of the same target is running).
  static Result<std::unique_ptr<IndexPublisher>> begin(const std::string& target);
  // Removes the temporary folder unless committed.
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
  int lock_fd_;
  bool committed_ = false;
};

}  // namespace scry
