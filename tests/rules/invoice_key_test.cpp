// Invoice marks (rules/invoice_key.h): the 8 bytes a line the duplicate check reads first.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "rules/invoice_key.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

TEST_CASE("invoice marks hash the invoice key, as written any way", "[rules][dup][mark]") {
  std::string scratch;
  const InvoiceMark a =
      invoice_mark(on_invoice(1, "LV-4000 300 0000", "inv/17", eur(100), eur(100)), scratch);
  const InvoiceMark b =
      invoice_mark(on_invoice(2, "lv40003000000", "INV 17", eur(900), eur(5000)), scratch);
  const InvoiceMark other =
      invoice_mark(on_invoice(3, "LV40003000001", "17", eur(100), eur(100)), scratch);
  REQUIRE(a.has_key());
  CHECK(a.key_hash() == b.key_hash());
  CHECK(a.key_hash() != other.key_hash());
  // The currency is part of the key.
  ExpenseLine sek = on_invoice(4, "LV40003000000", "INV17", eur(100), eur(100));
  sek.currency = "SEK";
  CHECK(invoice_mark(sek, scratch).key_hash() != a.key_hash());
}

TEST_CASE("lines the duplicate check skips have no mark", "[rules][dup][mark]") {
  std::string scratch;
  CHECK_FALSE(invoice_mark(line(1, Category::kStaff, eur(100)), scratch).has_key());
  CHECK_FALSE(invoice_mark(on_invoice(2, "--", "17", eur(100), eur(100)), scratch).has_key());
  CHECK_FALSE(invoice_mark(on_invoice(3, "LV4000", " ", eur(100), eur(100)), scratch).has_key());
  ExpenseLine again = on_invoice(4, "LV4000", "17", eur(100), eur(50));
  REQUIRE(invoice_mark(again, scratch).has_key());
  again.reincluded_from = "R1.3";
  CHECK(invoice_mark(again, scratch) == InvoiceMark());
}

TEST_CASE("an invoice mark tells a line above its own invoice total", "[rules][dup][mark]") {
  std::string scratch;
  auto exceeds = [&](Money declared, std::optional<Money> total) {
    return invoice_mark(on_invoice(1, "S", "N", declared, total), scratch).exceeds_own_total();
  };
  CHECK(exceeds(eur(10001), eur(10000)));
  CHECK(exceeds(eur(10001), eur(-10000)));  // the total is compared as an absolute amount
  CHECK_FALSE(exceeds(eur(10000), eur(10000)));
  CHECK_FALSE(exceeds(eur(-20000), eur(10000)));  // a correction never exceeds
  CHECK_FALSE(exceeds(eur(20000), std::nullopt));
  // The flag does not change the key's hash.
  CHECK(invoice_mark(on_invoice(1, "S", "N", eur(10001), eur(10000)), scratch).key_hash() ==
        invoice_mark(on_invoice(2, "S", "N", eur(1), eur(10000)), scratch).key_hash());
}

TEST_CASE("invoice marks come back from their bits and follow the lines' order",
          "[rules][dup][mark]") {
  const std::vector<ExpenseLine> lines{on_invoice(1, "S", "N", eur(200), eur(100)),
                                       line(2, Category::kStaff, eur(5)),
                                       on_invoice(3, "T", "M", eur(1), eur(100))};
  const std::vector<InvoiceMark> marks = invoice_marks(lines);
  REQUIRE(marks.size() == 3);
  CHECK(marks[0].exceeds_own_total());
  CHECK_FALSE(marks[1].has_key());
  CHECK(marks[2].has_key());
  CHECK_FALSE(marks[2].exceeds_own_total());
  for (const InvoiceMark m : marks) CHECK(InvoiceMark::from_bits(m.bits()) == m);
}
