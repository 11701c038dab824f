// Deductions: the error typology × cost category matrix. Rows: the controller's and MA/JS's
// typologies, cofin's rule ids for rule-based cuts, and the flat-rate row (the knock-on of line
// cuts on flat rates); columns: the six cost categories and a row total (SUM).
#include <array>
#include <map>
#include <tuple>

#include "model/enums.h"
#include "workbook/sheet_writer.h"

namespace cofin::wb {

namespace {

constexpr lxw_col_t kBy = 0;
constexpr lxw_col_t kTypology = 1;
constexpr lxw_col_t kText = 2;
constexpr lxw_col_t kFirstCategory = 3;
constexpr lxw_col_t kCategoryCount = static_cast<lxw_col_t>(std::size(kAllCategories));
constexpr lxw_col_t kRowTotal = kFirstCategory + kCategoryCount;

constexpr const char* kFlatRateLabel = "flat-rate knock-on";

// A matrix row: flat-rate rows last, then by who deducted and the typology id.
struct RowKey {
  bool flat_rate = false;
  std::string by;
  std::string typology;
  auto operator<=>(const RowKey&) const = default;
};

struct RowValue {
  std::string text;
  std::array<Money, std::size(kAllCategories)> amounts{};
};

std::size_t category_index(Category c) {
  for (std::size_t i = 0; i < std::size(kAllCategories); ++i) {
    if (kAllCategories[i] == c) return i;
  }
  return 0;
}

}  // namespace

void write_deductions_sheet(Context& ctx) {
  const RunOutcome& out = *ctx.outcome;
  Sheet s(ctx, kDeductionsSheet);
  const Formats& f = s.fmt();

  std::map<RowKey, RowValue> matrix;
  for (const DeductionEntry& d : out.deductions) {
    RowValue& v = matrix[RowKey{d.flat_rate, d.by, d.flat_rate ? std::string() : d.typology}];
    if (v.text.empty()) v.text = d.flat_rate ? kFlatRateLabel : d.typology_text;
    v.amounts[category_index(d.category)] += d.amount;
  }

  const lxw_row_t first = kFirstDataRow;
  const lxw_row_t last = last_row_of(first, matrix.size());
  s.table(kHeaderRow, last, kRowTotal, kText + 1, "Deductions_Table");

  // Column totals (SUBTOTAL, so filters work), from exact cents.
  s.text(kTotalsRow, kBy, "Total", f.total_label);
  Money grand;
  for (lxw_col_t c = 0; c < kCategoryCount; ++c) {
    Money sum;
    for (const auto& [key, value] : matrix) sum += value.amounts[c];
    grand += sum;
    s.subtotal(kTotalsRow, kFirstCategory + c, first, last, to_cell(sum), f.total_amount);
  }
  s.subtotal(kTotalsRow, kRowTotal, first, last, to_cell(grand), f.total_amount);

  std::vector<Column> columns = {{"Deducted by", 12}, {"Typology or rule", 22}, {"Meaning", 40}};
  std::vector<std::string> headers;
  for (Category c : kAllCategories) headers.push_back(std::string(category_name(c)) + " (EUR)");
  for (const std::string& h : headers) columns.push_back({h.c_str(), 15});
  columns.push_back({"Total (EUR)", 15});
  s.header(kHeaderRow, columns);

  lxw_row_t row = first;
  for (const auto& [key, value] : matrix) {
    s.text(row, kBy, key.by);
    s.text(row, kTypology, key.flat_rate ? std::string(kFlatRateLabel) : key.typology);
    s.text(row, kText, value.text);
    Money total;
    for (lxw_col_t c = 0; c < kCategoryCount; ++c) {
      s.money(row, kFirstCategory + c, value.amounts[c]);
      total += value.amounts[c];
    }
    s.formula(row, kRowTotal,
              "=SUM(" + cell_ref(row, kFirstCategory) + ":" +
                  cell_ref(row, kFirstCategory + kCategoryCount - 1) + ")",
              to_cell(total), f.amount);
    ++row;
  }
}

}  // namespace cofin::wb
