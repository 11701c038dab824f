#include "rules/sample_flags.h"

namespace cofin {

std::vector<std::string> sample_flags(const ExpenseLine& line, const Project& project,
                                      const ProgrammeRules& rules, bool net_eur_above_threshold) {
  std::vector<std::string> flags;
  if (!line.procurement_ref.empty() || net_eur_above_threshold) flags.emplace_back("procurement");
  if (line.category == Category::kStaff) flags.emplace_back("staff");
  if (line.vat && !line.vat->is_zero() && project.total_cost >= rules.vat_threshold) {
    flags.emplace_back("vat-large-project");
  }
  if (!line.reincluded_from.empty()) flags.emplace_back("reincluded");
  return flags;
}

}  // namespace cofin
