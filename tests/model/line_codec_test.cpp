// The spill's line, decision and finding encoding (model/line_codec.h): every field comes back
// exactly, including pos and the difference between an absent and a zero optional, for hand-built
// and random values; anything that is not exactly one encoding is refused with CorruptSpill.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/line_codec.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

bool same_decimal(const std::optional<Decimal>& a, const std::optional<Decimal>& b) {
  if (a.has_value() != b.has_value()) return false;
  // Decimal's == is numeric (1.5 == 1.50): the scale must come back too.
  return !a || (a->units() == b->units() && a->scale() == b->scale());
}

bool same_money(const std::optional<Money>& a, const std::optional<Money>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || a->cents() == b->cents();
}

bool same_date(const std::optional<Date>& a, const std::optional<Date>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->days_since_epoch() == b->days_since_epoch() && a->year() == b->year() &&
                a->month() == b->month() && a->day() == b->day());
}

// Every field, pos included (same_content ignores pos).
bool identical(const ExpenseLine& a, const ExpenseLine& b) {
  return same_content(a, b) && a.line == b.line && a.category == b.category &&
         a.unit_cost == b.unit_cost && same_decimal(a.units, b.units) &&
         a.internal_ref == b.internal_ref && a.invoice_no == b.invoice_no &&
         same_date(a.invoice_date, b.invoice_date) && same_date(a.payment_date, b.payment_date) &&
         a.supplier == b.supplier && a.supplier_id == b.supplier_id &&
         a.procurement_ref == b.procurement_ref && a.description == b.description &&
         same_money(a.invoice_total, b.invoice_total) && same_money(a.vat, b.vat) &&
         a.declared.cents() == b.declared.cents() && a.currency == b.currency &&
         a.reincluded_from == b.reincluded_from && a.pos.file == b.pos.file &&
         a.pos.line == b.pos.line && a.pos.column == b.pos.column;
}

bool identical(const Diagnostic& a, const Diagnostic& b) {
  return a.severity == b.severity && a.rule_id == b.rule_id && a.file == b.file &&
         a.line == b.line && a.column == b.column && a.field == b.field && a.message == b.message &&
         same_money(a.amount, b.amount) && a.line_no == b.line_no;
}

bool identical(const LineDecision& a, const LineDecision& b) {
  return a.line == b.line && a.parked == b.parked && a.deducted.cents() == b.deducted.cents() &&
         a.typology == b.typology && a.comment == b.comment && a.pos.file == b.pos.file &&
         a.pos.line == b.pos.line && a.pos.column == b.pos.column;
}

template <typename T>
void require_identical(const std::vector<T>& want, const std::vector<T>& got) {
  REQUIRE(got.size() == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    INFO("record " << k);
    REQUIRE(identical(want[k], got[k]));
  }
}

std::vector<ExpenseLine> hand_built_lines() {
  std::vector<ExpenseLine> lines;
  // Every optional absent, every string empty but currency.
  lines.push_back(line(1, Category::kStaff, eur(0)));
  // Unit cost with units; invoice line with dates, totals; VAT zero (present, not absent).
  lines.push_back(unit_line(2, Category::kExternal, "event-participant-day", "12.50", eur(63750)));
  ExpenseLine invoice =
      invoice_line(3, Category::kEquipment, eur(121000), "2024-02-29", "2024-03-15");
  invoice.vat = eur(0);
  invoice.internal_ref = "REF-7";
  invoice.procurement_ref = "IUB 2024/17";
  invoice.description = "Portatīvie datori (3 gab.) — ūdens; \"quoted\"\nsecond line";
  invoice.reincluded_from = "R2.14";
  invoice.pos = {"in/box/Ā report.xml", 1234, 17};
  lines.push_back(invoice);
  // A negative correction whose invoice total differs from the declared amount.
  ExpenseLine correction = line(4, Category::kTravel, eur(-5005));
  correction.invoice_total = eur(-10010);
  correction.vat = eur(-1737);
  correction.currency = "SEK";
  correction.payment_date = day("2025-12-31");  // a payment date without an invoice date
  lines.push_back(correction);
  // Every category; line numbers out of order and repeated; quantity with another scale.
  for (const Category c : kAllCategories) {
    ExpenseLine l = line(9, c, eur(1));
    l.units = Decimal::from_units(-7, 9);
    l.unit_cost = "staff-hour";
    lines.push_back(l);
  }
  // Extremes of every number.
  ExpenseLine extreme = line(INT_MIN, Category::kInfrastructure, Money::from_cents(INT64_MIN));
  extreme.invoice_total = Money::from_cents(INT64_MAX);
  extreme.vat = Money::from_cents(INT64_MIN);
  extreme.units = Decimal::from_units(INT64_MAX, 0);
  extreme.invoice_date = Date::from_ymd(1900, 1, 1);
  extreme.payment_date = Date::from_ymd(9999, 12, 31);
  extreme.pos = {"", INT_MAX, INT_MIN};
  lines.push_back(extreme);
  ExpenseLine after = line(INT_MAX, Category::kStaff, Money::from_cents(INT64_MAX));
  after.pos = {"report.csv", INT_MIN, INT_MAX};
  after.invoice_date = Date::from_ymd(1900, 1, 1)->plus_days(-400);  // plus_days leaves 1900
  lines.push_back(after);
  return lines;
}

