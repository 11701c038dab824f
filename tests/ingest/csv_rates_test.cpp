#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/csv_rates.h"
#include "ingest/csv_report.h"

using namespace cofin;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(COFIN_SOURCE_DIR) + "/fixtures/csv/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> formatted(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.items()) out.push_back(format_diagnostic(d));
  return out;
}

}  // namespace

TEST_CASE("csv rates read the InforEuro shape", "[csv]") {
  Diagnostics diags;
  const auto rates =
      read_rates_csv("rates-sek-2024.csv", fixture("good/rates-sek-2024.csv"), diags);
  CHECK(formatted(diags).empty());
  REQUIRE(rates);
  REQUIRE(rates->size() == 12);
  const ExchangeRate& march = (*rates)[2];
  CHECK(march.currency == "SEK");
  CHECK(march.year == 2024);
  CHECK(march.month == 3);
  CHECK(march.units_per_eur.units() == 11'192'000);
  CHECK(march.units_per_eur.scale() == 6);
  CHECK(march.pos.file == "rates-sek-2024.csv");
  CHECK(march.pos.line == 4);
  CHECK(march.pos.column == 12);
  RateTable table;
  for (const auto& r : *rates) CHECK(table.add(r));
  REQUIRE(table.find("SEK", 2024, 12));
  CHECK(table.find("SEK", 2024, 12)->units_per_eur.to_string() == "11.537500");
}

TEST_CASE("csv rates accept Baltic Excel's semicolons and decimal comma", "[csv]") {
  Diagnostics diags;
  const auto rates = read_rates_csv(
      "r.csv", "\xEF\xBB\xBFsep=;\r\nyear;month;currency;units_per_eur\r\n2024;1;SEK;11,0382\r\n",
      diags);
  CHECK(formatted(diags).empty());
  REQUIRE(rates);
  REQUIRE(rates->size() == 1);
  CHECK((*rates)[0].units_per_eur.units() == 11'038'200);
  CHECK((*rates)[0].pos.line == 3);
}

TEST_CASE("csv rates refuse bad values", "[csv]") {
  Diagnostics diags;
  CHECK_FALSE(read_rates_csv("rates-bad-values.csv", fixture("bad/rates-bad-values.csv"), diags));
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "rates-bad-values.csv:2:1: error VALUE-ENUM: currency: 'sek' is not a currency code (3 "
            "capital letters, e.g. SEK)",
            "rates-bad-values.csv:3:5: error VALUE-NUMBER: year: '24' is not a year (4 digits)",
            "rates-bad-values.csv:4:10: error VALUE-NUMBER: month: '13' is not a month (1 to 12)",
            "rates-bad-values.csv:5:12: error VALUE-NUMBER: units_per_eur: '0' must be greater "
            "than 0",
            "rates-bad-values.csv:6:12: error VALUE-NUMBER: units_per_eur: '11.12345678' is not a "
            "rate (a decimal number, at most 6 decimals)"});
}

TEST_CASE("csv rates refuse two rates for one currency month", "[csv]") {
  Diagnostics diags;
  CHECK_FALSE(read_rates_csv("rates-conflicting-month.csv",
                             fixture("bad/rates-conflicting-month.csv"), diags));
  // The exact repetition on line 3 is harmless; line 4 contradicts line 2.
  CHECK(formatted(diags) ==
        std::vector<std::string>{
            "rates-conflicting-month.csv:4:12: error VALUE-INCONSISTENT: units_per_eur: '11.2000' "
            "for SEK 2024-03 differs from 11.192000 on line 2"});
  Diagnostics repeated;
  const auto rates = read_rates_csv(
      "r.csv", "currency,year,month,units_per_eur\nSEK,2024,3,11.192\nSEK,2024,3,11.1920\n",
      repeated);
  REQUIRE(rates);
  CHECK(rates->size() == 1);
}

TEST_CASE("csv rates check their columns", "[csv]") {
  Diagnostics diags;
  CHECK_FALSE(read_rates_csv("r.csv", "currency,year,month,rate,month\nSEK,2024,1,11,1\n", diags));
  CHECK(
      formatted(diags) ==
      std::vector<std::string>{
          "r.csv:1:21: error CSV-COLUMN-UNKNOWN: column 'rate' is not one of the exchange-rate "
          "columns",
          "r.csv:1:26: error CSV-COLUMN-DUPLICATE: column 'month' appears twice (first as "
          "column 3)",
          "r.csv:1: error CSV-COLUMN-MISSING: column 'units_per_eur' is missing from the header"});
  Diagnostics empty;
  CHECK_FALSE(read_rates_csv("r.csv", "currency,year,month,units_per_eur\r\n", empty));
  CHECK(formatted(empty) ==
        std::vector<std::string>{"r.csv:1: error CSV-NO-LINES: the file has a header but no rate"});
  Diagnostics count;
  CHECK_FALSE(read_rates_csv("r.csv", "currency,year,month,units_per_eur\nSEK,2024,1\n", count));
  CHECK(formatted(count) ==
        std::vector<std::string>{
            "r.csv:2: error CSV-FIELD-COUNT: the row has 3 fields, the header has 4"});
  Diagnostics required;
  CHECK_FALSE(
      read_rates_csv("r.csv", "currency,year,month,units_per_eur\nSEK,2024,1, \n", required));
  CHECK(formatted(required) ==
        std::vector<std::string>{
            "r.csv:2:12: error VALUE-REQUIRED: units_per_eur: is empty, but required"});
}
