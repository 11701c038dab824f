// The portfolio-wide duplicate check over spilled reports (calc/portfolio_duplicates.h): it
// reads every report's invoice marks, and the invoice records only of the reports
// that hold a suspect line, never their encoded lines; held reports take part as they are.
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
  SpillBytes read(const SpillExtent& extent) const override {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++reads_[extent.offset];
    return SpillBytes::copy_of(blobs_.at(extent.offset));
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

// Which of a report's spilled extents (the k-th append is extent k) holds what.
struct Extents {
  std::size_t lines = 0;
  std::size_t marks = 0;
  std::size_t records = 0;
};

// Returns the extents of the report whose three appends begin at `first`: the lines decode as
// `lines`, the marks are 8 bytes a line, little-endian, and the records are the third.
Extents extents_of(CountingSpill& spill, std::size_t first, const std::vector<ExpenseLine>& lines) {
  std::string marks;
  for (const InvoiceMark m : invoice_marks(lines)) {
    for (int b = 0; b < 8; ++b) marks.push_back(static_cast<char>((m.bits() >> (8 * b)) & 0xFF));
  }
  Extents out;
  std::vector<std::size_t> rest;
  for (std::size_t k = first; k < first + 3; ++k) {
    if (spill.blob(k) == marks) {
      out.marks = k;
      continue;
    }
    try {
      if (decode_lines(spill.blob(k)).size() == lines.size()) {
        out.lines = k;
        continue;
      }
    } catch (const CorruptSpill&) {
      // not the lines
    }
    rest.push_back(k);
  }
  REQUIRE(rest.size() == 1);
  out.records = rest.front();
  return out;
}

// The reports of the test: two without a suspect line, three with one (a shared invoice, a line
// above its own total), and one held report on the shared invoice.
std::vector<PartnerReport> reports() {
  std::vector<PartnerReport> out;
  out.push_back(report_of_lines(
      "P1", 1, 1,
      {on_invoice(1, "LV1", "A-1", eur(500), eur(500)),
       on_invoice(2, "LV1", "A-2", eur(700), eur(900)), line(3, Category::kStaff, eur(2000))}));
  out.push_back(report_of_lines("P1", 1, 2,
                                {on_invoice(1, "LV1", "A-3", eur(100), eur(100)),
                                 on_invoice(2, "LV2", "X 9", eur(60000), eur(100000))}));
  out.push_back(report_of_lines("P2", 1, 1,
                                {on_invoice(4, "lv-2", "x9", eur(60000), eur(100000)),
                                 on_invoice(5, "LV3", "B-1", eur(10), eur(10))}));
  out.push_back(report_of_lines("P2", 1, 2, {on_invoice(1, "LV4", "C-1", eur(3000), eur(2000))}));
  out.push_back(report_of_lines(
      "P2", 2, 1, {line(1, Category::kStaff, eur(100)), line(2, Category::kOffice, eur(15))}));
  out.push_back(
      report_of_lines("P3", 1, 1, {on_invoice(7, "LV2", "X-9", eur(60000), eur(100000))}));
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

TEST_CASE("the duplicate check decodes no spilled report and reads only suspect reports' records",
          "[calc][dup]") {
  const std::vector<PartnerReport> all = reports();
  const auto want = held_reference(all);
  REQUIRE(want.size() == 3);  // the shared invoice twice over its total, and C-1 alone

  auto spill = std::make_shared<CountingSpill>();
  Portfolio portfolio;
  // The extents of each spilled report.
  std::map<ReportKey, Extents> lines_marks_records;
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
    REQUIRE(spill->appended() == before + 3);  // lines, marks, invoice records
    lines_marks_records[key] = extents_of(*spill, before, all[k].lines);
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
  // No report's lines are decoded; the invoice records are read of the reports with a suspect
  // line only, every report's marks at least once.
  const std::set<ReportKey> suspect{{"P1", 1, 2}, {"P2", 1, 1}, {"P2", 1, 2}};
  for (const auto& [key, extents] : lines_marks_records) {
    INFO(std::get<0>(key) << "/P" << std::get<1>(key) << "/R" << std::get<2>(key));
    CHECK(spill->reads(extents.lines) == 0);
    CHECK(spill->reads(extents.records) == (suspect.count(key) ? 1u : 0u));
    CHECK(spill->reads(extents.marks) >= 1);
  }
}

TEST_CASE("spilled invoice marks that come back damaged are a corrupt spill", "[calc][dup]") {
  auto spill = std::make_shared<CountingSpill>();
  PartnerReport r = reports().front();
  const std::size_t before = spill->appended();
  const std::shared_ptr<const SpilledLines> spilled = spill_lines(spill, r);
  const std::vector<InvoiceMark> marks = spilled->invoice_marks();
  CHECK(marks == invoice_marks(reports().front().lines));
  const Extents extents = extents_of(*spill, before, reports().front().lines);
  spill->blob(extents.marks).pop_back();
  CHECK_THROWS_AS(spilled->invoice_marks(), CorruptSpill);
  CHECK(spilled->read().size() == spilled->count());  // the lines themselves are intact
}

TEST_CASE("spilled invoice records give the kept lines' invoice fields, or a corrupt spill",
          "[calc][dup]") {
  auto spill = std::make_shared<CountingSpill>();
  std::vector<ExpenseLine> lines = reports().front().lines;
  lines.push_back(on_invoice(9, "LV9", "Z-1", eur(-400), eur(-400)));
  lines.back().invoice_total.reset();
  PartnerReport r = report_of_lines("P", 1, 1, lines);
  const std::size_t before = spill->appended();
  const std::shared_ptr<const SpilledLines> spilled = spill_lines(spill, r);
  // Every line with a key, then those of one invoice only; the same as the default, which
  // filters the decoded lines.
  auto all_keyed = [](InvoiceMark) { return true; };
  const std::vector<ExpenseLine> keyed = spilled->invoice_lines(all_keyed);
  REQUIRE(keyed.size() == 3);  // the staff line has no key
  const std::vector<ExpenseLine> want{lines[0], lines[1], lines[3]};
  for (std::size_t k = 0; k < keyed.size(); ++k) {
    CHECK(keyed[k].line == want[k].line);
    CHECK(keyed[k].supplier_id == want[k].supplier_id);
    CHECK(keyed[k].invoice_no == want[k].invoice_no);
    CHECK(keyed[k].currency == want[k].currency);
    CHECK(keyed[k].declared.cents() == want[k].declared.cents());
    CHECK(keyed[k].invoice_total == want[k].invoice_total);
  }
  std::string scratch;
  const InvoiceMark second = invoice_mark(lines[1], scratch);
  auto only_second = [&](InvoiceMark m) { return m == second; };
  const std::vector<ExpenseLine> one = spilled->invoice_lines(only_second);
  REQUIRE(one.size() == 1);
  CHECK(one[0].line == 2);
  CHECK(spilled->SpilledLines::invoice_lines(only_second).size() == 1);

  const Extents extents = extents_of(*spill, before, lines);
  std::string& records = spill->blob(extents.records);
  const std::string intact = records;
  records.pop_back();
  CHECK_THROWS_AS(spilled->invoice_lines(all_keyed), CorruptSpill);
  records = intact + "x";
  CHECK_THROWS_AS(spilled->invoice_lines(all_keyed), CorruptSpill);
  records = intact;
  CHECK(spilled->invoice_lines(all_keyed).size() == 3);
}
