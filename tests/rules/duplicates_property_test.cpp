// Property: find_duplicate_invoices (precomputed keys, integer sort, hashed invoices), also in
// its marked form (invoice marks first, lines of the suspect reports only), finds exactly what
// the first, plain implementation found (sort by LineRef, a string key per line,
// an ordered map), on generated portfolios and on random lines built to collide.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <random>
#include <string>
#include <tuple>

#include "rules/duplicates.h"
#include "support/builders.h"
#include "support/duplicate_hits.h"
#include "support/generator.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

// The reference: the implementation of commit ec99ad7, kept verbatim but for names.
std::string reference_normalise(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      out += static_cast<char>(std::toupper(c));
    } else if (c >= 0x80) {
      out += ch;
    }
  }
  return out;
}

std::string reference_key(const ExpenseLine& line) {
  const std::string supplier = reference_normalise(line.supplier_id);
  const std::string number = reference_normalise(line.invoice_no);
  if (supplier.empty() || number.empty()) return "";
  return supplier + "|" + number + "|" + line.currency;
}

std::map<LineRef, DuplicateHit> reference_find(std::vector<InvoiceUse> uses) {
  std::sort(uses.begin(), uses.end(),
            [](const InvoiceUse& a, const InvoiceUse& b) { return a.ref < b.ref; });
  struct Seen {
    Money sum;
    std::vector<const InvoiceUse*> positive;
  };
  std::map<std::string, Seen> seen;
  std::map<LineRef, DuplicateHit> hits;
  for (const InvoiceUse& use : uses) {
    const ExpenseLine& line = *use.line;
    if (!line.reincluded_from.empty()) continue;
    const std::string key = reference_key(line);
    if (key.empty()) continue;
    Seen& s = seen[key];
    s.sum += line.declared;
    if (line.declared.is_negative() || line.declared.is_zero()) continue;
    DuplicateHit hit;
    hit.declared_so_far = s.sum;
    if (line.invoice_total) {
      hit.invoice_total = line.invoice_total->abs();
      const Money over = s.sum - hit.invoice_total;
      if (over > Money()) hit.over_total = std::min(over, line.declared);
    }
    for (const InvoiceUse* earlier : s.positive) {
      const ExpenseLine& e = *earlier->line;
      if (e.declared == line.declared && e.invoice_total == line.invoice_total) {
        hit.repeat_of = earlier->ref;
        break;
      }
    }
    s.positive.push_back(&use);
    if (!hit.over_total.is_zero() || hit.repeat_of) hits[use.ref] = hit;
  }
  return hits;
}

// The uses grouped by report (project, partner, report), as a portfolio holds them; records
// which reports the second pass asks for.
class ReportsOfUses final : public MarkedReports {
 public:
  explicit ReportsOfUses(const std::vector<InvoiceUse>& uses) {
    std::map<std::tuple<std::string, int, int>, std::size_t> index;
    for (const InvoiceUse& u : uses) {
      const auto [it, added] =
          index.try_emplace({u.ref.project, u.ref.partner, u.ref.report}, reports_.size());
      if (added) reports_.emplace_back();
      reports_[it->second].push_back(u);
    }
  }
  std::size_t size() const override { return reports_.size(); }
  std::size_t line_count(std::size_t r) const override { return reports_.at(r).size(); }
  std::vector<InvoiceMark> marks(std::size_t r) const override {
    std::vector<ExpenseLine> lines;
    for (const InvoiceUse& u : reports_.at(r)) lines.push_back(*u.line);
    return invoice_marks(lines);
  }
  // One thread only (find_marked asks for one): it records the reports asked for.
  void visit_lines(std::size_t r, const SuspectInvoices& keep,
                   const LineVisitor& visit) const override {
    std::string scratch;
    asked_.push_back(r);
    for (const InvoiceUse& u : reports_.at(r)) {
      const InvoiceMark mark = invoice_mark(*u.line, scratch);
      if (keep.contains(mark)) visit(u.ref, *u.line);
    }
  }
  // Returns the reports visit_lines was asked for, in order.
  const std::vector<std::size_t>& asked() const { return asked_; }
  // Returns the reports holding a line the reference check can find something on: its key is
  // on another line too, or it alone declares more than its invoice total.
  std::vector<std::size_t> reports_with_suspects() const {
    std::map<std::string, int> uses_of_key;
    for (const auto& report : reports_) {
      for (const InvoiceUse& u : report) {
        if (u.line->reincluded_from.empty() && !reference_key(*u.line).empty()) {
          ++uses_of_key[reference_key(*u.line)];
        }
      }
    }
    std::vector<std::size_t> out;
    for (std::size_t r = 0; r < reports_.size(); ++r) {
      for (const InvoiceUse& u : reports_[r]) {
        const ExpenseLine& l = *u.line;
        if (!l.reincluded_from.empty() || reference_key(l).empty()) continue;
        const bool over_alone =
            l.declared > Money() && l.invoice_total && l.declared > l.invoice_total->abs();
        if (uses_of_key[reference_key(l)] > 1 || over_alone) {
          out.push_back(r);
          break;
        }
      }
    }
    return out;
  }

