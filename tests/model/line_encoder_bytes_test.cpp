// The line encoder (model/line_codec.h) writes exactly the bytes it wrote before its table
// lookups were made faster: the decoder, another module, reads this format. The golden figures
// are those of the encoder at d35a127 for the same lines; the lines' table-coded values differ
// in one byte at each position, so a compare that misses a byte merges two values and fails.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "model/line_codec.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

// Lines whose table-coded fields (file, unit cost, supplier, supplier id, currency) repeat,
// alternate and differ in one byte at every position of values 1 to 24 bytes long, beside
// every optional field present and absent.
std::vector<ExpenseLine> golden_lines() {
  std::vector<ExpenseLine> lines;
  lines.push_back(unit_line(1, Category::kStaff, "staff-hour", "40.68", eur(97632)));
  lines.push_back(unit_line(2, Category::kEquipment, "equipment-staff-hour", "1.5", eur(935)));
  ExpenseLine full = invoice_line(3, Category::kExternal, eur(830622), "2024-04-17", "2024-04-23");
  full.internal_ref = "IR-3";
  full.procurement_ref = "PP-1-26";
  full.description = "external purchase, line 3";
  full.vat = eur(144155);
  full.invoice_total = eur(830623);
  full.reincluded_from = "R1.7";
  lines.push_back(full);
  ExpenseLine sek = invoice_line(4, Category::kTravel, eur(-5), "2023-11-15", "2024-02-02");
  sek.currency = "SEK";
  sek.pos.file = "other.csv";
  sek.invoice_total.reset();
  lines.push_back(sek);
  // Values differing from one base in one byte, at each position, for each length 1..24; the
  // supplier and its id alternate so that a value is looked up past its field's hint.
  int n = 5;
  for (std::size_t length = 1; length <= 24; ++length) {
    const std::string base(length, 'a');
    for (std::size_t at = 0; at < length; ++at) {
      std::string changed = base;
      changed[at] = 'b';
      for (const std::string& value : {base, changed, base}) {
        ExpenseLine l = invoice_line(n, Category::kOffice, eur(n), "2024-01-02", "2024-01-03");
        l.supplier = value;
        l.supplier_id = n % 2 ? changed : base;
        l.pos.file = n % 3 ? "report.csv" : "other.csv";
        l.unit_cost = n % 5 ? "" : value;
        l.currency = n % 7 ? "EUR" : value;
        lines.push_back(l);
        ++n;
      }
    }
  }
  return lines;
}

// FNV-1a, 64 bits: a fingerprint of the encoding to compare with the golden one.
std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603u;
  for (const unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211u;
  }
  return h;
}

}  // namespace

TEST_CASE("the line encoding is byte for byte the one of the encoder before", "[codec]") {
  std::string out;
  encode_lines(golden_lines(), out);
  CHECK(out.size() == 30367);
  CHECK(fnv1a(out) == 0xa3d4aaa0694d5e97u);
}

TEST_CASE("table values that differ in one byte stay apart through the encoding", "[codec]") {
  const std::vector<ExpenseLine> lines = golden_lines();
  std::string out;
  encode_lines(lines, out);
  const std::vector<ExpenseLine> back = decode_lines(out);
  REQUIRE(back.size() == lines.size());
  for (std::size_t k = 0; k < lines.size(); ++k) {
    INFO("line " << lines[k].line);
    CHECK(back[k].supplier == lines[k].supplier);
    CHECK(back[k].supplier_id == lines[k].supplier_id);
    CHECK(back[k].unit_cost == lines[k].unit_cost);
    CHECK(back[k].currency == lines[k].currency);
    CHECK(back[k].pos.file == lines[k].pos.file);
  }
}

TEST_CASE("a line encoder given lines one by one writes what encode_lines writes", "[codec]") {
  const std::vector<ExpenseLine> lines = golden_lines();
  std::string whole;
  encode_lines(lines, whole);
  LineEncoder encoder;
  for (const ExpenseLine& l : lines) encoder.add(l);
  CHECK(encoder.count() == lines.size());
  std::string one_by_one;
  encoder.finish(one_by_one);
  CHECK(one_by_one == whole);
  // finish() starts a new encoding: the same lines again give the same bytes.
  for (const ExpenseLine& l : lines) encoder.add(l);
  std::string again;
  encoder.finish(again);
  CHECK(again == whole);
}

TEST_CASE("a report's encoding past the encoder's first block is the encoding before", "[codec]") {
  // About 300 KB of records: the encoder's buffer grows several times and must keep what it
  // holds. Without reserve(), as a reader hands lines over one by one.
  std::vector<ExpenseLine> many;
  for (int round = 0; round < 12; ++round) {
    for (ExpenseLine l : golden_lines()) {
      l.line += 10000 * round;
      l.pos.line += 10000 * round;
      many.push_back(l);
    }
  }
  LineEncoder encoder;
  for (const ExpenseLine& l : many) encoder.add(l);
  std::string out = "x";
  encoder.finish(out);
  CHECK(out.size() == 302596);
  CHECK(fnv1a(out) == 0xce66167697a7db6cu);
  REQUIRE(decode_lines(std::string_view(out).substr(1)).size() == many.size());
}

TEST_CASE("a line's texts of every length up to 40 bytes come back exactly", "[codec]") {
  // The encoder copies short texts by fixed-size moves: each length must copy every byte and
  // no more (the next field follows at once).
  std::vector<ExpenseLine> lines;
  for (std::size_t length = 0; length <= 40; ++length) {
    ExpenseLine l = invoice_line(static_cast<int>(length) + 1, Category::kOffice, eur(100),
                                 "2024-01-02", "2024-01-03");
    std::string text;
    for (std::size_t k = 0; k < length; ++k) text += static_cast<char>('A' + (k * 7 + length) % 26);
    l.internal_ref = text;
    l.invoice_no = text.substr(0, length / 2);
    l.procurement_ref = text.substr(length / 3);
    l.description = text + text;
    l.reincluded_from = text.substr(0, length % 5);
    lines.push_back(l);
  }
  std::string out;
  encode_lines(lines, out);
  const std::vector<ExpenseLine> back = decode_lines(out);
  REQUIRE(back.size() == lines.size());
  for (std::size_t k = 0; k < lines.size(); ++k) {
    INFO("length " << k);
    CHECK(back[k].internal_ref == lines[k].internal_ref);
    CHECK(back[k].invoice_no == lines[k].invoice_no);
    CHECK(back[k].procurement_ref == lines[k].procurement_ref);
    CHECK(back[k].description == lines[k].description);
    CHECK(back[k].reincluded_from == lines[k].reincluded_from);
    CHECK(back[k].declared.cents() == 100);
  }
}
