// Budget flexibility with capping (domain §4, rule BUDGET-FLEX): the certified total of a
// category may reach budget + percent × base (the rule set's flexibility), and the partner's
// total never more than the partner's budget; the excess is deducted in the current report, in
// the category that overran. Pure.
#pragma once

#include <map>
#include <optional>

#include "model/programme.h"
#include "model/registry.h"
#include "money/decimal.h"
#include "money/money.h"

namespace cofin {

using CategoryAmounts = std::map<Category, Money>;

// Returns the flexibility limit of `category`: budget + DOWN(base × percent), base being the
// category's budget or the partner's total budget as the rule set says. DOWN: the allowance,
// like a flat rate, never exceeds its percent (domain §6).
Money flex_limit(const Partner& partner, const ProgrammeRules& rules, Category category);

// Returns, per category, the part of `this_report` above the category's flexibility limit
// given what earlier reports certified (`previous`): clamp(previous + this − limit, 0, this).
// Only a positive amount of this report can be capped; categories not in `which` are left out.
CategoryAmounts category_excess(const Partner& partner, const ProgrammeRules& rules,
                                const CategoryAmounts& previous, const CategoryAmounts& this_report,
                                std::initializer_list<Category> which);

// Returns, per category, the cut that keeps the partner's total within its budget:
// clamp(Σprevious + Σthis − partner budget, 0, Σthis), taken first from the categories that
// overran their own budget (largest overrun first, then category order), up to that overrun and
// this report's amount, then from the others in category order.
CategoryAmounts partner_total_excess(const Partner& partner, const CategoryAmounts& previous,
                                     const CategoryAmounts& this_report);

// Returns HALF_UP(total / budget × 100, 2) as a percentage, or nullopt when budget is 0.
std::optional<Rate> percent_used(Money total, Money budget);

// Returns the amount of `c` in `amounts`, 0 when absent.
Money amount_of(const CategoryAmounts& amounts, Category c);

}  // namespace cofin
