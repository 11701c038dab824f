#include "calc/portfolio_duplicates.h"

#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
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

  // Spilled reports are read back in batches of a few thousand lines, with their marks, the next
  // batch on a second thread while this one is visited: reading back is most of the second
  // pass's time.
  void visit_lines(const std::vector<std::size_t>& wanted,
                   const std::function<bool(InvoiceMark)>& keep,
                   const LineVisitor& visit) const override {
    struct Read {
      std::shared_ptr<const PartnerReport> report;
      std::vector<InvoiceMark> marks;
    };
    using Batch = std::vector<Read>;
    constexpr std::size_t kBatchLines = 8192;
    std::vector<std::vector<std::size_t>> batches(1);
    std::size_t lines = 0;
    for (const std::size_t r : wanted) {
      if (lines >= kBatchLines) {
        batches.emplace_back();
        lines = 0;
      }
      batches.back().push_back(r);
      lines += reports_.at(r)->second.line_count();
    }
    auto read = [this, &batches](std::size_t b) {
      Batch out;
      for (const std::size_t r : batches[b]) {
        const AcceptedReport& stored = reports_[r]->second;
        out.push_back({stored.with_lines(), marks(r)});
      }
      return out;
    };
    std::future<Batch> next = std::async(std::launch::async, read, 0);
    for (std::size_t b = 0; b < batches.size(); ++b) {
      const Batch reports = next.get();
      if (b + 1 < batches.size()) next = std::async(std::launch::async, read, b + 1);
      for (std::size_t k = 0; k < reports.size(); ++k) {
        const auto& [project, partner, report] = reports_[batches[b][k]]->first;
        const std::vector<ExpenseLine>& report_lines = reports[k].report->lines;
        const std::vector<InvoiceMark>& report_marks = reports[k].marks;
        if (report_marks.size() != report_lines.size()) {
          throw std::logic_error("invoice marks of " + project + " partner " +
                                 std::to_string(partner) + " report " + std::to_string(report) +
                                 " do not match its lines");
        }
        for (std::size_t l = 0; l < report_lines.size(); ++l) {
          if (keep(report_marks[l])) {
            visit(LineRef{project, partner, report, report_lines[l].line}, report_lines[l]);
          }
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
