#include "rules/rule_catalogue.h"

#include <array>

namespace cofin {
namespace {

constexpr auto E = Severity::kError;
constexpr auto W = Severity::kWarning;
constexpr auto I = Severity::kInfo;

constexpr std::array kRules = {
    RuleInfo{"CAT-NOT-ALLOWED", E, "cost category not allowed in the programme"},
    RuleInfo{"CAT-FLAT-RATE-COVERED", E, "real costs in a category a flat rate covers"},
    RuleInfo{"CAT-REAL-NOT-ALLOWED", E, "category takes no real costs (unit cost or flat rate)"},
    RuleInfo{"STAFF-INVOICE", W, "staff line with an invoice number or VAT"},
    RuleInfo{"STAFF-RATE-UNCHECKED", I, "staff real cost: hourly rate not checkable"},
    RuleInfo{"ELIG-PERIOD", E, "incurred or paid outside the project period or window"},
    RuleInfo{"ELIG-NOT-PAID", E, "no payment date: not paid"},
    RuleInfo{"ELIG-PAYMENT-BEFORE-INVOICE", E, "paid before the invoice date"},
    RuleInfo{"ELIG-REPORT-PERIOD", W, "paid outside the report period"},
    RuleInfo{"AMOUNT-RANGE", E, "amount beyond +-999,999,999.99"},
    RuleInfo{"AMOUNT-SIGN", E, "declared, VAT and invoice total differ in sign"},
    RuleInfo{"AMOUNT-DECLARED-OVER-INVOICE", E, "declared above the invoice total"},
    RuleInfo{"AMOUNT-VAT-OVER-INVOICE", E, "VAT above the invoice total"},
    RuleInfo{"UNIT-COST-CATEGORY", E, "unit cost declared in another category"},
    RuleInfo{"UNIT-COST-AMOUNT", E, "unit-cost line is not units x unit price"},
    RuleInfo{"UNIT-COST-STAFF-HOURS", W, "per-staff-hour units differ from the staff hours"},
    RuleInfo{"VAT-RECOVERABLE", E, "VAT not eligible (recoverable or state aid)"},
    RuleInfo{"PROCUREMENT-REF-MISSING", W, "above the procurement threshold, no reference"},
    RuleInfo{"DUP-INVOICE", E, "invoice declared above its total (double funding)"},
    RuleInfo{"DUP-INVOICE-REPEAT", W, "exact repeat of an invoice line declared before"},
    RuleInfo{"REINCLUDED-ORIGIN", E, "re-included line without a parked origin"},
    RuleInfo{"REINCLUDED-TWICE", E, "parked line re-included more than once"},
    RuleInfo{"REINCLUDED-AMOUNT", E, "re-included above the parked amount"},
    RuleInfo{"BUDGET-FLEX", E, "category or partner total above budget plus flexibility"},
    RuleInfo{"DEADLINE-SUBMISSION", W, "report submitted after the period's deadline"},
    RuleInfo{"DEADLINE-CONTROLLER", W, "controller's deadline exceeded"},
    RuleInfo{"ERDF-RATE-ABOVE-MAX", W, "partner ERDF rate above the programme maximum"},
    RuleInfo{"ERDF-CEILING", W, "cumulative ERDF capped at the budgeted ERDF"},
    RuleInfo{"STATE-CEILING", W, "cumulative state share capped at the granted amount"},
    RuleInfo{"PAYMENT-BEFORE-APPROVAL", W, "instalment paid before the report was approved"},
    RuleInfo{"PAYMENT-OVER-DUE", W, "paid more than is due"},
};

}  // namespace

std::span<const RuleInfo> engine_rules() {
  return kRules;
}

const RuleInfo* find_engine_rule(std::string_view id) {
  for (const RuleInfo& r : kRules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

}  // namespace cofin
