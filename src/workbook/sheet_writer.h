// Internal to src/workbook: the shared formats, checked cell writing and table set-up that every
// sheet uses. Nothing here is part of the public interface (see workbook.h).
#pragma once

#include <xlsxwriter.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calc/outcome.h"
#include "model/date.h"
#include "money/decimal.h"
#include "money/money.h"
#include "workbook/pages.h"

namespace cofin::wb {

// Excel's limit on the characters of one cell.
inline constexpr std::size_t kMaxCellChars = 32767;
// Appended to a text cut at kMaxCellChars.
inline constexpr std::string_view kTruncatedMarker = " \xE2\x80\xA6 [truncated by cofin]";

struct Formats {
  lxw_format* header = nullptr;        // bold, fill, bottom border
  lxw_format* total_label = nullptr;   // bold
  lxw_format* total_amount = nullptr;  // bold, #,##0.00
  lxw_format* total_count = nullptr;   // bold, #,##0
  lxw_format* amount = nullptr;        // #,##0.00
  lxw_format* count = nullptr;         // #,##0
  lxw_format* date = nullptr;          // yyyy-mm-dd
  lxw_format* percent = nullptr;       // 0.00%
  lxw_format* rate = nullptr;          // 0.000000
  lxw_format* link = nullptr;          // blue, underlined
  lxw_format* quoted = nullptr;        // text that must never become a formula (quotePrefix)
  lxw_format* label = nullptr;         // bold (Audit keys)
  lxw_format* bad = nullptr;           // conditional: errors, ineligible rows
  lxw_format* warn = nullptr;          // conditional: warnings
};

// Everything the sheet writers share for one workbook.
struct Context {
  lxw_workbook* workbook = nullptr;
  Formats formats;
  std::string file;  // the target path, for error messages
  const RunOutcome* outcome = nullptr;
  std::shared_ptr<const LineSource> line_source;        // the outcome's lines, held or streamed
  std::shared_ptr<const FindingSource> finding_source;  // the outcome's findings (findings_of)
  Pages lines;  // the line source over `Lines`, `Lines (2)`, …
  // The Lines sheets are placeholders: each with its workbook-wide settings (autofilter, defined
  // names, print titles), no cells; a side workbook writes them whole (write_workbook).
  bool lines_placeholders = false;
  Pages findings;  // the finding source over `Findings`, `Findings (2)`, …
  std::function<std::string()> audit_head;  // WorkbookOptions::audit_head
};

// A table column: header text, width hint (characters) used when the header is shorter.
struct Column {
  const char* header;
  double width;
};

// Returns a 0-based column's letters, e.g. 0 -> "A", 26 -> "AA".
std::string column_name(lxw_col_t col);
// Returns "A1"-style reference of a 0-based cell, optionally absolute ($A$1).
std::string cell_ref(lxw_row_t row, lxw_col_t col, bool absolute = false);
// Returns a sheet name quoted for formulas: 'Lines'.
std::string quoted_sheet(std::string_view name);
// Returns `text` as a formula string literal: "a""b".
std::string formula_literal(std::string_view text);

// Returns true when a spreadsheet could read `text` as a formula (first character `=`, `+`,
// `-`, `@`, tab or CR, or their full-width forms).
bool looks_like_formula(std::string_view text);
// Returns `text` cut to kMaxCellChars characters (UTF-8 code points), with kTruncatedMarker,
// when longer; `text` itself otherwise.
std::string fit_cell(std::string_view text);

// Returns `text` as a workbook can hold and show it unchanged: invalid UTF-8 and the
// noncharacters U+FFFE/U+FFFF (which make the sheet XML ill-formed) become U+FFFD, and a literal
// `_xHHHH_` is escaped as `_x005F_xHHHH_` so Excel does not decode it (ECMA-376 Part 1,
// 22.9.2.19 ST_Xstring). Input text (file names, descriptions) is bytes from partners.
std::string safe_cell_text(std::string_view text);

// Returns true when `text` is printable ASCII without "_x" and at most kMaxCellChars long: then
// fit_cell(safe_cell_text(text)) == text, and the cell is written without either (most cells).
bool plain_cell_text(std::string_view text);

// Exact cents to the double Excel stores.
inline double to_cell(Money m) {
  return static_cast<double>(m.cents()) / 100.0;
}
// An exact decimal (units at a scale) to the nearest double; `extra_scale` divides by 10^n more
// (2 turns a percentage into a fraction).
double to_cell(const Decimal& d, int extra_scale = 0);

// One worksheet with checked writes: every libxlsxwriter return code is checked and a failure
// throws WorkbookError naming the file, the sheet, the cell and libxlsxwriter's error string.
class Sheet {
 public:
  Sheet(Context& ctx, const std::string& name);

  lxw_worksheet* ws() const { return ws_; }
  const std::string& name() const { return name_; }
  const Formats& fmt() const { return ctx_.formats; }

