#include "index/store_queue.h"

#include <string>
#include <system_error>
#include <utility>

namespace scry {

namespace {

size_t bytes_of(const std::vector<StoredDocument>& docs) {
  size_t bytes = 0;
  for (const StoredDocument& d : docs) {
    bytes += d.id.size() + d.title.size() + d.source.size() + d.body.size() +
             d.checkpoints.size() * sizeof(TextCheckpoint);
  }
  return bytes;
}

}  // namespace

Result<std::unique_ptr<StoreQueue>> StoreQueue::create(DocStoreWriter* store, size_t max_bytes) {
  std::unique_ptr<StoreQueue> queue(new StoreQueue(store, max_bytes));
  try {
    queue->thread_ = std::thread([q = queue.get()] { q->loop(); });
  } catch (const std::system_error& e) {
    return Status::invalid_argument(std::string("cannot start the document store's thread: ") +
                                    e.what());
  }
  return queue;
}

StoreQueue::~StoreQueue() { stop(true); }

Status StoreQueue::push(std::vector<StoredDocument> docs) {
  const size_t bytes = bytes_of(docs);
  std::unique_lock<std::mutex> lock(mutex_);
  space_.wait(lock, [&] {
    const size_t queued = queued_bytes_.load(std::memory_order_relaxed);
    return !status_.is_ok() || queued == 0 || queued + bytes <= max_bytes_;
  });
  if (!status_.is_ok()) return status_;
  queue_.push_back(std::move(docs));
  queued_bytes_.fetch_add(bytes, std::memory_order_relaxed);
  lock.unlock();
  work_.notify_one();
  return Status::ok();
}

void StoreQueue::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  work_.notify_one();
}

Status StoreQueue::finish() {
  stop(false);
  std::lock_guard<std::mutex> lock(mutex_);
  return status_;
}

void StoreQueue::stop(bool abandon) {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
    abandon_ = abandon_ || abandon;
  }
  work_.notify_one();
  thread_.join();
}

void StoreQueue::loop() {
  for (;;) {
    std::vector<StoredDocument> docs;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_.wait(lock, [&] { return abandon_ || closing_ || !queue_.empty(); });
      if (abandon_) return;
      if (queue_.empty()) {  // Closing, every document added.
        if (status_.is_ok()) {
          lock.unlock();
          Status finished = store_->finish();
          lock.lock();
          status_ = finished;
        }
        return;
      }
      docs = std::move(queue_.front());
      queue_.pop_front();
    }
    Status status;
    for (const StoredDocument& doc : docs) {
      status = store_->add(doc);
      if (!status.is_ok()) break;
    }
    const size_t bytes = bytes_of(docs);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queued_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
      if (!status.is_ok() && status_.is_ok()) {
        status_ = status;
        queue_.clear();
        queued_bytes_.store(0, std::memory_order_relaxed);
      }
    }
    space_.notify_one();
  }
}

}  // namespace scry
