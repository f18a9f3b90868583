// Publishing an index atomically.
//
// A build writes into a temporary folder beside the target,
// "PARENT/.NAME.tmp-PID". commit() syncs the folder and swaps it with the
// target in one rename (renameat2 with RENAME_EXCHANGE), then deletes the
// old index. A build that fails or is killed leaves the previous index
// untouched; its temporary folder is removed by the next build of the same
// target, which removes every such folder whose process no longer runs.
// Two builds of the same target at once both succeed; the last to commit
// wins, and readers always see one complete index.
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
  // Removes leftovers of killed builds and creates the temporary folder.
  // Errors: InvalidArgument (target is a file, or a folder that is not a
  // scry index), IOError (cannot write beside the target).
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
  IndexPublisher(std::string target, std::string temp_dir)
      : target_(std::move(target)), temp_dir_(std::move(temp_dir)) {}

  std::string target_;
  std::string temp_dir_;
  bool committed_ = false;
};

}  // namespace scry
