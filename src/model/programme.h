// A programme rule set (jobs/programmes/*.xml): every rate, threshold and table the rules and
// computations use. Rules are data: nothing here has a default in code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/enums.h"
#include "money/decimal.h"
#include "money/money.h"

namespace cofin {

struct FlatRate {
  FlatRateType type;
  Rate percent;  // the programme's rate, e.g. 15.00
  bool partner_may_choose_less = false;
};

struct UnitCost {
  std::string id;  // e.g. "staff-hour", "event-participant-day"
  Category category;
  Money eur_per_unit;  // e.g. 24.00
  std::string unit;    // e.g. "hour"
};

struct CategoryRule {
  Category category;
  bool real_costs = true;  // real-cost lines allowed
};

struct Typology {
  std::string id;
  std::string text;
};

struct StateCofinancingRule {
  std::string country;  // ISO 3166-1 alpha-2, e.g. "LV"
  LegalStatus legal_status;
  StateBase base;
  Rate percent;
};

struct ProgrammeRules {
  std::string id;  // e.g. "central-baltic-2021-2027"
  std::string name;
  Date window_start;
  Date window_end;
  Rate max_erdf_rate;  // percent
  std::vector<CategoryRule> categories;
  std::vector<FlatRate> flat_rates;
  std::vector<UnitCost> unit_costs;
  Money vat_threshold;          // project total cost incl. VAT, CPR Art. 64(1)(c)
  Money procurement_threshold;  // net of VAT
  std::string currency_rule;    // "submission-month" (InforEuro of the submitted-on month)
  ShareRounding share_rounding = ShareRounding::kPerReport;
  Rate budget_flex_percent;
  FlexBase budget_flex_base = FlexBase::kCategory;
  std::vector<Typology> typologies;
  std::vector<StateCofinancingRule> state_table;
  int controller_deadline_days = 0;

  // Returns the category rule, or nullptr when the category is not allowed at all.
  const CategoryRule* category(Category c) const;
  const UnitCost* unit_cost(std::string_view unit_cost_id) const;
  const Typology* typology(std::string_view typology_id) const;
  const StateCofinancingRule* state_rule(std::string_view country, LegalStatus status) const;
};

}  // namespace cofin
