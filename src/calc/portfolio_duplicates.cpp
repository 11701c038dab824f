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

  std::vector<InvoiceMark> marks(std::size_t r) const override {
    const AcceptedReport& stored = reports_[r]->second;
    return stored.spilled ? stored.spilled->invoice_marks() : invoice_marks(stored.report->lines);
  }

  // Spilled reports give the invoice records of the lines kept, not their lines: cheap enough to
  // read one after the other on this thread.
  void visit_lines(const std::vector<std::size_t>& wanted,
                   const std::function<bool(InvoiceMark)>& keep,
                   const LineVisitor& visit) const override {
    for (const std::size_t r : wanted) {
      const auto& [key, stored] = *reports_.at(r);
      const auto& [project, partner, report] = key;
      if (stored.spilled) {
        for (const ExpenseLine& line : stored.spilled->invoice_lines(keep)) {
          visit(LineRef{project, partner, report, line.line}, line);
        }
        continue;
      }
      const std::vector<ExpenseLine>& lines = stored.report->lines;
      const std::vector<InvoiceMark> line_marks = invoice_marks(lines);
      for (std::size_t k = 0; k < lines.size(); ++k) {
        if (line_marks[k].has_key() && keep(line_marks[k])) {
          visit(LineRef{project, partner, report, lines[k].line}, lines[k]);
        }
      }
    }
  }

 private:
  std::vector<const std::pair<const ReportKey, AcceptedReport>*> reports_;
};

}  // namespace

std::map<LineRef, DuplicateHit> find_portfolio_duplicates(const Portfolio& portfolio) {
  return find_duplicate_invoices(PortfolioReports(portfolio));
}

}  // namespace cofin
