// cofin_bench_xlsx_floor: the workbook floor of the benchmark (issue #6). A minimal
// libxlsxwriter program writing as many strings, numbers and formulas-with-cached-values as
// cofin's workbook holds (counted from that workbook by bench/count_cells.py), with the same
// number formats (#,##0.00 on amounts, bold header row) and the same mode (constant-memory or
// not, tmpdir beside the output, no zip64): what cofin's workbook writing cannot be faster than.
//
//   cofin_bench_xlsx_floor OUT.xlsx STRINGS NUMBERS FORMULAS AVG_STRING_CHARS UNIQUE_STRINGS
//                          CONSTANT_MEMORY(0|1)
//
// Cells are written row by row, 20 to a row, the three kinds interleaved in proportion; a sheet
// is continued on another past 1,048,575 rows. Prints seconds, cells/s and peak RSS.
#include <sys/resource.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace {

constexpr int kColumns = 20;
constexpr std::uint32_t kRowsPerSheet = 1'048'575;

long long count(const char* text) {
  return std::stoll(text);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr,
                 "usage: cofin_bench_xlsx_floor OUT.xlsx STRINGS NUMBERS FORMULAS "
                 "AVG_STRING_CHARS UNIQUE_STRINGS CONSTANT_MEMORY\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  const long long strings = count(argv[2]);
  const long long numbers = count(argv[3]);
  const long long formulas = count(argv[4]);
  const long long avg_chars = std::max(1LL, count(argv[5]));
  const long long unique = std::max(1LL, count(argv[6]));
  const bool constant_memory = count(argv[7]) != 0;

  const auto start = std::chrono::steady_clock::now();
  std::string tmpdir = std::filesystem::absolute(out).parent_path().string();
  lxw_workbook_options options{};
  options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  options.tmpdir = constant_memory ? tmpdir.data() : nullptr;
  options.use_zip64 = LXW_FALSE;
  lxw_workbook* book = workbook_new_opt(out.c_str(), &options);
  if (book == nullptr) return 1;
  lxw_format* amount = workbook_add_format(book);
  format_set_num_format(amount, "#,##0.00");
  lxw_format* header = workbook_add_format(book);
  format_set_bold(header);

  const long long total = strings + numbers + formulas;
  long long written_s = 0, written_n = 0, written_f = 0;
  lxw_worksheet* sheet = nullptr;
  int sheet_no = 0;
  std::uint32_t row = kRowsPerSheet;
  std::string text;
  char buffer[64];
  for (long long k = 0; k < total; ++k) {
    const int col = static_cast<int>(k % kColumns);
    if (col == 0) {
      if (++row >= kRowsPerSheet) {
        sheet = workbook_add_worksheet(book, ("Sheet" + std::to_string(++sheet_no)).c_str());
        worksheet_write_string(sheet, 0, 0, "header", header);
        row = 1;
      }
    }
    // Interleave the kinds in proportion: the kind furthest behind its share goes next.
    const double done = static_cast<double>(k + 1);
    const double lag_s = strings * done / total - written_s;
    const double lag_n = numbers * done / total - written_n;
    const double lag_f = formulas * done / total - written_f;
    if (lag_s >= lag_n && lag_s >= lag_f && written_s < strings) {
      text = std::to_string(written_s % unique);
      text.resize(std::max(text.size(), static_cast<std::size_t>(avg_chars)), 'x');
      worksheet_write_string(sheet, row, static_cast<lxw_col_t>(col), text.c_str(), nullptr);
      ++written_s;
    } else if (lag_n >= lag_f && written_n < numbers) {
      worksheet_write_number(sheet, row, static_cast<lxw_col_t>(col),
                             static_cast<double>(k % 1000003) / 100.0, amount);
      ++written_n;
    } else {
      std::snprintf(buffer, sizeof buffer, "=B%u-C%u", row + 1, row + 1);
      worksheet_write_formula_num(sheet, row, static_cast<lxw_col_t>(col), buffer, amount,
                                  static_cast<double>(k % 999983) / 100.0);
      ++written_f;
    }
  }
  const lxw_error err = workbook_close(book);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf(
      "cells %lld strings %lld numbers %lld formulas %lld constant_memory %d total_s %.3f "
      "cells_per_s %.0f peak_rss_mib %.1f\n",
      total, written_s, written_n, written_f, constant_memory ? 1 : 0, seconds, total / seconds,
      usage.ru_maxrss / 1024.0);
  return err == LXW_NO_ERROR ? 0 : 1;
}