std::string random_text(std::mt19937_64& rng) {
  static const std::string kPieces[] = {"a",
                                        "Z",
                                        " ",
                                        ";",
                                        "\"",
                                        "\n",
                                        std::string(1, '\0'),
                                        "ā",
                                        "ū",
                                        "Ž",
                                        "€",
                                        "\xF0\x9F\x92\xB6",
                                        "\xFF",
                                        "\x80"};
  const unsigned kind = rng() % 8;
  std::size_t length = 0;
  if (kind == 0 || kind == 1) {
    length = 0;
  } else if (kind == 7) {
    length = 100 + rng() % 3000;
  } else {
    length = 1 + rng() % 24;
  }
  std::string s;
  for (std::size_t k = 0; k < length; ++k) {
    if (rng() % 3 == 0) {
      s += kPieces[rng() % std::size(kPieces)];
    } else {
      s += static_cast<char>(rng() % 256);
    }
  }
  return s;
}

std::int64_t random_int64(std::mt19937_64& rng) {
  switch (rng() % 6) {
    case 0:
      return 0;
    case 1:
      return static_cast<std::int64_t>(rng());  // anywhere in int64, huge ones included
    case 2:
      return rng() % 2 ? INT64_MIN : INT64_MAX;
    default:
      return static_cast<std::int64_t>(rng() % 20'000'000) - 10'000'000;
  }
}

int random_int(std::mt19937_64& rng) {
  switch (rng() % 5) {
    case 0:
      return rng() % 2 ? INT_MIN : INT_MAX;
    case 1:
      return static_cast<int>(static_cast<std::uint32_t>(rng()));
    default:
      return static_cast<int>(rng() % 5000);
  }
}

std::optional<Date> random_date(std::mt19937_64& rng) {
  if (rng() % 3 == 0) return std::nullopt;
  return Date::from_ymd(1900 + static_cast<int>(rng() % 8100), 1 + rng() % 12, 1 + rng() % 28);
}

template <typename T>
std::optional<T> maybe(std::mt19937_64& rng, T value) {
  if (rng() % 3 == 0) return std::nullopt;
  return value;
}

ExpenseLine random_line(std::mt19937_64& rng, const std::vector<std::string>& files) {
  ExpenseLine l;
  l.line = random_int(rng);
  l.category = kAllCategories[rng() % std::size(kAllCategories)];
  l.unit_cost = random_text(rng);
  l.units = maybe(rng, Decimal::from_units(random_int64(rng), static_cast<int>(rng() % 10)));
  l.internal_ref = random_text(rng);
  l.invoice_no = random_text(rng);
  l.invoice_date = random_date(rng);
  l.payment_date = random_date(rng);
  l.supplier = random_text(rng);
  l.supplier_id = random_text(rng);
  l.procurement_ref = random_text(rng);
  l.description = random_text(rng);
  l.invoice_total = maybe(rng, Money::from_cents(random_int64(rng)));
  l.vat = maybe(rng, Money::from_cents(random_int64(rng)));
  l.declared = Money::from_cents(random_int64(rng));
  l.currency = rng() % 4 ? std::string("EUR") : random_text(rng);
  l.reincluded_from = random_text(rng);
  l.pos = {files[rng() % files.size()], random_int(rng), random_int(rng)};
  return l;
}

