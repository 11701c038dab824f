// A run's computed findings kept in its spill, report by report, and read back a report at a
// time when a Findings page or the ledger asks for them.
#pragma once

#include <memory>
#include <vector>

#include "calc/finding_source.h"
#include "calc/spill.h"
#include "model/diagnostic.h"

namespace cofin {

// Collects the findings of reports computed in any order and on any thread, in report order.
class FindingSpill {
 public:
  // REQUIRES: `reports` is the number of reports; put() is called once for each.
  FindingSpill(std::shared_ptr<Spill> spill, std::size_t reports);

  // Puts report `k`'s findings into the spill. Thread-safe for different `k`.
  void put(std::size_t k, const std::vector<Diagnostic>& findings);

  // Returns the findings of every report, in report order. REQUIRES: every put() is done.
  std::shared_ptr<const FindingSource> source() const;

 private:
  struct Report {
    SpillExtent extent;
    std::size_t count = 0;
    Money amount;
  };
  std::shared_ptr<Spill> spill_;
  std::vector<Report> reports_;
};

}  // namespace cofin
