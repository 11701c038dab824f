// The marked duplicate check (rules/duplicates.h) on several threads: the reports' marks are read,
// their hashes sorted in one run per worker and their suspect lines read into per-report buffers
// on every worker, and the hits are those of one thread and of the plain check over all lines.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "rules/duplicates.h"
#include "support/builders.h"
#include "support/duplicate_hits.h"
#include "support/generator.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

// Reports held in memory, in the order given (not LineRef order); safe to read on several
// threads at once. Records which reports visit_lines was asked for.
class ReportsInMemory final : public MarkedReports {
 public:
  explicit ReportsInMemory(std::vector<PartnerReport> reports) : reports_(std::move(reports)) {}

  std::size_t size() const override { return reports_.size(); }
  std::size_t line_count(std::size_t r) const override { return reports_.at(r).lines.size(); }
  std::vector<InvoiceMark> marks(std::size_t r) const override {
    return invoice_marks(reports_.at(r).lines);
  }
  void visit_lines(std::size_t r, const SuspectInvoices& keep,
                   const LineVisitor& visit) const override {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      asked_.insert(r);
    }
    const PartnerReport& report = reports_.at(r);
    const std::vector<InvoiceMark> line_marks = invoice_marks(report.lines);
    for (std::size_t k = 0; k < report.lines.size(); ++k) {
      if (keep.contains(line_marks[k])) {
        visit(LineRef{report.project, report.partner, report.report, report.lines[k].line},
              report.lines[k]);
      }
    }
  }

  // Returns the reports visit_lines was asked for since the last call, and forgets them.
  std::set<std::size_t> take_asked() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(asked_, {});
  }
  // Returns every line, for the plain check.
  std::vector<InvoiceUse> uses() const {
    std::vector<InvoiceUse> out;
    for (const PartnerReport& r : reports_) {
      for (const ExpenseLine& l : r.lines) {
        out.push_back({{r.project, r.partner, r.report, l.line}, &l});
      }
    }
    return out;
  }

 private:
  std::vector<PartnerReport> reports_;
  mutable std::mutex mutex_;
  mutable std::set<std::size_t> asked_;
};

// A report of `count` lines on invoices no other line uses (supplier "F<tag>"): they fill the
// table of hashes, so that the lines below fall into different sorted runs.
PartnerReport filler(const char* project, int partner, int number, int count) {
  std::vector<ExpenseLine> lines;
  for (int n = 1; n <= count; ++n) {
    const std::string supplier =
        std::string("F") + project + std::to_string(partner * 1000 + number);
    lines.push_back(
        on_invoice(n, supplier.c_str(), std::to_string(n).c_str(), eur(100 + n), eur(100 + n)));
  }
  return report_of_lines(project, partner, number, std::move(lines));
}

// Hits spanning reports, partners and projects, the reports listed out of LineRef order:
// - invoice LV1/X-1 (500 of 500) in the first report and again, written otherwise, in the last:
//   a repeat of a line in another report and project, over its total by the second line;
// - invoice LV2/S-1 (total 1000) declared 400, 350 and 450 in three reports of two projects: over
//   by 200 at the third, then a correction of -300 and a re-included line, neither a hit;
// - invoice LV5/K-1 declared 100 three times, the earliest (LineRef order) in a report listed
//   after another holding it: the repeats point at the earliest;
// - invoice LV9/Z-1 declaring 3000 of 2000 alone; staff lines without an invoice.
std::vector<PartnerReport> portfolio_across_reports() {
  std::vector<PartnerReport> out;
  out.push_back(report_of_lines("A", 1, 1,
                                {on_invoice(1, "LV1", "X-1", eur(50000), eur(50000)),
                                 on_invoice(2, "LV2", "S-1", eur(40000), eur(100000)),
                                 line(3, Category::kStaff, eur(200000))}));
  for (int k = 1; k <= 20; ++k) out.push_back(filler("A", 4, k, 60));
  out.push_back(report_of_lines("B", 3, 1, {on_invoice(1, "LV5", "K-1", eur(10000), eur(100000))}));
  out.push_back(report_of_lines(
      "A", 3, 2,
      {line(1, Category::kStaff, eur(100)), on_invoice(4, "LV5", "K 1", eur(10000), eur(100000))}));
  out.push_back(
      report_of_lines("A", 2, 1, {on_invoice(5, "lv-2", "s 1", eur(35000), eur(100000))}));
  for (int k = 1; k <= 20; ++k) out.push_back(filler("B", 4, k, 60));
  ExpenseLine reincluded = on_invoice(9, "LV2", "S-1", eur(100000), eur(100000));
  reincluded.reincluded_from = "A/P1/R1.2";
  out.push_back(
      report_of_lines("B", 1, 1,
                      {on_invoice(7, "LV2", "S1", eur(45000), eur(100000)),
                       on_invoice(8, "LV2", "S-1", eur(-30000), eur(100000)), reincluded}));
  out.push_back(report_of_lines("C", 1, 9,
                                {on_invoice(1, "lv1", "x 1", eur(50000), eur(50000)),
                                 on_invoice(2, "LV9", "Z-1", eur(300000), eur(200000)),
                                 on_invoice(3, "LV5", "K-1", eur(10000), eur(100000))}));
  return out;
}

