// A partner report: one partner's expenditure for one reporting period. XML and CSV load into
// this same model.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/enums.h"
#include "model/source.h"
#include "money/decimal.h"
#include "money/money.h"

namespace cofin {

struct ExpenseLine {
  int line = 0;  // the partner's line number within the report
  Category category = Category::kStaff;
  std::string unit_cost;          // unit-cost id; empty = real cost
  std::optional<Quantity> units;  // unit-cost lines: number of units (2 decimals)
  std::string internal_ref;
  std::string invoice_no;
  std::optional<Date> invoice_date;
  std::optional<Date> payment_date;
  std::string supplier;
  std::string supplier_id;
  std::string procurement_ref;
  std::string description;
  std::optional<Money> invoice_total;  // in `currency`, gross
  std::optional<Money> vat;            // in `currency`
  Money declared;                      // in `currency`, gross (includes VAT where invoiced)
  std::string currency;                // "EUR", "SEK", ...
  std::string reincluded_from;         // "R{report}.{line}" of a parked line, or empty
  SourcePos pos;                       // not part of the content (see same_content)

  bool is_unit_cost() const { return !unit_cost.empty(); }
};

// Takes a report's lines one at a time, as a reader parses them, in place of the report's
// `lines` (ingest/document.h: load_document): a run spills each line as soon as it is read,
// without a vector of the report's lines (calc/line_spill.h: LineSpiller).
class LineSink {
 public:
  virtual ~LineSink() = default;
  // Takes `line`, the report's next line in reading order. `line` may change or go once the call
  // returns (a reader parses every row into the same line).
  virtual void add(const ExpenseLine& line) = 0;
};

struct PartnerReport {
  std::string project;
  int partner = 0;
  int report = 0;
  Date period_start;
  Date period_end;
  Date submitted_on;  // sets the exchange-rate month (domain §5)
  std::vector<ExpenseLine> lines;
  SourcePos pos;
};

// Sets `line` to the values of a default ExpenseLine, keeping its strings' capacity: a line
// reused for row after row then costs no allocation.
void reset_keeping_capacity(ExpenseLine& line);

// Returns `report` without its lines (its header: who, which report, which period).
PartnerReport header_of(const PartnerReport& report);

// Returns true when `a` and `b` hold the same content, ignoring where it was read from.
bool same_content(const ExpenseLine& a, const ExpenseLine& b);
bool same_content(const PartnerReport& a, const PartnerReport& b);

}  // namespace cofin
