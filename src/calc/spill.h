// Where a run puts what it need not hold until it is read again: the lines of accepted reports
// and the computed findings, which at 1M lines take most of a gigabyte in memory. The run's
// spill file (job/spill_file.h) is one; tests may keep the bytes in memory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cofin {

// Where appended bytes are, with a checksum that tells whether they came back unchanged
// (job/spill_file uses checksum64, job/checksum64.h).
struct SpillExtent {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint64_t checksum = 0;
};

class Spill {
 public:
  virtual ~Spill() = default;
  // Appends `bytes`; returns where they are. Thread-safe.
  virtual SpillExtent append(std::string_view bytes) = 0;
  // Returns the bytes at `extent`. Thread-safe, also while others append. Throws when they
  // cannot be read back unchanged.
  virtual std::string read(const SpillExtent& extent) const = 0;
};

}  // namespace cofin
