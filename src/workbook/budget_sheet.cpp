// Budget: per partner, report and cost category, the approved budget against what has been
// certified so far, the flexibility limit and the excess capped (BUDGET-FLEX). Flat-rate amounts
// are booked to their category. Total so far, remaining and % used re-compute as formulas.
#include <array>
#include <limits>

#include "model/enums.h"
#include "money/int128.h"
#include "money/rounding.h"
#include "workbook/sheet_writer.h"

namespace cofin::wb {

namespace {

enum Col : lxw_col_t {
  kProject,
  kPartner,
  kReport,
  kCategory,
  kBudget,
  kPrevious,
  kThisReport,
  kTotal,
  kRemaining,
  kPercentUsed,
  kFlexLimit,
  kOverLimit,
  kColumnCount
};

constexpr std::array<Column, kColumnCount> kColumns = {{
    {"Project", 12},
    {"Partner", 8},
    {"Report", 8},
    {"Category", 14},
    {"Budget (EUR)", 15},
    {"Previously certified (EUR)", 15},
    {"This report (EUR)", 15},
    {"Total so far (EUR)", 15},
    {"Remaining (EUR)", 15},
    {"% used", 9},
    {"Flexibility limit (EUR)", 15},
    {"Over limit, capped (EUR)", 15},
}};

// Returns true when `percent` is HALF_UP(total / budget × 100, 2), the figure the % used formula
// ROUND(total/budget, 4) re-computes (HALF_UP per BudgetRow::percent_used).
bool percent_matches(const BudgetRow& b) {
  if (!b.percent_used || b.budget.cents() == 0) return false;
  const i128 basis_points = divide_rounded(static_cast<i128>(b.total.cents()) * 10'000,
                                           b.budget.cents(), Rounding::kHalfUp);
  if (basis_points > std::numeric_limits<std::int64_t>::max() ||
      basis_points < std::numeric_limits<std::int64_t>::min()) {
    return false;
  }
  return *b.percent_used == Decimal::from_units(static_cast<std::int64_t>(basis_points), 2);
}

}  // namespace

void write_budget_sheet(Context& ctx) {
  const RunOutcome& out = *ctx.outcome;
  Sheet s(ctx, kBudgetSheet);
  const Formats& f = s.fmt();
  const lxw_row_t first = kFirstDataRow;
  const lxw_row_t last = last_row_of(first, out.budget.size());

  s.table(kHeaderRow, last, kColumnCount - 1, kCategory + 1, "Budget_Table");
  // Over-limit rows: an excess was capped, or the total passed the flexibility limit.
  s.highlight(kOverLimit, first, last, "=" + cell_ref(first, kOverLimit) + ">0", f.bad);
  s.highlight(kTotal, first, last,
              "=" + cell_ref(first, kTotal) + ">" + cell_ref(first, kFlexLimit), f.bad);
  s.highlight(kRemaining, first, last, "=" + cell_ref(first, kRemaining) + "<0", f.warn);

  // Only the additive columns are totalled: budgets and running totals repeat per report.
  s.text(kTotalsRow, kProject, "Total", f.total_label);
  Money this_report, over;
  for (const BudgetRow& b : out.budget) {
    this_report += b.this_report;
    over += b.over_limit;
  }
  s.subtotal(kTotalsRow, kThisReport, first, last, to_cell(this_report), f.total_amount);
  s.subtotal(kTotalsRow, kOverLimit, first, last, to_cell(over), f.total_amount);

  s.header(kHeaderRow, kColumns);

  lxw_row_t row = first;
  for (const BudgetRow& b : out.budget) {
    const auto ref = [&row](Col c) { return cell_ref(row, c); };
    s.text(row, kProject, b.project);
    s.integer(row, kPartner, b.partner);
    s.integer(row, kReport, b.report);
    s.text(row, kCategory, category_name(b.category));
    s.money(row, kBudget, b.budget);
    s.money(row, kPrevious, b.previous);
    s.money(row, kThisReport, b.this_report);
    // Formulas where the engine's figures obey the identity; its figure as a value otherwise.
    if (b.total == b.previous + b.this_report) {
      s.formula(row, kTotal, "=" + ref(kPrevious) + "+" + ref(kThisReport), to_cell(b.total),
                f.amount);
    } else {
      s.money(row, kTotal, b.total);
    }
    if (b.remaining == b.budget - b.total) {
      s.formula(row, kRemaining, "=" + ref(kBudget) + "-" + ref(kTotal), to_cell(b.remaining),
                f.amount);
    } else {
      s.money(row, kRemaining, b.remaining);
    }
    if (percent_matches(b)) {
      // HALF_UP(total / budget × 100, 2) as a fraction: ROUND to 4 places.
      s.formula(row, kPercentUsed, "=ROUND(" + ref(kTotal) + "/" + ref(kBudget) + ",4)",
                to_cell(*b.percent_used, 2), f.percent);
    } else if (b.percent_used) {
      s.number(row, kPercentUsed, to_cell(*b.percent_used, 2), f.percent);
    }
    s.money(row, kFlexLimit, b.flex_limit);
    s.money(row, kOverLimit, b.over_limit);
    ++row;
  }
}

}  // namespace cofin::wb
