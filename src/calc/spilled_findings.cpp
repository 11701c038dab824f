#include "calc/spilled_findings.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "model/line_codec.h"

namespace cofin {
namespace {

struct SpilledReport {
  SpillExtent extent;
  std::size_t first = 0;  // index of its first finding in the run's
  std::size_t count = 0;
  Money amount;
};

class SpilledFindings final : public FindingSource {
 public:
  SpilledFindings(std::shared_ptr<Spill> spill, std::vector<SpilledReport> reports)
      : spill_(std::move(spill)), reports_(std::move(reports)) {
    for (const SpilledReport& r : reports_) {
      size_ += r.count;
      total_ += r.amount;
    }
  }

  std::size_t size() const override { return size_; }

  void visit(std::size_t begin, std::size_t end,
             const std::function<void(std::size_t, const Diagnostic&)>& visit) const override {
    check(begin, end);
    for (std::size_t k = report_at(begin); k < reports_.size() && reports_[k].first < end; ++k) {
      const SpilledReport& r = reports_[k];
      if (r.count == 0) continue;
      const std::vector<Diagnostic> findings = read(r);
      for (std::size_t i = 0; i < findings.size(); ++i) {
        const std::size_t index = r.first + i;
        if (index >= begin && index < end) visit(index, findings[i]);
      }
    }
  }

  Money amount(std::size_t begin, std::size_t end) const override {
    check(begin, end);
    if (begin == 0 && end == size_) return total_;
    Money sum;
    for (std::size_t k = report_at(begin); k < reports_.size() && reports_[k].first < end; ++k) {
      const SpilledReport& r = reports_[k];
      if (r.first >= begin && r.first + r.count <= end) {
        sum += r.amount;
        continue;
      }
      visit(std::max(begin, r.first), std::min(end, r.first + r.count),
            [&sum](std::size_t, const Diagnostic& d) {
              if (d.amount) sum += *d.amount;
            });
    }
    return sum;
  }

 private:
  void check(std::size_t begin, std::size_t end) const {
    if (begin > end || end > size_) throw std::out_of_range("findings range outside the run's");
  }

  // Returns the first report whose findings end after `index`.
  std::size_t report_at(std::size_t index) const {
    const auto it = std::upper_bound(
        reports_.begin(), reports_.end(), index,
        [](std::size_t i, const SpilledReport& r) { return i < r.first + r.count; });
    return static_cast<std::size_t>(it - reports_.begin());
  }

  std::vector<Diagnostic> read(const SpilledReport& r) const {
    std::vector<Diagnostic> findings = decode_diagnostics(spill_->read(r.extent).view());
    if (findings.size() != r.count) {
      throw CorruptSpill("spilled findings read back as " + std::to_string(findings.size()) +
                         " instead of " + std::to_string(r.count));
    }
    return findings;
  }

  std::shared_ptr<Spill> spill_;
  std::vector<SpilledReport> reports_;
  std::size_t size_ = 0;
  Money total_;
};

}  // namespace

FindingSpill::FindingSpill(std::shared_ptr<Spill> spill, std::size_t reports)
    : spill_(std::move(spill)), reports_(reports) {}

void FindingSpill::put(std::size_t k, const std::vector<Diagnostic>& findings) {
  Report& r = reports_.at(k);
  r.count = findings.size();
  for (const Diagnostic& d : findings) {
    if (d.amount) r.amount += *d.amount;
  }
  if (findings.empty()) return;
  std::string bytes;
  encode_diagnostics(findings, bytes);
  r.extent = spill_->append(bytes);
}

std::shared_ptr<const FindingSource> FindingSpill::source() const {
  std::vector<SpilledReport> reports;
  reports.reserve(reports_.size());
  std::size_t first = 0;
  for (const Report& r : reports_) {
    reports.push_back({r.extent, first, r.count, r.amount});
    first += r.count;
  }
  return std::make_shared<const SpilledFindings>(spill_, std::move(reports));
}

}  // namespace cofin
