// A sequence held as the pieces it was computed in, one vector per report, read as one
// sequence in piece order. A run's budget rows, deductions and payments are computed per report
// on several threads; gathering them into one vector would hold all of them twice for a moment
// (at 5M lines, 22 MB on top of the computation's peak).
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <vector>

namespace cofin {

template <typename T>
class Pieces {
 public:
  using value_type = T;

  // Reads the elements in order: every element of the first piece, then of the next.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    const_iterator() = default;
    reference operator*() const { return (*pieces_)[piece_][index_]; }
    pointer operator->() const { return &**this; }
    const_iterator& operator++() {
      if (++index_ == (*pieces_)[piece_].size()) {
        ++piece_;
        index_ = 0;
      }
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const const_iterator& other) const {
      return piece_ == other.piece_ && index_ == other.index_;
    }

   private:
    friend class Pieces;
    const_iterator(const std::vector<std::vector<T>>* pieces, std::size_t piece)
        : pieces_(pieces), piece_(piece) {}
    const std::vector<std::vector<T>>* pieces_ = nullptr;
    std::size_t piece_ = 0;  // REQUIRES: no piece is empty, so (piece, 0) is a valid position
    std::size_t index_ = 0;
  };

  Pieces() = default;
  // A sequence of `elements` (one piece).
  Pieces(std::initializer_list<T> elements) { append(std::vector<T>(elements)); }

  // Appends `piece`'s elements, keeping the vector itself (no element is copied or moved);
  // its spare capacity is given back first. An empty piece adds nothing.
  void append(std::vector<T>&& piece) {
    if (piece.empty()) return;
    if (piece.capacity() > piece.size()) piece.shrink_to_fit();
    size_ += piece.size();
    pieces_.push_back(std::move(piece));
    ends_.push_back(size_);
  }

  // Appends one element (to the last piece).
  void push_back(T element) {
    if (pieces_.empty()) {
      pieces_.emplace_back();
      ends_.push_back(0);
    }
    pieces_.back().push_back(std::move(element));
    ends_.back() = ++size_;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Returns element `i` of the sequence. REQUIRES: i < size().
  const T& operator[](std::size_t i) const {
    const auto end = std::upper_bound(ends_.begin(), ends_.end(), i);
    const auto piece = static_cast<std::size_t>(end - ends_.begin());
    const std::size_t first = piece == 0 ? 0 : ends_[piece - 1];
    return pieces_[piece][i - first];
  }

  // Returns element `i`; throws std::out_of_range when i >= size().
  const T& at(std::size_t i) const {
    if (i >= size_) throw std::out_of_range("Pieces::at: index past the end");
    return (*this)[i];
  }

  const_iterator begin() const { return const_iterator(&pieces_, 0); }
  const_iterator end() const { return const_iterator(&pieces_, pieces_.size()); }

 private:
  std::vector<std::vector<T>> pieces_;  // none empty
  std::vector<std::size_t> ends_;       // ends_[k]: elements in pieces 0..k
  std::size_t size_ = 0;
};

}  // namespace cofin
