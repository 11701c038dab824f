#include "job/files.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "job/crash_point.h"
#include "job/errors.h"

namespace cofin {
namespace fs = std::filesystem;

namespace {
std::string errno_text() {
  return std::strerror(errno);
}
}  // namespace

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open " + path.string() + ": " + errno_text());
  // Read straight into the string, sized from the file; a file still growing is read to its end.
  std::string bytes;
  std::error_code ec;
  const std::uintmax_t expected = std::filesystem::file_size(path, ec);
  bytes.resize(ec ? 0 : static_cast<std::size_t>(expected));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw IoError("cannot read " + path.string());
  if (!in.eof()) {
    std::array<char, 65536> more{};
    in.clear();
    while (in.read(more.data(), more.size()) || in.gcount() > 0) {
      bytes.append(more.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) throw IoError("cannot read " + path.string());
  }
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