 private:
  std::vector<std::vector<InvoiceUse>> reports_;
  mutable std::vector<std::size_t> asked_;
};

// The same uses through the marked form, which reads the marks of every report and the lines
// of only the reports holding a suspect; checks it asked for exactly those.
std::map<LineRef, DuplicateHit> find_marked(const std::vector<InvoiceUse>& uses) {
  const ReportsOfUses reports(uses);
  auto hits = find_duplicate_invoices(reports);
  CHECK(reports.asked() == reports.reports_with_suspects());
  return hits;
}

}  // namespace

TEST_CASE("duplicate detection equals the reference on generated portfolios", "[rules][dup]") {
  GeneratedWorld world;
  fill_duplicate_test_world(world, 60);
  std::vector<InvoiceUse> uses;
  for (const PartnerReport& r : world.reports) {
    for (const ExpenseLine& l : r.lines)
      uses.push_back({{r.project, r.partner, r.report, l.line}, &l});
  }
  const auto want = reference_find(uses);
  // The generator's duplicate invoices must be there, or this test proves nothing.
  REQUIRE(want.size() >= 5);
  require_same_hits(find_duplicate_invoices(uses), want);
  require_same_hits(find_marked(uses), want);
  // Any input order gives the same result.
  std::mt19937_64 rng(7);
  std::shuffle(uses.begin(), uses.end(), rng);
  require_same_hits(find_duplicate_invoices(uses), want);
  std::reverse(uses.begin(), uses.end());
  require_same_hits(find_duplicate_invoices(uses), want);
}

TEST_CASE("duplicate detection equals the reference on colliding random lines", "[rules][dup]") {
  // Few suppliers and numbers written many ways, so that keys collide often; amounts that
  // repeat, negative and zero corrections, re-included lines, missing totals; project names
  // whose string order differs from their order of appearance ("P10" < "P2").
  const std::vector<std::string> suppliers{
      "LV40003000000", "lv-4000 300 0000", "EE1020", "ee 10-20", "SE5560", "", "Ā-12", "ā12", "--"};
  const std::vector<std::string> numbers{"A-1", "a 1", "17", "INV/17", "", "Ö1", "ö1", ".."};
  const std::vector<std::string> projects{"P2", "P10", "P1", "B", "A"};
  const std::vector<std::string> currencies{"EUR", "SEK"};
  const std::vector<std::int64_t> amounts{-5000, 0, 100, 5000, 5000, 10000, 25000, 60000};
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
    std::vector<ExpenseLine> lines(200 + seed * 5);
    std::vector<InvoiceUse> uses;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      ExpenseLine& l = lines[k];
      l.line = static_cast<int>(1 + rng() % 40);
      l.supplier_id = pick(suppliers);
      l.invoice_no = pick(numbers);
      l.currency = pick(currencies);
      l.declared = eur(pick(amounts));
      if (rng() % 5 != 0) l.invoice_total = eur(pick(amounts) * 2);
      if (rng() % 10 == 0) l.reincluded_from = "R1.3";
      // Distinct refs (a report's line numbers are unique): derive the report from k.
      uses.push_back(
          {{pick(projects), static_cast<int>(1 + rng() % 3), static_cast<int>(1 + k), l.line}, &l});
    }
    INFO("seed " << seed);
    const auto want = reference_find(uses);
    require_same_hits(find_duplicate_invoices(uses), want);
    require_same_hits(find_marked(uses), want);
    CHECK(!want.empty());
  }
  // The key itself, character by character, on every text of the pools.
  for (const std::string& s : suppliers) {
    for (const std::string& n : numbers) {
      ExpenseLine l;
      l.supplier_id = s;
      l.invoice_no = n;
      l.currency = "EUR";
      CHECK(invoice_key(l) == reference_key(l));
    }
  }
}
