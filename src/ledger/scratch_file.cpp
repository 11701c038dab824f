#include "ledger/scratch_file.h"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>
#include <vector>

#include "ledger/ledger.h"

namespace cofin {

namespace {

std::string error_text(int error) {
  return std::error_code(error, std::generic_category()).message();
}

int open_anonymous(const std::filesystem::path& dir) {
  // O_TMPFILE: a file that never has a name, so neither a crash nor a kill leaves it behind.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  const int error = errno;
  // Older kernels and some file systems lack O_TMPFILE: fall back to a named file removed at
  // once, which leaves a name behind only for a crash between the two.
  if (error != EOPNOTSUPP && error != EISDIR && error != EINVAL) {
    throw LedgerError("ledger: cannot create a scratch file in " + dir.string() + ": " +
                      error_text(error));
  }
  const std::string name = (dir / "cofin-ledger-scratch-XXXXXX").string();
  std::vector<char> path(name.begin(), name.end());
  path.push_back('\0');
  fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) {
    throw LedgerError("ledger: cannot create a scratch file in " + dir.string() + ": " +
                      error_text(errno));
  }
  if (::unlink(path.data()) != 0) {
    const int unlink_error = errno;
    ::close(fd);
    throw LedgerError("ledger: cannot unlink the scratch file " + std::string(path.data()) + ": " +
                      error_text(unlink_error));
  }
  return fd;
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