// Returns the hit on `ref`, which must be there.
const DuplicateHit& hit_on(const std::map<LineRef, DuplicateHit>& hits, const LineRef& ref) {
  INFO("line " << ref.to_string());
  const auto it = hits.find(ref);
  REQUIRE(it != hits.end());
  return it->second;
}

}  // namespace

TEST_CASE("the duplicate check finds the same hits on one thread and on several", "[rules][dup]") {
  const ReportsInMemory reports(portfolio_across_reports());
  const auto plain = find_duplicate_invoices(reports.uses());

  const auto one = find_duplicate_invoices(reports, 1);
  const std::set<std::size_t> asked_by_one = reports.take_asked();
  require_same_hits(one, plain);
  // What the hits are, so that equal maps are not equally wrong.
  REQUIRE(one.size() == 5);
  const DuplicateHit& repeat = hit_on(one, {"C", 1, 9, 1});
  CHECK(repeat.repeat_of == LineRef{"A", 1, 1, 1});
  CHECK(repeat.over_total.cents() == eur(50000).cents());
  const DuplicateHit& third = hit_on(one, {"B", 1, 1, 7});
  CHECK(third.declared_so_far.cents() == eur(120000).cents());
  CHECK(third.over_total.cents() == eur(20000).cents());
  CHECK(!third.repeat_of);
  CHECK(hit_on(one, {"B", 3, 1, 1}).repeat_of == LineRef{"A", 3, 2, 4});
  CHECK(hit_on(one, {"C", 1, 9, 3}).repeat_of == LineRef{"A", 3, 2, 4});
  CHECK(hit_on(one, {"C", 1, 9, 2}).over_total.cents() == eur(100000).cents());
  // The reports holding a suspect line, no filler.
  CHECK(asked_by_one == std::set<std::size_t>{0, 21, 22, 23, 44, 45});

  for (const unsigned threads : {2u, 3u, 0u}) {
    INFO("threads " << threads);
    require_same_hits(find_duplicate_invoices(reports, threads), one);
    CHECK(reports.take_asked() == asked_by_one);
  }
}

TEST_CASE("the duplicate check on several threads equals one thread on generated portfolios",
          "[rules][dup]") {
  GeneratedWorld world;
  fill_duplicate_test_world(world, 60);
  // Reversed: the last reports' lines come first in the table of hashes.
  std::vector<PartnerReport> reversed(world.reports.rbegin(), world.reports.rend());
  const ReportsInMemory reports(std::move(reversed));
  const auto one = find_duplicate_invoices(reports, 1);
  REQUIRE(one.size() >= 5);
  require_same_hits(one, find_duplicate_invoices(reports.uses()));
  require_same_hits(find_duplicate_invoices(reports, 2), one);
}

namespace {

// Reports whose marks cannot be read back for two of them.
class FailingReports final : public MarkedReports {
 public:
  std::size_t size() const override { return 40; }
  std::size_t line_count(std::size_t) const override { return 0; }
  std::vector<InvoiceMark> marks(std::size_t r) const override {
    if (r == 11 || r == 30) throw std::runtime_error("report " + std::to_string(r) + " is damaged");
    return {};
  }
  void visit_lines(std::size_t, const SuspectInvoices&, const LineVisitor&) const override {}
};

}  // namespace

TEST_CASE("the duplicate check on several threads throws what the first failing report threw",
          "[rules][dup]") {
  const FailingReports reports;
  for (const unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    CHECK_THROWS_WITH(find_duplicate_invoices(reports, threads), "report 11 is damaged");
  }
}

TEST_CASE("suspect invoices answer for every hash they hold and for no other", "[rules][dup]") {
  // Hashes spread over the 64 bits and bunched at both ends, as the index's buckets see them.
  std::vector<std::uint64_t> hashes;
  std::uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int k = 0; k < 1000; ++k) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    hashes.push_back(x & ~std::uint64_t{1});
  }
  for (std::uint64_t h = 2; h < 40; h += 2) hashes.push_back(h);
  for (std::uint64_t h = 2; h < 40; h += 2) hashes.push_back(~std::uint64_t{0} - h - 1);
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  const SuspectInvoices set(hashes);
  for (const std::uint64_t h : hashes) {
    INFO(h);
    CHECK(set.contains(InvoiceMark::from_bits(h)));
    // The flag bit is not part of the hash.
    CHECK(set.contains(InvoiceMark::from_bits(h | 1)));
    const bool neighbour_held = std::binary_search(hashes.begin(), hashes.end(), h + 2);
    CHECK(set.contains(InvoiceMark::from_bits(h + 2)) == neighbour_held);
  }
  CHECK(!set.contains(InvoiceMark()));
  CHECK(!SuspectInvoices().contains(InvoiceMark::from_bits(hashes.front())));
  const SuspectInvoices one({hashes.back()});
  CHECK(one.contains(InvoiceMark::from_bits(hashes.back())));
  CHECK(!one.contains(InvoiceMark::from_bits(hashes.front())));
}