Diagnostic random_diagnostic(std::mt19937_64& rng, const std::vector<std::string>& files) {
  static const Severity kSeverities[] = {Severity::kError, Severity::kWarning, Severity::kInfo};
  Diagnostic d;
  d.severity = kSeverities[rng() % 3];
  d.rule_id = rng() % 2 ? std::string("ELIG-PERIOD") : random_text(rng);
  d.file = files[rng() % files.size()];
  d.line = random_int(rng);
  d.column = random_int(rng);
  d.field = random_text(rng);
  d.message = random_text(rng);
  d.amount = maybe(rng, Money::from_cents(random_int64(rng)));
  d.line_no = random_int(rng);
  return d;
}

LineDecision random_decision(std::mt19937_64& rng, const std::vector<std::string>& files) {
  LineDecision d;
  d.line = random_int(rng);
  d.parked = rng() % 3 == 0;
  d.deducted = Money::from_cents(random_int64(rng));
  d.typology = rng() % 2 ? std::string("ineligible-cost") : random_text(rng);
  d.comment = random_text(rng);
  d.pos = {files[rng() % files.size()], random_int(rng), random_int(rng)};
  return d;
}

// A control result's decisions as the controller writes them, and the edges of every field.
std::vector<LineDecision> hand_built_decisions() {
  std::vector<LineDecision> decisions;
  LineDecision deducted;
  deducted.line = 3;
  deducted.deducted = eur(12345);
  deducted.typology = "ineligible-cost";
  deducted.comment = "Rēķins nav apmaksāts; \"quoted\"\nsecond line";
  deducted.pos = {"inbox/GEN0001-p1-r1-control.xml", 14, 5};
  decisions.push_back(deducted);
  LineDecision parked;  // parked: nothing deducted, no typology
  parked.line = 7;
  parked.parked = true;
  parked.pos = {"inbox/GEN0001-p1-r1-control.xml", 21, 5};
  decisions.push_back(parked);
  LineDecision empty;  // every field zero or empty
  decisions.push_back(empty);
  LineDecision low;  // extremes, lines out of order
  low.line = INT_MIN;
  low.deducted = Money::from_cents(INT64_MIN);
  low.pos = {std::string("nul\0name", 8), INT_MIN, INT_MAX};
  decisions.push_back(low);
  LineDecision high = low;
  high.line = INT_MAX;
  high.parked = true;
  high.deducted = Money::from_cents(INT64_MAX);
  high.typology = "Ā";
  high.pos = {"", INT_MAX, INT_MIN};
  decisions.push_back(high);
  decisions.push_back(deducted);  // the same line decided twice
  return decisions;
}

const std::vector<std::string> kFiles = {"inbox/GEN0001-P1-R1.csv", "", "Ā/ūdens ziņojums.xml",
                                         std::string("nul\0name", 8), "inbox/GEN0001-P2-R1.csv"};

std::string encoded(const std::vector<ExpenseLine>& lines) {
  std::string out;
  encode_lines(lines, out);
  return out;
}

std::string encoded(const std::vector<LineDecision>& decisions) {
  std::string out;
  encode_decisions(decisions, out);
  return out;
}

std::string encoded(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  encode_diagnostics(diagnostics, out);
  return out;
}

}  // namespace

TEST_CASE("hand-built lines come back with every field and pos", "[codec]") {
  const std::vector<ExpenseLine> lines = hand_built_lines();
  require_identical(lines, decode_lines(encoded(lines)));
  // An absent optional and a zero one stay apart.
  const std::vector<ExpenseLine> back = decode_lines(encoded(lines));
  CHECK_FALSE(back[0].vat.has_value());
  CHECK(back[2].vat.has_value());
  CHECK(back[2].vat->cents() == 0);
  CHECK(back[3].payment_date.has_value());
  CHECK_FALSE(back[3].invoice_date.has_value());
  // Decimal == is numeric; the scale is kept as written.
  CHECK(back[4].units->scale() == 9);
  CHECK(back[4].units->units() == -7);
}

TEST_CASE("no lines and no findings encode and decode", "[codec]") {
  CHECK(decode_lines(encoded(std::vector<ExpenseLine>{})).empty());
  CHECK(decode_diagnostics(encoded(std::vector<Diagnostic>{})).empty());
}

