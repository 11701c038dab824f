// The job's exclusive lock: one run at a time, and a second run never waits.
#pragma once

#include <filesystem>

namespace cofin {

class JobLock {
 public:
  // Takes the lock file `path` (flock, non-blocking) and writes the holder's pid into it.
  // Throws LockHeld naming the holder when another process has it, IoError otherwise.
  explicit JobLock(const std::filesystem::path& path);
  ~JobLock();
  JobLock(const JobLock&) = delete;
  JobLock& operator=(const JobLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace cofin
