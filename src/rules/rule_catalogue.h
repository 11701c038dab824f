// The catalogue of the engine's eligibility and co-financing rules (domain §4, §6, §7): every
// finding the engine makes carries one of these ids. docs/rule-ids.md lists the same ids for
// people; this table gives the workbook a controller-readable meaning for each.
#pragma once

#include <span>
#include <string_view>

#include "model/diagnostic.h"

namespace cofin {

struct RuleInfo {
  std::string_view id;
  Severity severity;         // the usual severity (some rules lower it, e.g. an exact match)
  std::string_view meaning;  // one line a controller understands
};

// Returns every engine rule, in the order of docs/rule-ids.md.
std::span<const RuleInfo> engine_rules();

// Returns the rule with `id`, or nullptr.
const RuleInfo* find_engine_rule(std::string_view id);

}  // namespace cofin
