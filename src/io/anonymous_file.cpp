#include "io/anonymous_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace cofin {

std::string error_text(int error) {
  return std::error_code(error, std::generic_category()).message();
}

int open_anonymous_file(const std::filesystem::path& dir, const std::string& fallback_prefix) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  const int error = errno;
  // Older kernels and some file systems (e.g. some network ones) lack O_TMPFILE.
  if (error != EOPNOTSUPP && error != EISDIR && error != EINVAL) {
    throw std::system_error(error, std::generic_category(),
                            "cannot create a file in " + dir.string());
  }
  const std::string name = (dir / (fallback_prefix + "XXXXXX")).string();
  std::vector<char> path(name.begin(), name.end());
  path.push_back('\0');
  fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(),
                            "cannot create a file in " + dir.string());
  }
  if (::unlink(path.data()) != 0) {
    const int unlink_error = errno;
    ::close(fd);
    throw std::system_error(unlink_error, std::generic_category(),
                            "cannot unlink " + std::string(path.data()));
  }
  return fd;
}

}  // namespace cofin
