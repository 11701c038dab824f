#include "ledger/scratch_file.h"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>
#include <vector>

#include "io/anonymous_file.h"
#include "ledger/ledger.h"

namespace cofin {

namespace {

int open_anonymous(const std::filesystem::path& dir) {
  try {
    return open_anonymous_file(dir, "cofin-ledger-scratch-");
  } catch (const std::system_error& e) {
    throw LedgerError(std::string("ledger: the scratch file: ") + e.what());
  }
}

// One pwrite or pread moves at most about 2 GiB on Linux; never ask for more.
constexpr std::size_t kMaxTransfer = std::size_t{1} << 30;

}  // namespace

ScratchFile::ScratchFile(const std::filesystem::path& dir) : dir_(dir), fd_(open_anonymous(dir)) {}

ScratchFile::~ScratchFile() {
  // Nothing to flush: the file is thrown away, so a close error loses nothing anyone reads.
  ::close(fd_);
}

void ScratchFile::write_at(std::uint64_t offset, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const std::size_t chunk = std::min(bytes.size() - done, kMaxTransfer);
    const ssize_t n = ::pwrite(fd_, bytes.data() + done, chunk, static_cast<off_t>(offset + done));
    if (n < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      if (error == ENOSPC || error == EDQUOT) {
        throw LedgerError("ledger: the disk is full: cannot write " + std::to_string(bytes.size()) +
                          " bytes to the scratch file in " + dir_.string() + " (" +
                          error_text(error) + ")");
      }
      throw LedgerError("ledger: cannot write the scratch file in " + dir_.string() + ": " +
                        error_text(error));
    }
    if (n == 0) {
      // A regular file never accepts zero bytes of a non-empty write; never spin on it.
      throw LedgerError("ledger: cannot write the scratch file in " + dir_.string() +
                        ": no progress");
    }
    done += static_cast<std::size_t>(n);
  }
}

void ScratchFile::read_at(std::uint64_t offset, char* out, std::size_t size) const {
  std::size_t done = 0;
  while (done < size) {
    const std::size_t chunk = std::min(size - done, kMaxTransfer);
    const ssize_t n = ::pread(fd_, out + done, chunk, static_cast<off_t>(offset + done));
    if (n < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      throw LedgerError("ledger: cannot read the scratch file in " + dir_.string() + ": " +
                        error_text(error));
    }
    if (n == 0) {
      throw LedgerError("ledger: short read of the scratch file in " + dir_.string() + ": " +
                        std::to_string(done) + " of " + std::to_string(size) + " bytes at offset " +
                        std::to_string(offset));
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace cofin
