#include "money/rounding.h"

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

i128 divide_rounded(i128 numerator, i128 denominator, Rounding rule) {
  if (denominator == 0) throw std::domain_error("division by zero in divide_rounded");
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