TEST_CASE("encoding appends to what the output already holds", "[codec]") {
  const std::vector<ExpenseLine> lines = hand_built_lines();
  std::string out = "prefix";
  encode_lines(lines, out);
  REQUIRE(out.substr(0, 6) == "prefix");
  require_identical(lines, decode_lines(std::string_view(out).substr(6)));
}

TEST_CASE("random lines round trip exactly, several files in one encoding", "[codec]") {
  std::mt19937_64 rng(20240607);
  for (int round = 0; round < 40; ++round) {
    std::vector<ExpenseLine> lines;
    const std::size_t count = round == 0 ? 1 : rng() % 200;
    for (std::size_t k = 0; k < count; ++k) lines.push_back(random_line(rng, kFiles));
    INFO("round " << round);
    require_identical(lines, decode_lines(encoded(lines)));
  }
}

TEST_CASE("decoding into used lines gives what decoding afresh gives", "[codec]") {
  // decode_lines_into reuses the lines a vector holds (a computation reads report after report
  // into one vector): whatever they held, optionals included, must not show through.
  std::mt19937_64 rng(20261124);
  // Every optional present, long texts (no small-string buffer), a re-inclusion.
  ExpenseLine full = invoice_line(3, Category::kEquipment, eur(121000), "2024-02-29", "2024-03-15");
  full.units = Decimal::from_units(5, 1);
  full.vat = eur(21000);
  full.invoice_total = eur(121000);
  full.description = std::string(100, 'd');
  full.supplier = "A supplier with a name longer than fifteen characters";
  full.reincluded_from = "R2.14";
  full.pos = {"in/box/a-report-with-a-long-name.xml", 1234, 17};
  std::vector<ExpenseLine> reused(30, full);
  for (int round = 0; round < 40; ++round) {
    std::vector<ExpenseLine> lines;
    // Fewer, more and as many lines as the vector holds; round 1 decodes no lines at all.
    const std::size_t count = round == 1 ? 0 : rng() % 60;
    for (std::size_t k = 0; k < count; ++k) lines.push_back(random_line(rng, kFiles));
    INFO("round " << round);
    const std::string bytes = encoded(lines);
    decode_lines_into(bytes, reused);
    require_identical(lines, reused);
    require_identical(decode_lines(bytes), reused);
  }
  // Every optional present before, absent in what is decoded.
  const std::vector<ExpenseLine> bare{line(1, Category::kStaff, eur(0))};
  reused.assign(1, full);
  decode_lines_into(encoded(bare), reused);
  require_identical(bare, reused);
  CHECK_FALSE(reused[0].vat.has_value());
  CHECK_FALSE(reused[0].units.has_value());
  CHECK_FALSE(reused[0].invoice_date.has_value());
  CHECK(reused[0].reincluded_from.empty());
}

TEST_CASE("dates on days that share a slot of the decoder's date cache come back each as itself",
          "[codec]") {
  // The decoder keeps the dates it built by day number in a table of 256 slots (day & 255):
  // days 1024 apart, far apart and before 1970 take the same slots in turn, and each date must
  // come back as its own day, whichever was decoded in the slot before.
  const Date base = day("2024-03-01");
  const int offsets[] = {0, 1024, 0, -1024, 2048, 1, 1025, -30 * 1024, 0, 700 * 1024};
  std::vector<ExpenseLine> lines;
  int n = 0;
  for (const int a : offsets) {
    for (const int b : {0, 1024, -1024, 3 * 1024 + 1}) {
      ++n;
      ExpenseLine l = line(n, Category::kExternal, eur(100 * n));
      l.invoice_date = base.plus_days(a);
      l.payment_date = base.plus_days(a + b);
      lines.push_back(l);
    }
  }
  const std::string bytes = encoded(lines);
  require_identical(lines, decode_lines(bytes));
  // The same again in a vector holding the lines in another order (their dates differ).
  std::vector<ExpenseLine> reused(lines.rbegin(), lines.rend());
  decode_lines_into(bytes, reused);
  require_identical(lines, reused);
}

