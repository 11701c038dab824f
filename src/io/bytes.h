// Bytes read from a file or a spill, in storage that is never zero-filled first: a std::string
// can only be sized by writing every byte, which costs as much as the read itself (on a run's
// inbox, and on every read of its spill: 1 % of a CSV night's instructions, issue #6).
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>

namespace cofin {

// Move-only; empty when default-constructed or moved from.
class Bytes {
 public:
  Bytes() = default;
  // Returns room for `size` bytes, whose content is unspecified until written through data().
  static Bytes uninitialized(std::size_t size) {
    Bytes bytes;
    bytes.resize_uninitialized(size);
    return bytes;
  }
  // Returns a copy of `text`.
  static Bytes copy_of(std::string_view text) {
    Bytes bytes = uninitialized(text.size());
    std::copy(text.begin(), text.end(), bytes.data());
    return bytes;
  }
  Bytes(Bytes&& other) noexcept
      : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}
  Bytes& operator=(Bytes&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  // Makes the size `size`: the first bytes (as many as both sizes have) are kept, the others
  // unspecified until written through data(). Reallocates whenever the size changes.
  void resize_uninitialized(std::size_t size) {
    std::unique_ptr<char[]> resized = std::make_unique_for_overwrite<char[]>(size);
    std::copy(data_.get(), data_.get() + std::min(size, size_), resized.get());
    data_ = std::move(resized);
    size_ = size;
  }
  // Drops the bytes from `size` on. REQUIRES: size <= size(). Keeps the storage.
  void truncate(std::size_t size) { size_ = std::min(size, size_); }

  char* data() { return data_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Returns the bytes; valid while this object lives and is neither assigned to nor resized.
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
};

}  // namespace cofin
