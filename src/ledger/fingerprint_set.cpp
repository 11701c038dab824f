#include "ledger/fingerprint_set.h"

#include <algorithm>
#include <string_view>

namespace cofin {

FingerprintSet::FingerprintSet(std::vector<Digest> sorted) : loaded_(std::move(sorted)) {}

bool FingerprintSet::contains(const Digest& fingerprint) const {
  return std::binary_search(loaded_.begin(), loaded_.end(), fingerprint) ||
         inserted_.count(fingerprint) > 0;
}

bool FingerprintSet::insert(const Digest& fingerprint) {
  if (std::binary_search(loaded_.begin(), loaded_.end(), fingerprint)) return false;
  return inserted_.insert(fingerprint).second;
}

void FingerprintSet::erase_inserted(const Digest& fingerprint) {
  inserted_.erase(fingerprint);
}

Digest fingerprint_set_digest(std::vector<Digest>& fingerprints) {
  std::sort(fingerprints.begin(), fingerprints.end());
  fingerprints.erase(std::unique(fingerprints.begin(), fingerprints.end()), fingerprints.end());
  // Digest is std::array<unsigned char, 32>: a vector of them is contiguous bytes.
  static_assert(sizeof(Digest) == 32);
  return sha256(std::string_view(reinterpret_cast<const char*>(fingerprints.data()),
                                 fingerprints.size() * sizeof(Digest)));
}

}  // namespace cofin