TEST_CASE("a report's file name is stored once, not once per line", "[codec]") {
  const std::string file = "inbox/" + std::string(200, 'x') + ".csv";
  std::vector<ExpenseLine> lines;
  for (int n = 1; n <= 1000; ++n) {
    ExpenseLine l = line(n, Category::kStaff, eur(12345));
    l.pos.file = file;
    lines.push_back(l);
  }
  const std::string bytes = encoded(lines);
  // One copy of the name plus a few bytes a line (a line repeating the name would take > 200).
  CHECK(bytes.size() < file.size() + 20 * lines.size());
  CHECK(bytes.find(file) == bytes.rfind(file));
  require_identical(lines, decode_lines(bytes));
}

TEST_CASE("hand-built findings come back with every field", "[codec]") {
  std::vector<Diagnostic> diagnostics;
  Diagnostic error;
  error.rule_id = "ELIG-PERIOD";
  error.file = "inbox/report.csv";
  error.line = 12;
  error.column = 3;
  error.field = "invoice-date";
  error.message = "invoice-date \"2019-12-31\" is before the programme's window";
  error.amount = eur(-12345);
  error.line_no = 11;
  diagnostics.push_back(error);
  Diagnostic warning = error;
  warning.severity = Severity::kWarning;
  warning.amount = eur(0);
  warning.line = 0;  // a whole-file finding
  diagnostics.push_back(warning);
  Diagnostic info;  // every string empty, no amount
  info.severity = Severity::kInfo;
  diagnostics.push_back(info);
  Diagnostic extreme = error;
  extreme.line = INT_MIN;
  extreme.column = INT_MAX;
  extreme.line_no = INT_MIN;
  extreme.amount = Money::from_cents(INT64_MIN);
  diagnostics.push_back(extreme);
  const std::vector<Diagnostic> back = decode_diagnostics(encoded(diagnostics));
  require_identical(diagnostics, back);
  CHECK(back[1].amount.has_value());
  CHECK_FALSE(back[2].amount.has_value());
  CHECK(back[2].severity == Severity::kInfo);
}

TEST_CASE("random findings round trip exactly", "[codec]") {
  std::mt19937_64 rng(77);
  for (int round = 0; round < 40; ++round) {
    std::vector<Diagnostic> diagnostics;
    const std::size_t count = round == 0 ? 1 : rng() % 300;
    for (std::size_t k = 0; k < count; ++k) diagnostics.push_back(random_diagnostic(rng, kFiles));
    INFO("round " << round);
    require_identical(diagnostics, decode_diagnostics(encoded(diagnostics)));
  }
}

TEST_CASE("every truncation of a lines encoding is refused", "[codec]") {
  std::mt19937_64 rng(5);
  std::vector<ExpenseLine> lines = hand_built_lines();
  for (int k = 0; k < 5; ++k) lines.push_back(random_line(rng, kFiles));
  const std::string bytes = encoded(lines);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("prefix of " << n << " of " << bytes.size() << " bytes");
    REQUIRE_THROWS_AS(decode_lines(std::string_view(bytes).substr(0, n)), CorruptSpill);
  }
  REQUIRE(decode_lines(bytes).size() == lines.size());
}

TEST_CASE("every truncation of a findings encoding is refused", "[codec]") {
  std::mt19937_64 rng(6);
  std::vector<Diagnostic> diagnostics;
  for (int k = 0; k < 8; ++k) diagnostics.push_back(random_diagnostic(rng, kFiles));
  const std::string bytes = encoded(diagnostics);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("prefix of " << n << " of " << bytes.size() << " bytes");
    REQUIRE_THROWS_AS(decode_diagnostics(std::string_view(bytes).substr(0, n)), CorruptSpill);
  }
  REQUIRE(decode_diagnostics(bytes).size() == diagnostics.size());
}

TEST_CASE("trailing bytes and a second encoding after the first are refused", "[codec]") {
  const std::string lines = encoded(hand_built_lines());
  CHECK_THROWS_AS(decode_lines(lines + '\0'), CorruptSpill);
  CHECK_THROWS_AS(decode_lines(lines + lines), CorruptSpill);
  std::vector<Diagnostic> one(1);
  one[0].rule_id = "XML-SCHEMA";
  const std::string findings = encoded(one);
  CHECK_THROWS_AS(decode_diagnostics(findings + 'x'), CorruptSpill);
  CHECK_THROWS_AS(decode_diagnostics(findings + findings), CorruptSpill);
}

