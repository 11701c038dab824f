// A run's findings read through a source instead of a vector: at 1M lines a run has about 420k
// findings (2M at 5M), ~350 bytes each with their strings, which the workbook needs only page by
// page. A source may read them back from where the run put them (a spill file) as the Findings
// sheets reach them; a held source reads a vector (hand-built outcomes, tests, rejections).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "model/diagnostic.h"
#include "money/money.h"

namespace cofin {

// Findings in run order (a report's findings together, reports in RunOutcome::reports order).
// Thread-safe: several workbooks, and the ledger thread, may read the same source at once.
class FindingSource {
 public:
  virtual ~FindingSource() = default;

  // Returns the number of findings.
  virtual std::size_t size() const = 0;

  // Calls `visit(index, finding)` for every finding with index in [begin, end), in order. The
  // finding is valid only during the call. What `visit` throws propagates.
  // REQUIRES: begin <= end <= size().
  virtual void visit(std::size_t begin, std::size_t end,
                     const std::function<void(std::size_t, const Diagnostic&)>& visit) const = 0;

  // Returns the sum of `amount` over the findings [begin, end) (absent amounts count 0). A
  // source may answer from figures it kept instead of reading the findings: the first Findings
  // page's total sums every finding of the run.
  // REQUIRES: begin <= end <= size().
  virtual Money amount(std::size_t begin, std::size_t end) const = 0;
};

// The findings with index in [begin, end) of a source.
struct FindingRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const FindingRange&) const = default;
};

// Returns a source over `findings`, which must outlive it.
std::shared_ptr<const FindingSource> held_findings(const std::vector<Diagnostic>& findings);

// Returns a view of the findings of `source` in `ranges`, one range after the other, indexed
// from 0. A project's findings are a few ranges of the run's (its reports' findings are
// consecutive, its reports too), so the view costs a few words however many findings it shows
// (an index list would be 8 bytes a finding), and `amount` and `visit` pass whole ranges on to
// `source`, which reads each range in one piece.
// REQUIRES: begin <= end <= source->size() for every range.
std::shared_ptr<const FindingSource> finding_ranges(std::shared_ptr<const FindingSource> source,
                                                    const std::vector<FindingRange>& ranges);

// Returns the findings of `first`, then those of `second`, indexed from 0.
std::shared_ptr<const FindingSource> joined_findings(std::shared_ptr<const FindingSource> first,
                                                     std::shared_ptr<const FindingSource> second);

}  // namespace cofin
