#include "rules/sample_flags.h"

namespace cofin {

std::vector<std::string> sample_flags(const ExpenseLine& line, const Project& project,
                                      const ProgrammeRules& rules, bool net_eur_above_threshold) {
  std::vector<std::string> flags;
  sample_flags_into(line, project, rules, net_eur_above_threshold, flags);
  return flags;
}

void sample_flags_into(const ExpenseLine& line, const Project& project, const ProgrammeRules& rules,
                       bool net_eur_above_threshold, std::vector<std::string>& flags) {
  // Strings, not literals: a copy of a string is a shorter library path than of a literal.
  static const std::string kProcurement = "procurement";
  static const std::string kStaff = "staff";
  static const std::string kVatLargeProject = "vat-large-project";
  static const std::string kReincluded = "reincluded";
  std::size_t count = 0;
  const auto flag = [&flags, &count](const std::string& name) {
    if (count < flags.size()) {
      flags[count] = name;
    } else {
      flags.push_back(name);
    }
    ++count;
  };
  if (!line.procurement_ref.empty() || net_eur_above_threshold) flag(kProcurement);
  if (line.category == Category::kStaff) flag(kStaff);
  if (line.vat && !line.vat->is_zero() && project.total_cost >= rules.vat_threshold) {
    flag(kVatLargeProject);
  }
  if (!line.reincluded_from.empty()) flag(kReincluded);
  flags.resize(count);
}

}  // namespace cofin
