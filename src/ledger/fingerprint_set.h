// Sets of finding fingerprints (ledger/finding_fingerprint.h), in memory: the ledger's known
// findings, so that a finding seen on an earlier night costs a lookup here instead of a query,
// and the digest that attests the set of findings one run had (runs.finding_set_sha256).
#pragma once

#include <cstddef>
#include <cstring>
#include <unordered_set>
#include <vector>

#include "audit/sha256.h"

namespace cofin {

// A set of fingerprints: a sorted block loaded once (the ledger's findings, up to hundreds of
// thousands: 32 bytes each, no node per entry) and a hash set of those added since (the night's
// new findings).
class FingerprintSet {
 public:
  FingerprintSet() = default;
  // REQUIRES: `sorted` is in ascending order without repeats.
  explicit FingerprintSet(std::vector<Digest> sorted);

  // Returns true when `fingerprint` is in the set.
  bool contains(const Digest& fingerprint) const;
  // Adds `fingerprint`; returns true when it was not in the set.
  bool insert(const Digest& fingerprint);
  // Removes `fingerprint` if insert() added it (the loaded block is never changed): undoes the
  // inserts of a rolled-back transaction.
  void erase_inserted(const Digest& fingerprint);
  std::size_t size() const { return loaded_.size() + inserted_.size(); }

 private:
  struct Hash {
    // A SHA-256 digest is uniformly distributed: its first bytes are a hash already.
    std::size_t operator()(const Digest& d) const {
      std::size_t h;
      std::memcpy(&h, d.data(), sizeof h);
      return h;
    }
  };
  std::vector<Digest> loaded_;
  std::unordered_set<Digest, Hash> inserted_;
};

// Returns SHA-256 over the distinct fingerprints of `fingerprints` (repeats count once), in
// ascending byte order, each as its 32 raw bytes; SHA-256 of no bytes for none. Sorts
// `fingerprints` and removes repeats in place. Anyone holding a run's findings can recompute it
// (sha256sum over the sorted binary fingerprints).
Digest fingerprint_set_digest(std::vector<Digest>& fingerprints);

}  // namespace cofin
