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

Money column_value(const LineAmounts& a, Col c) {
  switch (c) {
    case kEur:
      return a.eur;
    case kIneligible:
      return a.ineligible;
    case kDeducted:
      return a.deducted;
    case kParked:
      return a.parked;
    case kCertified:
      return a.certified;
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

// Returns the sums over the page's lines, or over all pages' lines when this is the first of
// several pages (see Sheet::paged_total).
LineAmounts page_amounts(const LineSource& lines, const Pages& pages, std::size_t page) {
  return page == 0 ? lines.amounts(0, lines.size())
                   : lines.amounts(pages.begin(page), pages.end(page));
}

void write_lines_page(Context& ctx, std::size_t page) {
  const LineSource& lines = *ctx.line_source;
  const Pages& pages = ctx.lines;
  Sheet s(ctx, pages.sheet_name(page));
  const Formats& f = s.fmt();
  const std::size_t begin = pages.begin(page);
  const std::size_t end = pages.end(page);
  const lxw_row_t first = kFirstDataRow;
  const lxw_row_t last = last_row_of(first, end - begin);

  s.table(kHeaderRow, last, kColumnCount - 1, kLine + 1, "Lines_Table" + pages.name_suffix(page));
  if (ctx.lines_placeholders) return;
  const std::string check = cell_ref(first, kCheckResult);
  s.highlight(kCheckResult, first, last, "=" + check + "=\"ineligible\"", f.bad);
  s.highlight(kCheckResult, first, last, "=" + check + "=\"warning\"", f.warn);

  // Totals first (row 1), from exact cents, so constant-memory mode stays row by row.
  const bool several = pages.count() > 1;
  s.text(kTotalsRow, kProject,
         !several    ? "Total"
         : page == 0 ? "Total (all sheets)"
                     : "Total (this sheet)",
         f.total_label);
  const LineAmounts totals = page_amounts(lines, pages, page);
  for (Col c : kTotalled) {
    s.paged_total(kTotalsRow, c, pages, page, last, to_cell(column_value(totals, c)),
                  f.total_amount);
  }

  s.header(kHeaderRow, kColumns);

  lxw_row_t row = first;
  lines.visit(begin, end, [&](std::size_t, const LineOutcome& l) {
    const ExpenseLine& e = l.line;
    const auto ref = [&row](Col c) { return cell_ref(row, c); };
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
    if (l.rate && !l.rate->is_zero()) {
      // HALF_UP(declared / rate, 2) per line (domain §5, §6; Reg. (EC) 1103/97): ROUND rounds
      // half away from zero, as HALF_UP does.
      s.formula(row, kEur, "=ROUND(" + ref(kDeclared) + "/" + ref(kRate) + ",2)", to_cell(l.eur),
                f.amount);
    } else {
      s.money(row, kEur, l.eur);
    }
    s.text(row, kCheckResult, l.check_result);
    s.money(row, kIneligible, l.ineligible);
    s.money(row, kDeducted, l.deducted);
    s.money(row, kParked, l.parked_eur);
    if (l.certified == l.eur - l.ineligible - l.deducted - l.parked_eur) {
      s.formula(
          row, kCertified,
          "=" + ref(kEur) + "-" + ref(kIneligible) + "-" + ref(kDeducted) + "-" + ref(kParked),
          to_cell(l.certified), f.amount);
    } else {
      // The engine's figure where the identity does not hold (e.g. a parked line that also had
      // an ineligible part): shown as computed, never re-derived here.
      s.money(row, kCertified, l.certified);
    }
    s.text(row, kRuleIds, join(l.rule_ids));
    s.text(row, kSourceFile, l.source_file);
    ++row;
  });
}

}  // namespace

void write_lines_sheets(Context& ctx) {
  for (std::size_t page = 0; page < ctx.lines.count(); ++page) write_lines_page(ctx, page);
}

}  // namespace cofin::wb
