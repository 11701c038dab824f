#include "calc/report_calc.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>
#include <span>
#include <stdexcept>
#include <tuple>

#include "calc/payments.h"
#include "calc/shares.h"
#include "rules/line_rules.h"
#include "rules/report_rules.h"
#include "rules/rule_catalogue.h"
#include "rules/sample_flags.h"

namespace cofin {
namespace {

std::string month_label(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", d.year(), d.month());
  return buf;
}

// Returns the base of a flat rate from category totals.
Money flat_rate_base(FlatRateType type, const CategoryAmounts& totals) {
  auto total = [&](Category c) { return amount_of(totals, c); };
  switch (type) {
    case FlatRateType::kStaffOnOtherDirect:
      // CPR Art. 55(1): direct costs other than staff costs.
      return total(Category::kTravel) + total(Category::kExternal) + total(Category::kEquipment) +
             total(Category::kInfrastructure);
    case FlatRateType::kOfficeOnDirect:
      // CPR Art. 54(a): all direct costs.
      return total(Category::kStaff) + total(Category::kTravel) + total(Category::kExternal) +
             total(Category::kEquipment) + total(Category::kInfrastructure);
    case FlatRateType::kOfficeOnStaff:  // CPR Art. 54(b)
    case FlatRateType::kTravelOnStaff:  // Reg. 2021/1059 Art. 41(5)
    case FlatRateType::kOtherOnStaff:   // CPR Art. 56
      return total(Category::kStaff);
  }
  return Money();
}

Diagnostic report_finding(const ReportInputs& in, Severity severity, const char* id,
                          const char* field, std::string message, Money amount) {
  Diagnostic d;
  d.severity = severity;
  d.rule_id = id;
  d.file = in.source_file;
  d.line = in.report->pos.line;
  d.column = in.report->pos.column;
  d.field = field;
  d.message = std::move(message);
  d.amount = amount;
  return d;
}

// Sets `to` to `from`, keeping `to`'s capacity. Field by field: most of a line's texts are
// empty (a unit-cost line has no invoice, supplier or references), and an empty one is cleared
// without the library call a copy assignment makes for each.
void copy_line(const ExpenseLine& from, ExpenseLine& to) {
  static_assert(sizeof(void*) != 8 || sizeof(ExpenseLine) == 424,
                "ExpenseLine changed: copy its new fields in copy_line");
  const auto text = [](const std::string& source, std::string& target) {
    if (source.empty()) {
      target.clear();
    } else {
      target = source;
    }
  };
  to.line = from.line;
  to.category = from.category;
  text(from.unit_cost, to.unit_cost);
  to.units = from.units;
  text(from.internal_ref, to.internal_ref);
  text(from.invoice_no, to.invoice_no);
  to.invoice_date = from.invoice_date;
  to.payment_date = from.payment_date;
  text(from.supplier, to.supplier);
  text(from.supplier_id, to.supplier_id);
  text(from.procurement_ref, to.procurement_ref);
  text(from.description, to.description);
  to.invoice_total = from.invoice_total;
  to.vat = from.vat;
  to.declared = from.declared;
  text(from.currency, to.currency);
  text(from.reincluded_from, to.reincluded_from);
  text(from.pos.file, to.pos.file);
  to.pos.line = from.pos.line;
  to.pos.column = from.pos.column;
}

// Sets `to` to `from` but for its texts, which it leaves empty (ReportInputs::line_texts); the
// currency is kept: a parked origin is converted in it.
void copy_line_without_texts(const ExpenseLine& from, ExpenseLine& to) {
  static_assert(sizeof(void*) != 8 || sizeof(ExpenseLine) == 424,
                "ExpenseLine changed: copy or clear its new fields in copy_line_without_texts");
  to.line = from.line;
  to.category = from.category;
  to.unit_cost.clear();
  to.units = from.units;
  to.internal_ref.clear();
  to.invoice_no.clear();
  to.invoice_date = from.invoice_date;
  to.payment_date = from.payment_date;
  to.supplier.clear();
  to.supplier_id.clear();
  to.procurement_ref.clear();
  to.description.clear();
  to.invoice_total = from.invoice_total;
  to.vat = from.vat;
  to.declared = from.declared;
  to.currency = from.currency;
  to.reincluded_from.clear();
  to.pos.file.clear();
  to.pos.line = from.pos.line;
  to.pos.column = from.pos.column;
}

// Sets `lo` to the values of a default LineOutcome but for `line`, `rule_ids` and
// `sample_flags`, which compute_report sets in full for every line (copy_line, set_texts),
// keeping its strings' and vectors' capacity.
void reset_but_line_and_lists(LineOutcome& lo) {
  // Field by field: assigning a default one would cost as much as the line's checks. A field
  // added to LineOutcome changes its size and stops the build here until it is reset below.
  static_assert(sizeof(void*) != 8 || sizeof(LineOutcome) == 768,
                "LineOutcome changed: reset its new fields in reset_but_line_and_lists");
  lo.project.clear();
  lo.partner = 0;
  lo.report = 0;
  lo.source_file.clear();
  lo.rate.reset();
  lo.rate_month.clear();
  lo.eur = Money();
  lo.ineligible = Money();
  lo.deducted = Money();
  lo.parked = false;
  lo.parked_eur = Money();
  lo.certified = Money();
  lo.check_result.clear();
  lo.controller_deducted = Money();
  lo.ma_js_deducted = Money();
  lo.budget_capped = Money();
  lo.typology.clear();
  lo.reincluded_from.clear();
}

// Sets `list` to the `count` texts `text(k)` returns, keeping the capacity of the strings
// `list` already holds: rule ids are often longer than a string holds without an allocation
// ("STAFF-RATE-UNCHECKED"), and a line built over a used one need not allocate for them again.
template <typename Text>
void set_texts(std::vector<std::string>& list, std::size_t count, Text&& text) {
  for (std::size_t k = 0; k < count; ++k) {
    if (k < list.size()) {
      list[k].assign(text(k));
    } else {
      list.emplace_back(text(k));
    }
  }
  list.resize(count);
}

// Sums amounts by category, as adding them one by one to a CategoryAmounts does, without a map
// look-up for each line.
class CategorySums {
 public:
  void add(Category category, Money amount) {
    const auto k = static_cast<std::size_t>(category);
    sums_.at(k) += amount;
    added_[k] = true;
  }
  // Returns the sums of the categories added to (a sum of 0 included), as a CategoryAmounts
  // filled line by line holds them.
  CategoryAmounts amounts() const {
    CategoryAmounts out;
    for (const Category c : kAllCategories) {
      const auto k = static_cast<std::size_t>(c);
      if (added_[k]) out.emplace(c, sums_[k]);
    }
    return out;
  }

