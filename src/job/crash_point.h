// A test hook for crash safety. Every durable step of a run (a ledger commit, an fsync, a
// rename) calls durable_step(); with COFIN_CRASH_AT=k in the environment the process kills
// itself with SIGKILL right after its k-th step, so a harness can stop a run after each step in
// turn (tests/job/crash_test.cpp, scripts/crash-campaign.sh). COFIN_CRASH_TRACE=1 prints each
// step to stderr. Without these variables the hook only counts.
#pragma once

#include <string_view>

namespace cofin {

// Records that a durable step has just completed; may not return (see above).
void durable_step(std::string_view what);

}  // namespace cofin
