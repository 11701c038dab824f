// The moves a committed decision calls for (spec "Crash recovery"): done right after the
// commit, and again at the start of the next run if a crash came in between. Idempotent.
#pragma once

#include <vector>

#include "ledger/ledger.h"

namespace cofin {

// Completes `move`: writes its note (NAME.reason.txt) durably, then moves the original to its
// destination (or, for a copy, writes the copy durably). A move already done is left as it is;
// an original found at both places is removed from the source once the destination holds the
// same bytes. Throws IoError when neither place holds the document's bytes.
void complete_move(const PendingMove& move);

// Completes every move of `moves` as complete_move() does, in order, but syncs each directory
// they touched once, after the last rename, instead of after every rename: a group's moves cost
// one fsync per directory. Until then a rename may be lost by a power failure; the moves stay
// pending in the ledger until the run's end, so the next start completes them again.
void complete_moves(const std::vector<PendingMove>& moves);

}  // namespace cofin
