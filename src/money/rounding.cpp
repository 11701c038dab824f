#include "money/rounding.h"

#include <cstdint>
#include <limits>
#include <stdexcept>

namespace cofin {

std::string_view rounding_name(Rounding r) {
  switch (r) {
    case Rounding::kHalfUp:
      return "HALF_UP";
    case Rounding::kDown:
      return "DOWN";
    case Rounding::kFloor:
      return "FLOOR";
  }
  return "?";
}

namespace {

// The rounding of numerator / denominator in `Int`: 64-bit division is several times cheaper
// than the 128-bit library routine, so operands that fit use it. "2 |r| >= d" is written as
// "|r| >= d - |r|" so that nothing can overflow.
// REQUIRES: denominator != 0; neither operand is the smallest `Int`.
template <typename Int>
Int divide_rounded_in(Int numerator, Int denominator, Rounding rule) {
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const Int quotient = numerator / denominator;   // truncates towards zero
  const Int remainder = numerator % denominator;  // same sign as numerator
  if (remainder == 0) return quotient;
  switch (rule) {
    case Rounding::kDown:
      return quotient;
    case Rounding::kFloor:
      return numerator < 0 ? quotient - 1 : quotient;
    case Rounding::kHalfUp: {
      const Int magnitude = remainder < 0 ? -remainder : remainder;
      if (magnitude >= denominator - magnitude) return numerator < 0 ? quotient - 1 : quotient + 1;
      return quotient;
    }
  }
  return quotient;
}

}  // namespace

i128 divide_rounded(i128 numerator, i128 denominator, Rounding rule) {
  if (denominator == 0) throw std::domain_error("division by zero in divide_rounded");
  constexpr i128 kMin = std::numeric_limits<std::int64_t>::min();
  constexpr i128 kMax = std::numeric_limits<std::int64_t>::max();
  if (numerator > kMin && numerator <= kMax && denominator > kMin && denominator <= kMax) {
    return divide_rounded_in<std::int64_t>(static_cast<std::int64_t>(numerator),
                                           static_cast<std::int64_t>(denominator), rule);
  }
  return divide_rounded_in<i128>(numerator, denominator, rule);
}

}  // namespace cofin
