#include "rules/line_rules.h"

#include <charconv>
#include <string>
#include <string_view>
#include <utility>

#include "money/decimal.h"
#include "rules/amount_text.h"

namespace cofin {
namespace {

// Appends the pieces to `out`, after making room for all of them at once.
template <typename... Pieces>
void append_all(std::string& out, const Pieces&... pieces) {
  const std::string_view views[] = {std::string_view(pieces)...};
  std::size_t size = out.size();
  for (const std::string_view v : views) size += v.size();
  out.reserve(size);
  for (const std::string_view v : views) out.append(v);
}

class LineChecker {
 public:
  LineChecker(const LineContext& context, const ExpenseLine& line, Money eur,
              std::vector<Diagnostic>& out, std::vector<Diagnostic>* spare)
      : c_(context), line_(line), eur_(eur), out_(out), spare_(spare) {}

  void run() {
    check_category();
    check_dates();
    check_amounts();
    check_unit_cost();
    check_vat();
    check_procurement();
  }

 private:
  // Appends a finding on the line whose message is "line N: " and then the pieces. The finding
  // is built in its place in `out_` and its message in one string sized once: a third of the
  // lines have a finding, and the temporaries of a message built with + cost more than the
  // checks.
  template <typename... Pieces>
  void add(Severity severity, const char* rule_id, const char* field, Money affected_eur,
           const Pieces&... message) {
    Diagnostic& d = next_finding();
    d.severity = severity;
    d.rule_id = rule_id;
    d.file = line_.pos.file;
    d.line = line_.pos.line;
    d.column = line_.pos.column;
    d.field = field;
    char number[16];
    const auto end = std::to_chars(number, number + sizeof number, line_.line).ptr;
    d.message.clear();
    append_all(d.message, "line ", std::string_view(number, static_cast<std::size_t>(end - number)),
               ": ", message...);
    d.amount = affected_eur;
    d.line_no = line_.line;
  }

  // Returns a new finding at the end of `out_`: a spare one when there is one (add() overwrites
  // every field), else a default one.
  Diagnostic& next_finding() {
    if (spare_ == nullptr || spare_->empty()) return out_.emplace_back();
    Diagnostic& d = out_.emplace_back(std::move(spare_->back()));
    spare_->pop_back();
    return d;
  }

  // Converts an amount in the line's currency to EUR at the line's own ratio (declared -> eur),
  // HALF_UP, so an affected part never exceeds the line.
  Money to_eur(Money in_currency) const {
    if (line_.declared.is_zero()) return Money();
    const i128 numerator = static_cast<i128>(in_currency.cents()) * eur_.cents();
    return Money::from_i128(divide_rounded(numerator, line_.declared.cents(), Rounding::kHalfUp));
  }

  void check_category() {
    const CategoryRule* rule = c_.rules.category(line_.category);
    if (rule == nullptr) {
      add(Severity::kError, "CAT-NOT-ALLOWED", "category", eur_, "category '",
          category_name(line_.category), "' is not allowed in ", c_.rules.id);
      return;
    }
    if (line_.category == Category::kStaff &&
        (!line_.invoice_no.empty() || (line_.vat && !line_.vat->is_zero()))) {
      // Jems: staff costs are payroll, never invoiced and never with VAT.
      add(Severity::kWarning, "STAFF-INVOICE", line_.invoice_no.empty() ? "vat" : "invoice-no",
          Money(), "staff line carries an invoice number or VAT");
    }
    if (line_.is_unit_cost()) return;
    for (const FlatRate& f : c_.flat_rates) {
      if (flat_rate_covers(f.type, line_.category)) {
        // Reg. 2021/1059 Art. 41(5), CPR Art. 54-56: a flat rate covers these costs in full;
        // declaring them as real costs would finance them twice.
        add(Severity::kError, "CAT-FLAT-RATE-COVERED", "category", eur_, "real costs in '",
            category_name(line_.category), "' are covered by the flat rate ",
            flat_rate_type_name(f.type));
        return;
      }
    }
    if (!rule->real_costs) {
      add(Severity::kError, "CAT-REAL-NOT-ALLOWED", "category", eur_, "category '",
          category_name(line_.category), "' takes no real costs in ", c_.rules.id,
          " (unit cost or flat rate only)");
    }
    if (line_.category == Category::kStaff && rule->real_costs) {
      // domain §4: the hourly rate (annual gross cost / 1,720 h) needs hours and annual cost,
      // which a report line does not carry: say so rather than pretend it was checked.
      add(Severity::kInfo, "STAFF-RATE-UNCHECKED", "declared", Money(),
          "staff real cost: the hourly rate (annual gross cost / 1,720 h) cannot be checked, "
          "the line carries no hours or annual cost");
    }
  }

