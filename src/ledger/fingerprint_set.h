// The digest that attests a set of finding fingerprints (ledger/finding_fingerprint.h):
// runs.finding_set_sha256. A run's own fingerprints are gathered by run_fingerprints.h.
#pragma once

#include <vector>

#include "audit/sha256.h"

namespace cofin {

// Returns SHA-256 over the distinct fingerprints of `fingerprints` (repeats count once), in
// ascending byte order, each as its 32 raw bytes; SHA-256 of no bytes for none. Sorts
// `fingerprints` and removes repeats in place. Anyone holding a run's findings can recompute it
// (sha256sum over the sorted binary fingerprints).
Digest fingerprint_set_digest(std::vector<Digest>& fingerprints);

}  // namespace cofin
