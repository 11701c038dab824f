#include "job/files.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "job/crash_point.h"
#include "job/errors.h"

namespace cofin {
namespace fs = std::filesystem;

namespace {
std::string errno_text() {
  return std::strerror(errno);
}
}  // namespace

namespace {

// Reads the whole file `path` into a buffer of `Buffer` (FileBytes' storage or a std::string):
// `grow(n)` makes room for at least n bytes and returns the buffer's data; the bytes read so far
// stay. Returns the number of bytes read. Sized from fstat plus one byte, so that a file that
// keeps its size is read by one read() and its end seen by a second that returns 0; a file
// still growing is read to its end.
template <typename Grow>
std::size_t read_whole_file(const fs::path& path, Grow&& grow) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot open " + path.string() + ": " + errno_text());
  // Closed on every way out, also when growing the buffer throws.
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  const bool sized = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0;
  std::size_t room = (sized ? static_cast<std::size_t>(st.st_size) : 0) + 1;
  char* data = grow(room);
  std::size_t used = 0;
  for (;;) {
    if (used == room) {
      room = std::max<std::size_t>(2 * room, 65536);
      data = grow(room);
    }
    const ssize_t n = ::read(fd, data + used, room - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError("cannot read " + path.string() + ": " + errno_text());
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  return used;
}

}  // namespace

FileBytes read_file_bytes(const fs::path& path) {
  FileBytes bytes;
  const std::size_t used = read_whole_file(path, [&](std::size_t room) {
    // Uninitialised storage: read() writes every byte kept; what was read so far is kept.
    bytes.resize_uninitialized(room);
    return bytes.data();
  });
  bytes.truncate(used);
  return bytes;
}

std::string read_file(const fs::path& path) {
  std::string bytes;
  bytes.resize(read_whole_file(path, [&](std::size_t room) {
    bytes.resize(room);
    return bytes.data();
  }));
  return bytes;
}

void fsync_directory(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) throw IoError("cannot open directory " + dir.string() + ": " + errno_text());
  const int rc = ::fsync(fd);
  ::close(fd);
  // A failed fsync is never retried: the kernel may have dropped the dirty pages already
  // (PostgreSQL's "fsyncgate"); the run stops and the next one starts from the ledger.
  if (rc != 0) throw IoError("cannot sync directory " + dir.string() + ": " + errno_text());
  durable_step("fsync directory " + dir.string());
}

void write_file_durably(const fs::path& path, std::string_view content) {
  // The temp name is hidden and ends in .part, so an inbox scan never takes it.
  const fs::path temp = path.parent_path() / ("." + path.filename().string() + ".part");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError("cannot create " + temp.string() + ": " + errno_text());
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = errno_text();
      ::close(fd);
      ::unlink(temp.c_str());
      throw IoError("cannot write " + temp.string() + ": " + why);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temp.c_str());
    throw IoError("cannot sync " + temp.string() + ": " + errno_text());
  }
  durable_step("fsync " + temp.string());
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    throw IoError("cannot rename " + temp.string() + " to " + path.string() + ": " + errno_text());
  }
  durable_step("rename " + path.string());
  fsync_directory(path.parent_path());
}

void move_file(const fs::path& from, const fs::path& to) {
  // Never onto an existing file: a name clash must stop the run, not replace a kept original.
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno != EINVAL && errno != ENOSYS) {
      throw IoError("cannot move " + from.string() + " to " + to.string() + ": " + errno_text());
    }
    // A filesystem without RENAME_NOREPLACE: link() refuses an existing name too. A crash
    // between link and unlink leaves the file at both places, which complete_move() resolves.
    if (::link(from.c_str(), to.c_str()) != 0 || ::unlink(from.c_str()) != 0) {
      throw IoError("cannot move " + from.string() + " to " + to.string() + ": " + errno_text());
    }
  }
  durable_step("rename " + to.string());
}

void move_durably(const fs::path& from, const fs::path& to) {
  move_file(from, to);
  fsync_directory(to.parent_path());
  if (from.parent_path() != to.parent_path()) fsync_directory(from.parent_path());
}

fs::path unique_path(const fs::path& dir, const std::string& name,
                     const std::set<fs::path>& claimed) {
  fs::path candidate = dir / name;
  const fs::path as_path(name);
  for (int n = 2; fs::exists(candidate) || claimed.count(candidate) != 0; ++n) {
    candidate =
        dir / (as_path.stem().string() + "-" + std::to_string(n) + as_path.extension().string());
  }
  return candidate;
}

}  // namespace cofin

namespace cofin {

std::uint64_t filesystem_id(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw IoError("cannot stat " + path.string() + ": " + errno_text());
  }
  return static_cast<std::uint64_t>(st.st_dev);
}

}  // namespace cofin
