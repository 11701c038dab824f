// The fingerprints of the findings one run had (ledger/finding_fingerprint.h), for the digest
// that attests them (runs.finding_set_sha256 = fingerprint_set_digest(), fingerprint_set.h),
// in memory bounded by a constant whatever the run's size: an external sort. A first night at
// 5M lines has 2M findings (64 MB of fingerprints), which held in memory grew the run's peak
// with its input (issue #6).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include "audit/sha256.h"
#include "ledger/scratch_file.h"

namespace cofin {

class RunFingerprints {
 public:
  // 1 MiB of fingerprints in memory; a run with more writes sorted chunks of this size.
  static constexpr std::size_t kDefaultBufferCapacity = 32768;

  // Chunks go to an anonymous file in `dir` (scratch_file.h), created when the buffer first
  // fills: a run with fewer than `buffer_capacity` fingerprints writes no file.
  // REQUIRES: buffer_capacity >= 1.
  explicit RunFingerprints(std::filesystem::path dir,
                           std::size_t buffer_capacity = kDefaultBufferCapacity);

  // Notes `fingerprint` (repeats allowed; they count once). Throws LedgerError (ledger.h) when
  // a full buffer cannot be written to the scratch file; nothing is noted then.
  void add(const Digest& fingerprint);

  // A point to roll back to (a transaction's begin).
  struct Mark {
    std::uint64_t generation = 0;  // which mark() call took it
    std::size_t chunks = 0;        // chunks written before it
    std::size_t buffered = 0;      // fingerprints in the buffer before it
  };
  // Returns the present point. Each mark supersedes the earlier ones: a chunk written later
  // is split at the latest mark, so that rolling back to it needs no unsorted copy.
  Mark mark();
  // Forgets everything noted since `mark` was taken, also what was written to chunks since.
  // Throws std::logic_error unless `mark` is the latest mark() returned (a ledger rolls back
  // only to its current transaction's begin).
  void roll_back_to(const Mark& mark);

  // Returns the number of distinct fingerprints noted and fingerprint_set_digest() of them,
  // merging the sorted chunks in blocks (memory about 1 MiB whatever their number). Throws
  // LedgerError when the scratch file cannot be read or its bytes came back changed.
  std::pair<std::int64_t, Digest> digest() const;

  // Returns the number of chunks written to the scratch file (for tests).
  std::size_t chunk_count() const { return chunks_.size(); }
  // Returns the scratch file, or null before the first chunk (for tests that damage it).
  const ScratchFile* scratch_file() const { return file_.get(); }

 private:
  // Sorted, without repeats, at `offset` in the scratch file.
  struct Chunk {
    std::uint64_t offset = 0;
    std::size_t count = 0;
    std::uint64_t checksum = 0;  // chunk_checksum() of its fingerprints
  };

  void flush();
  Chunk write_chunk(std::vector<Digest> fingerprints, std::uint64_t offset);

  std::filesystem::path dir_;
  std::size_t buffer_capacity_;
  std::vector<Digest> buffer_;  // in the order noted: a roll back keeps a prefix
  std::vector<Chunk> chunks_;
  std::unique_ptr<ScratchFile> file_;  // created at the first flush
  std::uint64_t generation_ = 0;       // marks taken
  Mark latest_;                        // the latest mark, where the next flush splits
};

}  // namespace cofin
