// StoreQueue: a thread of its own that adds batches of documents to a
// DocStoreWriter, in the order they were pushed, while the parallel build's
// rounds go on (IndexBuilder, threads > 1), and then finishes it.
//
// Why a thread and not a task of the round: the store's work (zstd on
// 1 KiB frames, and once the training of its dictionary on the first
// kStoreTrainBytes of text, about half a second) is one sequential stream
// that cannot be split. As a task it held every round that contained it
// until it ended, the other threads idle (the training's round: about half
// a second of one core); and between rounds, while the caller read the next
// batch, the crew was idle too. On its own thread it runs whenever a core
// is free, and the rounds never wait for it, unless more than `max_bytes`
// of documents are queued (push() then blocks).
//
// The store receives the same documents in the same order as a direct
// DocStoreWriter::add() for each, so the .store file is the same byte for
// byte.
//
// Thread safety: push(), close(), finish() and the destructor are called
// by one thread (the builder's owner); memory_bytes() by any. The
// DocStoreWriter is used by the queue's thread alone from create() until
// finish() returns.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "scry/format/doc_store.h"
#include "scry/util/status.h"

namespace scry {

class StoreQueue {
 public:
  // Starts the thread that adds to `store` (owned by the caller; it must
  // outlive the queue). Errors: InvalidArgument (the thread cannot be
  // started, with the system's reason).
  static Result<std::unique_ptr<StoreQueue>> create(DocStoreWriter* store, size_t max_bytes);
  // Stops the thread after the batch it is adding, if any; what is still
  // queued is dropped (an abandoned build).
  ~StoreQueue();
  StoreQueue(const StoreQueue&) = delete;
  StoreQueue& operator=(const StoreQueue&) = delete;

  // Queues `docs` to be added after everything pushed before. Blocks while
  // the queue holds documents and adding these would pass max_bytes.
  // Returns the first error of DocStoreWriter::add() so far (once there
  // is one, nothing more is added and every later call returns it).
  Status push(std::vector<StoredDocument> docs);

  // No more documents: once the queued ones are added, the queue's thread
  // finishes the store (DocStoreWriter::finish(): its tables, while the
  // caller goes on with the postings) and ends. No push() after it.
  void close();
  // close(), then waits for the thread to end; returns the first error of
  // DocStoreWriter::add() or finish(), if any. Call once, last.
  Status finish();

  // Bytes of the documents queued and not yet added (strings and
  // checkpoints).
  size_t memory_bytes() const { return queued_bytes_.load(std::memory_order_relaxed); }

 private:
  StoreQueue(DocStoreWriter* store, size_t max_bytes) : store_(store), max_bytes_(max_bytes) {}
  void loop();
  // Waits for the thread to end after `abandon` (drop what is queued) or
  // after the queue is empty.
  void stop(bool abandon);

  DocStoreWriter* const store_;
  const size_t max_bytes_;
  std::mutex mutex_;
  std::condition_variable work_;   // Signalled on push() and stop().
  std::condition_variable space_;  // Signalled when a batch has been added.
  std::deque<std::vector<StoredDocument>> queue_;
  std::atomic<size_t> queued_bytes_{0};  // Counts the batch being added too.
  bool closing_ = false;                 // No more pushes; end when empty.
  bool abandon_ = false;                 // End now.
  Status status_;                        // The first error of add().
  std::thread thread_;
};

}  // namespace scry
