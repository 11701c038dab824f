// The portfolio-wide duplicate check over spilled reports (calc/portfolio_duplicates.h): it
// reads every report's invoice marks, and reads back (decodes) the lines only of the reports
// that hold a suspect line; held reports take part as they are.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "calc/line_spill.h"
#include "calc/portfolio_duplicates.h"
#include "model/line_codec.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

// A spill in memory that counts how often each extent is read back.
class CountingSpill final : public Spill {
 public:
  SpillExtent append(std::string_view bytes) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const SpillExtent extent{blobs_.size(), bytes.size(), 0};
    blobs_.emplace_back(bytes);
    return extent;
  }
  std::string read(const SpillExtent& extent) const override {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++reads_[extent.offset];
    return blobs_.at(extent.offset);
  }
  // Returns the number of extents appended so far.
  std::size_t appended() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return blobs_.size();
  }
  // Returns the bytes of extent `k` (the k-th append).
  std::string& blob(std::size_t k) { return blobs_.at(k); }
  // Returns how often extent `k` was read back.
  std::size_t reads(std::size_t k) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = reads_.find(k);
    return it == reads_.end() ? 0 : it->second;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> blobs_;
  mutable std::map<std::uint64_t, std::size_t> reads_;
};

ExpenseLine on_invoice(int n, const char* supplier_id, const char* number, Money declared,
                       Money total) {
  ExpenseLine l = invoice_line(n, Category::kExternal, declared, "2024-03-01", "2024-03-02");
  l.supplier_id = supplier_id;
  l.invoice_no = number;
  l.invoice_total = total;
  return l;
}

PartnerReport report(const char* project, int partner, int number, std::vector<ExpenseLine> lines) {
  PartnerReport r;
  r.project = project;
  r.partner = partner;
  r.report = number;
  r.lines = std::move(lines);
  return r;
}

// The reports of the test: two without a suspect line, three with one (a shared invoice, a line
// above its own total), and one held report on the shared invoice.
std::vector<PartnerReport> reports() {
  std::vector<PartnerReport> out;
  out.push_back(report(
      "P1", 1, 1,
      {on_invoice(1, "LV1", "A-1", eur(500), eur(500)),
       on_invoice(2, "LV1", "A-2", eur(700), eur(900)), line(3, Category::kStaff, eur(2000))}));
  out.push_back(report("P1", 1, 2,
                       {on_invoice(1, "LV1", "A-3", eur(100), eur(100)),
                        on_invoice(2, "LV2", "X 9", eur(60000), eur(100000))}));
  out.push_back(report("P2", 1, 1,
                       {on_invoice(4, "lv-2", "x9", eur(60000), eur(100000)),
                        on_invoice(5, "LV3", "B-1", eur(10), eur(10))}));
  out.push_back(report("P2", 1, 2, {on_invoice(1, "LV4", "C-1", eur(3000), eur(2000))}));
  out.push_back(report("P2", 2, 1,
                       {line(1, Category::kStaff, eur(100)), line(2, Category::kOffice, eur(15))}));
  out.push_back(report("P3", 1, 1, {on_invoice(7, "LV2", "X-9", eur(60000), eur(100000))}));
  return out;
}

std::map<LineRef, DuplicateHit> held_reference(const std::vector<PartnerReport>& all) {
  std::vector<InvoiceUse> uses;
  for (const PartnerReport& r : all) {
    for (const ExpenseLine& l : r.lines) {
      uses.push_back({{r.project, r.partner, r.report, l.line}, &l});
    }
  }
  return find_duplicate_invoices(std::move(uses));
}

}  // namespace

TEST_CASE("the duplicate check reads back only the spilled reports holding a suspect line",
          "[calc][dup]") {
  const std::vector<PartnerReport> all = reports();
  const auto want = held_reference(all);
  REQUIRE(want.size() == 3);  // the shared invoice twice over its total, and C-1 alone

  auto spill = std::make_shared<CountingSpill>();
  Portfolio portfolio;
  // Extents of each spilled report: the one that decodes as lines, and the marks.
  std::map<ReportKey, std::pair<std::size_t, std::size_t>> lines_and_marks;
  for (std::size_t k = 0; k < all.size(); ++k) {
    PartnerReport r = all[k];
    const ReportKey key{r.project, r.partner, r.report};
    if (r.project == std::string("P3")) {
      portfolio.reports[key] =
          AcceptedReport{std::make_shared<const PartnerReport>(std::move(r)), "", "", nullptr};
      continue;
    }
    const std::size_t before = spill->appended();
    std::shared_ptr<const SpilledLines> spilled = spill_lines(spill, r);
    REQUIRE(spill->appended() == before + 2);
    // Which of the two is the lines: the one decode_lines takes.
    std::size_t lines_at = before;
    std::size_t marks_at = before + 1;
    try {
      (void)decode_lines(spill->blob(before));
    } catch (const CorruptSpill&) {
      std::swap(lines_at, marks_at);
    }
    REQUIRE(decode_lines(spill->blob(lines_at)).size() == all[k].lines.size());
    lines_and_marks[key] = {lines_at, marks_at};
    portfolio.reports[key] = AcceptedReport{std::make_shared<const PartnerReport>(std::move(r)), "",
                                            "", std::move(spilled)};
  }

  const auto got = find_portfolio_duplicates(portfolio);
  REQUIRE(got.size() == want.size());
  for (auto g = got.begin(), w = want.begin(); w != want.end(); ++g, ++w) {
    INFO(w->first.to_string());
    CHECK(g->first == w->first);
    CHECK(g->second.over_total.cents() == w->second.over_total.cents());
    CHECK(g->second.declared_so_far.cents() == w->second.declared_so_far.cents());
    CHECK(g->second.invoice_total.cents() == w->second.invoice_total.cents());
    CHECK(g->second.repeat_of == w->second.repeat_of);
  }
  const std::set<ReportKey> suspect{{"P1", 1, 2}, {"P2", 1, 1}, {"P2", 1, 2}};
  for (const auto& [key, extents] : lines_and_marks) {
    INFO(std::get<0>(key) << "/P" << std::get<1>(key) << "/R" << std::get<2>(key));
    CHECK(spill->reads(extents.first) == (suspect.count(key) ? 1u : 0u));
    CHECK(spill->reads(extents.second) >= 1);  // every report's marks are read
  }
}

TEST_CASE("spilled invoice marks that come back damaged are a corrupt spill", "[calc][dup]") {
  auto spill = std::make_shared<CountingSpill>();
  PartnerReport r = reports().front();
  const std::size_t before = spill->appended();
  const std::shared_ptr<const SpilledLines> spilled = spill_lines(spill, r);
  const std::vector<InvoiceMark> marks = spilled->invoice_marks();
  CHECK(marks == invoice_marks(reports().front().lines));
  // The marks are the extent of 8 bytes a line; cut one byte off.
  for (std::size_t k = before; k < spill->appended(); ++k) {
    if (spill->blob(k).size() == 8 * spilled->count()) spill->blob(k).pop_back();
  }
  CHECK_THROWS_AS(spilled->invoice_marks(), CorruptSpill);
  CHECK(spilled->read().size() == spilled->count());  // the lines themselves are intact
}
