// File I/O at the edge: whole-file reads and durable writes (temp, fsync, rename, fsync dir).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "io/bytes.h"

namespace cofin {

// The whole content of a file (io/bytes.h: never zero-filled before the read).
using FileBytes = Bytes;

// Returns the whole content of `path`, read straight into storage sized from the file (fstat);
// a file still growing is read to its end. Throws IoError naming the file.
FileBytes read_file_bytes(const std::filesystem::path& path);

// Returns the whole content of `path`, as read_file_bytes reads it, in a string. Throws IoError
// naming the file.
std::string read_file(const std::filesystem::path& path);

// Writes `content` to `path` durably: a temp file in the same directory, fsync, rename over
// `path`, fsync of the directory. Throws IoError.
void write_file_durably(const std::filesystem::path& path, std::string_view content);

// Makes the rename of a file into `dir` durable. Throws IoError.
void fsync_directory(const std::filesystem::path& dir);

// Renames `from` to `to` (same filesystem), never replacing an existing `to`. Not durable until
// both directories are synced (fsync_directory). Throws IoError (also when `to` exists).
void move_file(const std::filesystem::path& from, const std::filesystem::path& to);

// Moves `from` to `to` (same filesystem) and syncs both directories. Throws IoError.
void move_durably(const std::filesystem::path& from, const std::filesystem::path& to);

// Returns `dir / name`, or `dir / stem-2.ext`, `-3`, ... whichever neither exists yet nor is in
// `claimed` (names already given to files not moved there yet).
std::filesystem::path unique_path(const std::filesystem::path& dir, const std::string& name,
                                  const std::set<std::filesystem::path>& claimed = {});

}  // namespace cofin

namespace cofin {

// Returns the id of the filesystem holding `path` (st_dev). Throws IoError.
std::uint64_t filesystem_id(const std::filesystem::path& path);

}  // namespace cofin
