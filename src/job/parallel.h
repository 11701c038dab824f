// Work spread over a few threads, for the parts of a run that are pure per item (parsing
// documents) and whose results land in per-item slots, so the outcome does not depend on
// timing.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace cofin {

// Returns how many workers to use for `items` items: one per core, at most `limit`, at least 1.
inline unsigned worker_count(std::size_t items, unsigned limit) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t n = std::min<std::size_t>({cores, limit, std::max<std::size_t>(items, 1)});
  return static_cast<unsigned>(n);
}

// Calls `fn(worker, i)` for every i in [0, count) on `workers` threads (the caller's thread is
// worker 0); items are taken in index order from a shared counter. When calls throw, the
// remaining items are skipped and the exception of the lowest index is rethrown here, so the
// error a user sees does not depend on thread timing.
// REQUIRES: fn(w, i) touches only item i's state and worker w's resources.
template <typename Fn>
void parallel_for(std::size_t count, unsigned workers, Fn fn) {
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failure(count);
  // The lowest failing index so far. An item is skipped only above it: every item below the
  // lowest failure runs, whichever thread took it and when, so the error shown is the same on
  // every run (a plain "failed" flag skipped item 36 when 37 failed first on another thread).
  std::atomic<std::size_t> first_failed{count};
  auto work = [&](unsigned worker) {
    for (std::size_t i = next++; i < count && i < first_failed; i = next++) {
      try {
        fn(worker, i);
      } catch (const std::exception&) {
        failure[i] = std::current_exception();
        std::size_t lowest = first_failed;
        while (i < lowest && !first_failed.compare_exchange_weak(lowest, i)) {
        }
      }
    }
  };
  {
    std::vector<std::jthread> threads;
    for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work, w);
    work(0);
  }
  for (const std::exception_ptr& f : failure) {
    if (f) std::rethrow_exception(f);
  }
}

}  // namespace cofin
