#include "calc/portfolio_duplicates.h"

#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace cofin {
namespace {

// The portfolio's reports in key order, as the duplicate check reads them.
class PortfolioReports final : public MarkedReports {
 public:
  explicit PortfolioReports(const Portfolio& portfolio) {
    reports_.reserve(portfolio.reports.size());
    for (const auto& entry : portfolio.reports) reports_.push_back(&entry);
  }

  std::size_t size() const override { return reports_.size(); }

  std::size_t line_count(std::size_t r) const override { return reports_[r]->second.line_count(); }

  std::vector<InvoiceMark> marks(std::size_t r) const override {
    const AcceptedReport& stored = reports_[r]->second;
    return stored.spilled ? stored.spilled->invoice_marks() : invoice_marks(stored.report->lines);
  }

  // Spilled reports give the invoice records of the lines kept, not their lines. Reports are
  // read on several threads at once: the spill's reads are thread-safe, and a held report is
  // only read.
  void visit_lines(std::size_t r, const SuspectInvoices& keep,
                   const LineVisitor& visit) const override {
    const auto& [key, stored] = *reports_.at(r);
    const auto& [project, partner, report] = key;
    if (stored.spilled) {
      // SpilledLines::invoice_lines asks a std::function; the set itself is asked directly below.
      const std::function<bool(InvoiceMark)> kept = [&keep](InvoiceMark m) {
        return keep.contains(m);
      };
      for (const ExpenseLine& line : stored.spilled->invoice_lines(kept)) {
        visit(LineRef{project, partner, report, line.line}, line);
      }
      return;
    }
    const std::vector<ExpenseLine>& lines = stored.report->lines;
    const std::vector<InvoiceMark> line_marks = invoice_marks(lines);
    for (std::size_t k = 0; k < lines.size(); ++k) {
      if (keep.contains(line_marks[k])) {
        visit(LineRef{project, partner, report, lines[k].line}, lines[k]);
      }
    }
  }

 private:
  std::vector<const std::pair<const ReportKey, AcceptedReport>*> reports_;
};

}  // namespace

std::map<LineRef, DuplicateHit> find_portfolio_duplicates(const Portfolio& portfolio,
                                                          unsigned threads) {
  return find_duplicate_invoices(PortfolioReports(portfolio), threads);
}

}  // namespace cofin
