#include "ledger/fingerprint_set.h"

#include <algorithm>
#include <string_view>

namespace cofin {

Digest fingerprint_set_digest(std::vector<Digest>& fingerprints) {
  std::sort(fingerprints.begin(), fingerprints.end());
  fingerprints.erase(std::unique(fingerprints.begin(), fingerprints.end()), fingerprints.end());
  // Digest is std::array<unsigned char, 32>: a vector of them is contiguous bytes.
  static_assert(sizeof(Digest) == 32);
  return sha256(std::string_view(reinterpret_cast<const char*>(fingerprints.data()),
                                 fingerprints.size() * sizeof(Digest)));
}

}  // namespace cofin
