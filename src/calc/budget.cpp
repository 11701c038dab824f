#include "calc/budget.h"

#include <algorithm>
#include <vector>

#include "money/rounding.h"

namespace cofin {

Money amount_of(const CategoryAmounts& amounts, Category c) {
  auto it = amounts.find(c);
  return it == amounts.end() ? Money() : it->second;
}

Money flex_limit(const Partner& partner, const ProgrammeRules& rules, Category category) {
  const Money budget = amount_of(partner.budget, category);
  const Money base =
      rules.budget_flex_base == FlexBase::kCategory ? budget : partner.budget_total();
  return budget + apply_percent(base, rules.budget_flex_percent, Rounding::kDown);
}

CategoryAmounts category_excess(const Partner& partner, const ProgrammeRules& rules,
                                const CategoryAmounts& previous, const CategoryAmounts& this_report,
                                std::initializer_list<Category> which) {
  CategoryAmounts out;
  for (const Category c : which) {
    const Money now = amount_of(this_report, c);
    if (now <= Money()) continue;
    const Money over = amount_of(previous, c) + now - flex_limit(partner, rules, c);
    if (over > Money()) out[c] = std::min(over, now);
  }
  return out;
}

CategoryAmounts partner_total_excess(const Partner& partner, const CategoryAmounts& previous,
                                     const CategoryAmounts& this_report) {
  Money prev_total;
  Money this_total;
  for (const Category c : kAllCategories) {
    prev_total += amount_of(previous, c);
    this_total += amount_of(this_report, c);
  }
  CategoryAmounts out;
  if (this_total <= Money()) return out;
  Money excess = prev_total + this_total - partner.budget_total();
  if (excess <= Money()) return out;
  excess = std::min(excess, this_total);

  struct Candidate {
    Category category;
    Money overrun;  // cumulative above the category's own budget
  };
  std::vector<Candidate> candidates;
  for (const Category c : kAllCategories) {
    const Money overrun =
        amount_of(previous, c) + amount_of(this_report, c) - amount_of(partner.budget, c);
    candidates.push_back({c, overrun > Money() ? overrun : Money()});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.overrun > b.overrun; });
  CategoryAmounts available;
  for (const Category c : kAllCategories) {
    const Money now = amount_of(this_report, c);
    if (now > Money()) available[c] = now;
  }
  auto take = [&](Category c, Money most) {
    const Money cut = std::min({excess, most, amount_of(available, c)});
    if (cut <= Money()) return;
    out[c] += cut;
    available[c] -= cut;
    excess -= cut;
  };
  for (const Candidate& k : candidates) take(k.category, k.overrun);
  for (const Category c : kAllCategories) take(c, amount_of(available, c));
  return out;
}

std::optional<Rate> percent_used(Money total, Money budget) {
  if (budget.is_zero()) return std::nullopt;
  // A percentage with 2 decimals: total × 10,000 / budget hundredths of a percent, HALF_UP.
  const i128 hundredths =
      divide_rounded(static_cast<i128>(total.cents()) * 10000, budget.cents(), Rounding::kHalfUp);
  return Decimal::from_units(static_cast<std::int64_t>(hundredths), 2);
}

}  // namespace cofin
