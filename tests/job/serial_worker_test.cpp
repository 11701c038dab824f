// SerialWorker: tasks run in order on one thread; the first failure drops the rest and comes
// out of finish(); destruction drops what has not started.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "job/serial_worker.h"

using namespace cofin;

TEST_CASE("serial worker runs tasks in order on one other thread", "[job]") {
  SerialWorker worker(2);
  std::vector<int> order;
  std::thread::id ran_on;
  for (int i = 0; i < 100; ++i) {
    worker.post([&order, &ran_on, i] {
      order.push_back(i);
      ran_on = std::this_thread::get_id();
    });
  }
  worker.finish();
  REQUIRE(order.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
  CHECK(ran_on != std::this_thread::get_id());
  worker.post([&order] { order.push_back(100); });  // usable after finish()
  worker.finish();
  CHECK(order.size() == 101);
}

TEST_CASE("serial worker: the first failure drops the later tasks and comes out of finish",
          "[job]") {
  SerialWorker worker(8);
  std::atomic<int> ran{0};
  worker.post([&ran] { ++ran; });
  worker.post([] { throw std::runtime_error("commit failed"); });
  for (int i = 0; i < 5; ++i) worker.post([&ran] { ++ran; });
  CHECK_THROWS_WITH(worker.finish(), "commit failed");
  CHECK_FALSE(worker.post([&ran] { ++ran; }));  // dropped: the worker has failed
  CHECK(ran == 1);
  CHECK_THROWS_WITH(worker.finish(), "commit failed");  // it stays failed
}

TEST_CASE("serial worker: cancel drops the tasks not started, the running one goes on", "[job]") {
  std::atomic<int> ran{0};
  std::atomic<bool> started{false};
  std::atomic<bool> release{false};
  SerialWorker worker(8);
  worker.post([&] {
    started = true;
    while (!release) std::this_thread::yield();
    ++ran;
  });
  for (int i = 0; i < 5; ++i) worker.post([&ran] { ran += 10; });
  while (!started) std::this_thread::yield();
  worker.cancel();
  release = true;
  worker.finish();
  CHECK(ran == 1);
  worker.post([&ran] { ran += 100; });  // still usable
  worker.finish();
  CHECK(ran == 101);
}

TEST_CASE("serial worker: destruction waits for the running task", "[job]") {
  std::atomic<int> ran{0};
  {
    SerialWorker worker(2);
    worker.post([&ran] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ++ran;
    });
    worker.finish();  // the task has run before the worker goes
    worker.post([&ran] { ++ran; });
  }
  CHECK(ran >= 1);  // the second may have been dropped or run; nothing runs after the join
  CHECK(ran <= 2);
}
