// Invoice records (calc/invoice_records.h): the fields of a spilled line that the duplicate
// check reads, written beside the encoded lines, read back for the kept lines only.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "calc/invoice_records.h"
#include "model/line_codec.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

ExpenseLine on_invoice(int n, std::string supplier_id, std::string number, std::int64_t declared,
                       std::optional<std::int64_t> total) {
  ExpenseLine l = invoice_line(n, Category::kExternal, eur(declared), "2024-03-01", "2024-03-02");
  l.supplier_id = std::move(supplier_id);
  l.invoice_no = std::move(number);
  l.invoice_total.reset();
  if (total) l.invoice_total = eur(*total);
  return l;
}

bool any(InvoiceMark) {
  return true;
}

}  // namespace

TEST_CASE("invoice records round-trip the duplicate check's fields at their extremes",
          "[calc][dup][records]") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  std::vector<ExpenseLine> lines{
      on_invoice(std::numeric_limits<int>::max(), "LV-1", "A/1", kMax, kMin + 1),
      line(2, Category::kStaff, eur(100)),  // no key: no record
      on_invoice(std::numeric_limits<int>::min(), "Ā-12 ö", std::string(300, 'n'), kMin,
                 std::nullopt),
      on_invoice(0, "S", "N", 0, 0), on_invoice(-7, "S", "N", -1, 1)};
  lines[3].currency = "SEK";
  const std::vector<InvoiceMark> marks = invoice_marks(lines);
  std::string bytes;
  encode_invoice_records(lines, marks, bytes);
  const std::vector<ExpenseLine> back = decode_invoice_records(bytes, marks, any);
  const std::vector<std::size_t> keyed{0, 2, 3, 4};
  REQUIRE(back.size() == keyed.size());
  for (std::size_t k = 0; k < keyed.size(); ++k) {
    const ExpenseLine& want = lines[keyed[k]];
    INFO("line " << want.line);
    CHECK(back[k].line == want.line);
    CHECK(back[k].supplier_id == want.supplier_id);
    CHECK(back[k].invoice_no == want.invoice_no);
    CHECK(back[k].currency == want.currency);
    CHECK(back[k].declared.cents() == want.declared.cents());
    CHECK(back[k].invoice_total == want.invoice_total);
  }
  // Skipped records are stepped over, not read: only the kept ones come back, in order.
  const InvoiceMark third = marks[3];
  const auto kept = decode_invoice_records(bytes, marks, [&](InvoiceMark m) { return m == third; });
  // Lines 3 and 4 have the same supplier and number; line 3 is in SEK, another key.
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].currency == "SEK");
}

TEST_CASE("invoice records that do not match their marks are a corrupt spill",
          "[calc][dup][records]") {
  const std::vector<ExpenseLine> lines{on_invoice(1, "S", "N", 100, 100),
                                       on_invoice(2, "T", "M", 200, std::nullopt)};
  const std::vector<InvoiceMark> marks = invoice_marks(lines);
  std::string bytes;
  encode_invoice_records(lines, marks, bytes);
  REQUIRE(decode_invoice_records(bytes, marks, any).size() == 2);
  // Fewer marks with a key than records, and more.
  CHECK_THROWS_AS(decode_invoice_records(bytes, {marks[0]}, any), CorruptSpill);
  CHECK_THROWS_AS(decode_invoice_records(bytes, {marks[0], marks[1], marks[0]}, any), CorruptSpill);
  // Every truncation, read in full or skipped.
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    INFO("first " << size << " bytes");
    CHECK_THROWS_AS(decode_invoice_records(bytes.substr(0, size), marks, any), CorruptSpill);
    CHECK_THROWS_AS(
        decode_invoice_records(bytes.substr(0, size), marks, [](InvoiceMark) { return false; }),
        CorruptSpill);
  }
  // A record whose length does not match its fields; a total flag that is neither 0 nor 1.
  std::string longer = bytes;
  longer[0] = static_cast<char>(longer[0] + 1);
  CHECK_THROWS_AS(decode_invoice_records(longer, marks, any), CorruptSpill);
  std::string flag = bytes;
  flag[4] = '\2';  // length, line, declared (100 cents, zigzag 200: two bytes), then the flag
  CHECK_THROWS_AS(decode_invoice_records(flag, marks, any), CorruptSpill);
}
