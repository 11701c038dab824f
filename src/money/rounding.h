// Rounding rules, named as the domain brief (§6) names them.
#pragma once

#include <string_view>

#include "money/int128.h"

namespace cofin {

enum class Rounding {
  // Half away from zero: Excel's ROUND, Reg. (EC) 1103/97 for currency conversion.
  kHalfUp,
  // Towards zero: flat rates and unit costs (Jems).
  kDown,
  // Towards minus infinity: EU and state shares, so a public share never exceeds its rate.
  kFloor,
};

// Returns "HALF_UP", "DOWN" or "FLOOR".
std::string_view rounding_name(Rounding r);

// Returns numerator / denominator rounded to an integer by `rule`.
// REQUIRES: denominator != 0.
i128 divide_rounded(i128 numerator, i128 denominator, Rounding rule);

}  // namespace cofin
