// Rates: the exchange rates the run used (InforEuro: units of currency per 1 EUR).
#include <array>

#include "workbook/sheet_writer.h"

namespace cofin::wb {

namespace {

enum Col : lxw_col_t { kCurrency, kYear, kMonth, kUnitsPerEur, kSource, kColumnCount };

constexpr std::array<Column, kColumnCount> kColumns = {{
    {"Currency", 9},
    {"Year", 6},
    {"Month", 6},
    {"Units per EUR", 14},
    {"Source", 30},
}};

}  // namespace

void write_rates_sheet(Context& ctx) {
  const RunOutcome& out = *ctx.outcome;
  Sheet s(ctx, kRatesSheet);
  const lxw_row_t header = 0;
  const lxw_row_t first = header + 1;
  const lxw_row_t last = last_row_of(first, out.rates_used.size());
  s.table(header, last, kColumnCount - 1, 0, "Rates_Table");
  s.header(header, kColumns);
  lxw_row_t row = first;
  for (const ExchangeRate& r : out.rates_used) {
    s.text(row, kCurrency, r.currency);
    s.integer(row, kYear, r.year);
    s.integer(row, kMonth, r.month);
    s.number(row, kUnitsPerEur, to_cell(r.units_per_eur), s.fmt().rate);
    s.text(row, kSource, r.pos.file);
    ++row;
  }
}

}  // namespace cofin::wb
