// Where a run puts what it need not hold until it is read again: the lines of accepted reports
// and the computed findings, which at 1M lines take most of a gigabyte in memory. The run's
// spill file (job/spill_file.h) is one; tests may keep the bytes in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/bytes.h"
#include "model/line_codec.h"

namespace cofin {

// Where appended bytes are, with a checksum that tells whether they came back unchanged
// (job/spill_file uses checksum64, job/checksum64.h).
struct SpillExtent {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint64_t checksum = 0;
};

// Bytes read back from a spill (io/bytes.h: never zero-filled before the read).
using SpillBytes = Bytes;

class Spill {
 public:
  virtual ~Spill() = default;
  // Appends `bytes`; returns where they are. Thread-safe.
  virtual SpillExtent append(std::string_view bytes) = 0;
  // Returns the bytes at `extent`. Thread-safe, also while others append. Throws when they
  // cannot be read back unchanged.
  virtual SpillBytes read(const SpillExtent& extent) const = 0;
};

// Records of one kind (a report's lines, a control result's decisions) kept in a spill instead
// of memory while the run holds the rest of their document.
template <typename T>
class SpilledVector {
 public:
  virtual ~SpilledVector() = default;
  // Returns the number of records.
  virtual std::size_t count() const = 0;
  // Returns the records, exactly as they were spilled. Throws when they cannot be read back
  // unchanged (CorruptSpill) or at all.
  virtual std::vector<T> read() const = 0;
};

// Moves `records` into `spill`, encoded with `encode`, and returns where they are: `decode`
// reads them back, and a count that differs is CorruptSpill naming `what`. `records` is left
// empty, its memory given back. Thread-safe (as Spill::append is).
template <typename T>
std::shared_ptr<const SpilledVector<T>> spill_vector(
    const std::shared_ptr<Spill>& spill, std::vector<T>& records,
    void (*encode)(const std::vector<T>&, std::string&), std::vector<T> (*decode)(std::string_view),
    const char* what) {
  class InSpill final : public SpilledVector<T> {
   public:
    InSpill(std::shared_ptr<Spill> spill, SpillExtent extent, std::size_t count,
            std::vector<T> (*decode)(std::string_view), const char* what)
        : spill_(std::move(spill)), extent_(extent), count_(count), decode_(decode), what_(what) {}
    std::size_t count() const override { return count_; }
    std::vector<T> read() const override {
      std::vector<T> out = decode_(spill_->read(extent_).view());
      if (out.size() != count_) {
        throw CorruptSpill(std::string("spilled ") + what_ + " read back as " +
                           std::to_string(out.size()) + " instead of " + std::to_string(count_));
      }
      return out;
    }

   private:
    std::shared_ptr<Spill> spill_;
    SpillExtent extent_;
    std::size_t count_;
    std::vector<T> (*decode_)(std::string_view);
    const char* what_;
  };
  std::string bytes;
  encode(records, bytes);
  const SpillExtent extent = spill->append(bytes);
  auto spilled = std::make_shared<const InSpill>(spill, extent, records.size(), decode, what);
  std::vector<T>().swap(records);
  return spilled;
}

}  // namespace cofin
