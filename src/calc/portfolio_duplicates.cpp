#include "calc/portfolio_duplicates.h"

#include <future>
#include <memory>
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

  // Spilled reports are read back in batches of a few thousand lines, the next batch on a
  // second thread while this one is visited: reading back is most of the second pass's time.
  void visit_lines(const std::vector<std::size_t>& wanted,
                   const LineVisitor& visit) const override {
    using Batch = std::vector<std::shared_ptr<const PartnerReport>>;
    constexpr std::size_t kBatchLines = 8192;
    std::vector<std::vector<Entry>> batches(1);
    std::size_t lines = 0;
    for (const std::size_t r : wanted) {
      if (lines >= kBatchLines) {
        batches.emplace_back();
        lines = 0;
      }
      batches.back().push_back(reports_.at(r));
      lines += reports_[r]->second.line_count();
    }
    auto read = [&batches](std::size_t b) {
      Batch out;
      for (const Entry e : batches[b]) out.push_back(e->second.with_lines());
      return out;
    };
    std::future<Batch> next = std::async(std::launch::async, read, 0);
    for (std::size_t b = 0; b < batches.size(); ++b) {
      const Batch reports = next.get();
      if (b + 1 < batches.size()) next = std::async(std::launch::async, read, b + 1);
      for (std::size_t k = 0; k < reports.size(); ++k) {
        const auto& [project, partner, report] = batches[b][k]->first;
        for (const ExpenseLine& line : reports[k]->lines) {
          visit(LineRef{project, partner, report, line.line}, line);
        }
      }
    }
  }

 private:
  using Entry = const std::pair<const ReportKey, AcceptedReport>*;
  std::vector<Entry> reports_;
};

}  // namespace

std::map<LineRef, DuplicateHit> find_portfolio_duplicates(const Portfolio& portfolio) {
  return find_duplicate_invoices(PortfolioReports(portfolio));
}

}  // namespace cofin
