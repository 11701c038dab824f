// Co-financing: per partner report, the eligible base and the ERDF, state and own shares, the
// cumulative position against budgeted ERDF and granted state co-financing, and the difference
// between per-report and cumulative rounding (domain §6, §7). The shares re-compute as formulas
// written so binary doubles cannot shift a cent (libraries.md: FLOOR as INT(ROUND(x*100,6))/100).
#include <array>

#include "workbook/sheet_writer.h"

namespace cofin::wb {

namespace {

enum Col : lxw_col_t {
  kProject,
  kPartner,
  kReport,
  kRounding,
  kEligible,
  kErdfRate,
  kErdfPerReport,
  kErdfCumulative,
  kErdfDifference,
  kErdfCapped,
  kErdf,
  kStateRule,
  kStateBase,
  kStatePercent,
  kStatePerReport,
  kStateCumulative,
  kStateDifference,
  kStateCapped,
  kState,
  kOwn,
  kCumEligible,
  kCumErdf,
  kBudgetedErdf,
  kErdfHeadroom,
  kCumState,
  kStateGranted,
  kStateHeadroom,
  kColumnCount
};

constexpr std::array<Column, kColumnCount> kColumns = {{
    {"Project", 12},
    {"Partner", 8},
    {"Report", 8},
    {"Share rounding", 11},
    {"Eligible base (EUR)", 15},
    {"ERDF rate", 9},
    {"ERDF per-report (EUR)", 15},
    {"ERDF cumulative (EUR)", 15},
    {"ERDF rounding difference (EUR)", 15},
    {"ERDF capped (EUR)", 15},
    {"ERDF (EUR)", 15},
    {"State co-financing rule", 30},
    {"State base (EUR)", 15},
    {"State rate", 9},
    {"State per-report (EUR)", 15},
    {"State cumulative (EUR)", 15},
    {"State rounding difference (EUR)", 15},
    {"State capped (EUR)", 15},
    {"State (EUR)", 15},
    {"Own contribution (EUR)", 15},
    {"Cumulative eligible (EUR)", 15},
    {"Cumulative ERDF (EUR)", 15},
    {"Budgeted ERDF (EUR)", 15},
    {"ERDF headroom (EUR)", 15},
    {"Cumulative state (EUR)", 15},
    {"State granted (EUR)", 15},
    {"State headroom (EUR)", 15},
}};

constexpr std::array<Col, 13> kTotalled = {
    kEligible,       kErdfPerReport,   kErdfCumulative,  kErdfDifference, kErdfCapped, kErdf,
    kStatePerReport, kStateCumulative, kStateDifference, kStateCapped,    kState,      kOwn,
    kStateBase};

Money column_value(const ReportOutcome& r, Col c) {
  switch (c) {
    case kEligible:
      return r.eligible;
    case kErdfPerReport:
      return r.erdf_per_report;
    case kErdfCumulative:
      return r.erdf_cumulative;
    case kErdfDifference:
      return r.erdf_rounding_difference;
    case kErdfCapped:
      return r.erdf_capped;
    case kErdf:
      return r.erdf;
    case kStateBase:
      return r.state_base_amount;
    case kStatePerReport:
      return r.state_per_report;
    case kStateCumulative:
      return r.state_cumulative;
    case kStateDifference:
      return r.state_rounding_difference;
    case kStateCapped:
      return r.state_capped;
    case kState:
      return r.state;
    case kOwn:
      return r.own;
    default:
      return Money();
  }
}

// FLOOR(base × percent, 2) (domain §6, §7: a public share never exceeds its rate), as a
// formula that survives binary doubles (libraries.md).
std::string floor_share(const std::string& base, const std::string& rate) {
  return "=INT(ROUND(" + base + "*" + rate + "*100,6))/100";
}

}  // namespace

void write_cofinancing_sheet(Context& ctx) {
  const RunOutcome& out = *ctx.outcome;
  Sheet s(ctx, kCofinancingSheet);
  const Formats& f = s.fmt();
  const lxw_row_t first = kFirstDataRow;
  const lxw_row_t last = last_row_of(first, out.reports.size());

  s.table(kHeaderRow, last, kColumnCount - 1, kReport + 1, "Cofinancing_Table");
  s.highlight(kErdfDifference, first, last, "=" + cell_ref(first, kErdfDifference) + "<>0", f.warn);
  s.highlight(kStateDifference, first, last, "=" + cell_ref(first, kStateDifference) + "<>0",
              f.warn);
  s.highlight(kErdfCapped, first, last, "=" + cell_ref(first, kErdfCapped) + "<>0", f.bad);
  s.highlight(kStateCapped, first, last, "=" + cell_ref(first, kStateCapped) + "<>0", f.bad);
  s.highlight(kErdfHeadroom, first, last, "=" + cell_ref(first, kErdfHeadroom) + "<0", f.bad);
  s.highlight(kStateHeadroom, first, last, "=" + cell_ref(first, kStateHeadroom) + "<0", f.bad);

  s.text(kTotalsRow, kProject, "Total", f.total_label);
  for (Col c : kTotalled) {
    Money sum;
    for (const ReportOutcome& r : out.reports) sum += column_value(r, c);
    s.subtotal(kTotalsRow, c, first, last, to_cell(sum), f.total_amount);
  }

  s.header(kHeaderRow, kColumns);

  lxw_row_t row = first;
  for (const ReportOutcome& r : out.reports) {
    const auto ref = [&row](Col c) { return cell_ref(row, c); };
    s.text(row, kProject, r.project);
    s.integer(row, kPartner, r.partner);
    s.integer(row, kReport, r.report);
    s.text(row, kRounding, r.per_report_rounding ? "per-report" : "cumulative");
    s.money(row, kEligible, r.eligible);
    s.number(row, kErdfRate, to_cell(r.erdf_rate, 2), f.percent);
    // A formula only where it gives the engine's figure; the figure itself otherwise (e.g. a
    // ceiling cut the share): the recalculation test holds both to the cent.
    if (r.erdf_per_report == apply_percent(r.eligible, r.erdf_rate, Rounding::kFloor)) {
      s.formula(row, kErdfPerReport, floor_share(ref(kEligible), ref(kErdfRate)),
                to_cell(r.erdf_per_report), f.amount);
    } else {
      s.money(row, kErdfPerReport, r.erdf_per_report);
    }
    s.money(row, kErdfCumulative, r.erdf_cumulative);
    if (r.erdf_rounding_difference == r.erdf_cumulative - r.erdf_per_report) {
      s.formula(row, kErdfDifference, "=" + ref(kErdfCumulative) + "-" + ref(kErdfPerReport),
                to_cell(r.erdf_rounding_difference), f.amount);
    } else {
      s.money(row, kErdfDifference, r.erdf_rounding_difference);
    }
    s.money(row, kErdfCapped, r.erdf_capped);
    s.money(row, kErdf, r.erdf);

    s.text(row, kStateRule, r.state_rule);
    s.money(row, kStateBase, r.state_base_amount);
    if (r.state_percent) s.number(row, kStatePercent, to_cell(*r.state_percent, 2), f.percent);
    if (r.state_percent &&
        r.state_per_report ==
            apply_percent(r.state_base_amount, *r.state_percent, Rounding::kFloor)) {
      s.formula(row, kStatePerReport, floor_share(ref(kStateBase), ref(kStatePercent)),
                to_cell(r.state_per_report), f.amount);
    } else {
      s.money(row, kStatePerReport, r.state_per_report);
    }
    s.money(row, kStateCumulative, r.state_cumulative);
    if (r.state_rounding_difference == r.state_cumulative - r.state_per_report) {
      s.formula(row, kStateDifference, "=" + ref(kStateCumulative) + "-" + ref(kStatePerReport),
                to_cell(r.state_rounding_difference), f.amount);
    } else {
      s.money(row, kStateDifference, r.state_rounding_difference);
    }
    s.money(row, kStateCapped, r.state_capped);
    s.money(row, kState, r.state);
    // Own contribution: the remainder, never rounded on its own (domain §6).
    if (r.own == r.eligible - r.erdf - r.state) {
      s.formula(row, kOwn, "=" + ref(kEligible) + "-" + ref(kErdf) + "-" + ref(kState),
                to_cell(r.own), f.amount);
    } else {
      s.money(row, kOwn, r.own);
    }

    s.money(row, kCumEligible, r.cumulative_eligible);
    s.money(row, kCumErdf, r.cumulative_erdf);
    s.money(row, kBudgetedErdf, r.budgeted_erdf);
    s.formula(row, kErdfHeadroom, "=" + ref(kBudgetedErdf) + "-" + ref(kCumErdf),
              to_cell(r.budgeted_erdf - r.cumulative_erdf), f.amount);
    s.money(row, kCumState, r.cumulative_state);
    if (r.state_granted) {
      s.money(row, kStateGranted, *r.state_granted);
      s.formula(row, kStateHeadroom, "=" + ref(kStateGranted) + "-" + ref(kCumState),
                to_cell(*r.state_granted - r.cumulative_state), f.amount);
    }
    ++row;
  }
}

}  // namespace cofin::wb
