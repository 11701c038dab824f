// Properties of the CSV layer: the RFC 4180 record reader, the partner report reader and the
// exchange-rate reader.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fuzz/properties/common.h"
#include "fuzz/properties/report.h"
#include "ingest/csv_rates.h"
#include "ingest/csv_reader.h"
#include "ingest/csv_report.h"
#include "ingest/encoding.h"

namespace cofin::fuzz {

namespace detail {

// The most errors one file may produce: the readers stop at kMaxErrorsPerFile, but the record
// that crosses the cap may add one per column.
inline constexpr std::size_t kErrorBudget = kMaxErrorsPerFile + 64;
// A message quotes at most 60 characters of the input (quote()); a hostile 10 MB field must not
// reach the terminal or the log.
inline constexpr std::size_t kMaxMessageBytes = 2'000;

inline Violation check_bounded(const Diagnostics& diags) {
  if (diags.error_count() > kErrorBudget) {
    return std::to_string(diags.error_count()) + " errors for one file: the cap does not hold";
  }
  for (const auto& d : diags.items()) {
    if (d.message.size() > kMaxMessageBytes) {
      return d.rule_id + " message of " + std::to_string(d.message.size()) + " bytes";
    }
  }
  return {};
}

// Returns `records` written back as CSV, every field quoted, after a `sep=` line.
inline std::string write_csv(const std::vector<std::vector<std::string>>& records, char delim) {
  std::string out = std::string("sep=") + delim + "\n";
  for (const auto& record : records) {
    for (std::size_t i = 0; i < record.size(); ++i) {
      if (i) out.push_back(delim);
      out.push_back('"');
      for (char c : record[i]) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
      }
      out.push_back('"');
    }
    out.push_back('\n');
  }
  return out;
}

// Reads every record of `text`; returns the field texts, and whether every record was ok.
inline Violation read_all(std::string_view text, std::vector<std::vector<std::string>>& records,
                          bool& all_ok, char& delimiter) {
  Diagnostics diags;
  CsvReader reader("fuzz.csv", text, diags);
  delimiter = reader.delimiter();
  if (delimiter != ',' && delimiter != ';') return "delimiter is neither ',' nor ';'";
  CsvRecord record;
  int previous_line = 0;
  std::size_t newlines = 0;
  for (char c : text) newlines += c == '\n';
  all_ok = true;
  std::size_t errors_before = 0;
  while (reader.next(record)) {
    if (diags.error_count() - errors_before > CsvReader::kMaxErrorsPerRecord) {
      return "one record reported " + std::to_string(diags.error_count() - errors_before) +
             " errors";
    }
    errors_before = diags.error_count();
    if (records.size() > newlines + 1) return "more records than lines";
    if (record.line <= previous_line) return "record lines do not increase";
    previous_line = record.line;
    if (record.fields.empty()) return "a record without fields";
    all_ok = all_ok && record.ok;
    std::vector<std::string> fields;
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
      const CsvField& f = record.fields[i];
      if (f.offset > text.size() || f.line_start > f.offset) return "field offset out of range";
      if (f.line < record.line) return "field line before its record";
      if (!f.quoted && text.substr(f.offset, f.text.size()) != f.text) {
        return "unquoted field text is not the input at its offset";
      }
      fields.emplace_back(f.text);
    }
    // Columns are computed by scanning the line: checking every field's would be quadratic.
    if (record.column(record.fields.size() - 1) < 1) return "column below 1";
    records.push_back(std::move(fields));
  }
  for (const auto& d : diags.items()) {
    if (d.rule_id != "CSV-QUOTE" && d.rule_id != "VALUE-TOO-LONG") {
      return "record reader emitted " + d.rule_id;
    }
  }
  all_ok = all_ok && !diags.has_errors();
  // The file-wide cap is the callers' (report and rates readers); the messages are bounded here.
  for (const auto& d : diags.items()) {
    if (d.message.size() > kMaxMessageBytes) return d.rule_id + " message too long";
  }
  return {};
}

}  // namespace detail

// Input: any text. Record structure, offsets, and a write-then-read round trip.
inline Violation csv_reader(std::string_view input) {
  std::vector<std::vector<std::string>> records;
  bool ok = true;
  char delimiter = ',';
  if (auto v = detail::read_all(input, records, ok, delimiter); !v.empty()) return v;
  if (!ok || records.empty()) return {};
  // What was read, written back fully quoted, reads back the same.
  const std::string written = detail::write_csv(records, delimiter);
  std::vector<std::vector<std::string>> again;
  bool ok_again = true;
  char delimiter_again = ',';
  if (auto v = detail::read_all(written, again, ok_again, delimiter_again); !v.empty()) {
    return "re-read: " + v;
  }
  if (!ok_again || delimiter_again != delimiter) return "written records do not re-read cleanly";
  if (again != records) return "written records re-read differently";
  return {};
}

// Input: a report file's bytes (UTF-8); decoded first, as production does.
inline Violation csv_report(std::string_view input) {
  Diagnostics diags;
  const auto text = decode_to_utf8("fuzz.csv", input, "utf-8", diags);
  if (!text) return check_diagnostics(diags, false);
  const auto report = read_report_csv("fuzz.csv", *text, diags);
  if (auto v = check_diagnostics(diags, report.has_value()); !v.empty()) return v;
  if (auto v = detail::check_bounded(diags); !v.empty()) return v;
  if (!report) return {};
  return check_report(*report, true);
}

// Input: an exchange-rate file's bytes (UTF-8).
inline Violation csv_rates(std::string_view input) {
  Diagnostics diags;
  const auto text = decode_to_utf8("fuzz.csv", input, "utf-8", diags);
  if (!text) return check_diagnostics(diags, false);
  const auto rates = read_rates_csv("fuzz.csv", *text, diags);
  if (auto v = check_diagnostics(diags, rates.has_value()); !v.empty()) return v;
  if (auto v = detail::check_bounded(diags); !v.empty()) return v;
  if (!rates) return {};
  if (rates->empty()) return "accepted a rates file without rates";
  RateTable table;
  for (const ExchangeRate& r : *rates) {
    if (r.currency.size() != 3) return "currency is not 3 letters";
    for (char c : r.currency) {
      if (c < 'A' || c > 'Z') return "currency is not 3 capital letters";
    }
    if (r.month < 1 || r.month > 12) return "month out of 1..12";
    if (r.year < 0 || r.year > 9999) return "year not 4 digits";
    if (r.units_per_eur.units() <= 0) return "rate not positive";
    if (!table.add(r)) return "two different rates for one currency month were accepted";
  }
  return {};
}

}  // namespace cofin::fuzz