TEST_CASE("lines and findings are not mistaken for each other", "[codec]") {
  CHECK_THROWS_AS(decode_diagnostics(encoded(hand_built_lines())), CorruptSpill);
  CHECK_THROWS_AS(decode_lines(encoded(std::vector<Diagnostic>(3))), CorruptSpill);
}

TEST_CASE("an enum value out of range is refused", "[codec]") {
  // One line whose table-coded strings (file, unit cost, currency) are all empty: the table holds
  // one empty entry, so the layout is kind, table size 1, entry length 0, line count 1, head byte.
  ExpenseLine l;
  l.category = Category::kInfrastructure;
  std::string lines = encoded(std::vector<ExpenseLine>{l});
  REQUIRE(static_cast<unsigned char>(lines[4]) == static_cast<unsigned>(Category::kInfrastructure));
  REQUIRE(decode_lines(lines)[0].category == Category::kInfrastructure);
  for (const char bad_category : {'\x06', '\x07'}) {
    lines[4] = bad_category;
    CHECK_THROWS_AS(decode_lines(lines), CorruptSpill);
  }

  Diagnostic d;
  d.severity = Severity::kInfo;
  std::string findings = encoded(std::vector<Diagnostic>{d});
  REQUIRE(static_cast<unsigned char>(findings[4]) == static_cast<unsigned>(Severity::kInfo));
  REQUIRE(decode_diagnostics(findings)[0].severity == Severity::kInfo);
  findings[4] = '\x03';  // no fourth severity
  CHECK_THROWS_AS(decode_diagnostics(findings), CorruptSpill);
  findings[4] = '\x08';  // an unknown flag
  CHECK_THROWS_AS(decode_diagnostics(findings), CorruptSpill);
}

TEST_CASE("a count or length past the end is refused before it allocates", "[codec]") {
  // Kind, empty table, a count of 2^62 lines in 9 bytes.
  // (With its length: the table's count is a NUL byte, which would end a C string.)
  const char huge_count[] = "\xC1\x00\x80\x80\x80\x80\x80\x80\x80\x80\x40";
  const std::string_view huge(huge_count, sizeof huge_count - 1);
  REQUIRE(huge.size() == 11);
  CHECK_THROWS_WITH(decode_lines(huge), Catch::Contains("record count past the end"));
  // Kind, a table of one entry whose length runs past the end.
  const std::string long_entry =
      "\xD1\x01\xFF\xFF\x03"
      "abc";
  CHECK_THROWS_AS(decode_diagnostics(long_entry), CorruptSpill);
  // A varint longer than 64 bits.
  const std::string long_varint = "\xC1\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x7F";
  CHECK_THROWS_AS(decode_lines(long_varint), CorruptSpill);
}

TEST_CASE("a table index past the table is refused", "[codec]") {
  ExpenseLine l;
  std::string bytes = encoded(std::vector<ExpenseLine>{l});
  // Layout as above; after the head byte: line delta, then the file's table index (0).
  REQUIRE(bytes[6] == '\0');
  bytes[6] = '\x01';
  CHECK_THROWS_AS(decode_lines(bytes), CorruptSpill);
}

TEST_CASE("hand-built decisions come back with every field and pos", "[codec]") {
  const std::vector<LineDecision> decisions = hand_built_decisions();
  const std::vector<LineDecision> back = decode_decisions(encoded(decisions));
  require_identical(decisions, back);
  CHECK(back[1].parked);
  CHECK_FALSE(back[0].parked);
  CHECK(back[0].deducted.cents() == 12345);
  CHECK(decode_decisions(encoded(std::vector<LineDecision>{})).empty());
}

TEST_CASE("random decisions round trip exactly, several files in one encoding", "[codec]") {
  std::mt19937_64 rng(20240915);
  for (int round = 0; round < 40; ++round) {
    std::vector<LineDecision> decisions;
    const std::size_t count = round == 0 ? 1 : rng() % 300;
    for (std::size_t k = 0; k < count; ++k) decisions.push_back(random_decision(rng, kFiles));
    INFO("round " << round);
    require_identical(decisions, decode_decisions(encoded(decisions)));
  }
}

