#include "job/moves.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "audit/sha256.h"
#include "job/errors.h"
#include "job/files.h"

namespace cofin {
namespace fs = std::filesystem;

namespace {

// Returns true when `path` is a regular file holding bytes with SHA-256 `sha256`.
bool holds(const fs::path& path, const std::string& sha256) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(path, ec))) return false;
  return sha256_hex(read_file(path)) == sha256;
}

// Completes `move`. With `dirs`, renames and unlinks are not synced here: the directories they
// touched are added to `dirs` for the caller to sync once.
void complete(const PendingMove& move, std::set<fs::path>* dirs) {
  if (!move.note_path.empty()) {
    std::error_code ec;
    if (!fs::exists(move.note_path, ec)) write_file_durably(move.note_path, move.note);
  }
  const fs::path source = move.source;
  const fs::path destination = move.destination;
  std::error_code ec;
  fs::create_directories(destination.parent_path(), ec);
  if (ec) {
    throw IoError("cannot create " + destination.parent_path().string() + ": " + ec.message());
  }
  if (holds(destination, move.sha256)) {
    // Done before a crash. In move mode a copy of the original left in the inbox (the
    // rename was not durable, or it was re-sent meanwhile under the same name) is the same
    // document: removing it keeps every input in exactly one place.
    if (!move.copy && holds(source, move.sha256)) {
      if (::unlink(source.c_str()) != 0) {
        throw IoError("cannot remove " + source.string() + ": " + std::strerror(errno));
      }
      if (dirs != nullptr) {
        dirs->insert(source.parent_path());
      } else {
        fsync_directory(source.parent_path());
      }
    }
    return;
  }
  if (!holds(source, move.sha256)) {
    throw IoError("the document " + move.sha256 + " is neither at " + source.string() + " nor at " +
                  destination.string() + ": the original was removed or changed outside cofin");
  }
  if (move.copy) {
    write_file_durably(destination, read_file(source));
  } else if (dirs != nullptr) {
    move_file(source, destination);
    dirs->insert(destination.parent_path());
    dirs->insert(source.parent_path());
  } else {
    move_durably(source, destination);
  }
}

}  // namespace

void complete_move(const PendingMove& move) {
  complete(move, nullptr);
}

void complete_moves(const std::vector<PendingMove>& moves) {
  std::set<fs::path> dirs;
  for (const PendingMove& move : moves) complete(move, &dirs);
  for (const fs::path& dir : dirs) fsync_directory(dir);
}

}  // namespace cofin
