// SpillFile: a run-local anonymous temporary file that holds what a run would otherwise keep in
// memory (each report's encoded lines and findings, model/line_codec.h), so that peak memory does
// not grow with the input (issue #6). Blobs are appended once and read back by extent, from any
// thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "calc/spill.h"

namespace cofin {

class SpillFile final : public Spill {
 public:
  // Creates an anonymous file in `dir`: it has no name, so it is gone when closed and after a
  // crash (O_TMPFILE; where the file system lacks it, mkstemp and unlink at once).
  // Throws IoError (job/errors.h) naming `dir` on failure.
  explicit SpillFile(const std::filesystem::path& dir);
  // Closes the file, which frees its space.
  ~SpillFile() override;

  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;
  SpillFile(SpillFile&&) = delete;
  SpillFile& operator=(SpillFile&&) = delete;

  // Appends `bytes`; returns where they are. Thread-safe: concurrent appends write to disjoint
  // ranges reserved up front.
  // Throws IoError naming the directory on a write error; on a full disk it says so.
  SpillExtent append(std::string_view bytes) override;

  // Returns the bytes at `extent` (an extent append returned). Thread-safe, also concurrently
  // with append (pread).
  // Throws IoError on a read error or a short read, and CorruptSpill (model/line_codec.h) when
  // the extent lies beyond what was appended or the bytes no longer match extent.checksum.
  SpillBytes read(const SpillExtent& extent) const override;

  // Returns the bytes appended so far, including appends still in progress (and the range of
  // an append that failed, which stays a hole).
  std::uint64_t size() const { return end_.load(std::memory_order_acquire); }

  // Returns the file descriptor. For tests that damage the file on purpose.
  int native_handle() const { return fd_; }

 private:
  std::filesystem::path dir_;
  int fd_ = -1;
  std::atomic<std::uint64_t> end_{0};
};

}  // namespace cofin
