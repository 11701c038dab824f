// A control result's line decisions kept in the run's spill file instead of memory
// (calc/portfolio.h's SpilledDecisions): the run holds the result's header, and its decisions
// come back from the file, checked, when the report it controls is computed.
#pragma once

#include <memory>

#include "calc/portfolio.h"
#include "calc/spill.h"
#include "model/control.h"

namespace cofin {

// Moves `control`'s decisions into `file` and returns where they are; `control` is left without
// decisions. Thread-safe (as Spill::append is).
std::shared_ptr<const SpilledDecisions> spill_decisions(const std::shared_ptr<Spill>& file,
                                                        ControlResult& control);

}  // namespace cofin
