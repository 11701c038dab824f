#include "ingest/csv_rates.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "ingest/csv_reader.h"
#include "ingest/csv_report.h"  // kMaxErrorsPerFile

namespace cofin {
namespace {

enum Col : std::size_t { kCurrency, kYear, kMonth, kUnitsPerEur, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumns{"currency", "year", "month",
                                                              "units_per_eur"};

bool all_digits(std::string_view t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::vector<ExchangeRate>> read_rates_csv(const std::string& file,
                                                        std::string_view utf8, Diagnostics& diags) {
  const std::size_t base_errors = diags.error_count();
  auto errors = [&] { return diags.error_count() - base_errors; };
  CsvReader reader(file, utf8, diags);
  CsvRecord header;
  if (!reader.next(header)) {
    diags.error("READ-EMPTY", file, 0, 0, "", "the file holds no data");
    return std::nullopt;
  }
  const auto positions = map_columns(file, header, kColumns, "exchange-rate", diags);
  if (!positions) return std::nullopt;
  const std::vector<std::size_t>& pos = *positions;
  {
    std::vector<std::string> names;
    for (const CsvField& f : header.fields) names.emplace_back(trim_spaces(f.text));
    reader.set_field_names(std::move(names));
  }

  std::vector<ExchangeRate> rates;
  // (currency, year, month) -> index in rates
  std::map<std::tuple<std::string, int, unsigned>, std::size_t> seen;
  std::vector<int> blank_lines;
  std::size_t rows = 0;
  CsvRecord row;
  while (errors() < kMaxErrorsPerFile && reader.next(row)) {
    if (row.blank()) {
      blank_lines.push_back(row.line);
      continue;
    }
    for (int physical : blank_lines) {
      if (errors() >= kMaxErrorsPerFile) break;  // a long blank run is one mistake
      diags.error("CSV-FIELD-COUNT", file, physical, 0, "",
                  "an empty row among the rates: delete it");
    }
    blank_lines.clear();
    ++rows;
    if (!row.ok) continue;
    if (row.fields.size() != header.fields.size()) {
      diags.error("CSV-FIELD-COUNT", file, row.line, 0, "",
                  "the row has " + std::to_string(row.fields.size()) + " fields, the header has " +
                      std::to_string(header.fields.size()));
      continue;
    }
    bool ok = true;
    auto error = [&](std::string rule, std::size_t c, std::string message) {
      ok = false;
      diags.error(std::move(rule), file, row.line, row.column(pos[c]), std::string(kColumns[c]),
                  std::string(kColumns[c]) + ": " + message);
    };
    auto raw = [&](std::size_t c) { return row.fields[pos[c]].text; };
    auto text = [&](std::size_t c) { return trim_spaces(raw(c)); };
    for (std::size_t c = 0; c < kColumnCount; ++c) {
      if (text(c).empty()) error("VALUE-REQUIRED", c, "is empty, but required");
    }
    if (!ok) continue;

    ExchangeRate rate;
    rate.pos = SourcePos{file, row.line, row.column(pos[kUnitsPerEur])};
    const std::string_view cur = text(kCurrency);
    if (cur.size() != 3 ||
        !std::all_of(cur.begin(), cur.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; })) {
      error("VALUE-ENUM", kCurrency,
            quote(raw(kCurrency)) + " is not a currency code (3 capital letters, e.g. SEK)");
    } else {
      rate.currency = std::string(cur);
    }
    const std::string_view year = text(kYear);
    if (year.size() != 4 || !all_digits(year)) {
      error("VALUE-NUMBER", kYear, quote(raw(kYear)) + " is not a year (4 digits)");
    } else {
      rate.year = std::stoi(std::string(year));
    }
    const std::string_view month = text(kMonth);
    const int m = month.size() <= 2 && all_digits(month) ? std::stoi(std::string(month)) : 0;
    if (m < 1 || m > 12) {
      error("VALUE-NUMBER", kMonth, quote(raw(kMonth)) + " is not a month (1 to 12)");
    } else {
      rate.month = static_cast<unsigned>(m);
    }
    std::string value(text(kUnitsPerEur));
    if (value.find('.') == std::string::npos) std::replace(value.begin(), value.end(), ',', '.');
    const auto parsed = parse_decimal(value, 6);
    if (!parsed) {
      error("VALUE-NUMBER", kUnitsPerEur,
            quote(raw(kUnitsPerEur)) + " is not a rate (a decimal number, at most 6 decimals)");
    } else if (parsed->units() <= 0) {
      error("VALUE-NUMBER", kUnitsPerEur, quote(raw(kUnitsPerEur)) + " must be greater than 0");
    } else {
      rate.units_per_eur = *parsed;
    }
    if (!ok) continue;
    const auto [it, inserted] =
        seen.emplace(std::tuple{rate.currency, rate.year, rate.month}, rates.size());
    if (!inserted) {
      const ExchangeRate& earlier = rates[it->second];
      if (earlier.units_per_eur != rate.units_per_eur) {
        error("VALUE-INCONSISTENT", kUnitsPerEur,
              quote(raw(kUnitsPerEur)) + " for " + rate.currency + " " + std::to_string(rate.year) +
                  "-" + (rate.month < 10 ? "0" : "") + std::to_string(rate.month) +
                  " differs from " + earlier.units_per_eur.to_string() + " on line " +
                  std::to_string(earlier.pos.line));
      }
      continue;
    }
    rates.push_back(std::move(rate));
  }
  if (errors() >= kMaxErrorsPerFile && !diags.items().empty()) {
    diags.mutable_items().back().message +=
        " [" + std::to_string(kMaxErrorsPerFile) + " errors: the rest of the file is not checked]";
  }
  if (rows == 0 && errors() == 0) {
    diags.error("CSV-NO-LINES", file, header.line, 0, "", "the file has a header but no rate");
  }
  if (errors() > 0) return std::nullopt;
  return rates;
}

}  // namespace cofin
