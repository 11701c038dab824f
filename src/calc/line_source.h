// A run's expenditure lines produced on demand instead of held: a LineOutcome is about 1 KB with
// its strings, so a 1M-line run holding them all until the workbook is written needs a gigabyte
// for them alone. The portfolio computation keeps its inputs and re-computes a partner's lines
// when a sheet reaches them (compute_portfolio_streamed in calc/portfolio.h).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "money/money.h"

namespace cofin {

struct LineOutcome;

// The sums the Lines sheet totals, over a range of lines.
struct LineAmounts {
  Money eur;
  Money ineligible;
  Money deducted;
  Money parked;
  Money certified;

  // Adds `line`'s amounts.
  void add(const LineOutcome& line);
  void add(const LineAmounts& other);
  bool operator==(const LineAmounts&) const = default;
};

// Lines in run order (grouped by report, reports in RunOutcome::reports order). Thread-safe:
// several workbooks may read the same source at once.
class LineSource {
 public:
  virtual ~LineSource() = default;

  // Returns the number of lines.
  virtual std::size_t size() const = 0;

  // Calls `visit(index, line)` for every line with index in [begin, end), in order. The line
  // is valid only during the call.
  // REQUIRES: begin <= end <= size().
  virtual void visit(std::size_t begin, std::size_t end,
                     const std::function<void(std::size_t, const LineOutcome&)>& visit) const = 0;

  // Returns the sums over the lines [begin, end).
  // REQUIRES: begin <= end <= size().
  virtual LineAmounts amounts(std::size_t begin, std::size_t end) const = 0;

  // Returns the index of the line numbered `line_no` within the lines [begin, end) (one
  // report's lines), or nullopt.
  virtual std::optional<std::size_t> find(std::size_t begin, std::size_t end,
                                          int line_no) const = 0;
};

// Returns a source over `lines`, which must outlive it (hand-built outcomes, tests).
std::shared_ptr<const LineSource> held_lines(const std::vector<LineOutcome>& lines);

// Returns a view of the lines [offset, offset + count) of `source`, indexed from 0.
// REQUIRES: offset + count <= source->size().
std::shared_ptr<const LineSource> line_range(std::shared_ptr<const LineSource> source,
                                             std::size_t offset, std::size_t count);

}  // namespace cofin