  // Text cell: always a string; a formula-like text gets the quote-prefix format; empty = no cell.
  void text(lxw_row_t row, lxw_col_t col, std::string_view value);
  // Text with a format (headers, labels); a formula-like text gets the quote-prefix format
  // instead.
  void text(lxw_row_t row, lxw_col_t col, std::string_view value, lxw_format* format);
  void number(lxw_row_t row, lxw_col_t col, double value, lxw_format* format = nullptr);
  void integer(lxw_row_t row, lxw_col_t col, std::int64_t value, lxw_format* format = nullptr);
  void money(lxw_row_t row, lxw_col_t col, Money value, lxw_format* format = nullptr);
  void money(lxw_row_t row, lxw_col_t col, const std::optional<Money>& value);
  void date(lxw_row_t row, lxw_col_t col, const Date& value);
  void date(lxw_row_t row, lxw_col_t col, const std::optional<Date>& value);
  // A formula (from cofin's own text, never from input data) with its cached numeric result.
  void formula(lxw_row_t row, lxw_col_t col, const std::string& formula, double cached,
               lxw_format* format);
  // A formula with a cached string result.
  void formula_text(lxw_row_t row, lxw_col_t col, const std::string& formula,
                    const std::string& cached, lxw_format* format);
  // `=SUBTOTAL(9,<col><first>:<col><last>)` with cached `cached` (so filters work).
  void subtotal(lxw_row_t row, lxw_col_t col, lxw_row_t first, lxw_row_t last, double cached,
                lxw_format* format);
  // The totals cell of one page of a paged table: on a continuation page the SUBTOTAL of its own
  // rows; on the first page of several, that plus the continuation pages' totals cells (same
  // cell), so the first sheet shows the whole table's total. `cached` is that figure.
  void paged_total(lxw_row_t row, lxw_col_t col, const Pages& pages, std::size_t page,
                   lxw_row_t last, double cached, lxw_format* format);
  // A cell showing `shown` that links to a cell of another sheet: `=HYPERLINK("#'S'!A5",shown)`.
  void link(lxw_row_t row, lxw_col_t col, std::string_view target_sheet, lxw_row_t target_row,
            std::int64_t shown);

  // Writes the header row and sets column widths from header lengths and the hints.
  void header(lxw_row_t row, std::span<const Column> columns);
  // Autofilter over header..last, a defined name for that range, frozen panes below the header
  // (and right of `frozen_cols`), print set-up (landscape, 1 page wide, repeated rows 0..header,
  // footer with sheet name, page number and run id).
  void table(lxw_row_t header_row, lxw_row_t last_row, lxw_col_t last_col, lxw_col_t frozen_cols,
             const std::string& defined_name);
  // Print set-up only: landscape, A4, 1 page wide, footer; rows first..last repeated on every
  // page when given.
  void print_setup(std::optional<lxw_row_t> repeat_first, std::optional<lxw_row_t> repeat_last);
  void define_name(const std::string& name, lxw_row_t first_row, lxw_col_t first_col,
                   lxw_row_t last_row, lxw_col_t last_col);
  // A formula-type conditional format on one column, rows first..last: `rule` is relative to
  // the first cell of the range.
  void highlight(lxw_col_t col, lxw_row_t first, lxw_row_t last, const std::string& rule,
                 lxw_format* format);

  // Throws WorkbookError unless `err` is LXW_NO_ERROR.
  void check(lxw_error err, std::string_view what) const;
  void check_cell(lxw_error err, lxw_row_t row, lxw_col_t col) const;

 private:
  Context& ctx_;
  std::string name_;
  lxw_worksheet* ws_ = nullptr;
  std::string cell_;  // the text of the cell being written, NUL-terminated for libxlsxwriter
};

// The 0-based row of the first data row in a table sheet: row 0 holds the totals, row 1 the
// header. Sheets without totals put the header in row 0.
inline constexpr lxw_row_t kTotalsRow = 0;
inline constexpr lxw_row_t kHeaderRow = 1;
inline constexpr lxw_row_t kFirstDataRow = 2;

// Returns the last row of a table whose data has `n` rows starting at `first` (the header row
// when there are none, so ranges stay valid).
inline lxw_row_t last_row_of(lxw_row_t first, std::size_t n) {
  return n == 0 ? first - 1 : first + static_cast<lxw_row_t>(n) - 1;
}

// The sheets, each in its own file.
void write_summary_sheet(Context& ctx);
// Lines and Findings write their continuation sheets too (ctx.lines, ctx.findings).
void write_lines_sheets(Context& ctx);
void write_findings_sheets(Context& ctx);
void write_budget_sheet(Context& ctx);
void write_cofinancing_sheet(Context& ctx);
void write_payments_sheet(Context& ctx);
void write_deductions_sheet(Context& ctx);
void write_rates_sheet(Context& ctx);
void write_audit_sheet(Context& ctx);

// Sheet names, in workbook order.
inline constexpr const char* kSummarySheet = "Summary";
inline constexpr const char* kLinesSheet = "Lines";
inline constexpr const char* kFindingsSheet = "Findings";
inline constexpr const char* kBudgetSheet = "Budget";
inline constexpr const char* kCofinancingSheet = "Co-financing";
inline constexpr const char* kPaymentsSheet = "Payments";
inline constexpr const char* kDeductionsSheet = "Deductions";
inline constexpr const char* kRatesSheet = "Rates";
inline constexpr const char* kAuditSheet = "Audit";

// Copies the xlsx at `in` to `out`, setting quotePrefix="1" on the cell format with index
// `xf_index` (libxlsxwriter 1.1.4 has no format_set_quote_prefix) and taking each entry named in
// `spliced` from the xlsx at `side` instead, byte for byte (write_workbook's Lines sheets,
// written on a second thread). Every other entry is copied unchanged.
// REQUIRES: each name in `spliced` is an entry of both files. Throws WorkbookError.
void finish_xlsx(const std::string& in, const std::string& out, int xf_index,
                 const std::string& side = {}, const std::vector<std::string>& spliced = {});

}  // namespace cofin::wb
