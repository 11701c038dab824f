#include "job/serial_worker.h"

namespace cofin {

SerialWorker::SerialWorker(std::size_t max_pending)
    : max_pending_(max_pending == 0 ? 1 : max_pending), thread_([this] { loop(); }) {}

SerialWorker::~SerialWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    tasks_.clear();
  }
  changed_.notify_all();
  thread_.join();
}

bool SerialWorker::post(std::function<void()> task) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return tasks_.size() < max_pending_ || failure_ || stopping_; });
  if (failure_ || stopping_) return false;
  tasks_.push_back(std::move(task));
  changed_.notify_all();
  return true;
}

void SerialWorker::cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.clear();
  changed_.notify_all();
}

void SerialWorker::drain() noexcept {
  std::unique_lock<std::mutex> lock(mutex_);
  tasks_.clear();
  changed_.wait(lock, [this] { return !busy_; });
}

void SerialWorker::finish() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return tasks_.empty() && !busy_; });
  if (failure_) std::rethrow_exception(failure_);
}

void SerialWorker::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return !tasks_.empty() || stopping_; });
    if (stopping_) return;
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    busy_ = true;
    lock.unlock();
    std::exception_ptr failed;
    try {
      task();
    } catch (const std::exception&) {
      failed = std::current_exception();
    }
    task = nullptr;  // what it captured is released outside the lock
    lock.lock();
    busy_ = false;
    if (failed) {
      failure_ = failed;
      tasks_.clear();
    }
    changed_.notify_all();
  }
}

}  // namespace cofin
