// A report's lines kept in the run's spill file instead of memory (calc/portfolio.h's
// SpilledLines): the run holds report headers, and a report's lines come back from the file,
// checked, when the report is validated, computed or written.
#pragma once

#include <memory>

#include "calc/portfolio.h"
#include "calc/spill.h"
#include "model/report.h"

namespace cofin {

// Moves `report`'s lines into `file` and returns where they are; `report` is left without
// lines. Their invoice marks (rules/invoice_key.h) and invoice records (calc/invoice_records.h)
// go into `file` too, beside them, so that invoice_marks() reads 8 bytes a line and
// invoice_lines() the records of the lines it keeps, neither decoding the lines. Thread-safe
// (several parse workers spill at once).
std::shared_ptr<const SpilledLines> spill_lines(const std::shared_ptr<Spill>& file,
                                                PartnerReport& report);

}  // namespace cofin
