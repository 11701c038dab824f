// Failures that end a command, each mapped once in main to the spec's exit code.
#pragma once

#include <stdexcept>

namespace cofin {

// The spec's exit codes, for every command.
enum ExitCode : int {
  kExitOk = 0,           // done, nothing rejected
  kExitRejected = 1,     // done, some input rejected
  kExitUsage = 2,        // usage or configuration error
  kExitFatal = 3,        // I/O or database failure; nothing half-written, rerun is safe
  kExitAuditBroken = 4,  // audit verify found the trail broken
  kExitLocked = 75,      // another run holds the job's lock
};

// The job or its configuration documents are unusable (exit 2).
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Another run holds the job's lock (exit 75).
class LockHeld : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An I/O failure of the environment (exit 3).
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cofin
