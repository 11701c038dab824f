// Finding fingerprints (ledger/finding_fingerprint.h) in memory: the ledger's known findings,
// so that a finding seen on an earlier night costs a lookup here instead of a statement, and
// the findings one run had, with the digest that attests them (runs.finding_set_sha256).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "audit/sha256.h"

namespace cofin {

// The ledger's findings' fingerprints as read once at the start of a night (up to hundreds
// of thousands: 32 bytes each in one sorted block, no node per entry). What a run writes
// after that is found by the table's unique index, not kept here.
class FingerprintSet {
 public:
  FingerprintSet() = default;
  // REQUIRES: `sorted` is in ascending order without repeats.
  explicit FingerprintSet(std::vector<Digest> sorted);

  // Returns the position of `fingerprint` in the block, or nullopt.
  std::optional<std::size_t> loaded_index(const Digest& fingerprint) const;
  std::size_t size() const { return loaded_.size(); }
  // The block, ascending.
  const std::vector<Digest>& loaded() const { return loaded_; }

 private:
  std::vector<Digest> loaded_;
};

// The fingerprints one run had, relative to a FingerprintSet's loaded block: one mark per
// loaded fingerprint (a byte each, already in order) and a list of the others (the run's new
// findings). Its digest then needs no sort of the whole portfolio's findings, only of the new.
class RunFingerprints {
 public:
  // A point to roll back to (a transaction's begin).
  struct Mark {
    std::size_t marked = 0;
    std::size_t others = 0;
  };

  // Notes the loaded fingerprint at `index`. REQUIRES: index < loaded_size, the same
  // loaded_size on every call.
  void add_loaded(std::size_t index, std::size_t loaded_size);
  // Notes a fingerprint that is not in the loaded block.
  void add_other(const Digest& fingerprint) { others_.push_back(fingerprint); }

  Mark mark() const { return {marked_order_.size(), others_.size()}; }
  // Forgets everything noted since `mark` was taken.
  void roll_back_to(const Mark& mark);

  // Returns the number of distinct fingerprints noted and fingerprint_set_digest() of them.
  // REQUIRES: `loaded` is the block the indices refer to.
  std::pair<std::int64_t, Digest> digest(const std::vector<Digest>& loaded) const;

 private:
  std::vector<unsigned char> marks_;         // per loaded fingerprint: 1 once noted
  std::vector<std::uint32_t> marked_order_;  // indices in the order first noted (for roll back)
  // Repeats included. A deque: a first night at 5M lines notes 2M (64 MB), which a vector
  // growing by doubling would have held up to twice.
  std::deque<Digest> others_;
};

// Returns SHA-256 over the distinct fingerprints of `fingerprints` (repeats count once), in
// ascending byte order, each as its 32 raw bytes; SHA-256 of no bytes for none. Sorts
// `fingerprints` and removes repeats in place. Anyone holding a run's findings can recompute it
// (sha256sum over the sorted binary fingerprints).
Digest fingerprint_set_digest(std::vector<Digest>& fingerprints);

}  // namespace cofin
