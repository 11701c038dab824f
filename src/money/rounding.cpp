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

// divide_rounded for operands within (INT64_MIN, INT64_MAX], the usual case: 64-bit division is
// several times cheaper than the 128-bit library routine. The same steps as below, with
// "2 |r| >= d" written as "|r| >= d - |r|" so that nothing can overflow.
std::int64_t divide_rounded_64(std::int64_t numerator, std::int64_t denominator, Rounding rule) {
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const std::int64_t quotient = numerator / denominator;
  const std::int64_t remainder = numerator % denominator;
  if (remainder == 0) return quotient;
  switch (rule) {
    case Rounding::kDown:
      return quotient;
    case Rounding::kFloor:
      return numerator < 0 ? quotient - 1 : quotient;
    case Rounding::kHalfUp: {
      const std::int64_t magnitude = remainder < 0 ? -remainder : remainder;
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
    return divide_rounded_64(static_cast<std::int64_t>(numerator),
                             static_cast<std::int64_t>(denominator), rule);
  }
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const i128 quotient = numerator / denominator;   // truncates towards zero
  const i128 remainder = numerator % denominator;  // same sign as numerator
  if (remainder == 0) return quotient;
  switch (rule) {
    case Rounding::kDown:
      return quotient;
    case Rounding::kFloor:
      return numerator < 0 ? quotient - 1 : quotient;
    case Rounding::kHalfUp: {
      const i128 twice = (remainder < 0 ? -remainder : remainder) * 2;
      if (twice >= denominator) return numerator < 0 ? quotient - 1 : quotient + 1;
      return quotient;
    }
  }
  return quotient;
}

}  // namespace cofin
