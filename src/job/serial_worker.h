// One background thread running posted tasks in order: the run's ledger writes go there, so that
// parsing, computing and writing the workbook go on while the ledger commits and syncs.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace cofin {

class SerialWorker {
 public:
  // Starts the thread. post() blocks while `max_pending` tasks are waiting, which bounds what
  // the waiting tasks hold.
  explicit SerialWorker(std::size_t max_pending = 4);
  // Drops the tasks not started, waits for the running one, joins. Does not throw.
  ~SerialWorker();
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  // Queues `task` and returns true. Tasks run one at a time, in the order posted. Once a task
  // has thrown, later ones are dropped unrun: then returns false (finish() tells why).
  bool post(std::function<void()> task);

  // Drops the tasks not started yet (the running one goes on).
  void cancel();

  // Drops the tasks not started and waits for the running one. Never throws: for unwinding,
  // before what the tasks refer to goes away (see DrainOnExit).
  void drain() noexcept;

  // Waits until every posted task has run (or was dropped). Rethrows the exception of the task
  // that failed, if one did. The worker takes further tasks afterwards.
  void finish();

 private:
  void loop();

  const std::size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool busy_ = false;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::thread thread_;  // last: started once the members above exist
};

// Drains `worker` when the scope ends, however it ends.
class DrainOnExit {
 public:
  explicit DrainOnExit(SerialWorker& worker) : worker_(worker) {}
  ~DrainOnExit() { worker_.drain(); }
  DrainOnExit(const DrainOnExit&) = delete;
  DrainOnExit& operator=(const DrainOnExit&) = delete;

 private:
  SerialWorker& worker_;
};

}  // namespace cofin
