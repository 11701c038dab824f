#include "job/spill_file.h"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <system_error>
#include <vector>

#include "io/anonymous_file.h"
#include "job/checksum64.h"
#include "job/errors.h"
#include "model/line_codec.h"

namespace cofin {

namespace {

int open_anonymous(const std::filesystem::path& dir) {
  try {
    return open_anonymous_file(dir, "cofin-spill-");
  } catch (const std::system_error& e) {
    throw IoError(std::string("the spill file: ") + e.what());
  }
}

}  // namespace

SpillFile::SpillFile(const std::filesystem::path& dir) : dir_(dir), fd_(open_anonymous(dir)) {}

SpillFile::~SpillFile() {
  // Nothing to flush: the file is thrown away, so a close error loses nothing anyone reads.
  ::close(fd_);
}

SpillExtent SpillFile::append(std::string_view bytes) {
  const std::uint64_t size = bytes.size();
  // Reserving the range first lets appends from several threads write at the same time.
  const std::uint64_t offset = end_.fetch_add(size, std::memory_order_acq_rel);
  const SpillExtent extent{offset, size, checksum64(bytes)};
  const char* data = bytes.data();
  std::uint64_t done = 0;
  while (done < size) {
    // One pwrite moves at most about 2 GiB on Linux; ask for no more than that.
    const std::size_t chunk =
        static_cast<std::size_t>(std::min<std::uint64_t>(size - done, std::uint64_t{1} << 30));
    const ssize_t n = ::pwrite(fd_, data + done, chunk, static_cast<off_t>(extent.offset + done));
    if (n < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      if (error == ENOSPC || error == EDQUOT) {
        throw IoError("the disk is full: cannot write " + std::to_string(size) +
                      " bytes to the spill file in " + dir_.string() + " (" + error_text(error) +
                      ")");
      }
      throw IoError("cannot write the spill file in " + dir_.string() + ": " + error_text(error));
    }
    if (n == 0) {
      // A regular file never accepts zero bytes of a non-empty write; never spin on it.
      throw IoError("cannot write the spill file in " + dir_.string() + ": no progress");
    }
    done += static_cast<std::uint64_t>(n);
  }
  return extent;
}

SpillBytes SpillFile::read(const SpillExtent& extent) const {
  const std::uint64_t end = size();
  if (extent.offset > end || extent.size > end - extent.offset) {
    throw CorruptSpill("spill: extent " + std::to_string(extent.offset) + "+" +
                       std::to_string(extent.size) + " lies beyond the " + std::to_string(end) +
                       " bytes appended to the spill file in " + dir_.string());
  }
  SpillBytes bytes = SpillBytes::uninitialized(static_cast<std::size_t>(extent.size));
  std::uint64_t done = 0;
  while (done < extent.size) {
    const std::size_t chunk = static_cast<std::size_t>(
        std::min<std::uint64_t>(extent.size - done, std::uint64_t{1} << 30));
    const ssize_t n =
        ::pread(fd_, bytes.data() + done, chunk, static_cast<off_t>(extent.offset + done));
    if (n < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      throw IoError("cannot read the spill file in " + dir_.string() + ": " + error_text(error));
    }
    if (n == 0) {
      throw IoError("short read of the spill file in " + dir_.string() + ": " +
                    std::to_string(done) + " of " + std::to_string(extent.size) +
                    " bytes at offset " + std::to_string(extent.offset));
    }
    done += static_cast<std::uint64_t>(n);
  }
  if (checksum64(bytes.view()) != extent.checksum) {
    throw CorruptSpill("spill: the " + std::to_string(extent.size) + " bytes at offset " +
                       std::to_string(extent.offset) + " of the spill file in " + dir_.string() +
                       " no longer match their checksum (a damaged disk or file)");
  }
  return bytes;
}

}  // namespace cofin
