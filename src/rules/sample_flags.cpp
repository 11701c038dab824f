#include "rules/sample_flags.h"

#include <string_view>

namespace cofin {

std::vector<std::string> sample_flags(const ExpenseLine& line, const Project& project,
                                      const ProgrammeRules& rules, bool net_eur_above_threshold) {
  std::vector<std::string> flags;
  sample_flags_into(line, project, rules, net_eur_above_threshold, flags);
  return flags;
}

void sample_flags_into(const ExpenseLine& line, const Project& project, const ProgrammeRules& rules,
                       bool net_eur_above_threshold, std::vector<std::string>& flags) {
  std::size_t count = 0;
  const auto flag = [&flags, &count](std::string_view name) {
    if (count < flags.size()) {
      flags[count].assign(name);
    } else {
      flags.emplace_back(name);
    }
    ++count;
  };
  if (!line.procurement_ref.empty() || net_eur_above_threshold) flag("procurement");
  if (line.category == Category::kStaff) flag("staff");
  if (line.vat && !line.vat->is_zero() && project.total_cost >= rules.vat_threshold) {
    flag("vat-large-project");
  }
  if (!line.reincluded_from.empty()) flag("reincluded");
  flags.resize(count);
}

}  // namespace cofin
