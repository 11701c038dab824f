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

namespace cofin {

// The whole content of a file, in storage that is never zero-filled first: a std::string can
// only be sized by writing every byte, which costs as much as the read itself on a run's inbox.
// Move-only; empty when default-constructed.
class FileBytes {
 public:
  FileBytes() = default;
  // A moved-from FileBytes is empty (size 0), not a size without its bytes.
  FileBytes(FileBytes&& other) noexcept
      : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}
  FileBytes& operator=(FileBytes&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  // Returns the bytes; valid while this object lives and is not assigned to.
  std::string_view view() const { return {data_.get(), size_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  friend FileBytes read_file_bytes(const std::filesystem::path& path);
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
};

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
