#include "money/decimal.h"

#include <stdexcept>

namespace cofin {
namespace {

constexpr i128 pow10(int n) {
  i128 p = 1;
  for (int k = 0; k < n; ++k) p *= 10;
  return p;
}

}  // namespace

Decimal Decimal::from_units(std::int64_t units, int scale) {
  if (scale < 0 || scale > kMaxScale) throw std::invalid_argument("Decimal scale out of range");
  return Decimal(units, scale);
}

std::strong_ordering Decimal::operator<=>(const Decimal& other) const {
  const int common = scale_ > other.scale_ ? scale_ : other.scale_;
  const i128 a = static_cast<i128>(units_) * pow10(common - scale_);
  const i128 b = static_cast<i128>(other.units_) * pow10(common - other.scale_);
  if (a < b) return std::strong_ordering::less;
  if (a > b) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

std::string Decimal::to_string() const {
  const bool negative = units_ < 0;
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(units_) : static_cast<std::uint64_t>(units_);
  std::string digits = std::to_string(magnitude);
  if (scale_ > 0) {
    if (digits.size() <= static_cast<std::size_t>(scale_)) {
      digits.insert(0, static_cast<std::size_t>(scale_) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<std::size_t>(scale_), 1, '.');
  }
  return negative ? "-" + digits : digits;
}

std::optional<Decimal> parse_decimal(std::string_view text, int max_scale) {
  if (max_scale < 0 || max_scale > Decimal::kMaxScale) return std::nullopt;
  std::size_t i = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    i = 1;
  }
  i128 units = 0;
  int integral_digits = 0;
  int decimals = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (seen_point) {
        if (++decimals > max_scale) return std::nullopt;
      } else if (++integral_digits > 9) {
        return std::nullopt;
      }
      units = units * 10 + (c - '0');
    } else if (c == '.' && !seen_point && integral_digits > 0) {
      seen_point = true;
    } else {
      return std::nullopt;
    }
  }
  if (integral_digits == 0 || (seen_point && decimals == 0)) return std::nullopt;
  units *= pow10(max_scale - decimals);
  return Decimal::from_units(static_cast<std::int64_t>(negative ? -units : units), max_scale);
}

Money apply_percent(Money base, const Decimal& percent, Rounding rounding) {
  const i128 numerator = static_cast<i128>(base.cents()) * percent.units();
  return Money::from_i128(divide_rounded(numerator, 100 * pow10(percent.scale()), rounding));
}

Money convert_to_eur(Money amount, const Decimal& units_per_eur) {
  if (units_per_eur.units() <= 0) throw std::invalid_argument("exchange rate must be positive");
  const i128 numerator = static_cast<i128>(amount.cents()) * pow10(units_per_eur.scale());
  return Money::from_i128(divide_rounded(numerator, units_per_eur.units(), Rounding::kHalfUp));
}

Money multiply(const Decimal& quantity, Money price, Rounding rounding) {
  const i128 numerator = static_cast<i128>(quantity.units()) * price.cents();
  return Money::from_i128(divide_rounded(numerator, pow10(quantity.scale()), rounding));
}

}  // namespace cofin
