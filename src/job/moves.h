// The moves a committed decision calls for (spec "Crash recovery"): done right after the
// commit, and again at the start of the next run if a crash came in between. Idempotent.
#pragma once

#include "ledger/ledger.h"

namespace cofin {

// Completes `move`: writes its note (NAME.reason.txt) durably, then moves the original to its
// destination (or, for a copy, writes the copy durably). A move already done is left as it is;
// an original found at both places is removed from the source once the destination holds the
// same bytes. Throws IoError when neither place holds the document's bytes.
void complete_move(const PendingMove& move);

}  // namespace cofin
