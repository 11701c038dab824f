// ScratchFile: an anonymous temporary file next to the ledger, for what the ledger would
// otherwise hold in memory for a whole run (a run's finding fingerprints, run_fingerprints.h).
// The ledger's own small counterpart of job/spill_file.h (the ledger does not depend on job).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace cofin {

class ScratchFile {
 public:
  // Creates an anonymous file in `dir`: it has no name, so it is gone when closed and after a
  // crash (O_TMPFILE; where the file system lacks it, mkstemp and unlink at once).
  // Throws LedgerError (ledger.h) naming `dir` on failure.
  explicit ScratchFile(const std::filesystem::path& dir);
  // Closes the file, which frees its space.
  ~ScratchFile();

  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ScratchFile(ScratchFile&&) = delete;
  ScratchFile& operator=(ScratchFile&&) = delete;

  // Writes `bytes` at `offset`, over whatever was there. Throws LedgerError naming the
  // directory on a write error; on a full disk it says so.
  void write_at(std::uint64_t offset, std::string_view bytes);
  // Reads exactly `size` bytes at `offset` into `out`. Throws LedgerError on a read error or
  // a short read.
  void read_at(std::uint64_t offset, char* out, std::size_t size) const;

  // Returns the file descriptor. For tests that damage the file on purpose.
  int native_handle() const { return fd_; }

 private:
  std::filesystem::path dir_;
  int fd_ = -1;
};

}  // namespace cofin