  void check_dates() {
    const Date& project_start = c_.project.start;
    const Date& project_end = c_.project.end;
    if (line_.is_unit_cost()) {
      // Unit-cost lines have no invoice: they belong to the report period only.
      return;
    }
    auto outside = [&](const Date& d) {
      return d < project_start || d > project_end || d < c_.rules.window_start ||
             d > c_.rules.window_end;
    };
    // Message text only when a finding needs it: most lines have none, and formatting two
    // dates per line was a tenth of the whole computation (bench/RESULTS.md).
    if (line_.invoice_date && outside(*line_.invoice_date)) {
      add(Severity::kError, "ELIG-PERIOD", "invoice-date", eur_, "invoice date ",
          line_.invoice_date->to_string(), " outside the project period ",
          project_start.to_string(), "..", project_end.to_string(), " or the programme window");
      return;
    }
    if (!line_.payment_date) {
      add(Severity::kError, "ELIG-NOT-PAID", "payment-date", eur_,
          "no payment date: only costs paid by the partner are eligible");
      return;
    }
    if (outside(*line_.payment_date)) {
      add(Severity::kError, "ELIG-PERIOD", "payment-date", eur_, "payment date ",
          line_.payment_date->to_string(), " outside the project period ",
          project_start.to_string(), "..", project_end.to_string(), " or the programme window");
      return;
    }
    if (line_.invoice_date && *line_.payment_date < *line_.invoice_date) {
      add(Severity::kError, "ELIG-PAYMENT-BEFORE-INVOICE", "payment-date", eur_, "paid ",
          line_.payment_date->to_string(), " before the invoice date ",
          line_.invoice_date->to_string());
      return;
    }
    // A re-included line was paid in its origin's period by definition.
    if (line_.reincluded_from.empty() && (*line_.payment_date < c_.report.period_start ||
                                          *line_.payment_date > c_.report.period_end)) {
      add(Severity::kWarning, "ELIG-REPORT-PERIOD", "payment-date", Money(), "paid ",
          line_.payment_date->to_string(), ", outside the report period ",
          c_.report.period_start.to_string(), "..", c_.report.period_end.to_string());
    }
  }

  void check_amounts() {
    // domain §4: the Jems range. Readers reject such text; values built otherwise meet it here.
    // The first of declared, invoice total and VAT out of the range, in that order.
    const char* field = nullptr;
    Money amount;
    if (!line_.declared.in_amount_range()) {
      field = "declared";
      amount = line_.declared;
    } else if (line_.invoice_total && !line_.invoice_total->in_amount_range()) {
      field = "invoice-total";
      amount = *line_.invoice_total;
    } else if (line_.vat && !line_.vat->in_amount_range()) {
      field = "vat";
      amount = *line_.vat;
    }
    if (field != nullptr) {
      add(Severity::kError, "AMOUNT-RANGE", field, eur_, field, " ", AmountText(amount),
          " is beyond +-999,999,999.99");
      return;
    }
    if (line_.invoice_total) {
      const Money total = *line_.invoice_total;
      const bool signs_differ =
          (total.is_negative() != line_.declared.is_negative() && !total.is_zero() &&
           !line_.declared.is_zero()) ||
          (line_.vat && !line_.vat->is_zero() && line_.vat->is_negative() != total.is_negative());
      if (signs_differ) {
        add(Severity::kError, "AMOUNT-SIGN", "declared", eur_,
            "declared, VAT and invoice total must share one sign (declared ",
            AmountText(line_.declared), ", invoice total ", AmountText(total), ")");
        return;
      }
      if (line_.declared.abs() > total.abs()) {
        const Money excess = line_.declared - total;
        add(Severity::kError, "AMOUNT-DECLARED-OVER-INVOICE", "declared", to_eur(excess),
            "declared ", AmountText(line_.declared), " exceeds the invoice total ",
            AmountText(total), " by ", AmountText(excess), " ", line_.currency);
      }
      if (line_.vat && line_.vat->abs() > total.abs()) {
        add(Severity::kError, "AMOUNT-VAT-OVER-INVOICE", "vat", Money(), "VAT ",
            AmountText(*line_.vat), " exceeds the invoice total ", AmountText(total));
      }
    }
  }

  void check_unit_cost() {
    if (!line_.is_unit_cost()) return;
    const UnitCost* unit = c_.rules.unit_cost(line_.unit_cost);
    if (unit == nullptr || !line_.units) return;  // rejected at reading (REF-UNIT-COST)
    if (unit->category != line_.category) {
      add(Severity::kError, "UNIT-COST-CATEGORY", "unit-cost", eur_, "unit cost '", unit->id,
          "' belongs to '", category_name(unit->category), "', not '",
          category_name(line_.category), "'");
      return;
    }
    // domain §6: unit-cost line = units × price, DOWN to the cent.
    const Money expected = multiply(*line_.units, unit->eur_per_unit, Rounding::kDown);
    if (line_.declared != expected) {
      const Money excess =
          line_.declared.abs() > expected.abs() ? line_.declared - expected : Money();
      add(excess.is_zero() ? Severity::kWarning : Severity::kError, "UNIT-COST-AMOUNT", "declared",
          excess, "declared ", AmountText(line_.declared), " but ", line_.units->to_string(), " ",
          unit->unit, " x ", AmountText(unit->eur_per_unit), " = ", AmountText(expected),
          " (DOWN)");
    }
  }