 private:
  static constexpr std::size_t kCategories = std::size(kAllCategories);
  std::array<Money, kCategories> sums_{};
  std::array<bool, kCategories> added_{};
};

// Returns a line's check result: "ineligible" with an error finding, else "warning" with a
// warning, else "ok". Strings, not literals: a line's copy of a string is a shorter library path
// than of a literal (which must allow for the literal lying within the string).
const std::string& check_result_text(bool has_error, bool has_warning) {
  static const std::string kIneligible = "ineligible";
  static const std::string kWarning = "warning";
  static const std::string kOk = "ok";
  return has_error ? kIneligible : has_warning ? kWarning : kOk;
}

// Spreads `cut` over the lines of `category` in proportion to their positive certified amounts
// (largest remainder, earlier line on ties: money/money.h allocate), lowering `certified` and
// raising `budget_capped`.
void cut_lines(std::vector<LineOutcome>& lines, Category category, Money cut) {
  std::vector<std::int64_t> weights;
  std::vector<LineOutcome*> targets;
  for (LineOutcome& lo : lines) {
    if (lo.line.category == category && lo.certified > Money()) {
      weights.push_back(lo.certified.cents());
      targets.push_back(&lo);
    }
  }
  if (targets.empty()) return;
  const std::vector<Money> parts = allocate(cut, weights);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    targets[i]->certified -= parts[i];
    targets[i]->budget_capped += parts[i];
  }
}

// The rates of a report's lines: each currency's rate for the submitted-on month, from the
// report's rates, else from the fallback rates, looked up once per currency and report (the
// tables are maps keyed by a string: a look-up for every line cost a tenth of its computation).
class ReportRates {
 public:
  explicit ReportRates(const ReportInputs& in) : in_(in) {}

