// No double funding (domain §4): an invoice is keyed by normalised supplier id + invoice number,
// and the sum declared on it over all lines, reports, partners and projects must not exceed its
// invoice total. Pure: the caller hands in every line the ledger holds.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.h"
#include "model/report.h"
#include "rules/invoice_key.h"

namespace cofin {

// Where a line lives in the portfolio.
struct LineRef {
  std::string project;
  int partner = 0;
  int report = 0;
  int line = 0;
  auto operator<=>(const LineRef&) const = default;
  // Returns "PROJECT/P{partner}/R{report}.{line}".
  std::string to_string() const;
};

struct InvoiceUse {
  LineRef ref;
  const ExpenseLine* line = nullptr;
};

// What the duplicate check found on one line (amounts in the line's currency).
struct DuplicateHit {
  Money over_total;       // part of this line above the invoice total, with the line's sign
  Money declared_so_far;  // sum declared on the invoice up to and including this line
  Money invoice_total;
  std::optional<LineRef> repeat_of;  // an earlier line with the same key and amounts
};

// Returns the hits, by line, for every line that has one. Lines are taken in LineRef order
// (project, partner, report, line number), so the result does not depend on the order of
// `uses`: the later line carries the finding. Lines with `reincluded-from` are the parked
// origin's cost again and are neither summed nor repeats; negative corrections lower the sum
// and are never repeats.
std::map<LineRef, DuplicateHit> find_duplicate_invoices(std::vector<InvoiceUse> uses);

// Calls `visit(ref, line)` for lines of the portfolio.
using LineVisitor = std::function<void(const LineRef&, const ExpenseLine&)>;

// The portfolio's lines by report, as the duplicate check reads them when it does not hold them
// all: first every report's invoice marks (8 bytes a line, which a run keeps beside its spilled
// lines), then the lines of the few reports that can take part in a hit.
class MarkedReports {
 public:
  virtual ~MarkedReports() = default;
  // Returns the number of reports.
  virtual std::size_t size() const = 0;
  // Returns the marks of report r's lines, in line order: invoice_marks(its lines).
  // REQUIRES: r < size().
  virtual std::vector<InvoiceMark> marks(std::size_t r) const = 0;
  // Calls `visit(ref, line)` for every line of every report in `wanted` whose mark `keep`
  // accepts (`keep` is asked only for marks with a key), report after report, in line order.
  // The marks are those marks(r) returns: the lines kept are known before they are read, so
  // the others need not be. `line` has at least the fields the check reads: line, supplier_id,
  // invoice_no, currency, declared, invoice_total (and no reincluded_from: those have no key).
  // REQUIRES: `wanted` ascending, each < size().
  virtual void visit_lines(const std::vector<std::size_t>& wanted,
                           const std::function<bool(InvoiceMark)>& keep,
                           const LineVisitor& visit) const = 0;
};

// Returns the same hits as find_duplicate_invoices over every line of `reports`, without
// holding them all: it reads every report's marks (twice: once to find the invoice hashes that
// occur more than once or on a line above its own total, once to find the reports holding
// one), then asks visit_lines for those reports only, and for their lines with such a hash. Equal
// hashes of different keys only keep a line more: the exact check compares keys.
std::map<LineRef, DuplicateHit> find_duplicate_invoices(const MarkedReports& reports);

// Returns the DUP-INVOICE (error, amount affected = the part over the total, in EUR at the
// line's own ratio) and DUP-INVOICE-REPEAT (warning) findings for `line`.
std::vector<Diagnostic> duplicate_findings(const DuplicateHit& hit, const ExpenseLine& line,
                                           Money eur);

}  // namespace cofin
