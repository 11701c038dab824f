// Payments: per partner report and fund, what is due (only from approval: no advances) against
// what has been paid, and why a share is not yet payable; below, every instalment paid. Paid
// amounts re-compute from the instalments (SUMIFS), differences as due − paid.
#include <array>

#include "model/enums.h"
#include "workbook/sheet_writer.h"

namespace cofin::wb {

namespace {

enum Col : lxw_col_t {
  kProject,
  kPartner,
  kReport,
  kStatus,
  kCertifiedOn,
  kApprovedOn,
  kProjectReport,
  kErdfDue,
  kErdfPaid,
  kErdfDifference,
  kErdfStatus,
  kStateDue,
  kStatePaid,
  kStateDifference,
  kStateStatus,
  kNotPayable,
  kDaysWithController,
  kColumnCount
};

constexpr std::array<Column, kColumnCount> kColumns = {{
    {"Project", 12},
    {"Partner", 8},
    {"Report", 8},
    {"Status", 12},
    {"Certified on", 11},
    {"Approved on", 11},
    {"Project report", 8},
    {"ERDF due (EUR)", 15},
    {"ERDF paid (EUR)", 15},
    {"ERDF difference (EUR)", 15},
    {"ERDF status", 12},
    {"State due (EUR)", 15},
    {"State paid (EUR)", 15},
    {"State difference (EUR)", 15},
    {"State status", 12},
    {"Not payable because", 30},
    {"Days with controller", 10},
}};

enum InstalmentCol : lxw_col_t {
  kIProject,
  kIPartner,
  kIReport,
  kIFund,
  kIEvent,
  kIReference,
  kIDate,
  kIAmount,
  kInstalmentColumns
};

constexpr std::array<Column, kInstalmentColumns> kInstalmentHeader = {{
    {"Project", 12},
    {"Partner", 8},
    {"Report", 8},
    {"Fund", 12},
    {"Event id", 12},
    {"Payment reference", 15},
    {"Date", 11},
    {"Amount (EUR)", 15},
}};

// A SUMIFS criterion compares text literally only when it has no operator or wildcard
// character and cannot be read as a number; other project ids get the figure as a value.
bool plain_criterion(const std::string& text) {
  if (text.empty() || text[0] == '-') return false;
  bool letter = false;
  for (char c : text) {
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    const bool ok = alpha || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
    if (alpha && c != 'e' && c != 'E') letter = true;
  }
  return letter;
}

Money instalments_of(const RunOutcome& out, const ReportOutcome& r, Fund fund) {
  Money sum;
  for (const PaymentOutcome& p : out.payments) {
    if (p.fund == fund && p.project == r.project && p.partner == r.partner &&
        p.report == r.report) {
      sum += p.amount;
    }
  }
  return sum;
}

}  // namespace

void write_payments_sheet(Context& ctx) {
  const RunOutcome& out = *ctx.outcome;
  Sheet s(ctx, kPaymentsSheet);
  const Formats& f = s.fmt();
  const lxw_row_t first = kFirstDataRow;
  const lxw_row_t last = last_row_of(first, out.reports.size());
  // The instalments table below the reports, after one empty row.
  const lxw_row_t inst_header = (last < first ? first : last + 1) + 1;
  const lxw_row_t inst_first = inst_header + 1;
  const lxw_row_t inst_last = last_row_of(inst_first, out.payments.size());

  s.table(kHeaderRow, last, kColumnCount - 1, kReport + 1, "Payments_Table");
  s.define_name("Payments_Instalments", inst_header, 0, inst_last, kInstalmentColumns - 1);
  s.highlight(kErdfDifference, first, last, "=" + cell_ref(first, kErdfDifference) + "<0", f.bad);
  s.highlight(kStateDifference, first, last, "=" + cell_ref(first, kStateDifference) + "<0", f.bad);
  s.highlight(kErdfDifference, first, last, "=" + cell_ref(first, kErdfDifference) + ">0", f.warn);
  s.highlight(kStateDifference, first, last, "=" + cell_ref(first, kStateDifference) + ">0",
              f.warn);

  s.text(kTotalsRow, kProject, "Total", f.total_label);
  Money erdf_due, erdf_paid, state_due, state_paid;
  for (const ReportOutcome& r : out.reports) {
    erdf_due += r.erdf_due;
    erdf_paid += r.erdf_paid;
    state_due += r.state_due;
    state_paid += r.state_paid;
  }
  s.subtotal(kTotalsRow, kErdfDue, first, last, to_cell(erdf_due), f.total_amount);
  s.subtotal(kTotalsRow, kErdfPaid, first, last, to_cell(erdf_paid), f.total_amount);
  s.subtotal(kTotalsRow, kErdfDifference, first, last, to_cell(erdf_due - erdf_paid),
             f.total_amount);
  s.subtotal(kTotalsRow, kStateDue, first, last, to_cell(state_due), f.total_amount);
  s.subtotal(kTotalsRow, kStatePaid, first, last, to_cell(state_paid), f.total_amount);
  s.subtotal(kTotalsRow, kStateDifference, first, last, to_cell(state_due - state_paid),
             f.total_amount);

  s.header(kHeaderRow, kColumns);

  // Absolute ranges of the instalments table, for SUMIFS.
  const auto range = [&](lxw_col_t c) {
    return cell_ref(inst_first, c, true) + ":" + cell_ref(inst_last, c, true);
  };
  const auto paid_formula = [&](lxw_row_t row, Fund fund) {
    return "=SUMIFS(" + range(kIAmount) + "," + range(kIProject) + "," + cell_ref(row, kProject) +
           "," + range(kIPartner) + "," + cell_ref(row, kPartner) + "," + range(kIReport) + "," +
           cell_ref(row, kReport) + "," + range(kIFund) + "," + formula_literal(fund_name(fund)) +
           ")";
  };
  const auto paid = [&](lxw_row_t row, lxw_col_t col, const ReportOutcome& r, Fund fund,
                        Money value) {
    if (!out.payments.empty() && plain_criterion(r.project) &&
        value == instalments_of(out, r, fund)) {
      s.formula(row, col, paid_formula(row, fund), to_cell(value), f.amount);
    } else {
      s.money(row, col, value);
    }
  };

  lxw_row_t row = first;
  for (const ReportOutcome& r : out.reports) {
    const auto ref = [&row](Col c) { return cell_ref(row, c); };
    s.text(row, kProject, r.project);
    s.integer(row, kPartner, r.partner);
    s.integer(row, kReport, r.report);
    s.text(row, kStatus, r.status);
    s.date(row, kCertifiedOn, r.certified_on);
    s.date(row, kApprovedOn, r.approved_on);
    if (r.project_report > 0) s.integer(row, kProjectReport, r.project_report);
    s.money(row, kErdfDue, r.erdf_due);
    paid(row, kErdfPaid, r, Fund::kErdf, r.erdf_paid);
    s.formula(row, kErdfDifference, "=" + ref(kErdfDue) + "-" + ref(kErdfPaid),
              to_cell(r.erdf_due - r.erdf_paid), f.amount);
    s.text(row, kErdfStatus, r.erdf_status);
    s.money(row, kStateDue, r.state_due);
    paid(row, kStatePaid, r, Fund::kState, r.state_paid);
    s.formula(row, kStateDifference, "=" + ref(kStateDue) + "-" + ref(kStatePaid),
              to_cell(r.state_due - r.state_paid), f.amount);
    s.text(row, kStateStatus, r.state_status);
    s.text(row, kNotPayable, r.not_due_reason);
    s.integer(row, kDaysWithController, r.days_with_controller, f.count);
    ++row;
  }

  for (std::size_t i = 0; i < kInstalmentHeader.size(); ++i) {
    s.text(inst_header, static_cast<lxw_col_t>(i), kInstalmentHeader[i].header, f.header);
  }
  row = inst_first;
  for (const PaymentOutcome& p : out.payments) {
    s.text(row, kIProject, p.project);
    s.integer(row, kIPartner, p.partner);
    s.integer(row, kIReport, p.report);
    s.text(row, kIFund, fund_name(p.fund));
    s.text(row, kIEvent, p.event_id);
    s.text(row, kIReference, p.payment_ref);
    s.date(row, kIDate, p.date);
    s.money(row, kIAmount, p.amount);
    ++row;
  }
}

}  // namespace cofin::wb
