// A report's lines kept in the run's spill file instead of memory (calc/portfolio.h's
// SpilledLines): the run holds report headers, and a report's lines come back from the file,
// checked, when the report is validated, computed or written.
#pragma once

#include <memory>
#include <string>

#include "calc/portfolio.h"
#include "calc/spill.h"
#include "model/line_codec.h"
#include "model/report.h"

namespace cofin {

// Takes a report's lines one at a time (as load_document parses them) and puts them into the
// run's spill file at finish(): their encoding (model/line_codec.h), invoice marks
// (rules/invoice_key.h) and invoice records (calc/invoice_records.h) are made line by line, so
// that no vector of the report's lines is ever built. One per document being parsed.
class LineSpiller final : public LineSink {
 public:
  LineSpiller();
  ~LineSpiller() override;

  void add(const ExpenseLine& line) override;
  // Returns the number of lines added since the last finish().
  std::size_t count() const { return count_; }
  // Appends the lines added since the last finish() to `file` and returns where they are, as
  // spill_lines does; the spiller starts over empty. Thread-safe as Spill::append is.
  std::shared_ptr<const SpilledLines> finish(const std::shared_ptr<Spill>& file);

 private:
  LineEncoder lines_;
  std::string marks_;    // 8 bytes a line, little-endian
  std::string records_;  // invoice records of the lines with an invoice key
  std::string key_scratch_;
  std::size_t count_ = 0;
};

// Moves `report`'s lines into `file` and returns where they are; `report` is left without
// lines. A LineSpiller given the lines one by one. Their invoice marks (rules/invoice_key.h) and
// invoice records (calc/invoice_records.h) go into `file` too, beside them, so that invoice_marks()
// reads 8 bytes a line and invoice_lines() the records of the lines it keeps, neither decoding the
// lines. Thread-safe (several parse workers spill at once).
std::shared_ptr<const SpilledLines> spill_lines(const std::shared_ptr<Spill>& file,
                                                PartnerReport& report);

}  // namespace cofin