  void check_vat() {
    if (!line_.vat || line_.vat->is_zero() || !line_.invoice_total ||
        line_.invoice_total->is_zero()) {
      return;
    }
    // CPR Art. 64(1)(c): VAT is eligible in projects below EUR 5 M incl. VAT; at or above it
    // only non-recoverable VAT; a state-aid-relevant partner never recovers-and-claims VAT.
    const bool large_project = c_.project.total_cost >= c_.rules.vat_threshold;
    const bool ineligible =
        c_.partner.state_aid_relevant || (large_project && c_.partner.vat_recoverable);
    if (!ineligible) return;
    // domain §4: the ineligible part of a gross line is HALF_UP(vat × declared / invoice total).
    const i128 numerator = static_cast<i128>(line_.vat->cents()) * line_.declared.cents();
    const Money part = Money::from_i128(
        divide_rounded(numerator, line_.invoice_total->cents(), Rounding::kHalfUp));
    if (c_.partner.state_aid_relevant) {
      add(Severity::kError, "VAT-RECOVERABLE", "vat", to_eur(part), "VAT ", AmountText(part), " ",
          line_.currency, " is not eligible (state-aid-relevant partner)");
    } else {
      add(Severity::kError, "VAT-RECOVERABLE", "vat", to_eur(part), "VAT ", AmountText(part), " ",
          line_.currency, " is not eligible (recoverable VAT in a project of ",
          AmountText(c_.project.total_cost), " EUR, threshold ", AmountText(c_.rules.vat_threshold),
          ")");
    }
  }

  void check_procurement() {
    // Payroll is not procured: the threshold applies to purchased goods, services and works.
    if (line_.is_unit_cost() || line_.category == Category::kStaff ||
        !line_.procurement_ref.empty()) {
      return;
    }
    const Money net_eur = procurement_net_eur(line_, eur_);
    if (net_eur.abs() > c_.rules.procurement_threshold) {
      add(Severity::kWarning, "PROCUREMENT-REF-MISSING", "procurement-ref", Money(), "net ",
          AmountText(net_eur.abs()), " EUR exceeds the procurement threshold ",
          AmountText(c_.rules.procurement_threshold), " EUR but no procurement reference");
    }
  }

  const LineContext& c_;
  const ExpenseLine& line_;
  Money eur_;
  std::vector<Diagnostic>& out_;
  std::vector<Diagnostic>* spare_;  // findings to build over, or nullptr
};

}  // namespace

Money procurement_net_eur(const ExpenseLine& line, Money eur) {
  if (line.declared.is_zero()) return Money();
  const Money gross = line.invoice_total ? *line.invoice_total : line.declared;
  const Money net = gross - (line.vat ? *line.vat : Money());
  // The invoice's net amount in EUR at the line's own ratio declared -> eur, HALF_UP.
  const i128 numerator = static_cast<i128>(net.cents()) * eur.cents();
  return Money::from_i128(divide_rounded(numerator, line.declared.cents(), Rounding::kHalfUp));
}

std::vector<FlatRate> flat_rates_in_force(const ProgrammeRules& rules, const Partner& partner) {
  std::vector<FlatRate> out;
  for (const FlatRate& f : rules.flat_rates) {
    FlatRate applied = f;
    if (const ChosenFlatRate* chosen = partner.flat_rate(f.type)) {
      if (f.partner_may_choose_less && chosen->percent < f.percent)
        applied.percent = chosen->percent;
    }
    out.push_back(applied);
  }
  return out;
}

std::vector<Diagnostic> check_line(const LineContext& context, const ExpenseLine& line, Money eur) {
  std::vector<Diagnostic> out;
  check_line_into(context, line, eur, out);
  return out;
}

void check_line_into(const LineContext& context, const ExpenseLine& line, Money eur,
                     std::vector<Diagnostic>& out, std::vector<Diagnostic>* spare) {
  LineChecker(context, line, eur, out, spare).run();
}

Money ineligible_amount(std::span<const Diagnostic> findings, Money eur) {
  Money sum;
  for (const Diagnostic& d : findings) {
    if (d.severity == Severity::kError && d.amount) sum += d.amount->abs();
  }
  if (sum > eur.abs()) sum = eur.abs();
  return eur.is_negative() ? -sum : sum;
}

}  // namespace cofin
