// Large workbooks: a generated outcome written in constant-memory mode over continuation sheets
// and read back row by row with an independent reader (openpyxl, read-only mode), every line's
// figures compared with the outcome's. The default suite runs a small size; the 100k-line
// comparison and the benchmark are hidden tests that tests/workbook/bench-workbook.sh runs.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "workbook/generated_outcome.h"
#include "workbook/pages.h"
#include "workbook/sheet_writer.h"
#include "workbook/workbook.h"
#include "workbook/workbook_support.h"

using namespace cofin;
using namespace cofin::wbtest;

namespace {

std::size_t env_size(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? static_cast<std::size_t>(std::stoull(v)) : fallback;
}

// Splits "AB12" into column "AB" and 1-based row 12.
std::pair<std::string, std::size_t> split_coord(const std::string& coord) {
  std::size_t i = 0;
  while (i < coord.size() && coord[i] >= 'A' && coord[i] <= 'Z') ++i;
  return {coord.substr(0, i), static_cast<std::size_t>(std::stoul(coord.substr(i)))};
}

struct Comparison {
  std::size_t rows = 0;        // data rows seen
  std::size_t cells = 0;       // cells compared
  std::size_t mismatches = 0;  // cells that differ
  std::string first;           // the first few differences
  void differ(const std::string& what) {
    if (++mismatches <= 10) first += what + "\n";
  }
};

// Reads every Lines sheet of `file` back and compares each line's cells with `o`.
Comparison compare_lines(const RunOutcome& o, const fs::path& file, std::size_t max_rows) {
  const wb::Pages pages("Lines", o.lines.size(), wb::kFirstDataRow, max_rows);
  std::string cmd = std::string("/usr/bin/python3 ") + COFIN_SOURCE_DIR +
                    "/tests/support/xlsx_read.py --stream '" + file.string() + "'";
  for (std::size_t p = 0; p < pages.count(); ++p) cmd += " '" + pages.sheet_name(p) + "'";
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  Comparison c;
  std::size_t page = 0;
  std::string sheet = pages.sheet_name(0);
  char* buf = nullptr;
  std::size_t cap = 0;
  ssize_t len;
  std::size_t last_row = 0;
  while ((len = ::getline(&buf, &cap, pipe)) > 0) {
    std::string text(buf, static_cast<std::size_t>(len));
    if (!text.empty() && text.back() == '\n') text.pop_back();
    const auto f = split_tabs(text);
    if (f.size() < 8 || f[0] != "CELL") continue;
    if (f[1] != sheet) {
      page = 0;
      while (page < pages.count() && pages.sheet_name(page) != f[1]) ++page;
      REQUIRE(page < pages.count());
      sheet = f[1];
    }
    const auto [col, row1] = split_coord(f[2]);
    if (row1 < 3) continue;  // totals and header
    const std::size_t index = pages.begin(page) + (row1 - 3);
    if (index >= pages.end(page)) {
      c.differ(sheet + "!" + f[2] + ": a row past the sheet's lines");
      continue;
    }
    if (row1 != last_row) {
      ++c.rows;
      last_row = row1;
    }
    const LineOutcome& l = o.lines[index];
    const std::string at = sheet + "!" + f[2] + " (line index " + std::to_string(index) + ")";
    const std::string r = std::to_string(row1);
    const auto amount = [&](const std::string& value, Money expected) {
      ++c.cells;
      if (cents_of(value) != expected.cents()) c.differ(at + ": " + value);
    };
    if (col == "A") {
      ++c.cells;
      if (f[3] != "s" || f[6] != l.project) c.differ(at + ": project " + f[6]);
    } else if (col == "D") {
      ++c.cells;
      if (f[6] != std::to_string(l.line.line) + ".0") c.differ(at + ": line " + f[6]);
    } else if (col == "L") {
      ++c.cells;
      if (f[3] != "s" || f[6] != l.line.supplier) c.differ(at + ": supplier " + f[6]);
    } else if (col == "R") {
      if (f[3] != "n" || f[4] != "#,##0.00") c.differ(at + ": declared type " + f[3] + f[4]);
      amount(f[6], l.line.declared);
    } else if (col == "W") {
      if (l.rate) {
        if (f[3] != "f" || f[6] != "=ROUND(R" + r + "/U" + r + ",2)") c.differ(at + ": " + f[6]);
        amount(f[7], l.eur);
      } else {
        amount(f[6], l.eur);
      }
    } else if (col == "AB") {
      if (f[6] != "=W" + r + "-Y" + r + "-Z" + r + "-AA" + r) c.differ(at + ": " + f[6]);
      amount(f[7], l.certified);
    }
  }
  std::free(buf);
  REQUIRE(::pclose(pipe) == 0);
  return c;
}

// Returns the user + system CPU time of the process so far.
double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Returns the process's peak resident set so far, in KiB.
long peak_rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmHWM:") {
      long kib = 0;
      in >> kib;
      return kib;
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("generated outcome read back row by row from constant-memory continuation sheets",
          "[workbook][scale]") {
  const std::size_t n = 5'000;
  const RunOutcome o = generated_outcome(n);
  TempDir dir;
  WorkbookOptions options;
  options.max_rows_per_sheet = 2'002;  // 3 Lines sheets
  options.constant_memory_from_rows = 1'000;
  REQUIRE(uses_constant_memory(o, options));
  const fs::path file = dir.path() / "generated.xlsx";
  write_workbook(o, file, options);
  const Comparison c = compare_lines(o, file, options.max_rows_per_sheet);
  INFO(c.first);
  CHECK(c.mismatches == 0);
  CHECK(c.rows == n);
  CHECK(c.cells == 6 * n);
}

// Hidden: tests/workbook/bench-workbook.sh runs it (COFIN_WB_LINES lines, 100,000 by default).
TEST_CASE("generated outcome of 100k lines read back and compared", "[.][scale-large]") {
  const std::size_t n = env_size("COFIN_WB_LINES", 100'000);
  const std::size_t max_rows = env_size("COFIN_WB_MAX_ROWS", 1'048'576);
  const RunOutcome o = generated_outcome(n);
  TempDir dir;
  WorkbookOptions options;
  options.max_rows_per_sheet = max_rows;
  const fs::path file = dir.path() / "generated.xlsx";
  write_workbook(o, file, options);
  const Comparison c = compare_lines(o, file, max_rows);
  INFO(c.first);
  CHECK(c.mismatches == 0);
  CHECK(c.rows == n);
  CHECK(c.cells == 6 * n);
}

// Hidden benchmark: writes COFIN_WB_LINES generated lines to COFIN_WB_OUT (a directory) and
// prints rows/second and the peak resident memory before and after the write.
TEST_CASE("workbook writer benchmark", "[.][bench]") {
  const std::size_t n = env_size("COFIN_WB_LINES", 100'000);
  const char* out = std::getenv("COFIN_WB_OUT");
  REQUIRE(out != nullptr);
  WorkbookOptions options;
  options.constant_memory_from_rows = env_size("COFIN_WB_CONSTANT_FROM", 50'000);
  const RunOutcome o = generated_outcome(n);
  const long before = peak_rss_kib();
  const double cpu_before = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  const fs::path file = fs::path(out) / "bench.xlsx";
  write_workbook(o, file, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_before;
  const long after = peak_rss_kib();
  std::cout << "lines " << n << " findings " << o.findings.size() << " constant-memory "
            << uses_constant_memory(o, options) << " wall-s " << seconds << " cpu-s " << cpu
            << " rows/s-wall " << static_cast<long>(static_cast<double>(n) / seconds)
            << " rows/s-cpu " << static_cast<long>(static_cast<double>(n) / cpu)
            << " peak-rss-before-write-KiB " << before << " peak-rss-after-write-KiB " << after
            << " writer-peak-growth-KiB " << (after - before) << " file-bytes "
            << fs::file_size(file) << "\n";
  CHECK(fs::file_size(file) > n);
}
