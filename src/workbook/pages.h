// Internal to src/workbook: how a long table is split over a first sheet and its continuation
// sheets `Lines (2)`, `Lines (3)`, … when it has more rows than one sheet holds (Excel: 1,048,576
// rows, spec "Lines … continues on `Lines (2)`, … past 1,048,575 rows").
#pragma once

#include <xlsxwriter.h>

#include <algorithm>
#include <cstddef>
#include <string>

namespace cofin::wb {

class Pages {
 public:
  Pages() = default;
  // A table of `rows` data rows whose first data row on every sheet is `first_data_row`, on
  // sheets of at most `max_rows_per_sheet` rows (rows above the data included).
  // REQUIRES: max_rows_per_sheet > first_data_row.
  Pages(std::string base_name, std::size_t rows, lxw_row_t first_data_row,
        std::size_t max_rows_per_sheet)
      : base_(std::move(base_name)),
        rows_(rows),
        first_(first_data_row),
        per_sheet_(max_rows_per_sheet - first_data_row) {}

  // Returns the number of sheets: at least 1 (an empty table still has its sheet).
  std::size_t count() const { return rows_ == 0 ? 1 : (rows_ + per_sheet_ - 1) / per_sheet_; }
  // Returns "Lines" for page 0, "Lines (2)" for page 1, …
  std::string sheet_name(std::size_t page) const {
    return page == 0 ? base_ : base_ + " (" + std::to_string(page + 1) + ")";
  }
  // Returns a defined-name suffix: "" for page 0, "_2" for page 1, …
  std::string name_suffix(std::size_t page) const {
    return page == 0 ? std::string() : "_" + std::to_string(page + 1);
  }
  // Returns the first and one-past-the-last data index on `page`.
  std::size_t begin(std::size_t page) const { return std::min(rows_, page * per_sheet_); }
  std::size_t end(std::size_t page) const { return std::min(rows_, (page + 1) * per_sheet_); }
  // Returns the page that holds data index `index`.
  std::size_t page_of(std::size_t index) const { return index / per_sheet_; }
  // Returns the 0-based sheet row of data index `index` on its page.
  lxw_row_t row_of(std::size_t index) const {
    return first_ + static_cast<lxw_row_t>(index % per_sheet_);
  }
  lxw_row_t first_data_row() const { return first_; }

 private:
  std::string base_;
  std::size_t rows_ = 0;
  lxw_row_t first_ = 0;
  std::size_t per_sheet_ = 1;
};

}  // namespace cofin::wb