TEST_CASE("a control's file name and typology are stored once, not once per decision", "[codec]") {
  const std::string file = "inbox/" + std::string(200, 'c') + "-control.xml";
  const std::string typology = "ineligible-" + std::string(100, 't');
  std::vector<LineDecision> decisions;
  for (int n = 1; n <= 1000; ++n) {
    LineDecision d;
    d.line = n;
    d.deducted = eur(100 + n);
    d.typology = typology;
    d.pos = {file, 10 + 3 * n, 5};
    decisions.push_back(d);
  }
  const std::string bytes = encoded(decisions);
  // One copy of each plus a few bytes a decision (repeating them would take > 300 each).
  CHECK(bytes.size() < file.size() + typology.size() + 10 * decisions.size());
  CHECK(bytes.find(file) == bytes.rfind(file));
  CHECK(bytes.find(typology) == bytes.rfind(typology));
  require_identical(decisions, decode_decisions(bytes));
}

TEST_CASE("every truncation of a decisions encoding is refused", "[codec]") {
  std::mt19937_64 rng(7);
  std::vector<LineDecision> decisions = hand_built_decisions();
  for (int k = 0; k < 5; ++k) decisions.push_back(random_decision(rng, kFiles));
  const std::string bytes = encoded(decisions);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("prefix of " << n << " of " << bytes.size() << " bytes");
    REQUIRE_THROWS_AS(decode_decisions(std::string_view(bytes).substr(0, n)), CorruptSpill);
  }
  REQUIRE(decode_decisions(bytes).size() == decisions.size());
}

TEST_CASE("decisions refuse trailing bytes, other kinds and bad bytes", "[codec]") {
  const std::string bytes = encoded(hand_built_decisions());
  CHECK_THROWS_AS(decode_decisions(bytes + '\0'), CorruptSpill);
  CHECK_THROWS_AS(decode_decisions(bytes + bytes), CorruptSpill);
  // Not mistaken for lines or findings, nor they for decisions.
  CHECK_THROWS_AS(decode_lines(bytes), CorruptSpill);
  CHECK_THROWS_AS(decode_diagnostics(bytes), CorruptSpill);
  CHECK_THROWS_AS(decode_decisions(encoded(hand_built_lines())), CorruptSpill);
  CHECK_THROWS_AS(decode_decisions(encoded(std::vector<Diagnostic>(3))), CorruptSpill);

  // One decision whose table-coded strings (typology, file) are empty: kind, table size 1, entry
  // length 0, decision count 1, head byte, line delta, deducted, typology index, comment length,
  // file index, row delta, column.
  LineDecision d;
  d.parked = true;
  std::string one = encoded(std::vector<LineDecision>{d});
  REQUIRE(one.size() == 12);
  REQUIRE(one[4] == '\x01');
  REQUIRE(decode_decisions(one)[0].parked);
  for (const char bad_head : {'\x02', '\x03', '\x80'}) {
    std::string bad = one;
    bad[4] = bad_head;  // an unknown flag
    CHECK_THROWS_AS(decode_decisions(bad), CorruptSpill);
  }
  for (const std::size_t index_at : {std::size_t{7}, std::size_t{9}}) {
    std::string bad = one;
    REQUIRE(bad[index_at] == '\0');
    bad[index_at] = '\x01';  // the typology's, then the file's index past the table
    CHECK_THROWS_AS(decode_decisions(bad), CorruptSpill);
  }
  // A line number beyond int: INT_MAX's delta from 1, zigzag-coded as 2^32 - 4 in five bytes
  // from byte 5; as 2^32 - 2 it decodes to INT_MAX + 1.
  LineDecision top;
  top.line = INT_MAX;
  std::string beyond = encoded(std::vector<LineDecision>{top});
  REQUIRE(decode_decisions(beyond)[0].line == INT_MAX);
  REQUIRE(static_cast<unsigned char>(beyond[5]) == 0xFC);
  beyond[5] = '\xFE';
  CHECK_THROWS_AS(decode_decisions(beyond), CorruptSpill);
  // Kind, empty table, a count of 2^62 decisions in 9 bytes: refused before it reserves memory.
  const char huge_count[] = "\xE1\x00\x80\x80\x80\x80\x80\x80\x80\x80\x40";
  const std::string_view huge(huge_count, sizeof huge_count - 1);
  REQUIRE(huge.size() == 11);
  CHECK_THROWS_WITH(decode_decisions(huge), Catch::Contains("record count past the end"));
}
