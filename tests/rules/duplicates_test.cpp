// No double funding (domain §4): one invoice, keyed by normalised supplier id and number,
// across lines, reports, partners and projects.
#include <catch2/catch.hpp>

#include "rules/duplicates.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

TEST_CASE("invoice keys ignore case, spaces and punctuation", "[rules][dup]") {
  CHECK(invoice_key(on_invoice(1, "LV-4000 300 0000", "inv/17", eur(1), eur(1))) ==
        invoice_key(on_invoice(2, "lv40003000000", "INV 17", eur(1), eur(1))));
  CHECK(invoice_key(on_invoice(1, "LV40003000000", "17", eur(1), eur(1))) !=
        invoice_key(on_invoice(2, "LV40003000001", "17", eur(1), eur(1))));
  ExpenseLine staff = line(1, Category::kStaff, eur(100));
  CHECK(invoice_key(staff).empty());
}

TEST_CASE("DUP-INVOICE fires once the sum over projects exceeds the total", "[rules][dup]") {
  // A shared invoice of 1,000.00 split 600 + 400 between two projects is fine; a third
  // claim of 100.00 in another partner's report is over by 100.00.
  const ExpenseLine a = on_invoice(3, "LV40003000000", "A-1", eur(60000), eur(100000));
  const ExpenseLine b = on_invoice(5, "lv-40003000000", "a 1", eur(40000), eur(100000));
  const ExpenseLine c = on_invoice(1, "LV40003000000", "A-1", eur(10000), eur(100000));
  const auto hits = find_duplicate_invoices(
      {{{"P2", 1, 1, 5}, &b}, {{"P1", 2, 1, 3}, &a}, {{"P2", 3, 2, 1}, &c}});
  REQUIRE(hits.size() == 1);
  const auto& [ref, hit] = *hits.begin();
  CHECK(ref == LineRef{"P2", 3, 2, 1});
  CHECK(hit.over_total == eur(10000));
  const auto ds = duplicate_findings(hit, c, eur(10000));
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].rule_id == "DUP-INVOICE");
  CHECK(ds[0].severity == Severity::kError);
  CHECK(ds[0].amount == eur(10000));
  // Without the third claim, nothing.
  CHECK(find_duplicate_invoices({{{"P1", 2, 1, 3}, &a}, {{"P2", 1, 1, 5}, &b}}).empty());
}

TEST_CASE("an exact repeat warns and its excess is an error", "[rules][dup]") {
  const ExpenseLine a = on_invoice(1, "EE10000001", "77", eur(50000), eur(50000));
  const ExpenseLine b = on_invoice(2, "EE10000001", "77", eur(50000), eur(50000));
  const auto hits = find_duplicate_invoices({{{"P", 1, 1, 1}, &a}, {{"P", 1, 2, 2}, &b}});
  REQUIRE(hits.size() == 1);
  const DuplicateHit& hit = hits.begin()->second;
  REQUIRE(hit.repeat_of);
  CHECK(*hit.repeat_of == LineRef{"P", 1, 1, 1});
  CHECK(hit.over_total == eur(50000));
  const auto ds = duplicate_findings(hit, b, eur(50000));
  REQUIRE(ds.size() == 2);
  CHECK(ds[1].rule_id == "DUP-INVOICE-REPEAT");
  CHECK(ds[1].severity == Severity::kWarning);
  CHECK(ds[1].message.find("P/P1/R1.1") != std::string::npos);
}

TEST_CASE("re-included lines and negative corrections are not repeats", "[rules][dup]") {
  const ExpenseLine origin = on_invoice(4, "LV1", "X", eur(30000), eur(30000));
  ExpenseLine back = origin;
  back.line = 2;
  back.reincluded_from = "R1.4";
  ExpenseLine credit = on_invoice(6, "LV1", "X", eur(-30000), eur(-30000));
  const ExpenseLine again = on_invoice(7, "LV1", "X", eur(30000), eur(30000));
  CHECK(find_duplicate_invoices({{{"P", 1, 1, 4}, &origin}, {{"P", 1, 2, 2}, &back}}).empty());
  // Invoice declared, credited in full, declared again: the sum never exceeds the total, and
  // the credit note is not a repeat of anything.
  const auto hits = find_duplicate_invoices(
      {{{"P", 1, 1, 4}, &origin}, {{"P", 1, 1, 6}, &credit}, {{"P", 1, 1, 7}, &again}});
  REQUIRE(hits.size() == 1);
  CHECK(hits.begin()->second.over_total.is_zero());
  CHECK(hits.begin()->second.repeat_of);  // the same amounts again: a warning to look
}

TEST_CASE("duplicate findings do not depend on the order the lines come in", "[rules][dup]") {
  const ExpenseLine a = on_invoice(1, "S", "N", eur(70000), eur(100000));
  const ExpenseLine b = on_invoice(2, "S", "N", eur(70000), eur(100000));
  const auto x = find_duplicate_invoices({{{"P", 1, 1, 1}, &a}, {{"P", 1, 1, 2}, &b}});
  const auto y = find_duplicate_invoices({{{"P", 1, 1, 2}, &b}, {{"P", 1, 1, 1}, &a}});
  REQUIRE(x.size() == 1);
  REQUIRE(y.size() == 1);
  CHECK(x.begin()->first == y.begin()->first);
  CHECK(x.begin()->first.line == 2);
  CHECK(x.begin()->second.over_total == eur(40000));
  CHECK(y.begin()->second.over_total == eur(40000));
}
