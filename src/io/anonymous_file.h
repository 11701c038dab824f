// A scratch file that has no name: what the run's spill (job/spill_file.h) and the ledger's
// scratch file (ledger/scratch_file.h) are written to, so that neither a crash nor a kill
// leaves one behind.
#pragma once

#include <filesystem>
#include <string>

namespace cofin {

// Returns the descriptor (read-write, close-on-exec) of a new, empty file in `dir` without a
// name (O_TMPFILE). Where the file system lacks O_TMPFILE, creates `dir`/`fallback_prefix`XXXXXX
// and removes its name at once: only a crash between the two leaves it behind.
// Throws std::system_error, whose what() names the directory or file, when it cannot.
int open_anonymous_file(const std::filesystem::path& dir, const std::string& fallback_prefix);

// Returns the text of errno value `error`. Thread-safe, unlike strerror.
std::string error_text(int error);

}  // namespace cofin
