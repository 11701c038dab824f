// No double funding (domain §4): an invoice is keyed by normalised supplier id + invoice number,
// and the sum declared on it over all lines, reports, partners and projects must not exceed its
// invoice total. Pure: the caller hands in every line the ledger holds.
#pragma once

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
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

// The invoice hashes (InvoiceMark::key_hash) the duplicate check suspects: those on more than
// one line, or on a line above its own total. A sorted set with an index on the hashes' top
// bits, so that asking for a mark (every keyed line of a wanted report is asked) costs a probe
// or two instead of a binary search over all of them. 8 bytes a hash, and at most 2 more for
// the index.
class SuspectInvoices {
 public:
  // An empty set.
  SuspectInvoices() : SuspectInvoices(std::vector<std::uint64_t>()) {}
  // Returns the set of `hashes`. REQUIRES: `hashes` ascending, without repeats and without 0.
  explicit SuspectInvoices(std::vector<std::uint64_t> hashes);

  // Returns whether the set is empty.
  bool empty() const { return hashes_.empty(); }
  // Returns whether `mark` has a key and its hash is in the set.
  bool contains(InvoiceMark mark) const {
    if (!mark.has_key() || hashes_.empty()) return false;
    const std::uint64_t hash = mark.key_hash();
    const std::size_t bucket = static_cast<std::size_t>(hash >> shift_);
    const auto first = hashes_.begin() + start_[bucket];
    const auto last = hashes_.begin() + start_[bucket + 1];
    return std::binary_search(first, last, hash);
  }

 private:
  std::vector<std::uint64_t> hashes_;
  // start_[b] is the first position in hashes_ of a hash whose top bits (hash >> shift_) are b
  // or more; one slot more than buckets.
  std::vector<std::uint32_t> start_;
  unsigned shift_ = 63;
};

// The portfolio's lines by report, as the duplicate check reads them when it does not hold them
// all: first every report's invoice marks (8 bytes a line, which a run keeps beside its spilled
// lines), then the lines of the few reports that can take part in a hit.
// Thread safety: find_duplicate_invoices(reports, threads) calls line_count, marks and
// visit_lines from up to `threads` threads at once, for different reports; an implementation
// must allow that (const methods without shared mutable state, or with a lock).
class MarkedReports {
 public:
  virtual ~MarkedReports() = default;
  // Returns the number of reports.
  virtual std::size_t size() const = 0;
  // Returns the number of report r's lines, without reading them (the check sizes its table of
  // hashes with it). REQUIRES: r < size().
  virtual std::size_t line_count(std::size_t r) const = 0;
  // Returns the marks of report r's lines, in line order: invoice_marks(its lines), line_count(r)
  // of them. REQUIRES: r < size().
  virtual std::vector<InvoiceMark> marks(std::size_t r) const = 0;
  // Calls `visit(ref, line)` for every line of report r whose mark `keep` contains, in line
  // order. The marks are those marks(r) returns: the lines kept are known before they are read,
  // so the others need not be. `line` has at least the fields the check reads: line,
  // supplier_id, invoice_no, currency, declared, invoice_total (and no reincluded_from: those
  // have no key). REQUIRES: r < size().
  virtual void visit_lines(std::size_t r, const SuspectInvoices& keep,
                           const LineVisitor& visit) const = 0;
};

// Returns the same hits as find_duplicate_invoices over every line of `reports`, without
// holding them all, on up to `threads` threads (0: one per core; the result is the same for any
// number). It reads every report's marks once into a table of hashes (8 bytes a line of the
// portfolio: 40 MB at 5M lines, given back before any line is read) and sorts it, in one run per
// thread, to find the hashes that occur more than once or on a line above its own total (each
// thread merges the runs over its own range of hash values). Then it reads each report's marks
// again and, for the reports holding such a hash, asks visit_lines for their lines with one:
// each report's lines become facts in a buffer of its own (80 bytes a line kept, and its
// invoice key), and the buffers are joined in report order. Equal hashes of different keys only
// keep a line more: the exact check compares keys.
// Throws what `reports` throws; when several reports fail, what the lowest of them threw
// (job/parallel.h's parallel_for), so the error does not depend on thread timing.
std::map<LineRef, DuplicateHit> find_duplicate_invoices(const MarkedReports& reports,
                                                        unsigned threads = 1);

// Returns the DUP-INVOICE (error, amount affected = the part over the total, in EUR at the
// line's own ratio) and DUP-INVOICE-REPEAT (warning) findings for `line`.
std::vector<Diagnostic> duplicate_findings(const DuplicateHit& hit, const ExpenseLine& line,
                                           Money eur);

}  // namespace cofin
