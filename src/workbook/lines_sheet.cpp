// Lines: every expenditure line with all input fields and its control outcome; totals (SUBTOTAL)
// in row 1 above the header.
#include <array>

#include "model/enums.h"
#include "workbook/sheet_writer.h"
#include "workbook/workbook.h"

namespace cofin::wb {

namespace {

enum Col : lxw_col_t {
  kProject,
  kPartner,
  kReport,
  kLine,
  kCategory,
  kUnitCost,
  kUnits,
  kInternalRef,
  kInvoiceNo,
  kInvoiceDate,
  kPaymentDate,
  kSupplier,
  kSupplierId,
  kProcurementRef,
  kDescription,
  kInvoiceTotal,
  kVat,
  kDeclared,
  kCurrency,
  kReincludedFrom,
  kRate,
  kRateMonth,
  kEur,
  kCheckResult,
  kIneligible,
  kDeducted,
  kParked,
  kCertified,
  kRuleIds,
  kSourceFile,
  kColumnCount
};

constexpr std::array<Column, kColumnCount> kColumns = {{
    {"Project", 12},
    {"Partner", 8},
    {"Report", 8},
    {"Line", 7},
    {"Category", 14},
    {"Unit cost", 14},
    {"Units", 10},
    {"Internal ref", 14},
    {"Invoice no", 14},
    {"Invoice date", 11},
    {"Payment date", 11},
    {"Supplier", 28},
    {"Supplier id", 14},
    {"Procurement ref", 14},
    {"Description", 40},
    {"Invoice total", 14},
    {"VAT", 12},
    {"Declared", 14},
    {"Currency", 9},
    {"Re-included from", 10},
    {"Rate (per EUR)", 12},
    {"Rate month", 9},
    {"EUR", 14},
    {"Check result", 11},
    {"Ineligible (EUR)", 14},
    {"Deducted (EUR)", 14},
    {"Parked (EUR)", 14},
    {"Certified (EUR)", 14},
    {"Rule ids", 20},
    {"Source file", 30},
}};

constexpr std::array<Col, 5> kTotalled = {kEur, kIneligible, kDeducted, kParked, kCertified};

Money column_value(const LineOutcome& l, Col c) {
  switch (c) {
    case kEur:
      return l.eur;
    case kIneligible:
      return l.ineligible;
    case kDeducted:
      return l.deducted;
    case kParked:
      return l.parked_eur;
    case kCertified:
      return l.certified;
    default:
      return Money();
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

}  // namespace

void write_lines_sheet(Context& ctx) {
  const RunOutcome& out = *ctx.outcome;
  if (out.lines.size() > LXW_ROW_MAX - kFirstDataRow) {
    // Continuation sheets (`Lines (2)`, …) are not written yet: refuse rather than drop rows.
    throw WorkbookError(ctx.file + ": " + std::to_string(out.lines.size()) +
                        " lines do not fit one sheet; continuation sheets are not supported yet");
  }
  Sheet s(ctx, kLinesSheet);
  const Formats& f = s.fmt();
  const lxw_row_t first = kFirstDataRow;
  const lxw_row_t last = last_row_of(first, out.lines.size());

  s.table(kHeaderRow, last, kColumnCount - 1, kLine + 1, "Lines_Table");
  const std::string check = cell_ref(first, kCheckResult);
  s.highlight(kCheckResult, first, last, "=" + check + "=\"ineligible\"", f.bad);
  s.highlight(kCheckResult, first, last, "=" + check + "=\"warning\"", f.warn);

  s.text(kTotalsRow, kProject, "Total", f.total_label);
  for (Col c : kTotalled) {
    Money sum;
    for (const LineOutcome& l : out.lines) sum += column_value(l, c);
    s.subtotal(kTotalsRow, c, first, last, to_cell(sum), f.total_amount);
  }

  s.header(kHeaderRow, kColumns);

  lxw_row_t row = first;
  for (const LineOutcome& l : out.lines) {
    const ExpenseLine& e = l.line;
    s.text(row, kProject, l.project);
    s.integer(row, kPartner, l.partner);
    s.integer(row, kReport, l.report);
    s.integer(row, kLine, e.line);
    s.text(row, kCategory, category_name(e.category));
    s.text(row, kUnitCost, e.unit_cost);
    if (e.units) s.number(row, kUnits, to_cell(*e.units), f.amount);
    s.text(row, kInternalRef, e.internal_ref);
    s.text(row, kInvoiceNo, e.invoice_no);
    s.date(row, kInvoiceDate, e.invoice_date);
    s.date(row, kPaymentDate, e.payment_date);
    s.text(row, kSupplier, e.supplier);
    s.text(row, kSupplierId, e.supplier_id);
    s.text(row, kProcurementRef, e.procurement_ref);
    s.text(row, kDescription, e.description);
    s.money(row, kInvoiceTotal, e.invoice_total);
    s.money(row, kVat, e.vat);
    s.money(row, kDeclared, e.declared);
    s.text(row, kCurrency, e.currency);
    s.text(row, kReincludedFrom, e.reincluded_from);
    if (l.rate) s.number(row, kRate, to_cell(*l.rate), f.rate);
    s.text(row, kRateMonth, l.rate_month);
    s.money(row, kEur, l.eur);
    s.text(row, kCheckResult, l.check_result);
    s.money(row, kIneligible, l.ineligible);
    s.money(row, kDeducted, l.deducted);
    s.money(row, kParked, l.parked_eur);
    s.money(row, kCertified, l.certified);
    s.text(row, kRuleIds, join(l.rule_ids));
    s.text(row, kSourceFile, l.source_file);
    ++row;
  }
}

}  // namespace cofin::wb