  // Returns what line_eur returns for `line` with the report's rates, else (when that is
  // nullopt) with the fallback rates; sets `*used` as line_eur does.
  std::optional<Money> line_eur(const ExpenseLine& line, const ExchangeRate** used) {
    *used = nullptr;
    if (line.currency == "EUR") return line.declared;
    const ExchangeRate* rate = find(line.currency);
    if (rate == nullptr) return std::nullopt;
    *used = rate;
    // domain §5: InforEuro rate of the submission month, HALF_UP per line (as line_eur).
    return convert_to_eur(line.declared, rate->units_per_eur);
  }

 private:
  const ExchangeRate* find(const std::string& currency) {
    for (const auto& [known, rate] : found_) {
      if (known == currency) return rate;
    }
    const Date& month = in_.report->submitted_on;
    const ExchangeRate* rate = in_.rates->find(currency, month.year(), month.month());
    if (rate == nullptr && in_.fallback_rates != nullptr) {
      rate = in_.fallback_rates->find(currency, month.year(), month.month());
    }
    found_.emplace_back(currency, rate);
    return rate;
  }

  const ReportInputs& in_;
  std::vector<std::pair<std::string, const ExchangeRate*>> found_;  // nullptr: none
};

// Accumulates Deductions sheet entries, one per (typology, by, flat rate, category).
class DeductionTable {
 public:
  DeductionTable(const ReportInputs& in) : in_(in) {}
  void add(const std::string& typology, const char* by, bool flat_rate, Category category,
           Money amount) {
    if (amount.is_zero()) return;
    entries_[{typology, by, flat_rate, category}] += amount;
  }
  std::vector<DeductionEntry> entries() const {
    std::vector<DeductionEntry> out;
    for (const auto& [key, amount] : entries_) {
      const auto& [typology, by, flat_rate, category] = key;
      DeductionEntry e;
      e.project = in_.project->id;
      e.partner = in_.partner->number;
      e.report = in_.report->report;
      e.typology = typology;
      if (const Typology* t = in_.rules->typology(typology)) {
        e.typology_text = t->text;
      } else if (const RuleInfo* r = find_engine_rule(typology)) {
        e.typology_text = std::string(r->meaning);
      } else if (flat_rate) {
        e.typology_text = "flat rate recomputed on the certified base";
      }
      e.by = by;
      e.flat_rate = flat_rate;
      e.category = category;
      e.amount = amount;
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  const ReportInputs& in_;
  std::map<std::tuple<std::string, std::string, bool, Category>, Money> entries_;
};

}  // namespace

std::optional<Money> line_eur(const ExpenseLine& line, const Date& submitted_on,
                              const RateTable& rates, const ExchangeRate** used) {
  if (used) *used = nullptr;
  if (line.currency == "EUR") return line.declared;
  const ExchangeRate* rate = rates.find(line.currency, submitted_on.year(), submitted_on.month());
  if (rate == nullptr) return std::nullopt;
  if (used) *used = rate;
  // domain §5: InforEuro rate of the submission month, HALF_UP per line.
  return convert_to_eur(line.declared, rate->units_per_eur);
}

ReportComputation compute_report(const ReportInputs& in) {
  return compute_report(in, {});
}

ReportComputation compute_report(const ReportInputs& in, std::vector<LineOutcome> storage) {
  const PartnerReport& report = *in.report;
  const Project& project = *in.project;
  const Partner& partner = *in.partner;
  const ProgrammeRules& rules = *in.rules;

  ReportComputation result;
  ReportOutcome& out = result.outcome;
  out.project = project.id;
  out.acronym = project.acronym;
  out.programme = rules.id;
  out.partner = partner.number;
  out.partner_name = partner.name;
  out.partner_country = partner.country;
  out.report = report.report;
  out.period_start = report.period_start;
  out.period_end = report.period_end;
  out.submitted_on = report.submitted_on;
  out.source_file = in.source_file;
  out.sha256 = in.sha256;
  out.erdf_rate = erdf_rate_in_force(partner, rules);
  out.per_report_rounding = rules.share_rounding == ShareRounding::kPerReport;
  out.state_granted = partner.state_granted;
  if (in.control) out.certified_on = in.control->certified_on;
  if (in.approval) {
    out.approved_on = in.approval->date;
    out.project_report = in.approval->project_report;
  }

  const std::vector<FlatRate> flat_rates = flat_rates_in_force(rules, partner);
  const LineContext context{report, project, partner, rules, flat_rates};
  DeductionTable deductions(in);

  std::map<int, const LineDecision*> decisions;
  if (in.control) {
    for (const LineDecision& d : in.control->decisions) decisions[d.line] = &d;
  }
  std::map<int, std::vector<const ApprovalDeduction*>> approval_deductions;
  if (in.approval) {
    const PartnerReportRef self{project.id, partner.number, report.report};
    for (const ApprovalDeduction& d : in.approval->deductions) {
      if (d.report == self) approval_deductions[d.line].push_back(&d);
    }
  }

  // Lines in line-number order: every result is independent of the order in the file.
  std::vector<const ExpenseLine*> ordered;
  ordered.reserve(report.lines.size());
  for (const ExpenseLine& line : report.lines) ordered.push_back(&line);
  // The lines are built over `storage`'s, each reset first (as if new); the rest cut off below.
  result.lines = std::move(storage);
  result.lines.reserve(report.lines.size());
  std::size_t built = 0;
  const auto by_number = [](const ExpenseLine* a, const ExpenseLine* b) {
    return a->line < b->line;
  };
  // Files mostly list their lines in order already: then there is nothing to sort.
  if (!std::is_sorted(ordered.begin(), ordered.end(), by_number)) {
    std::stable_sort(ordered.begin(), ordered.end(), by_number);
  }

  // Every foreign-currency line of the report is converted at its submitted-on month.
  const std::string submitted_month = month_label(report.submitted_on);
  ReportRates report_rates(in);
  static const ParkedOrigins kNoOrigins;
  std::set<std::string> reincluded_here = in.already_reincluded;
  // The lines' findings in line order: each line's own are appended here, from `first` on.
  std::vector<Diagnostic> line_findings;
  CategorySums declared_by_category;
  for (const ExpenseLine* line_ptr : ordered) {
    const ExpenseLine& line = *line_ptr;
    // Built in place: a LineOutcome is two dozen fields, a third of them strings, and moving
    // one into the vector cost as much as the line's checks.
    if (built < result.lines.size()) {
      reset_but_line_and_lists(result.lines[built]);
    } else {
      result.lines.emplace_back();
    }
    LineOutcome& lo = result.lines[built++];
    lo.partner = partner.number;
    lo.report = report.report;
    if (in.line_texts) {
      lo.project = project.id;
      copy_line(line, lo.line);
      lo.source_file = in.source_file;
    } else {
      copy_line_without_texts(line, lo.line);
    }

    const ExchangeRate* rate = nullptr;
    const std::optional<Money> eur = report_rates.line_eur(line, &rate);
    if (!eur) throw std::logic_error("compute_report: missing exchange rate (REQUIRES)");
    lo.eur = *eur;
    if (rate) {
      lo.rate = rate->units_per_eur;
      lo.rate_month = submitted_month;
    }
    const std::size_t first = line_findings.size();
    if (!line.reincluded_from.empty()) {
      ReinclusionCheck check =
          check_reinclusion(line, in.origins ? *in.origins : kNoOrigins, reincluded_here, lo.eur);
      lo.reincluded_from = line.reincluded_from;
      if (check.origin) {
        const std::string label = canonical_origin(line.reincluded_from);
        lo.reincluded_from = label;
        // domain §5: the rate is frozen at the origin's first submission.
        if (check.origin->rate) {
          lo.rate = check.origin->rate;
          lo.rate_month = check.origin->rate_month;
          lo.eur = convert_to_eur(line.declared, *check.origin->rate);
          // The amount check used this report's rate: redo it at the frozen rate.
          check = check_reinclusion(line, *in.origins, reincluded_here, lo.eur);
        }
        reincluded_here.insert(label);
        result.reincluded_origins.push_back(label);
      }
      for (Diagnostic& d : check.findings) line_findings.push_back(std::move(d));
    }
    check_line_into(context, line, lo.eur, line_findings, in.spare_findings);
    if (auto hit = in.duplicates.find(line.line); hit != in.duplicates.end()) {
      for (Diagnostic& d : duplicate_findings(hit->second, line, lo.eur)) {
        line_findings.push_back(std::move(d));
      }
    }
    // The line's own findings; nothing is appended to line_findings while this is in use.
    const std::span<const Diagnostic> findings(line_findings.data() + first,
                                               line_findings.size() - first);
    lo.ineligible = ineligible_amount(findings, lo.eur);
    bool has_error = false;
    bool has_warning = false;
    for (const Diagnostic& d : findings) {
      has_error = has_error || d.severity == Severity::kError;
      has_warning = has_warning || d.severity == Severity::kWarning;
    }
    set_texts(lo.rule_ids, findings.size(),
              [&findings](std::size_t k) -> const std::string& { return findings[k].rule_id; });
    lo.check_result = check_result_text(has_error, has_warning);
    sample_flags_into(line, project, rules,
                      !line.is_unit_cost() && line.category != Category::kStaff &&
                          procurement_net_eur(line, lo.eur).abs() > rules.procurement_threshold,
                      lo.sample_flags);

    auto decision = decisions.find(line.line);
    if (decision != decisions.end() && decision->second->parked) {
      lo.parked = true;
      lo.parked_eur = lo.eur;
    } else if (decision != decisions.end()) {
      lo.controller_deducted = decision->second->deducted;
      lo.typology = decision->second->typology;
      deductions.add(decision->second->typology, "controller", false, line.category,
                     lo.controller_deducted);
    }
    if (auto a = approval_deductions.find(line.line); a != approval_deductions.end()) {
      for (const ApprovalDeduction* d : a->second) {
        lo.ma_js_deducted += d->amount;
        if (lo.typology.empty()) lo.typology = d->typology;
        deductions.add(d->typology, "ma-js", false, line.category, d->amount);
      }
    }
    lo.deducted = lo.controller_deducted + lo.ma_js_deducted;
    if (lo.parked) {
      lo.certified = Money();
    } else if (in.control) {
      // After control the controller's decision is authoritative: certified = EUR − deducted.
      // cofin's own findings stay as findings for the controller to weigh.
      lo.certified = lo.eur - lo.deducted;
    } else {
      // Before control, the eligible figure is cofin's proposal: EUR − ineligible by rules.
      lo.certified = lo.eur - lo.ineligible - lo.deducted;
      Money left = lo.ineligible;
      for (const Diagnostic& d : findings) {
        if (d.severity != Severity::kError || !d.amount || left.is_zero()) continue;
        const Money part = std::min(d.amount->abs(), left.abs());
        const Money signed_part = left.is_negative() ? -part : part;
        deductions.add(d.rule_id, "cofin", false, line.category, signed_part);
        left -= signed_part;
      }
    }
    declared_by_category.add(line.category, lo.eur);
    out.parked += lo.parked_eur;
  }
  result.lines.resize(built);

  // Budget flexibility, step 1: each category's lines against budget + flexibility (domain §4,
  // BUDGET-FLEX), before the flat rates, so that flat rates are computed on the capped base.
  CategoryAmounts certified_lines;
  {
    CategorySums sums;
    for (const LineOutcome& lo : result.lines) sums.add(lo.line.category, lo.certified);
    certified_lines = sums.amounts();
  }
  CategoryAmounts capped =
      category_excess(partner, rules, in.prior.by_category, certified_lines,
                      {Category::kStaff, Category::kOffice, Category::kTravel, Category::kExternal,
                       Category::kEquipment, Category::kInfrastructure});
  for (const auto& [category, cut] : capped) {
    cut_lines(result.lines, category, cut);
    certified_lines[category] -= cut;
  }

  // Flat rates are not lines: DOWN(base × rate) on the report's category totals, recomputed on
  // the eligible (certified, capped) totals after control (domain §3, §6).
  CategoryAmounts this_report = certified_lines;
  const CategoryAmounts declared_by_category_map = declared_by_category.amounts();
  for (const FlatRate& f : flat_rates) {
    FlatRateOutcome fo;
    fo.type = f.type;
    fo.percent = f.percent;
    fo.category = flat_rate_category(f.type);
    fo.declared_base = flat_rate_base(f.type, declared_by_category_map);
    fo.declared_amount = apply_percent(fo.declared_base, f.percent, Rounding::kDown);
    fo.eligible_base = flat_rate_base(f.type, certified_lines);
    fo.eligible_amount = apply_percent(fo.eligible_base, f.percent, Rounding::kDown);
    this_report[fo.category] += fo.eligible_amount;
    out.flat_rates.push_back(fo);
  }
  // Step 2: the flat-rate categories (lines plus flat rate) against their limit; the cut falls
  // on the flat rate, whose lines were capped in step 1.
  for (FlatRateOutcome& fo : out.flat_rates) {
    const Money over = amount_of(in.prior.by_category, fo.category) +
                       amount_of(this_report, fo.category) -
                       flex_limit(partner, rules, fo.category);
    const Money room = fo.eligible_amount - fo.budget_capped;
    if (over > Money() && room > Money()) {
      const Money cut = std::min(over, room);
      fo.budget_capped += cut;
      this_report[fo.category] -= cut;
      capped[fo.category] += cut;
    }
  }
  // Step 3: the partner's total never above the partner's budget. Applied last, on the final
  // category totals; a cut here does not recompute the flat rates (it removes an amount above
  // the budget, it does not find a cost ineligible).
  for (const auto& [category, cut] :
       partner_total_excess(partner, in.prior.by_category, this_report)) {
    Money left = cut;
    for (FlatRateOutcome& fo : out.flat_rates) {
      if (fo.category != category || left.is_zero()) continue;
      const Money take = std::min(left, fo.eligible_amount - fo.budget_capped);
      if (take <= Money()) continue;
      fo.budget_capped += take;
      left -= take;
    }
    if (!left.is_zero()) cut_lines(result.lines, category, left);
    this_report[category] -= cut;
    capped[category] += cut;
  }
  for (const auto& [category, cut] : capped) {
    if (cut.is_zero()) continue;
    deductions.add("BUDGET-FLEX", "cofin", false, category, cut);
    const Money budget = amount_of(partner.budget, category);
    result.findings.push_back(report_finding(
        in, Severity::kError, "BUDGET-FLEX", "category",
        std::string(category_name(category)) + ": " + cut.to_string() + " EUR above the budget " +
            budget.to_string() + " plus flexibility (limit " +
            flex_limit(partner, rules, category).to_string() + ", partner budget " +
            partner.budget_total().to_string() + ") is deducted in this report",
        cut));
  }

  // Totals.
  Money lines_declared;
  Money lines_eligible;
  for (const LineOutcome& lo : result.lines) {
    lines_declared += lo.eur;
    lines_eligible += lo.certified;
    out.ineligible += in.control ? Money() : lo.ineligible;
    out.controller_deducted += lo.controller_deducted;
    out.ma_js_deducted += lo.ma_js_deducted;
  }
  Money flat_declared;
  Money flat_eligible;
  for (const FlatRateOutcome& fo : out.flat_rates) {
    flat_declared += fo.declared_amount;
    flat_eligible += fo.eligible_amount - fo.budget_capped;
    out.flat_rate_knock_on += fo.declared_amount - fo.eligible_amount;
    deductions.add("", "cofin", true, fo.category, fo.declared_amount - fo.eligible_amount);
  }
  for (const auto& [category, cut] : capped) out.budget_capped += cut;
  out.declared = lines_declared + flat_declared;
  out.eligible = lines_eligible + flat_eligible;
  out.deducted = out.declared - out.eligible - out.parked;
  result.certified_by_category = this_report;

  // Shares (domain §6, §7).
  const StateCofinancingRule* state_rule = rules.state_rule(partner.country, partner.legal_status);
  ShareInputs si;
  si.eligible = out.eligible;
  si.erdf_rate = out.erdf_rate;
  si.rounding = rules.share_rounding;
  si.prior = {in.prior.eligible, in.prior.erdf, in.prior.state};
  // The registry's budgeted ERDF, else FLOOR(total budget × rate) (spec, registry).
  si.budgeted_erdf = partner.budgeted_erdf
                         ? *partner.budgeted_erdf
                         : apply_percent(partner.budget_total(), out.erdf_rate, Rounding::kFloor);
  si.state_rule = state_rule;
  si.state_granted = partner.state_granted;
  const Shares shares = compute_shares(si);
  out.erdf = shares.erdf;
  out.state = shares.state;
  out.own = shares.own;
  out.state_base_amount = shares.state_base;
  out.erdf_per_report = shares.erdf_per_report;
  out.erdf_cumulative = shares.erdf_cumulative;
  out.erdf_rounding_difference = shares.erdf_cumulative - shares.erdf_per_report;
  out.state_per_report = shares.state_per_report;
  out.state_cumulative = shares.state_cumulative;
  out.state_rounding_difference = shares.state_cumulative - shares.state_per_report;
  out.erdf_capped = shares.erdf_capped;
  out.state_capped = shares.state_capped;
  out.budgeted_erdf = si.budgeted_erdf;
  out.cumulative_eligible = in.prior.eligible + out.eligible;
  out.cumulative_erdf = in.prior.erdf + out.erdf;
  out.cumulative_state = in.prior.state + out.state;
  out.state_rule = state_rule_text(state_rule, partner.country, partner.legal_status);
  if (state_rule) {
    out.state_percent = state_rule->percent;
    out.state_base = state_rule->base;
  }

  // Report-level rules.
  const ReportContext rc{report,           project,  partner,       rules,
                         out.certified_on, in.as_of, in.source_file};
  out.days_with_controller = days_with_controller(rc);
  for (Diagnostic& d : check_report(rc)) result.findings.push_back(std::move(d));
  if (!shares.erdf_capped.is_zero()) {
    result.findings.push_back(report_finding(
        in, Severity::kWarning, "ERDF-CEILING", "erdf",
        "cumulative ERDF capped at the partner's budgeted ERDF " + si.budgeted_erdf.to_string() +
            " EUR: " + shares.erdf_capped.to_string() + " EUR not granted",
        shares.erdf_capped));
  }
  if (!shares.state_capped.is_zero()) {
    result.findings.push_back(
        report_finding(in, Severity::kWarning, "STATE-CEILING", "state",
                       "cumulative state co-financing capped at the granted " +
                           partner.state_granted->to_string() +
                           " EUR: " + shares.state_capped.to_string() + " EUR not granted",
                       shares.state_capped));
  }

  // No advances: shares are due only from approval (domain §2); instalments reconciled.
  std::vector<const PaymentEvent*> payments = in.payments;
  std::stable_sort(payments.begin(), payments.end(), [](const auto* a, const auto* b) {
    return std::tie(a->fund, a->date, a->id) < std::tie(b->fund, b->date, b->id);
  });
  for (const PaymentEvent* p : payments) {
    (p->fund == Fund::kErdf ? out.erdf_paid : out.state_paid) += p->amount;
    PaymentOutcome po;
    po.project = project.id;
    po.partner = partner.number;
    po.report = report.report;
    po.fund = p->fund;
    po.event_id = p->id;
    po.payment_ref = p->payment_ref;
    po.date = p->date;
    po.amount = p->amount;
    result.payments.push_back(std::move(po));
  }
  if (in.approval) {
    out.due = true;
    out.erdf_due = out.erdf;
    out.state_due = out.state;
  } else {
    out.not_due_reason = in.control ? "certified " + in.control->certified_on.to_string() +
                                          ", awaiting approval of a project report"
                                    : "awaiting the controller's result";
  }
  out.status = report_status(in.control != nullptr, in.approval != nullptr, out.erdf_due,
                             out.erdf_paid, out.state_due, out.state_paid);
  out.erdf_difference = out.erdf_due - out.erdf_paid;
  out.state_difference = out.state_due - out.state_paid;
  out.erdf_status = fund_status(out.due, out.erdf_due, out.erdf_paid);
  out.state_status = state_rule == nullptr && out.state_paid.is_zero()
                         ? "none"
                         : fund_status(out.due, out.state_due, out.state_paid);
  for (Diagnostic& d :
       check_payments(payments, out.approved_on, out.erdf_due, out.state_due, in.source_file)) {
    result.findings.push_back(std::move(d));
  }

  // Budget rows (Jems' columns plus flexibility).
  for (const Category c : kAllCategories) {
    BudgetRow row;
    row.project = project.id;
    row.partner = partner.number;
    row.report = report.report;
    row.category = c;
    row.budget = amount_of(partner.budget, c);
    row.previous = amount_of(in.prior.by_category, c);
    row.this_report = amount_of(this_report, c);
    if (row.budget.is_zero() && row.previous.is_zero() && row.this_report.is_zero() &&
        amount_of(capped, c).is_zero()) {
      continue;
    }
    row.total = row.previous + row.this_report;
    row.remaining = row.budget - row.total;
    row.percent_used = percent_used(row.total, row.budget);
    row.flex_limit = flex_limit(partner, rules, c);
    row.over_limit = amount_of(capped, c);
    result.budget.push_back(row);
  }
  result.deductions = deductions.entries();

  // Findings: line findings in line order, then the report's own.
  line_findings.reserve(line_findings.size() + result.findings.size());
  for (Diagnostic& d : result.findings) line_findings.push_back(std::move(d));
  result.findings = std::move(line_findings);
  out.findings = static_cast<int>(result.findings.size());
  out.line_count = result.lines.size();
  return result;
}

}  // namespace cofin
