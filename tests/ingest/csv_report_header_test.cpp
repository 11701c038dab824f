// A report CSV repeats its header fields (project ... submitted-on) on every row; the reader
// compares a row's header fields with the first row's as one run of bytes when they are adjacent
// (ingest/csv_report.cpp), and one by one otherwise. Whatever the columns' order, a differing
// header field is reported exactly where it is, and one that differs only in surrounding spaces
// or quoting is not a difference.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "ingest/csv_report.h"

using namespace cofin;

namespace {

const std::vector<std::string> kColumns = {
    "project",       "partner",      "report",    "period-start", "period-end",      "submitted-on",
    "line",          "category",     "unit-cost", "units",        "internal-ref",    "invoice-no",
    "invoice-date",  "payment-date", "supplier",  "supplier-id",  "procurement-ref", "description",
    "invoice-total", "vat",          "declared",  "currency",     "reincluded-from"};

using Row = std::map<std::string, std::string>;

Row row(int line) {
  Row r{{"project", "CB0100123"},
        {"partner", "1"},
        {"report", "2"},
        {"period-start", "2024-01-01"},
        {"period-end", "2024-06-30"},
        {"submitted-on", "2024-07-10"},
        {"line", std::to_string(line)},
        {"category", "external"},
        {"declared", "10.00"},
        {"currency", "EUR"},
        {"description", "\"a, b\""}};
  for (const std::string& c : kColumns) r.emplace(c, "");
  return r;
}

// Returns a report CSV with the columns in `order` and one row per entry of `rows`.
std::string csv(const std::vector<std::string>& order, const std::vector<Row>& rows) {
  std::string out;
  for (std::size_t k = 0; k < order.size(); ++k) out += (k ? "," : "") + order[k];
  out += "\n";
  for (const Row& r : rows) {
    for (std::size_t k = 0; k < order.size(); ++k) out += (k ? "," : "") + r.at(order[k]);
    out += "\n";
  }
  return out;
}

std::vector<std::string> formatted(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.items()) out.push_back(format_diagnostic(d));
  return out;
}

// Column orders: header columns first (as written by cofin's template), adjacent in the middle,
// adjacent at the end (no field after them), and apart.
std::vector<std::vector<std::string>> orders() {
  std::vector<std::string> middle(kColumns.begin() + 6, kColumns.begin() + 12);
  middle.insert(middle.end(), kColumns.begin(), kColumns.begin() + 6);
  middle.insert(middle.end(), kColumns.begin() + 12, kColumns.end());
  std::vector<std::string> end(kColumns.begin() + 6, kColumns.end());
  end.insert(end.end(), kColumns.begin(), kColumns.begin() + 6);
  std::vector<std::string> apart = kColumns;
  std::swap(apart[2], apart[10]);
  return {kColumns, middle, end, apart};
}

}  // namespace

TEST_CASE("csv report rows with the first row's header bytes are read in full", "[csv]") {
  for (const auto& order : orders()) {
    Diagnostics diags;
    const auto report = read_report_csv("r.csv", csv(order, {row(1), row(2), row(3)}), diags);
    INFO(order[0] << " " << order.back());
    REQUIRE(report);
    CHECK(diags.items().empty());
    CHECK(report->project == "CB0100123");
    CHECK(report->report == 2);
    REQUIRE(report->lines.size() == 3);
    CHECK(report->lines[2].line == 3);
    CHECK(report->lines[2].description == "a, b");
    CHECK(report->lines[2].declared.cents() == 1000);
  }
}

TEST_CASE("csv report header fields differing in spaces or quoting only are the same", "[csv]") {
  for (const auto& order : orders()) {
    Row spaced = row(2);
    spaced["project"] = " CB0100123 ";
    Row quoted = row(3);
    quoted["report"] = "\"2\"";
    quoted["period-end"] = "\"2024-06-30\"";
    Diagnostics diags;
    const auto report = read_report_csv("r.csv", csv(order, {row(1), spaced, quoted}), diags);
    INFO(order[0] << " " << order.back());
    CHECK(formatted(diags).empty());
    REQUIRE(report);
    CHECK(report->lines.size() == 3);
  }
}

TEST_CASE("csv report header field differences are reported wherever the columns are", "[csv]") {
  for (const auto& order : orders()) {
    Row other_report = row(2);
    other_report["report"] = "3";
    Row other_project = row(3);
    other_project["project"] = "\"CB0100124\"";
    Row other_end = row(4);
    other_end["submitted-on"] = "2024-07-11";
    Diagnostics diags;
    const auto report = read_report_csv(
        "r.csv", csv(order, {row(1), other_report, other_project, other_end, row(5)}), diags);
    INFO(order[0] << " " << order.back());
    CHECK_FALSE(report);
    // The column (1-based, in characters) of each changed field on its row.
    auto column = [&](const Row& r, const std::string& name) {
      int at = 1;
      for (const std::string& c : order) {
        if (c == name) return at;
        at += static_cast<int>(r.at(c).size()) + 1;
      }
      return 0;
    };
    CHECK(formatted(diags) ==
          std::vector<std::string>{
              "r.csv:3:" + std::to_string(column(other_report, "report")) +
                  ": error CSV-HEADER-MISMATCH: report: '3' differs from '2' on line 2 (one "
                  "report per file)",
              "r.csv:4:" + std::to_string(column(other_project, "project")) +
                  ": error CSV-HEADER-MISMATCH: project: 'CB0100124' differs from "
                  "'CB0100123' on line 2 (one report per file)",
              "r.csv:5:" + std::to_string(column(other_end, "submitted-on")) +
                  ": error CSV-HEADER-MISMATCH: submitted-on: '2024-07-11' differs from "
                  "'2024-07-10' on line 2 (one report per file)"});
  }
}
