// Summary: one row per partner report, totals (SUBTOTAL) in row 1 above the header.
#include <array>

#include "workbook/sheet_writer.h"

namespace cofin::wb {

namespace {

enum Col : lxw_col_t {
  kProject,
  kAcronym,
  kPartner,
  kPartnerName,
  kReport,
  kPeriodStart,
  kPeriodEnd,
  kStatus,
  kDeclared,
  kDeducted,
  kParked,
  kEligible,
  kErdfRate,
  kErdf,
  kStateRule,
  kState,
  kOwn,
  kErdfDue,
  kStateDue,
  kNotDue,
  kErdfPaid,
  kStatePaid,
  kErdfDiff,
  kStateDiff,
  kFindings,
  kColumnCount
};

constexpr std::array<Column, kColumnCount> kColumns = {{
    {"Project", 12},
    {"Acronym", 12},
    {"Partner", 8},
    {"Partner name", 30},
    {"Report", 8},
    {"Period start", 11},
    {"Period end", 11},
    {"Status", 12},
    {"Declared (EUR)", 15},
    {"Deducted (EUR)", 15},
    {"Parked (EUR)", 15},
    {"Eligible after control (EUR)", 15},
    {"ERDF rate", 9},
    {"ERDF (EUR)", 15},
    {"State co-financing rule", 30},
    {"State (EUR)", 15},
    {"Own contribution (EUR)", 15},
    {"ERDF due (EUR)", 15},
    {"State due (EUR)", 15},
    {"Not due because", 30},
    {"ERDF paid (EUR)", 15},
    {"State paid (EUR)", 15},
    {"ERDF difference (EUR)", 15},
    {"State difference (EUR)", 15},
    {"Findings", 9},
}};

// The amount columns that get a SUBTOTAL in the totals row.
constexpr std::array<Col, 13> kTotalled = {kDeclared,  kDeducted, kParked,   kEligible, kErdf,
                                           kState,     kOwn,      kErdfDue,  kStateDue, kErdfPaid,
                                           kStatePaid, kErdfDiff, kStateDiff};

Money column_value(const ReportOutcome& r, Col c) {
  switch (c) {
    case kDeclared:
      return r.declared;
    case kDeducted:
      return r.deducted;
    case kParked:
      return r.parked;
    case kEligible:
      return r.eligible;
    case kErdf:
      return r.erdf;
    case kState:
      return r.state;
    case kOwn:
      return r.own;
    case kErdfDue:
      return r.erdf_due;
    case kStateDue:
      return r.state_due;
    case kErdfPaid:
      return r.erdf_paid;
    case kStatePaid:
      return r.state_paid;
    case kErdfDiff:
      return r.erdf_due - r.erdf_paid;
    case kStateDiff:
      return r.state_due - r.state_paid;
    default:
      return Money();
  }
}

}  // namespace

void write_summary_sheet(Context& ctx) {
  const RunOutcome& out = *ctx.outcome;
  Sheet s(ctx, kSummarySheet);
  const Formats& f = s.fmt();
  const lxw_row_t first = kFirstDataRow;
  const lxw_row_t last = last_row_of(first, out.reports.size());

  s.table(kHeaderRow, last, kColumnCount - 1, kPartnerName + 1, "Summary_Table");
  s.highlight(kErdfDiff, first, last, "=" + cell_ref(first, kErdfDiff) + "<>0", f.warn);
  s.highlight(kStateDiff, first, last, "=" + cell_ref(first, kStateDiff) + "<>0", f.warn);

  // Totals first (row 1), from exact cents, so constant-memory mode stays row by row.
  s.text(kTotalsRow, kProject, "Total", f.total_label);
  for (Col c : kTotalled) {
    Money sum;
    for (const ReportOutcome& r : out.reports) sum += column_value(r, c);
    s.subtotal(kTotalsRow, c, first, last, to_cell(sum), f.total_amount);
  }
  std::int64_t findings = 0;
  for (const ReportOutcome& r : out.reports) findings += r.findings;
  s.subtotal(kTotalsRow, kFindings, first, last, static_cast<double>(findings), f.total_count);

  s.header(kHeaderRow, kColumns);

  lxw_row_t row = first;
  for (const ReportOutcome& r : out.reports) {
    const auto ref = [row](Col c) { return cell_ref(row, c); };
    s.text(row, kProject, r.project);
    s.text(row, kAcronym, r.acronym);
    s.integer(row, kPartner, r.partner);
    s.text(row, kPartnerName, r.partner_name);
    if (r.line_count > 0 && r.first_line < ctx.line_source->size()) {
      s.link(row, kReport, ctx.lines.sheet_name(ctx.lines.page_of(r.first_line)),
             ctx.lines.row_of(r.first_line), r.report);
    } else {
      s.integer(row, kReport, r.report);
    }
    s.date(row, kPeriodStart, r.period_start);
    s.date(row, kPeriodEnd, r.period_end);
    s.text(row, kStatus, r.status);
    s.money(row, kDeclared, r.declared);
    s.money(row, kDeducted, r.deducted);
    s.money(row, kParked, r.parked);
    s.formula(row, kEligible, "=" + ref(kDeclared) + "-" + ref(kDeducted) + "-" + ref(kParked),
              to_cell(r.eligible), f.amount);
    s.number(row, kErdfRate, to_cell(r.erdf_rate, 2), f.percent);
    if (r.per_report_rounding) {
      // FLOOR(eligible × rate, 2), written so binary doubles cannot shift a cent.
      s.formula(row, kErdf, "=INT(ROUND(" + ref(kEligible) + "*" + ref(kErdfRate) + "*100,6))/100",
                to_cell(r.erdf), f.amount);
    } else {
      s.money(row, kErdf, r.erdf);
    }
    s.text(row, kStateRule, r.state_rule);
    s.money(row, kState, r.state);
    s.formula(row, kOwn, "=" + ref(kEligible) + "-" + ref(kErdf) + "-" + ref(kState),
              to_cell(r.own), f.amount);
    s.money(row, kErdfDue, r.erdf_due);
    s.money(row, kStateDue, r.state_due);
    s.text(row, kNotDue, r.not_due_reason);
    s.money(row, kErdfPaid, r.erdf_paid);
    s.money(row, kStatePaid, r.state_paid);
    s.formula(row, kErdfDiff, "=" + ref(kErdfDue) + "-" + ref(kErdfPaid),
              to_cell(column_value(r, kErdfDiff)), f.amount);
    s.formula(row, kStateDiff, "=" + ref(kStateDue) + "-" + ref(kStatePaid),
              to_cell(column_value(r, kStateDiff)), f.amount);
    s.integer(row, kFindings, r.findings, f.count);
    ++row;
  }
}

}  // namespace cofin::wb
